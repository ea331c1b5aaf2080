namespace Notebooks.Kernel.Scripting;

/// <summary>What <c>display(obj)</c> returns: a way to replace that output in place later.</summary>
public sealed class DisplayHandle
{
    private readonly Action<object?, string> _update;

    internal DisplayHandle(string displayId, Action<object?, string> update)
    {
        DisplayId = displayId;
        _update = update;
    }

    /// <summary>The Jupyter display_id that ties later updates to the first output.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the displayed output, wherever it is shown, with <paramref name="value"/>.</summary>
    public void Update(object? value) => _update(value, DisplayId);

    public override string ToString() => $"DisplayHandle({DisplayId})";
}
