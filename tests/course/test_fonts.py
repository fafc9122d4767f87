"""Chinese in figures: a CJK font when one is installed, English plot text (one notice) when none is.

The "no CJK font" machine is simulated for real: a subprocess gets its own
``MPLCONFIGDIR`` holding a font cache with every CJK font removed, and
``LRLIB_FONT_DIRS`` pointing at an empty folder, so neither matplotlib nor lrlib's
folder scan can see the system's CJK fonts. The same stripped cache without the
empty folder is a *stale* cache (fonts installed after it was built), which lrlib
must see through.
"""

import copy
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import matplotlib.font_manager as fm
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lrlib
import lrcourse
from lrcourse import fonts
from lrcourse.i18n import t

HAN = "学"


def _is_cjk(entry) -> bool:
    try:
        return ord(HAN) in fm.get_font(entry.fname).get_charmap()
    except Exception:
        return False


def _system_cjk_family():
    fonts.reset()
    return fonts.cjk_font()


def _needs_cjk_font():
    family = _system_cjk_family()
    if family is None:
        pytest.skip("no CJK font installed here (apt-get install fonts-wqy-microhei)")
    return family


def _cjk_free_manager():
    m = copy.copy(fm.fontManager)
    m.ttflist = [e for e in fm.fontManager.ttflist if not _is_cjk(e)]
    return m


@pytest.fixture
def cjk_free_cache(tmp_path):
    """An MPLCONFIGDIR whose font cache lists no CJK font."""
    cfg = tmp_path / "mplconfig"
    cfg.mkdir()
    fm.json_dump(_cjk_free_manager(), str(cfg / f"fontlist-v{fm.FontManager.__version__}.json"))
    return cfg


PROBE = r"""
import io, json, warnings
import matplotlib.font_manager as fm
known_at_start = sorted(n for n in fm.fontManager.get_font_names() if "WenQuanYi" in n or "CJK" in n or "Hei" in n)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import lrlib, lrcourse
    lrcourse.set_language("zh")
    from lrcourse import fonts
    from lrcourse.figures import plot_schedule
    from lrcourse.explorers import SeedRecipeExplorer, WarmRestartsExplorer
    from matplotlib.figure import Figure
    first, second = SeedRecipeExplorer(), WarmRestartsExplorer()
    first.controls["peak_lr"].value = 0.02
    first.relabel()
    ax = Figure().add_subplot()
    drawn = plot_schedule(lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100), 100, ax=ax)
    ax.figure.savefig(io.BytesIO(), format="png")
    lang = fonts.plot_language("zh")
print(json.dumps({
    "known_at_start": known_at_start,
    "font": fonts.cjk_font(),
    "plot_lang": lang,
    "notices": [str(w.message) for w in caught if issubclass(w.category, fonts.CJKFontNotice)],
    "glyph_warnings": [str(w.message) for w in caught if "Glyph" in str(w.message)],
    "other_warnings": [str(w.message) for w in caught
                       if not issubclass(w.category, fonts.CJKFontNotice) and "Glyph" not in str(w.message)],
    "title": first.figure.axes[0].get_title(loc="left"),
    "span_labels": [x.get_text() for x in drawn.span_labels if x.get_visible()],
    "description": first.controls["peak_lr"].description,
    "valid": first.message.value == "" and second.message.value == "",
}))
"""


def _probe(mplconfig: Path, font_dirs: Path | None):
    env = dict(os.environ, MPLCONFIGDIR=str(mplconfig))
    env.pop("LRLIB_FONT_DIRS", None)
    if font_dirs is not None:
        env["LRLIB_FONT_DIRS"] = str(font_dirs)
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "findfont" not in out.stderr, out.stderr  # no absent font was ever asked for
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


# ------------------------------------------------------------------ a CJK font is installed ---

def test_finds_an_installed_cjk_font_that_covers_the_text():
    family = _needs_cjk_font()
    path = fm.fontManager.findfont(fm.FontProperties(family=family), fallback_to_default=False)
    charmap = fm.get_font(path).get_charmap()
    assert all(ord(c) in charmap for c in "学习率调度器预热余弦退火热重启轮迭代")


def test_the_cjk_font_goes_after_the_fonts_already_listed():
    family = _needs_cjk_font()
    before = fonts.families()
    assert fonts.install_fallback() == family
    after = fonts.families()
    assert after[: len([f for f in before if f != family])] == [f for f in before if f != family]
    assert after.count(family) == 1 and after[-1] == family
    assert fonts.install_fallback() == family and fonts.families() == after  # idempotent


def test_chinese_renders_as_real_glyphs():
    """The same text drawn with the fallback list differs from DejaVu's empty boxes, without a warning."""
    _needs_cjk_font()
    fonts.install_fallback()

    def draw(family):
        fig = Figure(figsize=(2, 0.6), dpi=100)
        FigureCanvasAgg(fig)
        fig.text(0.05, 0.3, "学习率", fontsize=14, fontfamily=family)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()

    real = draw(fonts.families())  # a Glyph warning here would fail the test (filterwarnings=error)
    with pytest.warns(UserWarning, match="Glyph"):
        tofu = draw(["DejaVu Sans"])
    assert (real != tofu).any(axis=2).sum() > 50


def test_plot_language_is_chinese_when_a_font_exists():
    _needs_cjk_font()
    assert fonts.plot_language("zh") == "zh"  # no notice (it would be an error here)
    assert fonts.plot_language("en") == "en"


def test_a_stale_font_cache_is_seen_through(cjk_free_cache):
    """matplotlib's cache predates the font: lrlib finds the file and registers it."""
    family = _needs_cjk_font()
    got, _err = _probe(cjk_free_cache, font_dirs=None)
    assert got["known_at_start"] == []  # matplotlib alone would not see it
    assert got["font"] == family and got["plot_lang"] == "zh"
    assert got["notices"] == [] and got["glyph_warnings"] == []
    assert got["title"] == t("title_seed", lang="zh", branch="余弦退火")
    assert got["span_labels"] == ["预热", "衰减", "恒定尾段"]
    assert got["valid"]


def test_find_registers_font_files_from_the_folders_given():
    family = _needs_cjk_font()
    path = Path(str(fm.fontManager.findfont(fm.FontProperties(family=family), fallback_to_default=False)))
    manager = _cjk_free_manager()
    assert fonts.find_cjk_font(manager, dirs=[]) is None
    assert fonts.find_cjk_font(manager, dirs=[path.parent]) == family
    assert any(str(e.fname) == str(path) for e in manager.ttflist)


# ------------------------------------------------------------------------ no CJK font at all ---

def test_without_a_cjk_font_plot_text_falls_back_to_english_with_one_notice(cjk_free_cache, tmp_path):
    empty = tmp_path / "no-fonts-here"
    empty.mkdir()
    got, _err = _probe(cjk_free_cache, font_dirs=empty)
    assert got["known_at_start"] == [] and got["font"] is None
    assert got["plot_lang"] == "en"
    assert got["notices"] == [t("font_missing_notice", lang="zh")]  # exactly one, in the lesson's language
    assert got["glyph_warnings"] == [] and got["other_warnings"] == []
    assert got["title"] == t("title_seed", lang="en", branch="cosine annealing")
    assert got["span_labels"] == ["warmup", "decay", "constant tail"]
    assert got["description"] == "峰值学习率"  # widget labels are HTML: still Chinese
    assert got["valid"]


def test_no_font_found_in_process(monkeypatch, tmp_path):
    """The same decision in this process, with a font manager that knows no CJK font."""
    monkeypatch.setattr(fonts.font_manager, "fontManager", _cjk_free_manager())
    monkeypatch.setenv("LRLIB_FONT_DIRS", str(tmp_path))
    monkeypatch.setitem(matplotlib.rcParams, "font.family", ["sans-serif"])
    fonts.reset()
    try:
        assert fonts.cjk_font() is None and fonts.install_fallback() is None
        assert fonts.families() == ["sans-serif"]  # nothing absent is listed
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert fonts.plot_language("zh") == "en"
            assert fonts.plot_language("zh") == "en"
            assert fonts.plot_language("en") == "en"
        assert [w.category for w in caught] == [fonts.CJKFontNotice]
    finally:
        fonts.reset()


def test_font_dirs_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LRLIB_FONT_DIRS", os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    assert fonts.font_dirs() == [tmp_path / "a", tmp_path / "b"]
    monkeypatch.delenv("LRLIB_FONT_DIRS")
    assert Path("/usr/share/fonts") in fonts.font_dirs()


def test_binder_installs_a_cjk_font():
    root = Path(__file__).resolve().parents[2]
    packages = (root / "apt.txt").read_text(encoding="utf-8").split()
    assert {"fonts-wqy-microhei", "fonts-noto-cjk"} & set(packages)


def test_binder_reads_the_root_configuration():
    # A binder/ folder would make Binder ignore the root environment.yml, apt.txt and postBuild.
    root = Path(__file__).resolve().parents[2]
    assert not (root / "binder").exists() and not (root / ".binder").exists()
    assert (root / "postBuild").exists() and (root / "environment.yml").exists()


def test_a_chinese_lesson_that_only_sets_its_language_draws_chinese_with_plain_pyplot():
    """A notebook whose only course import is ``lrcourse`` (set_language("zh")) and which then draws with plain
    pyplot gets its Chinese labels from a CJK font: no "Glyph ... missing" warning (zh 09 deeper drew empty boxes)."""
    if fonts.cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    code = ("import warnings; warnings.simplefilter('error')\n"
            "import lrcourse; lrcourse.set_language('zh')\n"
            "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
            "fig, ax = plt.subplots(); ax.set_xlabel('学习率'); ax.set_title('余弦退火'); fig.canvas.draw()\n"
            "print(matplotlib.rcParams['font.family'])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert fonts.cjk_font() in r.stdout
    english = subprocess.run([sys.executable, "-c", code.replace("'zh'", "'en'")], capture_output=True, text=True)
    assert english.returncode != 0 and "missing from font" in english.stderr  # the check can fail
