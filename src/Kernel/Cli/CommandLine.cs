namespace Notebooks.Kernel.Cli;

/// <summary>Dispatches "kernel", "install", "run" and "check".</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public const string Help = """
        Notebooks.Kernel: a C# Jupyter kernel.

        Usage:
          notebooks-kernel <command> [options]          (installed as a dotnet tool)
          dotnet run --project src/Kernel -- <command> [options]

        Commands:
          kernel -f CONNECTION_FILE    serve Jupyter's messaging protocol (what Jupyter launches)
          install [--user | --prefix DIR] [--name NAME] [--display-name TEXT]
                                       write a Jupyter kernelspec that launches this kernel
          run PATH... [--output DIR | --in-place] [--timeout SECONDS]
                                       execute notebooks (.ipynb files or folders of them) headless;
                                       writes nothing unless --output or --in-place says where
          check PATH... --against DIR  compare notebooks' outputs with re-executed copies in DIR

        Run '<command> --help' for a command's options.
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Help);
            return args.Length == 0 ? Usage : Ok;
        }
        if (args[0] is "--version" or "version")
        {
            Console.WriteLine(KernelIdentity.Version);
            return Ok;
        }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "kernel" => KernelCommand.Run(rest),
                "install" => InstallCommand.Run(rest),
                "run" => RunCommand.Run(rest),
                "check" => CheckCommand.Run(rest),
                _ => UsageError($"Unknown command '{args[0]}'."),
            };
        }
        catch (UsageException e)
        {
            return UsageError(e.Message);
        }
    }

    public static bool WantsHelp(string[] args) => args.Any(a => a is "-h" or "--help");

    /// <summary>The value after an option, e.g. "--name X".</summary>
    public static string Value(string[] args, ref int index)
    {
        if (index + 1 >= args.Length)
        {
            throw new UsageException($"{args[index]} needs a value.");
        }
        return args[++index];
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Help);
        return Usage;
    }
}

internal sealed class UsageException(string message) : Exception(message);
