"""The files Binder (repo2docker) builds the lessons' environment from agree with what the lessons need.

repo2docker reads, at the repository's root: ``apt.txt`` (Debian packages), ``environment.yml``
(a conda environment) and ``postBuild`` (an executable script run last). The lessons need:
lrlib and lrcourse installed (postBuild: both, without dependencies, which environment.yml
brings), JupyterLab with its Chinese language pack, and a CJK font for Chinese figures that
``lrcourse.fonts`` looks for.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Debian/Ubuntu font packages and the family each installs (from the packages' file lists).
CJK_FONT_PACKAGES = {"fonts-wqy-microhei": "WenQuanYi Micro Hei", "fonts-wqy-zenhei": "WenQuanYi Zen Hei",
                     "fonts-noto-cjk": "Noto Sans CJK SC", "fonts-arphic-uming": "AR PL UMing CN"}


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in (ROOT / name).read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def _pip_installs() -> list[list[str]]:
    """The arguments of every ``pip install`` in postBuild."""
    out = []
    for line in _lines("postBuild"):
        words = shlex.split(line)
        for i in range(len(words) - 1):
            if words[i].endswith("pip") and words[i + 1] == "install":
                out.append(words[i + 2:])
    return out


def test_postbuild_installs_both_packages_from_this_repository():
    installs = _pip_installs()
    assert len(installs) == 1, installs
    targets = [w for w in installs[0] if not w.startswith("-")]
    assert {Path(t) for t in targets} == {Path("."), Path("course")}, targets
    assert (ROOT / "pyproject.toml").is_file() and (ROOT / "course" / "pyproject.toml").is_file()
    # --no-deps: every dependency comes from environment.yml (tests/test_project.py holds the lists equal)
    assert "--no-deps" in installs[0]


def test_postbuild_leaves_the_solutions_out_of_the_students_image():
    """The teacher's edition and the lesson sources (the solutions are in both) are removed after the install."""
    lines = _lines("postBuild")
    removed = [w for ln in lines if ln.startswith("rm ") for w in shlex.split(ln)[1:] if not w.startswith("-")]
    assert {"teacher", "lessons"} <= set(removed), lines
    assert lines.index(next(ln for ln in lines if ln.startswith("rm "))) > lines.index(
        next(ln for ln in lines if "pip install" in ln))  # after the editable install, which needs no sources
    assert (ROOT / "teacher").is_dir() and any((ROOT / "lessons").glob("*/*.md"))  # what it removes


def test_postbuild_is_an_executable_bash_script():
    text = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash") or text.startswith("#!/usr/bin/env bash")
    assert "set -e" in text  # a failed install fails the build instead of giving a broken environment
    mode = subprocess.run(["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True)
    if mode.returncode == 0 and mode.stdout:
        assert mode.stdout.startswith("100755"), f"postBuild is not executable in git: {mode.stdout}"
    if shutil.which("bash"):
        assert subprocess.run(["bash", "-n", str(ROOT / "postBuild")]).returncode == 0


def test_apt_txt_brings_a_chinese_font_the_course_finds():
    from lrcourse import fonts

    packages = _lines("apt.txt")
    cjk = [p for p in packages if p in CJK_FONT_PACKAGES]
    assert cjk, f"apt.txt has no CJK font package (one of {sorted(CJK_FONT_PACKAGES)}): {packages}"
    assert all(CJK_FONT_PACKAGES[p] in fonts.CJK_FAMILIES for p in cjk), cjk
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert any(p in ci for p in cjk), "CI tests the figures with another font than Binder installs"


def test_environment_yml_has_jupyterlab_its_chinese_menus_and_the_widgets():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    names = set(re.findall(r"^\s*-\s+([A-Za-z0-9_.-]+)", text, re.M))
    assert {"jupyterlab", "jupyterlab-language-pack-zh-CN", "ipywidgets", "matplotlib", "numpy", "pip"} <= names
    assert re.search(r"^\s*-\s+python>=3\.10", text, re.M)
    assert "conda-forge" in text  # the language pack and everything else from one channel, plus pip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_binder_start_folder_holds_the_student_lessons(lang):
    """The README's Binder link opens lab/tree/notebooks/<lang>: the student edition, without the teacher's."""
    folder = ROOT / "notebooks" / lang
    assert sorted(p.name for p in folder.glob("00_*.ipynb")) == ["00_start_here.ipynb"]
    assert not (ROOT / "notebooks" / "teacher").exists()
