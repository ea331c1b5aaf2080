using System.Text;
using Notebooks.Kernel.Execution;

namespace Notebooks.Kernel.Tests.Support;

/// <summary>Collects an in-process cell's outputs for assertions.</summary>
internal sealed class CollectingSink : IOutputSink
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public List<MimeBundle> Displays { get; } = [];

    public List<MimeBundle> Results { get; } = [];

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public void Stream(string name, string text)
    {
        var target = name == "stderr" ? _stderr : _stdout;
        lock (target)
        {
            target.Append(text);
        }
    }

    public void Display(MimeBundle bundle, string? displayId, bool update)
    {
        lock (Displays)
        {
            Displays.Add(bundle);
        }
    }

    public void Result(MimeBundle bundle) => Results.Add(bundle);

    public void ClearOutput(bool wait)
    {
    }

    public string RequestInput(string prompt, bool password) => throw new InvalidOperationException("no input in tests");
}
