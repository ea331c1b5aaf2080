using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;
using Notebooks.Tensors.Backend.Gpu;
using Notebooks.Tensors.Tests.Backend;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// The CPU accelerator runs kernels as .NET code, so it cannot tell whether ILGPU's PTX backend accepts them. ILGPU's
/// PTX compiler needs no GPU: every kernel (one instantiation per element path) is compiled to PTX here.
/// </summary>
public class PtxCompileTests
{
    private static Context? _context;
    private static PTXBackend? _backend;

    [OneTimeSetUp]
    public void CreateBackend()
    {
        _context = Context.Create(b => b.CPU().EnableAlgorithms());
        _backend = new PTXBackend(_context, CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, null!);
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _backend?.Dispose();
        _context?.Dispose();
    }

    private static IEnumerable<TestCaseData> AutoGrouped()
    {
        TestCaseData K(string name, Delegate d) => new TestCaseData(d.Method).SetName($"PTX {name}");
        yield return K("Copy float→half", (Action<Index1D, ArrayView<float>, ArrayView<ushort>, Dims, Strd, Strd>)Kernels.Copy<float, EF32, ushort, EF16>);
        yield return K("Reduce float→double", (Action<Index1D, ArrayView<float>, ArrayView<double>, ArrayView<long>, Dims, Strd, Strd, Strd, Dims, Strd, RedParams>)Kernels.Reduce<float, EF32, double, EF64>);
        yield return K("Scan int64", (Action<Index1D, ArrayView<long>, ArrayView<long>, Dims, Strd, Strd, ScanParams>)Kernels.Scan<long, EI64>);
        yield return K("MulAdd float (fused)", (Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, MulAddLayout, float, float, float>)Kernels.MulAddF<float, EF32, PtxFma>);
        yield return K("MulAdd double (fused)", (Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, Dims, MulAddLayout, double, double, double>)Kernels.MulAddD<PtxFma>);
        yield return K("MulAdd int16", (Action<Index1D, ArrayView<short>, ArrayView<short>, ArrayView<short>, ArrayView<short>, Dims, MulAddLayout, short, short, short>)Kernels.MulAddL<short, EI16>);
        yield return K("Random fill float", (Action<Index1D, ArrayView<float>, Dims, Strd, RandParams>)RandomKernels.Fill<float, EF32>);
        yield return K("Random fill double", (Action<Index1D, ArrayView<double>, Dims, Strd, RandParams>)RandomKernels.Fill<double, EF64>);
        yield return K("Random fill half", (Action<Index1D, ArrayView<ushort>, Dims, Strd, RandParams>)RandomKernels.Fill<ushort, EF16>);
        yield return K("Random fill int64", (Action<Index1D, ArrayView<long>, Dims, Strd, RandParams>)RandomKernels.Fill<long, EI64>);
        yield return K("Bernoulli with probabilities", (Action<Index1D, ArrayView<float>, Dims, Strd, ArrayView<double>, RandParams>)RandomKernels.BernoulliTensor<float, EF32>);
        yield return K("Strided offsets", (Action<Index1D, ArrayView<long>, Dims, Strd>)IndexKernels.StridedOffsets);
        yield return K("Along-dim offsets", (Action<Index1D, ArrayView<long>, ArrayView<long>, Dims, Strd, Strd, long>)IndexKernels.AlongDim);
        yield return K("Advanced offsets", (Action<Index1D, ArrayView<long>, ArrayView<long>, Dims, Strd, Dims, Strd, Dims, Strd, long>)IndexKernels.Advanced);
        yield return K("Move 2-byte", (Action<Index1D, ArrayView<ushort>, ArrayView<ushort>, ArrayView<long>, ArrayView<long>, MoveParams>)IndexKernels.Move);
        yield return K("Atomic add float", (Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<long>, ArrayView<long>, MoveParams>)IndexKernels.AddF32);
        yield return K("Atomic add double", (Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<long>, ArrayView<long>, MoveParams>)IndexKernels.AddF64);
        yield return K("Atomic add int64", (Action<Index1D, ArrayView<long>, ArrayView<long>, ArrayView<long>, ArrayView<long>, MoveParams>)IndexKernels.AddI64);
        yield return K("CAS add sub-word", (Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<long>, MoveParams, int, int>)IndexKernels.AddSmall);
        yield return K("Nonzero count", (Action<Index1D, ArrayView<float>, Dims, Strd, ArrayView<long>, long, long>)IndexKernels.NonzeroCount<float, EF32>);
        yield return K("Nonzero scan", (Action<Index1D, ArrayView<long>, long>)IndexKernels.ExclusiveScan);
        yield return K("Nonzero write", (Action<Index1D, ArrayView<byte>, Dims, Strd, ArrayView<long>, long, long, ArrayView<long>, Dims>)IndexKernels.NonzeroWrite<byte, EBool>);
    }

    /// <summary>
    /// Every op's shared element function (Backend/Functions) as the GPU instantiates it: at float (through a
    /// bfloat16 storage, so the conversions compile too), double and long, from every op object (found by
    /// reflection) as the backends ask for it, so an op added beside its function is compiled here.
    /// </summary>
    private static IEnumerable<TestCaseData> ElementFunctions()
    {
        var c = new Collector { Found = [] };
        foreach (var op in AllOps.Unary)
        {
            c.Name = $"unary {op}";
            op.KernelFloating<float, Collector>(ref c);
            op.KernelFloating<double, Collector>(ref c);
            op.Integer<long, Collector>(ref c);
        }
        foreach (var op in AllOps.Binary)
        {
            c.Name = $"binary {op}";
            op.Compare<double, Collector>(ref c);
            op.Compare<long, Collector>(ref c);
            op.Floating<float, Collector>(ref c);
            op.Floating<double, Collector>(ref c);
            op.Integer<long, Collector>(ref c);
        }
        return c.Found;
    }

    private struct Collector : IUnaryUser<float>, IUnaryUser<double>, IUnaryUser<long>, IBinaryUser<float>, IBinaryUser<double>,
        IBinaryUser<long>, ICompareUser<double>, ICompareUser<long>
    {
        public List<TestCaseData> Found;
        public string Name;

        private readonly bool Add(string type, Delegate d) { Found.Add(new TestCaseData(d.Method).SetName($"PTX {Name} {type}")); return true; }
        bool IUnaryUser<float>.Use<F>() => Add("float", (Action<Index1D, ArrayView<ushort>, ArrayView<ushort>, Dims, Strd, Strd>)Kernels.UnaryF<ushort, EBF16, F>);
        bool IUnaryUser<double>.Use<F>() => Add("double", (Action<Index1D, ArrayView<double>, ArrayView<double>, Dims, Strd, Strd>)Kernels.UnaryD<F>);
        bool IUnaryUser<long>.Use<F>() => Add("long", (Action<Index1D, ArrayView<int>, ArrayView<int>, Dims, Strd, Strd>)Kernels.UnaryL<int, EI32, F>);
        bool IBinaryUser<float>.Use<F>() => Add("float", (Action<Index1D, ArrayView<ushort>, ArrayView<ushort>, ArrayView<ushort>, Dims, Strd, Strd, Strd, ushort, int>)Kernels.BinaryF<ushort, EBF16, F>);
        bool IBinaryUser<double>.Use<F>() => Add("double", (Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, Dims, Strd, Strd, Strd, double, int>)Kernels.BinaryD<F>);
        bool IBinaryUser<long>.Use<F>() => Add("long", (Action<Index1D, ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<sbyte>, Dims, Strd, Strd, Strd, sbyte, int>)Kernels.BinaryL<sbyte, EI8, F>);
        bool ICompareUser<double>.Use<F>() => Add("double", (Action<Index1D, ArrayView<ushort>, ArrayView<ushort>, ArrayView<byte>, Dims, Strd, Strd, Strd, ushort, int>)Kernels.CompareD<ushort, EF16, F>);
        bool ICompareUser<long>.Use<F>() => Add("long", (Action<Index1D, ArrayView<byte>, ArrayView<byte>, ArrayView<byte>, Dims, Strd, Strd, Strd, byte, int>)Kernels.CompareL<byte, EBool, F>);
    }

    [TestCaseSource(nameof(ElementFunctions))]
    public void ElementFunctionCompilesToPtx(MethodInfo kernel) => CompilesToPtx(kernel);

    [Test]
    public void MulAddIsOneFusedInstruction()
    {
        // add(x, y, alpha) must round once on the device as on the CPU (ATen's fmadd): an fma, not a mul and an add.
        var kernel = ((Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, MulAddLayout, float, float, float>)Kernels.MulAddF<float, EF32, PtxFma>).Method;
        var ptx = ((PTXCompiledKernel)_backend!.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), KernelSpecialization.Empty)).PTXAssembly;
        Assert.That(ptx, Does.Contain("fma.rn.f32 "));
        Assert.That(ptx, Does.Not.Contain(".extern .func"));
    }

    [TestCaseSource(nameof(AutoGrouped))]
    public void CompilesToPtx(MethodInfo kernel)
    {
        var compiled = _backend!.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), KernelSpecialization.Empty);
        var ptx = ((PTXCompiledKernel)compiled).PTXAssembly;
        Assert.That(ptx, Does.Contain(".entry"));
        // A .NET method ILGPU can't translate becomes an undefined external function: the PTX compiles here but the
        // driver's linker rejects it on a GPU.
        Assert.That(ptx, Does.Not.Contain(".extern .func"));
    }

    private static void ErfKernel(Index1D i, ArrayView<double> x) => x[i] = Notebooks.Tensors.Backend.Functions.SpecialFunctions.Erf(x[i]) + Notebooks.Tensors.Backend.Functions.SpecialFunctions.Erfc(x[i]);

    [Test]
    public void TheCpuErfCompilesForTheGpu()
    {
        // The CPU backend's erf/erfc is the one copy: the GPU kernels call it, so it must stay PTX-compilable.
        var k = (Action<Index1D, ArrayView<double>>)ErfKernel;
        var ptx = ((PTXCompiledKernel)_backend!.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(k.Method), KernelSpecialization.Empty)).PTXAssembly;
        Assert.That(ptx, Does.Contain(".entry"));
        // A .NET method ILGPU can't translate becomes an undefined external function: the PTX compiles here but the
        // driver's linker rejects it on a GPU.
        Assert.That(ptx, Does.Not.Contain(".extern .func"));
    }

    [Test]
    public void TiledMatmulCompilesToPtx()
    {
        var k = (Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, MatLayout>)MatmulKernels.TiledF;
        var ptx = ((PTXCompiledKernel)_backend!.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(k.Method), KernelSpecialization.Empty)).PTXAssembly;
        Assert.That(ptx, Does.Contain("bar.sync"));
    }

    [Test]
    public void AtomicAccumulationUsesDeviceAtomics()
    {
        var add = (Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<long>, ArrayView<long>, MoveParams>)IndexKernels.AddF32;
        var a = _backend!.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(add.Method), KernelSpecialization.Empty);
        Assert.That(((PTXCompiledKernel)a).PTXAssembly, Does.Match(@"(red|atom)(\.global)?\.add\.f32"));
        var cas = (Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<long>, MoveParams, int, int>)IndexKernels.AddSmall;
        var c = _backend!.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(cas.Method), KernelSpecialization.Empty);
        Assert.That(((PTXCompiledKernel)c).PTXAssembly, Does.Match(@"atom(\.global)?\.cas\.b32"));
    }
}
