using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Requests;

/// <summary>
/// Where request handling hands the messages it makes: the transport's outgoing queue, drained by its socket thread
/// (<see cref="Transport.KernelServer"/>), or a list in tests. Safe to call from any thread; never blocks.
/// </summary>
internal interface IMessageOutbox
{
    void Send(Channel channel, JupyterMessage message);
}
