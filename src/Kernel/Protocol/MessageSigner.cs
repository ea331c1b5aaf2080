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
    private readonly HashAlgorithmName _hash;

    /// <exception cref="UnsupportedSignatureSchemeException">The scheme is not <c>hmac-</c> and a hash .NET has.</exception>
    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        _hash = HashFor(scheme);
        _key = Encoding.UTF8.GetBytes(key);
    }

    public bool Enabled => _key.Length > 0;

    /// <summary>
    /// The hash of a signature scheme. jupyter_client accepts "hmac-" followed by any hashlib name
    /// (jupyter_client/session.py, <c>_signature_scheme_changed</c>); these are the ones both sides have.
    /// </summary>
    public static HashAlgorithmName HashFor(string scheme)
    {
        if (!scheme.StartsWith("hmac-", StringComparison.Ordinal))
        {
            // jupyter_client's wording: TraitError("signature_scheme must start with 'hmac-', got %r").
            throw new UnsupportedSignatureSchemeException($"signature_scheme must start with 'hmac-', got '{scheme}'");
        }
        return scheme[5..] switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha512" => HashAlgorithmName.SHA512,
            "sha384" => HashAlgorithmName.SHA384,
            "sha1" => HashAlgorithmName.SHA1,
            "md5" => HashAlgorithmName.MD5,
            _ => throw new UnsupportedSignatureSchemeException(
                $"signature_scheme '{scheme}' is not supported: this kernel signs with hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha1 or hmac-md5"),
        };
    }

    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Enabled)
        {
            return "";
        }
        using var hmac = IncrementalHash.CreateHMAC(_hash, _key);
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

/// <summary>The connection file names a signature scheme this kernel cannot compute.</summary>
internal sealed class UnsupportedSignatureSchemeException(string message) : Exception(message);
