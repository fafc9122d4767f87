"""The one-page cheat sheet (docs/cheatsheet.{zh,en}.md): every family, the same rows in both languages,
and the other libraries' names it gives exist in those libraries."""

import importlib
import re
from pathlib import Path

import pytest

import lrlib

ROOT = Path(__file__).resolve().parents[1]
SHEETS = {lang: (ROOT / "docs" / f"cheatsheet.{lang}.md").read_text(encoding="utf-8") for lang in ("zh", "en")}
COLUMNS = ("lrlib", "formula", "torch", "transformers", "timm", "optax")


def rows(text):
    out = []
    for line in text.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.append(dict(zip(COLUMNS, cells)))
    return out


FAMILIES = [n for n in lrlib.__all__ if n not in {"Schedule", "Phase", "Event", "ScheduleArgumentError", "compat", "units",
                                                 "epochs_to_iterations", "fractional_epochs", "epoch_of_iteration",
                                                 "join", "decay", "PlateauState"}]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_family_has_a_row(lang):
    named = {re.match(r"`(?:compat\.)?(\w+)", r["lrlib"]).group(1) for r in rows(SHEETS[lang])}
    missing = [f for f in FAMILIES if f not in named]
    assert not missing, f"cheat sheet ({lang}) has no row for {missing}"


def test_both_languages_have_the_same_rows_and_library_names():
    zh, en = rows(SHEETS["zh"]), rows(SHEETS["en"])
    assert [r["lrlib"] for r in zh] == [r["lrlib"] for r in en]
    for a, b in zip(zh, en):
        for col in ("torch", "transformers", "timm", "optax"):
            assert re.findall(r"`(\w+)", a[col]) == re.findall(r"`(\w+)", b[col]), (a["lrlib"], col)


WHERE = ("torch", "transformers", "timm", "optax")


@pytest.mark.parametrize("column", WHERE)
def test_the_other_libraries_names_exist(column):
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "lib"))
    import torch_mapping as tm  # the same import (and the same LRLIB_REQUIRE_* rule) as the comparisons

    module = tm.import_or_skip(column, tm.IMPORTERS[column])
    if column == "transformers":
        module = importlib.import_module("transformers")
    names = {re.match(r"`([\w.]+)", r[column]).group(1) for r in rows(SHEETS["en"]) if r[column].startswith("`")}
    names = {n for n in names if n[0].isupper() or n.startswith(("get_", "contrib.")) or "_" in n} - {"num_warmup_steps", "warmup_t", "warmup_prefix", "warmup_"}
    assert names, column
    for name in names:
        obj = module
        for part in name.split("."):
            assert hasattr(obj, part), f"{column} has no {name}"
            obj = getattr(obj, part)
