namespace Notebooks.Kernel.Execution;

/// <summary>
/// Where a running cell's outputs go. The Jupyter server turns them into iopub messages; the
/// headless notebook runner turns them into .ipynb outputs. The interpreter knows neither.
/// </summary>
internal interface IOutputSink
{
    /// <summary>Text written to stdout or stderr ("stdout" / "stderr").</summary>
    void Stream(string name, string text);

    /// <summary>A rich output; <paramref name="update"/> replaces an earlier output with the same display id.</summary>
    void Display(MimeBundle bundle, string? displayId, bool update);

    /// <summary>The result of the cell's trailing expression.</summary>
    void Result(MimeBundle bundle);

    void ClearOutput(bool wait);

    /// <summary>Asks the user for a line of input; throws when this sink cannot ask.</summary>
    string RequestInput(string prompt, bool password);
}
