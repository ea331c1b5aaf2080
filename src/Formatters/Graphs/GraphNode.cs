namespace Notebooks.Formatters.Graphs;

/// <summary>What a node of a drawn autograd graph stands for (and so its colour, as torchviz colours it).</summary>
public enum GraphNodeKind
{
    /// <summary>A tensor the graph was drawn for (green).</summary>
    Output,
    /// <summary>A leaf that accumulates a gradient (blue), with its shape and name.</summary>
    Leaf,
    /// <summary>A backward function, e.g. MulBackward0 (grey).</summary>
    Function,
    /// <summary>A tensor saved for backward (orange).</summary>
    Saved,
}

/// <summary>One node of a <see cref="GraphView"/>, with the rectangle the layout gave it.</summary>
public sealed record GraphNode(string id, GraphNodeKind kind, string label, NodeBox box);
