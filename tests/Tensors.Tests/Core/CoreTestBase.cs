namespace Notebooks.Tensors.Tests.Core;

public abstract class CoreTestBase
{
    /// <summary>The message of the exception <paramref name="code"/> throws (PyTorch's wording is the API; the C# type is not).</summary>
    protected static string Error(Action code) => Assert.Catch<Exception>(code)!.Message;

    protected static string Repr(Tensor t) => t.ToString();
}
