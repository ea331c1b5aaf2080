using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Serialization;

public class SafeTensorsTests
{
    [Test]
    public void State_dict_round_trips_bit_identical()
    {
        torch.manual_seed(3);
        var model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.BatchNorm1d(4));
        model.call(torch.randn(5, 3));   // moves the BatchNorm running stats off their defaults
        var path = Path.GetTempFileName();
        try
        {
            torch.save(model.state_dict(), path);
            var loaded = torch.load(path);
            var sd = model.state_dict();
            // torch.load of a saved state_dict gives its keys back in the saved order (an OrderedDict in PyTorch).
            Assert.That(loaded.Keys, Is.EqualTo(sd.Keys));
            Assert.That(loaded.Keys.First(), Is.EqualTo("0.weight"));
            foreach (var (k, v) in sd)
            {
                Assert.That(loaded[k].dtype, Is.EqualTo(v.dtype), k);
                Assert.That(loaded[k].shape, Is.EqualTo(v.shape), k);
                Assert.That(loaded[k].equal(v), Is.True, k);
            }
            var copy = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.BatchNorm1d(4));
            copy.load_state_dict(loaded);
            Assert.That(((nn.Linear)copy[0]).weight.equal(((nn.Linear)model[0]).weight), Is.True);
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void File_layout_is_safetensors()
    {
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor>
        {
            ["w"] = torch.tensor(new[] { 1.0f, -2.5f }),
            ["b"] = torch.tensor(new[] { 7L }),
            ["m"] = torch.tensor(new[] { true, false, true }),
        }, new Dictionary<string, string> { ["format"] = "pt" });
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That((8 + (long)n) % 8, Is.EqualTo(0), "data starts 8-byte aligned");
        var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n).TrimEnd(' ')).RootElement;
        Assert.That(header.GetProperty("__metadata__").GetProperty("format").GetString(), Is.EqualTo("pt"));
        // In the caller's order (the format allows any order; torch.load gives a state_dict back in its saved order).
        Assert.That(header.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "__metadata__", "w", "b", "m" }));
        var b = header.GetProperty("b");
        Assert.That(b.GetProperty("dtype").GetString(), Is.EqualTo("I64"));
        Assert.That(b.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 8L, 16L }));
        Assert.That(header.GetProperty("m").GetProperty("dtype").GetString(), Is.EqualTo("BOOL"));
        Assert.That(header.GetProperty("m").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 16L, 19L }));
        var w = header.GetProperty("w");
        Assert.That(w.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 2L }));
        Assert.That(w.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 0L, 8L }));
        int data = 8 + (int)n;
        Assert.That(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + 4)), Is.EqualTo(-2.5f));
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(data + 8)), Is.EqualTo(7L));
        Assert.That(bytes.AsSpan(data + 16, 3).ToArray(), Is.EqualTo(new byte[] { 1, 0, 1 }));
        Assert.That(bytes.Length, Is.EqualTo(data + 19));
    }
}
