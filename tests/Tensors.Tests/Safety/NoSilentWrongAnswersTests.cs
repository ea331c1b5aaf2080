using Notebooks.Tensors.Tests.Core;
using optim = Notebooks.Tensors.torch.optim;

namespace Notebooks.Tensors.Tests.Safety;

/// <summary>Inputs that used to give a silently wrong answer or a misleading message now fail in PyTorch's words.</summary>
public class NoSilentWrongAnswersTests : CoreTestBase
{
    // c10/util/TypeCast.h checked_convert: "value cannot be converted to type <T> without overflow".
    [Test]
    public void A_number_that_does_not_fit_the_dtype_is_refused()
    {
        Assert.That(Error(() => torch.full([2], double.NaN, dtype: torch.int64)), Is.EqualTo("value cannot be converted to type int64_t without overflow"));
        Assert.That(Error(() => torch.zeros(2, dtype: torch.int64).fill_(1e30)), Is.EqualTo("value cannot be converted to type int64_t without overflow"));
        Assert.That(Error(() => torch.zeros(2, dtype: torch.int32).fill_(1L << 40)), Is.EqualTo("value cannot be converted to type int32_t without overflow"));
        Assert.That(Error(() => torch.full([1], 300, dtype: torch.uint8)), Is.EqualTo("value cannot be converted to type uint8_t without overflow"));
        Assert.That(Error(() => torch.full([1], 1e300, dtype: torch.float32)), Is.EqualTo("value cannot be converted to type float without overflow"));
        Assert.That(Error(() => torch.full([1], 1e5, dtype: torch.float16)), Is.EqualTo("value cannot be converted to type c10::Half without overflow"));
        Assert.That(Error(() => torch.zeros(2, dtype: torch.int8).masked_fill(torch.tensor(new[] { true, false }), double.PositiveInfinity)),
            Is.EqualTo("value cannot be converted to type int8_t without overflow"));
        // What does fit is written: infinity and NaN into floats, -1 wraps into uint8 as C++ does, any number into bool.
        Assert.That(Repr(torch.full([2], double.NegativeInfinity)), Is.EqualTo("tensor([-inf, -inf])"));
        Assert.That(Repr(torch.zeros(1).fill_(double.NaN)), Is.EqualTo("tensor([nan])"));
        Assert.That(Repr(torch.full([1], -1, dtype: torch.uint8)), Is.EqualTo("tensor([255], dtype=torch.uint8)"));
        Assert.That(Repr(torch.full([1], 2.5, dtype: torch.@bool)), Is.EqualTo("tensor([True])"));
    }

    // torch/optim/adam.py: `if not 0.0 <= lr: raise ValueError(f"Invalid learning rate: {lr}")` refuses NaN too.
    [Test]
    public void Adam_refuses_nan_hyperparameters()
    {
        var p = new[] { torch.zeros(1, requires_grad: true) };
        Assert.That(Error(() => new optim.Adam(p, lr: double.NaN)), Is.EqualTo("Invalid learning rate: nan"));
        Assert.That(Error(() => new optim.Adam(p, eps: double.NaN)), Is.EqualTo("Invalid epsilon value: nan"));
        Assert.That(Error(() => new optim.Adam(p, betas: (double.NaN, 0.999))), Is.EqualTo("Invalid beta parameter at index 0: nan"));
        Assert.That(Error(() => new optim.Adam(p, weight_decay: double.NaN)), Is.EqualTo("Invalid weight_decay value: nan"));
        Assert.That(Error(() => new optim.RMSprop(p, lr: double.NaN)), Is.EqualTo("Invalid learning rate: nan"));
    }

    // torch/csrc/utils/tensor_new.cpp: recursive_store counts dims from the outermost list; None has no dtype.
    [Test]
    public void Ragged_and_null_rows_are_named_as_pytorch_names_them()
    {
        Assert.That(Error(() => torch.tensor(new double[][][] { [[1, 2], [3, 4]], [[5, 6], [7]] })),
            Is.EqualTo("expected sequence of length 2 at dim 2 (got 1)"));
        Assert.That(Error(() => torch.tensor(new double[][][] { [[1, 2]], [[5, 6], [7, 8]] })),
            Is.EqualTo("expected sequence of length 1 at dim 1 (got 2)"));
        Assert.That(Error(() => torch.tensor(new double[][] { [1.0], null! })), Is.EqualTo("Could not infer dtype of NoneType"));
        Assert.That(Error(() => torch.tensor(new double[][][] { [[1.0], null!] })), Is.EqualTo("Could not infer dtype of NoneType"));
    }

    [Test]
    public void Eye_masked_fill_and_requires_grad_say_what_pytorch_says()
    {
        // aten/src/ATen/native/TensorFactories.cpp, eye_out_cpu.
        Assert.That(Error(() => torch.eye(-1)), Is.EqualTo("n must be greater or equal to 0, got -1"));
        Assert.That(Error(() => torch.eye(2, -3)), Is.EqualTo("m must be greater or equal to 0, got -3"));
        // aten/src/ATen/native/TensorAdvancedIndexing.cpp, masked_fill_: the mask's ScalarType name.
        Assert.That(Error(() => torch.zeros(2).masked_fill(torch.ones(2, dtype: torch.int64), 1)),
            Is.EqualTo("masked_fill_ only supports boolean masks, but got mask with dtype Long"));
        // torch/csrc/autograd/variable.h (factories, requires_grad_) and python_variable.cpp (the property).
        Assert.That(Error(() => torch.zeros(2, dtype: torch.int64, requires_grad: true)),
            Is.EqualTo("Only Tensors of floating point and complex dtype can require gradients"));
        Assert.That(Error(() => torch.arange(3).requires_grad = true),
            Is.EqualTo("only Tensors of floating point and complex dtype can require gradients"));
    }
}
