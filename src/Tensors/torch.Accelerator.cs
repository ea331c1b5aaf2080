namespace Notebooks.Tensors;

public static partial class torch
{
    /// <summary>
    /// <c>torch.accelerator</c> (PyTorch 2.6+): the device-agnostic way tutorials pick a device. Here the one
    /// accelerator is CUDA.
    /// </summary>
    public static class accelerator
    {
        /// <summary>True when a CUDA device can be used.</summary>
        public static bool is_available() => cuda.is_available();

        /// <summary>The accelerator's device (<c>cuda</c>), or null (Python's None) when none can be used.</summary>
        /// <param name="check_available">PyTorch's flag; a build without a usable GPU answers null either way.</param>
        public static Device? current_accelerator(bool check_available = false) => is_available() ? Device.Parse("cuda") : null;

        /// <summary>How many accelerator devices there are (0 without one).</summary>
        public static int device_count() => is_available() ? cuda.device_count() : 0;
    }
}
