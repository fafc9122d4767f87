"""Run All in headless Chromium on every Chinese student notebook: no error output, no console error,
no explorer message left showing (see ``_run_all.py``; the English ones, and the test that shows the check can fail, are in
``test_run_all_en.py``).
"""

from __future__ import annotations

from _run_all import language_tests

LANG = "zh"

lab, test_jupyterlab_loads_without_console_errors, test_run_all_shows_no_error = language_tests(LANG)

