"""The project's promises about itself: dependencies agree, imports stay light, docs are complete."""

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lrlib
import lrcourse

ROOT = Path(__file__).resolve().parents[1]


def _requirement_names(lines):
    out = {}
    for line in lines:
        m = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*((?:[<>=!~]=?|==)\s*[0-9][^\s#,]*)?", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = (m.group(2) or "").replace(" ", "")
    return out


def _pyproject_dependencies(path="pyproject.toml"):
    text = (ROOT / path).read_text(encoding="utf-8")
    block = re.search(r"^dependencies\s*=\s*\[(.*?)\]\s*$", text, re.S | re.M).group(1)
    return _requirement_names(re.findall(r'"([^"]+)"', block))


def _requirements_file(path):
    return _requirement_names(line for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
                              if line.strip() and not line.lstrip().startswith("#"))


def _environment_dependencies():
    lines = []
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*-\s+([^#]+)", line)
        if m and not line.startswith("  - conda-forge"):
            lines.append(m.group(1).strip())
    deps = _requirement_names(lines)
    deps.pop("python", None)
    deps.pop("pip", None)
    deps.pop("conda-forge", None)
    return deps


def test_lrlib_needs_numpy_only_and_its_extras_are_plot_and_torch():
    assert _pyproject_dependencies() == {"numpy": ">=1.24"}
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^plot = \["matplotlib>=3.7"\]', text, re.M) and re.search(r'^torch = \["torch', text, re.M)
    assert 'packages = ["lrlib"]' in text


def test_no_package_depends_on_the_lesson_or_test_tools():
    for path in ("pyproject.toml", "course/pyproject.toml"):
        deps = _pyproject_dependencies(path)
        assert not {"jupyterlab", "nbval", "pytest", "notebook"} & set(deps), (path, deps)
    assert "scikit-learn" not in _pyproject_dependencies()


def test_environment_yml_lists_what_the_lab_command_installs():
    """lrlib's and lrcourse's dependencies and the lessons' tools: the same names and floors."""
    course = _pyproject_dependencies("course/pyproject.toml")
    assert course.pop("lrlib") == ">=0.2"  # lrlib[plot]: this repository's own package
    installed = {**_pyproject_dependencies(), **course, **_requirements_file("requirements/lessons.txt")}
    env = _environment_dependencies()
    assert installed and installed == env, f"installed: {installed}\nenvironment.yml: {env}"


def test_python_version_floor_agrees():
    for path in ("pyproject.toml", "course/pyproject.toml"):
        assert 'requires-python = ">=3.10"' in (ROOT / path).read_text(encoding="utf-8")
    assert "python>=3.10" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_import_lrlib_loads_numpy_only():
    code = (
        "import sys, lrlib, lrlib.compat, lrlib.units\n"
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'torch', 'IPython', 'scipy', 'pandas', 'lrcourse')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"import lrlib pulled in: {out.stdout.strip()}"


def test_no_module_of_lrlib_imports_the_course():
    for path in (ROOT / "lrlib").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+lrcourse", text, re.M), path.name


def test_no_lesson_string_lives_in_an_installable_package():
    """Lesson-specific text (keys lNN_...) is not in lrlib or lrcourse."""
    for package in ("lrlib", "course/lrcourse"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""["']l\d\d_\w+["']\s*:""", text), f"{path}: a lesson's string table"
            assert "lesson_strings" not in text and "lessons/strings" not in text, path


def test_import_lrlib_works_without_matplotlib_or_ipywidgets():
    code = (
        "import sys\n"
        "for m in ('matplotlib', 'ipywidgets', 'torch'):\n"
        "    sys.modules[m] = None  # makes 'import m' fail\n"
        "import lrlib\n"
        "print(lrlib.cosine_decay(1.0, 10)(5))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) == pytest.approx(0.5)


SCHEDULE_BUILDERS = [
    lrlib.constant, lrlib.linear, lrlib.warmup, lrlib.decay, lrlib.cosine_decay, lrlib.polynomial_decay,
    lrlib.step_decay, lrlib.multistep_decay, lrlib.exponential_decay, lrlib.join, lrlib.warmup_cosine,
    lrlib.warmup_cosine_tail, lrlib.warm_restarts, lrlib.wsd, lrlib.one_cycle,
    lrlib.inverse_time_decay, lrlib.inverse_sqrt_decay, lrlib.inverse_sqrt, lrlib.cyclic, lrlib.Plateau,
    lrlib.compat.get_lr_scheduler, lrlib.compat.scale_lr_for_batch, lrlib.compat.yolox_warm_cos,
]


@pytest.mark.parametrize("builder", SCHEDULE_BUILDERS, ids=lambda f: f.__name__)
def test_every_schedule_documents_formula_example_and_reference(builder):
    doc = inspect.getdoc(builder) or ""
    assert "Examples:" in doc and ">>>" in doc, f"{builder.__name__}: no runnable example"
    assert "References:" in doc, f"{builder.__name__}: no reference"
    assert ".. math::" in doc, f"{builder.__name__}: no formula"


def test_every_public_name_is_documented():
    for name in lrlib.__all__:
        obj = getattr(lrlib, name)
        assert inspect.getdoc(obj), f"lrlib.{name} has no docstring"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tools/dev.py test" in readme and "python3 tools/dev.py test" in ci
    assert "python3 tools/dev.py lab" in readme
    # CI must run the comparisons with torch and the browser test, not skip them
    assert "torch==" in ci and "chromium" in ci and "fonts-wqy-microhei" in ci
    assert "LRLIB_REQUIRE_TORCH=1" in ci and "LRLIB_REQUIRE_BROWSER=1" in ci


def test_lab_command_opens_the_chosen_language_and_copes_with_root(monkeypatch):
    dev = _load_tool("dev")
    calls = []
    monkeypatch.setattr(dev, "ensure_env", lambda with_test: None)
    monkeypatch.setattr(dev, "_run", lambda cmd, **kw: calls.append([str(c) for c in cmd]) or 0)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0, raising=False)
    assert dev.cmd_lab(["--zh", "--port", "9999"]) == 0
    cmd = calls[-1]
    assert cmd[1] == "lab" and f"--notebook-dir={ROOT / 'notebooks' / 'zh'}" in cmd
    assert "--allow-root" in cmd and "--port" in cmd and "--zh" not in cmd
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000, raising=False)
    dev.cmd_lab([])
    assert "--allow-root" not in calls[-1] and f"--notebook-dir={ROOT / 'notebooks'}" in calls[-1]


def test_lab_opens_the_student_edition_unless_asked_for_the_teachers(monkeypatch):
    """Plain `lab` opens notebooks/ (students); `lab --teacher` opens teacher/, which is outside notebooks/."""
    dev = _load_tool("dev")
    calls = []
    monkeypatch.setattr(dev, "ensure_env", lambda with_test: None)
    monkeypatch.setattr(dev, "_run", lambda cmd, **kw: calls.append([str(c) for c in cmd]) or 0)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000, raising=False)
    for args, folder in (([], "notebooks"), (["--en"], "notebooks/en"), (["--teacher"], "teacher"),
                         (["--teacher", "--zh"], "teacher/zh"), (["--en", "--teacher"], "teacher/en")):
        dev.cmd_lab(args)
        dirs = [a for a in calls[-1] if a.startswith("--notebook-dir=")]
        assert dirs == [f"--notebook-dir={ROOT / folder}"], (args, calls[-1])
        assert "--teacher" not in calls[-1]
    assert not (ROOT / "notebooks" / "teacher").exists()
    assert {"en", "zh"} <= {p.name for p in (ROOT / "teacher").iterdir()}


def test_lab_command_shows_jupyterlabs_menus_in_the_lessons_language(monkeypatch, tmp_path):
    import json

    dev = _load_tool("dev")
    monkeypatch.setattr(dev, "VENV", tmp_path)
    monkeypatch.setattr(dev, "ensure_env", lambda with_test: None)
    envs = []
    monkeypatch.setattr(dev, "_run", lambda cmd, **kw: envs.append(kw.get("env") or {}) or 0)
    for flag, locale in (("--zh", "zh_CN"), ("--en", "en")):
        dev.cmd_lab([flag])
        settings = Path(envs[-1]["JUPYTERLAB_SETTINGS_DIR"])
        plugin = settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
        assert json.loads(plugin.read_text(encoding="utf-8")) == {"locale": locale}
    plugin.write_text('{"locale": "en", "theme": "dark"}', encoding="utf-8")  # a teacher's own change
    dev.cmd_lab(["--en"])
    assert "theme" in plugin.read_text(encoding="utf-8")  # kept, not overwritten
    assert "zh-CN" in (ROOT / "requirements" / "lessons.txt").read_text(encoding="utf-8")


def _load_tool(name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name}_under_test", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_test_command_runs_the_lessons_on_unix_sockets_in_parallel(monkeypatch):
    dev = _load_tool("dev")
    calls = []
    monkeypatch.setattr(dev, "ensure_env", lambda with_test: None)
    monkeypatch.setattr(dev, "_run", lambda cmd, **kw: calls.append([str(c) for c in cmd]) or 0)
    monkeypatch.setattr(dev.os, "cpu_count", lambda: 2)
    oldest = []
    monkeypatch.setattr(dev, "cmd_test_oldest", lambda args: oldest.append(args) or 0)
    assert dev.cmd_test([]) == 0
    assert oldest == [[]]  # the widget tests on the oldest matplotlib allowed run too
    nbval = [c for c in calls if "--nbval-lax" in c]  # found by what it runs, not by its place among the calls
    assert len(nbval) == 1
    lessons = nbval[0]
    assert lessons[-2:] == ["notebooks/", "build/check/"]  # the student and the check editions
    builds = [c for c in calls if c[1].endswith("build_lessons.py")]
    assert builds == [[str(dev.PY), str(ROOT / "tools" / "build_lessons.py"), "--editions", "check"]]
    assert calls.index(builds[0]) < calls.index(lessons)  # the check edition is built before it runs
    assert "--dist" in lessons and lessons[lessons.index("--dist") + 1] == "loadfile"
    if dev.os.name == "posix":
        assert lessons[lessons.index("tools.kernel_ipc") - 1] == "-p"


def test_the_oldest_environment_pins_the_floors_environment_yml_states():
    dev = _load_tool("dev")
    pins = dict(p.split("==") for p in dev.floor_pins())
    floors = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*-\s+([A-Za-z0-9_.-]+)>=([0-9.]+)", line)
        if m:
            floors[m.group(1)] = m.group(2)
    assert pins["matplotlib"] == floors["matplotlib"] and pins["numpy"] == floors["numpy"]
    assert pins == {name: floors[name] for name in pins}


@pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets: the plugin is used on POSIX only")
def test_lesson_kernels_run_on_unix_sockets_that_are_removed_afterwards():
    pytest.importorskip("ipykernel")
    kernel_ipc = _load_tool("kernel_ipc")
    first, second = kernel_ipc.UnixSocketKernelManager(), kernel_ipc.UnixSocketKernelManager()
    assert first.transport == "ipc" and first.ip != second.ip  # one socket name per kernel
    assert len(first.ip) + len("-5") < 100  # Unix socket paths are limited to 107 bytes
    first.start_kernel()
    try:
        client = first.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive("x = 6 * 7", timeout=30)
        assert reply["content"]["status"] == "ok"
        sockets = [f"{first.ip}-{port}" for port in first.ports]
        assert all(Path(s).is_socket() for s in sockets)
        client.stop_channels()
    finally:
        first.shutdown_kernel(now=True)
    assert not any(Path(s).exists() for s in sockets)


def _fresh_venv(tmp_path):
    import venv

    where = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(where)
    return where / ("Scripts" if sys.platform == "win32" else "bin") / "python"


@pytest.mark.slow
def test_pip_install_of_the_repository_is_lrlib_with_numpy_alone(tmp_path):
    """What an engineer gets from ``pip install <repo>``: lrlib and numpy, no course, no notebook tools."""
    py = _fresh_venv(tmp_path)
    pip = [str(py), "-m", "pip", "--disable-pip-version-check", "-q"]
    done = subprocess.run([*pip, "install", str(ROOT)], capture_output=True, text=True, timeout=600)
    if done.returncode and "No matching distribution" in done.stderr + done.stdout:
        pytest.skip("no package index reachable to install numpy from")
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([str(py), "-m", "pip", "--disable-pip-version-check", "list", "--format=json"],
                            capture_output=True, text=True, check=True)
    import json

    names = {p["name"].lower() for p in json.loads(listed.stdout)} - {"pip", "setuptools", "wheel"}
    assert names == {"lrlib", "numpy"}, names
    out = subprocess.run([str(py), "-c", "import lrlib; print(lrlib.cosine_decay(1.0, 10)(5))"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and float(out.stdout) == pytest.approx(0.5), out.stderr
    assert subprocess.run([str(py), "-c", "import lrcourse"], capture_output=True, cwd=tmp_path).returncode != 0


@pytest.mark.slow
def test_the_course_package_brings_its_own_dependencies_and_no_notebook_tools(tmp_path):
    """``pip install <repo> <repo>/course`` resolves to lrlib, lrcourse and their runtime dependencies only."""
    import json

    py = _fresh_venv(tmp_path)
    report = tmp_path / "report.json"
    done = subprocess.run([str(py), "-m", "pip", "--disable-pip-version-check", "-q", "install", "--dry-run",
                           "--ignore-installed", "--report", str(report), str(ROOT), str(ROOT / "course")],
                          capture_output=True, text=True, timeout=900)
    if done.returncode and "No matching distribution" in done.stderr + done.stdout:
        pytest.skip("no package index reachable")
    assert done.returncode == 0, done.stderr
    names = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
    assert {"lrlib", "lrcourse", "numpy", "matplotlib", "ipywidgets", "scikit-learn"} <= names
    assert not {"jupyterlab", "notebook", "nbval", "pytest", "jupytext", "playwright", "torch"} & names, names


def test_lab_torch_installs_the_cpu_build_of_torch_into_the_environment_once(monkeypatch, capsys):
    """`lab --torch` runs pip with PyTorch's CPU index in .venv, then opens JupyterLab; nothing when torch imports."""
    dev = _load_tool("dev")
    calls = []
    torch_there = []

    def fake_run(cmd, **kw):
        cmd = [str(c) for c in cmd]
        calls.append(cmd)
        return 0 if cmd[1:] != ["-c", "import torch"] or torch_there else 1

    monkeypatch.setattr(dev, "ensure_env", lambda with_test: None)
    monkeypatch.setattr(dev, "_run", fake_run)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000, raising=False)
    assert dev.cmd_lab(["--torch", "--zh"]) == 0
    pip = [str(dev.PY), "-m", "pip", "install", "--disable-pip-version-check",
           "torch", "--index-url", "https://download.pytorch.org/whl/cpu"]
    assert calls[0] == [str(dev.PY), "-c", "import torch"]  # asked in the lessons' environment, not this one
    assert calls[1] == pip
    assert calls[2][1] == "lab" and "--torch" not in calls[2] and f"--notebook-dir={ROOT / 'notebooks' / 'zh'}" in calls[2]

    calls.clear()
    torch_there.append(True)  # already importable: no download
    assert dev.cmd_lab(["--torch"]) == 0
    assert [c for c in calls if "pip" in c] == [] and calls[-1][1] == "lab"
    calls.clear()
    torch_there.clear()
    dev.cmd_lab(["--en"])  # without --torch: no probe, no install
    assert len(calls) == 1 and calls[0][1] == "lab"

    monkeypatch.setattr(dev, "_run", lambda cmd, **kw: 1)  # pip fails: stop with a message, no JupyterLab
    with pytest.raises(SystemExit, match="pip install of torch failed"):
        dev.cmd_lab(["--torch"])

    assert "lab --torch" in dev.__doc__
    assert "pip install torch --index-url https://download.pytorch.org/whl/cpu" in dev.__doc__
    capsys.readouterr()
    assert dev.main(["--help"]) == 0
    assert "lab --torch" in capsys.readouterr().out

