namespace Notebooks.Tensors.Tests.Ops;

/// <summary>
/// view of a 0-d tensor (a reduction's result): ATen's computeStride_impl (aten/src/ATen/TensorUtils.cpp) answers
/// "if (oldshape.empty()) return ResultVec(newshape.size(), 1);", so torch.tensor(3.).view(1) is tensor([3.]).
/// </summary>
public class ZeroDimViewTests
{
    [Test]
    public void A_scalar_views_as_any_all_ones_shape_sharing_its_storage()
    {
        var s = torch.tensor(new float[] { 1f, 2f, 3f }).sum();
        var v = s.view(1);
        Assert.That(v.shape.ToArray(), Is.EqualTo(new long[] { 1 }));
        Assert.That(v.stride(), Is.EqualTo(new long[] { 1 }));
        Assert.That(v.item<float>(), Is.EqualTo(6f));
        Assert.That(s.view(1, 1, 1).shape.ToArray(), Is.EqualTo(new long[] { 1, 1, 1 }));
        Assert.That(s.view(-1).shape.ToArray(), Is.EqualTo(new long[] { 1 }));
        v.fill_(5f);
        Assert.That(s.item<float>(), Is.EqualTo(5f), "a view shares the scalar's storage");
        Assert.That(v.view([]).dim(), Is.EqualTo(0));
    }

    [Test]
    public void A_scalar_view_to_more_elements_is_refused_as_pytorch_words_it()
    {
        var e = Assert.Throws<ArgumentException>(() => torch.tensor(3f).view(2));
        Assert.That(e!.Message, Does.Contain("shape '[2]' is invalid for input of size 1"));
    }
}
