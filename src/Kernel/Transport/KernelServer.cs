using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;
using Notebooks.Kernel.Protocol;
using Notebooks.Kernel.Requests;

namespace Notebooks.Kernel.Transport;

/// <summary>
/// The kernel's transport, and nothing else: it binds the sockets the connection file names, decodes and verifies
/// what arrives (framing, signature, replays; <see cref="WireFormat"/>) and hands each message to the
/// <see cref="RequestHandler"/>, and it signs and sends what the handler puts in its outgoing queue. One thread owns
/// every socket (ZeroMQ sockets are not thread-safe); the heartbeat echoes on its own.
/// </summary>
internal sealed class KernelServer : IMessageOutbox, IDisposable
{
    private readonly ConnectionInfo _connection;
    private readonly MessageSigner _signer;
    private readonly SignatureHistory _replays = new();
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly NetMQQueue<(Channel Channel, JupyterMessage Message)> _outgoing = new();
    private readonly NetMQPoller _poller;
    private Heartbeat? _heartbeat;
    private int _pending;

    /// <exception cref="UnsupportedSignatureSchemeException">The connection file's signature_scheme.</exception>
    public KernelServer(ConnectionInfo connection)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        _shell.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Shell);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Control);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Stdin);
        _outgoing.ReceiveReady += (_, _) => DrainOutgoing();
        _poller = new NetMQPoller { _shell, _control, _stdin, _outgoing };
    }

    /// <summary>Where decoded messages go; set before <see cref="Start"/>.</summary>
    public RequestHandler? Handler { get; set; }

    /// <summary>Binds the sockets and starts the socket thread; throws <see cref="KernelStartupException"/> when a bind fails.</summary>
    public void Start()
    {
        SocketBinding.Bind(_shell, "shell", _connection.Address(_connection.ShellPort));
        SocketBinding.Bind(_control, "control", _connection.Address(_connection.ControlPort));
        SocketBinding.Bind(_stdin, "stdin", _connection.Address(_connection.StdinPort));
        SocketBinding.Bind(_iopub, "iopub", _connection.Address(_connection.IopubPort));
        _heartbeat = new Heartbeat(_connection.Address(_connection.HeartbeatPort));
        _poller.RunAsync("jupyter-sockets");
    }

    public void Send(Channel channel, JupyterMessage message)
    {
        Interlocked.Increment(ref _pending);
        _outgoing.Enqueue((channel, message));
    }

    private void DrainOutgoing()
    {
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
        {
            var started = KernelTrace.Enabled ? Stopwatch.GetTimestamp() : 0;
            var frames = WireFormat.Encode(item.Message, _signer);
            NetMQSocket socket = item.Channel switch
            {
                Channel.Shell => _shell,
                Channel.Control => _control,
                Channel.Stdin => _stdin,
                _ => _iopub,
            };
            socket.SendMultipartBytes(frames);
            Interlocked.Decrement(ref _pending);
            if (KernelTrace.Enabled)
            {
                KernelTrace.Single($"send {item.Message.MessageType}", started);
            }
        }
    }

    private void Receive(NetMQSocket socket, Channel channel)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            var receivedAt = Stopwatch.GetTimestamp();
            var (message, problem) = WireFormat.Decode(frames, _signer, _replays);
            if (message is null)
            {
                // Untrusted or unreadable: dropped without a reply, as the protocol asks, and as ipykernel logs it.
                Log.Warn($"Invalid Message on {channel}: {problem}");
                continue;
            }
            message.ReceivedAt = receivedAt;
            message.DecodedAt = Stopwatch.GetTimestamp();
            Handler?.Handle(channel, message);
        }
    }

    public void Dispose()
    {
        // Let the last replies (shutdown_reply, idle) leave before the sockets close.
        if (_poller.IsRunning)
        {
            var deadline = DateTime.UtcNow.AddSeconds(1);
            while (Volatile.Read(ref _pending) > 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
            _poller.Stop();
        }
        _heartbeat?.Dispose();
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub })
        {
            socket.Options.Linger = TimeSpan.FromMilliseconds(500);
            socket.Dispose();
        }
        _outgoing.Dispose();
    }
}
