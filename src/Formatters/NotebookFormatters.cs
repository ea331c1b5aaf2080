using Microsoft.DotNet.Interactive.Formatting;
using Notebooks.Formatters.Graphs;
using Notebooks.Formatters.Images;
using Notebooks.Formatters.Modules;
using Notebooks.Formatters.Plots;
using Notebooks.Formatters.TensorCards;
using Notebooks.Formatters.Training;

namespace Notebooks.Formatters;

/// <summary>
/// The one entry point a kernel (or a notebook cell) calls: registers every display of this assembly with
/// Microsoft.DotNet.Interactive.Formatting. Calling it again re-registers the same delegates, which is harmless
/// and also restores them after <see cref="Formatter.ResetToDefault"/>.
/// </summary>
public static class NotebookFormatters
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";
    public const string Svg = "image/svg+xml";

    /// <summary>Options of the tensor card.</summary>
    public static TensorHtmlOptions TensorHtml { get; } = new();

    /// <summary>
    /// Set by the kernel: makes a display that can later be replaced in place (Jupyter's display_id). When null,
    /// live displays (loss curves, progress bars) fall back to writing text lines to <see cref="Console.Out"/>.
    /// </summary>
    public static Func<object, IDisplayHandle>? DisplayFactory { get; set; }

    public static void Load()
    {
        Formatter.Register<Tensor>((t, w) => w.Write(t.ToString()), PlainText);
        Formatter.Register<Tensor>((t, w) => w.Write(TensorCard.Render(t, TensorHtml)), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(Tensor), Html, PlainText);

        RegisterText<Size>();
        RegisterText<DType>();
        RegisterText<Device>();

        // Any nn.Module (registered for the base type): text is PyTorch's repr, HTML the repr plus a summary table.
        Formatter.Register<torch.nn.Module>((m, w) => w.Write(m.ToString()), PlainText);
        Formatter.Register<torch.nn.Module>((m, w) => w.Write(new ModuleSummary(m, null).ToHtml()), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(torch.nn.Module), Html, PlainText);

        Formatter.Register<ModuleSummary>((s, w) => w.Write(s.ToString()), PlainText);
        Formatter.Register<ModuleSummary>((s, w) => w.Write(s.ToHtml()), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(ModuleSummary), Html, PlainText);

        Formatter.Register<GraphView>((g, w) => w.Write(g.ToString()), PlainText);
        // Inline SVG plus its image copy: an untrusted notebook's sanitizer drops <svg> but keeps the image.
        Formatter.Register<GraphView>((g, w) => w.Write(Formatters.Html.Theme.InlineSvgWithImageFallback(g.svg(), "nb-graph-output", g.ToString())), Html);
        Formatter.Register<GraphView>((g, w) => w.Write(g.svg()), Svg);
        Formatter.SetPreferredMimeTypesFor(typeof(GraphView), Html, PlainText);

        Formatter.Register<ImageView>((i, w) => w.Write(i.ToString()), PlainText);
        Formatter.Register<ImageView>((i, w) => w.Write(i.ToHtml()), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(ImageView), Html, PlainText);

        Formatter.Register<Plot>((p, w) => w.Write(p.ToString()), PlainText);
        Formatter.Register<Plot>((p, w) => w.Write(p.ToDisplayHtml()), Html);
        Formatter.Register<Plot>((p, w) => w.Write(p.ToSvg()), Svg);
        Formatter.SetPreferredMimeTypesFor(typeof(Plot), Html, Svg, PlainText);

        Formatter.Register<Heatmap>((h, w) => w.Write(h.ToString()), PlainText);
        Formatter.Register<Heatmap>((h, w) => w.Write(h.ToHtml()), Html);
        Formatter.Register<Heatmap>((h, w) => w.Write(h.ToSvg()), Svg);
        Formatter.SetPreferredMimeTypesFor(typeof(Heatmap), Html, Svg, PlainText);

        Formatter.Register<Subplots>((s, w) => w.Write(s.ToString()), PlainText);
        Formatter.Register<Subplots>((s, w) => w.Write(s.ToHtml()), Html);
        Formatter.Register<Subplots>((s, w) => w.Write(s.ToSvg()), Svg);
        Formatter.SetPreferredMimeTypesFor(typeof(Subplots), Html, Svg, PlainText);

        Formatter.Register<LossCurve>((c, w) => w.Write(c.ToString()), PlainText);
        Formatter.Register<LossCurve>((c, w) => w.Write(c.ToHtml()), Html);
        Formatter.Register<LossCurve>((c, w) => w.Write(c.ToSvg()), Svg);
        Formatter.SetPreferredMimeTypesFor(typeof(LossCurve), Html, Svg, PlainText);

        Formatter.Register<ProgressView>((p, w) => w.Write(p.ToString()), PlainText);
        Formatter.Register<ProgressView>((p, w) => w.Write(p.ToHtml()), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(ProgressView), Html, PlainText);
    }

    /// <summary>
    /// Every representation the kernel should put in a display_data bundle for <paramref name="value"/>, keyed by
    /// MIME type (e.g. a plot carries text/html with plotly.js and an image/svg+xml fallback for nbconvert/GitHub).
    /// </summary>
    public static IReadOnlyDictionary<string, string> MimeBundle(object value)
    {
        var bundle = new Dictionary<string, string>();
        foreach (var mime in Formatter.GetPreferredMimeTypesFor(value.GetType()))
            bundle[mime] = value.ToDisplayString(mime);
        if (!bundle.ContainsKey(PlainText)) bundle[PlainText] = value.ToDisplayString(PlainText);
        return bundle;
    }

    private static void RegisterText<T>() where T : notnull
    {
        Formatter.Register<T>((v, w) => w.Write(v.ToString()), PlainText);
        Formatter.Register<T>((v, w) => w.Write("<code>" + Formatters.Html.Html.Escape(v.ToString() ?? "") + "</code>"), Html);
        // Without preferred types .NET Interactive would send the HTML alone; both hosts then carry the text form too.
        Formatter.SetPreferredMimeTypesFor(typeof(T), Html, PlainText);
    }
}
