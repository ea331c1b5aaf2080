using ILGPU.Runtime.Cuda;

namespace Notebooks.Tensors.Backend.Gpu;

/// <summary>a·b + c rounded once, chosen per accelerator through a kernel's type argument (as IElem picks a dtype).</summary>
internal interface IFma
{
    float Fma(float a, float b, float c);
    double Fma(double a, double b, double c);
}

/// <summary>
/// The PTX instruction. ILGPU 1.5 compiles Math(F).FusedMultiplyAdd to a call of an undefined external function,
/// which only fails when the driver links the module, so the instruction is written out instead.
/// </summary>
internal struct PtxFma : IFma
{
    public readonly float Fma(float a, float b, float c)
    {
        CudaAsm.Emit("fma.rn.f32 %0, %1, %2, %3;", out float r, a, b, c);
        return r;
    }

    public readonly double Fma(double a, double b, double c)
    {
        CudaAsm.Emit("fma.rn.f64 %0, %1, %2, %3;", out double r, a, b, c);
        return r;
    }
}

/// <summary>.NET's fused multiply-add, for the CPU accelerator (which runs kernels as .NET code).</summary>
internal struct ManagedFma : IFma
{
    public readonly float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    public readonly double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
}
