"""An explorer in a real browser: JupyterLab 4, headless Chromium, driven by Playwright.

The test starts its own JupyterLab on a free loopback port (no token, temporary
workspace and config folders, the news pop-up switched off), opens a notebook it
writes to a temporary folder, runs every cell, moves the explorer's sliders with
the keyboard and checks that the plot image changes and that the readout shows the
value lrlib computes.

It needs the ``playwright`` package and Debian's ``chromium`` (``/usr/bin/chromium``,
or the path in ``LRLIB_CHROMIUM``); without them it is skipped with the reason,
unless ``LRLIB_REQUIRE_BROWSER=1`` (as in CI), where it fails instead.

The helpers (``jupyterlab``, ``browser_page``, ``open_and_run``) are also used by
``bench/bench_widgets.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import lrlib
import lrcourse
from lrcourse.i18n import t
from lrlib.plotting import format_lr

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LRLIB_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("LRLIB_REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 60_000


def missing_requirements() -> str | None:
    """Why the browser test cannot run here, or ``None``."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set LRLIB_CHROMIUM)"
    try:
        import jupyterlab  # noqa: F401
        import ipykernel  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed"
    return None


def require_browser():
    """Skip (or, with LRLIB_REQUIRE_BROWSER=1, fail) when the browser test cannot run."""
    why = missing_requirements()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"LRLIB_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of code cells (no outputs), for the kernel of this interpreter."""
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"cell-{i}", "metadata": {},
                   "outputs": [], "source": src} for i, src in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


@contextlib.contextmanager
def jupyterlab(root: Path, settings_dir: Path | None = None):
    """Start JupyterLab serving ``root`` on a free loopback port; yield its URL; stop it.

    ``settings_dir``: JupyterLab's user-settings folder (as ``tools/dev.py lab --zh`` sets it).
    """
    port = free_port()
    state = Path(tempfile.mkdtemp(prefix="lrlib-lab-"))
    config = state / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}), encoding="utf-8")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               IPYTHONDIR=str(state / "ipython"), PYTHONUNBUFFERED="1")
    env.pop("MPLBACKEND", None)  # it would leak into the kernel and hide the inline plots
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings_dir or state / "user-settings")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
           "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", "--ServerApp.allow_root=True",
           f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={state / 'workspaces'}",
           "--LabApp.expose_app_in_browser=True"]
    log = open(state / "lab.log", "wb")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n"
                                   + (state / "lab.log").read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("JupyterLab did not start within 60 s:\n"
                                   + (state / "lab.log").read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(state, ignore_errors=True)


@contextlib.contextmanager
def browser_page():
    """A page in headless Chromium (Debian's build, no downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def open_and_run(page, url: str, name: str):
    """Open notebook ``name``, wait for its kernel, run all cells and wait until they are done."""
    page.goto(f"{url}/lab/tree/{name}?reset")
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    kernel_idle = """() => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
        return !!k && k.status === 'idle';
    }"""
    page.wait_for_function(kernel_idle)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("""() => {
        const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell');
        return cells.length > 0 && [...cells].every(c => {
            const p = c.querySelector('.jp-InputPrompt');
            return p && /\\[\\d+\\]/.test(p.textContent);
        });
    }""")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    return errors, tracebacks


def slider_handle(page, scope: str, name: str):
    """The keyboard-focusable handle of control ``name`` of the explorer in ``scope``."""
    return page.locator(f"{scope} .lrlib-control-{name} .noUi-handle").first


def image_src(page, scope: str) -> str:
    return page.locator(f"{scope} .lrlib-plot").first.get_attribute("src") or ""


def press_and_wait_for_new_image(page, handle, scope: str, key: str = "ArrowRight") -> str:
    old = image_src(page, scope)
    handle.focus()
    handle.press(key)
    page.wait_for_function("([sel, old]) => { const i = document.querySelector(sel); return i && i.src && i.src !== old; }",
                           arg=[f"{scope} .lrlib-plot", old])
    return image_src(page, scope)


DEMO = """\
import lrcourse
lrcourse.set_language("en")
from lrcourse.explorers import SeedRecipeExplorer
explorer = SeedRecipeExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=100, readout_epoch=2)
explorer.widget.add_class("demo-explorer")
explorer
"""


def test_slider_keyboard_step_redraws_plot_and_readout(tmp_path):
    """Arrow keys on the explorer's sliders change the plot image and the readout shows lrlib's value."""
    require_browser()
    write_notebook(tmp_path / "explorer_demo.ipynb", [DEMO])
    scope = ".demo-explorer"
    with jupyterlab(tmp_path) as url, browser_page() as page:
        _errors, tracebacks = open_and_run(page, url, "explorer_demo.ipynb")
        page.wait_for_selector(f"{scope} .lrlib-plot[src]")
        assert tracebacks.count() == 0, tracebacks.first.inner_text()
        readout = page.locator(f"{scope} .lrlib-readout").first

        def lr_text(epoch, peak):
            value = lrlib.compat.get_lr_scheduler("cos", peak, 0.0001, 100)(epoch)
            return t("readout_lr_at", lang="en", epoch=epoch, lr=format_lr(value))

        assert lr_text(2, 0.01) in readout.inner_text()

        # the epoch read: 2 -> 3, the marker moves, so the image changes
        first = image_src(page, scope)
        second = press_and_wait_for_new_image(page, slider_handle(page, scope, "readout_epoch"), scope)
        assert second != first
        page.wait_for_function("([sel, want]) => document.querySelector(sel).innerText.includes(want)",
                               arg=[f"{scope} .lrlib-readout", lr_text(3, 0.01)])
        assert lr_text(3, 0.01) in readout.inner_text()

        # the peak: one keyboard step of the log slider is a factor 10 ** 0.05
        third = press_and_wait_for_new_image(page, slider_handle(page, scope, "peak_lr"), scope)
        assert third not in (first, second)
        peak = 10 ** (-2 + 0.05)
        page.wait_for_function("([sel, want]) => document.querySelector(sel).innerText.includes(want)",
                               arg=[f"{scope} .lrlib-readout", lr_text(3, peak)])
        assert lr_text(3, peak) in readout.inner_text()
        assert page.locator(f"{scope} .lrlib-message").count() == 0


# Added to the page before JupyterLab loads: every size each explorer image has from the moment it
# enters the page (a ResizeObserver), and the page's layout shifts (their score, summed).
WATCH_IMAGE_BOXES = """
window.__lrlibSizes = [];
window.__lrlibShift = 0;
const boxes = new ResizeObserver(entries => {
    for (const e of entries) {
        const r = e.target.getBoundingClientRect();
        window.__lrlibSizes.push([Math.round(r.width), Math.round(r.height)]);
    }
});
new MutationObserver(() => {
    for (const img of document.querySelectorAll('img.lrlib-plot:not([data-lrlib-watched])')) {
        img.dataset.lrlibWatched = '1';
        boxes.observe(img);
    }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__lrlibShift += e.value;
}).observe({type: 'layout-shift'});
"""


def test_an_explorer_image_keeps_one_size_and_key_presses_shift_nothing(tmp_path):
    """The page sizes the image box in pixels, both ways, to the PNG's size; it never has another size,
    and key presses shift nothing on the page.

    An image sized by its picture (``height: auto``) is 0 px high until a picture has loaded, and
    each new picture is measured again before the page is laid out around it.
    """
    require_browser()
    write_notebook(tmp_path / "explorer_box.ipynb", [DEMO])
    scope = ".demo-explorer"
    with jupyterlab(tmp_path) as url, browser_page() as page:
        page.add_init_script(WATCH_IMAGE_BOXES)
        open_and_run(page, url, "explorer_box.ipynb")
        page.wait_for_selector(f"{scope} .lrlib-plot[src]")
        page.wait_for_function(f"() => document.querySelector('{scope} .lrlib-plot').complete")
        page.wait_for_timeout(300)
        page.evaluate("() => { window.__lrlibShift = 0; }")
        for _ in range(3):
            press_and_wait_for_new_image(page, slider_handle(page, scope, "peak_lr"), scope)
        page.wait_for_timeout(300)  # the readout and the entry boxes too
        natural, styled = page.locator(f"{scope} .lrlib-plot").first.evaluate(
            "i => [[i.naturalWidth, i.naturalHeight], [i.style.width, i.style.height]]")
        sizes = page.evaluate("() => window.__lrlibSizes")
        assert natural == [680, 330]  # the PNG, as the browser decoded it
        assert styled == [f"{natural[0]}px", f"{natural[1]}px"], f"the page sizes the image as {styled}"
        assert sizes and all(size == natural for size in sizes), f"image box sizes seen: {sizes}"
        assert page.evaluate("() => window.__lrlibShift") == 0


@pytest.mark.parametrize("lang, file_menu", [("zh", "文件"), ("en", "File")])
def test_jupyterlabs_own_menus_follow_the_lessons_language(tmp_path, monkeypatch, lang, file_menu):
    """``tools/dev.py lab --zh`` opens JupyterLab with its zh-CN language pack; ``--en`` in English."""
    require_browser()
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev_for_browser", ROOT / "tools" / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    monkeypatch.setattr(dev, "VENV", tmp_path / "venv")
    settings = dev.lab_settings_dir(lang)
    with jupyterlab(tmp_path, settings_dir=settings) as url, browser_page() as page:
        page.goto(f"{url}/lab", wait_until="domcontentloaded")
        menu = page.locator(".lm-MenuBar .lm-MenuBar-itemLabel").first
        menu.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(2000)  # settle: a translation applied late would show here
        assert menu.inner_text().strip() == file_menu
