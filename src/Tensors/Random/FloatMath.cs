namespace Notebooks.Tensors;

/// <summary>
/// How PyTorch's CPU kernels round <c>a * b + c</c>. Its x86-64 Linux builds compile the AVX2 kernels with
/// <c>-mfma</c> under GCC, whose default <c>-ffp-contract=fast</c> fuses a multiply feeding an add into one FMA
/// (one rounding instead of two). The libtorch reference values (shared/reference/torch_rng.json) confirm it:
/// uniform_(-2, 3), nn.Linear's init and randn(16) only match bit for bit with the fused form. For double
/// kernels the same flags apply, but the reference cases (mean 0, std 1, uniform on [0, 1)) cannot tell.
/// </summary>
internal static class FloatMath
{
    internal const bool Contracted = true;

    internal static float MultiplyAdd(float a, float b, float c) => Contracted ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    internal static double MultiplyAdd(double a, double b, double c) => Contracted ? Math.FusedMultiplyAdd(a, b, c) : a * b + c;
}
