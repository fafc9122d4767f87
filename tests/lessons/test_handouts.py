"""Handouts (``tools/handouts.py``): static pages and PDFs of the lessons, checked offline in Chromium.

The module builds the handouts of two lessons in both languages, with their teacher's guides
(``python3 tools/dev.py handouts`` builds them all), plus a small page with formulas, into a temporary folder, then
opens every page in headless Chromium with every request that is not a local file refused,
and checks: nothing asked for the network; no console error; MathJax typeset every formula
(its output elements are there, no raw ``$...$`` is left, no "Math Processing Error"); the
Chinese text is drawn with a CJK font of the machine (Chromium's own report of the platform
fonts it used, no web font); each explorer is an image of non-zero size; no error or stderr
output and no widget shown as its text repr; each PDF is an A4 PDF.

The browser checks are skipped without Chromium or Playwright (they fail instead with
``LRLIB_REQUIRE_BROWSER=1``, as in CI). The checks of the page source run everywhere.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

from test_browser import CHROMIUM, REQUIRED, missing_requirements

ROOT = Path(__file__).resolve().parents[2]
LESSONS = {"00", "03"}  # both languages: an explorer, Chinese text, a live figure and exercises
CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_FONT = re.compile(r"wenquanyi|noto (sans|serif) cjk|source han|droid sans fallback|pingfang|yahei|hiragino|"
                      r"ar pl|noto sans sc|simsun|simhei", re.I)
MATH = r"""# 公式 / Formulas

余弦退火：$\eta_t = \eta_{\min} + \tfrac{1}{2}(\eta_{\max} - \eta_{\min})\left(1 + \cos\frac{\pi t}{T}\right)$。

$$\eta(t) = \eta_{\max} \cdot \gamma^{\lfloor t / s \rfloor}$$

A price of \$5 is not a formula.
"""


def _handouts():
    spec = importlib.util.spec_from_file_location("handouts_for_tests", ROOT / "tools" / "handouts.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # (its dataclasses look their module up)
    spec.loader.exec_module(mod)
    return mod


handouts = _handouts()


def _math_notebook():
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(MATH)])


# --- the page source (no browser) -------------------------------------------------------------------------------

def test_a_widget_output_gets_the_png_of_its_image_and_a_note_when_it_has_none():
    import nbformat

    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    view = handouts.WIDGET_VIEW

    def widget_output(model_id):
        return nbformat.v4.new_output("display_data", data={view: {"model_id": model_id, "version_major": 2},
                                                              "text/plain": "VBox(children=(...))"})

    cell = nbformat.v4.new_code_cell(outputs=[widget_output("a"), widget_output("b"), widget_output("c"),
                                              nbformat.v4.new_output("stream", text="hello\n")])
    images = {"a": [{"format": "png", "data": png}], "b": [{"format": "png", "data": png}] * 2, "c": []}
    handouts.attach_widget_images(cell, images, "zh")
    a, b, c, stream = cell.outputs
    assert a.data["image/png"] == png and view in a.data  # the widget view stays in the bundle
    assert b.data["text/html"].count("<img ") == 2 and "image/png" not in b.data
    assert handouts.WORDS["zh"]["widget"] in c.data["text/html"]
    assert stream.text == "hello\n"


def test_a_page_asks_for_no_remote_script_style_or_font(tmp_path):
    """The template leaves out nbconvert's CDN scripts; MathJax comes from the handouts' own folder."""
    import nbformat

    nb = _math_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print('x')", outputs=[nbformat.v4.new_output("stream", text="x\n")]))
    page = handouts.render_html(nb, "zh", "公式", depth=1)
    remote = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+|@import[^;]*https?://[^;]+|url\(\s*["']?https?://""",
                        page, re.I)
    assert remote == []
    assert '<html lang="zh-CN">' in page
    mathjax = re.search(r'<script src="([^"]*mathjax[^"]*)"', page).group(1)
    assert mathjax == "../mathjax/tex-svg.js"
    require_mathjax()
    copied = handouts.copy_mathjax(tmp_path)
    assert (tmp_path / "zh" / mathjax).resolve() == (copied / "tex-svg.js").resolve()
    assert (copied / "tex-svg.js").stat().st_size > 1_000_000  # MathJax 3 with its SVG glyphs


def test_the_cheat_sheet_and_the_appendix_are_pages_whose_lesson_links_point_at_handouts():
    nb = handouts.doc_notebook(ROOT / "docs" / "yolo_explanation.zh.md")
    links = re.findall(r"\]\(([^)]+)\)", nb.cells[0].source)
    assert links and not [x for x in links if x.endswith(".ipynb")], links
    assert all(x.startswith("../../zh/") and x.endswith(".html") for x in links if "notebooks" not in x), links
    assert set(handouts.DOCS) == {"cheatsheet", "yolo_explanation"}
    assert all((ROOT / "docs" / f"{name}.{lang}.md").exists() for name in handouts.DOCS for lang in ("zh", "en"))


def test_an_answer_in_a_details_block_stays_folded():
    """A predict-first answer (``<details>`` around Markdown) stays inside its block on the page."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "**Predict first.** Longer?\n\n<details><summary>Answer</summary>\n\nNo: **capped** at 3.\n\n</details>")])
    page = handouts.render_html(nb, "en", "t", depth=1)
    block = re.search(r"<details>.*?</details>", page, re.S).group(0)
    assert "capped" in block


# --- the built handouts in Chromium -----------------------------------------------------------------------------

def require_mathjax():
    """MathJax comes from npm (installed once into build/node-mathjax/): without npm, skip (or fail in CI)."""
    if (handouts.NODE_DIR / "node_modules" / "mathjax" / "es5" / "tex-svg.js").exists() or shutil.which("npm"):
        return
    why = "npm is not installed (apt-get install nodejs npm): the handouts install MathJax with it"
    if REQUIRED:
        pytest.fail(f"LRLIB_REQUIRE_BROWSER=1 but {why}")
    pytest.skip(why)


def require_browser():
    require_mathjax()
    why = missing_requirements()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"LRLIB_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The handouts of LESSONS in both languages, a formulas page, the index; PDFs of all."""
    require_browser()
    out = tmp_path_factory.mktemp("handouts")
    pages = handouts.build_pages(out, only=LESSONS, guides=True, deeper=False)
    math = handouts.Page("zh", "formulas", "公式", out / "zh" / "formulas.html")
    math.html.write_text(handouts.render_html(_math_notebook(), "zh", "公式", depth=1), encoding="utf-8")
    pages.append(math)
    handouts.print_pdfs(pages)
    handouts.write_index(out)
    return out, pages


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


def open_offline(browser, path: Path):
    """Open ``path`` with every non-local request refused; returns (page, refused URLs, console errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, refused = handouts.offline_page(context)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    handouts.wait_until_typeset(page)
    return page, refused, errors


def platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium used to draw the text under ``selector`` (DevTools' CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def mark_first_text(page, pattern: str, mark: str) -> str | None:
    """Give the first visible heading, paragraph, list item or table cell matching ``pattern`` the id ``mark``."""
    found = page.evaluate("""([pattern, mark]) => {
        const re = new RegExp(pattern);
        for (const el of document.querySelectorAll('.jp-RenderedMarkdown :is(h1, h2, p, li, td, th)')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && re.test(el.textContent)) { el.id = mark; return true; }
        }
        return false;
    }""", [pattern, mark])
    return f"#{mark}" if found else None


LOOK = r"""(widgetCells) => {
    const all = [...document.querySelectorAll('main > .jp-Cell, .jp-Notebook > .jp-Cell')];
    const rawMath = [];
    for (const md of document.querySelectorAll('.jp-RenderedMarkdown')) {
        const copy = md.cloneNode(true);
        copy.querySelectorAll('code, pre, script, mjx-container').forEach(e => e.remove());
        const m = copy.textContent.match(/\$[^$\s][^$]*\$/);
        if (m) rawMath.push(m[0]);
    }
    return {
        bad: [...document.querySelectorAll("[data-mime-type='application/vnd.jupyter.stderr'], "
                                          + "[data-mime-type='application/vnd.jupyter.error']")]
             .map(e => e.innerText.slice(0, 300)),
        text: document.body.innerText,
        rawMath,
        texErrors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
        formulas: [...document.querySelectorAll('mjx-container')].map(e => {
            const r = e.getBoundingClientRect();
            return [e.getAttribute('display') === 'true', r.width, r.height, e.querySelectorAll('svg path, svg use').length];
        }),
        // tables wider than the cell that holds them (they scroll sideways on screen and lose columns in the PDF)
        wideTables: [...document.querySelectorAll('.jp-RenderedMarkdown table')]
            .filter(tb => tb.getBoundingClientRect().width > tb.closest('.jp-RenderedMarkdown').clientWidth + 1)
            .map(tb => tb.innerText.slice(0, 80)),
        explorers: widgetCells.map(i => [...(all[i] ? all[i].querySelectorAll('.jp-OutputArea-output img') : [])]
            .map(img => [img.naturalWidth, img.naturalHeight, img.getBoundingClientRect().width,
                         img.getBoundingClientRect().height])),
    };
}"""


@pytest.fixture(scope="module")
def looked(site, browser):
    """Every page opened once, offline: what each check needs, by page."""
    out, pages = site
    seen = {}
    for pg in pages:
        page, refused, errors = open_offline(browser, pg.html)
        try:
            info = page.evaluate(LOOK, pg.widget_cells)
            info.update(refused=refused, errors=errors)
            cjk = mark_first_text(page, CJK.pattern, "cjk-probe")
            info["cjk_fonts"] = platform_fonts(page, cjk) if cjk else None
            latin = mark_first_text(page, "[A-Za-z]{4}", "latin-probe")
            info["latin_fonts"] = platform_fonts(page, latin) if latin else None
        finally:
            page.context.close()
        seen[pg.html] = info
    return seen


def test_the_pages_need_no_network_and_show_no_error(site, looked):
    out, pages = site
    for pg in pages:
        info = looked[pg.html]
        assert info["refused"] == [], f"{pg.html.name} asked for {info['refused']}"
        assert info["errors"] == [], f"{pg.html.name}: console errors {info['errors']}"
        assert info["bad"] == [], f"{pg.html.name}: error or stderr output {info['bad']}"
        assert info["wideTables"] == [], f"{pg.html.name}: tables wider than the page {info['wideTables']}"
        for leaked in ("Traceback (most recent call last)", "VBox(children", "Image(value=", "HBox(children"):
            assert leaked not in info["text"], f"{pg.html.name} shows {leaked!r}"


def test_every_explorer_is_an_image_of_its_starting_state(site, looked):
    out, pages = site
    assert any(pg.widget_cells for pg in pages), "none of the lessons built here displays an explorer"
    for pg in pages:
        for cell, imgs in zip(pg.widget_cells, looked[pg.html]["explorers"]):
            assert imgs, f"{pg.html.name}: the explorer of cell {cell} has no image"
            for nw, nh, w, h in imgs:
                assert nw > 100 and nh > 50 and w > 100 and h > 50, (pg.html.name, cell, nw, nh, w, h)


def test_chinese_is_drawn_with_a_cjk_font_of_the_machine(site, looked):
    out, pages = site
    checked = {"zh": 0, "en": 0}
    for pg in pages:
        fonts = looked[pg.html]["cjk_fonts"]
        if fonts is None:
            assert pg.lang != "zh", f"{pg.html.name}: no Chinese text on a Chinese page"
            continue
        assert not any(f["isCustomFont"] for f in fonts), f"{pg.html.name}: web fonts {fonts}"
        assert any(CJK_FONT.search(f["familyName"]) and f["glyphCount"] > 0 for f in fonts), \
            f"{pg.html.name}: the Chinese text is drawn with {fonts}"
        checked[pg.lang] += 1
    assert checked["zh"] >= 1
    for pg in pages:  # and the Latin text with the machine's fonts too
        fonts = looked[pg.html]["latin_fonts"]
        if pg.lang == "en":
            assert fonts and not any(f["isCustomFont"] for f in fonts) and all(f["glyphCount"] > 0 for f in fonts)


def test_formulas_are_typeset_and_no_dollar_sign_is_left(site, looked):
    out, pages = site
    for pg in pages:
        info = looked[pg.html]
        assert info["rawMath"] == [], f"{pg.html.name}: formulas left as text: {info['rawMath']}"
        assert info["texErrors"] == 0, f"{pg.html.name}: a TeX error"
        if pg.stem == "formulas":
            boxes = info["formulas"]
            assert [b[0] for b in boxes] == [False, True], boxes  # one inline formula, then one displayed
            assert all(w > 50 and h > 10 and glyphs > 5 for _d, w, h, glyphs in boxes), boxes
            assert "$5" in info["text"]  # an escaped dollar stays a dollar


def test_each_page_has_an_a4_pdf_and_the_index_links_them(site):
    out, pages = site
    for pg in pages:
        data = pg.pdf.read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 5_000, pg.pdf
        boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        assert boxes and all(abs(float(w) - 595.9) < 1.5 and abs(float(h) - 842.9) < 1.5 for w, h in boxes), boxes[:3]
    index = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', index))
    for pg in pages:
        if pg.stem == "formulas":
            continue
        rel = pg.html.relative_to(out).as_posix()
        assert rel in links, f"index.html does not link {rel}"
        if pg.pdf and "guides/" not in rel:
            assert pg.pdf.relative_to(out).as_posix() in links
    assert all((out / link).exists() for link in links)
    assert handouts.WORDS["zh"]["site"] in index and handouts.WORDS["en"]["site"] in index
