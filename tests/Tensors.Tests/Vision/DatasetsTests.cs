using System.Diagnostics;
using datasets = Notebooks.Tensors.torchvision.datasets;
using transforms = Notebooks.Tensors.torchvision.transforms;
using DataLoader = Notebooks.Tensors.torch.utils.data.DataLoader;

namespace Notebooks.Tensors.Tests.Vision;

/// <summary>
/// torchvision-shaped data sets on IDX files: a tiny sample written by the test itself (plain and gzip), and — where
/// Debian's dataset-fashion-mnist is installed (CI installs it) — the real Fashion-MNIST.
/// </summary>
public class DatasetsTests
{
    private string _dir = "";

    [SetUp]
    public void MakeSample()
    {
        _dir = Path.Combine(Path.GetTempPath(), "idx-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        var images = torch.arange(5 * 28 * 28).remainder(256).to(torch.uint8).view(5, 28, 28);
        Idx.WriteBytes(Path.Combine(_dir, "train-images-idx3-ubyte.gz"), images);
        Idx.WriteBytes(Path.Combine(_dir, "train-labels-idx1-ubyte"), torch.tensor(new long[] { 9, 0, 0, 3, 7 }).to(torch.uint8));
    }

    [TearDown]
    public void RemoveSample() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Reads_the_sample_as_torchvision_does()
    {
        var ds = new datasets.FashionMNIST(_dir, train: true);
        Assert.Multiple(() =>
        {
            Assert.That(ds.len(), Is.EqualTo(5));
            Assert.That(ds.data.shape, Is.EqualTo(torch.Size(5, 28, 28)));
            Assert.That(ds.data.dtype, Is.EqualTo(torch.uint8));
            Assert.That(ds.targets.ToArray<long>(), Is.EqualTo(new long[] { 9, 0, 0, 3, 7 }));
            Assert.That(ds.classes[9], Is.EqualTo("Ankle boot"));
            var (img, label) = (ds[1][0], ds[1][1]);
            Assert.That(img.shape, Is.EqualTo(torch.Size(28, 28)));
            Assert.That(img[0, 0].item<byte>(), Is.EqualTo((byte)(784 % 256)));
            Assert.That(label.item<long>(), Is.EqualTo(0));
        });
    }

    [Test]
    public void ToTensor_and_Normalize_give_float_images_in_CHW()
    {
        var tf = new transforms.Compose(new transforms.ToTensor(), new transforms.Normalize([0.5], [0.5]));
        Assert.That(tf.ToString(), Is.EqualTo("Compose(\n    ToTensor()\n    Normalize(mean=(0.5,), std=(0.5,))\n)"));
        var ds = new datasets.FashionMNIST(_dir, transform: tf);
        var x = ds[0][0];
        Assert.That(x.shape, Is.EqualTo(torch.Size(1, 28, 28)));
        Assert.That(x.dtype, Is.EqualTo(torch.float32));
        // torchvision: byte / 255 (a division), then (x - 0.5) / 0.5.
        Assert.That(x[0, 0, 3].item<float>(), Is.EqualTo((3f / 255f - 0.5f) / 0.5f));
        var batches = new DataLoader(ds, batch_size: 2).ToList();
        Assert.That(batches.Select(b => b[0].shape[0]), Is.EqualTo(new long[] { 2, 2, 1 }));
        Assert.That(batches[0][1].ToArray<long>(), Is.EqualTo(new long[] { 9, 0 }));
        Assert.That(batches[0][0].shape, Is.EqualTo(torch.Size(2, 1, 28, 28)));
    }

    [Test]
    public void Missing_files_say_how_to_get_them_and_download_is_refused()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        Assert.That(() => new datasets.FashionMNIST(empty, train: false), Throws.TypeOf<FileNotFoundException>()
            .With.Message.Contains("t10k-images-idx3-ubyte").And.Message.Contains("apt-get install dataset-fashion-mnist"));
        Assert.That(() => new datasets.FashionMNIST(_dir, download: true), Throws.TypeOf<NotSupportedException>().With.Message.Contains("never downloads"));
        File.WriteAllBytes(Path.Combine(empty, "t10k-images-idx3-ubyte"), [1, 2, 3, 4]);
        File.WriteAllBytes(Path.Combine(empty, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 0]);
        Assert.That(() => new datasets.MNIST(empty, train: false), Throws.TypeOf<InvalidDataException>());
    }

    private const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The real files (apt-get install dataset-fashion-mnist; .ci/run installs it): 60 000 + 10 000 images, 10 balanced classes.</summary>
    [Test]
    public void Real_Fashion_MNIST_when_installed()
    {
        if (!Directory.Exists(DebianFolder)) Assert.Ignore("dataset-fashion-mnist is not installed");
        var train = new datasets.FashionMNIST(train: true, transform: new transforms.Compose(new transforms.ToTensor(), new transforms.Normalize([0.2860], [0.3530])));
        var test = new datasets.FashionMNIST(train: false);
        Assert.That(train.len(), Is.EqualTo(60000));
        Assert.That(test.len(), Is.EqualTo(10000));
        Assert.That(train.targets.ToArray<long>().CountBy(v => v).OrderBy(kv => kv.Key).Select(kv => kv.Value), Is.EqualTo(Enumerable.Repeat(6000, 10)));
        // Batching a whole epoch (what a training loop pays besides the model): measured and reported.
        var sw = Stopwatch.StartNew();
        long n = 0;
        foreach (var batch in new DataLoader(train, batch_size: 64, shuffle: true)) n += batch[0].size(0);
        sw.Stop();
        Assert.That(n, Is.EqualTo(60000));
        TestContext.Out.WriteLine($"DataLoader epoch (60000 images, batch 64, ToTensor + Normalize): {sw.Elapsed.TotalSeconds:F2} s");
    }
}
