namespace Notebooks.Kernel.History;

/// <summary>
/// SQLite's GLOB, which IPython's history search uses (sqlite's func.c, patternCompare): <c>*</c> any run,
/// <c>?</c> one character, <c>[abc]</c>, <c>[^abc]</c>, <c>[a-z]</c> (a <c>]</c> first in the set is literal, so is a
/// <c>-</c> at either end), case-sensitive, over the whole input. Every pattern is valid: an unclosed <c>[</c> matches
/// nothing, as in SQLite, and so does a reversed range such as <c>[z-a]</c>.
/// </summary>
/// <remarks>
/// Matched without regular expressions or recursion: each token but <c>*</c> takes exactly one character, so the
/// classic greedy scan that retries from the last <c>*</c> is exact and costs at most input × pattern steps, whatever
/// the pattern. Long inputs check the cancellation token as they go, so a caller's time limit holds inside one match.
/// </remarks>
internal sealed class HistoryGlob
{
    private enum Kind
    {
        Literal,
        Any,
        Star,
        Set,
    }

    private readonly record struct Token(Kind Kind, int Rune = 0, (int From, int To)[]? Ranges = null, bool Negated = false)
    {
        public bool Accepts(int c)
        {
            switch (Kind)
            {
                case Kind.Any:
                    return true;
                case Kind.Literal:
                    return c == Rune;
                default:
                    var inside = false;
                    foreach (var (from, to) in Ranges!)
                    {
                        if (c >= from && c <= to)
                        {
                            inside = true;
                            break;
                        }
                    }
                    return inside != Negated;
            }
        }
    }

    private readonly Token[]? _tokens;

    public HistoryGlob(string pattern) => _tokens = Parse(ToRunes(pattern));

    public bool IsMatch(string input, CancellationToken cancellation = default)
    {
        if (_tokens is not { } tokens)
        {
            return false;
        }
        var text = ToRunes(input);
        int t = 0, p = 0, star = -1, resume = 0;
        var steps = 0;
        while (t < text.Length)
        {
            if ((++steps & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
            if (p < tokens.Length && tokens[p].Kind == Kind.Star)
            {
                star = p++;
                resume = t;
            }
            else if (p < tokens.Length && tokens[p].Accepts(text[t]))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < tokens.Length && tokens[p].Kind == Kind.Star)
        {
            p++;
        }
        return p == tokens.Length;
    }

    // Null when the pattern can match nothing (an unclosed '[').
    private static Token[]? Parse(int[] pattern)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*':
                    if (tokens.Count == 0 || tokens[^1].Kind != Kind.Star)
                    {
                        tokens.Add(new Token(Kind.Star));
                    }
                    break;
                case '?':
                    tokens.Add(new Token(Kind.Any));
                    break;
                case '[':
                    var j = i + 1;
                    var negated = j < pattern.Length && pattern[j] == '^';
                    if (negated)
                    {
                        j++;
                    }
                    var ranges = new List<(int, int)>();
                    if (j < pattern.Length && pattern[j] == ']')
                    {
                        ranges.Add((']', ']'));
                        j++;
                    }
                    // As SQLite: "-" between two characters makes a range; the character after a range, or a "]" that
                    // opened the set, cannot start another.
                    var prior = -1;
                    while (j < pattern.Length && pattern[j] != ']')
                    {
                        if (pattern[j] == '-' && prior >= 0 && j + 1 < pattern.Length && pattern[j + 1] != ']')
                        {
                            // SQLite has already compared the character before the "-" on its own, so "z" matches
                            // "[z-a]" though the range itself is empty: the single character stays in the set.
                            ranges.Add((prior, pattern[j + 1]));
                            prior = -1;
                            j += 2;
                        }
                        else
                        {
                            ranges.Add((pattern[j], pattern[j]));
                            prior = pattern[j];
                            j++;
                        }
                    }
                    if (j >= pattern.Length)
                    {
                        return null;
                    }
                    tokens.Add(new Token(Kind.Set, Ranges: [.. ranges], Negated: negated));
                    i = j;
                    break;
                default:
                    tokens.Add(new Token(Kind.Literal, pattern[i]));
                    break;
            }
        }
        return [.. tokens];
    }

    private static int[] ToRunes(string text)
    {
        var runes = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            runes.Add(rune.Value);
        }
        return [.. runes];
    }
}
