using System.Reflection;
using System.Text.RegularExpressions;
using Notebooks.Tensors.Autograd;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Autograd;

/// <summary>
/// Keeps ARCHITECTURE's rule honest: every op's backward is a row of the derivative tables in
/// src/Tensors/Autograd/Derivatives (as PyTorch's tools/autograd/derivatives.yaml), so every grad_fn name a graph shows
/// comes from a row, no node class exists beside the few that are not op derivatives, and no backward name is written
/// at an op's call site.
/// </summary>
public class DerivativeTableTests
{
    // Nodes that are not an op's derivative: the leaf sink, in-place rebasing of views, user-defined
    // autograd.Function, the module backward hooks' identity, and the table's own node.
    private static readonly Type[] NonTableNodes =
        [typeof(AccumulateGrad), typeof(CopySlices), typeof(CustomFunctionBackward), typeof(BackwardHookFunctionBackward), typeof(DerivativeNode)];

    [Test]
    public void NoNodeClassBesideTheTable()
    {
        var nodes = typeof(Node).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Node)) && !t.IsAbstract).ToArray();
        Assert.That(nodes.Except(NonTableNodes).Select(t => t.Name), Is.Empty);
    }

    [Test]
    public void RowNamesAreUniqueAndPyTorchStyle()
    {
        var names = Derivative.All.Select(d => d.Name).ToArray();
        Assert.That(names, Has.Length.GreaterThan(90));
        Assert.That(names, Is.Unique);
        Assert.That(names, Has.All.Matches(@"^[A-Z][A-Za-z0-9]*Backwards?\d*$"));
    }

    internal static IEnumerable<Node> Graph(Tensor t)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        if (t.grad_fn is { } fn) stack.Push(fn);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            yield return n;
            foreach (var (next, _) in n.next_functions) if (next is not null) stack.Push(next);
        }
    }

    private static Tensor Leaf(params long[] shape) => (torch.rand(shape, dtype: torch.float64) + 0.5).requires_grad_();

    [Test]
    public void EveryRecordedGradFnNameComesFromTheTables()
    {
        torch.manual_seed(0);
        var rows = Derivative.All.Select(d => d.Name).ToHashSet();
        var a = Leaf(3, 4);
        var b = Leaf(3, 4);
        var v = Leaf(4);
        var idx = torch.tensor(new long[] { 2, 0 });
        var mask = a.gt(1.0);
        Func<Tensor>[] ops =
        [
            () => a + b, () => a - b, () => a * b, () => a / b, () => -a, () => a.pow(3), () => a.pow(b), () => 2 - a,
            () => a.add(b, alpha: 2), () => a.sub(b, alpha: 2), () => a.remainder(b), () => a.fmod(b), () => a.div(b, "floor"),
            () => a.exp(), () => a.exp2(), () => a.expm1(), () => a.log(), () => a.log2(), () => a.log10(), () => a.log1p(),
            () => a.sqrt(), () => a.rsqrt(), () => a.reciprocal(), () => a.sin(), () => a.cos(), () => a.tan(), () => (a - 1).asin(),
            () => (a - 1).acos(), () => a.atan(), () => a.sinh(), () => a.cosh(), () => a.tanh(), () => a.sigmoid(), () => a.erf(),
            () => a.erfc(), () => a.abs(), () => a.sign(), () => a.floor(), () => a.ceil(), () => a.trunc(), () => a.frac(),
            () => a.round(), () => a.round(1), () => a.relu(), () => a.maximum(b), () => a.minimum(b), () => a.clamp(0.7, 1.2),
            () => a.clamp_min(0.7), () => a.clamp_max(1.2), () => a.atan2(b), () => a.lerp(b, 0.3), () => a.lerp(b, b),
            () => torch.where(mask, a, b),
            () => a.view(12), () => a.reshape(4, 3).t(), () => a.t().reshape(12), () => a.unsqueeze(0).squeeze(), () => a.unsqueeze(0).squeeze(0),
            () => a.unsqueeze(0).unsqueeze(0).squeeze(0, 1), () => a.transpose(0, 1), () => a.permute(1, 0), () => v.expand(3, 4), () => a[1..],
            () => a[1], () => a.flip(0), () => a.diagonal(), () => a.clone(), () => a.to(torch.float32), () => torch.cat([a, b]),
            () => torch.stack([a, b]), () => a.sum(), () => a.sum(1), () => a.mean(), () => a.mean(1), () => a.prod(), () => a.prod(1),
            () => a.max(), () => a.min(), () => a.max(1).values, () => a.min(1).values, () => a.amax(1), () => a.amin(1),
            () => a.cumsum(1), () => a.cumprod(1), () => a.softmax(1), () => a.log_softmax(1), () => a.var(), () => a.std(),
            () => a.var_mean().Item1, () => a.std_mean().Item1, () => a.mm(b.t()), () => a.unsqueeze(0).bmm(b.t().unsqueeze(0)),
            () => a.mv(v), () => v.dot(v), () => v.matmul(b.t()), () => a.index_select(0, idx), () => a[idx], () => a.gather(1, torch.tensor(new long[] { 0, 3, 1 }).view(3, 1)),
            () => a.scatter(0, idx.view(1, 2), b[..1, ..2]), () => a.scatter(0, idx.view(1, 2), 1.0), () => a.scatter_add(0, idx.view(1, 2), b[..1, ..2]),
            () => a.index_add(0, idx, b[..2]), () => a.take(idx), () => a.masked_select(mask), () => a.masked_scatter(mask, b),
            () => a.index_put([idx], b[..2]), () => a.diagonal_scatter(v[..3]),
            () => { var c = a.clone(); c.copy_(b); return c; }, () => { var c = a.clone(); c.fill_(1); return c; },
            () => F.leaky_relu(a), () => F.gelu(a), () => F.gelu(a, "tanh"), () => F.elu(a), () => F.silu(a), () => F.softplus(a),
            () => F.hardtanh(a), () => F.mse_loss(a, b), () => F.smooth_l1_loss(a, b), () => F.huber_loss(a, b),
            () => F.binary_cross_entropy(a.sigmoid(), b.sigmoid()), () => F.binary_cross_entropy_with_logits(a, b.sigmoid()),
            () => F.nll_loss(a.log_softmax(1), torch.tensor(new long[] { 0, 1, 3 })), () => F.linear(a, b, v[..3]), () => F.linear(v, a),
            () => F.embedding(idx, a), () => F.layer_norm(a, [4]), () => F.batch_norm(a, null, null, training: true),
        ];
        var unknown = new SortedSet<string>();
        int seen = 0;
        for (int k = 0; k < ops.Length; k++)
        {
            var y = ops[k]();
            Assert.That(y.requires_grad, Is.True, $"op #{k}");
            // create_graph: the derivative formulas' own ops record nodes too (SliceBackwardBackward0 …).
            Tensor?[] g;
            try { g = torch.autograd.grad([y.sum()], [a, b, v], create_graph: true, allow_unused: true); }
            catch (Exception e) { throw new InvalidOperationException($"op #{k}", e); }
            foreach (var t in g.Append(y))
                if (t is not null)
                    foreach (var n in Graph(t))
                    {
                        seen++;
                        if (!NonTableNodes.Contains(n.GetType()) || n is DerivativeNode)
                            if (!rows.Contains(n.name())) unknown.Add(n.name());
                    }
        }
        Assert.That(seen, Is.GreaterThan(500));
        Assert.That(unknown, Is.Empty, "grad_fn names not declared in Autograd/Derivatives");
    }

    /// <summary>No backward name (a string literal such as "MulBackward0") at an op's call site: rows hold them.</summary>
    [Test]
    public void NoBackwardNameOutsideTheTables()
    {
        var src = SourceFolder();
        var literal = new Regex("\"[A-Z][A-Za-z0-9]*Backward\\d+\"");
        var tables = Path.Combine(src, "Autograd", "Derivatives");
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(tables, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && literal.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}")
            .ToArray();
        Assert.That(offenders, Is.Empty);
    }

    /// <summary>src/Tensors of the checkout the tests were built from.</summary>
    internal static string SourceFolder()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "src", "Tensors");
            if (File.Exists(Path.Combine(candidate, "Tensors.csproj"))) return candidate;
        }
        Assert.Inconclusive("the sources are not beside the test build");
        return "";
    }
}
