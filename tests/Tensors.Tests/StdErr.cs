namespace Notebooks.Tensors.Tests;

/// <summary>What a piece of code writes to stderr, where the library's warnings go (as Python's do).</summary>
public static class StdErr
{
    public static string Of(Action code)
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { code(); }
        finally { Console.SetError(old); }
        return err.ToString();
    }
}
