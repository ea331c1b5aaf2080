using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// Plotly.NET charts shown offline, in every output on its own: each chart's HTML carries plotly.js (the copy
/// embedded in Plotly.NET's assembly, evaluated only when the page has no <c>window.Plotly</c> yet) and a static
/// picture of the chart as an &lt;img&gt;. So a chart renders after a browser reload, when its notebook is reopened
/// with the kernel still running, in nbconvert's HTML and offline; where scripts don't run (an untrusted notebook,
/// whose sanitizer keeps &lt;img&gt; with a data: URI but drops scripts and &lt;svg&gt;) the static picture shows.
/// The price is plotly.js (~3.5 MB) in every chart output, as plotly.py's offline <c>include_plotlyjs=True</c> does.
/// </summary>
public static class PlotlyEmbed
{
    private static string? _script;

    /// <summary>The plotly.js library as a script tag: skipped when the page already has Plotly, hidden from
    /// require.js/CommonJS so it always sets window.Plotly.</summary>
    public static string LibraryScript => _script ??= BuildScript();

    private static string BuildScript()
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return "<script type=\"text/javascript\">if (typeof window.Plotly === 'undefined') { (function(define, module, exports){\n" + r.ReadToEnd() + "\n}).call(window); }</script>";
    }

    /// <summary>The chart's HTML: the static picture, plotly.js, the chart's div and newPlot script, then a script that
    /// removes the static picture once the interactive chart is drawn.</summary>
    public static string Html(GenericChart chart, string staticSvg, string alt)
    {
        var options = DisplayOptions.init(
            FSharpOption<string>.None, FSharpOption<string>.None, FSharpOption<string>.None,
            null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.NoReference));
        var body = GenericChart.toChartHTML(GenericChart.setDisplayOptions(options, chart));
        var data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(staticSvg));
        return "<div class=\"nb-plot\">"
            + "<img class=\"nb-static\" alt=\"" + Formatters.Html.Html.Escape(alt) + "\" src=\"data:image/svg+xml;base64," + data + "\"/>"
            + LibraryScript + body
            + "<script>(function(s){var p=s.parentNode,i=p.querySelector('img.nb-static');if(i&&window.Plotly&&p.querySelector('.plotly-graph-div,.js-plotly-plot'))i.remove();})(document.currentScript)</script>"
            + "</div>";
    }
}
