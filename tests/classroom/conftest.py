"""Fixtures of the classroom tests: a JupyterHub on loopback with two students at work.

The tests need JupyterHub, nbgitpuller, psutil, websocket-client (``requirements/classroom.txt``),
git, and Node.js with npm (configurable-http-proxy is installed from npm into ``build/node/``
on first use). Without them they are skipped with the reason, unless
``LRLIB_REQUIRE_CLASSROOM=1`` (as in CI), where they fail instead.

Every process a classroom starts carries its folder in ``LRLIB_CLASSROOM``; the fixtures end
them all (hub, proxy, servers, kernels) when they finish, and a last check fails the session
if any is left.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT / "deploy", ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

REQUIRED = os.environ.get("LRLIB_REQUIRE_CLASSROOM") == "1"


def require_classroom() -> None:
    """Skip (or, with LRLIB_REQUIRE_CLASSROOM=1, fail) when a classroom cannot start here."""
    try:
        from classroom import missing_requirements
        why = missing_requirements()
    except ImportError as exc:  # psutil, requests, ... missing under the import itself
        why = f"{exc.name} is not installed (pip install -r requirements/classroom.txt)"
    if why is not None:
        if REQUIRED:
            pytest.fail(f"LRLIB_REQUIRE_CLASSROOM=1 but {why}")
        pytest.skip(why)


def require_git_and_nbgitpuller() -> None:
    import shutil

    why = None
    if shutil.which("git") is None:
        why = "git is not installed (apt-get install git)"
    else:
        try:
            import nbgitpuller  # noqa: F401
        except ImportError:
            why = "nbgitpuller is not installed (pip install -r requirements/classroom.txt)"
    if why is not None:
        if REQUIRED:
            pytest.fail(f"LRLIB_REQUIRE_CLASSROOM=1 but {why}")
        pytest.skip(why)


@pytest.fixture(scope="session")
def room():
    """A classroom (hub, proxy) shared by the tests that do not restart it."""
    require_classroom()
    from classroom import Classroom

    with Classroom() as r:
        yield r
    assert not r.processes(), f"processes of the classroom left running: {r.processes()}"


@pytest.fixture(scope="session")
def seats(room):
    """Two students, alice and bob, logged in, servers up, lesson 00 open down to its explorer."""
    from bench_classroom import seat_students

    alice, bob = seat_students(room, ["alice", "bob"])
    for seat in (alice, bob):
        if seat.error:
            pytest.fail(f"{seat.name} could not get to the explorer: {seat.error}\n{room.log_tail()}")
    yield {"alice": alice, "bob": bob}
    for seat in (alice, bob):
        seat.kernel.close()
