"""Explorers: a few sliders and a plot for each idea in the lessons.

Built from core ipywidgets only (sliders, text boxes, dropdowns, ``HTML``, ``Image``,
boxes), so they work in JupyterLab 4, Notebook 7, VS Code and, with ipywidgets 7.7,
Colab; no ipympl and no front-end code. The plot is one persistent matplotlib figure
drawn with Agg (no pyplot): moving a slider changes the line data and re-renders it
into the same ``Image`` widget.

Each explorer declares its controls once, in ``CONTROLS`` (a tuple of :class:`Control`:
name, label, kind, range, step, default); the keyword arguments of its constructor,
its widgets, :meth:`~_Explorer.set_values` and :meth:`~_Explorer.reset`, and the list
of controls in its docstring all come from that table. Arguments are checked by lrlib
(``lrlib._checks``), and the explorer shows lrlib's error in the lesson's language
(:func:`lrcourse.i18n.explain`), naming the control, the value and the rule.

Every explorer is a small object:

* ``controls``: ``{name: widget}``, named with lrlib's words (``peak_lr``, ``min_lr``,
  ``total_epochs``, ...); setting ``controls[name].value`` from code redraws, like a slider;
* ``entries``: ``{name: Text}``, a box beside each slider to type a value into; a value
  outside the control's range (or not a number) is refused with a message, never clamped;
* ``update()``: rebuild the schedules from the control values and redraw; returns
  ``True``, or ``False`` after showing a message when the combination does not work
  (the plot then keeps the last curve that did); no exception ever escapes it;
* ``lines`` (``{name: Line2D}``, the plotted data), ``schedule`` / ``schedules`` (the
  last valid lrlib schedules), ``x`` (the x data, in epochs), ``message``,
  ``readout`` (both ``ipywidgets.HTML``), ``image`` (the PNG), ``widget`` (the box);
* ``relabel()``: write every label again in the language now set with
  :func:`lrcourse.set_language`.

Leaving an explorer as the last expression of a cell displays it.

    >>> import lrlib, lrcourse
    >>> lrcourse.set_language("en")
    >>> ex = SeedRecipeExplorer(total_epochs=50)
    >>> ex.controls["peak_lr"].value = 0.02
    >>> x, y = ex.lines["lr"].get_data()
    >>> bool((y == lrlib.compat.get_lr_scheduler("cos", 0.02, 0.0001, 50)(x)).all())
    True
    >>> ex.controls["decay_type"].value = "step"
    >>> ex.controls["total_epochs"].value = 5      # fewer epochs than the 10 steps: not valid
    >>> ex.message.value != "", ex.schedule.params["total_iters"]
    (True, 50.0)
    >>> ex.entries["total_epochs"].value = "1000"  # typed: outside the slider's range, refused
    >>> "total_epochs" in ex.message.value, ex.controls["total_epochs"].value
    (True, 5)
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import inspect
import math
import unicodedata
import weakref
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from lrlib import _checks as check
from lrlib import compat
from lrlib._checks import ScheduleArgumentError
from lrlib.compose import warm_restarts, warmup_cosine
from lrlib.plotting import LEGEND_LOC, SchedulePlot, compact_labels, format_lr, sample
from lrlib.primitives import WARMUP_SHAPES, cosine_decay, decay
from lrlib.units import epoch_of_iteration, fractional_epochs

from . import fonts
from .figures import plot_words
from .i18n import explain, get_language, t
from .renderer import LivePlot

__all__ = ["Control", "live_figure", "reset_all", "SeedRecipeExplorer", "DecayComparisonExplorer",
           "WarmupExplorer", "WarmRestartsExplorer", "SteppingExplorer", "BatchScalingExplorer", "EXPLORERS",
           "format_lr"]

_DESCRIPTION_WIDTH = "150px"
_SLIDER_WIDTH = "296px"
_ENTRY_WIDTH = "64px"
_CONTROL_WIDTH = "360px"  # a dropdown, as wide as a slider and its entry


# ---------------------------------------------------------------------------- controls ---

@dataclasses.dataclass(frozen=True)
class Control:
    """One control of an explorer, declared once.

    ``name`` is the keyword argument and the key of ``controls``; ``label`` the key of its
    description in :data:`lrcourse.i18n.STRINGS`; ``kind`` one of ``"int"``, ``"float"``,
    ``"log"`` (a slider over powers of ten, for learning rates) or ``"choice"``. A slider
    runs from ``low`` to ``high`` (values, also for ``"log"``) in steps of ``step`` (for
    ``"log"``: of the exponent); a choice offers ``options``, ``((label key, value), ...)``.
    ``default`` is the value when none is given.

    Links between controls: ``at_most`` names a control this one never passes (a floor
    below its peak: moving either one drags the other); ``before`` names a number of
    epochs this one must stay below (an epoch to read, at most that value - 1; then
    ``high`` is ``None``); ``only_when = (control, value)``: it does something only when
    that control has that value, and is disabled otherwise.

    Examples:
        >>> c = Control("total_epochs", "ctl_total_epochs", "int", low=1, high=400, default=100)
        >>> c.but(high=200).high, c.step
        (200, 1)
    """

    name: str
    label: str
    kind: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    default: object = None
    options: tuple = ()
    at_most: str | None = None
    before: str | None = None
    only_when: tuple = ()

    def __post_init__(self):
        if self.kind not in ("int", "float", "log", "choice"):
            raise ValueError(f"kind must be one of ['int', 'float', 'log', 'choice'], got kind={self.kind!r}")
        if self.step is None and self.kind != "choice":
            object.__setattr__(self, "step", {"int": 1, "float": 0.01, "log": 0.05}[self.kind])

    def but(self, **changes) -> "Control":
        """The same control with some fields changed (``TOTAL_EPOCHS.but(high=200, default=20)``)."""
        return dataclasses.replace(self, **changes)

    @property
    def values(self) -> tuple:
        """The values of a choice."""
        return tuple(v for _key, v in self.options)

    def check(self, value, values: dict):
        """``value`` if this control can take it (``values``: the other controls'), else raise lrlib's error.

        The rules are lrlib's (``lrlib._checks``): the range, an integer for ``"int"``, one
        of the options for a choice, not above ``at_most``, below ``before``.
        """
        if self.kind == "choice":
            return check.one_of(self.name, value, self.values)
        if self.kind == "int":
            value = check.integer(self.name, value, minimum=int(self.low))
        high = self.high if self.before is None else max(0, int(values[self.before]) - 1)
        value = check.in_range(self.name, value, self.low, high)
        if self.at_most is not None:
            check.not_above(self.name, value, self.at_most, values[self.at_most])
        return int(value) if self.kind == "int" else value

    def widget(self, value, values: dict):
        """The widget for this control, at ``value`` (a slider without its readout, or a dropdown)."""
        if self.kind == "choice":
            return widgets.Dropdown(options=[(v, v) for v in self.values], value=value,
                                    style={"description_width": _DESCRIPTION_WIDTH},
                                    layout=widgets.Layout(width=_CONTROL_WIDTH))
        style = dict(readout=False, style={"description_width": _DESCRIPTION_WIDTH},
                     layout=widgets.Layout(width=_SLIDER_WIDTH))
        if self.kind == "log":
            return widgets.FloatLogSlider(value=value, base=10, min=math.log10(self.low), max=math.log10(self.high),
                                          step=self.step, **style)
        high = self.high if self.before is None else max(0, int(values[self.before]) - 1)
        if self.kind == "int":
            return widgets.IntSlider(value=value, min=self.low, max=high, step=self.step, **style)
        return widgets.FloatSlider(value=value, min=self.low, max=high, step=self.step, **style)

    def show(self, value) -> str:
        """The value as its entry box shows it."""
        if self.kind == "int":
            return str(int(value))
        return f"{value:.3g}" if self.kind == "log" else f"{value:.4g}"

    def describe(self) -> str:
        """One line of the explorer's docstring: the control's label, range, step and default."""
        label = t(self.label, lang="en")
        if self.kind == "choice":
            options = ", ".join(f"{v!r} ({t(key, lang='en')})" for key, v in self.options)
            text = f"``{self.name}`` ({label}): one of {options}; default {self.default!r}"
        else:
            high = f"``{self.before}`` - 1" if self.before else f"{self.high:g}"
            kind = {"int": "an integer", "float": "a number", "log": "a learning rate"}[self.kind]
            step = f"a factor 10**{self.step:g} per step" if self.kind == "log" else f"in steps of {self.step:g}"
            text = f"``{self.name}`` ({label}): {kind} from {self.low:g} to {high}, {step}; default {self.default:g}"
        if self.at_most:
            text += f"; never above ``{self.at_most}``"
        if self.only_when:
            text += f"; used only when ``{self.only_when[0]}`` is {self.only_when[1]!r}"
        return text


# The controls several explorers share, declared once.
PEAK_LR = Control("peak_lr", "peak_lr", "log", low=1e-4, high=1e-1, step=0.05, default=0.01)
MIN_LR = Control("min_lr", "min_lr", "log", low=1e-6, high=1e-1, step=0.05, default=0.0001, at_most="peak_lr")
TOTAL_EPOCHS = Control("total_epochs", "ctl_total_epochs", "int", low=1, high=400, default=100)
READOUT_EPOCH = Control("readout_epoch", "ctl_readout_epoch", "int", low=0, default=0, before="total_epochs")
STEP_NUM = Control("step_num", "ctl_step_num", "int", low=2, high=20, default=10)
DECAY_TYPE = Control("decay_type", "ctl_decay_type", "choice", default="cos",
                     options=(("cosine_annealing", "cos"), ("step_decay", "step")))
WARMUP_LR_RATIO = Control("warmup_lr_ratio", "ctl_warmup_lr_ratio", "float", low=0.0, high=1.0, step=0.01,
                          default=0.1)
ITERS_PER_EPOCH = Control("iters_per_epoch", "ctl_iters_per_epoch", "int", low=1, high=200, default=10)
COSINE_ONLY, STEP_ONLY = ("decay_type", "cos"), ("decay_type", "step")


class _Message(widgets.HTML):
    """The explorer's message line ("" when the settings work).

    It also compares equal to its text, so ``explorer.message == ""`` reads as expected.
    """

    def __eq__(self, other):
        if isinstance(other, str):
            return self.value == other
        return NotImplemented

    __hash__ = widgets.HTML.__hash__


def _brief(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 240 else text[:237] + "..."


def _fmt_epochs(v: float) -> str:
    return f"{v:.4g}"


def _typed_number(name: str, text: str) -> float:
    """A number typed into an entry box (full-width digits too), or lrlib's "real" error naming it."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    try:
        return float(text)
    except ValueError:
        raise ScheduleArgumentError("real", name, text) from None


def _unknown(cls_name: str, given, known) -> TypeError:
    """The error for keyword arguments an explorer does not have, with the closest names."""
    lines = []
    for name in given:
        close = difflib.get_close_matches(name, known, n=1)
        lines.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return TypeError(f"{cls_name} has no control or setting {', '.join(lines)}; it has {', '.join(known)}")


# ---------------------------------------------------------------------------- the base ---

def _legend_entry(name_key: str, formula: str, lang: str) -> str:
    """A legend line: the curve's name in ``lang``, then what it is (``"cosine annealing: ..."``)."""
    return f"{t(name_key, lang=lang)}{t('legend_sep', lang=lang)}{formula}"


def _assign(controls: dict, values: dict, settle=None) -> None:
    """Set controls to ``values``, twice, calling ``settle()`` after each pass (to update the
    ranges that follow other controls): a slider whose range follows another then gets its value too."""
    for _ in range(2):
        for name, value in values.items():
            controls[name].value = value
        if settle is not None:
            settle()


class _Explorer:
    """What every explorer shares: controls from ``CONTROLS``, linking, update, rendering, messages, display.

    A subclass declares ``CONTROLS`` (its :class:`Control` s, in display order), ``SETTINGS``
    (``{name: default}`` of the arguments fixed when it is built), ``ARGUMENTS`` (``{lrlib
    parameter: control}``, so that lrlib's errors name the control the reader moved) and
    implements ``_compute`` (and ``_readout``). Its constructor's keyword arguments, the
    widgets and the docstring's list of controls follow from ``CONTROLS``.
    """

    CONTROLS: tuple = ()
    SETTINGS: dict = {}
    ARGUMENTS: dict = {}
    line_names: tuple = ("lr",)
    line_styles: dict = {}
    legend_loc = None
    mark = True
    iters_axis = False
    figsize = (6.8, 3.3)
    dpi = 100
    margins = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._spec = {c.name: c for c in cls.CONTROLS}
        params = [inspect.Parameter(c.name, inspect.Parameter.KEYWORD_ONLY, default=c.default) for c in cls.CONTROLS]
        params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d) for n, d in cls.SETTINGS.items()]
        cls.__signature__ = inspect.Signature(params)
        if cls.CONTROLS and cls.__doc__:
            lines = ["", "", "    Controls (each also a keyword argument of the constructor):", ""]
            lines += [f"    * {c.describe()}" for c in cls.CONTROLS]
            if cls.SETTINGS:
                fixed = ", ".join(f"``{n}={d!r}``" for n, d in cls.SETTINGS.items())
                lines += ["", f"    Fixed when built (keyword arguments too): {fixed}."]
            cls.__doc__ = cls.__doc__.rstrip() + "\n".join(lines) + "\n"

    def __init__(self, **values):
        unknown = [n for n in values if n not in self._spec and n not in self.SETTINGS]
        if unknown:
            raise _unknown(type(self).__name__, unknown, [*self._spec, *self.SETTINGS])
        self.settings = {n: values.get(n, d) for n, d in self.SETTINGS.items()}
        self._check_settings(self.settings)
        start = {c.name: values.get(c.name, c.default) for c in self.CONTROLS}
        start = {c.name: c.check(start[c.name], start) for c in self.CONTROLS}
        self._busy = False
        self._last = None
        self._lang = get_language()
        self.controls = {c.name: c.widget(start[c.name], start) for c in self.CONTROLS}
        self.entries = {c.name: widgets.Text(value=c.show(start[c.name]), continuous_update=False,
                                             layout=widgets.Layout(width=_ENTRY_WIDTH))
                        for c in self.CONTROLS if c.kind != "choice"}
        self.message = _Message(value="")
        self.readout = widgets.HTML(value="")
        self.live = LivePlot(self.figsize, dpi=self.dpi, margins=self.margins)
        self.figure = self.live.figure
        self.plot = SchedulePlot(self.live.ax, self.line_names, styles=self.line_styles, mark=self.mark,
                                 legend_loc=self.legend_loc, iters_per_epoch=1 if self.iters_axis else None,
                                 text=plot_words(self._lang), animated=True, steady=True)
        self.plot_lang = fonts.plot_language(self._lang)  # the language figure text is drawn in
        self.lines = self.plot.lines
        self._marker = self._vline = None
        if "readout_epoch" in self.controls:
            ax = self.live.ax
            self._vline = ax.axvline(0, color="#333333", lw=0.7, ls=(0, (1, 2)), zorder=2, visible=False)
            (self._marker,) = ax.plot([], [], "o", ms=4.5, mfc="white", mec="#222222", mew=1.1, zorder=6)
            self.live.add_dynamic(self._vline, self._marker)
        self.live.add_dynamic(self.plot)
        self.image = widgets.Image(format="png", value=b"",
                                   layout=_image_layout(*self.figure.canvas.get_width_height()))
        self.schedule = None
        self.schedules = {}
        self.x = None
        self.widget = self._layout()
        self._relabel_controls()
        with self._hold():
            self._link()
        for name, w in self.controls.items():
            w.add_class(f"lrlib-control-{name}")
            w.observe(self._on_change, names="value")
        for name, box in self.entries.items():
            box.add_class(f"lrlib-entry-{name}")
            box.observe(lambda change, name=name: self._on_typed(name, change["new"]), names="value")
        self._initial = self.values()
        _BUILT.add(self)
        self.update()

    def _check_settings(self, settings: dict) -> None:
        """Raise lrlib's error for a bad fixed setting (the explorers with settings override this)."""

    # -- controls ---------------------------------------------------------------------------
    def values(self) -> dict:
        """The current control values, ``{name: value}``."""
        return {name: w.value for name, w in self.controls.items()}

    def _label_keys(self) -> dict:
        return {c.name: c.label for c in self.CONTROLS}

    def set_values(self, **values) -> bool:
        """Set several controls at once and redraw once; ``False`` if a message is shown instead.

        Each value is checked against its control (lrlib's error if it does not fit, nothing
        changed); dependent controls (a slider whose range follows another) are set twice, so
        the order of the arguments does not matter.
        """
        unknown = [n for n in values if n not in self.controls]
        if unknown:
            raise _unknown(f"{type(self).__name__}.set_values()", unknown, list(self.controls))
        merged = {**self.values(), **values}
        values = {name: self._spec[name].check(value, merged) for name, value in values.items()}
        with self._hold():
            _assign(self.controls, values, settle=self._link)
        return self.update()

    def reset(self) -> bool:
        """Put every control back where it was when the explorer was built, and redraw."""
        return self.set_values(**self._initial)

    @contextmanager
    def _hold(self):
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy

    def _link(self):
        """Keep dependent controls consistent (the floor never above the peak, the epoch read inside
        the run) and disable the controls that do nothing with the current choice."""
        c = self.controls
        for spec in self.CONTROLS:
            w = c[spec.name]
            if spec.at_most is not None and w.value > c[spec.at_most].value:
                w.value = c[spec.at_most].value
            if spec.before is not None:
                w.max = max(0, int(c[spec.before].value) - 1)
            if spec.only_when:
                other, wanted = spec.only_when
                w.disabled = c[other].value != wanted
                if spec.name in self.entries:
                    self.entries[spec.name].disabled = w.disabled

    def _on_change(self, change):
        if self._busy:
            return
        try:
            with self._hold():
                self._link()
        except Exception as exc:  # never let a traceback reach the page
            self._show_problem(t("msg_invalid", lang=self._lang, detail=_brief(exc)))
            return
        self.update()

    def _on_typed(self, name: str, text: str):
        """A value typed into the entry box of ``name``: set it, or say why not (nothing is clamped)."""
        if self._busy:
            return
        try:
            value = self._spec[name].check(_typed_number(name, text), self.values())
        except ScheduleArgumentError as err:
            self._show_problem(explain(err, self._lang, labels=self._label_keys()))
            return
        try:
            with self._hold():
                self.controls[name].value = value
                self._link()
        except Exception as exc:  # never let a traceback reach the page
            self._show_problem(t("msg_invalid", lang=self._lang, detail=_brief(exc)))
            return
        self.update()

    def _show_values(self):
        """Write each control's value into its entry box."""
        with self._hold():
            for name, box in self.entries.items():
                box.value = self._spec[name].show(self.controls[name].value)

    # -- language ---------------------------------------------------------------------------
    def _relabel_controls(self):
        lang = self._lang
        for spec in self.CONTROLS:
            w = self.controls[spec.name]
            w.description = t(spec.label, lang=lang)
            if spec.kind == "choice":
                with self._hold():
                    value = w.value
                    w.options = [(t(key, lang=lang), v) for key, v in spec.options]
                    w.value = value

    def relabel(self) -> bool:
        """Write every label, title, legend, readout and message again in the current language; redraw.

        ``False`` when the settings shown do not work: the message is then in the new language and
        the plot still shows the last curve that worked, relabelled.
        """
        self._lang = get_language()
        self._relabel_controls()
        self.plot_lang = fonts.plot_language(self._lang)
        self.plot.relabel(plot_words(self._lang))
        self.live.invalidate()
        if self.update():
            return True
        if self._last is not None:  # a message is shown: relabel the last curve that worked, too
            _old, values = self._last
            try:
                result = self._compute(values)
                readout = self._readout(values, result)
                png = self._draw(result, values)
            except Exception:  # keep what is shown
                pass
            else:
                self._last = (result, values)
                _show_png(self.image, png)
                self.readout.value = readout
        return False

    # -- the work ---------------------------------------------------------------------------
    def _compute(self, v: dict) -> dict:
        raise NotImplementedError

    def _readout(self, v: dict, r: dict) -> str:
        return ""

    def update(self) -> bool:
        """Rebuild the schedules from the controls and redraw; ``False`` if a message is shown instead.

        When lrlib refuses the settings, its error is told in the explorer's language, naming
        the control and its value; any other error is shown as it is. Either way the plot keeps
        the last curve that worked.
        """
        values = self.values()
        problem, result, png, readout = None, None, None, ""
        try:
            result = self._compute(values)
            if not all(np.all(np.isfinite(y)) for _x, y, _s in result["series"].values()):
                problem = t("msg_not_finite", lang=self._lang)
            else:
                readout = self._readout(values, result)
                png = self._draw(result, values)
        except ScheduleArgumentError as err:  # lrlib's checks: said in the lesson's language
            problem = explain(err, self._lang, rename=self.ARGUMENTS, labels=self._label_keys())
        except Exception as exc:  # a combination nobody foresaw: say so, keep the plot
            problem = t("msg_invalid", lang=self._lang, detail=_brief(exc))
            if result is not None and self._last is not None:
                try:
                    self._draw(*self._last)
                except Exception:
                    pass
        if problem is not None:
            self._show_values()
            self._show_problem(problem)
            return False
        self._last = (result, values)
        self.schedules = result["schedules"]
        self.schedule = result["schedule"]
        self.x = result["x"]
        # the image first: it is what the reader waits for; the entry boxes follow in the same burst
        _show_png(self.image, png)
        self.readout.value = readout
        self._show_values()
        self.message.value = ""
        return True

    def _show_problem(self, text: str):
        kept = f" {html.escape(t('msg_kept', lang=self._lang))}" if self._last is not None else ""
        self.message.value = (f'<div class="lrlib-message" style="color:#a11;font-weight:600">⚠ '
                              f"{html.escape(text)}{kept}</div>")

    def _draw(self, r: dict, v: dict) -> bytes:
        plot = self.plot
        if self.iters_axis:
            plot.iters_per_epoch = r["iters_per_epoch"]
            self.live.extra_key = r["iters_per_epoch"]
        plot.set_data(r["series"], marks_from=r.get("marks_from"), labels=r.get("labels"),
                      legend_title=r.get("legend_title"), xlim=r.get("xlim"))
        for name, style in r.get("styles", {}).items():
            self.lines[name].set(**style)
        plot.set_title(r["title"])
        if self._marker is not None:
            e = min(int(v["readout_epoch"]), int(v["total_epochs"]) - 1)
            ys = [s(e) for _x, _y, s in r["series"].values()]
            self._marker.set_data([e] * len(ys), ys)
            self._vline.set_xdata([e, e])
            self._vline.set_visible(True)
        return self.live.render()

    # -- display ----------------------------------------------------------------------------
    def _layout(self):
        rows = [widgets.HBox([w, self.entries[name]]) if name in self.entries else w
                for name, w in self.controls.items()]
        half = (len(rows) + 1) // 2
        box = widgets.HBox([widgets.VBox(rows[:half]), widgets.VBox(rows[half:])])
        self.image.add_class("lrlib-plot")
        self.readout.add_class("lrlib-readout")
        self.message.add_class("lrlib-message-box")
        top = widgets.VBox([box, self.message, self.image, self.readout])
        top.add_class("lrlib-explorer")
        return top

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        bundle = getattr(self.widget, "_repr_mimebundle_", None)
        return bundle(**kwargs) if bundle is not None else None

    def __repr__(self):
        return f"<{type(self).__name__} {self.values()}>"


def _table(rows_x, rows_y, head_x, head_y) -> str:
    cells_x = "".join(f"<td style='padding:0 6px'>{html.escape(str(c))}</td>" for c in rows_x)
    cells_y = "".join(f"<td style='padding:0 6px'>{html.escape(str(c))}</td>" for c in rows_y)
    return (f"<table style='border-collapse:collapse;font-size:90%'>"
            f"<tr><th style='text-align:left;padding-right:8px'>{html.escape(head_x)}</th>{cells_x}</tr>"
            f"<tr><th style='text-align:left;padding-right:8px'>{html.escape(head_y)}</th>{cells_y}</tr></table>")


def _lines(*items) -> str:
    return "".join(f"<div>{html.escape(x)}</div>" for x in items if x)


def _recipe_ratios(settings: dict) -> None:
    """The recipe's two fixed ratios, checked by lrlib now (its error names a bad one), not on every move."""
    compat.get_lr_scheduler("cos", 0.01, 0.0001, 100, warmup_iters_ratio=settings["warmup_iters_ratio"],
                            no_aug_iter_ratio=settings["no_aug_iter_ratio"])


# The YOLO recipe's parameters, by the names of the explorers' controls.
_RECIPE_ARGUMENTS = {"lr": "peak_lr", "total_iters": "total_epochs", "warmup_iters_ratio": "warmup_ratio",
                     "no_aug_iter_ratio": "tail_ratio", "num_epochs": "total_epochs"}


# ------------------------------------------------------------------------ the explorers ---

class SeedRecipeExplorer(_Explorer):
    """The YOLO recipe ``get_lr_scheduler``, both branches, stepped once per epoch.

    ``warmup_lr_ratio`` is the warmup's start as a fraction of the peak; the ratios only
    matter for ``"cos"``, ``step_num`` only for ``"step"`` (the others are disabled). The
    readout gives the warmup and tail lengths the recipe's clamps produce (at most 3 and
    15 epochs), the learning rate at ``readout_epoch`` and the first and last epochs'
    values. Line: ``lines["lr"]``.
    """

    CONTROLS = (
        PEAK_LR, MIN_LR, TOTAL_EPOCHS,
        Control("warmup_ratio", "ctl_warmup_ratio", "float", low=0.0, high=0.5, step=0.01, default=0.1,
                only_when=COSINE_ONLY),
        WARMUP_LR_RATIO.but(only_when=COSINE_ONLY),
        Control("tail_ratio", "ctl_tail_ratio", "float", low=0.0, high=0.5, step=0.01, default=0.3,
                only_when=COSINE_ONLY),
        STEP_NUM.but(only_when=STEP_ONLY), DECAY_TYPE, READOUT_EPOCH,
    )
    ARGUMENTS = _RECIPE_ARGUMENTS
    line_styles = {"lr": dict(drawstyle="steps-post")}

    def _compute(self, v):
        s = compat.get_lr_scheduler(v["decay_type"], v["peak_lr"], v["min_lr"], v["total_epochs"],
                                    warmup_iters_ratio=v["warmup_ratio"], warmup_lr_ratio=v["warmup_lr_ratio"],
                                    no_aug_iter_ratio=v["tail_ratio"], step_num=v["step_num"])
        x, y = sample(s, v["total_epochs"])
        branch = t("cosine_annealing" if v["decay_type"] == "cos" else "step_decay", lang=self.plot_lang)
        return dict(series={"lr": (x, y, s)}, schedules={"lr": s}, schedule=s, x=x,
                    title=t("title_seed", lang=self.plot_lang, branch=branch))

    def _readout(self, v, r):
        lang = self._lang
        s, x = r["schedule"], r["x"]
        y = r["series"]["lr"][1]
        total = int(v["total_epochs"])
        e = min(int(v["readout_epoch"]), total - 1)
        parts = [t("readout_lr_at", lang=lang, epoch=e, lr=format_lr(s(e)))]
        if v["decay_type"] == "cos":
            warm = next(p for p in s.phases if p.kind == "warmup")
            tail_start = next(p.start for p in reversed(s.phases) if p.kind == "constant")
            parts.append(t("readout_warmup_len", lang=lang, actual=_fmt_epochs(warm.end - warm.start),
                           raw=_fmt_epochs(v["warmup_ratio"] * total)))
            parts.append(t("readout_tail_len", lang=lang, actual=_fmt_epochs(max(0.0, total - tail_start)),
                           raw=_fmt_epochs(v["tail_ratio"] * total)))
        else:
            size = s.events[0].step if s.events else float(total)
            parts.append(t("readout_steps", lang=lang, k=v["step_num"], size=_fmt_epochs(size),
                           gamma=format_lr(s(size) / s(0))))
        idx = list(range(total)) if total <= 8 else [0, 1, 2, 3, 4, None, total - 3, total - 2, total - 1]
        head = [("…" if i is None else int(x[i])) for i in idx]
        vals = [("…" if i is None else format_lr(y[i])) for i in idx]
        return (_lines(*parts) + f"<div style='margin-top:4px'>{html.escape(t('readout_first_last', lang=lang))}</div>"
                + _table(head, vals, t("epoch", lang=lang), t("learning_rate", lang=lang)))


class DecayComparisonExplorer(_Explorer):
    """Cosine, step and linear decay from ``peak_lr`` to ``min_lr`` over ``total_epochs``, on one plot.

    Lines ``"cosine"`` (:func:`lrlib.cosine_decay`), ``"step"`` (the YOLO recipe's step
    branch, ``step_num`` plateaus) and ``"linear"`` (:func:`lrlib.decay` with
    ``shape="linear"``), stepped once per epoch.
    """

    CONTROLS = (PEAK_LR, MIN_LR, TOTAL_EPOCHS.but(low=2), STEP_NUM, READOUT_EPOCH)
    ARGUMENTS = {**_RECIPE_ARGUMENTS, "end_lr": "min_lr", "decay_steps": "total_epochs"}
    line_names = ("cosine", "step", "linear")
    line_styles = {"cosine": dict(drawstyle="steps-post"), "step": dict(drawstyle="steps-post"),
                   "linear": dict(drawstyle="steps-post")}
    legend_loc = LEGEND_LOC
    mark = False

    def _compute(self, v):
        peak, floor, total = v["peak_lr"], v["min_lr"], v["total_epochs"]
        built = {
            "cosine": cosine_decay(peak, total, floor),
            "step": compat.get_lr_scheduler("step", peak, floor, total, step_num=v["step_num"]),
            "linear": decay(peak, total, floor, shape="linear"),
        }
        series = {}
        for name, s in built.items():
            x, y = sample(s, total)
            series[name] = (x, y, s)
        labels, _shared = compact_labels(list(built.values()), hide=(peak, floor, float(total)))
        names = {"cosine": "cosine_annealing", "step": "step_decay", "linear": "linear_decay"}
        legend = {n: _legend_entry(names[n], lab, self.plot_lang) for n, lab in zip(built, labels)}
        return dict(series=series, schedules=built, schedule=built["cosine"], x=series["cosine"][0],
                    labels=legend, title=t("title_decay", lang=self.plot_lang))

    def _readout(self, v, r):
        lang = self._lang
        total = int(v["total_epochs"])
        e = min(int(v["readout_epoch"]), total - 1)
        names = {"cosine": "cosine_annealing", "step": "step_decay", "linear": "linear_decay"}

        def at(k):
            return t("sep_items", lang=lang).join(f"{t(names[n], lang=lang)} {format_lr(s(k))}"
                                                  for n, s in r["schedules"].items())

        return _lines(t("readout_at_epoch", lang=lang, epoch=e, values=at(e)),
                      t("readout_last_epoch", lang=lang, epoch=total - 1, values=at(total - 1)))


class WarmupExplorer(_Explorer):
    """The four warmup shapes (linear, quadratic, cosine, exponential) before a cosine decay.

    Each line ``lines[shape]`` is :func:`lrlib.warmup_cosine` with that ``warmup_shape``,
    from ``warmup_lr_ratio * peak_lr`` up to ``peak_lr`` over ``warmup_epochs``, then
    down to ``min_lr`` at ``total_epochs``, stepped every iteration. The chosen
    ``shape`` is drawn bold and its phases marked; a shape lrlib refuses for these
    settings (the exponential one from 0) is left out, or, when chosen, explained.
    """

    CONTROLS = (
        PEAK_LR, MIN_LR, TOTAL_EPOCHS.but(low=2, high=200, default=20),
        Control("warmup_epochs", "ctl_warmup_epochs", "float", low=0.5, high=30.0, step=0.5, default=5.0),
        WARMUP_LR_RATIO.but(default=0.0),
        Control("shape", "ctl_shape", "choice", default="linear",
                options=tuple((f"shape_{s}", s) for s in WARMUP_SHAPES)),
        ITERS_PER_EPOCH.but(high=50, default=20),
    )
    ARGUMENTS = {"total_steps": "total_epochs", "warmup_steps": "warmup_epochs", "end_lr": "min_lr",
                 "warmup_shape": "shape", "num_epochs": "total_epochs"}
    line_names = WARMUP_SHAPES
    legend_loc = LEGEND_LOC

    def _compute(self, v):
        x = fractional_epochs(int(v["total_epochs"]), int(v["iters_per_epoch"]))
        built = {}
        for shape in (v["shape"], *WARMUP_SHAPES):  # the chosen one first: its error is the one to tell
            if shape in built:
                continue
            try:
                built[shape] = warmup_cosine(v["peak_lr"], v["total_epochs"], v["warmup_epochs"], end_lr=v["min_lr"],
                                             start_lr=v["warmup_lr_ratio"] * v["peak_lr"], warmup_shape=shape)
            except ValueError:
                if shape == v["shape"]:
                    raise
        built = {shape: built[shape] for shape in WARMUP_SHAPES if shape in built}
        series = {shape: (x, s(x), s) for shape, s in built.items()}
        chosen = built[v["shape"]]
        labels, _shared = compact_labels(list(built.values()))
        styles = {name: dict(linewidth=2.4 if name == v["shape"] else 1.1,
                             alpha=1.0 if name == v["shape"] else 0.75,
                             zorder=4 if name == v["shape"] else 3) for name in built}
        lang = self.plot_lang
        legend = {n: _legend_entry("shape_" + n, lab, lang) for n, lab in zip(built, labels)}
        return dict(series=series, schedules=built, schedule=chosen, x=x, marks_from=chosen,
                    labels=legend, styles=styles, title=t("title_warmup", lang=lang))

    def _readout(self, v, r):
        lang = self._lang
        ipe = int(v["iters_per_epoch"])
        iters = v["warmup_epochs"] * ipe
        shown = [1, max(1, int(iters // 2))]

        def at(k):
            return t("sep_items", lang=lang).join(f"{t('shape_' + n, lang=lang)} {format_lr(s(k / ipe))}"
                                                  for n, s in r["schedules"].items())

        return _lines(t("readout_warmup_iters", lang=lang, iters=_fmt_epochs(iters),
                        epochs=_fmt_epochs(v["warmup_epochs"]), ipe=ipe),
                      *[t("readout_iter_values", lang=lang, k=k, values=at(k)) for k in dict.fromkeys(shown)])


class WarmRestartsExplorer(_Explorer):
    """Cosine annealing with warm restarts (SGDR), with the restarts marked.

    :func:`lrlib.warm_restarts` with lengths in epochs, stepped every iteration
    (``iters_per_epoch`` steps per epoch, fixed when built). Line: ``lines["lr"]``.
    """

    CONTROLS = (
        PEAK_LR, MIN_LR,
        Control("first_cycle_epochs", "ctl_first_cycle_epochs", "int", low=1, high=100, default=10),
        Control("cycle_mult", "cycle_mult", "float", low=1.0, high=3.0, step=0.1, default=2.0),
        Control("peak_decay", "ctl_peak_decay", "float", low=0.1, high=1.0, step=0.05, default=1.0),
        TOTAL_EPOCHS.but(low=10, high=500, default=150), READOUT_EPOCH,
    )
    SETTINGS = {"iters_per_epoch": 10}
    ARGUMENTS = {"first_cycle_steps": "first_cycle_epochs", "end_lr": "min_lr", "num_epochs": "total_epochs"}

    def _check_settings(self, settings):
        fractional_epochs(1, settings["iters_per_epoch"])  # lrlib's check of iters_per_epoch
        self.iters_per_epoch = int(settings["iters_per_epoch"])

    def _compute(self, v):
        s = warm_restarts(v["peak_lr"], v["first_cycle_epochs"], v["cycle_mult"], v["peak_decay"],
                          end_lr=v["min_lr"])
        x = fractional_epochs(int(v["total_epochs"]), self.iters_per_epoch)
        return dict(series={"lr": (x, s(x), s)}, schedules={"lr": s}, schedule=s, x=x,
                    title=t("title_restarts", lang=self.plot_lang))

    def _readout(self, v, r):
        lang = self._lang
        s = r["schedule"]
        total = int(v["total_epochs"])
        e = min(int(v["readout_epoch"]), total - 1)
        restarts = [ev.step for ev in s.events if ev.kind == "restart" and ev.step < total]
        parts = [t("readout_lr_at", lang=lang, epoch=e, lr=format_lr(s(e)))]
        if restarts:
            more = " …" if len(restarts) > 8 else ""
            parts.append(t("readout_restarts", lang=lang, n=len(restarts),
                           epochs=t("sep_numbers", lang=lang).join(_fmt_epochs(x) for x in restarts[:8]) + more))
            parts.append(t("readout_restart_peaks", lang=lang,
                           values=t("sep_numbers", lang=lang).join(format_lr(s(x)) for x in restarts[:8]) + more))
        else:
            parts.append(t("readout_no_restart", lang=lang, total=total))
        return _lines(*parts)


class SteppingExplorer(_Explorer):
    """The YOLO recipe stepped once per epoch (a staircase) or every iteration (smooth).

    Both lines are drawn over every iteration: ``lines["per_epoch"]`` is the schedule
    at the whole epoch (``f(epoch)``, what the YOLO scripts do), ``lines["per_iteration"]``
    at the fractional epoch (``f(epoch + i / iters_per_epoch)``). An iterations axis
    runs along the top. The recipe's ``warmup_iters_ratio`` and ``no_aug_iter_ratio``
    are fixed when the explorer is built: the seed's old defaults 0.1 and 0.3 unless
    given (pass 0.05 and 0.05 for the current ones).
    """

    CONTROLS = (PEAK_LR, MIN_LR, TOTAL_EPOCHS.but(high=100, default=20), ITERS_PER_EPOCH, DECAY_TYPE)
    SETTINGS = {"warmup_iters_ratio": 0.1, "no_aug_iter_ratio": 0.3}
    ARGUMENTS = _RECIPE_ARGUMENTS
    line_names = ("per_epoch", "per_iteration")
    line_styles = {"per_epoch": dict(linewidth=2.0, color="#d1495b"),
                   "per_iteration": dict(linewidth=1.3, color="#1f5fa8")}
    legend_loc = LEGEND_LOC
    iters_axis = True
    margins = dict(top=0.80)

    def _check_settings(self, settings):
        _recipe_ratios(settings)

    def _compute(self, v):
        total, ipe = int(v["total_epochs"]), int(v["iters_per_epoch"])
        s = compat.get_lr_scheduler(v["decay_type"], v["peak_lr"], v["min_lr"], total, **self.settings)
        x = fractional_epochs(total, ipe)
        whole = epoch_of_iteration(total, ipe).astype(np.float64)
        lang = self.plot_lang
        labels = {"per_epoch": _legend_entry("legend_per_epoch", "lr = f(epoch)", lang),
                  "per_iteration": _legend_entry("legend_per_iteration", f"lr = f(epoch + i/{ipe})", lang)}
        return dict(series={"per_epoch": (x, s(whole), s), "per_iteration": (x, s(x), s)},
                    schedules={"per_epoch": s, "per_iteration": s}, schedule=s, x=x, marks_from=s,
                    labels=labels, iters_per_epoch=ipe, title=t("title_stepping", lang=lang))

    def _readout(self, v, r):
        lang = self._lang
        total, ipe = int(v["total_epochs"]), int(v["iters_per_epoch"])
        a, b = r["series"]["per_epoch"][1], r["series"]["per_iteration"][1]
        gap = np.abs(a - b)
        k = int(np.argmax(gap))
        peak = float(max(a.max(), b.max()))
        pct = f"{100 * gap[k] / peak:.1f}" if peak > 0 else "0"
        return _lines(t("readout_iterations", lang=lang, iters=total * ipe, epochs=total, ipe=ipe),
                      t("readout_gap", lang=lang, gap=format_lr(float(gap[k])), pct=pct, iteration=k))


class BatchScalingExplorer(_Explorer):
    """The YOLO scripts' batch-size scaling of the peak and minimum learning rates.

    ``lines["nominal"]`` is the recipe with ``peak_lr`` and ``min_lr`` as given (for a
    batch of ``nbs``), ``lines["scaled"]`` with the values
    :func:`lrlib.compat.scale_lr_for_batch` returns for ``batch_size`` (scaled by
    ``batch_size / nbs``, then clipped to the optimizer's limits).
    ``warmup_iters_ratio`` and ``no_aug_iter_ratio`` are fixed when it is built, as in
    :class:`SteppingExplorer`.
    """

    CONTROLS = (
        PEAK_LR, MIN_LR,
        Control("batch_size", "batch_size", "int", low=1, high=1024, default=16),
        Control("nbs", "nominal_batch_size", "int", low=1, high=256, default=64),
        Control("optimizer", "ctl_optimizer", "choice", default="sgd",
                options=(("opt_sgd", "sgd"), ("opt_adam", "adam"))),
        TOTAL_EPOCHS.but(high=300),
    )
    SETTINGS = {"warmup_iters_ratio": 0.1, "no_aug_iter_ratio": 0.3}
    ARGUMENTS = {"init_lr": "peak_lr"}
    line_names = ("nominal", "scaled")
    line_styles = {"nominal": dict(color="#8c8c8c", linestyle=(0, (4, 2)), linewidth=1.4, drawstyle="steps-post"),
                   "scaled": dict(color="#1f5fa8", linewidth=1.8, drawstyle="steps-post")}
    legend_loc = LEGEND_LOC

    def _check_settings(self, settings):
        _recipe_ratios(settings)

    def _compute(self, v):
        total = v["total_epochs"]
        fit, min_fit = compat.scale_lr_for_batch(v["peak_lr"], v["min_lr"], v["batch_size"], v["nbs"], v["optimizer"])
        nominal = compat.get_lr_scheduler("cos", v["peak_lr"], v["min_lr"], total, **self.settings)
        scaled = compat.get_lr_scheduler("cos", fit, min_fit, total, **self.settings)
        x, y_nom = sample(nominal, total)
        _x, y_fit = sample(scaled, total)
        lang = self.plot_lang
        # named by the parameters in words, not numbers: the legend then stays as it is while a slider moves
        legend = {"nominal": _legend_entry("legend_nominal", "get_lr_scheduler('cos', peak_lr, min_lr)", lang),
                  "scaled": _legend_entry("legend_scaled", "get_lr_scheduler('cos', "
                                          "*scale_lr_for_batch(peak_lr, min_lr, batch_size, nbs))", lang)}
        return dict(series={"nominal": (x, y_nom, nominal), "scaled": (x, y_fit, scaled)},
                    schedules={"nominal": nominal, "scaled": scaled}, schedule=scaled, x=x, marks_from=scaled,
                    labels=legend, fit=(fit, min_fit), title=t("title_batch", lang=lang))

    def _readout(self, v, r):
        lang = self._lang
        lo, hi = compat.OPTIMIZER_LR_LIMITS[v["optimizer"]]
        b, nbs = int(v["batch_size"]), int(v["nbs"])
        fit, min_fit = r["fit"]
        rows = [("peak_lr", v["peak_lr"], lo, hi, fit), ("min_lr", v["min_lr"], lo / 100, hi / 100, min_fit)]
        return _lines(*[t("readout_scale", lang=lang, name=t(key, lang=lang), lr=format_lr(lr), b=b, nbs=nbs,
                          raw=format_lr(b / nbs * lr), lo=format_lr(low), hi=format_lr(high), fit=format_lr(out))
                        for key, lr, low, high, out in rows])


def _image_layout(width_px: int, height_px: int) -> widgets.Layout:
    """An image shown at the size it was drawn, fixed in pixels both ways.

    Not stretched to the output's width (which blurs it), and never sized by the picture it
    shows: a new frame then changes only the pixels, and the page around it (a long lesson)
    is not laid out again. A narrower output shrinks it, keeping its proportions
    (``object-fit: contain``).

        >>> lay = _image_layout(680, 330); lay.width, lay.height
        ('680px', '330px')
    """
    return widgets.Layout(width=f"{int(width_px)}px", height=f"{int(height_px)}px", max_width="100%",
                          object_fit="contain")


def _png_size(png: bytes) -> tuple:
    r"""``(width, height)`` in pixels of a PNG, read from its header (the IHDR chunk, bytes 16-24).

    Reference: the PNG specification, section 11.2.2 (https://www.w3.org/TR/png/#11IHDR).

        >>> import struct, zlib
        >>> ihdr = struct.pack(">IIBBBBB", 640, 320, 8, 2, 0, 0, 0)
        >>> head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
        >>> _png_size(head + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))
        (640, 320)
    """
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError(f"png must be PNG bytes starting with the IHDR chunk, got {bytes(png[:16])!r}")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _show_png(image: widgets.Image, png: bytes) -> None:
    """Show ``png`` in ``image``; its layout follows the PNG's size first if that changed."""
    width, height = _png_size(png)
    layout = image.layout
    if (layout.width, layout.height) != (f"{width}px", f"{height}px"):
        layout.width, layout.height = f"{width}px", f"{height}px"
    image.value = png


# Every explorer and live figure built in this kernel, so that reset_all() can put them back.
_BUILT = weakref.WeakSet()


class _LiveControls:
    """The controls of one live_figure, for reset_all()."""

    def __init__(self, controls: dict):
        self.controls = controls
        self._initial = {name: c.value for name, c in controls.items()}

    def reset(self) -> bool:
        _assign(self.controls, self._initial)
        return True


def reset_all() -> int:
    """Put every explorer and live figure built in this kernel back to its starting values.

    A lesson's last cell drives its explorers from code to check them; calling this at the
    end leaves the page as the lesson's text describes it. Returns how many were reset.

    Examples:
        >>> ex = SeedRecipeExplorer(total_epochs=100)
        >>> ex.controls["total_epochs"].value = 20
        >>> reset_all() >= 1, ex.controls["total_epochs"].value
        (True, 100)
    """
    items = list(_BUILT)
    for item in items:
        item.reset()
    return len(items)


def live_figure(fig, controls: dict, draw, *, dpi: int = 80):
    """A small explorer of your own: controls above a persistent figure and a readout line.

    Whenever a control changes, ``draw(**values)`` (``values`` = each control's name and
    value) updates the artists of ``fig`` (a :class:`matplotlib.figure.Figure`, not pyplot)
    and returns a line of text for the readout; the figure is then rendered again into the
    same ``Image`` widget. If ``draw`` raises, the readout shows a short message instead (the
    exception's text inside the ``msg_invalid`` message, in the language set with
    :func:`lrcourse.set_language`) and the image keeps the last figure that worked: no traceback
    reaches the page. Use it when none of the explorers above fits; lessons 01, 07 and 08 do.

    Returns ``(box, readout, image)``: the widget to display, the readout ``HTML`` and the
    ``Image`` (so code can check what a move did).

    Examples:
        >>> import ipywidgets as widgets, numpy as np
        >>> from matplotlib.figure import Figure
        >>> fig = Figure(); (line,) = fig.subplots().plot(np.zeros(5))
        >>> def draw(scale):
        ...     if scale < 0:
        ...         raise ValueError("scale must not be negative")
        ...     line.set_ydata(scale * np.arange(5))
        ...     return f"top = {scale * 4:g}"
        >>> box, readout, image = live_figure(fig, {"scale": widgets.FloatSlider(value=1.0, min=-1)}, draw)
        >>> box.children[0].value = 2.0; readout.value
        'top = 8'
        >>> before = image.value; box.children[0].value = -0.5
        >>> from lrcourse.i18n import t
        >>> t("msg_invalid", detail="scale must not be negative") in readout.value
        True
        >>> image.value == before, float(line.get_ydata()[-1])
        (True, 8.0)
    """
    readout = widgets.HTML()
    image = widgets.Image(format="png", layout=_image_layout(round(fig.get_figwidth() * dpi),
                                                             round(fig.get_figheight() * dpi)))

    def layout_key():
        return tuple((a.get_xscale(), a.get_yscale(), a.get_xlabel(), a.get_ylabel(), a.get_title())
                     for a in fig.axes)

    laid_out = [layout_key()]  # what the figure's own layout (if any) was made for

    def relayout():
        # Labels, titles or scales that change (a log axis, a new unit) would be clipped by a
        # layout made for the old ones: lay the figure out again when they change, and only
        # then (it costs as much as a draw). A figure with its own layout engine is left alone.
        key = layout_key()
        engine = fig.get_layout_engine()
        if key != laid_out[0] and (engine is None or isinstance(engine, PlaceHolderLayoutEngine)):
            fig.tight_layout()
        laid_out[0] = key

    def redraw(change=None):
        try:
            text = draw(**{name: c.value for name, c in controls.items()})
            relayout()
        except Exception as exc:  # shown in the widget, never as a traceback
            text = t("msg_invalid", lang=get_language(), detail=_brief(exc))
            readout.value = f'<span style="color:#b00020">⚠ {html.escape(text)}</span>'
            return
        _show_png(image, _figure_png(fig, dpi))
        readout.value = "" if text is None else str(text)

    for c in controls.values():
        c.observe(redraw, names="value")
    box = widgets.VBox([*controls.values(), readout, image])
    box.lrlib_controls = _LiveControls(controls)  # kept alive by the box; reset_all() finds it
    _BUILT.add(box.lrlib_controls)
    redraw()
    return box, readout, image


def _figure_png(fig, dpi: int) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


EXPLORERS = {
    "seed_recipe": SeedRecipeExplorer,
    "decay_comparison": DecayComparisonExplorer,
    "warmup": WarmupExplorer,
    "warm_restarts": WarmRestartsExplorer,
    "stepping": SteppingExplorer,
    "batch_scaling": BatchScalingExplorer,
}

# The display string of each control's description and of each option of a choice, over all
# explorers (derived from their CONTROLS; a control name means one thing in every explorer).
LABEL_KEYS = {c.name: c.label for cls in EXPLORERS.values() for c in cls.CONTROLS}
OPTION_KEYS = {c.name: c.options for cls in EXPLORERS.values() for c in cls.CONTROLS if c.kind == "choice"}
