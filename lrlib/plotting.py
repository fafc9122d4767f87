"""Draw lrlib schedules with matplotlib, with what matters about them marked.

:func:`plot_schedule` draws one schedule on an Axes you pass (or a new one) and
returns a :class:`SchedulePlot`: the line, the shaded and labelled phases (warmup,
decay, constant tail), the restart and milestone markers, and the peak and floor
labels. :func:`plot_schedules` overlays several, with a legend naming each by its
parameters. Neither calls ``plt.show()``.

The x axis is in epochs. A schedule stepped once per epoch is drawn at whole
epochs; with ``iters_per_epoch`` it is stepped every iteration (at fractional
epochs, or at iteration indices when its steps count iterations), and a second x
axis on top counts iterations.

The words drawn in a figure (axis labels, phase names, "peak", "floor") come from
:data:`PLOT_TEXT`, in English; pass ``text=`` with the same keys to draw them in
another language (the course does, for its Chinese lessons).

    >>> import lrlib
    >>> from lrlib.plotting import plot_schedule
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> drawn = plot_schedule(lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, 100), 100, ax=ax)
    >>> [p.kind for p in drawn.phases]
    ['warmup', 'decay', 'constant']
    >>> drawn.peak_label.get_text()
    'peak 0.01'
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Mapping

import numpy as np
from matplotlib import transforms
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import _checks as check
from .schedule import Schedule, _format_value
from .units import step_of_iteration

__all__ = ["plot_schedule", "plot_schedules", "sample", "compact_labels", "format_lr",
           "SchedulePlot", "PHASE_COLORS", "PLOT_TEXT"]

# The words a figure draws, by key. ``text=`` in the functions below takes a mapping with
# the same keys (missing keys fall back to these).
PLOT_TEXT = {
    "axis_epoch": "epoch", "axis_iteration": "iteration", "learning_rate": "learning rate",
    "peak": "peak", "floor": "floor", "restart": "restart", "milestone": "milestone",
    "constant_tail": "constant tail",
    "phase_warmup": "warmup", "phase_decay": "decay", "phase_cooldown": "cooldown",
    "phase_anneal": "anneal", "phase_constant": "constant", "phase_stable": "stable",
}

# Shading of each kind of phase; kinds not listed ("cycle", "plateau") are not shaded.
PHASE_COLORS = {
    "warmup": "#f28e2b",
    "decay": "#4e79a7", "cooldown": "#4e79a7", "anneal": "#4e79a7",
    "constant": "#8c8c8c", "stable": "#8c8c8c",
}
LINE_COLORS = ("#1f5fa8", "#d1495b", "#2a9d5c", "#8e5bb5", "#e08e0b", "#555555")
_EVENT_STYLE = {"restart": dict(color="#d1495b", linestyle=(0, (4, 3)), linewidth=0.9),
                "milestone": dict(color="#6b6b6b", linestyle=(0, (1, 2)), linewidth=0.9)}
_NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
_NICE_X = (1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0)
_FONT = 8  # points, for labels inside the axes
LEGEND_LOC = ("upper right", (1.0, 0.86))  # top right, below the row of phase labels


def format_lr(value: float) -> str:
    """A learning rate as lrlib displays it (4 significant digits): ``format_lr(0.0012345) == '0.001235'``."""
    return f"{value:.4g}"


def _nice_top(value: float, nice=_NICE) -> float:
    """The smallest 'nice' number (by default 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) >= value."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    for n in nice:
        if value <= n * scale * (1 + 1e-12):
            return n * scale
    return 10.0 * scale


def _text_width_px(text: str, size_pt: float, dpi: float) -> float:
    """A cheap estimate of a label's width (no renderer needed): CJK characters are square."""
    em = size_pt * dpi / 72.0
    return sum(1.0 if ord(c) >= 0x2E80 else 0.58 for c in text) * em


def sample(schedule: Schedule, epochs: int, iters_per_epoch: int | None = None, step_unit: str | None = None):
    """The steps a schedule is called with during ``epochs`` epochs, as ``(x_in_epochs, lr)``.

    ``step_unit`` says what the schedule's step counts (:data:`lrlib.units.STEP_UNITS`):

    * without ``iters_per_epoch``: once per epoch, at epochs ``0, 1, ..., epochs - 1``
      (``step_unit`` must be ``"epoch"``, the default then);
    * with ``iters_per_epoch``: at every iteration ``k``, drawn at ``k / iters_per_epoch``
      epochs, with the step :func:`lrlib.units.step_of_iteration` gives (default
      ``"fractional_epoch"``: lengths in epochs, the lr moving every iteration).
    """
    if iters_per_epoch is None:
        if step_unit not in (None, "epoch"):
            raise ValueError(f"step_unit={step_unit!r} needs iters_per_epoch; without it the schedule is "
                             f"sampled once per epoch (step_unit='epoch')")
        x = np.arange(int(epochs), dtype=np.float64)
        return x, schedule(x)
    unit = "fractional_epoch" if step_unit is None else step_unit
    k = np.arange(int(epochs) * int(iters_per_epoch), dtype=np.float64)
    steps = step_of_iteration(k, unit, iters_per_epoch)
    return k / iters_per_epoch, schedule(steps)


def _default_epochs(schedule: Schedule, iters_per_epoch, step_unit) -> int:
    per = iters_per_epoch if step_unit == "iteration" else 1
    if schedule.total_steps is not None:
        # once per epoch, one more epoch shows the final value when it is reached only at the end
        ends_at_end = schedule.tail_start_step is not None and schedule.tail_start_step >= schedule.total_steps
        return max(1, math.ceil(schedule.total_steps / per)) + (1 if iters_per_epoch is None and ends_at_end else 0)
    if schedule.tail_start_step is not None:
        return max(1, math.ceil(schedule.tail_start_step / per)) + 1
    if schedule.events:
        return max(1, math.ceil(1.25 * max(e.step for e in schedule.events) / per))
    return 100


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays and other things without a plain ==
        return False


def compact_labels(schedules, hide=()) -> tuple[list[str], str]:
    """Legend labels naming each schedule by the parameters that set it apart.

    Returns ``(labels, shared)``: parameters with the same value in every schedule are
    left out of the labels and listed once in ``shared``; so are parameters whose value
    is one of ``hide`` (values every curve shares under different names, such as the peak).

        >>> import lrlib
        >>> a, b = lrlib.cosine_decay(0.1, 100), lrlib.cosine_decay(0.1, 50)
        >>> compact_labels([a, b])
        (['cosine_decay(decay_steps=100)', 'cosine_decay(decay_steps=50)'], 'peak_lr=0.1, end_lr=0')
        >>> compact_labels([a, lrlib.decay(0.1, 100, shape="linear")], hide=(0.1, 100))[0]
        ['cosine_decay', "decay(shape='linear')"]
    """
    schedules = list(schedules)
    if len(schedules) < 2:
        return [s.label() for s in schedules], ""
    first = schedules[0].params
    shared = {k: v for k, v in first.items()
              if all(k in s.params and _same(s.params[k], v) for s in schedules[1:])}
    labels = []
    for s in schedules:
        own = ", ".join(f"{k}={_format_value(v)}" for k, v in s.params.items()
                        if k not in shared and not any(_same(v, h) for h in hide))
        labels.append(f"{s.name}({own})" if own else s.name)
    return labels, ", ".join(f"{k}={_format_value(v)}" for k, v in shared.items())


@dataclass
class _Series:
    x: np.ndarray
    y: np.ndarray
    schedule: Schedule


class SchedulePlot:
    """What was drawn for one or more schedules on one Axes, and how to redraw it in place.

    Attributes:
        ax: the Axes.
        lines: ``{name: Line2D}``, one per schedule.
        line: the first line (handy when there is one schedule).
        spans, span_labels: the shaded phases and their labels (only the visible ones count).
        events: ``{"restart" | "milestone": LineCollection}`` of vertical markers.
        peak_label, floor_label, peak_line, floor_line: the highest and lowest value drawn.
        legend: the legend (``None`` for a single schedule).
        secondary: the iterations axis on top (``None`` when stepped once per epoch).
        phases: the :class:`~lrlib.schedule.Phase` objects shaded, in the x unit (epochs).
    """

    def __init__(self, ax, names=("lr",), *, styles=None, mark=True, legend_loc=None,
                 iters_per_epoch=None, text: Mapping[str, str] | None = None,
                 animated=False, steady=False):
        self.ax = ax
        # steady axes (for sliders): the x range rounded up to a round number, and the y range
        # kept while the curve still fits it well, so most moves leave the axes as they are
        self.steady = steady
        self._ytop = None
        self.figure = ax.figure
        self.text = {**PLOT_TEXT, **(text or {})}
        self.mark = mark
        self.animated = animated
        self.iters_per_epoch = iters_per_epoch
        self.phases = []
        self._dynamic = []
        styles = styles or {}
        self.lines = {}
        for i, name in enumerate(names):
            style = dict(color=LINE_COLORS[i % len(LINE_COLORS)], linewidth=1.6, zorder=3)
            style.update(styles.get(name, {}))
            (line,) = ax.plot([], [], **style)
            self.lines[name] = self._own(line)
        self.line = next(iter(self.lines.values()))
        self.spans, self.span_labels = [], []
        xaxis = ax.get_xaxis_transform()
        self._label_shift = transforms.offset_copy(xaxis, fig=self.figure, x=3, y=0, units="dots")
        self.events, self.event_labels = {}, {}
        for kind, style in _EVENT_STYLE.items():
            coll = LineCollection([], transform=xaxis, zorder=2, **style)
            self.events[kind] = self._own(ax.add_collection(coll, autolim=False))
            self.event_labels[kind] = self._own(ax.text(
                0, 0.955, "", transform=self._label_shift, fontsize=_FONT - 0.5, color=style["color"],
                ha="left", va="top", zorder=5, visible=False))
        yaxis = ax.get_yaxis_transform()
        self.peak_line = self._own(ax.axhline(0, color="#444444", lw=0.7, ls=(0, (2, 2)), zorder=1, visible=False))
        self.floor_line = self._own(ax.axhline(0, color="#444444", lw=0.7, ls=(0, (2, 2)), zorder=1, visible=False))
        self.peak_label = self._own(ax.text(1.012, 0, "", transform=yaxis, fontsize=_FONT, ha="left",
                                            va="center", clip_on=False, visible=False))
        self.floor_label = self._own(ax.text(1.012, 0, "", transform=yaxis, fontsize=_FONT, ha="left",
                                             va="center", clip_on=False, visible=False))
        self.legend = None
        self._legend_loc = legend_loc
        self._legend_key = None
        self.secondary = None
        if iters_per_epoch is not None:
            self.secondary = ax.secondary_xaxis(
                "top", functions=(lambda e: e * self.iters_per_epoch, lambda i: i / self.iters_per_epoch))
            self.secondary.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
            self.secondary.tick_params(labelsize=_FONT)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.3g}"))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        ax.tick_params(labelsize=_FONT)
        self.relabel()

    # -- bookkeeping ------------------------------------------------------------------------
    def _own(self, artist):
        if self.animated:
            artist.set_animated(True)
        self._dynamic.append(artist)
        return artist

    def dynamic_artists(self) -> list:
        """Every artist this plot changes on :meth:`set_data`, in drawing order."""
        return list(self._dynamic)

    def texts(self) -> list:
        """The visible text artists (titles, labels, legend entries), for checks and relabelling."""
        out = [self.ax.title, self.ax.xaxis.label, self.ax.yaxis.label]
        out += [a for a in self._dynamic if hasattr(a, "get_text") and a.get_visible() and a.get_text()]
        if self.legend is not None:
            out += [x for x in self.legend.get_texts() if x.get_text().strip()]
        if self.secondary is not None:
            out.append(self.secondary.xaxis.label)
        return [x for x in out if x.get_text()]

    def relabel(self, text: Mapping[str, str] | None = None):
        """Write the axis labels again, with the words in ``text`` (default: the ones it has)."""
        if text is not None:
            self.text = {**PLOT_TEXT, **text}
        self.ax.set_xlabel(self.text["axis_epoch"], fontsize=_FONT + 1)
        self.ax.set_ylabel(self.text["learning_rate"], fontsize=_FONT + 1)
        if self.secondary is not None:
            self.secondary.set_xlabel(self.text["axis_iteration"], fontsize=_FONT)

    # -- drawing ----------------------------------------------------------------------------
    def set_data(self, series: dict, *, marks_from: Schedule | None = None, steps_per_epoch: float = 1.0,
                 labels: dict | None = None, legend_title: str | None = None, xlim=None):
        """Show ``series`` (``{name: (x, y, schedule)}``); lines not named are hidden.

        ``marks_from`` is the schedule whose phases and events are marked (default: the
        only one, if there is one); ``steps_per_epoch`` converts its steps to epochs (1
        when it counts epochs, ``iters_per_epoch`` when it counts iterations).
        ``labels`` (``{name: text}``) and ``legend_title`` fill the legend, if there is one.
        The peak is the highest value drawn, the floor the lowest one after the peak.
        """
        shown = {name: _Series(np.asarray(x, float), np.asarray(y, float), s) for name, (x, y, s) in series.items()}
        for name, line in self.lines.items():
            if name in shown:
                line.set_data(shown[name].x, shown[name].y)
                line.set_visible(True)
            else:
                line.set_visible(False)
        if marks_from is None and len(shown) == 1:
            marks_from = next(iter(shown.values())).schedule
        xs = np.concatenate([s.x for s in shown.values()]) if shown else np.zeros(1)
        ys = np.concatenate([s.y for s in shown.values()]) if shown else np.zeros(1)
        if xlim is None:
            lo, hi = float(xs.min()), float(xs.max())
            if self.steady and lo >= 0:
                hi = _nice_top(max(hi, 1.0), _NICE_X)
                xlim = (-0.01 * hi, 1.01 * hi)
            else:
                pad = 0.01 * (hi - lo) if hi > lo else 0.5
                xlim = (lo - pad, hi + pad)
        self.ax.set_xlim(*xlim)
        peak = float(ys.max())
        floor = min((float(s.y[int(np.argmax(s.y)):].min()) for s in shown.values()), default=peak)
        self.ax.set_ylim(0.0, self._y_top(peak))
        self._mark_extremes(peak, floor)
        data_end = float(xs.max())
        self._mark_phases(marks_from if self.mark else None, steps_per_epoch, xlim, data_end)
        self._mark_events(marks_from if self.mark else None, steps_per_epoch, xlim, data_end)
        if self._legend_loc is not None:
            self._set_legend([n for n in self.lines if n in shown], labels or {}, legend_title)
        return self

    def _set_legend(self, names, labels, title):
        """One legend entry per line shown; built again only when the set of lines changes."""
        key = tuple(names)
        if self.legend is None or key != self._legend_key:
            if self.legend is not None:
                self._dynamic.remove(self.legend)
                self.legend.remove()
            loc, anchor = (self._legend_loc, None) if isinstance(self._legend_loc, str) else self._legend_loc
            # an opaque, square frame: LivePlot can then reuse its pixels while its text is unchanged
            self.legend = self.ax.legend([self.lines[n] for n in names], [" "] * len(names), loc=loc,
                                         bbox_to_anchor=anchor, fontsize=_FONT - 1, title_fontsize=_FONT - 1,
                                         framealpha=1.0, fancybox=False, edgecolor="#c8c8c8",
                                         borderaxespad=0.4, handlelength=1.8)
            self._own(self.legend)
            self._legend_key = key
        for text, name in zip(self.legend.get_texts(), names):
            text.set_text(labels.get(name, name))
        self.legend.set_title(title or None)

    def _y_top(self, peak):
        """The top of the y axis: room above the peak for the phase labels."""
        if not self.steady:
            return _nice_top(1.25 * peak)
        top = self._ytop
        if top is None or not (1.2 * peak <= top <= 3.0 * peak):
            top = _nice_top(1.45 * peak)
        self._ytop = top
        return top

    def _mark_extremes(self, peak, floor):
        self.peak_line.set_ydata([peak, peak])
        self.floor_line.set_ydata([floor, floor])
        self.peak_label.set_text(f"{self.text['peak']} {peak:.3g}")
        self.floor_label.set_text(f"{self.text['floor']} {floor:.3g}")
        flat = peak == floor
        for a in (self.peak_line, self.peak_label):
            a.set_visible(True)
        for a in (self.floor_line, self.floor_label):
            a.set_visible(not flat)
        # keep the two labels apart when the values are close on the plot
        top = self.ax.get_ylim()[1]
        height_px = self.ax.bbox.height or 1.0
        gap = (peak - floor) / top * height_px
        need = 1.3 * _FONT * self.figure.dpi / 72.0
        if gap < need:
            half = (need - gap) / 2 / height_px * top
            self.peak_label.set_y(peak + half)
            self.floor_label.set_y(floor - half)
        else:
            self.peak_label.set_y(peak)
            self.floor_label.set_y(floor)

    def _span(self, i):
        while len(self.spans) <= i:
            rect = Rectangle((0, 0), 0, 1, transform=self.ax.get_xaxis_transform(), linewidth=0,
                             zorder=0.5, visible=False)
            self.spans.append(self._own(self.ax.add_patch(rect)))
            self.span_labels.append(self._own(self.ax.text(
                0, 0.955, "", transform=self.ax.get_xaxis_transform(), fontsize=_FONT, ha="center",
                va="top", color="#333333", zorder=5, visible=False)))
        return self.spans[i], self.span_labels[i]

    def _mark_phases(self, schedule, per, xlim, data_end):
        self.phases = []
        used = 0
        if schedule is not None:
            x0, x1 = xlim
            kinds = [p.kind for p in schedule.phases]
            width_px = self.ax.bbox.width or 1.0
            dpi = self.figure.dpi
            prev_row_end = -np.inf
            for idx, ph in enumerate(schedule.phases):
                if ph.kind not in PHASE_COLORS:
                    continue
                a = max(ph.start / per, x0)
                b = min((ph.end if ph.end is not None else np.inf) / per, x1)
                if not b > a or not ph.start / per < data_end:
                    continue
                kind = ph.kind
                if kind == "constant" and idx > 0 and any(k != "constant" for k in kinds[:idx]):
                    text = self.text["constant_tail"]
                else:
                    text = self.text[f"phase_{kind}"]
                rect, label = self._span(used)
                used += 1
                rect.set_x(a)
                rect.set_width(b - a)
                rect.set_facecolor(PHASE_COLORS[kind])
                rect.set_alpha({"warmup": 0.16, "constant": 0.14, "stable": 0.14}.get(kind, 0.10))
                rect.set_visible(True)
                # the label: centred in its span, or after its left edge (one row lower) when too wide
                span_px = (b - a) / (x1 - x0) * width_px
                text_px = _text_width_px(text, _FONT, dpi)
                left_px = (a - x0) / (x1 - x0) * width_px
                if text_px + 6 <= span_px:
                    xpos, ha, start_px = (a + b) / 2, "center", left_px + (span_px - text_px) / 2
                else:
                    xpos, ha, start_px = a + 4 / width_px * (x1 - x0), "left", left_px + 4
                row = 1 if start_px < prev_row_end + 4 else 0
                prev_row_end = start_px + text_px if row == 0 else prev_row_end
                label.set_text(text)
                label.set_position((xpos, 0.955 - 0.075 * row))
                label.set_ha(ha)
                label.set_visible(True)
                self.phases.append(type(ph)(kind, a, b))
        for rect, label in zip(self.spans[used:], self.span_labels[used:]):
            rect.set_visible(False)
            label.set_visible(False)

    def _mark_events(self, schedule, per, xlim, data_end):
        x0, x1 = xlim
        for kind, coll in self.events.items():
            steps = [] if schedule is None else [e.step / per for e in schedule.events if e.kind == kind]
            steps = [s for s in steps if x0 < s <= data_end]
            coll.set_segments([[(s, 0.0), (s, 1.0)] for s in steps])
            coll.set_visible(bool(steps))
            label = self.event_labels[kind]
            if steps:
                label.set_text(self.text[kind])
                label.set_x(steps[0])
                # below the phase labels when a phase label sits near the first event
                clash = any(lbl.get_visible() and abs(lbl.get_position()[0] - steps[0]) < 0.15 * (x1 - x0)
                            for lbl in self.span_labels)
                label.set_y(0.955 - 0.15 * clash)
            label.set_visible(bool(steps))

    def set_title(self, text: str, size: float = _FONT + 1.5):
        """Set the title (left-aligned, wrapped to the figure's width)."""
        width = max(40, int(self.ax.bbox.width / (size * self.figure.dpi / 72.0 * 0.55)))
        self.ax.set_title(textwrap.fill(text, width), fontsize=size, loc="left")


def _new_axes(ax, figsize=(7.0, 3.4)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only here: a new figure that the notebook shows inline

    _fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_schedule(schedule: Schedule, epochs: int | None = None, *, iters_per_epoch: int | None = None,
                  step_unit: str | None = None, ax=None, title: str | None = None, mark: bool = True,
                  text: Mapping[str, str] | None = None, **line_kw) -> SchedulePlot:
    """Draw one schedule on ``ax`` (a new Axes when ``None``) and return what was drawn.

    Args:
        schedule: any lrlib schedule.
        epochs: how many epochs to draw (default: the schedule's length, or 100 when it has none).
        iters_per_epoch: step every iteration instead of once per epoch, and add an
            iterations axis on top.
        step_unit: what the schedule's step counts (see :func:`sample`).
        ax: the matplotlib Axes to draw on.
        title: the title (default: the schedule's name and parameters).
        mark: shade and label the phases, mark restarts and milestones.
        text: the words drawn in the figure, by :data:`PLOT_TEXT`'s keys (default: English).
        **line_kw: passed to the line (``color``, ``linewidth``, ...).

    Returns:
        A :class:`SchedulePlot` (``.line``, ``.spans``, ``.events``, ``.peak_label``, ...).
    """
    check.schedule("schedule", schedule)
    epochs = _default_epochs(schedule, iters_per_epoch, step_unit) if epochs is None else epochs
    ax = _new_axes(ax)
    plot = SchedulePlot(ax, ("lr",), styles={"lr": line_kw}, mark=mark, iters_per_epoch=iters_per_epoch,
                        text=text)
    x, y = sample(schedule, epochs, iters_per_epoch, step_unit)
    per = iters_per_epoch if step_unit == "iteration" else 1.0
    plot.set_data({"lr": (x, y, schedule)}, steps_per_epoch=per)
    plot.set_title(schedule.label() if title is None else title, size=_FONT + 0.5 if title is None else _FONT + 1.5)
    return plot


def plot_schedules(schedules, epochs: int | None = None, *, labels=None, iters_per_epoch: int | None = None,
                   step_unit: str | None = None, ax=None, title: str | None = None, mark: bool = False,
                   legend_loc=LEGEND_LOC, text: Mapping[str, str] | None = None) -> SchedulePlot:
    """Overlay several schedules on one Axes, with a legend naming each by its parameters.

    ``schedules`` is a list or a ``{name: schedule}`` dict. Legend labels default to
    :func:`compact_labels` (the shared parameters go to the title). ``mark=True``
    also shades the first schedule's phases. Returns a :class:`SchedulePlot` whose
    ``lines`` are keyed by the dict's names (or ``"0"``, ``"1"``, ...).
    """
    named = dict(schedules) if isinstance(schedules, dict) else {str(i): s for i, s in enumerate(schedules)}
    if not named or not all(isinstance(s, Schedule) for s in named.values()):
        raise ValueError(f"schedules must be a non-empty list or dict of lrlib Schedules, got schedules={schedules!r}")
    if epochs is None:
        epochs = max(_default_epochs(s, iters_per_epoch, step_unit) for s in named.values())
    auto, shared = compact_labels(list(named.values()))
    if labels is None:
        labels = dict(zip(named, auto))
    elif not isinstance(labels, dict):
        labels = dict(zip(named, labels))
    ax = _new_axes(ax)
    plot = SchedulePlot(ax, tuple(named), mark=mark, legend_loc=legend_loc, iters_per_epoch=iters_per_epoch,
                        text=text)
    per = iters_per_epoch if step_unit == "iteration" else 1.0
    series = {}
    for name, s in named.items():
        x, y = sample(s, epochs, iters_per_epoch, step_unit)
        series[name] = (x, y, s)
    first = next(iter(named.values()))
    plot.set_data(series, marks_from=first if mark else None, steps_per_epoch=per, labels=labels)
    if title is None:
        title = shared
    plot.set_title(title, size=_FONT + 0.5 if title == shared else _FONT + 1.5)
    return plot
