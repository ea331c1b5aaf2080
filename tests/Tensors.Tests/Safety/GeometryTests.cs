using Notebooks.Tensors.Tests.Core;

namespace Notebooks.Tensors.Tests.Safety;

/// <summary>
/// Memory safety of tensor geometry: every door that makes a tensor (factories, views, as_strided, from_array,
/// loading) refuses sizes, strides and offsets that overflow or leave the storage, with ATen's wording, so that no
/// kernel ever sees such a tensor.
/// </summary>
public class GeometryTests : CoreTestBase
{
    // aten/src/ATen/EmptyTensor.cpp, computeStorageNbytesContiguous.
    [Test]
    public void Factories_refuse_sizes_whose_storage_overflows()
    {
        Assert.That(Error(() => torch.zeros(1L << 32, 1L << 32)),
            Is.EqualTo("Storage size calculation overflowed with sizes=[4294967296, 4294967296]"));
        Assert.That(Error(() => torch.empty(1L << 31, 1L << 31)),
            Is.EqualTo("Storage size calculation overflowed with sizes=[2147483648, 2147483648]"), "2^62 elements × 4 bytes");
        Assert.That(Error(() => torch.randn(1L << 40, 1L << 40, 0)),
            Does.StartWith("Storage size calculation overflowed"), "the running product overflows before the 0, as ATen checks");
        Assert.That(Error(() => torch.full([long.MaxValue, 2], 1.0)), Does.StartWith("Storage size calculation overflowed"));
    }

    // aten/src/ATen/EmptyTensor.h, check_size_nonnegative.
    [Test]
    public void Factories_refuse_negative_sizes()
    {
        Assert.That(Error(() => torch.empty(-1, -3)), Is.EqualTo("Trying to create tensor with negative dimension -1: [-1, -3]"));
        Assert.That(Error(() => torch.zeros(2, -5)), Is.EqualTo("Trying to create tensor with negative dimension -5: [2, -5]"));
        Assert.That(Error(() => torch.rand(3, -1)), Is.EqualTo("Trying to create tensor with negative dimension -1: [3, -1]"));
    }

    [Test]
    public void An_element_count_over_int64_is_refused_even_without_storage()
    {
        // c10/core/TensorImpl.h, safe_compute_numel: an expanded scalar needs no storage but its numel still overflows.
        Assert.That(Error(() => torch.ones(1).expand(1L << 32, 1L << 32)), Is.EqualTo("numel: integer multiplication overflow"));
        var ok = torch.ones(1).expand(1L << 31, 1L << 31);   // 2^62 elements fits: a broadcast view is legal
        Assert.That(ok.numel(), Is.EqualTo(1L << 62));
    }

    [Test]
    public void View_sizes_that_overflow_are_invalid_shapes()
    {
        // Without the check 2^33 * 2^33 wraps to 0 and matches an empty tensor.
        Assert.That(Error(() => torch.zeros(0).view(1L << 33, 1L << 33)),
            Is.EqualTo("shape '[8589934592, 8589934592]' is invalid for input of size 0"));
        Assert.That(Error(() => torch.zeros(0).reshape(1L << 33, -1, 1L << 33)),
            Is.EqualTo("shape '[8589934592, -1, 8589934592]' is invalid for input of size 0"));
    }

    // aten/src/ATen/native/Resize.h, checkInBoundsForStorage / checkSetStorage; TensorShape.cpp, as_strided.
    [Test]
    public void As_strided_is_checked_against_the_storage()
    {
        var x = torch.zeros(4);
        Assert.That(Error(() => x.as_strided([3], [2])),
            Is.EqualTo("setStorage: sizes [3], strides [2], storage offset 0, and itemsize 4 requiring a storage size of 20 are out of bounds for storage of size 16"));
        Assert.That(Error(() => x.as_strided([], [], 94)),
            Is.EqualTo("setStorage: sizes [], strides [], storage offset 94, and itemsize 4 requiring a storage size of 380 are out of bounds for storage of size 16"));
        Assert.That(Error(() => x.as_strided([2], [1], -2)), Is.EqualTo("Tensor: invalid storage offset -2"));
        Assert.That(Error(() => x.as_strided([2], [-1])),
            Is.EqualTo("as_strided: Negative strides are not supported at the moment, got strides: [-1]"));
        Assert.That(Error(() => x.as_strided([2, 2], [1])), Is.EqualTo("mismatch in length of strides and shape"));
        Assert.That(Error(() => x.as_strided([-1], [1])), Is.EqualTo("Trying to create tensor with negative dimension -1: [-1]"));
        Assert.That(Error(() => x.as_strided([3], [long.MaxValue])),
            Is.EqualTo("Storage size calculation overflowed with sizes=[3] and strides=[9223372036854775807]"));
        Assert.That(Error(() => x.as_strided([2], [long.MaxValue])),
            Is.EqualTo("setStorage: sizes [2], strides [9223372036854775807], storage offset 0, and itemsize 4 requiring a storage size of 36893488147419103232 are out of bounds for storage of size 16"));
        // An empty view may have any strides and offset, as in ATen.
        Assert.That(x.as_strided([0, 5], [1000, 1000], 1000).numel(), Is.EqualTo(0));
        // A view of a view: bounds are the storage's, not the view's.
        Assert.That(x[2..].as_strided([4], [1], 0).shape, Is.EqualTo(new Size(4)));
    }

    [Test]
    public void As_strided_views_and_their_gradient()
    {
        var x = torch.arange(6.0, requires_grad: true);
        var y = x.as_strided([2, 2], [1, 2], 1);
        Assert.That(Repr(y), Is.EqualTo("tensor([[1., 3.],\n        [2., 4.]], grad_fn=<AsStridedBackward0>)"));
        y.sum().backward();
        Assert.That(Repr(x.grad!), Is.EqualTo("tensor([0., 1., 1., 1., 1., 0.])"));
        // Overlapping windows (an unfold): each element's gradient counts the windows that read it.
        x.grad = null;
        var w = x.as_strided([4, 3], [1, 1]);
        (w * torch.arange(1.0, 13.0).view(4, 3)).sum().backward();
        Assert.That(Repr(x.grad!), Is.EqualTo("tensor([ 1.,  6., 15., 24., 20., 12.])"));
        // Writes through the view reach the base.
        var z = torch.zeros(4);
        z.as_strided([2], [2], 1).fill_(7);
        Assert.That(Repr(z), Is.EqualTo("tensor([0., 7., 0., 7.])"));
    }

    // aten/src/ATen/native/TensorShape.cpp, narrow_symint.
    [Test]
    public void Narrow_checks_its_length_and_start()
    {
        var x = torch.arange(5);
        Assert.That(Error(() => x.narrow(0, 0, -1)), Is.EqualTo("narrow(): length must be non-negative."));
        Assert.That(Error(() => x.narrow(0, 6, 0)), Is.EqualTo("start out of range (expected to be in range of [-5, 5], but got 6)"));
        Assert.That(Error(() => x.narrow(0, 3, 3)), Is.EqualTo("start (3) + length (3) exceeds dimension size (5)."));
        Assert.That(Error(() => x.narrow(0, 1, long.MaxValue)), Is.EqualTo($"start (1) + length ({long.MaxValue}) exceeds dimension size (5)."));
        Assert.That(Error(() => torch.tensor(1.0).narrow(0, 0, 1)), Is.EqualTo("narrow() cannot be applied to a 0-dim tensor."));
        Assert.That(Repr(x.narrow(0, -2, 2)), Is.EqualTo("tensor([3, 4])"));
        Assert.That(Repr(x.narrow(0, 5, 0)), Is.EqualTo("tensor([], dtype=torch.int64)"));
    }

    [Test]
    public void A_huge_slice_step_is_one_element_not_an_overflow()
    {
        var x = torch.arange(5);
        Assert.That(Repr(x.slice(0, 1, 5, long.MaxValue)), Is.EqualTo("tensor([1])"));
    }

    /// <summary>
    /// Random geometries over a small storage (bounded: 3000 cases, seeded): as_strided either refuses with an
    /// ArgumentException or gives a view whose every element is the storage element its geometry names.
    /// </summary>
    [Test]
    public void Random_as_strided_geometries_never_read_outside_the_storage()
    {
        var rng = new System.Random(19);
        var storage = torch.arange(24.0);
        var flat = storage.ToArray<double>();
        long[] interesting = [0, 1, 2, 3, 5, 23, 24, 25, -1, 1L << 31, 1L << 32, long.MaxValue, long.MinValue];
        long Pick() => rng.Next(3) == 0 ? interesting[rng.Next(interesting.Length)] : rng.Next(-2, 8);
        int accepted = 0, refused = 0;
        for (int c = 0; c < 3000; c++)
        {
            int nd = rng.Next(0, 4);
            var size = new long[nd]; var stride = new long[nd];
            for (int i = 0; i < nd; i++) { size[i] = Pick(); stride[i] = Pick(); }
            long offset = Pick();
            Tensor v;
            try { v = storage.as_strided(size, stride, offset); }
            catch (ArgumentException) { refused++; continue; }
            accepted++;
            if (v.numel() > 4096)
            {
                // A broadcast-like view (stride 0) too big to copy: its last element must still be the one named.
                long last = offset;
                for (int i = 0; i < nd; i++) last += (size[i] - 1) * stride[i];
                var corner = v[[.. size.Select(s => (TensorIndex)(s - 1))]].item<double>();
                Assert.That(corner, Is.EqualTo(flat[last]));
                continue;
            }
            var got = v.contiguous().ToArray<double>();
            Assert.That(got.Length, Is.EqualTo(v.numel()));
            // The expected values, walking the geometry by hand in row-major order.
            var idx = new long[nd];
            for (long k = 0; k < got.Length; k++)
            {
                long pos = offset;
                for (int i = 0; i < nd; i++) pos += idx[i] * stride[i];
                Assert.That(got[k], Is.EqualTo(flat[pos]), $"sizes {Shapes.Format(size)} strides {Shapes.Format(stride)} offset {offset}");
                for (int i = nd - 1; i >= 0; i--) { if (++idx[i] < size[i]) break; idx[i] = 0; }
            }
        }
        Assert.That(accepted, Is.GreaterThan(300));
        Assert.That(refused, Is.GreaterThan(300));
    }

    [Test]
    public void From_array_shares_any_rank_and_keeps_its_bounds()
    {
        var a = new float[2, 3];
        var t = torch.from_array(a);
        t[1, 2] = torch.tensor(5f);
        Assert.That(a[1, 2], Is.EqualTo(5f));
        Assert.That(Error(() => t.as_strided([7], [1])), Does.Contain("are out of bounds for storage of size 24"));
    }
}
