using Notebooks.Tensors;

namespace Notebooks.Bench.AB;

/// <summary>
/// What the A/B run times, written against the library's public API: this class is loaded once per build (each copy
/// bound to its own Notebooks.Tensors), so the same source runs on both sides. Each workload runs its body n times.
/// The per-op figures of bench's overhead group and its one-layer training step.
/// </summary>
public static partial class Workloads
{
    private static Tensor a = null!, b = null!, x = null!, X = null!, Y = null!, w = null!, bias = null!;

    public static void Setup()
    {
        torch.manual_seed(0);
        a = torch.randn(1); b = torch.randn(1);
        x = torch.randn([], requires_grad: true);
        X = torch.randn(300, 2);
        Y = X.matmul(torch.tensor(new float[] { 2f, -3.4f })) + 4.2;
        w = torch.randn([2], requires_grad: true);
        bias = torch.zeros([1], requires_grad: true);
    }

    /// <summary>a + b on 1-element float32 tensors.</summary>
    public static void Add(int n) { for (int i = 0; i < n; i++) _ = a + b; }

    /// <summary>a * 2.0: a Python-scalar operand.</summary>
    public static void MulScalar(int n) { for (int i = 0; i < n; i++) _ = a * 2.0; }

    /// <summary>100 recorded scalar ops, then backward.</summary>
    public static void Chain(int n)
    {
        for (int j = 0; j < n; j++)
        {
            var y = x;
            for (int i = 0; i < 50; i++) { y = y * 1.0001; y = y + 0.0001; }
            y.backward();
        }
    }

    /// <summary>Lesson 001's step with raw tensors on a [300, 2] batch.</summary>
    public static void Step(int n)
    {
        for (int i = 0; i < n; i++)
        {
            var loss = (X.matmul(w) + bias - Y).pow(2).mean();
            loss.backward();
            using (torch.no_grad())
            {
                w -= 0.03 * w.grad!;
                bias -= 0.03 * bias.grad!;
                w.grad!.zero_();
                bias.grad!.zero_();
            }
        }
    }
}
