using System.Buffers.Binary;
using System.IO.Compression;

namespace Notebooks.Tensors;

/// <summary>
/// The IDX format of MNIST-style data sets (yann.lecun.com/exdb/mnist): a big-endian magic (0, 0, type, rank), one
/// big-endian int32 per dimension, then the values row-major. Files may be gzip-compressed (name ending .gz).
/// </summary>
internal static class Idx
{
    /// <summary>Reads an unsigned-byte IDX file (type 0x08) into a uint8 tensor of its shape.</summary>
    public static Tensor ReadBytes(string path)
    {
        byte[] bytes;
        using (var file = File.OpenRead(path))
        using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file)
        using (var memory = new MemoryStream())
        {
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{path} is not an IDX file (its first two bytes must be zero)");
        if (bytes[2] != 0x08) throw new InvalidDataException($"{path}: IDX element type 0x{bytes[2]:x2} is not unsigned byte (0x08)");
        int rank = bytes[3];
        var shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
        int start = 4 + 4 * rank;
        long count = Shapes.Numel(shape);
        if (bytes.Length - start != count)
            throw new InvalidDataException($"{path}: IDX header says {Shapes.Format(shape)} ({count} values) but the file holds {bytes.Length - start}");
        var t = Tensor.Empty(shape, DType.UInt8, Device.CPU);
        t.Kernels.Upload<byte>(bytes.AsSpan(start), t.Buffer);
        return t;
    }

    /// <summary>Writes a uint8 tensor as an IDX file (gzip-compressed when the name ends .gz); tests make small samples with it.</summary>
    public static void WriteBytes(string path, Tensor data)
    {
        using var file = File.Create(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file;
        var header = new byte[4 + 4 * data.dim()];
        header[2] = 0x08; header[3] = (byte)data.dim();
        for (int d = 0; d < data.dim(); d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), (int)data.size(d));
        stream.Write(header);
        stream.Write(data.contiguous().ToArray<byte>());
    }
}
