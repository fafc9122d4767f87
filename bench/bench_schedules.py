#!/usr/bin/env python3
"""How fast is a whole schedule? lrlib against bare numpy, a Python loop and PyTorch.

    python bench/bench_schedules.py [--repeats 9] [--full]

Every schedule is evaluated on 1,000,000 steps given as an array (a ``range`` is the
same: it is just steps). Contenders:

* **lrlib**: ``schedule(np.arange(1_000_000))``, and fractional steps ``k + 0.5``;
* **bare numpy**: the same formula written as one numpy expression (``np.where``
  over the branches), with no argument checks and no composition;
* **Python loop**: scalar ``math`` called once per step in a Python loop
  (``lrlib.compat.original_get_lr_scheduler_value``, the seed's function, for the YOLO
  ``"cos"`` schedule), timed on every 10th step (100,000 calls) and scaled to a
  million, or on all 1,000,000 with ``--full``;
* **torch**: ``CosineAnnealingLR`` alone, ``scheduler.step()`` then ``get_last_lr()``
  per step (the optimizer's step not counted), timed on 50,000 steps and scaled to a
  million, or all 1,000,000 with ``--full`` (skipped without torch). That one time is
  set against every row.

The contenders take turns within each round (a different order every round) so
that noise falls on all of them alike; a warm-up round is not counted, and the
table shows medians over the rounds. Before timing, every contender's values are
checked against lrlib's, so they all compute the same thing.

Floors: lrlib / bare numpy <= 1.2 for the seed's "cos" schedule and the
warmup + cosine join; Python loop / lrlib >= 15; torch / lrlib >= 100. The exit
status is 1 if a floor is missed.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time

import numpy as np

import lrlib
from lrlib.compat import get_lr_scheduler, original_get_lr_scheduler_value

N = 1_000_000
LOOP_STRIDE = 10  # the Python loop runs on every 10th step: 100,000 calls
TORCH_STEPS = 50_000
FLOORS = {"numpy": 1.2, "loop": 15.0, "torch": 100.0}

# The YOLO recipe's "cos" schedule at its defaults, stretched over a million steps.
LR, MIN_LR, T = 0.01, 0.0001, N
SEED_W = min(max(0.1 * T, 1), 3)
SEED_START = max(0.1 * LR, 1e-6)
SEED_TAIL = min(max(0.3 * T, 1), 15)
# Warmup + cosine: 1 % linear warmup from 0, cosine to 1e-4 at the end.
PEAK, END, WARM = 0.01, 1e-4, 10_000


def seed_cos_numpy(t):
    return np.where(t <= SEED_W, (LR - SEED_START) * (t / SEED_W) ** 2 + SEED_START,
                    np.where(t >= T - SEED_TAIL, MIN_LR,
                             MIN_LR + 0.5 * (LR - MIN_LR)
                             * (1.0 + np.cos(np.pi * (t - SEED_W) / (T - SEED_W - SEED_TAIL)))))


def seed_cos_scalar(t):
    return original_get_lr_scheduler_value("cos", LR, MIN_LR, T, t)


def warmup_cosine_numpy(t):
    d = T - WARM
    return np.where(t < WARM, PEAK * (t / WARM),
                    END + 0.5 * (PEAK - END) * (1.0 + np.cos(np.pi * np.clip(t - WARM, 0, d) / d)))


def cosine_numpy(t):
    return END + 0.5 * (PEAK - END) * (1.0 + np.cos(np.pi * np.minimum(t, T) / T))


def python_loop(scalar, steps):
    return [scalar(s) for s in steps]


def torch_cosine_run(torch, n_steps):
    """Step CosineAnnealingLR ``n_steps`` times, reading the lr each time (what a training loop pays)."""
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=PEAK)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T, eta_min=END)
    optimizer.step()  # one optimizer step first, as in training (and so PyTorch does not warn)

    def run():
        lrs = []
        for _ in range(n_steps):
            scheduler.step()
            lrs.append(scheduler.get_last_lr()[0])
        return lrs

    return run


def build_rows(torch):
    """[(label, {contender: (callable, number of steps it covers)})], values checked first."""
    ints = np.arange(N)
    fracs = np.arange(N) + 0.5
    loop_ints = [int(s) for s in ints[::LOOP_STRIDE]]
    loop_fracs = [float(s) for s in fracs[::LOOP_STRIDE]]
    seed = get_lr_scheduler("cos", LR, MIN_LR, T)
    warm_cos = lrlib.warmup_cosine(PEAK, T, WARM, end_lr=END)
    cos = lrlib.cosine_decay(PEAK, T, END)
    # (label, schedule, its steps, the same steps as an array, bare numpy, scalar for the loop, loop steps)
    specs = [
        ('compat.get_lr_scheduler("cos"), np.arange(N)', seed, ints, ints, seed_cos_numpy, seed_cos_scalar, loop_ints),
        ('compat.get_lr_scheduler("cos"), steps k + 0.5', seed, fracs, fracs, seed_cos_numpy, seed_cos_scalar, loop_fracs),
        ("warmup_cosine (a join), np.arange(N)", warm_cos, ints, ints, warmup_cosine_numpy, None, None),
        ("cosine_decay, np.arange(N)", cos, ints, ints, cosine_numpy, None, None),
    ]
    rows = []
    for label, sched, steps, as_array, bare, scalar, loop_steps in specs:
        # The same numbers from every contender, before anything is timed.
        ours = sched(steps)
        np.testing.assert_allclose(bare(as_array), ours, rtol=1e-12, atol=0, err_msg=label)
        contenders = {
            "lrlib": (lambda sched=sched, steps=steps: sched(steps), N),
            "numpy": (lambda bare=bare, as_array=as_array: bare(as_array), N),
        }
        if scalar is not None:
            np.testing.assert_allclose(python_loop(scalar, loop_steps), ours[::LOOP_STRIDE], rtol=1e-12, atol=0)
            contenders["loop"] = (lambda scalar=scalar, loop_steps=loop_steps: python_loop(scalar, loop_steps),
                                  len(loop_steps))
        rows.append((label, contenders))
    rows[-1][1]["cos"] = (lambda: np.cos(ints), N)  # one per-step cosine, what any array route pays: not in the table
    if torch is not None:
        got = torch_cosine_run(torch, 1000)()
        np.testing.assert_allclose(got, cos(np.arange(1, 1001)), rtol=1e-9, atol=1e-12 * PEAK)
        rows[-1][1]["torch"] = (None, TORCH_STEPS)  # a fresh scheduler for every run: see measure()
    return rows


def measure(rows, torch, repeats: int):
    """Median seconds per million steps for every (row, contender), interleaved over rounds."""
    jobs = [(r, kind) for r, (_, contenders) in enumerate(rows) for kind in contenders]
    times = {job: [] for job in jobs}
    order = list(jobs)
    shuffle = random.Random(0)
    for round_ in range(repeats + 1):  # round 0 is the warm-up
        shuffle.shuffle(order)
        for job in order:
            fn, covered = rows[job[0]][1][job[1]]
            if job[1] == "torch":
                fn = torch_cosine_run(torch, TORCH_STEPS)  # a fresh scheduler, set up outside the timing
            gc.collect()
            gc.disable()
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
            gc.enable()
            if round_:
                times[job].append(elapsed * N / covered)
    return {job: statistics.median(ts) for job, ts in times.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed rounds (the median is reported); default 9")
    parser.add_argument("--full", action="store_true",
                        help="time the Python loop and torch on all 1,000,000 steps, not a scaled sample")
    args = parser.parse_args(argv)
    if args.full:
        global LOOP_STRIDE, TORCH_STEPS
        LOOP_STRIDE, TORCH_STEPS = 1, N
    try:
        import torch
    except ImportError:
        torch = None
    rows = build_rows(torch)
    med = measure(rows, torch, args.repeats)

    print(f"lrlib {lrlib.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}"
          + (f", torch {torch.__version__}" if torch is not None else ", torch not installed: its column is skipped"))
    print(f"Medians of {args.repeats} interleaved rounds, in ms per 1,000,000 steps.")
    print(f"  Python loop: timed on {N // LOOP_STRIDE:,} calls"
          + (f" (every {LOOP_STRIDE}th step), scaled x{LOOP_STRIDE}." if LOOP_STRIDE > 1 else "."))
    if torch is not None:
        print(f"  torch: CosineAnnealingLR.step() + get_last_lr() timed on {TORCH_STEPS:,} steps"
              + (f", scaled x{N // TORCH_STEPS}" if TORCH_STEPS < N else "") + "; that one time is set against every row.")
    print()
    head = (f"{'schedule':48s} {'lrlib':>8s} {'numpy':>8s} {'loop':>9s} {'torch':>10s}   "
            f"{'lrlib/numpy':>14s} {'loop/lrlib':>13s} {'torch/lrlib':>14s}")
    print(head)
    print("-" * len(head))
    failed = []

    def ratio(value, floor, at_most):
        ok = value <= floor if at_most else value >= floor
        if not ok:
            failed.append(value)
        return f"{value:8.2f} {'PASS' if ok else 'FAIL'}" if at_most else f"{value:7.0f} {'PASS' if ok else 'FAIL'}"

    torch_row = len(rows) - 1  # torch is timed once (CosineAnnealingLR) and set against every row
    for r, (label, contenders) in enumerate(rows):
        ms = {kind: med[(r, kind)] * 1e3 for kind in contenders}
        if torch is not None:
            ms["torch"] = med[(torch_row, "torch")] * 1e3
        cells = [f"{ms[k]:8.2f}" if k in ms else f"{'-':>8s}" for k in ("lrlib", "numpy")]
        cells.append(f"{ms['loop']:9.0f}" if "loop" in ms else f"{'-':>9s}")
        cells.append(f"{ms['torch']:10.0f}" if "torch" in ms else f"{'-':>10s}")
        # the 1.2 floor is for the seed's recipe and the warmup + cosine join (the two rows)
        if label.startswith(("compat", "warmup_cosine")):
            ratios = [ratio(ms["lrlib"] / ms["numpy"], FLOORS["numpy"], True)]
        else:
            ratios = [f"{ms['lrlib'] / ms['numpy']:8.2f} info"]
        ratios.append(ratio(ms["loop"] / ms["lrlib"], FLOORS["loop"], False) if "loop" in ms else f"{'-':>13s}")
        if "torch" not in ms:
            ratios.append(f"{'-':>14s}")
        else:
            ratios.append(ratio(ms["torch"] / ms["lrlib"], FLOORS["torch"], False))
        print(f"{label:48s} " + " ".join(cells) + "   " + " ".join(f"{x:>14s}" for x in ratios))
    if torch is not None:
        r = len(rows) - 1
        print(f"\nPer step (cosine_decay): torch {med[(r, 'torch')] / N * 1e6:.2f} us; "
              f"lrlib {med[(r, 'lrlib')] / N * 1e9:.1f} ns; "
              f"bare numpy {med[(r, 'numpy')] / N * 1e9:.1f} ns (np.cos alone: {med[(r, 'cos')] / N * 1e9:.1f} ns).")
    print()
    print(f"Floors: lrlib/numpy <= {FLOORS['numpy']} (the recipe and the join), loop/lrlib >= {FLOORS['loop']:.0f}, "
          f"torch/lrlib >= {FLOORS['torch']:.0f}: " + ("all PASS" if not failed else f"{len(failed)} FAIL"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
