"""lrlib against tables recorded from the real schedulers (no torch needed).

``tests/lib/reference/*.json`` were written by ``tools/make_reference_tables.py``,
which drove PyTorch's (and transformers', timm's) schedulers through a training loop and
evaluated optax's and Keras's schedules at an optimizer's update counts.
Here every table is compared with the lrlib schedule that ``torch_mapping.py``
maps it to, to a relative 1e-9. The last tests check that the comparison has
teeth: the same schedule shifted by one step, or scaled by 1 + 1e-8, must fail.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import lrlib
import torch_mapping as tm

REFERENCE = Path(__file__).resolve().parent / "reference"
FILES = sorted(REFERENCE.glob("*.json"))
DOCS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in FILES}
TABLES = [table for doc in DOCS.values() for table in doc["tables"]]


def _id(table):
    return f"{table['library']}-{tm.case_id(table)}"


def _constant(table):
    return len(set(table["lrs"])) == 1


def test_the_torch_table_is_there_and_says_what_made_it():
    assert "torch" in DOCS, f"no torch table in {REFERENCE}; run tools/make_reference_tables.py"
    for name, doc in DOCS.items():
        assert doc["library"] == name
        assert doc["version"], f"{name}.json does not record the library's version"
        assert all(t["library"] == name for t in doc["tables"])


@pytest.mark.parametrize("library", sorted(DOCS))
def test_the_tables_hold_exactly_the_shared_cases(library):
    # Same classes, kwargs, base lrs, lengths (and metrics read) as torch_mapping's cases: if the
    # cases change, the tables must be regenerated (tools/make_reference_tables.py).
    cases = [c for c in tm.ALL_CASES if c["library"] == library]
    recorded = [{k: v for k, v in t.items() if k not in ("steps", "lrs")} for t in DOCS[library]["tables"]]
    assert recorded == cases


@pytest.mark.parametrize("table", TABLES, ids=_id)
def test_lrlib_matches_the_recorded_lrs(table):
    steps = np.asarray(table["steps"], dtype=np.float64)
    assert steps.tolist() == tm.steps_of(table).tolist()
    got = tm.lrlib_schedule(table)(steps)
    tm.assert_agrees(got, table["lrs"], _id(table))


# Only a few tables are flat (gamma=1, eta_min=base_lr, ...); the others must be able
# to tell a shifted or slightly rescaled schedule from the real one.
MOVING = [t for t in TABLES if not _constant(t)]


def test_only_the_deliberately_flat_tables_are_constant():
    assert len(TABLES) - len(MOVING) <= 6
    assert {t["class"] for t in MOVING} >= {t["class"] for t in TABLES}


@pytest.mark.parametrize("shift", [-1, 1])
@pytest.mark.parametrize("table", MOVING, ids=_id)
def test_an_off_by_one_would_show(table, shift):
    steps = np.asarray(table["steps"], dtype=np.float64)
    shifted = tm.lrlib_schedule(table)(np.maximum(steps + shift, 0.0))
    with pytest.raises(AssertionError):
        tm.assert_agrees(shifted, table["lrs"])


@pytest.mark.parametrize("table", MOVING, ids=_id)
def test_a_relative_error_of_1e_8_would_show(table):
    got = tm.lrlib_schedule(table)(np.asarray(table["steps"], dtype=np.float64))
    with pytest.raises(AssertionError):
        tm.assert_agrees(got * (1 + 1e-8), table["lrs"])


@pytest.mark.parametrize("table", TABLES, ids=_id)
def test_the_order_of_the_steps_does_not_matter(table):
    # Steps in order and steps shuffled take different paths through lrlib.join.
    steps = np.asarray(table["steps"], dtype=np.float64)
    order = np.random.default_rng(len(steps)).permutation(len(steps))
    got = tm.lrlib_schedule(table)(steps[order])
    tm.assert_agrees(got, np.asarray(table["lrs"])[order], _id(table))


# ReduceLROnPlateau: the tables of losses that sit exactly on the threshold must tell a
# plateau that counts a tie as an improvement from PyTorch's, which does not.
TIE_TABLES = [t for t in TABLES if {k: v for k, v in t.items() if k not in ("steps", "lrs")} in tm.PLATEAU_TIE_CASES]


class _TieCountsAsImprovement(lrlib.Plateau):
    def improves(self, loss, best):
        if self.mode == "min":
            edge = best * (1.0 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold
        else:
            edge = best * (self.threshold + 1.0) if self.threshold_mode == "rel" else best + self.threshold
        return loss == edge or super().improves(loss, best)


def test_every_mode_has_tie_tables():
    modes = {(t["kwargs"]["mode"], t["kwargs"]["threshold_mode"]) for t in TIE_TABLES}
    assert len(TIE_TABLES) == len(tm.PLATEAU_TIE_CASES) and len(modes) == 4


@pytest.mark.parametrize("table", TIE_TABLES, ids=_id)
def test_a_tie_counted_as_an_improvement_would_show(table):
    wrong = _TieCountsAsImprovement(table["base_lr"], **table["kwargs"]).run(table["metrics"])
    with pytest.raises(AssertionError):
        tm.assert_agrees(np.concatenate([[table["base_lr"]], wrong]), table["lrs"])
