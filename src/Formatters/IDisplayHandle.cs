namespace Notebooks.Formatters;

/// <summary>
/// A display that can be replaced in place (Jupyter's display_id / update_display_data). The kernel provides it
/// through <see cref="NotebookFormatters.DisplayFactory"/>; live views call <see cref="Update"/> with themselves.
/// </summary>
public interface IDisplayHandle
{
    void Update(object value);
}
