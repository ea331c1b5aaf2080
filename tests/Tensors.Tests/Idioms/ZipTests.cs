namespace Notebooks.Tensors.Tests.Idioms;

/// <summary>
/// Python's <c>zip(labels, predictions)</c> over tensors (beginner_source/blitz/cifar10_tutorial.py counts correct
/// predictions per class with it): pairs of rows along dim 0, as many as the shorter has; zip calls iter() on both at
/// once, so a 0-d tensor fails then with torch/_tensor.py's "iteration over a 0-d tensor".
/// </summary>
public class ZipTests
{
    [Test]
    public void PairsRowsUpToTheShorter()
    {
        var labels = torch.tensor(new long[] { 3, 1, 4 });
        var predictions = torch.tensor(new long[] { 3, 2, 4, 9 });
        var pairs = labels.zip(predictions).Select(p => ((long)p.Item1, (long)p.Item2)).ToList();
        Assert.That(pairs, Is.EqualTo(new[] { (3L, 3L), (1L, 2L), (4L, 4L) }));
        int same = 0;
        foreach (var (label, prediction) in labels.zip(predictions))
            if (label == prediction) same++;
        Assert.That(same, Is.EqualTo(2));
        var rows = torch.arange(6).view(3, 2).zip(torch.zeros(2)).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[1].Item1.ToString(), Is.EqualTo("tensor([2, 3])"));
        Assert.That(rows[1].Item2.ToString(), Is.EqualTo("tensor(0.)"));
    }

    [Test]
    public void ZeroDimTensorsFailWhenZipped()
    {
        Assert.That(() => torch.tensor(1).zip(torch.ones(3)), Throws.InvalidOperationException.With.Message.EqualTo("iteration over a 0-d tensor"));
        Assert.That(() => torch.ones(3).zip(torch.tensor(1)), Throws.InvalidOperationException.With.Message.EqualTo("iteration over a 0-d tensor"));
    }
}
