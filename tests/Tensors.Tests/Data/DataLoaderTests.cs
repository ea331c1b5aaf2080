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
        // torch/utils/data/dataloader.py, _BaseDataLoaderIter.__init__: iter(loader) first draws the base seed,
        // torch.empty((), dtype=torch.int64).random_(generator=loader.generator), even with num_workers=0. Then
        // RandomSampler.__iter__ (at the first next()): seed = int(torch.empty((), dtype=torch.int64).random_().item());
        // a new generator seeded with it gives randperm(n). random_() on int64 keeps a 64-bit draw modulo 2^63.
        torch.manual_seed(0);
        var order = new data.DataLoader(Dataset(), batch_size: 10, shuffle: true).Single()[1].ToArray<long>();

        torch.manual_seed(0);
        var bits = new long[2];
        Generator.Default.FillRandom<long>(bits);
        var expected = torch.randperm(10, generator: new Generator().manual_seed(bits[1])).ToArray<long>();
        Assert.That(order, Is.EqualTo(expected));
        Assert.That(order.Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(bits[1], Is.GreaterThanOrEqualTo(0));
        // One shuffled pass consumed exactly two 64-bit draws from the default generator: the base seed and the sampler's.
        torch.manual_seed(0);
        _ = new data.DataLoader(Dataset(), batch_size: 3, shuffle: true).ToList();
        var after = torch.rand(1).item<float>();
        torch.manual_seed(0);
        Generator.Default.FillRandom<long>(new long[2]);
        Assert.That(torch.rand(1).item<float>(), Is.EqualTo(after));
    }

    [Test]
    public void Every_pass_draws_the_iterators_base_seed_as_PyTorchs_does()
    {
        // Even unshuffled, iter(loader) draws one int64 (the workers' base seed, unused without workers), so a seeded
        // script that iterates a DataLoader draws what PyTorch draws after it (the blitz CIFAR-10 tutorial's testloader).
        torch.manual_seed(0);
        _ = new data.DataLoader(Dataset(), batch_size: 4).ToList();
        _ = new data.DataLoader(Dataset(), batch_size: 4).First();
        var after = torch.rand(2).ToArray<float>();
        torch.manual_seed(0);
        Generator.Default.FillRandom<long>(new long[2]);
        Assert.That(torch.rand(2).ToArray<float>(), Is.EqualTo(after));

        // With the loader's own generator, the base seed and the order both come from it; the default stream is untouched.
        torch.manual_seed(0);
        var g = new Generator().manual_seed(7);
        var order = new data.DataLoader(Dataset(), batch_size: 10, shuffle: true, generator: g).Single()[1].ToArray<long>();
        var untouched = torch.rand(1).item<float>();
        var g2 = new Generator().manual_seed(7);
        g2.FillRandom<long>(new long[1]);
        Assert.That(order, Is.EqualTo(torch.randperm(10, generator: g2).ToArray<long>()));
        torch.manual_seed(0);
        Assert.That(torch.rand(1).item<float>(), Is.EqualTo(untouched));
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
