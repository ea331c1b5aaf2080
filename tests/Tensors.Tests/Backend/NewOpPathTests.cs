using System.Reflection;
using System.Text.RegularExpressions;
using Notebooks.Tensors.Backend.Functions;
using Notebooks.Tensors.Tests.Autograd;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// docs/ARCHITECTURE.md's new-op path kept honest: an element-wise op is declared once, as an op object beside its
/// element function in Backend/Functions (no op code, no table, no switch over ops anywhere else), and every category
/// it claims hands the backends a function.
/// </summary>
public class NewOpPathTests
{
    private struct Seen : IUnaryUser<double>, IUnaryUser<long>, IBinaryUser<double>, IBinaryUser<long>, ICompareUser<double>, ICompareUser<long>
    {
        public int Count;
        public bool Use<F>() where F : struct, IUnaryFn<double> { Count++; return true; }
        bool IUnaryUser<long>.Use<F>() { Count++; return true; }
        bool IBinaryUser<double>.Use<F>() { Count++; return true; }
        bool IBinaryUser<long>.Use<F>() { Count++; return true; }
        bool ICompareUser<double>.Use<F>() { Count++; return true; }
        bool ICompareUser<long>.Use<F>() { Count++; return true; }
    }

    [Test]
    public void EveryOpHandsOverAnElementFunctionForEachCategoryItClaims()
    {
        Assert.That(AllOps.Unary, Has.Count.GreaterThan(40));
        Assert.That(AllOps.Binary, Has.Count.GreaterThan(35));
        foreach (var op in AllOps.Unary)
        {
            var s = new Seen();
            bool f = AllOps.Claims(op, "Floating"), i = AllOps.Claims(op, "Integer");
            Assert.That(f || i, $"{op} claims no dtype category");
            Assert.That(op.Floating<double, Seen>(ref s), Is.EqualTo(f), $"{op} on float64");
            Assert.That(op.KernelFloating<double, Seen>(ref s), Is.EqualTo(f), $"{op} in a GPU kernel");
            Assert.That(op.Integer<long, Seen>(ref s), Is.EqualTo(i), $"{op} on int64");
            Assert.That(s.Count, Is.EqualTo(f ? 2 + (i ? 1 : 0) : 1), $"{op}: each answer true hands over one function");
        }
        foreach (var op in AllOps.Binary)
        {
            var s = new Seen();
            bool f = AllOps.Claims(op, "Floating"), i = AllOps.Claims(op, "Integer"), c = AllOps.Claims(op, "Compare");
            Assert.That(c ? !f && !i : f || i, $"{op}: a comparison claims Compare only, an arithmetic op Floating or Integer");
            Assert.That(op.IsComparison, Is.EqualTo(c), $"{op}: IsComparison");
            Assert.That(op.Floating<double, Seen>(ref s), Is.EqualTo(f), $"{op} on float64");
            Assert.That(op.Integer<long, Seen>(ref s), Is.EqualTo(i), $"{op} on int64");
            Assert.That(op.Compare<double, Seen>(ref s) && op.Compare<long, Seen>(ref s), Is.EqualTo(c), $"{op} as a comparison");
            Assert.That(s.Count, Is.EqualTo((f ? 1 : 0) + (i ? 1 : 0) + (c ? 2 : 0)));
        }
    }

    [Test]
    public void EachOpIsOneFieldNamedAsItsClassWithDistinctIds()
    {
        // The field is the name Ops/ uses (BinaryOp.Add); errors print the class's name ("add_cpu"): they must agree.
        foreach (var field in typeof(UnaryOp).GetFields(BindingFlags.Public | BindingFlags.Static).Concat(typeof(BinaryOp).GetFields(BindingFlags.Public | BindingFlags.Static)))
            Assert.That(((PointwiseOp)field.GetValue(null)!).Name, Is.EqualTo(field.Name));
        var ids = AllOps.Unary.Cast<PointwiseOp>().Concat(AllOps.Binary).Select(o => o.Id).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids.Max(), Is.LessThan(PointwiseOp.Count));
    }

    [Test]
    public void NoOpCodeTableOrSwitchOverOpsOutsideFunctions()
    {
        // Op identity lives in the op object: what differs per op (bool forms, integer checks, rounding on integers,
        // the GPU's kernel form) is a property declared beside its element function, so nothing branches on which op it is.
        Assert.That(typeof(UnaryOp).IsClass && typeof(BinaryOp).IsClass, "UnaryOp/BinaryOp are op objects, not enums");
        Assert.That(typeof(Tensor).Assembly.GetType("Notebooks.Tensors.Backend.Functions.FunctionTable"), Is.Null);
        var src = DerivativeTableTests.SourceFolder();
        var functions = Path.Combine(src, "Backend", "Functions") + Path.DirectorySeparatorChar;
        var branch = new Regex(@"(\b(case|is|or)\s+|[=!]=\s*)(Unary|Binary)Op\.\w+|(Unary|Binary)Op\.\w+\s*(=>|\bor\b|[=!]=)");
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(functions, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => branch.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToArray();
        Assert.That(offenders, Is.Empty);
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
        // Op objects, too, are declared there only (beside their functions).
        var opsElsewhere = typeof(Tensor).Assembly.GetTypes()
            .Where(t => typeof(PointwiseOp).IsAssignableFrom(t) && t.Namespace != "Notebooks.Tensors.Backend.Functions")
            .Select(t => t.FullName).ToList();
        Assert.That(opsElsewhere, Is.Empty);
    }
}
