namespace Notebooks.Formatters.Graphs;

/// <summary>Where the layout put a node: its rectangle's top-left corner and size.</summary>
public readonly record struct NodeBox(double X, double Y, double Width, double Height)
{
    public double CenterX => X + Width / 2;
    public bool Overlaps(NodeBox o) => X < o.X + o.Width && o.X < X + Width && Y < o.Y + o.Height && o.Y < Y + Height;
}

/// <summary>
/// A layered (Sugiyama-style) drawing of a DAG, top to bottom with edges pointing down, no Graphviz needed:
/// longest-path layering (sinks at the bottom), dummy nodes on long edges, barycenter sweeps against crossings,
/// then x coordinates pulled toward neighbours under the "keep the order, don't overlap" constraint, solved
/// exactly per layer by pool-adjacent-violators.
/// </summary>
internal sealed class LayeredLayout
{
    public const double HorizontalGap = 18, VerticalGap = 36, Margin = 8;

    public NodeBox[] Boxes { get; }
    /// <summary>Per input edge, the points of its polyline from the source's bottom to the target's top.</summary>
    public (double x, double y)[][] EdgePaths { get; }
    public double Width { get; }
    public double Height { get; }
    public int Crossings { get; }

    private LayeredLayout(NodeBox[] boxes, (double, double)[][] paths, double w, double h, int crossings)
    {
        Boxes = boxes; EdgePaths = paths; Width = w; Height = h; Crossings = crossings;
    }

    public static LayeredLayout Compute(double[] widths, double[] heights, IReadOnlyList<(int from, int to)> edges, int sweeps = 12)
    {
        int n = widths.Length;
        var rank = LongestPathRanks(n, edges);
        int maxRank = n == 0 ? 0 : rank.Max();

        // Real nodes first, then one dummy per layer crossed by a long edge.
        var w = new List<double>(widths);
        var h = new List<double>(heights);
        var layerOf = rank.Select(r => maxRank - r).ToList();
        // A source (a leaf, typically a weight) sits just above its first consumer, not at the top: shorter edges.
        var firstUse = new int[n];
        Array.Fill(firstUse, int.MaxValue);
        var hasIn = new bool[n];
        foreach (var (a, b) in edges) { firstUse[a] = Math.Min(firstUse[a], layerOf[b]); hasIn[b] = true; }
        for (int v = 0; v < n; v++) if (!hasIn[v] && firstUse[v] != int.MaxValue) layerOf[v] = firstUse[v] - 1;
        var up = new List<List<int>>();   // neighbours one layer above
        var down = new List<List<int>>(); // neighbours one layer below
        for (int i = 0; i < n; i++) { up.Add([]); down.Add([]); }
        var chains = new List<int>[edges.Count];
        for (int e = 0; e < edges.Count; e++)
        {
            var (a, b) = edges[e];
            var chain = new List<int> { a };
            for (int l = layerOf[a] + 1; l < layerOf[b]; l++)
            {
                int d = w.Count;
                w.Add(0); h.Add(0); layerOf.Add(l); up.Add([]); down.Add([]);
                chain.Add(d);
            }
            chain.Add(b);
            for (int k = 0; k + 1 < chain.Count; k++) { down[chain[k]].Add(chain[k + 1]); up[chain[k + 1]].Add(chain[k]); }
            chains[e] = chain;
        }

        int total = w.Count;
        var layers = new List<int>[maxRank + 1];
        for (int l = 0; l <= maxRank; l++) layers[l] = [];
        // Initial order: a DFS from the top layer keeps connected nodes together.
        var seen = new bool[total];
        for (int i = 0; i < total; i++) if (up[i].Count == 0) Visit(i);
        for (int i = 0; i < total; i++) if (!seen[i]) Visit(i);
        void Visit(int v)
        {
            var stack = new Stack<int>();
            stack.Push(v);
            while (stack.Count > 0)
            {
                int u = stack.Pop();
                if (seen[u]) continue;
                seen[u] = true;
                layers[layerOf[u]].Add(u);
                for (int k = down[u].Count - 1; k >= 0; k--) if (!seen[down[u][k]]) stack.Push(down[u][k]);
            }
        }

        var pos = new int[total];
        void Index() { foreach (var L in layers) for (int i = 0; i < L.Count; i++) pos[L[i]] = i; }
        Index();

        var best = layers.Select(L => L.ToArray()).ToArray();
        int bestCross = CountCrossings(layers, down, pos);
        for (int s = 0, stale = 0; s < sweeps && bestCross > 0 && stale < 4; s++)
        {
            bool goingDown = s % 2 == 0;
            if (goingDown) for (int l = 1; l <= maxRank; l++) Reorder(layers[l], up, pos);
            else for (int l = maxRank - 1; l >= 0; l--) Reorder(layers[l], down, pos);
            int c = CountCrossings(layers, down, pos);
            if (c < bestCross) { bestCross = c; best = layers.Select(L => L.ToArray()).ToArray(); stale = 0; }
            else stale++;
        }
        for (int l = 0; l <= maxRank; l++) layers[l] = [.. best[l]];
        Index();

        // Layer y positions.
        var layerY = new double[maxRank + 1];
        var layerH = new double[maxRank + 1];
        double y = Margin;
        for (int l = 0; l <= maxRank; l++)
        {
            layerY[l] = y;
            foreach (var v in layers[l]) layerH[l] = Math.Max(layerH[l], h[v]);
            y += layerH[l] + VerticalGap;
        }

        // X: pack, then alternate pulls toward the layer above and below.
        var cx = new double[total];
        foreach (var L in layers)
        {
            double x = 0;
            foreach (var v in L) { cx[v] = x + w[v] / 2; x += w[v] + HorizontalGap; }
        }
        for (int it = 0; it < 8; it++)
        {
            bool fromAbove = it % 2 == 0;
            var order = fromAbove ? Enumerable.Range(1, maxRank) : Enumerable.Range(0, maxRank).Reverse();
            foreach (var l in order)
            {
                var L = layers[l];
                var desired = new double[L.Count];
                for (int i = 0; i < L.Count; i++)
                {
                    var nb = fromAbove ? up[L[i]] : down[L[i]];
                    desired[i] = nb.Count == 0 ? cx[L[i]] : Mean(nb, cx);
                }
                var placed = PlaceInOrder(desired, L.Select(v => w[v]).ToArray());
                for (int i = 0; i < L.Count; i++) cx[L[i]] = placed[i];
            }
        }

        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        for (int v = 0; v < total; v++) { minX = Math.Min(minX, cx[v] - w[v] / 2); maxX = Math.Max(maxX, cx[v] + w[v] / 2); }
        if (total == 0) { minX = 0; maxX = 0; }
        double shift = Margin - minX;

        var boxes = new NodeBox[n];
        for (int v = 0; v < n; v++) boxes[v] = new NodeBox(cx[v] + shift - w[v] / 2, layerY[layerOf[v]], w[v], h[v]);

        var paths = new (double, double)[edges.Count][];
        for (int e = 0; e < edges.Count; e++)
        {
            var chain = chains[e];
            var pts = new List<(double, double)>();
            var a = boxes[chain[0]];
            pts.Add((a.CenterX, a.Y + a.Height));
            for (int k = 1; k + 1 < chain.Count; k++)
            {
                // A dummy is a vertical pass-through spanning its layer's height.
                int d = chain[k], l = layerOf[d];
                pts.Add((cx[d] + shift, layerY[l]));
                if (layerH[l] > 0) pts.Add((cx[d] + shift, layerY[l] + layerH[l]));
            }
            var b = boxes[chain[^1]];
            pts.Add((b.CenterX, b.Y));
            paths[e] = [.. pts];
        }
        return new LayeredLayout(boxes, paths, maxX - minX + 2 * Margin, Math.Max(y - VerticalGap + Margin, 2 * Margin), bestCross);
    }

    private static double Mean(List<int> nodes, double[] x)
    {
        double sum = 0;
        foreach (var u in nodes) sum += x[u];
        return sum / nodes.Count;
    }

    /// <summary>Rank = length of the longest path to a sink, so every edge goes at least one layer down.</summary>
    private static int[] LongestPathRanks(int n, IReadOnlyList<(int from, int to)> edges)
    {
        var outs = new List<int>[n];
        var indeg = new int[n];
        for (int i = 0; i < n; i++) outs[i] = [];
        foreach (var (a, b) in edges) { outs[b].Add(a); indeg[a]++; } // reversed: walk from sinks upward
        var rank = new int[n];
        var outDeg = new int[n];
        foreach (var (a, _) in edges) outDeg[a]++;
        var queue = new Queue<int>();
        for (int i = 0; i < n; i++) if (outDeg[i] == 0) queue.Enqueue(i);
        var remaining = (int[])outDeg.Clone();
        while (queue.Count > 0)
        {
            int v = queue.Dequeue();
            foreach (var u in outs[v])
            {
                rank[u] = Math.Max(rank[u], rank[v] + 1);
                if (--remaining[u] == 0) queue.Enqueue(u);
            }
        }
        return rank;
    }

    private static void Reorder(List<int> layer, List<List<int>> neighbours, int[] pos)
    {
        var keyed = new (double key, int v, int i)[layer.Count];
        for (int i = 0; i < layer.Count; i++)
        {
            var nb = neighbours[layer[i]];
            double key = i;
            if (nb.Count > 0) { key = 0; foreach (var u in nb) key += pos[u]; key /= nb.Count; }
            keyed[i] = (key, layer[i], i);
        }
        // (key, v, i) sorts by key, then v; v is unique, so the sort is deterministic.
        Array.Sort(keyed);
        for (int i = 0; i < layer.Count; i++) { layer[i] = keyed[i].v; pos[layer[i]] = i; }
    }

    /// <summary>Crossings between consecutive layers, counted by inversions of the edges' lower endpoints.</summary>
    internal static int CountCrossings(List<int>[] layers, List<List<int>> down, int[] pos)
    {
        int total = 0;
        var ends = new List<(int a, int b)>();
        for (int l = 0; l + 1 < layers.Length; l++)
        {
            ends.Clear();
            foreach (var v in layers[l]) foreach (var u in down[v]) ends.Add((pos[v], pos[u]));
            ends.Sort();
            var fenwick = new int[layers[l + 1].Count + 1];
            for (int k = ends.Count - 1; k >= 0; k--)
            {
                // Edges sorted by upper end; a later edge (further right above) landing strictly left below crosses.
                for (int i = ends[k].b; i > 0; i -= i & -i) total += fenwick[i];
                for (int i = ends[k].b + 1; i < fenwick.Length; i += i & -i) fenwick[i]++;
            }
        }
        return total;
    }

    /// <summary>
    /// Centres as close as possible (least squares) to <paramref name="desired"/> while keeping the order and a gap:
    /// with o_i the minimum offset of node i from node 0, y_i = x_i − o_i must be non-decreasing, which is isotonic
    /// regression of desired_i − o_i, solved by pool-adjacent-violators.
    /// </summary>
    internal static double[] PlaceInOrder(double[] desired, double[] widths)
    {
        int n = desired.Length;
        var offset = new double[n];
        for (int i = 1; i < n; i++) offset[i] = offset[i - 1] + (widths[i - 1] + widths[i]) / 2 + HorizontalGap;
        var blockMean = new List<double>();
        var blockCount = new List<int>();
        for (int i = 0; i < n; i++)
        {
            blockMean.Add(desired[i] - offset[i]);
            blockCount.Add(1);
            while (blockMean.Count > 1 && blockMean[^2] > blockMean[^1])
            {
                int c = blockCount[^2] + blockCount[^1];
                double m = (blockMean[^2] * blockCount[^2] + blockMean[^1] * blockCount[^1]) / c;
                blockMean.RemoveAt(blockMean.Count - 1); blockCount.RemoveAt(blockCount.Count - 1);
                blockMean[^1] = m; blockCount[^1] = c;
            }
        }
        var x = new double[n];
        int idx = 0;
        for (int b = 0; b < blockMean.Count; b++)
            for (int k = 0; k < blockCount[b]; k++, idx++) x[idx] = blockMean[b] + offset[idx];
        return x;
    }
}
