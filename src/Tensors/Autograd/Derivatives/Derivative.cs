namespace Notebooks.Tensors.Autograd;

/// <summary>
/// What a derivative formula reads besides the incoming gradient: derivatives.yaml's saved variables. Inputs are
/// numbered as the op passes them to <see cref="Derivative.Record(Tensor, Tensor, Scalar, long[], bool, object)"/> (0 is
/// <c>self</c>, 1 is <c>other</c>), <see cref="Result"/> is the op's output, and extras are tensor arguments that take no
/// gradient (an index, a mask, a condition, a mean kept from the forward pass).
/// </summary>
[Flags]
internal enum Saves
{
    None = 0,
    Self = 1 << 0,
    Other = 1 << 1,
    Input2 = 1 << 2,
    Input3 = 1 << 3,
    Result = 1 << 8,
    Extra0 = 1 << 9,
    Extra1 = 1 << 10,
    Extra2 = 1 << 11,
    Extra3 = 1 << 12,
    Extra4 = 1 << 13,
    Extra5 = 1 << 14,
}

/// <summary>One input's gradient from the incoming gradient and what the node saved (null: no gradient).</summary>
internal delegate Tensor? InputFormula(BackwardContext c);

/// <summary>All inputs' gradients at once, for formulas that share work between inputs (derivatives.yaml's
/// <c>self, weight, bias: native_batch_norm_backward(...)</c> lines).</summary>
internal delegate Tensor?[] JointFormula(BackwardContext c);

/// <summary>One input of a derivative row: what its formula reads, and the formula (null: not differentiable).</summary>
internal readonly record struct InputDerivative(Saves Uses, InputFormula? Formula)
{
    public static implicit operator InputDerivative((Saves uses, InputFormula formula) row) => new(row.uses, row.formula);
}

/// <summary>
/// One row of the derivative table, as an entry of PyTorch's <c>tools/autograd/derivatives.yaml</c>: the backward
/// node's name (PyTorch's, e.g. <c>MulBackward0</c>), and for each differentiable input its formula and the saved
/// variables that formula reads. Only what an input that needs a gradient reads is saved, as the generated
/// <c>MulBackward0</c> saves <c>other</c> only when <c>self</c> requires grad. Formulas are written with differentiable
/// tensor ops, so <c>create_graph</c> gives higher derivatives. Gradients are fitted to each input's shape and dtype
/// (broadcast dims summed away, then cast), as the engine's <c>validate_outputs</c> does.
/// Rows are <c>static readonly</c> fields of the tables in this folder, one table per op family; an op's forward
/// records its row with <see cref="Record(Tensor, Tensor, Scalar, long[], bool, object)"/>.
/// </summary>
internal sealed class Derivative
{
    /// <summary>PyTorch's name of the backward node (what <c>grad_fn</c> prints).</summary>
    public readonly string Name;
    internal readonly InputDerivative[] Inputs;
    internal readonly JointFormula? Joint;
    internal readonly Saves JointUses;
    internal readonly int Outputs;

    /// <summary>A row with one formula per input (input 0 is self).</summary>
    public Derivative(string name, params InputDerivative[] inputs) : this(name, inputs, null, Saves.None, 1) { }

    private Derivative(string name, InputDerivative[] inputs, JointFormula? joint, Saves jointUses, int outputs)
    {
        Name = name; Inputs = inputs; Joint = joint; JointUses = jointUses; Outputs = outputs;
    }

    /// <summary>A row whose formula gives every input's gradient at once (told which are needed); any number of inputs.</summary>
    public static Derivative AllInputs(string name, Saves uses, JointFormula formula, int outputs = 1) =>
        new(name, [], formula, uses, outputs);

    /// <summary>A row with more than one differentiable output (var_mean: <c>grads[1]</c> is the mean's gradient).</summary>
    public static Derivative MultiOutput(string name, int outputs, params InputDerivative[] inputs) =>
        new(name, inputs, null, Saves.None, outputs);

    /// <summary>Every row of the tables (tests check that each recorded grad_fn name is one of them).</summary>
    internal static IReadOnlyList<Derivative> All =>
        Array.ConvertAll(typeof(Derivatives).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(Derivative)).ToArray(), f => (Derivative)f.GetValue(null)!);

    /// <summary>The saved variables to keep, given which inputs need a gradient.</summary>
    internal Saves ToSave(DerivativeNode node)
    {
        if (Joint is not null)
        {
            for (int i = 0; i < node.Next.Length; i++) if (node.Next[i].IsValid) return JointUses;
            return Saves.None;
        }
        var s = Saves.None;
        for (int i = 0; i < Inputs.Length && i < node.Next.Length; i++)
            if (node.Next[i].IsValid && Inputs[i].Formula is not null) s |= Inputs[i].Uses;
        return s;
    }

    // ---- recording: an op's forward hands its result and inputs to its row ----

    /// <summary>Attaches this row's node to <paramref name="result"/> when autograd records an op of <paramref name="self"/>.</summary>
    public Tensor Record(Tensor result, Tensor self, Scalar scalar = default, long[]? ints = null, bool keepdim = false, object? state = null)
    {
        if (GradMode.ShouldRecord(self)) result.WithGrad(new DerivativeNode(this, [self], result, default, scalar, ints, keepdim, state));
        return result;
    }

    /// <summary>Attaches this row's node when autograd records an op of <paramref name="self"/> and <paramref name="other"/>.</summary>
    public Tensor Record(Tensor result, Tensor self, Tensor other, Scalar scalar = default, long[]? ints = null, bool keepdim = false, object? state = null)
    {
        if (GradMode.ShouldRecord(self, other)) result.WithGrad(new DerivativeNode(this, [self, other], result, default, scalar, ints, keepdim, state));
        return result;
    }

    /// <summary>
    /// Attaches this row's node when any of <paramref name="inputs"/> (null: an optional input not given) requires grad;
    /// <paramref name="extras"/> are the non-differentiable tensors its formulas read (<see cref="Saves.Extra0"/> …).
    /// </summary>
    public Tensor Record(Tensor result, ReadOnlySpan<Tensor?> inputs, ReadOnlySpan<Tensor?> extras = default, Scalar scalar = default,
        long[]? ints = null, bool keepdim = false, object? state = null)
    {
        if (AnyRecords(inputs)) result.WithGrad(new DerivativeNode(this, inputs, result, extras, scalar, ints, keepdim, state));
        return result;
    }

    /// <summary>
    /// The node for an op with several differentiable outputs (attach it to each with <c>WithGrad(node, i)</c>), or null
    /// when autograd does not record. <paramref name="result"/> is output 0, what <see cref="Saves.Result"/> names.
    /// </summary>
    public DerivativeNode? NodeFor(Tensor result, ReadOnlySpan<Tensor?> inputs, ReadOnlySpan<Tensor?> extras = default, Scalar scalar = default,
        long[]? ints = null, bool keepdim = false, object? state = null) =>
        AnyRecords(inputs) ? new DerivativeNode(this, inputs, result, extras, scalar, ints, keepdim, state) : null;

    private static bool AnyRecords(ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var t in inputs) if (t is { _requiresGrad: true }) return true;
        return false;
    }

    public override string ToString() => Name;
}
