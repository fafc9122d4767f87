#!/usr/bin/env python3
"""How long each student notebook is: prose, code cells and explorers, per lesson and language.

    python3 tools/lesson_stats.py            # a table of every student notebook (notebooks/{zh,en}/)
    python3 tools/lesson_stats.py --markdown # the same table in Markdown

A lesson is one 45-minute class. ``tests/lessons/test_student_edition.py`` holds every
student notebook of a lesson (not the optional "going deeper" notebooks) to these limits:

    prose       at most 2,000 words (en) or 2,600 CJK ideographs (zh), counted in the
                markdown cells outside fenced code blocks (```` ``` ```` or ``~~~``)
    explorers   at most 3: constructions of the explorer classes of ``lrcourse.explorers``
                (``SteppingExplorer(...)``, ...) and calls of ``live_figure(...)`` in code cells
    code cells  at most 25

Words are whitespace-separated runs of characters; CJK ideographs are the characters of
the CJK Unified Ideographs block (U+4E00-U+9FFF) and its extensions (A: U+3400-U+4DBF,
B-G: U+20000-U+3134F) and the compatibility ideographs (U+F900-U+FAFF); Chinese
punctuation and Latin text in a zh notebook are not counted. The lengths are of the
Markdown source as written (link targets and HTML comments included, which are few).

Example:
    >>> prose_length("Hello, class.\\n\\n```python\\nx = 1\\n```\\n", "en")
    2
    >>> prose_length("学习率，调度。", "zh")
    5
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {"words_en": 2000, "ideographs_zh": 2600, "explorers": 3, "code_cells": 25}
CJK_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# The explorers a lesson can build: the classes of lrcourse.explorers, and live_figure (a small one of its own).
EXPLORER_CLASSES = ("SeedRecipeExplorer", "DecayComparisonExplorer", "WarmupExplorer", "WarmRestartsExplorer",
                    "SteppingExplorer", "BatchScalingExplorer")
EXPLORER_CALLS = EXPLORER_CLASSES + ("live_figure",)


def outside_fences(markdown: str) -> str:
    """A markdown cell's text without its fenced code blocks (a fence closes with the same character, as long)."""
    out, fence = [], None
    for line in markdown.splitlines():
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            fence = None
        elif fence is None:
            out.append(line)
    return "\n".join(out)


def prose_length(markdown: str, lang: str) -> int:
    """Words (en) or CJK ideographs (zh) of a markdown text, fenced code blocks left out."""
    text = outside_fences(markdown)
    return len(CJK_IDEOGRAPH.findall(text)) if lang == "zh" else len(text.split())


def explorer_count(code: str) -> int:
    """How many explorers a code cell builds: calls of an explorer class or of ``live_figure``.

    Read from Python's tokens, so a name in a comment or a string does not count, and neither
    does an attribute of that name or a ``def``.

        >>> explorer_count("ex = SteppingExplorer(lr=0.1)  # not: WarmupExplorer()\\nlive_figure(fig, {}, draw)")
        2
    """
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(code + "\n").readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                                  tokenize.DEDENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return 0
    n = 0
    for i, tok in enumerate(toks):
        if tok.type == tokenize.NAME and tok.string in EXPLORER_CALLS and i + 1 < len(toks) \
                and toks[i + 1].string == "(" and not (i > 0 and toks[i - 1].string in ("def", "class")):
            n += 1
    return n


def _source(cell) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def notebook_stats(path: Path) -> dict:
    """The counts of one notebook: ``lang``, ``prose`` (words or ideographs), ``code_cells``, ``explorers``."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    lang = nb["metadata"].get("lrcourse", {}).get("lang") or Path(path).parent.name
    md = [_source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    code = [_source(c) for c in nb["cells"] if c["cell_type"] == "code"]
    return {"lang": lang, "prose": sum(prose_length(m, lang) for m in md), "code_cells": len(code),
            "explorers": sum(explorer_count(c) for c in code)}


def over_limits(stats: dict) -> list[str]:
    """What of a lesson's student notebook is over a class period's limits (see the module docstring)."""
    out = []
    limit = LIMITS["ideographs_zh"] if stats["lang"] == "zh" else LIMITS["words_en"]
    unit = "CJK ideographs" if stats["lang"] == "zh" else "words"
    if stats["prose"] > limit:
        out.append(f"{stats['prose']} {unit} of prose (at most {limit})")
    if stats["explorers"] > LIMITS["explorers"]:
        out.append(f"{stats['explorers']} explorers (at most {LIMITS['explorers']})")
    if stats["code_cells"] > LIMITS["code_cells"]:
        out.append(f"{stats['code_cells']} code cells (at most {LIMITS['code_cells']})")
    return out


def table(root: Path = ROOT) -> list[dict]:
    """One row per student notebook: stem, zh and en counts, and whether the lesson fits a class."""
    rows = []
    stems = sorted({p.stem for lang in ("zh", "en") for p in (root / "notebooks" / lang).glob("[0-9][0-9]_*.ipynb")})
    for stem in stems:
        row = {"stem": stem}
        for lang in ("zh", "en"):
            path = root / "notebooks" / lang / f"{stem}.ipynb"
            row[lang] = notebook_stats(path) if path.exists() else None
        deeper = stem.endswith("_deeper")
        row["fits"] = "(no limit)" if deeper else "yes" if all(
            row[lang] and not over_limits(row[lang]) for lang in ("zh", "en")) else "NO"
        rows.append(row)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--root", type=Path, default=ROOT, help="project root (default: this repository)")
    args = ap.parse_args(argv)
    head = ["notebook", "zh ideographs", "zh code cells", "zh explorers", "en words", "en code cells",
            "en explorers", "fits 45 min"]
    lines = []
    for row in table(args.root):
        zh, en = row["zh"] or {}, row["en"] or {}
        lines.append([row["stem"], zh.get("prose", "-"), zh.get("code_cells", "-"), zh.get("explorers", "-"),
                      en.get("prose", "-"), en.get("code_cells", "-"), en.get("explorers", "-"), row["fits"]])
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|")
        for line in lines:
            print("| " + " | ".join(str(x) for x in line) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
        for line in [head, *lines]:
            print("  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w) for i, (x, w) in enumerate(zip(line, widths))))
        print(f"\nlimits per lesson (not the going-deeper notebooks): {LIMITS['ideographs_zh']} CJK ideographs (zh), "
              f"{LIMITS['words_en']} words (en), {LIMITS['explorers']} explorers, {LIMITS['code_cells']} code cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
