namespace Notebooks.Tensors.Tests.Serialization;

/// <summary>
/// torch.load(PATH, weights_only=True), as the blitz CIFAR-10 tutorial reloads its state_dict (weights_only's default
/// is True since PyTorch 2.6, torch/serialization.py): a state_dict saved and loaded gives a module the same outputs.
/// weights_only=False (arbitrary unpickling in PyTorch) is refused, since only tensors are stored.
/// </summary>
public class LoadWeightsOnlyTests
{
    [Test]
    public void A_state_dict_round_trips_into_a_fresh_module()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weights-only-{Guid.NewGuid():N}.pth");
        try
        {
            torch.manual_seed(0);
            var net = new torch.nn.Linear(3, 2);
            torch.save(net.state_dict(), path);
            var fresh = new torch.nn.Linear(3, 2);
            var x = torch.randn(4, 3);
            Assert.That(torch.equal(fresh.call(x), net.call(x)), Is.False, "a fresh module starts elsewhere");
            fresh.load_state_dict(torch.load(path, weights_only: true));
            Assert.That(torch.equal(fresh.call(x), net.call(x)), Is.True);
            Assert.That(() => torch.load(path, weights_only: false), Throws.TypeOf<NotSupportedException>().With.Message.Contains("weights_only=True"));
        }
        finally { File.Delete(path); }
    }
}
