using System.Text.Json.Nodes;
using datasets = Notebooks.Tensors.torchvision.datasets;
using transforms = Notebooks.Tensors.torchvision.transforms;

namespace Notebooks.Tensors.Tests.Vision;

/// <summary>
/// torchvision.datasets.FakeData against libtorch's draws for the same seeds (torch_ports.json, "fake_data", written by
/// tests/ReferenceGenerator/PortsSet.cs as torchvision/datasets/fakedata.py draws: manual_seed(index + random_offset),
/// randn(*image_size), randint(0, num_classes, (1,))[0], then ToPILImage's mul(255).byte()).
/// </summary>
public class FakeDataTests
{
    private static JsonNode Reference() =>
        JsonNode.Parse(File.ReadAllText(ReferenceData.File("torch_ports.json")))!["cases"]!["fake_data"]!;

    private static Shape ImageSize(JsonNode n)
    {
        var d = n.AsArray().Select(v => v!.GetValue<long>()).ToArray();
        return (d[0], d[1], d[2]);
    }

    [Test]
    public void ImagesAndLabelsAreLibtorchs()
    {
        var reference = Reference();
        int checkedImages = 0, checkedLabels = 0;
        foreach (var item in reference["items"]!.AsArray())
        {
            var data = new datasets.FakeData(size: 20, image_size: ImageSize(item!["image_size"]!), random_offset: item["random_offset"]!.GetValue<long>());
            if (item["labels_0_to_19"] is { } labels)
            {
                var expected = labels.AsArray().Select(v => v!.GetValue<long>()).ToArray();
                var got = Enumerable.Range(0, 20).Select(i => data[i][1].item<long>()).ToArray();
                Assert.That(got, Is.EqualTo(expected));
                checkedLabels++;
                continue;
            }
            var (img, label) = (data[item["index"]!.GetValue<long>()][0], data[item["index"]!.GetValue<long>()][1]);
            Assert.That(label.item<long>(), Is.EqualTo(item["label"]!.GetValue<long>()));
            Assert.That(label.dim(), Is.Zero, "randint(...)[0] is a 0-dim tensor");
            Assert.That(label.dtype, Is.EqualTo(torch.int64));
            // The PIL-image stand-in: uint8, channels last; the reference holds (C, H, W) order.
            Assert.That(img.dtype, Is.EqualTo(torch.uint8));
            var chw = img.dim() == 2 ? img.unsqueeze(0) : img.permute(2, 0, 1);
            var pixels = chw.contiguous().to(torch.int64).ToArray<long>();
            Assert.That(pixels, Is.EqualTo(item["pixels"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray()));
            checkedImages++;
        }
        Assert.That((checkedImages, checkedLabels), Is.EqualTo((6, 3)));
    }

    [Test]
    public void ReadingItemsLeavesTheGlobalGeneratorAlone()
    {
        var reference = Reference();
        torch.manual_seed(5);
        var first = torch.rand(3);
        var data = new datasets.FakeData(size: 4, image_size: (3, 8, 8));
        for (int i = 0; i < 4; i++) _ = data[i];
        var next = torch.rand(3);
        Assert.That(first.to(torch.float64).ToArray<double>(), Is.EqualTo(reference["rand3_after_seed5"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()));
        Assert.That(next.to(torch.float64).ToArray<double>(), Is.EqualTo(reference["rand3_next"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()));
        // The same index gives the same item every time.
        Assert.That(torch.equal(data[2][0], data[2][0]), Is.True);
    }

    [Test]
    public void TransformsShapesAndErrorsAsTorchvisions()
    {
        var transform = new transforms.Compose(new transforms.ToTensor(), new transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]));
        var data = new datasets.FakeData(size: 10, image_size: (3, 32, 32), transform: transform);
        Assert.That(data.len(), Is.EqualTo(10));
        var img = data[0][0];
        Assert.That(img.shape, Is.EqualTo(new Size(3, 32, 32)));
        Assert.That(img.dtype, Is.EqualTo(torch.float32));
        // ToTensor's x/255 then (x - 0.5)/0.5 of the uint8 pixels.
        var raw = new datasets.FakeData(size: 10, image_size: (3, 32, 32))[0][0];
        Assert.That(torch.allclose(img, raw.permute(2, 0, 1).to(torch.float32).div(255).sub(0.5).div(0.5)), Is.True);
        Assert.That(new datasets.FakeData().image_size, Is.EqualTo(new long[] { 3, 224, 224 }), "torchvision's default image_size");
        Assert.That(new datasets.FakeData(size: 3, image_size: (1, 28, 28))[0][0].shape, Is.EqualTo(new Size(28, 28)), "one channel is an 'L' image");
        // fakedata.py: IndexError(f"{self.__class__.__name__} index out of range"); to_pil_image's channel check.
        Assert.That(() => data[10], Throws.TypeOf<IndexOutOfRangeException>().With.Message.EqualTo("FakeData index out of range"));
        Assert.That(() => new datasets.FakeData(size: 1, image_size: (5, 2, 2))[0],
            Throws.ArgumentException.With.Message.EqualTo("pic should not have > 4 channels. Got 5 channels."));
        Assert.That(data.ToString(), Is.EqualTo(
            "Dataset FakeData\n    Number of datapoints: 10\n    StandardTransform\nTransform: Compose(\n               ToTensor()\n               Normalize(mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))\n           )"));
    }
}
