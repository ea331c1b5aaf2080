using Notebooks.Tensors.Autograd;

namespace Notebooks.Formatters.Graphs;

/// <summary>
/// Walks the backward graph from some tensors, as torchviz's <c>make_dot</c> does: each output is a green node fed
/// by its grad_fn, each AccumulateGrad is drawn as its leaf variable (blue), other functions by name (grey).
/// Edges point from an input's function toward the function that consumes it. With <c>showSaved</c>, the tensors
/// each node saved for backward are drawn orange and point into that node.
/// </summary>
internal sealed class AutogradGraph
{
    public List<(GraphNodeKind kind, string label)> Nodes { get; } = [];
    public List<(int from, int to)> Edges { get; } = [];

    private readonly Dictionary<object, int> _ids = new(ReferenceEqualityComparer.Instance);
    // Saved tensors get their own boxes even when the same tensor is also drawn as an output.
    private readonly Dictionary<Tensor, int> _saved = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, string> _names = new(ReferenceEqualityComparer.Instance);

    public static AutogradGraph Build(IEnumerable<Tensor> outputs, IEnumerable<KeyValuePair<string, Tensor>>? parameters, bool showSaved = false)
    {
        var g = new AutogradGraph();
        if (parameters is not null) foreach (var (name, t) in parameters) g._names[t] = name;

        var seenEdges = new HashSet<(int, int)>();
        var stack = new Stack<Node>();
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var y in outputs)
        {
            int outId = g.Add(y, GraphNodeKind.Output, g.VarLabel(y));
            if (y.grad_fn is { } fn)
            {
                int f = g.NodeFor(fn);
                if (seenEdges.Add((f, outId))) g.Edges.Add((f, outId));
                stack.Push(fn);
            }
        }
        while (stack.Count > 0)
        {
            var fn = stack.Pop();
            if (!visited.Add(fn)) continue;
            int to = g.NodeFor(fn);
            if (showSaved)
            {
                // torchviz: one orange box per saved tensor (shared when two nodes saved the same tensor), joined to its node.
                foreach (var (name, t) in fn.saved_tensors_for_display())
                {
                    if (!g._saved.TryGetValue(t, out int s))
                    {
                        s = g.Nodes.Count;
                        g.Nodes.Add((GraphNodeKind.Saved, SavedName(name) + "\n" + Size(t)));
                        g._saved[t] = s;
                    }
                    if (seenEdges.Add((s, to))) g.Edges.Add((s, to));
                }
            }
            foreach (var (next, _) in fn.next_functions)
            {
                if (next is null) continue;
                int from = g.NodeFor(next);
                if (seenEdges.Add((from, to))) g.Edges.Add((from, to));
                stack.Push(next);
            }
        }
        return g;
    }

    private int NodeFor(Node fn) =>
        fn is AccumulateGrad acc
            ? Add(fn, GraphNodeKind.Leaf, VarLabel(acc.variable))
            : Add(fn, GraphNodeKind.Function, fn.name());

    private int Add(object key, GraphNodeKind kind, string label)
    {
        if (_ids.TryGetValue(key, out var id)) return id;
        id = Nodes.Count;
        Nodes.Add((kind, label));
        _ids[key] = id;
        return id;
    }

    /// <summary>
    /// PyTorch's names for the usual saved slots (torchviz prints <c>_saved_self</c> as "self"): our node classes
    /// call the first operand a/sa/x, the second b/sb and the output y; other fields keep their own names.
    /// </summary>
    private static string SavedName(string field) => field switch
    {
        "a" or "sa" or "x" or "self" => "self",
        "b" or "sb" => "other",
        "y" or "result" => "result",
        _ => field,
    };

    private static string Size(Tensor t) => "(" + string.Join(", ", t.shape) + ")";

    private string VarLabel(Tensor t)
    {
        var size = Size(t);
        return _names.TryGetValue(t, out var name) ? name + "\n " + size : size;
    }
}
