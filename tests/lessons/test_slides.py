"""Slides: a lesson presented from JupyterLab (jupyterlab-slideshow's deck mode) at 1280x720.

Slide breaks come from the lesson source: the build (``tools/build_lessons.py``,
``mark_slides``) makes the first cell and each markdown cell opening with a ``#``/``##``
heading start a slide. The browser test opens a student notebook in JupyterLab in headless
Chromium at 1280x720, runs all cells, starts the deck, steps through every slide and every
cell of it (``deck:forward``, what the right arrow key does), and on each step checks that
nothing on screen overflows sideways: the page, each visible cell, its code editor, its
rendered Markdown (tables, code, formulas) and its outputs must have ``scrollWidth <=
clientWidth + 1`` and end inside the window. It also moves an explorer's slider with the
keyboard during the deck: the plot must change and the deck must stay on the same cell.

By default the browser test runs a few lessons (one per kind: explorers, wide tables, long
code); ``LRLIB_SLIDES_ALL=1`` runs every student notebook in both languages. It is skipped
without Chromium or Playwright (fails instead with ``LRLIB_REQUIRE_BROWSER=1``, as in CI).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest

from test_browser import CHROMIUM, REQUIRED, TIMEOUT_MS, jupyterlab, missing_requirements, open_and_run

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 720}
SUBSET = ["zh/00_start_here", "en/03_cosine_annealing", "zh/05_yolo_recipe"]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_lessons_for_slides", ROOT / "tools" / "build_lessons.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # (its dataclasses look their module up)
    spec.loader.exec_module(mod)
    return mod


def student_notebooks() -> list[str]:
    return sorted(f"{p.parent.name}/{p.stem}" for lang in ("zh", "en") for p in (ROOT / "notebooks" / lang).glob("*.ipynb"))


def slide_headings(source: Path) -> int:
    """How many cells of the student edition open with a ``#``/``##`` heading, read from the lesson source.

    The source is read with jupytext (as the build does); markdown cells tagged ``teacher`` are
    not in the student edition.
    """
    import jupytext

    nb = jupytext.read(source, fmt="md:myst")
    return sum(1 for c in nb.cells if c.cell_type == "markdown" and "teacher" not in c.metadata.get("tags", [])
               and re.match(r"#{1,2}\s", c.source.lstrip()))


# --- slide breaks (no browser) ----------------------------------------------------------------------------------

def test_mark_slides_starts_a_slide_at_the_first_cell_and_at_each_section_heading():
    import nbformat

    build = _build_module()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import lrlib"),                     # first cell: a slide even without a heading
        nbformat.v4.new_markdown_cell("## Cosine annealing\n\ntext"),
        nbformat.v4.new_code_cell("## not markdown, a comment"),
        nbformat.v4.new_markdown_cell("Text first.\n\n## a heading inside"),
        nbformat.v4.new_markdown_cell("### a subsection"),
        nbformat.v4.new_markdown_cell("  ## 余弦退火"),
    ])
    nb.cells[2].metadata["slideshow"] = {"slide_type": "-"}  # a stale type is replaced
    build.mark_slides(nb)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert types == ["slide", "slide", None, None, None, "slide"]
    assert "slideshow" not in nb.cells[2].metadata


@pytest.mark.parametrize("name", student_notebooks())
def test_every_section_of_the_source_is_a_slide(name):
    """The built notebook's slides are the source's headings (the title and each ``## `` section)."""
    import nbformat

    lang, stem = name.split("/")
    nb = nbformat.read(ROOT / "notebooks" / lang / f"{stem}.ipynb", as_version=4)
    slides = [i for i, c in enumerate(nb.cells) if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
    others = {c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells} - {"slide"}
    assert others <= {None}, f"{name}: slide types other than 'slide' and none: {others}"
    assert slides and slides[0] == 0, f"{name}: the first cell does not start a slide (rebuild: tools/dev.py build)"
    expected = slide_headings(ROOT / "lessons" / lang / f"{stem}.md") + (0 if nb.cells[0].cell_type == "markdown"
                                         and re.match(r"#{1,2}\s", nb.cells[0].source.lstrip()) else 1)
    assert len(slides) == expected, f"{name}: {len(slides)} slides, the source has {expected} sections"


def test_the_environment_wraps_long_code_lines(tmp_path, monkeypatch):
    """``tools/dev.py`` merges the course's JupyterLab defaults (code lines wrap) into the environment's overrides."""
    spec = importlib.util.spec_from_file_location("dev_for_slides", ROOT / "tools" / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    target = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                  "@jupyterlab/notebook-extension:tracker": {"kernelShutdown": True}}))
    assert dev.install_lab_overrides(tmp_path) == target
    merged = json.loads(target.read_text())
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}  # kept
    tracker = merged["@jupyterlab/notebook-extension:tracker"]
    assert tracker["kernelShutdown"] is True and tracker["codeCellConfig"]["lineWrap"] is True
    # the setting exists in this JupyterLab's own schema, with this shape
    import jupyterlab

    schema = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / "notebook-extension" / "tracker.json"
    if schema.exists():
        default = json.loads(schema.read_text())["properties"]["codeCellConfig"]["default"]
        assert set(tracker["codeCellConfig"]) <= set(default), (jupyterlab.__version__, default)


# --- the deck in Chromium ---------------------------------------------------------------------------------------

def require_slides():
    why = missing_requirements()
    if why is None and importlib.util.find_spec("jupyterlab_slideshow") is None:
        why = "jupyterlab-slideshow is not installed (pip install -r requirements/lessons.txt)"
    if why is not None:
        if REQUIRED:
            pytest.fail(f"LRLIB_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab over a copy of the student notebooks (a run never writes into notebooks/), one browser."""
    require_slides()
    from playwright.sync_api import sync_playwright

    root = tmp_path_factory.mktemp("slides")
    for lang in ("zh", "en"):
        shutil.copytree(ROOT / "notebooks" / lang, root / lang)
    with jupyterlab(root) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            yield url, browser
        finally:
            browser.close()


def _shutdown_kernels(url: str) -> None:
    with urllib.request.urlopen(f"{url}/api/sessions") as r:
        sessions = json.load(r)
    for s in sessions:
        urllib.request.urlopen(urllib.request.Request(f"{url}/api/sessions/{s['id']}", method="DELETE")).close()


ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"

# Everything on screen that can overflow sideways, in the cells the deck shows.
OVERFLOW = """() => {
  const W = window.innerWidth;
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const all = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const bad = [];
  const doc = document.scrollingElement;
  if (doc.scrollWidth > doc.clientWidth + 1) bad.push({cell: -1, what: 'page', sw: doc.scrollWidth, cw: doc.clientWidth, text: ''});
  const sel = '.cm-scroller, .jp-RenderedMarkdown, .jp-RenderedMarkdown table, .jp-RenderedMarkdown pre, '
            + '.jp-RenderedMarkdown p, .jp-RenderedMarkdown li, .jp-OutputArea-output, .jp-OutputArea-output pre, '
            + '.jp-OutputArea-output table, .lrlib-explorer, .jp-OutputArea-output img, mjx-container';
  for (const cell of panel.querySelectorAll('.jp-Cell.jp-deck-mod-visible')) {
    const index = all.indexOf(cell);
    for (const el of [cell, ...cell.querySelectorAll(sel)]) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const scrolls = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
      const sticksOut = r.right > W + 1;
      if (scrolls || sticksOut) {
        const cls = typeof el.className === 'string' ? el.className.split(' ').filter(c => c).slice(0, 2).join('.') : '';
        bad.push({cell: index, what: el.tagName.toLowerCase() + (cls ? '.' + cls : ''), sw: el.scrollWidth,
                  cw: el.clientWidth, right: Math.round(r.right), text: (el.innerText || '').split('\\n')[0].slice(0, 100)});
      }
    }
  }
  return bad;
}"""


def present(page, url: str, name: str):
    """Open ``name`` (``zh/03_...``), run all, start the deck on the first cell; returns the cells' slide types."""
    errors, tracebacks = open_and_run(page, url, f"{name}.ipynb")
    assert tracebacks.count() == 0, f"{name}: {tracebacks.first.inner_text()[:2000]}"
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_selector(".jp-NotebookPanel.jp-Deck .jp-Cell.jp-deck-mod-visible")
    return page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.model.cells.length""")


def step_forward(page) -> bool:
    """``deck:forward``; True if the deck moved to another cell."""
    before = page.evaluate(ACTIVE)
    page.evaluate("() => window.jupyterapp.commands.execute('deck:forward')")
    try:
        page.wait_for_function(f"() => ({ACTIVE})() !== {before}", timeout=3000)
    except Exception:
        return False
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # laid out
    return True


def _slide_cells(name: str) -> list[int]:
    import nbformat

    lang, stem = name.split("/")
    nb = nbformat.read(ROOT / "notebooks" / lang / f"{stem}.ipynb", as_version=4)
    return [i for i, c in enumerate(nb.cells) if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]


def _describe(name: str, problems: list[dict]) -> str:
    import nbformat

    lang, stem = name.split("/")
    nb = nbformat.read(ROOT / "notebooks" / lang / f"{stem}.ipynb", as_version=4)
    lines = []
    for p in problems:
        where = f"cell {p['cell']}" if p["cell"] >= 0 else "the page"
        longest = ""
        if 0 <= p["cell"] < len(nb.cells):
            longest = max(nb.cells[p["cell"]].source.splitlines() or [""], key=len)
        lines.append(f"  {where}: {p['what']} is {p['sw']} px wide in {p['cw']} px"
                     + (f" (right edge {p['right']} px)" if "right" in p else "")
                     + (f"; longest line ({len(longest)} chars): {longest[:110]!r}" if longest else ""))
    return f"{name} overflows sideways at {VIEWPORT['width']}x{VIEWPORT['height']}:\n" + "\n".join(lines)


def lessons_to_present() -> list[str]:
    every = student_notebooks()
    if os.environ.get("LRLIB_SLIDES_ALL") == "1":
        return every
    return [n for n in SUBSET if n in every] or every[:1]


@pytest.mark.parametrize("name", lessons_to_present())
def test_every_slide_fits_the_width_at_1280x720(lab, name):
    url, browser = lab
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS * 3)
    try:
        present(page, url, name)
        visited, problems = [], {}
        while True:
            visited.append(page.evaluate(ACTIVE))
            for p in page.evaluate(OVERFLOW):
                problems.setdefault((p["cell"], p["what"]), p)
            if not step_forward(page) or len(visited) > 500:
                break
        slides = _slide_cells(name)
        assert set(slides) <= set(visited), f"{name}: the deck never showed the slides at cells " \
                                            f"{sorted(set(slides) - set(visited))}"
        assert not problems, _describe(name, list(problems.values()))
    finally:
        page.close()
        _shutdown_kernels(url)


def test_an_explorer_works_during_the_slideshow(lab):
    """In the deck, the arrow key on a focused slider moves the slider (the plot changes), not the slide."""
    url, browser = lab
    name = "en/00_start_here"
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS * 3)
    try:
        present(page, url, name)
        active = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-mod-active.jp-deck-mod-visible .lrlib-explorer"
        for _ in range(200):  # step to the first cell that shows an explorer
            if page.locator(active).count():
                break
            assert step_forward(page), f"{name}: no explorer on any slide"
        handle = page.locator(f"{active} .noUi-handle").first
        plot = page.locator(f"{active} .lrlib-plot").first
        handle.scroll_into_view_if_needed()
        before_src, before_cell = plot.get_attribute("src"), page.evaluate(ACTIVE)
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function("([el, old]) => el.getAttribute('src') !== old",
                               arg=[plot.element_handle(), before_src])
        assert page.evaluate(ACTIVE) == before_cell, "the arrow key moved the slide instead of the slider"
        assert page.locator(f"{active} .lrlib-message").count() == 0
    finally:
        page.close()
        _shutdown_kernels(url)
