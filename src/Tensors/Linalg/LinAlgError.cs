namespace Notebooks.Tensors
{
public static partial class torch
{
    public static partial class linalg
    {
        /// <summary>
        /// PyTorch's <c>torch.linalg.LinAlgError</c> (a RuntimeError): a matrix the algorithm cannot handle (singular,
        /// not positive-definite, no convergence). Messages are <c>_linalg_check_errors</c>'s (BatchLinearAlgebra.cpp).
        /// </summary>
        public sealed class LinAlgError(string message) : InvalidOperationException(message);
    }
}
}

namespace Notebooks.Tensors.Linalg
{
    /// <summary>
    /// The argument checks of ATen's LinearAlgebraUtils.h and the info-code errors of BatchLinearAlgebra.cpp's
    /// <c>_linalg_check_errors</c>, with PyTorch's wording.
    /// </summary>
    internal static class Checks
    {
        // checkFloatingOrComplex(t, f_name, allow_low_precision_dtypes)
        public static void FloatingOrComplex(Tensor t, string f, bool allowLowPrecision = true)
        {
            if (!t.dtype.is_floating_point)
                throw new InvalidOperationException($"{f}: Expected a floating point or complex tensor as input. Got {Tensor.DTypeTitle(t.dtype)}");
            if (!allowLowPrecision && t.dtype != torch.float32 && t.dtype != torch.float64)
                throw new InvalidOperationException($"{f}: Low precision dtypes not supported. Got {Tensor.DTypeTitle(t.dtype)}");
        }

        // checkIsMatrix(A, f_name, arg_name)
        public static void IsMatrix(Tensor a, string f, string arg = "A")
        {
            if (a.dim() < 2) throw new ArgumentException($"{f}: The input tensor {arg} must have at least 2 dimensions.");
        }

        // squareCheckInputs(self, f_name, arg_name)
        public static void Square(Tensor a, string f, string arg = "A")
        {
            IsMatrix(a, f, arg);
            if (a._shape[^1] != a._shape[^2])
                throw new ArgumentException($"{f}: {arg} must be batches of square matrices, but they are {a._shape[^2]} by {a._shape[^1]} matrices");
        }

        /// <summary>The floating, at-least-2-d, float32/float64 square input most decompositions take.</summary>
        public static void SquareFloat(Tensor a, string f)
        {
            Square(a, f);
            FloatingOrComplex(a, f, allowLowPrecision: false);
        }

        // _linalg_check_errors: the first non-zero info of the batch, named "(Batch element i)" when batched.
        public static void Infos(int[] infos, string api, bool batched)
        {
            for (int i = 0; i < infos.Length; i++)
            {
                int info = infos[i];
                if (info == 0) continue;
                string where = batched ? $": (Batch element {i})" : "";
                if (api.Contains("inv"))
                    throw new torch.linalg.LinAlgError($"{api}{where}: The diagonal element {info} is zero, the inversion could not be completed because the input matrix is singular.");
                if (api.Contains("solve"))
                    throw new torch.linalg.LinAlgError($"{api}{where}: The solver failed because the input matrix is singular.");
                if (api.Contains("cholesky"))
                    throw new torch.linalg.LinAlgError($"{api}{where}: The factorization could not be completed because the input is not positive-definite (the leading minor of order {info} is not positive-definite).");
                throw new torch.linalg.LinAlgError($"{api}{where}: The algorithm failed to converge (error code: {info}).");
            }
        }
    }
}
