namespace Notebooks.Tensors;

// The out= forms of torch functions (Python's `torch.add(a, b, out=c)` is `torch.add(a, b, @out: c)`): the result is
// written into `out`'s memory and `out` is returned. The rules they share (no autograd, castable dtype, resize with
// PyTorch's warning) are OutArgument's, in Ops/Tensor.Out.cs. `out` is C#'s keyword, hence the @.
public static partial class torch
{
    // Element-wise: TensorIterator also refuses an out that partially overlaps an input.
    private static Tensor Pointwise(string op, Tensor @out, Func<Tensor> compute, Tensor a, Tensor? b = null)
    {
        OutArgument.RefuseGrad(op, @out, b is null ? [a] : [a, b]);
        MemoryOverlap.CheckElementwise(@out, a);
        if (b is not null) MemoryOverlap.CheckElementwise(@out, b);
        return OutArgument.Into(op, @out, compute, a);
    }

    /// <summary>input + alpha·other, written into <paramref name="out"/>.</summary>
    public static Tensor add(Tensor input, Tensor other, Tensor @out, Scalar? alpha = null) => Pointwise("add", @out, () => input.add(other, alpha), input, other);
    /// <summary>input + alpha·other for a number, written into <paramref name="out"/>.</summary>
    public static Tensor add(Tensor input, Scalar other, Tensor @out, Scalar? alpha = null) => Pointwise("add", @out, () => input.add(other, alpha), input);
    /// <summary>input - alpha·other, written into <paramref name="out"/>.</summary>
    public static Tensor sub(Tensor input, Tensor other, Tensor @out, Scalar? alpha = null) => Pointwise("sub", @out, () => input.sub(other, alpha), input, other);
    /// <summary>input - alpha·other for a number, written into <paramref name="out"/>.</summary>
    public static Tensor sub(Tensor input, Scalar other, Tensor @out, Scalar? alpha = null) => Pointwise("sub", @out, () => input.sub(other, alpha), input);
    /// <summary>Element-wise product, written into <paramref name="out"/>.</summary>
    public static Tensor mul(Tensor input, Tensor other, Tensor @out) => Pointwise("mul", @out, () => input.mul(other), input, other);
    /// <summary>Product with a number, written into <paramref name="out"/>.</summary>
    public static Tensor mul(Tensor input, Scalar other, Tensor @out) => Pointwise("mul", @out, () => input.mul(other), input);
    /// <summary>Element-wise quotient (rounding_mode null, "trunc" or "floor"), written into <paramref name="out"/>.</summary>
    public static Tensor div(Tensor input, Tensor other, Tensor @out, string? rounding_mode = null) => Pointwise("div", @out, () => input.div(other, rounding_mode), input, other);
    /// <summary>Quotient by a number, written into <paramref name="out"/>.</summary>
    public static Tensor div(Tensor input, Scalar other, Tensor @out, string? rounding_mode = null) => Pointwise("div", @out, () => input.div(other, rounding_mode), input);
    /// <summary>input raised to a number, written into <paramref name="out"/>.</summary>
    public static Tensor pow(Tensor input, Scalar exponent, Tensor @out) => Pointwise("pow", @out, () => input.pow(exponent), input);
    /// <summary>input raised to exponent element-wise, written into <paramref name="out"/>.</summary>
    public static Tensor pow(Tensor input, Tensor exponent, Tensor @out) => Pointwise("pow", @out, () => input.pow(exponent), input, exponent);
    /// <summary>Element-wise maximum, written into <paramref name="out"/>.</summary>
    public static Tensor maximum(Tensor input, Tensor other, Tensor @out) => Pointwise("maximum", @out, () => input.maximum(other), input, other);
    /// <summary>Element-wise minimum, written into <paramref name="out"/>.</summary>
    public static Tensor minimum(Tensor input, Tensor other, Tensor @out) => Pointwise("minimum", @out, () => input.minimum(other), input, other);
    /// <summary>Clamps into [min, max], written into <paramref name="out"/>.</summary>
    public static Tensor clamp(Tensor input, Tensor @out, Scalar? min = null, Scalar? max = null) => Pointwise("clamp", @out, () => input.clamp(min, max), input);
    /// <summary>Element-wise input == other (bool), written into <paramref name="out"/>.</summary>
    public static Tensor eq(Tensor input, Tensor other, Tensor @out) => Pointwise("eq", @out, () => input.eq(other), input, other);
    /// <summary>Element-wise input &gt; other (bool), written into <paramref name="out"/>.</summary>
    public static Tensor gt(Tensor input, Tensor other, Tensor @out) => Pointwise("gt", @out, () => input.gt(other), input, other);
    /// <summary>Element-wise input &lt; other (bool), written into <paramref name="out"/>.</summary>
    public static Tensor lt(Tensor input, Tensor other, Tensor @out) => Pointwise("lt", @out, () => input.lt(other), input, other);

    /// <summary>e^x, written into <paramref name="out"/>.</summary>
    public static Tensor exp(Tensor input, Tensor @out) => Pointwise("exp", @out, input.exp, input);
    /// <summary>Natural logarithm, written into <paramref name="out"/>.</summary>
    public static Tensor log(Tensor input, Tensor @out) => Pointwise("log", @out, input.log, input);
    /// <summary>Square root, written into <paramref name="out"/>.</summary>
    public static Tensor sqrt(Tensor input, Tensor @out) => Pointwise("sqrt", @out, input.sqrt, input);
    /// <summary>Absolute value, written into <paramref name="out"/>.</summary>
    public static Tensor abs(Tensor input, Tensor @out) => Pointwise("abs", @out, input.abs, input);
    /// <summary>Negation, written into <paramref name="out"/>.</summary>
    public static Tensor neg(Tensor input, Tensor @out) => Pointwise("neg", @out, input.neg, input);
    /// <summary>Sine, written into <paramref name="out"/>.</summary>
    public static Tensor sin(Tensor input, Tensor @out) => Pointwise("sin", @out, input.sin, input);
    /// <summary>Cosine, written into <paramref name="out"/>.</summary>
    public static Tensor cos(Tensor input, Tensor @out) => Pointwise("cos", @out, input.cos, input);
    /// <summary>Hyperbolic tangent, written into <paramref name="out"/>.</summary>
    public static Tensor tanh(Tensor input, Tensor @out) => Pointwise("tanh", @out, input.tanh, input);
    /// <summary>Logistic sigmoid, written into <paramref name="out"/>.</summary>
    public static Tensor sigmoid(Tensor input, Tensor @out) => Pointwise("sigmoid", @out, input.sigmoid, input);

    /// <summary>Matrix product with matmul's broadcasting rules, written into <paramref name="out"/>.</summary>
    public static Tensor matmul(Tensor input, Tensor other, Tensor @out) => OutArgument.Into("matmul", @out, () => input.matmul(other), input, other);
    /// <summary>(n×m)·(m×p) product, written into <paramref name="out"/>.</summary>
    public static Tensor mm(Tensor input, Tensor mat2, Tensor @out) => OutArgument.Into("mm", @out, () => input.mm(mat2), input, mat2);
    /// <summary>Batched (b×n×m)·(b×m×p) product, written into <paramref name="out"/>.</summary>
    public static Tensor bmm(Tensor input, Tensor mat2, Tensor @out) => OutArgument.Into("bmm", @out, () => input.bmm(mat2), input, mat2);
    /// <summary>Matrix-vector product, written into <paramref name="out"/>.</summary>
    public static Tensor mv(Tensor input, Tensor vec, Tensor @out) => OutArgument.Into("mv", @out, () => input.mv(vec), input, vec);

    /// <summary>Sum over <paramref name="dim"/>, computed in out's dtype unless <paramref name="dtype"/> is given (then they must agree).</summary>
    public static Tensor sum(Tensor input, int dim, Tensor @out, bool keepdim = false, DType? dtype = null) =>
        sum(input, [(long)dim], @out, keepdim, dtype);
    /// <summary>Sum over several dims, computed in out's dtype unless <paramref name="dtype"/> is given (then they must agree).</summary>
    public static Tensor sum(Tensor input, long[] dim, Tensor @out, bool keepdim = false, DType? dtype = null)
    {
        // ReduceOps.cpp sum.IntList_out: the dtype comes from the result when none is given.
        if (dtype is { } d) OutArgument.RequireDType(@out, d);
        return OutArgument.Into("sum", @out, () => input.sum(dim, keepdim, dtype ?? @out.dtype), input);
    }

    /// <summary>Mean over <paramref name="dim"/>, computed in out's dtype (a floating one) unless <paramref name="dtype"/> is given.</summary>
    public static Tensor mean(Tensor input, int dim, Tensor @out, bool keepdim = false, DType? dtype = null) =>
        mean(input, [(long)dim], @out, keepdim, dtype);
    /// <summary>Mean over several dims, computed in out's dtype (a floating one) unless <paramref name="dtype"/> is given.</summary>
    public static Tensor mean(Tensor input, long[] dim, Tensor @out, bool keepdim = false, DType? dtype = null)
    {
        if (dtype is { } d) OutArgument.RequireDType(@out, d);
        // ReduceOps.cpp mean.dim: the input (or dtype) must be floating; the sum then runs in out's dtype and the
        // division into an integral out is refused by its cast check.
        var dt = dtype ?? (input.dtype.is_floating_point && @out.dtype.is_floating_point ? @out.dtype : null);
        return OutArgument.Into("mean", @out, () => input.mean(dim, keepdim, dt), input);
    }

    /// <summary>Maximum along <paramref name="dim"/> with its index, written into out's (values, indices).</summary>
    public static ValuesIndices max(Tensor input, int dim, (Tensor values, Tensor indices) @out, bool keepdim = false) =>
        ValuesIndicesInto("max", input, @out, () => input.max(dim, keepdim));
    /// <summary>Minimum along <paramref name="dim"/> with its index, written into out's (values, indices).</summary>
    public static ValuesIndices min(Tensor input, int dim, (Tensor values, Tensor indices) @out, bool keepdim = false) =>
        ValuesIndicesInto("min", input, @out, () => input.min(dim, keepdim));

    private static ValuesIndices ValuesIndicesInto(string op, Tensor input, (Tensor values, Tensor indices) @out, Func<ValuesIndices> compute)
    {
        OutArgument.RefuseGrad(op, @out.values, input, @out.indices);
        // TensorCompare.cpp's meta sets values with the input's options and indices as int64 (structured resize_out).
        OutArgument.RequireDType(@out.values, input.dtype);
        OutArgument.RequireDType(@out.indices, int64);
        ValuesIndices r;
        using (no_grad()) r = compute();
        OutArgument.Write(@out.values, r.values);
        OutArgument.Write(@out.indices, r.indices);
        return new ValuesIndices(op, @out.values, @out.indices);
    }

    /// <summary>Cumulative sum along <paramref name="dim"/>, written into <paramref name="out"/>.</summary>
    public static Tensor cumsum(Tensor input, int dim, Tensor @out, DType? dtype = null)
    {
        if (dtype is { } d) OutArgument.RequireDType(@out, d);
        return OutArgument.Into("cumsum", @out, () => input.cumsum(dim, dtype ?? @out.dtype), input);
    }

    /// <summary>Joins tensors along <paramref name="dim"/>, written into <paramref name="out"/>.</summary>
    public static Tensor cat(Tensor[] tensors, Tensor @out, int dim = 0) => OutArgument.Into("cat", @out, () => cat(tensors, dim), tensors);
    /// <summary>Stacks equal-shaped tensors along a new <paramref name="dim"/>, written into <paramref name="out"/>.</summary>
    public static Tensor stack(Tensor[] tensors, Tensor @out, int dim = 0) => OutArgument.Into("stack", @out, () => stack(tensors, dim), tensors);
}
