"""lrlib.plotting: what is drawn, where the marks go, and the fast live path.

Expected positions (warmup and tail lengths, restarts, milestones) are worked out
by hand from the formulas in the docstrings, not read from the schedules.
"""

import io
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import lrlib
from lrlib import plotting
from lrlib.i18n import t
from lrlib.plotting import LivePlot, SchedulePlot, compact_labels, format_lr, plot_schedule, plot_schedules, sample


@pytest.fixture(autouse=True)
def english():
    lrlib.set_language("en")
    yield
    lrlib.set_language("en")


def new_ax():
    fig = Figure(figsize=(7, 3.4))
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def visible_spans(plot):
    return [(round(r.get_x(), 9), round(r.get_x() + r.get_width(), 9)) for r in plot.spans if r.get_visible()]


def visible_span_labels(plot):
    return [x.get_text() for x in plot.span_labels if x.get_visible()]


def event_steps(plot, kind):
    return [seg[0][0] for seg in plot.events[kind].get_segments()] if plot.events[kind].get_visible() else []


def test_import_loads_matplotlib_but_not_pyplot_or_ipywidgets():
    code = "import sys, lrlib.plotting\nprint('matplotlib.pyplot' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_plots_the_values_of_the_schedule_on_a_given_axes():
    ax = new_ax()
    seed = lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100)
    drawn = plot_schedule(seed, 100, ax=ax)
    assert isinstance(drawn, SchedulePlot) and drawn.ax is ax and drawn.line in ax.lines
    x, y = drawn.line.get_data()
    np.testing.assert_array_equal(x, np.arange(100))
    np.testing.assert_array_equal(y, seed(np.arange(100)))


def test_per_iteration_stepping_samples_fractional_epochs_and_adds_an_iterations_axis():
    ax = new_ax()
    s = lrlib.warmup_cosine(0.1, total_steps=10, warmup_steps=2)  # lengths in epochs
    drawn = plot_schedule(s, 10, iters_per_epoch=4, ax=ax)
    x, y = drawn.line.get_data()
    np.testing.assert_array_equal(x, np.arange(40) / 4)
    np.testing.assert_array_equal(y, s(np.arange(40) / 4))
    ax.figure.canvas.draw()
    np.testing.assert_allclose(drawn.secondary.get_xlim(), np.array(ax.get_xlim()) * 4)
    assert drawn.secondary.get_xlabel() == "iteration"


def test_a_schedule_in_iterations_is_drawn_in_epochs():
    ax = new_ax()
    s = lrlib.compat.yolox_warm_cos(0.01, iters_per_epoch=5, total_epochs=30, warmup_epochs=2, no_aug_epochs=4)
    drawn = plot_schedule(s, 30, iters_per_epoch=5, unit="iteration", ax=ax)
    x, y = drawn.line.get_data()
    np.testing.assert_array_equal(x, np.arange(150) / 5)
    np.testing.assert_array_equal(y, s(np.arange(150)))
    # warmup 2 epochs, tail 4 epochs: marked in epochs, not iterations
    assert visible_spans(drawn)[0] == (0.0, 2.0) and visible_spans(drawn)[2][0] == 26.0


def test_seed_phases_are_shaded_and_labelled_where_the_clamps_put_them():
    drawn = plot_schedule(lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100), 100, ax=new_ax())
    # warmup min(max(0.1 * 100, 1), 3) = 3, tail starts at 100 - min(max(0.3 * 100, 1), 15) = 85
    spans = visible_spans(drawn)
    assert spans[0] == (0.0, 3.0) and spans[1] == (3.0, 85.0) and spans[2][0] == 85.0
    assert spans[2][1] >= 99.0
    assert visible_span_labels(drawn) == ["warmup", "decay", "constant tail"]
    assert [p.kind for p in drawn.phases] == ["warmup", "decay", "constant"]
    assert drawn.peak_label.get_text() == "peak 0.01" and drawn.floor_label.get_text() == "floor 0.0001"


def test_labels_in_chinese():
    lrlib.set_language("zh")
    drawn = plot_schedule(lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100), 100, ax=new_ax())
    assert visible_span_labels(drawn) == ["预热", "衰减", "恒定尾段"]
    assert drawn.peak_label.get_text() == "峰值 0.01"
    assert drawn.ax.get_ylabel() == "学习率"
    buf = io.BytesIO()
    drawn.ax.figure.savefig(buf, format="png")  # with filterwarnings=error, a missing glyph would fail here


def test_restarts_are_marked():
    drawn = plot_schedule(lrlib.warm_restarts(0.01, 10, cycle_mult=2), 150, iters_per_epoch=10, ax=new_ax())
    assert event_steps(drawn, "restart") == [10.0, 30.0, 70.0]  # 10, 10 + 20, 10 + 20 + 40 (150 is past the data)
    assert drawn.event_labels["restart"].get_text() == "restart"
    assert event_steps(drawn, "milestone") == []


def test_milestones_are_marked():
    drawn = plot_schedule(lrlib.compat.get_lr_scheduler("step", 0.01, 0.0001, 100, step_num=10), 100, ax=new_ax())
    assert event_steps(drawn, "milestone") == [10.0 * i for i in range(1, 10)]
    assert drawn.event_labels["milestone"].get_text() == "milestone"
    assert visible_spans(drawn) == []  # a plateau is not shaded


def test_the_floor_is_the_lowest_value_after_the_peak():
    s = lrlib.warmup_cosine(0.1, total_steps=50, warmup_steps=5, end_lr=0.002)  # starts at 0, ends at 0.002
    drawn = plot_schedule(s, ax=new_ax())  # default length: 50 epochs and the end value
    assert drawn.line.get_xdata()[-1] == 50
    assert drawn.floor_label.get_text() == "floor 0.002" and drawn.peak_label.get_text() == "peak 0.1"


def test_overlay_names_each_schedule_by_its_parameters():
    a, b = lrlib.cosine_decay(0.1, 100), lrlib.cosine_decay(0.1, 50)
    drawn = plot_schedules({"long": a, "short": b}, 100, ax=new_ax())
    assert [x.get_text() for x in drawn.legend.get_texts()] == ["cosine_decay(decay_steps=100)",
                                                                "cosine_decay(decay_steps=50)"]
    assert "peak_lr=0.1" in drawn.ax.get_title(loc="left")
    np.testing.assert_array_equal(drawn.lines["short"].get_ydata(), b(np.arange(100)))
    np.testing.assert_array_equal(drawn.lines["long"].get_ydata(), a(np.arange(100)))


def test_compact_labels_keep_what_differs():
    labels, shared = compact_labels([lrlib.constant(0.1), lrlib.constant(0.2)])
    assert labels == ["constant(lr=0.1)", "constant(lr=0.2)"] and shared == ""
    assert compact_labels([lrlib.constant(0.1)]) == (["constant(lr=0.1)"], "")


def test_a_new_axes_when_none_is_given_and_never_show(monkeypatch):
    import matplotlib.pyplot as plt

    def no_show(*a, **k):
        raise AssertionError("plt.show() must not be called")

    monkeypatch.setattr(plt, "show", no_show)
    drawn = plot_schedule(lrlib.cosine_decay(0.1, 20))
    try:
        assert drawn.ax.figure in [plt.figure(n) for n in plt.get_fignums()]
        np.testing.assert_array_equal(drawn.line.get_ydata(), lrlib.cosine_decay(0.1, 20)(np.arange(21)))
    finally:
        plt.close(drawn.ax.figure)


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="unit"):
        sample(lrlib.constant(0.1), 10, 5, unit="batches")
    with pytest.raises(ValueError, match="schedule"):
        plot_schedule(lambda s: 0.1, 10, ax=new_ax())


def test_format_lr():
    assert format_lr(0.00123456) == "0.001235"
    assert format_lr(0.01) == "0.01" and format_lr(2.5e-5) == "2.5e-05"


def test_live_plot_renders_what_a_plain_agg_draw_renders():
    """The cached background and pasted texts give the same picture as drawing everything."""
    lrlib.set_language("zh")
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
    live = plotting.LivePlot((4, 2), dpi=60)
    live.ax.plot([0, 1], [0, 1])
    live.ax.set_title("cosine annealing", loc="left")
    first = live.render()
    live.ax.set_title("step decay", loc="left")
    assert live.render() != first
