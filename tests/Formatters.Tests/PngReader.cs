using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Notebooks.Formatters.Tests;

/// <summary>Reads back what our encoder writes (checking every chunk's CRC) to test pixel values.</summary>
internal sealed record DecodedPng(int Width, int Height, int BitDepth, int ColorType, byte[] Pixels)
{
    public int Channels => ColorType == 2 ? 3 : 1;
    public byte At(int x, int y, int c = 0) => Pixels[(y * Width + x) * Channels + c];

    public static DecodedPng Decode(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        int pos = 8, w = 0, h = 0, depth = 0, type = 0;
        var idat = new MemoryStream();
        var order = new List<string>();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string kind = Encoding.ASCII.GetString(png, pos + 4, 4);
            order.Add(kind);
            var data = png.AsSpan(pos + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.That(crc, Is.EqualTo(Crc32Reference.Of(png.AsSpan(pos + 4, len + 4))), $"CRC of {kind}");
            if (kind == "IHDR")
            {
                w = BinaryPrimitives.ReadInt32BigEndian(data);
                h = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8]; type = data[9];
            }
            else if (kind == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.That(order.First(), Is.EqualTo("IHDR"));
        Assert.That(order.Last(), Is.EqualTo("IEND"));
        int channels = type == 2 ? 3 : 1;
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = w * channels;
        Assert.That(bytes.Length, Is.EqualTo(h * (stride + 1)));
        var pixels = new byte[w * h * channels];
        for (int y = 0; y < h; y++)
        {
            Assert.That(bytes[y * (stride + 1)], Is.EqualTo(0), "filter byte");
            Array.Copy(bytes, y * (stride + 1) + 1, pixels, y * stride, stride);
        }
        return new DecodedPng(w, h, depth, type, pixels);
    }
}

/// <summary>A bit-by-bit CRC-32 (no table), independent of the encoder's table-driven one.</summary>
internal static class Crc32Reference
{
    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
