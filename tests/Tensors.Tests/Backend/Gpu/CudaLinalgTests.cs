using L = Notebooks.Tensors.torch.linalg;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// torch.linalg on the cuda backend (ILGPU's CPU accelerator in CI): the factorisations make a host round trip through
/// the backend's download/upload, their results and gradients come back as cuda tensors, equal to the CPU's.
/// </summary>
public class CudaLinalgTests
{
    private static void Close(Tensor cuda, Tensor cpu, string what)
    {
        Assert.That(cuda.device.type, Is.EqualTo("cuda"), what);
        Assert.That(torch.allclose(cuda.cpu(), cpu, rtol: 1e-10, atol: 1e-10), Is.True, $"{what}: {(cuda.cpu() - cpu).abs().max()}");
    }

    [Test]
    public void Values_and_gradients_match_the_cpu()
    {
        var g = new Generator().manual_seed(2);
        var a = torch.randn([2, 3, 3], dtype: torch.float64, generator: g) + torch.eye(3, dtype: torch.float64) * 3;
        var b = torch.randn([2, 3, 2], dtype: torch.float64, generator: g);
        Func<Tensor, Tensor, Tensor[]> ops = (x, y) =>
        [
            L.inv(x), L.det(x), L.slogdet(x).logabsdet, L.solve(x, y), L.cholesky(x.matmul(x.mT)), L.qr(x).Q, L.qr(x).R,
            L.eigvalsh(x + x.mT), L.svdvals(x), L.pinv(y), L.lstsq(x, y).solution, L.vector_norm(x, 3), L.matrix_norm(x, "nuc"),
            L.matrix_power(x, -2), L.cross(y.narrow(-1, 0, 1).expand(2, 3, 3).mT, x), torch.einsum("bij,bjk->bik", x, y),
            torch.cdist(x, y.mT), torch.baddbmm(y, x, y, beta: 0.5, alpha: 2),
        ];
        var ca = a.clone().requires_grad_(); var cb = b.clone().requires_grad_();
        var ga = a.to("cuda").requires_grad_(); var gb = b.to("cuda").requires_grad_();
        var cpu = ops(ca, cb); var cuda = ops(ga, gb);
        for (int i = 0; i < cpu.Length; i++) Close(cuda[i], cpu[i].detach(), $"op {i}");
        var sc = cpu.Aggregate(torch.zeros([], dtype: torch.float64), (s, t) => s + t.sum());
        var sg = cuda.Aggregate(torch.zeros([], dtype: torch.float64, device: torch.device("cuda")), (s, t) => s + t.sum());
        sc.backward(); sg.backward();
        Close(ga.grad!, ca.grad!, "grad A");
        Close(gb.grad!, cb.grad!, "grad B");
    }
}
