using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Notebooks.Kernel.Execution;

/// <summary>
/// Inserts the interrupt check (<c>Interruption.Check();</c>) at the top of every loop body and before every goto, and
/// the interrupt-and-depth check (<c>Interruption.CheckCall();</c>) at the top of every method, accessor, local
/// function and block lambda body, so an interrupt stops code that never blocks and deep recursion is an error, not a
/// stack overflow that ends the kernel. Expression-bodied members (<c>int F(int n) =&gt; F(n + 1);</c>) become block
/// bodies on the same line. Expression lambdas are left as written: whether one returns a value depends on the
/// delegate it converts to, which the syntax does not tell (a recursive one needs a named delegate; rare). Edits are
/// plain text insertions on the same line, so line numbers stay as written and a <see cref="SourceMap"/> maps
/// columns back.
/// </summary>
internal static class LoopCheckInjector
{
    private const string Check = "global::Notebooks.Kernel.Scripting.Interruption.Check();";
    private const string CheckCall = "global::Notebooks.Kernel.Scripting.Interruption.CheckCall();";

    private enum Body
    {
        Void,
        Returns,
        Property,
    }

    public static (string Code, SourceMap Map) Inject(string code, CSharpParseOptions options)
    {
        var tree = CSharpSyntaxTree.ParseText(code, options);
        // Broken code is compiled as written so its diagnostics point exactly where the user typed.
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
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
                case GotoStatementSyntax s: Wrap(s); break;
                case BaseMethodDeclarationSyntax { Body: { } body }: AddBlock(body); break;
                case LocalFunctionStatementSyntax { Body: { } body }: AddBlock(body); break;
                case AccessorDeclarationSyntax { Body: { } body }: AddBlock(body); break;
                case AnonymousFunctionExpressionSyntax { Block: { } body }: AddBlock(body); break;
                case MethodDeclarationSyntax { ExpressionBody: { } arrow } m: AddArrow(arrow, m.SemicolonToken, Kind(m.ReturnType, m.Modifiers)); break;
                case LocalFunctionStatementSyntax { ExpressionBody: { } arrow } f: AddArrow(arrow, f.SemicolonToken, Kind(f.ReturnType, f.Modifiers)); break;
                case OperatorDeclarationSyntax { ExpressionBody: { } arrow } o: AddArrow(arrow, o.SemicolonToken, Body.Returns); break;
                case ConversionOperatorDeclarationSyntax { ExpressionBody: { } arrow } c: AddArrow(arrow, c.SemicolonToken, Body.Returns); break;
                case ConstructorDeclarationSyntax { ExpressionBody: { } arrow } c: AddArrow(arrow, c.SemicolonToken, Body.Void); break;
                case DestructorDeclarationSyntax { ExpressionBody: { } arrow } d: AddArrow(arrow, d.SemicolonToken, Body.Void); break;
                case AccessorDeclarationSyntax { ExpressionBody: { } arrow } a:
                    AddArrow(arrow, a.SemicolonToken, a.Keyword.IsKind(SyntaxKind.GetKeyword) ? Body.Returns : Body.Void);
                    break;
                case PropertyDeclarationSyntax { ExpressionBody: { } arrow } p: AddArrow(arrow, p.SemicolonToken, Body.Property); break;
                case IndexerDeclarationSyntax { ExpressionBody: { } arrow } i: AddArrow(arrow, i.SemicolonToken, Body.Property); break;
            }
        }
        if (edits.Count == 0)
        {
            return (code, SourceMap.Identity);
        }

        // A stable sort keeps the order in which nested statements were wrapped at one position.
        var ordered = edits.Select((e, i) => (e.Position, e.Text, i)).OrderBy(e => e.Position).ThenBy(e => e.i).ToList();
        var builder = new System.Text.StringBuilder(code.Length + ordered.Sum(e => e.Text.Length));
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
                edits.Add((block.OpenBraceToken.Span.End, Check));
                return;
            }
            Wrap(statement);
        }

        void Wrap(StatementSyntax statement)
        {
            edits.Add((statement.SpanStart, "{" + Check));
            edits.Add((statement.Span.End, "}"));
        }

        void AddBlock(BlockSyntax block) => edits.Add((block.OpenBraceToken.Span.End, CheckCall));

        // "=> e;" becomes "{check;return /*=>*/ e;}": the arrow stays, commented out, so every original character
        // keeps its place and the edits remain insertions.
        void AddArrow(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, Body kind)
        {
            if (semicolon.IsMissing)
            {
                return;
            }
            var open = kind switch
            {
                Body.Void => "{" + CheckCall + "/*",
                Body.Returns => "{" + CheckCall + "return /*",
                _ => "{get{" + CheckCall + "return /*",
            };
            edits.Add((arrow.ArrowToken.SpanStart, open));
            edits.Add((arrow.ArrowToken.Span.End, "*/"));
            edits.Add((semicolon.Span.End, kind == Body.Property ? "}}" : "}"));
        }
    }

    // void, and an async method returning a plain Task or ValueTask, have no value to return.
    private static Body Kind(TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        if (returnType is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            return Body.Void;
        }
        if (modifiers.Any(SyntaxKind.AsyncKeyword))
        {
            var name = returnType is QualifiedNameSyntax q ? q.Right : returnType as SimpleNameSyntax;
            if (name is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" })
            {
                return Body.Void;
            }
        }
        return Body.Returns;
    }
}
