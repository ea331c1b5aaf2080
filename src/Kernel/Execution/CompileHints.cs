using Microsoft.CodeAnalysis;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// One extra traceback line for compile errors that a PyTorch user meets when porting a Python idiom that C# spells
/// differently: the error itself stays the compiler's, the hint says what to write instead.
/// </summary>
internal static class CompileHints
{
    /// <summary>The hint for <paramref name="diagnostic"/>, or null when it is an ordinary error.</summary>
    public static string? For(Diagnostic diagnostic) => diagnostic.Id switch
    {
        // `foreach (var param in model.parameters()) param -= lr * param.grad;` — C# forbids assigning (compound
        // assignment included) to a foreach iteration variable, whatever the type's operators do.
        "CS1656" when diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("foreach iteration variable") =>
            // The for loop takes each tensor into a local: on a local, Tensor's -= is in place (C# 14), while on a list
            // element (ps[i] -= ...) C# assigns a new tensor to the slot and the model's parameter stays as it was.
            "hint: a foreach variable cannot be assigned in C#, not even with -=. Update the tensor in place instead: " +
            "param.sub_(lr * param.grad) inside using (torch.no_grad()) { ... }, " +
            "or a for loop through a local variable: var ps = model.parameters().ToList(); " +
            "for (int i = 0; i < ps.Count; i++) { var p = ps[i]; p -= lr * p.grad; }",
        _ => null,
    };
}
