namespace Notebooks.Tensors.Backend.Cpu.Gemm;

/// <summary>
/// This machine's per-core L1 data and L2 cache sizes and its L3, read once at run time (Linux reports them under
/// /sys/devices/system/cpu/cpu0/cache; elsewhere, or when that is missing, typical sizes of current x86 and Arm cores
/// stand in). The GEMM's block sizes are derived from them; the result of a product never depends on them.
/// </summary>
internal static class CacheSizes
{
    public static readonly int L1 = Read(1, 32 << 10);
    public static readonly int L2 = Read(2, 512 << 10);
    public static readonly int L3 = Read(3, 8 << 20);

    private static int Read(int level, int fallback)
    {
        try
        {
            const string root = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(root)) return fallback;
            foreach (var index in Directory.EnumerateDirectories(root, "index*"))
            {
                if (File.ReadAllText(Path.Combine(index, "level")).Trim() != level.ToString()) continue;
                if (File.ReadAllText(Path.Combine(index, "type")).Trim() == "Instruction") continue;
                var size = Parse(File.ReadAllText(Path.Combine(index, "size")).Trim());
                // Implausible readings (a hypervisor's zeros, a typo'd unit) keep the fallback.
                if (size >= 8 << 10 && size <= 1 << 30) return (int)size;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException) { }
        return fallback;
    }

    /// <summary>sysfs writes sizes as "32K", "1024K", "32M" (powers of 1024).</summary>
    internal static long Parse(string s)
    {
        long unit = s.EndsWith('K') ? 1 << 10 : s.EndsWith('M') ? 1 << 20 : s.EndsWith('G') ? 1 << 30 : 1;
        return long.Parse(unit == 1 ? s : s[..^1], System.Globalization.CultureInfo.InvariantCulture) * unit;
    }
}
