using System.Text.Json.Nodes;
using data = Notebooks.Tensors.torch.utils.data;

namespace Notebooks.Tensors.Tests.Data;

/// <summary>
/// torch.utils.data.random_split and Subset (torch/utils/data/dataset.py): lengths or fractions, one randperm from the
/// generator (libtorch's permutations in torch_clip_grad.json, tests/ReferenceGenerator/ClipGradSet.cs), the errors and
/// the warning in PyTorch's words.
/// </summary>
public class RandomSplitTests
{
    private static long[] Perm(long n, long seed) =>
        JsonNode.Parse(File.ReadAllText(ReferenceData.File("torch_clip_grad.json")))!["cases"]!["randperm"]!.AsArray()
            .Single(c => c!["n"]!.GetValue<long>() == n && c["seed"]!.GetValue<long>() == seed)!["perm"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();

    private static data.TensorDataset Range(long n) => new(torch.arange(n));

    private static long[] Items(data.Subset<Tensor[]> s) => Enumerable.Range(0, (int)s.len()).Select(i => s[i][0].item<long>()).ToArray();

    [Test]
    public void Lengths_split_one_permutation_from_the_generator()
    {
        // The docstring's example: random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42)).
        var parts = data.random_split(Range(10), [3L, 7L], generator: new Generator().manual_seed(42));
        var perm = Perm(10, 42);
        Assert.That(parts.Select(p => p.len()), Is.EqualTo(new[] { 3L, 7L }));
        Assert.That(Items(parts[0]), Is.EqualTo(perm[..3]));
        Assert.That(Items(parts[1]), Is.EqualTo(perm[3..]));
        Assert.That(parts[0].indices, Is.EqualTo(perm[..3]));
    }

    [Test]
    public void Fractions_floor_then_hand_out_the_remainder_round_robin()
    {
        var parts = data.random_split(Range(30), [0.3, 0.3, 0.4], generator: new Generator().manual_seed(42));
        // floor(30·0.3) = 9, floor(30·0.4) = 12: nothing left over.
        Assert.That(parts.Select(p => p.len()), Is.EqualTo(new[] { 9L, 9L, 12L }));
        var perm = Perm(30, 42);
        Assert.That(parts.SelectMany(Items), Is.EqualTo(perm));
        // The char-RNN tutorial's split [.85, .15] with a generator seeded 2024, on 18 items: floor gives 15 and 2, the
        // remainder 1 goes to the first split.
        var names = data.random_split(Range(18), [.85, .15], generator: new Generator().manual_seed(2024));
        Assert.That(names.Select(p => p.len()), Is.EqualTo(new[] { 16L, 2L }));
        Assert.That(names.SelectMany(Items), Is.EqualTo(Perm(18, 2024)));
    }

    [Test]
    public void Without_a_generator_the_default_one_draws()
    {
        torch.manual_seed(42);
        var parts = data.random_split(Range(10), [5L, 5L]);
        Assert.That(parts.SelectMany(Items), Is.EqualTo(Perm(10, 42)));
    }

    [Test]
    public void Subsets_feed_a_data_loader_and_index_like_python_lists()
    {
        var parts = data.random_split(Range(10), [3L, 7L], generator: new Generator().manual_seed(42));
        var batches = new data.DataLoader(parts[1], batch_size: 4).Select(b => b[0].ToArray<long>()).ToList();
        Assert.That(batches.SelectMany(b => b), Is.EqualTo(Perm(10, 42)[3..]));
        Assert.That(parts[1][-1][0].item<long>(), Is.EqualTo(Perm(10, 42)[9]));
        var ex = Assert.Throws<IndexOutOfRangeException>(() => _ = parts[0][3]);
        Assert.That(ex!.Message, Is.EqualTo("list index out of range"));
    }

    [Test]
    public void Bad_lengths_fail_in_pytorchs_words()
    {
        var ex = Assert.Throws<ArgumentException>(() => data.random_split(Range(10), [3L, 6L]));
        Assert.That(ex!.Message, Is.EqualTo("Sum of input lengths does not equal the length of the input dataset!"));
        ex = Assert.Throws<ArgumentException>(() => data.random_split(Range(10), [1.5, -0.5]));
        Assert.That(ex!.Message, Is.EqualTo("Fraction at index 0 is not between 0 and 1"));
        var err = StdErr.Of(() => data.random_split(Range(2), [0.9, 0.1]));
        Assert.That(err, Does.Contain("UserWarning: Length of split at index 1 is 0. This might result in an empty dataset."));
    }
}
