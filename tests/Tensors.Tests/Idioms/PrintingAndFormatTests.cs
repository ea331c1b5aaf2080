using nn = Notebooks.Tensors.torch.nn;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Idioms;

/// <summary>
/// print(t) prints the repr; f"{t}" and format(x, spec) follow Python's format specification mini-language
/// (docs.python.org/3/library/string.html#formatspec), for 0-dim tensors (Tensor.__format__ formats item()) and numbers.
/// </summary>
public class PrintingAndFormatTests
{
    private static string Printed(object o)
    {
        var w = new StringWriter();
        w.WriteLine(o);
        return w.ToString().TrimEnd('\n', '\r');
    }

    [Test]
    public void Console_writeline_of_a_0_dim_tensor_prints_its_repr()
    {
        torch.manual_seed(0);
        var loss = F.mse_loss(torch.tensor(new[] { 1.0f, 2.0f }, requires_grad: true), torch.tensor(new[] { 0.5f, 3.0f }));
        Assert.That(Printed(loss), Is.EqualTo("tensor(0.6250, grad_fn=<MseLossBackward0>)"));
        Assert.That($"{loss}", Is.EqualTo("0.625"), "f\"{loss}\" formats item()");
        Assert.That($"{loss:.4f}", Is.EqualTo("0.6250"));
        Assert.That(Printed(loss.item()), Is.EqualTo("0.625"));
    }

    [TestCase(52.0, "+.2f", "+52.00")]
    [TestCase(-52.0, "+.2f", "-52.00")]
    [TestCase(3.14159, ">7f", "3.141590")]
    [TestCase(3.14159, ">10.3f", "     3.142")]
    [TestCase(3.14159, "<10.3f", "3.142     ")]
    [TestCase(3.14159, "^10.3f", "  3.142   ")]
    [TestCase(3.14159, "*^11.3f", "***3.142***")]
    [TestCase(-3.5, "=+10.2f", "-     3.50")]
    [TestCase(-3.5, "010.2f", "-000003.50")]
    [TestCase(1234567.891, ",.2f", "1,234,567.89")]
    [TestCase(1234567.891, "_.1f", "1_234_567.9")]
    [TestCase(0.8766, ".1%", "87.7%")]
    [TestCase(0.8765, ".1%", "87.6%")]   // CPython multiplies the double by 100 first: 87.64999...
    [TestCase(0.5, "%", "50.000000%")]
    [TestCase(12345.678, "e", "1.234568e+04")]
    [TestCase(12345.678, ".2E", "1.23E+04")]
    [TestCase(12345.678, "g", "12345.7")]
    [TestCase(0.00001234, "g", "1.234e-05")]
    [TestCase(1e16, "g", "1e+16")]
    [TestCase(100.0, ".3g", "100")]
    [TestCase(100.0, "#.3g", "100.")]
    [TestCase(2.0, ".3", "2.0")]
    [TestCase(1234.5, ".2", "1.2e+03")]
    [TestCase(0.1, "", "0.1")]
    [TestCase(2.5, " .1f", " 2.5")]
    [TestCase(double.NaN, "+.2f", "+nan")]
    [TestCase(double.NegativeInfinity, ">6.1f", "  -inf")]
    [TestCase(-0.0001, "z.2f", "0.00")]
    [TestCase(2.675, ".2f", "2.67")]   // the double nearest 2.675 is below it: CPython rounds the exact value
    public void Python_format_spec_on_floats(double value, string spec, string expected)
    {
        Assert.That(torch.tensor(value, dtype: torch.float64).item().ToString(spec, null), Is.EqualTo(expected));
        Assert.That(string.Format($"{{0:{spec}}}", torch.tensor(value, dtype: torch.float64)), Is.EqualTo(expected), "Tensor.__format__");
    }

    [TestCase(42L, "5d", "   42")]
    [TestCase(42L, "<5", "42   ")]
    [TestCase(-42L, "+d", "-42")]
    [TestCase(1234567L, ",", "1,234,567")]
    [TestCase(255L, "#x", "0xff")]
    [TestCase(255L, "08b", "11111111")]
    [TestCase(255L, "X", "FF")]
    [TestCase(7L, ".2f", "7.00")]
    [TestCase(3L, "%", "300.000000%")]
    public void Python_format_spec_on_ints(long value, string spec, string expected) =>
        Assert.That(torch.tensor(value).item().ToString(spec, null), Is.EqualTo(expected));

    [Test]
    public void Interpolation_uses_the_spec_and_dotnet_formats_still_work()
    {
        var w = torch.tensor(52.0);
        Assert.That($"{w:+.2f}", Is.EqualTo("+52.00"));
        Assert.That($"{w.item():+.2f}", Is.EqualTo("+52.00"));
        Assert.That($"{w:F1}", Is.EqualTo("52.0"), ".NET's standard format");
        Assert.That($"{torch.tensor(3.14159, dtype: torch.float64):0.00}", Is.EqualTo("3.14"), ".NET's custom pattern");
        Assert.That($"acc {torch.tensor(0.9):>6.1%}", Is.EqualTo("acc  90.0%"));
        Assert.That(Assert.Catch(() => _ = torch.tensor(1.5).item().ToString(".2d", null))!.Message,
            Is.EqualTo("Unknown format code 'd' for object of type 'float'"));
    }
}
