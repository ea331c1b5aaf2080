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
    /// <paramref name="show_saved"/> is accepted for torchviz compatibility but draws nothing yet: Notebooks.Tensors
    /// keeps saved tensors private to each node.
    /// </summary>
    public static GraphView make_dot(Tensor var, IEnumerable<KeyValuePair<string, Tensor>>? @params = null, bool show_saved = false) =>
        make_dot([var], @params, show_saved);

    /// <summary>One drawing for several outputs (e.g. two losses sharing parameters).</summary>
    public static GraphView make_dot(IEnumerable<Tensor> vars, IEnumerable<KeyValuePair<string, Tensor>>? @params = null, bool show_saved = false)
    {
        _ = show_saved;
        return new GraphView(AutogradGraph.Build(vars, @params));
    }
}
