using Notebooks.Tensors;
using data = Notebooks.Tensors.torch.utils.data;

namespace Notebooks.Tensors.Tests.Data;

public class DataLoaderTests
{
    private static data.TensorDataset Dataset() =>
        new(torch.arange(10).reshape(10, 1).to(torch.float32), torch.arange(10));

    [Test]
    public void Sequential_batches_stack_rows_and_keep_the_tail_unless_drop_last()
    {
        var loader = new data.DataLoader(Dataset(), batch_size: 4);
        var batches = loader.ToList();
        Assert.That(loader.len(), Is.EqualTo(3));
        Assert.That(batches.Select(b => b[1].ToString()), Is.EqualTo(new[] { "tensor([0, 1, 2, 3])", "tensor([4, 5, 6, 7])", "tensor([8, 9])" }));
        Assert.That(batches[0][0].shape, Is.EqualTo(torch.Size(4, 1)));
        var dropped = new data.DataLoader(Dataset(), batch_size: 4, drop_last: true);
        Assert.That(dropped.len(), Is.EqualTo(2));
        Assert.That(dropped.Count(), Is.EqualTo(2));
    }

    [Test]
    public void Shuffle_draws_a_seed_from_the_default_generator_then_randperm()
    {
        // RandomSampler.__iter__: seed = int(torch.empty((), dtype=torch.int64).random_().item()); a new generator
        // seeded with it gives randperm(n). random_() on int64 keeps a 64-bit draw modulo 2^63.
        torch.manual_seed(0);
        var order = new data.DataLoader(Dataset(), batch_size: 10, shuffle: true).Single()[1].ToArray<long>();

        torch.manual_seed(0);
        var bits = new long[1];
        Generator.Default.FillRandom<long>(bits);
        var expected = torch.randperm(10, generator: new Generator().manual_seed(bits[0])).ToArray<long>();
        Assert.That(order, Is.EqualTo(expected));
        Assert.That(order.Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(bits[0], Is.GreaterThanOrEqualTo(0));
        // One pass consumed exactly one 64-bit draw from the default generator.
        torch.manual_seed(0);
        _ = new data.DataLoader(Dataset(), batch_size: 3, shuffle: true).ToList();
        var after = torch.rand(1).item<float>();
        torch.manual_seed(0);
        Generator.Default.FillRandom<long>(new long[1]);
        Assert.That(torch.rand(1).item<float>(), Is.EqualTo(after));
    }

    [Test]
    public void TensorDataset_checks_first_dimensions()
    {
        Assert.That(() => new data.TensorDataset(torch.zeros(3), torch.zeros(4)), Throws.ArgumentException.With.Message.EqualTo("Size mismatch between tensors"));
        var ds = Dataset();
        Assert.That(ds.len(), Is.EqualTo(10));
        Assert.That(ds[3][1].item<long>(), Is.EqualTo(3));
    }
}
