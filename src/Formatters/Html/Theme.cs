namespace Notebooks.Formatters.Html;

/// <summary>
/// Colours that stay legible in light and dark front ends. Lines and text are drawn in <c>currentColor</c>, and an
/// SVG's root sets <c>color</c> to the front end's text colour where its CSS variables reach (inline in JupyterLab,
/// Notebook 7, VS Code): a mid grey, legible on white and on dark backgrounds, where they don't (an SVG shown as an
/// image, nbconvert, classic Notebook). Backgrounds are left transparent.
/// </summary>
internal static class Theme
{
    public const string Foreground = "var(--jp-content-font-color1,var(--vscode-editor-foreground,#808080))";

    /// <summary>The style attribute of an SVG's root element.</summary>
    public const string SvgRootStyle = " style=\"color:" + Foreground + "\"";

    /// <summary>
    /// Wraps an inline SVG for a text/html output so it survives an untrusted notebook: sanitizers (JupyterLab's,
    /// classic Notebook's) drop &lt;svg&gt; but keep &lt;img&gt; with a data: URI, so the same picture rides along as an
    /// image, and a script — run only where the output is trusted — removes that copy again (written without '&amp;' or '&lt;', so
    /// the HTML stays well-formed XML). Where scripts are off but nothing is sanitised (an nbconvert export read with
    /// JavaScript disabled), a style rule hides the copy that follows a kept &lt;svg&gt;, so the picture shows once.
    /// </summary>
    public static string InlineSvgWithImageFallback(string svg, string cssClass, string alt)
    {
        var data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
        return "<div class=\"" + cssClass + "\"><style>svg+img.nb-static{display:none}</style>" + svg
            + "<img class=\"nb-static\" alt=\"" + Html.Escape(alt) + "\" src=\"data:image/svg+xml;base64," + data + "\"/>"
            + "<script>(function(s){var i=s.previousElementSibling;if(i)if(i.className=='nb-static')i.remove();})(document.currentScript)</script></div>";
    }
}
