using System.Collections.Concurrent;
using Microsoft.DotNet.Interactive.Formatting;

namespace Notebooks.Kernel.Execution;

/// <summary>Turns a value into a mime bundle through .NET Interactive's formatters.</summary>
internal static class OutputFormatter
{
    private static readonly ConcurrentDictionary<Type, bool> s_hasHtml = new();
    private static int s_registrationCount = -1;

    public static MimeBundle Format(object? value)
    {
        var data = new Dictionary<string, string>
        {
            [MimeBundle.PlainText] = value is null ? "null" : SafeFormat(value, MimeBundle.PlainText),
        };
        if (value is not null && HasRegisteredHtmlFormatter(value.GetType()))
        {
            data[MimeBundle.Html] = SafeFormat(value, MimeBundle.Html);
        }
        return new MimeBundle(data);
    }

    public static MimeBundle Format(string value, string mimeType)
    {
        var data = new Dictionary<string, string> { [MimeBundle.PlainText] = value };
        data[mimeType] = value;
        return new MimeBundle(data);
    }

    // The library has a default HTML formatter for every type; HTML is only worth sending where
    // someone registered one on purpose (src/Formatters), otherwise text/plain reads better.
    private static bool HasRegisteredHtmlFormatter(Type type)
    {
        var registered = Formatter.RegisteredFormatters(false).Where(f => f.MimeType == MimeBundle.Html).ToList();
        if (registered.Count != s_registrationCount)
        {
            s_hasHtml.Clear();
            s_registrationCount = registered.Count;
        }
        return s_hasHtml.GetOrAdd(type, t => registered.Any(f => f.Type.IsAssignableFrom(t)));
    }

    private static string SafeFormat(object value, string mimeType)
    {
        try
        {
            return Formatter.ToDisplayString(value, mimeType);
        }
        catch (Exception e)
        {
            // A broken ToString or formatter must not turn a successful cell into a failed one.
            return $"<{value.GetType().Name}: formatting failed: {e.GetType().Name}: {e.Message}>";
        }
    }
}
