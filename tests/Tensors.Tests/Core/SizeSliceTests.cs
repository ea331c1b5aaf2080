namespace Notebooks.Tensors.Tests;

/// <summary>
/// <c>x.size()[1:]</c> (the blitz tutorial's num_flat_features): torch.Size subclasses Python's tuple, so a slice is a
/// torch.Size (torch/_C/__init__.pyi: <c>class Size(tuple[int, ...])</c>, whose __getitem__ on a slice returns Size),
/// and a slice's bounds clamp to the ends as every Python slice's do.
/// </summary>
public sealed class SizeSliceTests
{
    [Test]
    public void SlicingAShapeGivesASize()
    {
        var size = torch.zeros(2, 3, 4, 5).size();
        Assert.That(size[1..], Is.EqualTo(new Size(3, 4, 5)));
        Assert.That(size[1..].ToString(), Is.EqualTo("torch.Size([3, 4, 5])"));
        Assert.That(size[..^1].ToString(), Is.EqualTo("torch.Size([2, 3, 4])"));
        Assert.That(size[^2..], Is.EqualTo(new Size(4, 5)));
        Assert.That(size[1..3], Is.EqualTo(new Size(3, 4)));
        long n = 1;
        foreach (var s in size[1..]) n *= s;
        Assert.That(n, Is.EqualTo(60));
    }

    [Test]
    public void SliceBoundsClampAsPythons()
    {
        // Python: torch.Size([2, 3])[5:] == torch.Size([]), [1:0] == torch.Size([]), [0:9] == torch.Size([2, 3])
        var size = new Size(2, 3);
        Assert.That(size[5..].ToString(), Is.EqualTo("torch.Size([])"));
        Assert.That(size[1..0].Count, Is.Zero);
        Assert.That(size[0..9], Is.EqualTo(new Size(2, 3)));
        Assert.That(size[^9..], Is.EqualTo(new Size(2, 3)));
    }
}
