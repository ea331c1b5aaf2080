using System.Reflection;
using System.Text.RegularExpressions;
using Notebooks.Tensors.Tests.Autograd;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// IBackend is the whole device boundary (docs/ARCHITECTURE.md, Backend/): no file of src/Tensors outside Backend/
/// names a concrete backend or storage. Host code reaches CPU memory through HostMemory, the CPU GEMM's panels through
/// HostGemm, and the measured fast paths through IBackend's optional kernels (IBackend.FastPaths.cs). Backends see
/// raw strided buffers (StridedBuffer), never a Tensor: "a backend never sees autograd" is a fact of the types.
/// </summary>
public class DeviceBoundaryTests
{
    [Test]
    public void NothingOutsideBackendNamesAConcreteBackendOrStorage()
    {
        var src = DerivativeTableTests.SourceFolder();
        var backend = Path.Combine(src, "Backend") + Path.DirectorySeparatorChar;
        var concrete = new Regex(@"\b(CpuBackend|CpuStorage|GpuBackend|GpuStorage)\b");
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(backend, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && concrete.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToArray();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void FastPathsGiveTheGeneralPathsValues()
    {
        // The optional kernels must agree with the general path they shortcut (mm/mv vs bmm, the one-element sum vs
        // the reduction, ReLU's and square's backward vs their formulas).
        torch.manual_seed(0);
        var a = torch.randn(7, 5);
        var b = torch.randn(5, 3);
        var v = torch.randn(5);
        Assert.That(a.mm(b).ToArray<float>(), Is.EqualTo(a.unsqueeze(0).bmm(b.unsqueeze(0)).squeeze(0).ToArray<float>()));
        Assert.That(a.t().contiguous().t().mm(b).ToArray<float>(), Is.EqualTo(a.mm(b).ToArray<float>()), "strided left operand");
        Assert.That(a.mv(v).ToArray<float>(), Is.EqualTo(a.unsqueeze(0).bmm(v.view(1, 5, 1)).view(7).ToArray<float>()));
        var x = torch.randn(4, 6, requires_grad: true);
        x.relu().sum().backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo(x.gt(0).to(DType.Float32).ToArray<float>()));
        x.grad = null;
        x.pow(2).mean().backward();
        Assert.That(x.grad!.ToArray<float>(), Is.EqualTo((x.detach() * 2 / 24).ToArray<float>()).Within(1e-7f));
    }

    /// <summary>Whether <paramref name="t"/> is Tensor or is built from it (Tensor?, Tensor[], Span&lt;Tensor&gt;, Action&lt;Tensor&gt;, ref Tensor).</summary>
    private static bool MentionsTensor(Type t)
    {
        if (t == typeof(Tensor)) return true;
        if (t.HasElementType) return MentionsTensor(t.GetElementType()!);
        return t.IsGenericType && t.GetGenericArguments().Any(MentionsTensor);
    }

    [Test]
    public void NoBackendTypeHasATensorFieldParameterOrReturn()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var backendTypes = typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == "Notebooks.Tensors.Backend" || ns.StartsWith("Notebooks.Tensors.Backend.", StringComparison.Ordinal)))
            .ToList();
        Assert.That(backendTypes, Has.Count.GreaterThan(50));
        var offenders = new List<string>();
        foreach (var type in backendTypes)
        {
            foreach (var f in type.GetFields(all).Where(f => MentionsTensor(f.FieldType)))
                offenders.Add($"{type.FullName}.{f.Name} (field)");
            foreach (var p in type.GetProperties(all).Where(p => MentionsTensor(p.PropertyType)))
                offenders.Add($"{type.FullName}.{p.Name} (property)");
            foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (m is MethodInfo mi && MentionsTensor(mi.ReturnType)) offenders.Add($"{type.FullName}.{m.Name} (returns)");
                foreach (var p in m.GetParameters().Where(p => MentionsTensor(p.ParameterType)))
                    offenders.Add($"{type.FullName}.{m.Name}({p.Name})");
            }
        }
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void NoBackendSourceNamesTensor()
    {
        // Backend/ code says StridedBuffer (and Storage), never Tensor, outside comments.
        var src = DerivativeTableTests.SourceFolder();
        var tensor = new Regex(@"\bTensor\b");
        var offenders = Directory.GetFiles(Path.Combine(src, "Backend"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Select(x => (x.f, code: x.line.Split("//")[0], x.i))
            .Where(x => tensor.IsMatch(x.code))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}: {x.code.Trim()}")
            .ToArray();
        Assert.That(offenders, Is.Empty);
    }
}
