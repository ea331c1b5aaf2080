using NetMQ;

namespace Notebooks.Kernel.Transport;

/// <summary>
/// Binds a kernel socket where the connection file says. Jupyter picks the ports before it starts the kernel, so
/// another process may take one first; that must end the kernel with a line naming the socket and the address,
/// not an unhandled-exception abort.
/// </summary>
internal static class SocketBinding
{
    public static void Bind(NetMQSocket socket, string channel, string address)
    {
        try
        {
            socket.Bind(address);
        }
        catch (Exception e) when (e is NetMQException or System.Net.Sockets.SocketException)
        {
            var why = e is AddressAlreadyInUseException ? "the address is already in use" : e.Message;
            throw new KernelStartupException($"Cannot bind the {channel} socket to {address}: {why}.", e);
        }
    }
}

/// <summary>The kernel could not start serving (a port taken, an unusable address); the message says which.</summary>
internal sealed class KernelStartupException(string message, Exception inner) : Exception(message, inner);
