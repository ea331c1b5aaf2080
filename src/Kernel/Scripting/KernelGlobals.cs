using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Scripting;

/// <summary>
/// The globals object of every cell: its public members can be called from a cell without
/// qualification (<c>display(x)</c>), as in IPython.
/// </summary>
public class KernelGlobals
{
    /// <summary>Shows <paramref name="value"/> as a rich output and returns a handle that can update it.</summary>
    public DisplayHandle display(object? value) => DisplayHub.Display(value);

    /// <summary>Shows <paramref name="value"/> with an explicit mime type, e.g. "text/html" or "text/markdown".</summary>
    public DisplayHandle display(string value, string mimeType) => DisplayHub.Display(value, mimeType);

    /// <summary>Clears the cell's output; with <paramref name="wait"/> only once new output arrives.</summary>
    public void clear_output(bool wait = false) => DisplayHub.ClearOutput(wait);

    /// <summary>
    /// Values carried into a fresh script chain when the session collapses its history (see
    /// <see cref="ScriptSession"/>); set only while the carrying prelude runs.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public IReadOnlyDictionary<string, object?> __carried { get; internal set; } = new Dictionary<string, object?>();
}
