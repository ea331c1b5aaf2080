namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for views and other shape ops (the gradient is reshaped, transposed, summed or scattered back
// to the input's layout), copies (clone, to, copy_, fill_), cat and stack. `ints` holds the op's integer arguments.
internal static partial class Derivatives
{
    public static readonly Derivative
        View = new("ViewBackward0", (Saves.None, ReshapeBack)),
        UnsafeView = new("UnsafeViewBackward0", (Saves.None, ReshapeBack)),
        Alias = new("AliasBackward0", (Saves.None, ReshapeBack)),
        Squeeze = new("SqueezeBackward0", (Saves.None, ReshapeBack)),
        SqueezeDim = new("SqueezeBackward1", (Saves.None, ReshapeBack)),
        SqueezeDims = new("SqueezeBackward2", (Saves.None, ReshapeBack)),
        // squeeze_(dim) in place (matmul of a vector and a matrix squeezes its mm result so).
        SqueezeInPlace = new("SqueezeBackward4", (Saves.None, ReshapeBack)),
        Unsqueeze = new("UnsqueezeBackward0", (Saves.None, ReshapeBack)),
        // ints = [dim0, dim1]
        Transpose = new("TransposeBackward0", (Saves.None, static c => c.grad.transpose((int)c.ints[0], (int)c.ints[1]))),
        T = new("TBackward0", (Saves.None, static c => c.shape(0).Length < 2 ? c.grad.reshape(c.shape(0)) : c.grad.transpose(0, 1))),
        // ints = the permutation
        Permute = new("PermuteBackward0", (Saves.None, static c =>
        {
            var perm = c.ints;
            var inv = new long[perm.Length];
            for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
            return c.grad.permute(inv);
        })),
        Expand = new("ExpandBackward0", (Saves.None, static c => GradUtil.Fit(c.grad, c.shape(0), c.grad.dtype))),
        // ints = [dim, start, end, step]: the gradient scattered into zeros of the input's shape (slice_backward).
        Slice = new("SliceBackward0", (Saves.None, static c => ScatterBack(c.grad, c.grad, c.shape(0), c.ints))),
        // ints = [dim, index]: the picked row's gradient, as a one-row slice (select_backward).
        Select = new("SelectBackward0", (Saves.None, static c =>
            ScatterBack(c.grad.unsqueeze((int)c.ints[0]), c.grad, c.shape(0), [c.ints[0], c.ints[1], c.ints[1] + 1, 1]))),
        // The gradients of slice_backward and select_backward in their gradient input: slicing again.
        SliceBackwardBackward = new("SliceBackwardBackward0", (Saves.None, static c => c.grad.slice((int)c.ints[0], c.ints[1], c.ints[2], c.ints[3]))),
        SelectBackwardBackward = new("SelectBackwardBackward0", (Saves.None, static c => c.grad.select((int)c.ints[0], c.ints[1]))),
        // ints = the flipped dims
        Flip = new("FlipBackward0", (Saves.None, static c => c.grad.flip(c.ints))),
        // ints = [offset, dim1, dim2]
        Diagonal = new("DiagonalBackward0", (Saves.None, static c =>
            torch.zeros(c.shape(0), dtype: c.grad.dtype, device: c.grad.device).diagonal_scatter(c.grad, c.ints[0], (int)c.ints[1], (int)c.ints[2]))),
        DiagonalScatter = new("DiagonalScatterBackward0", (Saves.None, static c => c.grad.diagonal(c.ints[0], (int)c.ints[1], (int)c.ints[2]))),
        Clone = new("CloneBackward0", (Saves.None, static c => c.grad)),
        // to(dtype) / to(device): the gradient goes back to the source's dtype (fitted) and device (state, when moved).
        ToCopy = new("ToCopyBackward0", (Saves.None, static c => c.state<Device?>() is { } d ? c.grad.to(d) : c.grad)),
        // copy_(src): the old value gets no gradient; src gets the gradient.
        Copy = new("CopyBackwards", (Saves.None, static c => torch.zeros_like(c.grad)), (Saves.None, static c => c.grad)),
        // fill_ overwrites: zero gradient for the old value.
        Fill = new("FillBackward0", (Saves.None, static c => c.zeros(0))),
        // cat: each input gets its slice of the gradient along the joined dim (ints: the inputs' sizes there, scalar: dim).
        Cat = Derivative.AllInputs("CatBackward0", Saves.None, static c =>
        {
            var sizes = c.ints; int dim = (int)c.scalar.Long;
            var r = new Tensor?[sizes.Length];
            long at = 0;
            for (int i = 0; i < r.Length; i++)
            {
                if (c.needs(i)) r[i] = c.grad.slice(dim, at, at + sizes[i]);
                at += sizes[i];
            }
            return r;
        }),
        // stack: input i gets the gradient's i-th entry along the new dim (scalar: dim).
        Stack = Derivative.AllInputs("StackBackward0", Saves.None, static c =>
        {
            var r = new Tensor?[c.inputs];
            for (int i = 0; i < r.Length; i++) if (c.needs(i)) r[i] = c.grad.select((int)c.scalar.Long, i);
            return r;
        });

    private static Tensor ReshapeBack(BackwardContext c) => c.grad.reshape(c.shape(0));

    /// <summary>zeros(shape) with the slice a = [dim, start, end, step] set to g; differentiable in g (slice_backward).</summary>
    private static Tensor ScatterBack(Tensor g, Tensor original, long[] shape, long[] a)
    {
        Tensor z;
        using (new NoGradScope())
        {
            z = torch.zeros(shape, dtype: g.dtype, device: g.device);
            z.Narrowed((int)a[0], a[1], a[2], a[3]).CopyFromRaw(g);
        }
        // The gradient of this scatter in g (create_graph): slicing (or selecting) it again.
        return original._shape.Length != g._shape.Length
            ? SelectBackwardBackward.Record(z, original, ints: [a[0], a[1]])
            : SliceBackwardBackward.Record(z, original, ints: a);
    }
}
