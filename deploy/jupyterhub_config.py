# JupyterHub configuration of the one-machine classroom that deploy/classroom.py starts.
#
# Everything that changes from one start to the next (the folder, the ports, the password,
# where the proxy and the students' environment are) is read from classroom.json in the
# folder named by LRLIB_CLASSROOM; the rest is written out here, so that this file reads as
# the set-up itself. For a real class, see deploy/README.md: TLJH and Zero to JupyterHub
# set the same things (spawner, authenticator, proxy, the students' environment) their way.
import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 (defined by JupyterHub when it reads this file)

root = Path(os.environ["LRLIB_CLASSROOM"])
settings = json.loads((root / "classroom.json").read_text(encoding="utf-8"))

# Loopback only: the proxy (what students' browsers talk to), its API, the hub, the servers.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.Spawner.ip = "127.0.0.1"

# configurable-http-proxy (npm), started and stopped by the hub.
c.JupyterHub.proxy_class = "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(root / "proxy.pid")

# State that outlives a restart of the hub: its database and the secret that signs cookies.
c.JupyterHub.db_url = f"sqlite:///{root / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(root / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(root / "jupyterhub.pid")
# A restart of the hub leaves the students' servers (and their kernels) running, as Zero to
# JupyterHub's configuration does.
c.JupyterHub.cleanup_servers = False

# A test authenticator: every student account the teacher created logs in with the one password.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = settings["password"]
c.Authenticator.allow_existing_users = True  # the students are added through the hub's API

# One process per student on this machine, each with its own home folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(root / "home" / "{username}")
c.Spawner.cmd = [settings["singleuser"]]  # jupyterhub-singleuser of the course environment
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = settings["default_url"]
c.Spawner.environment = {"LRLIB_CLASSROOM": str(root)}  # marks every process of this classroom
c.Spawner.args = ["--ServerApp.allow_root=True"] if settings["as_root"] else []
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# The classroom's own service account: adds students, and reads and stops servers (its token
# is for the script, never for a student).
c.JupyterHub.services = [{"name": "classroom-admin", "api_token": settings["admin_token"]}]
c.JupyterHub.load_roles = [{
    "name": "classroom-admin",
    "scopes": ["admin:users", "admin:servers", "tokens"],
    "services": ["classroom-admin"],
}]
