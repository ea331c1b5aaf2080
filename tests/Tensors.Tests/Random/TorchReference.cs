using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Notebooks.Tensors.Tests.Random;

/// <summary>
/// The libtorch reference values in torch_rng.json (tests/Tensors.Tests/Reference) and an interpreter for the
/// <c>call</c> strings they were produced by.
/// </summary>
public static partial class TorchReference
{
    /// <summary>One reference case: the calls made on a freshly seeded generator, in order, and the expected
    /// output of the last one.</summary>
    public sealed record Case(long Seed, string[] Calls, JsonElement Expected)
    {
        public override string ToString() => $"seed {Seed}: {string.Join(" ; ", Calls)}";
    }

    internal static string? FindFile() => ReferenceData.File("torch_rng.json");

    /// <summary>Every case of the file. <c>after_manual_seed</c> cases run alone after seeding; <c>one_sequence</c>
    /// cases run after all earlier calls of their sequence.</summary>
    internal static IEnumerable<Case> Cases(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (JsonProperty seedGroup in doc.RootElement.EnumerateObject())
        {
            long seed = long.Parse(seedGroup.Name["seed ".Length..], CultureInfo.InvariantCulture);
            foreach (JsonElement c in seedGroup.Value.GetProperty("after_manual_seed").EnumerateArray())
                yield return new Case(seed, [c.GetProperty("call").GetString()!], c.GetProperty("values").Clone());
            var earlier = new List<string>();
            foreach (JsonElement c in seedGroup.Value.GetProperty("one_sequence").EnumerateArray())
            {
                earlier.Add(c.GetProperty("call").GetString()!);
                yield return new Case(seed, [.. earlier], c.GetProperty("values").Clone());
            }
        }
    }

    /// <summary>Runs one call the way PyTorch would on <paramref name="g"/> and returns the tensor's elements:
    /// float[], double[] or long[].</summary>
    internal static Array Run(Generator g, string call)
    {
        Match m;
        if ((m = ReferenceCallGrammar.Factory().Match(call)).Success)
        {
            int[] sizes = m.Groups["sizes"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(int.Parse).ToArray();
            int n = sizes.Aggregate(1, (a, b) => a * b);
            bool f64 = m.Groups["dtype"].Success && m.Groups["dtype"].Value == "float64";
            bool normal = m.Groups["fn"].Value == "randn";
            if (f64)
            {
                var d = new double[n];
                if (normal) g.FillNormal(d, 0, 1); else g.FillUniform(d, 0, 1);
                return d;
            }
            var f = new float[n];
            if (normal) g.FillNormal(f, 0, 1); else g.FillUniform(f, 0, 1);
            return f;
        }
        if ((m = ReferenceCallGrammar.RandInt().Match(call)).Success)
        {
            var r = new long[int.Parse(m.Groups["n"].Value)];
            g.FillRandomRange(r, long.Parse(m.Groups["lo"].Value), long.Parse(m.Groups["hi"].Value));
            return r;
        }
        if ((m = ReferenceCallGrammar.RandPerm().Match(call)).Success)
            return g.RandPerm(long.Parse(m.Groups["n"].Value));
        if ((m = ReferenceCallGrammar.Sample().Match(call)).Success)
        {
            var f = new float[int.Parse(m.Groups["n"].Value)];
            double a = double.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
            double b = double.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["fn"].Value == "uniform_") g.FillUniform(f, a, b); else g.FillNormal(f, a, b);
            return f;
        }
        if ((m = ReferenceCallGrammar.Linear().Match(call)).Success)
        {
            int fanIn = int.Parse(m.Groups["in"].Value), fanOut = int.Parse(m.Groups["out"].Value);
            // nn.Linear.reset_parameters: kaiming_uniform_(weight, a=sqrt(5)), then bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
            double gain = Math.Sqrt(2.0 / (1 + Math.Pow(Math.Sqrt(5), 2)));
            double weightBound = Math.Sqrt(3.0) * (gain / Math.Sqrt(fanIn));
            var weight = new float[fanIn * fanOut];
            g.FillUniform(weight, -weightBound, weightBound);
            if (m.Groups["param"].Value == "weight") return weight;
            double biasBound = 1 / Math.Sqrt(fanIn);
            var bias = new float[fanOut];
            g.FillUniform(bias, -biasBound, biasBound);
            return bias;
        }
        throw new NotSupportedException($"reference call not understood: {call}");
    }
}
