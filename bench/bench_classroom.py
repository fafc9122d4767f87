#!/usr/bin/env python3
"""A class moving sliders at once: JupyterHub on this machine, simulated students, loopback only.

    .venv/bin/python bench/bench_classroom.py                          # 1, 5, 10 and 20 students
    .venv/bin/python bench/bench_classroom.py --students 1,5,10,20,30 --moves 30 --seconds 90
    .venv/bin/python bench/bench_classroom.py --smoke                  # 2 students, 4 moves (what CI runs)

One classroom (``deploy/classroom.py``: JupyterHub, configurable-http-proxy, a home and the
lessons per student) serves every level. For each level the students still missing are
added, all at once: each logs in with the hub's form, starts a server, opens lesson 00
(``lessons/notebooks/en/00_start_here.ipynb``), runs its code cells down to the one that
shows ``SeedRecipeExplorer`` and keeps the explorer's widgets (``deploy/student.py``).
Then every student of the level moves the explorer's "peak lr" and "total epochs" sliders
at a classroom pace: bursts of 3 to 6 moves, 1 to 2 s apart, with 3 to 6 s of reading
between bursts, 1 to 3 slider steps a move, until ``--moves`` moves or ``--seconds``
seconds. A move is the ``comm_msg`` @jupyter-widgets sends; its latency runs from sending it
to receiving the image widget's update (with the new PNG) that it caused. Moves follow a
clock, not the replies (a student does not wait for a slow kernel to move again).

Measured per level: move-to-image latency (median, p95, max) over all moves; errors (moves
without an image within 15 s, failed log-ins or cells); per student, the memory of their
server and of their kernel (RSS and USS, after the moves) and the CPU time per move of their
kernel and of their server; the hub's and the proxy's memory and CPU time; the CPU time to
bring one student in (server start, lesson cells, explorer). Everything is printed as a
table and written with the raw latencies to ``build/bench_classroom.json`` (or
``build/bench_classroom_smoke.json``). A sizing for 30, 60 and 200 students, from these
numbers and the assumptions it prints, closes the output.

The exit status is 1 when a move or a student failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from classroom import Classroom, missing_requirements  # noqa: E402
from student import Student, StudentError  # noqa: E402

LESSON = "lessons/notebooks/en/00_start_here.ipynb"
EXPLORER_CELL = "SeedRecipeExplorer("
MOVED = ("peak_lr", "total_epochs")
IMAGE_TIMEOUT_S = 15.0


@dataclass
class Pace:
    """How a student moves: bursts of ``burst`` moves ``gap_s`` apart, ``pause_s`` between bursts (uniform ranges)."""

    burst: tuple = (3, 6)
    gap_s: tuple = (1.0, 2.0)
    pause_s: tuple = (3.0, 6.0)
    steps: tuple = (1, 3)


@dataclass
class Move:
    student: str
    control: str
    value: float
    sent_at: float
    latency_s: float | None  # None: no image came


@dataclass
class Seat:
    """A student at work: logged in, their server up, lesson 00's explorer shown."""

    name: str
    student: Student
    kernel: object = None
    explorer: object = None
    ready_s: dict = field(default_factory=dict)   # seconds: log in + server, lesson cells + explorer
    error: str | None = None


def seat_student(room: Classroom, name: str, lesson: str = LESSON) -> Seat:
    """What a student does once the teacher added their account: log in, start the server, open the
    lesson, run it down to the explorer. Failures are kept in ``Seat.error``, not raised."""
    seat = Seat(name, Student(room.url, name, room.password))
    try:
        t0 = time.perf_counter()
        seat.student.log_in()
        seat.student.start_server()
        t1 = time.perf_counter()
        seat.kernel = seat.student.open_notebook(lesson)
        cells = seat.student.notebook_code(lesson, until=EXPLORER_CELL)
        seat.explorer = seat.kernel.run_until_explorer(cells)
        seat.ready_s = {"server_s": t1 - t0, "explorer_s": time.perf_counter() - t1}
    except (StudentError, OSError, ValueError, KeyError) as exc:
        seat.error = f"{type(exc).__name__}: {exc}"
    return seat


def seat_students(room: Classroom, names: list[str]) -> list[Seat]:
    """All of ``names`` at once, one thread each (a class logging in together)."""
    for name in names:  # accounts and homes first (the teacher's part), then the students all at once
        room.add_student(name)
    seats: dict[str, Seat] = {}
    threads = [threading.Thread(target=lambda n=n: seats.__setitem__(n, seat_student(room, n))) for n in names]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return [seats[n] for n in names]


def play(seat: Seat, moves: int, seconds: float, rng: random.Random, pace: Pace = Pace(),
         on_move=None, image_timeout_s: float = IMAGE_TIMEOUT_S) -> list[Move]:
    """Move the explorer's sliders at ``pace`` until ``moves`` moves or ``seconds`` s; wait for the images.

    ``on_move(i, move_id)`` is called after each send (the crash test kills a kernel there).
    """
    kernel, explorer = seat.kernel, seat.explorer
    sent = []
    start = time.perf_counter()
    due = start + rng.uniform(0, pace.gap_s[1])
    left_in_burst = rng.randint(*pace.burst)
    for i in range(moves):
        while (now := time.perf_counter()) < due:
            time.sleep(min(0.05, due - now))
        if now - start > seconds or kernel.closed:
            break
        control = MOVED[i % len(MOVED)]
        comm = explorer.controls[control]
        value = kernel.next_value(comm, rng.randint(*pace.steps))
        sent_at = time.perf_counter()
        move_id = kernel.move(comm, value)
        sent.append((move_id, control, value, sent_at))
        if on_move is not None:
            on_move(i, move_id)
        left_in_burst -= 1
        if left_in_burst == 0:
            left_in_burst = rng.randint(*pace.burst)
            due += rng.uniform(*pace.pause_s)
        else:
            due += rng.uniform(*pace.gap_s)
    return [Move(seat.name, control, value, sent_at, kernel.wait_image(move_id, sent_at, image_timeout_s))
            for move_id, control, value, sent_at in sent]


def play_all(seats: list[Seat], moves: int, seconds: float, seed: int, pace: Pace = Pace()) -> list[Move]:
    """Every seat plays at once, one thread each; all their moves."""
    results: dict[str, list[Move]] = {}
    threads = [threading.Thread(target=lambda s=s, k=k: results.__setitem__(
        s.name, play(s, moves, seconds, random.Random(seed * 1000 + k), pace))) for k, s in enumerate(seats)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return [m for s in seats for m in results[s.name]]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0..100), linear between closest ranks (numpy's default method)."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ------------------------------------------------------------------------- measurement ---

def _cpu_s(p) -> float:
    t = p.cpu_times()
    return t.user + t.system


def _memory(p) -> dict:
    """RSS (what ``top`` shows), USS (only this process's pages) and PSS (shared pages split between the
    processes sharing them: the one that adds up across processes), in MB."""
    info = p.memory_full_info()
    return {"rss_mb": info.rss / 2**20, "uss_mb": info.uss / 2**20, "pss_mb": getattr(info, "pss", info.rss) / 2**20}


def process_snapshot(room: Classroom, seats: list[Seat]) -> dict:
    """CPU seconds and memory of the hub, the proxy, and each student's server and lesson kernel."""
    hub = room.hub_processes()
    snap = {"hub": {"cpu_s": _cpu_s(hub["hub"]), **_memory(hub["hub"])},
            "proxy": {"cpu_s": _cpu_s(hub["proxy"]), **_memory(hub["proxy"])} if hub["proxy"] else None,
            "students": {}}
    for seat in seats:
        if seat.error:
            continue
        procs = room.server_processes(seat.name)
        kernel = procs["kernels"].get(seat.kernel.kernel_id)
        snap["students"][seat.name] = {
            "server": {"cpu_s": _cpu_s(procs["server"]), **_memory(procs["server"])} if procs["server"] else None,
            "kernel": {"cpu_s": _cpu_s(kernel), **_memory(kernel)} if kernel else None,
        }
    return snap


def measure_level(room: Classroom, seats: list[Seat], new: list[Seat], moves: int, seconds: float,
                  seed: int, pace: Pace) -> dict:
    """Play one level and sum it up (the numbers of the table and the JSON)."""
    working = [s for s in seats if not s.error]
    before = process_snapshot(room, working)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    played = play_all(working, moves, seconds, seed, pace)
    wall_s = time.perf_counter() - t0
    after = process_snapshot(room, working)
    lat = [m.latency_s for m in played if m.latency_s is not None]
    n_moves = len(played)

    def per_student(kind: str, key: str) -> list[float]:
        return [after["students"][s.name][kind][key] for s in working if after["students"][s.name][kind]]

    def cpu_per_move(kind: str) -> list[float]:
        out = []
        for s in working:
            b, a = before["students"][s.name][kind], after["students"][s.name][kind]
            n = sum(1 for m in played if m.student == s.name)
            if a and b and n:
                out.append((a["cpu_s"] - b["cpu_s"]) / n)
        return out

    def delta(name: str) -> float:
        return after[name]["cpu_s"] - before[name]["cpu_s"] if after.get(name) and before.get(name) else math.nan

    hub_proxy_cpu_s = delta("hub") + delta("proxy")
    student_cpu_s = sum(after["students"][n][k]["cpu_s"] - before["students"][n][k]["cpu_s"]
                        for n in after["students"] for k in ("server", "kernel")
                        if after["students"][n][k] and before["students"][n].get(k))
    startup_cpu = [before["students"][s.name]["kernel"]["cpu_s"] + before["students"][s.name]["server"]["cpu_s"]
                   for s in new if not s.error and before["students"].get(s.name, {}).get("kernel")]
    return {
        "students": len(seats),
        "working": len(working),
        "moves": n_moves,
        "errors": sum(1 for m in played if m.latency_s is None) + sum(1 for s in seats if s.error),
        "student_errors": {s.name: s.error for s in seats if s.error},
        "wall_s": wall_s,
        "moves_per_s_per_student": n_moves / wall_s / max(1, len(working)),
        "latency_ms": {"p50": 1e3 * percentile(lat, 50), "p95": 1e3 * percentile(lat, 95),
                       "max": 1e3 * max(lat) if lat else math.nan},
        "server_rss_mb": statistics.median(per_student("server", "rss_mb")),
        "server_uss_mb": statistics.median(per_student("server", "uss_mb")),
        "kernel_rss_mb": statistics.median(per_student("kernel", "rss_mb")),
        "kernel_uss_mb": statistics.median(per_student("kernel", "uss_mb")),
        "server_pss_mb": statistics.median(per_student("server", "pss_mb")),
        "kernel_pss_mb": statistics.median(per_student("kernel", "pss_mb")),
        "kernel_cpu_ms_per_move": 1e3 * statistics.median(cpu_per_move("kernel")),
        "server_cpu_ms_per_move": 1e3 * statistics.median(cpu_per_move("server")),
        "hub_rss_mb": after["hub"]["rss_mb"],
        "proxy_rss_mb": after["proxy"]["rss_mb"] if after["proxy"] else math.nan,
        "hub_proxy_cpu_ms_per_move": 1e3 * hub_proxy_cpu_s / max(1, n_moves),
        "cores_used": (hub_proxy_cpu_s + student_cpu_s) / wall_s,
        "new_students": len(new),
        "startup_cpu_s": statistics.median(startup_cpu) if startup_cpu else math.nan,
        "startup_wall_s": {"server_median": statistics.median([s.ready_s["server_s"] for s in new if s.ready_s])
                           if any(s.ready_s for s in new) else math.nan,
                           "all_ready": max((sum(s.ready_s.values()) for s in new if s.ready_s), default=math.nan)},
        "load_average_before": load_before,
        "raw_latencies_ms": [round(1e3 * m.latency_s, 2) if m.latency_s is not None else None for m in played],
        "snapshot_after": after,
    }


# -------------------------------------------------------------------------------- sizing ---

def sizing(levels: list[dict], class_sizes=(30, 60, 200), headroom: float = 1.5, target_util: float = 0.5,
           system_gb: float = 1.0, kernels_per_student: int = 2) -> dict:
    """Cores and memory for ``class_sizes`` from the measured levels (the rules are in ``assumptions``)."""
    big = max(levels, key=lambda lv: lv["students"])
    per_student_mb = (statistics.median([lv["server_pss_mb"] for lv in levels])
                      + kernels_per_student * statistics.median([lv["kernel_pss_mb"] for lv in levels]))
    # the hub's memory grows with the number of users: a straight line through the levels
    xs, ys = [lv["students"] for lv in levels], [lv["hub_rss_mb"] + lv["proxy_rss_mb"] for lv in levels]
    if len(set(xs)) > 1:
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = max(0.0, sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs))
        base = my - slope * mx
    else:
        slope, base = 0.0, ys[0]
    cpu_per_move_s = (big["kernel_cpu_ms_per_move"] + big["server_cpu_ms_per_move"]
                      + big["hub_proxy_cpu_ms_per_move"]) / 1e3
    rate = big["moves_per_s_per_student"]
    startup_cpu_s = statistics.median([lv["startup_cpu_s"] for lv in levels if not math.isnan(lv["startup_cpu_s"])])
    rows = []
    for n in class_sizes:
        mem_gb = (system_gb * 1024 + base + slope * n + n * per_student_mb * headroom) / 1024
        busy_cores = n * rate * cpu_per_move_s
        cores = max(2, math.ceil(busy_cores / target_util))
        login_minutes = n * startup_cpu_s / cores / 60
        rows.append({"students": n, "memory_gb": math.ceil(mem_gb), "cores": cores,
                     "busy_cores_while_moving": round(busy_cores, 2), "all_log_in_at_once_min": round(login_minutes, 1)})
    return {
        "rows": rows,
        "assumptions": [
            f"every student is active at once, moving sliders at the measured rate ({rate:.2f} moves/s each: "
            "bursts of 3-6 moves 1-2 s apart, 3-6 s pauses)",
            f"CPU per move {1e3 * cpu_per_move_s:.0f} ms (kernel + server + hub and proxy, measured at "
            f"{big['students']} students); cores sized so the moves keep them at most {target_util:.0%} busy "
            "(queueing stays short, latency near the measured p50)",
            f"memory per student: 1 server + {kernels_per_student} lesson kernels (a student often leaves the previous "
            f"lesson open) = {per_student_mb:.0f} MB (PSS: shared libraries split between the processes that share "
            f"them), times {headroom} headroom (other lessons' figures, exercises, a student's own experiments)",
            f"hub + proxy: {base:.0f} MB + {slope:.2f} MB per user (fitted to the levels); {system_gb:.0f} GB for the "
            "operating system",
            f"starting one student (server, lesson cells, explorer) costs {startup_cpu_s:.1f} CPU s: the last "
            "column is how long a whole class logging in at the same moment waits on those cores",
        ],
    }


# ------------------------------------------------------------------------------ printing ---

def print_table(levels: list[dict]) -> None:
    head = (f"{'students':>8} {'moves':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
            f"{'server MB':>9} {'kernel MB':>9} {'kernel ms/move':>14} {'server ms/move':>14} "
            f"{'hub MB':>7} {'proxy MB':>8} {'hub+proxy ms/move':>17} {'cores used':>10} {'start CPU s':>11}")
    print(head)
    print("-" * len(head))
    for lv in levels:
        lat = lv["latency_ms"]
        print(f"{lv['students']:>8} {lv['moves']:>6} {lv['errors']:>6} {lat['p50']:>7.0f} {lat['p95']:>7.0f} "
              f"{lat['max']:>7.0f} {lv['server_rss_mb']:>9.0f} {lv['kernel_rss_mb']:>9.0f} "
              f"{lv['kernel_cpu_ms_per_move']:>14.1f} {lv['server_cpu_ms_per_move']:>14.1f} {lv['hub_rss_mb']:>7.0f} "
              f"{lv['proxy_rss_mb']:>8.0f} {lv['hub_proxy_cpu_ms_per_move']:>17.1f} {lv['cores_used']:>10.2f} "
              f"{lv['startup_cpu_s']:>11.1f}")
    print("memory: RSS of each student's server and lesson kernel (median over students), after the moves; "
          "USS and PSS are in the JSON")


def print_sizing(size: dict) -> None:
    print("\nsizing (derived from the levels above):")
    print(f"{'students':>8} {'cores':>6} {'memory GB':>10} {'busy cores':>11} {'all log in at once (min)':>25}")
    for r in size["rows"]:
        print(f"{r['students']:>8} {r['cores']:>6} {r['memory_gb']:>10} {r['busy_cores_while_moving']:>11} "
              f"{r['all_log_in_at_once_min']:>25}")
    print("assumptions:")
    for a in size["assumptions"]:
        print(f"  - {a}")


def run(levels_n: list[int], moves: int, seconds: float, seed: int = 1, pace: Pace = Pace(),
        quiet: bool = False) -> dict:
    """Seat the students level by level in one classroom and measure each level; returns the report."""
    levels = []
    with Classroom() as room:
        seats: list[Seat] = []
        for n in levels_n:
            names = [f"student{i:02d}" for i in range(len(seats) + 1, n + 1)]
            t0 = time.perf_counter()
            new = seat_students(room, names)
            seats += new
            if not quiet:
                bad = [s for s in new if s.error]
                print(f"[{n} students] {len(new)} seated in {time.perf_counter() - t0:.1f} s"
                      + (f"; {len(bad)} failed: {bad[0].error}" if bad else ""), flush=True)
            levels.append(measure_level(room, seats, new, moves, seconds, seed + n, pace))
            if not quiet:
                lv = levels[-1]
                print(f"[{n} students] {lv['moves']} moves, {lv['errors']} errors, "
                      f"p50 {lv['latency_ms']['p50']:.0f} ms, p95 {lv['latency_ms']['p95']:.0f} ms", flush=True)
        for s in seats:
            if s.kernel is not None:
                s.kernel.close()
    import jupyterhub

    return {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                        "jupyterhub": jupyterhub.__version__},
            "settings": {"students": levels_n, "moves": moves, "seconds": seconds, "seed": seed, "pace": asdict(pace),
                         "lesson": LESSON},
            "levels": levels}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", default="1,5,10,20", help="the levels, comma-separated (default 1,5,10,20)")
    parser.add_argument("--moves", type=int, default=30, help="moves per student per level (default 30)")
    parser.add_argument("--seconds", type=float, default=90.0, help="at most this long per level (default 90)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="2 students, 4 moves, 20 s: checks the set-up works")
    parser.add_argument("--json", type=Path, help="where to write the numbers (default build/bench_classroom*.json)")
    args = parser.parse_args(argv)
    try:
        levels_n = sorted({int(x) for x in args.students.split(",") if x.strip()})
    except ValueError:
        parser.error(f"--students must be comma-separated numbers, got {args.students!r}")
    if args.smoke:
        levels_n, args.moves, args.seconds = [2], 4, 20.0
    if not levels_n or levels_n[0] < 1 or levels_n[-1] > 200:
        parser.error(f"--students must be between 1 and 200, got {args.students!r}")
    if args.moves < 1 or args.seconds <= 0:
        parser.error(f"--moves must be >= 1 and --seconds > 0, got {args.moves} and {args.seconds}")
    why = missing_requirements()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    report = run(levels_n, args.moves, args.seconds, args.seed)
    print()
    print_table(report["levels"])
    if not args.smoke:
        report["sizing"] = sizing(report["levels"])
        print_sizing(report["sizing"])
    out = args.json or ROOT / "build" / ("bench_classroom_smoke.json" if args.smoke else "bench_classroom.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print(f"\nraw numbers: {out}")
    return 1 if any(lv["errors"] for lv in report["levels"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
