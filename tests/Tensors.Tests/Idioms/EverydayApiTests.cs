using Notebooks.Tensors.Tests.Core;
using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Idioms;

/// <summary>The everyday API of public tutorials (issue 15 item 4) and the fidelity slips of item 6.</summary>
public class EverydayApiTests : CoreTestBase
{
    [Test]
    public void New_factories_keep_dtype_and_device()
    {
        var x = torch.ones(2, dtype: torch.float64);
        Assert.That(Repr(x.new_ones(2, 2)), Is.EqualTo("tensor([[1., 1.],\n        [1., 1.]], dtype=torch.float64)"));
        Assert.That(Repr(x.new_zeros((1, 2))), Is.EqualTo("tensor([[0., 0.]], dtype=torch.float64)"));
        Assert.That(Repr(x.new_full([2], 7)), Is.EqualTo("tensor([7., 7.], dtype=torch.float64)"));
        Assert.That(x.new_empty(3).dtype, Is.EqualTo(torch.float64));
        Assert.That(Repr(x.new_tensor(new[] { 1, 2 })), Is.EqualTo("tensor([1., 2.], dtype=torch.float64)"));
        Assert.That(Repr(torch.ones(1, dtype: torch.int32).new_ones([2], dtype: torch.int64)), Is.EqualTo("tensor([1, 1])"));
    }

    [Test]
    public void Shapes_as_tuples_and_meshgrid()
    {
        Assert.That(torch.ones((2, 3)).shape, Is.EqualTo(new Size(2, 3)));
        Assert.That(torch.zeros((2, 3, 4)).shape, Is.EqualTo(new Size(2, 3, 4)));
        Assert.That(torch.arange(6).view((3, -1)).shape, Is.EqualTo(new Size(3, 2)));
        Assert.That(torch.arange(6).reshape((-1, 3)).shape, Is.EqualTo(new Size(2, 3)));
        var (gx, gy) = (torch.meshgrid(torch.tensor(new[] { 1, 2, 3 }), torch.tensor(new[] { 4, 5 }), indexing: "ij")) switch { var g => (g[0], g[1]) };
        Assert.That(Repr(gx), Is.EqualTo("tensor([[1, 1],\n        [2, 2],\n        [3, 3]])"));
        Assert.That(Repr(gy), Is.EqualTo("tensor([[4, 5],\n        [4, 5],\n        [4, 5]])"));
        var xy = torch.meshgrid(torch.tensor(new[] { 1, 2, 3 }), torch.tensor(new[] { 4, 5 }), indexing: "xy");
        Assert.That(Repr(xy[0]), Is.EqualTo("tensor([[1, 2, 3],\n        [1, 2, 3]])"));
        Assert.That(Repr(xy[1]), Is.EqualTo("tensor([[4, 4, 4],\n        [5, 5, 5]])"));
        Assert.That(Error(() => torch.meshgrid([torch.ones(2)], "ji")), Is.EqualTo("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ji"));
    }

    [Test]
    public void Legacy_spellings_and_backends()
    {
        Assert.That(torch.backends.mps.is_available(), Is.False);
        var t = torch.tensor(new[] { 1.0, 2.0 });
        var v = torch.autograd.Variable(t, requires_grad: true);
        Assert.That(v.requires_grad && v.is_leaf && !t.requires_grad, Is.True);
        Assert.That(v.data_ptr(), Is.EqualTo(t.data_ptr()), "Variable shares the data");
        // torch.Tensor(data) is new Tensor(data) in C#: a float32 copy.
        Assert.That(Repr(new Tensor(new[] { 1, 2 })), Is.EqualTo("tensor([1., 2.])"));
        Assert.That(new Tensor(2L, 3L).shape, Is.EqualTo(new Size(2, 3)));
    }

    [Test]
    public void From_numpy_and_numpy_share_memory()
    {
        var a = new[] { 1.0, 2.0, 3.0 };
        var t = torch.from_numpy(a);
        t.mul_(2);
        Assert.That(a, Is.EqualTo(new[] { 2.0, 4.0, 6.0 }));
        var m = torch.zeros(2, 3);
        var mem = m[1].numpy<float>();
        mem.Span[2] = 5f;
        Assert.That(Repr(m), Is.EqualTo("tensor([[0., 0., 0.],\n        [0., 0., 5.]])"));
        m[0, 0] = torch.tensor(9f);
        Assert.That(m.numpy<float>().Span[0], Is.EqualTo(9f));
        // torch/csrc/utils/tensor_numpy.cpp wording.
        Assert.That(Error(() => torch.ones(2, requires_grad: true).numpy<float>()),
            Is.EqualTo("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."));
    }

    [Test]
    public void Sequential_items_expose_weight_and_bias_without_a_cast()
    {
        torch.manual_seed(0);
        var model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1, bias: false));
        Assert.That(model[0].weight.shape, Is.EqualTo(new Size(3, 2)));
        Assert.That(model[0].bias!.shape, Is.EqualTo(new Size(3)));
        Assert.That(model[2].bias, Is.Null);
        Assert.That(model[0].weight, Is.SameAs(((nn.Linear)model[0]).weight));
        Assert.That(Error(() => _ = model[1].weight), Is.EqualTo("'ReLU' object has no attribute 'weight'"));
    }

    // Module.__getattr__ (torch/nn/modules/module.py) finds _parameters then _buffers, else raises
    // AttributeError("'{type(self).__name__}' object has no attribute '{name}'").
    [Test]
    public void Every_layer_with_a_weight_exposes_it_through_the_module_type()
    {
        torch.manual_seed(0);
        var model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.GroupNorm(1, 2), new nn.BatchNorm2d(2),
            new nn.Conv1d(2, 2, 1, bias: false), new nn.LSTM(2, 3), new nn.Flatten());
        Assert.That(model[0].weight, Is.SameAs(((nn.Conv2d)model[0]).weight));
        Assert.That(model[0].bias!.shape, Is.EqualTo(new Size(2)));
        Assert.That(model[1].weight, Is.SameAs(((nn.GroupNorm)model[1]).weight));
        Assert.That(model[2].bias, Is.SameAs(((nn.BatchNorm2d)model[2]).bias));
        Assert.That(model[3].bias, Is.Null);
        // A buffer answers too, as __getattr__ looks there after the parameters.
        Assert.That(((nn.BatchNorm2d)model[2]).running_mean, Is.Not.Null);
        // nn.LSTM has weight_ih_l0..., no `weight`; its `bias` is the bool it was built with.
        Assert.That(Error(() => _ = model[4].weight), Is.EqualTo("'LSTM' object has no attribute 'weight'"));
        Assert.That(((nn.LSTM)model[4]).bias, Is.True);
        Assert.That(Error(() => _ = model[4].bias), Does.Contain("'bias' is a Boolean, not a Tensor"));
        Assert.That(Error(() => _ = model[5].bias), Is.EqualTo("'Flatten' object has no attribute 'bias'"));
        // Assigning through the base type replaces the same registered parameter.
        var w = nn.Parameter(torch.zeros(2, 1, 3, 3));
        model[0].weight = w;
        Assert.That(((nn.Conv2d)model[0]).weight, Is.SameAs(w));
    }

    [Test]
    public void Next_functions_are_pairs_printed_as_python_prints_them()
    {
        var x = torch.ones(2, requires_grad: true);
        var y = (x * 2).sum();
        var mul = y.grad_fn!.next_functions[0][0]!;
        Assert.That(mul.name(), Is.EqualTo("MulBackward0"));
        Assert.That(mul.next_functions[0][0]!.name(), Is.EqualTo("AccumulateGrad"));
        Assert.That(mul.next_functions[1].ToString(), Is.EqualTo("(None, 0)"));
        Assert.That(mul.next_functions.ToString(), Does.Match(@"^\(\(<AccumulateGrad object at 0x[0-9a-f]+>, 0\), \(None, 0\)\)$"));
        Assert.That(y.grad_fn!.next_functions.ToString(), Does.Match(@"^\(\(<MulBackward0 object at 0x[0-9a-f]+>, 0\),\)$"));
    }

    // torch/nn/functional.py mse_loss: broadcast_tensors returns same-shaped operands unchanged (expand_outplace).
    [Test]
    public void Mse_loss_graph_goes_straight_to_the_producer()
    {
        var w = torch.ones(3, requires_grad: true);
        var loss = F.mse_loss(w * 2, torch.zeros(3));
        Assert.That(loss.grad_fn!.name(), Is.EqualTo("MseLossBackward0"));
        Assert.That(loss.grad_fn.next_functions[0][0]!.name(), Is.EqualTo("MulBackward0"));
        // Different shapes still broadcast through an expand.
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("ignore");
            var b = F.mse_loss(torch.ones(3, 1, requires_grad: true) * 1, torch.zeros(3));
            Assert.That(b.grad_fn!.next_functions[0][0]!.name(), Is.EqualTo("ExpandBackward0"));
        }
    }
}
