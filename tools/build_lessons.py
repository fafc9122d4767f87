#!/usr/bin/env python3
"""Build the lesson notebooks from their Markdown sources, one source per lesson and language.

    python3 tools/build_lessons.py              # (re)write every generated notebook
    python3 tools/build_lessons.py --check      # write nothing; exit 1 and list stale or edited files
    python3 tools/build_lessons.py --only 02    # just lesson 02 (seconds)
    python3 tools/build_lessons.py --carry-back # first write edits made in the notebooks back into the sources
    python3 tools/build_lessons.py --discard    # overwrite edited notebooks with the build's version
    python3 tools/build_lessons.py --editions check   # only the check edition, into build/check/ (for CI)

Each lesson has two sources, ``lessons/zh/NN_slug.md`` and ``lessons/en/NN_slug.md``
(jupytext's MyST Markdown), and each source becomes notebooks of its language, one per edition:

    notebooks/zh/NN_slug.ipynb      student edition, Simplified Chinese   (from lessons/zh/NN_slug.md)
    notebooks/en/NN_slug.ipynb      student edition, English              (from lessons/en/NN_slug.md)
    teacher/zh/NN_slug.ipynb        teacher edition: solutions instead of exercise stubs, and the
    teacher/en/NN_slug.ipynb        teacher's notes (outside notebooks/, out of the students' file browser)
    build/check/zh/NN_slug.ipynb    check edition: the teacher edition plus the ``check`` cells, for CI
    build/check/en/NN_slug.ipynb    (only with ``--editions check``; generated, never committed)

What each edition holds, by the tags of the source's cells:

    cell tagged       student   teacher   check
    (no tag)             x         x        x
    exercise             x
    solution                       x        x
    check  (code)                           x
    teacher (markdown)             x        x

A lesson may have a "going deeper" notebook, ``lessons/{zh,en}/NN_slug_deeper.md``: it is
built like a lesson (the same rules and editions) and sorts right after its lesson.

The student and teacher notebooks are written without outputs or execution counts, with stable
cell ids (``NN-slug-017`` is cell 17 of the source, the same in every edition), so rebuilding
gives byte-identical files and ``--check`` can tell when one is stale. Generated notebooks
whose lesson no longer has a source are deleted. The check edition is not committed, not
part of ``--check`` and not protected from overwriting (nobody edits it): ``python3
tools/dev.py test`` builds it and runs it.

A TEACHER'S EDIT IN A NOTEBOOK IS NEVER SILENTLY OVERWRITTEN
============================================================

Each student or teacher notebook records what the build wrote (``metadata.lrcourse.written``: a hash of
every cell's type, tags and text). If a notebook on disk no longer matches that record
(someone edited it in JupyterLab; outputs, execution counts and JupyterLab's own
metadata do not count), the build leaves it alone, lists the cells that differ and
says what to do:

- ``--carry-back`` (also ``python3 tools/dev.py pull``) writes the edited cells back into
  that language's source, then rebuilds: a student notebook's exercise stubs go back to
  the ``exercise`` cells, a teacher notebook's answers to the ``solution`` cells, and
  new, deleted or moved cells are carried back too. The cells are matched by their ids.
  It refuses (and writes nothing) when the source itself changed since the notebook was
  built, or when the student and the teacher notebook changed the same cell differently.
- ``--discard`` overwrites the edited notebook with the build's version.

HOW TO WRITE A LESSON
=====================

Copy ``lessons/zh/01_why_schedule.md`` and ``lessons/en/01_why_schedule.md`` and keep
their shape. A source is MyST Markdown as jupytext reads it: prose is ordinary Markdown
(a paragraph is a paragraph), ``+++`` separates two Markdown cells, and a code cell is::

    ```{code-cell}
    :tags: [exercise]

    def my_schedule(t):
        ...  # 在这里写你的代码
    ```

JupyterLab with jupytext installed opens these files as notebooks, too. The rules the
build enforces:

1. **Two languages, the same cells.** ``lessons/zh/NN_slug.md`` and
   ``lessons/en/NN_slug.md`` have the same cells in the same order: the same kinds, the
   same tags, and code that does the same thing. Only text differs: prose, string
   literals and comments are in each file's language. (The build compares each pair of
   code cells token by token with string literals and comments set aside.) Write each
   language for its own readers: same facts, your own words, not a sentence-by-sentence
   translation.
2. **What a cell prints or draws is written in the cell**, in the notebook's language:
   ``print(f"第 {step} 步的学习率：{lr:.4f}")`` in the zh source,
   ``print(f"learning rate at step {step}: {lr:.4f}")`` in the en source, or
   ``"...".format(step=step, lr=lr)`` when an f-string would need quotes or backslashes
   inside its braces (Python 3.10). Keep the fields, their order in the code and the
   formatting the same in both. The course's own vocabulary may stay a lookup:
   ``t("learning_rate")`` (``lrcourse.i18n``), and ``plot_text("learning_rate")`` for a
   figure (defined in the setup cell with ``lrcourse.fonts.plot_language()``), which falls
   back to English when no Chinese font is installed. Lesson-specific text never goes
   into ``lrcourse``. Comments are in the file's language.
3. **The first code cell is the language cell**, tagged ``parameters``::

       try:
           import lrlib
           import lrcourse
       except ImportError:  # say how to install them, in the file's language, then stop
           ...  # print(...) the %pip install line; raise SystemExit("...") from None
       LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, ...
       lrcourse.set_language(LANG)

   ``lesson_language()`` reads the language from the folder the notebook is in. When
   the packages are missing (a notebook opened outside the course's environment), the
   cell prints in its language what to run and stops with a one-line ``SystemExit``:
   copy the first cell of an existing lesson (``tests/lessons/test_without_the_packages.py``
   runs every lesson's first cell without lrlib).
4. **Exercises.** A code cell tagged ``exercise`` (the student's stub) sits right
   next to a code cell tagged ``solution`` (the teacher's answer). Student notebooks
   get the stub, teacher notebooks the solution, at the same position. The stub
   calls the check, the solution asserts it, so a wrong solution fails CI::

       ```{code-cell}
       :tags: [exercise]

       def my_schedule(t):
           ...  # your code here
       ex.check_schedule(my_schedule, ...)
       ```

       ```{code-cell}
       :tags: [solution]

       def my_schedule(t):
           return ...
       assert ex.check_schedule(my_schedule, ...)
       ```

   The check functions (``lrcourse/exercises.py``: ``check_schedule``, ``check_number``,
   ``check_range``, ``check_choice``, ``check_function``) test properties, never
   raise on a wrong answer and print their verdict in the lesson's language. When a
   check needs the answer itself (a number, a choice), pass it sealed so the stub
   does not show it: ``ex.check_number(x, "sealed:...", rtol=1e-3)`` with the string
   from ``lrcourse.exercises.seal(value, rtol=1e-3)`` (the check's tolerance; a seal is
   one-way, so the solution or a ``check`` cell may pass the plain value;
   ``seal_range`` for ``check_range``). Hints are markdown cells after the exercise,
   one ``<details>`` block per layer ("提示 1" / "Hint 1", then 2, 3), the last one
   close to the answer.
5. **Claims are computed.** If the prose states a number or a comparison that code
   can compute, a cell computes it and a ``check`` cell asserts it, so CI (which runs
   the check edition) fails the day it stops being true. Students never see the
   ``check`` cells: no cell after one may use a name only a check cell defines. Seed every random generator (``np.random.default_rng(seed)``); for
   anything random use at least 5 seeds, show the spread, and assert that an effect
   is larger than the spread. Correct the misconceptions of your topic the same way:
   quote the claim, then compute.
6. **Explorers** (``lrcourse.explorers``): before each one, a markdown "predict first"
   question; the code cell shows the two or three lrlib calls the explorer makes.
   A ``check`` cell drives every explorer from code (sets a few ``controls[...]``
   values, calls ``update()``, asserts on ``lines``/``schedule``), so a broken
   callback fails CI. When no
   explorer fits, build a small one from core ipywidgets, a persistent
   ``matplotlib.figure.Figure`` and a ``widgets.Image``: ``lrcourse.explorers.live_figure``
   does exactly that (lesson 01 uses it); never ``interact``/ipympl.
7. **Template** (headings in each language): title with a verb; 你将学到 / What
   you'll learn; 你需要 / What you'll need; steps, each heading a verb; 动手试试 /
   On your own (exercises); 小结 / Summary; 延伸阅读 / Further reading.
8. **Glossary.** Use the terms of ``lrcourse.i18n.glossary()`` (lesson 00 shows the
   table). ``tests/lessons/test_lessons.py`` rejects known competing translations in zh
   prose (e.g. 热身 for 预热) and other spellings in en prose (e.g. "warm-up").
   To quote someone else's wording (a misconception), put it in a blockquote line
   starting with ``>`` or in quotation marks (“…”, "…"); quoted text is exempt,
   and so is code in backticks.
9. **Budget.** A lesson runs top to bottom in a fresh kernel in under 15 s on a
   2-core laptop CPU, with no downloads.

Then run ``python3 tools/build_lessons.py`` (or ``python3 tools/dev.py build``) and
commit the two sources and the four notebooks together. Test with::

    python -m pytest tests/lessons/test_lessons.py -q
    python -m pytest --nbval-lax --nbval-current-env -p no:python -o filterwarnings= notebooks/

Allowed cell tags: ``parameters``, ``exercise``, ``solution``, ``check`` (code cells),
``teacher`` (markdown cells), and the nbval tags (``raises-exception``, ``nbval-skip``, ...) and ``remove-input`` /
``hide-input``, which are kept in the notebooks.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")
EDITIONS = ("student", "teacher")  # committed, checked by --check, protected from overwriting
ALL_EDITIONS = EDITIONS + ("check",)  # check: generated for CI into build/check/, never committed
SOURCE_RE = re.compile(r"^(\d\d)_([a-z0-9_]+)\.md$")
NOTEBOOK_RE = re.compile(r"^(\d\d)_([a-z0-9_]+)\.ipynb$")
MYST = "md:myst"  # jupytext's MyST Markdown
# Written into a source's jupytext header: keep only cell tags, no notebook metadata (so no header at all).
TEXT_METADATA = {"jupytext": {"notebook_metadata_filter": "-all", "cell_metadata_filter": "tags,-all"}}
LANG_CELL = "LANG = lrcourse.lesson_language()"
CODE_ONLY_TAGS = {"parameters", "exercise", "solution", "check"}
MARKDOWN_ONLY_TAGS = {"teacher"}
# Which source cells each edition leaves out, by tag (a code cell's tag, or a markdown cell's).
DROPPED = {"student": {"solution", "check", "teacher"}, "teacher": {"exercise", "check"}, "check": {"exercise"}}
KEPT_TAGS = CODE_ONLY_TAGS | MARKDOWN_ONLY_TAGS | {"raises-exception", "nbval-raises-exception", "nbval-skip", "nbval-ignore-output",
                              "nbval-check-output", "remove-input", "hide-input"}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
META = "lrcourse"  # the notebooks' own metadata key


class LessonError(ValueError):
    """A lesson source breaks one of the rules in the module docstring."""


# ------------------------------------------------------------------ where things are ---

def out_dir(root: Path, lang: str, edition: str) -> Path:
    """Where the notebooks of one language and edition go: ``notebooks/``, ``teacher/`` or ``build/check/``."""
    if edition not in ALL_EDITIONS:
        raise ValueError(f"edition must be one of {list(ALL_EDITIONS)}, got edition={edition!r}")
    return root / {"student": "notebooks", "teacher": "teacher", "check": "build/check"}[edition] / lang


def source_path(root: Path, lang: str, stem: str) -> Path:
    """The source of one lesson in one language: ``lessons/<lang>/<stem>.md``."""
    return root / "lessons" / lang / f"{stem}.md"


def lesson_stems(root: Path) -> list[str]:
    """Every lesson (``NN_slug``) with a source in either language, in order."""
    return sorted({p.stem for lang in LANGS for p in (root / "lessons" / lang).glob("*.md")
                   if SOURCE_RE.match(p.name)})


def existing_generated(root: Path, editions=EDITIONS) -> set[Path]:
    """The notebooks on disk in the generated folders (of ``editions``) that are named like a lesson."""
    found = set()
    for lang in LANGS:
        for edition in editions:
            d = out_dir(root, lang, edition)
            if d.is_dir():
                found.update(p for p in d.glob("*.ipynb") if NOTEBOOK_RE.match(p.name))
    return found


def _rel(root: Path, p: Path) -> str:
    return p.relative_to(root).as_posix()


# --------------------------------------------------------------------------- sources ---

def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def read_cells(path: Path) -> list:
    """The cells of a source file, as jupytext reads its MyST Markdown."""
    import jupytext  # only needed to build

    try:
        nb = jupytext.read(path, fmt=MYST)
    except Exception as exc:  # jupytext's parse errors name the cell and line
        raise LessonError(f"{path.name}: cannot be read as MyST Markdown: {exc}") from exc
    return [c for c in nb.cells if not (c.cell_type == "raw" and not c.source.strip())]


def cell_problems(cells: list, where: str) -> list[str]:
    """What breaks the rules of one language's source (rules 3 and 4, the allowed tags)."""
    problems = []
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), None)
    if first_code is None:
        return [f"{where}: no code cell"]
    first = cells[first_code]
    if "parameters" not in _tags(first) or LANG_CELL not in first.source or "set_language(LANG)" not in first.source:
        problems.append(f"{where}: the first code cell must be tagged 'parameters' and contain "
                        f"{LANG_CELL} and lrcourse.set_language(LANG)")
    for i, c in enumerate(cells):
        tags = _tags(c)
        unknown = [t for t in tags if t not in KEPT_TAGS]
        if unknown:
            problems.append(f"{where}: cell {i}: unknown tag(s) {unknown} (allowed: {sorted(KEPT_TAGS)})")
        if c.cell_type not in ("markdown", "code"):
            problems.append(f"{where}: cell {i}: {c.cell_type} cells are not allowed")
        elif c.cell_type == "markdown" and set(tags) & CODE_ONLY_TAGS:
            problems.append(f"{where}: markdown cell {i} is tagged {sorted(set(tags) & CODE_ONLY_TAGS)}, "
                            "which only code cells may be")
        elif c.cell_type == "code" and set(tags) & MARKDOWN_ONLY_TAGS:
            problems.append(f"{where}: code cell {i} is tagged {sorted(set(tags) & MARKDOWN_ONLY_TAGS)}, "
                            "which only markdown cells may be (a teacher-only code cell is a 'check' or a "
                            "'solution' cell)")
        if "check" in tags and set(tags) & {"exercise", "solution", "parameters"}:
            problems.append(f"{where}: cell {i} is tagged check and {sorted(set(tags) & {'exercise', 'solution', 'parameters'})}"
                            "; a check cell is only in the check edition, so it cannot be another kind of cell")
        if "exercise" in tags and "solution" in tags:
            problems.append(f"{where}: cell {i} is tagged both exercise and solution")
    for i, c in enumerate(cells):  # every exercise cell has a solution cell right next to it, and vice versa
        for tag, other in (("exercise", "solution"), ("solution", "exercise")):
            if tag in _tags(c):
                nbrs = [cells[j] for j in (i - 1, i + 1) if 0 <= j < len(cells)]
                if not any(n.cell_type == "code" and other in _tags(n) for n in nbrs):
                    problems.append(f"{where}: {tag} cell {i} needs a {other} cell right before or after it")
    return problems


def read_source(path: Path) -> list:
    """Read one language's source and check its rules; return its cells."""
    cells = read_cells(path)
    problems = cell_problems(cells, f"lessons/{path.parent.name}/{path.name}")
    if problems:
        raise LessonError("\n".join(problems))
    return cells


def code_logic(source: str) -> list[str]:
    """A code cell's tokens with each string literal (an f-string whole) as ``"S"``, comments and blank
    lines set aside.

    Two cells that differ only in the language of their text give the same list; a message cut into a
    different number of adjacent literal pieces does not (so the two languages keep one layout):

        >>> code_logic('print(f"第 {k} 步")  # 打印') == code_logic('print(f"step {k}")')
        True
        >>> code_logic("x = 1") == code_logic("x = 2")
        False
        >>> code_logic('print("a " "b")') == code_logic('print("a b")')
        False
    """
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.STRING, tokenize.ENCODING, tokenize.ENDMARKER}
    out, in_fstring = [], 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
            name = tokenize.tok_name[tok.type]
            if name.endswith("STRING_START"):  # FSTRING_START (3.12+), TSTRING_START (3.14+)
                if not in_fstring:
                    out.append("S")
                in_fstring += 1
            elif name.endswith("STRING_END"):
                in_fstring -= 1
            elif tok.type == tokenize.STRING and not in_fstring:
                out.append("S")
            elif not in_fstring and tok.type not in skip and not name.endswith("STRING_MIDDLE"):
                out.append(name if tok.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) else tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return ["<not Python>", source]  # (an IPython magic, say): then the text itself must agree
    return out


def _first_line(text: str, width: int = 70) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[:width - 1] + "…"


def pair_problems(stem: str, cells: dict[str, list]) -> list[str]:
    """Where the zh and en sources of a lesson differ in anything but their text (rule 1)."""
    zh, en = cells["zh"], cells["en"]
    where = f"lessons/{{zh,en}}/{stem}.md"
    problems = []
    if len(zh) != len(en):
        problems.append(f"{where}: zh has {len(zh)} cells, en has {len(en)}; the languages need the same cells")
    for i, (a, b) in enumerate(zip(zh, en)):
        if a.cell_type != b.cell_type:
            problems.append(f"{where}: cell {i} is {a.cell_type} in zh ({_first_line(a.source)!r}) "
                            f"but {b.cell_type} in en ({_first_line(b.source)!r})")
            break  # everything after is shifted
        if _tags(a) != _tags(b):
            problems.append(f"{where}: cell {i} is tagged {_tags(a)} in zh but {_tags(b)} in en")
        if a.cell_type == "code":
            la, lb = code_logic(a.source), code_logic(b.source)
            if la != lb:
                k = next((k for k, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
                problems.append(f"{where}: code cell {i} ({_first_line(a.source)!r}) does something different "
                                f"in zh and en (strings and comments aside): zh has "
                                f"{' '.join(la[k:k + 6]) or 'nothing more'!r} where en has "
                                f"{' '.join(lb[k:k + 6]) or 'nothing more'!r}")
    return problems


def source_text(cells: list) -> str:
    """The MyST Markdown of a list of cells, as jupytext writes it (what ``--carry-back`` writes)."""
    import jupytext
    import nbformat

    nb = nbformat.v4.new_notebook()
    for c in cells:
        meta = {"tags": _tags(c)} if _tags(c) else {}
        make = nbformat.v4.new_markdown_cell if c.cell_type == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(make(c.source, metadata=meta))
    nb.metadata = json.loads(json.dumps(TEXT_METADATA))
    return jupytext.writes(nb, fmt=MYST)


# ------------------------------------------------------------------------- notebooks ---

def cell_id(stem: str, index: int) -> str:
    """The id of the notebook cell made from cell ``index`` of a source (the same in every edition)."""
    return f"{stem[:40]}-{index:03d}".replace("_", "-")


def edition_cells(cells: list, edition: str) -> list[int]:
    """The source cells (by index) that one edition shows (see the table in the module docstring).

    Students get the exercise stubs; teachers the solutions and the teacher's notes; the check
    edition is the teacher's plus the ``check`` cells.
    """
    drop = DROPPED[edition]
    return [i for i, c in enumerate(cells) if not (drop & set(_tags(c)))]


def cell_content(cell) -> list:
    """What counts as a cell's content: its kind, its tags and its text (not outputs or other metadata)."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return [cell.get("cell_type"), _tags(cell), source.replace("\r\n", "\n")]


def _digest(obj, n: int) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False).encode("utf-8")).hexdigest()[:n]


def content_hash(cells: list) -> str:
    """One hash of every cell's content, in order."""
    return _digest([cell_content(c) for c in cells], 16)


SLIDE_START = re.compile(r"#{1,2}\s")  # a markdown cell opening with a "# " or "## " heading starts a slide


def mark_slides(nb) -> None:
    """Slide breaks for presenting a lesson from JupyterLab (jupyterlab-slideshow's deck mode).

    The first cell, and every markdown cell that opens with a ``#`` or ``##`` heading, start a
    slide: ``metadata.slideshow.slide_type = "slide"``, the field nbconvert and RISE read too.
    Every other cell continues the slide above it and carries no ``slideshow`` field (the same
    as ``"-"`` for nbconvert and RISE; jupyterlab-slideshow shows a missing type as "continue"
    but hides a cell typed ``"-"``). So a lesson's slides are its ``## `` sections.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
        ...     nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("## Part 2")])
        >>> mark_slides(nb); [c.metadata.get("slideshow") for c in nb.cells]
        [{'slide_type': 'slide'}, None, {'slide_type': 'slide'}]
    """
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("slideshow", None)
        if i == 0 or (cell.cell_type == "markdown" and SLIDE_START.match(cell.source.lstrip())):
            cell.metadata["slideshow"] = {"slide_type": "slide"}


def render(stem: str, cells: list, lang: str, edition: str) -> str:
    """The text of one generated notebook from one language's source cells."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    for i in edition_cells(cells, edition):
        c = cells[i]
        make = nbformat.v4.new_markdown_cell if c.cell_type == "markdown" else nbformat.v4.new_code_cell
        new = make(c.source)
        new.metadata = {"tags": _tags(c)} if _tags(c) else {}
        new.id = cell_id(stem, i)
        nb.cells.append(new)
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        META: {"lang": lang, "language": LANGUAGE_NAMES[lang], "edition": edition,
               "source": f"lessons/{lang}/{stem}.md",
               "generated_by": "tools/build_lessons.py: edit the source, or carry edits made here back "
                               "with python3 tools/build_lessons.py --carry-back",
               "written": {"hash": content_hash(nb.cells),
                           "cells": {c.id: _digest(cell_content(c), 12) for c in nb.cells}}},
    }
    mark_slides(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    text = nbformat.writes(nb, version=4)  # canonical: sorted keys, one-space indent, lines split
    return text if text.endswith("\n") else text + "\n"


def _read_notebook(text: str):
    import nbformat

    try:
        return nbformat.reads(text, as_version=4)
    except Exception:
        return None


def _written(text: str) -> dict | None:
    """The build's record in a notebook's metadata of what it wrote (None if there is none)."""
    nb = _read_notebook(text)
    return nb.metadata.get(META, {}).get("written") if nb is not None else None


def edits(text: str, built_text: str | None = None) -> list[str]:
    """The cells of a notebook on disk that differ from what the build wrote into it; [] if none.

    Compared: each cell's kind, tags and text, and the cells' order. Outputs, execution
    counts and other metadata (JupyterLab's own) are not edits. ``built_text``, the
    notebook the build would write now, names deleted cells and judges a notebook that
    has no record (one the build did not write): it is an edit unless its cells are the same.
    """
    nb = _read_notebook(text)
    if nb is None:
        return ["the file is not a notebook that can be read"]
    built = _read_notebook(built_text) if built_text else None
    written = _written(text)
    if not written:
        if built is not None and [cell_content(c) for c in nb.cells] == [cell_content(c) for c in built.cells]:
            return []
        return ["it has no record of what the build wrote (it was not written by tools/build_lessons.py)"]
    if content_hash(nb.cells) == written["hash"]:
        return []
    base = written["cells"]
    order = sorted(base)  # ids end in the cell's zero-padded number in the source: sorted is the built order
    now_ids = [c.get("id") for c in nb.cells]
    out = []
    known = [cid for cid in now_ids if cid in base]
    moved = set()
    if known != [cid for cid in order if cid in set(known)]:
        sm = difflib.SequenceMatcher(a=[cid for cid in order if cid in set(known)], b=known, autojunk=False)
        kept = {known[j] for tag, _i1, _i2, j1, j2 in sm.get_opcodes() if tag == "equal" for j in range(j1, j2)}
        moved = set(known) - kept
    for n, c in enumerate(nb.cells, 1):
        cid, first = c.get("id"), _first_line(cell_content(c)[2])
        if cid not in base:
            out.append(f"cell {n} (new): {first}")
        elif cid in moved:
            out.append(f"cell {n} (moved): {first}")
        elif _digest(cell_content(c), 12) != base[cid]:
            out.append(f"cell {n} (changed): {first}")
    built_by_id = {c.id: c for c in built.cells} if built is not None else {}
    for n, cid in enumerate(order, 1):
        if cid not in now_ids:
            was = built_by_id.get(cid)
            first = _first_line(was.source) if was is not None and _digest(cell_content(was), 12) == base[cid] else cid
            out.append(f"cell {n} of the built notebook (deleted): {first}")
    return out or ["cells renumbered (their content is the same)"]


# ------------------------------------------------------------------------ carry back ---

@dataclass
class Patch:
    """Changes to a source's cells: ``replace[i]``, ``delete`` and ``insert[p]`` (new cells before index p)."""

    replace: dict = field(default_factory=dict)
    delete: set = field(default_factory=set)
    insert: dict = field(default_factory=dict)


def _unit(cells: list, i: int) -> range:
    """The cells that go together with cell i: an exercise and its solution, or the cell alone."""
    tags = _tags(cells[i])
    for tag, other in (("exercise", "solution"), ("solution", "exercise")):
        if tag in tags:
            for j in (i - 1, i + 1):
                if 0 <= j < len(cells) and other in _tags(cells[j]):
                    return range(min(i, j), max(i, j) + 1)
    return range(i, i + 1)


def patch_from_notebook(cells: list, stem: str, edition: str, edited) -> Patch:
    """What an edited notebook changes in the source it was built from, matched by cell ids.

    ``cells`` must be the source the notebook was built from (the caller checks the
    record). Kept cells whose content changed replace their source cell (so a student's
    stub goes back to its ``exercise`` cell, a teacher's answer to its ``solution`` cell);
    deleted cells are deleted with their exercise/solution partner; new and moved cells
    are inserted after the cell (and its partner) that precedes them in the notebook.
    """
    shown = edition_cells(cells, edition)
    ids = [cell_id(stem, i) for i in shown]
    now = edited.cells
    patch = Patch()
    sm = difflib.SequenceMatcher(a=ids, b=[c.get("id") for c in now], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                src, new = shown[i1 + k], now[j1 + k]
                if cell_content(new) != cell_content(cells[src]):
                    patch.replace[src] = new
            continue
        for src in shown[i1:i2]:
            patch.delete.update(_unit(cells, src))
        if j2 > j1:
            at = _unit(cells, shown[i1 - 1]).stop if i1 > 0 else 0
            patch.insert.setdefault(at, []).extend(now[j1:j2])
    return patch


def merge_patches(patches: list[tuple[str, Patch]]) -> tuple[Patch, list[str]]:
    """One patch from several notebooks' patches (student and teacher); conflicts listed, not resolved."""
    merged, conflicts = Patch(), []
    for name, p in patches:
        for i, cell in p.replace.items():
            if i in merged.replace and cell_content(merged.replace[i]) != cell_content(cell):
                conflicts.append(f"source cell {i} was changed differently in two notebooks ({name})")
            merged.replace.setdefault(i, cell)
        merged.delete |= p.delete
        for at, new in p.insert.items():
            have = merged.insert.setdefault(at, [])
            if [cell_content(c) for c in have] != [cell_content(c) for c in new]:
                have.extend(new)
    for i in sorted(merged.delete & set(merged.replace)):
        conflicts.append(f"source cell {i} was changed in one notebook and deleted in another")
    return merged, conflicts


def apply_patch(cells: list, patch: Patch) -> list:
    """The source's cells with a patch applied."""
    out = []
    for i in range(len(cells) + 1):
        out.extend(patch.insert.get(i, []))
        if i < len(cells) and i not in patch.delete:
            out.append(patch.replace.get(i, cells[i]))
    return out


# ----------------------------------------------------------------------------- build ---

@dataclass
class Lesson:
    """One lesson's sources and the notebooks they make."""

    stem: str
    cells: dict = field(default_factory=dict)     # lang -> source cells
    files: dict = field(default_factory=dict)     # notebook path -> text
    problems: list = field(default_factory=list)  # broken rules
    editions: tuple = EDITIONS                    # the editions in ``files`` (student and teacher: protected)


def load_lesson(root: Path, stem: str, editions=EDITIONS) -> Lesson:
    lesson = Lesson(stem, editions=tuple(editions))
    for lang in LANGS:
        path = source_path(root, lang, stem)
        if not path.exists():
            lesson.problems.append(f"lessons/{lang}/{stem}.md is missing: every lesson has a zh and an en source")
            continue
        try:
            lesson.cells[lang] = read_source(path)
        except LessonError as exc:
            lesson.problems.append(str(exc))
    if not lesson.problems:
        lesson.problems += pair_problems(stem, lesson.cells)
    render_all(root, lesson, editions=lesson.editions)
    return lesson


def render_all(root: Path, lesson: Lesson, langs=LANGS, editions=EDITIONS) -> None:
    for lang in langs:
        if lang in lesson.cells:
            for edition in editions:
                lesson.files[out_dir(root, lang, edition) / f"{lesson.stem}.ipynb"] = \
                    render(lesson.stem, lesson.cells[lang], lang, edition)


def carry_back(root: Path, lesson: Lesson, lang: str, edited: dict[Path, str], say) -> bool:
    """Write the edits of ``edited`` (path -> text, notebooks of one language) into the source; True if done."""
    stem, cells = lesson.stem, lesson.cells[lang]
    patches, refusals = [], []
    for path, text in edited.items():
        nb, written = _read_notebook(text), _written(text)
        if not written:
            refusals.append(f"{_rel(root, path)}: no record of what the build wrote, so its cells cannot be "
                            "matched to the source; copy the edits by hand, or --discard")
            continue
        if written["hash"] != _read_notebook(lesson.files[path]).metadata[META]["written"]["hash"]:
            refusals.append(f"{_rel(root, path)}: lessons/{lang}/{stem}.md changed since this notebook was built, "
                            "and the notebook was edited too; copy the edits into the source by hand, or --discard")
            continue
        patches.append((_rel(root, path), patch_from_notebook(cells, stem, nb.metadata[META]["edition"], nb)))
    patch, conflicts = merge_patches(patches)
    new_cells = apply_patch(cells, patch)
    problems = cell_problems(new_cells, f"lessons/{lang}/{stem}.md with the notebook's edits")
    if refusals or conflicts or problems:
        say("not carried back:\n  " + "\n  ".join(refusals + conflicts + problems))
        return False
    src = source_path(root, lang, stem)
    with open(src, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(source_text(new_cells))
    lesson.cells[lang] = read_source(src)
    render_all(root, lesson, langs=(lang,), editions=lesson.editions)
    say(f"carried back into lessons/{lang}/{stem}.md: " + ", ".join(_rel(root, p) for p in edited))
    return True


def build_check_edition(root: Path, lessons: list[Lesson], only, rel) -> bool:
    """Write the check edition (``build/check/{zh,en}/``) of ``lessons``; False if a source is broken.

    Nobody edits these notebooks, so they are simply overwritten; the check-edition notebooks
    of lessons that no longer have a source are deleted (unless ``only`` names some lessons).
    """
    ok, written = True, 0
    for lesson in lessons:
        if lesson.problems:
            print("lesson source error:\n" + "\n".join(lesson.problems), file=sys.stderr)
            ok = False
            continue
        for lang in LANGS:
            path = out_dir(root, lang, "check") / f"{lesson.stem}.ipynb"
            text = render(lesson.stem, lesson.cells[lang], lang, "check")
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            written += 1
    if not only:
        stems = {lesson.stem for lesson in lessons}
        for p in sorted(existing_generated(root, ("check",))):
            if p.stem not in stems:
                p.unlink()
                print(f"deleted {rel(p)} (no source)")
    print(f"check edition: {2 * sum(not lesson.problems for lesson in lessons)} notebooks in "
          f"{rel(root / 'build' / 'check')}/, {written} written")
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 and list stale or edited files")
    ap.add_argument("--root", type=Path, default=ROOT, help="project root (default: this repository)")
    ap.add_argument("--only", nargs="+", metavar="NN",
                    help="build or check only these lessons (by number, e.g. --only 02 03)")
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--carry-back", action="store_true",
                      help="write edits made in the notebooks back into the lesson sources, then build")
    what.add_argument("--discard", action="store_true", help="overwrite edited notebooks with the build's version")
    ap.add_argument("--editions", default=",".join(EDITIONS), metavar="E[,E]",
                    help="which editions to write: student, teacher, check (default: student,teacher; "
                         "check writes build/check/ for CI)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    editions = [e.strip() for e in args.editions.split(",") if e.strip()]
    unknown = [e for e in editions if e not in ALL_EDITIONS]
    if unknown or not editions:
        ap.error(f"--editions must name some of {', '.join(ALL_EDITIONS)}, got {args.editions!r}")
    only = {n.zfill(2) for n in args.only} if args.only else None
    rel = lambda p: _rel(root, p)  # noqa: E731
    stems = [s for s in lesson_stems(root) if not only or s[:2] in only]
    lessons = [load_lesson(root, s, [e for e in EDITIONS if e in editions]) for s in stems]
    if "check" in editions and not args.check:
        if not build_check_edition(root, lessons, only, rel):
            return 2
        if not any(e in EDITIONS for e in editions):
            return 0

    status, changes = {}, {}  # path -> "fresh" / "stale" / "missing" / "edited"; path -> edits
    for lesson in lessons:
        for path, text in lesson.files.items():
            if not path.exists():
                status[path] = "missing"
                continue
            on_disk = path.read_text(encoding="utf-8")
            if on_disk == text:
                status[path] = "fresh"
            else:
                changes[path] = edits(on_disk, text)
                status[path] = "edited" if changes[path] else "stale"
    all_stems = set(lesson_stems(root))
    orphans = [] if only else sorted(p for p in existing_generated(root, [e for e in EDITIONS if e in editions])
                                     if p.stem not in all_stems)
    for p in orphans:
        changes[p] = edits(p.read_text(encoding="utf-8"))

    if args.check:
        bad = False
        for lesson in lessons:
            if lesson.problems:
                print("lesson source error:\n" + "\n".join(lesson.problems), file=sys.stderr)
                bad = True
        for path, state in sorted(status.items()):
            if state != "fresh":
                print(f"{state}: {rel(path)}")
                for line in changes.get(path, []):
                    print(f"    {line}")
                bad = True
        for p in orphans:
            print(f"no source: {rel(p)}" + (" (edited: " + "; ".join(changes[p]) + ")" if changes[p] else ""))
            bad = True
        if bad:
            print("run: python3 tools/build_lessons.py", file=sys.stderr)
            return 1
        print(f"{len(status)} notebooks up to date")
        return 0

    written, refused, failed = 0, [], False
    for lesson in lessons:
        edited = {p: p.read_text(encoding="utf-8") for p, s in status.items() if s == "edited" and p in lesson.files}
        carried = set()
        if args.carry_back and edited:
            for lang in LANGS:
                mine = {p: t for p, t in edited.items() if p.parent.name == lang}
                if mine and lang in lesson.cells and carry_back(root, lesson, lang, mine, print):
                    carried.add(lang)
            if carried:
                lesson.problems = pair_problems(lesson.stem, lesson.cells) if len(lesson.cells) == 2 else \
                    lesson.problems
        if lesson.problems:
            failed = True
            print("lesson source error:\n" + "\n".join(lesson.problems), file=sys.stderr)
            if carried:
                print(f"(the notebooks of lessons/{{{','.join(sorted(carried))}}}/{lesson.stem}.md are written "
                      "all the same, so the edits are not carried back twice; make the same change in the "
                      "other language's source)", file=sys.stderr)
        for path, text in sorted(lesson.files.items()):
            lang = path.parent.name
            if lesson.problems and lang not in carried:
                continue
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            if status.get(path) == "edited" and lang not in carried and not args.discard:
                refused.append(path)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            written += 1
            print(f"wrote {rel(path)}" + (" (edits discarded)" if status.get(path) == "edited" and args.discard
                                          and lang not in carried else ""))
    for p in orphans:  # a notebook the build did not write is never deleted, even with --discard
        if changes[p] and (not args.discard or not _written(p.read_text(encoding="utf-8"))):
            refused.append(p)
            continue
        p.unlink()
        print(f"deleted {rel(p)} (no source)")
    for p in refused:
        print(f"\nnot written: {rel(p)} was edited since the build wrote it:", file=sys.stderr)
        for line in changes[p]:
            print(f"    {line}", file=sys.stderr)
    if refused:
        print("\nto keep the edits, write them into the lesson's source and rebuild:\n"
              "    python3 tools/build_lessons.py --carry-back      (or: python3 tools/dev.py pull)\n"
              "to drop them:\n"
              "    python3 tools/build_lessons.py --discard", file=sys.stderr)
    print(f"{len(status)} notebooks, {written} written" + (f", {len(refused)} left alone (edited)" if refused else ""))
    return 2 if failed else 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
