#!/usr/bin/env python3
"""Compares a lesson run by .NET Interactive (dotnet-repl's .ipynb output of notebooks/polyglot/NAME.dib) with the
same lesson run by our kernel (NAME.ipynb), cell by cell, code cells paired by their source.

What is compared, per code cell: the lines the cell printed, the text/plain of every rich output (results and
displays) in order, and whether the cell failed. Not compared, and why:
  * the host's own cells before the lesson (#i, #r): our kernel has the package loaded already;
  * text/html and image/svg+xml: the host wraps HTML in its own styles, and plots show our SVG there (Plotly.NET
    cannot load on the host's older FSharp.Core, see Plot.ToDisplayHtml), so the text/plain form is the comparison;
  * values the host formats itself (numbers, strings, arrays, null: no formatter of ours; its HTML carries its "dni-"
    styles): a one-line plain value inside the host's <pre> is unwrapped and compared (the host writes null as
    <null>); collections ("[ 1, 2, 3 ]", tables, trees), which each host writes its own way, are counted, not compared;
  * a warning the host shows again where our kernel stays quiet: our kernel keys Python's warning registry on the
    cell's line number, as Jupyter does, so a later cell warning from the same line number is silent; the host's
    cells give no such line (the warning is attributed per method), so it warns again. Such a line is accepted when
    the same warning was shown earlier in the lesson;
  * which stream a line went to, and the order of stdout and stderr lines: dotnet-repl writes both as "stdout", after
    each other, so the printed lines are compared as a multiset;
  * a result is execute_result in Jupyter and display_data in the host: the kind of output is not compared;
  * error text: the host words compile errors as "(line,col): error CSxxxx: ..." and runtime ones as
    "Type: message"; the cell must fail in both, with the same compiler error codes or our message inside the host's;
  * a cell whose source dotnet-repl writes with a UTF-8 character split into U+FFFD (lessons 04 and 07 in CI): paired by position
    when its first line agrees, and its outputs compared as any other;
  * a live display (viz.progress, viz.loss_curve) and its updates: dotnet-repl's .ipynb keeps every update as an output
    of its own, where Jupyter replaces the displayed value; when the host has more rich outputs than ours, each run of
    outputs with the same label (the text/plain before its first ':', e.g. "эпохи" or the curve's title) is folded
    into its last state, at its first place, before the comparison;
  * what cannot repeat between two runs (addresses, timings, progress rates and clocks, GUIDs, temp paths), as
    OutputComparison.cs normalises it.
Usage: polyglot_compare.py OURS.ipynb HOST.ipynb   (exit status 1 when a cell differs)
"""
import html
import json
import re
import sys

# The same rewrites as src/Kernel/Notebooks/OutputComparison.cs's Text().
NORMALISE = [
    (re.compile(r"(\bat |\bid[=:] ?)0x[0-9a-fA-F]+\b"), r"\g<1>0x?"),
    (re.compile(r"\b0x(?:7f|7e|55|56)[0-9a-fA-F]{10}\b"), "0x?"),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "<guid>"),
    (re.compile(r"(?<![\w.])/(?:tmp|var/tmp)(?:/[^\s\"'<>,;:)\]]*)?"), "<temp>"),
    (re.compile(r"(\b(?:Wall time|CPU times?|user|sys|total|Elapsed|elapsed)\s*[:=]?\s*)\d+(?:[.,]\d+)?\s?(?:ns|µs|us|ms|s)\b"), r"\g<1><time>"),
    (re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:ns|µs|us|ms|s|sec)(?![\w/])"), "<time>"),
    (re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:it/s|s/it|samples/s|steps/s|batches/s)"), "<rate>"),
    (re.compile(r"(?<![\d:.])(?:\d{1,2}:\d{2}:\d{2}(?:\.\d+)?|(?<=[\[<])\d{2}:\d{2})(?![\d:])"), "<clock>"),
]
PRE = re.compile(r'^<div class="dni-plaintext"><pre>(.*?)</pre></div>', re.S)
WARNING = re.compile(r"^\w*Warning: ")
COMPILE_ERROR = re.compile(r"\b(CS\d{4})\b")


def text(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def normalise(s):
    s = s.replace("\r\n", "\n")
    for pattern, replacement in NORMALISE:
        s = pattern.sub(replacement, s)
    return s.rstrip("\n")


def summarise(cell):
    """(printed lines, [text/plain or None per rich output], error text or None)."""
    printed, rich, error = [], [], None
    for o in cell.get("outputs", []):
        kind = o["output_type"]
        if kind == "stream":
            printed.append(text(o.get("text")))
        elif kind == "error":
            error = o.get("ename", "") + ": " + o.get("evalue", "")
        else:
            data = o.get("data", {})
            markup = text(data.get("text/html"))
            if "dni-" in markup:
                m = PRE.match(markup)
                plain = html.unescape(m.group(1)) if m else None
                collection = plain is None or "\n" in plain or plain.startswith("[")
                rich.append(None if collection else "null" if plain == "<null>" else normalise(plain))
            else:
                rich.append(normalise(text(data.get("text/plain"))))
    lines = sorted(line for line in normalise("".join(printed)).split("\n") if line.strip())
    return lines, rich, error


def fold_updates(rich):
    """A live display's outputs folded into its last state, at its first place (see the module's docstring)."""
    folded, place = [], {}
    for value in rich:
        label = value.split(":", 1)[0] if value and ":" in value else None
        if label is not None and label in place:
            folded[place[label]] = value
        else:
            if label is not None:
                place[label] = len(folded)
            folded.append(value)
    return folded


def same_error(ours, host):
    if ours is None or host is None:
        return ours is None and host is None
    codes = set(COMPILE_ERROR.findall(ours))
    if codes:
        return codes == set(COMPILE_ERROR.findall(host))
    message = normalise(ours.split(": ", 1)[-1]).splitlines()[0].strip()
    return message in normalise(host)


def compare(ours_path, host_path):
    ours = [c for c in json.load(open(ours_path, encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    host = [c for c in json.load(open(host_path, encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    by_source = {}
    for c in host:
        by_source.setdefault(text(c["source"]).strip(), []).append(c)
    differences, compared, skipped, warned = [], 0, 0, set()
    for index, cell in enumerate(ours):
        source = text(cell["source"]).strip()
        if not by_source.get(source):
            # dotnet-repl's .ipynb sometimes carries a cell's source with a UTF-8 character split into U+FFFD (seen on
            # lessons 04 and 07): pair it by position (after the host's two set-up cells) when its first line agrees.
            at = index + len(host) - len(ours) - 1
            ascii_line = lambda t: re.sub(r"[^\x00-\x7f]", "", t.strip().split("\n")[0])  # U+FFFD for a split UTF-8 character
            if 0 <= at < len(host) and ascii_line(text(host[at]["source"])) == ascii_line(source) \
                    and host[at] not in [c for cs in by_source.values() for c in cs if c is not host[at]]:
                by_source.setdefault(source, []).append(host[at])
        if not by_source.get(source):
            differences.append(f"cell {index} ({source.splitlines()[0][:60]!r}): not in the host's notebook "
                               f"(it has {len(host)} code cells; did the run stop early?)")
            continue
        a, b = summarise(cell), summarise(by_source[source].pop(0))
        problems = []
        repeated = [line for line in b[0] if line not in a[0] and line in warned]
        warned.update(line for line in a[0] if WARNING.match(line))
        if a[0] != [line for line in b[0] if line not in repeated]:
            problems.append(f"printed lines\n    ours: {a[0]!r}\n    host: {b[0]!r}")
        if len(b[1]) > len(a[1]):
            b = (b[0], fold_updates(b[1]), b[2])
        if len(a[1]) != len(b[1]):
            problems.append(f"{len(a[1])} rich outputs here, {len(b[1])} in the host")
        else:
            for x, y in zip(a[1], b[1]):
                if y is None:
                    skipped += 1
                elif x != y:
                    problems.append(f"text/plain\n    ours: {x!r}\n    host: {y!r}")
        if not same_error(a[2], b[2]):
            problems.append(f"error\n    ours: {a[2]!r}\n    host: {(b[2] or '')[:300]!r}")
        compared += 1
        if problems:
            differences.append(f"cell {index} ({source.splitlines()[0][:60]!r}): " + "\n  ".join(problems))
    return differences, compared, skipped


if __name__ == "__main__":
    diffs, compared, skipped = compare(sys.argv[1], sys.argv[2])
    for d in diffs:
        print("  " + d)
    print(f"{sys.argv[1]}: {compared} code cells compared, {len(diffs)} differ, {skipped} host-formatted outputs not compared")
    sys.exit(1 if diffs else 0)
