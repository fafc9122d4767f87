#!/usr/bin/env python3
"""Handouts: every lesson as a static web page and an A4 PDF, built and viewed offline.

    python3 tools/dev.py handouts              # the whole site, both languages
    python3 tools/dev.py handouts --only 03    # lesson 03 (and its "going deeper" notebook), both languages
    python3 tools/dev.py handouts --no-pdf     # the pages only (no Chromium needed)

It writes ``build/handouts/``::

    index.html               every lesson in both languages: page, PDF, teacher's guide
    zh/NN_slug.html  .pdf    the student edition of each lesson, executed, with its outputs
    en/NN_slug.html  .pdf
    guides/zh/NN_slug.html   the teacher's guides (``teacher/guides/{zh,en}/NN_slug.md``), if present
    guides/en/NN_slug.html
    docs/zh/cheatsheet.html .pdf         the one-page cheat sheet and the appendix of corrected claims
    docs/en/yolo_explanation.html .pdf   (``docs/*.{zh,en}.md``), its links pointing at the lesson pages
    mathjax/                 MathJax 3 (its SVG output: no font files), so formulas need no CDN

How a page is made:

1. Each student notebook (``notebooks/{zh,en}/*.ipynb``) is executed in a copy, in a folder
   named after its language (so that ``lrcourse.lesson_language()`` finds it), by nbclient
   with a kernel of this interpreter. A cell that fails stops the build and names the lesson.
2. An explorer's output is a live widget, which a static page cannot show (nbconvert would
   need the widget manager from a CDN, and would then show no plot: the plot is drawn by the
   kernel). So right after each cell that displays a widget, the kernel is asked for the PNG
   its ``Image`` widgets hold (the explorer's starting state), and that PNG is added to the
   output as ``image/png``, next to the widget view that stays in the bundle.
3. nbconvert's ``lab`` template renders the page, with its CDN scripts left out (require.js,
   the widget manager, mermaid) and MathJax loaded from ``../mathjax/``: MathJax 3's
   ``tex-svg.js``, installed once from npm (the ``mathjax`` package, into ``build/node-mathjax/``)
   and copied next to the pages. Its SVG output draws formulas as paths, so it loads no font
   (a page opened from disk may not load fonts). The pages name fonts installed on the machine
   (a CJK font such as Noto Sans CJK or WenQuanYi Micro Hei for the Chinese), never web fonts.
4. Headless Chromium (Playwright with Debian's ``/usr/bin/chromium``) prints each page to an
   A4 PDF, refusing every request that is not a local file; the build fails if a page asked
   for anything else.

References: nbclient (https://nbclient.readthedocs.io), nbconvert's HTMLExporter and templates
(https://nbconvert.readthedocs.io/en/latest/customizing.html), MathJax 3's configuration
(https://docs.mathjax.org/en/v3.2-latest/options/index.html), Playwright's ``page.pdf``
(https://playwright.dev/python/docs/api/class-page#page-pdf).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "handouts"
LANGS = ("zh", "en")
CHROMIUM = os.environ.get("LRLIB_CHROMIUM", "/usr/bin/chromium")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATHJAX_NPM = "mathjax@3.2.2"  # the MathJax team's own package
NODE_DIR = ROOT / "build" / "node-mathjax"  # where npm installs it (its cache too)

WORDS = {
    "zh": {"site": "学习率调度：课程讲义", "lesson": "课", "page": "网页", "pdf": "PDF（打印）",
           "deeper": "深入阅读", "guide": "教师指南（含答案）", "column": "中文",
           "widget": "（交互控件：在 JupyterLab 中打开本课即可操作）",
           "about": "每一课的学生版，已运行，附全部输出；探索器显示为其初始状态的图像。"},
    "en": {"site": "Learning-rate schedules: handouts", "lesson": "Lesson", "page": "page", "pdf": "PDF (print)",
           "deeper": "going deeper", "guide": "teacher's guide (with answers)", "column": "English",
           "widget": "(an interactive control: open the lesson in JupyterLab to use it)",
           "about": "The student edition of each lesson, executed, with all its outputs; "
                    "each explorer appears as an image of its starting state."},
}

# Fonts installed on the machine, never web fonts: Latin first, then the CJK fonts of the
# common systems (Debian/Ubuntu's Noto CJK and WenQuanYi, macOS, Windows).
CJK_FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", '
             '"Hiragino Sans GB", "Microsoft YaHei"')
HANDOUT_CSS = f"""
:root {{
  --jp-ui-font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, {CJK_FONTS}, sans-serif;
  --jp-content-font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, {CJK_FONTS}, sans-serif;
  --jp-code-font-family: "DejaVu Sans Mono", Menlo, Consolas, "WenQuanYi Micro Hei Mono", {CJK_FONTS}, monospace;
}}
body {{ max-width: 60rem; margin: 0 auto; padding: 1rem; }}
/* long code lines and printed tables wrap instead of running off the page */
.jp-InputArea-editor pre, .jp-RenderedText pre {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
.jp-OutputArea-output img {{ max-width: 100%; height: auto; }}
/* wide Markdown tables (the cheat sheet) wrap their code and shrink a little instead of scrolling sideways */
.jp-RenderedHTMLCommon table {{ table-layout: auto; max-width: 100%; font-size: 0.85em; }}
.jp-RenderedHTMLCommon td code, .jp-RenderedHTMLCommon th code {{ white-space: normal; overflow-wrap: anywhere; }}
@media print {{
  body {{ max-width: none; padding: 0; }}
  .jp-OutputArea-output img, .jp-RenderedHTMLCommon table {{ break-inside: avoid; }}
}}
"""

TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<script>
window.MathJax = {
  tex: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
        processEscapes: true, processEnvironments: true},
  svg: {fontCache: "global"},
  options: {enableMenu: false},
  startup: {pageReady: function () {
    return MathJax.startup.defaultPageReady().then(function () {
      document.documentElement.setAttribute("data-mathjax", "done");
    });
  }}
};
</script>
<script src="{{ resources.mathjax_url }}"></script>
{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}
<style type="text/css">{{ resources.handout_css }}</style>
{%- endblock extra_css -%}
"""

# Run in the kernel right after a cell that displayed widgets: the PNG of every Image widget
# in each displayed widget's tree, as JSON on stdout. ipywidgets 8 keeps its widgets in
# ``widget._instances``, ipywidgets 7 in ``Widget.widgets``.
PROBE = r"""
def _handout_images(model_ids):
    import base64, json
    import ipywidgets
    registry = getattr(ipywidgets.widgets.widget, "_instances", None)
    if registry is None:
        registry = ipywidgets.Widget.widgets
    def images(w, seen):
        if id(w) in seen:
            return
        seen.add(id(w))
        if isinstance(w, ipywidgets.Image) and w.value:
            yield {"format": w.format, "data": base64.b64encode(bytes(w.value)).decode("ascii")}
        for child in getattr(w, "children", None) or ():
            yield from images(child, seen)
    found = {m: list(images(registry[m], set())) if m in registry else [] for m in model_ids}
    print("HANDOUT-IMAGES " + json.dumps(found))
_handout_images(%s)
del _handout_images
"""


@dataclass
class Page:
    """One built page: where it is, and what a check should find on it."""

    lang: str
    stem: str
    title: str
    html: Path
    pdf: Path | None = None
    widget_cells: list[int] = field(default_factory=list)  # cells whose output is an explorer/widget
    seconds: float = 0.0


def _say(msg: str) -> None:
    print(f"[handouts] {msg}", flush=True)


def mathjax_dir() -> Path:
    """MathJax 3's browser files (``es5/``), installed from npm into ``build/node-mathjax/`` on first use."""
    es5 = NODE_DIR / "node_modules" / "mathjax" / "es5"
    if (es5 / "tex-svg.js").exists():
        return es5
    if shutil.which("npm") is None:
        raise RuntimeError("the handouts need MathJax, installed once with npm: install Node.js and npm "
                           "(Debian/Ubuntu: apt-get install nodejs npm)")
    _say(f"installing {MATHJAX_NPM} from npm into {NODE_DIR.relative_to(ROOT)}/ (once)")
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error",
           "--cache", str(NODE_DIR / "npm-cache"), "--prefix", str(NODE_DIR), MATHJAX_NPM]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode or not (es5 / "tex-svg.js").exists():
        raise RuntimeError(f"could not install {MATHJAX_NPM} with npm (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return es5


def copy_mathjax(out: Path) -> Path:
    """Copy MathJax into ``out/mathjax``: ``tex-svg.js`` and the TeX extensions it loads on demand."""
    dest = out / "mathjax"
    src = mathjax_dir()
    if (dest / "tex-svg.js").exists() and (dest / "tex-svg.js").stat().st_size == (src / "tex-svg.js").stat().st_size:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "input" / "tex").mkdir(parents=True)
    shutil.copy2(src / "tex-svg.js", dest / "tex-svg.js")
    shutil.copytree(src / "input" / "tex" / "extensions", dest / "input" / "tex" / "extensions")
    shutil.copy2(src.parent / "LICENSE", dest / "LICENSE")
    return dest


def notebook_title(nb) -> str:
    """The text of the notebook's first ``# `` heading (its file name if it has none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+?)\s*$", cell.source, re.M)
            if m:
                return re.sub(r"[*_`]", "", m.group(1))
    return nb.metadata.get("title", "")


def _widget_ids(cell) -> list[str]:
    return [o["data"][WIDGET_VIEW]["model_id"] for o in cell.get("outputs", [])
            if o.get("output_type") in ("display_data", "execute_result") and WIDGET_VIEW in o.get("data", {})]


def attach_widget_images(cell, images: dict, lang: str) -> None:
    """Give each widget output of ``cell`` a static view: the PNG(s) of its Image widgets.

    One image becomes ``image/png``; several become ``text/html`` with one ``<img>`` each; a widget
    without an image gets a short note in the lesson's language instead of its text repr.

    Example:
        >>> import nbformat
        >>> cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data",
        ...     data={WIDGET_VIEW: {"model_id": "m1"}, "text/plain": "VBox(...)"})])
        >>> attach_widget_images(cell, {"m1": [{"format": "png", "data": "iVBORw0KGgo="}]}, "en")
        >>> sorted(cell.outputs[0].data)
        ['application/vnd.jupyter.widget-view+json', 'image/png', 'text/plain']
    """
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if WIDGET_VIEW not in data:
            continue
        pngs = [i["data"] for i in images.get(data[WIDGET_VIEW]["model_id"], []) if i["format"] == "png"]
        if len(pngs) == 1:
            data["image/png"] = pngs[0]
        elif pngs:
            data["text/html"] = "".join(f'<img src="data:image/png;base64,{p}" alt="">' for p in pngs)
        else:
            data["text/html"] = f"<p><em>{html.escape(WORDS[lang]['widget'])}</em></p>"


def _kernel_manager_class():
    """Kernels on Unix sockets where there are any (no TCP port to collide with, as in ``tools/kernel_ipc.py``)."""
    from jupyter_client.manager import AsyncKernelManager

    if os.name != "posix":
        return AsyncKernelManager

    class UnixSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(tempfile.gettempdir(), f"lrlib-handout-{uuid.uuid4().hex[:12]}"))
            super().__init__(**kwargs)

    return UnixSocketKernelManager


def execute(path: Path, lang: str, timeout: int = 600):
    """Execute a copy of notebook ``path`` as a student would (kernel started in a folder named ``lang``).

    Returns the executed notebook, each widget output carrying the PNG of its starting state, and
    the indices of the cells that displayed widgets.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="lrlib-handout-") as tmp:
        workdir = Path(tmp) / lang
        workdir.mkdir()
        shutil.copy2(path, workdir / path.name)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                                resources={"metadata": {"path": str(workdir)}},
                                kernel_manager_class=_kernel_manager_class())
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # it would turn the inline figures off
        widget_cells = []
        with client.setup_kernel(env=env):
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
                ids = _widget_ids(cell)
                if not ids:
                    continue
                widget_cells.append(index)
                probe = nbformat.v4.new_code_cell(PROBE % json.dumps(ids))
                nb.cells.append(probe)  # nbclient looks a cell up by its index
                try:
                    client.execute_cell(probe, len(nb.cells) - 1)
                finally:
                    nb.cells.pop()
                text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
                m = re.search(r"^HANDOUT-IMAGES (.*)$", text, re.M)
                attach_widget_images(cell, json.loads(m.group(1)) if m else {}, lang)
    nb.metadata.pop("widgets", None)  # no widget state: the page would load the widget manager from a CDN
    return nb, widget_cells


def exporter():
    """nbconvert's HTMLExporter on the ``lab`` template, without CDN scripts (see TEMPLATE)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.utils.base import NbConvertBase
    from traitlets.config import Config

    # A widget view cannot show on a static page: its image/png (or note) is shown instead.
    # No embed_images: it parses each HTML block of the Markdown on its own, which closes a
    # <details> before the answer inside it (the answer would show). The lessons' figures are outputs.
    priority = [m for m in NbConvertBase().display_data_priority if m != WIDGET_VIEW]
    quiet = logging.getLogger("handouts.nbconvert")  # (not its warning that figures have no alt text)
    quiet.setLevel(logging.ERROR)
    return HTMLExporter(config=Config({"NbConvertBase": {"display_data_priority": priority}}), log=quiet,
                        template_name="lab", extra_loaders=[DictLoader({"handout.html.j2": TEMPLATE})],
                        template_file="handout.html.j2",
                        exclude_input_prompt=True, exclude_output_prompt=True)


def render_html(nb, lang: str, title: str, depth: int) -> str:
    """The page of notebook ``nb``; ``depth`` folders below the site's root (for the path to MathJax)."""
    exp = exporter()
    exp.mathjax_url = "../" * depth + "mathjax/tex-svg.js"
    nb.metadata["title"] = title
    body, _ = exp.from_notebook_node(nb, resources={"handout_css": HANDOUT_CSS, "metadata": {"name": title}})
    lang_code = "zh-CN" if lang == "zh" else "en"
    return re.sub(r"<html[^>]*>", f'<html lang="{lang_code}">', body, count=1)


def guide_notebook(path: Path):
    """A teacher's guide (plain Markdown) as a one-cell notebook, to render like a lesson."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(path.read_text(encoding="utf-8"))]
    return nb


def lesson_notebooks(langs=LANGS, only=None, deeper: bool = True) -> list[tuple[str, Path]]:
    """The student notebooks, ``(lang, path)``, of the lessons numbered in ``only`` (all if ``None``),
    with their "going deeper" notebooks unless ``deeper=False``."""
    found = []
    for lang in langs:
        for p in sorted((ROOT / "notebooks" / lang).glob("*.ipynb")):
            if (only is None or p.stem.split("_", 1)[0] in only) and (deeper or not p.stem.endswith("_deeper")):
                found.append((lang, p))
    return found


# The course's one-page documents (``docs/NAME.{zh,en}.md``), rendered beside the lessons: the cheat sheet and the
# appendix that quotes the explanation of the YOLO recipe the lessons correct.
DOCS = ("cheatsheet", "yolo_explanation")
_NOTEBOOK_LINK = re.compile(r"\]\(\.\./notebooks/(zh|en)/([\w-]+)\.ipynb\)")


def doc_notebook(path: Path):
    """A document of ``docs/`` as a one-cell notebook; its links to lesson notebooks point at their handouts."""
    nb = guide_notebook(path)
    nb.cells[0].source = _NOTEBOOK_LINK.sub(r"](../../\1/\2.html)", nb.cells[0].source)
    return nb


def build_pages(out: Path = OUT, langs=LANGS, only=None, guides: bool = True, deeper: bool = True,
                docs: bool = True) -> list[Page]:
    """Execute and render the lessons (and guides, and the documents of ``docs/``) into ``out``; returns the pages."""
    copy_mathjax(out)
    pages = []
    for lang, path in lesson_notebooks(langs, only, deeper):
        start = time.perf_counter()
        _say(f"running {lang}/{path.name}")
        try:
            nb, widget_cells = execute(path, lang)
        except Exception as exc:
            raise SystemExit(f"{lang}/{path.name} failed to run, so its handout was not built:\n{exc}") from exc
        title = notebook_title(nb) or path.stem
        target = out / lang / f"{path.stem}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_html(nb, lang, title, depth=1), encoding="utf-8")
        pages.append(Page(lang, path.stem, title, target, widget_cells=widget_cells,
                          seconds=time.perf_counter() - start))
    def markdown_page(nb, lang: str, name: str, folder: str) -> Page:
        """A one-cell notebook of Markdown written to ``out/folder/lang/name.html``."""
        title = notebook_title(nb) or name
        target = out / folder / lang / f"{name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_html(nb, lang, title, depth=2), encoding="utf-8")
        return Page(lang, name, title, target)

    if guides:
        for lang in langs:
            for md in sorted((ROOT / "teacher" / "guides" / lang).glob("*.md")):
                if only is None or md.stem.split("_", 1)[0] in only:
                    pages.append(markdown_page(guide_notebook(md), lang, md.stem, "guides"))
    if docs:
        pages += [markdown_page(doc_notebook(ROOT / "docs" / f"{name}.{lang}.md"), lang, name, "docs")
                  for lang in langs for name in DOCS]
    return pages


def offline_page(context):
    """A page of browser ``context`` that refuses every request not to a local file; returns (page, refused)."""
    refused = []
    page = context.new_page()

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            refused.append(url)
            r.abort()

    page.route("**/*", route)
    return page, refused


def wait_until_typeset(page) -> None:
    """Wait for MathJax to finish typesetting (the page sets ``data-mathjax``) and for the images to load."""
    page.wait_for_function("() => document.documentElement.getAttribute('data-mathjax') === 'done'")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")


def print_pdfs(pages: list[Page]) -> None:
    """Print each page to an A4 PDF next to it with headless Chromium; fail if a page asked for the network."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            context = browser.new_context()
            for pg in pages:
                page, refused = offline_page(context)
                page.set_default_timeout(120_000)
                page.goto(pg.html.resolve().as_uri())
                wait_until_typeset(page)
                pg.pdf = pg.html.with_suffix(".pdf")
                page.pdf(path=str(pg.pdf), format="A4", print_background=True,
                         margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
                page.close()
                if refused:
                    raise SystemExit(f"{pg.html} asked for {refused[:5]}: a handout must not need the network")
        finally:
            browser.close()


def write_index(out: Path, langs=LANGS) -> Path:
    """``out/index.html``: each lesson in both languages (page, PDF), its going-deeper notebook and guides."""
    import nbformat

    rows: dict[str, dict] = {}
    for lang in langs:
        for page in sorted((out / lang).glob("*.html")):
            number = page.stem.split("_", 1)[0]
            title = ""
            src = ROOT / "notebooks" / lang / f"{page.stem}.ipynb"
            if src.exists():
                title = notebook_title(nbformat.read(src, as_version=4))
            kind = "deeper" if page.stem.endswith("_deeper") else "main"
            rows.setdefault(number, {}).setdefault(lang, {})[kind] = (page, title or page.stem)
        for guide in sorted((out / "guides" / lang).glob("*.html")):
            rows.setdefault(guide.stem.split("_", 1)[0], {}).setdefault(lang, {})["guide"] = guide

    def link(path: Path, text: str) -> str:
        return f'<a href="{html.escape(path.relative_to(out).as_posix())}">{html.escape(text)}</a>'

    def cell(lang: str, entry: dict) -> str:
        w = WORDS[lang]
        parts = []
        if "main" in entry:
            page, title = entry["main"]
            pdf = page.with_suffix(".pdf")
            parts.append(f"<strong>{link(page, title)}</strong>" + (f" · {link(pdf, w['pdf'])}" if pdf.exists() else ""))
        if "deeper" in entry:
            page, _title = entry["deeper"]
            pdf = page.with_suffix(".pdf")
            parts.append(link(page, w["deeper"]) + (f" · {link(pdf, w['pdf'])}" if pdf.exists() else ""))
        if "guide" in entry:
            parts.append(link(entry["guide"], w["guide"]))
        return f'<td lang="{"zh-CN" if lang == "zh" else "en"}">' + "<br>".join(parts) + "</td>"

    head = "".join(f'<th lang="{"zh-CN" if lang == "zh" else "en"}">{html.escape(WORDS[lang]["column"])}</th>'
                   for lang in langs)
    body = "\n".join(f"<tr><td>{html.escape(n)}</td>{''.join(cell(lang, r.get(lang, {})) for lang in langs)}</tr>"
                     for n, r in sorted(rows.items()))
    about = "".join(f'<p lang="{"zh-CN" if lang == "zh" else "en"}">{html.escape(WORDS[lang]["about"])}</p>'
                    for lang in langs)
    doc_links = []
    for lang in langs:
        found = [out / "docs" / lang / f"{name}.html" for name in DOCS]
        items = []
        for page in (f for f in found if f.exists()):
            title = notebook_title(doc_notebook(ROOT / "docs" / f"{page.stem}.{lang}.md")) or page.stem
            pdf = page.with_suffix(".pdf")
            items.append(link(page, title) + (f" · {link(pdf, WORDS[lang]['pdf'])}" if pdf.exists() else ""))
        if items:
            doc_links.append(f'<p lang="{"zh-CN" if lang == "zh" else "en"}">' + "<br>".join(items) + "</p>")
    docs_html = "\n".join(doc_links)
    text = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(" · ".join(WORDS[lang]["site"] for lang in langs))}</title>
<style>
body {{ font-family: system-ui, "DejaVu Sans", Arial, {CJK_FONTS}, sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.5rem; text-align: left; vertical-align: top; }}
</style>
</head>
<body>
<h1>{html.escape(WORDS["zh"]["site"])}<br><span lang="en">{html.escape(WORDS["en"]["site"])}</span></h1>
{about}
<table>
<thead><tr><th></th>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
{docs_html}
</body>
</html>
"""
    index = out / "index.html"
    index.write_text(text, encoding="utf-8")
    return index


def build(out: Path = OUT, langs=LANGS, only=None, pdf: bool = True, guides: bool = True) -> list[Page]:
    """Build the handouts into ``out``: pages, PDFs (unless ``pdf=False``) and the index."""
    out.mkdir(parents=True, exist_ok=True)
    pages = build_pages(out, langs, only, guides)
    if pdf:
        _say(f"printing {len(pages)} PDFs with Chromium")
        print_pdfs(pages)
    write_index(out, langs)
    return pages


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", help="lesson number(s), e.g. 03 or 03,05 (default: all)")
    ap.add_argument("--lang", choices=LANGS, action="append", help="one language (default: both)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"output folder (default: {OUT.relative_to(ROOT)})")
    ap.add_argument("--no-pdf", action="store_true", help="pages only, no PDFs")
    ap.add_argument("--no-guides", action="store_true", help="leave the teacher's guides out")
    args = ap.parse_args(argv)
    only = None if not args.only else {n.strip().zfill(2) for a in args.only for n in a.split(",") if n.strip()}
    args.out = args.out.resolve()
    start = time.perf_counter()
    pages = build(args.out, tuple(args.lang or LANGS), only, pdf=not args.no_pdf, guides=not args.no_guides)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    for pg in pages:
        _say(f"{pg.html.relative_to(args.out)}  {pg.html.stat().st_size / 1e3:.0f} kB"
             + (f", PDF {pg.pdf.stat().st_size / 1e3:.0f} kB" if pg.pdf else "")
             + (f", ran in {pg.seconds:.1f} s" if pg.seconds else ""))
    _say(f"{len(pages)} pages in {time.perf_counter() - start:.0f} s; {args.out} holds {size / 1e6:.1f} MB; "
         f"open {(args.out / 'index.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
