using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Notebooks.Kernel.Execution;
using Notebooks.Magics;

namespace Notebooks.Kernel.Magics;

/// <summary>
/// Restores NuGet packages the way a project would: it writes a throw-away project that
/// references them and builds it with the dotnet CLI, then hands back every assembly that lands
/// in its output (the packages and all their dependencies).
/// </summary>
internal sealed class NuGetRestorer
{
    /// <summary>Names a NuGet.Config to restore with instead of the usual lookup.</summary>
    public const string ConfigVariable = "NOTEBOOKS_NUGET_CONFIG";

    private readonly List<string> _sources = [];
    private readonly Dictionary<string, string?> _packages = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "notebooks-kernel-nuget", Guid.NewGuid().ToString("N"));

    public void AddSource(string source) => _sources.Add(source);

    /// <summary>Parses "Name, Version" (the version is optional: then the newest is used).</summary>
    public static (string Name, string? Version) ParsePackage(string spec)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Length > 2 || parts[0].Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Expected \"nuget: Name, Version\" or \"nuget: Name\", got \"nuget: {spec}\".");
        }
        return (parts[0], parts.Length == 2 ? parts[1] : null);
    }

    /// <summary>Adds a package and restores everything asked for so far; returns the assembly paths.</summary>
    public IReadOnlyList<string> Restore(string name, string? version, IOutputSink sink, CancellationToken cancellation)
    {
        _packages[name] = version;
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Restore.csproj"), ProjectFile());
        // Keep the notebook's folder's Directory.Build.props and global.json out of it.
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"), "<Project />");
        var output = Path.Combine(_directory, "out");
        var log = new CollectingSink(sink);
        List<string> arguments = ["build", "-c", "Release", "-o", output, "-nologo", "-v", "q", "-p:TreatWarningsAsErrors=false"];
        // Lets a machine (or a test) pin the NuGet.Config that restores use, e.g. to an offline feed.
        if (Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } config)
        {
            arguments.Add($"-p:RestoreConfigFile={config}");
        }
        var exit = ProcessRunner.Run("dotnet", arguments, log.Stream, cancellation, _directory);
        if (exit is null)
        {
            throw new InvalidOperationException("The dotnet CLI was not found on PATH; it is needed to restore NuGet packages.");
        }
        if (exit != 0)
        {
            _packages.Remove(name);
            throw new InvalidOperationException($"Restoring {name} {version} failed (dotnet build exited with {exit}):\n{log.Text}");
        }
        return Directory.EnumerateFiles(output, "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("Restore.dll", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>
    /// linux-x64, osx-arm64, win-x64 ...: the portable identifier, which the SDK always knows (a distribution's own
    /// build of .NET may report ubuntu.24.04-x64, which restore would reject).
    /// </summary>
    internal static string PortableRuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal) || RuntimeInformation.RuntimeIdentifier.StartsWith("alpine", StringComparison.Ordinal) ? "linux-musl"
            : "linux";
        return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }

    private string ProjectFile()
    {
        var xml = new StringBuilder();
        xml.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        xml.AppendLine("  <PropertyGroup>");
        xml.AppendLine($"    <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>");
        xml.AppendLine("    <CopyLocalLockFileAssemblies>true</CopyLocalLockFileAssemblies>");
        // Built for this machine's runtime identifier, a package's runtimes/<rid>/ assets (native libraries, and managed
        // assemblies that replace portable stubs) land beside its assemblies, where P/Invoke's probing looks.
        // Framework-dependent and without an apphost, so no runtime or host pack has to be downloaded.
        xml.AppendLine($"    <RuntimeIdentifier>{PortableRuntimeIdentifier()}</RuntimeIdentifier>");
        xml.AppendLine("    <SelfContained>false</SelfContained>");
        xml.AppendLine("    <UseAppHost>false</UseAppHost>");
        xml.AppendLine("    <EnableDefaultItems>false</EnableDefaultItems>");
        xml.AppendLine("    <GenerateDocumentationFile>false</GenerateDocumentationFile>");
        xml.AppendLine("    <NoWarn>$(NoWarn);NU1603;NU1701;NU1901;NU1902;NU1903;NU1904</NoWarn>");
        if (_sources.Count > 0)
        {
            xml.AppendLine($"    <RestoreAdditionalProjectSources>{WebUtility.HtmlEncode(string.Join(";", _sources))}</RestoreAdditionalProjectSources>");
        }
        xml.AppendLine("  </PropertyGroup>");
        xml.AppendLine("  <ItemGroup>");
        foreach (var (package, version) in _packages)
        {
            xml.AppendLine($"    <PackageReference Include=\"{WebUtility.HtmlEncode(package)}\" Version=\"{WebUtility.HtmlEncode(version ?? "*")}\" />");
        }
        xml.AppendLine("  </ItemGroup>");
        xml.AppendLine("</Project>");
        return xml.ToString();
    }

    // Build output is noise when things work and the explanation when they don't.
    private sealed class CollectingSink(IOutputSink inner) : IOutputSink
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Stream(string name, string text)
        {
            lock (_text)
            {
                _text.Append(text);
            }
        }

        public void Display(MimeBundle bundle, string? displayId, bool update) => inner.Display(bundle, displayId, update);

        public void Result(MimeBundle bundle) => inner.Result(bundle);

        public void ClearOutput(bool wait) => inner.ClearOutput(wait);

        public string RequestInput(string prompt, bool password) => inner.RequestInput(prompt, password);
    }
}
