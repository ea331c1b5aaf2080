using System.Text.RegularExpressions;
using F = Notebooks.Tensors.torch.nn.functional;
using nn = Notebooks.Tensors.torch.nn;

namespace Notebooks.Tensors.Tests.Core;

/// <summary>
/// Python's warnings module (Lib/warnings.py): the default action shows a warning once per (message, category,
/// line it is attributed to); simplefilter("always"/"ignore"/"error") changes that, and changing the filters
/// forgets what was shown (_filters_mutated). mse_loss's size-mismatch warning (warnings.warn(..., stacklevel=2)
/// in torch/nn/functional.py) is attributed to its caller, the test's own line.
/// </summary>
public class WarningsTests
{
    private const string Mismatch =
        "UserWarning: Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])). " +
        "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.";

    private static readonly Tensor Input = torch.zeros(3), Target = torch.ones(3, 1);

    private static int Count(string text) => Regex.Matches(text, "UserWarning: Using a target size").Count;

    private IDisposable _filters = null!;

    [SetUp]
    public void Fresh()
    {
        _filters = warnings.catch_warnings();
        // Any filter change clears what was shown, so each test starts as a fresh Python process would.
        warnings.simplefilter("default");
    }

    [TearDown]
    public void Restore() => _filters.Dispose();

    // for _ in range(3): F.mse_loss(x, y)  -> one warning
    [Test]
    public void ShowsOncePerPlaceInsideALoop()
    {
        var text = StdErr.Of(() =>
        {
            for (int i = 0; i < 3; i++) F.mse_loss(Input, Target);
        });
        Assert.That(text, Is.EqualTo(Mismatch + Environment.NewLine));
    }

    // Two lines calling mse_loss in one loop body are two places: two warnings, however many iterations.
    [Test]
    public void TwoCallSitesInOneMethodAreTwoPlaces()
    {
        var text = StdErr.Of(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                F.mse_loss(Input, Target);
                F.mse_loss(Input, Target);
            }
        });
        Assert.That(Count(text), Is.EqualTo(2));
    }

    [Test]
    public void ShowsAgainFromAnotherCallSite()
    {
        Assert.That(Count(StdErr.Of(() => F.mse_loss(Input, Target))), Is.EqualTo(1));
        Assert.That(Count(StdErr.Of(() => F.mse_loss(Input, Target))), Is.EqualTo(1));
    }

    [Test]
    public void AlwaysShowsEachTime()
    {
        warnings.simplefilter("always");
        Assert.That(Count(StdErr.Of(() => { for (int i = 0; i < 3; i++) F.mse_loss(Input, Target); })), Is.EqualTo(3));
    }

    [Test]
    public void IgnoreShowsNone()
    {
        warnings.simplefilter("ignore");
        var text = StdErr.Of(() => Assert.That(F.mse_loss(Input, Target).item<float>(), Is.EqualTo(1f)));
        Assert.That(text, Is.Empty);
    }

    // simplefilter("error"): the warning is raised as its category, with the same text, before the op computes.
    [Test]
    public void ErrorRaisesTheWarning()
    {
        warnings.simplefilter("error");
        var e = Assert.Throws<UserWarning>(() => F.mse_loss(Input, Target))!;
        Assert.That("UserWarning: " + e.Message, Is.EqualTo(Mismatch));
        Assert.That(e.category, Is.EqualTo("UserWarning"));
    }

    [Test]
    public void AFilterForAnotherCategoryLeavesUserWarningsAlone()
    {
        warnings.simplefilter("error", "DeprecationWarning");
        Assert.That(Count(StdErr.Of(() => F.mse_loss(Input, Target))), Is.EqualTo(1));
        Assert.Throws<DeprecationWarning>(() => warnings.warn("old", "DeprecationWarning"));
    }

    // Python's registry is cleared when the filters change, so the same line warns again afterwards.
    [Test]
    public void ChangingTheFiltersForgetsWhatWasShown()
    {
        string text = "";
        for (int i = 0; i < 2; i++)
        {
            text += StdErr.Of(() => warnings.warn("again"));
            warnings.simplefilter("default");
        }
        Assert.That(text, Is.EqualTo("UserWarning: again" + Environment.NewLine + "UserWarning: again" + Environment.NewLine));
    }

    [Test]
    public void CatchWarningsRestoresTheFilters()
    {
        using (warnings.catch_warnings())
        {
            warnings.simplefilter("ignore");
            Assert.That(StdErr.Of(() => F.mse_loss(Input, Target)), Is.Empty);
        }
        Assert.That(Count(StdErr.Of(() => F.mse_loss(Input, Target))), Is.EqualTo(1));
    }

    // "once" keys on the message alone: one warning from two places.
    [Test]
    public void OnceShowsAMessageOnceWherever()
    {
        warnings.simplefilter("once");
        var text = StdErr.Of(() => F.mse_loss(Input, Target)) + StdErr.Of(() => F.mse_loss(Input, Target));
        Assert.That(Count(text), Is.EqualTo(1));
    }

    // init.py warns with the default stacklevel 1, so the place is init.py's own line: kaiming_uniform_ on an empty
    // tensor warns once per process whoever calls it, and kaiming_normal_ (another line) once more.
    [Test]
    public void AWarningPythonAttributesToTorchShowsOncePerLibraryLine()
    {
        var text = StdErr.Of(() => nn.init.kaiming_uniform_(torch.empty(0, 3)))
                   + StdErr.Of(() => nn.init.kaiming_uniform_(torch.empty(0, 3)))
                   + StdErr.Of(() => nn.init.kaiming_normal_(torch.empty(0, 3)));
        Assert.That(text, Is.EqualTo(string.Concat(Enumerable.Repeat(
            "UserWarning: Initializing zero-element tensors is a no-op" + Environment.NewLine, 2))));
    }

    // Through nn.MSELoss the warning names loss.py's line (F.mse_loss's stacklevel=2 stops in MSELoss.forward), so
    // two user lines calling the module warn once; F.mse_loss from the same two lines would warn twice.
    [Test]
    public void ALossModulesWarningIsAttributedToItsForward()
    {
        var criterion = new nn.MSELoss();
        var l1 = new nn.L1Loss();
        var text = StdErr.Of(() => criterion.call(Input, Target)) + StdErr.Of(() => criterion.call(Input, Target))
                   + StdErr.Of(() => l1.call(Input, Target));
        Assert.That(Count(text), Is.EqualTo(2));
        Assert.That(Count(StdErr.Of(() => F.mse_loss(Input, Target))), Is.EqualTo(1), "a direct call is the user's line again");
    }

    [Test]
    public void AnUnknownActionIsRefused()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => warnings.simplefilter("sometimes"))!.Message,
            Is.EqualTo("invalid action: 'sometimes'"));
    }
}
