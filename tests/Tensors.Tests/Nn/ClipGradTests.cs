using System.Text.Json.Nodes;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// torch.nn.utils.clip_grad_norm_ / clip_grad_value_ / get_total_norm (torch/nn/utils/clip_grad.py) against libtorch's
/// kernels composed as that file composes them (tests/ReferenceGenerator/ClipGradSet.cs): bit for bit, since every
/// step is one ATen kernel with a fixed order (vector_norm per gradient, vector_norm of the stacked norms,
/// reciprocal, multiply, clamp, mul_).
/// </summary>
public class ClipGradTests
{
    private static JsonNode Reference => JsonNode.Parse(File.ReadAllText(ReferenceData.File("torch_clip_grad.json")))!["cases"]!;

    /// <summary>The generator's parameters: shapes [3,4], [4], [2,3,2], grad = sin(arange(n)·0.7 + k)·scale_k.</summary>
    private static Tensor[] Parameters(DType dtype)
    {
        long[][] shapes = [[3, 4], [4], [2, 3, 2]];
        double[] scales = [3, 0.5, 7];
        var ps = new Tensor[shapes.Length];
        for (int k = 0; k < shapes.Length; k++)
        {
            long n = shapes[k].Aggregate(1L, (a, b) => a * b);
            var p = torch.zeros(shapes[k], dtype: dtype).requires_grad_();
            var c = ((torch.arange(n, dtype: torch.float64) * 0.7 + k).sin() * scales[k]).to(dtype).reshape(shapes[k]);
            (p * c).sum().backward();
            ps[k] = p;
        }
        return ps;
    }

    private static double[] Flat(IEnumerable<Tensor> ps) => ps.SelectMany(p => p.grad!.to(torch.float64).reshape(-1).ToArray<double>()).ToArray();

    [Test]
    public void Clip_grad_norm_matches_libtorch_for_every_norm_type_dtype_and_max_norm()
    {
        var cases = Reference["clip_grad_norm"]!.AsArray();
        Assert.That(cases, Has.Count.EqualTo(16));
        var wrong = new List<string>();
        foreach (var c in cases)
        {
            var dtype = c!["dtype"]!.GetValue<string>() == "float32" ? torch.float32 : torch.float64;
            var ord = c["norm_type"]!.GetValue<string>() == "inf" ? double.PositiveInfinity : double.Parse(c["norm_type"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            var maxNorm = c["max_norm"]!.GetValue<double>();
            var ps = Parameters(dtype);
            var total = torch.nn.utils.clip_grad_norm_(ps, maxNorm, ord);
            var what = $"{dtype} p={ord} max_norm={maxNorm}";
            Assert.That(total.dtype, Is.EqualTo(dtype), what);
            Assert.That(total.requires_grad, Is.False, what);
            if (total.to(torch.float64).item<double>() != c["total_norm"]!.GetValue<double>()) wrong.Add($"{what}: total {total.to(torch.float64).item<double>():R} vs {c["total_norm"]!.GetValue<double>():R}");
            if (!Flat(ps).SequenceEqual(c["grads_after"]!.AsArray().Select(v => v!.GetValue<double>()))) wrong.Add($"{what}: grads");
        }
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void A_large_max_norm_leaves_gradients_unchanged_and_a_small_one_scales_them_to_it()
    {
        var ps = Parameters(torch.float64);
        var before = Flat(ps);
        var total = torch.nn.utils.clip_grad_norm_(ps, 1e6).item<double>();
        Assert.That(Flat(ps), Is.EqualTo(before), "clamped to 1: multiplied by exactly 1");
        Assert.That(total, Is.EqualTo(Math.Sqrt(before.Sum(v => v * v))).Within(1e-12).Percent);
        torch.nn.utils.clip_grad_norm_(ps, 2.0);
        Assert.That(torch.nn.utils.get_total_norm(ps.Select(p => p.grad!)).item<double>(), Is.EqualTo(2.0).Within(1e-5));
    }

    [Test]
    public void Parameters_without_grad_are_skipped_and_nothing_to_clip_gives_zero()
    {
        var a = torch.ones(3, requires_grad: true);
        var b = torch.ones(2, requires_grad: true);
        (a * 4).sum().backward();
        var total = torch.nn.utils.clip_grad_norm_([a, b], 1.0);
        Assert.That(total.item<float>(), Is.EqualTo(MathF.Sqrt(48)));
        Assert.That(b.grad, Is.Null);
        // _get_total_norm: an empty list is torch.tensor(0.0).
        var none = torch.nn.utils.clip_grad_norm_(new List<Tensor> { b }, 1.0);
        Assert.That(none.ToString(), Is.EqualTo("tensor(0.)"));
    }

    [Test]
    public void A_model_parameters_generator_is_clipped_and_an_empty_one_warns()
    {
        torch.manual_seed(0);
        var model = new torch.nn.Linear(4, 2);
        model.call(torch.randn(3, 4) * 100).sum().backward();
        var total = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1);
        Assert.That(total.item<float>(), Is.GreaterThan(0.1f));
        Assert.That(torch.nn.utils.get_total_norm(model.parameters().Select(p => p.grad!)).item<float>(), Is.EqualTo(0.1f).Within(1e-6f));
        // clip_grad.py warns (stacklevel 3) when a generator yields nothing; an empty list is silent.
        static IEnumerable<Tensor> Nothing() { yield break; }
        Assert.That(StdErr.Of(() => torch.nn.utils.clip_grad_norm_(Nothing(), 1.0)),
            Does.Contain("UserWarning: `parameters` is an empty generator, no gradient clipping will occur."));
        Assert.That(StdErr.Of(() => torch.nn.utils.clip_grad_norm_(new List<Tensor>(), 1.0)), Is.Empty);
    }

    [Test]
    public void Non_finite_norm_raises_only_when_asked_in_pytorchs_words()
    {
        var p = torch.ones(2, requires_grad: true);
        (p * float.PositiveInfinity).sum().backward();
        var ex = Assert.Throws<InvalidOperationException>(() => torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite: true));
        Assert.That(ex!.Message, Is.EqualTo("The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. " +
            "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"));
        // Without the check the gradients are scaled by the non-finite coefficient: max_norm / (inf + 1e-6) = 0, inf·0 = nan.
        var total = torch.nn.utils.clip_grad_norm_([p], 1.0);
        Assert.That(float.IsPositiveInfinity(total.item<float>()));
        Assert.That(p.grad!.isnan().all().item<bool>());
    }

    [Test]
    public void Clip_grad_value_matches_libtorch_and_keeps_nan()
    {
        foreach (var c in Reference["clip_grad_value"]!.AsArray())
        {
            var ps = Parameters(torch.float32);
            torch.nn.utils.clip_grad_value_(ps, c!["clip_value"]!.GetValue<double>());
            Assert.That(Flat(ps), Is.EqualTo(c["grads_after"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()));
        }
        var p = torch.zeros(3, requires_grad: true);
        (p * torch.tensor(new[] { float.NaN, -5f, 0.5f })).sum().backward();
        torch.nn.utils.clip_grad_value_(p, 1.0);
        Assert.That(p.grad!.ToString(), Is.EqualTo("tensor([    nan, -1.0000,  0.5000])"));
    }

    [Test]
    public void Clipping_records_no_graph_and_the_deprecated_name_warns()
    {
        var p = torch.ones(2, requires_grad: true);
        (p * 3).sum().backward();
        p.grad!.requires_grad_();
        var err = StdErr.Of(() => torch.nn.utils.clip_grad_norm([p], 1.0));
        Assert.That(err, Does.Contain("FutureWarning: `torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`."));
        Assert.That(p.grad!.grad_fn, Is.Null, "clip_grad.py runs under no_grad");
    }

    [Test]
    public void Parameters_to_vector_and_back()
    {
        var a = torch.arange(6, dtype: torch.float32).reshape(2, 3).requires_grad_();
        var b = torch.tensor(new[] { 10f, 11f }).requires_grad_();
        var v = torch.nn.utils.parameters_to_vector([a, b]);
        Assert.That(v.ToString(), Is.EqualTo("tensor([ 0.,  1.,  2.,  3.,  4.,  5., 10., 11.], grad_fn=<CatBackward0>)"));
        torch.nn.utils.vector_to_parameters(torch.arange(8, dtype: torch.float32) - 7, [a, b]);
        Assert.That(a.ToString(), Is.EqualTo("tensor([[-7., -6., -5.],\n        [-4., -3., -2.]], requires_grad=True)"));
        Assert.That(b.ToString(), Is.EqualTo("tensor([-1.,  0.], requires_grad=True)"));
    }
}
