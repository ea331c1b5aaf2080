using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Inserts <c>Interruption.Check();</c> at the top of every loop body and method body of a cell so
/// that an interrupt can stop code that never blocks. Edits are plain text insertions on the same
/// line, so line numbers stay as written and a <see cref="SourceMap"/> maps columns back.
/// </summary>
internal static class LoopCheckInjector
{
    private const string Check = "global::Notebooks.Kernel.Scripting.Interruption.Check();";

    public static (string Code, SourceMap Map) Inject(string code, CSharpParseOptions options)
    {
        var tree = CSharpSyntaxTree.ParseText(code, options);
        // Broken code is compiled as written so its diagnostics point exactly where the user typed.
        if (tree.GetDiagnostics().Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
        {
            return (code, SourceMap.Identity);
        }

        var edits = new List<(int Position, string Text)>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            switch (node)
            {
                case WhileStatementSyntax s: AddBody(s.Statement); break;
                case DoStatementSyntax s: AddBody(s.Statement); break;
                case ForStatementSyntax s: AddBody(s.Statement); break;
                case CommonForEachStatementSyntax s: AddBody(s.Statement); break;
                case BaseMethodDeclarationSyntax { Body: { } body }: AddBlock(body); break;
                case LocalFunctionStatementSyntax { Body: { } body }: AddBlock(body); break;
                case AccessorDeclarationSyntax { Body: { } body }: AddBlock(body); break;
                case AnonymousFunctionExpressionSyntax { Block: { } body }: AddBlock(body); break;
            }
        }
        if (edits.Count == 0)
        {
            return (code, SourceMap.Identity);
        }

        // A stable sort keeps the order in which nested statements were wrapped at one position.
        var ordered = edits.Select((e, i) => (e.Position, e.Text, i)).OrderBy(e => e.Position).ThenBy(e => e.i).ToList();
        var builder = new System.Text.StringBuilder(code.Length + ordered.Count * Check.Length);
        var last = 0;
        foreach (var (position, text, _) in ordered)
        {
            builder.Append(code, last, position - last).Append(text);
            last = position;
        }
        builder.Append(code, last, code.Length - last);
        return (builder.ToString(), new SourceMap(ordered.Select(e => (e.Position, e.Text.Length)).ToList()));

        void AddBody(StatementSyntax statement)
        {
            if (statement is BlockSyntax block)
            {
                AddBlock(block);
                return;
            }
            edits.Add((statement.SpanStart, "{" + Check));
            edits.Add((statement.Span.End, "}"));
        }

        void AddBlock(BlockSyntax block) => edits.Add((block.OpenBraceToken.Span.End, Check));
    }
}
