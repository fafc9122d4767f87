#!/usr/bin/env python3
"""How long does each lesson experiment take? ``lrcourse.experiments`` in the settings the lessons use.

    python bench/bench_experiments.py [--repeats 3] [--budget 10]

Every experiment below is what one lesson cell runs, with 3 seeds per setting
(a whole comparison, not one run). Each is timed ``--repeats`` times after one
untimed warm-up round and the median is reported, with the slowest round beside
it. Loading the digits for the first time (importing scikit-learn) is timed
separately, in a fresh interpreter, because a lesson pays it once.

The last column is one line of what the experiment found (means over the seeds),
so lesson writers see the size of each effect next to its cost. The exit status is
1 if an experiment's median exceeds the budget (default 10 s).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time

import numpy as np

import lrlib
from lrlib import compat
from lrcourse import experiments as ex

SEEDS = (0, 1, 2)
EPOCHS = 30
T_NQM = 2000


def _final(runs, key="train_loss"):
    return runs.final(key).mean


def nqm_table():
    """11 schedules on the default NQM (d = 1000, B = 8), exact expectations, one call."""
    T = T_NQM
    scheds = {
        "constant": lrlib.constant(1.0),
        "step": lrlib.multistep_decay(1.0, [T // 2, 3 * T // 4]),
        "cosine": lrlib.cosine_decay(1.0, T),
        "YOLO recipe": lrlib.warmup_cosine_tail(1.0, 0.05, T, T // 20, T // 10, warmup_shape="linear"),
        "linear": lrlib.decay(1.0, T, shape="linear"),
        "WSD 2.5%": lrlib.wsd(1.0, T, 0, T // 40),
        "WSD 10%": lrlib.wsd(1.0, T, 0, T // 10),
        "WSD 20%": lrlib.wsd(1.0, T, 0, T // 5),
        "WSD 20% 1-sqrt": lrlib.wsd(1.0, T, 0, T // 5, decay_shape="1-sqrt"),
        "WSD 40% 1-sqrt": lrlib.wsd(1.0, T, 0, 2 * T // 5, decay_shape="1-sqrt"),
        "SGDR": lrlib.warm_restarts(1.0, 100, 2.0),
    }
    final = ex.nqm_expected_loss(list(scheds.values()), T)[:, -1]
    d = dict(zip(scheds, final))
    return f"E[L_T]: constant {d['constant']:.3f}, cosine {d['cosine']:.3f}, WSD 2.5/10/20% " \
           f"{d['WSD 2.5%']:.3f}/{d['WSD 10%']:.3f}/{d['WSD 20%']:.3f}"


def nqm_momentum():
    """Cosine with momentum 0.9 on the default NQM, exact."""
    return f"E[L_T] {ex.nqm_expected_loss(lrlib.cosine_decay(0.1, T_NQM), T_NQM, momentum=0.9)[-1]:.3f}"


def nqm_sampled():
    """3 sampled SGD runs next to the exact curve (d = 1000, T = 2000)."""
    exact = ex.nqm_expected_loss(lrlib.cosine_decay(1.0, T_NQM), T_NQM)
    runs = ex.nqm_sampled_loss(lrlib.cosine_decay(1.0, T_NQM), T_NQM, seeds=SEEDS)
    return f"exact {exact[-1]:.4f}, seeds {np.round(runs[:, -1], 4).tolist()}"


def noise_floor_1d():
    """1-D noise floor: constant lr 0.1 vs 0.02 and a decay, 3 seeds x 10,000 steps, plus the formula."""
    out = []
    for sched in (0.1, 0.02, lrlib.cosine_decay(0.1, 10_000)):
        x = ex.sgd_1d(sched, 10_000, seeds=SEEDS, x0=3.0)
        out.append(float((x[:, 5000:] ** 2).mean()))
    return (f"E[x^2] over 2nd half: lr 0.1 {out[0]:.4f} (formula {ex.stationary_variance(0.1):.4f}), "
            f"lr 0.02 {out[1]:.4f} ({ex.stationary_variance(0.02):.4f}), cosine {out[2]:.4f}")


def noise_floor_1d_many_seeds():
    """The stationary variance checked across 1,000 seeds x 1,000 steps."""
    x = ex.sgd_1d(0.1, 1000, seeds=range(1000))
    return f"mean x_T^2 {np.mean(x[:, -1] ** 2):.4f} vs formula {ex.stationary_variance(0.1):.4f}"


def schedules_softmax(batch_size, lr, weight_decay):
    def run():
        scheds = {
            "constant": (lrlib.constant(lr), "fractional_epoch"),
            "step": (lrlib.multistep_decay(lr, [EPOCHS // 2, 3 * EPOCHS // 4]), "fractional_epoch"),
            "cosine": (lrlib.cosine_decay(lr, EPOCHS), "fractional_epoch"),
            "YOLO recipe": (compat.get_lr_scheduler("cos", lr, lr * 0.01, EPOCHS, 0.05, 0.1, 0.05), "epoch"),
            "WSD 20%": (lrlib.wsd(lr, EPOCHS, 0, EPOCHS // 5), "fractional_epoch"),
        }
        res = {k: ex.run_seeds(ex.train_softmax, SEEDS, schedule=f, step_unit=u, num_epochs=EPOCHS,
                               batch_size=batch_size, weight_decay=weight_decay)
               for k, (f, u) in scheds.items()}
        verdict = ex.compare_runs(res["constant"], res["cosine"])
        return ("train loss " + ", ".join(f"{k} {_final(r):.3g}" for k, r in res.items())
                + f"; constant vs cosine differ: {verdict.differ}; test acc "
                + f"{_final(res['constant'], 'test_accuracy'):.3f} vs {_final(res['cosine'], 'test_accuracy'):.3f}")
    run.__doc__ = (f"5 schedules x 3 seeds, softmax, {EPOCHS} epochs, B={batch_size}, peak lr {lr}, "
                   f"weight decay {weight_decay}")
    return run


def noise_floor_digits():
    """Constant lr 1.0 / 0.1 / cosine, softmax with weight decay 1e-2, B=32, 30 epochs, 3 seeds."""
    res = [ex.run_seeds(ex.train_softmax, SEEDS, schedule=s, num_epochs=EPOCHS, batch_size=32, weight_decay=1e-2)
           for s in (1.0, 0.1, lrlib.cosine_decay(1.0, EPOCHS))]
    return "final train loss: lr 1.0 {:.3f}, lr 0.1 {:.3f}, cosine {:.3f}".format(*[_final(r) for r in res])


def range_test_softmax():
    """LR range test, softmax, 1e-3 -> 1e2 over 200 minibatches of 32, 3 seeds."""
    rs = [ex.lr_range_test("softmax", 1e-3, 1e2, 200, batch_size=32, seed=s) for s in SEEDS]
    return ("min-loss lr " + "/".join(f"{r.lr_min_loss:.2g}" for r in rs)
            + ", suggested " + "/".join(f"{r.suggested_lr:.2g}" for r in rs)
            + ", stopped after " + "/".join(str(r.stopped_at) for r in rs))


def range_test_mlp():
    """LR range test, MLP 64-128-10, 1e-3 -> 1e2 over 200 minibatches of 32, 3 seeds."""
    rs = [ex.lr_range_test("mlp", 1e-3, 1e2, 200, batch_size=32, seed=s) for s in SEEDS]
    return ("min-loss lr " + "/".join(f"{r.lr_min_loss:.2g}" for r in rs)
            + ", diverged at " + "/".join(f"{r.lr_diverged:.2g}" for r in rs))


def linear_scaling():
    """Batch 8/32/128/512 x (fixed lr, lr proportional to B, + 5-epoch warmup) x 3 seeds, softmax cosine."""
    out = []
    for b in (8, 32, 128, 512):
        cells = []
        for lr, warm in ((0.25, 0), (0.25 * b / 8, 0), (0.25 * b / 8, 5)):
            f = lrlib.warmup_cosine(lr, EPOCHS, warm) if warm else lrlib.cosine_decay(lr, EPOCHS)
            r = ex.run_seeds(ex.train_softmax, SEEDS, schedule=f, num_epochs=EPOCHS, batch_size=b)
            cells.append(f"{_final(r):.3f}")
        out.append(f"B{b} " + "/".join(cells))
    return "train loss fixed/scaled/scaled+warmup: " + ", ".join(out)


def warmup_adam():
    """Adam lr 0.03, MLP 4x128, B=32, 10 epochs, with and without a 1-epoch warmup, 3 seeds."""
    cells = []
    for warm in (0, 1):
        f = lrlib.warmup_cosine(0.03, 10, warm) if warm else lrlib.cosine_decay(0.03, 10)
        r = ex.run_seeds(ex.train_mlp, SEEDS, schedule=f, num_epochs=10, batch_size=32, hidden=(128,) * 4,
                         optimizer="adam")
        ipe = r.results[0].iters_per_epoch
        spike = np.nanmax(r["batch_loss"][:, :ipe], axis=1)
        cells.append(f"warmup {warm}: epoch-1 max batch loss {np.round(spike, 1).tolist()}, "
                     f"test acc {_final(r, 'test_accuracy'):.3f}")
    return "; ".join(cells)


def warmup_sgd():
    """SGD lr 1.0, MLP 64-128-10, B=32, 10 epochs, with and without a 1-epoch warmup, 3 seeds."""
    res = []
    for warm in (0, 1):
        f = lrlib.warmup_cosine(1.0, 10, warm) if warm else lrlib.cosine_decay(1.0, 10)
        res.append(ex.run_seeds(ex.train_mlp, SEEDS, schedule=f, num_epochs=10, batch_size=32))
    c = ex.compare_runs(res[0], res[1], "test_accuracy")
    return f"test acc {c.a.mean:.3f} vs {c.b.mean:.3f}, differ: {c.differ}"


def wsd_cooldown():
    """WSD with 2.5/10/20/40 % linear cooldown, softmax, weight decay 1e-3, B=8, 30 epochs, 3 seeds."""
    res = {frac: ex.run_seeds(ex.train_softmax, SEEDS, schedule=lrlib.wsd(1.0, EPOCHS, 0, frac * EPOCHS),
                              num_epochs=EPOCHS, batch_size=8, weight_decay=1e-3)
           for frac in (0.025, 0.1, 0.2, 0.4)}
    return "train loss " + ", ".join(f"{f:.1%} {_final(r):.4f}±{r.final().std:.4f}" for f, r in res.items())


def cosine_horizon():
    """Cosine planned for 30 epochs stopped at 15 vs planned for 15, softmax, weight decay 1e-2, 3 seeds."""
    kw = dict(num_epochs=EPOCHS // 2, batch_size=32, weight_decay=1e-2)
    long = ex.run_seeds(ex.train_softmax, SEEDS, schedule=lrlib.cosine_decay(1.0, EPOCHS), **kw)
    planned = ex.run_seeds(ex.train_softmax, SEEDS, schedule=lrlib.cosine_decay(1.0, EPOCHS // 2), **kw)
    c = ex.compare_runs(long, planned)
    return f"train loss stopped-early {c.a.mean:.4f} vs planned {c.b.mean:.4f}, differ: {c.differ}"


def mlp_small_batch():
    """The slowest realistic cell: MLP 64-128-10, B=8, 30 epochs, cosine, 3 seeds."""
    r = ex.run_seeds(ex.train_mlp, SEEDS, schedule=lrlib.cosine_decay(0.05, EPOCHS), num_epochs=EPOCHS,
                     batch_size=8)
    return f"test acc {r.final('test_accuracy')}"


EXPERIMENTS = [
    nqm_table, nqm_momentum, nqm_sampled, noise_floor_1d, noise_floor_1d_many_seeds,
    schedules_softmax(8, 1.0, 1e-3), schedules_softmax(32, 1.0, 0.0), noise_floor_digits,
    range_test_softmax, range_test_mlp, linear_scaling, warmup_adam, warmup_sgd,
    wsd_cooldown, cosine_horizon, mlp_small_batch,
]


def cold_digits_load() -> float:
    """Seconds for the first ``load_digits_split`` in a fresh interpreter (imports scikit-learn)."""
    code = ("import time, lrcourse.experiments as ex\n"
            "t = time.perf_counter(); ex.load_digits_split(0); print(time.perf_counter() - t)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds (median reported); default 3")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds allowed per experiment; default 10")
    args = parser.parse_args(argv)

    print(f"lrlib {lrlib.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    print(f"first load_digits_split in a fresh interpreter (imports scikit-learn): {cold_digits_load():.2f} s")
    ex.load_digits_split(0)
    print(f"Each experiment: median of {args.repeats} rounds after one warm-up, seeds {list(SEEDS)}.\n")
    failed = []
    for fn in EXPERIMENTS:
        times, outcome = [], None
        for round_ in range(args.repeats + 1):
            gc.collect()
            start = time.perf_counter()
            outcome = fn()
            if round_:
                times.append(time.perf_counter() - start)
        med = statistics.median(times)
        ok = med <= args.budget
        if not ok:
            failed.append(fn.__doc__)
        print(f"{med:7.2f} s (max {max(times):5.2f}) {'ok  ' if ok else 'SLOW'} {fn.__doc__}")
        print(f"{'':27s}-> {outcome}")
    if failed:
        print(f"\n{len(failed)} experiment(s) over the {args.budget:g} s budget.")
        return 1
    print(f"\nAll {len(EXPERIMENTS)} experiments within {args.budget:g} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
