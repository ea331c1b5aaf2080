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
    private static Tensor act = null!, actCopy = null!, c2in = null!, gOut = null!, gIn = null!;
    private static torch.nn.BatchNorm2d bn = null!;
    private static torch.nn.Conv2d conv2 = null!;
    private static float[] src = null!, dst = null!;

    public static void Setup()
    {
        torch.manual_seed(0);
        a = torch.randn(1); b = torch.randn(1);
        x = torch.randn([], requires_grad: true);
        X = torch.randn(300, 2);
        Y = X.matmul(torch.tensor(new float[] { 2f, -3.4f })) + 4.2;
        w = torch.randn([2], requires_grad: true);
        bias = torch.zeros([1], requires_grad: true);
        // Issue #17's shapes: LeNet's first activation (batch 64), its conv2 input, a weight gradient's operands.
        act = torch.randn(64, 6, 28, 28); actCopy = act.clone(); c2in = torch.randn(64, 6, 14, 14);
        bn = new torch.nn.BatchNorm2d(6); bn.eval();
        conv2 = new torch.nn.Conv2d(6, 16, 5);
        gOut = torch.randn(64, 256); gIn = torch.randn(64, 784);
        src = new float[act.numel()]; dst = new float[act.numel()];
    }

    /// <summary>A parallel copy of the activation's bytes into a preallocated array: the memory-bound rows' yardstick.</summary>
    public static void Copy(int n)
    {
        for (int i = 0; i < n; i++)
            Parallel.For(0, Environment.ProcessorCount, t =>
            {
                int p = Environment.ProcessorCount, len = src.Length, from = (int)((long)len * t / p), to = (int)((long)len * (t + 1) / p);
                src.AsSpan(from, to - from).CopyTo(dst.AsSpan(from, to - from));
            });
    }

    /// <summary>relu of [64,6,28,28] (no grad).</summary>
    public static void Relu(int n) { using (torch.no_grad()) for (int i = 0; i < n; i++) _ = torch.nn.functional.relu(act); }

    /// <summary>relu_ in place on a copy of the activation: the kernel with its output in cache (beside Relu: what a cold output costs).</summary>
    public static void ReluInPlace(int n) { using (torch.no_grad()) for (int i = 0; i < n; i++) actCopy.relu_(); }

    /// <summary>max_pool2d(2) of [64,6,28,28] (no grad).</summary>
    public static void MaxPool(int n) { using (torch.no_grad()) for (int i = 0; i < n; i++) _ = torch.nn.functional.max_pool2d(act, 2); }

    /// <summary>Eval batch norm of [64,6,28,28].</summary>
    public static void BatchNorm(int n) { using (torch.no_grad()) for (int i = 0; i < n; i++) _ = bn.call(act); }

    /// <summary>LeNet's conv2 forward, [64,6,14,14] → [64,16,10,10] (no grad).</summary>
    public static void Conv2(int n) { using (torch.no_grad()) for (int i = 0; i < n; i++) _ = conv2.call(c2in); }

    /// <summary>A weight gradient, [256,64]ᵀ·[64,784] (an 800 kB output).</summary>
    public static void WeightGrad(int n) { for (int i = 0; i < n; i++) _ = gOut.t().matmul(gIn); }

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
