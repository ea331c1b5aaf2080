using System.Collections.Concurrent;
using Microsoft.DotNet.Interactive.Formatting;

namespace Notebooks.Kernel.Execution;

/// <summary>Turns a value into a mime bundle through .NET Interactive's formatters.</summary>
internal static class OutputFormatter
{
    private static readonly ConcurrentDictionary<Type, bool> s_hasHtml = new();
    private static readonly ConcurrentDictionary<Type, bool> s_ownToString = new();
    private static int s_registrationCount = -1;

    public static MimeBundle Format(object? value)
    {
        var data = new Dictionary<string, string>
        {
            [MimeBundle.PlainText] = value is null ? "null" : PlainText(value),
        };
        if (value is not null && HasRegisteredHtmlFormatter(value.GetType()))
        {
            data[MimeBundle.Html] = SafeFormat(value, MimeBundle.Html);
            // Static fallbacks (image/svg+xml beside a plot's JavaScript) let nbconvert and code hosts show the output.
            foreach (var (mime, text) in ExtraRepresentations(value))
            {
                data.TryAdd(mime, text);
            }
        }
        return new MimeBundle(data);
    }

    private static IReadOnlyDictionary<string, string> ExtraRepresentations(object value)
    {
        try
        {
            return RichFormatters.Bundle(value);
        }
        catch (Exception)
        {
            return new Dictionary<string, string>();
        }
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

    // The library's default plain-text view lists an object's members even when the type has its own
    // ToString (a tensor's PyTorch-style print, a record's summary); the type's own text reads better.
    private static string PlainText(object value)
    {
        // A delegate's default view walks its target and reflection metadata; Python shows a bound method in a line.
        if (value is Delegate d)
        {
            return d.Target is { } target
                ? $"<bound method {d.Method.Name} of {target}>"
                : $"<function {d.Method.DeclaringType?.Name}.{d.Method.Name}>";
        }
        var type = value.GetType();
        if (s_ownToString.GetOrAdd(type, OverridesToString) && !HasRegisteredFormatter(type, MimeBundle.PlainText))
        {
            try
            {
                return value.ToString() ?? "";
            }
            catch (Exception e)
            {
                return $"<{type.Name}: ToString failed: {e.GetType().Name}: {e.Message}>";
            }
        }
        return SafeFormat(value, MimeBundle.PlainText);
    }

    private static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring && declaring != typeof(object) && declaring != typeof(ValueType);

    private static bool HasRegisteredFormatter(Type type, string mimeType) =>
        Formatter.RegisteredFormatters(false).Any(f => f.MimeType == mimeType && f.Type.IsAssignableFrom(type));

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
