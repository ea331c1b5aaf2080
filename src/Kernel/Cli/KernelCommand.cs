using System.Runtime.InteropServices;
using Notebooks.Kernel.Execution;
using Notebooks.Kernel.Protocol;
using Notebooks.Kernel.Requests;
using Notebooks.Kernel.Transport;

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
        ConnectionInfo connection;
        try
        {
            connection = ConnectionInfo.Load(file);
        }
        catch (InvalidConnectionFileException e)
        {
            Console.Error.WriteLine($"kernel: {e.Message}");
            return CommandLine.Failed;
        }
        return Serve(connection);
    }

    public static int Serve(ConnectionInfo connection)
    {
        KernelServer server;
        try
        {
            server = new KernelServer(connection);
        }
        catch (UnsupportedSignatureSchemeException e)
        {
            Console.Error.WriteLine($"kernel: {e.Message}");
            return CommandLine.Failed;
        }
        WarnAboutExposure(connection);
        var handler = new RequestHandler(server, () => new CSharpInterpreter());
        server.Handler = handler;
        // Jupyter interrupts a kernel whose spec says interrupt_mode "signal" (and anyone may press Ctrl+C in its
        // terminal) with SIGINT. ipykernel ignores it while idle (kernelapp.py, init_signal: SIG_IGN) and raises
        // KeyboardInterrupt in the running cell (kernelbase.py, pre_handler_hook); the runtime's default would end
        // the process instead.
        using var interrupts = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            handler.Interrupt();
        });
        var exitCode = CommandLine.Ok;
        try
        {
            server.Start();
            handler.Start();
            handler.PublishStarting();
            handler.ShutdownRequested.WaitOne();
        }
        catch (KernelStartupException e)
        {
            Console.Error.WriteLine(e.Message);
            exitCode = CommandLine.Failed;
        }
        finally
        {
            handler.Dispose();
            server.Dispose();
        }
        NetMQ.NetMQConfig.Cleanup(block: false);
        return exitCode;
    }

    private static void WarnAboutExposure(ConnectionInfo connection)
    {
        if (connection.Key.Length == 0)
        {
            // jupyter_client's warning, word for word (session.py, Session.__init__).
            Log.Warn("Message signing is disabled.  This is insecure and not recommended!");
        }
        if (connection.IsReachableFromNetwork)
        {
            Log.Warn($"ip {connection.Ip} is not a loopback address: the kernel's sockets are reachable from the network, and anyone who can reach them and knows the key can run code as this user.");
        }
    }
}
