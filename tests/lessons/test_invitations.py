"""Every invitation in a lesson to change something and run again works.

A lesson marks such an invitation with an HTML comment in the same markdown cell,
``<!-- try: {"replace": "weight_decay=0.01", "with": "weight_decay=0.0"} -->``. For each
one (one test per invitation, so pytest-xdist can spread them), the student notebook
(``notebooks/{zh,en}/``, which has no check cells) gets the change in the one code cell
that contains the ``replace`` text, and runs from top to bottom in a fresh kernel (on Unix
sockets where there are any, as ``tools/kernel_ipc.py`` explains): no cell may fail.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient", reason="nbclient runs the notebooks")
nbformat = pytest.importorskip("nbformat")
ipykernel_spec = pytest.importorskip("ipykernel.kernelspec")
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from traitlets import default  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
TRY = re.compile(r"<!--\s*try:\s*(\{.*?\})\s*-->", re.S)
KERNEL = "lrlib-current-env"
CELL_TIMEOUT_S = 120


def _spec_and_manager():
    """A kernel manager for a kernel of the interpreter running the tests, on Unix sockets where possible."""
    base = KernelManager
    if os.name == "posix":
        spec = importlib.util.spec_from_file_location("kernel_ipc_for_invitations", ROOT / "tools" / "kernel_ipc.py")
        kernel_ipc = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(kernel_ipc)
        base = kernel_ipc.UnixSocketKernelManager

    class CurrentEnvKernels(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == KERNEL:
                return self.kernel_spec_class(resource_dir=ipykernel_spec.RESOURCES, **ipykernel_spec.get_kernel_dict())
            return super().get_kernel_spec(kernel_name)

    class Manager(base):
        @default("kernel_spec_manager")
        def _default_kernel_spec_manager(self):
            return CurrentEnvKernels(data_dir=self.data_dir)

    return Manager


def _source(cell) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def invitations(root: Path = ROOT) -> list[tuple[str, str, int, dict]]:
    """(lang, stem, n, {"replace": ..., "with": ...}) for every ``try`` comment of every student notebook."""
    out = []
    for lang in ("zh", "en"):
        for path in sorted((root / "notebooks" / lang).glob("[0-9][0-9]_*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            found = [m for c in nb["cells"] if c["cell_type"] == "markdown" for m in TRY.findall(_source(c))]
            out += [(lang, path.stem, n, json.loads(m)) for n, m in enumerate(found, 1)]
    return out


def apply(nb, invitation: dict):
    """The notebook with the invitation's change made in the one code cell that has the ``replace`` text."""
    old, new = invitation["replace"], invitation["with"]
    if not (isinstance(old, str) and isinstance(new, str) and old and old != new):
        raise ValueError(f"a try comment needs two different strings 'replace' and 'with', got {invitation!r}")
    hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and old in c.source]
    if len(hits) != 1:
        raise ValueError(f"{old!r} is in {len(hits)} code cells of the student notebook; it must be in exactly one")
    changed = copy.deepcopy(nb)
    changed.cells[hits[0]].source = changed.cells[hits[0]].source.replace(old, new)
    return changed


def test_invitations_are_found_and_applied_as_written():
    """The comments are read from markdown only, and a change goes into exactly one cell or is refused."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell('Try 0. <!-- try: {"replace": "lr = 0.1", "with": "lr = 0.0"} -->'),
                nbformat.v4.new_code_cell("lr = 0.1\nprint(lr)"), nbformat.v4.new_code_cell("x = 2")]
    found = [json.loads(m) for c in nb.cells if c.cell_type == "markdown" for m in TRY.findall(c.source)]
    assert found == [{"replace": "lr = 0.1", "with": "lr = 0.0"}]
    assert apply(nb, found[0]).cells[1].source == "lr = 0.0\nprint(lr)"
    assert nb.cells[1].source == "lr = 0.1\nprint(lr)"  # the original is left alone
    with pytest.raises(ValueError, match="in 0 code cells"):
        apply(nb, {"replace": "lr = 0.2", "with": "lr = 0.0"})
    nb.cells.append(nbformat.v4.new_code_cell("lr = 0.1"))
    with pytest.raises(ValueError, match="in 2 code cells"):
        apply(nb, found[0])


INVITATIONS = invitations()


def test_there_are_invitations():
    assert len(INVITATIONS) >= 2 and {lang for lang, *_ in INVITATIONS} == {"zh", "en"}


@pytest.mark.parametrize("lang,stem,n,invitation", INVITATIONS,
                         ids=[f"{lang}-{stem}-{n}" for lang, stem, n, _ in INVITATIONS])
def test_an_invitation_runs(lang, stem, n, invitation):
    """The student notebook with the change runs to the end without an error."""
    path = ROOT / "notebooks" / lang / f"{stem}.ipynb"
    nb = apply(nbformat.read(path, as_version=4), invitation)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3 (this environment)", "language": "python"}
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name=KERNEL,
                                     kernel_manager_class=_spec_and_manager(),
                                     resources={"metadata": {"path": str(path.parent)}})
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "LRLIB_LANG")}  # as in a lab
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{lang}/{stem}: after {invitation['replace']!r} -> {invitation['with']!r}, a cell fails:\n"
                    f"{str(err)[-1500:]}")
