using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Linalg;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// Products: linalg.matrix_power, cross, multi_dot, vecdot, matmul; torch.tensordot, cdist, chain_matmul and the
// beta/alpha family addmm, addmv, addr, baddbmm, addbmm (derivative rows in Autograd/Derivatives/LinearAlgebra*.cs).
public static partial class torch
{
    public static partial class linalg
    {
        /// <summary>Aⁿ for integer n by binary powering (LinearAlgebra.cpp's linalg_matrix_power); n &lt; 0 inverts first.</summary>
        public static Tensor matrix_power(Tensor A, long n)
        {
            Checks.Square(A, "linalg.matrix_power");
            if (n == 0)
                return eye(A._shape[^1], dtype: A.dtype, device: A.device).expand(A._shape).clone();
            var a = A;
            if (n < 0) { a = inv(A); n = -n; }
            if (n == 1) return a.clone();
            if (n == 2) return a.matmul(a);
            if (n == 3) return a.matmul(a).matmul(a);
            Tensor? z = null, result = null;
            while (n > 0)
            {
                long bit = n % 2; n /= 2;
                z = z is null ? a : z.matmul(z);
                if (bit == 1) result = result is null ? z : result.matmul(z);
            }
            return result!;
        }

        /// <summary>The cross product of 3-vectors along <paramref name="dim"/> (inputs broadcast).</summary>
        public static Tensor cross(Tensor input, Tensor other, int dim = -1)
        {
            if (input.dim() != other.dim()) throw new ArgumentException("linalg.cross: inputs must have the same number of dimensions.");
            int d = Shapes.WrapDim(dim, input.dim());
            if (input._shape[d] != 3 || other._shape[d] != 3)
                throw new ArgumentException($"linalg.cross: inputs dimension {dim} must have length 3. Got {input._shape[d]} and {other._shape[d]}");
            Tensor r;
            using (new NoGradScope())
            {
                Tensor A(int i) => input.narrow(d, i, 1);
                Tensor B(int i) => other.narrow(d, i, 1);
                r = cat([A(1) * B(2) - A(2) * B(1), A(2) * B(0) - A(0) * B(2), A(0) * B(1) - A(1) * B(0)], d);
            }
            return D.LinalgCross.Record(r, input, other, ints: [d]);
        }

        /// <summary>x·y along <paramref name="dim"/> (real: the sum of products).</summary>
        public static Tensor vecdot(Tensor x, Tensor y, int dim = -1)
        {
            if (x.dtype != y.dtype)
                throw new InvalidOperationException($"linalg.vecdot: Expected x and y to have the same dtype, but found x of type {Tensor.DTypeTitle(x.dtype)} and y of type {Tensor.DTypeTitle(y.dtype)} instead");
            return (x * y).sum(dim);
        }

        public static Tensor matmul(Tensor input, Tensor other) => input.matmul(other);

        /// <summary>
        /// The product of a chain of matrices in the cheapest order (dynamic programming over the chain, as PyTorch's
        /// multi_dot); the first and last may be vectors.
        /// </summary>
        public static Tensor multi_dot(params Tensor[] tensors) => MultiDot(tensors, "multi_dot");

        internal static Tensor MultiDot(Tensor[] tensors, string name)
        {
            int n = tensors.Length;
            if (n < 2) throw new ArgumentException($"{name}(): expected at least 2 tensors but got {n}");
            var first = tensors[0]; var last = tensors[n - 1];
            if (first.dim() is not (1 or 2)) throw new ArgumentException($"{name}(): the first tensor must be 1D or 2D but got {first.dim()}D");
            if (last.dim() is not (1 or 2)) throw new ArgumentException($"{name}(): the last tensor must be 1D or 2D but got {last.dim()}D");
            var ms = new Tensor[n];
            ms[0] = first.dim() == 1 ? first.unsqueeze(0) : first;
            ms[n - 1] = last.dim() == 1 ? last.unsqueeze(1) : last;
            for (int i = 1; i < n - 1; i++)
            {
                if (tensors[i].dim() != 2) throw new ArgumentException($"{name}(): tensor {i} must be 2D but got {tensors[i].dim()}D");
                ms[i] = tensors[i];
            }
            for (int i = 0; i < n; i++)
            {
                if (ms[i].dtype != ms[0].dtype)
                    throw new InvalidOperationException($"{name}(): all tensors must have be the same dtype but tensor 0 is {Tensor.DTypeTitle(ms[0].dtype)} and tensor {i} {Tensor.DTypeTitle(ms[i].dtype)}");
                if (i > 0 && ms[i - 1]._shape[1] != ms[i]._shape[0])
                    throw new ArgumentException($"{name}(): tensors {i - 1} and {i} with shapes [{string.Join(", ", ms[i - 1]._shape)}] and [{string.Join(", ", ms[i]._shape)}] cannot be multiplied");
            }
            Tensor result;
            if (n == 2) result = ms[0].mm(ms[1]);
            else
            {
                // Matrix-chain order: p[i] × p[i+1] is the i-th matrix.
                var p = new long[n + 1];
                for (int i = 0; i < n; i++) p[i] = ms[i]._shape[0];
                p[n] = ms[n - 1]._shape[1];
                var cost = new long[n, n]; var split = new int[n, n];
                for (int len = 1; len < n; len++)
                    for (int i = 0; i + len < n; i++)
                    {
                        int j = i + len; cost[i, j] = long.MaxValue;
                        for (int k = i; k < j; k++)
                        {
                            long c = cost[i, k] + cost[k + 1, j] + p[i] * p[k + 1] * p[j + 1];
                            if (c < cost[i, j]) { cost[i, j] = c; split[i, j] = k; }
                        }
                    }
                Tensor Chain(int i, int j) => i == j ? ms[i] : Chain(i, split[i, j]).mm(Chain(split[i, j] + 1, j));
                result = Chain(0, n - 1);
            }
            if (first.dim() == 1 && last.dim() == 1) return result.reshape([]);
            if (first.dim() == 1) return result.squeeze(0);
            if (last.dim() == 1) return result.squeeze(1);
            return result;
        }
    }

    public static Tensor einsum(string equation, IEnumerable<Tensor> operands) => einsum(equation, operands.ToArray());

    /// <summary>The deprecated chain product of 2-D matrices (multi_dot's order).</summary>
    public static Tensor chain_matmul(params Tensor[] matrices)
    {
        if (matrices.Length == 0) throw new ArgumentException("chain_matmul(): Expected one or more matrices");
        if (matrices.Length == 1)
        {
            if (matrices[0].dim() != 2) throw new ArgumentException($"chain_matmul(): Tensor dimension is {matrices[0].dim()}, expected 2 instead.");
            return matrices[0].clone();
        }
        foreach (var m in matrices)
            if (m.dim() != 2) throw new ArgumentException($"Tensor dimension is {m.dim()}, expected 2 instead.");
        return linalg.MultiDot(matrices, "multi_dot");
    }

    /// <summary>Contracts the last <paramref name="dims"/> dims of <paramref name="a"/> with the first of <paramref name="b"/>.</summary>
    public static Tensor tensordot(Tensor a, Tensor b, int dims = 2)
    {
        if (dims < 0) throw new ArgumentException($"tensordot expects dims >= 0, but got dims={dims}");
        if (dims > a.dim() || dims > b.dim()) throw new ArgumentException($"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}");
        return tensordot(a, b, Enumerable.Range(a.dim() - dims, dims).Select(d => (long)d).ToArray(), Enumerable.Range(0, dims).Select(d => (long)d).ToArray());
    }

    /// <summary>Contracts dims <paramref name="dims_a"/> of a with <paramref name="dims_b"/> of b (pairwise), as one matrix product.</summary>
    public static Tensor tensordot(Tensor a, Tensor b, long[] dims_a, long[] dims_b)
    {
        if (dims_a.Length != dims_b.Length) throw new ArgumentException("both dimension lists should have same length");
        int na = a.dim(), nb = b.dim();
        var da = dims_a.Select(d => Shapes.WrapDim((int)d, na)).ToArray();
        var db = dims_b.Select(d => Shapes.WrapDim((int)d, nb)).ToArray();
        long csize = 1;
        for (int i = 0; i < da.Length; i++)
        {
            long sa = a._shape[da[i]], sb = b._shape[db[i]];
            if (sa != sb && sa != 1 && sb != 1)
                throw new ArgumentException($"contracted dimensions need to match, but first has size {sa} in dim {da[i]} and second has size {sb} in dim {db[i]}");
            csize *= Math.Max(sa, sb);
        }
        var freeA = Enumerable.Range(0, na).Except(da).ToArray();
        var freeB = Enumerable.Range(0, nb).Except(db).ToArray();
        var ea = a.expand([.. Enumerable.Range(0, na).Select(d => Array.IndexOf(da, d) is var k and >= 0 ? Math.Max(a._shape[d], b._shape[db[k]]) : a._shape[d])]);
        var eb = b.expand([.. Enumerable.Range(0, nb).Select(d => Array.IndexOf(db, d) is var k and >= 0 ? Math.Max(b._shape[d], a._shape[da[k]]) : b._shape[d])]);
        long rows = freeA.Aggregate(1L, (p, d) => p * a._shape[d]), cols = freeB.Aggregate(1L, (p, d) => p * b._shape[d]);
        var am = ea.permute([.. freeA.Concat(da).Select(d => (long)d)]).reshape(rows, csize);
        var bm = eb.permute([.. db.Concat(freeB).Select(d => (long)d)]).reshape(csize, cols);
        return am.mm(bm).reshape([.. freeA.Select(d => a._shape[d]), .. freeB.Select(d => b._shape[d])]);
    }

    /// <summary>p-norm distances between the rows of x1 [*, P, M] and x2 [*, R, M]: [*, P, R].</summary>
    public static Tensor cdist(Tensor x1, Tensor x2, double p = 2, string compute_mode = "use_mm_for_euclid_dist_if_necessary")
    {
        // Distance.cpp's checks; compute_mode only picks how PyTorch computes p = 2, not what.
        if (!x1.dtype.is_floating_point) throw new InvalidOperationException($"cdist only supports floating-point dtypes, X1 got: {Tensor.DTypeTitle(x1.dtype)}");
        if (!x2.dtype.is_floating_point) throw new InvalidOperationException($"cdist only supports floating-point dtypes, X2 got: {Tensor.DTypeTitle(x2.dtype)}");
        if (p < 0) throw new ArgumentException("cdist only supports non-negative p values");
        if (x1.dim() < 2) throw new ArgumentException($"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D");
        if (x2.dim() < 2) throw new ArgumentException($"cdist only supports at least 2D tensors, X2 got: {x2.dim()}D");
        if (x1._shape[^1] != x2._shape[^1])
            throw new ArgumentException($"X1 and X2 must have the same number of columns. X1: {x1._shape[^1]} X2: {x2._shape[^1]}");
        return linalg.vector_norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), p, [-1]);
    }

    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, Scalar? beta = null, Scalar? alpha = null) => input.addmm(mat1, mat2, beta, alpha);
    public static Tensor addmv(Tensor input, Tensor mat, Tensor vec, Scalar? beta = null, Scalar? alpha = null) => input.addmv(mat, vec, beta, alpha);
    public static Tensor addr(Tensor input, Tensor vec1, Tensor vec2, Scalar? beta = null, Scalar? alpha = null) => input.addr(vec1, vec2, beta, alpha);
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) => input.baddbmm(batch1, batch2, beta, alpha);
    public static Tensor addbmm(Tensor input, Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) => input.addbmm(batch1, batch2, beta, alpha);

    public static Tensor det(Tensor A) => linalg.det(A);
    public static Tensor logdet(Tensor A) => A.logdet();
    public static SignLogAbsDet slogdet(Tensor A) => linalg.SlogdetAs(A, "linalg.slogdet", "slogdet");
    public static Tensor inverse(Tensor A) => linalg.inv(A);
    public static Tensor pinverse(Tensor A, double rcond = 1e-15) => A.pinverse(rcond);
    public static Tensor matrix_power(Tensor A, long n) => linalg.matrix_power(A, n);
    public static Tensor cholesky(Tensor A, bool upper = false) => linalg.cholesky(A, upper);
    public static QR qr(Tensor A, bool some = true) => A.qr(some);
    public static Tensor cross(Tensor input, Tensor other, int? dim = null) => input.cross(other, dim);
    public static Tensor ger(Tensor a, Tensor b) => a.outer(b);
}
