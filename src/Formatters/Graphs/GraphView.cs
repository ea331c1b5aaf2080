using Notebooks.Formatters.Html;
using System.Globalization;
using System.Text;
using static Notebooks.Formatters.Html.Html;

namespace Notebooks.Formatters.Graphs;

/// <summary>
/// A drawn autograd graph (what <see cref="viz.make_dot(Tensor, IEnumerable{KeyValuePair{string, Tensor}}?, bool)"/>
/// returns): displays as SVG, and like torchviz's Digraph has <see cref="source"/> (DOT) and <see cref="render"/>.
/// </summary>
public sealed class GraphView
{
    private const double CharWidth = 7.2, LineHeight = 14, PadX = 10, PadY = 6;
    private static readonly Dictionary<GraphNodeKind, string> Fill = new()
    {
        [GraphNodeKind.Output] = "#caff70", // darkolivegreen1
        [GraphNodeKind.Leaf] = "#add8e6",   // lightblue
        [GraphNodeKind.Function] = "#d3d3d3",
        [GraphNodeKind.Saved] = "#ffa500",
    };
    private static readonly Dictionary<GraphNodeKind, string> DotFill = new()
    {
        [GraphNodeKind.Output] = "darkolivegreen1",
        [GraphNodeKind.Leaf] = "lightblue",
        [GraphNodeKind.Function] = "lightgrey",
        [GraphNodeKind.Saved] = "orange",
    };

    private readonly LayeredLayout _layout;
    private string? _svg;

    public IReadOnlyList<GraphNode> nodes { get; }
    /// <summary>Edges as (from, to) indices into <see cref="nodes"/>.</summary>
    public IReadOnlyList<(int from, int to)> edges { get; }

    internal GraphView(AutogradGraph g)
    {
        var widths = g.Nodes.Select(n => n.label.Split('\n').Max(l => l.Length) * CharWidth + 2 * PadX).ToArray();
        var heights = g.Nodes.Select(n => n.label.Split('\n').Length * LineHeight + 2 * PadY).ToArray();
        _layout = LayeredLayout.Compute(widths, heights, g.Edges);
        nodes = g.Nodes.Select((n, i) => new GraphNode("node" + i.ToString(CultureInfo.InvariantCulture), n.kind, n.label, _layout.Boxes[i])).ToList();
        edges = g.Edges;
    }

    /// <summary>Edge crossings left by the layout (0 for a tree).</summary>
    public int crossings => _layout.Crossings;

    /// <summary>The graph in Graphviz's DOT language, laid out like torchviz's output.</summary>
    public string source
    {
        get
        {
            var sb = new StringBuilder();
            sb.Append("digraph {\n\tgraph [size=\"12,12\"]\n");
            sb.Append("\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]\n");
            foreach (var n in nodes)
                sb.Append('\t').Append(n.id).Append(" [label=\"").Append(n.label.Replace("\\", "\\\\").Replace("\"", "\\\""))
                  .Append("\" fillcolor=").Append(DotFill[n.kind]).Append("]\n");
            foreach (var (a, b) in edges) sb.Append('\t').Append(nodes[a].id).Append(" -> ").Append(nodes[b].id).Append('\n');
            sb.Append("}\n");
            return sb.ToString();
        }
    }

    /// <summary>Writes the SVG drawing to <paramref name="path"/> (".svg" appended when it has no extension) and returns the path.</summary>
    public string render(string path)
    {
        if (!Path.HasExtension(path)) path += ".svg";
        File.WriteAllText(path, svg());
        return path;
    }

    public string svg() => _svg ??= BuildSvg();

    private string BuildSvg()
    {
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nb-graph\" width=\"").Append(Num(_layout.Width)).Append("\" height=\"").Append(Num(_layout.Height))
          .Append("\" viewBox=\"0 0 ").Append(Num(_layout.Width)).Append(' ').Append(Num(_layout.Height)).Append("\" font-family=\"monospace\" font-size=\"10\"").Append(Theme.SvgRootStyle).Append('>');
        sb.Append("<defs><marker id=\"nb-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"currentColor\"/></marker></defs>");
        foreach (var path in _layout.EdgePaths)
        {
            sb.Append("<polyline class=\"edge\" fill=\"none\" stroke=\"currentColor\" marker-end=\"url(#nb-arrow)\" points=\"");
            sb.AppendJoin(' ', path.Select(p => Num(p.x) + "," + Num(p.y)));
            sb.Append("\"/>");
        }
        foreach (var n in nodes)
        {
            var b = n.box;
            sb.Append("<g class=\"node\" id=\"").Append(n.id).Append("\" data-kind=\"").Append(n.kind.ToString().ToLowerInvariant()).Append("\">");
            sb.Append("<rect x=\"").Append(Num(b.X)).Append("\" y=\"").Append(Num(b.Y)).Append("\" width=\"").Append(Num(b.Width)).Append("\" height=\"").Append(Num(b.Height))
              .Append("\" fill=\"").Append(Fill[n.kind]).Append("\" stroke=\"#333\"/>");
            var lines = n.label.Split('\n');
            for (int i = 0; i < lines.Length; i++)
                sb.Append("<text x=\"").Append(Num(b.CenterX)).Append("\" y=\"").Append(Num(b.Y + PadY + (i + 0.8) * LineHeight))
                  .Append("\" text-anchor=\"middle\" fill=\"#000\" xml:space=\"preserve\">").Append(Escape(lines[i])).Append("</text>");
            sb.Append("</g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    public override string ToString() => $"GraphView({nodes.Count} nodes, {edges.Count} edges)";
}
