namespace Notebooks.Tensors.Backend;

/// <summary>
/// ATen's <c>float32_matmul_precision</c> (at::Context): "highest" (the default) keeps float32 products in full
/// precision; "high" and "medium" let cuBLAS use TF32 tensor cores. <c>torch.backends.cuda.matmul.allow_tf32</c> is a
/// view of the same setting, as in PyTorch. The CPU ignores it (PyTorch's CPU matmul has no TF32 path).
/// </summary>
internal static class MatmulPrecision
{
    private static volatile string _precision = "highest";

    public static string Value => _precision;

    public static bool AllowTf32 => _precision != "highest";

    public static void Set(string precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        if (precision is "highest" or "high" or "medium") { _precision = precision; return; }
        // at::Context::setFloat32MatmulPrecision warns and keeps the setting.
        warnings.warn($"{precision} is not one of 'highest', 'high', or 'medium'; the current setFloat32MatmulPrecision call has no effect.");
    }

    public static void SetAllowTf32(bool allow) => _precision = allow ? "high" : "highest";
}
