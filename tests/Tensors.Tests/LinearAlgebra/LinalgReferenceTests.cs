using System.Text.Json;
using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Tests.LinearAlgebra;

/// <summary>
/// torch.linalg against libtorch 2.10's LAPACK (torch_linalg.json, written by tests/ReferenceGenerator's LinalgSet):
/// each case's outputs, and the gradients of Σₖ sum(outputₖ·Wₖ), Wₖ[j] = sin(j + 1 + k). The case functions below are
/// the generator's, line for line. Tolerances: float64 1e-9 relative (our factorisations and LAPACK's round
/// differently), looser where the problem amplifies rounding (Hilbert matrices, cond ≈ 5e5 and 1.5e7; a rank-deficient
/// matrix's determinant, whose gradient is a cofactor of a nearly singular matrix); float32 against LAPACK's single
/// precision, 1e-4 relative, since we compute in float64 and round once.
/// </summary>
public class LinalgReferenceTests
{
    private static readonly Tensor W4 = torch.arange(1, 5, dtype: torch.float64);
    private static readonly Tensor W3 = torch.arange(1, 4, dtype: torch.float64);

    private static Dictionary<string, Func<Tensor[], Tensor[]>> Cases()
    {
        var c = new Dictionary<string, Func<Tensor[], Tensor[]>>
        {
            ["inv batched"] = x => [L.inv(x[0])],
            ["inv hilbert5"] = x => [L.inv(x[0])],
            ["det batched"] = x => [L.det(x[0])],
            ["det rank3of4"] = x => [L.det(x[0])],
            ["slogdet batched"] = x => { var (s, l) = L.slogdet(x[0]); return [s, l]; },
            ["solve batched broadcast"] = x => [L.solve(x[0], x[1])],
            ["solve vector"] = x => [L.solve(x[0], x[1])],
            ["cholesky batched"] = x => [L.cholesky(x[0].matmul(x[0].mT) + torch.eye(4, dtype: torch.float64))],
            ["qr reduced tall"] = x => { var (q, r) = L.qr(x[0]); return [q, r]; },
            ["qr reduced wide"] = x => { var (q, r) = L.qr(x[0]); return [q, r]; },
            ["qr complete batched"] = x => { var (q, r) = L.qr(x[0], "complete"); return [q, r]; },
            ["eigh batched"] = x => { var (l, v) = L.eigh(x[0] + x[0].mT); return [l, (v * W4).matmul(v.mT)]; },
            ["eigvalsh upper"] = x => [L.eigvalsh(x[0], "U")],
            ["svd tall batched"] = x => { var (u, s, vh) = L.svd(x[0], full_matrices: false); return [s, (u * W3).matmul(vh)]; },
            ["svd wide"] = x => { var (u, s, vh) = L.svd(x[0], full_matrices: false); return [s, (u * W3).matmul(vh)]; },
            ["svdvals rank2"] = x => [L.svdvals(x[0]).narrow(-1, 0, 2)],
            ["svdvals hilbert6"] = x => [L.svdvals(x[0])],
            ["pinv tall"] = x => [L.pinv(x[0])],
            ["pinv rank2"] = x => [L.pinv(x[0])],
            ["pinv hermitian"] = x => [L.pinv(x[0] + x[0].mT, hermitian: true)],
            ["lstsq tall"] = x => [L.lstsq(x[0], x[1]).solution],
            ["lstsq gelsy rank2"] = x => { var r = L.lstsq(x[0], x[1]); return [r.solution, r.rank]; },
            ["matrix_rank"] = x => [L.matrix_rank(x[0]), L.matrix_rank(x[0] + x[0].mT, hermitian: true)],
            ["matrix_norm fro"] = x => [L.matrix_norm(x[0], "fro")],
            ["matrix_norm nuc"] = x => [L.matrix_norm(x[0], "nuc")],
            ["matrix_power 3 and -2"] = x => [x[0].matrix_power(3), x[0].matrix_power(-2)],
            ["cross"] = x => [L.cross(x[0], x[1])],
            ["multi_dot"] = x => [L.multi_dot(x[0], x[1], x[2])],
            ["einsum bij,bjk->bik"] = x => [torch.einsum("bij,bjk->bik", x[0], x[1])],
            ["einsum ii->i and ij->"] = x => [torch.einsum("ii->i", x[0]), torch.einsum("ij->", x[0])],
            ["tensordot"] = x => [torch.tensordot(x[0], x[1], [1, 2], [0, 1])],
            ["cdist p2 and p1"] = x => [torch.cdist(x[0], x[1]), torch.cdist(x[0], x[1], 1)],
            ["addmm beta alpha"] = x => [torch.addmm(x[0], x[1], x[2], 0.5, 2)],
            ["float32 inv det svdvals eigvalsh"] = x => [L.inv(x[0]), L.det(x[0]), L.svdvals(x[0]), L.eigvalsh(x[0] + x[0].mT)],
        };
        foreach (var ord in new[] { 2.0, 1, 3, 0.5, double.PositiveInfinity, double.NegativeInfinity })
        {
            var name = Name(ord);
            c[$"vector_norm {name}"] = x => [L.vector_norm(x[0], ord)];
            c[$"vector_norm {name} dim1 keepdim"] = x => [L.vector_norm(x[0], ord, [1], keepdim: true)];
        }
        foreach (var ord in new[] { 1.0, -1, 2, -2, double.PositiveInfinity, double.NegativeInfinity })
            c[$"matrix_norm {Name(ord)}"] = x => [L.matrix_norm(x[0], ord)];
        return c;
    }

    // How the generator's C# printed a double in the case name.
    private static string Name(double v) => double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity" : v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Tensor Read(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var values = e.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var dtype = e.GetProperty("dtype").GetString() switch { "float32" => torch.float32, "int64" => torch.int64, "int32" => torch.int32, _ => torch.float64 };
        return torch.tensor(values, dtype: torch.float64).reshape(shape).to(dtype);
    }

    public static IEnumerable<string> CaseNames()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_linalg.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
    }

    private static (double rtol, double atol) Tolerance(string name, bool grad) => name switch
    {
        "inv hilbert5" => (1e-7, 1e-6),
        "svdvals hilbert6" => (1e-6, 1e-13),
        "det rank3of4" => grad ? (1e-6, 1e-9) : (0, 1e-12),
        _ when name.StartsWith("float32") => (1e-4, 1e-5),
        _ => (1e-9, 1e-11),
    };

    [TestCaseSource(nameof(CaseNames))]
    public void Matches_libtorch(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_linalg.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        Assert.That(Cases().TryGetValue(name, out var f), Is.True, $"no function for case '{name}'");
        var inputs = c.GetProperty("inputs").EnumerateArray().Select(e => { var t = Read(e); return t.dtype.is_floating_point ? t.requires_grad_() : t; }).ToArray();
        var outs = f!(inputs);
        var expected = c.GetProperty("outputs").EnumerateArray().Select(Read).ToArray();
        Assert.That(outs, Has.Length.EqualTo(expected.Length));
        var (rtol, atol) = Tolerance(name, grad: false);
        for (int k = 0; k < outs.Length; k++)
        {
            Assert.That(outs[k].shape, Is.EqualTo(expected[k].shape), $"output {k} shape");
            Assert.That(outs[k].dtype, Is.EqualTo(expected[k].dtype), $"output {k} dtype");
            var a = outs[k].detach().to(torch.float64); var e = expected[k].to(torch.float64);
            Assert.That(torch.allclose(a, e, rtol: rtol, atol: atol), Is.True, $"output {k}: max |diff| {(a - e).abs().max()}\nours {a}\ntorch {e}");
        }
        var gradsJson = c.GetProperty("grads").EnumerateArray().ToArray();
        if (gradsJson.Length == 0) return;
        Tensor total = torch.zeros([], dtype: torch.float64);
        for (int k = 0; k < outs.Length; k++)
            if (outs[k].requires_grad)
            {
                var w = (torch.arange(outs[k].numel(), dtype: torch.float64) + 1 + k).sin().reshape(outs[k].shape).to(outs[k].dtype);
                total = total + (outs[k] * w).sum().to(torch.float64);
            }
        var leaves = inputs.Where(i => i.requires_grad).ToArray();
        var grads = torch.autograd.grad([total], leaves, allow_unused: true);
        (rtol, atol) = Tolerance(name, grad: true);
        for (int i = 0; i < gradsJson.Length; i++)
        {
            if (gradsJson[i].ValueKind == JsonValueKind.Null) { Assert.That(grads[i], Is.Null); continue; }
            var e = Read(gradsJson[i]).to(torch.float64);
            var g = grads[i]!.to(torch.float64);
            Assert.That(torch.allclose(g, e, rtol: rtol, atol: atol), Is.True, $"grad {i}: max |diff| {(g - e).abs().max()}\nours {g}\ntorch {e}");
        }
    }
}
