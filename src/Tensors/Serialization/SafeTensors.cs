using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Notebooks.Tensors;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header mapping
/// each name to {dtype, shape, data_offsets} (plus optional "__metadata__" of strings), then the raw little-endian
/// contiguous data of the tensors in the header's order. Written with names sorted, as the reference writer does.
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
        _ => throw new NotSupportedException($"unsupported safetensors dtype {code}"),
    };

    public static byte[] Serialize(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
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
        var span = Backend.HostMemory.Bytes(c);
        int item = c.dtype.itemsize;
        return span.Slice((int)(c._offset * item), (int)(c.numel() * item)).ToArray();
    }

    public static OrderedDictionary<string, Tensor> Deserialize(byte[] data) => Deserialize(data, out _);

    public static OrderedDictionary<string, Tensor> Deserialize(byte[] data, out Dictionary<string, string> metadata)
    {
        if (data.Length < 8) throw new InvalidDataException("HeaderTooSmall");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (n > (ulong)data.Length - 8) throw new InvalidDataException("InvalidHeaderLength");
        int start = 8 + (int)n;
        using var doc = JsonDocument.Parse(data.AsMemory(8, (int)n));
        metadata = [];
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString()!;
                continue;
            }
            var dtype = FromCode(prop.Value.GetProperty("dtype").GetString()!);
            var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offs = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long numel = shape.Aggregate(1L, (a, b) => a * b);
            if (offs[1] - offs[0] != numel * dtype.itemsize || start + offs[1] > data.Length)
                throw new InvalidDataException($"TensorInvalidInfo: {prop.Name}");
            var t = Tensor.Empty(shape, dtype, Device.CPU);
            var dst = Backend.HostMemory.Bytes(t);
            data.AsSpan(start + (int)offs[0], (int)(offs[1] - offs[0])).CopyTo(dst);
            result[prop.Name] = t;
        }
        return result;
    }
}

public static partial class torch
{
    /// <summary>Saves a state_dict (name → tensor) as a safetensors file.</summary>
    public static void save(IEnumerable<KeyValuePair<string, Tensor>> state_dict, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        File.WriteAllBytes(path, SafeTensors.Serialize(state_dict, metadata));

    /// <summary>Loads a safetensors file as an ordered name → tensor dictionary.</summary>
    public static OrderedDictionary<string, Tensor> load(string path) => SafeTensors.Deserialize(File.ReadAllBytes(path));
}
