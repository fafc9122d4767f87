"""Run All in headless Chromium on every English student notebook: no error output, no console error,
no explorer message left showing (see ``_run_all.py``; the Chinese ones are in ``test_run_all_zh.py``).

Also shows that the check can fail: a small notebook whose cells raise, write to stderr, log a
console error and leave explorer messages is reported with each of them.
"""

from __future__ import annotations

from _run_all import Result, lab_sessions, language_tests, run_all
from test_browser import write_notebook

LANG = "en"

lab, test_jupyterlab_loads_without_console_errors, test_run_all_shows_no_error = language_tests(LANG)


BROKEN = [
    'print("fine")',
    'import sys\nprint("a warning on stderr", file=sys.stderr)',
    'from IPython.display import Javascript, display\ndisplay(Javascript("console.error(\'boom in the page\')"))',
    # an explorer's message line (lrcourse.explorers._Message), as a setting that does not work shows it
    'import lrcourse\nlrcourse.set_language("en")\nfrom lrcourse.explorers import SeedRecipeExplorer\n'
    'explorer = SeedRecipeExplorer()\nexplorer._show_problem("made up for the test")\nexplorer',
    # live_figure's readout when draw raises
    'import ipywidgets as widgets\nfrom matplotlib.figure import Figure\nfrom lrcourse.explorers import live_figure\n'
    'fig = Figure(figsize=(3, 2))\n'
    'def draw(x):\n    raise ValueError("x does not work")\n'
    'box, readout, image = live_figure(fig, {"x": widgets.FloatSlider(value=1.0)}, draw)\nbox',
    'raise ValueError("a cell that raises")',
    'print("never run")',
]


def test_a_notebook_with_errors_is_reported(lab):
    """The same helper reports each kind of problem, with its cell."""
    write_notebook(lab.root / "broken.ipynb", BROKEN)
    result: Result = run_all(lab, "broken.ipynb", LANG)
    assert result.unrun == [6]
    assert result.errors == ["cell 5: ValueError: a cell that raises"]
    assert result.stderr == ["cell 1: a warning on stderr"]
    assert any(e.startswith("cell 5:") and "Traceback" in e for e in result.page_errors), result.page_errors
    assert any("boom in the page" in c for c in result.console), result.console
    assert any(m.startswith("cell 3:") and "made up for the test" in m for m in result.messages), result.messages
    assert any(m.startswith("cell 4:") and "x does not work" in m for m in result.messages), result.messages
    assert len(result.problems()) >= 6
    assert lab_sessions(lab.url) == []
