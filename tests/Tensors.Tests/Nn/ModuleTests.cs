using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Nn;

public class ModuleTests
{
    private sealed class Net : nn.Module
    {
        public nn.Linear fc1 = new(4, 3);
        public nn.ReLU act = new();
        public nn.Linear fc2 = new(3, 2, bias: false);
        public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
    }

    [Test]
    public void Repr_matches_pytorch()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new nn.Linear(5, 3).ToString(), Is.EqualTo("Linear(in_features=5, out_features=3, bias=True)"));
            Assert.That(new nn.Linear(5, 3, bias: false).ToString(), Is.EqualTo("Linear(in_features=5, out_features=3, bias=False)"));
            Assert.That(new nn.LeakyReLU(negative_slope: 0.001).ToString(), Is.EqualTo("LeakyReLU(negative_slope=0.001)"));
            Assert.That(new nn.Sigmoid().ToString(), Is.EqualTo("Sigmoid()"));
            Assert.That(new nn.GELU().ToString(), Is.EqualTo("GELU(approximate='none')"));
            Assert.That(new nn.Dropout().ToString(), Is.EqualTo("Dropout(p=0.5, inplace=False)"));
            Assert.That(new nn.BatchNorm1d(3).ToString(), Is.EqualTo("BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"));
            Assert.That(new nn.LayerNorm(4).ToString(), Is.EqualTo("LayerNorm((4,), eps=1e-05, elementwise_affine=True)"));
            Assert.That(new nn.Softplus().ToString(), Is.EqualTo("Softplus(beta=1.0, threshold=20.0)"));
            Assert.That(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)).ToString(), Is.EqualTo(
                "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=3, out_features=1, bias=True)\n)"));
            Assert.That(new nn.ModuleList(new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.ReLU()).ToString(), Is.EqualTo(
                "ModuleList(\n  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n  (2): ReLU()\n)"));
            Assert.That(new Net().ToString(), Is.EqualTo(
                "Net(\n  (fc1): Linear(in_features=4, out_features=3, bias=True)\n  (act): ReLU()\n  (fc2): Linear(in_features=3, out_features=2, bias=False)\n)"));
        });
    }

    [Test]
    public void Parameter_prints_as_pytorch()
    {
        var p = nn.Parameter(torch.tensor(new[] { new[] { 1.5482f, -0.2852f } }));
        Assert.That(p.ToString(), Is.EqualTo("Parameter containing:\ntensor([[ 1.5482, -0.2852]], requires_grad=True)"));
        Assert.That(p.is_leaf && p.requires_grad, Is.True);
    }

    [Test]
    public void Fields_register_in_declaration_order_with_dotted_names()
    {
        var net = new Net();
        Assert.That(net.named_parameters().Select(x => x.name), Is.EqualTo(new[] { "fc1.weight", "fc1.bias", "fc2.weight" }));
        Assert.That(net.named_children().Select(x => x.name), Is.EqualTo(new[] { "fc1", "act", "fc2" }));
        Assert.That(net.modules().Count(), Is.EqualTo(4));
        Assert.That(net.state_dict().Keys, Is.EqualTo(new[] { "fc1.weight", "fc1.bias", "fc2.weight" }));
        Assert.That(net.call(torch.ones(5, 4)).shape, Is.EqualTo(torch.Size(5, 2)));
    }

    [Test]
    public void Train_eval_zero_grad_and_to()
    {
        var net = new Net();
        net.eval();
        Assert.That(net.fc1.training || net.act.training, Is.False);
        net.train();
        Assert.That(net.fc2.training, Is.True);
        net.call(torch.ones(2, 4)).sum().backward();
        Assert.That(net.fc1.weight.grad, Is.Not.Null);
        net.zero_grad(set_to_none: false);
        Assert.That(net.fc1.weight.grad!.abs().sum().item<float>(), Is.EqualTo(0f));
        net.zero_grad();
        Assert.That(net.fc1.weight.grad, Is.Null);
        var w = net.fc1.weight;
        net.to(torch.float64);
        Assert.That(ReferenceEquals(w, net.fc1.weight) && w.dtype == torch.float64, Is.True);
    }

    [Test]
    public void Load_state_dict_copies_and_reports_key_errors()
    {
        var a = new nn.Linear(3, 2);
        var b = new nn.Linear(3, 2);
        Assert.That(b.load_state_dict(a.state_dict()).ToString(), Is.EqualTo("<All keys matched successfully>"));
        Assert.That(b.weight.equal(a.weight), Is.True);
        var sd = a.state_dict();
        sd.Remove("bias");
        sd["extra"] = torch.zeros(1);
        Assert.That(() => b.load_state_dict(sd), Throws.InvalidOperationException.With.Message.EqualTo(
            "Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: \"bias\". \n\tUnexpected key(s) in state_dict: \"extra\". "));
        var c = new nn.Linear(4, 2);
        Assert.That(() => c.load_state_dict(a.state_dict()), Throws.InvalidOperationException.With.Message.Contains(
            "size mismatch for weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([2, 4])."));
    }

    [Test]
    public void Linear_forward_is_x_wT_plus_b_with_pytorch_grad_fns()
    {
        var layer = new nn.Linear(2, 2);
        using (torch.no_grad())
        {
            layer.weight.copy_(torch.tensor(new[] { new[] { 1f, 2 }, new[] { 3f, 4 } }));
            layer.bias!.copy_(torch.tensor(new[] { 0.5f, -1 }));
        }
        var y = layer.call(torch.tensor(new[] { new[] { 1f, 1 } }));
        Assert.That(y.ToString(), Is.EqualTo("tensor([[3.5000, 6.0000]], grad_fn=<AddmmBackward0>)"));
        var nobias = new nn.Linear(2, 2, bias: false);
        Assert.That(nobias.bias, Is.Null);
        Assert.That(nobias.call(torch.ones(2)).grad_fn!.name(), Is.EqualTo("SqueezeBackward4"));
        y.sum().backward();
        Assert.That(layer.weight.grad!.ToString(), Is.EqualTo("tensor([[1., 1.],\n        [1., 1.]])"));
        Assert.That(layer.bias.grad!.ToString(), Is.EqualTo("tensor([1., 1.])"));
    }

    [Test]
    public void BatchNorm_running_stats_use_momentum_and_unbiased_variance()
    {
        var bn = new nn.BatchNorm1d(1);
        var x = torch.tensor(new[] { 1f, 2, 3, 6 }).reshape(4, 1);
        var y = bn.call(x);
        // mean 3, biased var 3.5, unbiased var 14/3: running_mean = 0.1*3, running_var = 0.9 + 0.1*14/3.
        Assert.That(bn.running_mean!.item<float>(), Is.EqualTo(0.3f).Within(1e-7));
        Assert.That(bn.running_var!.item<float>(), Is.EqualTo(0.9f + 0.1f * 14f / 3f).Within(1e-6));
        Assert.That(bn.num_batches_tracked!.item<long>(), Is.EqualTo(1L));
        Assert.That(y.reshape(-1).ToArray<float>()[0], Is.EqualTo((float)(-2 / Math.Sqrt(3.5 + 1e-5))).Within(1e-6));
        Assert.That(y.grad_fn!.name(), Is.EqualTo("NativeBatchNormBackward0"));
        bn.eval();
        var z = bn.call(x);
        Assert.That(z.reshape(-1).ToArray<float>()[0], Is.EqualTo((float)((1 - 0.3) / Math.Sqrt(0.9 + 0.1 * 14.0 / 3 + 1e-5))).Within(1e-6));
    }

    [Test]
    public void Batch_and_layer_norm_gradients_match_finite_differences()
    {
        torch.manual_seed(1);
        var x = torch.randn([4, 3], dtype: torch.float64, requires_grad: true);
        var wts = torch.randn([4, 3], dtype: torch.float64);
        foreach (var f in new Func<Tensor, Tensor>[]
                 {
                     t => F.batch_norm(t, null, null, torch.tensor(new[] { 1.5, 0.5, 2 }), torch.tensor(new[] { 0.1, 0.2, 0.3 }), training: true),
                     t => F.layer_norm(t, [3], torch.tensor(new[] { 1.5, 0.5, 2 }), null),
                 })
        {
            x.grad = null;
            (f(x) * wts).sum().backward();
            var g = x.grad!.ToArray<double>();
            var xv = x.detach().ToArray<double>();
            for (int i = 0; i < xv.Length; i++)
            {
                double Eval(double d) { var c = (double[])xv.Clone(); c[i] += d; return (f(torch.tensor(c, dtype: torch.float64).reshape(4, 3)) * wts).sum().item<double>(); }
                Assert.That(g[i], Is.EqualTo((Eval(1e-6) - Eval(-1e-6)) / 2e-6).Within(1e-5));
            }
        }
    }

    /// <summary>
    /// Module.__setattr__: a registered parameter name takes an nn.Parameter or None; anything else is a TypeError
    /// naming torch.typename(value). In-place updates through the property (C# 14's instance -=) keep the Parameter.
    /// </summary>
    [Test]
    public void Assigning_a_plain_tensor_to_a_parameter_is_refused_as_in_pytorch()
    {
        var layer = new nn.Linear(3, 2);
        string Refusal(Action a) => Assert.Throws<InvalidCastException>(() => a())!.Message;
        Assert.That(Refusal(() => layer.weight = torch.zeros(2, 3)),
            Is.EqualTo("cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"));
        Assert.That(Refusal(() => layer.bias = torch.zeros(new long[] { 2 }, dtype: torch.float64)),
            Is.EqualTo("cannot assign 'torch.DoubleTensor' as parameter 'bias' (torch.nn.Parameter or None expected)"));
        Assert.That(Refusal(() => layer.weight = torch.zeros(new long[] { 2, 3 }, dtype: torch.int64)),
            Is.EqualTo("cannot assign 'torch.LongTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"));

        var w = layer.weight;
        var before = w.detach().clone();
        using (torch.no_grad()) layer.weight -= torch.ones(2, 3);
        Assert.That(ReferenceEquals(layer.weight, w), Is.True, "-= works on the Parameter itself");
        Assert.That(layer.weight.detach().ToArray<float>(), Is.EqualTo(before.ToArray<float>().Select(v => v - 1f).ToArray()));

        // Outside no_grad, Python's in-place -= on a leaf that requires grad is refused; so is it here.
        Assert.That(() => layer.weight -= torch.ones(2, 3), Throws.Exception.With.Message.EqualTo("a leaf Variable that requires grad is being used in an in-place operation."));
        // Another module's parameter minus something is just some tensor to this one.
        var other = new nn.Linear(3, 2);
        Assert.That(Refusal(() => layer.weight = other.weight - 1),
            Is.EqualTo("cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)"));

        var replacement = nn.Parameter(torch.zeros(2, 3));
        layer.weight = replacement;
        Assert.That(ReferenceEquals(layer.weight, replacement), Is.True);
        layer.bias = null;
        Assert.That(layer.bias, Is.Null);
        Assert.That(layer.named_parameters().Select(p => p.name), Is.EqualTo(new[] { "weight" }));
    }
}
