#!/usr/bin/env python3
"""Build the zh/en lesson notebooks from their one text source.

    python3 tools/build_lessons.py           # (re)write every generated notebook
    python3 tools/build_lessons.py --check   # write nothing; exit 1 and list stale files
    python3 tools/build_lessons.py --only 02 # just lesson 02 (while others are being edited)

Each ``lessons/NN_slug.py`` (jupytext ``py:percent``) becomes four notebooks:

    notebooks/zh/NN_slug.ipynb            students, Simplified Chinese
    notebooks/en/NN_slug.ipynb            students, English
    notebooks/teacher/zh/NN_slug.ipynb    teachers (solutions instead of stubs)
    notebooks/teacher/en/NN_slug.ipynb

They are written without outputs or execution counts, with stable cell ids, so
rebuilding gives byte-identical files and ``--check`` can tell when one is stale.
Generated notebooks that no longer have a source are deleted (listed by ``--check``).

HOW TO WRITE A LESSON
=====================

Copy ``lessons/01_why_schedule.py`` and keep its shape. The rules the build enforces:

1. **Prose cells come in languages.** Every markdown cell is tagged either
   ``lang-zh`` or ``lang-en``::

       # %% [markdown] tags=["lang-zh"]
       # ## 让梯度下降发散
       # %% [markdown] tags=["lang-en"]
       # ## Make gradient descent diverge

   An untagged markdown cell is an error. Between two code cells there must be
   as many zh cells as en cells, so both notebooks have the same cells in the same
   places. Write each language for its own readers: same facts, your own words,
   not a sentence-by-sentence translation.
2. **Code cells are shared** and identical in both languages. Everything a student
   sees in a printout comes from ``lrcourse.i18n.t(key)``, never a literal string. Each
   lesson keeps its strings in its own file, ``lessons/strings/lNN.py``
   (``STRINGS = {"l02_key": ("中文", "English"), ...}``, keys prefixed with the lesson
   number); ``lrcourse.i18n`` merges them. Text inside figures goes through
   ``plot_text(key)`` (defined in lesson 01's setup cell with
   ``lrcourse.fonts.plot_language()``), which falls back to English when no Chinese
   font is installed. Keep code comments short, in English.
3. **The first code cell is the language cell**, tagged ``parameters``::

       # %% tags=["parameters"]
       import lrlib
       import lrcourse
       LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, ...
       lrcourse.set_language(LANG)

   It is the same in both languages, like every code cell: ``lesson_language()``
   reads the language from the folder the notebook is in.
4. **Exercises.** A code cell tagged ``exercise`` (the student's stub) sits right
   next to a code cell tagged ``solution`` (the teacher's answer). Student notebooks
   get the stub, teacher notebooks the solution, at the same position. The stub
   calls the check, the solution asserts it, so a wrong solution fails CI::

       # %% tags=["exercise"]
       def my_schedule(t):
           ...  # your code here
       ex.check_schedule(my_schedule, ...)

       # %% tags=["solution"]
       def my_schedule(t):
           return ...
       assert ex.check_schedule(my_schedule, ...)

   The check functions (``lrlib/exercises.py``: ``check_schedule``, ``check_number``,
   ``check_range``, ``check_choice``, ``check_function``) test properties, never
   raise on a wrong answer and print their verdict in the lesson's language. When a
   check needs the answer itself (a number, a choice), pass it sealed so the stub
   does not show it: ``ex.check_number(x, "sealed:...")`` with the string from
   ``lrcourse.exercises.seal(value)``. Hints are markdown cells after the exercise,
   one ``<details>`` block per layer ("提示 1" / "Hint 1", then 2, 3), the last one
   close to the answer.
5. **Claims are computed.** If the prose states a number or a comparison that code
   can compute, a cell computes it and asserts it, so CI fails the day it stops
   being true. Seed every random generator (``np.random.default_rng(seed)``); for
   anything random use at least 5 seeds, show the spread, and assert that an effect
   is larger than the spread. Correct the misconceptions of your topic (the M-table
   in the teaching reference) the same way: quote the claim, then compute.
6. **Explorers** (``lrcourse.explorers``): before each one, a markdown "predict first"
   question; the code cell shows the two or three lrlib calls the explorer makes.
   The **last cell** of the lesson drives every explorer from code (sets a few
   ``controls[...]`` values, calls ``update()``, asserts on ``lines``/``schedule``),
   so a broken callback fails CI. When no lrlib explorer fits, build a small one
   from core ipywidgets, a persistent ``matplotlib.figure.Figure`` and a
   ``widgets.Image``: ``lrcourse.explorers.live_figure`` does exactly that (lesson 01 uses
   it); never ``interact``/ipympl.
7. **Template** (headings in each language): title with a verb; 你将学到 / What
   you'll learn; 你需要 / What you'll need; steps, each heading a verb; 动手试试 /
   On your own (exercises); 小结 / Summary; 延伸阅读 / Further reading.
8. **Glossary.** Use the terms of ``lrcourse.i18n.glossary()`` (lesson 00 shows the
   table). ``tests/test_lessons.py`` rejects known competing translations in zh
   prose (e.g. 热身 for 预热) and other spellings in en prose (e.g. "warm-up").
   To quote someone else's wording (a misconception), put it in a blockquote line
   starting with ``>`` or in quotation marks (“…”, "…"); quoted text is exempt,
   and so is code in backticks.
9. **Budget.** A lesson runs top to bottom in a fresh kernel in under 15 s on a
   2-core laptop CPU, with no downloads.

Then run ``python3 tools/build_lessons.py`` and commit the source and the four
notebooks together. Test with::

    python -m pytest tests/test_lessons.py -q
    python -m pytest --nbval-lax --nbval-current-env -p no:python -o filterwarnings= notebooks/

Allowed cell tags: ``lang-zh``, ``lang-en`` (markdown), ``parameters``,
``exercise``, ``solution`` (code), and the nbval tags (``raises-exception``,
``nbval-skip``, ...), which are kept.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")
EDITIONS = ("student", "teacher")
SOURCE_RE = re.compile(r"^(\d\d)_([a-z0-9_]+)\.py$")
LANG_CELL = "LANG = lrcourse.lesson_language()"
KEPT_TAGS = {"parameters", "exercise", "solution", "raises-exception", "nbval-raises-exception",
             "nbval-skip", "nbval-ignore-output", "nbval-check-output", "remove-input", "hide-input"}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}


class LessonError(ValueError):
    """A lesson source breaks one of the rules in the module docstring."""


def out_dir(root: Path, lang: str, edition: str) -> Path:
    """Where the notebooks of one language and edition go."""
    base = root / "notebooks"
    return base / lang if edition == "student" else base / "teacher" / lang


def lesson_sources(root: Path) -> list[Path]:
    """Every ``lessons/NN_slug.py``, in order."""
    return sorted(p for p in (root / "lessons").glob("*.py") if SOURCE_RE.match(p.name))


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def read_source(path: Path):
    """Read a lesson source (jupytext py:percent) and check the rules; return its cells."""
    import jupytext  # only needed to build

    nb = jupytext.read(path, fmt="py:percent")
    cells = [c for c in nb.cells if not (c.cell_type == "raw" and not c.source.strip())]
    where = path.name
    problems = []
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), None)
    if first_code is None:
        raise LessonError(f"{where}: no code cell")
    if "parameters" not in _tags(cells[first_code]) or LANG_CELL not in cells[first_code].source \
            or "set_language(LANG)" not in cells[first_code].source:
        problems.append(f"{where}: the first code cell must be tagged 'parameters' and contain "
                        f"{LANG_CELL} and lrcourse.set_language(LANG)")
    run = {"zh": 0, "en": 0}
    run_start = 0
    for i, c in enumerate(cells):
        tags = _tags(c)
        unknown = [t for t in tags if t not in KEPT_TAGS and t not in ("lang-zh", "lang-en")]
        if unknown:
            problems.append(f"{where}: cell {i}: unknown tag(s) {unknown}")
        if c.cell_type == "markdown":
            langs = [t[5:] for t in tags if t in ("lang-zh", "lang-en")]
            if len(langs) != 1:
                problems.append(f"{where}: markdown cell {i} must be tagged exactly one of lang-zh / lang-en "
                                f"(starts {c.source[:40]!r})")
                continue
            run[langs[0]] += 1
        elif c.cell_type == "code":
            if run["zh"] != run["en"]:
                problems.append(f"{where}: markdown cells {run_start}..{i - 1}: {run['zh']} zh vs "
                                f"{run['en']} en; pair every zh cell with an en cell")
            run = {"zh": 0, "en": 0}
            run_start = i + 1
            if "exercise" in tags and "solution" in tags:
                problems.append(f"{where}: cell {i} is tagged both exercise and solution")
        else:
            problems.append(f"{where}: cell {i}: {c.cell_type} cells are not allowed")
    if run["zh"] != run["en"]:
        problems.append(f"{where}: final markdown cells: {run['zh']} zh vs {run['en']} en")
    # every exercise cell has a solution cell right next to it, and vice versa
    for i, c in enumerate(cells):
        for tag, other in (("exercise", "solution"), ("solution", "exercise")):
            if tag in _tags(c):
                nbrs = [cells[j] for j in (i - 1, i + 1) if 0 <= j < len(cells)]
                if not any(n.cell_type == "code" and other in _tags(n) for n in nbrs):
                    problems.append(f"{where}: {tag} cell {i} needs a {other} cell right before or after it")
    if problems:
        raise LessonError("\n".join(problems))
    return cells


def render(path: Path, lang: str, edition: str, parsed=None) -> str:
    """The text of one generated notebook (``parsed``: what ``read_source(path)`` returned)."""
    import nbformat

    cells = parsed or read_source(path)
    slug = path.stem
    drop = "solution" if edition == "student" else "exercise"
    nb = nbformat.v4.new_notebook()
    out = []
    for c in cells:
        tags = _tags(c)
        if c.cell_type == "markdown":
            if f"lang-{lang}" not in tags:
                continue
            new = nbformat.v4.new_markdown_cell(c.source)
        else:
            if drop in tags:
                continue
            new = nbformat.v4.new_code_cell(c.source)
        kept = [t for t in tags if t in KEPT_TAGS]
        new.metadata = {"tags": kept} if kept else {}
        new.id = f"{slug[:40]}-{len(out):03d}".replace("_", "-")
        out.append(new)
    nb.cells = out
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "lrlib": {"lang": lang, "language": LANGUAGE_NAMES[lang], "edition": edition,
                  "source": f"lessons/{path.name}",
                  "generated_by": "tools/build_lessons.py (edit the source, not this file)"},
    }
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    text = nbformat.writes(nb, version=4)  # canonical: sorted keys, one-space indent, lines split
    return text if text.endswith("\n") else text + "\n"


def expected_files(root: Path, only: set[str] | None = None) -> dict[Path, str]:
    """Every generated file and its text (raises LessonError listing every broken source).

    ``only`` limits the build to the lessons whose number (``"02"``) is in it.
    """
    files, errors = {}, []
    for src in lesson_sources(root):
        if only and src.name[:2] not in only:
            continue
        try:
            parsed = read_source(src)
            for lang in LANGS:
                for edition in EDITIONS:
                    files[out_dir(root, lang, edition) / f"{src.stem}.ipynb"] = render(src, lang, edition, parsed)
        except LessonError as exc:
            errors.append(str(exc))
    if errors:
        raise LessonError("\n".join(errors))
    return files


def existing_generated(root: Path) -> set[Path]:
    """The generated notebooks currently on disk."""
    found = set()
    for lang in LANGS:
        for edition in EDITIONS:
            d = out_dir(root, lang, edition)
            if d.is_dir():
                found.update(p for p in d.glob("*.ipynb") if SOURCE_RE.match(p.stem + ".py"))
    return found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 and list stale files")
    ap.add_argument("--root", type=Path, default=ROOT, help="project root (default: this repository)")
    ap.add_argument("--only", nargs="+", metavar="NN",
                    help="build or check only these lessons (by number, e.g. --only 02 03)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    only = {n.zfill(2) for n in args.only} if args.only else None
    try:
        files = expected_files(root, only)
    except LessonError as exc:
        print(f"lesson source error:\n{exc}", file=sys.stderr)
        return 2
    stale = sorted(p for p, text in files.items()
                   if not p.exists() or p.read_text(encoding="utf-8") != text)
    orphans = [] if only else sorted(existing_generated(root) - set(files))
    rel = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    if args.check:
        for p in stale:
            print(f"stale: {rel(p)}" if p.exists() else f"missing: {rel(p)}")
        for p in orphans:
            print(f"no source: {rel(p)}")
        if stale or orphans:
            print("run: python3 tools/build_lessons.py", file=sys.stderr)
            return 1
        print(f"{len(files)} notebooks up to date")
        return 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(files[p])
        print(f"wrote {rel(p)}")
    for p in orphans:
        p.unlink()
        print(f"deleted {rel(p)} (no source)")
    print(f"{len(files)} notebooks, {len(stale)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
