#!/usr/bin/env python3
"""Record what the original ``get_lr_scheduler`` returns for the calls in ``seed_get_lr_scheduler.json``.

The YOLO recipe lrlib reproduces (``lrlib.compat.get_lr_scheduler``) is checked against
530 recorded calls of the original function: values at whole and fractional steps,
the old and the current upstream defaults, random arguments, and where it raised.
This script records them again from a copy of the original function::

    python3 tests/lib/data/record_seed_golden.py --original path/to/yolo_training.py

``--original`` is a Python file that defines the original ``get_lr_scheduler``
(for instance ``nets/yolo_training.py`` of a YOLO repository that uses this recipe;
it is not part of this repository). The calls (arguments and steps) are read from the
existing JSON file and each one is made again; the file is written back (or to
``--out``). ``--check`` writes nothing and exits 1 if a recorded value differs by more
than a relative 1e-15.

Each case is ``{lr_decay_type, lr, min_lr, total_iters, kwargs, iters}`` plus either
``lrs`` (one value per step, or ``{"raises": type, "message": text}`` where calling
the schedule at that step raised) or ``raises``/``message`` (building it raised).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "seed_get_lr_scheduler.json"
ABOUT = ("Outputs of the get_lr_scheduler function quoted in the seed document, one entry per call of "
         "get_lr_scheduler; 'raises' where building or calling it raised.")
SPEC_KEYS = ("lr_decay_type", "lr", "min_lr", "total_iters", "kwargs", "iters")


def load_function(path: Path):
    """``get_lr_scheduler`` from the Python file at ``path``."""
    spec = importlib.util.spec_from_file_location("original_recipe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_lr_scheduler


def record_case(get_lr_scheduler, spec: dict) -> dict:
    """Call the original once for ``spec`` and record what it returned or raised."""
    case = {k: spec[k] for k in SPEC_KEYS}
    try:
        func = get_lr_scheduler(spec["lr_decay_type"], spec["lr"], spec["min_lr"], spec["total_iters"],
                                **spec["kwargs"])
    except Exception as exc:  # recorded, as the original behaves
        case.update(raises=type(exc).__name__, message=str(exc))
        return case
    lrs = []
    for step in spec["iters"]:
        try:
            lrs.append(float(func(step)))
        except Exception as exc:
            lrs.append({"raises": type(exc).__name__, "message": str(exc)})
    case["lrs"] = lrs
    return case


def record(get_lr_scheduler, specs: list[dict]) -> dict:
    return {"about": ABOUT, "cases": [record_case(get_lr_scheduler, s) for s in specs]}


def differences(old: dict, new: dict, rtol: float = 1e-15) -> list[str]:
    """Where two recordings disagree (values beyond ``rtol``, or a different error)."""
    out = []
    for i, (a, b) in enumerate(zip(old["cases"], new["cases"])):
        if a.get("raises") != b.get("raises"):
            out.append(f"case {i}: raised {a.get('raises')} before, {b.get('raises')} now")
            continue
        for step, x, y in zip(a.get("iters", []), a.get("lrs", []), b.get("lrs", [])):
            if isinstance(x, dict) or isinstance(y, dict):
                if not (isinstance(x, dict) and isinstance(y, dict) and x["raises"] == y["raises"]):
                    out.append(f"case {i}, step {step}: {x} before, {y} now")
            elif not math.isclose(x, y, rel_tol=rtol, abs_tol=0.0):
                out.append(f"case {i}, step {step}: {x!r} before, {y!r} now")
    if len(old["cases"]) != len(new["cases"]):
        out.append(f"{len(old['cases'])} cases before, {len(new['cases'])} now")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--original", type=Path, required=True, help="a .py file defining the original get_lr_scheduler")
    parser.add_argument("--out", type=Path, default=GOLDEN, help=f"where to write (default: {GOLDEN.name})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the recording differs")
    args = parser.parse_args(argv)
    old = json.loads(GOLDEN.read_text(encoding="utf-8"))
    new = record(load_function(args.original), old["cases"])
    if args.check:
        diff = differences(old, new)
        print("\n".join(diff) if diff else f"all {len(new['cases'])} cases agree")
        return 1 if diff else 0
    args.out.write_text(json.dumps(new, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(new['cases'])} cases to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
