"""The lesson notebooks: generated from their sources, in sync across languages and editions, on-glossary,
and never overwriting a teacher's edit.

Executing the notebooks is nbval's job (``pytest --nbval-lax notebooks/ build/check/``, the student
and the check editions); these tests check what can be read without running them, and the build itself.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import shutil
import sys
import tokenize
from pathlib import Path
from types import SimpleNamespace

import jupytext
import nbformat
import pytest

from lrcourse import i18n

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD = ROOT / "tools" / "build_lessons.py"
SOURCES = {lang: sorted((ROOT / "lessons" / lang).glob("[0-9][0-9]_*.md")) for lang in ("zh", "en")}
SLUGS = [p.stem for p in SOURCES["en"]]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Competing translations of glossary terms. zh prose must use the glossary's word;
# en prose must use the glossary's spelling. Quoted text is exempt (see _prose).
BANNED_ZH = {
    "learning_rate": ["学习速率", "学习步长"],
    "lr_scheduler": ["调度程序", "学习率调整器"],
    "epoch": ["迭代周期", "时期", "纪元", "回合", "世代"],
    "batch_size": ["批大小", "批次大小", "批尺寸", "批处理大小", "小批量大小"],
    "warmup": ["热身", "暖身", "暖启动", "预热身"],
    "cosine_annealing": ["余弦衰减", "余弦下降", "余弦降温"],
    "step_decay": ["步长衰减", "阶跃衰减", "分步衰减", "步进衰减", "分段衰减"],
    "warm_restarts": ["暖重启", "温重启", "热启动"],
    "min_lr": ["最低学习率"],
    "noise_floor": ["噪声地板", "本底噪声", "噪声底限", "噪底"],
    "gradient_descent": ["梯度递减"],
    "divergence": ["爆炸式发散"],
    "exercise_decide": ["（判断）", "（判断题）"],
}
BANNED_EN = {
    "warmup": ["warm-up", "warm up phase", "warming-up"],
    "lr_schedule": ["learning rate schedule"],
    "lr_scheduler": ["learning rate scheduler"],
    "multistep_decay": ["multi-step decay", "multi step decay"],
    "cooldown": ["cool-down"],
    "warm_restarts": ["warm-restarts"],
    "noise_floor": ["noise-floor"],
    "one_cycle": ["one cycle policy", "1-cycle policy"],
}
# Each notebook has these sections (STYLE.md §13); they are the lesson template.
SECTIONS = {
    "zh": ["你将学到", "你需要", "动手试试", "小结", "延伸阅读"],
    "en": ["What you'll learn", "What you'll need", "On your own", "Summary", "Further reading"],
}


def _load_build():
    spec = importlib.util.spec_from_file_location("build_lessons", BUILD)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # (as an import would: its dataclasses look their module up)
    spec.loader.exec_module(mod)
    return mod


build = _load_build()


def _nb(lang: str, slug: str, edition: str = "student", root: Path = ROOT) -> dict:
    path = build.out_dir(root, lang, edition) / f"{slug}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _code(nb) -> list[str]:
    return [_src(c) for c in nb["cells"] if c["cell_type"] == "code"]


def _content(nb) -> list:
    """Each cell's kind, tags and text: what a teacher edits (not outputs, counts or other metadata)."""
    return [(c["cell_type"], c.get("metadata", {}).get("tags", []), _src(c)) for c in nb["cells"]]


def _prose(text: str) -> str:
    """Prose with what is exempt from the glossary check removed: quotes, code, links' URLs."""
    text = re.sub(r"^\s*>.*$", "", text, flags=re.MULTILINE)  # blockquotes
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"<[^>]+>", " ", text)  # html tags (not their text)
    text = re.sub(r"“[^”]*”|「[^」]*」|\"[^\"\n]*\"", "", text)  # quoted wording
    return text


def _logic(source: str) -> list[str]:
    """The tokens of a code cell that make its logic: each string literal (an f-string whole) as "S",
    comments and line breaks inside brackets set aside, so a cell's zh and en versions compare equal
    when only their text differs, and differ when a message is cut into a different number of pieces."""
    out, depth = [], 0
    for tok in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
        name = tokenize.tok_name[tok.type]
        if name == "FSTRING_START":
            out += ["S"] if depth == 0 else []
            depth += 1
        elif name == "FSTRING_END":
            depth -= 1
        elif depth == 0 and name == "STRING":
            out.append("S")
        elif depth == 0 and name not in ("FSTRING_MIDDLE", "COMMENT", "NL", "ENDMARKER"):
            out.append(name if name in ("NEWLINE", "INDENT", "DEDENT") else tok.string)
    return out


def _run_build(*args, root=ROOT):
    """Run the build in-process (its imports are slow to repeat); return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build.main(["--root", str(root), *args])
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


# ---------------------------------------------------------------- build ---

def test_there_are_lessons_in_both_languages():
    """Lessons 00 and 01 exist, every source is named NN_slug.md, and each has a zh and an en source."""
    assert {"00_start_here", "01_why_schedule"} <= set(SLUGS)
    assert [p.stem for p in SOURCES["zh"]] == SLUGS


def test_generated_notebooks_are_fresh():
    """`build_lessons.py --check` passes: every notebook matches its source, none is orphaned or edited."""
    r = _run_build("--check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_notebook_names_its_source_in_its_language():
    """Each generated notebook names its source (lessons/<its language>/NN_slug.md) and that source exists."""
    paths = build.existing_generated(ROOT)
    assert len(paths) == 4 * len(SLUGS)
    for path in paths:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["lrcourse"]
        assert (ROOT / meta["source"]).is_file(), path
        assert meta["source"] == f"lessons/{meta['lang']}/{path.stem}.md" and path.parent.name == meta["lang"]


@pytest.mark.parametrize("path", SOURCES["zh"] + SOURCES["en"], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_source_is_prose_as_markdown_and_jupytext_keeps_it_as_written(path):
    """A source is plain MyST Markdown (prose is not commented out), and reading and writing it
    with jupytext gives the same text, so carrying an edit back changes only the edited cells."""
    text = path.read_text(encoding="utf-8")
    assert "```{code-cell}" in text and not re.search(r"^# %%", text, flags=re.M)
    nb = jupytext.reads(text, fmt="md:myst")
    nb.metadata = {"jupytext": {"notebook_metadata_filter": "-all", "cell_metadata_filter": "tags,-all"}}
    assert jupytext.writes(nb, fmt="md:myst") == text


def test_source_and_notebook_have_the_same_cells():
    """Each notebook holds its source's cells (read by jupytext), in order: the stubs or the solutions."""
    for slug in SLUGS:
        for lang in build.LANGS:
            cells = jupytext.read(ROOT / "lessons" / lang / f"{slug}.md", fmt="md:myst").cells
            for edition, drop in (("student", {"solution", "check", "teacher"}), ("teacher", {"exercise", "check"})):
                want = [(c.cell_type, c.metadata.get("tags", []), c.source) for c in cells
                        if not drop & set(c.metadata.get("tags", []))]
                assert _content(_nb(lang, slug, edition)) == want, (slug, lang, edition)


@pytest.fixture(scope="session")
def built_tree(tmp_path_factory):
    """The committed lesson sources (``git archive HEAD``, so lessons being rewritten in the working tree
    do not disturb the build's tests; the working tree without git) and the notebooks the build makes of them."""
    import subprocess
    import tarfile

    where = tmp_path_factory.mktemp("built")
    try:
        tar = subprocess.run(["git", "archive", "HEAD", "lessons"], cwd=ROOT, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            archive.extractall(where, filter="data")
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(ROOT / "lessons", where / "lessons")
    r = _run_build(root=where)
    assert r.returncode == 0, r.stdout + r.stderr
    return where


@pytest.fixture
def tree(tmp_path, built_tree):
    """A copy of the lessons and their built notebooks, for editing and breaking on purpose."""
    for d in ("lessons", "notebooks", "teacher"):
        shutil.copytree(built_tree / d, tmp_path / d)
    return tmp_path


def test_check_fails_on_stale_missing_and_orphaned_notebooks(tree, built_tree):
    """--check lists a stale, a deleted and an orphaned notebook, and writes nothing; a build repairs all three."""
    slugs = sorted(p.stem for p in (tree / "lessons" / "en").glob("*.md"))
    slug = slugs[0]
    stale = tree / "notebooks" / "zh" / f"{slug}.ipynb"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"cells"', '"cells" ', 1), encoding="utf-8")
    (tree / "teacher" / "en" / f"{slug}.ipynb").unlink()
    orphan = tree / "notebooks" / "en" / "99_gone.ipynb"  # a lesson that was removed: its notebook goes too
    shutil.copy(tree / "notebooks" / "en" / f"{slug}.ipynb", orphan)
    before = stale.read_bytes()
    r = _run_build("--check", root=tree)
    assert r.returncode == 1
    assert f"stale: notebooks/zh/{slug}.ipynb" in r.stdout
    assert f"missing: teacher/en/{slug}.ipynb" in r.stdout
    assert "no source: notebooks/en/99_gone.ipynb" in r.stdout
    assert stale.read_bytes() == before
    # building repairs all three, and the result is byte-identical to the committed files
    assert _run_build(root=tree).returncode == 0
    assert not orphan.exists()
    for lang in build.LANGS:
        for edition in build.EDITIONS:
            for s in slugs:
                rel = build.out_dir(ROOT, lang, edition).relative_to(ROOT) / f"{s}.ipynb"
                assert (tree / rel).read_bytes() == (built_tree / rel).read_bytes(), rel
    assert _run_build("--check", root=tree).returncode == 0


def test_check_fails_when_a_source_changes(tree):
    """Editing a lesson's English prose makes its English notebooks stale, and only those."""
    slug = sorted(p.stem for p in (tree / "lessons" / "en").glob("*.md") if not p.stem.endswith("_deeper"))[-1]
    src = tree / "lessons" / "en" / f"{slug}.md"
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("## What you'll learn", "## What you'll learn today", 1), encoding="utf-8")
    r = _run_build("--check", root=tree)
    assert r.returncode == 1
    assert f"stale: notebooks/en/{slug}.ipynb" in r.stdout and f"stale: teacher/en/{slug}.ipynb" in r.stdout
    assert "notebooks/zh/" not in r.stdout and "teacher/zh/" not in r.stdout


def test_rebuilding_one_lesson_leaves_the_others_alone(tree):
    """--only 03 writes lesson 03's four notebooks (and its going-deeper notebook's) and touches nothing else."""
    for src in (tree / "lessons").glob("*/*.md"):
        src.write_text(src.read_text(encoding="utf-8").replace("## ", "### ", 1), encoding="utf-8")
    r = _run_build("--only", "03", root=tree)
    assert r.returncode == 0, r.stderr
    assert sorted(re.findall(r"wrote (\S+)", r.stdout)) == sorted(
        f"{d}/{slug}.ipynb" for d in ("notebooks/zh", "notebooks/en", "teacher/zh", "teacher/en")
        for slug in sorted(p.stem for p in (tree / "lessons" / "en").glob("03_*.md")))
    assert "03_cosine_annealing" in SLUGS


PARAMS = ("```{code-cell}\n:tags: [parameters]\n\nimport lrlib\nimport lrcourse\n"
          "LANG = lrcourse.lesson_language()\nlrcourse.set_language(LANG)\n```\n")


def _code_cell(code: str, tag: str | None = None) -> str:
    return "\n```{code-cell}\n" + (f":tags: [{tag}]\n\n" if tag else "") + code + "\n```\n"


BAD_SOURCES = {  # (zh, en); None: no such file
    "unpaired prose": ("# 标题\n\n+++\n\n多出来的一段\n\n" + PARAMS, "# Title\n\n" + PARAMS),
    "code that differs": (PARAMS + _code_cell('x = 1\nprint("一")'), PARAMS + _code_cell('x = 2\nprint("one")')),
    "tags that differ": (PARAMS + _code_cell("x = 1", "nbval-skip"), PARAMS + _code_cell("x = 1")),
    "exercise without solution": (PARAMS + _code_cell("x = ...", "exercise"),) * 2,
    "no language cell": (_code_cell("x = 1"),) * 2,
    "unknown tag": (PARAMS + _code_cell("x = 1", "solutoin"),) * 2,
    "markdown tagged as an exercise": (PARAMS + '\n+++ {"tags": ["exercise"]}\n\n你好\n',
                                       PARAMS + '\n+++ {"tags": ["exercise"]}\n\nHello\n'),
    "markdown tagged as a check": (PARAMS + '\n+++ {"tags": ["check"]}\n\n你好\n',
                                   PARAMS + '\n+++ {"tags": ["check"]}\n\nHello\n'),
    "code tagged as a teacher's note": (PARAMS + _code_cell("x = 1", "teacher"),) * 2,
    "no English source": (PARAMS, None),
}


@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_build_rejects_a_broken_source(tmp_path, case):
    """A source that breaks a rule is refused with a message naming the lesson, and nothing is written."""
    for lang, text in zip(("zh", "en"), BAD_SOURCES[case]):
        (tmp_path / "lessons" / lang).mkdir(parents=True)
        if text is not None:
            (tmp_path / "lessons" / lang / "42_bad.md").write_text(text, encoding="utf-8")
    r = _run_build(root=tmp_path)
    assert r.returncode == 2 and "42_bad.md" in r.stderr, r.stderr
    assert not (tmp_path / "notebooks").exists()


def test_build_accepts_code_whose_strings_and_comments_are_in_each_language(tmp_path):
    """The zh and en code may differ in string literals, f-strings and comments, and in line breaks."""
    zh = PARAMS + _code_cell('lr = 0.1  # 峰值\nprint(f"学习率：{lr:.2f}", "（第 {k} 步）".format(k=3))')
    en = PARAMS + _code_cell('lr = 0.1\nprint(f"learning rate: {lr:.2f}",\n      "(step {k})".format(k=3))')
    for lang, text in (("zh", zh), ("en", en)):
        (tmp_path / "lessons" / lang).mkdir(parents=True)
        (tmp_path / "lessons" / lang / "42_ok.md").write_text(text, encoding="utf-8")
    r = _run_build(root=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "学习率" in _src(_nb("zh", "42_ok", root=tmp_path)["cells"][1])


def _md_cell(text: str, tag: str | None = None) -> str:
    return ("\n+++ " + json.dumps({"tags": [tag]}) if tag else "\n+++") + "\n\n" + text + "\n"


def _edition_lesson(lang: str) -> str:
    """A small lesson with every kind of cell: prose, a teacher's note, code, a check, an exercise and its solution."""
    word = {"zh": "段落", "en": "paragraph"}[lang]
    return ("# T\n\n" + word + " 0\n" + PARAMS + _md_cell(f"{word} 1") + _md_cell(f"{word} teacher", "teacher")
            + _code_cell("x = 1") + _code_cell("assert x == 1", "check") + _md_cell(f"{word} 2")
            + _code_cell("y = ...", "exercise") + _code_cell("y = 2\nassert y == 2", "solution")
            + _code_cell("assert y in (..., 2)", "check") + _md_cell(f"{word} 3"))


@pytest.fixture
def edition_tree(tmp_path):
    """Lesson 42 (with a going-deeper notebook) built in all three editions."""
    for lang in build.LANGS:
        (tmp_path / "lessons" / lang).mkdir(parents=True)
        for stem in ("42_demo", "42_demo_deeper"):
            (tmp_path / "lessons" / lang / f"{stem}.md").write_text(_edition_lesson(lang), encoding="utf-8")
    r = _run_build("--editions", "student,teacher,check", root=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp_path


def _kinds(nb) -> list[str]:
    """Each cell as a short name: its tag (or "md"/"code"), and for prose its last word."""
    out = []
    for c in nb["cells"]:
        tags = [t for t in c["metadata"].get("tags", []) if t != "parameters"]
        out.append(tags[0] if tags else "md " + _src(c).split()[-1] if c["cell_type"] == "markdown" else "code")
    return out


def test_each_edition_holds_the_cells_its_tags_say(edition_tree):
    """Students: no solution, check or teacher cell; teachers: no exercise or check cell; check: the teacher's
    cells and the checks. Cell ids are the source's, in every edition; a going-deeper notebook sorts after its lesson."""
    everything = ["md 0", "code", "md 1", "teacher", "code", "check", "md 2", "exercise", "solution", "check", "md 3"]
    want = {"student": [k for k in everything if k not in ("solution", "check", "teacher")],
            "teacher": [k for k in everything if k not in ("exercise", "check")],
            "check": [k for k in everything if k != "exercise"]}
    assert build.lesson_stems(edition_tree) == ["42_demo", "42_demo_deeper"]
    for lang in build.LANGS:
        for stem in ("42_demo", "42_demo_deeper"):
            for edition, kinds in want.items():
                nb = _nb(lang, stem, edition, root=edition_tree)
                assert _kinds(nb) == kinds, (lang, stem, edition)
                assert nb["metadata"]["lrcourse"]["edition"] == edition
                assert [c["id"] for c in nb["cells"]] == [
                    build.cell_id(stem, i) for i, k in enumerate(everything) if k in kinds]
    assert build.out_dir(edition_tree, "zh", "teacher") == edition_tree / "teacher" / "zh"
    assert build.out_dir(edition_tree, "en", "check") == edition_tree / "build" / "check" / "en"


def test_the_check_edition_is_written_on_request_and_never_counts_as_stale_or_edited(edition_tree):
    """A plain build and --check leave build/check/ alone; --editions check overwrites an edited check notebook
    and deletes one without a source."""
    check_nb = edition_tree / "build" / "check" / "zh" / "42_demo.ipynb"
    built = check_nb.read_bytes()
    check_nb.write_text(check_nb.read_text(encoding="utf-8").replace("assert x == 1", "assert x == 2"),
                        encoding="utf-8")
    orphan = edition_tree / "build" / "check" / "en" / "43_gone.ipynb"
    shutil.copy(check_nb, orphan)
    r = _run_build("--check", root=edition_tree)
    assert r.returncode == 0 and "build/check" not in r.stdout, r.stdout
    r = _run_build(root=edition_tree)
    assert r.returncode == 0 and "build/check" not in r.stdout and orphan.exists()
    r = _run_build("--editions", "check", root=edition_tree)
    assert r.returncode == 0, r.stderr
    assert check_nb.read_bytes() == built and not orphan.exists()
    assert "wrote" not in r.stdout  # the student and teacher notebooks were not touched
    with pytest.raises(SystemExit) as refused:
        _run_build("--editions", "checks", root=edition_tree)
    assert refused.value.code == 2


def test_carry_back_keeps_the_cells_an_edition_does_not_show(edition_tree):
    """Edits in the student and the teacher notebook go back into the source; the check cells and the
    teacher's note (which the student notebook does not show) stay where they were."""
    def student(cells):
        cells[_find(cells, "x = 1")].source = "x = 1  # 学生的注释"
        cells.insert(_find(cells, "x = 1") + 1, nbformat.v4.new_markdown_cell("学生加的一段"))

    def teacher(cells):
        cells[_find(cells, "段落 teacher")].source = "段落 teacher 改过"
    _edit_as_jupyterlab(edition_tree / "notebooks" / "zh" / "42_demo.ipynb", student)
    _edit_as_jupyterlab(edition_tree / "teacher" / "zh" / "42_demo.ipynb", teacher)
    r = _run_build("--only", "42", "--carry-back", root=edition_tree)
    # the zh source has a cell more than the en one now: carried back, then refused as a pair
    assert "carried back into lessons/zh/42_demo.md" in r.stdout, r.stdout + r.stderr
    cells = jupytext.read(edition_tree / "lessons" / "zh" / "42_demo.md", fmt="md:myst").cells
    assert [(c.metadata.get("tags", []), c.source) for c in cells[3:8]] == [
        (["teacher"], "段落 teacher 改过"), ([], "x = 1  # 学生的注释"), ([], "学生加的一段"),
        (["check"], "assert x == 1"), ([], "段落 2")]
    assert "zh has 12 cells, en has 11" in r.stderr


# ------------------------------------------------- a teacher's edits ---

def _edit_as_jupyterlab(path: Path, edit) -> dict:
    """Open a notebook, apply ``edit(cells)``, run it (outputs, counts, JupyterLab's metadata), save it."""
    nb = nbformat.read(path, as_version=4)
    edit(nb.cells)
    for n, c in enumerate(nb.cells, 1):
        if c.cell_type == "code":
            c.execution_count = n
            c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"output {n}\n")]
            c.metadata["execution"] = {"iopub.status.busy": "2026-09-01T08:00:00.000Z"}
        c.metadata.setdefault("jupyter", {})["source_hidden"] = False
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    nbformat.write(nb, path)
    return json.loads(path.read_text(encoding="utf-8"))


def _find(cells, text: str) -> int:
    return next(i for i, c in enumerate(cells) if text in c.source)


LESSON = "03_cosine_annealing"


def _edit_student_zh(cells):
    """A teacher rewrites a paragraph and the comment of an exercise stub (same logic as the English one)."""
    md = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and i > 3)
    cells[md].source += "\n\n老师补充：先在纸上画出这条曲线。"
    stub = next(i for i, c in enumerate(cells) if "exercise" in c.metadata.get("tags", []))
    cells[stub].source = "# 先想一想再写\n" + cells[stub].source


def _edit_teacher(cells, note):
    """A teacher changes a solution's code (the same change in zh and en keeps the languages in step)."""
    sol = next(i for i, c in enumerate(cells) if "solution" in c.metadata.get("tags", []))
    cells[sol].source += f"\nprint({note!r})\nteacher_checked = True"


def test_a_notebook_edited_in_jupyterlab_is_not_overwritten(tree):
    """The build refuses to write an edited notebook, names the cells that differ, and writes nothing there."""
    nb_path = tree / "notebooks" / "zh" / f"{LESSON}.ipynb"
    edited = _edit_as_jupyterlab(nb_path, _edit_student_zh)
    src = tree / "lessons" / "zh" / f"{LESSON}.md"   # the source changes too, so the build has something to write
    src.write_text(src.read_text(encoding="utf-8").replace("## 你需要", "## 你需要准备", 1), encoding="utf-8")
    before = nb_path.read_bytes()
    r = _run_build("--only", "03", root=tree)
    assert r.returncode == 1
    assert nb_path.read_bytes() == before
    changed = [n for n, c in enumerate(edited["cells"], 1) if "老师补充" in _src(c) or "先想一想再写" in _src(c)]
    assert len(changed) == 2
    for n in changed:
        first = next(line for line in _src(edited["cells"][n - 1]).splitlines() if line.strip())
        assert f"cell {n} (changed): {first[:40]}" in r.stderr, r.stderr
    assert r.stderr.count("(changed)") == 2, "outputs and metadata are not edits"
    assert "--carry-back" in r.stderr and "--discard" in r.stderr
    assert "wrote teacher/zh/" in r.stdout  # the other edition of the lesson is built as usual
    check = _run_build("--check", "--only", "03", root=tree)
    assert check.returncode == 1 and f"edited: notebooks/zh/{LESSON}.ipynb" in check.stdout


def test_carry_back_writes_the_edits_into_the_sources_and_rebuilds_them(tree, built_tree):
    """Student stubs go back to exercise cells and teacher answers to solution cells; the rebuild shows the edits."""
    student = _edit_as_jupyterlab(tree / "notebooks" / "zh" / f"{LESSON}.ipynb", _edit_student_zh)
    teacher = {lang: _edit_as_jupyterlab(tree / "teacher" / lang / f"{LESSON}.ipynb",
                                         lambda cells, lang=lang: _edit_teacher(cells, f"checked ({lang})"))
               for lang in ("zh", "en")}
    r = _run_build("--only", "03", "--carry-back", root=tree)
    assert r.returncode == 0, r.stdout + r.stderr
    for lang in ("zh", "en"):
        cells = jupytext.read(tree / "lessons" / lang / f"{LESSON}.md", fmt="md:myst").cells
        sol = cells[_find(cells, f"checked ({lang})")]
        assert sol.metadata["tags"] == ["solution"] and "teacher_checked = True" in sol.source
    zh = jupytext.read(tree / "lessons" / "zh" / f"{LESSON}.md", fmt="md:myst").cells
    assert zh[_find(zh, "先想一想再写")].metadata["tags"] == ["exercise"]
    assert zh[_find(zh, "老师补充")].cell_type == "markdown"
    # the rebuilt notebooks are the edited ones (cell for cell), and everything is fresh
    assert _content(_nb("zh", LESSON, root=tree)) == _content(student)
    assert _content(_nb("en", LESSON, "teacher", root=tree)) == _content(teacher["en"])
    # the teacher's zh notebook has its own edit and the student notebook's edit of a cell both show
    both = [c for c in _content(teacher["zh"])]
    md = next(i for i, c in enumerate(_content(student)) if "老师补充" in c[2])
    both[md] = _content(student)[md]
    assert _content(_nb("zh", LESSON, "teacher", root=tree)) == both
    assert "先想一想再写" not in json.dumps(_nb("zh", LESSON, "teacher", root=tree), ensure_ascii=False)
    assert _run_build("--check", "--only", "03", root=tree).returncode == 0
    # the rest of the source is as it was: only the edited cells changed
    old = (built_tree / "lessons" / "zh" / f"{LESSON}.md").read_text(encoding="utf-8").splitlines()
    new = (tree / "lessons" / "zh" / f"{LESSON}.md").read_text(encoding="utf-8").splitlines()
    assert len(new) - len(old) == 2 + 1 + 2  # a paragraph (and its blank line), a comment, the solution's two lines


def test_carry_back_of_new_deleted_and_moved_cells(edition_tree):
    """Cells inserted, deleted or moved in JupyterLab are inserted, deleted and moved in the sources; the cells
    the student notebook does not show (a teacher's note, checks, a solution) stay where they were."""
    def edit(cells, lang):
        word = {"zh": "段落", "en": "paragraph"}[lang]
        cells.insert(_find(cells, "x = 1") + 1, nbformat.v4.new_markdown_cell(f"{word} new"))
        del cells[_find(cells, f"{word} 2")]
        cells.append(cells.pop(_find(cells, f"{word} 1")))
    for lang in ("zh", "en"):
        _edit_as_jupyterlab(edition_tree / "notebooks" / lang / "42_demo.ipynb", lambda c, lang=lang: edit(c, lang))
    r = _run_build("--only", "42", "--carry-back", root=edition_tree)
    assert r.returncode == 0, r.stdout + r.stderr
    for lang in ("zh", "en"):
        nb = jupytext.read(edition_tree / "lessons" / lang / "42_demo.md", fmt="md:myst")
        assert _kinds({"cells": nb.cells}) == ["md 0", "code", "teacher", "code", "md new", "check", "exercise",
                                               "solution", "check", "md 3", "md 1"], lang
    assert _run_build("--check", "--only", "42", root=edition_tree).returncode == 0


def test_carry_back_refuses_conflicting_edits(tree):
    """The same cell changed differently in the student and the teacher notebook: nothing is written."""
    def edit(words):
        def apply(cells):
            cells[0].source += f"\n\n{words}"
        return apply
    _edit_as_jupyterlab(tree / "notebooks" / "zh" / f"{LESSON}.ipynb", edit("学生版的改动"))
    _edit_as_jupyterlab(tree / "teacher" / "zh" / f"{LESSON}.ipynb", edit("教师版的改动"))
    src = tree / "lessons" / "zh" / f"{LESSON}.md"
    before = src.read_bytes()
    r = _run_build("--only", "03", "--carry-back", root=tree)
    assert r.returncode == 1 and "changed differently" in r.stdout
    assert src.read_bytes() == before


def test_carry_back_refuses_when_the_source_changed_too(tree):
    """A notebook edited after its source changed cannot be matched cell by cell: left alone, source untouched."""
    nb_path = tree / "notebooks" / "zh" / f"{LESSON}.ipynb"
    _edit_as_jupyterlab(nb_path, _edit_student_zh)
    src = tree / "lessons" / "zh" / f"{LESSON}.md"
    src.write_text(src.read_text(encoding="utf-8").replace("+++\n", "+++\n\n新的一段\n\n+++\n", 1), encoding="utf-8")
    before = (src.read_bytes(), nb_path.read_bytes())
    r = _run_build("--only", "03", "--carry-back", root=tree)
    assert r.returncode != 0 and "changed since this notebook was built" in r.stdout
    assert (src.read_bytes(), nb_path.read_bytes()) == before


def test_discard_overwrites_the_edits(tree, built_tree):
    """--discard writes the build's version over an edited notebook."""
    nb_path = tree / "notebooks" / "zh" / f"{LESSON}.ipynb"
    _edit_as_jupyterlab(nb_path, _edit_student_zh)
    r = _run_build("--only", "03", "--discard", root=tree)
    assert r.returncode == 0 and "edits discarded" in r.stdout
    assert nb_path.read_bytes() == (built_tree / "notebooks" / "zh" / f"{LESSON}.ipynb").read_bytes()


def test_outputs_alone_are_not_an_edit(tree, built_tree):
    """An executed notebook (outputs, counts, JupyterLab's metadata) is stale, not edited: the build cleans it."""
    nb_path = tree / "notebooks" / "en" / f"{LESSON}.ipynb"
    _edit_as_jupyterlab(nb_path, lambda cells: None)
    check = _run_build("--check", "--only", "03", root=tree)
    assert check.returncode == 1 and f"stale: notebooks/en/{LESSON}.ipynb" in check.stdout
    assert "edited" not in check.stdout
    assert _run_build("--only", "03", root=tree).returncode == 0
    assert nb_path.read_bytes() == (built_tree / "notebooks" / "en" / f"{LESSON}.ipynb").read_bytes()


def test_a_notebook_the_build_did_not_write_is_never_deleted(tree):
    """A teacher's own notebook named like a lesson, in a generated folder, survives a build and --discard."""
    mine = tree / "notebooks" / "zh" / "42_my_extra_lesson.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 我自己的课")]
    nbformat.write(nb, mine)
    for args in ((), ("--discard",)):
        r = _run_build(*args, root=tree)
        assert r.returncode == 1 and "42_my_extra_lesson.ipynb" in r.stderr
        assert mine.exists()


# ------------------------------------------------------- the notebooks ---

def test_the_code_comparison_can_fail():
    """The zh/en code comparison sets aside strings, f-strings and comments, and nothing else."""
    assert _logic('print(f"第 {k} 步：{lr:.3f}")  # 打印') == _logic('print(f"step {k}: {lr:.3f}")')
    assert _logic('x = "{a}，{b}".format(a=1, b=2)') == _logic('x = "{a}, {b}".format(a=1, b=2)')
    assert _logic("x = f(a,\n      b)") == _logic("x = f(a, b)")
    assert _logic("x = 1") != _logic("x = 2")
    assert _logic('x = "{a}".format(a=1)') != _logic('x = "{a}".format(a=2)')
    assert _logic("if a:\n    b()\nc()") != _logic("if a:\n    b()\n    c()")
    assert _logic('print("第一句，"\n      f"第二句 {k}")') == _logic('print("First, "\n      f"second {k}")')
    assert _logic('print("第一句，第二句")') != _logic('print("First, "\n      "second")')  # pieces differ
    assert _logic('f("a", "b")') != _logic('f("a" "b")')


@pytest.mark.parametrize("slug", SLUGS)
def test_zh_and_en_have_the_same_cells_and_code_logic(slug):
    """Same cells, ids and tags; each pair of code cells is the same code once strings and comments are set aside."""
    for edition in build.EDITIONS:
        zh, en = _nb("zh", slug, edition), _nb("en", slug, edition)
        assert [(c["cell_type"], c["id"], c["metadata"]) for c in zh["cells"]] == \
            [(c["cell_type"], c["id"], c["metadata"]) for c in en["cells"]]
        for n, (a, b) in enumerate(zip(_code(zh), _code(en)), 1):
            assert _logic(a) == _logic(b), f"{slug} ({edition}), code cell {n} differs:\n{a}\n---\n{b}"


@pytest.mark.parametrize("slug", SLUGS)
def test_teacher_and_student_differ_only_in_exercise_cells_and_teachers_notes(slug):
    """The teacher edition swaps each `exercise` cell for its `solution` and adds the `teacher` notes, nothing
    else; a lesson (not a going-deeper notebook) has an exercise; neither edition has a `check` cell."""
    for lang in build.LANGS:
        st, te = _nb(lang, slug), _nb(lang, slug, "teacher")
        st_cells, te_cells = {c["id"]: c for c in st["cells"]}, {c["id"]: c for c in te["cells"]}
        for cid in st_cells.keys() & te_cells.keys():
            assert st_cells[cid] == te_cells[cid], cid
        for cid in st_cells.keys() - te_cells.keys():
            c = st_cells[cid]
            assert c["cell_type"] == "code" and "exercise" in c["metadata"].get("tags", []), _src(c)[:60]
        for cid in te_cells.keys() - st_cells.keys():
            c = te_cells[cid]
            tag = "solution" if c["cell_type"] == "code" else "teacher"
            assert tag in c["metadata"].get("tags", []), _src(c)[:60]
        swapped = sum("exercise" in c["metadata"].get("tags", []) for c in st["cells"])
        assert swapped >= 1 or slug.endswith("_deeper"), f"{slug} has no exercise"
        for nb, banned in ((st, {"solution", "teacher", "check"}), (te, {"exercise", "check"})):
            assert not any(banned & set(c["metadata"].get("tags", [])) for c in nb["cells"])
        # the edition's record of what was written differs; everything else in the metadata is the same
        shared = [{k: v for k, v in nb["metadata"]["lrcourse"].items() if k not in ("edition", "written")}
                  for nb in (st, te)]
        assert shared[0] == shared[1]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", build.LANGS)
def test_notebook_is_clean_and_sets_its_language(slug, lang):
    """No outputs or counts; python3 kernel; stable ids; first code cell sets LANG to the notebook's language."""
    for edition in build.EDITIONS:
        nb = _nb(lang, slug, edition)
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert nb["metadata"]["lrcourse"]["lang"] == lang and nb["metadata"]["lrcourse"]["edition"] == edition
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                assert c["outputs"] == [] and c["execution_count"] is None
        first = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert "parameters" in first["metadata"]["tags"]
        assert build.LANG_CELL in _src(first) and "lrcourse.set_language(LANG)" in _src(first)
        ids = [c["id"] for c in nb["cells"]]
        assert len(set(ids)) == len(ids) and all(re.fullmatch(slug[:40].replace("_", "-") + r"-\d{3}", i) for i in ids)
        assert ids == sorted(ids)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", build.LANGS)
def test_prose_is_in_its_language_and_follows_the_template(slug, lang):
    """A title in the notebook's language, the template's sections, links to read further."""
    md = [_src(c) for c in _nb(lang, slug)["cells"] if c["cell_type"] == "markdown"]
    assert md[0].startswith("# "), "the first cell is the title"
    for cell in md:
        bare = re.sub(r"`[^`]*`|\]\([^)]*\)", "", cell)
        if lang == "zh":
            assert CJK.search(cell), f"zh cell without Chinese: {cell[:60]!r}"
        else:
            assert not CJK.search(bare), f"Chinese in an en cell outside code: {cell[:60]!r}"
    headings = "\n".join(line for cell in md for line in cell.splitlines() if line.startswith("#"))
    for section in SECTIONS[lang] if not slug.endswith("_deeper") else []:  # going deeper: no template
        assert section in headings, f"{slug} [{lang}] has no section {section!r}"
    assert "http" in md[-1] or any("http" in m for m in md[-3:]), "further reading needs links"


@pytest.mark.parametrize("slug", SLUGS)
def test_explorers_are_introduced(slug):
    """Each explorer follows a "predict first" question."""
    for lang, word in (("zh", "预测"), ("en", "predict")):
        cells = _nb(lang, slug)["cells"]
        for i, c in enumerate(cells):
            if c["cell_type"] == "code" and re.search(r"\w+Explorer\(", _src(c)):
                before = next(_src(p) for p in reversed(cells[:i]) if p["cell_type"] == "markdown")
                assert word in before.lower(), f"{slug} [{lang}]: no predict-first question before an explorer"


def _code_in_sources():
    for lang, paths in SOURCES.items():
        for path in paths:
            for cell in jupytext.read(path, fmt="md:myst").cells:
                if cell.cell_type == "code":
                    yield f"{lang}/{path.name}", cell.source


def test_display_strings_used_in_lessons_exist():
    """Every t("key") or plot_text("key") in a lesson is a key of lrcourse.i18n (catches typos before a notebook runs)."""
    used = 0
    for where, code in _code_in_sources():
        for key in re.findall(r"""\b(?:t|plot_text)\(\s*["']([a-z0-9_]+)["']\s*[,)]""", code):
            assert key in i18n.STRINGS, f"{where}: t({key!r}) is not in lrcourse.i18n.STRINGS"
            used += 1
    assert used > 50, "the scan found suspiciously few lookups"


def test_lessons_write_their_own_text():
    """No lesson looks up a lesson string (keys lNN_...): what a cell prints is written in the cell."""
    for where, code in _code_in_sources():
        assert not re.search(r"""["']l\d\d_\w+["']""", code), f"{where}: a lesson-string key in {code[:80]!r}"
    assert not any(re.match(r"l\d\d_", key) for key in i18n.STRINGS)


def _literals(code: str) -> list[str]:
    """The text of every string literal in some code (the literal parts of f-strings too)."""
    import ast

    return [n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_text_in_the_code_uses_the_glossary_terms(lang):
    """What a lesson prints or draws follows the glossary, as its prose does; zh text is in Chinese."""
    chinese, terms = 0, {zh for _key, zh, _en in i18n.glossary()}
    for where, code in _code_in_sources():
        if not where.startswith(lang):
            continue
        for text in _literals(code):
            bad = _glossary_violations(lang, text)
            assert not bad, f"{where}: {', '.join(bad)} in {text[:80]!r}"
            if CJK.search(text):
                chinese += 1
                assert lang == "zh" or text in terms, f"{where}: Chinese in the English lesson: {text[:80]!r}"
    assert chinese > 200 if lang == "zh" else chinese <= 2


# ------------------------------------------------------------ glossary ---

def test_banned_lists_name_real_glossary_terms():
    """The synonym lists refer to glossary entries and never ban the glossary's own word."""
    gloss = {k: (zh, en) for k, zh, en in i18n.glossary()}
    for key, words in BANNED_ZH.items():
        assert key in gloss and not any(w in gloss[key][0] for w in words), key
    for key, words in BANNED_EN.items():
        assert key in gloss and not any(w in gloss[key][1].lower() for w in words), key


def _glossary_violations(lang: str, text: str) -> list[str]:
    gloss = {k: (zh, en) for k, zh, en in i18n.glossary()}
    banned = BANNED_ZH if lang == "zh" else BANNED_EN
    prose = _prose(text) if lang == "zh" else _prose(text).lower()
    out = []
    for key, words in banned.items():
        want = gloss[key][0] if lang == "zh" else gloss[key][1]
        out += [f"{w!r} (the glossary says {want!r})" for w in words if w in prose]
    return out


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", build.LANGS)
def test_prose_uses_the_glossary_terms(slug, lang):
    """No competing translation of a glossary term (zh) and the glossary's spelling (en)."""
    for c in _nb(lang, slug)["cells"]:
        if c["cell_type"] == "markdown":
            bad = _glossary_violations(lang, _src(c))
            assert not bad, f"{slug} [{lang}]: {', '.join(bad)} in {_src(c)[:80]!r}"


def test_display_strings_use_the_glossary_terms():
    """lrlib's own zh/en display strings follow the glossary too."""
    for key, entry in i18n.STRINGS.items():
        for lang in ("zh", "en"):
            assert not _glossary_violations(lang, entry[lang]), (key, entry[lang])


def test_glossary_check_can_fail():
    """The checker catches a banned synonym and lets quoted wording through."""
    assert _glossary_violations("zh", "先做热身，再用余弦退火。")
    assert not _glossary_violations("zh", "有人写成“热身”，本课程统一用预热。")
    assert _glossary_violations("en", "A short Warm-up helps.")
    assert not _glossary_violations("en", "> Some posts write warm-up.")


# ------------------------------------------------------ exercise checks ---

WRONG_SCHEDULES = [
    lambda t: 1 / 0,                       # raises
    lambda t: "0.1",                       # not a number
    lambda t: float("nan"),                # not finite
    lambda t: [0.1, 0.2],                  # a list
    lambda t: 0.1 if t < 3 else None,      # gives up half way
    lambda t: 0.2,                         # a number, but the wrong one
    lambda: 0.1,                           # wrong signature
    0.1,                                   # not a function
]


@pytest.mark.parametrize("answer", WRONG_SCHEDULES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checks_never_raise_on_a_wrong_answer(answer, lang, capsys):
    """A wrong answer prints "not yet" (or "no answer yet") in the lesson's language and is false."""
    from lrcourse import exercises as ex

    i18n.set_language(lang)
    try:
        assert not ex.check_schedule(answer, values={0: 0.1, 10: 0.01}, monotone="decreasing",
                                     continuous_at=[5], bounds=(0, 0.1), like=lambda s: 0.1 * (s < 10))
        assert not ex.check_function(answer, [((5,), 0.1)])
        out = capsys.readouterr().out
        assert out.strip() and (CJK.search(out) if lang == "zh" else not CJK.search(out))
    finally:
        i18n.set_language("en")


def test_checks_of_values_and_choices():
    """Numbers, ranges and choices: missing, wrong type, wrong, right; sealed answers stay hidden."""
    from lrcourse import exercises as ex

    token = ex.seal(0.5)
    assert "0.5" not in token
    assert not ex.check_number(..., token) and not ex.check_number("0.5", token)
    assert not ex.check_number(0.6, token) and ex.check_number(0.501, token)
    assert not ex.check_range(None, 0, 1) and not ex.check_range(1.0, 0, 1) and ex.check_range(0.5, 0, 1)
    assert ex.check_choice(" B ", ex.seal("b"), "abc") and not ex.check_choice("c", "b", "abc")
    assert not ex.check_choice("z", "b", "abc") and not ex.check_choice(None, "b", "abc")


def test_lessons_hold_no_reversible_seal():
    """Every sealed answer in the sources is one-way (tools/reseal_answers.py rewrites the old, reversible ones)."""
    old = re.compile(r'"sealed:[A-Za-z0-9+/]+=*"')
    sealed = 0
    for lang, paths in SOURCES.items():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            assert not old.search(text), f"{lang}/{path.name}: an old, reversible seal: run tools/reseal_answers.py"
            sealed += len(re.findall(r'"sealed:[ncfmr]:', text))
    assert sealed >= 50, "the scan found suspiciously few sealed answers"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lesson_00_links_every_lesson(lang):
    nb = json.loads((ROOT / "notebooks" / lang / "00_start_here.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    linked = set(re.findall(r"\]\((\d\d_[a-z0-9_]+)\.ipynb\)", text))
    for slug in linked:
        assert (ROOT / "notebooks" / lang / f"{slug}.ipynb").exists(), f"lesson 00 links to a missing {slug}"
    lessons = {s for s in SLUGS if not s.endswith("_deeper")} - {"00_start_here"}
    assert lessons <= linked, "lesson 00's map should link every other lesson"


@pytest.mark.parametrize("slug", SLUGS)
def test_no_cell_leaves_a_bare_figure_to_display(slug):
    # A matplotlib Figure made without pyplot shows in a notebook as "<Figure size ...>" text
    # unless pyplot has set up inline display: draw static plots with pyplot and plt.show().
    for code in _code(_nb("en", slug)):
        lines = [ln for ln in code.strip().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if not lines:
            continue
        last = lines[-1].strip()
        if re.fullmatch(r"[A-Za-z_]\w*", last):
            assert not re.search(rf"^\s*{last}\s*=\s*Figure\(", code, flags=re.M), \
                f"{slug}: a cell ends with the Figure {last!r}, which shows as text, not a plot"
