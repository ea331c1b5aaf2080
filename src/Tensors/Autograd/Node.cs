using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Autograd;

/// <summary>An edge of the backward graph: the node that receives a gradient and which of its inputs it is.</summary>
public readonly record struct Edge(Node? Function, int InputNr)
{
    public bool IsValid => Function is not null;
}

/// <summary>
/// A backward function (PyTorch's <c>torch.autograd.graph.Node</c>): <c>grad_fn</c> of a tensor. Subclasses hold
/// what their formula saved and compute one gradient per input from the gradients of their outputs.
/// </summary>
public abstract class Node
{
    private static long _sequence;

    internal readonly Edge[] Next;
    /// <summary>Later nodes run first in the engine, as PyTorch orders its ready queue.</summary>
    internal readonly long SequenceNr;
    internal int NumOutputs = 1;
    private bool _released;
    internal List<Func<Tensor?[], Tensor?[], Tensor?[]?>>? _hooks;
    internal List<Func<Tensor?[], Tensor?[]?>>? _preHooks;

    protected Node(ReadOnlySpan<Tensor?> inputs)
    {
        SequenceNr = Interlocked.Increment(ref _sequence);
        Next = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            Next[i] = inputs[i] is { } t ? EdgeTo(t) : default;
        if (torch.autograd.is_anomaly_enabled()) ForwardTraces.Add(this, UserCode.Traceback());
    }

    /// <summary>For nodes that rewire existing edges (CopySlices).</summary>
    private protected Node(ReadOnlySpan<Tensor?> _, Edge[] edges)
    {
        SequenceNr = Interlocked.Increment(ref _sequence);
        Next = edges;
        if (torch.autograd.is_anomaly_enabled()) ForwardTraces.Add(this, UserCode.Traceback());
    }

    // Anomaly mode's metadata (PyTorch's AnomalyMetadata): the forward call that created a node, kept beside the node
    // rather than in it, so nodes made outside anomaly mode carry nothing.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Node, string> ForwardTraces = new();

    /// <summary>Where the forward pass created this node, when it was made in anomaly mode.</summary>
    internal string? ForwardTrace => ForwardTraces.TryGetValue(this, out var trace) ? trace : null;

    /// <summary>The edge that carries a gradient into <paramref name="t"/>: its grad_fn, or its leaf accumulator.</summary>
    internal static Edge EdgeTo(Tensor t)
    {
        if (!t._requiresGrad) return default;
        if (t._gradFn is { } fn) return new Edge(fn, t._outputNr);
        return new Edge(t.GradAccumulator(), 0);
    }

    /// <summary>PyTorch's class name, e.g. <c>MulBackward0</c>.</summary>
    public virtual string name() => GetType().Name;

    /// <summary>
    /// The (node, input number) pairs this node sends gradients to, as PyTorch's <c>grad_fn.next_functions</c>: a
    /// tuple of pairs, <c>next_functions[0][0]</c> being the first input's node (null, printed None, where an input
    /// needs no gradient).
    /// </summary>
    public NextFunctions next_functions
    {
        get
        {
            var r = new NextFunction[Next.Length];
            for (int i = 0; i < Next.Length; i++) r[i] = new NextFunction(Next[i].Function, Next[i].InputNr);
            return new NextFunctions(r);
        }
    }

    /// <summary>Whether the gradient for input <paramref name="i"/> is needed (PyTorch's <c>needs_input_grad</c>).</summary>
    protected bool NeedsGrad(int i) => Next[i].IsValid;

    /// <summary>Computes input gradients from output gradients (null means zero).</summary>
    internal abstract Tensor?[] Apply(Tensor?[] gradOutputs);

    /// <summary>Frees saved tensors after a backward that didn't ask to retain the graph.</summary>
    internal void Release()
    {
        _released = true;
        ReleaseSaved();
    }

    protected virtual void ReleaseSaved() { }

    internal bool Released => _released;

    /// <summary>Registers a hook called with (grad_inputs, grad_outputs) after this node runs; it may return replacements.</summary>
    public void register_hook(Func<Tensor?[], Tensor?[], Tensor?[]?> hook) => (_hooks ??= []).Add(hook);

    public void register_prehook(Func<Tensor?[], Tensor?[]?> hook) => (_preHooks ??= []).Add(hook);

    public override string ToString() =>
        $"<{name()} object at 0x{(RuntimeHelpers.GetHashCode(this) * 0x1000L + 0x7f0000000000L):x12}>";
}

/// <summary>The sink of a leaf tensor: adds incoming gradients into <c>.grad</c>.</summary>
public sealed class AccumulateGrad : Node
{
    public Tensor variable { get; }

    internal AccumulateGrad(Tensor leaf) : base(ReadOnlySpan<Tensor?>.Empty) { variable = leaf; }

    public override string name() => "AccumulateGrad";

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var g = gradOutputs[0];
        if (g is null) return [];
        var v = variable;
        if (v._hooks is not null)
            foreach (var h in v._hooks) g = h(g) ?? g;
        if (v._grad is null)
        {
            // Without create_graph the stored grad must not keep the backward graph alive.
            v._grad = GradMode.Enabled ? g.clone() : g.CloneDetached();
        }
        else if (GradMode.Enabled)
        {
            v._grad = v._grad + g;
        }
        else
        {
            v._grad.AddInPlaceRaw(g);
        }
        return [];
    }
}

/// <summary>
/// One entry of <see cref="Node.next_functions"/>: Python's <c>(node, input_nr)</c> pair. <c>[0]</c> is the node, so
/// <c>grad_fn.next_functions[0][0].next_functions</c> chains as in Python; the input number is <c>.index</c>
/// (<c>[1]</c> in Python: a C# indexer has one type). Deconstructs as <c>var (fn, index) = entry</c>.
/// </summary>
public readonly record struct NextFunction(Node? fn, int index)
{
    public Node? this[int i] => i switch
    {
        0 => fn,
        1 => throw new ArgumentException("next_functions[i][1] is an int: read it as next_functions[i].index in C#"),
        _ => throw new IndexOutOfRangeException("tuple index out of range"),
    };

    /// <summary>As Python prints the pair: <c>(&lt;MulBackward0 object at 0x…&gt;, 0)</c> or <c>(None, 0)</c>.</summary>
    public override string ToString() => $"({(fn is null ? "None" : fn.ToString())}, {index})";
}

/// <summary>The tuple <see cref="Node.next_functions"/> returns, printed as Python prints a tuple of pairs.</summary>
public sealed class NextFunctions(NextFunction[] items) : IReadOnlyList<NextFunction>
{
    public NextFunction this[int index] => items[index < 0 ? index + items.Length : index];
    public int Count => items.Length;
    public IEnumerator<NextFunction> GetEnumerator() => ((IEnumerable<NextFunction>)items).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => items.GetEnumerator();
    public override string ToString() =>
        items.Length == 1 ? $"({items[0]},)" : "(" + string.Join(", ", items) + ")";
}
