using System.Runtime.InteropServices;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// Runs backward passes: counts dependencies over the reachable graph, then executes nodes whose inputs are all in,
/// latest-created first (PyTorch's ready-queue order), summing gradients per input slot. Iterative throughout, so a
/// chain of 100 000 ops needs no deep stack.
/// </summary>
internal static class Engine
{
    /// <param name="captureFor">For autograd.grad: the tensors whose gradients are returned instead of accumulated.</param>
    public static Tensor?[]? Run(Tensor[] roots, Tensor?[] grads, bool retainGraph, bool createGraph,
        Tensor[]? captureFor = null, bool accumulateIntoLeaves = true)
    {
        var rootEdges = new Edge[roots.Length];
        for (int i = 0; i < roots.Length; i++)
        {
            var r = roots[i];
            if (!r._requiresGrad)
                throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            rootEdges[i] = Node.EdgeTo(r);
        }

        // Where gradients are captured (autograd.grad) or only some leaves are wanted (backward(inputs=...)).
        Dictionary<(Node, int), int>? capture = null;
        HashSet<Node>? onlyAccumulate = null;
        if (captureFor is not null)
        {
            capture = [];
            for (int i = 0; i < captureFor.Length; i++)
            {
                var t = captureFor[i];
                if (!t._requiresGrad) throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
                var e = Node.EdgeTo(t);
                capture[(e.Function!, e.InputNr)] = i;
            }
            if (accumulateIntoLeaves)
            {
                onlyAccumulate = [];
                foreach (var k in capture.Keys) onlyAccumulate.Add(k.Item1);
                capture = null;
            }
        }
        var captured = captureFor is null ? null : new Tensor?[captureFor.Length];

        // The run's collections are reused per thread (a nested backward, from a hook, gets its own).
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        try
        {
            RunWith(scratch, rootEdges, grads, retainGraph, createGraph, capture, onlyAccumulate, captured);
        }
        finally
        {
            // Collections grown by a huge graph are left to the GC rather than kept for this thread.
            if (scratch.Count <= 4096) { scratch.Clear(); t_scratch = scratch; }
        }
        return captured;
    }

    /// <summary>Per node of one run: inputs still to come, the gradients summed so far, whether it was queued.</summary>
    private struct Slot
    {
        public int Deps;
        public Tensor?[]? Buffer;
        public bool Queued;
    }

    /// <summary>
    /// Nodes compared by identity and hashed by their sequence number: unique, already there, and unlike the object's
    /// identity hash it needs no first-use setup in the object header (every step's nodes are new).
    /// </summary>
    private sealed class NodeComparer : IEqualityComparer<Node>
    {
        public static readonly NodeComparer Instance = new();
        public bool Equals(Node? x, Node? y) => ReferenceEquals(x, y);
        public int GetHashCode(Node n) => (int)n.SequenceNr ^ (int)(n.SequenceNr >> 32);
    }

    /// <summary>The slots, the traversal stack and the ready queue of one run.</summary>
    private sealed class Scratch
    {
        public readonly Dictionary<Node, Slot> Slots = new(NodeComparer.Instance);
        public readonly Stack<Node> Stack = new();
        public readonly PriorityQueue<Node, long> Ready = new();

        public int Count => Slots.Count;

        public void Clear()
        {
            Slots.Clear(); Stack.Clear(); Ready.Clear();
        }
    }

    [ThreadStatic] private static Scratch? t_scratch;

    private static void RunWith(Scratch scratch, Edge[] rootEdges, Tensor?[] grads, bool retainGraph, bool createGraph,
        Dictionary<(Node, int), int>? capture, HashSet<Node>? onlyAccumulate, Tensor?[]? captured)
    {
        // Dependency counts over every node reachable from the roots.
        var slots = scratch.Slots;
        var stack = scratch.Stack;
        foreach (var e in rootEdges)
            if (e.Function is { } f && slots.TryAdd(f, default)) stack.Push(f);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            foreach (var e in n.Next)
            {
                if (e.Function is not { } f) continue;
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(slots, f, out bool seen);
                slot.Deps++;
                if (!seen) stack.Push(f);
            }
        }

        var ready = scratch.Ready;
        for (int i = 0; i < rootEdges.Length; i++)
        {
            var e = rootEdges[i];
            if (e.Function is null) continue;
            Accumulate(ref CollectionsMarshal.GetValueRefOrNullRef(slots, e.Function), e, grads[i]);
        }
        foreach (var e in rootEdges)
        {
            if (e.Function is not { } f) continue;
            ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(slots, f);
            if (slot.Deps == 0 && !slot.Queued) { slot.Queued = true; ready.Enqueue(f, -f.SequenceNr); }
        }

        using var mode = new GradModeGuard(createGraph);
        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            ref var own = ref CollectionsMarshal.GetValueRefOrNullRef(slots, node);
            var gradOut = own.Buffer ?? new Tensor?[node.NumOutputs];
            own.Buffer = null;

            if (node._preHooks is not null)
                foreach (var h in node._preHooks) gradOut = h(gradOut) ?? gradOut;

            Tensor?[] gradIn;
            if (capture is not null && node is AccumulateGrad)
            {
                gradIn = [];
                if (capture.TryGetValue((node, 0), out var slotNr)) captured![slotNr] = gradOut[0];
            }
            else if (onlyAccumulate is not null && node is AccumulateGrad && !onlyAccumulate.Contains(node))
            {
                gradIn = [];
            }
            else
            {
                if (capture is not null)
                    for (int o = 0; o < gradOut.Length; o++)
                        if (capture.TryGetValue((node, o), out var s)) captured![s] = gradOut[o];
                gradIn = torch.autograd.is_anomaly_enabled() ? ApplyInAnomalyMode(node, gradOut, retainGraph) : Apply(node, gradOut, retainGraph);
            }

            // Nodes whose every input edge had no gradient still need their count to reach zero.
            for (int i = 0; i < node.Next.Length; i++)
            {
                var e = node.Next[i];
                if (e.Function is not { } f) continue;
                ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(slots, f);
                if (i < gradIn.Length) Accumulate(ref slot, e, gradIn[i]);
                if (--slot.Deps == 0 && !slot.Queued) { slot.Queued = true; ready.Enqueue(f, -f.SequenceNr); }
            }
        }
    }

    /// <summary>A node's backward, then its post hooks; its saved tensors are freed unless the graph is kept.</summary>
    private static Tensor?[] Apply(Node node, Tensor?[] gradOut, bool retainGraph)
    {
        var gradIn = node.Apply(gradOut);
        if (node._hooks is not null)
            foreach (var h in node._hooks) gradIn = h(gradIn, gradOut) ?? gradIn;
        if (!retainGraph) node.Release();
        return gradIn;
    }

    /// <summary>
    /// A node's backward as in ATen's engine under anomaly mode: outputs checked for NaN (validate_outputs), and any
    /// error preceded by the warning that names the node and the forward call that made it (GraphTask's print_stack).
    /// </summary>
    private static Tensor?[] ApplyInAnomalyMode(Node node, Tensor?[] gradOut, bool retainGraph)
    {
        try
        {
            var gradIn = Apply(node, gradOut, retainGraph);
            if (torch.autograd.is_anomaly_check_nan_enabled())
            {
                using var _ = new GradModeGuard(false);
                for (int i = 0; i < gradIn.Length; i++)
                    if (gradIn[i] is { } g && g.isnan().any().item<bool>())
                        throw new InvalidOperationException($"Function '{node.name()}' returned nan values in its {i}th output.");
            }
            return gradIn;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // TORCH_WARN names the engine's Python caller (torch/autograd/graph.py), so the same report shows once per process.
            warnings.warnFromLibrary($"Error detected in {node.name()}. Traceback of forward call that caused the error:\n{node.ForwardTrace}");
            throw;
        }
    }

    private static void Accumulate(ref Slot slot, Edge e, Tensor? g)
    {
        var f = e.Function!;
        var buf = slot.Buffer ??= new Tensor?[Math.Max(f.NumOutputs, e.InputNr + 1)];
        if (g is null) return;
        buf[e.InputNr] = buf[e.InputNr] is { } prev ? prev + g : g;
    }
}
