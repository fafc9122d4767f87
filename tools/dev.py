#!/usr/bin/env python3
"""One entry point that does its own set-up.

    python3 tools/dev.py lab     # open the lessons in JupyterLab (the students' edition; --zh or --en)
    python3 tools/dev.py lab --teacher   # the teacher's edition: solutions and notes (--zh or --en)
    python3 tools/dev.py lab --torch     # first install PyTorch's CPU build into .venv (the PyTorch lessons)
    python3 tools/dev.py test    # run the whole test suite (unit, doctests, lessons in both languages,
                                 # the widget tests again on the oldest matplotlib allowed)

Both create a virtual environment in ``.venv`` on first use and install lrlib, the
course package (``course/``) and JupyterLab into it (again only when one of their
requirement files changes). ``lab --torch`` also installs PyTorch's CPU build into ``.venv``
(``pip install torch --index-url https://download.pytorch.org/whl/cpu``; skipped when ``import torch``
already works there), so the lessons' PyTorch cells run instead of skipping. Extra arguments
after ``lab`` go to JupyterLab; after ``test`` they go to pytest for the unit tests.

Other sub-commands: ``setup`` (just the environment; ``--test`` adds the test
tools), ``build`` (regenerate the student and teacher notebooks from ``lessons/``; ``--only 03``
for one lesson; ``--editions check`` writes the check edition into ``build/check/``), ``pull``
(carry edits made in the notebooks back into ``lessons/``, then build),
``test-oldest`` (only the widget tests, in ``.venv-oldest`` on the oldest matplotlib, numpy and
ipywidgets that the packages allow; ``test`` runs them too), ``handouts`` (every lesson executed,
as static pages and A4 PDFs in ``build/handouts/``, offline; ``--only 03``, ``--no-pdf``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("LRLIB_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def _run(cmd, **kw) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=kw.pop("cwd", ROOT), **kw)


def _install_inputs() -> bytes:
    """What the environment is made from: when any of it changes, install again."""
    files = ["pyproject.toml", "course/pyproject.toml", "requirements/lessons.txt", "requirements/test.txt",
             "requirements/classroom.txt", "requirements/handouts.txt", "tools/jupyterlab-overrides.json"]
    return b"".join((ROOT / f).read_bytes() for f in files)


def ensure_env(with_test: bool) -> None:
    """Create ``.venv`` and install lrlib and lrcourse (editable), the lessons' tools and, if asked, the test tools."""
    if not PY.exists():
        _say(f"creating a virtual environment in {VENV.relative_to(ROOT) if VENV.is_relative_to(ROOT) else VENV}")
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception as exc:  # Debian/Ubuntu ship venv without ensurepip
            sys.exit(f"could not create a virtual environment ({exc}).\n"
                     "On Debian/Ubuntu install it first: sudo apt-get install python3-venv")
    digest = hashlib.sha256(_install_inputs()).hexdigest()[:16]
    stamp = VENV / f".lrlib-installed-{'test' if with_test else 'run'}-{digest}"
    if stamp.exists() or (not with_test and (VENV / f".lrlib-installed-test-{digest}").exists()):
        return  # (the test install includes everything the lessons need)
    _say(f"installing lrlib, lrcourse and JupyterLab{' and the test tools' if with_test else ''} into the environment")
    reqs = ["-r", ROOT / "requirements" / "lessons.txt"]
    if with_test:
        reqs += ["-r", ROOT / "requirements" / "test.txt", "-r", ROOT / "requirements" / "classroom.txt",
                 "-r", ROOT / "requirements" / "handouts.txt"]
    rc = _run([PY, "-m", "pip", "install", "--disable-pip-version-check", "-q",
               "-e", ROOT, "-e", ROOT / "course", *reqs])
    if rc:
        sys.exit(f"pip install failed (exit {rc})")
    install_lab_overrides(VENV)
    stamp.touch()


def install_lab_overrides(prefix: Path) -> Path:
    """The course's JupyterLab defaults (``tools/jupyterlab-overrides.json``: long code lines wrap, so a
    slide at 1280x720 never scrolls sideways) merged into ``<prefix>/share/jupyter/lab/settings/overrides.json``,
    where JupyterLab reads the defaults of everyone using this environment; other entries there are kept."""
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    ours = json.loads((ROOT / "tools" / "jupyterlab-overrides.json").read_text(encoding="utf-8"))
    merged = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    for plugin, values in ours.items():
        merged.setdefault(plugin, {}).update(values)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return target


LAB_LOCALES = {"zh": "zh_CN", "en": "en"}  # JupyterLab's own menus: the zh-CN language pack, or English


def lab_settings_dir(lang: str) -> Path:
    """A JupyterLab user-settings folder whose display language is the lessons' ``lang``.

    JupyterLab reads its menus' language from the translation extension's setting; the
    course keeps one settings folder per language in the environment (your own JupyterLab
    settings elsewhere are left alone).
    """
    folder = VENV / "share" / "lrcourse" / f"lab-settings-{lang}"
    plugin = folder / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    plugin.parent.mkdir(parents=True, exist_ok=True)
    if not plugin.exists():  # a teacher's later changes to this file are kept
        plugin.write_text(json.dumps({"locale": LAB_LOCALES[lang]}, indent=2) + "\n", encoding="utf-8")
    return folder


TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"  # PyTorch's official index of CPU-only wheels


def torch_installed() -> bool:
    """Whether ``import torch`` works in the lessons' environment."""
    return _run([PY, "-c", "import torch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_torch() -> None:
    """Install PyTorch's CPU build into the lessons' environment, unless it is there already."""
    if torch_installed():
        _say("PyTorch is already installed in the environment")
        return
    _say(f"installing PyTorch's CPU build into the environment (from {TORCH_CPU_INDEX}; a few hundred MB)")
    rc = _run([PY, "-m", "pip", "install", "--disable-pip-version-check", "torch", "--index-url", TORCH_CPU_INDEX])
    if rc:
        sys.exit(f"pip install of torch failed (exit {rc}); the lessons also run without it: "
                 "python3 tools/dev.py lab")


def cmd_lab(args: list[str]) -> int:
    ensure_env(with_test=False)
    lang = "zh" if any(a == "--zh" for a in args) else "en" if any(a == "--en" for a in args) else None
    teacher = "--teacher" in args  # the teacher's edition lives outside notebooks/, out of the students' reach
    if "--torch" in args:  # PyTorch (CPU build) for the lessons' PyTorch cells
        ensure_torch()
    args = [a for a in args if a not in ("--zh", "--en", "--teacher", "--torch")]
    base = ROOT / ("teacher" if teacher else "notebooks")
    start = base / lang if lang else base
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        args.append("--allow-root")  # containers often run as root; JupyterLab refuses root without it
    env = dict(os.environ)
    if lang:
        env["JUPYTERLAB_SETTINGS_DIR"] = str(lab_settings_dir(lang))  # JupyterLab's menus in the lessons' language
    _say(f"opening JupyterLab in {start.relative_to(ROOT)}")
    return _run([BIN / "jupyter", "lab", f"--notebook-dir={start}", *args], env=env)


def cmd_handouts(args: list[str]) -> int:
    """``build/handouts/``: every lesson executed, as a static page and an A4 PDF (tools/handouts.py)."""
    ensure_env(with_test=False)
    req = ROOT / "requirements" / "handouts.txt"
    stamp = VENV / f".lrlib-installed-handouts-{hashlib.sha256(req.read_bytes()).hexdigest()[:16]}"
    if not stamp.exists():
        _say("installing the handout tools (nbclient, nbconvert, MathJax, Playwright) into the environment")
        if _run([PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", req]):
            sys.exit("pip install of requirements/handouts.txt failed")
        stamp.touch()
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # it would leak into the lesson kernels
    return _run([PY, ROOT / "tools" / "handouts.py", *args], env=env)


def cmd_build(args: list[str]) -> int:
    ensure_env(with_test=False)  # the lessons' environment has jupytext: no test tools needed
    return _run([PY, ROOT / "tools" / "build_lessons.py", *args])


def cmd_test(args: list[str]) -> int:
    ensure_env(with_test=True)
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # it would leak into the lesson kernels
    env.setdefault("PYTHONHASHSEED", "0")
    _say("unit tests and doctests")
    cores = os.cpu_count() or 1
    # in parallel, a file per worker (the browser, classroom and notebook tests start servers and kernels of
    # their own). Parallel kernels on TCP ports can collide ("Kernel died before replying to kernel_info");
    # on Unix sockets they cannot: see tools/kernel_ipc.py.
    workers = ["-n", str(min(4, cores)), "--dist", "loadfile"] if cores > 1 else []
    sockets = ["-p", "tools.kernel_ipc"] if os.name == "posix" else []
    rc_unit = _run([PY, "-m", "pytest", "tests", "lrlib", "course/lrcourse", "--doctest-modules", "-rs",  # -rs: why skipped
                    *(workers if "-n" not in args else []), *sockets, *args], env=env)
    rc_nb = 0
    if any((ROOT / "notebooks").glob("*/*.ipynb")):
        # The check edition (the teacher's cells plus the `check` cells that assert the lessons' claims) is
        # generated, not committed: build it, then run it and the student edition.
        _say("building the check edition of the lessons (build/check/)")
        rc_nb = _run([PY, ROOT / "tools" / "build_lessons.py", "--editions", "check"])
        _say("lessons, both languages, student and check editions, executed by nbval")
        rc_nb = rc_nb or _run([PY, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:python",
                               *sockets, "-o", "filterwarnings=", "--nbval-cell-timeout=120", *workers,
                               "notebooks/", "build/check/"], env=env)
    rc_old = cmd_test_oldest([])
    _say(f"unit tests: {'passed' if rc_unit == 0 else 'FAILED'}; lessons: {'passed' if rc_nb == 0 else 'FAILED'}; "
         f"widgets on the oldest matplotlib: {'passed' if rc_old == 0 else 'FAILED'}")
    return rc_unit or rc_nb or rc_old


# The widget tests once more, against the oldest releases lrlib and lrcourse allow (``name>=X`` read from both
# pyproject.toml files and installed as ``name==X``), in a second environment, ``.venv-oldest``.
OLDEST_VENV = Path(os.environ.get("LRLIB_VENV_OLDEST", ROOT / ".venv-oldest"))
OLDEST_TESTS = ["tests/course/test_widgets.py", "tests/course/test_figures.py", "tests/course/test_renderer.py"]
# Beyond the floors: the pyparsing of matplotlib 3.7's time (later ones deprecate the names it calls, an error
# under the tests' filterwarnings); ipywidgets 7 opens comms through ipykernel.comm, which today's ipykernel
# deprecates: that warning alone is let through.
OLDEST_EXTRAS = ["pyparsing==3.0.9"]
OLDEST_WARNINGS = ["-W", "ignore:The `ipykernel.comm.Comm` class has been deprecated:DeprecationWarning"]


def floor_pins() -> list[str]:
    """``name==X`` for every ``name>=X`` among lrlib's and lrcourse's runtime dependencies (not the extras)."""
    import re

    pins = []
    for f in ("pyproject.toml", "course/pyproject.toml"):
        text = (ROOT / f).read_text(encoding="utf-8")
        block = re.search(r"^dependencies = \[(.*?)\]\s*$", text, re.S | re.M).group(1)  # (to the list's end)
        for name, version in re.findall(r'"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)"', block):
            if f"{name}=={version}" not in pins:
                pins.append(f"{name}=={version}")
    return pins


def cmd_test_oldest(args: list[str]) -> int:
    """The widget tests in ``.venv-oldest``: lrlib and lrcourse (editable) on the oldest versions they allow."""
    oldest_py = OLDEST_VENV / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")
    pins = floor_pins() + OLDEST_EXTRAS
    stamp = OLDEST_VENV / f".lrlib-installed-{hashlib.sha256(' '.join(pins).encode()).hexdigest()[:16]}"
    if not stamp.exists():
        _say(f"installing lrlib and lrcourse on their oldest dependencies ({', '.join(pins)}) into "
             f"{OLDEST_VENV.relative_to(ROOT) if OLDEST_VENV.is_relative_to(ROOT) else OLDEST_VENV}")
        if not oldest_py.exists():
            venv.EnvBuilder(with_pip=True).create(OLDEST_VENV)
        rc = _run([oldest_py, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                   "-e", ROOT, "-e", ROOT / "course", *pins, "pytest>=7", "hypothesis>=6"])
        if rc:
            _say(f"pip install into {OLDEST_VENV.name} failed (exit {rc})")
            return rc
        stamp.touch()
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.setdefault("PYTHONHASHSEED", "0")
    _say("widget tests on the oldest matplotlib, numpy and ipywidgets allowed")
    return _run([oldest_py, "-m", "pytest", *OLDEST_TESTS, "-rs", *OLDEST_WARNINGS, *args], env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "lab":
        return cmd_lab(rest)
    if cmd == "test":
        return cmd_test(rest)
    if cmd == "test-oldest":
        return cmd_test_oldest(rest)
    if cmd == "build":
        return cmd_build(rest)
    if cmd == "handouts":
        return cmd_handouts(rest)
    if cmd == "pull":  # edits made in the notebooks go back into the lesson sources, then a build
        return cmd_build(["--carry-back", *rest])
    if cmd == "setup":
        ensure_env(with_test="--test" in rest)
        return 0
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
