namespace Notebooks.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Set on tensors made by <see cref="torch.nn.Parameter"/>: Tensor is sealed, so a parameter is a tensor with
    /// this mark rather than a subclass. It changes the repr (<c>Parameter containing:</c>) and lets modules find
    /// parameters held in plain fields.
    /// </summary>
    internal bool _isParameter;

    public bool is_parameter => _isParameter;
}

/// <summary>
/// C# lowers <c>layer.weight -= g</c> on a property to <c>layer.weight = layer.weight - g</c>: Tensor's instance
/// <c>-=</c> only applies to variables. So that the property setter can tell this from assigning some other tensor
/// (a TypeError in PyTorch), the arithmetic operators remember, for results whose left operand is a Parameter, which
/// Parameter they came from and the in-place op Python's <c>__isub__</c> etc. would have run on it.
/// </summary>
internal static class ParameterUpdates
{
    private sealed record Update(Tensor Source, char Op, Tensor? Tensor, Scalar Scalar);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, Update> Pending = new();

    internal static Tensor Remember(Tensor result, Tensor left, char op, Tensor right)
    {
        if (left._isParameter) Pending.AddOrUpdate(result, new Update(left, op, right, default));
        return result;
    }

    internal static Tensor Remember(Tensor result, Tensor left, char op, Scalar right)
    {
        if (left._isParameter) Pending.AddOrUpdate(result, new Update(left, op, null, right));
        return result;
    }

    /// <summary>Runs the in-place form on <paramref name="parameter"/> when <paramref name="value"/> is <c>parameter op y</c>.</summary>
    internal static bool TryApply(Tensor value, Tensor parameter)
    {
        if (!Pending.TryGetValue(value, out var u) || !ReferenceEquals(u.Source, parameter)) return false;
        Pending.Remove(value);
        _ = (u.Op, u.Tensor) switch
        {
            ('+', { } t) => parameter.add_(t), ('+', null) => parameter.add_(u.Scalar),
            ('-', { } t) => parameter.sub_(t), ('-', null) => parameter.sub_(u.Scalar),
            ('*', { } t) => parameter.mul_(t), ('*', null) => parameter.mul_(u.Scalar),
            ('/', { } t) => parameter.div_(t), _ => parameter.div_(u.Scalar),
        };
        return true;
    }
}
