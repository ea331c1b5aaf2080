// Shared by the NUnit parity suite and the src/GpuCheck console program (compiled into both): public API only.
namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>One computation run on two devices; every tensor it returns (outputs, gradients) must agree.</summary>
public sealed record ParityCase(string Name, Func<Device, Tensor[]> Run, double Tolerance = 1e-5)
{
    public override string ToString() => Name;
}

public static class ParityCases
{
    private static readonly DType[] Floats = [torch.float32, torch.float64];

    /// <summary>Deterministic inputs made on the CPU generator, then moved.</summary>
    private static Tensor R(Device d, DType dt, params long[] shape)
    {
        torch.manual_seed(shape.Sum() * 7 + shape.Length);
        return torch.randn(shape, torch.float64).to(dt).to(d);
    }

    private static Tensor Positive(Device d, DType dt, params long[] shape) => R(d, torch.float64, shape).abs().add(0.5).to(dt);

    private static Tensor Ints(Device d, DType dt, params long[] shape)
    {
        torch.manual_seed(shape.Sum() + 3);
        return torch.randint(-20, 20, shape, torch.int64).to(dt).to(d);
    }

    private static Tensor Leaf(Tensor t) => t.detach().requires_grad_();

    /// <summary>Forward and backward of <paramref name="f"/>: its output and the gradient of every input.</summary>
    private static Tensor[] WithGrads(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var leaves = inputs.Select(Leaf).ToArray();
        var y = f(leaves);
        y.sum().backward();
        return [y.detach(), .. leaves.Select(l => l.grad!)];
    }

    public static IEnumerable<ParityCase> All()
    {
        // ---- element-wise unary, forward and backward, contiguous and transposed ----
        var unary = new (string name, Func<Tensor, Tensor> f, bool positive, bool grad)[]
        {
            ("neg", x => x.neg(), false, true), ("abs", x => x.abs(), false, true), ("exp", x => x.exp(), false, true),
            ("log", x => x.log(), true, true), ("sqrt", x => x.sqrt(), true, true), ("rsqrt", x => x.rsqrt(), true, true),
            ("sin", x => x.sin(), false, true), ("cos", x => x.cos(), false, true), ("tanh", x => x.tanh(), false, true),
            ("sigmoid", x => x.sigmoid(), false, true), ("erf", x => x.erf(), false, true), ("erfc", x => x.erfc(), false, false),
            ("expm1", x => x.expm1(), false, true), ("log1p", x => x.log1p(), true, true), ("reciprocal", x => x.reciprocal(), true, true),
            ("atan", x => x.atan(), false, true), ("sinh", x => x.sinh(), false, true), ("square", x => x.square(), false, true),
            ("floor", x => x.floor(), false, false), ("ceil", x => x.ceil(), false, false), ("round", x => x.mul(2.5).round(), false, false),
            ("trunc", x => x.trunc(), false, false), ("frac", x => x.frac(), false, false), ("sign", x => x.sign(), false, false),
            ("relu", x => x.relu(), false, true), ("exp2", x => x.exp2(), false, false), ("log2", x => x.log2(), true, false),
        };
        foreach (var dt in Floats)
            foreach (var (name, f, positive, grad) in unary)
            {
                yield return new($"{name} {dt} contiguous", d =>
                {
                    var x = positive ? Positive(d, dt, 3, 4) : R(d, dt, 3, 4);
                    return grad ? WithGrads(v => f(v[0]), x) : [f(x)];
                });
                yield return new($"{name} {dt} transposed", d =>
                {
                    var x = (positive ? Positive(d, dt, 4, 3) : R(d, dt, 4, 3)).t();
                    return grad ? WithGrads(v => f(v[0]), x) : [f(x)];
                });
            }

        // ---- element-wise binary with broadcasting ----
        var binary = new (string name, Func<Tensor, Tensor, Tensor> f, bool grad)[]
        {
            ("add", (a, b) => a.add(b), true), ("sub", (a, b) => a.sub(b), true), ("mul", (a, b) => a.mul(b), true),
            ("div", (a, b) => a.div(b), true), ("pow", (a, b) => a.abs().add(0.1).pow(b), true), ("maximum", (a, b) => a.maximum(b), true),
            ("minimum", (a, b) => a.minimum(b), true), ("atan2", (a, b) => a.atan2(b), true), ("remainder", (a, b) => a.remainder(b), false),
            ("fmod", (a, b) => a.fmod(b), false), ("floor_divide", (a, b) => a.floor_divide(b), false),
            ("eq", (a, b) => a.eq(a.mul(b.gt(0))), false), ("lt", (a, b) => a.lt(b), false), ("ge", (a, b) => a.ge(b), false),
            ("logical_xor", (a, b) => a.gt(0).logical_xor(b.gt(0)), false),
        };
        foreach (var dt in Floats)
            foreach (var (name, f, grad) in binary)
            {
                yield return new($"{name} {dt} broadcast [3,1]x[1,4]", d =>
                {
                    var a = R(d, dt, 3, 1); var b = R(d, dt, 1, 4).add(0.25);
                    return grad ? WithGrads(v => f(v[0], v[1]), a, b) : [f(a, b)];
                });
                yield return new($"{name} {dt} transposed x scalar", d =>
                {
                    var a = R(d, dt, 4, 3).t(); var b = torch.tensor(0.75, dt).to(d);
                    return grad ? WithGrads(v => f(v[0], v[1]), a, b) : [f(a, b)];
                });
            }
        yield return new("add float32 + python scalar (CPU 0-dim)", d => [R(d, torch.float32, 2, 3).add(2.5).mul(3)]);

        // ---- integers and bool ----
        foreach (var dt in new[] { torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8 })
        {
            yield return new($"int arithmetic {dt}", d =>
            {
                var a = Ints(d, dt, 3, 4); var b = Ints(d, dt, 4).add(25).to(dt);
                return [a.add(b), a.sub(b), a.mul(b), a.floor_divide(b), a.remainder(b), a.fmod(b), a.maximum(b), a.neg(), a.abs(), a.eq(b), a.lt(b)];
            }, 0);
            yield return new($"int bitwise {dt}", d =>
            {
                var a = Ints(d, dt, 3, 4).abs(); var b = Ints(d, dt, 4).abs().remainder(5).to(dt);
                return [a.bitwise_and(b), a.bitwise_or(b), a.bitwise_xor(b), a.bitwise_not(), a.bitwise_left_shift(b), a.bitwise_right_shift(b)];
            }, 0);
        }
        yield return new("int64 pow and sum/prod/max", d =>
        {
            var a = Ints(d, torch.int64, 2, 3).remainder(4);
            return [a.pow(a.abs()), a.sum(), a.sum(1), a.prod(0), a.max(), a.min(1).values, a.min(1).indices, a.cumsum(1), a.cumprod(0)];
        }, 0);
        yield return new("bool ops", d =>
        {
            var a = R(d, torch.float32, 3, 4).gt(0); var b = R(d, torch.float32, 4).lt(0.3);
            return [a.logical_and(b), a.logical_or(b), a.logical_not(), a.bitwise_not(), a.add(b), a.mul(b), a.all(), a.any(1), a.sum(), a.eq(b)];
        }, 0);

        // ---- dtype casts (copy kernels) ----
        var all = new[] { torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.@bool };
        foreach (var from in all)
            yield return new($"cast from {from}", d =>
            {
                var x = R(d, torch.float64, 2, 5).mul(40).to(from);
                return all.Select(to => x.t().to(to)).ToArray();
            }, 0);
        yield return new("half/bfloat16 arithmetic through float", d =>
        {
            var a = R(d, torch.float16, 3, 4); var b = R(d, torch.bfloat16, 3, 4);
            return [a.mul(a).add(1).exp(), b.sigmoid().mul(3), a.sum(1), b.cumsum(0), a.to(torch.float32).matmul(b.to(torch.float32).t()).half()];
        }, 1e-2);

        // ---- where, reductions, scans ----
        foreach (var dt in Floats)
        {
            yield return new($"where {dt}", d => WithGrads(v => torch.where(v[0].gt(v[1]), v[0], v[1].mul(2)), R(d, dt, 3, 4), R(d, dt, 4)));
            yield return new($"sum/mean dims {dt}", d => WithGrads(v => v[0].sum([0L, 2L], keepdim: true).add(v[0].mean(1, keepdim: true)), R(d, dt, 2, 3, 4)));
            yield return new($"sum all transposed {dt}", d => WithGrads(v => v[0].t().sum().mul(v[0].t().mean()), R(d, dt, 4, 3)));
            yield return new($"long full and partial reductions (two-pass) {dt}", d =>
            {
                var x = R(d, dt, 3, 6000);
                return [x.sum(), x.t().sum(0, keepdim: true), x.abs().max(), x.min(), x.gt(-5).all(), x.gt(5).any(), x.sum(1), .. WithGrads(v => v[0].mean(), x)];
            }, dt == torch.float32 ? 1e-4 : 1e-10);
            yield return new($"prod {dt}", d => WithGrads(v => v[0].prod(1), Positive(d, dt, 3, 4)));
            yield return new($"max/min dim with indices {dt}", d =>
            {
                var x = R(d, dt, 3, 5);
                var (mv, mi) = x.max(1); var (nv, ni) = x.t().min(0, keepdim: true);
                return [mv, mi, nv, ni, x.argmax(), x.amax(0), .. WithGrads(v => v[0].max(0).values, x)];
            });
            yield return new($"max with NaN {dt}", d =>
            {
                var x = R(d, dt, 2, 4).log();
                return [x.max(1).values, x.max(1).indices, x.min(), x.isnan()];
            });
            yield return new($"all/any {dt}", d => { var x = R(d, dt, 3, 4).gt(-0.5); return [x.all(), x.all(1), x.any(0), x.to(dt).all()]; }, 0);
            yield return new($"cumsum/cumprod {dt}", d => WithGrads(v => v[0].cumsum(1).add(v[0].cumprod(0)), R(d, dt, 3, 4)));
            yield return new($"softmax/log_softmax/logsumexp {dt}", d => WithGrads(v => v[0].softmax(1).mul(v[0].log_softmax(0)).add(v[0].logsumexp(1, keepdim: true)), R(d, dt, 3, 5)));
            yield return new($"var/std/norm {dt}", d => WithGrads(v => v[0].var(1).add(v[0].std(0).sum()).add(v[0].norm()), R(d, dt, 3, 4)));
        }

        // ---- matmul ----
        foreach (var dt in Floats)
        {
            yield return new($"mm {dt}", d => WithGrads(v => v[0].matmul(v[1]), R(d, dt, 5, 7), R(d, dt, 7, 3)), 1e-4);
            yield return new($"mm transposed operands {dt}", d => WithGrads(v => v[0].t().matmul(v[1].t()), R(d, dt, 7, 5), R(d, dt, 3, 7)), 1e-4);
            yield return new($"bmm broadcast batch {dt}", d => WithGrads(v => v[0].matmul(v[1]), R(d, dt, 2, 3, 4), R(d, dt, 4, 6)), 1e-4);
            yield return new($"mv/dot {dt}", d => WithGrads(v => v[0].mv(v[1]).dot(v[2]), R(d, dt, 4, 3), R(d, dt, 3), R(d, dt, 4)), 1e-4);
            yield return new($"mm 20x18x17 (ragged tiles) {dt}", d => [R(d, dt, 20, 18).matmul(R(d, dt, 18, 17))], 1e-4);
        }

        // ---- layouts the cuBLAS planner handles differently (on a GPU these run through cuBLAS; CI runs the ILGPU kernel) ----
        foreach (var dt in Floats)
        {
            yield return new($"bmm transposed batches, padded and strided operands {dt}", d =>
            {
                var a = R(d, dt, 3, 4, 10).narrow(2, 1, 6);
                var b = R(d, dt, 3, 12, 5)[TensorIndex.Ellipsis, torch.slice(null, null, 2), ..];
                var bt = R(d, dt, 3, 5, 6).transpose(1, 2);
                return [a.matmul(b), a.matmul(bt), R(d, dt, 4, 3, 6).transpose(0, 1).matmul(bt), .. WithGrads(v => v[0].matmul(v[1]), a, b)];
            }, 1e-4);
        }
        foreach (var dt in new[] { torch.float16, torch.bfloat16 })
            yield return new($"matmul {dt} (cuBLAS GemmEx on a GPU)", d =>
            {
                var a = R(d, torch.float32, 2, 6, 8).to(dt); var b = R(d, torch.float32, 8, 5).to(dt);
                return [a.matmul(b), a.transpose(1, 2).matmul(a)];
            }, 2e-2);
        yield return new("matmul float32 with allow_tf32 (TF32 on a GPU: 10-bit mantissa products)", d =>
        {
            var before = torch.backends.cuda.matmul.allow_tf32;
            torch.backends.cuda.matmul.allow_tf32 = true;
            try { return [R(d, torch.float32, 3, 40, 30).matmul(R(d, torch.float32, 30, 20))]; }
            finally { torch.backends.cuda.matmul.allow_tf32 = before; }
        }, 1e-2);

        // ---- a small training step: linear + tanh + MSE, gradients of weight and bias ----
        yield return new("mlp training step float32", d =>
        {
            var x = R(d, torch.float32, 8, 4); var w = R(d, torch.float32, 3, 4); var b = R(d, torch.float32, 3); var t = R(d, torch.float32, 8, 3);
            var res = WithGrads(v => v[0].matmul(v[1].t()).add(v[2]).tanh().sub(v[3]).square().mean(), x, w, b, t);
            return res;
        }, 1e-4);

        // ---- views and in-place ----
        yield return new("in-place ops on views", d =>
        {
            var x = R(d, torch.float32, 4, 5).clone();
            x.t().narrow(0, 1, 2).mul_(3);
            x.select(0, 2).add_(1);
            x.clamp_(-1, 1);
            return [x, x.flip(1), x.roll(1, 0), x.tril(), x.diagonal(), x.permute(1, 0).contiguous()];
        });
        yield return new("gather/index_select/cat", d =>
        {
            var x = R(d, torch.float32, 3, 4);
            var idx = torch.tensor(new long[] { 2, 0, 1 }).to(d);
            return [x.index_select(0, idx), torch.cat([x, x.mul(2)], 1), torch.stack([x, x], 0)];
        });
        foreach (var c in IndexingCases()) yield return c;
        yield return new("copy_ across devices and zeros/ones/arange/full/eye on device", d =>
        {
            var y = torch.zeros([2, 3], device: d);
            y.copy_(torch.ones(2, 3).mul(4));
            return [y, torch.ones([2, 2], device: d), torch.arange(0, 6, 1, device: d), torch.full([2, 2], 3.5, device: d), torch.eye(3, device: d)];
        }, 0);
    }

    private static Tensor Longs(Device d, params long[] v) => torch.tensor(v).to(d);

    /// <summary>Index kernels: gather/scatter, index_select, advanced get/set, masks, take, nonzero — values and gradients.</summary>
    private static IEnumerable<ParityCase> IndexingCases()
    {
        foreach (var dt in Floats)
        {
            yield return new($"gather dims 0 and 1, transposed input {dt}", d =>
            {
                var i0 = torch.tensor(new long[,] { { 2, 0, 1 }, { 1, 3, 0 } }).to(d);
                var i1 = torch.tensor(new long[,] { { 0, 2 }, { 1, 1 }, { 2, 0 }, { 0, 0 } }).to(d);
                return WithGrads(v => v[0].t().gather(0, i0).sum().add(v[0].gather(1, i1.t().contiguous().t()[..3])), R(d, dt, 3, 4));
            });
            yield return new($"scatter/scatter_add with duplicates {dt}", d =>
            {
                var idx = torch.tensor(new long[,] { { 0, 1, 2, 0 }, { 2, 2, 0, 1 } }).to(d);
                return WithGrads(v => v[0].scatter_add(0, idx, v[1]).mul(v[0].scatter(0, idx.flip(1).remainder(3).to(torch.int64)[..1], v[1][..1])), R(d, dt, 3, 4), R(d, dt, 2, 4));
            });
            yield return new($"scatter value and in-place scatter_add_ {dt}", d =>
            {
                var idx = torch.tensor(new long[,] { { 3 }, { 0 }, { 1 } }).to(d);
                var x = R(d, dt, 3, 4).clone();
                x.scatter_add_(1, idx, R(d, dt, 3, 1));
                return [x.scatter(1, idx, 7.5), x];
            });
            yield return new($"index_select with repeats {dt}", d =>
                WithGrads(v => v[0].index_select(0, Longs(d, 2, 0, 2, 1)).add(v[0].index_select(1, torch.tensor(new[] { 3, 3, 0, 1 }).to(d)).sum()), R(d, dt, 3, 4)));
            yield return new($"advanced get: x[idx], x[:, idx], x[i, j] broadcast, negative {dt}", d =>
                WithGrads(v =>
                {
                    var x = v[0];
                    var a = x[Longs(d, 1, -1, 0, 1)];
                    var b = x[.., Longs(d, 4, 0, -2)];
                    var c = x[torch.tensor(new long[,] { { 0 }, { 2 } }).to(d), Longs(d, 1, 3, 3)];
                    return a.sum(1).sum().add(b.sum()).add(c.mul(c).sum());
                }, R(d, dt, 3, 5, 2)));
            yield return new($"advanced get, separated indices move to the front {dt}", d =>
                WithGrads(v => v[0][Longs(d, 0, 2), .., Longs(d, 1, 0)].mul(2), R(d, dt, 3, 4, 2)));
            yield return new($"index_put and x[idx] = v, accumulate sums duplicates {dt}", d =>
                WithGrads(v =>
                {
                    var put = v[0].index_put([Longs(d, 2, 0, 2, 2)], v[1], accumulate: true);
                    var y = v[0].mul(1);
                    y[Longs(d, 1, -3)] = v[1][..2];
                    return put.add(y);
                }, R(d, dt, 3, 4), R(d, dt, 4, 4)));
            yield return new($"masks: x[mask], x[mask] = 0, masked_fill, masked_select, masked_scatter {dt}", d =>
                WithGrads(v =>
                {
                    var x = v[0];
                    var mask = x.detach().gt(0);
                    var picked = x[mask];
                    var y = x.mul(1);
                    y[mask] = 0;
                    var z = x.masked_fill(mask.logical_not(), -1.5);
                    var sel = x.masked_select(mask.select(0, 1));
                    var sc = x.masked_scatter(mask, v[1]);
                    return torch.cat([picked, y.flatten(), z.flatten(), sel, sc.flatten()]);
                }, R(d, dt, 4, 5), R(d, dt, 20)));
            yield return new($"index_add with repeats and alpha {dt}", d =>
                WithGrads(v => v[0].index_add(1, Longs(d, 3, 0, 3), v[1], alpha: 2.5).add(v[0].index_add(0, Longs(d, 1, 1), v[2])), R(d, dt, 3, 4), R(d, dt, 3, 3), R(d, dt, 2, 4)));
            yield return new($"take with negatives {dt}", d =>
                WithGrads(v => v[0].t().take(torch.tensor(new long[,] { { -1, 0 }, { 5, 5 } }).to(d)), R(d, dt, 3, 4)));
        }
        yield return new("nonzero, as_tuple, argwhere, empty mask", d =>
        {
            var x = R(d, torch.float32, 3, 4, 5).gt(0.3);
            return [x.nonzero(), .. x.nonzero(as_tuple: true), torch.argwhere(x.transpose(0, 2)), torch.zeros([3, 2], device: d).nonzero(), x.flatten().nonzero()];
        }, 0);
        // Only advanced indexing takes a CPU index on a device tensor; index_select refuses one (CudaIndexingTests).
        yield return new("CPU index tensor on a device tensor", d =>
        {
            var x = R(d, torch.float32, 4, 3);
            return [x[torch.tensor(new long[] { 3, 0 })], x[.., torch.tensor(new long[] { 2, 2 })]];
        }, 0);
        var all = new[] { torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.@bool };
        foreach (var dt in all)
            yield return new($"index ops on {dt} (accumulate on sub-word types)", d =>
            {
                var x = R(d, torch.float64, 5, 6).mul(10).to(dt);
                var idx = Longs(d, 4, 1, 4, 0, 4, 1);
                var two = torch.tensor(new long[,] { { 0, 5, 1 }, { 2, 2, 2 } }).to(d);
                var vals = R(d, torch.float64, 6, 6).mul(3).to(dt);
                return [x[idx], x.gather(1, two.repeat(3, 1)[..5]), x.index_put([idx], vals, accumulate: true),
                        x.index_put([Longs(d, 4, 1, 0)], vals[..3]), x.scatter_add(0, two.remainder(5), vals[..2]), x.index_add(0, Longs(d, 4, 4, 2), vals[..3, ..6]), x.take(Longs(d, 29, 0, 7)),
                        x[x.ne(x[0, 0])], x.nonzero()];
            }, dt == torch.float16 || dt == torch.bfloat16 ? 1e-2 : 0);
    }

    /// <summary>Runs a case on the CPU and on <paramref name="device"/>; null when they agree, else what differs.</summary>
    public static string? Compare(ParityCase c, Device device)
    {
        var want = c.Run(torch.device("cpu"));
        var got = c.Run(device);
        if (want.Length != got.Length) return $"{got.Length} results, expected {want.Length}";
        for (int i = 0; i < want.Length; i++)
        {
            var w = want[i]; var g = got[i];
            if (g.device != device) return $"result {i} is on {g.device}, expected {device}";
            if (g.dtype != w.dtype) return $"result {i} has dtype {g.dtype}, expected {w.dtype}";
            if (!g.shape.SequenceEqual(w.shape)) return $"result {i} has shape [{string.Join(", ", g.shape)}], expected [{string.Join(", ", w.shape)}]";
            var wv = w.to(torch.float64).ToArray<double>();
            var gv = g.cpu().to(torch.float64).ToArray<double>();
            for (int j = 0; j < wv.Length; j++)
            {
                double a = wv[j], b = gv[j];
                if (double.IsNaN(a) && double.IsNaN(b)) continue;
                if (a == b) continue;
                if (Math.Abs(a - b) <= c.Tolerance * (1 + Math.Abs(a))) continue;
                return $"result {i} element {j}: cuda {b:R}, cpu {a:R}";
            }
        }
        return null;
    }
}
