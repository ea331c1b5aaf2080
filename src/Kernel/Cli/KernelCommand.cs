using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Cli;

/// <summary><c>kernel -f CONNECTION_FILE</c>: what Jupyter runs from the kernelspec's argv.</summary>
internal static class KernelCommand
{
    public const string Help = """
        Usage: kernel -f CONNECTION_FILE

        Serves Jupyter's messaging protocol (5.3) on the sockets the connection file names.
        Jupyter writes the file and starts this command; it runs until a shutdown_request.
        """;

    public static int Run(string[] args)
    {
        if (CommandLine.WantsHelp(args))
        {
            Console.WriteLine(Help);
            return CommandLine.Ok;
        }
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-f" or "--connection-file":
                    file = CommandLine.Value(args, ref i);
                    break;
                default:
                    throw new UsageException($"kernel: unexpected argument '{args[i]}'.\n{Help}");
            }
        }
        if (file is null)
        {
            throw new UsageException($"kernel: -f CONNECTION_FILE is required.\n{Help}");
        }
        return Serve(ConnectionInfo.Load(file));
    }

    public static int Serve(ConnectionInfo connection)
    {
        var server = new KernelServer(connection, () => new CSharpInterpreter());
        var exitCode = CommandLine.Ok;
        try
        {
            server.Run();
        }
        catch (KernelStartupException e)
        {
            Console.Error.WriteLine(e.Message);
            exitCode = CommandLine.Failed;
        }
        finally
        {
            server.Dispose();
        }
        NetMQ.NetMQConfig.Cleanup(block: false);
        return exitCode;
    }
}
