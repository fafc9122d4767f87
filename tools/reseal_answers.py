#!/usr/bin/env python3
"""Re-seal the expected answers in the lesson sources with lrcourse's one-way seals.

    python3 tools/reseal_answers.py            # rewrite lessons/*/*.md in place; print each decision
    python3 tools/reseal_answers.py --check    # write nothing; exit 1 if an old, reversible seal is left

Earlier lessons sealed answers reversibly (``"sealed:" + base64`` of the JSON value,
reversed). This finds every such string in the sources' code cells, reads the value, and
writes the one-way seal of ``lrcourse.exercises`` in its place, sealed at the tolerance of
the check it goes to (read from the call's ``rtol``/``atol``, else the check's defaults):

- ``check_number(x, "sealed:...", rtol=...)``      -> ``seal(value, rtol=..., atol=...)``
- ``check_choice(x, "sealed:...", ...)``           -> ``seal(option)``
- ``check_range(x, "sealed:lo", "sealed:hi", ...)`` -> ``check_range(x, seal_range(lo, hi, ...), ...)``,
  at the coarsest resolution that accepts the same two-decimal values as the plain range
- ``check_function`` cases and ``check_schedule`` values (``dict(values="sealed:...")``, or a
  variable set to the sealed string) -> their expected values sealed one by one
- ``unseal("sealed:...")`` in a check or solution cell -> the plain value (only the lesson's
  author and the check edition read it), and its import goes

Only the sealed strings change; the rest of each file is left as it is.
"""

from __future__ import annotations

import argparse
import ast
import base64
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD = re.compile(r'"sealed:([A-Za-z0-9+/]+=*)"')  # the reversible form: no kind letter and colon after "sealed:"
DEFAULTS = {"check_number": (1e-2, 0.0), "check_function": (1e-6, 1e-12), "check_schedule": (1e-6, 1e-12),
            "dict": (1e-6, 1e-12)}


def old_value(b64: str):
    """The value inside an old, reversible seal."""
    return json.loads(base64.b64decode(b64)[::-1].decode("utf-8"))


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _tolerance(call: ast.Call, kind: str) -> tuple[float, float]:
    rtol, atol = DEFAULTS[kind]
    for kw in call.keywords:
        if kw.arg in ("rtol", "atol"):
            value = float(ast.literal_eval(kw.value))
            rtol, atol = (value, atol) if kw.arg == "rtol" else (rtol, value)
    return rtol, atol


def _contexts(code: str, file_text: str):
    """(token, what to do) for every old seal in a code cell: ("number"|"cases"|"values", rtol, atol),
    ("choice",), ("range", lo_token, hi_token) or ("plain",)."""
    tree = ast.parse(code)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and OLD.fullmatch(f'"{node.value}"')):
            continue
        token, parent = node.value, parents.get(node)
        if isinstance(parent, ast.keyword):
            parent = parents[parent]
        if isinstance(parent, ast.Assign):  # NAME = "sealed:...": the check that NAME goes to, anywhere in the file
            var = parent.targets[0].id
            call = re.search(rf"(check_function|check_schedule)\([^()]*\b{var}\b[^()]*\)", file_text)
            kind = call.group(1) if call else "check_function"
            rtol, atol = _tolerance(ast.parse(call.group(0)).body[0].value, kind) if call else DEFAULTS[kind]
            yield token, ("values" if kind == "check_schedule" else "cases", rtol, atol)
            continue
        if not isinstance(parent, ast.Call):
            raise ValueError(f"a sealed string outside a call or an assignment: {ast.unparse(parent)[:80]}")
        name = _name(parent.func)
        if name == "check_number":
            yield token, ("number", *_tolerance(parent, name))
        elif name == "check_choice":
            yield token, ("choice",)
        elif name == "check_function":
            yield token, ("cases", *_tolerance(parent, name))
        elif name == "dict":
            yield token, ("values", *_tolerance(parent, name))
        elif name == "unseal":
            yield token, ("plain",)
        elif name == "check_range":
            args = [a.value for a in parent.args[1:3] if isinstance(a, ast.Constant)]
            yield token, ("range", *args)
        else:
            raise ValueError(f"a sealed string in a call of {name}(): {ast.unparse(parent)[:80]}")


def range_token(lo: float, hi: float) -> str:
    """``seal_range(lo, hi)`` at the coarsest resolution that accepts exactly the two-decimal values
    in ``[lo, hi]`` (what a lesson tests on a 1 % grid)."""
    from lrcourse.exercises import _in_range, seal_range

    grid = [round(k / 100, 2) for k in range(math.floor(lo * 100) - 20, math.ceil(hi * 100) + 21)]
    for resolution in (0.005, 0.004, 0.003, 0.0025, 0.002, 0.0015, 0.001, 0.0005):
        token = seal_range(lo, hi, resolution=resolution)
        if all(_in_range(x, token) == (lo <= x <= hi) for x in grid):
            return token
    raise ValueError(f"no resolution seals [{lo}, {hi}] exactly on the two-decimal grid")


def reseal_text(text: str, say=print) -> str:
    """The source ``text`` with every old seal replaced (see the module docstring)."""
    import jupytext

    from lrcourse.exercises import seal

    cells = [c.source for c in jupytext.reads(text, fmt="md:myst").cells if c.cell_type == "code"]
    decided: dict[str, tuple] = {}
    unsealed = set()
    for code in cells:
        if not OLD.search(code):
            continue
        for token, what in _contexts(code, text):
            if what == ("plain",):
                unsealed.add(token)
            elif decided.setdefault(token, what) != what:
                raise ValueError(f"{token[:30]}... goes to two different checks: {decided[token]} and {what}")
    for token in unsealed:  # first: unseal("...") becomes the plain value
        n = text.count(f'unseal("{token}")')
        text = text.replace(f'unseal("{token}")', repr(old_value(token[len("sealed:"):])))
        say(f"  unseal(...) -> the plain value ({n} places)")
    if unsealed and not re.search(r"\bunseal\(", text):  # lrcourse has no unseal any more
        text = re.sub(r"^from lrcourse\.exercises import unseal\n", "", text, flags=re.M)
    for token, what in decided.items():
        value = old_value(token[len("sealed:"):])
        if what[0] == "range":
            lo, hi = old_value(what[1][len("sealed:"):]), old_value(what[2][len("sealed:"):])
            new = range_token(lo, hi)
            n = text.count(f'"{what[1]}", "{what[2]}"')
            text = text.replace(f'"{what[1]}", "{what[2]}"', f'"{new}"')
            say(f"  check_range [{lo}, {hi}] -> one sealed range ({n} calls)")
            continue
        if what[0] == "choice":
            if not isinstance(value, str):
                raise ValueError(f"a choice that is not a string: {value!r}")
            new = seal(value)
        elif what[0] == "cases":
            new = seal([(args, exp) for args, exp in value], rtol=what[1], atol=what[2])
        elif what[0] == "values":
            new = seal(dict(value), rtol=what[1], atol=what[2])
        else:
            new = seal(float(value), rtol=what[1], atol=what[2])
        n = text.count(f'"{token}"')
        text = text.replace(f'"{token}"', f'"{new}"')
        say(f"  {what[0]} {json.dumps(value)[:60]}{' at rtol=%g, atol=%g' % what[1:] if len(what) == 3 else ''}"
            f" ({n} places)")
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if an old seal is left")
    ap.add_argument("paths", nargs="*", type=Path, help="sources (default: lessons/*/*.md)")
    args = ap.parse_args(argv)
    paths = args.paths or sorted((ROOT / "lessons").glob("*/*.md"))
    left = [p for p in paths if OLD.search(p.read_text(encoding="utf-8"))]
    if args.check:
        for p in left:
            print(f"old, reversible seals in {p}")
        return 1 if left else 0
    for p in left:
        print(p)
        text = p.read_text(encoding="utf-8")
        p.write_text(reseal_text(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
