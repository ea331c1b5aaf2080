using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

// gather / scatter / index_select: index arithmetic on int64 index tensors, done on the host.
public sealed partial class Tensor
{
    /// <summary>Visits every position of <paramref name="shape"/> in row-major order with its multi-index.</summary>
    private static void ForEachIndex(long[] shape, Action<long[], long> visit)
    {
        var n = Shapes.Numel(shape);
        var idx = new long[shape.Length];
        for (long flat = 0; flat < n; flat++)
        {
            visit(idx, flat);
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }

    private static long[] IndexValues(Tensor index)
    {
        if (index.dtype != DType.Int64)
            throw new ArgumentException($"gather(): Expected dtype int64 for index");
        return index.ToArray<long>();
    }

    /// <summary>out[i][j] = self[index[i][j]][j] (for dim 0), as torch.gather.</summary>
    public Tensor gather(int dim, Tensor index)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var idx = IndexValues(index);
        var src = ContiguousRaw().CastRaw(DType.Float64).ToArray<double>();
        var srcStrides = Shapes.ContiguousStrides(_shape);
        var outv = new double[idx.Length];
        ForEachIndex(index._shape, (pos, flat) =>
        {
            long off = 0;
            for (int k = 0; k < pos.Length; k++)
            {
                long p = k == d ? idx[flat] : pos[k];
                if (k == d && (p < -_shape[d] || p >= _shape[d]))
                    throw new IndexOutOfRangeException($"index {p} is out of bounds for dimension {d} with size {_shape[d]}");
                if (p < 0) p += _shape[k];
                off += p * srcStrides[k];
            }
            outv[flat] = src[off];
        });
        var r = torch.empty(index._shape, dtype, device);
        torch.UploadConverted(r, outv);
        if (GradMode.ShouldRecord(this))
        {
            var shape = _shape;
            r.WithGrad(new IndexBackward("GatherBackward0", this, index, (g, ix) => torch.zeros(shape, dtype: g.dtype, device: g.device).scatter_add(d, ix, g)));
        }
        return r;
    }

    /// <summary>A copy of self with self[index[i][j]][j] = src[i][j] (dim 0), as torch.scatter.</summary>
    public Tensor scatter(int dim, Tensor index, Tensor src) => ScatterImpl(dim, index, src, add: false);
    public Tensor scatter(int dim, Tensor index, Scalar value) => ScatterImpl(dim, index, torch.full(index._shape, value, dtype: dtype), add: false);
    public Tensor scatter_add(int dim, Tensor index, Tensor src) => ScatterImpl(dim, index, src, add: true);

    private Tensor ScatterImpl(int dim, Tensor index, Tensor src, bool add)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var idx = IndexValues(index);
        var outv = ContiguousRaw().CastRaw(DType.Float64).ToArray<double>();
        var sv = src.CastRaw(DType.Float64).ContiguousRaw().ToArray<double>();
        var srcStrides = Shapes.ContiguousStrides(src._shape);
        var selfStrides = Shapes.ContiguousStrides(_shape);
        ForEachIndex(index._shape, (pos, flat) =>
        {
            long off = 0, soff = 0;
            for (int k = 0; k < pos.Length; k++)
            {
                long p = k == d ? idx[flat] : pos[k];
                if (k == d && (p < -_shape[d] || p >= _shape[d]))
                    throw new IndexOutOfRangeException($"index {p} is out of bounds for dimension {d} with size {_shape[d]}");
                if (p < 0) p += _shape[k];
                off += p * selfStrides[k];
                soff += pos[k] * srcStrides[k];
            }
            outv[off] = add ? outv[off] + sv[soff] : sv[soff];
        });
        var r = torch.empty(_shape, dtype, device);
        torch.UploadConverted(r, outv);
        if (GradMode.ShouldRecord(this, src))
            r.WithGrad(new ScatterBackward(add ? "ScatterAddBackward0" : "ScatterBackward0", this, src, index, d, add));
        return r;
    }

    public Tensor index_select(int dim, Tensor index)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        if (index._shape.Length > 1) throw new ArgumentException("index_select(): Index is supposed to be a vector");
        var ix = index.to(DType.Int64).reshape(-1);
        var parts = new List<Tensor>();
        foreach (var i in ix.ToArray<long>()) parts.Add(select(d, i).unsqueeze(d));
        if (parts.Count == 0)
        {
            var shape = (long[])_shape.Clone(); shape[d] = 0;
            return torch.empty(shape, dtype, device);
        }
        return torch.cat(parts.ToArray(), d);
    }
}

internal sealed class IndexBackward : Node
{
    private readonly string _name;
    private readonly Tensor _index;
    private readonly Func<Tensor, Tensor, Tensor> _formula;
    public IndexBackward(string name, Tensor x, Tensor index, Func<Tensor, Tensor, Tensor> formula) : base([x])
    {
        _name = name; _index = index; _formula = formula;
    }
    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g) => [_formula(g[0]!, _index)];
}

internal sealed class ScatterBackward : Node
{
    private readonly string _name;
    private readonly Tensor _index;
    private readonly int _dim;
    private readonly bool _add;
    public ScatterBackward(string name, Tensor self, Tensor src, Tensor index, int dim, bool add) : base([self, src])
    {
        _name = name; _index = index; _dim = dim; _add = add;
    }
    public override string name() => _name;
    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var gr = g[0]!;
        // scatter overwrites: the old values at scattered positions get no gradient.
        Tensor? gs = NeedsGrad(0) ? (_add ? gr : gr.scatter(_dim, _index, 0)) : null;
        Tensor? gsrc = NeedsGrad(1) ? gr.gather(_dim, _index) : null;
        return [gs, gsrc];
    }
}
