using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;
using Notebooks.Tensors.Tests.Backend;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// ARCHITECTURE's new-op path kept honest at the device boundary: every element-wise op object (<see cref="UnaryOp"/>, <see cref="BinaryOp"/>, found by reflection)
/// is handled by both backends for every dtype it is defined on, with the same values (the CUDA backend runs on ILGPU's
/// CPU accelerator here, as the other Gpu tests do). An op whose element function one backend cannot run
/// fails here, not in a user's notebook.
/// </summary>
public class BackendCoverageTests
{
    private static readonly Device Cuda = torch.device("cuda");

    private static readonly DType[] AllTypes =
    [
        torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16, torch.int8,
        torch.uint8, torch.@bool,
    ];

    // Which dtypes an op is asked for: the categories its op object claims (Ops/ promotes or refuses the rest);
    // integer rounding is the identity, bool arithmetic its logical form.
    private static bool Defined(UnaryOp op, DType dt) =>
        dt.IsBool ? op.LogicalNotOnBool
        : dt.is_floating_point ? AllOps.Claims(op, "Floating")
        : AllOps.Claims(op, "Integer") || op.IdentityOnIntegers;

    private static bool Defined(BinaryOp op, DType dt) =>
        op.IsComparison || (dt.IsBool ? op.OnBool is not null : AllOps.Claims(op, dt.is_floating_point ? "Floating" : "Integer"));

    private static IEnumerable<TestCaseData> UnaryCases() =>
        from op in AllOps.Unary from dt in AllTypes where Defined(op, dt)
        select new TestCaseData(op.Name, dt).SetName($"unary {op} {dt}");

    private static IEnumerable<TestCaseData> BinaryCases() =>
        from op in AllOps.Binary from dt in AllTypes where Defined(op, dt)
        select new TestCaseData(op.Name, dt).SetName($"binary {op} {dt}");

    /// <summary>Values every dtype holds; positive ones where an op needs them (log, sqrt, divisors).</summary>
    private static Tensor Values(DType dt, bool positive, int seed)
    {
        torch.manual_seed(seed);
        if (dt.IsBool) return torch.rand(12).gt(0.5);
        if (!dt.is_floating_point)
        {
            long lo = positive || dt == torch.uint8 ? 1 : -6;
            return torch.randint(lo, 7, [12], torch.int64).to(dt);
        }
        var x = positive ? torch.rand(12, dtype: torch.float64) * 0.8 + 0.1 : torch.rand(12, dtype: torch.float64) * 1.6 - 0.8;
        return x.to(dt);
    }

    private static bool NeedsPositive(UnaryOp op) =>
        new[] { UnaryOp.Log, UnaryOp.Log2, UnaryOp.Log10, UnaryOp.Sqrt, UnaryOp.Rsqrt, UnaryOp.Reciprocal }.Contains(op);

    [Test]
    public void EveryOpIsCovered()
    {
        // Each op is run on both backends for at least one dtype (an op claiming nothing would silently drop out).
        Assert.That(AllOps.Unary.Where(op => !AllTypes.Any(dt => Defined(op, dt))), Is.Empty);
        Assert.That(AllOps.Binary.Where(op => !AllTypes.Any(dt => Defined(op, dt))), Is.Empty);
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryAgrees(string name, DType dt)
    {
        var op = AllOps.UnaryNamed(name);
        var x = Values(dt, NeedsPositive(op), 1);
        var cpu = Tensor.Empty(x._shape, dt, Device.CPU);
        Backends.For(Device.CPU).Unary(op, x.Buffer, cpu.Buffer);
        var xd = x.to(Cuda);
        var gpu = Tensor.Empty(x._shape, dt, xd.device);
        Backends.For(xd.device).Unary(op, xd.Buffer, gpu.Buffer);
        AssertSame(cpu, gpu.cpu(), dt);
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryAgrees(string name, DType dt)
    {
        var op = AllOps.BinaryNamed(name);
        bool divides = op.IntegerCheck == IntegerCheck.NonzeroDivisor;
        bool shifts = op == BinaryOp.LeftShift || op == BinaryOp.RightShift, pow = op == BinaryOp.Pow;
        var a = Values(dt, false, 2);
        var b = shifts ? torch.randint(0, 4, [12], torch.int64).to(dt)
            : pow && !dt.is_floating_point ? torch.randint(0, 4, [12], torch.int64).to(dt)
            : pow ? Values(dt, true, 3).abs()
            : Values(dt, divides, 3);
        if (pow && dt.is_floating_point) a = a.abs();
        // zeta(x, q) is defined for x > 1; polygamma's second operand is the order n (0, 1 or 2 here).
        if (op == BinaryOp.Zeta) a = a.abs() + 1.5;
        if (op == BinaryOp.Polygamma) b = (b.abs() * 3).floor();
        var outType = op.IsComparison ? torch.@bool : dt;
        var cpu = Tensor.Empty(a._shape, outType, Device.CPU);
        Backends.For(Device.CPU).Binary(op, a.Buffer, b.Buffer, cpu.Buffer);
        var (ad, bd) = (a.to(Cuda), b.to(Cuda));
        var gpu = Tensor.Empty(a._shape, outType, ad.device);
        Backends.For(ad.device).Binary(op, ad.Buffer, bd.Buffer, gpu.Buffer);
        AssertSame(cpu, gpu.cpu(), outType);
    }

    private static void AssertSame(Tensor expected, Tensor actual, DType dt)
    {
        if (!dt.is_floating_point)
        {
            Assert.That(actual.ToString(), Is.EqualTo(expected.ToString()));
            return;
        }
        // Transcendentals may differ in the last place between .NET's CPU math and the device's; half types in one rounding.
        double tol = dt == torch.float64 ? 1e-12 : dt == torch.float32 ? 1e-6 : 1e-2;
        var e = expected.to(torch.float64); var a = actual.to(torch.float64);
        var bothNan = e.isnan().logical_and(a.isnan());
        var close = (e - a).abs().le(e.abs() * tol + tol).logical_or(bothNan).logical_or(e.eq(a));
        Assert.That(close.all().item<bool>(), Is.True, $"cpu {expected}\ncuda {actual}");
    }
}
