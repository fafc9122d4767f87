"""The explorers' fast renderer: a persistent Agg figure redrawn in place, its texts kept as images.

:class:`LivePlot` is what every explorer draws into: one Agg figure (no pyplot),
artists updated in place, only the parts that change redrawn over a cached
background, and the frame encoded as a 256-colour PNG.

Rasterising text is most of the cost of a frame, so :class:`_SpriteRendererAgg`
keeps each text it draws as a small image and pastes it the next time. It relies
on matplotlib's Agg internals (``RendererAgg.draw_text``'s signature, ``draw_image``
pasting bottom-first rows): when those differ from what it expects, the canvas
draws with plain Agg instead (:func:`sprites_supported`), slower but the same picture.
"""

from __future__ import annotations

import io
import math
from collections import OrderedDict

import numpy as np
from matplotlib import transforms
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from . import fonts

fonts.install_fallback()  # so that Chinese text in any figure made from now on finds its glyphs

__all__ = ["LivePlot"]


class _SpriteRendererAgg(RendererAgg):
    """An Agg renderer that keeps each text it draws as a small image and pastes it the next time.

    Rasterising glyphs is most of the cost of a frame (tick labels, phase labels,
    the legend), and the same strings come back frame after frame. Only horizontal,
    plain (non-mathtext) text is kept; the image is pasted at the same sub-pixel
    offset (to a quarter pixel) it was drawn at, so it looks the same as drawing it.
    """

    _cache: OrderedDict = OrderedDict()  # shared by every live plot of the session
    _CACHE_SIZE = 4096
    _PAD = 3

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle % 360 or not s or not (math.isfinite(x) and math.isfinite(y)):
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        ix, fx = divmod(round(x * 4), 4)
        iy, fy = divmod(round(y * 4), 4)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
               prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), tuple(gc.get_rgb()), gc.get_alpha(),
               gc.get_antialiased(), fx, fy, self.dpi, str(features), str(language))
        cache = self._cache
        hit = cache.get(key)
        if hit is None:
            hit = self._render(gc, fx / 4, fy / 4, s, prop, mtext)
            cache[key] = hit
            if len(cache) > self._CACHE_SIZE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        sprite, ascent_px = hit
        paste = self.new_gc()
        paste.copy_properties(gc)
        paste.set_alpha(1.0)  # the sprite already carries the text's alpha
        self.draw_image(paste, ix - self._PAD, self.height - (iy - ascent_px + sprite.shape[0]), sprite)
        paste.restore()

    def _render(self, gc, fx, fy, s, prop, mtext):
        w, h, d = self.get_text_width_height_descent(s, prop, False)
        pad = self._PAD
        ascent_px = int(math.ceil(h - d)) + pad
        scratch = RendererAgg(int(math.ceil(w)) + 2 * pad + 1, int(math.ceil(h)) + 2 * pad + 1, self.dpi)
        pen = scratch.new_gc()
        pen.copy_properties(gc)
        pen.set_clip_rectangle(None)
        pen.set_clip_path(None)
        RendererAgg.draw_text(scratch, pen, pad + fx, ascent_px + fy, s, prop, 0, ismath=False, mtext=mtext)
        pen.restore()
        # rows bottom first, the order draw_image pastes them in
        return np.ascontiguousarray(np.asarray(scratch.buffer_rgba())[::-1]), ascent_px


class _SpriteCanvasAgg(FigureCanvasAgg):
    """An Agg canvas drawing with :class:`_SpriteRendererAgg`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if getattr(self, "_sprite_key", None) != key:
            self.renderer = _SpriteRendererAgg(w, h, self.figure.dpi)
            self._sprite_key = key
        return self.renderer


class LivePlot:
    """A persistent Agg figure that re-renders to PNG fast, for widgets (no pyplot, no display).

    Artists registered with :meth:`add_dynamic` (every artist of the :class:`SchedulePlot`
    built with ``animated=True``) are redrawn on each :meth:`render` over a cached
    background; the background (axes, ticks, axis labels, title) is redrawn only when
    the axis limits or those texts change.
    """

    def __init__(self, figsize=(6.8, 3.3), dpi=100, margins=None):
        self.figure = Figure(figsize=figsize, dpi=dpi)
        _SpriteCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        m = dict(left=0.095, right=0.86, bottom=0.15, top=0.89)
        m.update(margins or {})
        self.figure.subplots_adjust(**m)
        self._dynamic = []
        self._bg = None
        self._bg_key = None
        self._legend_cache = {}
        self.extra_key = None  # anything else the background depends on (e.g. iterations per epoch)

    def add_dynamic(self, *items):
        """Artists (or :class:`SchedulePlot` objects) redrawn on every render, over the background.

        They are set ``animated``, so drawing the background skips them. A
        :class:`SchedulePlot` is asked for its artists at each render (it adds
        shading as phases appear).
        """
        for item in items:
            if not hasattr(item, "dynamic_artists"):
                item.set_animated(True)
            self._dynamic.append(item)

    def dynamic_artists(self) -> list:
        """Everything drawn over the background, in drawing order (by zorder)."""
        out = []
        for item in self._dynamic:
            if hasattr(item, "dynamic_artists"):
                out.extend(item.dynamic_artists())
            else:
                out.append(item)
        return sorted(out, key=lambda a: a.get_zorder())

    def invalidate(self):
        """Force the next render to redraw the background too."""
        self._bg_key = None

    def _key(self):
        ax = self.ax
        texts = tuple(ax.get_title(loc) for loc in ("left", "center", "right"))
        texts += (ax.xaxis.label.get_text(), ax.yaxis.label.get_text())
        texts += tuple(c.xaxis.label.get_text() for c in ax.child_axes)
        return (ax.get_xlim(), ax.get_ylim(), texts, self.extra_key, tuple(self.figure.get_size_inches()),
                self.figure.dpi)

    def render(self) -> bytes:
        """Draw what changed and return the figure as PNG bytes."""
        canvas = self.figure.canvas
        key = self._key()
        if key != self._bg_key or self._bg is None:
            canvas.draw()
            self._bg = canvas.copy_from_bbox(self.figure.bbox)
            self._bg_key = self._key()
            self._legend_cache.clear()
        else:
            canvas.restore_region(self._bg)
        for artist in self.dynamic_artists():
            if not artist.get_visible():
                continue
            if isinstance(artist, Legend):
                self._draw_legend(artist)
            else:
                self.figure.draw_artist(artist)
        return _encode_png(canvas)

    def _draw_legend(self, legend):
        """Draw a legend, or paste its pixels from the last frame when nothing in it changed.

        Its frame is opaque, so its pixels do not depend on what lies under it; drawing
        one costs as much as all the rest of a frame.
        """
        canvas = self.figure.canvas
        title = legend.get_title()
        key = (tuple(x.get_text() for x in legend.get_texts()), title.get_text() if title.get_visible() else "",
               legend.get_bbox_to_anchor().bounds, str(legend._loc))
        cached = self._legend_cache.get(id(legend))
        if cached is not None and cached[0] == key:
            canvas.restore_region(cached[1])
            return
        self.figure.draw_artist(legend)
        box = legend.legendPatch.get_window_extent(canvas.get_renderer())
        inner = transforms.Bbox.from_extents(math.ceil(box.x0), math.ceil(box.y0), math.floor(box.x1),
                                             math.floor(box.y1))
        self._legend_cache = {id(legend): (key, canvas.copy_from_bbox(inner))}


_FASTOCTREE, _NO_DITHER = 2, 0  # Pillow's Quantize.FASTOCTREE and Dither.NONE (plain ints in old Pillows)


def _encode_png(canvas) -> bytes:
    """The canvas as a 256-colour PNG: about a third of the size of an RGB one, and quicker to encode.

    The palette entry nearest to white is made exactly white, so the background stays white.
    """
    from PIL import Image  # Pillow is a dependency of matplotlib

    width, height = canvas.get_width_height()
    rgb = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    pal = rgb.quantize(colors=256, method=_FASTOCTREE, dither=_NO_DITHER)
    colours = np.asarray(pal.getpalette()[:768], dtype=np.int64).reshape(-1, 3)
    colours[int(np.argmin(((255 - colours) ** 2).sum(axis=1)))] = 255
    pal.putpalette(colours.astype(np.uint8).ravel().tolist())
    buf = io.BytesIO()
    pal.save(buf, format="png", compress_level=1)
    return buf.getvalue()
