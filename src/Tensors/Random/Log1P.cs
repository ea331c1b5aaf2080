using System.Runtime.InteropServices;

namespace Notebooks.Tensors;

/// <summary>
/// log(1 + x) in double precision as PyTorch's scalar Box–Muller gets it: it calls the C library's
/// <c>::log1p</c> (aten/src/ATen/core/DistributionsHelper.h), and .NET has no log1p of its own
/// (<c>double.LogP1</c> is <c>Log(x + 1)</c>, which loses the low bits). Where glibc's libm can be loaded the
/// very same function is called, so results agree with PyTorch on that machine bit for bit (glibc may pick a
/// CPU-specific variant at load time, as it does for PyTorch). Elsewhere a managed port of glibc's algorithm
/// (sysdeps/ieee754/dbl-64/s_log1p.c, Sun's fdlibm with the polynomial split for pipelining) is used; it is
/// within one ulp of glibc and equal to it on most inputs, not all (see MathEmulationTests).
/// </summary>
internal static unsafe class Log1P
{
    private static readonly delegate* unmanaged<double, double> Native = LoadNative();

    internal static double Compute(double x) => Native != null ? Native(x) : Managed(x);

    private static delegate* unmanaged<double, double> LoadNative()
    {
        if (OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libm.so.6", out IntPtr libm)
            && NativeLibrary.TryGetExport(libm, "log1p", out IntPtr fn))
            return (delegate* unmanaged<double, double>)fn;
        return null;
    }

    // The managed port. Reduce 1+x = 2^k * (1+f) with sqrt(2)/2 < 1+f < sqrt(2), carry the rounding error
    // of 1+x in a correction term c, and evaluate log(1+f) with the Remez polynomial in s = f/(2+f).

    private const double Ln2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42_fee00000
    private const double Ln2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef_35793c76
    private const double Lp1 = 6.666666666666735130e-01, Lp2 = 3.999999999940941908e-01;
    private const double Lp3 = 2.857142874366239149e-01, Lp4 = 2.222219843214978396e-01;
    private const double Lp5 = 1.818357216161805012e-01, Lp6 = 1.531383769920937332e-01;
    private const double Lp7 = 1.479819860511658591e-01;

    private static int HighWord(double x) => (int)(BitConverter.DoubleToUInt64Bits(x) >> 32);

    private static double WithHighWord(double x, int high) =>
        BitConverter.UInt64BitsToDouble(((ulong)(uint)high << 32) | (BitConverter.DoubleToUInt64Bits(x) & 0xFFFFFFFFUL));

    internal static double Managed(double x)
    {
        int hx = HighWord(x);
        int ax = hx & 0x7fffffff;
        int k = 1, hu = 0;
        double f = 0, c = 0;

        if (hx < 0x3FDA827A)
        {                                    // 1+x < sqrt(2)
            if (ax >= 0x3ff00000)            // x <= -1
                return x == -1.0 ? double.NegativeInfinity : double.NaN;
            if (ax < 0x3e200000)             // |x| < 2^-29
                return ax < 0x3c900000 ? x : x - x * x * 0.5;
            if (hx > 0 || hx <= unchecked((int)0xbfd2bec3))
            {                                // sqrt(2)/2 <= 1+x < sqrt(2): no reduction needed
                k = 0; f = x; hu = 1;
            }
        }
        if (hx >= 0x7ff00000) return x + x; // +inf or NaN
        if (k != 0)
        {
            double u;
            if (hx < 0x43400000)
            {
                u = 1.0 + x;
                hu = HighWord(u);
                k = (hu >> 20) - 1023;
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // the rounding error of 1+x
                c /= u;
            }
            else
            {
                u = x;
                hu = HighWord(u);
                k = (hu >> 20) - 1023;
                c = 0;
            }
            hu &= 0x000fffff;
            if (hu < 0x6a09e)
            {
                u = WithHighWord(u, hu | 0x3ff00000);     // normalise u into [1, sqrt(2))
            }
            else
            {
                k += 1;
                u = WithHighWord(u, hu | 0x3fe00000);     // normalise u/2 into [sqrt(2)/2, 1)
                hu = (0x00100000 - hu) >> 2;
            }
            f = u - 1.0;
        }
        double hfsq = 0.5 * f * f;
        double r;
        if (hu == 0)
        {                                    // |f| < 2^-20
            if (f == 0.0)
                return k == 0 ? 0.0 : k * Ln2Hi + (c + k * Ln2Lo);
            r = hfsq * (1.0 - 0.66666666666666666 * f);
            return k == 0 ? f - r : k * Ln2Hi - ((r - (k * Ln2Lo + c)) - f);
        }
        double s = f / (2.0 + f);
        double z = s * s;
        double z2 = z * z, z4 = z2 * z2, z6 = z4 * z2;
        r = z * Lp1 + z2 * (Lp2 + z * Lp3) + z4 * (Lp4 + z * Lp5) + z6 * (Lp6 + z * Lp7);
        return k == 0 ? f - (hfsq - s * (hfsq + r)) : k * Ln2Hi - ((hfsq - (s * (hfsq + r) + (k * Ln2Lo + c))) - f);
    }
}
