using System.IO.Compression;

namespace Notebooks.Kernel.Cli;

/// <summary>Draws the kernelspec's logo (a "#" on a purple tile) and encodes it as PNG, so no binary is checked in.</summary>
internal static class Logo
{
    public static byte[] Png(int size)
    {
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (r, g, b, a) = Pixel(x / (double)size, y / (double)size);
                var i = (y * size + x) * 4;
                pixels[i] = r;
                pixels[i + 1] = g;
                pixels[i + 2] = b;
                pixels[i + 3] = a;
            }
        }
        return Encode(size, size, pixels);
    }

    private static (byte R, byte G, byte B, byte A) Pixel(double u, double v)
    {
        // Rounded tile.
        var dx = Math.Max(Math.Abs(u - 0.5) - 0.36, 0);
        var dy = Math.Max(Math.Abs(v - 0.5) - 0.36, 0);
        if (dx * dx + dy * dy > 0.14 * 0.14)
        {
            return (0, 0, 0, 0);
        }
        // Two slanted verticals and two horizontals make the sharp sign.
        const double stroke = 0.065;
        var slant = (0.5 - v) * 0.18;
        var onVertical = Math.Abs(u - 0.40 - slant) < stroke || Math.Abs(u - 0.62 - slant) < stroke;
        var onHorizontal = Math.Abs(v - 0.40) < stroke || Math.Abs(v - 0.62) < stroke;
        var inside = u > 0.22 && u < 0.80 && v > 0.20 && v < 0.82;
        return inside && (onVertical || onHorizontal) ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)104, (byte)33, (byte)122, (byte)255);
    }

    private static byte[] Encode(int width, int height, byte[] rgba)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // no filter
                    zlib.Write(rgba, y * width * 4, width * 4);
                }
            }
            Chunk(png, "IDAT", raw.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32([.. typeBytes, .. data]));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}
