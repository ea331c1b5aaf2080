namespace Notebooks.Tensors.Tests.Autograd;

/// <summary>
/// torch.autograd.detect_anomaly / set_detect_anomaly, as ATen's engine runs them: a backward function returning NaN
/// raises "Function '…' returned nan values in its Nth output." (engine.cpp, validate_outputs), and any error in a
/// node's backward is preceded by the warning naming the node and the forward call that created it.
/// </summary>
[NonParallelizable]
public class AnomalyModeTests
{
    [SetUp]
    public void Reset() => warnings.resetwarnings();

    [TearDown]
    public void Off() => torch.autograd.set_detect_anomaly(false);

    private static Tensor NanGradient()
    {
        // sqrt at 0 has an infinite derivative; times the 0 from the product's other factor it is 0 · inf = NaN.
        var x = torch.tensor(new[] { 0.0, 4.0 }, requires_grad: true);
        return (x.sqrt() * torch.tensor(new[] { 0.0, 1.0 })).sum();
    }

    [Test]
    public void ANanGradientRaisesNamingTheNodeAndItsOutput()
    {
        var quiet = NanGradient();
        Assert.DoesNotThrow(() => quiet.backward(), "outside anomaly mode NaN flows on, as in PyTorch");

        InvalidOperationException? e = null;
        var err = StdErr.Of(() =>
        {
            using (torch.autograd.detect_anomaly())
            {
                var loss = NanGradient();
                e = Assert.Throws<InvalidOperationException>(() => loss.backward());
            }
        });
        Assert.That(e!.Message, Is.EqualTo("Function 'SqrtBackward0' returned nan values in its 0th output."));
        Assert.That(err, Does.StartWith("UserWarning: Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging."));
        Assert.That(err, Does.Contain("UserWarning: Error detected in SqrtBackward0. Traceback of forward call that caused the error:\n"));
        // The traceback names this file and the line of the forward call (x.sqrt() in NanGradient).
        Assert.That(err, Does.Match(@"  File "".*AnomalyModeTests\.cs"", line \d+, in AnomalyModeTests\.NanGradient"));
        Assert.That(torch.autograd.is_anomaly_enabled(), Is.False, "leaving the block restores the mode");
    }

    [Test]
    public void CheckNanFalseOnlyRecordsTracebacks()
    {
        using (torch.autograd.set_detect_anomaly(true, check_nan: false))
        {
            Assert.That(torch.autograd.is_anomaly_enabled(), Is.True);
            Assert.That(torch.autograd.is_anomaly_check_nan_enabled(), Is.False);
            var loss = NanGradient();
            Assert.DoesNotThrow(() => loss.backward());
        }
        Assert.That(torch.autograd.is_anomaly_check_nan_enabled(), Is.True);
    }

    [Test]
    public void AnInPlaceErrorGetsTheAnomalyHint()
    {
        torch.autograd.set_detect_anomaly(true);
        var a = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var b = a.exp();
        var c = b.sum();
        InvalidOperationException? e = null;
        var err = StdErr.Of(() =>
        {
            using (torch.no_grad()) b.mul_(2);
            e = Assert.Throws<InvalidOperationException>(() => c.backward());
        });
        Assert.That(e!.Message, Does.EndWith("Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"));
        Assert.That(err, Does.StartWith("UserWarning: Error detected in ExpBackward0. Traceback of forward call that caused the error:\n"));
        Assert.That(err, Does.Contain("in AnomalyModeTests.AnInPlaceErrorGetsTheAnomalyHint"));
    }
}
