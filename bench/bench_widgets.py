#!/usr/bin/env python3
"""How long from a slider move to the new plot? The explorers with and without text sprites, and ``interactive`` + ``plt.show()``.

    python bench/bench_widgets.py                 # both parts
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
   them): one notebook shows ``SeedRecipeExplorer`` with sprites, the same explorer
   drawing with plain Agg, and a baseline built the usual way,
   ``ipywidgets.interactive`` around a function that draws the same plot
   (:func:`lrlib.plotting.plot_schedule`, same size, same marks) with pyplot and
   ``plt.show()``. For each, the "total epochs" slider gets 20 presses of the right
   arrow key, the three taking turns, and the time from the key press (``keydown``)
   to the new image on the page (its ``src`` changed) is measured in the page.

Floors: median ``update()`` <= 25 ms for every explorer; where this matplotlib takes
sprites (:func:`lrcourse.renderer.sprites_supported`), plain / sprites >= 1.1 for
the median ``render()`` over the explorers (else the sprite renderer earns nothing
and should go); in the browser, the sprite explorer's median <= 50 ms and at least
2.5 times faster than the baseline. The exit status is 1 if one is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
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
document.addEventListener('keydown', () => { window.__lrlibKey = performance.now(); }, true);
window.__lrlibWatch = (sel, old) => new Promise(resolve => {
    const check = () => {
        const img = document.querySelector(sel);
        if (img && img.src && img.src !== old) { obs.disconnect(); resolve(performance.now()); }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    setTimeout(() => { obs.disconnect(); resolve(null); }, 20000);
});
"""


def bench_browser(presses=PRESSES) -> dict:
    """Key press to new image, in ms, for the explorer, the explorer on plain Agg and the baseline (lists)."""
    from test_browser import browser_page, jupyterlab, open_and_run, write_notebook

    targets = {"explorer": (".bench-explorer", ".bench-explorer .lrlib-plot"),
               "plain": (".bench-plain", ".bench-plain .lrlib-plot"),
               "baseline": (".bench-baseline", ".bench-baseline .widget-output img")}
    samples = {k: [] for k in targets}
    with tempfile.TemporaryDirectory(prefix="lrlib-bench-") as tmp:
        write_notebook(Path(tmp) / "bench.ipynb", NOTEBOOK_CELLS)
        with jupyterlab(Path(tmp)) as url, browser_page() as page:
            open_and_run(page, url, "bench.ipynb")
            for _scope, img in targets.values():
                page.wait_for_selector(img)
            page.evaluate(WATCH_JS)
            page.wait_for_timeout(500)
            for i in range(presses + 1):  # the first round warms up and is not counted
                for name, (scope, img) in targets.items():
                    handle = page.locator(f"{scope} .lrlib-control-total_epochs .noUi-handle").first
                    handle.focus()
                    old = page.locator(img).first.get_attribute("src")
                    page.evaluate("([sel, old]) => { window.__lrlibDone = window.__lrlibWatch(sel, old); }", [img, old])
                    handle.press("ArrowRight")
                    done = page.evaluate("() => window.__lrlibDone")
                    pressed = page.evaluate("() => window.__lrlibKey")
                    if done is None:
                        raise RuntimeError(f"{name}: no new image within 20 s of the key press")
                    if i > 0:
                        samples[name].append(done - pressed)
                    page.wait_for_timeout(150)  # let the kernel go idle before the next press
    return samples


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="only the timings in this process")
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

    print(f"\n2. browser: key press to new image ({PRESSES} presses each, taking turns), floors: explorer median <= "
          f"{BROWSER_FLOOR_MS:g} ms and baseline / explorer >= {BROWSER_RATIO:g}")
    if args.no_browser:
        print("   skipped (--no-browser)")
    else:
        from test_browser import missing_requirements

        why = missing_requirements()
        if why is not None:
            print(f"   skipped: {why}")
        else:
            samples = bench_browser()
            med = {k: statistics.median(v) for k, v in samples.items()}
            p90 = {k: float(np.percentile(v, 90)) for k, v in samples.items()}
            ratio = med["baseline"] / med["explorer"]
            ok_abs, ok_ratio = med["explorer"] <= BROWSER_FLOOR_MS, ratio >= BROWSER_RATIO
            failed += ([] if ok_abs else ["browser median"]) + ([] if ok_ratio else ["browser ratio"])
            rows = [("explorer", "SeedRecipeExplorer, text sprites"), ("plain", "SeedRecipeExplorer, plain Agg"),
                    ("baseline", "interactive + plt.show()")]
            for key, label in rows:
                mark = ("  PASS" if ok_abs else "  FAIL") if key == "explorer" else ""
                print(f"   {label:<34} median {med[key]:6.1f} ms  p90 {p90[key]:6.1f} ms  "
                      f"baseline / this = {med['baseline'] / med[key]:4.2f}x{mark}")
            print(f"   baseline / explorer = {ratio:.1f}x  {'PASS' if ok_ratio else 'FAIL'};  "
                  f"plain / sprites = {med['plain'] / med['explorer']:.2f}x")
    print("\n" + ("all floors PASS" if not failed else "FAIL: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
