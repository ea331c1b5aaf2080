namespace Notebooks.Tensors.Tests.Vision;

/// <summary>
/// torchvision.utils.make_grid (vision/torchvision/utils.py): the layout (nmaps, xmaps = min(nrow, nmaps),
/// ymaps = ceil(nmaps / xmaps), each image at (y * (H + padding) + padding, x * (W + padding) + padding) on a
/// new_full of pad_value), gray to three channels, the normalisation (clamp to the range, then
/// (x - low) / max(high - low, 1e-5)) and the batch of one returned unpadded.
/// </summary>
public class MakeGridTests
{
    // Five 2x3 single-channel images, image k filled with k.
    private static Tensor Batch() => torch.arange(5, dtype: torch.float32).reshape(5, 1, 1, 1).expand(5, 1, 2, 3).contiguous();

    private static float At(Tensor g, long c, long y, long x) => g[c, y, x].item<float>();

    [Test]
    public void LaysOutRowsOfNrowWithPadding()
    {
        var g = torchvision.utils.make_grid(Batch(), nrow: 3, padding: 1, pad_value: 0.5);
        // 3 columns, 2 rows: 3 * (3 + 1) + 1 wide, 2 * (2 + 1) + 1 high; gray repeated into 3 channels.
        Assert.That(g.shape.ToArray(), Is.EqualTo(new long[] { 3, 7, 13 }));
        Assert.That(At(g, 0, 0, 0), Is.EqualTo(0.5f), "padding");
        Assert.That(At(g, 0, 1, 1), Is.EqualTo(0f), "image 0 at (1, 1)");
        Assert.That(At(g, 2, 2, 7), Is.EqualTo(1f), "image 1, third channel");
        Assert.That(At(g, 1, 1, 9), Is.EqualTo(2f), "image 2");
        Assert.That(At(g, 0, 4, 1), Is.EqualTo(3f), "image 3 starts the second row");
        Assert.That(At(g, 0, 5, 7), Is.EqualTo(4f), "image 4");
        Assert.That(At(g, 0, 4, 9), Is.EqualTo(0.5f), "the empty sixth cell keeps pad_value");
        Assert.That(At(g, 0, 3, 1), Is.EqualTo(0.5f), "the padding row between the image rows");
        // Every value is either pad or an image's: 273 in all, 5 images × 6 pixels × 3 channels of them image values.
        Assert.That(g.eq(0.5).sum().item<long>(), Is.EqualTo(3 * 7 * 13 - 5 * 6 * 3));
        Assert.That(g.eq(4).sum().item<long>(), Is.EqualTo(6 * 3));
    }

    [Test]
    public void NormalizeMapsTheBatchRangeToZeroOne()
    {
        var x = Batch();
        var g = torchvision.utils.make_grid(x, nrow: 5, padding: 0, normalize: true);
        Assert.That(g.shape.ToArray(), Is.EqualTo(new long[] { 3, 2, 15 }));
        Assert.That(At(g, 0, 0, 0), Is.EqualTo(0f));
        Assert.That(At(g, 0, 0, 6), Is.EqualTo(2f / 4f));
        Assert.That(At(g, 0, 1, 14), Is.EqualTo(1f));
        Assert.That(x.max().item<float>(), Is.EqualTo(4f), "the input is not modified (make_grid clones before normalising)");

        var ranged = torchvision.utils.make_grid(x, nrow: 5, padding: 0, normalize: true, value_range: (1, 3));
        Assert.That(new[] { At(ranged, 0, 0, 0), At(ranged, 0, 0, 3), At(ranged, 0, 0, 6), At(ranged, 0, 0, 12) }, Is.EqualTo(new[] { 0f, 0f, 0.5f, 1f }), "clamped to (1, 3) then (x - 1) / 2");

        // scale_each: each constant image has low == high, so (x - low) / 1e-5 is 0 everywhere.
        var each = torchvision.utils.make_grid(x, nrow: 5, padding: 0, normalize: true, scale_each: true);
        Assert.That(each.abs().sum().item<float>(), Is.EqualTo(0f));
    }

    [Test]
    public void SingleImagesAndLists()
    {
        var one = torchvision.utils.make_grid(torch.ones(1, 1, 2, 2));
        Assert.That(one.shape.ToArray(), Is.EqualTo(new long[] { 3, 2, 2 }), "a batch of one comes back unpadded");
        Assert.That(torchvision.utils.make_grid(torch.ones(4, 5)).shape.ToArray(), Is.EqualTo(new long[] { 3, 4, 5 }));
        Assert.That(torchvision.utils.make_grid(torch.ones(3, 4, 5)).shape.ToArray(), Is.EqualTo(new long[] { 3, 4, 5 }));
        var list = torchvision.utils.make_grid([torch.zeros(3, 2, 2), torch.ones(3, 2, 2)], padding: 2);
        Assert.That(list.shape.ToArray(), Is.EqualTo(new long[] { 3, 2 + 2 * 2, 2 * (2 + 2) + 2 }));
        Assert.That(list[0, 2, 6].item<float>(), Is.EqualTo(1f));
        Assert.Throws<ArgumentException>(() => torchvision.utils.make_grid(torch.ones(1, 1, 1, 2, 2)));
    }
}
