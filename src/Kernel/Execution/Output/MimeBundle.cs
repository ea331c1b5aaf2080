namespace Notebooks.Kernel.Execution;

/// <summary>One output in several representations, keyed by mime type, as Jupyter carries it.</summary>
internal sealed record MimeBundle(IReadOnlyDictionary<string, string> Data, IReadOnlyDictionary<string, string>? Metadata = null)
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";

    public static MimeBundle Text(string text) => new(new Dictionary<string, string> { [PlainText] = text });

    public string PlainTextOrEmpty => Data.TryGetValue(PlainText, out var text) ? text : "";
}
