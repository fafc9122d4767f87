"""The explorers, headless (no browser, no kernel): controls in, plotted data out.

Every expected curve is computed here directly with lrlib from the control values
(never read back from the explorer's own schedules), so a wrong argument, a
stale line or a swapped control shows up as a mismatch.
"""

import html
import io
import re
import subprocess
import sys

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrlib
import lrcourse
from lrlib import compat
from lrcourse import explorers as W
from lrcourse.fonts import plot_language
from lrcourse.i18n import LANGUAGES, explain, t
from lrlib._checks import ScheduleArgumentError
from lrlib.plotting import PHASE_COLORS, compact_labels, format_lr

PNG = b"\x89PNG\r\n\x1a\n"
RESTART_IPE = 10  # the iterations per epoch the restarts explorer is built with below


@pytest.fixture(autouse=True)
def english():
    lrcourse.set_language("en")
    yield
    lrcourse.set_language("en")


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


def lrlib_refusal(key, values):
    """The error lrlib raises for these control values (the oracle's own calls), or None."""
    try:
        ORACLES[key](values)
    except ValueError as err:
        return err
    return None


def told(key, err, lang):
    """What an explorer says for lrlib's error ``err``: its rule in ``lang``, naming the control the
    reader moved (the explorer's ARGUMENTS), or, for an error without a rule, the generic message."""
    if isinstance(err, ScheduleArgumentError):
        return explain(err, lang, rename=W.EXPLORERS[key].ARGUMENTS, labels=W.LABEL_KEYS)
    return t("msg_invalid", lang=lang, detail=str(err))


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
    err = lrlib_refusal("seed_recipe", ex.values())
    assert "total_iters" in str(err) and "step_num" in str(err)  # lrlib's own words
    assert html.escape(told("seed_recipe", err, "en")) in ex.message.value
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


@pytest.mark.parametrize("cls", ["SteppingExplorer", "BatchScalingExplorer"])
def test_recipe_ratios_can_be_the_current_defaults(cls):
    # Built with the current 0.05 / 0.05 ratios, the plotted recipe is the seed's with those ratios.
    ex = getattr(W, cls)(warmup_iters_ratio=0.05, no_aug_iter_ratio=0.05)
    v = ex.values()
    x = ex.lines["per_iteration" if cls == "SteppingExplorer" else "nominal"].get_xdata()
    lr, total = v["peak_lr"], v["total_epochs"]
    # the seed's clamps by hand: warmup min(max(0.05 T, 1), 3) epochs, tail min(max(0.05 T, 1), 15)
    warm, tail = min(max(0.05 * total, 1), 3), min(max(0.05 * total, 1), 15)
    assert warm == (1 if cls == "SteppingExplorer" else 3) and tail == (1 if cls == "SteppingExplorer" else 5)
    seed = compat.get_lr_scheduler("cos", lr, v["min_lr"], total, 0.05, 0.1, 0.05)
    y = ex.lines["per_iteration" if cls == "SteppingExplorer" else "nominal"].get_ydata()
    np.testing.assert_allclose(y, seed(x), rtol=1e-12)
    old = compat.get_lr_scheduler("cos", lr, v["min_lr"], total)
    assert not np.allclose(y, old(x))  # ... and not the old 0.1 / 0.3 one
    assert np.isclose(seed(total - tail), v["min_lr"]) and np.isclose(seed(warm), lr)


def test_a_bad_recipe_ratio_is_refused_when_the_explorer_is_built():
    with pytest.raises(ValueError, match="no_aug_iter_ratio"):
        W.SteppingExplorer(no_aug_iter_ratio=-0.1)


def test_restarts_are_read_out_where_lrlib_puts_them():
    ex = W.WarmRestartsExplorer(first_cycle_epochs=10, cycle_mult=2.0, total_epochs=150, iters_per_epoch=RESTART_IPE)
    assert t("readout_restarts", epochs="10, 30, 70") in ex.readout.value  # 10, 10 + 20, 10 + 20 + 40


def test_warmup_exponential_needs_a_start_above_zero():
    ex = W.WarmupExplorer(warmup_lr_ratio=0.0, shape="linear")
    assert "exponential" not in plotted(ex)  # left out, not an error
    ex.controls["shape"].value = "exponential"
    err = lrlib_refusal("warmup", ex.values())
    assert "start_lr" in str(err)
    assert ex.message.value != "" and html.escape(told("warmup", err, "en")) in ex.message.value
    ex.controls["warmup_lr_ratio"].value = 0.1
    assert ex.message.value == ""
    assert_plot_is(ex, oracle_warmup(ex.values()))
    assert ex.lines["exponential"].get_linewidth() > ex.lines["linear"].get_linewidth()  # the chosen one is bold


def test_labels_and_messages_follow_the_language():
    lrcourse.set_language("zh")
    ex = W.SeedRecipeExplorer()
    assert ex.controls["peak_lr"].description == "峰值学习率"
    assert ex.controls["total_epochs"].description == t("ctl_total_epochs", lang="zh")
    assert dict(ex.controls["decay_type"].options) == {"余弦退火": "cos", "阶梯衰减": "step"}
    assert "学习率" in ex.readout.value
    ex.controls["decay_type"].value = "step"
    ex.controls["total_epochs"].value = 3
    assert html.escape(told("seed_recipe", lrlib_refusal("seed_recipe", ex.values()), "zh")) in ex.message.value
    lrcourse.set_language("en")
    ex.controls["total_epochs"].value = 100
    ex.relabel()
    assert ex.controls["peak_lr"].description == "peak learning rate"
    assert ex.controls["decay_type"].value == "step"  # relabelling keeps the choice
    assert dict(ex.controls["decay_type"].options)["step decay"] == "step"
    assert ex.figure.axes[0].get_xlabel() == "epoch"
    assert "learning rate at epoch" in ex.readout.value


def test_an_explorer_displays_itself(monkeypatch):
    ex = W.SteppingExplorer()
    if int(widgets.__version__.split(".")[0]) < 8:  # ipywidgets 7: a widget shows itself with _ipython_display_
        import IPython.display

        shown = []
        monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
        ex._ipython_display_()
        assert shown == [ex.widget] and callable(ex.widget._ipython_display_)
        return
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
        "import sys, lrcourse.explorers as W\n"
        "exs = [cls() for cls in W.EXPLORERS.values()]\n"
        "def walk(w):\n"
        "    yield w\n"
        "    for c in getattr(w, 'children', ()):\n"
        "        yield from walk(c)\n"
        "mods = {type(w).__module__.split('.')[0] for ex in exs for w in walk(ex.widget)}\n"
        "print(sorted(mods), 'matplotlib.pyplot' in sys.modules, 'ipympl' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['ipywidgets', 'lrcourse'] False False", out.stdout + out.stderr


def test_the_explorers_avoid_widgets_ipywidgets_77_lacks():
    """Colab runs ipywidgets 7.7: no Stack, TagsInput, Tooltip-era traits in what the explorers build."""
    for key in KEYS:
        ex = make(key)
        for w in ex.controls.values():
            assert type(w).__name__ in {"IntSlider", "FloatSlider", "FloatLogSlider", "Dropdown"}
        for w in ex.entries.values():
            assert type(w).__name__ == "Text"
        assert {type(ex.widget).__name__, type(ex.image).__name__} == {"VBox", "Image"}


def test_live_figure_redraws_and_survives_a_failing_draw():
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from lrcourse.explorers import live_figure

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
    assert t("msg_invalid", lang="en", detail="b must not be 0") in html.unescape(readout.value)
    assert image.value == good
    lrcourse.set_language("zh")           # the message follows the language
    controls["b"].value = 1
    controls["b"].value = 0
    assert t("msg_invalid", lang="zh", detail="b must not be 0") in html.unescape(readout.value)
    assert image.value != good         # b = 1 drew a new figure, kept now
    lrcourse.set_language("en")
    controls["b"].value = 2
    assert readout.value == "a/b = 1" and image.value != good
    assert list(box.children[:2]) == [controls["a"], controls["b"]]


# ------------------------------------------------- one language for everything an explorer shows ---
#
# For each explorer and each language: every control, the figure's title, axis labels, legend
# and marks, the readout and the messages are the strings of lrcourse.i18n in that language. Figure
# text is in plot_language(lang) (English when no font can draw Chinese); widgets are always in lang.

def _words(text):
    """The text nodes of an HTML readout that hold words (numbers alone are the same in every language)."""
    nodes = [html.unescape(n).strip() for n in re.findall(r">([^<]+)<", f">{text}<")]
    return [n for n in nodes if n and not re.fullmatch(r"[\d.e+\-…\s]+", n)]


def _message_text(ex):
    return html.unescape(re.sub(r"<[^>]+>", "", ex.message.value)).strip()


def _fmt(v):
    return f"{v:.4g}"


def _readout_seed(ex, v, lang):
    s, total = ex.schedule, int(v["total_epochs"])
    e = min(int(v["readout_epoch"]), total - 1)
    out = [t("readout_lr_at", lang=lang, epoch=e, lr=format_lr(s(e)))]
    if v["decay_type"] == "cos":
        out += [t("readout_warmup_len", lang=lang, actual=_fmt(min(max(v["warmup_ratio"] * total, 1), 3)),
                  raw=_fmt(v["warmup_ratio"] * total)),
                t("readout_tail_len", lang=lang, actual=_fmt(min(max(v["tail_ratio"] * total, 1), 15)),
                  raw=_fmt(v["tail_ratio"] * total))]
    else:
        size = s.events[0].step
        out.append(t("readout_steps", lang=lang, k=v["step_num"], size=_fmt(size), gamma=format_lr(s(size) / s(0))))
    return out + [t("readout_first_last", lang=lang), t("epoch", lang=lang), t("learning_rate", lang=lang)]


def _readout_decay(ex, v, lang):
    total = int(v["total_epochs"])
    e = min(int(v["readout_epoch"]), total - 1)
    keys = {"cosine": "cosine_annealing", "step": "step_decay", "linear": "linear_decay"}

    def at(k):
        return t("sep_items", lang=lang).join(f"{t(keys[n], lang=lang)} {format_lr(s(k))}"
                                              for n, s in ex.schedules.items())

    return [t("readout_at_epoch", lang=lang, epoch=e, values=at(e)),
            t("readout_last_epoch", lang=lang, epoch=total - 1, values=at(total - 1))]


def _readout_warmup(ex, v, lang):
    ipe = int(v["iters_per_epoch"])
    iters = v["warmup_epochs"] * ipe

    def at(k):
        return t("sep_items", lang=lang).join(f"{t('shape_' + n, lang=lang)} {format_lr(s(k / ipe))}"
                                              for n, s in ex.schedules.items())

    return [t("readout_warmup_iters", lang=lang, iters=_fmt(iters), epochs=_fmt(v["warmup_epochs"]), ipe=ipe)] + \
        [t("readout_iter_values", lang=lang, k=k, values=at(k)) for k in dict.fromkeys([1, max(1, int(iters // 2))])]


def _readout_restarts(ex, v, lang):
    s, total = ex.schedule, int(v["total_epochs"])
    e = min(int(v["readout_epoch"]), total - 1)
    restarts = [ev.step for ev in s.events if ev.kind == "restart" and ev.step < total]
    assert 0 < len(restarts) <= 8, "pick settings with a few restarts"
    sep = t("sep_numbers", lang=lang)
    return [t("readout_lr_at", lang=lang, epoch=e, lr=format_lr(s(e))),
            t("readout_restarts", lang=lang, epochs=sep.join(_fmt(x) for x in restarts)),
            t("readout_restart_peaks", lang=lang, values=sep.join(format_lr(s(x)) for x in restarts))]


def _readout_stepping(ex, v, lang):
    total, ipe = int(v["total_epochs"]), int(v["iters_per_epoch"])
    a, b = ex.lines["per_epoch"].get_ydata(), ex.lines["per_iteration"].get_ydata()
    gap = np.abs(a - b)
    k = int(np.argmax(gap))
    pct = f"{100 * gap[k] / max(a.max(), b.max()):.1f}"
    return [t("readout_iterations", lang=lang, iters=total * ipe, epochs=total, ipe=ipe),
            t("readout_gap", lang=lang, gap=format_lr(float(gap[k])), pct=pct, iteration=k)]


def _readout_batch(ex, v, lang):
    lo, hi = lrlib.compat.OPTIMIZER_LR_LIMITS[v["optimizer"]]
    b, nbs = int(v["batch_size"]), int(v["nbs"])
    fit, min_fit = lrlib.compat.scale_lr_for_batch(v["peak_lr"], v["min_lr"], b, nbs, v["optimizer"])
    rows = [("peak_lr", v["peak_lr"], lo, hi, fit), ("min_lr", v["min_lr"], lo / 100, hi / 100, min_fit)]
    return [t("readout_scale", lang=lang, name=t(key, lang=lang), lr=format_lr(lr), b=b, nbs=nbs,
              raw=format_lr(b / nbs * lr), lo=format_lr(low), hi=format_lr(high), fit=format_lr(out))
            for key, lr, low, high, out in rows]


EXPECTED_READOUT = {"seed_recipe": _readout_seed, "decay_comparison": _readout_decay, "warmup": _readout_warmup,
                    "warm_restarts": _readout_restarts, "stepping": _readout_stepping, "batch_scaling": _readout_batch}


def _title(key, v, pl):
    if key == "seed_recipe":
        return t("title_seed", lang=pl, branch=t("cosine_annealing" if v["decay_type"] == "cos" else "step_decay",
                                                   lang=pl))
    return t({"decay_comparison": "title_decay", "warmup": "title_warmup", "warm_restarts": "title_restarts",
              "stepping": "title_stepping", "batch_scaling": "title_batch"}[key], lang=pl)


SEP = {"zh": "：", "en": ": "}  # a full-width colon in Chinese text


def _legend(key, ex, v, pl):
    """``{line name: legend text}`` expected, or ``None`` for an explorer without a legend."""
    if key == "decay_comparison":
        keys = {"cosine": "cosine_annealing", "step": "step_decay", "linear": "linear_decay"}
        labels, _ = compact_labels(list(ex.schedules.values()), hide=(v["peak_lr"], v["min_lr"],
                                                                       float(v["total_epochs"])))
        return {n: f"{t(keys[n], lang=pl)}{SEP[pl]}{lab}" for n, lab in zip(ex.schedules, labels)}
    if key == "warmup":
        labels, _ = compact_labels(list(ex.schedules.values()))
        return {n: f"{t('shape_' + n, lang=pl)}{SEP[pl]}{lab}" for n, lab in zip(ex.schedules, labels)}
    if key == "stepping":
        return {"per_epoch": f"{t('legend_per_epoch', lang=pl)}{SEP[pl]}lr = f(epoch)",
                "per_iteration": f"{t('legend_per_iteration', lang=pl)}{SEP[pl]}lr = f(epoch + i/{v['iters_per_epoch']})"}
    if key == "batch_scaling":
        return {"nominal": f"{t('legend_nominal', lang=pl)}{SEP[pl]}get_lr_scheduler('cos', peak_lr, min_lr)",
                "scaled": f"{t('legend_scaled', lang=pl)}{SEP[pl]}get_lr_scheduler('cos', "
                          f"*scale_lr_for_batch(peak_lr, min_lr, batch_size, nbs))"}
    return None


def assert_in_language(key, ex, lang):
    """Everything ``ex`` shows is the i18n string in ``lang`` (figure text: in ``plot_language(lang)``)."""
    pl = plot_language(lang)
    v = ex.values()
    for name, w in ex.controls.items():
        assert w.description == t(W.LABEL_KEYS[name], lang=lang), f"{key}: control {name} in {lang}"
        if name in W.OPTION_KEYS:
            assert list(w.options) == [(t(k, lang=lang), val) for k, val in W.OPTION_KEYS[name]], name
    ax = ex.live.ax
    assert ax.get_title(loc="left").replace("\n", " ") == _title(key, v, pl), f"{key}: title in {pl}"
    assert ax.get_xlabel() == t("axis_epoch", lang=pl) and ax.get_ylabel() == t("learning_rate", lang=pl)
    if ex.plot.secondary is not None:
        assert ex.plot.secondary.xaxis.label.get_text() == t("axis_iteration", lang=pl)
    legend = _legend(key, ex, v, pl)
    if legend is None:
        assert ex.plot.legend is None
    else:
        shown = [n for n in ex.lines if ex.lines[n].get_visible()]
        assert [x.get_text() for x in ex.plot.legend.get_texts()] == [legend[n] for n in shown], f"{key}: legend"
    # the marks inside the axes: phase names, restarts and milestones, peak and floor
    phases = {t(f"phase_{k}", lang=pl) for k in PHASE_COLORS} | {t("constant_tail", lang=pl)}
    for label in ex.plot.span_labels:
        if label.get_visible():
            assert label.get_text() in phases, f"{key}: phase label {label.get_text()!r} not in {pl}"
    for kind, label in ex.plot.event_labels.items():
        if label.get_visible():
            assert label.get_text() == t(kind, lang=pl)
    assert ex.plot.peak_label.get_text().startswith(t("peak", lang=pl) + " ")
    if ex.plot.floor_label.get_visible():
        assert ex.plot.floor_label.get_text().startswith(t("floor", lang=pl) + " ")
    assert _words(ex.readout.value) == EXPECTED_READOUT[key](ex, v, lang), f"{key}: readout in {lang}"


# Settings that do not work, per explorer: moves applied in order, the last one is refused by lrlib
# (with the parameter lrlib names). The restarts and batch explorers accept every setting of their
# controls; their messages come from the generic path (test_an_unforeseen_error_is_told_in_the_language).
INVALID = {
    "seed_recipe": [([("decay_type", "step"), ("total_epochs", 5)], "total_iters")],
    "decay_comparison": [([("step_num", 20), ("total_epochs", 5)], "total_iters")],
    "warmup": [([("total_epochs", 4)], "warmup_steps"), ([("shape", "exponential")], "start_lr")],
    "stepping": [([("decay_type", "step"), ("total_epochs", 5)], "total_iters")],
}
ALWAYS_VALID = {"warm_restarts", "batch_scaling"}
INVALID_CASES = [(key, i) for key, cases in INVALID.items() for i in range(len(cases))]
# A schedule builder each explorer calls on every update (module, attribute), to make it raise.
BUILDERS = {"seed_recipe": (W.compat, "get_lr_scheduler"), "decay_comparison": (W, "cosine_decay"),
            "warmup": (W, "warmup_cosine"), "warm_restarts": (W, "warm_restarts"),
            "stepping": (W.compat, "get_lr_scheduler"), "batch_scaling": (W.compat, "scale_lr_for_batch")}


def _kept_state(ex):
    return plotted(ex), bytes(ex.image.value), ex.schedule


def _assert_kept(ex, state):
    before, png, schedule = state
    now = plotted(ex)
    assert now.keys() == before.keys()
    for name in now:
        np.testing.assert_array_equal(now[name][0], before[name][0])
        np.testing.assert_array_equal(now[name][1], before[name][1])
    assert bytes(ex.image.value) == png and ex.schedule is schedule


def _drive_invalid(ex, key, case):
    """Apply the moves of INVALID[key][case]; return the state before the last one and lrlib's error."""
    moves, param = INVALID[key][case]
    for name, value in moves[:-1]:
        ex.controls[name].value = value
        assert ex.message == "", f"{name}={value!r} should still work"
    state = _kept_state(ex)
    name, value = moves[-1]
    ex.controls[name].value = value
    err = lrlib_refusal(key, ex.values())
    assert err is not None and param in str(err), err
    return state, err


def test_every_explorer_is_classified_for_the_language_tests():
    assert set(INVALID) | ALWAYS_VALID == set(KEYS) and not set(INVALID) & ALWAYS_VALID
    assert set(BUILDERS) == set(KEYS)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_everything_an_explorer_shows_is_in_the_language(key, lang):
    lrcourse.set_language(lang)
    ex = make(key)
    assert ex.message == ""
    assert_in_language(key, ex, lang)
    first = next(iter(ex.controls))  # and still after a move
    w = ex.controls[first]
    w.value = sample_values(w)[1]
    assert ex.message == ""
    assert_in_language(key, ex, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key, case", INVALID_CASES)
def test_an_invalid_combination_is_told_in_the_language_and_keeps_the_plot(key, case, lang):
    lrcourse.set_language(lang)
    ex = make(key)
    state, err = _drive_invalid(ex, key, case)
    assert ex.update() is False
    assert _message_text(ex) == f"⚠ {told(key, err, lang)} {t('msg_kept', lang=lang)}"
    _assert_kept(ex, state)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_an_unforeseen_error_is_told_in_the_language(key, lang, monkeypatch):
    lrcourse.set_language(lang)
    ex = make(key)
    state = _kept_state(ex)
    readout = ex.readout.value

    def broken(*args, **kwargs):
        raise RuntimeError("nobody foresaw this")

    monkeypatch.setattr(*BUILDERS[key], broken)
    ex.controls["peak_lr"].value = 0.02  # the observer runs update(): nothing may propagate
    detail = t("msg_invalid", lang=lang, detail="nobody foresaw this")
    assert _message_text(ex) == f"⚠ {detail} {t('msg_kept', lang=lang)}"
    _assert_kept(ex, state)
    assert ex.readout.value == readout


@pytest.mark.parametrize("key", KEYS)
def test_a_failing_link_is_told_in_the_explorers_language(key, monkeypatch):
    lrcourse.set_language("zh")
    ex = make(key)
    lrcourse.set_language("en")  # not relabelled: the explorer still speaks Chinese

    def broken():
        raise RuntimeError("link failed")

    monkeypatch.setattr(ex, "_link", broken)
    ex.controls["peak_lr"].value = 0.02
    assert _message_text(ex) == f"⚠ {t('msg_invalid', lang='zh', detail='link failed')} {t('msg_kept', lang='zh')}"


@pytest.mark.parametrize("key", KEYS)
def test_relabel_switches_an_explorer_between_languages(key):
    ex = make(key)
    assert_in_language(key, ex, "en")
    lrcourse.set_language("zh")
    assert ex.relabel() is True
    assert_in_language(key, ex, "zh")
    lrcourse.set_language("en")
    assert ex.relabel() is True
    assert_in_language(key, ex, "en")


@pytest.mark.parametrize("key, case", INVALID_CASES)
def test_relabel_while_a_message_shows(key, case):
    """The message, and the last curve that worked (title, legend, readout), switch language too."""
    ex = make(key)
    state, err = _drive_invalid(ex, key, case)
    current = ex.values()
    for lang in ("zh", "en"):
        lrcourse.set_language(lang)
        assert ex.relabel() is False
        assert _message_text(ex) == f"⚠ {told(key, err, lang)} {t('msg_kept', lang=lang)}"
        before, _png, schedule = state
        now = plotted(ex)
        for name in now:
            np.testing.assert_array_equal(now[name][1], before[name][1])
        assert ex.schedule is schedule
        # what is shown belongs to the last settings that worked, in the new language
        last_values = ex._last[1]
        assert ex.values() == current and last_values != current
        pl = plot_language(lang)
        assert ex.live.ax.get_title(loc="left").replace("\n", " ") == _title(key, last_values, pl)
        legend = _legend(key, ex, last_values, pl)
        if legend is not None:
            shown = [n for n in ex.lines if ex.lines[n].get_visible()]
            assert [x.get_text() for x in ex.plot.legend.get_texts()] == [legend[n] for n in shown]
        assert _words(ex.readout.value) == EXPECTED_READOUT[key](ex, last_values, lang)
        for name, w in ex.controls.items():
            assert w.description == t(W.LABEL_KEYS[name], lang=lang)


def test_set_values_sets_dependent_controls_in_any_order_and_reset_goes_back():
    ex = W.SeedRecipeExplorer(total_epochs=20, readout_epoch=7)
    start, y0 = ex.values(), ex.lines["lr"].get_ydata().copy()
    # readout_epoch's maximum follows total_epochs: 250 is only allowed once total is 300
    assert ex.set_values(readout_epoch=250, total_epochs=300)
    assert ex.values()["readout_epoch"] == 250 and ex.values()["total_epochs"] == 300
    assert len(ex.lines["lr"].get_ydata()) != len(y0)
    assert ex.reset() and ex.values() == start
    np.testing.assert_array_equal(ex.lines["lr"].get_ydata(), y0)
    with pytest.raises(TypeError, match=r"'total_epoch' \(did you mean 'total_epochs'\?\)"):
        ex.set_values(total_epoch=10)
    assert ex.values() == start


def test_reset_all_puts_explorers_and_live_figures_back():
    from matplotlib.figure import Figure

    a = W.DecayComparisonExplorer(total_epochs=100)
    b = W.WarmupExplorer()
    fig = Figure(figsize=(4, 2))
    (line,) = fig.subplots().plot([0.0, 1.0])
    slider = widgets.FloatSlider(value=1.0, min=0.0, max=5.0)
    box, _readout, _image = W.live_figure(fig, {"k": slider}, lambda k: line.set_ydata([0.0, k]))
    a0, b0 = a.values(), b.values()
    a.controls["total_epochs"].value = 30
    b.controls["shape"].value = "cosine"
    slider.value = 3.0
    assert W.reset_all() >= 3
    assert a.values() == a0 and b.values() == b0 and slider.value == 1.0 and line.get_ydata()[-1] == 1.0


def png_pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGB")).astype(int)


def fixed_box(image) -> tuple:
    """The image's layout as ``(width, height)`` in whole pixels, or ``None`` if either is not fixed in px."""
    sizes = [getattr(image.layout, side) or "" for side in ("width", "height")]
    found = [re.fullmatch(r"(\d+)px", size) for size in sizes]
    return tuple(int(m.group(1)) for m in found) if all(found) else None


def first_slider(ex):
    return next(w for w in ex.controls.values() if not isinstance(w, widgets.Dropdown))


@pytest.mark.parametrize("key", KEYS)
def test_the_image_box_is_fixed_to_the_size_of_the_png_it_shows(key):
    """Width and height both fixed in pixels, both those of the PNG shown (read by Pillow), before and
    after moves: a new frame never changes the box, so a long lesson page is not laid out again, and
    the plot is not stretched to the output's width (which blurs it); a narrower output shrinks it whole."""
    from PIL import Image

    ex = make(key)
    w = first_slider(ex)
    for value in sample_values(w):
        w.value = value
        size = Image.open(io.BytesIO(bytes(ex.image.value))).size
        assert fixed_box(ex.image) == size, f"image layout {ex.image.layout.width} x {ex.image.layout.height}, PNG {size}"
    assert size == (round(ex.figsize[0] * ex.dpi), round(ex.figsize[1] * ex.dpi))  # drawn at the figure's size
    assert ex.image.layout.max_width == "100%" and ex.image.layout.object_fit == "contain"


def test_a_live_figures_image_box_follows_its_png():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 2.5))
    fig.subplots()

    def draw(k):
        fig.set_size_inches(6, 2.5 + k)  # a draw that resizes its figure

    _box, _r, image = W.live_figure(fig, {"k": widgets.IntSlider(value=0, max=2)}, draw, dpi=80)
    assert fixed_box(image) == (480, 200) == png_pixels(image.value).shape[1::-1]
    _box.children[0].value = 1
    assert fixed_box(image) == (480, 280) == png_pixels(image.value).shape[1::-1]


def test_a_move_sends_the_image_first():
    """The image is what the reader waits for: it changes before the readout and the entry boxes."""
    ex = W.SeedRecipeExplorer()
    order = []
    ex.image.observe(lambda change: order.append("image"), names="value")
    ex.readout.observe(lambda change: order.append("readout"), names="value")
    ex.entries["peak_lr"].observe(lambda change: order.append("entry"), names="value")
    ex.controls["peak_lr"].value = 0.02
    assert order == ["image", "readout", "entry"]


def test_moving_the_peak_redraws_only_the_y_axis_and_draws_what_a_full_draw_draws():
    """The peak is every explorer's first slider and it moves the y axis: the kept background is pasted and
    the y axis alone drawn again. The frame is compared with the whole figure drawn by matplotlib's own Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ex = W.SeedRecipeExplorer()
    canvas = ex.figure.canvas
    draws, real_draw = [], canvas.draw
    canvas.draw = lambda: (draws.append(1), real_draw())[1]
    ylims = {ex.live.ax.get_ylim()}
    w = ex.controls["peak_lr"]
    for _ in range(8):
        w.value = w.value * 10 ** w.step
        ylims.add(ex.live.ax.get_ylim())
    assert len(ylims) >= 3, "the y axis should have changed"
    assert draws == [], "a change of the y limits alone drew the whole figure again"
    got = png_pixels(ex.image.value)
    for artist in ex.live.dynamic_artists():
        artist.set_animated(False)
    reference = FigureCanvasAgg(ex.figure)
    reference.draw()
    want = np.asarray(reference.buffer_rgba())[..., :3].astype(int)
    # sprites are placed to a quarter pixel and the PNG has 256 colours: edges of glyphs may differ a little
    assert float((np.abs(got - want).max(axis=2) > 40).mean()) < 0.002


def test_frames_in_the_same_colours_reuse_the_palette_and_new_colours_choose_again(monkeypatch):
    """Choosing 256 colours is most of the PNG's cost; a frame drawn in the colours of the last one maps its
    pixels onto that palette. Every frame stays what the canvas holds, up to a few levels on edges."""
    from PIL import Image

    chosen = []
    real_quantize = Image.Image.quantize

    def quantize(self, *args, **kwargs):
        chosen.append(kwargs.get("palette") is None)
        return real_quantize(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "quantize", quantize)
    ex = W.SeedRecipeExplorer()

    def frame_is_the_canvas():
        truth = np.asarray(ex.figure.canvas.buffer_rgba())[..., :3].astype(int)
        got = png_pixels(ex.image.value)
        assert float((np.abs(got - truth).max(axis=2) > 40).mean()) < 0.002 and (got[2, 2] == 255).all()

    chosen.clear()
    for epoch in (1, 2, 3):  # the marker moves along the curve, the colours stay
        ex.controls["readout_epoch"].value = epoch
        frame_is_the_canvas()
    assert chosen == [False, False, False]
    ex.lines["lr"].set_color("#d62728")  # a colour the palette has not seen: chosen again
    ex.controls["readout_epoch"].value = 4
    frame_is_the_canvas()
    assert chosen[-1] is True
    red = png_pixels(ex.image.value)
    assert ((red[..., 0] > 180) & (red[..., 1] < 80) & (red[..., 2] < 80)).sum() > 200  # the line is red


def test_a_line_in_data_coordinates_in_the_background_means_a_full_redraw():
    """Kept background pixels are reused only when nothing in them moves with the y limits."""
    from lrcourse.renderer import LivePlot

    live = LivePlot((4, 2), dpi=50)
    live.ax.plot([0, 1], [0, 1], color="red")  # not animated: part of the background
    live.ax.set_ylim(0, 1)
    first = png_pixels(live.render())
    live.ax.set_ylim(0, 2)  # the line now ends half way up
    second = png_pixels(live.render())
    red = lambda px: (px[..., 0] > 200) & (px[..., 1] < 80)  # noqa: E731
    rows = lambda px: np.nonzero(red(px).any(axis=1))[0]  # noqa: E731
    assert rows(second).min() > rows(first).min() + 10  # the top of the line came down


def test_live_figure_lays_out_again_when_a_label_or_scale_changes():
    # A layout made before the first draw set a log axis and its label would clip them.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 2.6))
    ax = fig.subplots()
    (line,) = ax.plot(np.arange(1.0, 6.0))
    fig.tight_layout()
    bare = ax.get_position().x0

    def draw(log):
        ax.set_yscale("log" if log else "linear")
        ax.set_ylabel("training loss" if log else "")
        line.set_ydata(np.arange(1.0, 6.0))

    toggle = widgets.Checkbox(value=True)
    W.live_figure(fig, {"log": toggle}, draw)
    labelled = ax.get_position().x0
    assert labelled > bare + 0.02          # room made for the label and the log ticks
    toggle.value = False
    assert ax.get_position().x0 < labelled  # and given back when they go


# ------------------------------------------------------ each explorer's controls, declared once ---

def _expected_widget(c, values):
    """What the widget of control ``c`` must be, from its declaration alone: (type, min, max, step)."""
    if c.kind == "choice":
        return "Dropdown", None, None, None
    high = values[c.before] - 1 if c.before else c.high
    if c.kind == "log":  # a slider over exponents of 10: its ends are the exponents of low and high
        return "FloatLogSlider", np.log10(c.low), np.log10(high), c.step
    return {"int": "IntSlider", "float": "FloatSlider"}[c.kind], c.low, high, c.step


@pytest.mark.parametrize("key", KEYS)
def test_the_widgets_are_the_declared_controls(key):
    cls = W.EXPLORERS[key]
    ex = make(key)
    assert list(ex.controls) == [c.name for c in cls.CONTROLS]
    v = ex.values()
    for c in cls.CONTROLS:
        w = ex.controls[c.name]
        kind, lo, hi, step = _expected_widget(c, v)
        assert type(w).__name__ == kind, c.name
        assert v[c.name] == pytest.approx(c.default), f"{c.name}: starts at {v[c.name]}, declared {c.default}"
        assert w.description == t(c.label)
        if c.kind == "choice":
            assert [val for _label, val in w.options] == [val for _key, val in c.options]
            assert c.name not in ex.entries
            continue
        assert (w.min, w.max, w.step) == (pytest.approx(lo), pytest.approx(hi), pytest.approx(step)), c.name
        assert w.readout is False and ex.entries[c.name].value == c.show(v[c.name])
    assert set(ex.entries) == {c.name for c in cls.CONTROLS if c.kind != "choice"}


def test_the_declarations_spell_out_the_lessons_ranges():
    # written out by hand: what the lessons' text and the old constructors promised
    seed = {c.name: c for c in W.SeedRecipeExplorer.CONTROLS}
    assert (seed["peak_lr"].low, seed["peak_lr"].high, seed["peak_lr"].default) == (1e-4, 0.1, 0.01)
    assert (seed["min_lr"].low, seed["min_lr"].high, seed["min_lr"].at_most) == (1e-6, 0.1, "peak_lr")
    assert (seed["total_epochs"].low, seed["total_epochs"].high, seed["total_epochs"].default) == (1, 400, 100)
    assert (seed["tail_ratio"].high, seed["tail_ratio"].step, seed["tail_ratio"].default) == (0.5, 0.01, 0.3)
    assert seed["readout_epoch"].before == "total_epochs"
    warm = {c.name: c for c in W.WarmupExplorer.CONTROLS}
    assert (warm["warmup_epochs"].low, warm["warmup_epochs"].high, warm["warmup_epochs"].step) == (0.5, 30.0, 0.5)
    assert warm["shape"].values == ("linear", "quadratic", "cosine", "exponential")
    restarts = {c.name: c for c in W.WarmRestartsExplorer.CONTROLS}
    assert (restarts["total_epochs"].low, restarts["total_epochs"].high, restarts["total_epochs"].default) == \
        (10, 500, 150)


def test_a_control_name_means_the_same_everywhere():
    seen = {}
    for cls in W.EXPLORERS.values():
        for c in cls.CONTROLS:
            assert seen.setdefault(c.name, (c.label, c.kind)) == (c.label, c.kind), c.name
    assert W.LABEL_KEYS == {name: label for name, (label, _kind) in seen.items()}


@pytest.mark.parametrize("key", KEYS)
def test_the_constructor_and_docstring_come_from_the_declaration(key):
    import inspect

    cls = W.EXPLORERS[key]
    params = inspect.signature(cls).parameters
    assert list(params) == [c.name for c in cls.CONTROLS] + list(cls.SETTINGS)
    for c in cls.CONTROLS:
        assert params[c.name].default == c.default and params[c.name].kind is inspect.Parameter.KEYWORD_ONLY
        assert f"``{c.name}`` ({t(c.label, lang='en')})" in cls.__doc__
    given = cls(**{c.name: c.default for c in cls.CONTROLS}, **cls.SETTINGS).values()
    assert given == cls().values() and set(given) == set(params) - set(cls.SETTINGS)


def test_an_unknown_keyword_is_refused_with_the_names_it_could_be():
    with pytest.raises(TypeError, match=r"SeedRecipeExplorer has no control or setting 'peak' \(did you mean 'peak_lr'\?\)"):
        W.SeedRecipeExplorer(peak=0.1)
    with pytest.raises(TypeError, match="iters_per_epoch"):  # a setting of another explorer
        W.SeedRecipeExplorer(iters_per_epoch=10)
    with pytest.raises(TypeError, match="positional"):
        W.SeedRecipeExplorer(0.1)
    ex = W.WarmRestartsExplorer(iters_per_epoch=5)  # a setting of this one
    assert ex.iters_per_epoch == 5 and len(ex.lines["lr"].get_xdata()) == 150 * 5
    with pytest.raises(ValueError, match="iters_per_epoch"):
        W.WarmRestartsExplorer(iters_per_epoch=0)


def test_controls_that_do_nothing_in_a_branch_are_disabled():
    ex = W.SeedRecipeExplorer(total_epochs=100)
    cos_only = ("warmup_ratio", "warmup_lr_ratio", "tail_ratio")
    assert not any(ex.controls[n].disabled for n in cos_only) and ex.controls["step_num"].disabled
    assert ex.entries["step_num"].disabled
    for branch, idle, busy in (("cos", "step_num", "tail_ratio"), ("step", "tail_ratio", "step_num")):
        ex.controls["decay_type"].value = branch
        assert ex.controls[idle].disabled and ex.entries[idle].disabled and not ex.controls[busy].disabled
        y = ex.lines["lr"].get_ydata().copy()
        ex.controls[idle].value = sample_values(ex.controls[idle])[-1]  # the disabled one: the same curve
        np.testing.assert_array_equal(ex.lines["lr"].get_ydata(), y)
        ex.controls[busy].value = sample_values(ex.controls[busy])[0]  # the other one changes it (the
        # lowest value: a tail ratio of 0 is a 1-epoch tail, step_num 2 two plateaus)
        assert not np.array_equal(ex.lines["lr"].get_ydata(), y)


# ----------------------------------------------------------- no text leaves the figure ---

def _text_outside_the_figure(ex) -> list[str]:
    """What an explorer's figure draws past its edges: each axes' tight box (the tick labels matplotlib
    draws, axis labels, titles, legends, every text artist) and the figure's own texts, in pixels."""
    import matplotlib.text as mtext

    fig = ex.figure
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height

    def out(box):
        return box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5

    bad = []
    for ax in fig.axes:
        box = ax.get_tightbbox(renderer)
        if box is not None and out(box):
            texts = [t.get_text() for t in ax.findobj(mtext.Text)
                     if t.get_visible() and t.get_text().strip() and out(t.get_window_extent(renderer))]
            bad.append(f"axes box {[round(v) for v in box.extents]} in a {width:.0f}x{height:.0f} figure "
                       f"(texts past the edge, drawn or not: {texts[:4]})")
    bad += [t.get_text() for t in fig.texts if t.get_visible() and out(t.get_window_extent(renderer))]
    return bad


def test_the_text_check_sees_a_label_past_the_edge():
    ex = make("decay_comparison")
    assert _text_outside_the_figure(ex) == []
    ex.plot.ax.text(1.02, 0.5, "a note placed past the right edge of the figure " * 2, transform=ex.plot.ax.transAxes)
    ex.figure.canvas.draw()
    assert _text_outside_the_figure(ex)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_no_text_falls_outside_the_figure(key, lang):
    """Every control at the ends and middle of its range (every option of a choice), and the peak across its
    whole range in 25 steps (its tick labels are the longest): nothing drawn leaves the figure, in either language."""
    lrcourse.set_language(lang)
    ex = make(key)
    problems = [f"defaults: {p}" for p in _text_outside_the_figure(ex)]
    for name, w in ex.controls.items():
        for value in sample_values(w):
            w.value = value
            problems += [f"{name}={value!r}: {p}" for p in _text_outside_the_figure(ex)]
        ex.reset()
    if "peak_lr" in ex.controls:
        w = ex.controls["peak_lr"]
        for exponent in np.linspace(w.min, w.max, 25):
            w.value = w.base ** exponent
            problems += [f"peak_lr={w.value:.3g}: {p}" for p in _text_outside_the_figure(ex)]
    assert not problems, f"{key} ({lang}):\n  " + "\n  ".join(problems[:10])
