using Notebooks.Formatters;

namespace Notebooks.Magics;

/// <summary>
/// Connects the live views (<c>viz.loss_curve</c>, <c>viz.progress</c>) to a host's displays that update in place:
/// the host gives a function that shows a value and returns how to replace that output later (Jupyter's
/// display_id in our kernel, <c>DisplayedValue.Update</c> in .NET Interactive).
/// </summary>
public static class LiveDisplays
{
    public static void Connect(Func<object, Action<object>> show) =>
        NotebookFormatters.DisplayFactory = value => new Handle(show(value));

    private sealed class Handle(Action<object> update) : IDisplayHandle
    {
        public void Update(object value) => update(value);
    }
}
