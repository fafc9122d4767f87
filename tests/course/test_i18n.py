"""The one string table: complete in both languages, every key used exists, the glossary's terms."""

import re
import string
from pathlib import Path

import pytest

import lrlib
import lrcourse
from lrcourse import i18n
from lrcourse.i18n import STRINGS, t

ROOT = Path(__file__).resolve().parents[2]
KEY_USE = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_]+)["']\s*[,)]""")  # t("key") and t("key", ...)
PREFIX_USE = re.compile(r"""\bt\(\s*f?["']([A-Za-z0-9_]+)(?:["']\s*\+|\{)""")  # t("phase_" + kind), t(f"shape_{s}")


def _sources():
    """(name, text) of every module of lrlib and lrcourse and every code cell of the lessons' sources."""
    import jupytext

    for path in sorted((ROOT / "lrlib").rglob("*.py")) + sorted((ROOT / "course" / "lrcourse").rglob("*.py")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "lessons").glob("*/[0-9][0-9]_*.md")):
        code = [c.source for c in jupytext.read(path, fmt="md:myst").cells if c.cell_type == "code"]
        yield f"lessons/{path.parent.name}/{path.name}", "\n".join(code)


def _fields(text):
    """The fields a string formats (a word chosen by a number, ``{n|epoch|epochs}``, is not a field)."""
    text = i18n._PLURAL.sub("", text)
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_english_says_one_epoch_and_two_epochs():
    """Numbers agree with their nouns in English; Chinese has no plural to choose."""
    en = {"iters": 1, "epochs": 1, "ipe": 1}
    assert i18n.t("readout_iterations", "en", **en) == "1 iteration in all (1 epoch × 1 per epoch)"
    assert i18n.t("readout_iterations", "en", iters=20, epochs=2, ipe=10) == "20 iterations in all (2 epochs × 10 per epoch)"
    assert i18n.t("readout_iterations", "zh", **en) == "共 1 次迭代（1 轮 × 每轮 1 次）"
    assert i18n.t("readout_warmup_len", "en", actual="1.5", raw="1.5") .startswith("warmup: 1.5 epochs (")
    assert i18n.t("readout_restarts", "en", n=1, epochs="10") == "restart at epoch 10"
    assert i18n.t("readout_restarts", "en", n=2, epochs="10, 30") == "restarts at epochs 10, 30"
    assert i18n.t("readout_no_restart", "en", total=1) == "no restart within this 1 epoch"


def test_no_english_count_leaves_its_noun_plural_by_itself():
    """A number field right before a counted noun must choose the noun's form (the old "only 1 epochs")."""
    counted = re.compile(r"\{\w+\} (epochs|steps|iterations|seeds|plateaus|restarts|cycles|phases)\b")
    bad = {k: v["en"] for k, v in STRINGS.items() if counted.search(v["en"])}
    assert not bad, bad


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_entry_has_both_languages(key):
    entry = STRINGS[key]
    assert set(entry) <= {"zh", "en", "glossary", "d2l"}, f"{key}: unexpected fields {set(entry)}"
    for lang in i18n.LANGUAGES:
        assert isinstance(entry.get(lang), str) and entry[lang].strip(), f"{key} has no {lang} text"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_take_the_same_fields(key):
    assert _fields(STRINGS[key]["zh"]) == _fields(STRINGS[key]["en"]), key


def test_every_key_used_in_code_and_lessons_exists():
    used = {}
    for name, text in _sources():
        for key in KEY_USE.findall(text):
            used.setdefault(key, name)
    assert len(used) > 40, "the scan found suspiciously few keys"
    missing = {k: f for k, f in used.items() if k not in STRINGS}
    assert not missing, f"keys used but not in lrcourse.i18n.STRINGS: {missing}"
    for name, text in _sources():
        for prefix in PREFIX_USE.findall(text):
            assert any(k.startswith(prefix) for k in STRINGS), f"{name}: no key starts with {prefix!r}"


def test_keys_built_at_run_time_exist():
    """Keys the code assembles (phase kinds, shapes, control labels, options) are in the table too."""
    from lrcourse import explorers as widgets
    from lrlib import plotting, primitives

    kinds = set()
    for path in (ROOT / "lrlib").glob("*.py"):
        kinds |= set(re.findall(r"""Phase\(\s*["'](\w+)["']""", path.read_text(encoding="utf-8")))
    assert {"warmup", "decay", "constant", "cycle"} <= kinds
    for kind in kinds:
        assert f"phase_{kind}" in STRINGS, kind
    for shape in primitives.WARMUP_SHAPES:
        assert f"shape_{shape}" in STRINGS
    for key in widgets.LABEL_KEYS.values():
        assert key in STRINGS
    for options in widgets.OPTION_KEYS.values():
        for key, _value in options:
            assert key in STRINGS
    for key in plotting.PLOT_TEXT:
        assert key in STRINGS
    for cls in widgets.EXPLORERS.values():
        for name in cls().controls:
            assert name in widgets.LABEL_KEYS, f"{cls.__name__}.{name} has no label"


def test_the_glossary_has_the_established_terms():
    zh = {key: z for key, z, _en in i18n.glossary()}
    assert zh["learning_rate"] == "学习率"
    assert zh["lr_scheduler"] == "学习率调度器"
    assert zh["warmup"] == "预热"
    assert zh["cosine_annealing"] == "余弦退火"
    assert zh["warm_restarts"] == "热重启"
    en = [e for _k, _z, e in i18n.glossary()]
    assert en.count("epoch") == 1 and en.count("iteration") == 1  # one term each
    assert zh["epoch"] and zh["iteration"] and zh["epoch"] != zh["iteration"]


def test_plot_and_widget_words_agree_with_the_glossary():
    gloss = {key: (z, e) for key, z, e in i18n.glossary()}
    assert STRINGS["axis_epoch"]["zh"].startswith(gloss["epoch"][0])
    assert STRINGS["axis_iteration"]["zh"].startswith(gloss["iteration"][0])
    assert STRINGS["phase_warmup"]["zh"] == gloss["warmup"][0]
    assert gloss["epoch"][0] + "的学习率" in STRINGS["readout_lr_at"]["zh"].replace(" {epoch} ", "")


def test_set_language_switches_every_lookup():
    lrcourse.set_language("zh")
    try:
        assert t("learning_rate") == "学习率" and lrcourse.get_language() == "zh"
    finally:
        lrcourse.set_language("en")
    assert t("learning_rate") == "learning rate"
    with pytest.raises(ValueError, match="lang must be one of"):
        lrcourse.set_language("fr")
    with pytest.raises(KeyError):
        t("no_such_key")


def test_constructor_errors_stay_in_english_whatever_the_language():
    lrcourse.set_language("zh")
    try:
        with pytest.raises(ValueError) as err:
            lrlib.compat.get_lr_scheduler("step", 0.01, 0.0001, total_iters=5, step_num=10)
        assert "total_iters must be >= step_num" in str(err.value)
        assert not re.search(r"[\u4e00-\u9fff]", str(err.value))
    finally:
        lrcourse.set_language("en")


def test_a_lesson_reads_its_language_from_its_folder(tmp_path, monkeypatch):
    for env in ("LRLIB_LANG", "JPY_SESSION_NAME"):
        monkeypatch.delenv(env, raising=False)
    for rel, lang in (("notebooks/zh", "zh"), ("notebooks/en", "en"), ("teacher/zh", "zh"),
                      ("notebooks/zh/sub", "zh")):
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(tmp_path / rel)
        assert i18n.lesson_language() == lang, rel
    (tmp_path / "zh" / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "zh" / "a" / "b")          # "zh" three folders up does not count
    assert i18n.lesson_language() == "en" and i18n.lesson_language(default="zh") == "zh"
    monkeypatch.setenv("JPY_SESSION_NAME", "zh/03_cosine_annealing.ipynb")  # the path Jupyter gives the kernel
    assert i18n.lesson_language() == "zh"
    monkeypatch.chdir(tmp_path / "notebooks" / "en")
    assert i18n.lesson_language() == "zh"                     # ... wins over the working directory
    monkeypatch.setenv("LRLIB_LANG", "EN")
    assert i18n.lesson_language() == "en"                     # and the variable over both


def test_the_glossary_names_the_d2l_zh_term_where_there_is_one():
    """A column for Chinese readers who learned from d2l-zh; written from its chapter on schedulers."""
    d2l = i18n.d2l_terms()
    gloss = {k: zh for k, zh, _en in i18n.glossary()}
    assert set(d2l) <= set(gloss) and len(d2l) >= 12
    assert d2l["epoch"] == "迭代周期" and gloss["epoch"] == "轮"  # where the two differ
    assert d2l["cosine_annealing"] == "余弦调度器" and d2l["lr_scheduler"] == gloss["lr_scheduler"] == "学习率调度器"
    assert all(re.search(r"[\u4e00-\u9fff]", term) for term in d2l.values())
