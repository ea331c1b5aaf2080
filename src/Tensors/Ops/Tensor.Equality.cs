namespace Notebooks.Tensors;

// Python's Tensor.__eq__/__ne__/__bool__/__hash__: == and != compare element-wise and give a bool tensor, a tensor in
// a condition is its one value, and identity (Equals, GetHashCode) stays the object's, as Python's hash is id-based.
public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise equality, a bool tensor (<c>torch.eq</c>): <c>(pred.argmax(1) == y).sum()</c> counts matches.
    /// Against <c>null</c> (Python's <c>t == None</c>) it is a 0-dim bool tensor of whether both are the same object,
    /// so <c>if (t == null)</c> still works; <c>t is null</c> says it without making a tensor.
    /// </summary>
    public static Tensor operator ==(Tensor? a, Tensor? b) =>
        a is null || b is null ? torch.tensor(ReferenceEquals(a, b)) : a.eq(b);

    /// <summary>Element-wise inequality, a bool tensor (<c>torch.ne</c>); against <c>null</c>, whether they differ.</summary>
    public static Tensor operator !=(Tensor? a, Tensor? b) =>
        a is null || b is null ? torch.tensor(!ReferenceEquals(a, b)) : a.ne(b);

    public static Tensor operator ==(Tensor a, Scalar b) => a.eq(b);
    public static Tensor operator !=(Tensor a, Scalar b) => a.ne(b);
    public static Tensor operator ==(Scalar a, Tensor b) => b.eq(a);
    public static Tensor operator !=(Scalar a, Tensor b) => b.ne(a);

    /// <summary>Identity, as Python's default <c>__eq__</c> fallback for hashing: collections find a tensor by reference.</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <summary>Python's <c>Tensor.__hash__</c> is <c>id(self)</c>: the object's identity, never its values.</summary>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    /// <summary>
    /// Python's <c>Tensor.__bool__</c>: the truth of the one element (<c>if (t)</c>, <c>while (y.norm() &lt; 1000)</c>),
    /// refused with PyTorch's message for more than one value or none (aten/src/ATen/native/TensorConversions.cpp,
    /// is_nonzero).
    /// </summary>
    public bool __bool__()
    {
        var n = numel();
        if (n == 0) throw new InvalidOperationException("Boolean value of Tensor with no values is ambiguous");
        if (n > 1) throw new InvalidOperationException("Boolean value of Tensor with more than one value is ambiguous");
        return item<bool>();
    }

    public static bool operator true(Tensor t) => t.__bool__();
    public static bool operator false(Tensor t) => !t.__bool__();
    // With operator true/false and the bitwise & and | (Ops/Tensor.Pointwise.cs), a && b and a || b work on tensors.
}
