"""A student whose Python has no lrlib: the lesson's first cell says, in the lesson's language, what to run.

The first code cell of every lesson source is executed in a kernel where ``import lrlib`` raises
ImportError (a package named ``lrlib`` whose ``__init__`` raises, first on PYTHONPATH), once with
the kernel in the repository's ``notebooks/<lang>/`` folder (the cell finds the repository and
prints the ``%pip install`` line with its path) and once in a folder outside any repository
(the cell prints the line with a placeholder). The cell must print the instructions in the
source's language and stop with a one-line ``SystemExit``, not a traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
pytest.importorskip("ipykernel")
from jupyter_client.manager import KernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = sorted((ROOT / "lessons").glob("*/[0-9][0-9]_*.md"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# What the message says in each language (its first words), and the placeholder for the repository.
SAYS = {"zh": ("这个笔记本要用到 lrlib 和 lrcourse", "重启内核", "<课程仓库所在的文件夹>"),
        "en": ("This notebook needs two packages, lrlib and lrcourse", "restart the kernel",
               "<the folder of the course repository>")}


def _first_code_cell(path: Path) -> str:
    cells = jupytext.read(path, fmt="md:myst").cells
    return next(c.source for c in cells if c.cell_type == "code")


@pytest.fixture(scope="module")
def env_without_lrlib(tmp_path_factory):
    """The environment of a kernel in which ``import lrlib`` raises ImportError (and so does lrcourse's import)."""
    shadow = tmp_path_factory.mktemp("no_lrlib")
    (shadow / "lrlib").mkdir()
    (shadow / "lrlib" / "__init__.py").write_text(
        'raise ImportError("lrlib is hidden for this test (tests/lessons/test_without_the_packages.py)")\n',
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "LRLIB_LANG")}
    env["PYTHONPATH"] = os.pathsep.join([str(shadow), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def _run(code_by_name: dict[str, str], cwd: Path, env: dict) -> dict[str, dict]:
    """Run each code in one kernel (started in ``cwd``); return its stdout, status and error per name."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), env=env)
    kc = km.client()
    kc.start_channels()
    results = {}
    try:
        kc.wait_for_ready(timeout=60)
        for name, code in code_by_name.items():
            out = {"stdout": "", "error": None}

            def hook(msg, out=out):
                if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                    out["stdout"] += msg["content"]["text"]
                elif msg["msg_type"] == "error":
                    out["error"] = msg["content"]
            reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
            out["status"] = reply["content"]["status"]
            results[name] = out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return results


def test_lrlib_is_really_missing_in_that_kernel(env_without_lrlib, tmp_path):
    """The shadow package works: in that kernel ``import lrlib`` fails, and in the test's own Python it does not."""
    import lrlib  # noqa: F401

    got = _run({"probe": "import lrlib"}, tmp_path, env_without_lrlib)["probe"]
    assert got["status"] == "error" and got["error"]["ename"] == "ImportError"


@pytest.mark.parametrize("inside", [True, False], ids=["in the repository", "elsewhere"])
def test_first_cell_says_what_to_install_in_the_lessons_language(env_without_lrlib, tmp_path, inside):
    """Every lesson's first cell, without lrlib: the instructions in its language, then a one-line SystemExit."""
    assert len(SOURCES) >= 22
    for lang in ("zh", "en"):
        cwd = ROOT / "notebooks" / lang if inside else tmp_path
        codes = {p.relative_to(ROOT).as_posix(): _first_code_cell(p) for p in SOURCES if p.parent.name == lang}
        for where, got in _run(codes, cwd, env_without_lrlib).items():
            opening, restart, placeholder = SAYS[lang]
            out = got["stdout"]
            assert got["status"] == "error", where  # the notebook stops here ("Run All" goes no further)
            assert opening in out and restart in out, f"{where}: {out!r}"
            repo = str(ROOT) if inside else placeholder
            assert f'%pip install "{repo}" "{repo}/course"' in out, f"{where}: {out!r}"
            assert "python3 tools/dev.py lab" in out, where
            # the prose of the message is in the lesson's language
            prose = out.replace(placeholder, "")
            assert bool(CJK.search(prose)) == (lang == "zh"), f"{where}: {out!r}"
            err = got["error"]
            assert err["ename"] == "SystemExit", f"{where}: {err['ename']}: {err['evalue']}"
            assert bool(CJK.search(err["evalue"])) == (lang == "zh"), err["evalue"]
            shown = "".join(err["traceback"])
            assert "Traceback (most recent call last)" not in shown and len(err["traceback"]) <= 3, shown
