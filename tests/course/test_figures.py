"""The course's figures: lrlib's plots in Chinese, and the explorers' fast renderer.

Expected words are the course's translations (``lrcourse.i18n``); the live frame is
compared with a plain Agg draw of the same figure.
"""

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import lrlib
import lrcourse
from lrcourse.figures import plot_schedule
from lrcourse.i18n import t
from lrcourse.renderer import LivePlot
from lrlib import plotting
from lrlib.plotting import SchedulePlot, sample


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



def test_live_plot_renders_what_a_plain_agg_draw_renders():
    """The cached background and pasted texts give the same picture as drawing everything."""
    lrcourse.set_language("zh")
    live = LivePlot()
    plot = SchedulePlot(live.ax, ("a", "b"), legend_loc=plotting.LEGEND_LOC, animated=True, steady=True)
    live.add_dynamic(plot)
    s1 = lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 60)
    s2 = lrlib.compat.get_lr_scheduler("step", 0.01, 0.0001, 60)
    for peak in (0.01, 0.012, 0.01):  # the second and third frames reuse the background and the texts
        s1 = lrlib.compat.get_lr_scheduler("cos", peak, 0.0001, 60)
        x, y1 = sample(s1, 60)
        plot.set_data({"a": (x, y1, s1), "b": (x, s2(x), s2)}, marks_from=s1, labels={"a": "余弦", "b": "step"})
        plot.set_title(t("title_seed", branch="x"))
        png = live.render()
    got = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    for a in live.dynamic_artists():
        a.set_animated(False)
    canvas = FigureCanvasAgg(live.figure)
    canvas.draw()
    want = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    diff = np.abs(got - want).max(axis=2)
    assert got.shape == want.shape
    assert (diff > 40).mean() < 0.002, "the live frame differs from a full draw"
    assert np.all(got[2, 2] == 255)  # a white background stays white after the palette


def test_live_plot_redraws_the_background_only_when_the_axes_change():
    live = LivePlot()
    plot = SchedulePlot(live.ax, ("lr",), animated=True, steady=True)
    live.add_dynamic(plot)
    draws = []
    real = live.figure.canvas.draw
    live.figure.canvas.draw = lambda: (draws.append(1), real())[1]
    for peak in (0.010, 0.0101, 0.0102):
        s = lrlib.cosine_decay(peak, 100)
        x, y = sample(s, 100)
        plot.set_data({"lr": (x, y, s)})
        live.render()
    assert len(draws) == 1  # same axes: the background was drawn once
    s = lrlib.cosine_decay(0.1, 300)  # ten times the peak, three times as long: new axes
    x, y = sample(s, 300)
    plot.set_data({"lr": (x, y, s)})
    live.render()
    assert len(draws) == 2


def test_a_new_left_title_alone_redraws_the_background():
    # Explorers write their title on the left; a change of it alone must reach the image.
    live = LivePlot((4, 2), dpi=60)
    live.ax.plot([0, 1], [0, 1])
    live.ax.set_title("cosine annealing", loc="left")
    first = live.render()
    live.ax.set_title("step decay", loc="left")
    assert live.render() != first
