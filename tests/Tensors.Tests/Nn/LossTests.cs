using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>Losses against their documented formulas (torch.nn docs) and PyTorch's grad_fn names.</summary>
public class LossTests
{
    private static Tensor T(params float[] v) => torch.tensor(v);

    [Test]
    public void Mse_l1_smooth_l1_values_and_nodes()
    {
        var x = torch.tensor(new[] { 1f, 2, 3 }, requires_grad: true);
        var y = T(1.5f, 0, 3);
        var mse = F.mse_loss(x, y);
        Assert.That(mse.ToString(), Is.EqualTo("tensor(1.4167, grad_fn=<MseLossBackward0>)"));   // (0.25 + 4 + 0) / 3
        mse.backward();
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([-0.3333,  1.3333,  0.0000])"));     // 2 (x - y) / n
        Assert.That(F.mse_loss(x, y, reduction: "sum").item<float>(), Is.EqualTo(4.25f));
        Assert.That(F.l1_loss(x, y).grad_fn!.name(), Is.EqualTo("MeanBackward0"));                // composite in ATen
        Assert.That(F.l1_loss(x, y).item<float>(), Is.EqualTo(2.5f / 3).Within(1e-7));
        // smooth L1 (beta=1): 0.5 d^2 for |d| < 1, |d| - 0.5 otherwise → (0.125 + 1.5 + 0) / 3
        var s = F.smooth_l1_loss(x, y);
        Assert.That(s.item<float>(), Is.EqualTo(1.625f / 3).Within(1e-7));
        Assert.That(s.grad_fn!.name(), Is.EqualTo("SmoothL1LossBackward0"));
        Assert.That(() => F.mse_loss(x, y, reduction: "avg"), Throws.ArgumentException.With.Message.EqualTo("avg is not a valid value for reduction"));
    }

    [Test]
    public void Binary_cross_entropy_with_logits_matches_the_formula_and_lesson_002_grad_fn()
    {
        var z = torch.tensor(new[] { 0.5f, -1, 2 }, requires_grad: true);
        var y = T(1, 0, 0);
        var loss = F.binary_cross_entropy_with_logits(z, y);
        double expected = (Math.Log(1 + Math.Exp(-0.5)) + Math.Log(1 + Math.Exp(-1)) + Math.Log(1 + Math.Exp(2))) / 3;
        Assert.That(loss.item<float>(), Is.EqualTo(expected).Within(1e-6));
        Assert.That(loss.grad_fn!.name(), Is.EqualTo("BinaryCrossEntropyWithLogitsBackward0"));
        loss.backward();
        var g = z.grad!.ToArray<float>();
        Assert.That(g[0], Is.EqualTo((1 / (1 + Math.Exp(-0.5)) - 1) / 3).Within(1e-7));   // (sigmoid(z) - y) / n
        // pos_weight p multiplies the positive term: -[p y log σ(z) + (1 - y) log(1 - σ(z))]
        var pw = F.binary_cross_entropy_with_logits(z, y, pos_weight: T(3, 3, 3), reduction: "sum");
        Assert.That(pw.item<float>(), Is.EqualTo(3 * Math.Log(1 + Math.Exp(-0.5)) + Math.Log(1 + Math.Exp(-1)) + Math.Log(1 + Math.Exp(2))).Within(1e-5));
        var p = torch.tensor(new[] { 0.8f, 0.3f }, requires_grad: true);
        var bce = F.binary_cross_entropy(p, T(1, 0));
        Assert.That(bce.item<float>(), Is.EqualTo(-(Math.Log(0.8) + Math.Log(0.7)) / 2).Within(1e-6));
        Assert.That(bce.grad_fn!.name(), Is.EqualTo("BinaryCrossEntropyBackward0"));
    }

    [Test]
    public void Cross_entropy_is_log_softmax_then_nll()
    {
        var logits = torch.tensor(new[] { new[] { 2f, 1, 0.1f }, new[] { 0.5f, 2.5f, 0.3f } }, requires_grad: true);
        var target = torch.tensor(new[] { 0L, 2 });
        var ce = F.cross_entropy(logits, target);
        Assert.That(ce.grad_fn!.name(), Is.EqualTo("NllLossBackward0"));
        Assert.That(ce.grad_fn!.next_functions[0].fn!.name(), Is.EqualTo("LogSoftmaxBackward0"));
        var lp = logits.detach().to(torch.float64).log_softmax(1).ToArray<double>();
        Assert.That(ce.item<float>(), Is.EqualTo(-(lp[0] + lp[5]) / 2).Within(1e-6));
        ce.backward();
        // d/dlogits = (softmax - onehot) / N
        var sm = logits.detach().softmax(1).ToArray<float>();
        Assert.That(logits.grad!.ToArray<float>()[0], Is.EqualTo((sm[0] - 1) / 2).Within(1e-7));
        Assert.That(logits.grad!.ToArray<float>()[4], Is.EqualTo(sm[4] / 2).Within(1e-7));

        // ignore_index drops a sample from the sum and the count; weight normalises by the picked weights.
        Assert.That(F.cross_entropy(logits, torch.tensor(new[] { 0L, -100 })).item<float>(), Is.EqualTo(-lp[0]).Within(1e-6));
        var w = T(2, 1, 0.5f);
        Assert.That(F.cross_entropy(logits, target, weight: w).item<float>(), Is.EqualTo(-(2 * lp[0] + 0.5 * lp[5]) / 2.5).Within(1e-6));
        // label smoothing ε: (1-ε) nll + ε/C · mean(-Σ_c log p_c)
        double eps = 0.1, smooth = -(lp[0] + lp[1] + lp[2] + lp[3] + lp[4] + lp[5]) / 2;
        Assert.That(F.cross_entropy(logits, target, label_smoothing: eps).item<float>(),
            Is.EqualTo((1 - eps) * -(lp[0] + lp[5]) / 2 + eps / 3 * smooth).Within(1e-6));
        // probabilities as targets: -Σ p log q / N
        var probs = torch.tensor(new[] { new[] { 1f, 0, 0 }, new[] { 0f, 0, 1 } });
        Assert.That(F.cross_entropy(logits, probs).item<float>(), Is.EqualTo(-(lp[0] + lp[5]) / 2).Within(1e-6));
        Assert.That(new nn.CrossEntropyLoss().call(logits, target).item<float>(), Is.EqualTo(ce.item<float>()));
    }

    [Test]
    public void Nll_loss_errors_read_as_pytorch()
    {
        var lp = torch.zeros(2, 3);
        Assert.That(() => F.nll_loss(lp, torch.tensor(new[] { 0L, 5 })), Throws.InstanceOf<IndexOutOfRangeException>().With.Message.EqualTo("Target 5 is out of bounds."));
        Assert.That(() => F.nll_loss(lp, torch.tensor(new[] { 0L, 1, 2 })),
            Throws.ArgumentException.With.Message.EqualTo("Expected input batch_size (2) to match target batch_size (3)."));
        Assert.That(F.nll_loss(lp - T(1, 2, 3), torch.tensor(new[] { 1L, 2 }), reduction: "none").ToString(), Is.EqualTo("tensor([2., 3.])"));
    }

    [Test]
    public void Activations_follow_their_definitions()
    {
        var x = T(-2, -0.5f, 0, 1.5f);
        Assert.Multiple(() =>
        {
            Assert.That(F.leaky_relu(x, 0.1).ToString(), Is.EqualTo("tensor([-0.2000, -0.0500,  0.0000,  1.5000])"));
            Assert.That(F.elu(x).ToArray<float>()[0], Is.EqualTo((float)(Math.Exp(-2) - 1)).Within(1e-7));
            Assert.That(F.silu(x).ToArray<float>()[3], Is.EqualTo(1.5 / (1 + Math.Exp(-1.5))).Within(1e-6));
            Assert.That(F.softplus(x).ToArray<float>()[1], Is.EqualTo(Math.Log(1 + Math.Exp(-0.5))).Within(1e-6));
            Assert.That(F.hardtanh(x).ToString(), Is.EqualTo("tensor([-1.0000, -0.5000,  0.0000,  1.0000])"));
            // GELU exact: x Φ(x); tanh form: 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))
            Assert.That(F.gelu(x).ToArray<float>()[3], Is.EqualTo(1.5 * 0.5 * (1 + global::Notebooks.Tensors.Backend.Functions.SpecialFunctions.Erf(1.5 / Math.Sqrt(2)))).Within(1e-6));
            Assert.That(F.gelu(x, approximate: "tanh").ToArray<float>()[3],
                Is.EqualTo(0.5 * 1.5 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (1.5 + 0.044715 * Math.Pow(1.5, 3))))).Within(1e-6));
        });
        // Each activation's gradient against a central difference.
        foreach (var (name, f) in new (string, Func<Tensor, Tensor>)[]
                 {
                     ("gelu", t => F.gelu(t)), ("gelu tanh", t => F.gelu(t, "tanh")), ("elu", t => F.elu(t, 0.7)),
                     ("silu", t => F.silu(t)), ("softplus", t => F.softplus(t, 2)), ("leaky", t => F.leaky_relu(t, 0.2)),
                 })
        {
            var v = torch.tensor(new[] { -1.3, -0.2, 0.4, 2.1 }, dtype: torch.float64, requires_grad: true);
            f(v).sum().backward();
            var g = v.grad!.ToArray<double>();
            var xs = v.detach().ToArray<double>();
            for (int i = 0; i < 4; i++)
            {
                double Fx(double d) { var c = (double[])xs.Clone(); c[i] += d; return f(torch.tensor(c, dtype: torch.float64)).sum().item<double>(); }
                Assert.That(g[i], Is.EqualTo((Fx(1e-6) - Fx(-1e-6)) / 2e-6).Within(1e-6), $"{name} at {xs[i]}");
            }
        }
    }

    [Test]
    public void Dropout_masks_with_bernoulli_and_scales_by_one_over_keep()
    {
        torch.manual_seed(0);
        var y = F.dropout(torch.ones(1000), p: 0.25);
        torch.manual_seed(0);
        var mask = torch.empty(1000).bernoulli_(0.75);
        Assert.That(y.equal(mask / 0.75), Is.True);
        var d = new nn.Dropout(0.25);
        d.eval();
        var x = torch.ones(4);
        Assert.That(ReferenceEquals(d.call(x), x), Is.True);
    }

    [Test]
    public void Huber_and_smooth_l1_values_reductions_and_nodes()
    {
        var x = torch.tensor(new[] { 1f, 2, 3, -1 }, requires_grad: true);
        var y = T(1.5f, 0, 3, 1);
        // Huber (delta=1): 0.5 d² for |d| < 1, |d| - 0.5 otherwise: 0.125, 1.5, 0, 1.5.
        var h = F.huber_loss(x, y);
        Assert.That(h.ToString(), Is.EqualTo("tensor(0.7812, grad_fn=<HuberLossBackward0>)"));
        Assert.That(F.huber_loss(x, y, reduction: "sum").item<float>(), Is.EqualTo(3.125f));
        // delta=2 scales the linear part: 0.125, 2·(2 - 1) = 2, 0, 2.
        Assert.That(F.huber_loss(x, y, reduction: "none", delta: 2).ToString(), Is.EqualTo("tensor([0.1250, 2.0000, 0.0000, 2.0000], grad_fn=<HuberLossBackward0>)"));
        Assert.That(new nn.HuberLoss(delta: 2).call(x, y).item<float>(), Is.EqualTo(4.125f / 4));
        // Smooth L1 with beta=2: 0.5 d²/2 below 2, |d| - 1 from there: 0.0625, 1, 0, 1.
        Assert.That(F.smooth_l1_loss(x, y, reduction: "none", beta: 2).ToString(), Is.EqualTo("tensor([0.0625, 1.0000, 0.0000, 1.0000], grad_fn=<SmoothL1LossBackward0>)"));
        Assert.That(new nn.SmoothL1Loss(beta: 2).call(x, y).item<float>(), Is.EqualTo(2.0625f / 4));
        Assert.That(F.smooth_l1_loss(x, y, beta: 0).grad_fn!.name(), Is.EqualTo("MeanBackward0"), "beta=0 is l1_loss");
        Assert.That(() => F.huber_loss(x, y, delta: 0), Throws.ArgumentException.With.Message.EqualTo("huber_loss does not support non-positive values for delta."));
        Assert.That(() => F.smooth_l1_loss(x, y, beta: -1), Throws.ArgumentException.With.Message.EqualTo("smooth_l1_loss does not support negative values for beta."));

        h.backward();
        // d/dx: d·norm inside, ±delta·norm outside, norm = 1/4.
        Assert.That(x.grad!.ToString(), Is.EqualTo("tensor([-0.1250,  0.2500,  0.0000, -0.2500])"));
    }

    /// <summary>
    /// Gradients bit for bit as PointwiseOpsKernel.cpp computes them: over the first two whole AVX2 vectors (16
    /// floats) its vector lambda, norm·(x/beta)·g for smooth L1 and norm·(±delta)·g outside Huber's band; on the
    /// remaining elements its scalar lambda, (norm·x·g)/beta and (±norm·g)·delta with beta and delta in double.
    /// The data is chosen so that the two orders give different bits on some elements.
    /// </summary>
    [Test]
    public void Backward_kernels_round_as_aten_vector_then_scalar_lambdas()
    {
        var g = new Generator().manual_seed(7);
        var input = (torch.randn(new long[] { 21 }, generator: g) * 2).requires_grad_();
        var target = torch.randn(new long[] { 21 }, generator: g);
        float[] xs = input.ToArray<float>(), ts = target.ToArray<float>();
        float norm = 1f / 21;

        double beta = 0.3;
        float bf = (float)beta;
        F.smooth_l1_loss(input, target, beta: beta).backward();
        var expected = new float[21];
        bool diffHead = false, diffTail = false;
        for (int i = 0; i < 21; i++)
        {
            float d = xs[i] - ts[i];
            float vec = norm * (MathF.Abs(d) >= bf ? (d > 0 ? 1 : -1) : d / bf) * 1f;
            float sca = d <= -beta ? -norm * 1f : d >= beta ? norm * 1f : (float)(norm * d * 1f / beta);
            expected[i] = i < 16 ? vec : sca;
            if (vec != sca) { if (i < 16) diffHead = true; else diffTail = true; }
        }
        Assert.That(input.grad!.ToArray<float>(), Is.EqualTo(expected));
        Assert.That(diffHead && diffTail, "the vector and scalar lambdas round differently on this data, in both parts");

        input.grad = null;
        double delta = 0.6;
        float df = (float)delta;
        F.huber_loss(input, target, delta: delta).backward();
        diffHead = diffTail = false;
        for (int i = 0; i < 21; i++)
        {
            float d = xs[i] - ts[i];
            float vec = norm * (MathF.Abs(d) >= df ? (d > 0 ? 1 : -1) * df : d) * 1f;
            float sca = d <= -delta ? (float)(-norm * 1f * delta) : d >= delta ? (float)(norm * 1f * delta) : norm * d * 1f;
            expected[i] = i < 16 ? vec : sca;
            if (vec != sca) { if (i < 16) diffHead = true; else diffTail = true; }
        }
        Assert.That(input.grad!.ToArray<float>(), Is.EqualTo(expected));
        Assert.That(diffHead && diffTail, "the vector and scalar lambdas round differently on this data, in both parts");
    }
}
