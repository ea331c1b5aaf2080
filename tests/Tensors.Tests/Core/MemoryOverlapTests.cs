namespace Notebooks.Tensors.Tests.Core;

/// <summary>
/// Writes whose output overlaps itself or an input, as ATen refuses them: aten/src/ATen/MemoryOverlap.cpp
/// (has_internal_overlap, get_overlap_status, assert_no_*), TensorIteratorBase::compute_mem_overlaps, copy_impl,
/// fill_out (no check), masked_fill_impl_cpu, _index_put_impl_, scatter_meta_impl, index_func_meta_impl.
/// </summary>
public class MemoryOverlapTests : CoreTestBase
{
    private const string Internal =
        "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

    private const string Partial =
        "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";

    private static float[] Values(Tensor t) => t.contiguous().ToArray<float>();

    // TensorIteratorBase::compute_mem_overlaps: assert_no_partial_overlap(output, input).
    [Test]
    public void ShiftedViewsOfOneStorageRaiseAndWriteNothing()
    {
        var x = torch.arange(5f);
        Assert.That(Error(() => x[1..].add_(x[..^1])), Is.EqualTo(Partial));
        Assert.That(Error(() => x[1..].mul_(x[..^1])), Is.EqualTo(Partial));
        Assert.That(Error(() => { var v = x[1..]; v += x[..^1]; }), Is.EqualTo(Partial));
        Assert.That(Error(() => x[..^1].sub_(x[1..], alpha: 2)), Is.EqualTo(Partial));
        Assert.That(Error(() => x[1..].lerp_(x[..^1], 0.5)), Is.EqualTo(Partial));
        Assert.That(Values(x), Is.EqualTo(new float[] { 0, 1, 2, 3, 4 }));
    }

    // Same first and last byte but other strides is Partial too: a square matrix and its transpose.
    [Test]
    public void ATransposeOfItselfIsAPartialOverlap()
    {
        var x = torch.arange(9f).view(3, 3);
        Assert.That(Error(() => x.add_(x.t())), Is.EqualTo(Partial));
        Assert.That(Values(x), Is.EqualTo(Enumerable.Range(0, 9).Select(i => (float)i).ToArray()));
    }

    // at::native::copy_impl builds a TensorIterator with the default overlap checks; Python's x[1:] = x[:-1] is copy_.
    [Test]
    public void CopyIntoAShiftedViewRaises()
    {
        var x = torch.arange(5f);
        Assert.That(Error(() => x[1..].copy_(x[..^1])), Is.EqualTo(Partial));
        Assert.That(Error(() => x[1..] = x[..^1]), Is.EqualTo(Partial));
        Assert.That(Error(() => torch.zeros(3).expand(2, 3).copy_(torch.ones(2, 3))), Is.EqualTo(Internal));
        Assert.That(Values(x), Is.EqualTo(new float[] { 0, 1, 2, 3, 4 }));
    }

    // copy_impl returns early when self and src are the same view of the same data, before any overlap check.
    [Test]
    public void CopyOntoTheSameDataIsANoOp()
    {
        var b = torch.arange(3f);
        var e = b.expand(2, 3);
        int before = e._version_;
        Assert.DoesNotThrow(() => e.copy_(b.expand(2, 3)));
        Assert.That(e._version_, Is.EqualTo(before + 1));
        var x = torch.arange(4f);
        x.copy_(x.view(4));
        Assert.That(Values(x), Is.EqualTo(new float[] { 0, 1, 2, 3 }));
    }

    // has_internal_overlap: a dim of size > 1 with stride 0 is a sure overlap.
    [Test]
    public void WritingIntoAnExpandedTensorRaises()
    {
        var b = torch.zeros(3);
        var e = b.expand(2, 3);
        Assert.That(Error(() => e.add_(1)), Is.EqualTo(Internal));
        Assert.That(Error(() => e.add_(torch.ones(2, 3))), Is.EqualTo(Internal));
        Assert.That(Error(() => e.mul_(2)), Is.EqualTo(Internal));
        Assert.That(Error(() => e.neg_()), Is.EqualTo(Internal));
        Assert.That(Error(() => e.clamp_(0, 1)), Is.EqualTo(Internal));
        Assert.That(Error(() => torch.nn.functional.relu(e, inplace: true)), Is.EqualTo(Internal));
        Assert.That(Values(b), Is.EqualTo(new float[] { 0, 0, 0 }));
    }

    // fill_out: set_check_mem_overlap(false), "Fill is idempotent"; zero_ goes through fill_.
    [Test]
    public void FillAndZeroOnAnExpandedTensorAreAllowed()
    {
        var b = torch.ones(3);
        b.expand(2, 3).fill_(7);
        Assert.That(Values(b), Is.EqualTo(new float[] { 7, 7, 7 }));
        b.expand(4, 3).zero_();
        Assert.That(Values(b), Is.EqualTo(new float[] { 0, 0, 0 }));
        b.expand(2, 3).fill_(torch.tensor(2f));
        Assert.That(Values(b), Is.EqualTo(new float[] { 2, 2, 2 }));
    }

    // get_overlap_status: the same tensor, or the same data with the same strides, is Full and allowed.
    [Test]
    public void FullOverlapIsAllowed()
    {
        var x = torch.tensor(new float[] { 1, 2, 3 });
        x.add_(x);
        Assert.That(Values(x), Is.EqualTo(new float[] { 2, 4, 6 }));
        x.mul_(x.view(3));
        Assert.That(Values(x), Is.EqualTo(new float[] { 4, 16, 36 }));
        var m = torch.arange(6f).view(2, 3);
        m.t().add_(m.t());
        Assert.That(Values(m), Is.EqualTo(new float[] { 0, 2, 4, 6, 8, 10 }));
    }

    [Test]
    public void DisjointViewsOfOneStorageAreAllowed()
    {
        var x = torch.arange(4f);
        var head = x[..2];
        head += x[2..];
        Assert.That(Values(x), Is.EqualTo(new float[] { 2, 4, 2, 3 }));
        var m = torch.arange(6f).view(2, 3);
        m[0].copy_(m[1]);
        Assert.That(Values(m), Is.EqualTo(new float[] { 3, 4, 5, 3, 4, 5 }));
    }

    // get_overlap_status answers TooHard for tensors that are not non-overlapping and dense, and TooHard raises
    // nothing: these interleaved column views overlap in memory range but PyTorch runs them.
    [Test]
    public void TooHardCasesAreNotErrors()
    {
        var x = torch.arange(8f).view(2, 4);
        Assert.DoesNotThrow(() => x[.., 1..].add_(x[.., ..^1]));
        var y = torch.arange(8f).view(2, 4);
        Assert.DoesNotThrow(() => y[.., ..2].copy_(y[.., 1..3]));
        // An expanded input is not dense either, though the row it repeats lies inside the output...
        var z = torch.arange(6f).view(2, 3);
        Assert.DoesNotThrow(() => z.add_(z[0].expand(2, 3)));
        // ...while the same row left to broadcast is dense, so its range is compared: the input, not its broadcast.
        Assert.That(Error(() => z.add_(z[0])), Is.EqualTo(Partial));
    }

    // masked_fill_impl_cpu and _index_put_impl_ only warn for an expanded self (deprecated, not an error).
    [Test]
    public void MaskedFillAndIndexPutOnAnExpandedTensorWarn()
    {
        var b = torch.zeros(3);
        var text = StdErr.Of(() => b.expand(2, 3).masked_fill_(torch.tensor(new[] { true, false, true }), 5));
        Assert.That(Values(b), Is.EqualTo(new float[] { 5, 0, 5 }));
        Assert.That(text, Is.EqualTo(
            "UserWarning: Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before performing this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar" + Environment.NewLine));
        text = StdErr.Of(() => b.expand(2, 3).index_put_([torch.tensor(new long[] { 1 })], torch.ones(3)));
        Assert.That(text, Does.StartWith("UserWarning: Use of index_put_ on expanded tensors is deprecated."));
        Assert.That(text, Does.Contain("tensor[indices] = tensor"));
        Assert.That(StdErr.Of(() => torch.zeros(2, 3).masked_fill_(torch.ones(2, 3, dtype: torch.@bool), 1)), Is.Empty);
    }

    // _index_put_impl_: assert_no_overlap(self, value) refuses full overlap too, except when the put is dispatched
    // to masked_fill_ (one value through one bool mask).
    [Test]
    public void IndexPutRefusesValuesThatAliasSelf()
    {
        var x = torch.arange(3f);
        var idx = torch.tensor(new long[] { 2, 1, 0 });
        Assert.That(Error(() => x.index_put_([idx], x)), Is.EqualTo(Partial));
        Assert.That(Error(() => x[idx] = x), Is.EqualTo(Partial));
        Assert.That(Values(x), Is.EqualTo(new float[] { 0, 1, 2 }));
        x[torch.tensor(new[] { false, true, true })] = x[0];
        Assert.That(Values(x), Is.EqualTo(new float[] { 0, 0, 0 }));
    }

    // scatter_meta_impl and index_func_meta_impl: no internal overlap, no overlap with index or source.
    [Test]
    public void ScatterAndIndexAddRefuseOverlap()
    {
        var x = torch.arange(3f);
        var idx = torch.tensor(new long[] { 2, 1, 0 });
        Assert.That(Error(() => x.scatter_(0, idx, x)), Is.EqualTo(Partial));
        Assert.That(Error(() => x.scatter_add_(0, idx, x)), Is.EqualTo(Partial));
        Assert.That(Error(() => x.index_add_(0, idx, x)), Is.EqualTo(Partial));
        Assert.That(Values(x), Is.EqualTo(new float[] { 0, 1, 2 }));
        var e = torch.zeros(3).expand(2, 3);
        Assert.That(Error(() => e.index_add_(0, torch.tensor(new long[] { 0 }), torch.ones(1, 3))), Is.EqualTo(Internal));
        Assert.That(Error(() => e.scatter_(1, torch.zeros(2, 1, dtype: torch.int64), 1.0)), Is.EqualTo(Internal));
        Assert.That(Error(() => e.masked_scatter_(torch.ones(2, 3, dtype: torch.@bool), torch.ones(6))), Is.EqualTo(Internal));
    }

    // uniform_/normal_/random_/bernoulli_/exponential_ build TensorIterator::borrowing_nullary_op(self)
    // (NULLARY_OP_CONFIG: set_check_mem_overlap(true)) before any number is drawn.
    [Test]
    public void RandomFillsOfAnExpandedTensorRaiseBeforeDrawing()
    {
        var e = torch.zeros(3).expand(2, 3);
        torch.manual_seed(7);
        Assert.That(Error(() => e.uniform_()), Is.EqualTo(Internal));
        Assert.That(Error(() => e.normal_()), Is.EqualTo(Internal));
        Assert.That(Error(() => e.bernoulli_(0.5)), Is.EqualTo(Internal));
        Assert.That(Error(() => e.exponential_()), Is.EqualTo(Internal));
        Assert.That(Error(() => torch.zeros(3, dtype: torch.int64).expand(2, 3).random_(0, 10)), Is.EqualTo(Internal));
        var after = torch.rand(4).ToArray<float>();
        torch.manual_seed(7);
        Assert.That(after, Is.EqualTo(torch.rand(4).ToArray<float>()));
        // Strided but not overlapping: filled as before.
        var m = torch.zeros(3, 4);
        m.t().uniform_();
        Assert.That(m.gt(0).all().item<bool>(), Is.True);
    }

    // The leaf rule is checked by autograd before the kernel sees the overlap (VariableType's check_inplace).
    [Test]
    public void LeafRuleComesBeforeOverlap()
    {
        var w = torch.ones(3, requires_grad: true);
        Assert.That(Error(() => w.add_(w)), Does.StartWith("a leaf Variable that requires grad"));
        Assert.That(Error(() => w.index_put_([torch.tensor(new long[] { 2, 1, 0 })], w)), Does.StartWith("a leaf Variable that requires grad"));
        Assert.That(Error(() => w.expand(2, 3).add_(1)), Does.StartWith("a view of a leaf Variable that requires grad"));
    }

    // In-place on a view with autograd (CopySlices) keeps working for disjoint views of one base.
    [Test]
    public void InPlaceOnDisjointViewsStillDifferentiates()
    {
        var a = torch.ones(4, requires_grad: true);
        var b = a * 1;
        var lo = b[..2];
        lo.add_(b[2..]);
        b.sum().backward();
        Assert.That(a.grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 2, 2 }));
    }
}
