using System.Globalization;
using System.Text.Json;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Tensors.Tests.Optim;

/// <summary>
/// Optimizer trajectories against torch_optim.json (tests/Tensors.Tests/Reference) (recorded with PyTorch): nn.Linear(3, 1) with
/// fixed weights, mse loss on 4 samples, 8 steps; the loss before each step and the parameters after it.
/// Every case must match bit for bit: sums follow ATen's reduction order (AtenSumOrder), add/sub with alpha round
/// once (ATen's fmadd), and addcdiv_ rounds value·(t1/t2) + self once (PointwiseOpsKernel.cpp's addcdiv_cpu_kernel
/// as libtorch 2.10 computes it: the older <c>self + value * t1 / t2</c>, multiply first and two roundings, misses
/// the bias at step 1 and 10 AdamW values). The reference was recorded through libtorch's C++ API, whose Adam moves
/// the first moment by mul_/add_ rather than Python's lerp_ (torch/csrc/api/src/optim/adam.cpp): with lerp_, Adam's
/// weight[2] after step 8 and AdamW's weight[0] after steps 7 and 8 come out one ulp off, so Adam runs in its
/// CppFrontend form here; OptimizerBehaviourTests pins the Python form's lerp_ separately.
/// </summary>
public class OptimReferenceTests
{
    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(ReferenceData.File("torch_optim.json")));

    public static IEnumerable<string> Cases() =>
        ["SGD(lr=0.1)", "SGD(lr=0.05, momentum=0.9)", "SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)", "Adam(lr=0.01)", "AdamW(lr=0.01, weight_decay=0.1)"];

    private static optim.Optimizer Make(string spec, IEnumerable<Tensor> ps) => spec switch
    {
        "SGD(lr=0.1)" => new optim.SGD(ps, lr: 0.1),
        "SGD(lr=0.05, momentum=0.9)" => new optim.SGD(ps, lr: 0.05, momentum: 0.9),
        "SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)" => new optim.SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 0.01),
        "Adam(lr=0.01)" => new optim.Adam(ps, lr: 0.01) { CppFrontend = true },
        "AdamW(lr=0.01, weight_decay=0.1)" => new optim.AdamW(ps, lr: 0.01, weight_decay: 0.1) { CppFrontend = true },
        _ => throw new ArgumentException(spec),
    };

    private static float P(JsonElement e) => float.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static int Ulps(float a, float b) => Math.Abs(BitConverter.SingleToInt32Bits(a) - BitConverter.SingleToInt32Bits(b));

    /// <summary>Equal to the float bit.</summary>
    private static void Same(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < actual.Length; i++)
            Assert.That(Ulps(actual[i], expected[i]), Is.Zero, $"{what}[{i}]: {actual[i]:R} vs libtorch {expected[i]:R} ({Ulps(actual[i], expected[i])} ulps)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Trajectory_matches_pytorch(string spec)
    {
        using var doc = Load();
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("optimizer").GetString() == spec);
        var model = new nn.Linear(3, 1);
        using (torch.no_grad())
        {
            model.weight.copy_(torch.tensor(new[] { new[] { 0.1f, -0.2f, 0.3f } }));
            model.bias!.copy_(torch.tensor(new[] { 0.05f }));
        }
        var X = torch.tensor(new[] { 0.5f, -1, 2, 1.5f, 0, -0.5f, -2, 1, 0.25f, 3, -1.5f, 0.75f }).reshape(4, 3);
        var Y = torch.tensor(new[] { 1f, -2, 0.5f, 3 });
        var opt = Make(spec, model.parameters());
        int step = 0;
        foreach (var s in c.GetProperty("steps").EnumerateArray())
        {
            step++;
            opt.zero_grad();
            var loss = F.mse_loss(model.call(X).reshape(-1), Y);
            loss.backward();
            opt.step();
            Assert.Multiple(() =>
            {
                Same([loss.item<float>()], [P(s.GetProperty("loss"))], $"loss at step {step}");
                Same(model.weight.detach().reshape(-1).ToArray<float>(), s.GetProperty("weight").EnumerateArray().Select(P).ToArray(), $"weight after step {step}");
                Same(model.bias!.detach().ToArray<float>(), s.GetProperty("bias").EnumerateArray().Select(P).ToArray(), $"bias after step {step}");
            });
        }
    }
}
