#!/usr/bin/env python3
"""How long from a slider move to the new plot? The explorers with and without text sprites, and ``interactive`` + ``plt.show()``, in a small notebook and inside a real lesson.

    python bench/bench_widgets.py                 # both parts; the browser in a small notebook and in lesson 00 (en)
    python bench/bench_widgets.py --lesson notebooks/zh/02_step_decay.ipynb   # another lesson
    python bench/bench_widgets.py --lesson none   # the browser in the small notebook only
    python bench/bench_widgets.py --no-browser    # only the timings in this process

Two measurements, each side by side in one run:

1. **In this process**, no browser: for each explorer, two copies, one drawing with
   text sprites (``lrcourse.renderer``'s default) and one with plain Agg
   (``LivePlot.sprites = False``, the same cached background). 50 slider moves each,
   taking turns over the numeric controls, each one step further along its slider
   (back down from the top), so that every move shows values not seen before; the
   two copies take turns move by move. The time of a move is that of the one
   ``update()`` it triggers (the script checks there is exactly one); ``render()``
   (draw and PNG encoding) is timed inside it too.
2. **In the browser** (JupyterLab 4, headless Chromium, Playwright; skipped without
   them), one JupyterLab, two tabs:

   a. a small notebook showing ``SeedRecipeExplorer`` with sprites, the same explorer
      drawing with plain Agg, and a baseline built the usual way,
      ``ipywidgets.interactive`` around a function that draws the same plot
      (:func:`lrlib.plotting.plot_schedule`, same size, same marks) with pyplot and
      ``plt.show()``; the "total epochs" slider of each is pressed;
   b. a real lesson (``--lesson``, default ``notebooks/en/00_start_here.ipynb``),
      copied into a temporary folder of the same language, with one cell inserted
      after the cell that builds its first explorer: ``interactive`` + ``plt.show()``
      over that explorer's own controls, drawing the same schedules with
      :class:`lrlib.plotting.SchedulePlot` (the cell also times the explorer's
      ``update()`` in the kernel). After Run All, the first slider of the lesson's
      first explorer is pressed, as a class would (for lesson 00: the peak learning
      rate, which moves the y axis), and the same slider of the baseline.

   Every plot gets ``--presses`` (20) presses of an arrow key, towards the far end of
   its slider and back, all plots taking turns press by press after one round of
   warm-up. Measured in the page, from the key press (``keydown``): the time until the
   new image is on the page (its ``src`` changed; the floors use this) and until the
   first animation frame after the new picture loaded ("painted"). For the lesson it
   also prints what the page says about the time: ``update()`` in the kernel, page
   layouts per press (Chromium's ``LayoutCount``) and the layout shift (the
   ``layout-shift`` entries' score) over all presses.

Floors: median ``update()`` <= 25 ms for every explorer; where this matplotlib takes
sprites (:func:`lrcourse.renderer.sprites_supported`), plain / sprites >= 1.1 for
the median ``render()`` over the explorers (else the sprite renderer earns nothing
and should go); in the small notebook, the sprite explorer's median <= 50 ms and at
least 2.5 times faster than the baseline; inside the lesson, the explorer's median
<= 30 ms and at least 3 times faster than the baseline in the same page. The exit
status is 1 if one is missed. The machine's load moves every browser number: run it
on a quiet machine, or compare plots of one run only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lessons"))  # the JupyterLab and Playwright helpers of the browser test

UPDATE_FLOOR_MS = 25.0
SPRITE_GAIN_FLOOR = 1.1
BROWSER_FLOOR_MS = 50.0
BROWSER_RATIO = 2.5
MOVES = 50
PRESSES = 20
LESSON = ROOT / "notebooks" / "en" / "00_start_here.ipynb"
LESSON_FLOOR_MS = 30.0
LESSON_RATIO = 3.0


def _next_value(w, direction):
    """One slider step from ``w.value`` in ``direction`` (+1/-1), turning round at the ends."""
    import ipywidgets as widgets

    for d in (direction, -direction):
        if isinstance(w, widgets.FloatLogSlider):
            value = w.value * w.base ** (d * w.step)
            lo, hi = w.base ** w.min, w.base ** w.max
        else:
            value = w.value + d * w.step
            lo, hi = w.min, w.max
        if lo - 1e-12 <= value <= hi + 1e-12:
            return value, d
    return w.value, direction


def _sliders(ex) -> list:
    import ipywidgets as widgets

    return [(k, w) for k, w in ex.controls.items()
            if isinstance(w, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider))]


class _Timed:
    """An explorer whose update() calls are counted and whose live plot's render() is timed."""

    def __init__(self, cls, sprites: bool):
        self.ex = ex = cls()
        ex.live.sprites = sprites
        ex.update()
        self.updates, self.render_ms = 0, []
        real_update, real_render = ex.update, ex.live.render

        def update():
            self.updates += 1
            return real_update()

        def render():
            t0 = time.perf_counter()
            png = real_render()
            self.render_ms.append((time.perf_counter() - t0) * 1e3)
            return png

        ex.update, ex.live.render = update, render
        self.sliders = _sliders(ex)
        self.directions = {k: 1 for k, _ in self.sliders}
        self.update_ms, self.frame_render_ms = [], []

    def move(self, i: int):
        key, w = self.sliders[i % len(self.sliders)]
        value, self.directions[key] = _next_value(w, self.directions[key])
        before, renders = self.updates, len(self.render_ms)
        t0 = time.perf_counter()
        w.value = value
        elapsed = (time.perf_counter() - t0) * 1e3
        if self.updates - before != 1 or len(self.render_ms) - renders != 1:
            return  # the move was absorbed (no change) or linked to a second move; not a sample
        self.update_ms.append(elapsed)
        self.frame_render_ms.append(self.render_ms[-1])


def bench_updates(moves=MOVES) -> dict:
    """Per explorer, {"sprites": Timed, "plain": Timed}: update() and render() per slider move, in ms."""
    import lrcourse
    from lrcourse.explorers import EXPLORERS

    lrcourse.set_language("en")
    out = {}
    for name, cls in EXPLORERS.items():
        pair = {"sprites": _Timed(cls, True), "plain": _Timed(cls, False)}
        for i in range(moves):
            for timed in (pair.values() if i % 2 else reversed(pair.values())):  # alternate who goes first
                timed.move(i)
        out[name] = pair
    return out


NOTEBOOK_CELLS = [
    """\
import lrlib
import lrcourse
lrcourse.set_language("en")
from lrcourse.explorers import SeedRecipeExplorer
explorer = SeedRecipeExplorer(total_epochs=100)
explorer.widget.add_class("bench-explorer")
explorer
""",
    """\
plain = SeedRecipeExplorer(total_epochs=100)
plain.live.sprites = False  # the same explorer, every text drawn by plain Agg
plain.update()
plain.widget.add_class("bench-plain")
plain
""",
    """\
import matplotlib.pyplot as plt
from ipywidgets import IntSlider, interactive
from lrlib.plotting import plot_schedule

def draw(total_epochs):
    schedule = lrlib.compat.get_lr_scheduler("cos", 0.01, 0.0001, total_epochs)
    fig, ax = plt.subplots(figsize=(6.8, 3.3), dpi=100)
    plot_schedule(schedule, total_epochs, ax=ax, drawstyle="steps-post",
                  title=lrcourse.i18n.t("title_seed", branch=lrcourse.i18n.t("cosine_annealing")))
    plt.show()

slider = IntSlider(value=100, min=1, max=400, description="total epochs")
slider.add_class("lrlib-control-total_epochs")
baseline = interactive(draw, total_epochs=slider)
baseline.add_class("bench-baseline")
baseline
""",
]

WATCH_JS = """
window.__lrlibKey = null;
window.__lrlibShift = 0;
document.addEventListener('keydown', () => { window.__lrlibKey = performance.now(); }, true);
new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__lrlibShift += e.value;
}).observe({type: 'layout-shift'});
// Resolves {src, painted}: when the image's src changed, and the first animation frame after
// the new picture loaded (the frame that shows it), in ms on the page's clock.
window.__lrlibWatch = (sel, old) => new Promise(resolve => {
    const out = {};
    const check = () => {
        const img = document.querySelector(sel);
        if (!img || !img.src || img.src === old || out.src) return;
        out.src = performance.now();
        obs.disconnect();
        const paint = () => requestAnimationFrame(() => { out.painted = performance.now(); resolve(out); });
        if (img.complete) paint(); else img.addEventListener('load', paint, {once: true});
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    setTimeout(() => { obs.disconnect(); resolve(null); }, 20000);
});
"""

# Run in the page: the name of the first slider of the page's first explorer (its first control with a
# slider handle, in display order).
FIRST_SLIDER_JS = """() => {
    const ex = document.querySelector('.lrlib-explorer');
    for (const c of ex ? ex.querySelectorAll('[class*="lrlib-control-"]') : []) {
        if (c.querySelector('.noUi-handle'))
            return [...c.classList].find(x => x.startsWith('lrlib-control-')).slice('lrlib-control-'.length);
    }
    return null;
}"""

# Run in the page: execute code in the notebook's kernel and return what it printed.
KERNEL_JS = """async code => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    let out = '';
    const future = kernel.requestExecute({code, store_history: false});
    future.onIOPub = msg => { if (msg.header.msg_type === 'stream') out += msg.content.text; };
    await future.done;
    return out;
}"""

# Inserted into the lesson right after the cell that builds its first explorer: the same schedules
# drawn the usual way, ipywidgets.interactive around a function that plots with pyplot and calls
# plt.show(), with the explorer's own controls. It also times the explorer's update() in the kernel.
LESSON_BASELINE = """\
# inserted by bench/bench_widgets.py (not part of the lesson)
import time as _bench_time
import matplotlib.pyplot as _bench_plt
from ipywidgets import interactive as _bench_interactive
from lrcourse.explorers import EXPLORERS as _BENCH_EXPLORERS
from lrlib.plotting import SchedulePlot as _BenchPlot

_bench_first = next(v for v in list(globals().values()) if isinstance(v, tuple(_BENCH_EXPLORERS.values())))
_bench_twin = type(_bench_first)(**_bench_first.values())  # computes the schedules; its own image is not shown
_bench_update_ms, _bench_update = [], _bench_first.update

def _bench_timed_update():
    t0 = _bench_time.perf_counter()
    ok = _bench_update()
    _bench_update_ms.append((_bench_time.perf_counter() - t0) * 1e3)
    return ok

_bench_first.update = _bench_timed_update

def _bench_draw(**values):
    r = _bench_twin._compute(values)
    fig, ax = _bench_plt.subplots(figsize=_bench_twin.figsize, dpi=_bench_twin.dpi)
    plot = _BenchPlot(ax, _bench_twin.line_names, styles=_bench_twin.line_styles,
                      legend_loc=_bench_twin.legend_loc, text=_bench_twin.plot.text)
    plot.set_data(r["series"], marks_from=r.get("marks_from"), labels=r.get("labels"), xlim=r.get("xlim"))
    plot.set_title(r["title"])
    _bench_plt.show()

_bench_values = _bench_first.values()
_bench_sliders = {c.name: c.widget(_bench_values[c.name], _bench_values) for c in _bench_twin.CONTROLS}
for _bench_name, _bench_w in _bench_sliders.items():
    _bench_w.description = _bench_first.controls[_bench_name].description
    _bench_w.add_class(f"lrlib-control-{_bench_name}")
_bench_baseline = _bench_interactive(_bench_draw, **_bench_sliders)
_bench_baseline.add_class("bench-baseline")
_bench_baseline
"""
EXPLORER_CELL = re.compile(r"\b[A-Z]\w*Explorer\(")


def lesson_with_baseline(lesson: Path, folder: Path) -> Path:
    """A copy of ``lesson`` in ``folder/<its language folder>/``, the baseline inserted after its first explorer.

    The copy keeps the folder name (``en``, ``zh``) the lesson takes its language from.
    """
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    cells = nb["cells"]
    at = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"
               and EXPLORER_CELL.search("".join(c["source"]))), None)
    if at is None:
        raise ValueError(f"lesson must build an explorer (a cell calling SomethingExplorer(...)), {lesson} has none")
    cells.insert(at + 1, {"cell_type": "code", "execution_count": None, "id": "bench-baseline", "metadata": {},
                          "outputs": [], "source": LESSON_BASELINE})
    out = folder / lesson.parent.name / lesson.name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    return out


@dataclasses.dataclass
class Target:
    """One plot to move in the browser: the widget box (CSS), its image, the slider pressed, and the samples."""

    page: object
    scope: str
    image: str
    slider: str
    direction: int = 1
    src_ms: list = dataclasses.field(default_factory=list)
    painted_ms: list = dataclasses.field(default_factory=list)
    layouts: list = dataclasses.field(default_factory=list)

    def press(self, cdp=None, keep=True):
        """One arrow key on the slider (towards its far end, turning round there); the times to the new image."""
        page = self.page
        handle = page.locator(f"{self.scope} .lrlib-control-{self.slider} .noUi-handle").first
        now, low, high = handle.evaluate(
            "h => ['aria-valuenow', 'aria-valuemin', 'aria-valuemax'].map(a => parseFloat(h.getAttribute(a)))")
        if (self.direction > 0 and now >= high) or (self.direction < 0 and now <= low):
            self.direction = -self.direction
        handle.focus()
        old = page.locator(self.image).first.get_attribute("src")
        page.evaluate("([sel, old]) => { window.__lrlibDone = window.__lrlibWatch(sel, old); }", [self.image, old])
        before = _layout_count(cdp)
        handle.press("ArrowRight" if self.direction > 0 else "ArrowLeft")
        done = page.evaluate("() => window.__lrlibDone")
        pressed = page.evaluate("() => window.__lrlibKey")
        if done is None:
            raise RuntimeError(f"{self.scope}: no new image within 20 s of the key press")
        page.wait_for_timeout(150)  # let the kernel go idle (and the readout arrive) before the next press
        if keep:
            self.src_ms.append(done["src"] - pressed)
            self.painted_ms.append(done["painted"] - pressed)
            if cdp is not None:
                self.layouts.append(_layout_count(cdp) - before)


def _layout_count(cdp):
    if cdp is None:
        return 0
    return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "LayoutCount")


def bench_browser(presses=PRESSES, lesson: Path | None = LESSON) -> dict:
    """Key press to new image in JupyterLab: the small notebook's three plots and, if ``lesson`` is given, the
    lesson's first explorer and ``interactive`` + ``plt.show()`` inserted after it, all taking turns.

    Returns ``{name: Target}`` and, under ``"lesson"``, what the lesson page says about itself.
    """
    from test_browser import TIMEOUT_MS, browser_page, jupyterlab, open_and_run, write_notebook

    with tempfile.TemporaryDirectory(prefix="lrlib-bench-") as tmp:
        write_notebook(Path(tmp) / "bench.ipynb", NOTEBOOK_CELLS)
        copy = lesson_with_baseline(lesson, Path(tmp)) if lesson is not None else None
        with jupyterlab(Path(tmp)) as url, browser_page() as small:
            open_and_run(small, url, "bench.ipynb")
            targets = {"explorer": Target(small, ".bench-explorer", ".bench-explorer .lrlib-plot", "total_epochs"),
                       "plain": Target(small, ".bench-plain", ".bench-plain .lrlib-plot", "total_epochs"),
                       "baseline": Target(small, ".bench-baseline", ".bench-baseline .widget-output img",
                                          "total_epochs")}
            info, cdp = {}, None
            if copy is not None:
                page = small.context.browser.new_page(viewport=small.viewport_size)
                page.set_default_timeout(TIMEOUT_MS)
                errors, tracebacks = open_and_run(page, url, copy.relative_to(tmp).as_posix())
                slider = page.evaluate(FIRST_SLIDER_JS)
                info = {"slider": slider, "errors": errors.count() + tracebacks.count(),
                        "explorer": page.evaluate("() => document.querySelectorAll('.lrlib-explorer').length")}
                targets["lesson explorer"] = Target(page, ".lrlib-explorer", ".lrlib-explorer .lrlib-plot", slider)
                targets["lesson baseline"] = Target(page, ".bench-baseline", ".bench-baseline .widget-output img",
                                                    slider)
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
            for target in targets.values():
                target.page.wait_for_selector(f"{target.image}[src]")
            for page in {id(t.page): t.page for t in targets.values()}.values():
                page.evaluate(WATCH_JS)
                page.wait_for_timeout(500)
            order = list(targets.values())
            for i in range(presses + 1):  # the first round warms up and is not counted
                for target in (order if i % 2 else order[::-1]):
                    target.press(cdp if target.scope == ".lrlib-explorer" else None, keep=i > 0)
                if i == 0 and copy is not None:
                    page = targets["lesson explorer"].page
                    page.evaluate(KERNEL_JS, "_bench_update_ms.clear()")
                    page.evaluate("() => { window.__lrlibShift = 0; }")
            if copy is not None:
                info["update_ms"] = json.loads(page.evaluate(KERNEL_JS, "import json; print(json.dumps(_bench_update_ms))"))
                info["shift"] = page.evaluate("() => window.__lrlibShift")
    return {"targets": targets, "lesson": info}


def _row(label: str, target: Target, baseline: Target, mark: str = "") -> str:
    src, painted = statistics.median(target.src_ms), statistics.median(target.painted_ms)
    ratio = statistics.median(baseline.src_ms) / src
    return (f"   {label:<40} median {src:6.1f}  p90 {float(np.percentile(target.src_ms, 90)):6.1f}  "
            f"painted {painted:6.1f}   baseline / this {ratio:4.2f}x{mark}")


def report_browser(targets: dict, info: dict, lesson: Path | None) -> list:
    """Print the browser part; return the floors missed."""
    failed = []
    med = {k: statistics.median(t.src_ms) for k, t in targets.items()}
    ok_abs, ok_ratio = med["explorer"] <= BROWSER_FLOOR_MS, med["baseline"] / med["explorer"] >= BROWSER_RATIO
    failed += ([] if ok_abs else ["browser median"]) + ([] if ok_ratio else ["browser ratio"])
    print(f"   a. a small notebook, the 'total epochs' slider; floors: explorer <= {BROWSER_FLOOR_MS:g} ms, "
          f"baseline / explorer >= {BROWSER_RATIO:g}")
    base = targets["baseline"]
    print(_row("SeedRecipeExplorer, text sprites", targets["explorer"], base, "  PASS" if ok_abs else "  FAIL"))
    print(_row("SeedRecipeExplorer, plain Agg", targets["plain"], base))
    print(_row("interactive + plt.show()", base, base))
    print(f"   baseline / explorer = {med['baseline'] / med['explorer']:.1f}x  {'PASS' if ok_ratio else 'FAIL'};  "
          f"plain / sprites = {med['plain'] / med['explorer']:.2f}x")
    if lesson is None:
        return failed
    ex, base = targets["lesson explorer"], targets["lesson baseline"]
    ratio = med["lesson baseline"] / med["lesson explorer"]
    ok_abs, ok_ratio = med["lesson explorer"] <= LESSON_FLOOR_MS, ratio >= LESSON_RATIO
    failed += ([] if ok_abs else ["lesson median"]) + ([] if ok_ratio else ["lesson ratio"])
    shown = lesson.relative_to(ROOT) if lesson.is_relative_to(ROOT) else lesson
    print(f"   b. inside a lesson: {shown} after Run All ({info['explorer']} explorer(s), {info['errors']} error "
          f"output(s)), its first explorer's first slider ({ex.slider}), and interactive + plt.show() over the same "
          f"controls inserted after it;\n      floors: explorer <= {LESSON_FLOOR_MS:g} ms, baseline / explorer >= "
          f"{LESSON_RATIO:g}")
    print(_row("the lesson's explorer", ex, base, "  PASS" if ok_abs else "  FAIL"))
    print(_row("interactive + plt.show(), same page", base, base))
    print(f"   baseline / explorer = {ratio:.1f}x  {'PASS' if ok_ratio else 'FAIL'}")
    if info.get("update_ms"):
        print(f"   where the explorer's time goes: update() in the kernel (compute, draw, PNG, widget messages) median "
              f"{statistics.median(info['update_ms']):.1f} ms; page layouts per press median "
              f"{statistics.median(ex.layouts):g}; layout shift over all presses {info['shift']:.4f}")
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="only the timings in this process")
    parser.add_argument("--lesson", default=str(LESSON.relative_to(ROOT)),
                        help="the lesson notebook measured in the browser (default: %(default)s; 'none': only the "
                             "small notebook)")
    parser.add_argument("--presses", type=int, default=PRESSES, help="key presses per plot (default: %(default)s)")
    args = parser.parse_args(argv)
    import ipywidgets
    import matplotlib

    from lrcourse.renderer import plain_agg_reason, sprites_supported

    print(f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, ipywidgets "
          f"{ipywidgets.__version__}, {os.cpu_count()} CPU(s), {platform.machine()}")
    sprites = sprites_supported()
    print("text sprites: " + ("used" if sprites else f"not used, plain Agg ({plain_agg_reason()})"))
    failed = []

    print(f"\n1. per slider move, in this process ({MOVES} moves per explorer and renderer, taking turns), "
          f"medians in ms\n   floors: update() with sprites <= {UPDATE_FLOOR_MS:g} ms; "
          f"plain / sprites render() >= {SPRITE_GAIN_FLOOR:g} over the explorers" + ("" if sprites else " (not checked)"))
    print(f"   {'explorer':<18} {'update() sprites':>16} {'plain':>7} {'ratio':>6}   "
          f"{'render() sprites':>16} {'plain':>7} {'ratio':>6}   {'p90 update':>10} {'moves':>6}")
    gains = []
    for name, pair in bench_updates().items():
        s, p = pair["sprites"], pair["plain"]
        up_s, up_p = statistics.median(s.update_ms), statistics.median(p.update_ms)
        r_s, r_p = statistics.median(s.frame_render_ms), statistics.median(p.frame_render_ms)
        gains.append(r_p / r_s)
        ok = up_s <= UPDATE_FLOOR_MS
        failed += [] if ok else [f"update() {name}"]
        print(f"   {name:<18} {up_s:16.1f} {up_p:7.1f} {up_p / up_s:6.2f}   {r_s:16.1f} {r_p:7.1f} {r_p / r_s:6.2f}   "
              f"{float(np.percentile(s.update_ms, 90)):10.1f} {len(s.update_ms):6d}  {'PASS' if ok else 'FAIL'}")
    gain = statistics.median(gains)
    verdict = "" if not sprites else ("  PASS" if gain >= SPRITE_GAIN_FLOOR else "  FAIL")
    if sprites and gain < SPRITE_GAIN_FLOOR:
        failed.append("sprite gain")
    print(f"   plain / sprites render(), median over the explorers = {gain:.2f}x{verdict}")

    print(f"\n2. browser, JupyterLab in headless Chromium: key press to new image, {args.presses} presses per plot, "
          f"every plot taking turns; medians of the time to the new image's src (and to the first frame\n"
          f"   after it loaded, 'painted'), in ms on the page's clock")
    if args.no_browser:
        print("   skipped (--no-browser)")
    else:
        from test_browser import missing_requirements

        why = missing_requirements()
        if why is not None:
            print(f"   skipped: {why}")
        else:
            lesson = None if args.lesson.lower() == "none" else Path(args.lesson).resolve()
            result = bench_browser(args.presses, lesson)
            failed += report_browser(result["targets"], result["lesson"], lesson)
    print("\n" + ("all floors PASS" if not failed else "FAIL: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
