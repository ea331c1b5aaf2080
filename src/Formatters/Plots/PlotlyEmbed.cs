using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// Plotly.NET charts shown offline: plotly.js comes from the copy embedded in Plotly.NET's assembly and is written
/// into the first chart's HTML only (a notebook page keeps it once loaded); <see cref="Reset"/> starts over, e.g. for a new notebook.
/// </summary>
public static class PlotlyEmbed
{
    private static int _included;
    private static string? _script;

    /// <summary>Whether plotly.js has already been emitted into this notebook.</summary>
    public static bool Included => Volatile.Read(ref _included) == 1;

    public static void Reset() => Interlocked.Exchange(ref _included, 0);

    /// <summary>The plotly.js library as a script tag, hidden from require.js/CommonJS so it always sets window.Plotly.</summary>
    public static string LibraryScript => _script ??= BuildScript();

    private static string BuildScript()
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return "<script type=\"text/javascript\">(function(define, module, exports){\n" + r.ReadToEnd() + "\n}).call(window);</script>";
    }

    /// <summary>The chart's div and newPlot script, preceded by plotly.js the first time.</summary>
    public static string Html(GenericChart chart)
    {
        var options = DisplayOptions.init(
            FSharpOption<string>.None, FSharpOption<string>.None, FSharpOption<string>.None,
            null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.NoReference));
        var body = GenericChart.toChartHTML(GenericChart.setDisplayOptions(options, chart));
        return Interlocked.Exchange(ref _included, 1) == 0 ? LibraryScript + body : body;
    }
}
