"""The student edition (``notebooks/{zh,en}/``) is what a student reads in class.

- It reads like code a student writes: no ``assert`` (claims are asserted in ``check`` cells,
  which only the check edition has), no cell that drives an explorer from code (that is a
  ``check`` cell too, and every explorer has one), no internal notes (``# M6, ...``).
- A lesson fits a 45-minute class: at most 2,000 words (en) or 2,600 CJK ideographs (zh) of
  prose, 3 explorers and 25 code cells (``tools/lesson_stats.py`` counts them and prints the table).
- The Chinese notebooks' code comments are in Chinese.

Lessons that are still in their old form are listed below; each list is a strict xfail, so a
lesson that passes must leave its list (the lists only shrink).
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
import tokenize
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

# Lessons whose student edition still has asserts, explorer-driving cells or internal notes, or whose
# explorers are not yet driven by a `check` cell (the old form, before the classroom edition).
NOT_YET_CLASSROOM: set[str] = set()
# Lessons whose student notebook is longer than a class period in a language (prose, explorers, code cells).
TOO_LONG: set[str] = set()
# Lessons whose Chinese notebook still has code comments without Chinese.
COMMENTS_NOT_YET_IN_CHINESE: set[str] = set()


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_for_tests", ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


stats = _load_tool("lesson_stats")
STEMS = sorted(p.stem for p in (ROOT / "lessons" / "en").glob("[0-9][0-9]_*.md"))
LESSONS = [s for s in STEMS if not s.endswith("_deeper")]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _listed(stems, listed: set, why: str):
    """``stems`` as parameters, those in ``listed`` marked as a strict xfail."""
    assert listed <= set(STEMS), f"not lessons: {sorted(listed - set(STEMS))}"
    return [pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=why)) if s in listed else s
            for s in stems]


def _student(lang: str, stem: str) -> dict:
    return json.loads((ROOT / "notebooks" / lang / f"{stem}.ipynb").read_text(encoding="utf-8"))


def _src(cell) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _code_cells(nb) -> list[str]:
    return [_src(c) for c in nb["cells"] if c["cell_type"] == "code"]


def _tokens(code: str) -> list[tokenize.TokenInfo]:
    """A code cell's tokens; a line IPython reads as a magic or a shell escape (``%pip``, ``!ls``) is left out."""
    code = "\n".join("" if re.match(r"\s*[%!]", line) else line for line in code.splitlines())
    return list(tokenize.generate_tokens(io.StringIO(code + "\n").readline))


# -------------------------------------------------------------- the checks themselves ---

DRIVING = [("controls", "["), ("set_values", "("), ("reset_all", "(")]


def unclean(code: str) -> list[str]:
    """What in a student's code cell is not student code: asserts, explorer driving, internal notes.

        >>> unclean("x = 1  # 学习率\\nprint(x)")
        []
    """
    found = []
    toks = [t for t in _tokens(code) if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                                                      tokenize.DEDENT)]
    for i, tok in enumerate(toks):
        nxt = toks[i + 1].string if i + 1 < len(toks) else ""
        prev = toks[i - 1].string if i > 0 else ""
        if tok.type == tokenize.NAME and tok.string == "assert":
            found.append(f"line {tok.start[0]}: assert")
        elif tok.type == tokenize.NAME and (tok.string, nxt) in DRIVING and (prev == "." or tok.string == "reset_all"):
            found.append(f"line {tok.start[0]}: drives an explorer ({tok.string}{nxt})")
        elif tok.type == tokenize.COMMENT and re.match(r"#\s*M\d", tok.string):
            found.append(f"line {tok.start[0]}: an internal note {tok.string!r}")
    return found


def drives_an_explorer(code: str) -> bool:
    return any("drives an explorer" in f for f in unclean(code))


UNITS = {"ms", "s", "px", "dpi", "kb", "mb", "gb", "hz", "x", "e", "pt", "cm", "mm", "min", "h"}
TOOL_WORDS = {"noqa", "type", "ignore", "pragma", "fmt", "off", "on", "nbval", "skip"}


def _is_code(text: str) -> bool:
    """A comment that is a line of code or a formula: ``y = s(x)``, ``f(epoch + i / IPE)``, ``lrlib.decay(...)``."""
    import ast

    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return bool(re.search(r"[(\[=+\-*/<>]", text))


def comments_without_chinese(code: str, names: set[str]) -> list[str]:
    """The comments of a zh code cell that have letters but no Chinese.

    Exempt: comments of code identifiers (names used in the notebook's code, or with ``_``,
    ``.``, ``(`` or ``=`` in them), numbers and units only, and linters' directives (``# noqa: E501``).

        >>> comments_without_chinese("x = 1  # 学习率\\ny = 2  # 0.5 s\\nz = 3  # lr_max, x", {"x"})
        []
        >>> comments_without_chinese("z = 3  # the peak", {"z"})
        ['# the peak']
        >>> comments_without_chinese('#   y = s(x)\\n# f(epoch + i / IPE)\\n# lrlib.decay(lr, shape="linear")', set())
        []
    """
    bad = []
    for tok in _tokens(code):
        if tok.type != tokenize.COMMENT:
            continue
        text = tok.string.lstrip("#").strip()
        if CJK.search(text) or not re.search(r"[A-Za-z]", text) or _is_code(text):
            continue
        words = re.findall(r"[A-Za-z_][\w.()\[\]=]*", text)
        rest = [w for w in words if w not in names and not re.search(r"[_.(=\[\d]", w)
                and w.lower() not in UNITS | TOOL_WORDS]
        if rest:
            bad.append(tok.string.strip())
    return bad


def test_the_checks_can_fail():
    """Each check finds what it looks for, in code as lessons write it, and only there."""
    assert unclean("assert x == 1") == ["line 1: assert"]
    assert unclean("if ok:\n    assert lr > 0, 'positive'") == ["line 2: assert"]
    assert unclean('msg = "assert nothing"  # assert in a comment') == []
    assert unclean("ex.controls['lr_max'].value = 0.3") == ["line 1: drives an explorer (controls[)"]
    assert unclean("ex.set_values(lr_max=0.3)\nreset_all()") == [
        "line 1: drives an explorer (set_values()", "line 2: drives an explorer (reset_all()"]
    assert unclean("controls = {'lr': slider}\nprint(controls['lr'])") == []  # the student's own dict
    assert unclean("y = f(x)  # M6, read off the plotted data") == ["line 1: an internal note '# M6, read off the plotted data'"]
    assert unclean("y = f(x)  # Mean of 6") == []
    assert unclean("%pip install torch\nx = 1") == []
    assert drives_an_explorer("x.controls['a'].value = 1") and not drives_an_explorer("assert x")


def test_the_length_counts_can_fail():
    """Words, ideographs, fences, explorers and code cells, counted by hand."""
    assert stats.prose_length("One two  three\nfour.", "en") == 4
    assert stats.prose_length("Text\n\n```python\nnot counted at all\n```\n\n~~~\nnor this\n~~~\nend", "en") == 2
    assert stats.prose_length("````\n```\nstill code\n```\n````\nout", "en") == 1
    assert stats.prose_length("学习率 lr，余弦退火（cosine）。", "zh") == 7
    assert stats.prose_length("𠀀丽", "zh") == 2  # extension B and a compatibility ideograph
    assert stats.prose_length("，。！？、「」", "zh") == 0
    assert stats.explorer_count("a = SteppingExplorer()\nb = WarmupExplorer(lr=1)\nshow(live_figure(f, c, d))") == 3
    assert stats.explorer_count("# SteppingExplorer()\ns = 'WarmupExplorer()'\nex.SteppingExplorer\nreset_all()") == 0
    assert stats.explorer_count("from lrcourse.explorers import SteppingExplorer") == 0
    long_en = {"lang": "en", "prose": 2001, "code_cells": 26, "explorers": 4}
    assert stats.over_limits(long_en) == ["2001 words of prose (at most 2000)", "4 explorers (at most 3)",
                                          "26 code cells (at most 25)"]
    assert stats.over_limits({"lang": "zh", "prose": 2600, "code_cells": 25, "explorers": 3}) == []
    assert stats.over_limits({"lang": "zh", "prose": 2601, "code_cells": 1, "explorers": 0}) == [
        "2601 CJK ideographs of prose (at most 2600)"]


def test_the_explorer_classes_are_the_courses():
    """The length count knows every explorer class lrcourse.explorers exports."""
    from lrcourse import explorers

    classes = {n for n in explorers.__all__ if n.endswith("Explorer")}
    assert classes == set(stats.EXPLORER_CLASSES) and "live_figure" in explorers.__all__


# ------------------------------------------------------------------------ the notebooks ---

@pytest.mark.parametrize("stem", _listed(STEMS, NOT_YET_CLASSROOM, "still in the old form (NOT_YET_CLASSROOM)"))
def test_student_code_reads_like_a_students(stem):
    """No assert, no explorer driven from code, no internal note in either language's student notebook;
    every explorer the lesson builds is driven by a `check` cell (so a broken callback still fails CI)."""
    problems = []
    for lang in ("zh", "en"):
        for n, code in enumerate(_code_cells(_student(lang, stem)), 1):
            problems += [f"{lang} code cell {n}, {p}" for p in unclean(code)]
    builds = sum(stats.explorer_count(c) for c in _code_cells(_student("en", stem)))
    if builds:
        source = jupytext.read(ROOT / "lessons" / "en" / f"{stem}.md", fmt="md:myst").cells
        checks = [c.source for c in source if c.cell_type == "code" and "check" in c.metadata.get("tags", [])]
        if not any(drives_an_explorer(c) and "assert" in c for c in checks):
            problems.append(f"it builds {builds} explorer(s), and no `check` cell drives them and asserts")
    assert not problems, f"{stem}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("stem", _listed(LESSONS, TOO_LONG, "longer than a class period (TOO_LONG)"))
def test_a_lesson_fits_a_class_period(stem):
    """At most 2,000 words (en) / 2,600 CJK ideographs (zh) of prose, 3 explorers, 25 code cells."""
    over = {lang: stats.over_limits(stats.notebook_stats(ROOT / "notebooks" / lang / f"{stem}.ipynb"))
            for lang in ("zh", "en")}
    assert not over["zh"] and not over["en"], f"{stem}: {over} (python3 tools/lesson_stats.py)"


@pytest.mark.parametrize("stem", _listed(STEMS, COMMENTS_NOT_YET_IN_CHINESE,
                                         "code comments not yet in Chinese (COMMENTS_NOT_YET_IN_CHINESE)"))
def test_chinese_notebooks_comment_their_code_in_chinese(stem):
    """Every comment with letters in a zh student notebook has Chinese in it (identifiers, numbers, units aside)."""
    cells = _code_cells(_student("zh", stem))
    names = {t.string for code in cells for t in _tokens(code) if t.type == tokenize.NAME}
    bad = [f"code cell {n}: {c}" for n, code in enumerate(cells, 1) for c in comments_without_chinese(code, names)]
    assert not bad, f"{stem}: {len(bad)} comment(s) without Chinese:\n  " + "\n  ".join(bad[:15])
