"""Static figures in the lesson's language: lrlib's plots with translated words.

lrlib draws its figures in English unless given other words (``text=``); this module
gives it the course's words in the language chosen with :func:`lrcourse.set_language`,
when the installed fonts can draw them (:func:`lrcourse.fonts.plot_language`).

    >>> from matplotlib.figure import Figure
    >>> import lrlib
    >>> drawn = plot_schedule(lrlib.cosine_decay(0.1, 100), 100, ax=Figure().add_subplot(), lang="en")
    >>> drawn.peak_label.get_text()
    'peak 0.1'
"""

from __future__ import annotations

from lrlib import plotting
from lrlib.plotting import PLOT_TEXT

from . import fonts
from .i18n import t

fonts.install_fallback()  # so that Chinese text in any figure made from now on finds its glyphs

__all__ = ["plot_words", "plot_text", "plot_schedule", "plot_schedules"]


def plot_words(lang: str | None = None) -> dict:
    """lrlib's figure words (:data:`lrlib.plotting.PLOT_TEXT`) in ``lang``, or English when no font can draw it."""
    lang = fonts.plot_language(lang)
    return {key: t(key, lang=lang) for key in PLOT_TEXT}


def plot_text(key: str, lang: str | None = None, **fields) -> str:
    """One of the course's strings, for use inside a figure (English when no CJK font is installed)."""
    return t(key, lang=fonts.plot_language(lang), **fields)


def plot_schedule(schedule, epochs=None, *, lang: str | None = None, **kw):
    """:func:`lrlib.plotting.plot_schedule`, its words in ``lang`` (default: the course's language)."""
    return plotting.plot_schedule(schedule, epochs, text=plot_words(lang), **kw)


def plot_schedules(schedules, epochs=None, *, lang: str | None = None, **kw):
    """:func:`lrlib.plotting.plot_schedules`, its words in ``lang`` (default: the course's language)."""
    return plotting.plot_schedules(schedules, epochs, text=plot_words(lang), **kw)
