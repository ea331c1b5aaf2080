using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

// torch.einsum as ATen's Linear.cpp does it: operands are aligned to one list of labels (repeated labels taking a
// diagonal first), then contracted left to right in pairs, each pair as one batched matrix product (sumproduct_pair),
// summing a label away as soon as no later operand and not the output needs it. Differentiable through its ops.
public static partial class torch
{
    private const int EllipsisBase = 52;   // labels 0–25 are A–Z, 26–51 a–z (einsum's label order); ellipsis dims follow

    private static int LabelOf(char c) =>
        c is >= 'A' and <= 'Z' ? c - 'A' : c is >= 'a' and <= 'z' ? c - 'a' + 26
        : throw new ArgumentException($"einsum(): invalid subscript given at index of the equation string: {c}");

    public static Tensor einsum(string equation, params Tensor[] operands)
    {
        if (operands.Length == 0) throw new ArgumentException("einsum(): must provide at least one operand");
        var eq = equation.Replace(" ", "");
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        var lhs = arrow < 0 ? eq : eq[..arrow];
        var terms = lhs.Split(',');
        if (terms.Length > operands.Length) throw new ArgumentException("einsum(): fewer operands were provided than specified in the equation");
        if (terms.Length < operands.Length) throw new ArgumentException("einsum(): more operands were provided than specified in the equation");

        // Parse each term; an ellipsis stands for the dims its operand has beyond its letters.
        var parsed = new List<int>[operands.Length];
        int ellDims = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            var labels = new List<int>();
            bool ell = false;
            var t = terms[i];
            for (int c = 0; c < t.Length; c++)
            {
                if (t[c] == '.')
                {
                    if (ell) throw new ArgumentException($"einsum(): found '.' for operand {i} for which an ellipsis was already found");
                    if (t.Length - c < 3 || t.Substring(c, 3) != "...")
                        throw new ArgumentException($"einsum(): found '.' for operand {i} that is not part of any ellipsis");
                    ell = true; labels.Add(-1); c += 2;
                }
                else labels.Add(LabelOf(t[c]));
            }
            int letters = labels.Count(l => l >= 0), nd = operands[i].dim();
            if (!ell && letters != nd)
                throw new ArgumentException($"einsum(): the number of subscripts in the equation ({letters}) does not match the number of dimensions ({nd}) for operand {i} and no ellipsis was given");
            if (ell && letters > nd)
                throw new ArgumentException($"einsum(): the number of subscripts in the equation ({letters}) is more than the number of dimensions ({nd}) for operand {i}");
            if (ell) ellDims = Math.Max(ellDims, nd - letters);
            parsed[i] = labels;
        }
        // Expand each ellipsis into its operand's share of the global ellipsis labels (aligned from the right).
        for (int i = 0; i < parsed.Length; i++)
        {
            int at = parsed[i].IndexOf(-1);
            if (at < 0) continue;
            int n = operands[i].dim() - (parsed[i].Count - 1);
            parsed[i].RemoveAt(at);
            parsed[i].InsertRange(at, Enumerable.Range(EllipsisBase + ellDims - n, n));
        }

        // The output's labels: given, or the ellipsis then every letter used once, in label order.
        List<int> output;
        if (arrow >= 0)
        {
            output = [];
            var rhs = eq[(arrow + 2)..];
            for (int c = 0; c < rhs.Length; c++)
            {
                if (rhs[c] == '.')
                {
                    if (rhs.Substring(c, Math.Min(3, rhs.Length - c)) != "...") throw new ArgumentException("einsum(): found '.' for output but it is not part of any ellipsis");
                    output.AddRange(Enumerable.Range(EllipsisBase, ellDims)); c += 2; continue;
                }
                int l = LabelOf(rhs[c]);
                if (output.Contains(l)) throw new ArgumentException($"einsum(): output subscript {rhs[c]} appears more than once in the output");
                if (!parsed.Any(p => p.Contains(l))) throw new ArgumentException($"einsum(): output subscript {rhs[c]} does not appear in the equation for any input operand");
                output.Add(l);
            }
        }
        else
        {
            output = [.. Enumerable.Range(EllipsisBase, ellDims)];
            var counts = parsed.SelectMany(p => p).Where(l => l < EllipsisBase).GroupBy(l => l).Where(g => g.Count() == 1).Select(g => g.Key).Order();
            output.AddRange(counts);
        }

        // Global label order: the output's labels, then the contracted ones.
        var global = new List<int>(output);
        foreach (var p in parsed) foreach (var l in p) if (!global.Contains(l)) global.Add(l);
        var sizes = new Dictionary<int, long>();

        // Each operand: diagonals for repeated labels, then permuted and unsqueezed onto the global labels.
        var aligned = new Tensor[operands.Length];
        for (int i = 0; i < operands.Length; i++)
        {
            var t = operands[i];
            var labels = new List<int>(parsed[i]);
            for (int a = 0; a < labels.Count; a++)
                for (int b = a + 1; b < labels.Count; b++)
                    if (labels[a] == labels[b])
                    {
                        if (t._shape[a] != t._shape[b])
                            throw new ArgumentException($"einsum(): subscript {Name(labels[a])} is repeated for operand {i} but the sizes don't match, {t._shape[a]} != {t._shape[b]}");
                        t = t.diagonal(0, a, b);
                        int l = labels[a];
                        labels.RemoveAt(b); labels.RemoveAt(a); labels.Add(l);
                        a = -1; break;
                    }
            for (int d = 0; d < labels.Count; d++)
            {
                long s = t._shape[d];
                if (sizes.TryGetValue(labels[d], out var seen) && seen != s && seen != 1 && s != 1)
                    throw new ArgumentException($"einsum(): subscript {Name(labels[d])} has size {s} for operand {i} which does not broadcast with previously seen size {seen}");
                if (!sizes.TryGetValue(labels[d], out var prev) || prev == 1) sizes[labels[d]] = s;
            }
            var perm = global.Where(labels.Contains).Select(l => (long)labels.IndexOf(l)).ToArray();
            t = t.permute(perm);
            var shape = global.Select(l => labels.Contains(l) ? t._shape[Array.IndexOf(perm, (long)labels.IndexOf(l))] : 1L).ToArray();
            aligned[i] = t.reshape(shape);
        }

        bool Needed(int label, int after) => output.Contains(label) || Enumerable.Range(after + 1, operands.Length - after - 1).Any(j => parsed[j].Contains(label));
        var result = aligned[0];
        if (operands.Length == 1)
        {
            var sum = Enumerable.Range(0, global.Count).Where(d => !output.Contains(global[d]) && result._shape[d] > 1).Select(d => (long)d).ToArray();
            if (sum.Length > 0) result = result.sum(sum, keepdim: true);
        }
        for (int i = 1; i < operands.Length; i++)
            result = SumProductPair(result, aligned[i], Enumerable.Range(0, global.Count).Where(d => !Needed(global[d], i)).ToHashSet());
        // Every non-output dim is now size 1.
        return result.reshape(output.Select(l => result._shape[global.IndexOf(l)]).ToArray());

        static string Name(int l) => l < 26 ? ((char)('A' + l)).ToString() : l < 52 ? ((char)('a' + l - 26)).ToString() : "...";
    }

    /// <summary>
    /// sumproduct_pair: the product of two operands aligned on the same dims, summing <paramref name="sumDims"/>, as one
    /// bmm: dims both have are batch (kept) or contracted (summed); dims one has are kept, or summed beforehand.
    /// The result keeps every dim, size 1 where summed.
    /// </summary>
    private static Tensor SumProductPair(Tensor left, Tensor right, HashSet<int> sumDims)
    {
        int n = left.dim();
        var lsum = Enumerable.Range(0, n).Where(d => sumDims.Contains(d) && left._shape[d] > 1 && right._shape[d] == 1).Select(d => (long)d).ToArray();
        var rsum = Enumerable.Range(0, n).Where(d => sumDims.Contains(d) && right._shape[d] > 1 && left._shape[d] == 1).Select(d => (long)d).ToArray();
        if (lsum.Length > 0) left = left.sum(lsum, keepdim: true);
        if (rsum.Length > 0) right = right.sum(rsum, keepdim: true);
        List<int> batch = [], lo = [], ro = [], sum = [];
        for (int d = 0; d < n; d++)
        {
            long a = left._shape[d], b = right._shape[d];
            if (sumDims.Contains(d)) { if (a > 1 || b > 1) sum.Add(d); }
            else if (a > 1 && b > 1) batch.Add(d);
            else if (a > 1) lo.Add(d);
            else if (b > 1) ro.Add(d);
        }
        long Prod(Tensor t, List<int> ds) => ds.Aggregate(1L, (p, d) => p * t._shape[d]);
        // Each side's other dims are size 1 there: they ride along at the end and vanish in the reshape.
        var lrest = Enumerable.Range(0, n).Except(batch).Except(lo).Except(sum).ToList();
        var rrest = Enumerable.Range(0, n).Except(batch).Except(ro).Except(sum).ToList();
        var lp = left.permute([.. batch.Concat(lo).Concat(sum).Concat(lrest).Select(d => (long)d)])
            .reshape(Prod(left, batch), Prod(left, lo), Prod(left, sum));
        var rp = right.permute([.. batch.Concat(sum).Concat(ro).Concat(rrest).Select(d => (long)d)])
            .reshape(Prod(right, batch), Prod(right, sum), Prod(right, ro));
        var prod = lp.bmm(rp);
        var order = batch.Concat(lo).Concat(ro).ToList();
        var shaped = prod.reshape([.. order.Select(d => d < n && lo.Contains(d) ? left._shape[d] : ro.Contains(d) ? right._shape[d] : left._shape[d])]);
        // Back to global order, size-1 dims reinserted.
        var inv = order.Select((d, i) => (d, i)).OrderBy(p => p.d).Select(p => (long)p.i).ToArray();
        var sorted = inv.Length > 0 ? shaped.permute(inv) : shaped;
        var full = Enumerable.Range(0, n).Select(d => order.Contains(d) ? sorted._shape[order.Where(o => o < d).Count()] : 1L).ToArray();
        return sorted.reshape(full);
    }
}
