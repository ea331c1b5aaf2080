using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// nn.RNN / LSTM / GRU / LSTMCell / GRUCell against libtorch 2.10 (Reference/torch_layers.json, seeds 0 and 42): the
/// initial weights bit for bit (same seed, PyTorch's draw order), then outputs, final states and gradients of
/// loss = Σ y·G (+ Σ h_n·G_h + Σ c_n·G_c). Each case's "python" lines say what was drawn and called.
/// </summary>
public class RecurrentReferenceTests
{
    private static JsonElement Case(long seed, string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_layers.json")));
        return doc.RootElement.GetProperty($"seed {seed}").GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static double[] Values(JsonElement t, bool f64) => t.GetProperty("values").EnumerateArray()
        .Select(v => f64 ? double.Parse(v.GetString()!, CultureInfo.InvariantCulture) : (double)float.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToArray();

    private static long[] Shape(JsonElement t) => t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    private static double[] Flat(Tensor t) => t.dtype == DType.Float64
        ? t.detach().contiguous().reshape(-1).ToArray<double>()
        : t.detach().contiguous().reshape(-1).ToArray<float>().Select(v => (double)v).ToArray();

    /// <summary>
    /// How far apart two tensors are, in units in the last place of the reference's dtype (0 = bit for bit), and
    /// the largest absolute difference.
    /// </summary>
    private static (long ulps, double abs) Distance(double[] ours, double[] theirs, bool f64)
    {
        long worst = 0; double abs = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            long u = f64
                ? Math.Abs(BitConverter.DoubleToInt64Bits(ours[i]) - BitConverter.DoubleToInt64Bits(theirs[i]))
                : Math.Abs((long)BitConverter.SingleToInt32Bits((float)ours[i]) - BitConverter.SingleToInt32Bits((float)theirs[i]));
            if (Math.Sign(ours[i]) != Math.Sign(theirs[i]) && ours[i] != 0 && theirs[i] != 0) u = long.MaxValue;
            worst = Math.Max(worst, u);
            abs = Math.Max(abs, Math.Abs(ours[i] - theirs[i]));
        }
        return (worst, abs);
    }

    private static nn.Module Build(string call) => call switch
    {
        "nn.RNN(4, 5)" => new nn.RNN(4, 5),
        "nn.RNN(4, 5, num_layers=2, batch_first=True)" => new nn.RNN(4, 5, num_layers: 2, batch_first: true),
        "nn.LSTM(4, 5)" => new nn.LSTM(4, 5),
        "nn.LSTM(3, 4, num_layers=2, batch_first=True)" => new nn.LSTM(3, 4, num_layers: 2, batch_first: true),
        "nn.LSTM(4, 5, bidirectional=True)" => new nn.LSTM(4, 5, bidirectional: true),
        "nn.LSTM(4, 5).double()" => new nn.LSTM(4, 5).@double(),
        "nn.GRU(4, 5)" => new nn.GRU(4, 5),
        "nn.LSTMCell(4, 5)" => new nn.LSTMCell(4, 5),
        "nn.GRUCell(4, 5)" => new nn.GRUCell(4, 5),
        _ => throw new ArgumentException(call),
    };

    /// <summary>Runs a case as its python lines do and returns (name, ours, theirs) for every recorded tensor.</summary>
    private static List<(string what, double[] ours, double[] theirs)> Run(long seed, string name)
    {
        var c = Case(seed, name);
        bool f64 = c.GetProperty("dtype").GetString() == "float64";
        var dtype = f64 ? DType.Float64 : DType.Float32;
        torch.manual_seed(seed);
        var m = Build(c.GetProperty("call").GetString()!);
        var pairs = new List<(string, double[], double[])>();
        var named = m.named_parameters().ToDictionary(p => p.name, p => p.param);
        Assert.That(named.Keys, Is.EqualTo(c.GetProperty("params").EnumerateObject().Select(p => p.Name)), "parameter names and order");
        foreach (var p in c.GetProperty("params").EnumerateObject())
            pairs.Add(("param " + p.Name, Flat(named[p.Name]), Values(p.Value, f64)));

        // Draw every randn in the order the python lines list them (x first).
        var drawn = new Dictionary<string, Tensor>();
        foreach (var line in c.GetProperty("python").EnumerateArray().Select(l => l.GetString()!))
        {
            var match = Regex.Match(line, @"^(\w+) = torch\.randn\(");
            if (!match.Success) continue;
            var v = match.Groups[1].Value;
            var shape = v == "x" ? Shape(c.GetProperty("input")) : Shape(c.GetProperty(v));
            drawn[v] = torch.randn(shape, dtype: dtype, requires_grad: line.Contains("requires_grad=True"));
        }
        var x = drawn["x"];
        pairs.Add(("input", Flat(x), Values(c.GetProperty("input"), f64)));

        Tensor loss;
        var outputs = new Dictionary<string, Tensor>();
        switch (m)
        {
            case nn.LSTM lstm:
            {
                var (y, (h_n, c_n)) = lstm.call(x);
                outputs["output"] = y; outputs["h_n"] = h_n; outputs["c_n"] = c_n;
                loss = (y * drawn["G"]).sum() + (h_n * drawn["G_h"]).sum() + (c_n * drawn["G_c"]).sum();
                break;
            }
            case nn.RNN rnn:
            {
                var (y, h_n) = drawn.TryGetValue("h0", out var h0) ? rnn.call(x, h0) : rnn.call(x);
                outputs["output"] = y; outputs["h_n"] = h_n;
                loss = (y * drawn["G"]).sum() + (h_n * drawn["G_h"]).sum();
                break;
            }
            case nn.GRU gru:
            {
                var (y, h_n) = drawn.TryGetValue("h0", out var h0) ? gru.call(x, h0) : gru.call(x);
                outputs["output"] = y; outputs["h_n"] = h_n;
                loss = (y * drawn["G"]).sum() + (h_n * drawn["G_h"]).sum();
                break;
            }
            case nn.LSTMCell cell:
            {
                var (h1, c1) = cell.call(x, (drawn["h0"], drawn["c0"]));
                outputs["h1"] = h1; outputs["c1"] = c1;
                loss = (h1 * drawn["G_h"]).sum() + (c1 * drawn["G_c"]).sum();
                break;
            }
            case nn.GRUCell cell:
            {
                var h1 = cell.call(x, drawn["h0"]);
                outputs["h1"] = h1;
                loss = (h1 * drawn["G"]).sum();
                break;
            }
            default: throw new ArgumentException(name);
        }
        loss.backward();
        foreach (var (k, t) in outputs)
        {
            Assert.That(t.shape.ToArray(), Is.EqualTo(Shape(c.GetProperty(k))), k + " shape");
            pairs.Add((k, Flat(t), Values(c.GetProperty(k), f64)));
        }
        foreach (var g in c.GetProperty("grad").EnumerateObject())
        {
            var t = g.Name == "input" ? x : drawn.TryGetValue(g.Name, out var d) ? d : named[g.Name];
            pairs.Add(("grad " + g.Name, Flat(t.grad!), Values(g.Value, f64)));
        }
        return pairs;
    }

    private static readonly string[] Cases =
        ["rnn_tanh", "rnn_2layers_batch_first", "lstm", "lstm_2layers_batch_first", "lstm_bidirectional", "lstm_float64", "gru", "gru_with_h0", "lstmcell", "grucell"];

    /// <summary>
    /// Initial weights and the drawn input: bit for bit. Outputs and gradients: within 2e-6 (float32) / 1e-15
    /// (float64) absolute, not bit for bit, because libtorch computes them in another order or with other functions:
    /// its float32 LSTM runs oneDNN's fused kernel (gate biases pre-summed, its own exp/tanh), its matrix products are
    /// MKL's (another summation order with FMA, even for these 4- and 5-long dot products), and its vectorised
    /// tanh/sigmoid are Sleef's (within 1 ulp, not always glibc's rounding, which .NET's MathF/Math call). Observed
    /// worst cases: 9.5e-7 (float32 gradients of magnitude ~1-5, i.e. a few ulps) and 4.4e-16 (float64).
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void Matches_libtorch(string name)
    {
        foreach (var seed in new[] { 0L, 42L })
        {
            bool f64 = name.EndsWith("float64");
            double tol = f64 ? 1e-15 : 2e-6;
            Assert.Multiple(() =>
            {
                foreach (var (what, ours, theirs) in Run(seed, name))
                {
                    Assert.That(ours.Length, Is.EqualTo(theirs.Length), $"seed {seed} {what} length");
                    var (ulps, abs) = Distance(ours, theirs, f64);
                    if (what.StartsWith("param") || what == "input")
                        Assert.That(ulps, Is.Zero, $"seed {seed} {what} must be bit for bit");
                    else
                        Assert.That(abs, Is.LessThanOrEqualTo(tol), $"seed {seed} {what}: {ulps} ulp apart");
                }
            });
        }
    }

    [Test, Explicit("diagnostic: prints how far each value is from libtorch's")]
    public void Print_distances()
    {
        foreach (var seed in new[] { 0L, 42L })
            foreach (var name in Cases)
            {
                bool f64 = name.EndsWith("float64");
                foreach (var (what, ours, theirs) in Run(seed, name))
                {
                    var (u, a) = Distance(ours, theirs, f64);
                    TestContext.Out.WriteLine($"seed {seed} {name,-26} {what,-28} {u,4} ulp  {a:E2}");
                }
            }
    }
}
