namespace Notebooks.Tensors.Tests.Random;

/// <summary>
/// torch.get_rng_state() returns a torch.ByteTensor (torch/random.py: "Returns the random number generator state as a
/// torch.ByteTensor"), 5056 bytes for the CPU generator, and set_rng_state takes it back; torchvision's FakeData
/// saves and restores it around every item.
/// </summary>
public class RngStateTensorTests
{
    [Test]
    public void State_is_a_byte_tensor_that_restores_the_stream()
    {
        torch.manual_seed(42);
        var state = torch.get_rng_state();
        Assert.That(state.dtype, Is.EqualTo(torch.uint8));
        Assert.That(state.shape, Is.EqualTo(new Size(5056)));
        var first = torch.randn(5).ToArray<float>();
        torch.set_rng_state(state);
        Assert.That(torch.randn(5).ToArray<float>(), Is.EqualTo(first));
        // The saved tensor is a copy: drawing more leaves it as it was.
        torch.set_rng_state(state);
        Assert.That(torch.randn(5).ToArray<float>(), Is.EqualTo(first));
    }

    [Test]
    public void Other_tensors_are_refused()
    {
        Assert.That(() => torch.set_rng_state(torch.zeros(5056)), Throws.ArgumentException.With.Message.EqualTo("RNG state must be a torch.ByteTensor"));
        Assert.That(() => torch.set_rng_state(torch.zeros(7, dtype: torch.uint8)), Throws.ArgumentException);
    }
}
