using Notebooks.Tensors.Printing;

namespace Notebooks.Tensors.Tests.Printing;

/// <summary>Resets the global print options around every test (they are process-wide, like PyTorch's PRINT_OPTS).</summary>
[NonParallelizable]
public abstract class PrinterTestBase
{
    [SetUp]
    [TearDown]
    public void ResetOptions()
    {
        PrintOptions.Current = PrintOptions.Default;
        PrintOptions.DefaultFloatDTypeName = "float32";
    }

    internal static string Repr(IPrintSource source, PrintSuffixes? suffixes = null) =>
        TensorPrinter.Repr(source, suffixes ?? PrintSuffixes.None);

    internal static long[] S(params long[] shape) => shape;

    internal static readonly PrintSuffixes RequiresGrad = new(RequiresGrad: true);

    internal static PrintSuffixes GradFn(string name) => new(GradFnName: name);
}
