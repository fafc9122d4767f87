"""Run All on a student notebook in JupyterLab in headless Chromium, and what it left on the page.

Shared by ``test_run_all_en.py`` and ``test_run_all_zh.py`` (one JupyterLab server and one browser
per module, so pytest-xdist's ``--dist loadfile`` runs the two languages on two workers).

For each notebook, :func:`run_all` opens it in the page already showing JupyterLab, runs the
command ``notebook:run-all-cells`` (the menu's Run > Run All Cells), waits until the run is over,
the kernel is idle and the widgets have drawn (one still undrawn after 30 s is reported), then reads:

- the notebook model's outputs: every ``error`` output and every ``stderr`` stream;
- the page: the stderr / error output areas shown;
- the browser console: messages of type ``error`` and uncaught page errors (``pageerror``);
- the explorers: a visible ``.lrlib-message`` (``_Message`` in ``lrcourse.explorers``) with text,
  or a ``live_figure`` readout showing the ``msg_invalid`` message.

The notebook is then closed without saving (its model is marked clean and the panel disposed)
and its kernel shut down. The server serves a temporary copy of ``notebooks/<lang>``, so even
JupyterLab's autosave could not write into the committed files.

The lab's kernels listen on Unix sockets (``KernelManager.transport = "ipc"``, given to the server
through an extra folder on ``JUPYTER_CONFIG_PATH``): with two workers starting kernels at the
same time, TCP ports chosen as "free" can be taken before the kernel binds them (see
``tools/kernel_ipc.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from test_browser import CHROMIUM, REQUIRED, TIMEOUT_MS, jupyterlab, missing_requirements

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_MS = 300_000  # one notebook's Run All (the lessons take seconds; a slow shared machine more)


def student_notebooks(lang: str) -> list[str]:
    """The student notebooks of ``lang`` (``notebooks/<lang>/*.ipynb``, the ``_deeper`` ones too), by stem."""
    return sorted(p.stem for p in (ROOT / "notebooks" / lang).glob("*.ipynb"))


def require_browser() -> None:
    """Skip (or, with ``LRLIB_REQUIRE_BROWSER=1``, fail) when Chromium or Playwright is missing."""
    why = missing_requirements()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"LRLIB_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)


@contextlib.contextmanager
def _unix_socket_kernels():
    """``JUPYTER_CONFIG_PATH`` with a folder telling the server's kernel managers to use Unix sockets."""
    if os.name != "posix":
        yield
        return
    extra = Path(tempfile.mkdtemp(prefix="lrlib-ipc-"))
    (extra / "jupyter_server_config.json").write_text(
        json.dumps({"KernelManager": {"transport": "ipc"}}), encoding="utf-8")
    old = os.environ.get("JUPYTER_CONFIG_PATH")
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(extra), *([old] if old else [])])
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("JUPYTER_CONFIG_PATH", None)
        else:
            os.environ["JUPYTER_CONFIG_PATH"] = old
        shutil.rmtree(extra, ignore_errors=True)


@dataclass
class Lab:
    """A JupyterLab serving ``root`` at ``url``, shown in ``page``; ``console`` collects the page's errors."""

    url: str
    root: Path
    page: object
    console: list[str] = field(default_factory=list)
    at_load: list[str] = field(default_factory=list)  # the console's errors while JupyterLab loaded


@contextlib.contextmanager
def lab_with_notebooks(lang: str, root: Path):
    """Copy ``notebooks/<lang>`` into ``root/<lang>``, start JupyterLab over ``root`` and one headless
    Chromium page showing it; yield a :class:`Lab`."""
    require_browser()
    from playwright.sync_api import sync_playwright

    shutil.copytree(ROOT / "notebooks" / lang, root / lang)
    with contextlib.ExitStack() as stack:
        with _unix_socket_kernels():  # read when the server starts
            url = stack.enter_context(jupyterlab(root))
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        stack.callback(browser.close)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        lab = Lab(url, root, page)
        page.on("console", lambda m: lab.console.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: lab.console.append(f"uncaught: {e}"))
        page.goto(f"{url}/lab?reset")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands"
                               " && window.jupyterapp.commands.hasCommand('notebook:run-all-cells')")
        page.wait_for_selector(".jp-LabShell")
        page.wait_for_timeout(500)
        lab.at_load = list(lab.console)
        yield lab


@dataclass
class Result:
    """What Run All left: each list empty when all went well; ``seconds`` from open to idle."""

    name: str
    seconds: float
    unrun: list[int]
    errors: list[str]
    stderr: list[str]
    page_errors: list[str]
    console: list[str]
    messages: list[str]

    def problems(self) -> list[str]:
        out = []
        if self.unrun:
            out.append(f"code cells without an execution count after Run All: {self.unrun}")
        out += [f"error output: {e}" for e in self.errors]
        out += [f"stderr output: {s}" for s in self.stderr]
        out += [f"error output on the page: {s}" for s in self.page_errors]
        out += [f"browser {c}" for c in self.console]
        out += [f"explorer message showing: {m}" for m in self.messages]
        return out

    def report(self) -> str:
        return f"{self.name}: Run All in Chromium left\n  " + "\n  ".join(self.problems())


_OPEN = """async (path) => {
    const app = window.jupyterapp;
    const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    await w.context.ready;
    await w.sessionContext.ready;
    app.shell.activateById(w.id);
    window.__lrlibRun = {widget: w, done: null};
    return w.id;
}"""

_KERNEL_IDLE = """() => {
    const w = window.__lrlibRun.widget;
    const k = w.sessionContext.session && w.sessionContext.session.kernel;
    return !!k && k.status === 'idle';
}"""

_RUN_ALL = """() => {
    const run = window.__lrlibRun;
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        ok => { run.done = {ok: ok !== false}; },
        err => { run.done = {ok: false, error: String(err)}; });
}"""

# The cells whose widget outputs have not drawn their view (ipywidgets draws it once the model is there;
# a widget it cannot draw stays a line of text).
_WIDGETS_UNDRAWN = """() => {
    const w = window.__lrlibRun.widget;
    const cells = [...w.content.node.querySelectorAll('.jp-Cell')];
    const outs = w.node.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']");
    return [...outs].filter(o => !o.querySelector('.jupyter-widgets, .widget-box, .widget-html, .widget-image, img'))
                    .map(o => cells.indexOf(o.closest('.jp-Cell')));
}"""

_READ_MODEL = """() => {
    const w = window.__lrlibRun.widget;
    const cells = w.content.model.cells;
    const out = {unrun: [], errors: [], stderr: []};
    for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type !== 'code') continue;
        const src = c.sharedModel.getSource();
        if (src.trim() && c.executionCount == null) out.unrun.push(i);
        for (const o of c.outputs.toJSON()) {
            if (o.output_type === 'error')
                out.errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
            else if (o.output_type === 'stream' && o.name === 'stderr')
                out.stderr.push(`cell ${i}: ${(Array.isArray(o.text) ? o.text.join('') : o.text).trim()}`);
        }
    }
    return out;
}"""

# What the page shows: stderr and error output areas, the explorers' messages with text, and
# live_figure readouts with the msg_invalid message (args: its text before and after {detail}).
_READ_PAGE = """([before, after]) => {
    const w = window.__lrlibRun.widget;
    const cells = [...w.content.node.querySelectorAll('.jp-Cell')];
    const where = el => `cell ${cells.indexOf(el.closest('.jp-Cell'))}`;
    const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
                        && (el.innerText || '').trim() !== '';
    const text = el => `${where(el)}: ${(el.innerText || '').trim().slice(0, 500)}`;
    const sel = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
              + ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']";
    const page_errors = [...w.node.querySelectorAll(sel)].filter(shown).map(text);
    const messages = [...w.node.querySelectorAll('.lrlib-message, .lrlib-message-box')].filter(shown).map(text);
    for (const el of w.node.querySelectorAll('.widget-html, .widget-htmlmath')) {
        const s = (el.innerText || '').trim();
        if (shown(el) && s.includes(before) && (!after || s.includes(after))) messages.push(text(el));
    }
    return {page_errors, messages: [...new Set(messages)]};
}"""

_CLOSE = """async () => {
    const run = window.__lrlibRun;
    if (!run) return;
    const w = run.widget;
    window.__lrlibRun = null;
    try { await w.sessionContext.shutdown(); } catch (e) { /* already gone */ }
    w.context.model.dirty = false;   // close without saving and without asking
    w.dispose();
}"""


def _invalid_message_parts(lang: str) -> list[str]:
    from lrcourse.i18n import t

    marker = "\x00"
    before, _, after = t("msg_invalid", lang=lang, detail=marker).partition(marker)
    return [before.strip(), after.strip()]


def run_all(lab: Lab, path: str, lang: str) -> Result:
    """Open ``path`` (relative to the lab's root), Run All, wait, read what it left, close it unsaved."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = lab.page
    lab.console.clear()
    start = time.monotonic()
    try:
        page.evaluate(_OPEN, path)
        page.wait_for_function(_KERNEL_IDLE)
        page.evaluate(_RUN_ALL)
        page.wait_for_function("() => window.__lrlibRun.done !== null", timeout=RUN_TIMEOUT_MS)
        page.wait_for_function(_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS)
        try:
            page.wait_for_function(f"() => ({_WIDGETS_UNDRAWN})().length === 0", timeout=TIMEOUT_MS // 2)
        except PlaywrightTimeout:
            pass  # reported below
        page.evaluate("() => new Promise(r => setTimeout(() => requestAnimationFrame(() => r()), 250))")  # settle
        seconds = time.monotonic() - start
        done = page.evaluate("() => window.__lrlibRun.done")
        model = page.evaluate(_READ_MODEL)
        shown = page.evaluate(_READ_PAGE, _invalid_message_parts(lang))
        undrawn = page.evaluate(_WIDGETS_UNDRAWN)
        errors = model["errors"] + ([f"Run All failed: {done['error']}"] if done.get("error") else []) \
            + [f"cell {i}: a widget output not drawn after {TIMEOUT_MS // 2000} s" for i in undrawn]
        return Result(path, seconds, model["unrun"], errors, model["stderr"], shown["page_errors"],
                      list(lab.console), shown["messages"])
    finally:
        page.evaluate(_CLOSE)


# Problems Run All shows in a committed lesson, to be fixed in the lesson: (lang, stem) -> what it shows.
# Each is a strict xfail, so the test says so as soon as the lesson is fixed.
KNOWN_PROBLEMS: dict[tuple[str, str], str] = {
}


def notebook_params(lang: str) -> list:
    """``student_notebooks(lang)`` as pytest parameters, the known problems marked as strict xfails."""
    return [pytest.param(stem, marks=pytest.mark.xfail(reason=KNOWN_PROBLEMS[(lang, stem)], strict=True))
            if (lang, stem) in KNOWN_PROBLEMS else stem for stem in student_notebooks(lang)]


def lab_sessions(url: str) -> list[dict]:
    with urllib.request.urlopen(f"{url}/api/sessions") as r:
        return json.load(r)


def language_tests(lang: str):
    """The module fixture and the two tests of one language's Run All module, made once for both languages:
    ``lab, test_jupyterlab_loads_without_console_errors, test_run_all_shows_no_error = language_tests("en")``."""

    @pytest.fixture(scope="module")
    def lab(tmp_path_factory):
        """One JupyterLab over a copy of ``notebooks/<lang>``, one Chromium page, for the whole module."""
        with lab_with_notebooks(lang, tmp_path_factory.mktemp(f"run_all_{lang}")) as one:
            yield one

    def test_jupyterlab_loads_without_console_errors(lab):
        assert lab.at_load == [], lab.at_load

    @pytest.mark.parametrize("name", notebook_params(lang))
    def test_run_all_shows_no_error(lab, name, record_property):
        result = run_all(lab, f"{lang}/{name}.ipynb", lang)
        record_property("run_all_seconds", round(result.seconds, 1))
        assert not result.problems(), result.report()
        assert lab_sessions(lab.url) == [], "the notebook's kernel is still running after it was closed"

    return lab, test_jupyterlab_loads_without_console_errors, test_run_all_shows_no_error
