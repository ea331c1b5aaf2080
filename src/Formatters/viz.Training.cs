using Notebooks.Formatters.Training;

namespace Notebooks.Formatters;

public static partial class viz
{
    /// <summary>
    /// A live loss curve: <c>var curve = viz.loss_curve(); … curve.append(loss.item&lt;double&gt;()); … curve.flush();</c>
    /// Several series by name (<c>curve.append("val", epoch, v)</c>), log-scale y with <paramref name="logy"/>,
    /// at most <paramref name="max_fps"/> redraws a second.
    /// </summary>
    public static LossCurve loss_curve(string? title = null, bool logy = false, double max_fps = 10) => new(title, logy, max_fps, Clock.Real);

    /// <summary>Wraps a sequence with a progress bar (rate and ETA): <c>foreach (var epoch in viz.progress(Enumerable.Range(0, 100)))</c>.</summary>
    public static ProgressBar<T> progress<T>(IEnumerable<T> source, string? desc = null, long? total = null, double max_fps = 10) =>
        new(source, desc, total, max_fps, Clock.Real);

    /// <summary>A progress bar over 0 … n−1 (tqdm's <c>trange</c>).</summary>
    public static ProgressBar<int> progress(int n, string? desc = null, double max_fps = 10) => progress(Enumerable.Range(0, n), desc, n, max_fps);
}
