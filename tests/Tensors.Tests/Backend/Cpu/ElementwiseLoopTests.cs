using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// The element-wise loop's fast paths (rows handed over in blocks, inline vector rows for short and broadcast rows,
/// dims visited in the output's memory order) must give the very bits the plain strided loop gives. Each case is
/// computed twice: through the fast layout, and through views with a stride of 2 that only the scalar loop takes.
/// </summary>
public class ElementwiseLoopTests
{
    private static readonly double[] Specials = [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, 1e-40, -3.5, 7.25];

    /// <summary>Random values with NaN, ±0, ±inf and a denormal sprinkled in.</summary>
    private static Tensor Values(DType dt, params long[] shape)
    {
        var t = torch.randn(shape, dtype: dt) * 4;
        var flat = t.view(-1);
        for (long i = 0; i < flat.numel(); i += 5) flat[i].fill_(Specials[(i / 5) % Specials.Length]);
        return t;
    }

    /// <summary>The same values laid out with every other element skipped, so no unit stride is left to vectorise.</summary>
    private static Tensor Spread(Tensor t)
    {
        var wide = torch.zeros([.. t.shape.ToArray()[..^1], t.shape[^1] * 2], dtype: t.dtype);
        var v = wide.slice(-1, 0, null, 2);
        v.copy_(t);
        return v;
    }

    private static long[] Bits(Tensor t) => t.dtype == torch.float32
        ? t.contiguous().ToArray<float>().Select(f => (long)BitConverter.SingleToInt32Bits(f)).ToArray()
        : t.contiguous().ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static readonly Func<Tensor, Tensor, Tensor>[] Ops =
    [
        (a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, torch.maximum, torch.minimum,
    ];

    [TestCaseSource(nameof(DTypes))]
    public void Broadcast_and_short_rows_match_the_strided_loop_bit_for_bit(DType dt)
    {
        torch.manual_seed(1);
        foreach (var (ashape, bshape) in new (long[], long[])[]
                 {
                     ([300, 10], [10]), ([37, 13], [37, 1]), ([300, 1], [1, 10]), ([5, 70], [70]), ([3, 4, 9], [4, 1]), ([6], [1]),
                 })
        {
            var a = Values(dt, ashape);
            var b = Values(dt, bshape);
            foreach (var op in Ops)
            {
                var fast = op(a, b);
                var slow = op(Spread(a), Spread(b));
                Assert.That(Bits(fast), Is.EqualTo(Bits(slow)), $"{string.Join("x", ashape)} with {string.Join("x", bshape)}");
                // Operands swapped: the broadcast one on the left.
                Assert.That(Bits(op(b, a)), Is.EqualTo(Bits(op(Spread(b), Spread(a)))));
            }
        }
    }

    [TestCaseSource(nameof(DTypes))]
    public void Max_and_min_ties_of_signed_zeros_and_nans_pair_as_the_scalar_loop_does(DType dt)
    {
        double[] left = [0.0, -0.0, double.NaN, 1.0, double.NaN, -0.0, 2.0, double.NegativeInfinity];
        double[] right = [-0.0, 0.0, 1.0, double.NaN, -double.NaN, -0.0, 2.0, double.NaN];
        // 3 × 8 elements: full vectors and a scalar tail.
        var a = torch.tensor([.. left, .. left, .. left], dtype: dt);
        var b = torch.tensor([.. right, .. right, .. right], dtype: dt);
        foreach (var op in Ops)
        {
            Assert.That(Bits(op(a, b)), Is.EqualTo(Bits(op(Spread(a), Spread(b)))));
            Assert.That(Bits(op(b, a)), Is.EqualTo(Bits(op(Spread(b), Spread(a)))));
        }
    }

    [TestCaseSource(nameof(DTypes))]
    public void Relu_and_its_backward_keep_nan_and_signed_zeros(DType dt)
    {
        torch.manual_seed(2);
        foreach (var shape in new long[][] { [7], [300, 10], [1000] })
        {
            var x = Values(dt, shape);
            Assert.That(Bits(x.relu()), Is.EqualTo(Bits(torch.maximum(Spread(x), torch.zeros_like(Spread(x))))));
            var g = Values(dt, shape);
            var y = x.relu();
            Tensor fast;
            using (torch.no_grad()) fast = Tensor.ReluBackwardRaw(g, y)!;
            var slow = torch.where(Spread(y).gt(0), Spread(g), torch.zeros_like(Spread(g)));
            Assert.That(Bits(fast), Is.EqualTo(Bits(slow)));
        }
        // End to end: the gradient of relu through autograd.
        var w = torch.tensor(new[] { -1.0, 0.0, -0.0, 2.0, double.NaN }, dtype: dt).requires_grad_();
        (w.relu() * torch.tensor(new[] { 1.0, 2.0, 3.0, -0.0, 5.0 }, dtype: dt)).sum().backward();
        Assert.That(Bits(w.grad!), Is.EqualTo(Bits(torch.tensor(new[] { 0.0, 0.0, 0.0, -0.0, 0.0 }, dtype: dt))));
    }

    [TestCaseSource(nameof(DTypes))]
    public void Square_backward_in_one_pass_matches_the_two_step_formula(DType dt)
    {
        torch.manual_seed(5);
        foreach (var shape in new long[][] { [5], [300], [300, 10] })
        {
            var x = Values(dt, shape);
            var g = Values(dt, shape);
            Tensor fast, slow;
            using (torch.no_grad())
            {
                fast = Tensor.SquareBackwardRaw(g, x)!;
                slow = Spread(g) * (Spread(x) * 2.0);
            }
            Assert.That(Bits(fast), Is.EqualTo(Bits(slow)));
        }
        // Large values: 2x overflows to inf exactly as x * 2 does.
        var big = torch.tensor(new[] { 3e38, -3e38, 1.7e308 }, dtype: dt).requires_grad_();
        big.pow(2).sum().backward();
        using (torch.no_grad()) Assert.That(Bits(big.grad!), Is.EqualTo(Bits(big.detach() * 2.0)));
    }

    [Test]
    public void A_transposed_output_is_walked_in_memory_order_with_the_same_values()
    {
        torch.manual_seed(3);
        var x = torch.randn(40, 30);
        var y = torch.randn(30, 40);
        var expected = Bits(x.t() + y);
        // In place into a transposed view: the output's unit-stride dim is the outer one.
        var target = x.clone();
        target.t().add_(y);
        Assert.That(Bits(target.t()), Is.EqualTo(expected));
        var viaSpread = Spread(x.t().contiguous()) + Spread(y);
        Assert.That(Bits(viaSpread), Is.EqualTo(expected));
        // Copies into a transposed destination.
        var dst = torch.empty(30, 40).t();
        dst.copy_(x);
        Assert.That(Bits(dst), Is.EqualTo(Bits(x)));
    }

    [Test]
    public void Exp_in_place_on_a_transposed_view_keeps_the_scalar_path()
    {
        // exp's vector path rounds differently from the scalar one, so the loop must not turn this into one unit-stride
        // run: the values stay those of the element-by-element exp the strided loop has always computed.
        torch.manual_seed(4);
        var x = torch.randn(50, 20);
        var scalar = x.ToArray<float>().Select(MathF.Exp).ToArray();
        var t = x.clone();
        t.t().exp_();
        Assert.That(t.ToArray<float>().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(scalar.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void In_place_ops_on_the_same_rows_and_on_broadcast_rows()
    {
        var x = torch.arange(12.0).view(3, 4).to(torch.float32);
        x.add_(x);
        Assert.That(x.ToArray<float>(), Is.EqualTo(Enumerable.Range(0, 12).Select(i => 2f * i).ToArray()));
        x.mul_(torch.tensor(new[] { 1f, 0.5f, 2f, -1f }));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 0f, 1, 8, -6, 8, 5, 24, -14, 16, 9, 40, -22 }));
        // A row broadcast from the output itself: each element reads the first row as it was before the write.
        var y = torch.arange(8.0).view(2, 4).to(torch.float32);
        y[1].sub_(y[0]);
        Assert.That(y.ToArray<float>(), Is.EqualTo(new[] { 0f, 1, 2, 3, 4, 4, 4, 4 }));
    }

    private static IEnumerable<DType> DTypes() => [torch.float32, torch.float64];
}
