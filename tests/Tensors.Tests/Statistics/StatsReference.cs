using System.Text.Json;

namespace Notebooks.Tensors.Tests.Statistics;

/// <summary>
/// torch_stats.json (tests/ReferenceGenerator/StatsSet.cs): libtorch's outputs for sorting, statistics, cumulative
/// and shape ops. Each case carries its inputs, outputs and (for differentiable cases) the gradient of
/// sum(output · w), w = 1 + 0.25·arange(numel) shaped like the output, so a test recomputes it from the file alone.
/// </summary>
internal static class StatsReference
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_stats.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    public static JsonElement Case(string name) =>
        Cases.Value.TryGetValue(name, out var c) ? c : throw new AssertionException($"torch_stats.json has no case {name}");

    public static Tensor[] Inputs(string name) => Case(name).GetProperty("inputs").EnumerateArray().Select(ToTensor).ToArray();
    public static Tensor[] Outputs(string name) => Case(name).GetProperty("outputs").EnumerateArray().Select(ToTensor).ToArray();
    public static Tensor Grad(string name) => ToTensor(Case(name).GetProperty("grad"));

    public static Tensor ToTensor(JsonElement t)
    {
        var shape = t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var data = t.GetProperty("data");
        var dtype = t.GetProperty("dtype").GetString();
        Tensor flat = dtype switch
        {
            "Int64" or "Int32" or "Int16" or "Int8" or "Byte" => torch.tensor(data.EnumerateArray().Select(e => e.GetInt64()).ToArray()),
            "Bool" => torch.tensor(data.EnumerateArray().Select(e => e.GetBoolean()).ToArray()),
            _ => torch.tensor(data.EnumerateArray().Select(Number).ToArray(), dtype: torch.float64),
        };
        flat = dtype switch { "Float32" => flat.to(torch.float32), "Int32" => flat.to(torch.int32), _ => flat };
        return flat.reshape(shape);
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, _ => double.NegativeInfinity }
        : e.GetDouble();

    /// <summary>The weights the generator multiplied the output by before backward.</summary>
    public static Tensor Weights(Tensor y) => (torch.arange(y.numel(), dtype: torch.float64) * 0.25 + 1).reshape(y.shape).to(y.dtype);

    /// <summary>The gradient of sum(op(x) · w) with respect to x, as the generator computed it.</summary>
    public static Tensor GradOf(Func<Tensor, Tensor> op, Tensor x)
    {
        var xr = x.detach().requires_grad_();
        var y = op(xr);
        (y * Weights(y)).sum().backward();
        return xr.grad!;
    }

    /// <summary>Exact match (dtype, shape and values, NaN equal to NaN).</summary>
    public static void AssertSame(Tensor actual, Tensor expected, string what)
    {
        Assert.That(actual.dtype, Is.EqualTo(expected.dtype), $"{what}: dtype");
        Assert.That(actual.shape.ToArray(), Is.EqualTo(expected.shape.ToArray()), $"{what}: shape");
        if (expected.dtype.is_floating_point)
            Assert.That(actual.to(torch.float64).ToArray<double>(), Is.EqualTo(expected.to(torch.float64).ToArray<double>()), $"{what}: values");
        else Assert.That(actual.to(torch.int64).ToArray<long>(), Is.EqualTo(expected.to(torch.int64).ToArray<long>()), $"{what}: values");
    }

    /// <summary>Within float64 rounding of libtorch's value (for ops whose summation order may differ).</summary>
    public static void AssertClose(Tensor actual, Tensor expected, string what, double tol = 1e-12)
    {
        Assert.That(actual.dtype, Is.EqualTo(expected.dtype), $"{what}: dtype");
        Assert.That(actual.shape.ToArray(), Is.EqualTo(expected.shape.ToArray()), $"{what}: shape");
        var a = actual.to(torch.float64).ToArray<double>(); var e = expected.to(torch.float64).ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            if (!(double.IsNaN(e[i]) && double.IsNaN(a[i])))
                Assert.That(a[i], Is.EqualTo(e[i]).Within(tol * Math.Max(1, Math.Abs(e[i]))), $"{what}: element {i}");
    }
}
