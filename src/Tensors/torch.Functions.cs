using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// torch.xxx(tensor, …) forms of the tensor methods, and the ops that only exist at torch level (cat, stack, where).
public static partial class torch
{
    public static Tensor add(Tensor a, Tensor b, Scalar? alpha = null) => a.add(b, alpha);
    public static Tensor add(Tensor a, Scalar b, Scalar? alpha = null) => a.add(b, alpha);
    public static Tensor sub(Tensor a, Tensor b, Scalar? alpha = null) => a.sub(b, alpha);
    public static Tensor sub(Tensor a, Scalar b, Scalar? alpha = null) => a.sub(b, alpha);
    public static Tensor subtract(Tensor a, Tensor b, Scalar? alpha = null) => a.sub(b, alpha);
    public static Tensor mul(Tensor a, Tensor b) => a.mul(b);
    public static Tensor mul(Tensor a, Scalar b) => a.mul(b);
    public static Tensor multiply(Tensor a, Tensor b) => a.mul(b);
    public static Tensor div(Tensor a, Tensor b, string? rounding_mode = null) => a.div(b, rounding_mode);
    public static Tensor div(Tensor a, Scalar b, string? rounding_mode = null) => a.div(b, rounding_mode);
    public static Tensor divide(Tensor a, Tensor b, string? rounding_mode = null) => a.div(b, rounding_mode);
    public static Tensor true_divide(Tensor a, Tensor b) => a.div(b);
    public static Tensor floor_divide(Tensor a, Tensor b) => a.floor_divide(b);
    public static Tensor remainder(Tensor a, Tensor b) => a.remainder(b);
    public static Tensor remainder(Tensor a, Scalar b) => a.remainder(b);
    public static Tensor fmod(Tensor a, Tensor b) => a.fmod(b);
    public static Tensor fmod(Tensor a, Scalar b) => a.fmod(b);
    public static Tensor pow(Tensor a, Scalar e) => a.pow(e);
    public static Tensor pow(Tensor a, Tensor e) => a.pow(e);
    public static Tensor pow(Scalar a, Tensor e) => Tensor.Wrap(a, e.device).pow(e);
    public static Tensor neg(Tensor a) => a.neg();
    public static Tensor negative(Tensor a) => a.neg();
    public static Tensor square(Tensor a) => a.square();

    public static Tensor exp(Tensor a) => a.exp();
    public static Tensor exp2(Tensor a) => a.exp2();
    public static Tensor expm1(Tensor a) => a.expm1();
    public static Tensor log(Tensor a) => a.log();
    public static Tensor log2(Tensor a) => a.log2();
    public static Tensor log10(Tensor a) => a.log10();
    public static Tensor log1p(Tensor a) => a.log1p();
    public static Tensor sqrt(Tensor a) => a.sqrt();
    public static Tensor rsqrt(Tensor a) => a.rsqrt();
    public static Tensor reciprocal(Tensor a) => a.reciprocal();
    public static Tensor abs(Tensor a) => a.abs();
    public static Tensor sign(Tensor a) => a.sign();
    public static Tensor sin(Tensor a) => a.sin();
    public static Tensor cos(Tensor a) => a.cos();
    public static Tensor tan(Tensor a) => a.tan();
    public static Tensor asin(Tensor a) => a.asin();
    public static Tensor acos(Tensor a) => a.acos();
    public static Tensor atan(Tensor a) => a.atan();
    public static Tensor atan2(Tensor a, Tensor b) => a.atan2(b);
    public static Tensor sinh(Tensor a) => a.sinh();
    public static Tensor cosh(Tensor a) => a.cosh();
    public static Tensor tanh(Tensor a) => a.tanh();
    public static Tensor sigmoid(Tensor a) => a.sigmoid();
    /// <summary>max(x, 0) element-wise.</summary>
    public static Tensor relu(Tensor a) => a.relu();
    public static Tensor erf(Tensor a) => a.erf();
    public static Tensor erfc(Tensor a) => a.erfc();
    public static Tensor floor(Tensor a) => a.floor();
    public static Tensor ceil(Tensor a) => a.ceil();
    public static Tensor round(Tensor a, int decimals = 0) => a.round(decimals);
    public static Tensor trunc(Tensor a) => a.trunc();
    public static Tensor frac(Tensor a) => a.frac();
    public static Tensor clamp(Tensor a, Scalar? min = null, Scalar? max = null) => a.clamp(min, max);
    public static Tensor clamp(Tensor a, Tensor? min = null, Tensor? max = null) => a.clamp(min, max);
    public static Tensor clip(Tensor a, Scalar? min = null, Scalar? max = null) => a.clamp(min, max);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor lerp(Tensor a, Tensor end, Scalar weight) => a.lerp(end, weight);
    public static Tensor lerp(Tensor a, Tensor end, Tensor weight) => a.lerp(end, weight);

    public static Tensor eq(Tensor a, Tensor b) => a.eq(b);
    public static Tensor ne(Tensor a, Tensor b) => a.ne(b);
    public static Tensor lt(Tensor a, Tensor b) => a.lt(b);
    public static Tensor le(Tensor a, Tensor b) => a.le(b);
    public static Tensor gt(Tensor a, Tensor b) => a.gt(b);
    public static Tensor ge(Tensor a, Tensor b) => a.ge(b);
    public static bool equal(Tensor a, Tensor b) => a.equal(b);
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) => a.allclose(b, rtol, atol, equal_nan);
    public static Tensor isclose(Tensor a, Tensor b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) => a.isclose(b, rtol, atol, equal_nan);
    public static Tensor logical_and(Tensor a, Tensor b) => a.logical_and(b);
    public static Tensor logical_or(Tensor a, Tensor b) => a.logical_or(b);
    public static Tensor logical_xor(Tensor a, Tensor b) => a.logical_xor(b);
    public static Tensor logical_not(Tensor a) => a.logical_not();
    public static Tensor bitwise_and(Tensor a, Tensor b) => a.bitwise_and(b);
    public static Tensor bitwise_or(Tensor a, Tensor b) => a.bitwise_or(b);
    public static Tensor bitwise_xor(Tensor a, Tensor b) => a.bitwise_xor(b);
    public static Tensor bitwise_not(Tensor a) => a.bitwise_not();
    public static Tensor isnan(Tensor a) => a.isnan();
    public static Tensor isinf(Tensor a) => a.isinf();
    public static Tensor isfinite(Tensor a) => a.isfinite();

    public static Tensor sum(Tensor a, DType? dtype = null) => a.sum(dtype);
    public static Tensor sum(Tensor a, int dim, bool keepdim = false, DType? dtype = null) => a.sum(dim, keepdim, dtype);
    public static Tensor sum(Tensor a, long[] dim, bool keepdim = false, DType? dtype = null) => a.sum(dim, keepdim, dtype);
    public static Tensor mean(Tensor a, DType? dtype = null) => a.mean(dtype);
    public static Tensor mean(Tensor a, int dim, bool keepdim = false, DType? dtype = null) => a.mean(dim, keepdim, dtype);
    public static Tensor mean(Tensor a, long[] dim, bool keepdim = false, DType? dtype = null) => a.mean(dim, keepdim, dtype);
    public static Tensor prod(Tensor a, DType? dtype = null) => a.prod(dtype);
    public static Tensor prod(Tensor a, int dim, bool keepdim = false) => a.prod(dim, keepdim);
    public static Tensor max(Tensor a) => a.max();
    public static ValuesIndices max(Tensor a, int dim, bool keepdim = false) => a.max(dim, keepdim);
    public static Tensor max(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor min(Tensor a) => a.min();
    public static ValuesIndices min(Tensor a, int dim, bool keepdim = false) => a.min(dim, keepdim);
    public static Tensor min(Tensor a, Tensor b) => a.minimum(b);
    /// <summary>The index of the largest value, over all elements (flattened) or along dim.</summary>
    public static Tensor argmax(Tensor a, int? dim = null, bool keepdim = false) => a.argmax(dim, keepdim);
    public static Tensor argmin(Tensor a, int? dim = null, bool keepdim = false) => a.argmin(dim, keepdim);
    public static Tensor amax(Tensor a, long[]? dim = null, bool keepdim = false) => a.amax(dim, keepdim);
    public static Tensor amin(Tensor a, long[]? dim = null, bool keepdim = false) => a.amin(dim, keepdim);
    public static Tensor std(Tensor a, long[]? dim = null, double correction = 1, bool keepdim = false) => a.std(dim, correction, keepdim);
    public static Tensor std(Tensor a, int dim, bool unbiased = true, bool keepdim = false) => a.std(dim, unbiased, keepdim);
    public static Tensor var(Tensor a, long[]? dim = null, double correction = 1, bool keepdim = false) => a.var(dim, correction, keepdim);
    public static Tensor var(Tensor a, int dim, bool unbiased = true, bool keepdim = false) => a.var(dim, unbiased, keepdim);
    public static (Tensor, Tensor) var_mean(Tensor a, long[]? dim = null, double correction = 1, bool keepdim = false) => a.var_mean(dim, correction, keepdim);
    public static (Tensor, Tensor) var_mean(Tensor a, int dim, bool unbiased = true, bool keepdim = false) => a.var_mean(dim, unbiased, keepdim);
    public static (Tensor, Tensor) std_mean(Tensor a, long[]? dim = null, double correction = 1, bool keepdim = false) => a.std_mean(dim, correction, keepdim);
    public static (Tensor, Tensor) std_mean(Tensor a, int dim, bool unbiased = true, bool keepdim = false) => a.std_mean(dim, unbiased, keepdim);
    public static Tensor norm(Tensor a, double p = 2, long[]? dim = null, bool keepdim = false) => a.norm(p, dim, keepdim);
    public static Tensor all(Tensor a) => a.all();
    public static Tensor any(Tensor a) => a.any();
    public static Tensor cumsum(Tensor a, int dim, DType? dtype = null) => a.cumsum(dim, dtype);
    public static Tensor cumprod(Tensor a, int dim, DType? dtype = null) => a.cumprod(dim, dtype);
    public static Tensor logsumexp(Tensor a, int dim, bool keepdim = false) => a.logsumexp(dim, keepdim);
    /// <summary>exp(x) normalised to sum to 1 along dim.</summary>
    public static Tensor softmax(Tensor a, int dim, DType? dtype = null) => a.softmax(dim, dtype);
    public static Tensor log_softmax(Tensor a, int dim, DType? dtype = null) => a.log_softmax(dim, dtype);

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor mv(Tensor a, Tensor v) => a.mv(v);
    public static Tensor dot(Tensor a, Tensor b) => a.dot(b);
    public static Tensor inner(Tensor a, Tensor b) => a.inner(b);
    public static Tensor outer(Tensor a, Tensor b) => a.outer(b);
    public static Tensor trace(Tensor a) => a.trace();
    public static Tensor diag(Tensor a, long diagonal = 0) => a.diag(diagonal);
    public static Tensor diagonal(Tensor a, long offset = 0, int dim1 = 0, int dim2 = 1) => a.diagonal(offset, dim1, dim2);
    public static Tensor tril(Tensor a, long diagonal = 0) => a.tril(diagonal);
    public static Tensor triu(Tensor a, long diagonal = 0) => a.triu(diagonal);

    /// <summary>The same elements in a new shape (one size may be -1); a view when the strides allow, else a copy.</summary>
    public static Tensor reshape(Tensor a, params long[] shape) => a.reshape(shape);
    /// <summary>Merges the dims from start_dim to end_dim into one.</summary>
    public static Tensor flatten(Tensor a, int start_dim = 0, int end_dim = -1) => a.flatten(start_dim, end_dim);
    public static Tensor ravel(Tensor a) => a.ravel();
    /// <summary>Removes size-1 dims (all of them, or only dim).</summary>
    public static Tensor squeeze(Tensor a) => a.squeeze();
    /// <summary>Removes size-1 dims (all of them, or only dim).</summary>
    public static Tensor squeeze(Tensor a, int dim) => a.squeeze(dim);
    /// <summary>Inserts a size-1 dim at position dim.</summary>
    public static Tensor unsqueeze(Tensor a, int dim) => a.unsqueeze(dim);
    /// <summary>A view with dims d0 and d1 swapped.</summary>
    public static Tensor transpose(Tensor a, int d0, int d1) => a.transpose(d0, d1);
    public static Tensor swapaxes(Tensor a, int d0, int d1) => a.transpose(d0, d1);
    public static Tensor swapdims(Tensor a, int d0, int d1) => a.transpose(d0, d1);
    public static Tensor t(Tensor a) => a.t();
    public static Tensor permute(Tensor a, params long[] dims) => a.permute(dims);
    public static Tensor movedim(Tensor a, int source, int destination) => a.movedim(source, destination);
    public static Tensor narrow(Tensor a, int dim, long start, long length) => a.narrow(dim, start, length);
    public static Tensor select(Tensor a, int dim, long index) => a.select(dim, index);
    public static Tensor[] unbind(Tensor a, int dim = 0) => a.unbind(dim);
    public static Tensor[] split(Tensor a, long split_size, int dim = 0) => a.split(split_size, dim);
    public static Tensor[] split(Tensor a, long[] split_sizes, int dim = 0) => a.split(split_sizes, dim);
    public static Tensor[] chunk(Tensor a, int chunks, int dim = 0) => a.chunk(chunks, dim);
    public static Tensor flip(Tensor a, params long[] dims) => a.flip(dims);
    public static Tensor roll(Tensor a, long shifts, int? dims = null) => a.roll(shifts, dims);
    public static Tensor roll(Tensor a, long[] shifts, long[] dims) => a.roll(shifts, dims);
    public static Tensor clone(Tensor a) => a.clone();
    public static Tensor broadcast_to(Tensor a, params long[] shape) => a.expand(shape);
    public static long[] broadcast_shapes(params long[][] shapes)
    {
        long[] r = [];
        foreach (var s in shapes) r = Shapes.Broadcast(r, s);
        return r;
    }

    /// <summary>Joins tensors along an existing dim, with PyTorch's size checks and messages.</summary>
    public static Tensor cat(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // Legacy rule: 1-D empty tensors are skipped.
        Tensor? reference = null;
        foreach (var t in tensors) if (!(t._shape.Length == 1 && t._shape[0] == 0)) { reference = t; break; }
        if (reference is null) return tensors[0].clone();
        int nd = reference._shape.Length;
        if (nd == 0) throw new ArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shapes.WrapDim(dim, nd);
        var dt = Promotion.ResultType(tensors);
        long total = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i];
            if (t._shape.Length == 1 && t._shape[0] == 0) continue;
            if (t._shape.Length != nd)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {nd} and {t._shape.Length}");
            for (int k = 0; k < nd; k++)
                if (k != d && t._shape[k] != reference._shape[k])
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {d}. Expected size {reference._shape[k]} but got size {t._shape[k]} for tensor number {i} in the list.");
            Tensor.CheckSameDevice(reference, t);
            total += t._shape[d];
        }
        var shape = (long[])reference._shape.Clone(); shape[d] = total;
        var r = Tensor.Empty(shape, dt, reference.device);
        long at = 0;
        foreach (var t in tensors)
        {
            if (t._shape.Length == 1 && t._shape[0] == 0) continue;
            var n = t._shape[d];
            r.Kernels.Copy(t.Buffer, r.Narrowed(d, at, at + n, 1).Buffer);
            at += n;
        }
        if (!GradMode.ShouldRecord(tensors)) return r;
        var sizes = Array.ConvertAll(tensors, t => t._shape.Length == 1 && t._shape[0] == 0 ? 0 : t._shape[d]);
        return Derivatives.Cat.Record(r, tensors, scalar: d, ints: sizes);
    }

    public static Tensor concat(Tensor[] tensors, int dim = 0) => cat(tensors, dim);
    public static Tensor concatenate(Tensor[] tensors, int dim = 0) => cat(tensors, dim);

    /// <summary>Joins equal-shaped tensors along a new dim.</summary>
    public static Tensor stack(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        for (int i = 1; i < tensors.Length; i++)
            if (!Shapes.SameShape(tensors[i]._shape, tensors[0]._shape))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got [{string.Join(", ", tensors[0]._shape)}] at entry 0 and [{string.Join(", ", tensors[i]._shape)}] at entry {i}");
        int d = Shapes.WrapDim(dim, tensors[0]._shape.Length + 1, scalarAsOne: false);
        Tensor r;
        using (no_grad()) r = cat(Array.ConvertAll(tensors, t => t.unsqueeze(d)), d);
        return GradMode.ShouldRecord(tensors) ? Derivatives.Stack.Record(r, tensors, scalar: d) : r;
    }

    public static Tensor hstack(Tensor[] tensors) => tensors[0]._shape.Length == 1 ? cat(tensors, 0) : cat(tensors, 1);
    public static Tensor vstack(Tensor[] tensors) => cat(Array.ConvertAll(tensors, t => t._shape.Length == 1 ? t.unsqueeze(0) : t), 0);

    /// <summary>Picks from <paramref name="input"/> where the condition holds, else from <paramref name="other"/>.</summary>
    public static Tensor where(Tensor condition, Tensor input, Tensor other)
    {
        if (!condition.dtype.IsBool) throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {Tensor.DTypeTitle(condition.dtype)}");
        var dt = Promotion.ResultType(input, other);
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition._shape, input._shape), other._shape);
        var r = Tensor.Empty(shape, dt, input._shape.Length == 0 && input.is_cpu ? other.device : input.device);
        r.Kernels.Where(condition.ExpandRaw(shape).Buffer, input.CastRaw(dt).ExpandRaw(shape).Buffer, other.CastRaw(dt).ExpandRaw(shape).Buffer, r.Buffer);
        return Derivatives.Where.Record(r, [input, other], [condition]);
    }

    public static Tensor where(Tensor condition, Tensor input, Scalar other) => where(condition, input, Tensor.Wrap(other, input.device));
    public static Tensor where(Tensor condition, Scalar input, Tensor other) => where(condition, Tensor.Wrap(input, other.device), other);
    public static Tensor where(Tensor condition, Scalar input, Scalar other) => where(condition, Tensor.Wrap(input), Tensor.Wrap(other));
}
