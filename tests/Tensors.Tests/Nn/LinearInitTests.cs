using System.Globalization;
using System.Text.Json;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>nn.Linear's default init against libtorch (Reference/torch_rng.json), bit for bit.</summary>
public class LinearInitTests
{
    private static JsonElement Reference(long seed, string call)
    {
        var path = Random.TorchReference.FindFile();
        if (path is null) Assert.Fail("Reference/torch_rng.json not found: the libtorch reference values must sit beside the repository");
        using var doc = JsonDocument.Parse(File.ReadAllText(path!));
        return doc.RootElement.GetProperty($"seed {seed}").GetProperty("after_manual_seed").EnumerateArray()
            .Single(c => c.GetProperty("call").GetString() == call).GetProperty("values").Clone();
    }

    private static float[] Values(JsonElement e) => e.EnumerateArray().Select(v => float.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToArray();

    [TestCase(0L), TestCase(42L)]
    public void Linear_5_3_weight_and_bias_match_libtorch(long seed)
    {
        torch.manual_seed(seed);
        var layer = new nn.Linear(5, 3);
        Assert.Multiple(() =>
        {
            Assert.That(layer.weight.shape, Is.EqualTo(torch.Size(3, 5)));
            Assert.That(layer.weight.detach().reshape(-1).ToArray<float>(), Is.EqualTo(Values(Reference(seed, "nn.Linear(5, 3).weight"))));
            Assert.That(layer.bias!.detach().ToArray<float>(), Is.EqualTo(Values(Reference(seed, "nn.Linear(5, 3).bias"))));
        });
    }

    [TestCase(0L), TestCase(42L)]
    public void Linear_2_1_weight_matches_libtorch(long seed)
    {
        torch.manual_seed(seed);
        var layer = new nn.Linear(2, 1);
        Assert.That(layer.weight.detach().reshape(-1).ToArray<float>(), Is.EqualTo(Values(Reference(seed, "nn.Linear(2, 1).weight"))));
    }

    [Test]
    public void Kaiming_uniform_bound_is_gain_times_sqrt3_over_fan_in()
    {
        // init.py: gain = sqrt(2 / (1 + a^2)); bound = sqrt(3) * gain / sqrt(fan_in). a = sqrt(5), fan_in = 5 → 1/sqrt(5).
        Assert.That(nn.init.calculate_gain("leaky_relu", Math.Sqrt(5)) * Math.Sqrt(3) / Math.Sqrt(5), Is.EqualTo(1 / Math.Sqrt(5)).Within(1e-15));
        Assert.That(nn.init.calculate_gain("tanh"), Is.EqualTo(5.0 / 3));
        Assert.That(nn.init.calculate_gain("relu"), Is.EqualTo(Math.Sqrt(2)));
        Assert.That(nn.init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 2, 2)), Is.EqualTo((12L, 16L)));
        Assert.That(() => nn.init._calculate_fan_in_and_fan_out(torch.empty(4)),
            Throws.ArgumentException.With.Message.EqualTo("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"));
    }

    [Test]
    public void Trunc_normal_stays_in_bounds_and_erfinv_inverts_erf()
    {
        foreach (var y in new[] { -0.99, -0.5, 0.0, 0.3, 0.7, 0.95 })
            Assert.That(global::Notebooks.Tensors.Backend.Functions.SpecialFunctions.Erf(Erfinv.Of(y)), Is.EqualTo(y).Within(1e-15));
        torch.manual_seed(0);
        var t = nn.init.trunc_normal_(torch.empty(1000), std: 1, a: -0.5, b: 0.5);
        Assert.That(t.min().item<float>(), Is.GreaterThanOrEqualTo(-0.5f));
        Assert.That(t.max().item<float>(), Is.LessThanOrEqualTo(0.5f));
        Assert.That(t.std().item<float>(), Is.LessThan(0.35f)); // uniform on [-.5,.5] would be 0.289; a normal truncated there is a bit narrower
    }
}
