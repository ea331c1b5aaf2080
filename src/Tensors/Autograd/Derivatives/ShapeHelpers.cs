namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's row for rot90 (the other shape helpers are composites whose rows are their parts').
internal static partial class Derivatives
{
    public static readonly Derivative
        // ints = [k (0..3), dim0, dim1]: rotating the gradient back is rot90(-k, dims).
        Rot90 = new("Rot90Backward0", (Saves.None, static c => c.grad.rot90(-c.ints[0], [c.ints[1], c.ints[2]])));
}
