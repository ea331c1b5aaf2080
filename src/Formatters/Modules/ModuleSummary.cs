using System.Globalization;
using System.Text;
using static Notebooks.Formatters.Html.Html;
using Module = Notebooks.Tensors.torch.nn.Module;

namespace Notebooks.Formatters.Modules;

/// <summary>One row of a <see cref="ModuleSummary"/>: a module as <c>named_modules()</c> lists it.</summary>
/// <param name="name">Its dotted name from <c>named_modules()</c> ("" for the model itself).</param>
/// <param name="depth">0 for the model, 1 for its children, …</param>
/// <param name="output_shape">The shape it returned for the example input; null when unknown.</param>
/// <param name="params">Elements of its own parameters (not its children's).</param>
/// <param name="trainable">Of those, the ones with <c>requires_grad</c>.</param>
public sealed record SummaryRow(string name, string type, int depth, long[]? output_shape, long @params, long trainable);

/// <summary>
/// A torchinfo-style summary of a module (what <see cref="viz.summary"/> returns, and the HTML any module shows
/// as): its PyTorch repr, then one row per module with type, output shape (when an example input was given),
/// own parameter count, and totals: parameters, trainable parameters and their memory.
/// </summary>
public sealed class ModuleSummary
{
    private readonly Module _model;

    public IReadOnlyList<SummaryRow> rows { get; }
    /// <summary>Distinct parameters' elements (a shared parameter counts once).</summary>
    public long total_params { get; }
    public long trainable_params { get; }
    /// <summary>Bytes held by the parameters.</summary>
    public long param_bytes { get; }
    public long buffer_bytes { get; }
    /// <summary>The shape of the example input, when one was given.</summary>
    public long[]? input_shape { get; }
    /// <summary>
    /// Modules whose output shape could not be recorded: those the example forward did not call (shapes are taken by
    /// forward hooks, so only modules called through <c>call</c> are seen; one whose forward is invoked directly is not).
    /// </summary>
    public IReadOnlyList<string> shapes_unknown { get; }

    internal ModuleSummary(Module model, Tensor? input)
    {
        _model = model;
        var shapes = new Dictionary<Module, long[]>(ReferenceEqualityComparer.Instance);
        if (input is not null)
        {
            input_shape = input.shape.ToArray();
            // Like torchinfo's default mode: run in eval mode (no dropout draws, no BatchNorm running-stat updates),
            // then put every module's training flag back as it was.
            var modes = model.modules().Select(m => (m, m.training)).ToList();
            model.eval();
            try
            {
                using (torch.no_grad()) Run(model, input, shapes);
            }
            finally
            {
                foreach (var (m, training) in modes) m.training = training;
            }
        }

        var list = new List<SummaryRow>();
        foreach (var (name, m) in model.named_modules())
        {
            long own = 0, ownTrainable = 0;
            foreach (var (_, p) in m.named_parameters(recurse: false))
            {
                own += p.numel();
                if (p.requires_grad) ownTrainable += p.numel();
            }
            int depth = name.Length == 0 ? 0 : name.Count(c => c == '.') + 1;
            list.Add(new SummaryRow(name, TypeName(m), depth, shapes.GetValueOrDefault(m), own, ownTrainable));
        }
        rows = list;
        foreach (var p in model.parameters())
        {
            total_params += p.numel();
            if (p.requires_grad) trainable_params += p.numel();
            param_bytes += p.numel() * p.element_size();
        }
        foreach (var b in model.buffers()) buffer_bytes += b.numel() * b.element_size();
        shapes_unknown = input is null ? [] : list.Where(r => r.output_shape is null).Select(r => r.name).ToList();
    }

    /// <summary>
    /// Runs the model once with a forward hook on every module (torchinfo's way): each module's first output shape
    /// is recorded, however deeply it is called from a custom forward. The hooks are removed afterwards.
    /// </summary>
    private static void Run(Module model, Tensor x, Dictionary<Module, long[]> shapes)
    {
        var handles = new List<torch.utils.hooks.RemovableHandle>();
        try
        {
            foreach (var m in model.modules())
                handles.Add(m.register_forward_hook((mod, _, y) => { shapes.TryAdd(mod, y.shape.ToArray()); }));
            var y = model.call(x);
            shapes.TryAdd(model, y.shape.ToArray());
        }
        finally
        {
            foreach (var h in handles) h.remove();
        }
    }

    private static string TypeName(Module m)
    {
        // The repr's leading name (what _get_name returns), e.g. "Linear".
        var repr = m.ToString();
        int i = repr.IndexOf('(');
        return i > 0 ? repr[..i] : m.GetType().Name;
    }

    private static string Shape(long[] s) => "[" + string.Join(", ", s) + "]";
    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public string ToHtml()
    {
        bool withShapes = input_shape is not null;
        var sb = new StringBuilder();
        sb.Append("<div class=\"nb-module\">");
        sb.Append("<pre class=\"nb-module-repr\">").Append(Escape(_model.ToString())).Append("</pre>");
        sb.Append("<table class=\"nb-module-summary\" style=\"border-collapse:collapse;font-family:monospace;font-size:12px\">");
        sb.Append("<thead><tr>");
        foreach (var h in withShapes ? new[] { "Layer", "Type", "Output shape", "Param #", "Trainable" } : ["Layer", "Type", "Param #", "Trainable"])
            sb.Append("<th style=\"text-align:left;padding:2px 10px;border-bottom:1px solid #888\">").Append(h).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in rows)
        {
            sb.Append("<tr class=\"nb-layer\" data-name=\"").Append(Escape(r.name)).Append("\" data-depth=\"").Append(r.depth)
              .Append("\" data-params=\"").Append(r.@params).Append("\" data-trainable=\"").Append(r.trainable).Append("\">");
            sb.Append("<td style=\"padding:2px 10px 2px ").Append(10 + 16 * r.depth).Append("px\">")
              .Append(Escape(r.depth == 0 ? r.type : r.name)).Append("</td>");
            sb.Append("<td style=\"padding:2px 10px\">").Append(Escape(r.type)).Append("</td>");
            if (withShapes)
                sb.Append("<td class=\"nb-shape\" style=\"padding:2px 10px\">").Append(r.output_shape is null ? "--" : Shape(r.output_shape)).Append("</td>");
            sb.Append("<td style=\"padding:2px 10px;text-align:right\">").Append(r.@params == 0 ? "--" : Count(r.@params)).Append("</td>");
            sb.Append("<td style=\"padding:2px 10px;text-align:right\">").Append(r.@params == 0 ? "--" : Count(r.trainable)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        sb.Append("<div class=\"nb-module-totals\" style=\"font-family:monospace;font-size:12px;margin-top:4px\">");
        if (input_shape is not null) sb.Append("<div>Input shape: <span class=\"nb-input-shape\">").Append(Shape(input_shape)).Append("</span></div>");
        sb.Append("<div>Total params: <span class=\"nb-total\" data-value=\"").Append(total_params).Append("\">").Append(Count(total_params)).Append("</span></div>");
        sb.Append("<div>Trainable params: <span class=\"nb-trainable\" data-value=\"").Append(trainable_params).Append("\">").Append(Count(trainable_params)).Append("</span></div>");
        sb.Append("<div>Non-trainable params: <span class=\"nb-non-trainable\" data-value=\"").Append(total_params - trainable_params).Append("\">")
          .Append(Count(total_params - trainable_params)).Append("</span></div>");
        sb.Append("<div>Params size: <span class=\"nb-param-bytes\" data-value=\"").Append(param_bytes).Append("\">").Append(Bytes(param_bytes)).Append("</span></div>");
        if (buffer_bytes > 0)
            sb.Append("<div>Buffers size: <span class=\"nb-buffer-bytes\" data-value=\"").Append(buffer_bytes).Append("\">").Append(Bytes(buffer_bytes)).Append("</span></div>");
        if (input_shape is null)
            sb.Append("<div class=\"nb-note\" style=\"color:#666\">Output shapes: pass an example input, viz.summary(model, input: x).</div>");
        else if (shapes_unknown.Count > 0)
            sb.Append("<div class=\"nb-note\" style=\"color:#666\">No output shape for ").Append(Escape(string.Join(", ", shapes_unknown.Select(n => n.Length == 0 ? "(model)" : n))))
              .Append(": not called by the model's forward (output shapes are recorded by forward hooks when a module is called).</div>");
        sb.Append("</div></div>");
        return sb.ToString();
    }

    /// <summary>A text table like torchinfo's.</summary>
    public string table()
    {
        bool withShapes = input_shape is not null;
        var cells = rows.Select(r => new[]
        {
            new string(' ', 2 * r.depth) + (r.depth == 0 ? r.type : r.name),
            r.type,
            withShapes ? (r.output_shape is null ? "--" : Shape(r.output_shape)) : "",
            r.@params == 0 ? "--" : Count(r.@params),
        }).ToList();
        var header = new[] { "Layer", "Type", withShapes ? "Output shape" : "", "Param #" };
        var widths = Enumerable.Range(0, 4).Select(c => cells.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        string Line(string[] r) => string.Join("  ", r.Select((v, c) => c == 3 ? v.PadLeft(widths[c]) : v.PadRight(widths[c])).Where((_, c) => withShapes || c != 2)).TrimEnd();
        var rule = new string('=', Line(header).Length);
        var sb = new StringBuilder();
        sb.Append(rule).Append('\n').Append(Line(header)).Append('\n').Append(rule).Append('\n');
        foreach (var r in cells) sb.Append(Line(r)).Append('\n');
        sb.Append(rule).Append('\n');
        sb.Append("Total params: ").Append(Count(total_params)).Append('\n');
        sb.Append("Trainable params: ").Append(Count(trainable_params)).Append('\n');
        sb.Append("Non-trainable params: ").Append(Count(total_params - trainable_params)).Append('\n');
        sb.Append("Params size: ").Append(Bytes(param_bytes)).Append('\n');
        sb.Append(rule);
        return sb.ToString();
    }

    /// <summary>The model's repr followed by the text table.</summary>
    public override string ToString() => _model + "\n" + table();
}
