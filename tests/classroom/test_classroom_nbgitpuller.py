"""What nbgitpuller does to a student's copy of the lessons when the teacher updates them.

Real git and real nbgitpuller (``GitPuller``, the code behind the link). A student's edits
are saved the way their server saves them (jupyter_server's ``FileContentsManager``, which is
what a ``PUT /api/contents`` runs), so the files differ from the teacher's exactly as they
would in a class. What nbgitpuller does on an update: commit the student's changes, then
``git merge -Xours`` the teacher's commits, line by line: where both changed the same lines
the student's side wins, everything else the teacher changed arrives; files the student
deleted come back; a file of the student's in the way of a new file of the teacher's is
renamed, not overwritten.

The last test follows an nbgitpuller link (the format ``deploy/README.md`` gives) through a
running hub: it is the teacher's update arriving in a student's server.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path

import pytest
from conftest import require_classroom, require_git_and_nbgitpuller

NB = "notebooks/en/00_start_here.ipynb"


@pytest.fixture
def lessons(tmp_path):
    """The teacher's repository and a student's home with the lessons pulled into it."""
    require_git_and_nbgitpuller()
    from classroom import make_teacher_repo, pull_lessons

    teacher = make_teacher_repo(tmp_path / "teacher")
    home = tmp_path / "home" / "alice"
    out = pull_lessons(home, teacher)
    assert any("git clone" in line for line in out)
    return teacher, home


def student_saves(home: Path, path: str, change) -> None:
    """Open ``path`` (under ~/lessons), apply ``change(nb)``, save it as the student's server does."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    cm = FileContentsManager(root_dir=str(home))
    nb = cm.get(f"lessons/{path}", content=True)["content"]
    change(nb)
    cm.save({"type": "notebook", "content": nb}, f"lessons/{path}")


def teacher_commits(teacher: Path, path: str, change, message: str) -> None:
    import nbformat
    from classroom import git

    nb = nbformat.read(teacher / path, as_version=4)
    change(nb)
    nbformat.write(nb, teacher / path)
    git("commit", "-q", "-am", message, cwd=teacher)


def code_cell(nb, source_start: str):
    return next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(source_start))


def read(home: Path, path: str):
    import nbformat

    nb = nbformat.read(home / "lessons" / path, as_version=4)
    nbformat.validate(nb)  # the merge left a valid notebook
    return nb


def test_the_students_edit_of_a_cell_the_teacher_also_changed_is_kept_and_the_new_cells_arrive(lessons):
    import nbformat
    from classroom import pull_lessons

    teacher, home = lessons

    def student(nb):
        cell = code_cell(nb, "total_epochs = 100")
        cell.source = cell.source.replace("total_epochs = 100", "total_epochs = 300  # my try")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="my run\n")]
        cell.execution_count = 4
    student_saves(home, NB, student)

    def teacher_change(nb):
        cell = code_cell(nb, "total_epochs = 100")
        cell.source = cell.source.replace("total_epochs = 100", "total_epochs = 120")
        nb.cells.append(nbformat.v4.new_markdown_cell("## A new section from the teacher", id="teacher-new-1"))
        nb.cells.append(nbformat.v4.new_code_cell("print('new exercise')", id="teacher-new-2"))
    teacher_commits(teacher, NB, teacher_change, "Lesson 00: 120 epochs, a new section")
    other = "notebooks/zh/01_why_schedule.ipynb"
    teacher_commits(teacher, other, lambda nb: nb.cells.insert(0, nbformat.v4.new_markdown_cell(
        "教师补充的说明", id="teacher-new-zh")), "Lesson 01 (zh): a note")

    out = "".join(pull_lessons(home, teacher))
    assert "merge -Xours" in out and "Automatic commit by nbgitpuller" in out

    nb = read(home, NB)
    mine = code_cell(nb, "total_epochs = 300")
    assert "# my try" in mine.source and "total_epochs = 120" not in mine.source
    assert mine.outputs[0]["text"] == "my run\n" and mine.execution_count == 4
    assert [c.source for c in nb.cells[-2:]] == ["## A new section from the teacher", "print('new exercise')"]
    assert read(home, other).cells[0].source == "教师补充的说明"  # a lesson the student did not touch: updated
    # the student's own version is in the history too (the commit nbgitpuller made before merging)
    from classroom import git
    log = git("log", "--format=%s", cwd=home / "lessons")
    assert "Automatic commit by nbgitpuller" in log and "Lesson 00: 120 epochs, a new section" in log


def test_a_cell_the_teacher_adds_where_the_student_added_one_does_not_arrive(lessons):
    """Both append a cell at the end: the same lines, a clash, and -Xours keeps the student's side.

    The student loses nothing, but the teacher's cell is not merged in: new material belongs in
    a new notebook, or a cell away from where students write (deploy/README.md says so).
    """
    import nbformat
    from classroom import pull_lessons

    teacher, home = lessons
    student_saves(home, NB, lambda nb: nb.cells.append(nbformat.v4.new_code_cell("my_own = 1", id="student-1")))
    teacher_commits(teacher, NB, lambda nb: nb.cells.append(
        nbformat.v4.new_markdown_cell("## From the teacher", id="teacher-1")), "append")
    new_lesson = "notebooks/en/11_extra.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Extra")]), teacher / new_lesson)
    from classroom import git
    git("add", new_lesson, cwd=teacher)
    git("commit", "-q", "-m", "a new notebook", cwd=teacher)

    pull_lessons(home, teacher)
    nb = read(home, NB)
    sources = [c.source for c in nb.cells]
    assert sources[-1] == "my_own = 1"
    assert "## From the teacher" not in sources
    assert read(home, new_lesson).cells[0].source == "# Extra"  # a new notebook always arrives


def test_a_deleted_lesson_comes_back_and_a_students_file_in_the_way_is_renamed_not_overwritten(lessons):
    import nbformat
    from classroom import git, pull_lessons

    teacher, home = lessons
    (home / "lessons" / NB).unlink()  # "I broke it, give me a fresh copy"
    mine = home / "lessons" / "notebooks" / "en" / "answers.ipynb"
    mine.write_text("my answers, not a notebook yet", encoding="utf-8")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Answers")]),
                   teacher / "notebooks" / "en" / "answers.ipynb")
    git("add", "notebooks/en/answers.ipynb", cwd=teacher)
    git("commit", "-q", "-m", "answers", cwd=teacher)

    out = "".join(pull_lessons(home, teacher))
    assert (home / "lessons" / NB).read_bytes() == (teacher / NB).read_bytes()
    assert read(home, "notebooks/en/answers.ipynb").cells[0].source == "# Answers"
    renamed = [p for p in mine.parent.glob("answers__*.ipynb")]
    assert len(renamed) == 1 and renamed[0].read_text(encoding="utf-8") == "my answers, not a notebook yet"
    assert "to avoid conflict with upstream" in out


def test_the_nbgitpuller_link_brings_the_teachers_update_into_a_running_server(room, seats):
    """The README's link format, followed by a logged-in student: the hub sends it to their server, whose
    nbgitpuller extension merges the teacher's commit into ~/lessons, keeping the student's edit."""
    require_classroom()
    import nbformat
    from classroom import nbgitpuller_link

    student = seats["alice"].student
    path = "lessons/notebooks/en/01_why_schedule.ipynb"
    nb = student.notebook(path)
    first_md = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown")
    nb["cells"][first_md]["source"] = "My notes on lesson 01."
    student.save_notebook(path, nb)

    teacher_commits(room.teacher_repo, "notebooks/en/01_why_schedule.ipynb", lambda n: n.cells.append(
        nbformat.v4.new_markdown_cell("## Added after class", id="teacher-late-1")), "Lesson 01: one more section")

    link = nbgitpuller_link(room.url, room.teacher_repo.as_uri(), "notebooks/en/01_why_schedule.ipynb")
    page = student.http.get(link, timeout=60)  # hub -> /user/alice/git-pull?... (the progress page)
    assert page.status_code == 200 and "/user/alice/git-pull" in page.url, page.url
    query = urllib.parse.urlsplit(page.url).query
    events = []
    with student.request("GET", f"git-pull/api?{query}", stream=True, timeout=120) as r:  # what the page's script reads
        assert r.status_code == 200
        for line in r.iter_lines(decode_unicode=True):
            if line and line.startswith("data:"):
                events.append(json.loads(line[5:]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
    assert events and events[-1]["phase"] == "finished", events[-3:]
    assert any("merge -Xours" in e.get("output", "") for e in events)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        cells = student.notebook(path)["cells"]
        if cells[-1]["source"] == "## Added after class":
            break
        time.sleep(0.2)
    assert cells[first_md]["source"] == "My notes on lesson 01."
    assert cells[-1]["source"] == "## Added after class"
    urlpath = urllib.parse.parse_qs(query)["urlpath"][0]
    assert urlpath == "lab/tree/lessons/notebooks/en/01_why_schedule.ipynb"
    assert student.request("GET", urlpath).status_code == 200  # where the page sends the browser next


def test_the_link_format_and_the_proxy_release_as_documented():
    """The examples in deploy/classroom.py's docstrings (the link the README shows) hold."""
    import doctest

    import classroom

    result = doctest.testmod(classroom)
    assert result.attempted >= 2 and result.failed == 0
