"""One student's kernel dies in the middle of a move (SIGKILL); the other student does not notice.

bob moves his sliders alone first (his baseline), then again while alice's kernel is killed
right after one of her moves was sent. bob must get every image, with latencies close to his
baseline; alice's move gets no image, her page hears that the kernel restarts, and after she
restarts it and runs the cells again her explorer answers as before.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from conftest import require_classroom

FAST = dict(burst=(3, 3), gap_s=(0.3, 0.5), pause_s=(0.6, 1.0), steps=(1, 2))


def test_a_killed_kernel_leaves_the_other_student_undisturbed_and_its_owner_continues(room, seats):
    require_classroom()
    import random

    from bench_classroom import EXPLORER_CELL, LESSON, Pace, percentile, play

    alice, bob = seats["alice"], seats["bob"]
    pace = Pace(**FAST)

    baseline = play(bob, 8, 20, random.Random(1), pace)
    assert all(m.latency_s is not None for m in baseline)
    base_p95 = percentile([m.latency_s for m in baseline], 95)

    old_kernel = room.server_processes("alice")["kernels"][alice.kernel.kernel_id]
    killed_at = []

    def kill_mid_move(i, _move_id):
        if i == 1:  # alice's second move is on its way: her kernel dies under it
            os.kill(old_kernel.pid, signal.SIGKILL)
            killed_at.append(time.perf_counter())

    bob_moves = []
    bob_thread = threading.Thread(target=lambda: bob_moves.extend(play(bob, 12, 30, random.Random(2), pace)))
    bob_thread.start()
    time.sleep(0.8)
    alice_moves = play(alice, 2, 10, random.Random(3), pace, on_move=kill_mid_move, image_timeout_s=5)
    bob_thread.join()

    # bob: every move answered, no slower than his baseline allows for
    assert len(bob_moves) == 12 and all(m.latency_s is not None for m in bob_moves), bob_moves
    during = [m.latency_s for m in bob_moves if m.sent_at >= killed_at[0] - 0.5]
    assert during, "bob made no move after the kill"
    assert percentile(during, 95) <= base_p95 + 0.5, (during, base_p95)

    # alice: the move her kernel died under brought no image; her page was told
    assert alice_moves[1].latency_s is None
    assert not old_kernel.is_running()
    deadline = time.monotonic() + 30
    while not alice.kernel.saw_state("restarting", killed_at[0]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alice.kernel.saw_state("restarting", killed_at[0]), alice.kernel.states[-5:]

    # she restarts the kernel (the menu's Restart Kernel), runs the cells again, and goes on
    student = alice.student
    student.restart_kernel(alice.kernel.kernel_id)
    alice.kernel.close()
    alice.kernel = student.connect(alice.kernel.kernel_id, LESSON)
    alice.explorer = alice.kernel.run_until_explorer(student.notebook_code(LESSON, until=EXPLORER_CELL))
    new_kernel = room.server_processes("alice")["kernels"][alice.kernel.kernel_id]
    assert new_kernel.pid != old_kernel.pid
    again = play(alice, 4, 20, random.Random(4), pace)
    assert len(again) == 4 and all(m.latency_s is not None for m in again), again
