using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Notebooks.Kernel.Protocol;

namespace Notebooks.Kernel.Tests;

/// <summary>
/// Decoding without sockets: every validly signed message, whatever its JSON holds, is either a message whose every
/// accessor answers or a drop with a reason — never an exception (one used to escape the socket thread and abort the
/// kernel). Frames are built here with .NET's own HMAC, independently of the kernel's signer.
/// </summary>
public sealed class WireFormatTests
{
    private const string Key = "test-key";

    private static List<byte[]> Frames(byte[] header, byte[]? content = null, string? signature = null)
    {
        var parts = new[] { header, "{}"u8.ToArray(), "{}"u8.ToArray(), content ?? "{}"u8.ToArray() };
        signature ??= Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), parts.SelectMany(p => p).ToArray()));
        var frames = new List<byte[]> { "client"u8.ToArray(), "<IDS|MSG>"u8.ToArray(), Encoding.ASCII.GetBytes(signature) };
        frames.AddRange(parts);
        return frames;
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static string ValidHeader(string type = "kernel_info_request") =>
        $$"""{"msg_id":"{{Guid.NewGuid()}}","msg_type":"{{type}}","session":"s","username":"u","date":"2026-01-01T00:00:00Z","version":"5.3"}""";

    // Every JSON type, and a missing field.
    private static readonly string?[] Values = ["42", "-1.5e300", "true", "false", "null", "{}", "{\"a\":1}", "[]", "[1,\"x\"]", "\"\"", "\"text\"", null];

    private static IEnumerable<TestCaseData> HeaderFieldsOfEveryType() =>
        from field in new[] { "msg_id", "msg_type", "session", "username", "date", "version" }
        from value in Values
        select new TestCaseData(field, value).SetName($"header.{field} = {value ?? "missing"}");

    [TestCaseSource(nameof(HeaderFieldsOfEveryType))]
    public void EveryHeaderFieldOfEveryJsonTypeIsAMessageOrALoggedDrop(string field, string? value)
    {
        var header = (JsonObject)JsonNode.Parse(ValidHeader())!;
        header.Remove(field);
        if (value is not null)
        {
            header[field] = JsonNode.Parse(value);
        }
        var decoded = WireFormat.Decode(Frames(Json(header.ToJsonString())), new MessageSigner(Key), new SignatureHistory());
        var isString = value is not null && value.StartsWith('"');
        var required = field is "msg_id" or "msg_type";
        if (isString || (value is null && !required))
        {
            Assert.That(decoded.Problem, Is.Null);
            Assert.That(() => (decoded.Message!.MessageType, decoded.Message.MessageId, decoded.Message.Session), Throws.Nothing);
        }
        else
        {
            Assert.That(decoded.Message, Is.Null);
            Assert.That(decoded.Problem, Does.StartWith($"header.{field} is ").And.EndWith("not a string"));
        }
    }

    private static IEnumerable<TestCaseData> ContentFieldsOfEveryType() =>
        from value in Values.Where(v => v is not null)
        select new TestCaseData(value).SetName($"content fields = {value}");

    [TestCaseSource(nameof(ContentFieldsOfEveryType))]
    public void ContentFieldsOfAnyTypeReadAsTheirFallback(string value)
    {
        var content = Json($$"""{"code":{{value}},"silent":{{value}},"cursor_pos":{{value}},"n":{{value}},"user_expressions":{{value}}}""");
        var message = WireFormat.Decode(Frames(Json(ValidHeader("execute_request")), content), new MessageSigner(Key)).Message!;
        Assert.That(() => (message.GetString("code"), message.GetBool("silent", true), message.GetInt("cursor_pos", 3), message.GetOptionalInt("n")), Throws.Nothing);
        Assert.That(message.GetString("code"), value.StartsWith('"') ? Is.EqualTo(JsonNode.Parse(value)!.GetValue<string>()) : Is.Null);
        Assert.That(message.GetOptionalInt("n"), value == "42" ? Is.EqualTo(42) : Is.Null, "-1.5e300 is no int");
    }

    [TestCase("""{"msg_id":"a","msg_type":"kernel_info_request","msg_type":"execute_request"}""", TestName = "a repeated header key")]
    [TestCase("""{"msg_id":"a","msg_type":"kernel_info_request","session":{"x":1,"x":2}}""", TestName = "a repeated key inside a header value")]
    public void RepeatedKeysAreRefusedWhenDecoded(string header)
    {
        var decoded = WireFormat.Decode(Frames(Json(header)), new MessageSigner(Key));
        Assert.That(decoded.Message, Is.Null);
        Assert.That(decoded.Problem, Does.StartWith("header is not valid JSON"));
    }

    [Test]
    public void ARepeatedKeyDeepInTheContentIsRefusedToo()
    {
        var decoded = WireFormat.Decode(Frames(Json(ValidHeader("execute_request")), Json("""{"user_expressions":{"a":{"b":1,"b":2}}}""")), new MessageSigner(Key));
        Assert.That(decoded.Problem, Does.StartWith("content is not valid JSON"));
    }

    [TestCase(new byte[] { 0xC3, 0x28 }, TestName = "a truncated two-byte sequence")]
    [TestCase(new byte[] { 0xC0, 0xAF }, TestName = "an overlong encoding")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, TestName = "an encoded surrogate")]
    [TestCase(new byte[] { 0xFF }, TestName = "a byte UTF-8 never uses")]
    public void InvalidUtf8IsRefused(byte[] bad)
    {
        var header = Json(ValidHeader()).ToList();
        header.InsertRange(header.IndexOf((byte)'"', 1) + 1, bad); // inside the first key
        var decoded = WireFormat.Decode(Frames([.. header]), new MessageSigner(Key));
        Assert.That(decoded.Problem, Is.EqualTo("header is not valid UTF-8"));
    }

    [TestCase("[]", "an array")]
    [TestCase("7", "a number")]
    [TestCase("null", "null")]
    public void AFrameThatIsNotAnObjectIsRefused(string json, string described) =>
        Assert.That(WireFormat.Decode(Frames(Json(ValidHeader()), Json(json)), new MessageSigner(Key)).Problem, Is.EqualTo($"content is {described}, not a JSON object"));

    [Test]
    public void AReplayedSignatureIsRefusedAsJupyterClientDoes()
    {
        // jupyter_client/session.py, Session.deserialize: raise ValueError("Duplicate Signature: %r" % signature).
        var frames = Frames(Json(ValidHeader("execute_request")));
        var history = new SignatureHistory();
        var signer = new MessageSigner(Key);
        Assert.That(WireFormat.Decode(frames, signer, history).Message, Is.Not.Null);
        var replay = WireFormat.Decode(frames, signer, history);
        Assert.That(replay.Message, Is.Null);
        Assert.That(replay.Problem, Does.StartWith("Duplicate Signature: '"));
        var upper = frames.ToList();
        upper[2] = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(frames[2]).ToUpperInvariant());
        Assert.That(WireFormat.Decode(upper, signer, history).Problem, Does.StartWith("Duplicate Signature"), "hex case does not make a new signature");
    }

    [Test]
    public void WithoutAKeyThereIsNoSignatureToRemember()
    {
        var frames = Frames(Json(ValidHeader()), signature: "");
        var history = new SignatureHistory();
        Assert.That(WireFormat.Decode(frames, new MessageSigner(""), history).Message, Is.Not.Null);
        Assert.That(WireFormat.Decode(frames, new MessageSigner(""), history).Message, Is.Not.Null);
        Assert.That(history.Count, Is.Zero);
    }

    [Test]
    public void ForgedAndUnsignedMessagesTakeNoPlaceInTheHistory()
    {
        var history = new SignatureHistory();
        Assert.That(WireFormat.Decode(Frames(Json(ValidHeader()), signature: "00ff"), new MessageSigner(Key), history).Problem, Is.EqualTo("Invalid Signature"));
        Assert.That(WireFormat.Decode(Frames(Json(ValidHeader()), signature: ""), new MessageSigner(Key), history).Problem, Is.EqualTo("Unsigned Message"));
        Assert.That(history.Count, Is.Zero);
    }

    [Test]
    public void TheHistoryForgetsItsOldestTenthWhenFull()
    {
        // jupyter_client: digest_history_size = 2**16; past it, _cull_digest_history removes
        // max(current // 10, current - size) digests (at random there; the oldest here).
        var history = new SignatureHistory(capacity: 20);
        for (var i = 0; i < 21; i++)
        {
            Assert.That(history.TryAdd($"s{i}"), Is.True);
        }
        Assert.That(history.Count, Is.EqualTo(19));
        Assert.That(history.TryAdd("s0"), Is.True, "the oldest was forgotten");
        Assert.That(history.TryAdd("s20"), Is.False, "the newest is remembered");
    }

    [TestCase("hmac-sha512")]
    [TestCase("hmac-sha384")]
    [TestCase("hmac-sha1")]
    [TestCase("hmac-md5")]
    public void OtherHmacSchemesSignAsPythonsHmacWould(string scheme)
    {
        byte[][] parts = [Json(ValidHeader()), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()];
        var data = parts.SelectMany(p => p).ToArray();
        var key = Encoding.UTF8.GetBytes(Key);
        var expected = scheme switch
        {
            "hmac-sha512" => HMACSHA512.HashData(key, data),
            "hmac-sha384" => HMACSHA384.HashData(key, data),
            "hmac-sha1" => HMACSHA1.HashData(key, data),
            _ => HMACMD5.HashData(key, data),
        };
        Assert.That(new MessageSigner(Key, scheme).Sign(parts), Is.EqualTo(Convert.ToHexStringLower(expected)));
    }

    [Test]
    public void ASchemeThatIsNotHmacIsRefusedInJupyterClientsWords() =>
        // jupyter_client/session.py, _signature_scheme_changed.
        Assert.That(() => new MessageSigner(Key, "sha256"), Throws.TypeOf<UnsupportedSignatureSchemeException>().With.Message.EqualTo("signature_scheme must start with 'hmac-', got 'sha256'"));

    [Test]
    public void AnUnknownHashIsRefused() =>
        Assert.That(() => new MessageSigner(Key, "hmac-whirlpool"), Throws.TypeOf<UnsupportedSignatureSchemeException>().With.Message.StartsWith("signature_scheme 'hmac-whirlpool' is not supported"));

    [TestCase("""{"code":"x\ud800y"}""", TestName = "a lone high surrogate")]
    [TestCase("""{"code":"\udc00"}""", TestName = "a lone low surrogate")]
    [TestCase("""{"a":[{"b":"\ud800"}]}""", TestName = "a lone surrogate deep inside")]
    public void AnUnpairedSurrogateEscapeIsRefused(string content)
    {
        // Valid JSON that .NET can parse but not read as a string: it threw wherever the string was first read.
        var decoded = WireFormat.Decode(Frames(Json(ValidHeader("execute_request")), Json(content)), new MessageSigner(Key));
        Assert.That(decoded.Problem, Is.EqualTo("content has a string with an unpaired surrogate escape"));
    }

    [Test]
    public void APairedSurrogateEscapeIsText()
    {
        var decoded = WireFormat.Decode(Frames(Json(ValidHeader("execute_request")), Json("""{"code":"\ud83d\ude00"}""")), new MessageSigner(Key));
        Assert.That(decoded.Message!.GetString("code"), Is.EqualTo("😀"));
    }
}
