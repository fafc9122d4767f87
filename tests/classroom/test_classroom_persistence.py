"""A student's saved notebook survives a restart of the hub and of their own server.

A classroom of its own (restarting the hub drops every connection through the proxy, which the
other tests' students should not see). carol saves her edited copy of lesson 00 and a new
notebook through the contents API (JupyterLab's Save); the hub is stopped and started again
(same database, same cookie secret); her server, which keeps running meanwhile (as on Zero to JupyterHub),
is then stopped and started from the hub's page; both times she reads the same notebooks back
with the cookies her browser already had.
"""

from __future__ import annotations

import copy

from conftest import require_classroom

LESSON = "lessons/notebooks/en/00_start_here.ipynb"


def test_saved_notebooks_survive_a_restart_of_the_hub_and_of_the_students_server():
    require_classroom()
    from classroom import Classroom
    from student import Student

    with Classroom() as room:
        room.add_student("carol")
        carol = Student(room.url, "carol", room.password)
        carol.log_in()
        carol.start_server()

        lesson = carol.notebook(LESSON)
        lesson["cells"].insert(3, {"cell_type": "markdown", "id": "carol-1", "metadata": {},
                                   "source": "我的笔记：预热让开始的几步更稳。"})
        code = next(c for c in lesson["cells"] if c["cell_type"] == "code")
        code["source"] += "\n# carol was here"
        carol.save_notebook(LESSON, lesson)
        own = copy.deepcopy(lesson)
        own["cells"] = [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 42", "outputs": [],
                         "execution_count": None}]
        carol.save_notebook("my_work.ipynb", own)
        saved = {LESSON: carol.notebook(LESSON), "my_work.ipynb": carol.notebook("my_work.ipynb")}
        server_pid = room.server_processes("carol")["server"].pid

        def same_as_saved():
            for path, nb in saved.items():
                assert carol.notebook(path)["cells"] == nb["cells"], path
            assert carol.notebook(LESSON)["cells"][3]["source"] == "我的笔记：预热让开始的几步更稳。"

        room.restart_hub()
        assert room.server_processes("carol")["server"].pid == server_pid  # her server kept running
        same_as_saved()  # through the new proxy, with the cookie from before the restart

        carol.stop_server()
        assert room.server_processes("carol")["server"] is None
        carol.start_server()
        assert room.server_processes("carol")["server"].pid != server_pid
        same_as_saved()
        assert (room.home("carol") / "my_work.ipynb").exists()  # in her home folder, where the next start finds it
    assert not room.processes()
