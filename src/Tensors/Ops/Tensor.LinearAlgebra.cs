using D = Notebooks.Tensors.Autograd.Derivatives;
using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// matmul with PyTorch's rank rules, and mm, bmm, mv, dot, outer, trace, diag, tril, triu.
public sealed partial class Tensor
{
    /// <summary>Raw batched product of [B,M,K]·[B,K,N] views.</summary>
    internal static Tensor BmmRaw(Tensor a, Tensor b)
    {
        CheckSameDevice(a, b);
        // The GEMMs write every output element (the first K block stores, later ones add), so no zeroing is needed.
        var r = EmptyForWrite([a._shape[0], a._shape[1], b._shape[2]], a.dtype, a.device);
        r.Kernels.Matmul(a.Buffer, b.Buffer, r.Buffer);
        return r;
    }

    private void CheckMatmulTypes(Tensor other, string op)
    {
        if (dtype != other.dtype)
            throw new InvalidOperationException($"expected m1 and m2 to have the same dtype, but got: {DTypeTitle(dtype).ToLowerInvariant() switch { "float" => "float", "double" => "double", "long" => "long int", "int" => "int", var s => s }} != {DTypeTitle(other.dtype).ToLowerInvariant() switch { "float" => "float", "double" => "double", "long" => "long int", "int" => "int", var s => s }}");
        if (dtype.IsBool) throw new NotSupportedException($"\"{op}\" not implemented for 'Bool'");
    }

    /// <summary>Matrix product of two 2-D tensors, (n×m)·(m×p).</summary>
    public Tensor mm(Tensor mat2)
    {
        if (_shape.Length != 2) throw new ArgumentException("self must be a matrix");
        if (mat2._shape.Length != 2) throw new ArgumentException("mat2 must be a matrix");
        if (_shape[1] != mat2._shape[0])
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({_shape[0]}x{_shape[1]} and {mat2._shape[0]}x{mat2._shape[1]})");
        CheckMatmulTypes(mat2, "addmm_impl_cpu_");
        Tensor? r = null;
        if (HostMemory.IsHost(Buffer) && HostMemory.IsHost(mat2.Buffer) && dtype.Kind is ScalarType.Float32 or ScalarType.Float64)
        {
            // The same [1,M,K]·[1,K,N] product BmmRaw would run, stated by strides instead of three 3-d views.
            var d = EmptyForWrite([_shape[0], mat2._shape[1]], dtype, Device.CPU);
            if (d.Kernels.TryMatmul2D(Buffer, mat2.Buffer, d.Buffer)) r = d;
        }
        if (r is null)
        {
            var a = new Tensor(_storage, [1, _shape[0], _shape[1]], [0, _strides[0], _strides[1]], _offset);
            var b = new Tensor(mat2._storage, [1, mat2._shape[0], mat2._shape[1]], [0, mat2._strides[0], mat2._strides[1]], mat2._offset);
            var r3 = BmmRaw(a, b);
            r = new Tensor(r3._storage, [_shape[0], mat2._shape[1]], [mat2._shape[1], 1], 0);
        }
        return D.Mm.Record(r, this, mat2);
    }

    public Tensor bmm(Tensor mat2)
    {
        if (_shape.Length != 3) throw new ArgumentException("batch1 must be a 3D tensor");
        if (mat2._shape.Length != 3) throw new ArgumentException("batch2 must be a 3D tensor");
        if (_shape[0] != mat2._shape[0] || _shape[2] != mat2._shape[1])
            throw new ArgumentException(_shape[0] != mat2._shape[0]
                ? $"Expected size for first two dimensions of batch2 tensor to be: [{_shape[0]}, {_shape[2]}] but got: [{mat2._shape[0]}, {mat2._shape[1]}]."
                : $"Expected size for first two dimensions of batch2 tensor to be: [{_shape[0]}, {_shape[2]}] but got: [{mat2._shape[0]}, {mat2._shape[1]}].");
        CheckMatmulTypes(mat2, "bmm");
        var r = BmmRaw(this, mat2);
        return D.Bmm.Record(r, this, mat2);
    }

    public Tensor mv(Tensor vec)
    {
        if (_shape.Length != 2 || vec._shape.Length != 1)
            throw new ArgumentException($"vector + matrix @ vector expected, got 1, {_shape.Length}, {vec._shape.Length}");
        if (_shape[1] != vec._shape[0])
            throw new ArgumentException($"size mismatch, got input ({_shape[0]}), mat ({_shape[0]}x{_shape[1]}), vec ({vec._shape[0]})");
        CheckMatmulTypes(vec, "addmm_impl_cpu_");
        CheckSameDevice(this, vec);
        // mm(vec.unsqueeze(1)).squeeze(1) without the views: the same [1,M,K]·[1,K,1] product, written into r.
        long m = _shape[0], k = _shape[1];
        var r = EmptyForWrite([m], dtype, device);
        if (!(dtype == vec.dtype && dtype == r.dtype && r.Kernels.TryMatmul2D(Buffer, vec.Buffer, r.Buffer)))
        {
            var a3 = new Tensor(_storage, [1, m, k], [0, _strides[0], _strides[1]], _offset);
            var b3 = new Tensor(vec._storage, [1, k, 1], [0, vec._strides[0], 1], vec._offset);
            var d3 = new Tensor(r._storage, [1, m, 1], [m, 1, 1], 0);
            r.Kernels.Matmul(a3.Buffer, b3.Buffer, d3.Buffer);
        }
        return D.Mv.Record(r, this, vec);
    }

    public Tensor dot(Tensor other)
    {
        if (_shape.Length != 1 || other._shape.Length != 1)
            throw new ArgumentException($"1D tensors expected, but got {_shape.Length}D and {other._shape.Length}D tensors");
        if (_shape[0] != other._shape[0])
            throw new ArgumentException($"inconsistent tensor size, expected tensor [{_shape[0]}] and src [{other._shape[0]}] to have the same number of elements, but got {_shape[0]} and {other._shape[0]} elements respectively");
        if (dtype != other.dtype)
            throw new InvalidOperationException($"dot : expected both vectors to have same dtype, but found {DTypeTitle(dtype)} and {DTypeTitle(other.dtype)}");
        Tensor r;
        using (torch.no_grad()) r = (this * other).sum();
        return D.Dot.Record(r, this, other);
    }

    public Tensor inner(Tensor other) => _shape.Length == 1 && other._shape.Length == 1 ? dot(other) : matmul(other.mT);

    public Tensor outer(Tensor vec2) => unsqueeze(1) * vec2.unsqueeze(0);
    public Tensor ger(Tensor vec2) => outer(vec2);

    /// <summary>PyTorch's matmul: dot, mv, mm, or a broadcast batched product depending on the ranks.</summary>
    public Tensor matmul(Tensor other)
    {
        int da = _shape.Length, db = other._shape.Length;
        if (da == 0 || db == 0)
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D");
        if (da == 1 && db == 1) return dot(other);
        if (da == 2 && db == 1) return mv(other);
        if (da == 1 && db == 2)
        {
            // PyTorch computes this as unsqueeze(0).mm(other).squeeze_(0): the in-place squeeze_.dim is SqueezeBackward4.
            var mm1 = unsqueeze(0).mm(other);
            var r1 = new Tensor(mm1._storage, [mm1._shape[1]], [mm1._strides[1]], mm1._offset, mm1._version);
            return D.SqueezeInPlace.Record(r1, mm1);
        }
        if (da == 2 && db == 2) return mm(other);

        // Batched: promote 1-D operands, broadcast batch dims, fold into [B, M, K]·[B, K, N].
        var a = da == 1 ? unsqueeze(0) : this;
        var b = db == 1 ? other.unsqueeze(-1) : other;
        long m = a._shape[^2], k = a._shape[^1], k2 = b._shape[^2], n = b._shape[^1];
        if (k != k2)
        {
            throw new ArgumentException(da == 1 || db == 1 && false
                ? $"size mismatch"
                : $"Expected size for first two dimensions of batch2 tensor to be: [{Shapes.Numel(a._shape.AsSpan(0, a._shape.Length - 2))}, {k}] but got: [{Shapes.Numel(b._shape.AsSpan(0, b._shape.Length - 2))}, {k2}].");
        }
        var batchA = a._shape[..^2]; var batchB = b._shape[..^2];
        var batch = Shapes.Broadcast(batchA, batchB);
        long bsz = Shapes.Numel(batch);
        var ea = a.expand([.. batch, m, k]).reshape(bsz, m, k);
        var eb = b.expand([.. batch, k, n]).reshape(bsz, k, n);
        var r = ea.bmm(eb).view([.. batch, m, n]);
        if (da == 1) r = r.squeeze(-2);
        if (db == 1) r = r.squeeze(-1);
        return r;
    }

    public static Tensor operator ^(Tensor a, Scalar b) => a.bitwise_xor(b);

    public Tensor trace()
    {
        if (_shape.Length != 2) throw new ArgumentException("trace: expected a matrix, but got tensor with dim " + _shape.Length);
        return diagonal().sum();
    }

    /// <summary>The diagonal as a view (offset &gt; 0 above, &lt; 0 below).</summary>
    public Tensor diagonal(long offset = 0, int dim1 = 0, int dim2 = 1)
    {
        int n = _shape.Length, a = Shapes.WrapDim(dim1, n), b = Shapes.WrapDim(dim2, n);
        long len = offset >= 0 ? Math.Max(0, Math.Min(_shape[a], _shape[b] - offset)) : Math.Max(0, Math.Min(_shape[a] + offset, _shape[b]));
        long off = _offset + (len == 0 ? 0 : offset >= 0 ? offset * _strides[b] : -offset * _strides[a]);
        var shape = new List<long>(); var strides = new List<long>();
        for (int i = 0; i < n; i++) if (i != a && i != b) { shape.Add(_shape[i]); strides.Add(_strides[i]); }
        shape.Add(len); strides.Add(_strides[a] + _strides[b]);
        var v = MakeView(shape.ToArray(), strides.ToArray(), off, t => t.diagonal(offset, dim1, dim2));
        return GradMode.ShouldRecord(this) ? D.Diagonal.Record(v, this, ints: [offset, a, b]) : v;
    }

    /// <summary>Copies <paramref name="src"/> onto the diagonal of a copy of this tensor (differentiable).</summary>
    public Tensor diagonal_scatter(Tensor src, long offset = 0, int dim1 = 0, int dim2 = 1)
    {
        var mask = torch.zeros_like(this, dtype: torch.@bool);
        using (torch.no_grad()) mask.diagonal(offset, dim1, dim2).CopyFromRaw(Wrap(true));
        var placed = torch.zeros_like(this, dtype: src.dtype);
        Tensor spread;
        using (torch.no_grad()) { placed.diagonal(offset, dim1, dim2).CopyFromRaw(src); spread = placed; }
        if (GradMode.ShouldRecord(src)) D.DiagonalScatter.Record(spread, src, ints: [offset, dim1, dim2]);
        return torch.where(mask, spread, this);
    }

    /// <summary>diag: a 1-D input becomes a diagonal matrix; a 2-D input gives its diagonal (a copy).</summary>
    public Tensor diag(long diagonal = 0)
    {
        if (_shape.Length == 1)
        {
            long n = _shape[0] + Math.Abs(diagonal);
            var z = torch.zeros([n, n], dtype: dtype, device: device);
            return z.diagonal_scatter(this, diagonal);
        }
        if (_shape.Length == 2) return this.diagonal(diagonal).clone();
        throw new ArgumentException("diag(): Supports 1D or 2D tensors. Got " + _shape.Length + "D");
    }

    public Tensor tril(long diagonal = 0) => TriangleMask(diagonal, lower: true);
    public Tensor triu(long diagonal = 0) => TriangleMask(diagonal, lower: false);

    private Tensor TriangleMask(long diagonal, bool lower)
    {
        if (_shape.Length < 2) throw new ArgumentException($"{(lower ? "tril" : "triu")}: input tensor must have at least 2 dimensions");
        long r = _shape[^2], c = _shape[^1];
        var rows = torch.arange(r, device: device).unsqueeze(1);
        var cols = torch.arange(c, device: device).unsqueeze(0);
        var keep = lower ? (cols - rows).le(diagonal) : (cols - rows).ge(diagonal);
        return torch.where(keep, this, torch.zeros_like(this));
    }
}
