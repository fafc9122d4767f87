"""A simulated student: what a browser does in JupyterHub and JupyterLab, over HTTP and the kernel websocket.

    student = Student(room.url, "student01", room.password)
    student.log_in()                  # the hub's login form
    student.start_server()            # /hub/spawn, then JupyterLab's page (the OAuth hand-over)
    kernel = student.open_notebook("lessons/notebooks/en/00_start_here.ipynb")
    explorer = kernel.run_until_explorer(student.notebook_code(...))   # the cells above the explorer, and it
    sent_id = kernel.move(explorer.controls["peak_lr"], 0.02)          # one slider move
    latency_s = kernel.wait_image(sent_id)                             # until the new plot arrives

It speaks the same messages as the browser: the login form with its ``_xsrf`` field; the
cookies the hub and the student's server set, and the ``X-XSRFToken`` header JupyterLab adds
to every request that changes something; a session (``POST /api/sessions``) that starts the
notebook's kernel; the kernel websocket with Jupyter's binary protocol
(``v1.kernel.websocket.jupyter.org``, framed by jupyter_server's own functions); and, for a
slider move, the ``comm_msg`` that @jupyter-widgets sends (``{"method": "update", "state":
{"value": ...}, "buffer_paths": []}`` on the slider's comm). The widgets are found as a
browser finds them: from the ``comm_open`` messages and the widget view the cell displays.

Used by ``bench/bench_classroom.py`` and ``tests/classroom/``.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests
import websocket
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1

WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SLIDERS = ("IntSliderModel", "FloatSliderModel", "FloatLogSliderModel")


class StudentError(RuntimeError):
    """Something a student's browser would show as an error (a refused request, a kernel that died)."""


class Student:
    """One student's browser: a cookie jar, logged in at the hub, talking to their own server."""

    def __init__(self, hub_url: str, name: str, password: str, timeout_s: float = 60.0):
        self.hub_url = hub_url.rstrip("/")
        self.name = name
        self.password = password
        self.timeout_s = timeout_s
        self.http = requests.Session()

    # -- the hub ----------------------------------------------------------------------------
    def log_in(self) -> None:
        """Fill in the hub's login form (it carries an ``_xsrf`` field, as in a browser)."""
        page = self.http.get(f"{self.hub_url}/hub/login", timeout=self.timeout_s)
        match = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        form = {"username": self.name, "password": self.password}
        if match:
            form["_xsrf"] = match.group(1)
        r = self.http.post(f"{self.hub_url}/hub/login", data=form, allow_redirects=False, timeout=self.timeout_s)
        if r.status_code != 302 or "jupyterhub-session-id" not in self.http.cookies:
            raise StudentError(f"{self.name} could not log in: {r.status_code}")

    def start_server(self, timeout_s: float = 180.0) -> float:
        """Ask the hub for a server (``/hub/spawn``), wait until it is ready, open JupyterLab; returns seconds."""
        t0 = time.perf_counter()
        self.http.get(f"{self.hub_url}/hub/spawn/{self.name}", allow_redirects=False, timeout=self.timeout_s)
        deadline = time.monotonic() + timeout_s
        while True:
            r = self.http.get(f"{self.hub_url}/hub/api/users/{self.name}", timeout=self.timeout_s)
            server = r.json().get("servers", {}).get("", {}) if r.status_code == 200 else {}
            if server.get("ready"):
                break
            if r.status_code != 200 or not server:  # no server, ready or pending: the spawn failed
                raise StudentError(f"{self.name}'s server did not start: {r.status_code} {r.text[:300]}")
            if time.monotonic() > deadline:
                raise StudentError(f"{self.name}'s server was not ready after {timeout_s} s")
            time.sleep(0.25)
        self.open_lab()
        return time.perf_counter() - t0

    def open_lab(self) -> None:
        """Load JupyterLab's page: the server hands the browser over to the hub (OAuth) and sets its cookie."""
        r = self.http.get(self.server_url("lab"), timeout=self.timeout_s)
        if r.status_code != 200 or f"jupyterhub-user-{self.name}" not in {c.name for c in self.http.cookies}:
            raise StudentError(f"{self.name} could not open JupyterLab: {r.status_code} at {r.url}")

    def stop_server(self, timeout_s: float = 60.0) -> None:
        """Stop the server from the hub's page (an API request with the hub's cookie and XSRF token)."""
        r = self.hub_request("DELETE", f"users/{self.name}/server")
        if r.status_code not in (202, 204):
            raise StudentError(f"{self.name} could not stop the server: {r.status_code} {r.text[:300]}")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            server = self.hub_request("GET", f"users/{self.name}").json().get("servers", {})
            if "" not in server:
                return
            time.sleep(0.25)
        raise StudentError(f"{self.name}'s server did not stop within {timeout_s} s")

    def hub_request(self, method: str, path: str, **kw) -> requests.Response:
        """A request to the hub's API with the student's cookie, as the hub's pages send it."""
        xsrf = self._cookie("_xsrf", "/hub/")
        headers = {"X-XSRFToken": xsrf, **kw.pop("headers", {})} if xsrf else kw.pop("headers", {})
        return self.http.request(method, f"{self.hub_url}/hub/api/{path}", headers=headers,
                                 timeout=self.timeout_s, **kw)

    def new_token(self, note: str = "student") -> str:
        """An API token of the student's own, made through the hub's API (as from the hub's token page)."""
        r = self.hub_request("POST", f"users/{self.name}/tokens", json={"note": note, "expires_in": 3600})
        if r.status_code != 201:
            raise StudentError(f"{self.name} could not get a token: {r.status_code} {r.text[:300]}")
        return r.json()["token"]

    # -- the student's server -----------------------------------------------------------------
    def server_url(self, path: str = "", owner: str | None = None) -> str:
        return f"{self.hub_url}/user/{owner or self.name}/{path.lstrip('/')}"

    def _cookie(self, name: str, path_prefix: str) -> str | None:
        for c in self.http.cookies:
            if c.name == name and c.path.startswith(path_prefix):
                return c.value
        return None

    def request(self, method: str, path: str, owner: str | None = None, **kw) -> requests.Response:
        """A request to a server's ``path`` (``api/contents/...``), as JupyterLab sends it (cookie + XSRF header)."""
        headers = dict(kw.pop("headers", {}))
        xsrf = self._cookie("_xsrf", f"/user/{owner or self.name}/")
        if xsrf:
            headers.setdefault("X-XSRFToken", xsrf)
        kw.setdefault("timeout", self.timeout_s)
        return self.http.request(method, self.server_url(path, owner), headers=headers, **kw)

    def checked(self, method: str, path: str, **kw) -> requests.Response:
        r = self.request(method, path, **kw)
        if r.status_code >= 400:
            raise StudentError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def notebook(self, path: str) -> dict:
        """The notebook at ``path`` (relative to the home), read through the contents API."""
        return self.checked("GET", f"api/contents/{path}", params={"content": 1}).json()["content"]

    def save_notebook(self, path: str, nb: dict) -> dict:
        """Save a notebook through the contents API (what JupyterLab's Save does); returns the model."""
        return self.checked("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json",
                                                                 "content": nb}).json()

    def open_notebook(self, path: str) -> "Kernel":
        """Open a notebook as JupyterLab does: a session (which starts its kernel), then the kernel's websocket."""
        name = path.rsplit("/", 1)[-1]
        r = self.checked("POST", "api/sessions", json={"path": path, "name": name, "type": "notebook",
                                                       "kernel": {"name": "python3"}})
        return self.connect(r.json()["kernel"]["id"], session_path=path)

    def kernel_ws_url(self, kernel_id: str, owner: str | None = None) -> str:
        return (self.server_url(f"api/kernels/{kernel_id}/channels", owner).replace("http://", "ws://", 1)
                + f"?session_id={uuid.uuid4()}")

    def cookie_header(self, owner: str | None = None) -> str:
        """The ``Cookie`` header a browser sends to ``/user/<owner>/``: only the cookies whose path matches."""
        prefix = f"/user/{owner or self.name}/"
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies if prefix.startswith(c.path))

    def connect(self, kernel_id: str, session_path: str = "") -> "Kernel":
        return Kernel(self.kernel_ws_url(kernel_id), kernel_id, self.name,
                      headers=[f"Cookie: {self.cookie_header()}"], session_path=session_path)

    def restart_kernel(self, kernel_id: str) -> None:
        """The Restart Kernel command: ``POST /api/kernels/<id>/restart``."""
        self.checked("POST", f"api/kernels/{kernel_id}/restart", timeout=120)

    def notebook_code(self, path: str, until: str) -> list[str]:
        """The code cells of a notebook, from the top down to the first one containing ``until`` (included)."""
        cells = [c["source"] for c in self.notebook(path)["cells"] if c["cell_type"] == "code"]
        cells = ["".join(c) if isinstance(c, list) else c for c in cells]
        for i, src in enumerate(cells):
            if until in src:
                return cells[: i + 1]
        raise StudentError(f"no code cell of {path} contains {until!r}")


# ---------------------------------------------------------------------------- the kernel ---

@dataclass
class Explorer:
    """An explorer as the browser sees it: its controls' and its image's comm ids."""

    view: str
    controls: dict  # name -> comm id (the control's ``lrlib-control-<name>`` class)
    image: str


@dataclass
class Execution:
    outputs: list = field(default_factory=list)
    error: dict | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Kernel:
    """A kernel's websocket, read by a thread of its own; widget models mirrored from the comm messages."""

    def __init__(self, url: str, kernel_id: str, username: str, headers: list[str], session_path: str = "",
                 timeout_s: float = 60.0):
        self.kernel_id = kernel_id
        self.username = username
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(url, header=headers, subprotocols=[WS_PROTOCOL], timeout=timeout_s,
                                              enable_multithread=True)
        self.models: dict[str, dict] = {}      # comm id -> widget state (what the browser keeps)
        self.images: dict[str, tuple] = {}     # id of the move -> (time received, bytes of the PNG)
        self.states: list[tuple] = []          # (time, execution_state) of every status message
        self.last_sent: dict = {}              # comm id -> the last value a move sent
        self._executions: dict[str, Execution] = {}
        self._cond = threading.Condition()
        self.closed = False
        self.reader_error: BaseException | None = None
        self._reader = threading.Thread(target=self._read, name=f"ws-{username}", daemon=True)
        self._reader.start()

    # -- messages ---------------------------------------------------------------------------
    def _header(self, msg_type: str) -> dict:
        return {"msg_id": uuid.uuid4().hex, "username": self.username, "session": self.session,
                "date": datetime.now(timezone.utc).isoformat(), "msg_type": msg_type, "version": "5.3"}

    def send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        header = self._header(msg_type)
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        self.ws.send_binary(serialize_msg_to_ws_v1(parts, channel))
        return header["msg_id"]

    def _read(self) -> None:
        try:
            while not self.closed:
                try:
                    frame = self.ws.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                if not frame:
                    break
                now = time.perf_counter()
                channel, parts = deserialize_msg_from_ws_v1(frame)
                header, parent, _meta, content = (json.loads(p) for p in parts[:4])
                self._dispatch(now, channel, header, parent, content, parts[4:])
        except (websocket.WebSocketException, OSError) as exc:
            if not self.closed:
                self.reader_error = exc
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def _dispatch(self, now, channel, header, parent, content, buffers) -> None:
        msg_type, parent_id = header["msg_type"], parent.get("msg_id")
        with self._cond:
            if msg_type == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
            elif msg_type == "comm_msg" and content["comm_id"] in self.models:
                data = content["data"]
                if data.get("method") in ("update", "echo_update"):
                    state = self.models[content["comm_id"]]
                    state.update(data.get("state", {}))
                    if state.get("_model_name") == "ImageModel" and buffers and parent_id:
                        self.images[parent_id] = (now, bytes(buffers[0]))
            elif msg_type == "status":
                self.states.append((now, content["execution_state"]))
            ex = self._executions.get(parent_id)
            if ex is not None:
                if channel == "iopub" and msg_type in ("execute_result", "display_data", "stream", "error"):
                    ex.outputs.append({"output_type": msg_type, **content})
                if msg_type == "error" or (msg_type == "execute_reply" and content.get("status") == "error"):
                    ex.error = ex.error or content
                if msg_type == "status" and content["execution_state"] == "idle":
                    ex.done.set()
            self._cond.notify_all()

    # -- running code -----------------------------------------------------------------------
    def execute(self, code: str, timeout_s: float = 120.0) -> Execution:
        """Run a cell; wait until the kernel is idle again; raise :class:`StudentError` on an error."""
        ex = Execution()
        header = self._header("execute_request")
        with self._cond:
            self._executions[header["msg_id"]] = ex
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        self.ws.send_binary(serialize_msg_to_ws_v1(parts, "shell"))
        if not ex.done.wait(timeout_s):
            raise StudentError(f"the cell did not finish within {timeout_s} s:\n{code[:200]}")
        if ex.error:
            raise StudentError(f"the cell failed: {ex.error.get('ename')}: {ex.error.get('evalue')}\n{code[:200]}")
        return ex

    def wait_idle(self, timeout_s: float = 120.0) -> None:
        """Wait until the kernel answers (``kernel_info``), as JupyterLab does after connecting."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.closed:
                raise StudentError(f"the websocket closed: {self.reader_error}")
            try:
                self.execute("", timeout_s=min(10.0, max(0.1, deadline - time.monotonic())))
                return
            except StudentError:
                continue
        raise StudentError(f"the kernel did not answer within {timeout_s} s")

    def run_until_explorer(self, cells: list[str], timeout_s: float = 180.0) -> Explorer:
        """Run the cells in order; the last must show an explorer. Return its controls and image as comm ids."""
        self.wait_idle(timeout_s)
        ex = None
        for code in cells:
            ex = self.execute(code, timeout_s)
        views = [o["data"][WIDGET_VIEW]["model_id"] for o in ex.outputs
                 if o["output_type"] in ("display_data", "execute_result") and WIDGET_VIEW in o.get("data", {})]
        if not views:
            raise StudentError("the last cell showed no widget")
        return self.explorer(views[-1])

    def explorer(self, view: str) -> Explorer:
        controls, images, todo = {}, [], [view]
        with self._cond:
            while todo:
                comm_id = todo.pop()
                state = self.models.get(comm_id, {})
                todo += [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]
                if state.get("_model_name") == "ImageModel":
                    images.append(comm_id)
                for cls in state.get("_dom_classes", []):
                    if cls.startswith("lrlib-control-"):
                        controls[cls.removeprefix("lrlib-control-")] = comm_id
        if len(images) != 1 or not controls:
            raise StudentError(f"the view {view} is not an explorer ({len(images)} images, {len(controls)} controls)")
        return Explorer(view, controls, images[0])

    # -- moving the controls ----------------------------------------------------------------
    def move(self, comm_id: str, value) -> str:
        """Set a control's value the way @jupyter-widgets does when the slider moves; returns the message id."""
        with self._cond:
            self.models[comm_id]["value"] = value
            self.last_sent[comm_id] = value
        return self.send("comm_msg", {"comm_id": comm_id,
                                      "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})

    def next_value(self, comm_id: str, steps: int):
        """The value ``steps`` slider steps from the current one, turned back at the ends (a move that shows something new)."""
        with self._cond:
            s = dict(self.models[comm_id])
        if s.get("_model_name") not in SLIDERS:
            raise ValueError(f"the control {comm_id} is a {s.get('_model_name')}, not a slider")
        if s["_model_name"] == "FloatLogSliderModel":
            now = round(math.log(s["value"], s["base"]) / s["step"])
            lo, hi = math.ceil(s["min"] / s["step"] - 1e-9), math.floor(s["max"] / s["step"] + 1e-9)
            k = now + steps if lo <= now + steps <= hi else now - steps
            return float(f"{s['base'] ** (k * s['step']):.6g}")
        lo, hi, v = s["min"], s["max"], s["value"]
        new = v + steps * s["step"] if lo <= v + steps * s["step"] <= hi else v - steps * s["step"]
        return type(v)(round(new, 10)) if isinstance(v, float) else int(new)

    def wait_image(self, move_id: str, sent_at: float, timeout_s: float = 30.0) -> float | None:
        """Seconds from ``sent_at`` to the image update the move caused, or ``None`` if none came in time."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while move_id not in self.images:
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return None
                self._cond.wait(min(left, 0.5))
            return self.images[move_id][0] - sent_at

    def saw_state(self, state: str, since: float) -> bool:
        with self._cond:
            return any(t >= since and s == state for t, s in self.states)

    def close(self) -> None:
        self.closed = True
        try:
            self.ws.close()
        except (websocket.WebSocketException, OSError):
            pass
        self._reader.join(5)
