using Notebooks.Tensors.Printing;
using optim = Notebooks.Tensors.torch.optim;
using lr_scheduler = Notebooks.Tensors.torch.optim.lr_scheduler;

namespace Notebooks.Tensors.Tests.Optim;

public class OptimizerBehaviourTests
{
    /// <summary>
    /// Lesson 000's "Линейная регрессия" with optim.SGD. The lesson seeds nothing and prints no output, so this seeds
    /// 0 and checks that SGD's update gives exactly the hand-written step p.sub_(g, alpha: lr). (In PyTorch too,
    /// `p -= lr * g` can differ by one ulp: it rounds the product first, while add/sub with alpha round once.)
    /// </summary>
    [Test]
    public void Lesson000_sgd_equals_hand_written_gradient_descent()
    {
        torch.manual_seed(0);
        var x = torch.linspace(0, 1, 100);
        var yNoisy = 1.5 * x + 0.8 + 0.1 * torch.randn_like(x);

        var w = torch.tensor(0.0, requires_grad: true);
        var b = torch.tensor(0.0, requires_grad: true);
        var optimizer = new optim.SGD([w, b], lr: 0.1);
        var w2 = torch.tensor(0.0, requires_grad: true);
        var b2 = torch.tensor(0.0, requires_grad: true);
        var lines = new List<string>();
        for (int epoch = 0; epoch < 100; epoch++)
        {
            var loss = torch.mean((w * x + b - yNoisy).pow(2));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (epoch % 10 == 0) lines.Add($"Epoch {epoch}: w={PyFloatFormat.Fixed(w.item<float>(), 3)}, b={PyFloatFormat.Fixed(b.item<float>(), 3)}");

            var loss2 = torch.mean((w2 * x + b2 - yNoisy).pow(2));
            loss2.backward();
            using (torch.no_grad())
            {
                w2.sub_(w2.grad!, alpha: 0.1);
                b2.sub_(b2.grad!, alpha: 0.1);
            }
            w2.grad = null; b2.grad = null;
            Assert.That(w.item<float>(), Is.EqualTo(w2.item<float>()), $"epoch {epoch}");
            Assert.That(b.item<float>(), Is.EqualTo(b2.item<float>()), $"epoch {epoch}");
        }
        Assert.That(lines, Has.Count.EqualTo(10));
        Assert.That(lines[0], Does.StartWith("Epoch 0: w="));
        Assert.That(w.grad, Is.Not.Null);
        optimizer.zero_grad();
        Assert.That(w.grad, Is.Null);
    }

    [Test]
    public void Param_groups_hold_options_and_reject_shared_params()
    {
        var a = torch.zeros([2], requires_grad: true);
        var c = torch.zeros([2], requires_grad: true);
        var opt = new optim.SGD([new optim.ParamGroup([a]), new optim.ParamGroup([c]) { ["lr"] = 0.5 }], lr: 0.1, momentum: 0.9);
        Assert.That(opt.param_groups[0].lr, Is.EqualTo(0.1));
        Assert.That(opt.param_groups[1]["lr"], Is.EqualTo(0.5));
        Assert.That(opt.param_groups[1]["momentum"], Is.EqualTo(0.9));
        Assert.That(() => opt.add_param_group(new optim.ParamGroup([a])),
            Throws.ArgumentException.With.Message.EqualTo("some parameters appear in more than one parameter group"));
        Assert.That(() => new optim.SGD([a], lr: -1), Throws.ArgumentException.With.Message.EqualTo("Invalid learning rate: -1.0"));
        a.grad = torch.ones(2); c.grad = torch.ones(2);
        opt.step();
        Assert.That(a.ToArray<float>(), Is.EqualTo(new[] { -0.1f, -0.1f }));
        Assert.That(c.ToArray<float>(), Is.EqualTo(new[] { -0.5f, -0.5f }));
        var sd = opt.state_dict();
        Assert.That(sd.state.Keys, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(sd.param_groups[1]["params"], Is.EqualTo(new List<int> { 1 }));
        Assert.That(((Tensor)sd.state[0]["momentum_buffer"]).ToArray<float>(), Is.EqualTo(new[] { 1f, 1f }));
    }

    [Test]
    public void Schedulers_follow_pytorch_docs()
    {
        var p = torch.zeros([1], requires_grad: true);
        var opt = new optim.SGD([p], lr: 1);
        var step = new lr_scheduler.StepLR(opt, step_size: 2, gamma: 0.1);
        var seen = new List<double>();
        for (int e = 0; e < 5; e++) { seen.Add(step.get_last_lr()[0]); opt.step(); step.step(); }
        Assert.That(seen, Is.EqualTo(new[] { 1, 1, 0.1, 0.1, 0.01 }).Within(1e-15));

        var opt2 = new optim.SGD([torch.zeros([1], requires_grad: true)], lr: 1);
        var exp = new lr_scheduler.ExponentialLR(opt2, gamma: 0.5);
        exp.step(); exp.step();
        Assert.That(exp.get_last_lr()[0], Is.EqualTo(0.25));

        // Cosine annealing: η_t = η_min + (η_0 - η_min)(1 + cos(π t / T_max)) / 2 (docs' closed form).
        var opt3 = new optim.SGD([torch.zeros([1], requires_grad: true)], lr: 1);
        var cos = new lr_scheduler.CosineAnnealingLR(opt3, T_max: 4, eta_min: 0.1);
        for (int t = 0; t <= 8; t++)
        {
            Assert.That(cos.get_last_lr()[0], Is.EqualTo(0.1 + 0.9 * (1 + Math.Cos(Math.PI * t / 4)) / 2).Within(1e-12), $"t={t}");
            cos.step();
        }
    }

    [Test]
    public void Adam_first_step_moves_each_weight_by_lr()
    {
        // With bias correction, Adam's first step is lr · g/(|g| + eps·√(1-β2)/... ) ≈ lr · sign(g).
        var p = torch.tensor(new[] { 1f, -1f }, requires_grad: true);
        var opt = new optim.Adam([p], lr: 0.01);
        p.grad = torch.tensor(new[] { 3f, -0.5f });
        opt.step();
        Assert.That(p.ToArray<float>()[0], Is.EqualTo(0.99f).Within(1e-6));
        Assert.That(p.ToArray<float>()[1], Is.EqualTo(-0.99f).Within(1e-6));
        Assert.That(((Tensor)opt.state[p]["step"]).ToString(), Is.EqualTo("tensor(1.)"));
    }

    /// <summary>
    /// The first moment after two steps, element by element. Python's _single_tensor_adam does
    /// exp_avg.lerp_(grad, 1 - beta1): ATen's lerp (ATen/native/Lerp.h) is self + w·(end - self) for w &lt; 0.5, one
    /// fused multiply-add (lerp_vec's vec::fmadd; the scalar form contracted by GCC). libtorch's C++ Adam does
    /// exp_avg.mul_(beta1).add_(grad, 1 - beta1) instead: a rounded product, then add's fmadd(grad, alpha, self).
    /// The gradients are chosen so that the two forms, and an unfused lerp, disagree somewhere.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void Adam_first_moment_follows_lerp_in_python_and_mul_add_in_the_cpp_api(bool cpp)
    {
        var g1 = Enumerable.Range(1, 64).Select(i => MathF.Sin(i * 1.7f) * (1 + i / 7f)).ToArray();
        var g2 = Enumerable.Range(1, 64).Select(i => MathF.Cos(i * 0.9f) * (2 - i / 50f)).ToArray();
        var p = torch.zeros(64, requires_grad: true);
        var opt = new optim.Adam([p], lr: 0.01) { CppFrontend = cpp };
        p.grad = torch.tensor(g1);
        opt.step();
        p.grad = torch.tensor(g2);
        opt.step();
        var m = ((Tensor)opt.state[p]["exp_avg"]).ToArray<float>();

        float w = (float)(1 - 0.9), b1 = (float)0.9;
        var lerp = new float[64]; var unfused = new float[64]; var mulAdd = new float[64];
        for (int i = 0; i < 64; i++)
        {
            float m1 = MathF.FusedMultiplyAdd(w, g1[i] - 0f, 0f);
            lerp[i] = MathF.FusedMultiplyAdd(w, g2[i] - m1, m1);
            unfused[i] = m1 + w * (g2[i] - m1);
            float c1 = MathF.FusedMultiplyAdd(g1[i], w, 0f * b1);
            mulAdd[i] = MathF.FusedMultiplyAdd(g2[i], w, c1 * b1);
        }
        Assert.That(lerp, Is.Not.EqualTo(mulAdd));
        Assert.That(lerp, Is.Not.EqualTo(unfused));
        Assert.That(m, Is.EqualTo(cpp ? mulAdd : lerp));
    }
}
