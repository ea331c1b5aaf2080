using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Notebooks.Formatters.Plots;

/// <summary>
/// Plotly charts shown offline, in every output on its own: each chart's HTML carries plotly.js (the copy
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
    public static string Html(GenericChart chart, string staticSvg, string alt) => Wrap(ChartBody(chart), staticSvg, alt);

    /// <summary>A chart given as Plotly JSON (its <c>data</c> array and <c>layout</c> object), wrapped like <see cref="Html(GenericChart, string, string)"/>.</summary>
    public static string Html(string dataJson, string layoutJson, string staticSvg, string alt) => Wrap(JsonBody(dataJson, layoutJson), staticSvg, alt);

    /// <summary>Plotly.NET's div and newPlot script for <paramref name="chart"/>, without the library.</summary>
    internal static string ChartBody(GenericChart chart)
    {
        var options = DisplayOptions.init(
            FSharpOption<string>.None, FSharpOption<string>.None, FSharpOption<string>.None,
            null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.NoReference));
        return GenericChart.toChartHTML(GenericChart.setDisplayOptions(options, chart));
    }

    /// <summary>A div and the script drawing <paramref name="dataJson"/> with <paramref name="layoutJson"/> into it (when plotly.js is there).</summary>
    internal static string JsonBody(string dataJson, string layoutJson)
    {
        var id = "nb-plotly-" + Guid.NewGuid().ToString("N");
        return "<div id=\"" + id + "\" class=\"nb-plotly\"></div>"
            + "<script type=\"text/javascript\">(function(){var d=document.getElementById('" + id + "');if(d)if(window.Plotly)Plotly.newPlot(d," + dataJson + "," + layoutJson + ",{responsive:true,displaylogo:false});})()</script>";
    }

    /// <summary>The static picture, plotly.js, <paramref name="body"/>, and the script removing the picture once a chart is drawn.</summary>
    internal static string Wrap(string body, string staticSvg, string alt)
    {
        var data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(staticSvg));
        return "<div class=\"nb-plot\">"
            + "<img class=\"nb-static\" alt=\"" + Formatters.Html.Html.Escape(alt) + "\" src=\"data:image/svg+xml;base64," + data + "\"/>"
            + LibraryScript + body
            + "<script>(function(s){var p=s.parentNode,i=p.querySelector('img.nb-static');if(i&&window.Plotly&&p.querySelector('.plotly-graph-div,.js-plotly-plot'))i.remove();})(document.currentScript)</script>"
            + "</div>";
    }

    /// <summary>
    /// <paramref name="interactive"/>, or the static SVG (inline, with its image copy for untrusted notebooks) where
    /// Plotly.NET cannot load: .NET Interactive 1.0.0-beta.26120.1 hosts run on their own FSharp.Core 10.0, older than
    /// the 10.1 Plotly.NET 6 needs, and a process has one FSharp.Core.
    /// </summary>
    internal static string OrStatic(Func<string> interactive, string staticSvg, string cssClass, string alt)
    {
        try
        {
            return interactive();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            return Formatters.Html.Theme.InlineSvgWithImageFallback(staticSvg, cssClass, alt);
        }
    }
}
