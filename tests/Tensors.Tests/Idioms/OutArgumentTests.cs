using Notebooks.Tensors.Tests.Core;

namespace Notebooks.Tensors.Tests.Idioms;

/// <summary>
/// `out=` (issue 15 item 4): torch.add(a, b, out=c) is torch.add(a, b, @out: c). The rules are ATen's:
/// aten/src/ATen/native/Resize.cpp resize_output_check (the resize warning), TensorIterator's canCast check
/// ("result type ... can't be cast to the desired output type ..."), torch/csrc/autograd/VariableTypeUtils.h
/// throw_error_out_requires_grad, and the structured kernels' resize_out ("Expected out tensor to have dtype ...").
/// </summary>
public class OutArgumentTests : CoreTestBase
{
    [Test]
    public void Result_is_written_into_out_and_out_is_returned()
    {
        var a = torch.tensor(new[] { 1f, 2f, 3f });
        var c = torch.empty(3);
        var storage = c.data_ptr();
        var r = torch.add(a, torch.ones(3), @out: c, alpha: 2);
        Assert.That(r, Is.SameAs(c));
        Assert.That(c.data_ptr(), Is.EqualTo(storage));
        Assert.That(Repr(c), Is.EqualTo("tensor([3., 4., 5.])"));
        Assert.That(c._version_, Is.EqualTo(1));
        torch.mul(a, 10, @out: c);
        Assert.That(Repr(c), Is.EqualTo("tensor([10., 20., 30.])"));
        torch.exp(torch.zeros(3), @out: c);
        Assert.That(Repr(c), Is.EqualTo("tensor([1., 1., 1.])"));
        // out may be one of the inputs (exactly, not a partial overlap).
        torch.sub(c, a, @out: c);
        Assert.That(Repr(c), Is.EqualTo("tensor([ 0., -1., -2.])"));
    }

    [Test]
    public void Matrix_products_and_reductions_write_into_out()
    {
        var a = torch.arange(6, dtype: torch.float32).view(2, 3);
        var m = torch.empty(2, 2);
        torch.mm(a, a.t(), @out: m);
        Assert.That(Repr(m), Is.EqualTo("tensor([[ 5., 14.],\n        [14., 50.]])"));
        var b = torch.empty(1, 2, 2);
        torch.bmm(a.unsqueeze(0), a.t().unsqueeze(0), @out: b);
        Assert.That(torch.equal(b[0], m), Is.True);
        var s = torch.empty(3);
        torch.sum(a, 0, @out: s);
        Assert.That(Repr(s), Is.EqualTo("tensor([3., 5., 7.])"));
        var mean = torch.empty(2, 1);
        torch.mean(a, 1, @out: mean, keepdim: true);
        Assert.That(Repr(mean), Is.EqualTo("tensor([[1.],\n        [4.]])"));
        var (values, indices) = (torch.empty(2), torch.empty(2, dtype: torch.int64));
        var vi = torch.max(a, 1, @out: (values, indices));
        Assert.That(vi.values, Is.SameAs(values));
        Assert.That(Repr(values), Is.EqualTo("tensor([2., 5.])"));
        Assert.That(Repr(indices), Is.EqualTo("tensor([2, 2])"));
        var joined = torch.empty(4, 3);
        torch.cat([a, a], @out: joined);
        Assert.That(Repr(joined[2]), Is.EqualTo("tensor([0., 1., 2.])"));
    }

    // sum.IntList_out takes its dtype from the result: an int tensor sums straight into a float out.
    [Test]
    public void Sum_computes_in_outs_dtype()
    {
        var i = torch.tensor(new long[] { 1, 2, 3 });
        var f = torch.empty(0, dtype: torch.float64);
        torch.sum(i, 0, @out: f);
        Assert.That(Repr(f), Is.EqualTo("tensor(6., dtype=torch.float64)"));
        Assert.That(Error(() => torch.sum(i, 0, @out: f, dtype: torch.float32)),
            Is.EqualTo("Expected out tensor to have dtype float, but got double instead"));
    }

    [Test]
    public void A_wrongly_shaped_out_is_resized_with_pytorchs_warning_unless_empty()
    {
        var a = torch.ones(2, 3);
        var empty = torch.empty(0);
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("error");
            torch.add(a, a, @out: empty);   // an empty out is resized silently
        }
        Assert.That(empty.shape, Is.EqualTo(new Size(2, 3)));
        Assert.That(Repr(empty), Is.EqualTo("tensor([[2., 2., 2.],\n        [2., 2., 2.]])"));

        var wrong = torch.zeros(5);
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("error");
            Assert.That(() => torch.add(a, a, @out: wrong), Throws.InstanceOf<UserWarning>().With.Message.EqualTo(
                "An output with one or more elements was resized since it had shape [5], which does not match the required output shape [2, 3]. " +
                "This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have zero elements. " +
                "You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0)."));
        }
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("ignore");
            torch.mul(a, 3, @out: wrong);
        }
        Assert.That(Repr(wrong), Is.EqualTo("tensor([[3., 3., 3.],\n        [3., 3., 3.]])"));
        // resize_(0) is the way the warning points to.
        Assert.That(wrong.resize_(0).shape, Is.EqualTo(new Size(0)));
    }

    [Test]
    public void Dtype_rules_follow_cast_checks()
    {
        var f = torch.tensor(new[] { 1.5f, 2.5f });
        var l = torch.empty(2, dtype: torch.int64);
        Assert.That(Error(() => torch.add(f, f, @out: l)), Is.EqualTo("result type Float can't be cast to the desired output type Long"));
        Assert.That(Error(() => torch.mean(f, 0, @out: torch.empty(0, dtype: torch.int64))),
            Is.EqualTo("result type Float can't be cast to the desired output type Long"));
        Assert.That(Error(() => torch.mul(f, f, @out: torch.empty(2, dtype: torch.@bool))),
            Is.EqualTo("result type Float can't be cast to the desired output type Bool"));
        // Integral results may widen into a float out; comparisons write bool.
        var i = torch.tensor(new[] { 1, 2 });
        var d = torch.empty(2, dtype: torch.float64);
        torch.add(i, i, @out: d);
        Assert.That(Repr(d), Is.EqualTo("tensor([2., 4.], dtype=torch.float64)"));
        var b = torch.empty(2, dtype: torch.@bool);
        torch.gt(f, torch.tensor(new[] { 2f, 2f }), @out: b);
        Assert.That(Repr(b), Is.EqualTo("tensor([False,  True])"));
        // max's values keep the input's dtype and its indices are int64 (TensorCompare.cpp's meta).
        Assert.That(Error(() => torch.max(f, 0, @out: (torch.empty(0, dtype: torch.float64), torch.empty(0, dtype: torch.int64)))),
            Is.EqualTo("Expected out tensor to have dtype float, but got double instead"));
        Assert.That(Error(() => torch.max(f, 0, @out: (torch.empty(0), torch.empty(0, dtype: torch.int32)))),
            Is.EqualTo("Expected out tensor to have dtype long int, but got int instead"));
        // mean needs a floating input whatever out is.
        Assert.That(Error(() => torch.mean(i, 0, @out: torch.empty(0))),
            Is.EqualTo("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"));
        Assert.That(Error(() => i.mean(dtype: torch.int64)),
            Is.EqualTo("mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: Long"));
    }

    [Test]
    public void Autograd_refuses_out_when_anything_requires_grad()
    {
        var w = torch.ones(2, requires_grad: true);
        var o = torch.empty(2);
        Assert.That(Error(() => torch.mul(w, 2, @out: o)),
            Is.EqualTo("mul(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad."));
        Assert.That(Error(() => torch.matmul(torch.ones(2, 2), torch.ones(2), @out: torch.empty(2, requires_grad: true))),
            Is.EqualTo("matmul(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad."));
        Assert.That(Repr(o), Is.EqualTo("tensor([0., 0.])"), "nothing was written");
        using (torch.no_grad()) torch.mul(w, 2, @out: o);
        Assert.That(Repr(o), Is.EqualTo("tensor([2., 2.])"));
        Assert.That(o.requires_grad, Is.False);
        Assert.That(Error(() => w.resize_(3)), Is.EqualTo("cannot resize variables that require grad"));
    }

    // TensorIterator refuses an out that partially overlaps an input (MemoryOverlap.cpp assert_no_partial_overlap).
    [Test]
    public void A_partially_overlapping_out_is_refused()
    {
        var x = torch.arange(4, dtype: torch.float32);
        Assert.That(Error(() => torch.add(x[..3], 1, @out: x[1..])), Does.StartWith("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location"));
    }
}
