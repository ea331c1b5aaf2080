namespace Notebooks.Tensors;

/// <summary>
/// A warning raised as an exception under <c>warnings.simplefilter("error")</c>, as Python raises the warning's
/// category; the subclasses let a cell catch one category as Python's <c>except UserWarning</c> does.
/// </summary>
public class Warning(string message) : Exception(message)
{
    public virtual string category => "Warning";

    internal static Warning Of(string category, string message) => category switch
    {
        "UserWarning" => new UserWarning(message),
        "DeprecationWarning" => new DeprecationWarning(message),
        "FutureWarning" => new FutureWarning(message),
        "RuntimeWarning" => new RuntimeWarning(message),
        _ => new Warning(message),
    };
}

public sealed class UserWarning(string message) : Warning(message) { public override string category => "UserWarning"; }
public sealed class DeprecationWarning(string message) : Warning(message) { public override string category => "DeprecationWarning"; }
public sealed class FutureWarning(string message) : Warning(message) { public override string category => "FutureWarning"; }
public sealed class RuntimeWarning(string message) : Warning(message) { public override string category => "RuntimeWarning"; }
