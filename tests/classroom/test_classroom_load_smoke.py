"""The load test's small version (2 students, a few moves): the set-up cannot rot unnoticed.

The full load test is ``bench/bench_classroom.py``; this runs the same code with two students
and checks what every move must bring: the new image, a PNG, different from the one before,
and the kernel's slider holding the value the browser's message set.
"""

from __future__ import annotations

import io

import pytest
from conftest import require_classroom

MOVES = 4
FAST = dict(burst=(2, 2), gap_s=(0.3, 0.6), pause_s=(0.5, 1.0), steps=(1, 2))


def test_two_students_moving_sliders_each_get_a_new_image_per_move(room, seats):
    """Every move of both students brings back exactly the new plot, and the kernel took the browser's value."""
    require_classroom()
    from bench_classroom import Pace, measure_level

    from PIL import Image

    students = [seats["alice"], seats["bob"]]
    before = {s.name: set(s.kernel.images) for s in students}
    level = measure_level(room, students, [], MOVES, seconds=30, seed=7, pace=Pace(**FAST))
    assert level["moves"] == 2 * MOVES, level
    assert level["errors"] == 0, level["raw_latencies_ms"]
    assert 0 < level["latency_ms"]["p50"] <= level["latency_ms"]["p95"] < 10_000
    assert level["kernel_rss_mb"] > 20 and level["server_rss_mb"] > 20  # the processes were found and measured
    assert level["kernel_cpu_ms_per_move"] > 0

    for seat in students:
        new = [seat.kernel.images[k][1] for k in seat.kernel.images if k not in before[seat.name]]
        assert len(new) == MOVES
        pictures = [Image.open(io.BytesIO(png)) for png in new]
        assert all(p.format == "PNG" and p.size[0] > 300 for p in pictures)
        assert all(a != b for a, b in zip(new, new[1:])), "a move brought back the same picture"
        # the kernel's controls hold what the last messages set (read in the kernel, not from our mirror)
        ex = seat.kernel.execute("print(recipe_explorer.controls['peak_lr'].value, "
                                 "recipe_explorer.controls['total_epochs'].value)")
        printed = "".join(o.get("text", "") for o in ex.outputs if o["output_type"] == "stream").split()
        sent_peak = seat.kernel.last_sent[seat.explorer.controls["peak_lr"]]
        sent_epochs = seat.kernel.last_sent[seat.explorer.controls["total_epochs"]]
        assert float(printed[0]) == pytest.approx(sent_peak, rel=1e-9) and int(printed[1]) == sent_epochs

