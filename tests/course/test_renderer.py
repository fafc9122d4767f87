"""The explorers' fast renderer (``lrcourse.renderer``): the same picture as plain Agg, and a way back to it.

A live frame is compared with a full draw of the same figure by matplotlib's own
``FigureCanvasAgg``; the sprite path with the plain-Agg path; the check of
matplotlib's internals with a changed ``RendererAgg`` (monkeypatched) and with what
plain Agg itself does with a text moved by a fraction of a pixel.
"""

import inspect
import io
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import FontProperties
from PIL import Image

import lrlib
import lrcourse
from lrcourse import renderer
from lrcourse.explorers import EXPLORERS
from lrcourse.i18n import t
from lrcourse.renderer import LivePlot
from lrlib import plotting
from lrlib.plotting import SchedulePlot, sample

# A frame and its reference may differ at the edges of glyphs (a sprite is placed to a
# quarter pixel) and in the 256-colour palette: at most this share of pixels by more than 40 of 255.
DIFFERENT_PIXELS = 0.002


@pytest.fixture(autouse=True)
def english():
    lrcourse.set_language("en")
    yield
    lrcourse.set_language("en")


@pytest.fixture
def fresh_check(monkeypatch):
    """The check of matplotlib's internals not yet made this session, and an empty text cache."""
    monkeypatch.delenv(renderer.PLAIN_AGG_ENV, raising=False)
    monkeypatch.setattr(renderer, "_checked", False)
    monkeypatch.setattr(renderer, "_reason", None)
    monkeypatch.setattr(renderer._SpriteRendererAgg, "_cache", OrderedDict())


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def share_different(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=2) > 40).mean())


def full_draw(live: LivePlot) -> np.ndarray:
    """The live figure drawn whole by matplotlib's own Agg canvas (nothing cached, nothing pasted)."""
    for a in live.dynamic_artists():
        a.set_animated(False)
    canvas = FigureCanvasAgg(live.figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)


def seed_frames(live: LivePlot) -> bytes:
    """Three frames of two schedules with Chinese labels; the later ones reuse the background and the texts."""
    plot = SchedulePlot(live.ax, ("a", "b"), legend_loc=plotting.LEGEND_LOC, animated=True, steady=True)
    live.add_dynamic(plot)
    s2 = lrlib.compat.get_lr_scheduler("step", 0.01, 0.0001, 60)
    for peak in (0.01, 0.012, 0.01):
        s1 = lrlib.compat.get_lr_scheduler("cos", peak, 0.0001, 60)
        x, y1 = sample(s1, 60)
        plot.set_data({"a": (x, y1, s1), "b": (x, s2(x), s2)}, marks_from=s1, labels={"a": "余弦", "b": "step"})
        plot.set_title(t("title_seed", branch="x"))
        png = live.render()
    return png


@pytest.mark.parametrize("sprites", [True, False], ids=["sprites", "plain"])
def test_live_plot_renders_what_a_plain_agg_draw_renders(sprites):
    """The cached background and pasted texts give the same picture as drawing everything."""
    lrcourse.set_language("zh")
    live = LivePlot(sprites=sprites)
    got = pixels(seed_frames(live))
    kind = type(live.figure.canvas.get_renderer())
    assert kind is (renderer._SpriteRendererAgg if sprites and renderer.sprites_supported() else RendererAgg)
    assert share_different(got, full_draw(live)) < DIFFERENT_PIXELS, "the live frame differs from a full draw"
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


def test_the_check_takes_sprites_exactly_where_agg_places_text_between_pixels(fresh_check):
    """Sprites are placed to a quarter pixel: right where matplotlib places text to a fraction of a pixel.

    Where it rounds a text's position to whole pixels, a text moved by 0.4 pixel draws the
    same pixels or moves by one whole pixel, and a sprite would land a pixel off: plain Agg.
    """
    def drawn_at(x):
        r = RendererAgg(80, 30, 100)
        gc = r.new_gc()
        r.draw_text(gc, x, 20.0, "Ag", FontProperties(size=11), 0)
        return np.asarray(r.buffer_rgba())[..., 3].astype(int)

    at_0, at_04 = drawn_at(10.0), drawn_at(10.4)
    whole_pixels = (at_0 == at_04).all() or (np.roll(at_0, 1, axis=1) == at_04).all()
    assert renderer.sprites_supported() is (not whole_pixels), renderer.plain_agg_reason()
    assert (renderer.plain_agg_reason() is None) is (not whole_pixels)


def test_a_changed_draw_text_signature_means_plain_agg(fresh_check, monkeypatch):
    real = RendererAgg.draw_text

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None, *, features=None):
        return real(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    monkeypatch.setattr(RendererAgg, "draw_text", draw_text)
    assert renderer.sprites_supported() is False
    assert "draw_text" in renderer.plain_agg_reason() and "features" in renderer.plain_agg_reason()
    live = LivePlot((4, 2), dpi=60)
    live.ax.plot([0, 1], [0, 1])
    live.ax.set_title("plain", loc="left")
    assert live.render()[:4] == b"\x89PNG"
    assert type(live.figure.canvas.get_renderer()) is RendererAgg


def test_a_changed_draw_image_is_caught_by_the_pixels(fresh_check, monkeypatch):
    # A draw_image that pastes rows top first (upside down) keeps every signature the same.
    # RendererAgg binds draw_image to its C++ renderer's in _update_methods().
    real = RendererAgg._update_methods

    def update_methods(self):
        real(self)
        paste = self.draw_image
        self.draw_image = lambda gc, x, y, im, *rest: paste(gc, x, y, im[::-1], *rest)

    monkeypatch.setattr(RendererAgg, "_update_methods", update_methods)
    assert renderer.sprites_supported() is False
    assert "differs from a drawn one" in renderer.plain_agg_reason()


def test_a_missing_internal_means_plain_agg(fresh_check, monkeypatch):
    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", None)
    assert renderer.sprites_supported() is False
    assert "get_text_width_height_descent" in renderer.plain_agg_reason()


def test_the_environment_variable_forces_plain_agg(fresh_check, monkeypatch):
    monkeypatch.setenv(renderer.PLAIN_AGG_ENV, "1")
    assert renderer.sprites_supported() is False
    assert renderer.PLAIN_AGG_ENV in renderer.plain_agg_reason()
    live = LivePlot((4, 2), dpi=60)
    live.ax.plot([0, 1], [0, 1])
    live.render()
    assert type(live.figure.canvas.get_renderer()) is RendererAgg
    monkeypatch.setenv(renderer.PLAIN_AGG_ENV, "0")  # 0 means not set
    assert renderer.plain_agg_reason() != f"{renderer.PLAIN_AGG_ENV} is set"


def test_an_error_in_the_sprite_path_never_breaks_a_frame(fresh_check, monkeypatch):
    if not renderer.sprites_supported():
        pytest.skip(f"this matplotlib draws live plots with plain Agg: {renderer.plain_agg_reason()}")

    def broken(self, *args):
        raise IndexError("a changed internal")

    monkeypatch.setattr(renderer._SpriteRendererAgg, "_render", broken)
    lrcourse.set_language("zh")
    live = LivePlot()
    got = pixels(seed_frames(live))  # the first text raises; it and every later one are drawn by Agg
    assert share_different(got, full_draw(live)) < DIFFERENT_PIXELS
    assert renderer.sprites_supported() is False
    assert "IndexError: a changed internal" in renderer.plain_agg_reason()
    assert type(LivePlot().figure.canvas.get_renderer()) is RendererAgg  # the rest of the session


def _move_a_slider(ex) -> str:
    """Move the first slider one step (down if it is at its top); the control's name."""
    for name, w in ex.controls.items():
        if isinstance(w, widgets.FloatLogSlider):
            value = w.value * w.base ** w.step
            w.value = value if value <= w.base ** w.max * (1 + 1e-9) else w.value / w.base ** w.step
            return name
        if isinstance(w, (widgets.IntSlider, widgets.FloatSlider)):
            w.value = w.value + w.step if w.value + w.step <= w.max else w.value - w.step
            return name
    raise AssertionError(f"{type(ex).__name__} has no slider")


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_works_on_plain_agg_and_draws_what_sprites_draw(name, fresh_check, monkeypatch):
    with_sprites = EXPLORERS[name]()
    monkeypatch.setenv(renderer.PLAIN_AGG_ENV, "1")
    plain = EXPLORERS[name]()
    assert type(plain.live.figure.canvas.get_renderer()) is RendererAgg
    before = plain.image.value
    moved = _move_a_slider(plain)
    assert _move_a_slider(with_sprites) == moved
    assert plain.message.value == "" and with_sprites.message.value == ""
    assert plain.image.value != before, f"moving {moved} gave no new image"
    assert share_different(pixels(plain.image.value), pixels(with_sprites.image.value)) < DIFFERENT_PIXELS
    assert share_different(pixels(plain.image.value), pixels(before)) > 0  # and the plot did change


def test_the_check_runs_once_per_session(fresh_check, monkeypatch):
    calls = []
    real = renderer._check_internals
    monkeypatch.setattr(renderer, "_check_internals", lambda: calls.append(1) or real())
    for _ in range(3):
        renderer.sprites_supported()
        LivePlot((3, 2), dpi=40).render()
    assert calls == [1]


def test_the_check_is_told_the_signature_matplotlib_has():
    # What the sprite renderer overrides is matplotlib's own RendererAgg.draw_text.
    assert list(inspect.signature(RendererAgg.draw_text).parameters) == renderer._DRAW_TEXT_PARAMETERS
