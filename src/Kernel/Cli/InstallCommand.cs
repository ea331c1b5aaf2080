using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notebooks.Kernel.Cli;

/// <summary><c>install [--user | --prefix DIR] [--name NAME]</c>: writes a kernelspec Jupyter can find.</summary>
internal static class InstallCommand
{
    public const string Help = """
        Usage: install [--user | --prefix DIR] [--name NAME]

        Writes a Jupyter kernelspec (kernel.json and logos) whose argv starts this build of the
        kernel. --user (the default) installs for the current user; --prefix DIR installs into
        DIR/share/jupyter/kernels (use with JUPYTER_PATH=DIR/share/jupyter or a venv prefix).
        NAME defaults to notebooks-csharp. Installed from a publish (dotnet publish src/Kernel -c Release),
        the kernel runs ReadyToRun code and starts faster than from a plain build.
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
        var directory = Write(Path.Combine(kernels, name.ToLowerInvariant()));
        Console.WriteLine($"Installed kernelspec {name.ToLowerInvariant()} in {directory}");
        if (!ReadyToRun.KernelIsCompiled())
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
    public static string Write(string directory)
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
            ["display_name"] = KernelIdentity.DisplayName,
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
    internal static JsonObject KernelEnvironment() => new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>"dotnet path/to/Notebooks.Kernel.dll": works for a build output and a publish alike.</summary>
    internal static IReadOnlyList<string> LaunchCommand()
    {
        var dll = typeof(InstallCommand).Assembly.Location;
        return [DotnetHost(), dll];
    }

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
