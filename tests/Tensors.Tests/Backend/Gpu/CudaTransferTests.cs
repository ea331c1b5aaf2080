using Notebooks.Tensors.Backend.Gpu;

namespace Notebooks.Tensors.Tests.Gpu;

/// <summary>
/// A training step on CUDA moves no data between host and device, as in PyTorch: C# numbers reach kernels as
/// arguments, and losses, gradients and updates stay on the device until the user asks for a value. Every hidden
/// transfer would be a synchronising driver call per op on a real GPU.
/// </summary>
[NonParallelizable]
public class CudaTransferTests
{
    [Test]
    public void ATrainingStepCopiesNothingBetweenHostAndDevice()
    {
        torch.manual_seed(0);
        var cuda = torch.device("cuda");
        var model = new torch.nn.Sequential(new torch.nn.Linear(5, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 1));
        model.to(cuda);
        var x = torch.randn(64, 5).to(cuda);
        var y = torch.randn(64, 1).to(cuda);
        var sgd = new torch.optim.SGD(model.parameters(), lr: 0.01, momentum: 0.9);
        var adam = new torch.optim.Adam(model.parameters(), lr: 1e-3);
        void Step(torch.optim.Optimizer opt)
        {
            opt.zero_grad();
            var loss = torch.nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            opt.step();
        }
        void HandWritten()
        {
            var loss = (model.call(x) - y).pow(2).mean();
            model.zero_grad();
            loss.backward();
            using (torch.no_grad())
                foreach (var p in model.parameters()) p.sub_(p.grad!, alpha: 0.01);
        }
        Step(sgd); Step(adam); HandWritten(); // first steps create optimizer state
        long up = GpuBackend.HostToDeviceCopies, down = GpuBackend.DeviceToHostCopies;
        for (int i = 0; i < 3; i++) { Step(sgd); Step(adam); HandWritten(); }
        Assert.That(GpuBackend.HostToDeviceCopies - up, Is.Zero, "host → device copies in 9 steps");
        Assert.That(GpuBackend.DeviceToHostCopies - down, Is.Zero, "device → host copies in 9 steps");
        var loss = torch.nn.functional.mse_loss(model.call(x), y).item<float>();
        Assert.That(GpuBackend.DeviceToHostCopies - down, Is.EqualTo(1), "item() is the one the user asked for");
        Assert.That(float.IsFinite(loss), Is.True);
    }
}
