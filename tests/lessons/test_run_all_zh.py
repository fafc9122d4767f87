"""Run All in headless Chromium on every Chinese student notebook: no error output, no console error,
no explorer message left showing (see ``_run_all.py``; the English ones, and the test that shows the check can fail, are in
``test_run_all_en.py``).
"""

from __future__ import annotations

import pytest

from _run_all import lab_sessions, lab_with_notebooks, notebook_params, run_all

LANG = "zh"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab over a copy of ``notebooks/zh``, one Chromium page, for the whole module."""
    with lab_with_notebooks(LANG, tmp_path_factory.mktemp(f"run_all_{LANG}")) as lab:
        yield lab


def test_jupyterlab_loads_without_console_errors(lab):
    assert lab.at_load == [], lab.at_load


@pytest.mark.parametrize("name", notebook_params(LANG))
def test_run_all_shows_no_error(lab, name, record_property):
    result = run_all(lab, f"{LANG}/{name}.ipynb", LANG)
    record_property("run_all_seconds", round(result.seconds, 1))
    assert not result.problems(), result.report()
    assert lab_sessions(lab.url) == [], "the notebook's kernel is still running after it was closed"

