using data = Notebooks.Tensors.torch.utils.data;

namespace Notebooks.Tensors.Tests.Data;

/// <summary>
/// DataLoader(..., num_workers=2), as the blitz CIFAR-10 tutorial writes it: the same batches as in-process loading
/// (workers change where items load, not what a pass yields), and torch/utils/data/dataloader.py's check of the value.
/// </summary>
public class DataLoaderWorkersTests
{
    private static data.TensorDataset Dataset() => new(torch.arange(10).reshape(10, 1).to(torch.float32), torch.arange(10));

    [Test]
    public void Workers_give_the_same_batches()
    {
        torch.manual_seed(3);
        var inProcess = new data.DataLoader(Dataset(), batch_size: 4, shuffle: true).Select(b => b[1].ToString()).ToList();
        torch.manual_seed(3);
        var loader = new data.DataLoader(Dataset(), batch_size: 4, shuffle: true, num_workers: 2);
        Assert.That(loader.num_workers, Is.EqualTo(2));
        Assert.That(loader.Select(b => b[1].ToString()).ToList(), Is.EqualTo(inProcess));
    }

    [Test]
    public void Negative_workers_are_refused_with_PyTorchs_message()
    {
        Assert.That(() => new data.DataLoader(Dataset(), num_workers: -1),
            Throws.ArgumentException.With.Message.EqualTo("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."));
    }
}
