using System.Globalization;
using System.Net;
using System.Text;
using Notebooks.Formatters;

namespace Notebooks.Magics;

/// <summary><c>#!nvidia-smi</c>: the driver's own report, plus a per-GPU memory and utilisation summary.</summary>
public static class NvidiaSmi
{
    public const string Query = "index,name,memory.used,memory.total,utilization.gpu,temperature.gpu";
    public const string NoDriverMessage = "nvidia-smi was not found: this machine has no NVIDIA driver (or nvidia-smi is not on PATH), so there is no GPU to report.";

    /// <summary>Streams nvidia-smi's report, then displays the summary; without a driver, says so on stderr (not an error).</summary>
    public static void Run(IMagicOutput output, string program = "nvidia-smi")
    {
        var exit = ProcessRunner.Run(program, [], (stream, text) => Write(output, stream, text), output.Cancellation);
        if (exit is null)
        {
            output.PrintError(NoDriverMessage);
            return;
        }
        var query = ProcessRunner.Capture(program, [$"--query-gpu={Query}", "--format=csv,noheader,nounits"], TimeSpan.FromSeconds(30));
        if (query is { ExitCode: 0 } q && Parse(q.Output) is { Count: > 0 } gpus)
        {
            output.Display(Summarise(gpus));
        }
    }

    private static void Write(IMagicOutput output, string stream, string text)
    {
        if (stream == "stderr") output.PrintError(text);
        else output.Print(text);
    }

    public sealed record Gpu(string Index, string Name, double UsedMiB, double TotalMiB, double UtilisationPercent, string Temperature);

    /// <summary>Parses <c>--format=csv,noheader,nounits</c> output; values the driver reports as "[N/A]" read as 0.</summary>
    public static List<Gpu> Parse(string csv)
    {
        var gpus = new List<Gpu>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(',').Select(s => s.Trim()).ToArray();
            if (f.Length < 6)
            {
                continue;
            }
            gpus.Add(new Gpu(f[0], f[1], Number(f[2]), Number(f[3]), Number(f[4]), f[5]));
        }
        return gpus;
    }

    /// <summary>text/plain (one line per GPU) and text/html (a table with memory and utilisation bars).</summary>
    public static IReadOnlyDictionary<string, string> Summarise(IReadOnlyList<Gpu> gpus)
    {
        var plain = new StringBuilder();
        var html = new StringBuilder("<table><thead><tr><th>GPU</th><th>Name</th><th>Memory</th><th>Utilisation</th><th>Temp</th></tr></thead><tbody>");
        foreach (var g in gpus)
        {
            var memoryPercent = g.TotalMiB > 0 ? 100 * g.UsedMiB / g.TotalMiB : 0;
            plain.AppendLine(CultureInfo.InvariantCulture, $"GPU {g.Index} {g.Name}: memory {g.UsedMiB:0} / {g.TotalMiB:0} MiB ({memoryPercent:0.0}%), utilisation {g.UtilisationPercent:0}%, {g.Temperature} C");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(g.Index)}</td><td>{WebUtility.HtmlEncode(g.Name)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Bar(memoryPercent)} {g.UsedMiB:0} / {g.TotalMiB:0} MiB</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Bar(g.UtilisationPercent)} {g.UtilisationPercent:0}%</td><td>{WebUtility.HtmlEncode(g.Temperature)} &deg;C</td></tr>");
        }
        html.Append("</tbody></table>");
        return new Dictionary<string, string> { [NotebookFormatters.PlainText] = plain.ToString().TrimEnd(), [NotebookFormatters.Html] = html.ToString() };
    }

    private static string Bar(double percent) =>
        string.Create(CultureInfo.InvariantCulture, $"<div style=\"display:inline-block;width:100px;height:10px;background:#ddd\"><div style=\"width:{Math.Clamp(percent, 0, 100):0}px;height:10px;background:#76b900\"></div></div>");

    private static double Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
