using Notebooks.Formatters.Graphs;

namespace Notebooks.Formatters;

/// <summary>
/// Notebook visualisations, named after the Python tools the lessons use (torchviz's <c>make_dot</c>, matplotlib's
/// <c>imshow</c> and <c>plot</c>). It is a class of its own rather than <c>torch.viz</c> because <c>torch</c> is a
/// static class of another assembly; in a notebook: <c>viz.make_dot(y)</c>, <c>viz.imshow(img)</c>.
/// </summary>
public static partial class viz
{
    /// <summary>
    /// Draws the backward graph that produced <paramref name="var"/> (torchviz's make_dot). Pass
    /// <paramref name="params"/> (name → tensor, e.g. a dictionary, positionally or as <c>@params:</c>) to label leaves.
    /// With <paramref name="show_saved"/>, the tensors each node saved for backward are drawn in orange (labelled self,
    /// other or result, as torchviz labels <c>_saved_self</c> …) with an edge into the node that saved them; a graph already freed by
    /// <c>backward()</c> has none left to draw.
    /// </summary>
    public static GraphView make_dot(Tensor var, IEnumerable<KeyValuePair<string, Tensor>>? @params = null, bool show_saved = false) =>
        make_dot([var], @params, show_saved);

    /// <summary>One drawing for several outputs (e.g. two losses sharing parameters).</summary>
    /// <summary><c>viz.make_dot(loss, @params: model.named_parameters())</c>, as torchviz takes <c>dict(model.named_parameters())</c>.</summary>
    public static GraphView make_dot(Tensor var, IEnumerable<(string name, Tensor param)> @params, bool show_saved = false) =>
        make_dot(var, @params.Select(p => KeyValuePair.Create(p.name, p.param)), show_saved);

    public static GraphView make_dot(IEnumerable<Tensor> vars, IEnumerable<KeyValuePair<string, Tensor>>? @params = null, bool show_saved = false)
    {
        return new GraphView(AutogradGraph.Build(vars, @params, show_saved));
    }
}
