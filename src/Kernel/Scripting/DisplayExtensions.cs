using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Scripting;

/// <summary>Lets a cell write <c>x.Display()</c>, the .NET Interactive spelling of <c>display(x)</c>.</summary>
public static class DisplayExtensions
{
    public static DisplayHandle Display(this object? value) => DisplayHub.Display(value);

    public static DisplayHandle Display(this string value, string mimeType) => DisplayHub.Display(value, mimeType);
}
