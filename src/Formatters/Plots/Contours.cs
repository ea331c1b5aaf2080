namespace Notebooks.Formatters.Plots;

/// <summary>
/// Contour lines of a grid by marching squares: for each level, the segments where the bilinear surface through the
/// four corner values of each cell crosses it, in grid coordinates (column, row). A saddle cell is split by its centre
/// value, as matplotlib's and Plotly's contouring do.
/// </summary>
internal static class Contours
{
    public static List<(double x0, double y0, double x1, double y1)> Segments(double[,] z, double level)
    {
        int ny = z.GetLength(0), nx = z.GetLength(1);
        var segs = new List<(double, double, double, double)>();
        for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++)
        {
            double a = z[j, i], b = z[j, i + 1], c = z[j + 1, i + 1], d = z[j + 1, i];
            if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c) || !double.IsFinite(d)) continue;
            int k = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
            if (k is 0 or 15) continue;
            // Crossing points on the four edges: bottom (a-b), right (b-c), top (d-c), left (a-d).
            (double, double) Bottom() => (i + T(a, b), j);
            (double, double) Right() => (i + 1, j + T(b, c));
            (double, double) Top() => (i + T(d, c), j + 1);
            (double, double) Left() => (i, j + T(a, d));
            void Add((double x, double y) p, (double x, double y) q) => segs.Add((p.x, p.y, q.x, q.y));
            switch (k)
            {
                case 1 or 14: Add(Left(), Bottom()); break;
                case 2 or 13: Add(Bottom(), Right()); break;
                case 3 or 12: Add(Left(), Right()); break;
                case 4 or 11: Add(Right(), Top()); break;
                case 6 or 9: Add(Bottom(), Top()); break;
                case 7 or 8: Add(Left(), Top()); break;
                case 5 or 10:
                    bool centreAbove = (a + b + c + d) / 4 > level;
                    // 5: a and c above. With the centre above they join, so the lines cut off b's and d's corners.
                    if ((k == 5) == centreAbove) { Add(Bottom(), Right()); Add(Left(), Top()); }
                    else { Add(Left(), Bottom()); Add(Right(), Top()); }
                    break;
            }
        }
        return segs;

        double T(double p, double q) => (level - p) / (q - p);
    }
}
