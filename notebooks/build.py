#!/usr/bin/env python3
"""Builds notebooks/*.ipynb from notebooks/src/*.md (standard library only).

Source format: cells are separated by marker lines
    #%% md                 a markdown cell
    #%% cs                 a C# code cell
    #%% cs raises          a C# code cell tagged "raises-exception" (it demonstrates an error)
Text before the first marker is ignored. Leading/trailing blank lines of a cell are dropped.
Outputs are left empty: the runner (`dotnet run --project src/Kernel -- run notebooks/ --in-place`) fills them.

Each lesson also gets a Polyglot Notebooks twin, polyglot/<name>.dib (see README.md, "Two hosts, one lesson"): the
same cells in .NET Interactive's text format, C# as the default kernel, with a first cell that references the
Notebooks.Interactive package (formatters, usings, magics). A .dib carries no outputs; the .ipynb keeps them.
Usage: python3 notebooks/build.py
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
METADATA = {
    "kernelspec": {"name": "notebooks-csharp", "display_name": "C# (Notebooks)", "language": "csharp"},
    # What the kernel's kernel_info reply says (KernelIdentity.LanguageInfo), as nbconvert and our runner write it.
    "language_info": {"codemirror_mode": "text/x-csharp", "file_extension": ".cs", "mimetype": "text/x-csharp",
                      "name": "csharp", "pygments_lexer": "csharp", "version": "14.0"},
}


def source_lines(text):
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def parse(path):
    cells, kind, tags, buf = [], None, [], []

    def flush():
        if kind is None:
            return
        while buf and not buf[0].strip():
            buf.pop(0)
        while buf and not buf[-1].strip():
            buf.pop()
        cells.append((kind, tags, "\n".join(buf)))

    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("#%% "):
            flush()
            words = line[4:].split()
            kind, tags, buf = words[0], (["raises-exception"] if "raises" in words[1:] else []), []
            if kind not in ("md", "cs"):
                sys.exit(f"{path}: unknown cell kind {kind!r}")
        else:
            buf.append(line)
    flush()
    return cells


# Polyglot's own notebook metadata: C# is the default kernel, so the twin opens ready to run.
DIB_META = {"kernelInfo": {"defaultKernelName": "csharp", "items": [
    {"aliases": [], "languageName": "csharp", "name": "csharp"},
    {"aliases": [], "languageName": "markdown", "name": "markdown"}]}}
# Our Jupyter kernel has these libraries loaded already; in .NET Interactive this cell loads them. The version range
# takes the newest build, prereleases included.
DIB_FIRST_CELL = ('// Подключает Notebooks.Tensors, отображения и магические команды (#!nvidia-smi, #!vars) в .NET Interactive\n'
                  '#r "nuget: Notebooks.Interactive, *-*"')


def build_dib(path):
    sections = ["#!meta\n\n" + json.dumps(DIB_META, ensure_ascii=False), "#!csharp\n\n" + DIB_FIRST_CELL]
    for kind, _, text in parse(path):
        sections.append(("#!markdown" if kind == "md" else "#!csharp") + "\n\n" + text)
    out = HERE / "polyglot" / (path.stem + ".dib")
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return out


def build(path):
    cells = []
    for i, (kind, tags, text) in enumerate(parse(path), start=1):
        cell_id = f"cell-{i:03d}"
        if kind == "md":
            cells.append({"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source_lines(text)})
        else:
            metadata = {"tags": tags} if tags else {}
            cells.append({"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": metadata,
                          "outputs": [], "source": source_lines(text)})
    notebook = {"cells": cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}
    out = HERE / (path.stem + ".ipynb")
    out.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out, len(cells)


if __name__ == "__main__":
    for src in sorted((HERE / "src").glob("*.md")):
        out, n = build(src)
        print(f"{out.relative_to(HERE.parent)}: {n} cells")
        print(f"{build_dib(src).relative_to(HERE.parent)}: {n + 1} cells")
