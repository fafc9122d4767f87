"""The lesson notebooks: generated from their source, in sync across languages and editions, on-glossary.

Executing the notebooks is nbval's job (``pytest --nbval-lax notebooks/``); these
tests check what can be read without running them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from lrcourse import i18n

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD = ROOT / "tools" / "build_lessons.py"
LESSONS = sorted(p for p in (ROOT / "lessons").glob("[0-9][0-9]_*.py"))
SLUGS = [p.stem for p in LESSONS]
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
    "noise_floor": ["噪声基底", "本底噪声", "噪声底限", "噪底"],
    "gradient_descent": ["梯度递减"],
    "divergence": ["爆炸式发散"],
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
    spec.loader.exec_module(mod)
    return mod


build = _load_build()


def _nb(lang: str, slug: str, edition: str = "student") -> dict:
    path = build.out_dir(ROOT, lang, edition) / f"{slug}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _code(nb) -> list[str]:
    return [_src(c) for c in nb["cells"] if c["cell_type"] == "code"]


def _prose(text: str) -> str:
    """Prose with what is exempt from the glossary check removed: quotes, code, links' URLs."""
    text = re.sub(r"^\s*>.*$", "", text, flags=re.MULTILINE)  # blockquotes
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"<[^>]+>", " ", text)  # html tags (not their text)
    text = re.sub(r"“[^”]*”|「[^」]*」|\"[^\"\n]*\"", "", text)  # quoted wording
    return text


def _run_build(*args, root=ROOT):
    """Run the build in-process (its imports are slow to repeat); return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build.main(["--root", str(root), *args])
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


# ---------------------------------------------------------------- build ---

def test_there_are_lessons():
    """Lessons 00 and 01 exist and every source is named NN_slug.py."""
    assert {"00_start_here", "01_why_schedule"} <= set(SLUGS)


def test_generated_notebooks_are_fresh():
    """`build_lessons.py --check` passes: every notebook matches its source, none is orphaned."""
    r = _run_build("--check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_notebook_has_a_source():
    """Each generated notebook names its source and that source exists."""
    for path in build.existing_generated(ROOT):
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["lrlib"]
        assert (ROOT / meta["source"]).is_file(), path
        assert Path(meta["source"]).stem == path.stem


@pytest.fixture
def tree(tmp_path):
    """A copy of the lessons and their notebooks, for breaking on purpose."""
    for d in ("lessons", "notebooks"):
        shutil.copytree(ROOT / d, tmp_path / d)
    return tmp_path


def test_check_fails_on_stale_missing_and_orphaned_notebooks(tree):
    """--check lists an edited, a deleted and an orphaned notebook, and writes nothing."""
    slug = SLUGS[0]
    edited = tree / "notebooks" / "zh" / f"{slug}.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"cells"', '"cells" ', 1), encoding="utf-8")
    (tree / "notebooks" / "teacher" / "en" / f"{slug}.ipynb").unlink()
    orphan = tree / "notebooks" / "en" / "99_gone.ipynb"
    orphan.write_text("{}", encoding="utf-8")
    before = edited.read_bytes()
    r = _run_build("--check", root=tree)
    assert r.returncode == 1
    assert f"stale: notebooks/zh/{slug}.ipynb" in r.stdout
    assert f"missing: notebooks/teacher/en/{slug}.ipynb" in r.stdout
    assert "no source: notebooks/en/99_gone.ipynb" in r.stdout
    assert edited.read_bytes() == before
    # building repairs all three, and the result is byte-identical to the committed files
    assert _run_build(root=tree).returncode == 0
    assert not orphan.exists()
    for lang in build.LANGS:
        for edition in build.EDITIONS:
            for s in SLUGS:
                rel = build.out_dir(ROOT, lang, edition).relative_to(ROOT) / f"{s}.ipynb"
                assert (tree / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    assert _run_build("--check", root=tree).returncode == 0


def test_check_fails_when_a_source_changes(tree):
    """Editing a lesson's prose makes its notebooks stale."""
    src = tree / "lessons" / f"{SLUGS[-1]}.py"
    src.write_text(src.read_text(encoding="utf-8") + '\n# %% [markdown] tags=["lang-zh"]\n# 新增\n'
                   '# %% [markdown] tags=["lang-en"]\n# Added\n', encoding="utf-8")
    r = _run_build("--check", root=tree)
    assert r.returncode == 1 and f"stale: notebooks/en/{SLUGS[-1]}.ipynb" in r.stdout


BAD_SOURCES = {
    "untagged markdown": '# %% tags=["parameters"]\nimport lrlib\nLANG = lrcourse.lesson_language()\nlrcourse.set_language(LANG)\n'
                         "# %% [markdown]\n# Hello\n",
    "unpaired prose": '# %% tags=["parameters"]\nimport lrlib\nLANG = lrcourse.lesson_language()\nlrcourse.set_language(LANG)\n'
                      '# %% [markdown] tags=["lang-zh"]\n# 你好\n# %%\nx = 1\n',
    "exercise without solution": '# %% tags=["parameters"]\nimport lrlib\nLANG = lrcourse.lesson_language()\nlrcourse.set_language(LANG)\n'
                                 '# %% tags=["exercise"]\nx = ...\n',
    "no language cell": '# %%\nx = 1\n',
    "unknown tag": '# %% tags=["parameters"]\nimport lrlib\nLANG = lrcourse.lesson_language()\nlrcourse.set_language(LANG)\n'
                   '# %% tags=["solutoin"]\nx = 1\n',
}


@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_build_rejects_a_broken_source(tmp_path, case):
    """A source that breaks a rule is refused with a message naming the file, and nothing is written."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "42_bad.py").write_text(BAD_SOURCES[case], encoding="utf-8")
    r = _run_build(root=tmp_path)
    assert r.returncode == 2 and "42_bad.py" in r.stderr, r.stderr
    assert not (tmp_path / "notebooks").exists()


# ------------------------------------------------------- the notebooks ---

@pytest.mark.parametrize("slug", SLUGS)
def test_zh_and_en_have_the_same_cells_and_code(slug):
    """Same number and kinds of cells and identical code (the language comes from the folder), in both editions."""
    for edition in build.EDITIONS:
        zh, en = _nb("zh", slug, edition), _nb("en", slug, edition)
        assert [c["cell_type"] for c in zh["cells"]] == [c["cell_type"] for c in en["cells"]]
        assert _code(zh) == _code(en)
        assert [c.get("metadata") for c in zh["cells"]] == [c.get("metadata") for c in en["cells"]]


@pytest.mark.parametrize("slug", SLUGS)
def test_teacher_and_student_differ_only_in_exercise_cells(slug):
    """The teacher edition swaps each `exercise` cell for its `solution`, nothing else; there is an exercise."""
    for lang in build.LANGS:
        st, te = _nb(lang, slug), _nb(lang, slug, "teacher")
        assert len(st["cells"]) == len(te["cells"])
        swapped = 0
        for a, b in zip(st["cells"], te["cells"]):
            if a == b:
                continue
            assert a["metadata"].get("tags", []).count("exercise") == 1, _src(a)[:60]
            assert b["metadata"].get("tags", []).count("solution") == 1, _src(b)[:60]
            assert a["id"] == b["id"] and a["cell_type"] == b["cell_type"] == "code"
            swapped += 1
        assert swapped >= 1, f"{slug} has no exercise"
        assert not any("solution" in c["metadata"].get("tags", []) for c in st["cells"])


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", build.LANGS)
def test_notebook_is_clean_and_sets_its_language(slug, lang):
    """No outputs or counts; python3 kernel; first code cell sets LANG to the notebook's language."""
    for edition in build.EDITIONS:
        nb = _nb(lang, slug, edition)
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert nb["metadata"]["lrlib"]["lang"] == lang
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                assert c["outputs"] == [] and c["execution_count"] is None
        first = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert "parameters" in first["metadata"]["tags"]
        assert build.LANG_CELL in _src(first) and "lrcourse.set_language(LANG)" in _src(first)
        assert len({c["id"] for c in nb["cells"]}) == len(nb["cells"])


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
    for section in SECTIONS[lang]:
        assert section in headings, f"{slug} [{lang}] has no section {section!r}"
    assert "http" in md[-1] or any("http" in m for m in md[-3:]), "further reading needs links"


@pytest.mark.parametrize("slug", SLUGS)
def test_explorers_are_introduced_and_driven(slug):
    """Each explorer follows a "predict first" question, and the last code cell drives it from code."""
    for lang, word in (("zh", "预测"), ("en", "predict")):
        cells = _nb(lang, slug)["cells"]
        made = False
        for i, c in enumerate(cells):
            if c["cell_type"] == "code" and re.search(r"\w+Explorer\(", _src(c)):
                made = True
                before = next(_src(p) for p in reversed(cells[:i]) if p["cell_type"] == "markdown")
                assert word in before.lower(), f"{slug} [{lang}]: no predict-first question before an explorer"
        if made:
            last = _code({"cells": cells})[-1]
            assert ".controls" in last and "assert" in last, f"{slug}: last cell must drive the explorers"


def test_display_strings_used_in_lessons_exist():
    """Every t("key") or plot_text("key") in a lesson is a key of lrcourse.i18n (catches typos before a notebook runs)."""
    for src in LESSONS:
        for key in re.findall(r"""\b(?:t|plot_text)\(\s*["']([a-z0-9_]+)["']\s*[,)]""", src.read_text(encoding="utf-8")):
            assert key in i18n.STRINGS, f"{src.name}: t({key!r}) is not in lrcourse.i18n.STRINGS"


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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lesson_00_links_every_lesson(lang):
    nb = json.loads((ROOT / "notebooks" / lang / "00_start_here.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    linked = set(re.findall(r"\]\((\d\d_[a-z0-9_]+)\.ipynb\)", text))
    for slug in linked:
        assert (ROOT / "notebooks" / lang / f"{slug}.ipynb").exists(), f"lesson 00 links to a missing {slug}"
    assert linked == set(SLUGS) - {"00_start_here"}, "lesson 00's map should link every other lesson"


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


@pytest.mark.parametrize("slug", SLUGS)
def test_the_last_cell_puts_the_explorers_back(slug):
    # The last cell drives the explorers to check them; it must leave them as the text describes.
    code = _code(_nb("en", slug))
    uses_widgets = any("widgets.Image(" in c or "from lrcourse.explorers import" in c for c in code)
    if not uses_widgets:
        pytest.skip(f"{slug} has no explorer")
    last = code[-1]
    assert "reset_all()" in last or ".value = " in last.strip().splitlines()[-2], \
        f"{slug}: the last cell does not put its explorers back (reset_all())"
