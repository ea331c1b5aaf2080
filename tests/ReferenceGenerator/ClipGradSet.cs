using TorchSharp;
using static TorchSharp.torch;

namespace Notebooks.ReferenceGenerator;

/// <summary>
/// torch.nn.utils.clip_grad_norm_ / clip_grad_value_ as torch/nn/utils/clip_grad.py computes them (composed here from
/// libtorch's kernels statement by statement: TorchSharp binds the C++ torch::nn::utils version, which divides in
/// double and multiplies only when the coefficient is below 1 — not what Python runs), and torch.utils.data.random_split's
/// permutations (randperm from a seeded generator). Set name "clip_grad".
/// </summary>
public class ClipGradSet : IReferenceSet
{
    public string Name => "clip_grad";

    public string About =>
        "tests/ReferenceGenerator/ClipGradSet.cs: libtorch 2.10 through TorchSharp 0.107, one thread. Parameters of shapes [3,4], [4], [2,3,2] " +
        "(dtype per case) get grad = sin(arange(numel) * 0.7 + k) * scale_k (k = parameter index, scale = 3, 0.5, 7) from backward of " +
        "sum(p * grad). clip_grad_norm_ as clip_grad.py: norms = [linalg.vector_norm(g, p)], total = linalg.vector_norm(stack(norms), p), " +
        "coef = (total + 1e-6).reciprocal() * max_norm, g.mul_(clamp(coef, max=1)). clip_grad_value_: clamp_min_(-v) then clamp_max_(v). " +
        "random_split: randperm(n, generator=Generator().manual_seed(seed)).";

    private static double[] Values(Tensor t) => t.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    private static Tensor[] Grads(ScalarType dtype)
    {
        long[][] shapes = [[3, 4], [4], [2, 3, 2]];
        double[] scales = [3, 0.5, 7];
        var grads = new Tensor[shapes.Length];
        for (int k = 0; k < shapes.Length; k++)
        {
            long n = shapes[k].Aggregate(1L, (a, b) => a * b);
            var p = torch.zeros(shapes[k], dtype).requires_grad_();
            var c = ((torch.arange(n, ScalarType.Float64) * 0.7 + k).sin() * scales[k]).to(dtype).reshape(shapes[k]);
            (p * c).sum().backward();
            grads[k] = p.grad!;
        }
        return grads;
    }

    public object Build()
    {
        torch.set_num_threads(1);
        var norm = new List<Dictionary<string, object>>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            foreach (var ord in new[] { 2.0, 1.0, double.PositiveInfinity, 3.0 })
                foreach (var maxNorm in new[] { 0.5, 1000.0 })
                {
                    var grads = Grads(dtype);
                    using var _ = torch.no_grad();
                    var norms = grads.Select(g => torch.linalg.vector_norm(g, ord)).ToArray();
                    var total = torch.linalg.vector_norm(torch.stack(norms), ord);
                    var coef = (total + 1e-6).reciprocal() * maxNorm;
                    var clamped = torch.clamp(coef, max: 1.0);
                    foreach (var g in grads) g.mul_(clamped);
                    norm.Add(new()
                    {
                        ["dtype"] = dtype == ScalarType.Float32 ? "float32" : "float64",
                        ["norm_type"] = double.IsInfinity(ord) ? "inf" : ord.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["max_norm"] = maxNorm,
                        ["total_norm"] = total.to(ScalarType.Float64).item<double>(),
                        ["grads_after"] = grads.SelectMany(Values).ToArray(),
                    });
                }
        var value = new List<Dictionary<string, object>>();
        foreach (var v in new[] { 0.25, 2.0 })
        {
            var grads = Grads(ScalarType.Float32);
            using var _ = torch.no_grad();
            foreach (var g in grads) { g.clamp_min_(-v); g.clamp_max_(v); }
            value.Add(new() { ["clip_value"] = v, ["grads_after"] = grads.SelectMany(Values).ToArray() });
        }
        var perms = new List<Dictionary<string, object>>();
        foreach (var (n, seed) in new[] { (10L, 42L), (30L, 42L), (18L, 2024L) })
        {
            var g = new Generator((ulong)seed);
            perms.Add(new() { ["n"] = n, ["seed"] = seed, ["perm"] = torch.randperm(n, generator: g).data<long>().ToArray() });
        }
        return new Dictionary<string, object> { ["clip_grad_norm"] = norm, ["clip_grad_value"] = value, ["randperm"] = perms };
    }
}
