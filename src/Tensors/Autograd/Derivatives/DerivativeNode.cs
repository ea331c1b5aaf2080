using System.Numerics;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// The recorded node of a <see cref="Derivative"/> row: the edges to its inputs, the saved variables the row's formulas
/// read (version-checked, dropped when the graph is freed), each input's shape and dtype for fitting gradients, and the
/// op's non-tensor arguments (a number, integers such as dims or a state object, keepdim). One allocation per recorded
/// op for one- and two-input ops: the first two saved variables and input shapes live in fields.
/// </summary>
internal sealed class DerivativeNode : Node
{
    internal readonly Derivative Row;
    private readonly Saves _saved;
    internal readonly bool Keepdim;
    private SavedTensor _s0, _s1;
    private readonly InputMeta _m0, _m1;
    // Saved variables and input shapes beyond the first two (three-input ops, cat, batch norm): rare, so out of line.
    private readonly Overflow? _more;
    internal readonly Scalar Scalar;
    // The op's integer arguments (long[]) or any other state it needs: one field, as no row reads both.
    private readonly object? _args;

    private sealed class Overflow(int saved, int inputs)
    {
        public readonly SavedTensor[] Saved = new SavedTensor[Math.Max(0, saved)];
        public readonly InputMeta[] Inputs = new InputMeta[Math.Max(0, inputs)];
    }

    internal long[]? Ints => _args as long[];
    internal object? State => _args;

    internal DerivativeNode(Derivative row, ReadOnlySpan<Tensor?> inputs, Tensor result, ReadOnlySpan<Tensor?> extras,
        Scalar scalar, long[]? ints, bool keepdim, object? state) : base(inputs)
    {
        if (ints is not null && state is not null)
            throw new ArgumentException($"{row.Name}: a row takes integer arguments or a state object, not both");
        Row = row; Scalar = scalar; _args = (object?)ints ?? state; Keepdim = keepdim;
        NumOutputs = row.Outputs;
        if (inputs.Length > 0 && inputs[0] is { } a) _m0 = InputMeta.Of(a);
        if (inputs.Length > 1 && inputs[1] is { } b) _m1 = InputMeta.Of(b);
        var save = row.ToSave(this);
        int count = BitOperations.PopCount((uint)save);
        if (inputs.Length > 2 || count > 2)
        {
            _more = new Overflow(count - 2, inputs.Length - 2);
            for (int i = 2; i < inputs.Length; i++) if (inputs[i] is { } t) _more.Inputs[i - 2] = InputMeta.Of(t);
        }
        if (save == Saves.None) return;
        int slot = 0;
        for (uint rest = (uint)save; rest != 0; rest &= rest - 1)
        {
            int bit = BitOperations.TrailingZeroCount(rest);
            var flag = (Saves)(1 << bit);
            var t = flag == Saves.Result ? result : bit < 8 ? At(inputs, bit) : At(extras, bit - 9);
            var st = new SavedTensor(t, isOutput: flag == Saves.Result);
            if (slot == 0) _s0 = st; else if (slot == 1) _s1 = st; else _more!.Saved[slot - 2] = st;
            slot++;
        }
        _saved = save;
    }

    private static Tensor? At(ReadOnlySpan<Tensor?> ts, int i) => i < ts.Length ? ts[i] : null;

    public override string name() => Row.Name;

    /// <summary>The saved variable named by one <see cref="Saves"/> flag (the row must have declared it).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal Tensor Saved(Saves flag)
    {
        if ((_saved & flag) == 0) NotDeclared(flag);
        int slot = BitOperations.PopCount((uint)(_saved & (flag - 1)));
        return (slot == 0 ? _s0 : slot == 1 ? _s1 : _more!.Saved[slot - 2]).Unpack(this);
    }

    private void NotDeclared(Saves flag) =>
        throw new InvalidOperationException($"{Row.Name}: a formula read a saved variable ({flag}) its row does not declare");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal InputMeta Meta(int i) => i == 0 ? _m0 : i == 1 ? _m1 : _more!.Inputs[i - 2];

    internal bool Needs(int i) => NeedsGrad(i);

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        var c = new BackwardContext(this, grads);
        var row = Row;
        Tensor?[] r;
        if (row.Joint is not null)
        {
            var all = row.Joint(c);
            r = all.Length == Next.Length ? all : new Tensor?[Next.Length];
            for (int i = 0; i < r.Length && i < all.Length; i++)
                if (NeedsGrad(i) && all[i] is { } gi) r[i] = Meta(i).Fit(gi);
            return r;
        }
        r = new Tensor?[Next.Length];
        for (int i = 0; i < r.Length && i < row.Inputs.Length; i++)
            if (NeedsGrad(i) && row.Inputs[i].Formula is { } f && f(c) is { } gi) r[i] = Meta(i).Fit(gi);
        return r;
    }

    protected override void ReleaseSaved()
    {
        _s0.Release(); _s1.Release();
        if (_more is not null) for (int i = 0; i < _more.Saved.Length; i++) _more.Saved[i].Release();
    }

    /// <summary>The saved tensors still held, named as torchviz names them (self, other, result, …).</summary>
    internal IEnumerable<(string name, Tensor tensor)> SavedForDisplay()
    {
        if (Released) yield break;
        for (int bit = 0; bit < 32; bit++)
        {
            var flag = (Saves)(1 << bit);
            if ((_saved & flag) == 0) continue;
            Tensor? t;
            try { t = Saved(flag); } catch (InvalidOperationException) { continue; }
            yield return (flag switch { Saves.Self => "self", Saves.Other => "other", Saves.Result => "result", _ => flag.ToString().ToLowerInvariant() }, t);
        }
    }
}

/// <summary>
/// What a derivative formula sees, in derivatives.yaml's words: <c>grad</c> (the gradient of output 0), <c>grads</c>,
/// the saved <c>self</c>, <c>other</c>, <c>result</c> and extras, which inputs need a gradient, and the op's arguments.
/// </summary>
internal readonly struct BackwardContext(DerivativeNode node, Tensor?[] grads)
{
    /// <summary>The incoming gradient of output 0.</summary>
    public Tensor grad => grads[0]!;
    /// <summary>The incoming gradients of every output (null: that output got none).</summary>
    public Tensor?[] grads { get; } = grads;
    public Tensor self => node.Saved(Saves.Self);
    public Tensor other => node.Saved(Saves.Other);
    public Tensor result => node.Saved(Saves.Result);
    /// <summary>Saved input <paramref name="i"/> (0 is self).</summary>
    public Tensor input(int i) => node.Saved((Saves)(1 << i));
    /// <summary>Saved non-differentiable tensor <paramref name="i"/> (<see cref="Saves.Extra0"/> …).</summary>
    public Tensor extra(int i) => node.Saved((Saves)(1 << (9 + i)));
    /// <summary>How many inputs the op had (differentiable or not).</summary>
    public int inputs => node.Next.Length;
    /// <summary>PyTorch's <c>needs_input_grad[i]</c>.</summary>
    public bool needs(int i) => node.Needs(i);
    public Scalar scalar => node.Scalar;
    public long[] ints => node.Ints!;
    public bool keepdim => node.Keepdim;
    public T state<T>() => (T)node.State!;
    /// <summary>Input <paramref name="i"/>'s shape and dtype when recorded (nothing saved for them).</summary>
    public long[] shape(int i) => node.Meta(i).Shape;
    public DType dtype(int i) => node.Meta(i).DType;
    /// <summary>Zeros shaped like input <paramref name="i"/>, on the gradient's device.</summary>
    public Tensor zeros(int i) => torch.zeros(shape(i), dtype: dtype(i), device: grad.device);
}
