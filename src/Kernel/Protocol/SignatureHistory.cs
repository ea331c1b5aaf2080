namespace Notebooks.Kernel.Protocol;

/// <summary>
/// The signatures of messages already accepted, so a captured message replayed on the wire runs only once. As
/// jupyter_client's Session (jupyter_client/session.py, <c>digest_history</c>, <c>_add_digest</c>,
/// <c>_cull_digest_history</c>): at most 2**16 are kept, and past that a tenth is forgotten, the oldest first here
/// (jupyter_client picks them at random). Signatures cover the header's unique msg_id and date, so an honest client
/// never repeats one.
/// </summary>
internal sealed class SignatureHistory(int capacity = 1 << 16)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _seen.Count;

    /// <summary>Records <paramref name="signature"/>; false when it was seen before (the message is a replay).</summary>
    public bool TryAdd(string signature)
    {
        if (capacity == 0)
        {
            return true;
        }
        if (!_seen.Add(signature))
        {
            return false;
        }
        _order.Enqueue(signature);
        if (_seen.Count > capacity)
        {
            var cull = Math.Max(_seen.Count / 10, _seen.Count - capacity);
            for (var i = 0; i < cull; i++)
            {
                _seen.Remove(_order.Dequeue());
            }
        }
        return true;
    }
}
