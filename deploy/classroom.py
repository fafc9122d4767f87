#!/usr/bin/env python3
"""A whole class on one machine: JupyterHub, configurable-http-proxy, a home and the lessons per student.

    .venv/bin/python deploy/classroom.py --students 3     # start, print the address and the password; Ctrl-C stops

The real engine, not a server of our own: JupyterHub (``jupyterhub`` from PyPI) with its
``configurable-http-proxy`` (npm, installed on first use into ``build/node/``), the
``SimpleLocalProcessSpawner`` (one ``jupyterhub-singleuser`` process per student, each with
its own home folder under a temporary folder), the ``DummyAuthenticator`` (one password for
every account the script adds) and, as every student's environment, the course's own (the one
``python3 tools/dev.py setup`` makes: lrlib, lrcourse, JupyterLab; run this script with its
Python). The configuration is ``deploy/jupyterhub_config.py``.

The lessons reach each home the way an nbgitpuller link places them: nbgitpuller's own puller
(``python -m nbgitpuller.pull``, the ``GitPuller`` behind the link) clones the teacher's
repository (here a local git repository made from ``notebooks/zh`` and ``notebooks/en``; no
network) into ``~/lessons``, and pulls the teacher's later commits with nbgitpuller's merge,
which keeps what the student changed.

Everything listens on 127.0.0.1 only. The spawner runs every student's server as the user that
runs this script: the hub keeps students out of each other's servers (tested), but the
operating system does not keep their files apart; a real class uses TLJH or Zero to JupyterHub,
where each student is a system user or a container (``deploy/README.md``).

Used by ``bench/bench_classroom.py`` and ``tests/classroom/``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
NODE_DIR = ROOT / "build" / "node"  # gitignored (all of build/ is)
LESSON_LANGUAGES = ("zh", "en")
LESSONS_REPO_NAME = "lessons"       # the folder a student finds in their home
LESSONS_BRANCH = "main"
MARKER = "LRLIB_CLASSROOM"          # environment variable carried by every process of a classroom


# ----------------------------------------------------------------------------- the proxy ---

def _node_major() -> int | None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def proxy_version(node_major: int) -> str:
    """The configurable-http-proxy release for this Node: 5.x needs Node >= 20; 4.6 runs on older ones.

    >>> proxy_version(20), proxy_version(18)
    ('5.3.0', '4.6.3')
    """
    return "5.3.0" if node_major >= 20 else "4.6.3"


def proxy_command() -> Path:
    """Where ``configurable-http-proxy`` is installed in the repository's cache folder."""
    return NODE_DIR / "node_modules" / ".bin" / "configurable-http-proxy"


def missing_requirements() -> str | None:
    """Why a classroom cannot start here, or ``None``."""
    for module in ("jupyterhub", "nbgitpuller", "psutil", "websocket", "requests", "jupyterlab"):
        try:
            __import__(module)
        except ImportError:
            return f"the Python package {module!r} is not installed (pip install -r requirements/classroom.txt)"
    if shutil.which("git") is None:
        return "git is not installed (apt-get install git)"
    if not (Path(sys.executable).parent / "jupyterhub-singleuser").exists():
        return f"no jupyterhub-singleuser next to {sys.executable} (run with the course environment's Python)"
    if _node_major() is None:
        return "Node.js is not installed (apt-get install nodejs npm)"
    if not proxy_command().exists() and shutil.which("npm") is None:
        return "npm is not installed (apt-get install npm), needed once to install configurable-http-proxy"
    return None


def install_proxy() -> Path:
    """Install configurable-http-proxy from npm into ``build/node/`` unless it is there; return its command.

    npm's cache goes under ``build/node/`` too, so nothing is written to the user's home.
    """
    command = proxy_command()
    if command.exists():
        return command
    major = _node_major()
    if major is None:
        raise RuntimeError("Node.js is not installed (apt-get install nodejs npm)")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    spec = f"configurable-http-proxy@{proxy_version(major)}"
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error",
           "--cache", str(NODE_DIR / "npm-cache"), "--prefix", str(NODE_DIR), spec]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not command.exists():
        raise RuntimeError(f"could not install {spec} with npm (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return command


# --------------------------------------------------------------------------- the lessons ---

def git(*args, cwd: Path) -> str:
    """Run git with a fixed identity (the teacher's commits); return its output."""
    cmd = ["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@example.invalid",
           "-c", "init.defaultBranch=" + LESSONS_BRANCH, "-c", "commit.gpgsign=false", *args]
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def make_teacher_repo(folder: Path, notebooks: Path = ROOT / "notebooks") -> Path:
    """The teacher's lessons repository: ``notebooks/zh`` and ``notebooks/en`` in one commit on ``main``.

    It stands for the course's public repository that an nbgitpuller link names; its layout
    (``notebooks/<lang>/*.ipynb``) is the same. Returns the repository's folder.
    """
    repo = Path(folder) / LESSONS_REPO_NAME
    for lang in LESSON_LANGUAGES:
        shutil.copytree(notebooks / lang, repo / "notebooks" / lang,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    git("init", "-q", cwd=repo)
    git("add", "notebooks", cwd=repo)
    git("commit", "-q", "-m", "The lessons", cwd=repo)
    return repo


def pull_lessons(home: Path, teacher_repo: Path) -> list[str]:
    """Clone (first time) or update (later) the lessons into ``home/lessons`` with nbgitpuller's GitPuller.

    This is what the nbgitpuller link does inside a student's server: a shallow clone the
    first time; afterwards a fetch and ``git merge -Xours``, after committing the student's
    changes, so that where the student and the teacher changed the same lines the student's
    version is kept, and the teacher's other changes arrive. It runs nbgitpuller's own command
    line (``python -m nbgitpuller.pull``) with the student's home as ``HOME``, so git reads no
    settings of the caller's. Returns nbgitpuller's output lines.
    """
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(home))
    cmd = [sys.executable, "-m", "nbgitpuller.pull", Path(teacher_repo).resolve().as_uri(), LESSONS_BRANCH,
           str(home / LESSONS_REPO_NAME)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"nbgitpuller failed (exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout.splitlines(keepends=True)


def nbgitpuller_link(hub_url: str, repo_url: str, path: str = "notebooks/zh", branch: str = LESSONS_BRANCH,
                     app: str = "lab") -> str:
    """The link that hands out the lessons: a student who opens it is logged in, gets a server, the
    repository cloned (or updated) into ``~/<repository name>`` and JupyterLab opened at ``path``.

    >>> nbgitpuller_link("https://hub.example.edu", "https://github.com/OWNER/REPO", "notebooks/zh")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FOWNER%2FREPO&branch=main&urlpath=lab%2Ftree%2FREPO%2Fnotebooks%2Fzh'
    """
    name = repo_url.rstrip("/").split("/")[-1]
    if app not in ("lab", "tree"):
        raise ValueError(f"app must be 'lab' or 'tree', got app={app!r}")
    urlpath = f"{app}/tree/{name}/{path}" if app == "lab" else f"tree/{name}/{path}"
    query = urllib.parse.urlencode({"repo": repo_url, "branch": branch, "urlpath": urlpath})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


# ----------------------------------------------------------------------------- the hub ---

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Classroom:
    """One JupyterHub with its proxy and students, in a folder of its own.

    ``with Classroom() as room: room.add_student("student01")`` starts the hub, adds the account,
    makes its home and puts the lessons there; leaving the block stops the hub and ends every
    process the classroom started (hub, proxy, servers, kernels: all carry ``LRLIB_CLASSROOM``
    in their environment) and deletes the folder, unless ``keep=True``.

    Students log in at ``room.url`` with ``room.password``; ``room.api(...)`` speaks to the
    hub's REST API with the classroom's own service token (never a student's).
    """

    def __init__(self, folder: Path | None = None, *, keep: bool = False, lesson_language: str = "en"):
        if lesson_language not in LESSON_LANGUAGES:
            raise ValueError(f"lesson_language must be one of {LESSON_LANGUAGES}, got {lesson_language!r}")
        self._own_folder = folder is None
        self.folder = Path(folder or tempfile.mkdtemp(prefix="lrlib-classroom-")).resolve()
        self.keep = keep
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.admin_token = secrets.token_hex(32)
        self.lesson_language = lesson_language
        self.students: list[str] = []
        self.hub: subprocess.Popen | None = None
        self._log = None
        self.teacher_repo: Path | None = None

    # -- life cycle -------------------------------------------------------------------------
    def __enter__(self) -> "Classroom":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self, timeout_s: float = 60.0) -> None:
        """Write the settings, make the teacher's repository (first time) and start the hub and its proxy."""
        (self.folder / "home").mkdir(parents=True, exist_ok=True)
        if self.teacher_repo is None:
            self.teacher_repo = make_teacher_repo(self.folder / "teacher")
        settings = {
            "port": self.port, "hub_port": free_port(), "proxy_api_port": free_port(),
            "proxy": str(install_proxy()), "password": self.password, "admin_token": self.admin_token,
            "singleuser": str(Path(sys.executable).parent / "jupyterhub-singleuser"),
            "default_url": f"/lab/tree/{LESSONS_REPO_NAME}/notebooks/{self.lesson_language}",
            "as_root": hasattr(os, "geteuid") and os.geteuid() == 0,
        }
        (self.folder / "classroom.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")
        env = dict(os.environ, **{MARKER: str(self.folder)})
        env.pop("JUPYTERHUB_API_TOKEN", None)
        self._log = open(self.folder / "jupyterhub.log", "ab")
        self.hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.folder,
                                    env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        self._wait_ready(timeout_s)

    def _wait_ready(self, timeout_s: float) -> None:
        import requests

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.hub.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.hub.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"JupyterHub did not answer within {timeout_s} s:\n{self.log_tail()}")

    def stop_hub(self, timeout_s: float = 30.0) -> None:
        """Stop the hub the way a service manager does (SIGTERM); it stops its proxy, not the servers."""
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)
            try:
                self.hub.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.hub.kill()
                self.hub.wait()
        self.hub = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart_hub(self) -> None:
        """Stop the hub and start it again with the same database, cookie secret, ports and students."""
        self.stop_hub()
        self.start()

    def close(self) -> None:
        """Stop the hub and end every process of this classroom; delete its folder unless ``keep``."""
        self.stop_hub()
        self.kill_leftovers()
        if self._own_folder and not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    def processes(self) -> list:
        """Every live process of this classroom (psutil.Process), found by the marker in its environment."""
        import psutil

        found = []
        for proc in psutil.process_iter(["pid"]):
            try:
                if proc.environ().get(MARKER) == str(self.folder):
                    found.append(proc)
            except (psutil.Error, OSError):
                continue
        return found

    def kill_leftovers(self, timeout_s: float = 10.0) -> None:
        import psutil

        procs = self.processes()
        for p in procs:
            try:
                p.terminate()
            except psutil.Error:
                pass
        _gone, alive = psutil.wait_procs(procs, timeout=timeout_s)
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=timeout_s)

    def log_tail(self, chars: int = 4000) -> str:
        path = self.folder / "jupyterhub.log"
        return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""

    # -- the hub's API, with the classroom's token -----------------------------------------
    def api(self, method: str, path: str, **kw):
        """A request to ``/hub/api/<path>`` with the classroom's service token; returns the response."""
        import requests

        headers = {"Authorization": f"token {self.admin_token}", **kw.pop("headers", {})}
        return requests.request(method, f"{self.url}/hub/api/{path.lstrip('/')}", headers=headers,
                                timeout=kw.pop("timeout", 30), **kw)

    # -- students ---------------------------------------------------------------------------
    def home(self, name: str) -> Path:
        return self.folder / "home" / name

    def add_student(self, name: str) -> Path:
        """Create the account (as a teacher would in the hub's admin page), its home and its copy of the lessons."""
        if not name.isidentifier() or name.lower() != name:
            raise ValueError(f"name must be lower-case letters, digits and underscores, got name={name!r}")
        r = self.api("POST", f"users/{name}")
        if r.status_code not in (201, 409):  # 409: the account exists already
            raise RuntimeError(f"could not add {name}: {r.status_code} {r.text}")
        pull_lessons(self.home(name), self.teacher_repo)
        if name not in self.students:
            self.students.append(name)
        return self.home(name)

    def server_processes(self, name: str) -> dict:
        """``{"server": Process or None, "kernels": {kernel_id: Process}}`` of one student (psutil)."""
        import psutil

        server, kernels = None, {}
        for p in self.processes():
            try:
                env, cmd = p.environ(), " ".join(p.cmdline())
            except psutil.Error:
                continue
            if env.get("JUPYTERHUB_USER") != name:
                continue
            if "jupyterhub-singleuser" in cmd:
                server = p
            elif "ipykernel" in cmd and "kernel-" in cmd:
                kernel_id = cmd.split("kernel-")[-1].split(".json")[0]
                kernels[kernel_id] = p
        return {"server": server, "kernels": kernels}

    def hub_processes(self) -> dict:
        """``{"hub": Process, "proxy": Process or None}`` (psutil)."""
        import psutil

        proxy = None
        pid_file = self.folder / "proxy.pid"
        if pid_file.exists():
            try:
                proxy = psutil.Process(int(pid_file.read_text().strip()))
            except (ValueError, psutil.Error):
                proxy = None
        return {"hub": psutil.Process(self.hub.pid) if self.hub else None, "proxy": proxy}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3, help="how many student accounts to add (default 3)")
    parser.add_argument("--lang", choices=LESSON_LANGUAGES, default="zh", help="the lessons' folder opened first")
    parser.add_argument("--folder", type=Path, help="keep the classroom in this folder (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.students < 1 or args.students > 200:
        parser.error(f"--students must be between 1 and 200, got {args.students}")
    why = missing_requirements()
    if why:
        print(f"cannot start a classroom: {why}", file=sys.stderr)
        return 1
    with Classroom(args.folder, keep=args.folder is not None, lesson_language=args.lang) as room:
        names = [f"student{i:02d}" for i in range(1, args.students + 1)]
        for name in names:
            room.add_student(name)
        print(f"JupyterHub at {room.url}  (folder {room.folder})")
        print(f"accounts: {', '.join(names)}; password: {room.password}")
        print("nbgitpuller link for this repository's lessons (after publishing it):")
        print("  " + nbgitpuller_link(room.url, "https://github.com/OWNER/REPO", f"notebooks/{args.lang}"))
        print("Ctrl-C stops the hub and every student's server.")
        try:
            while room.hub.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
