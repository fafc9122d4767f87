#!/usr/bin/env python3
"""How long from a slider move to the new plot? lrlib's explorers against ``interactive`` + ``plt.show()``.

    python bench/bench_widgets.py                 # both parts
    python bench/bench_widgets.py --no-browser    # only the update() timings

Two measurements:

1. **update()**, in this process, no browser: for each explorer, 50 slider moves,
   taking turns over its numeric controls, each one step further along its slider
   (back down from the top), so that every move shows values not seen before. The
   time of each move is the time of the one ``update()`` it triggers (the script
   checks there is exactly one).
2. **In the browser** (JupyterLab 4, headless Chromium, Playwright; skipped without
   them): one notebook shows ``SeedRecipeExplorer`` and a baseline built the usual
   way, ``ipywidgets.interactive`` around a function that draws the same plot
   (:func:`lrlib.plotting.plot_schedule`, same size, same marks) with pyplot and
   ``plt.show()``. For each, the "total epochs" slider gets 20 presses of the right
   arrow key, taking turns with the other, and the time from the key press
   (``keydown``) to the new image on the page (its ``src`` changed) is measured in
   the page.

Floors: median ``update()`` <= 25 ms for every explorer; in the browser, median
<= 50 ms and at least 2.5 times faster than the baseline. The exit status is 1 if
one is missed.
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
sys.path.insert(0, str(ROOT / "tests"))  # the JupyterLab and Playwright helpers of the browser test

UPDATE_FLOOR_MS = 25.0
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


def bench_updates(moves=MOVES) -> dict:
    """Median and 90th percentile of the time per slider move, per explorer, in ms."""
    import ipywidgets as widgets

    import lrlib
    import lrcourse
    from lrcourse.explorers import EXPLORERS

    lrcourse.set_language("en")
    out = {}
    for name, cls in EXPLORERS.items():
        ex = cls()
        calls = [0]
        real_update = ex.update

        def counted(real=real_update):
            calls[0] += 1
            return real()

        ex.update = counted
        numeric = [(k, w) for k, w in ex.controls.items()
                   if isinstance(w, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider))]
        directions = {k: 1 for k, _ in numeric}
        times = []
        for i in range(moves):
            key, w = numeric[i % len(numeric)]
            value, directions[key] = _next_value(w, directions[key])
            before = calls[0]
            t0 = time.perf_counter()
            w.value = value
            elapsed = time.perf_counter() - t0
            if calls[0] - before != 1:
                continue  # the move was absorbed (no change) or linked to a second move; not a sample
            times.append(elapsed * 1e3)
        out[name] = (statistics.median(times), float(np.percentile(times, 90)), len(times))
    return out


NOTEBOOK_CELLS = [
    """\
import lrlib
lrcourse.set_language("en")
from lrcourse.explorers import SeedRecipeExplorer
explorer = SeedRecipeExplorer(total_epochs=100)
explorer.widget.add_class("bench-explorer")
explorer
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
    """Key press to new image, in ms, for the explorer and for the baseline (lists of samples)."""
    from test_browser import browser_page, jupyterlab, open_and_run, write_notebook

    targets = {"explorer": (".bench-explorer", ".bench-explorer .lrlib-plot"),
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
    parser.add_argument("--no-browser", action="store_true", help="only time update() in this process")
    args = parser.parse_args(argv)
    import ipywidgets
    import matplotlib

    print(f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, ipywidgets "
          f"{ipywidgets.__version__}, {os.cpu_count()} CPU(s), {platform.machine()}")
    failed = []

    print(f"\n1. update() per slider move ({MOVES} moves per explorer), floor: median <= {UPDATE_FLOOR_MS:g} ms")
    print(f"   {'explorer':<18} {'median ms':>9} {'p90 ms':>8} {'moves':>6}")
    for name, (med, p90, n) in bench_updates().items():
        ok = med <= UPDATE_FLOOR_MS
        failed += [] if ok else [f"update() {name}"]
        print(f"   {name:<18} {med:9.1f} {p90:8.1f} {n:6d}  {'PASS' if ok else 'FAIL'}")

    print(f"\n2. browser: key press to new image ({PRESSES} presses each), floors: explorer median <= "
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
            print(f"   SeedRecipeExplorer (Agg -> Image)   median {med['explorer']:6.1f} ms  p90 {p90['explorer']:6.1f} ms"
                  f"  {'PASS' if ok_abs else 'FAIL'}")
            print(f"   interactive + plt.show() baseline   median {med['baseline']:6.1f} ms  p90 {p90['baseline']:6.1f} ms")
            print(f"   baseline / explorer = {ratio:.1f}x  {'PASS' if ok_ratio else 'FAIL'}")
    print("\n" + ("all floors PASS" if not failed else "FAIL: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
