"""One student cannot read or run anything in another student's server.

alice tries bob's server with what she has: her API token, her browser's cookies, and her own
server's cookie renamed to bob's. Every try must be refused (403, or a redirect that ends in
the hub's 403) for the REST API (contents, kernels, sessions), the kernel websocket and file
downloads (``/files/...``), and without bob's content in the answer. The same requests with
bob's own credentials succeed: the refusals are about alice, not about wrong addresses.
"""

from __future__ import annotations

import pytest
import requests
import websocket
from conftest import require_classroom

WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
SECRET = "bob's secret answer 42"


@pytest.fixture(scope="module")
def tokens(seats):
    require_classroom()
    bob = seats["bob"].student
    bob.checked("PUT", "api/contents/answers.txt", json={"type": "file", "format": "text", "content": SECRET})
    return {"alice": seats["alice"].student.new_token("isolation test"), "bob": bob.new_token("isolation test")}


def bob_paths(seats) -> list[tuple[str, str]]:
    kernel_id = seats["bob"].kernel.kernel_id
    return [("GET", "api/contents"), ("GET", "api/contents/answers.txt"), ("GET", "files/answers.txt"),
            ("GET", "files/lessons/notebooks/en/00_start_here.ipynb"), ("GET", "api/kernels"),
            ("GET", f"api/kernels/{kernel_id}"), ("GET", "api/sessions"),
            ("POST", "api/kernels"), ("PUT", "api/contents/planted.txt"),
            ("POST", f"api/kernels/{kernel_id}/interrupt"), ("GET", "lab")]


def _body(method: str) -> dict:
    return {"json": {"type": "file", "format": "text", "content": "planted"}} if method == "PUT" else \
        {"json": {"name": "python3"}} if method == "POST" else {}


def refused(r: requests.Response) -> bool:
    """403 straight away, or the hub's 403 at the end of the OAuth redirect a browser follows."""
    return r.status_code == 403 and SECRET not in r.text


def test_alices_token_is_refused_by_bobs_server(room, seats, tokens):
    url = seats["alice"].student.server_url
    for method, path in bob_paths(seats):
        r = requests.request(method, url(path, owner="bob"), headers={"Authorization": f"token {tokens['alice']}"},
                             timeout=30, **_body(method))
        assert refused(r), (method, path, r.status_code, r.text[:200])
        if method == "GET":  # the same request with bob's token is answered
            ok = requests.get(url(path, owner="bob"), headers={"Authorization": f"token {tokens['bob']}"}, timeout=30)
            assert ok.status_code == 200, (method, path, ok.status_code, ok.text[:200])
    assert requests.get(url("files/answers.txt", owner="bob"), timeout=30,
                        headers={"Authorization": f"token {tokens['bob']}"}).text == SECRET
    assert_nothing_done_to_bob(room, seats, tokens)


def assert_nothing_done_to_bob(room, seats, tokens):
    """No file planted in bob's home, no kernel started in his server, his server still up."""
    assert not (room.home("bob") / "planted.txt").exists()
    kernels = requests.get(seats["bob"].student.server_url("api/kernels"), timeout=30,
                           headers={"Authorization": f"token {tokens['bob']}"}).json()
    assert [k["id"] for k in kernels] == [seats["bob"].kernel.kernel_id]
    r = room.api("GET", "users/bob")
    assert r.status_code == 200 and r.json()["servers"][""]["ready"]


def test_alices_browser_cookies_are_refused_by_bobs_server(room, seats, tokens):
    alice, bob = seats["alice"].student, seats["bob"].student
    for method, path in bob_paths(seats):
        r = alice.request(method, path, owner="bob", **_body(method))  # follows redirects, as a browser does
        assert refused(r), (method, path, r.status_code, r.url, r.text[:200])
        if method == "GET":
            assert bob.request(method, path).status_code == 200, (method, path)
    assert_nothing_done_to_bob(room, seats, tokens)


def test_alices_server_cookie_renamed_to_bobs_is_refused(room, seats, tokens):
    alice = seats["alice"].student
    value = next(c.value for c in alice.http.cookies if c.name == "jupyterhub-user-alice")
    for method, path in bob_paths(seats):
        r = requests.request(method, alice.server_url(path, owner="bob"), cookies={"jupyterhub-user-bob": value},
                             allow_redirects=False, timeout=30, **_body(method))
        assert r.status_code in (302, 403) and SECRET not in r.text, (method, path, r.status_code)
        if r.status_code == 302:  # sent to the hub to log in again, not let in
            assert "/hub/" in r.headers["location"]
    assert_nothing_done_to_bob(room, seats, tokens)


@pytest.mark.parametrize("credential", ["token", "cookies", "own server cookie"])
def test_alices_credentials_cannot_open_bobs_kernel_websocket(room, seats, tokens, credential):
    alice, bob = seats["alice"].student, seats["bob"].student
    kernel_id = seats["bob"].kernel.kernel_id
    header = {"token": [f"Authorization: token {tokens['alice']}"],
              "cookies": [f"Cookie: {alice.cookie_header('bob')}"],
              "own server cookie": [f"Cookie: {alice.cookie_header()}"]}[credential]
    with pytest.raises(websocket.WebSocketBadStatusException) as refusal:
        websocket.create_connection(alice.kernel_ws_url(kernel_id, owner="bob"), header=header,
                                    subprotocols=[WS_PROTOCOL], timeout=30)
    assert refusal.value.status_code == 403
    ws = websocket.create_connection(bob.kernel_ws_url(kernel_id), header=[f"Authorization: token {tokens['bob']}"],
                                     subprotocols=[WS_PROTOCOL], timeout=30)  # bob's own token opens it
    ws.close()


def test_alice_cannot_act_on_bobs_account_through_the_hub(room, seats, tokens):
    alice = seats["alice"].student
    for method, path in [("GET", "users/bob"), ("POST", "users/bob/tokens"), ("GET", "users/bob/tokens"),
                         ("POST", "users/bob/server"), ("DELETE", "users/bob/server"), ("GET", "users")]:
        r = requests.request(method, f"{room.url}/hub/api/{path}", headers={"Authorization": f"token {tokens['alice']}"},
                             timeout=30)
        assert r.status_code in (403, 404), (method, path, r.status_code)
        assert alice.hub_request(method, path).status_code in (403, 404), (method, path)
    assert_nothing_done_to_bob(room, seats, tokens)
