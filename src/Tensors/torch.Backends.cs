using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary><c>torch.set_float32_matmul_precision</c>: "highest" (default), "high" or "medium" (the last two allow TF32 on CUDA).</summary>
    public static void set_float32_matmul_precision(string precision) => MatmulPrecision.Set(precision);

    public static string get_float32_matmul_precision() => MatmulPrecision.Value;

    /// <summary><c>torch.backends</c>: the switches PyTorch exposes for its CUDA libraries.</summary>
    public static class backends
    {
        public static class cuda
        {
            public static class matmul
            {
                /// <summary>TF32 tensor cores for float32 matmuls on CUDA (default false); the same setting as float32_matmul_precision.</summary>
                public static bool allow_tf32
                {
                    get => MatmulPrecision.AllowTf32;
                    set => MatmulPrecision.SetAllowTf32(value);
                }
            }
        }

        /// <summary><c>torch.backends.mps</c>: Apple's Metal backend, which this library does not have.</summary>
        public static class mps
        {
            /// <summary>False: there is no MPS device here (tutorials pick "cuda", "mps" or "cpu" in that order).</summary>
            public static bool is_available() => false;
            public static bool is_built() => false;
        }

        public static class cudnn
        {
            /// <summary>TF32 in cuDNN convolutions (default true, as PyTorch's). This build has no cuDNN path, so it only records the choice.</summary>
            public static bool allow_tf32 { get; set; } = true;
        }
    }
}
