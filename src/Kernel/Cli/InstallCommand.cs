using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Cli;

/// <summary><c>install [--user | --prefix DIR] [--name NAME] [--display-name TEXT]</c>: writes a kernelspec Jupyter can find.</summary>
internal static class InstallCommand
{
    public const string Help = """
        Usage: install [--user | --prefix DIR] [--name NAME] [--display-name TEXT]

        Writes a Jupyter kernelspec (kernel.json and logos) whose argv starts this kernel: the
        notebooks-kernel command when installed as a dotnet tool, otherwise this build's dll.
        --user (the default) installs for the current user, where Jupyter, JupyterLab and VS Code
        look; --prefix DIR installs into DIR/share/jupyter/kernels (use with
        JUPYTER_PATH=DIR/share/jupyter or a venv prefix).
        NAME defaults to notebooks-csharp, the kernel the lessons ask for. The picker shows TEXT,
        by default "C# (Notebooks)" for the default name and "C# (Notebooks: NAME)" for another.
        Installed from a publish (dotnet publish src/Kernel -c Release), the kernel runs ReadyToRun
        code and starts faster than from a plain build.
        """;

    public static int Run(string[] args)
    {
        if (CommandLine.WantsHelp(args))
        {
            Console.WriteLine(Help);
            return CommandLine.Ok;
        }
        string? prefix = null;
        var name = KernelIdentity.DefaultKernelName;
        string? displayName = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user":
                    prefix = null;
                    break;
                case "--prefix":
                    prefix = CommandLine.Value(args, ref i);
                    break;
                case "--name":
                    name = CommandLine.Value(args, ref i);
                    break;
                case "--display-name":
                    displayName = CommandLine.Value(args, ref i);
                    break;
                default:
                    throw new UsageException($"install: unexpected argument '{args[i]}'.\n{Help}");
            }
        }
        if (KernelNameProblem(name) is { } problem)
        {
            Console.Error.WriteLine($"install: {problem}");
            return CommandLine.Usage;
        }
        var kernels = prefix is null ? UserKernelsDirectory() : Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        // Jupyter lower-cases kernelspec names; the display name follows the name actually written.
        name = name.ToLowerInvariant();
        displayName ??= KernelIdentity.DisplayNameFor(name);
        var directory = Write(Path.Combine(kernels, name), displayName);
        Console.WriteLine($"Installed kernelspec {name} (\"{displayName}\") in {directory}");
        if (ToolShim() is null && !ReadyToRun.KernelIsCompiled())
        {
            Console.WriteLine("This build is not ReadyToRun, so the kernel compiles Roslyn as it starts; for a faster start, install from a publish:");
            Console.WriteLine("  dotnet publish src/Kernel -c Release -o DIR && dotnet DIR/Notebooks.Kernel.dll install");
        }
        return CommandLine.Ok;
    }

    /// <summary>
    /// Why Jupyter would refuse <paramref name="name"/> as a kernel name, in its words (jupyter_client/kernelspec.py:
    /// <c>_kernel_name_pat</c> = <c>^[a-z0-9._\-]+$</c> ignoring case, and install_kernel_spec's ValueError), or null.
    /// "." and ".." pass Jupyter's pattern but name the kernels folder itself or its parent, so they are refused too.
    /// </summary>
    public static string? KernelNameProblem(string name)
    {
        const string description = "Kernel names can only contain ASCII letters and numbers and these separators: - . _ (hyphen, period, and underscore).";
        if (name is "." or "..")
        {
            return $"Invalid kernel name '{name}'.  It names the kernels folder or its parent, not a kernel folder.";
        }
        var valid = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        return valid ? null : $"Invalid kernel name '{name.ToLowerInvariant()}'.  {description}";
    }

    /// <summary>Writes kernel.json and the logos into <paramref name="directory"/>.</summary>
    public static string Write(string directory, string displayName = KernelIdentity.DisplayName)
    {
        Directory.CreateDirectory(directory);
        var argv = new JsonArray();
        foreach (var part in LaunchCommand())
        {
            argv.Add(part);
        }
        foreach (var part in new[] { "kernel", "-f", "{connection_file}" })
        {
            argv.Add(part);
        }
        var spec = new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = displayName,
            ["language"] = "csharp",
            ["interrupt_mode"] = "message",
            ["env"] = KernelEnvironment(),
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        File.WriteAllText(Path.Combine(directory, "kernel.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllBytes(Path.Combine(directory, "logo-32x32.png"), Logo.Png(32));
        File.WriteAllBytes(Path.Combine(directory, "logo-64x64.png"), Logo.Png(64));
        return directory;
    }

    /// <summary>The environment Jupyter starts the kernel with.</summary>
    /// <remarks>
    /// DOTNET_TC_CallCountingDelayMs=0 was measured and left out: it lowers the best warm cell a
    /// little, but makes the runtime re-jit Roslyn's hot code during start-up and the first few
    /// hundred back-to-back cells; on a busy two-core machine that tripled the median round trip of
    /// those cells (27 vs 9 ms, 25 vs 10 ms of CPU a cell) and slowed launch. Once the re-jitting is
    /// done both settings measure the same, and interactive use does it between cells anyway.
    /// </remarks>
    internal static JsonObject KernelEnvironment()
    {
        var environment = new JsonObject
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        // The tool's command is an apphost: it finds the runtime through DOTNET_ROOT or the machine-wide location, and
        // Jupyter (or VS Code) may start it without the shell's DOTNET_ROOT. Record the runtime this install ran on.
        if (ToolShim() is not null && RuntimeRoot() is { } root)
        {
            environment["DOTNET_ROOT"] = root;
        }
        return environment;
    }

    /// <summary>
    /// The tool's command (<c>notebooks-kernel</c>) when this process was started through it, else
    /// "dotnet path/to/Notebooks.Kernel.dll" (a build output and a publish alike). The tool's command keeps the
    /// kernelspec valid across <c>dotnet tool update</c>, whose store path carries the version.
    /// </summary>
    internal static IReadOnlyList<string> LaunchCommand()
    {
        if (ToolShim() is { } shim)
        {
            return [shim];
        }
        var dll = typeof(InstallCommand).Assembly.Location;
        return [DotnetHost(), dll];
    }

    /// <summary>The path of the tool's command when this process runs through it (a global tool or a --tool-path install).</summary>
    internal static string? ToolShim()
    {
        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process).Equals(KernelIdentity.ToolCommandName, StringComparison.OrdinalIgnoreCase)
            ? process
            : null;
    }

    // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <root>
    private static string? RuntimeRoot() =>
        new FileInfo(typeof(object).Assembly.Location).Directory?.Parent?.Parent?.Parent?.FullName;

    private static string DotnetHost()
    {
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return process;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var candidate = Path.Combine(runtime.Parent!.Parent!.Parent!.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static string UserKernelsDirectory() => Path.Combine(JupyterPaths.DataDirectory(), "kernels");
}
