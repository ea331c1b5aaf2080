using Notebooks.Formatters.Modules;
using Module = Notebooks.Tensors.torch.nn.Module;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>
    /// torchinfo's <c>summary</c>: the model's layers with their parameter counts and, given an example
    /// <paramref name="input"/> (or an <paramref name="input_size"/>, filled from <c>torch.randn</c>), each layer's
    /// output shape, recorded by running the model once in eval mode under <c>no_grad</c> (training flags are restored
    /// afterwards; an <paramref name="input_size"/> input is made on the device of the model's first parameter and
    /// draws from the global generator). A forward hook on every module records its output shape, so submodules
    /// called inside a custom forward get theirs too; the card says which modules the forward never called.
    /// </summary>
    public static ModuleSummary summary(Module model, Tensor? input = null, long[]? input_size = null)
    {
        if (input is null && input_size is not null)
            input = torch.randn(input_size, device: model.parameters().FirstOrDefault()?.device);
        return new ModuleSummary(model, input);
    }
}
