using System.Reflection;
using System.Runtime.InteropServices;

namespace Notebooks.Magics;

/// <summary><c>#!about</c>'s text: the host's own lines first, then what every host shares (.NET, OS, our libraries).</summary>
public static class About
{
    public static string Text(string title, IEnumerable<string> hostLines) => string.Join("\n",
        new[] { title }.Concat(hostLines.Select(l => "  " + l)).Concat(
        [
            $"  .NET: {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
            $"  OS: {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}",
            $"  Formatting: Microsoft.DotNet.Interactive.Formatting {Version(typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly)}",
        ]));

    /// <summary>The informational version without its commit hash, e.g. "1.0.0-beta.26120.1".</summary>
    public static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "?";
}
