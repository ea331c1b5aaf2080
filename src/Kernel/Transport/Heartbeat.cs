using NetMQ;
using NetMQ.Sockets;

namespace Notebooks.Kernel.Transport;

/// <summary>Echoes heartbeat pings on its own thread, so a long cell never looks like a dead kernel.</summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly ResponseSocket _socket = new();
    private readonly Thread _thread;
    private volatile bool _stopping;

    public Heartbeat(string address)
    {
        try
        {
            SocketBinding.Bind(_socket, "heartbeat", address);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _thread = new Thread(Loop) { IsBackground = true, Name = "jupyter-heartbeat" };
        _thread.Start();
    }

    private void Loop()
    {
        var frames = new List<byte[]>();
        while (!_stopping)
        {
            frames.Clear();
            try
            {
                if (_socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames))
                {
                    _socket.SendMultipartBytes(frames);
                }
            }
            catch (Exception e) when (e is NetMQ.TerminatingException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
