namespace Notebooks.Tensors.Autograd;

/// <summary>Shared steps of derivative formulas.</summary>
internal static class GradUtil
{
    /// <summary>
    /// Sums a broadcast gradient back to an input's shape and casts it to the input's dtype (what PyTorch's
    /// sum_to and the engine's dtype check do). Differentiable, so higher-order gradients flow through it.
    /// </summary>
    public static Tensor Fit(Tensor grad, long[] shape, DType dtype)
    {
        if (!Shapes.SameShape(grad._shape, shape))
        {
            int lead = grad._shape.Length - shape.Length;
            var dims = new List<long>();
            for (int i = 0; i < grad._shape.Length; i++)
                if (i < lead || (shape[i - lead] == 1 && grad._shape[i] != 1)) dims.Add(i);
            // Only leading dims summed (a bias's gradient): sum without keepdim gives the shape at once, no reshape
            // (same reduction; without create_graph there is no graph whose shape this could change).
            if (dims.Count == lead && lead > 0 && !GradMode.Enabled)
                return Cast(grad.sum(dims.ToArray(), keepdim: false), dtype);
            if (dims.Count > 0) grad = grad.sum(dims.ToArray(), keepdim: true);
            if (lead > 0 || !Shapes.SameShape(grad._shape, shape)) grad = grad.reshape(shape);
        }
        return Cast(grad, dtype);
    }

    private static Tensor Cast(Tensor grad, DType dtype) => grad.dtype == dtype ? grad : grad.to(dtype);
}

/// <summary>Shape and dtype of an input, kept by nodes that must fit gradients to it.</summary>
internal readonly record struct InputMeta(long[] Shape, DType DType)
{
    public static InputMeta Of(Tensor t) => new(t._shape, t.dtype);
    public Tensor Fit(Tensor grad) => GradUtil.Fit(grad, Shape, DType);
}
