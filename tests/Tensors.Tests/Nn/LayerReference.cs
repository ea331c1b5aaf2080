using System.Globalization;
using System.Text.Json;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>
/// One case of Reference/torch_layers.json (libtorch 2.10; its "about" says how each was made) and the standard run
/// its "python" lines describe: manual_seed, construct, x = randn(input_shape), G = randn(output shape), y = m(x),
/// (y * G).sum().backward().
/// </summary>
internal sealed class LayerReference
{
    private static JsonDocument? _doc;
    public JsonElement Case { get; }
    public long Seed { get; }

    private LayerReference(JsonElement c, long seed) { Case = c; Seed = seed; }

    public static LayerReference Get(long seed, string name)
    {
        _doc ??= JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_layers.json")));
        var c = _doc.RootElement.GetProperty($"seed {seed}").GetProperty("cases").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name);
        return new LayerReference(c, seed);
    }

    public DType DType => Case.GetProperty("dtype").GetString() == "float64" ? torch.float64 : torch.float32;

    public JsonElement this[string path]
    {
        get
        {
            var e = Case;
            foreach (var part in path.Split('/')) e = e.GetProperty(part);
            return e;
        }
    }

    public bool Has(string key) => Case.TryGetProperty(key, out _);

    public static long[] Shape(JsonElement t) => t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    public long[] Shape(string path) => Shape(this[path]);

    public static double[] Values(JsonElement t) => t.GetProperty("values").EnumerateArray()
        .Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The reference tensor at <paramref name="path"/> as float32 (parsed to float, as the file's about says) or float64.</summary>
    public Tensor Tensor(string path, DType? dtype = null)
    {
        var t = this[path];
        var dt = dtype ?? DType;
        var v = Values(t);
        var r = dt == torch.float64 ? torch.tensor(v, dtype: torch.float64) : dt == torch.int64 ? torch.tensor(v.Select(x => (long)x).ToArray())
            : torch.tensor(v.Select(x => (float)x).ToArray());
        return r.reshape(Shape(t));
    }

    /// <summary>Bit-equal (including the sign of zero), element by element.</summary>
    public static void AssertExact(Tensor actual, Tensor expected, string what)
    {
        Assert.That(actual.shape, Is.EqualTo(expected.shape), what + ": shape");
        var a = actual.detach().to(torch.float64).reshape(-1).ToArray<double>();
        var e = expected.to(torch.float64).reshape(-1).ToArray<double>();
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(e[i]))
                Assert.Fail($"{what}[{i}]: {a[i]:R} != libtorch's {e[i]:R}");
    }

    /// <summary>|a - e| ≤ atol + rtol·|e| for every element; reports the worst element.</summary>
    public static void AssertClose(Tensor actual, Tensor expected, string what, double rtol, double atol)
    {
        Assert.That(actual.shape, Is.EqualTo(expected.shape), what + ": shape");
        var a = actual.detach().to(torch.float64).reshape(-1).ToArray<double>();
        var e = expected.to(torch.float64).reshape(-1).ToArray<double>();
        for (int i = 0; i < a.Length; i++)
            if (!(Math.Abs(a[i] - e[i]) <= atol + rtol * Math.Abs(e[i])))
                Assert.Fail($"{what}[{i}]: {a[i]:R} vs libtorch's {e[i]:R} (rtol {rtol}, atol {atol})");
    }

    /// <summary>
    /// The standard run: construct under the seed, draw x and G, forward, backward of (y·G).sum(); checks the initial
    /// parameters and the draws bit for bit, the output and gradients within (rtol, atol) — exactly when both are 0.
    /// </summary>
    public (nn.Module? module, Tensor x, Tensor y) Run(Func<nn.Module?> make, Func<nn.Module?, Tensor, Tensor> forward, double rtol = 0, double atol = 0)
    {
        torch.manual_seed(Seed);
        var m = make();
        if (m is not null && Has("params"))
            foreach (var p in this["params"].EnumerateObject())
                AssertExact(Param(m, p.Name), Tensor("params/" + p.Name), "initial " + p.Name);
        var x = torch.randn(Shape("input"), dtype: DType, requires_grad: true);
        AssertExact(x, Tensor("input"), "input x");
        var g = torch.randn(Shape("output"), dtype: DType);
        AssertExact(g, Tensor("G"), "G");
        var y = forward(m, x);
        Check(y, "output", rtol, atol);
        (y * g).sum().backward();
        Check(x.grad!, "grad/input", rtol, atol);
        if (m is not null)
            foreach (var p in this["grad"].EnumerateObject().Where(p => p.Name != "input"))
                Check(Param(m, p.Name).grad!, "grad/" + p.Name, rtol, atol);
        return (m, x, y);
    }

    public static Tensor Param(nn.Module m, string name) => m.named_parameters().Single(p => p.name == name).param;

    public void Check(Tensor actual, string path, double rtol, double atol)
    {
        if (rtol == 0 && atol == 0) AssertExact(actual, Tensor(path), path);
        else AssertClose(actual, Tensor(path), path, rtol, atol);
    }
}
