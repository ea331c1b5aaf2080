using Notebooks.Tensors.Autograd;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// The Tensor method forms of torch's linear algebra (x.det(), x.inverse(), x.addmm(...) ...) and the beta/alpha
// products: beta·input + alpha·(product), computed without recording, then one row each (AddmmBackward0 …).
public sealed partial class Tensor
{
    public Tensor det() => torch.linalg.det(this);
    public SignLogAbsDet slogdet() => torch.slogdet(this);

    /// <summary>log det: logabsdet where the determinant is positive, NaN where negative (LinearAlgebra.cpp's logdet).</summary>
    public Tensor logdet()
    {
        var (sign, logabsdet) = torch.linalg.SlogdetAs(this, "linalg.slogdet", "slogdet");
        return torch.where(sign.eq(-1.0), torch.full([], double.NaN, dtype: logabsdet.dtype, device: device), logabsdet);
    }

    public Tensor inverse() => torch.linalg.inv(this);
    public Tensor pinverse(double rcond = 1e-15) => torch.linalg.pinv(this, atol: 0, rtol: rcond);
    public Tensor matrix_power(long n) => torch.linalg.matrix_power(this, n);
    public Tensor cholesky(bool upper = false) => torch.linalg.cholesky(this, upper);
    public QR qr(bool some = true) => torch.linalg.QrAs(this, some ? "reduced" : "complete", "qr");

    /// <summary>
    /// torch.cross: with no dim, the first dim of size 3 (deprecated in PyTorch, which warns; linalg.cross uses -1).
    /// </summary>
    public Tensor cross(Tensor other, int? dim = null)
    {
        if (dim is { } d) return torch.linalg.cross(this, other, d);
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of linalg.cross in a future release.");
        var shape = Shapes.Broadcast(_shape, other._shape);
        int first = Array.IndexOf(shape, 3L);
        if (first < 0) throw new ArgumentException($"no dimension of size 3 in input");
        return torch.linalg.cross(this, other, first);
    }

    /// <summary>beta and alpha of the add-product ops, kept by their derivative rows.</summary>
    internal readonly record struct AddScales(double Beta, double Alpha);

    private Tensor AddProduct(Tensor product, double beta, double alpha, string op)
    {
        // The input must broadcast to the product's shape, not the other way round (expand_size's rule).
        if (_shape.Length > product._shape.Length || !Shapes.SameShape(Shapes.Broadcast(_shape, product._shape), product._shape))
            throw new ArgumentException($"The expanded size of the tensor ({product._shape[^1]}) must match the existing size ({_shape[^1]}) at non-singleton dimension {_shape.Length - 1}.  Target sizes: [{string.Join(", ", product._shape)}].  Tensor sizes: [{string.Join(", ", _shape)}]");
        // PyTorch ignores input when beta is 0 (NaN and inf in it do not propagate).
        var scaled = alpha == 1 ? product : product * alpha;
        if (beta == 0) return scaled;
        return (beta == 1 ? this : this * beta).add(scaled);
    }

    public Tensor addmm(Tensor mat1, Tensor mat2, Scalar? beta = null, Scalar? alpha = null) =>
        AddScaled(D.Addmm, mat1, mat2, beta, alpha, "addmm", static (x, y) => x.mm(y));

    public Tensor addmv(Tensor mat, Tensor vec, Scalar? beta = null, Scalar? alpha = null) =>
        AddScaled(D.Addmv, mat, vec, beta, alpha, "addmv", static (x, y) => x.mv(y));

    public Tensor addr(Tensor vec1, Tensor vec2, Scalar? beta = null, Scalar? alpha = null)
    {
        // ATen's addr_impl_ checks vec1 first, then vec2, each naming itself.
        if (vec1.dim() != 1) throw new ArgumentException($"addr: Expected 1-D argument vec1, but got {vec1.dim()}-D");
        if (vec2.dim() != 1) throw new ArgumentException($"addr: Expected 1-D argument vec2, but got {vec2.dim()}-D");
        return AddScaled(D.Addr, vec1, vec2, beta, alpha, "addr", static (x, y) => x.outer(y));
    }

    public Tensor baddbmm(Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) =>
        AddScaled(D.Baddbmm, batch1, batch2, beta, alpha, "baddbmm", static (x, y) => x.bmm(y));

    public Tensor addbmm(Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) =>
        AddScaled(D.Addbmm, batch1, batch2, beta, alpha, "addbmm", static (x, y) => x.bmm(y).sum(0));

    /// <summary>beta·this + alpha·product(m1, m2), computed without recording, then the op's one row (it keeps beta and alpha).</summary>
    private Tensor AddScaled(Derivative row, Tensor m1, Tensor m2, Scalar? beta, Scalar? alpha, string op, Func<Tensor, Tensor, Tensor> product)
    {
        double b = beta?.Double ?? 1, a = alpha?.Double ?? 1;
        Tensor r;
        using (new NoGradScope()) r = AddProduct(product(m1, m2), b, a, op);
        return row.Record(r, [this, m1, m2], state: new AddScales(b, a));
    }
}
