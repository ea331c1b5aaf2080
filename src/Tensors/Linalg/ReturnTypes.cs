namespace Notebooks.Tensors;

// The named tuples torch.linalg returns (torch.return_types.linalg_qr …), on the one StructSeq base (Core/ReturnTypes.cs).

public sealed class SignLogAbsDet : StructSeq
{
    public Tensor sign { get; }
    public Tensor logabsdet { get; }
    internal SignLogAbsDet(string name, Tensor sign, Tensor logabsdet) : base(name) { this.sign = sign; this.logabsdet = logabsdet; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("sign", sign), ("logabsdet", logabsdet)];
    public void Deconstruct(out Tensor sign, out Tensor logabsdet) { sign = this.sign; logabsdet = this.logabsdet; }
}

public sealed class InvEx : StructSeq
{
    public Tensor inverse { get; }
    public Tensor info { get; }
    internal InvEx(Tensor inverse, Tensor info) : base("linalg_inv_ex") { this.inverse = inverse; this.info = info; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("inverse", inverse), ("info", info)];
    public void Deconstruct(out Tensor inverse, out Tensor info) { inverse = this.inverse; info = this.info; }
}

public sealed class SolveEx : StructSeq
{
    public Tensor result { get; }
    public Tensor info { get; }
    internal SolveEx(Tensor result, Tensor info) : base("linalg_solve_ex") { this.result = result; this.info = info; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("result", result), ("info", info)];
    public void Deconstruct(out Tensor result, out Tensor info) { result = this.result; info = this.info; }
}

public sealed class CholeskyEx : StructSeq
{
    public Tensor L { get; }
    public Tensor info { get; }
    internal CholeskyEx(Tensor L, Tensor info) : base("linalg_cholesky_ex") { this.L = L; this.info = info; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("L", L), ("info", info)];
    public void Deconstruct(out Tensor L, out Tensor info) { L = this.L; info = this.info; }
}

public sealed class QR : StructSeq
{
    public Tensor Q { get; }
    public Tensor R { get; }
    internal QR(string name, Tensor Q, Tensor R) : base(name) { this.Q = Q; this.R = R; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("Q", Q), ("R", R)];
    public void Deconstruct(out Tensor Q, out Tensor R) { Q = this.Q; R = this.R; }
}

public sealed class Eigh : StructSeq
{
    public Tensor eigenvalues { get; }
    public Tensor eigenvectors { get; }
    internal Eigh(Tensor eigenvalues, Tensor eigenvectors) : base("linalg_eigh") { this.eigenvalues = eigenvalues; this.eigenvectors = eigenvectors; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("eigenvalues", eigenvalues), ("eigenvectors", eigenvectors)];
    public void Deconstruct(out Tensor eigenvalues, out Tensor eigenvectors) { eigenvalues = this.eigenvalues; eigenvectors = this.eigenvectors; }
}

public sealed class SVD : StructSeq
{
    public Tensor U { get; }
    public Tensor S { get; }
    public Tensor Vh { get; }
    internal SVD(Tensor U, Tensor S, Tensor Vh) : base("linalg_svd") { this.U = U; this.S = S; this.Vh = Vh; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("U", U), ("S", S), ("Vh", Vh)];
    public void Deconstruct(out Tensor U, out Tensor S, out Tensor Vh) { U = this.U; S = this.S; Vh = this.Vh; }
}

public sealed class Lstsq : StructSeq
{
    public Tensor solution { get; }
    public Tensor residuals { get; }
    public Tensor rank { get; }
    public Tensor singular_values { get; }
    internal Lstsq(Tensor solution, Tensor residuals, Tensor rank, Tensor singular_values) : base("linalg_lstsq")
    {
        this.solution = solution; this.residuals = residuals; this.rank = rank; this.singular_values = singular_values;
    }
    private protected override IEnumerable<(string, Tensor)> Fields =>
        [("solution", solution), ("residuals", residuals), ("rank", rank), ("singular_values", singular_values)];
    public void Deconstruct(out Tensor solution, out Tensor residuals, out Tensor rank, out Tensor singular_values)
    {
        solution = this.solution; residuals = this.residuals; rank = this.rank; singular_values = this.singular_values;
    }
}

public sealed class LuFactor : StructSeq
{
    public Tensor LU { get; }
    public Tensor pivots { get; }
    internal LuFactor(Tensor LU, Tensor pivots) : base("linalg_lu_factor") { this.LU = LU; this.pivots = pivots; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("LU", LU), ("pivots", pivots)];
    public void Deconstruct(out Tensor LU, out Tensor pivots) { LU = this.LU; pivots = this.pivots; }
}

public sealed class PLU : StructSeq
{
    public Tensor P { get; }
    public Tensor L { get; }
    public Tensor U { get; }
    internal PLU(Tensor P, Tensor L, Tensor U) : base("linalg_lu") { this.P = P; this.L = L; this.U = U; }
    private protected override IEnumerable<(string, Tensor)> Fields => [("P", P), ("L", L), ("U", U)];
    public void Deconstruct(out Tensor P, out Tensor L, out Tensor U) { P = this.P; L = this.L; U = this.U; }
}
