using System.Reflection;
using System.Runtime.CompilerServices;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// The <c>ctx</c> of a custom autograd function: what forward saves for backward, which inputs need gradients,
/// and any other state the pair wants to share (Python's free attributes on ctx, here <c>ctx["name"]</c>).
/// </summary>
public sealed class FunctionCtx
{
    private SavedTensor[] _saved = [];
    private bool _savedNull;
    private readonly Dictionary<string, object?> _items = [];
    internal Node? Owner;
    internal HashSet<Tensor>? NonDifferentiable;

    /// <summary>One flag per argument of <c>forward</c> (false for non-tensor arguments).</summary>
    public IReadOnlyList<bool> needs_input_grad { get; internal set; } = [];

    /// <summary>Arbitrary state shared by forward and backward (<c>ctx.constant = c</c> in Python).</summary>
    public object? this[string name]
    {
        get => _items.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"'FunctionCtx' object has no attribute '{name}'");
        set => _items[name] = value;
    }

    private Tensor?[] _pending = [];

    /// <summary>Keeps tensors for backward; checked against in-place changes and freed with the graph.</summary>
    public void save_for_backward(params Tensor?[] tensors) => _pending = tensors;

    /// <summary>The tensors given to <see cref="save_for_backward"/>, in order.</summary>
    public Tensor?[] saved_tensors
    {
        get
        {
            if (_savedNull)
                throw new InvalidOperationException(
                    "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                    "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
            if (Owner is null) return _pending;
            var r = new Tensor?[_saved.Length];
            for (int i = 0; i < r.Length; i++) r[i] = _saved[i].IsNull ? null : _saved[i].Unpack(Owner);
            return r;
        }
    }

    /// <summary>Marks outputs that get no gradient (indices, masks): they won't require grad.</summary>
    public void mark_non_differentiable(params Tensor[] outputs)
    {
        NonDifferentiable ??= new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var o in outputs) NonDifferentiable.Add(o);
    }

    /// <summary>When false, backward gets null (not zeros) for outputs that received no gradient.</summary>
    public void set_materialize_grads(bool value) => MaterializeGrads = value;
    internal bool MaterializeGrads = true;

    /// <summary>Turns the pending saves into version-checked saved tensors once the node exists.</summary>
    internal void Seal(Node owner, Tensor?[] outputs)
    {
        Owner = owner;
        _saved = new SavedTensor[_pending.Length];
        for (int i = 0; i < _pending.Length; i++)
        {
            var t = _pending[i];
            if (t is null) continue;
            bool isOutput = Array.IndexOf(outputs, t) >= 0;
            _saved[i] = new SavedTensor(t, isOutput);
        }
        _pending = [];
    }

    internal void Release()
    {
        for (int i = 0; i < _saved.Length; i++) _saved[i].Release();
        _savedNull = _saved.Length > 0;
    }
}

/// <summary>The backward node of a custom function: <c>CustomReLUBackward</c>, calling the user's static backward.</summary>
internal sealed class CustomFunctionBackward : Node
{
    private readonly string _name;
    private readonly FunctionCtx _ctx;
    private readonly CustomFunctionInfo _info;
    private readonly int[] _tensorArgIndex;   // edge i belongs to forward argument _tensorArgIndex[i]
    private readonly InputMeta[] _outputs;

    public CustomFunctionBackward(string name, FunctionCtx ctx, CustomFunctionInfo info, Tensor?[] tensorArgs, int[] tensorArgIndex, InputMeta[] outputs)
        : base(tensorArgs)
    {
        _name = name; _ctx = ctx; _info = info; _tensorArgIndex = tensorArgIndex; _outputs = outputs;
        NumOutputs = outputs.Length;
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var args = new object?[1 + gradOutputs.Length];
        args[0] = _ctx;
        for (int i = 0; i < gradOutputs.Length; i++)
            args[1 + i] = gradOutputs[i] ?? (_ctx.MaterializeGrads ? torch.zeros(_outputs[i].Shape, dtype: _outputs[i].DType) : null);
        object? result;
        try { result = _info.Backward.Invoke(null, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        var grads = CustomFunctionInfo.Flatten(result);
        if (grads.Length != _info.ForwardArity)
            throw new InvalidOperationException(
                $"function {_name} returned an incorrect number of gradients (expected {_info.ForwardArity}, got {grads.Length})");

        var r = new Tensor?[Next.Length];
        for (int i = 0; i < r.Length; i++)
        {
            if (!Next[i].IsValid) continue;
            if (grads[_tensorArgIndex[i]] is Tensor g) r[i] = g;
        }
        return r;
    }

    protected override void ReleaseSaved() => _ctx.Release();
}

/// <summary>The reflected forward/backward pair of one custom function type.</summary>
internal sealed class CustomFunctionInfo
{
    public required MethodInfo Forward { get; init; }
    public required MethodInfo Backward { get; init; }
    public int ForwardArity => Forward.GetParameters().Length - 1;

    public static CustomFunctionInfo For(Type t)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        MethodInfo Find(string name) =>
            t.GetMethods(flags).SingleOrDefault(m => m.Name == name && m.GetParameters() is [{ } p0, ..] && p0.ParameterType == typeof(FunctionCtx))
            ?? throw new NotSupportedException($"{t.Name} must define a static {name}(FunctionCtx ctx, ...) method");
        return new CustomFunctionInfo { Forward = Find("forward"), Backward = Find("backward") };
    }

    /// <summary>A backward/forward result as a list: a tensor, null, an array, or a tuple.</summary>
    public static object?[] Flatten(object? result) => result switch
    {
        null => [null],
        Tensor t => [t],
        object?[] a => a,
        ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray(),
        _ => [result],
    };
}
