namespace Notebooks.Tensors;

// Shapes given as separate sizes with named options after them (torch.zeros(2, 3, dtype: torch.float64)):
// C# allows no named arguments after a params array, so ranks 1 to 4 get explicit overloads.
public static partial class torch
{
    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(long d0, DType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(long d0, long d1, DType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(long d0, long d1, long d2, DType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1, d2], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 0 (float32 unless dtype says otherwise).</summary>
    public static Tensor zeros(long d0, long d1, long d2, long d3, DType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1, d2, d3], dtype, device, requires_grad);

    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(long d0, DType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(long d0, long d1, DType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0, d1], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(long d0, long d1, long d2, DType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0, d1, d2], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape filled with 1 (float32 unless dtype says otherwise).</summary>
    public static Tensor ones(long d0, long d1, long d2, long d3, DType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0, d1, d2, d3], dtype, device, requires_grad);

    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(long d0, DType? dtype = null, Device? device = null, bool requires_grad = false) => empty([d0], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(long d0, long d1, DType? dtype = null, Device? device = null, bool requires_grad = false) => empty([d0, d1], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(long d0, long d1, long d2, DType? dtype = null, Device? device = null, bool requires_grad = false) => empty([d0, d1, d2], dtype, device, requires_grad);
    /// <summary>A tensor of the given shape whose values are not initialised (PyTorch leaves them undefined).</summary>
    public static Tensor empty(long d0, long d1, long d2, long d3, DType? dtype = null, Device? device = null, bool requires_grad = false) => empty([d0, d1, d2, d3], dtype, device, requires_grad);

    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(long d0, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0], dtype, device, requires_grad, generator);
    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(long d0, long d1, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0, d1], dtype, device, requires_grad, generator);
    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(long d0, long d1, long d2, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0, d1, d2], dtype, device, requires_grad, generator);
    /// <summary>Uniform random numbers in [0, 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor rand(long d0, long d1, long d2, long d3, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0, d1, d2, d3], dtype, device, requires_grad, generator);

    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(long d0, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0], dtype, device, requires_grad, generator);
    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(long d0, long d1, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0, d1], dtype, device, requires_grad, generator);
    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(long d0, long d1, long d2, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0, d1, d2], dtype, device, requires_grad, generator);
    /// <summary>Standard normal random numbers (mean 0, std 1), drawn from the seeded generator as PyTorch draws them.</summary>
    public static Tensor randn(long d0, long d1, long d2, long d3, DType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0, d1, d2, d3], dtype, device, requires_grad, generator);
}
