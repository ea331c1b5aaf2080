using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Nn;

/// <summary>Module hooks as PyTorch runs them from <c>Module.__call__</c>; expected values worked out by hand.</summary>
public class ModuleHookTests
{
    /// <summary>y = x·[2, -1]ᵀ + 0.5.</summary>
    private static nn.Linear Fixed()
    {
        var lin = new nn.Linear(2, 1);
        using (torch.no_grad())
        {
            lin.weight.copy_(torch.tensor(new[] { new[] { 2f, -1f } }));
            lin.bias!.copy_(torch.tensor(new[] { 0.5f }));
        }
        return lin;
    }

    private static Tensor X(bool requiresGrad = false) =>
        torch.tensor(new[] { new[] { 1f, 2f }, new[] { 3f, 4f } }).requires_grad_(requiresGrad);

    private static float[] Values(Tensor t) => t.detach().ToArray<float>();

    private sealed class Net : nn.Module
    {
        public nn.Linear fc1 = new(2, 3);
        public nn.ReLU act = new();
        public nn.Linear fc2 = new(3, 1);
        public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
    }

    [Test]
    public void Forward_hooks_see_module_inputs_and_output_and_run_only_through_call()
    {
        var lin = Fixed();
        var x = X();
        var log = new List<string>();
        lin.register_forward_pre_hook((m, args) => log.Add($"pre {ReferenceEquals(m, lin)} {args.Length} {string.Join(",", Values(args[0]))}"));
        lin.register_forward_hook((m, args, y) => log.Add($"fwd {ReferenceEquals(m, lin)} {ReferenceEquals(args[0], x)} {string.Join(",", Values(y))}"));

        var direct = lin.forward(x);
        Assert.That(log, Is.Empty, "forward() called directly runs no hooks");
        var called = lin.call(x);
        Assert.That(Values(called), Is.EqualTo(new[] { 0.5f, 2.5f }));
        Assert.That(Values(direct), Is.EqualTo(Values(called)));
        Assert.That(log, Is.EqualTo(new[] { "pre True 1 1,2,3,4", "fwd True True 0.5,2.5" }));
    }

    [Test]
    public void Hooks_can_replace_the_input_and_the_output()
    {
        var lin = Fixed();
        lin.register_forward_pre_hook((m, args) => [args[0] * 2]);
        lin.register_forward_hook((m, args, y) =>
        {
            // The forward hook sees the replaced input.
            Assert.That(Values(args[0]), Is.EqualTo(new[] { 2f, 4f, 6f, 8f }));
            return y + 1;
        });
        // x·2 = [[2,4],[6,8]] → [0.5, 4.5], then + 1.
        Assert.That(Values(lin.call(X())), Is.EqualTo(new[] { 1.5f, 5.5f }));
    }

    [Test]
    public void Remove_and_dispose_unregister_and_restore_the_hook_free_path()
    {
        var lin = Fixed();
        int pre = 0, fwd = 0;
        var h1 = lin.register_forward_pre_hook((m, a) => { pre++; });
        var h2 = lin.register_forward_hook((m, a, y) => y * 10);
        Assert.That(h2.id, Is.GreaterThan(h1.id));
        Assert.That(lin._forward_hooks.Keys, Is.EqualTo(new[] { h2.id }));
        Assert.That(lin._forward_pre_hooks.Keys, Is.EqualTo(new[] { h1.id }));
        Assert.That(Values(lin.call(X())), Is.EqualTo(new[] { 5f, 25f }));
        h2.remove();
        h2.remove();
        Assert.That(Values(lin.call(X())), Is.EqualTo(new[] { 0.5f, 2.5f }));
        Assert.That(pre, Is.EqualTo(2));
        using (lin.register_forward_hook((m, a, y) => { fwd++; }))
            lin.call(X());
        lin.call(X());
        Assert.That(fwd, Is.EqualTo(1));
        h1.Dispose();
        lin.call(X());
        Assert.That(pre, Is.EqualTo(4));
        Assert.That(lin._hooks, Is.Null, "no hooks left: call takes its one-check path again");
    }

    [Test]
    public void Hooks_run_in_registration_order_and_prepend_goes_first()
    {
        var lin = Fixed();
        var order = new List<int>();
        lin.register_forward_hook((m, a, y) => order.Add(1));
        var two = lin.register_forward_hook((m, a, y) => order.Add(2));
        lin.register_forward_hook((m, a, y) => order.Add(3));
        lin.register_forward_hook((m, a, y) => order.Add(0), prepend: true);
        lin.register_forward_pre_hook((m, a) => order.Add(-1));
        lin.call(X());
        Assert.That(order, Is.EqualTo(new[] { -1, 0, 1, 2, 3 }));
        order.Clear();
        two.remove();
        lin.call(X());
        Assert.That(order, Is.EqualTo(new[] { -1, 0, 1, 3 }));

        // Chained replacements compose in that order: ((y + 1) * 2).
        var lin2 = Fixed();
        lin2.register_forward_hook((m, a, y) => y * 2);
        lin2.register_forward_hook((m, a, y) => y + 1, prepend: true);
        Assert.That(Values(lin2.call(X())), Is.EqualTo(new[] { 3f, 7f }));
    }

    [Test]
    public void Nested_modules_fire_inner_forward_hooks_before_the_outer_one()
    {
        var net = new Net();
        var log = new List<string>();
        foreach (var (name, m) in net.named_modules())
        {
            var n = name.Length == 0 ? "net" : name;
            m.register_forward_pre_hook((mod, a) => log.Add("pre " + n));
            m.register_forward_hook((mod, a, y) => log.Add($"fwd {n} [{string.Join(", ", y.shape)}]"));
        }
        net.call(torch.ones(5, 2));
        Assert.That(log, Is.EqualTo(new[]
        {
            "pre net", "pre fc1", "fwd fc1 [5, 3]", "pre act", "fwd act [5, 3]", "pre fc2", "fwd fc2 [5, 1]", "fwd net [5, 1]",
        }));

        // Sequential calls its children through call, so their hooks run too.
        var seq = new nn.Sequential(Fixed(), new nn.ReLU());
        var shapes = new List<string>();
        foreach (var m in seq.children()) m.register_forward_hook((mod, a, y) => shapes.Add(mod.GetType().Name + " " + string.Join(",", Values(y))));
        seq.call(X());
        Assert.That(shapes, Is.EqualTo(new[] { "Linear 0.5,2.5", "ReLU 0.5,2.5" }));
    }

    [Test]
    public void Global_forward_hooks_run_for_every_module_before_its_own()
    {
        var net = new Net();
        var log = new List<string>();
        net.fc1.register_forward_hook((m, a, y) => log.Add("own fc1"));
        var g = nn.modules.module.register_module_forward_hook((m, a, y) => log.Add("global " + m.GetType().Name));
        var gp = nn.modules.module.register_module_forward_pre_hook((m, a) => log.Add("global-pre " + m.GetType().Name));
        try
        {
            net.call(torch.ones(1, 2));
        }
        finally
        {
            g.remove();
            gp.remove();
        }
        Assert.That(log, Is.EqualTo(new[]
        {
            "global-pre Net", "global-pre Linear", "global Linear", "own fc1", "global-pre ReLU", "global ReLU",
            "global-pre Linear", "global Linear", "global Net",
        }));
        log.Clear();
        net.call(torch.ones(1, 2));
        Assert.That(log, Is.EqualTo(new[] { "own fc1" }));
    }

    [Test]
    public void Full_backward_hook_sees_grad_input_and_grad_output_and_may_replace_grad_input()
    {
        var lin = Fixed();
        var x = X(requiresGrad: true);
        var seen = new List<string>();
        lin.register_full_backward_hook((m, gi, go) =>
        {
            seen.Add($"{ReferenceEquals(m, lin)} gi={gi.Length}:{string.Join(",", Values(gi[0]!))} go={go.Length}:{string.Join(",", Values(go[0]!))}");
            return [gi[0]! * 10];
        });
        var y = lin.call(x);
        Assert.That(y.grad_fn!.name(), Is.EqualTo("BackwardHookFunctionBackward"));
        (y * torch.tensor(new[] { new[] { 1f }, new[] { 3f } })).sum().backward();
        // grad_output = [1, 3]ᵀ; grad_input = grad_output·W = [[2, -1], [6, -3]].
        Assert.That(seen, Is.EqualTo(new[] { "True gi=1:2,-1,6,-3 go=1:1,3" }));
        Assert.That(Values(x.grad!), Is.EqualTo(new[] { 20f, -10f, 60f, -30f }));
        // The parameters' gradients are not touched by the replacement: W.grad = [1, 3]·x = [10, 14].
        Assert.That(Values(lin.weight.grad!), Is.EqualTo(new[] { 10f, 14f }));
        Assert.That(Values(lin.bias!.grad!), Is.EqualTo(new[] { 4f }));
    }

    [Test]
    public void Full_backward_hook_without_input_grads_gets_none_and_nested_hooks_run_output_side_first()
    {
        var lin = Fixed();
        var seen = new List<string>();
        lin.register_full_backward_hook((m, gi, go) => seen.Add($"gi={(gi[0] is null ? "None" : "tensor")} go={string.Join(",", Values(go[0]!))}"));
        lin.call(X()).sum().backward();
        Assert.That(seen, Is.EqualTo(new[] { "gi=None go=1,1" }));

        var net = new Net();
        var order = new List<string>();
        net.fc1.register_full_backward_hook((m, gi, go) => order.Add($"fc1 gi={gi[0] is null} [{string.Join(", ", go[0]!.shape)}]"));
        net.fc2.register_full_backward_hook((m, gi, go) => order.Add($"fc2 gi=[{string.Join(", ", gi[0]!.shape)}] [{string.Join(", ", go[0]!.shape)}]"));
        net.call(torch.ones(4, 2)).sum().backward();
        Assert.That(order, Is.EqualTo(new[] { "fc2 gi=[4, 3] [4, 1]", "fc1 gi=True [4, 3]" }));

        // Removed: the next call builds no hook nodes.
        var other = Fixed();
        var h = other.register_full_backward_hook((m, gi, go) => seen.Add("again"));
        Assert.That(other.call(X(true)).grad_fn!.name(), Is.EqualTo("BackwardHookFunctionBackward"));
        h.remove();
        Assert.That(other.call(X(true)).grad_fn!.name(), Is.EqualTo("AddmmBackward0"));
    }

    [Test]
    public void Loss_modules_run_hooks_with_both_inputs()
    {
        var loss = new nn.MSELoss();
        var log = new List<string>();
        loss.register_forward_hook((m, args, y) => log.Add($"{args.Length} {y.item<float>()}"));
        var r = loss.call(torch.tensor(new[] { 1f, 2f }), torch.tensor(new[] { 0f, 0f }));
        Assert.That(r.item<float>(), Is.EqualTo(2.5f));
        Assert.That(log, Is.EqualTo(new[] { "2 2.5" }));
    }
}
