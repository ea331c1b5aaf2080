using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Text;
using Notebooks.Formatters;

namespace Notebooks.Magics;

/// <summary>
/// <c>#!whos</c> (our kernel) and <c>#!vars</c> (both hosts): the session's variables with their types. Tensor-like
/// values (anything with <c>shape</c>, <c>dtype</c> and <c>device</c> members) show those instead of their contents.
/// </summary>
public static class VariableTable
{
    private static readonly ConcurrentDictionary<Type, MemberInfo[]?> s_tensorMembers = new();

    /// <summary>
    /// The table as text/plain and text/html, or null when there are no variables (a host then prints
    /// <see cref="NoVariables"/>). A name declared again later shadows the earlier one, as in the session.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Render(IEnumerable<(string Name, Type Type, object? Value)> variables)
    {
        var rows = variables
            .GroupBy(v => v.Name).Select(g => g.Last())
            .Select(v => (v.Name, Type: TypeName(v.Type), Value: Describe(v.Value)))
            .ToList();
        if (rows.Count == 0)
        {
            return null;
        }
        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        var typeWidth = Math.Max(8, rows.Max(r => r.Type.Length));
        var plain = new StringBuilder();
        plain.Append("Variable".PadRight(nameWidth)).Append("  ").Append("Type".PadRight(typeWidth)).Append("  ").AppendLine("Data/Info");
        plain.AppendLine(new string('-', nameWidth + typeWidth + 14));
        var html = new StringBuilder("<table><thead><tr><th>Variable</th><th>Type</th><th>Data/Info</th></tr></thead><tbody>");
        foreach (var (name, type, value) in rows)
        {
            plain.Append(name.PadRight(nameWidth)).Append("  ").Append(type.PadRight(typeWidth)).Append("  ").AppendLine(value);
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(name)).Append("</td><td>").Append(WebUtility.HtmlEncode(type))
                .Append("</td><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");
        return new Dictionary<string, string>
        {
            [NotebookFormatters.PlainText] = plain.ToString().TrimEnd(),
            [NotebookFormatters.Html] = html.ToString(),
        };
    }

    public const string NoVariables = "No variables defined.";

    /// <summary>Displays the table, or prints that there is nothing to show.</summary>
    public static void Run(IMagicOutput output, IEnumerable<(string Name, Type Type, object? Value)> variables)
    {
        if (Render(variables) is { } bundle) output.Display(bundle);
        else output.Print(NoVariables);
    }

    /// <summary>"shape=[2, 3] dtype=float32 device=cpu" for tensor-like values, a short summary otherwise.</summary>
    public static string Describe(object? value)
    {
        if (value is null)
        {
            return "null";
        }
        if (TensorMembers(value.GetType()) is { } members)
        {
            return string.Join(" ", members.Select(m => $"{m.Name}={Render(Read(m, value))}"));
        }
        string text;
        try
        {
            text = value switch
            {
                string s => '"' + s + '"',
                System.Collections.ICollection c when value.GetType() != typeof(string) => $"{c.Count} items",
                _ => value.ToString() ?? "",
            };
        }
        catch (Exception e)
        {
            text = $"<ToString failed: {e.GetType().Name}>";
        }
        text = text.ReplaceLineEndings(" ");
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    private static MemberInfo[]? TensorMembers(Type type) => s_tensorMembers.GetOrAdd(type, t =>
    {
        var members = new[] { "shape", "dtype", "device" }
            .Select(name => (MemberInfo?)t.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) ?? t.GetField(name, BindingFlags.Public | BindingFlags.Instance))
            .ToArray();
        return members.All(m => m is not null) ? members.Select(m => m!).ToArray() : null;
    });

    private static object? Read(MemberInfo member, object target)
    {
        try
        {
            return member switch
            {
                PropertyInfo p => p.GetValue(target),
                FieldInfo f => f.GetValue(target),
                _ => null,
            };
        }
        catch (TargetInvocationException e)
        {
            return $"<{e.InnerException?.GetType().Name}>";
        }
    }

    private static string Render(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };

    public static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }
        var name = type.Name;
        var tick = name.IndexOf('`');
        return (tick < 0 ? name : name[..tick]) + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">";
    }
}
