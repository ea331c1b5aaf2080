namespace Notebooks.Tensors.Tests.Printing;

/// <summary>
/// Tensor.__format__ (torch/_tensor.py): a 0-dim tensor formats as item() with the format spec; others use repr.
/// Python's repr(float) shows the shortest round-trip digits, e.g. f"{torch.tensor(2.)}" is "2.0".
/// </summary>
public class TensorFormatTests
{
    [Test]
    public void ZeroDimFloatFormatsAsPythonFloat()
    {
        Assert.That($"{torch.tensor(2.0)}", Is.EqualTo("2.0"));
        Assert.That($"{torch.tensor(0.1, dtype: torch.float64)}", Is.EqualTo("0.1"));
        // float32 0.1 widened to a Python float, as item() does.
        Assert.That($"{torch.tensor(0.1)}", Is.EqualTo("0.10000000149011612"));
        Assert.That($"{torch.tensor(1e-5, dtype: torch.float64)}", Is.EqualTo("1e-05"));
        Assert.That($"{torch.tensor(1e16, dtype: torch.float64)}", Is.EqualTo("1e+16"));
        Assert.That($"{torch.tensor(123456.5, dtype: torch.float64)}", Is.EqualTo("123456.5"));
        Assert.That($"{torch.tensor(-0.00012, dtype: torch.float64)}", Is.EqualTo("-0.00012"));
    }

    [Test]
    public void FormatSpecsApplyToTheNumber()
    {
        var loss = torch.tensor(23.657503128051758, dtype: torch.float64);
        Assert.That($"{loss:.5f}", Is.EqualTo("23.65750"));
        Assert.That($"{loss:F2}", Is.EqualTo("23.66"));
        Assert.That($"{torch.tensor(0.000123, dtype: torch.float64):.2e}", Is.EqualTo("1.23e-04"));
        Assert.That($"{torch.tensor(7)}", Is.EqualTo("7"));
        Assert.That($"{torch.tensor(true)}", Is.EqualTo("True"));
    }

    [Test]
    public void OtherTensorsFormatAsRepr()
    {
        var t = torch.tensor(new[] { 1.0, 2.0 });
        Assert.That($"{t}", Is.EqualTo("tensor([1., 2.])"));
        // object.__format__ refuses a non-empty spec (TypeError: unsupported format string passed to Tensor.__format__).
        Assert.That(Assert.Catch(() => _ = $"{t:F3}")!.Message, Is.EqualTo("unsupported format string passed to Tensor.__format__"));
    }
}
