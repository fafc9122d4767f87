"""The explorers, headless (no browser, no kernel): controls in, plotted data out.

Every expected curve is computed here directly with lrlib from the control values
(never read back from the explorer's own schedules), so a wrong argument, a
stale line or a swapped control shows up as a mismatch.
"""

import subprocess
import sys

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrlib
from lrlib import widgets as W
from lrlib.i18n import t
from lrlib.plotting import format_lr

PNG = b"\x89PNG\r\n\x1a\n"
RESTART_IPE = 10  # the iterations per epoch the restarts explorer is built with below


@pytest.fixture(autouse=True)
def english():
    lrlib.set_language("en")
    yield
    lrlib.set_language("en")


# ----------------------------------------------------------- the oracles: lrlib, directly ---

def oracle_seed(v):
    s = lrlib.compat.get_lr_scheduler(v["decay_type"], v["peak_lr"], v["min_lr"], v["total_epochs"],
                                      warmup_iters_ratio=v["warmup_ratio"], warmup_lr_ratio=v["warmup_lr_ratio"],
                                      no_aug_iter_ratio=v["tail_ratio"], step_num=v["step_num"])
    x = np.arange(v["total_epochs"], dtype=float)
    return {"lr": (x, s(x))}


def oracle_decay(v):
    x = np.arange(v["total_epochs"], dtype=float)
    cos = lrlib.cosine_decay(v["peak_lr"], v["total_epochs"], v["min_lr"])
    lin = lrlib.decay(v["peak_lr"], v["total_epochs"], v["min_lr"], shape="linear")
    step = lrlib.compat.get_lr_scheduler("step", v["peak_lr"], v["min_lr"], v["total_epochs"], step_num=v["step_num"])
    return {"cosine": (x, cos(x)), "linear": (x, lin(x)), "step": (x, step(x))}


def oracle_warmup(v):
    x = lrlib.fractional_epochs(v["total_epochs"], v["iters_per_epoch"])
    out = {}
    for shape in ("linear", "quadratic", "cosine", "exponential"):
        try:
            s = lrlib.warmup_cosine(v["peak_lr"], v["total_epochs"], v["warmup_epochs"], end_lr=v["min_lr"],
                                    start_lr=v["warmup_lr_ratio"] * v["peak_lr"], warmup_shape=shape)
        except ValueError:
            if shape == v["shape"]:
                raise
            continue
        out[shape] = (x, s(x))
    return out


def oracle_restarts(v):
    s = lrlib.warm_restarts(v["peak_lr"], v["first_cycle_epochs"], v["cycle_mult"], v["peak_decay"], end_lr=v["min_lr"])
    x = lrlib.fractional_epochs(v["total_epochs"], RESTART_IPE)
    return {"lr": (x, s(x))}


def oracle_stepping(v):
    s = lrlib.compat.get_lr_scheduler(v["decay_type"], v["peak_lr"], v["min_lr"], v["total_epochs"])
    x = lrlib.fractional_epochs(v["total_epochs"], v["iters_per_epoch"])
    whole = lrlib.epoch_of_iteration(v["total_epochs"], v["iters_per_epoch"])
    return {"per_epoch": (x, s(whole)), "per_iteration": (x, s(x))}


def oracle_batch(v):
    fit, min_fit = lrlib.compat.scale_lr_for_batch(v["peak_lr"], v["min_lr"], v["batch_size"], v["nbs"], v["optimizer"])
    x = np.arange(v["total_epochs"], dtype=float)
    nominal = lrlib.compat.get_lr_scheduler("cos", v["peak_lr"], v["min_lr"], v["total_epochs"])
    scaled = lrlib.compat.get_lr_scheduler("cos", fit, min_fit, v["total_epochs"])
    return {"nominal": (x, nominal(x)), "scaled": (x, scaled(x))}


ORACLES = {
    "seed_recipe": oracle_seed, "decay_comparison": oracle_decay, "warmup": oracle_warmup,
    "warm_restarts": oracle_restarts, "stepping": oracle_stepping, "batch_scaling": oracle_batch,
}
BUILD = {"warm_restarts": {"iters_per_epoch": RESTART_IPE}}
EXPECTED_CONTROLS = {
    "seed_recipe": {"peak_lr", "min_lr", "total_epochs", "warmup_ratio", "warmup_lr_ratio", "tail_ratio", "step_num",
                    "decay_type", "readout_epoch"},
    "decay_comparison": {"peak_lr", "min_lr", "total_epochs", "step_num", "readout_epoch"},
    "warmup": {"peak_lr", "min_lr", "total_epochs", "warmup_epochs", "warmup_lr_ratio", "shape", "iters_per_epoch"},
    "warm_restarts": {"peak_lr", "min_lr", "first_cycle_epochs", "cycle_mult", "peak_decay", "total_epochs",
                      "readout_epoch"},
    "stepping": {"peak_lr", "min_lr", "total_epochs", "iters_per_epoch", "decay_type"},
    "batch_scaling": {"peak_lr", "min_lr", "batch_size", "nbs", "optimizer", "total_epochs"},
}


def make(key, **kw):
    return W.EXPLORERS[key](**{**BUILD.get(key, {}), **kw})


def plotted(ex):
    return {name: (np.asarray(line.get_xdata(), float).copy(), np.asarray(line.get_ydata(), float).copy())
            for name, line in ex.lines.items() if line.get_visible()}


def assert_plot_is(ex, expected):
    got = plotted(ex)
    assert set(got) == set(expected), f"lines shown {sorted(got)}, expected {sorted(expected)}"
    for name, (x, y) in expected.items():
        np.testing.assert_array_equal(got[name][0], x, err_msg=f"x of {name}")
        np.testing.assert_allclose(got[name][1], y, rtol=1e-12, atol=0, err_msg=f"y of {name}")


def expected_or_none(key, ex):
    try:
        return ORACLES[key](ex.values())
    except ValueError:
        return None


def sample_values(w):
    """A few values across a control's range (ends, middle, every option)."""
    if isinstance(w, widgets.Dropdown):
        return [v for _label, v in w.options]
    if isinstance(w, widgets.FloatLogSlider):
        return [w.base ** w.min, w.base ** ((w.min + w.max) / 2), w.base ** w.max]
    mid = (w.min + w.max) / 2
    return [w.min, int(mid) if isinstance(w, widgets.IntSlider) else mid, w.max]


KEYS = list(W.EXPLORERS)


# ----------------------------------------------------------------------------- the tests ---

def test_registry_names_the_six_explorers():
    assert set(W.EXPLORERS.values()) == {W.SeedRecipeExplorer, W.DecayComparisonExplorer, W.WarmupExplorer,
                                         W.WarmRestartsExplorer, W.SteppingExplorer, W.BatchScalingExplorer}
    assert set(W.EXPLORERS) == set(ORACLES)


@pytest.mark.parametrize("key", KEYS)
def test_defaults_plot_the_schedule_lrlib_computes(key):
    ex = make(key)
    assert set(ex.controls) == EXPECTED_CONTROLS[key]
    assert ex.update() is True and ex.message.value == "" and ex.message == ""
    assert_plot_is(ex, ORACLES[key](ex.values()))
    assert bytes(ex.image.value[:8]) == PNG
    assert isinstance(ex.widget, widgets.Box) and isinstance(ex.readout, widgets.HTML)
    assert ex.readout.value  # every explorer has something to read
    first = next(iter(ORACLES[key](ex.values()).values()))[0]
    np.testing.assert_array_equal(ex.x, first)


@pytest.mark.parametrize("key", KEYS)
def test_every_control_value_redraws_to_lrlibs_curve(key):
    """Set each control to values across its range; the plot is lrlib's curve, or a message when lrlib refuses."""
    for name in make(key).controls:
        ex = make(key)
        w = ex.controls[name]
        for value in sample_values(w):
            before = plotted(ex)
            w.value = value
            expected = expected_or_none(key, ex)
            if expected is None:
                assert ex.message.value != "", f"{name}={value!r}: lrlib refuses, but no message"
                after = plotted(ex)
                assert after.keys() == before.keys()
                for line in after:
                    np.testing.assert_array_equal(after[line][1], before[line][1])
            else:
                assert ex.message.value == "", f"{name}={value!r}: unexpected message {ex.message.value!r}"
                assert_plot_is(ex, expected)


def _strategy(w):
    if isinstance(w, widgets.Dropdown):
        return st.sampled_from([v for _label, v in w.options])
    if isinstance(w, widgets.FloatLogSlider):
        return st.floats(w.min, w.max).map(lambda e: w.base ** e)
    if isinstance(w, widgets.IntSlider):
        return st.integers(w.min, w.max)
    return st.floats(w.min, w.max)


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_settings_never_raise_and_invalid_ones_keep_the_last_plot(key, data):
    ex = make(key)
    last_valid = plotted(ex)
    last_png = bytes(ex.image.value)
    names = list(ex.controls)
    moves = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=8), label="controls moved")
    for name in moves:
        w = ex.controls[name]
        w.value = data.draw(_strategy(w), label=name)  # must not raise
        v = ex.values()
        if "min_lr" in v:
            assert v["min_lr"] <= v["peak_lr"], "the floor passed the peak"
        if "readout_epoch" in v:
            assert v["readout_epoch"] <= v["total_epochs"] - 1
        expected = expected_or_none(key, ex)
        if expected is None:
            assert ex.message.value != ""
            now = plotted(ex)
            assert now.keys() == last_valid.keys()
            for line in now:
                np.testing.assert_array_equal(now[line][0], last_valid[line][0])
                np.testing.assert_array_equal(now[line][1], last_valid[line][1])
            assert bytes(ex.image.value) == last_png
        else:
            assert ex.message.value == ""
            assert_plot_is(ex, expected)
            last_valid, last_png = plotted(ex), bytes(ex.image.value)


def test_the_floor_cannot_pass_the_peak():
    ex = W.SeedRecipeExplorer(peak_lr=0.01, min_lr=0.0001)
    ex.controls["min_lr"].value = 0.05
    assert ex.controls["min_lr"].value == pytest.approx(0.01)
    ex.controls["min_lr"].value = 0.001
    ex.controls["peak_lr"].value = 0.0005  # the peak moved below the floor: the floor follows it down
    assert ex.controls["min_lr"].value == pytest.approx(0.0005)
    assert ex.message.value == ""
    assert_plot_is(ex, oracle_seed(ex.values()))


def test_the_epoch_read_stays_inside_the_run():
    ex = W.SeedRecipeExplorer(total_epochs=100, readout_epoch=80)
    ex.controls["total_epochs"].value = 50
    assert ex.controls["readout_epoch"].max == 49 and ex.controls["readout_epoch"].value == 49
    assert t("readout_lr_at", epoch=49, lr=format_lr(oracle_seed(ex.values())["lr"][1][49])) in ex.readout.value


def test_an_invalid_combination_shows_a_message_and_keeps_the_last_plot():
    ex = W.SeedRecipeExplorer(total_epochs=50)
    ex.controls["decay_type"].value = "step"
    good, png, schedule = plotted(ex), bytes(ex.image.value), ex.schedule
    ex.controls["total_epochs"].value = 5  # 10 steps in 5 epochs: lrlib refuses
    assert not ex.update()
    assert t("msg_step_epochs", k=10, total=5) in ex.message.value
    assert ex.message != ""
    np.testing.assert_array_equal(plotted(ex)["lr"][1], good["lr"][1])
    assert bytes(ex.image.value) == png and ex.schedule is schedule
    ex.controls["step_num"].value = 5  # now it works again
    assert ex.message.value == ""
    assert_plot_is(ex, oracle_seed(ex.values()))


def test_no_exception_reaches_the_page(monkeypatch):
    ex = W.SeedRecipeExplorer()
    good = plotted(ex)

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(W.compat, "get_lr_scheduler", broken)
    ex.controls["peak_lr"].value = 0.02  # the observer runs update(): nothing may propagate
    assert "something nobody foresaw" in ex.message.value
    np.testing.assert_array_equal(plotted(ex)["lr"][1], good["lr"][1])


def test_a_failed_redraw_puts_the_last_plot_back(monkeypatch):
    ex = W.WarmRestartsExplorer(iters_per_epoch=RESTART_IPE)
    good = plotted(ex)
    calls = []

    def render_fails_once():
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError("out of memory while drawing")
        return b"\x89PNG\r\n\x1a\nrest"

    monkeypatch.setattr(ex.live, "render", render_fails_once)
    assert ex.controls["cycle_mult"].value != 1.0
    ex.controls["cycle_mult"].value = 1.0
    assert "out of memory" in ex.message.value
    np.testing.assert_array_equal(plotted(ex)["lr"][1], good["lr"][1])


def test_moving_a_slider_changes_the_image_in_place():
    ex = W.DecayComparisonExplorer()
    image, figure, lines = ex.image, ex.figure, dict(ex.lines)
    before = bytes(ex.image.value)
    ex.controls["step_num"].value = 4
    assert ex.image is image and ex.figure is figure and ex.lines == lines  # same widget, figure, artists
    assert bytes(ex.image.value) != before and bytes(ex.image.value[:8]) == PNG


def test_seed_readout_shows_the_clamped_lengths_and_values():
    ex = W.SeedRecipeExplorer(total_epochs=300, readout_epoch=7)
    y = oracle_seed(ex.values())["lr"][1]
    text = ex.readout.value
    # warmup min(max(0.1 * 300, 1), 3) = 3 epochs, tail min(max(0.3 * 300, 1), 15) = 15 epochs
    assert t("readout_warmup_len", actual="3", raw="30") in text
    assert t("readout_tail_len", actual="15", raw="90") in text
    assert t("readout_lr_at", epoch=7, lr=format_lr(y[7])) in text
    for i in (0, 1, 2, 3, 4, 297, 298, 299):
        assert f">{format_lr(y[i])}<" in text
    ex.controls["total_epochs"].value = 10  # 0.1 * 10 = 1 epoch of warmup, 0.3 * 10 = 3 of tail
    assert t("readout_warmup_len", actual="1", raw="1") in ex.readout.value
    assert t("readout_tail_len", actual="3", raw="3") in ex.readout.value


def test_batch_readout_shows_the_scaling():
    ex = W.BatchScalingExplorer(peak_lr=0.01, min_lr=0.0001, batch_size=16, nbs=64, optimizer="sgd")
    assert "0.01 × 16/64 = 0.0025" in ex.readout.value
    ex.controls["batch_size"].value = 2  # 0.01 * 2/64 = 0.0003125, clipped up to SGD's 0.0005
    assert "→ 0.0005<" in ex.readout.value
    np.testing.assert_allclose(ex.lines["scaled"].get_ydata()[3], 0.0005)


def test_restarts_are_read_out_where_lrlib_puts_them():
    ex = W.WarmRestartsExplorer(first_cycle_epochs=10, cycle_mult=2.0, total_epochs=150, iters_per_epoch=RESTART_IPE)
    assert t("readout_restarts", epochs="10, 30, 70") in ex.readout.value  # 10, 10 + 20, 10 + 20 + 40


def test_warmup_exponential_needs_a_start_above_zero():
    ex = W.WarmupExplorer(warmup_lr_ratio=0.0, shape="linear")
    assert "exponential" not in plotted(ex)  # left out, not an error
    ex.controls["shape"].value = "exponential"
    assert ex.message.value != "" and t("msg_exp_zero_start") in ex.message.value
    ex.controls["warmup_lr_ratio"].value = 0.1
    assert ex.message.value == ""
    assert_plot_is(ex, oracle_warmup(ex.values()))
    assert ex.lines["exponential"].get_linewidth() > ex.lines["linear"].get_linewidth()  # the chosen one is bold


def test_labels_and_messages_follow_the_language():
    lrlib.set_language("zh")
    ex = W.SeedRecipeExplorer()
    assert ex.controls["peak_lr"].description == "峰值学习率"
    assert ex.controls["total_epochs"].description == t("ctl_total_epochs", lang="zh")
    assert dict(ex.controls["decay_type"].options) == {"余弦退火": "cos", "阶梯衰减": "step"}
    assert "学习率" in ex.readout.value
    ex.controls["decay_type"].value = "step"
    ex.controls["total_epochs"].value = 3
    assert t("msg_step_epochs", lang="zh", k=10, total=3) in ex.message.value
    lrlib.set_language("en")
    ex.controls["total_epochs"].value = 100
    ex.relabel()
    assert ex.controls["peak_lr"].description == "peak learning rate"
    assert ex.controls["decay_type"].value == "step"  # relabelling keeps the choice
    assert dict(ex.controls["decay_type"].options)["step decay"] == "step"
    assert ex.figure.axes[0].get_xlabel() == "epoch"
    assert "learning rate at epoch" in ex.readout.value


def test_an_explorer_displays_itself():
    ex = W.SteppingExplorer()
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert callable(ex._ipython_display_)


def test_building_and_moving_print_nothing(capsys):
    ex = W.BatchScalingExplorer()
    ex.controls["nbs"].value = 32
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_core_widgets_only_and_no_pyplot():
    """Only core ipywidgets in the tree; no pyplot and no ipympl loaded by the explorers."""
    code = (
        "import sys, lrlib.widgets as W\n"
        "exs = [cls() for cls in W.EXPLORERS.values()]\n"
        "def walk(w):\n"
        "    yield w\n"
        "    for c in getattr(w, 'children', ()):\n"
        "        yield from walk(c)\n"
        "mods = {type(w).__module__.split('.')[0] for ex in exs for w in walk(ex.widget)}\n"
        "print(sorted(mods), 'matplotlib.pyplot' in sys.modules, 'ipympl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['ipywidgets', 'lrlib'] False False", out.stdout + out.stderr


def test_the_explorers_avoid_widgets_ipywidgets_77_lacks():
    """Colab runs ipywidgets 7.7: no Stack, TagsInput, Tooltip-era traits in what the explorers build."""
    for key in KEYS:
        ex = make(key)
        for w in ex.controls.values():
            assert type(w).__name__ in {"IntSlider", "FloatSlider", "FloatLogSlider", "Dropdown"}
        assert {type(ex.widget).__name__, type(ex.image).__name__} == {"VBox", "Image"}


def test_live_figure_redraws_and_survives_a_failing_draw():
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from lrlib.widgets import live_figure

    fig = Figure()
    ax = fig.subplots()
    (line,) = ax.plot(np.zeros(3))
    ax.set_ylim(-3, 3)
    calls = []

    def draw(a, b):
        calls.append((a, b))
        if b == 0:
            raise ZeroDivisionError("b must not be 0")
        line.set_ydata(np.full(3, a / b))
        return f"a/b = {a / b:g}"

    controls = {"a": widgets.IntSlider(value=2, min=-5, max=5), "b": widgets.IntSlider(value=1, min=0, max=5)}
    box, readout, image = live_figure(fig, controls, draw)
    assert calls == [(2, 1)] and readout.value == "a/b = 2" and image.value[:4] == b"\x89PNG"
    controls["b"].value = 4
    assert readout.value == "a/b = 0.5" and np.allclose(line.get_ydata(), 0.5)
    good = image.value
    controls["b"].value = 0            # the draw raises: a message, the last image kept, no exception
    assert "b must not be 0" in readout.value and image.value == good
    controls["b"].value = 2
    assert readout.value == "a/b = 1" and image.value != good
    assert list(box.children[:2]) == [controls["a"], controls["b"]]
