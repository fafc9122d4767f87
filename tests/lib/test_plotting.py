"""lrlib.plotting: what is drawn and where the marks go.

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
from lrlib.plotting import PLOT_TEXT, SchedulePlot, compact_labels, format_lr, plot_schedule, plot_schedules, sample


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
    drawn = plot_schedule(s, 30, iters_per_epoch=5, step_unit="iteration", ax=ax)
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
    with pytest.raises(ValueError, match="step_unit"):
        sample(lrlib.constant(0.1), 10, 5, step_unit="batches")
    with pytest.raises(ValueError, match="schedule"):
        plot_schedule(lambda s: 0.1, 10, ax=new_ax())


def test_format_lr():
    assert format_lr(0.00123456) == "0.001235"
    assert format_lr(0.01) == "0.01" and format_lr(2.5e-5) == "2.5e-05"


def test_other_words_replace_the_english_ones():
    words = {"phase_warmup": "Aufwärmen", "peak": "Spitze"}
    drawn = plot_schedule(lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100), 100, ax=new_ax(), text=words)
    assert visible_span_labels(drawn) == ["Aufwärmen", "decay", "constant tail"]
    assert drawn.peak_label.get_text() == "Spitze 0.01" and drawn.ax.get_ylabel() == PLOT_TEXT["learning_rate"]



def test_the_three_step_units_sample_what_a_training_loop_would_call():
    """Worked out by hand for 2 epochs of 4 iterations: the x axis is always in epochs."""
    f = lrlib.linear(0.0, 8.0, duration_steps=8)  # f(t) = t, so the y values show the steps called
    x, y = sample(f, 2, iters_per_epoch=4, step_unit="epoch")
    assert x.tolist() == [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75] and y.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    _, y = sample(f, 2, iters_per_epoch=4, step_unit="fractional_epoch")
    assert y.tolist() == [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]
    _, y = sample(f, 2, iters_per_epoch=4, step_unit="iteration")
    assert y.tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(ValueError, match="step_unit='iteration' needs iters_per_epoch"):
        sample(f, 2, step_unit="iteration")
