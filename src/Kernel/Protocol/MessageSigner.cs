using System.Security.Cryptography;
using System.Text;

namespace Notebooks.Kernel.Protocol;

/// <summary>
/// Jupyter's message signature: an HMAC over header, parent header, metadata and content,
/// sent as lowercase hex. An empty key turns signing off, as the protocol specifies.
/// </summary>
internal sealed class MessageSigner
{
    private readonly byte[] _key;

    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        if (key.Length > 0 && scheme != "hmac-sha256")
        {
            throw new NotSupportedException($"Signature scheme '{scheme}' is not supported; use hmac-sha256.");
        }
        _key = Encoding.UTF8.GetBytes(key);
    }

    public bool Enabled => _key.Length > 0;

    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
        {
            return "";
        }
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (var part in parts)
        {
            hmac.AppendData(part);
        }
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Compares in constant time so the check leaks nothing about the expected signature.</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
        {
            return true;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        var actual = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
