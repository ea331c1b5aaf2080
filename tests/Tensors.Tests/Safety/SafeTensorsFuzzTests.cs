using System.Buffers.Binary;
using System.Text;
using Notebooks.Tensors.Tests.Core;

namespace Notebooks.Tensors.Tests.Safety;

/// <summary>
/// Crafted and random safetensors files: the reader validates as the reference reader does
/// (huggingface/safetensors, safetensors/src/tensor.rs: read_metadata, Metadata::validate) before it copies a byte,
/// so a file either loads with every tensor's bytes exactly its own, or is refused with a SafetensorException.
/// </summary>
public class SafeTensorsFuzzTests : CoreTestBase
{
    private static byte[] File(string header, int dataBytes, byte fill = 0)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var r = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(r, (ulong)h.Length);
        h.CopyTo(r, 8);
        r.AsSpan(8 + h.Length).Fill(fill);
        return r;
    }

    private static string Refusal(byte[] file) => Assert.Throws<SafetensorException>(() => SafeTensors.Deserialize(file))!.Message;

    [Test]
    public void The_crafted_files_of_the_report_are_refused()
    {
        // shape [2^32, 2^32] with empty offsets: its byte count overflows usize × 4 (ValidationOverflow).
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}""", 0)),
            Is.EqualTo("Error while deserializing header: ValidationOverflow"));
        // [2^31, 2^31] F32 does not overflow 64 bits, but 2^64 bytes are not the 0 the offsets say.
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[65536,65536],"data_offsets":[0,0]}}""", 0)),
            Is.EqualTo("Error while deserializing header: TensorInvalidInfo"));
        // A negative dim is not a usize: the header does not deserialize.
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[-1,-3],"data_offsets":[0,12]}}""", 12)),
            Is.EqualTo("Error while deserializing header: InvalidHeaderDeserialization"));
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[-8,-4]}}""", 4)),
            Is.EqualTo("Error while deserializing header: InvalidHeaderDeserialization"));
        // Overlapping tensors (b re-reads a's bytes), a gap, and data past the buffer's end.
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8)),
            Is.EqualTo("Error while deserializing header: InvalidOffset(\"b\")"));
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8)),
            Is.EqualTo("Error while deserializing header: InvalidOffset(\"a\")"));
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8)),
            Is.EqualTo("Error while deserializing header: MetadataIncompleteBuffer"));
        Assert.That(Refusal(File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8)),
            Is.EqualTo("Error while deserializing header: MetadataIncompleteBuffer"), "trailing bytes no tensor owns");
    }

    [Test]
    public void Header_length_and_text_are_checked()
    {
        Assert.That(Refusal([1, 2, 3]), Is.EqualTo("Error while deserializing header: HeaderTooSmall"));
        var big = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(big, 100_000_001);
        Assert.That(Refusal(big), Is.EqualTo("Error while deserializing header: HeaderTooLarge"));
        BinaryPrimitives.WriteUInt64LittleEndian(big, ulong.MaxValue);
        Assert.That(Refusal(big), Is.EqualTo("Error while deserializing header: HeaderTooLarge"));
        BinaryPrimitives.WriteUInt64LittleEndian(big, 9);
        Assert.That(Refusal(big), Is.EqualTo("Error while deserializing header: InvalidHeaderLength"));
        var bad = File("{}", 0);
        bad[8] = 0xFF;
        Assert.That(Refusal(bad), Is.EqualTo("Error while deserializing header: InvalidHeader"));
        Assert.That(Refusal(File("[1, 2]", 0)), Is.EqualTo("Error while deserializing header: InvalidHeaderDeserialization"));
        Assert.That(Refusal(File("""{"__metadata__":{"k":1}}""", 0)), Is.EqualTo("Error while deserializing header: InvalidHeaderDeserialization"));
        Assert.That(Refusal(File("""{"a":{"dtype":"F33","shape":[],"data_offsets":[0,4]}}""", 4)),
            Is.EqualTo("Error while deserializing header: InvalidHeaderDeserialization"));
        Assert.That(SafeTensors.Deserialize(File("{}", 0)), Is.Empty);
    }

    [Test]
    public void A_valid_file_in_any_offset_order_loads_in_data_order()
    {
        var file = File("""{"b":{"dtype":"I32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""", 12, 1);
        var d = SafeTensors.Deserialize(file);
        Assert.That(d.Keys, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(Repr(d["b"]), Is.EqualTo("tensor([16843009, 16843009], dtype=torch.int32)"));
    }

    /// <summary>
    /// Random headers (dtypes, shapes, offsets with negative, huge and overlapping values, wrong JSON types) and random
    /// byte damage to valid files, bounded at 4000 cases and 20 s: each either loads, with every tensor's byte size
    /// equal to its offsets' span and its bytes those of the file, or is refused with a SafetensorException.
    /// </summary>
    [Test]
    public void Random_headers_and_damaged_files_load_exactly_or_are_refused()
    {
        var rng = new System.Random(1919);
        string[] dtypes = ["F32", "F64", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "X", "f32", "U64"];
        long[] numbers = [0, 1, 2, 3, 4, 7, 8, 16, -1, -8, 1L << 31, 1L << 32, 1L << 62, long.MaxValue];
        string Num() => rng.Next(12) switch
        {
            0 => "1.5", 1 => "\"4\"", 2 => "null", 3 => "18446744073709551615", 4 => "1e3",
            _ => numbers[rng.Next(numbers.Length)].ToString(),
        };
        string Array(int max) => "[" + string.Join(",", Enumerable.Range(0, rng.Next(max + 1)).Select(_ => Num())) + "]";
        int loaded = 0, refused = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int c = 0; c < 4000 && clock.Elapsed < TimeSpan.FromSeconds(20); c++)
        {
            byte[] file;
            if (c % 2 == 0)
            {
                // A header of random entries; half of them tile the data correctly, the rest are random.
                var parts = new List<string>();
                long at = 0;
                int n = rng.Next(0, 4);
                for (int i = 0; i < n; i++)
                {
                    var dt = dtypes[rng.Next(dtypes.Length)];
                    if (rng.Next(2) == 0)
                    {
                        long len = rng.Next(0, 5);
                        int item = dt switch { "F64" or "I64" => 8, "F32" or "I32" => 4, "F16" or "BF16" or "I16" => 2, _ => 1 };
                        parts.Add($"\"t{i}\":{{\"dtype\":\"{dt}\",\"shape\":[{len}],\"data_offsets\":[{at},{at + len * item}]}}");
                        at += len * item;
                    }
                    else parts.Add($"\"t{i}\":{{\"dtype\":\"{dt}\",\"shape\":{Array(3)},\"data_offsets\":{Array(3)}}}");
                }
                if (rng.Next(6) == 0) parts.Add("\"__metadata__\":{\"format\":\"pt\"}");
                file = File("{" + string.Join(",", parts) + "}", (int)Math.Min(at + rng.Next(-2, 3), 64) is var k && k >= 0 ? k : 0, 3);
            }
            else
            {
                // A valid file, damaged: a few random bytes changed, or cut short, or extended.
                var valid = SafeTensors.Serialize(new Dictionary<string, Tensor>
                {
                    ["w"] = torch.arange(6.0f).view(2, 3),
                    ["i"] = torch.arange(3),
                    ["m"] = torch.tensor(new[] { true, false }),
                });
                file = rng.Next(3) switch
                {
                    0 => valid[..rng.Next(valid.Length)],
                    1 => [.. valid, .. new byte[rng.Next(1, 9)]],
                    _ => (byte[])valid.Clone(),
                };
                for (int m = rng.Next(1, 4); m > 0 && file.Length > 0; m--) file[rng.Next(file.Length)] = (byte)rng.Next(256);
            }
            OrderedDictionary<string, Tensor> d;
            try { d = SafeTensors.Deserialize(file); }
            catch (SafetensorException) { refused++; continue; }
            catch (NotSupportedException e) when (e.Message.StartsWith("safetensors dtype")) { refused++; continue; }
            loaded++;
            long total = 0;
            foreach (var (_, t) in d) total += t.nbytes;
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
            Assert.That(8 + (long)headerLength + total, Is.EqualTo(file.Length), "the loaded tensors own every data byte exactly once");
        }
        Assert.That(loaded, Is.GreaterThan(50));
        Assert.That(refused, Is.GreaterThan(500));
    }
}
