namespace Notebooks.Kernel.Execution;

internal enum CellStatus
{
    Ok,
    Error,
    Interrupted,
}

/// <summary>How a piece of cell code ended: its trailing value, or the error it raised.</summary>
internal sealed record CellOutcome(CellStatus Status, object? Value = null, bool HasValue = false, CellError? Error = null)
{
    public static CellOutcome Ok(object? value, bool hasValue) => new(CellStatus.Ok, value, hasValue);

    public static CellOutcome Failed(CellError error) => new(CellStatus.Error, Error: error);

    public static CellOutcome WasInterrupted() => new(CellStatus.Interrupted, Error: CellError.Interrupted());
}
