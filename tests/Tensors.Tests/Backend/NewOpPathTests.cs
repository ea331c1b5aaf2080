using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// docs/ARCHITECTURE.md's new-op path kept honest: every op code has its element function in the one
/// <see cref="FunctionTable"/> (which both backends use), and element functions live in Backend/Functions only.
/// </summary>
public class NewOpPathTests
{
    private struct Seen : IUnaryUser<double>, IUnaryUser<long>, IBinaryUser<double>, IBinaryUser<long>, ICompareUser<double>
    {
        public readonly void Use<F>() where F : struct, IUnaryFn<double> { }
        readonly void IUnaryUser<long>.Use<F>() { }
        readonly void IBinaryUser<double>.Use<F>() { }
        readonly void IBinaryUser<long>.Use<F>() { }
        readonly void ICompareUser<double>.Use<F>() { }
    }

    [Test]
    public void EveryOpCodeHasAnElementFunction()
    {
        var s = new Seen();
        foreach (var op in Enum.GetValues<UnaryOp>())
            Assert.That(FunctionTable.Floating<double, Seen>(op, ref s) || FunctionTable.Integer<long, Seen>(op, ref s), $"UnaryOp.{op} has no element function");
        foreach (var op in Enum.GetValues<BinaryOp>())
            Assert.That(OpInfo.IsComparison(op) ? FunctionTable.Compare<double, Seen>(op, ref s)
                : FunctionTable.Floating<double, Seen>(op, ref s) || FunctionTable.Integer<long, Seen>(op, ref s), $"BinaryOp.{op} has no element function");
    }

    [Test]
    public void ElementFunctionsLiveInBackendFunctions()
    {
        // One definition per op: a struct implementing IUnaryFn/IBinaryFn/ICompareFn outside Backend/Functions would be
        // a second copy (the CPU's guards wrap a shared function and add no math: they are the one allowed exception).
        var fnInterfaces = new[] { typeof(IUnaryFn<>), typeof(IBinaryFn<>), typeof(ICompareFn<>) };
        var strays = typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && fnInterfaces.Contains(i.GetGenericTypeDefinition())))
            .Where(t => t.Namespace != "Notebooks.Tensors.Backend.Functions" && !t.Name.StartsWith("NonzeroDivisor") && !t.Name.StartsWith("NonNegativeExponent"))
            .Select(t => t.FullName).ToList();
        Assert.That(strays, Is.Empty);
    }
}
