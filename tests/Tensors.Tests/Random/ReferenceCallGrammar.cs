using System.Text.RegularExpressions;

namespace Notebooks.Tensors.Tests.Random;

/// <summary>
/// The call strings of Reference/torch_rng.json ("randn(17)", "empty(5).uniform_(-2, 3)" …), parsed once
/// for both harnesses: the Generator-level one (TorchReference) and the tensor-API one (TensorApiRngReferenceTests).
/// </summary>
public static partial class ReferenceCallGrammar
{
    [GeneratedRegex(@"^(?<fn>rand|randn)\((?<sizes>[\d,\s]+?)(,\s*dtype=(?<dtype>\w+))?\)$")]
    public static partial Regex Factory();

    [GeneratedRegex(@"^randint\((?<lo>-?\d+),\s*(?<hi>-?\d+),\s*\((?<n>\d+),\)\)$")]
    public static partial Regex RandInt();

    [GeneratedRegex(@"^randperm\((?<n>\d+)\)$")]
    public static partial Regex RandPerm();

    [GeneratedRegex(@"^empty\((?<n>\d+)\)\.(?<fn>uniform_|normal_)\((?<a>-?[\d.]+),\s*(?<b>-?[\d.]+)\)$")]
    public static partial Regex Sample();

    [GeneratedRegex(@"^nn\.Linear\((?<in>\d+),\s*(?<out>\d+)\)\.(?<param>weight|bias)$")]
    public static partial Regex Linear();
}
