using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Linalg;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// torch.linalg.vector_norm, matrix_norm and norm, as LinearAlgebra.cpp composes them: vector_norm is the one primitive
// (LinalgVectorNormBackward0); matrix norms are vector norms, max/min reductions and singular values.
public static partial class torch
{
    public static partial class linalg
    {
        public static Tensor vector_norm(Tensor x, double ord = 2, long[]? dim = null, bool keepdim = false, DType? dtype = null)
        {
            Checks.FloatingOrComplex(x, "linalg.vector_norm");
            if (dtype is { } dt && dt != x.dtype && !(dt.is_floating_point && dt.itemsize >= x.dtype.itemsize))
                throw new InvalidOperationException($"linalg.vector_norm: dtype should be floating point or complex and be at least as precise as the input's. Got {Tensor.DTypeTitle(dt)}");
            var input = dtype is { } d2 && d2 != x.dtype ? x.to(d2) : x;
            long[] dims = dim is { Length: > 0 } ? dim.Select(v => (long)Shapes.WrapDim((int)v, Math.Max(1, x.dim()))).ToArray() : [];
            if (ord < 0 || double.IsNegativeInfinity(ord))
            {
                // "linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the operation does not have an identity"
                if (x.numel() == 0)
                    throw new ArgumentException($"linalg.vector_norm cannot compute the {PyFloat(ord)} norm on an empty tensor because the operation does not have an identity");
            }
            Tensor r;
            using (new NoGradScope())
            {
                var a = input.abs();
                Tensor Sum(Tensor t) => dims.Length == 0 ? (keepdim ? t.sum(Enumerable.Range(0, t.dim()).Select(i => (long)i).ToArray(), true) : t.sum()) : t.sum(dims, keepdim);
                Tensor Max(Tensor t, bool max)
                {
                    var all = dims.Length == 0 ? Enumerable.Range(0, t.dim()).Select(i => (long)i).ToArray() : dims;
                    return all.Length == 0 ? t.clone() : max ? t.amax(all, keepdim) : t.amin(all, keepdim);
                }
                if (double.IsPositiveInfinity(ord)) r = Max(a, true);
                else if (double.IsNegativeInfinity(ord)) r = Max(a, false);
                else if (ord == 0) r = Sum(a.ne(0).to(a.dtype));
                else if (ord != 2 && SerialNorm(a, ord, dims, keepdim) is { } serial) r = serial;
                else if (ord == 1) r = Sum(a);
                else if (ord == 2) r = Sum(a * a).sqrt();
                else r = Sum(a.pow(ord)).pow(1.0 / ord);
            }
            return D.LinalgVectorNorm.Record(r, input, scalar: ord, ints: dims, keepdim: keepdim);
        }

        /// <summary>
        /// A whole-tensor p-norm (p ≠ 0, 2, ±inf) of a CPU float32/float64 tensor as ATen's CPU kernel accumulates it:
        /// NormOneOps / NormOps (ReduceOpsKernel.cpp norm_kernel_cpu_impl) add |x| or |x|^p one element after another
        /// in the element type, then take the 1/p power — not the summation order of sum(), which rounds differently
        /// (clip_grad_norm_ with norm_type=1 showed it). Null where that path doesn't apply.
        /// </summary>
        private static Tensor? SerialNorm(Tensor abs, double ord, long[] dims, bool keepdim)
        {
            if (!abs.is_cpu || abs.dtype != torch.float32 && abs.dtype != torch.float64) return null;
            if (dims.Length != 0 && dims.Distinct().Count() != abs.dim()) return null;
            Tensor r;
            if (abs.dtype == torch.float32)
            {
                float acc = 0, p = (float)ord;
                foreach (var v in abs.contiguous().ToArray<float>()) acc += ord == 1 ? v : MathF.Pow(v, p);
                r = torch.tensor(ord == 1 ? acc : MathF.Pow(acc, 1f / p));
            }
            else
            {
                double acc = 0;
                foreach (var v in abs.contiguous().ToArray<double>()) acc += ord == 1 ? v : Math.Pow(v, ord);
                r = torch.tensor(ord == 1 ? acc : Math.Pow(acc, 1 / ord), dtype: torch.float64);
            }
            return keepdim ? r.reshape(Enumerable.Repeat(1L, abs.dim()).ToArray()) : r;
        }

        public static Tensor vector_norm(Tensor x, double ord, int dim, bool keepdim = false, DType? dtype = null) =>
            vector_norm(x, ord, [dim], keepdim, dtype);

        // How C++'s ostream prints the Scalar ord in ATen's messages (6 significant digits: 3, 0.5, inf).
        private static string PyFloat(double v) => double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
            : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");

        /// <summary>A matrix norm over the two dims <paramref name="dim"/>: ord 'fro' (default) or 'nuc'.</summary>
        public static Tensor matrix_norm(Tensor A, string ord = "fro", long[]? dim = null, bool keepdim = false, DType? dtype = null)
        {
            var dims = MatrixDims(A, dim);
            if (ord == "fro") return vector_norm(A, 2, dims, keepdim, dtype);
            if (ord != "nuc") throw new ArgumentException($"linalg.matrix_norm: Order {ord} not supported.");
            var x = dtype is { } dt && dt != A.dtype ? A.to(dt) : A;
            var S = svdvals(MoveToEnd(x, dims)).sum(-1);
            return keepdim ? S.unsqueeze((int)Math.Min(dims[0], dims[1])).unsqueeze((int)Math.Max(dims[0], dims[1])) : S;
        }

        /// <summary>A matrix norm of numeric order: 1, -1 (max/min column sum), inf, -inf (row sums), 2, -2 (singular values).</summary>
        public static Tensor matrix_norm(Tensor A, double ord, long[]? dim = null, bool keepdim = false, DType? dtype = null)
        {
            var dims = MatrixDims(A, dim);
            double abs = Math.Abs(ord);
            if (!(abs == 2 || abs == 1 || double.IsInfinity(abs)))
                throw new ArgumentException($"linalg.matrix_norm: Order {PyFloat(ord)} not supported.");
            var x = dtype is { } dt && dt != A.dtype ? A.to(dt) : A;
            if (abs == 2)
            {
                var S = svdvals(MoveToEnd(x, dims));
                var r = ord > 0 ? S.amax(-1) : S.amin(-1);
                return keepdim ? r.unsqueeze((int)Math.Min(dims[0], dims[1])).unsqueeze((int)Math.Max(dims[0], dims[1])) : r;
            }
            long d0 = dims[0], d1 = dims[1];
            // The inf norm is the 1 norm of the transpose; the reduced dim shifts when it came first.
            if (double.IsInfinity(abs)) (d0, d1) = (d1, d0);
            if (!keepdim && d0 < d1) d1--;
            var v = vector_norm(x, 1, [d0], keepdim);
            return ord > 0 ? v.amax((int)d1, keepdim) : v.amin((int)d1, keepdim);
        }

        private static long[] MatrixDims(Tensor A, long[]? dim)
        {
            Checks.IsMatrix(A, "linalg.matrix_norm");
            Checks.FloatingOrComplex(A, "linalg.matrix_norm");
            var d = dim ?? [-2, -1];
            if (d.Length != 2) throw new ArgumentException($"linalg.matrix_norm: dim must be a 2-tuple. Got {string.Join(" ", d)}");
            var w = new[] { (long)Shapes.WrapDim((int)d[0], A.dim()), (long)Shapes.WrapDim((int)d[1], A.dim()) };
            if (w[0] == w[1]) throw new ArgumentException($"linalg.matrix_norm: dims must be different. Got ({d[0]}, {d[1]})");
            return w;
        }

        private static Tensor MoveToEnd(Tensor x, long[] dims)
        {
            var rest = Enumerable.Range(0, x.dim()).Where(i => i != dims[0] && i != dims[1]).Select(i => (long)i);
            return x.permute([.. rest, dims[0], dims[1]]);
        }

        /// <summary>linalg.norm with a numeric order (null: the 2-norm of the flattened input, or over dim).</summary>
        public static Tensor norm(Tensor A, double? ord = null, long[]? dim = null, bool keepdim = false, DType? dtype = null)
        {
            if (dim is not null)
            {
                if (dim.Length is not (1 or 2))
                    throw new ArgumentException($"linalg.norm: If dim is specified, it mut be of length 1 or 2. Got [{string.Join(", ", dim)}]");
            }
            else if (ord is not null && A.dim() is not (1 or 2))
                throw new ArgumentException($"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.dim()}D.");
            if (ord is { } o && ((dim is { Length: 2 }) || (dim is null && A.dim() == 2)))
                return matrix_norm(A, o, dim ?? [0, 1], keepdim, dtype);
            return vector_norm(A, ord ?? 2, dim, keepdim, dtype);
        }

        /// <summary>linalg.norm with a string order ('fro', 'nuc'): a matrix norm.</summary>
        public static Tensor norm(Tensor A, string ord, long[]? dim = null, bool keepdim = false, DType? dtype = null)
        {
            if (dim is not null)
            {
                if (dim.Length is not (1 or 2))
                    throw new ArgumentException($"linalg.norm: If dim is specified, it mut be of length 1 or 2. Got [{string.Join(", ", dim)}]");
            }
            else if (A.dim() is not (1 or 2))
                throw new ArgumentException($"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.dim()}D.");
            return matrix_norm(A, ord, dim ?? [0, 1], keepdim, dtype);
        }
    }
}
