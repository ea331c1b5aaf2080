namespace Notebooks.Tensors.Autograd;

/// <summary>
/// The node of an nn op that PyTorch implements as one kernel with its own derivative (MseLossBackward0,
/// NllLossBackward0, GeluBackward0 ...): named as PyTorch names it, with the tensors its formula reads saved
/// (version-checked) and a formula from (incoming gradient, saved tensors) to one gradient per input.
/// </summary>
internal sealed class FunctionBackward : Node
{
    private readonly string _name;
    private readonly SavedTensor[] _saved;
    private readonly Func<Tensor, Tensor[], Tensor?[]>? _formula;
    private readonly Func<Tensor, Tensor[], bool[], Tensor?[]>? _formulaNeeds;
    private readonly InputMeta?[] _inputs;

    public FunctionBackward(string name, Tensor?[] inputs, Tensor[] saved, Func<Tensor, Tensor[], Tensor?[]>? formula,
        Func<Tensor, Tensor[], bool[], Tensor?[]>? formulaNeeds = null) : base(inputs)
    {
        _name = name;
        _formula = formula;
        _formulaNeeds = formulaNeeds;
        _saved = new SavedTensor[saved.Length];
        for (int i = 0; i < saved.Length; i++) _saved[i] = new SavedTensor(saved[i], this);
        _inputs = Array.ConvertAll(inputs, t => t is null ? (InputMeta?)null : InputMeta.Of(t));
    }

    public override string name() => _name;

    internal override Tensor?[] Apply(Tensor?[] g)
    {
        var saved = new Tensor[_saved.Length];
        for (int i = 0; i < saved.Length; i++) saved[i] = _saved[i].Unpack();
        Tensor?[] r;
        if (_formulaNeeds is not null)
        {
            var needs = new bool[Next.Length];
            for (int i = 0; i < needs.Length; i++) needs[i] = NeedsGrad(i);
            r = _formulaNeeds(g[0]!, saved, needs);
        }
        else r = _formula!(g[0]!, saved);
        for (int i = 0; i < r.Length; i++)
            if (r[i] is { } gi && _inputs[i] is { } meta && NeedsGrad(i)) r[i] = meta.Fit(gi);
            else r[i] = NeedsGrad(i) ? r[i] : null;
        return r;
    }

    protected override void ReleaseSaved()
    {
        for (int i = 0; i < _saved.Length; i++) _saved[i].Release();
    }

    /// <summary>Attaches a node to <paramref name="result"/> when autograd records an op on <paramref name="inputs"/>.</summary>
    public static Tensor Record(Tensor result, string name, Tensor?[] inputs, Tensor[] saved, Func<Tensor, Tensor[], Tensor?[]> formula)
    {
        if (AnyRecords(inputs)) result.WithGrad(new FunctionBackward(name, inputs, saved, formula));
        return result;
    }

    /// <summary>
    /// <see cref="Record(Tensor, string, Tensor?[], Tensor[], Func{Tensor, Tensor[], Tensor?[]})"/> with a formula told which
    /// inputs need a gradient (PyTorch's <c>needs_input_grad</c>), so it computes no product it would throw away.
    /// </summary>
    public static Tensor Record(Tensor result, string name, Tensor?[] inputs, Tensor[] saved, Func<Tensor, Tensor[], bool[], Tensor?[]> formula)
    {
        if (AnyRecords(inputs)) result.WithGrad(new FunctionBackward(name, inputs, saved, null, formula));
        return result;
    }

    private static bool AnyRecords(Tensor?[] inputs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var t in inputs) if (t is { _requiresGrad: true }) return true;
        return false;
    }
}
