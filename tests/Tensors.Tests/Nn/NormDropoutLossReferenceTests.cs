using System.Globalization;
using System.Text.Json;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// Normalisation, dropout, classification losses and a LeNet trained five SGD steps, against libtorch
/// (Reference/torch_layers.json). Dropout masks and scaling have no sums and match bit for bit; normalisation
/// statistics and loss averages are sums that libtorch vectorises in its own order, so they are compared within a
/// few float32 ulps (tolerances beside each test).
/// </summary>
public class NormDropoutLossReferenceTests
{
    private static readonly long[] Seeds = [0, 42];

    // Per-channel statistics of 18 values, then x̂ and its gradient sums: a few ulps of values around 1.
    private const double NormRtol = 1e-5, NormAtol = 2e-6;

    [TestCaseSource(nameof(Seeds))]
    public void BatchNorm2d_train_twice_then_eval(long seed)
    {
        var r = LayerReference.Get(seed, "batchnorm2d");
        var (m, x, _) = r.Run(() => new nn.BatchNorm2d(4), (m, x) => m!.call(x), NormRtol, NormAtol);
        var bn = (nn.BatchNorm2d)m!;
        void Buffers(string key)
        {
            r.Check(bn.running_mean!, key + "/running_mean", NormRtol, NormAtol);
            r.Check(bn.running_var!, key + "/running_var", NormRtol, NormAtol);
            Assert.That(bn.num_batches_tracked!.item<long>(), Is.EqualTo(LayerReference.Values(r[key + "/num_batches_tracked"])[0]));
        }
        Buffers("buffers_after_1_call");
        var x2 = torch.randn(r.Shape("input2"));
        LayerReference.AssertExact(x2, r.Tensor("input2"), "input2");
        r.Check(bn.call(x2), "output2", NormRtol, NormAtol);
        Buffers("buffers_after_2_calls");
        bn.eval();
        r.Check(bn.call(x), "output_eval", NormRtol, NormAtol);
        Assert.That(bn.ToString(), Is.EqualTo("BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"));
    }

    [TestCaseSource(nameof(Seeds))]
    public void GroupNorm_matches_libtorch(long seed)
    {
        var (_, _, y) = LayerReference.Get(seed, "groupnorm_2_4").Run(() => new nn.GroupNorm(2, 4), (m, x) => m!.call(x), NormRtol, NormAtol);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("NativeGroupNormBackward0"));
    }

    [TestCaseSource(nameof(Seeds))]
    public void LayerNorm_matches_libtorch(long seed) =>
        LayerReference.Get(seed, "layernorm_last2").Run(() => new nn.LayerNorm([3, 3]), (m, x) => m!.call(x), NormRtol, NormAtol);

    [TestCaseSource(nameof(Seeds))]
    public void Dropout_mask_matches_libtorch_bit_for_bit(long seed) =>
        LayerReference.Get(seed, "dropout_p0.3").Run(() => new nn.Dropout(p: 0.3), (m, x) => m!.call(x));

    [TestCaseSource(nameof(Seeds))]
    public void Dropout2d_mask_matches_libtorch_bit_for_bit(long seed)
    {
        var (_, _, y) = LayerReference.Get(seed, "dropout2d_p0.5").Run(() => new nn.Dropout2d(p: 0.5), (m, x) => m!.call(x));
        Assert.That(y.grad_fn!.name(), Is.EqualTo("MulBackward0"));
    }

    // A mean over at most 8 log-softmax rows: libtorch's vectorised log_softmax and reduction round differently in the last bits.
    private const double LossRtol = 2e-6, LossAtol = 1e-7;

    [TestCase(0L, "cross_entropy_4d"), TestCase(42L, "cross_entropy_4d")]
    [TestCase(0L, "cross_entropy_label_smoothing"), TestCase(42L, "cross_entropy_label_smoothing")]
    [TestCase(0L, "nll_loss_ignore_index"), TestCase(42L, "nll_loss_ignore_index")]
    public void Loss_matches_libtorch(long seed, string name)
    {
        var r = LayerReference.Get(seed, name);
        torch.manual_seed(seed);
        var x = torch.randn(r.Shape("input"), requires_grad: true);
        LayerReference.AssertExact(x, r.Tensor("input"), "input");
        var expectedTarget = r.Tensor("target", torch.int64);
        var target = name == "nll_loss_ignore_index" ? expectedTarget : torch.randint(0, x.size(1), r.Shape("target"));
        LayerReference.AssertExact(target, expectedTarget, "target");
        var loss = name switch
        {
            "cross_entropy_4d" => F.cross_entropy(x, target),
            "cross_entropy_label_smoothing" => F.cross_entropy(x, target, label_smoothing: 0.1),
            _ => F.nll_loss(x, target, ignore_index: 2),
        };
        r.Check(loss, "output", LossRtol, LossAtol);
        loss.backward();
        r.Check(x.grad!, "grad/input", LossRtol, LossAtol);
    }

    private static (double sum, double sumsq) Checksum(Tensor t)
    {
        double s = 0, q = 0;
        foreach (var v in t.detach().reshape(-1).ToArray<float>()) { s += v; q += (double)v * v; }
        return (s, q);
    }

    private static double D(JsonElement e) => double.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    /// <summary>
    /// LeNet-5 (two convolutions, max pooling, three Linear layers) trained 5 steps with SGD + momentum. Initial
    /// weights and data are bit-equal; the losses and per-parameter checksums after each step agree to 1e-5 relative
    /// (oneDNN's convolution sums round differently, and SGD carries those last-bit differences forward).
    /// </summary>
    [TestCaseSource(nameof(Seeds))]
    public void LeNet_five_SGD_steps_match_libtorch(long seed)
    {
        var r = LayerReference.Get(seed, "lenet_sgd");
        torch.manual_seed(seed);
        var model = new nn.Sequential(new nn.Conv2d(1, 6, 5, padding: 2), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 16, 5), new nn.ReLU(),
            new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));
        var x = torch.randn(8, 1, 28, 28);
        var target = torch.randint(0, 10, [8]);
        var (xs, xq) = Checksum(x);
        Assert.That(xs, Is.EqualTo(D(r["input_checksum/sum"])));
        Assert.That(xq, Is.EqualTo(D(r["input_checksum/sumsq"])));
        LayerReference.AssertExact(target, r.Tensor("target", torch.int64), "target");
        void Checksums(JsonElement expected, string when)
        {
            foreach (var (name, p) in model.named_parameters())
            {
                var (s, q) = Checksum(p);
                var e = expected.GetProperty(name);
                bool exact = when == "initial";
                Assert.That(s, exact ? Is.EqualTo(D(e.GetProperty("sum"))) : Is.EqualTo(D(e.GetProperty("sum"))).Within(1e-5 * Math.Abs(D(e.GetProperty("sumsq"))) + 1e-6), $"{name} sum {when}");
                Assert.That(q, exact ? Is.EqualTo(D(e.GetProperty("sumsq"))) : Is.EqualTo(D(e.GetProperty("sumsq"))).Within(1e-5 * D(e.GetProperty("sumsq"))), $"{name} sumsq {when}");
            }
        }
        Checksums(r["checksums_initial"], "initial");
        var opt = new optim.SGD(model.parameters(), lr: 0.01, momentum: 0.9);
        var losses = r["loss_before_step"].EnumerateArray().Select(D).ToArray();
        var after = r["checksums_after_step"].EnumerateArray().ToArray();
        for (int step = 0; step < 5; step++)
        {
            opt.zero_grad();
            var logits = model.call(x);
            if (step == 0) r.Check(logits, "logits_before_step_0", 1e-5, 1e-6);
            var loss = F.cross_entropy(logits, target);
            Assert.That(loss.item<float>(), Is.EqualTo(losses[step]).Within(1e-5 * losses[step]), $"loss before step {step}");
            loss.backward();
            opt.step();
            Checksums(after[step], $"after step {step}");
        }
    }
}
