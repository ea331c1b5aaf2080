using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

/// <summary>erfinv on host values for nn.init.trunc_normal_ (ATen's calc_erfinv: Backend/Functions/SpecialUnaryFunctions.cs).</summary>
internal static class Erfinv
{
    // The one definition is the element function both backends run (torch.erfinv).
    public static float Of(float y) => ErfinvFn<float>.Apply(y);

    public static double Of(double y) => ErfinvFn<double>.Apply(y);

    /// <summary>In place over a floating tensor (nn.init.trunc_normal_ needs erfinv_).</summary>
    public static void Apply(Tensor t)
    {
        if (t.dtype == DType.Float64)
        {
            var v = t.contiguous().ToArray<double>();
            for (int i = 0; i < v.Length; i++) v[i] = Of(v[i]);
            t.CopyFromRaw(torch.tensor(v).reshape(t._shape));
        }
        else
        {
            var v = t.to(DType.Float32).contiguous().ToArray<float>();
            for (int i = 0; i < v.Length; i++) v[i] = Of(v[i]);
            t.CopyFromRaw(torch.tensor(v).reshape(t._shape));
        }
    }
}
