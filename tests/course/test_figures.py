"""The course's figures: lrlib's plots in Chinese (the explorers' renderer: test_renderer.py).

Expected words are the course's translations (``lrcourse.i18n``).
"""

import io

import pytest
from matplotlib.figure import Figure

import lrlib
import lrcourse
from lrcourse.figures import plot_schedule


@pytest.fixture(autouse=True)
def english():
    lrcourse.set_language("en")
    yield
    lrcourse.set_language("en")


def new_ax():
    return Figure(figsize=(7, 3.4)).add_subplot()


def visible_span_labels(plot):
    return [lbl.get_text() for lbl in plot.span_labels if lbl.get_visible()]


def test_labels_in_chinese():
    lrcourse.set_language("zh")
    drawn = plot_schedule(lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100), 100, ax=new_ax())
    assert visible_span_labels(drawn) == ["预热", "衰减", "恒定尾段"]
    assert drawn.peak_label.get_text() == "峰值 0.01"
    assert drawn.ax.get_ylabel() == "学习率"
    buf = io.BytesIO()
    drawn.ax.figure.savefig(buf, format="png")  # with filterwarnings=error, a missing glyph would fail here
