"""Chinese text in matplotlib figures: find a CJK font, or fall back to English plot text.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs: without help, every
Chinese character is drawn as an empty box and logs a ``Glyph ... missing`` warning.
Since matplotlib 3.6 the ``font.family`` setting may be a *list*, and a glyph the
first font lacks comes from the next one. So this module:

1. looks for an installed CJK font among the families matplotlib knows, confirming
   that the font really covers the characters lrlib draws (its character map);
2. if matplotlib's font cache predates the font (a font installed after the cache
   was built is invisible to it), scans the usual font folders and registers what
   it finds with ``fontManager.addfont``;
3. appends the font it found to ``rcParams["font.family"]``, after the fonts already
   there, so Latin text keeps its look and only the Chinese glyphs come from the CJK
   font. Only fonts that exist are listed (an absent one logs a ``findfont`` line on
   every text lookup);
4. when no CJK font can be found, :func:`plot_language` answers ``"en"``: lrlib's
   plots are then labelled in English, with one notice saying how to get Chinese
   (install ``fonts-wqy-microhei`` or ``fonts-noto-cjk`` and restart the kernel).

Widget labels, readouts and messages are HTML, drawn by the browser with its own
fonts, so they stay Chinese either way; only text inside figures falls back.

A teacher who cannot install packages can put a font file with a clean licence
(for instance Noto Sans SC, SIL Open Font License) in a folder and point the
``LRLIB_FONT_DIRS`` environment variable at it (several folders separated by
``os.pathsep``); that list then replaces the default folders.

    >>> lang = plot_language("en")   # English needs no CJK font
    >>> lang
    'en'
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from .i18n import get_language, t

__all__ = ["CJK_FAMILIES", "CJKFontNotice", "find_cjk_font", "cjk_font", "install_fallback", "families",
           "plot_language", "font_dirs", "reset"]

# Families known to cover Simplified Chinese, most wanted first (Linux, then Windows, then macOS).
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
    "Microsoft YaHei", "DengXian", "SimHei",
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
    "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Source Han Sans",
    "AR PL UMing CN", "AR PL UKai CN", "Noto Serif CJK SC",
)
# Words in the names of other CJK families (checked after the list above).
_CJK_NAME_HINTS = ("cjk", "wenquanyi", "han sans", "han serif", "yahei", "hei", "song", "kai", "ming",
                   "gothic", "fallback", "pingfang", "hiragino")
# Font files worth registering when the cache is stale (lower-case glob patterns).
_FILE_PATTERNS = ("*wqy*", "*notosanscjk*", "*notoserifcjk*", "*notosanssc*", "*sourcehansans*",
                  "*droidsansfallback*", "*msyh*", "*simhei*", "*deng*", "*pingfang*", "*hiragino*",
                  "*stheiti*", "*uming*", "*ukai*")
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
# Characters lrlib draws in Chinese figures; a font must have all of them.
_SAMPLE = "学习率调度器预热余弦退火热重启轮迭代峰值下限恒定尾段衰减周期"


class CJKFontNotice(UserWarning):
    """Shown once when Chinese was asked for but no CJK font is installed."""


_state: dict = {}


def reset() -> None:
    """Forget the font found and the notice given (for tests, or after installing a font)."""
    _state.clear()


def font_dirs() -> list[Path]:
    """The folders scanned for CJK font files that matplotlib's cache does not list yet."""
    env = os.environ.get("LRLIB_FONT_DIRS")
    if env is not None:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    dirs = ["/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",
            "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts"]
    if sys.platform == "win32":
        dirs += [os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Microsoft", "Windows", "Fonts")]
    dirs.append(os.path.join(sys.prefix, "share", "fonts"))  # conda environments
    return [Path(d).expanduser() for d in dirs]


def _covers(manager, family: str) -> bool:
    """Whether ``family`` resolves to a font file whose character map has every sample character."""
    try:
        path = manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        charmap = font_manager.get_font(path).get_charmap()
    except Exception:  # unreadable or vanished font file: not usable
        return False
    return all(ord(c) in charmap for c in _SAMPLE)


def _first_covering(manager, names) -> str | None:
    names = set(names)
    for family in CJK_FAMILIES:
        if family in names and _covers(manager, family):
            return family
    for family in sorted(names):
        if family not in CJK_FAMILIES and any(h in family.lower() for h in _CJK_NAME_HINTS) \
                and _covers(manager, family):
            return family
    return None


def _candidate_files(dirs) -> list[Path]:
    found = []
    for d in dirs:
        if d.is_file():
            found.append(d)
            continue
        if not d.is_dir():
            continue
        try:
            for p in d.rglob("*"):
                low = p.name.lower()
                if low.endswith(_FONT_SUFFIXES) and any(Path(low).match(pat) for pat in _FILE_PATTERNS):
                    found.append(p)
        except OSError:
            continue
    return sorted(set(found))


def find_cjk_font(manager=None, dirs=None) -> str | None:
    """The family name of an installed font that can draw Chinese, or ``None``.

    Args:
        manager: the font manager to ask (default: matplotlib's ``fontManager``).
        dirs: folders (or font files) to scan when ``manager`` knows no CJK font,
            for instance because its cache was built before the font was installed;
            the files found are registered with ``manager.addfont``. Default:
            :func:`font_dirs`. Pass ``[]`` to scan nothing.
    """
    manager = font_manager.fontManager if manager is None else manager
    family = _first_covering(manager, manager.get_font_names())
    if family is not None:
        return family
    known = {str(getattr(e, "fname", "")) for e in manager.ttflist}
    before = set(manager.get_font_names())
    for path in _candidate_files(font_dirs() if dirs is None else [Path(d) for d in dirs]):
        if str(path) in known:
            continue
        try:
            manager.addfont(str(path))
        except Exception:  # not a font matplotlib can read
            continue
    added = set(manager.get_font_names()) - before
    return _first_covering(manager, added) if added else None


def cjk_font() -> str | None:
    """The CJK family lrlib uses (looked up once per session; :func:`reset` forgets it)."""
    if "font" not in _state:
        _state["font"] = find_cjk_font()
    return _state["font"]


def families() -> list[str]:
    """The font family list figures use now (``rcParams["font.family"]`` as a list)."""
    fam = matplotlib.rcParams["font.family"]
    return [fam] if isinstance(fam, str) else list(fam)


def install_fallback() -> str | None:
    """Append the CJK font (if any) to ``rcParams["font.family"]``; return its name.

    Latin text still comes from the fonts already listed; only glyphs they lack (the
    Chinese ones) come from the CJK font. Calling it again is cheap and harmless.
    """
    family = cjk_font()
    if family is not None:
        current = families()
        if family not in current:
            matplotlib.rcParams["font.family"] = current + [family]
    return family


def plot_language(lang: str | None = None) -> str:
    """The language to write figure text in: ``lang`` (default: the current one) if it can be drawn.

    For ``"zh"`` this finds a CJK font and puts it in the font fallback list. If there
    is none it returns ``"en"`` and, the first time only, shows a notice
    (:class:`CJKFontNotice`) saying how to install one.
    """
    lang = lang or get_language()
    family = install_fallback()
    if lang != "zh" or family is not None:
        return lang
    if not _state.get("notified"):
        _state["notified"] = True
        warnings.warn(t("font_missing_notice", lang=lang), CJKFontNotice, stacklevel=2)
    return "en"
