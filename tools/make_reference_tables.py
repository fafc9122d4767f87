#!/usr/bin/env python3
"""Write the reference tables in ``tests/lib/reference/`` from the real schedulers.

    python tools/make_reference_tables.py

For every case in ``tests/lib/torch_mapping.py`` it drives the real scheduler as a
training loop does (``optimizer.step(); scheduler.step()``) and records the lr the
optimizer held at each step. One JSON file per library:

* ``tests/lib/reference/torch.json``: ``torch.optim.lr_scheduler`` (needs torch);
* ``tests/lib/reference/transformers.json``: the ``transformers.optimization``
  schedules (needs transformers, which needs torch);
* ``tests/lib/reference/timm.json``: the ``timm.scheduler`` schedulers, stepped once
  per epoch as timm's training script does (needs timm and torch; the rest of timm
  needs torchvision, which ``timm.scheduler`` does not, so ``pip install --no-deps
  timm`` is enough);
* ``tests/lib/reference/optax.json``: optax's schedules, evaluated at the update counts
  an optax optimizer passes them, in float64 (needs optax and jax; not torch);
* ``tests/lib/reference/keras.json``: Keras's schedules, evaluated the same way on its JAX
  backend (needs keras and jax; not torch, nor TensorFlow).

``ReduceLROnPlateau`` reads a loss: its tables also hold the metrics it was given, one
``scheduler.step(metrics[k])`` per step.

Each file records the library and its version, and each table the class (or
function), its keyword arguments, the base lr, the steps and the lrs. A library
that cannot be imported is skipped with a message and its old file is left as it
is. ``tests/test_reference_tables.py`` then checks lrlib against the tables
without needing torch.

"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "lib" / "reference"
sys.path.insert(0, str(ROOT / "tests" / "lib"))

import torch_mapping as tm  # noqa: E402

LIBRARIES = {
    "torch": ("torch.optim.lr_scheduler", tm.TORCH_CASES),
    "transformers": ("transformers.optimization", tm.TRANSFORMERS_CASES),
    "timm": ("timm.scheduler", tm.TIMM_CASES),
    "optax": ("optax", tm.OPTAX_CASES),
    "keras": ("keras.optimizers.schedules", tm.KERAS_CASES),
}

ABOUT = ("lrs[k] is the learning rate the optimizer held during its k-th step (from 0), i.e. after k calls "
         "of scheduler.step() (timm: after scheduler.step(k), or step_update(k) when t_in_epochs is False), with a one-parameter torch.optim.SGD(lr=base_lr, momentum=0.9) stepped as "
         "optimizer.step(); scheduler.step(). Written by tools/make_reference_tables.py; the lrlib schedule "
         "each table must match is given by tests/lib/torch_mapping.py.")

ABOUT_OPTAX = ("lrs[k] is schedule(k), the learning rate an optax optimizer uses for its k-th update (its count "
               "starts at 0), computed with jax_enable_x64. Written by tools/make_reference_tables.py; the lrlib "
               "schedule each table must match is given by tests/lib/torch_mapping.py.")

ABOUT_KERAS = ("lrs[k] is schedule(k), the learning rate a Keras optimizer uses for its k-th update (its iteration "
               "count starts at 0), computed in float64 on the JAX backend with jax_enable_x64. Written by "
               "tools/make_reference_tables.py; the lrlib schedule each table must match is given by "
               "tests/lib/torch_mapping.py.")

ABOUT_PLATEAU = (" ReduceLROnPlateau tables: scheduler.step(metrics[k]) instead of scheduler.step(), so lrs[k] "
                 "follows metrics[:k].")


def dumps(doc: dict) -> str:
    """JSON with one table per line: small, and a regenerated file diffs table by table."""
    lines = ["{"]
    for key, value in doc.items():
        if key != "tables":
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    lines.append('  "tables": [')
    rows = [f"    {json.dumps(t)}" for t in doc["tables"]]
    lines.append(",\n".join(rows))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def tabulate(library: str) -> dict | None:
    module, cases = LIBRARIES[library]
    try:
        version = tm.library_version(library)  # imports what the cases use, or raises ImportError
    except ImportError as exc:
        print(f"{library}: skipped, cannot import {module} ({exc})")
        return None
    tables, disagree = [], 0
    for case in cases:
        lrs = tm.run_real(case)
        steps = tm.steps_of(case)
        tables.append({**case, "steps": [int(s) for s in steps], "lrs": lrs})
        # The table records the real library whatever lrlib says; a disagreement is only reported.
        try:
            tm.assert_agrees(tm.lrlib_schedule(case)(steps), lrs)
        except AssertionError:
            print(f"  lrlib disagrees with {tm.case_id(case)}")
            disagree += 1
    values = sum(len(t["lrs"]) for t in tables)
    print(f"{library} {version}: {len(tables)} tables, {values} values, lrlib disagrees with {disagree}")
    # transformers' and timm's schedules drive a torch optimizer, so torch's version is recorded too
    extra = {} if library in ("torch", "optax", "keras") else {"torch_version": tm.library_version("torch")}
    about = {"optax": ABOUT_OPTAX, "keras": ABOUT_KERAS}.get(library, ABOUT)
    if any("metrics" in case for case in cases):
        about += ABOUT_PLATEAU
    return {"library": library, "version": version, "module": module, **extra,
            "python": platform.python_version(), "about": about, "tables": tables}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for library in LIBRARIES:
        doc = tabulate(library)
        if doc is None:
            continue
        path = OUT / f"{library}.json"
        path.write_text(dumps(doc), encoding="utf-8")
        print(f"  wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
