"""The lessons also run where PyTorch is not installed (it is optional for students).

Lesson 10 (PyTorch in practice) is executed in zh and en, and every lesson whose source
mentions ``import torch`` in one language, in a kernel where ``import torch`` raises
ImportError (a package named ``torch`` whose ``__init__`` raises, first on PYTHONPATH).
Every cell must succeed; in lesson 10 every PyTorch cell must also print, in the
notebook's language, how to install PyTorch. nbval runs the same notebooks with
PyTorch installed.
"""

import os
from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient", reason="nbclient is needed to execute notebooks")
nbformat = pytest.importorskip("nbformat", reason="nbformat is needed to read notebooks")
ipykernel_spec = pytest.importorskip("ipykernel.kernelspec", reason="ipykernel is needed to run a kernel")
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402  (installed with nbclient)
from jupyter_client.manager import KernelManager  # noqa: E402
from traitlets import default  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
KERNEL = "lrlib-current-env"
TORCH_CELL = "if torch_or_skip():"
# What lesson 10 says, in its language, when PyTorch is missing and when it is found.
MISSING = {"zh": "这个单元格需要 PyTorch，但当前内核的环境中没有安装",
           "en": "This cell needs PyTorch, which is not installed in this kernel's environment"}
FOUND = {"zh": "下面需要 PyTorch 的单元格都会运行", "en": "the PyTorch cells below will run"}


class _CurrentEnvKernels(KernelSpecManager):
    """A kernel from the interpreter running the tests (like nbval's --nbval-current-env)."""

    def get_kernel_spec(self, kernel_name):
        if kernel_name == KERNEL:
            return self.kernel_spec_class(resource_dir=ipykernel_spec.RESOURCES,
                                          **ipykernel_spec.get_kernel_dict())
        return super().get_kernel_spec(kernel_name)


class _CurrentEnvKernelManager(KernelManager):
    """A kernel manager that knows the current-environment kernel; nbclient owns and shuts it down."""

    @default("kernel_spec_manager")
    def _default_kernel_spec_manager(self):
        return _CurrentEnvKernels(data_dir=self.data_dir)


@pytest.fixture(scope="module")
def env_without_torch(tmp_path_factory):
    """The environment for a kernel in which ``import torch`` raises ImportError."""
    shadow = tmp_path_factory.mktemp("no_torch")
    (shadow / "torch").mkdir()
    (shadow / "torch" / "__init__.py").write_text(
        'raise ImportError("PyTorch is hidden for this test (tests/test_lessons_without_torch.py)")\n',
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "LRLIB_REQUIRE_TORCH")}
    env["PYTHONPATH"] = os.pathsep.join([str(shadow), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def _execute_without_torch(path: Path, env: dict):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, kernel_manager_class=_CurrentEnvKernelManager,
                                     timeout=120, allow_errors=False,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)  # raises CellExecutionError if any cell fails
    return nb


# Every other lesson that can use PyTorch, found from the sources (so a new one is not missed).
OPTIONAL_TORCH = sorted(p.stem for p in (ROOT / "lessons" / "en").glob("[0-9][0-9]_*.md")
                        if "import torch" in p.read_text(encoding="utf-8") and not p.stem.startswith("10_"))


def test_the_optional_torch_lessons_are_found():
    assert {"03_cosine_annealing_deeper", "06_warm_restarts_deeper", "09_modern_schedules_deeper"} <= set(OPTIONAL_TORCH)


@pytest.mark.parametrize("stem", OPTIONAL_TORCH)
def test_lesson_runs_without_torch(stem, env_without_torch):
    nb = _execute_without_torch(ROOT / "notebooks" / "en" / f"{stem}.ipynb", env_without_torch)
    assert any(c.cell_type == "code" and "import torch" in c.source for c in nb.cells)


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lesson10_runs_without_torch(lang, env_without_torch):
    """Every cell runs without error; each PyTorch cell says how to install it, in the notebook's language."""
    paths = sorted(p for p in (ROOT / "notebooks" / lang).glob("10_*.ipynb") if not p.stem.endswith("_deeper"))
    assert len(paths) == 1, f"expected one lesson-10 notebook in notebooks/{lang}, found {paths}"
    nb = _execute_without_torch(paths[0], env_without_torch)

    install = "%pip install torch --index-url https://download.pytorch.org/whl/cpu"  # into the kernel's environment
    code = [c for c in nb.cells if c.cell_type == "code"]
    torch_cells = [c for c in code if TORCH_CELL in c.source]
    assert len(torch_cells) >= 5, "the lesson's PyTorch cells were not found"  # trace, order, weights, checkpoint, off-by-one
    for cell in [code[1], *torch_cells]:  # the setup cell says PyTorch is missing, and so does every PyTorch cell
        said = _text(cell)
        assert install in said and MISSING[lang] in said, f"no install message from the cell {cell.source[:60]!r}"
    assert FOUND[lang] not in _text(code[1]), "the setup cell claims PyTorch was found"
