namespace Notebooks.Kernel.Protocol;

/// <summary>The kernel's ZeroMQ channels that carry signed messages (the heartbeat echoes raw bytes and is not one).</summary>
internal enum Channel
{
    Shell,
    Control,
    Stdin,
    Iopub,
}
