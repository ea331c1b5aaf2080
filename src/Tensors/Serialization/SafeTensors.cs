using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Notebooks.Tensors;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header mapping
/// each name to {dtype, shape, data_offsets} (plus optional "__metadata__" of strings), then the raw little-endian
/// contiguous data of the tensors. Written in the caller's order (the reference writer sorts by alignment, then name;
/// the format requires neither), read back in the order of the data.
/// </summary>
public static class SafeTensors
{
    private static string Code(DType d) => d.Kind switch
    {
        ScalarType.Float32 => "F32", ScalarType.Float64 => "F64", ScalarType.Float16 => "F16", ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64", ScalarType.Int32 => "I32", ScalarType.Int16 => "I16", ScalarType.Int8 => "I8",
        ScalarType.UInt8 => "U8", ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors has no dtype for {d}"),
    };

    private static DType FromCode(string code) => code switch
    {
        "F32" => DType.Float32, "F64" => DType.Float64, "F16" => DType.Float16, "BF16" => DType.BFloat16,
        "I64" => DType.Int64, "I32" => DType.Int32, "I16" => DType.Int16, "I8" => DType.Int8,
        "U8" => DType.UInt8, "BOOL" => DType.Bool,
        // Names the format defines that no dtype here holds (U16, U32, U64, F8_*) are refused by name; anything else is
        // not safetensors at all, as serde's enum parse refuses it.
        "U16" or "U32" or "U64" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2" or "C64" =>
            throw new NotSupportedException($"safetensors dtype {code} has no torch dtype here"),
        _ => throw new FormatException(),
    };

    public static byte[] Serialize(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        // In the caller's order (a state_dict's registration order), so that loading gives the same order back, as
        // torch.load does with a pickled state_dict; the format allows any order as long as the offsets tile the data.
        var items = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in items)
            if (name == "__metadata__" || !seen.Add(name)) throw new ArgumentException($"safetensors cannot store a tensor named '{name}' twice or as '__metadata__'");
        var blobs = new List<byte[]>();
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in items)
            {
                var bytes = Bytes(t);
                blobs.Add(bytes);
                w.WriteStartObject(name);
                w.WriteString("dtype", Code(t.dtype));
                w.WriteStartArray("shape");
                foreach (var s in t._shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes.Length;
            }
            w.WriteEndObject();
        }
        var header = headerStream.ToArray().ToList();
        // The reference writer pads the header with spaces to a multiple of 8 so the data is aligned.
        while ((8 + header.Count) % 8 != 0) header.Add((byte)' ');
        using var output = new MemoryStream();
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Count);
        output.Write(len);
        output.Write(header.ToArray());
        foreach (var b in blobs) output.Write(b);
        return output.ToArray();
    }

    /// <summary>A tensor's elements in row-major order, little-endian (the CPU storage is little-endian already).</summary>
    private static byte[] Bytes(Tensor t)
    {
        var c = t.detach().cpu().contiguous();
        var span = Backend.HostMemory.Bytes(c.Buffer);
        int item = c.dtype.itemsize;
        return span.Slice((int)(c._offset * item), (int)(c.numel() * item)).ToArray();
    }

    public static OrderedDictionary<string, Tensor> Deserialize(byte[] data) => Deserialize(data, out _);

    /// <summary>
    /// Reads a safetensors buffer, validated as the reference reader does (huggingface/safetensors,
    /// safetensors/src/tensor.rs: <c>read_metadata</c> and <c>Metadata::validate</c>) before any byte is copied: the
    /// header length (at least 8 bytes, at most 100 MB, inside the buffer), UTF-8 JSON of the expected types
    /// (non-negative integer shapes and offsets), then the tensors sorted by offsets must tile the data exactly: each
    /// starts where the previous ended (no gap, no overlap, nothing read from the header), shape × dtype size equals
    /// its byte span without overflow, and the last ends at the end of the buffer. Errors read as the Python binding's
    /// ("Error while deserializing header: InvalidOffset(\"w\")"). Tensors come back in the order of their data,
    /// which is the order <see cref="torch.save"/> wrote them in.
    /// </summary>
    public static OrderedDictionary<string, Tensor> Deserialize(byte[] data, out Dictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (dataStart, entries, meta) = ReadHeader(data);
        metadata = meta;
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var e in entries)
        {
            var t = Tensor.Empty(e.Shape, e.DType, Device.CPU);
            var dst = Backend.HostMemory.Bytes(t.Buffer);
            data.AsSpan(checked((int)(dataStart + e.Begin)), checked((int)(e.End - e.Begin))).CopyTo(dst);
            result[e.Name] = t;
        }
        return result;
    }

    /// <summary>The largest header the reference reader accepts (MAX_HEADER_SIZE).</summary>
    private const long MaxHeaderSize = 100_000_000;

    private sealed record Entry(string Name, DType DType, long[] Shape, long Begin, long End);

    private static SafetensorException Error(string kind) => new($"Error while deserializing header: {kind}");

    private static (long DataStart, List<Entry> Entries, Dictionary<string, string> Metadata) ReadHeader(byte[] data)
    {
        if (data.Length < 8) throw Error("HeaderTooSmall");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (n > MaxHeaderSize) throw Error("HeaderTooLarge");
        if (n > (ulong)data.Length - 8) throw Error("InvalidHeaderLength");
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data, 8, (int)n); }
        catch (DecoderFallbackException) { throw Error("InvalidHeader"); }
        var metadata = new Dictionary<string, string>();
        var entries = new List<Entry>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(prop.Name)) throw new FormatException();   // a name given twice: which one is meant?
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw new FormatException();
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw new FormatException();
                    continue;
                }
                if (prop.Value.ValueKind != JsonValueKind.Object) throw new FormatException();
                var code = prop.Value.GetProperty("dtype");
                var dtype = code.ValueKind == JsonValueKind.String ? FromCode(code.GetString()!) : throw new FormatException();
                var shape = Naturals(prop.Value.GetProperty("shape"));
                var offs = Naturals(prop.Value.GetProperty("data_offsets"));
                if (offs.Length != 2) throw new FormatException();
                entries.Add(new Entry(prop.Name, dtype, shape, offs[0], offs[1]));
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw Error("InvalidHeaderDeserialization");
        }
        // Metadata::validate: sorted by offsets, the tensors must tile the data with no gap and no overlap.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long end = 0;
        foreach (var e in entries)
        {
            if (e.Begin != end || e.End < e.Begin) throw Error($"InvalidOffset(\"{e.Name}\")");
            end = e.End;
            ulong count = 1;
            foreach (var d in e.Shape)
                if (Math.BigMul(count, (ulong)d, out count) != 0) throw Error("ValidationOverflow");
            if (Math.BigMul(count, (ulong)e.DType.itemsize, out var bytes) != 0) throw Error("ValidationOverflow");
            if ((ulong)(e.End - e.Begin) != bytes) throw Error("TensorInvalidInfo");
        }
        if (end + 8 + (long)n != data.Length) throw Error("MetadataIncompleteBuffer");
        return (8 + (long)n, entries, metadata);
    }

    /// <summary>A JSON array of non-negative integers (Rust's usize: a negative or fractional number does not parse).</summary>
    private static long[] Naturals(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new FormatException();
        var r = new long[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt64(out var v) || v < 0) throw new FormatException();
            r[i++] = v;
        }
        return r;
    }
}

/// <summary>Python's <c>safetensors_rust.SafetensorError</c>: a file that is not valid safetensors.</summary>
public sealed class SafetensorException(string message) : IOException(message);

public static partial class torch
{
    /// <summary>Saves a state_dict (name → tensor) as a safetensors file.</summary>
    public static void save(IEnumerable<KeyValuePair<string, Tensor>> state_dict, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        File.WriteAllBytes(path, SafeTensors.Serialize(state_dict, metadata));

    /// <summary>
    /// Loads a safetensors file as an ordered name → tensor dictionary. <paramref name="weights_only"/> is PyTorch's
    /// argument (its default since 2.6 is True, and tutorials pass it): a safetensors file holds only tensors, so
    /// weights_only=False, which in PyTorch unpickles arbitrary objects, is refused.
    /// </summary>
    public static OrderedDictionary<string, Tensor> load(string path, bool weights_only = true) =>
        weights_only ? SafeTensors.Deserialize(File.ReadAllBytes(path))
            : throw new NotSupportedException("torch.load(weights_only=False) unpickles arbitrary Python objects; this library saves and loads only tensors (safetensors), so leave weights_only=True.");
}
