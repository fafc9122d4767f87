"""Bad input raises ValueError when the schedule is built, naming the parameter and its value."""

import math

import numpy as np
import pytest

import lrlib
import lrcourse
from lrlib import compat

NAN, INF = float("nan"), float("inf")

# (constructor, kwargs, parameter that must be named in the message)
BAD = [
    # learning rates: NaN, infinite, negative; floor above peak
    (lrlib.constant, dict(lr=-0.1), "lr"),
    (lrlib.constant, dict(lr=NAN), "lr"),
    (lrlib.constant, dict(lr=INF), "lr"),
    (lrlib.constant, dict(lr="0.1"), "lr"),
    (lrlib.constant, dict(lr=True), "lr"),
    (lrlib.cosine_decay, dict(peak_lr=NAN, decay_steps=10), "peak_lr"),
    (lrlib.cosine_decay, dict(peak_lr=0.1, decay_steps=10, end_lr=0.2), "end_lr"),
    (lrlib.cosine_decay, dict(peak_lr=0.1, decay_steps=10, end_lr=-1e-3), "end_lr"),
    (lrlib.warmup, dict(start_lr=0.0, peak_lr=-1.0, warmup_steps=5), "peak_lr"),
    (lrlib.warmup, dict(start_lr=INF, peak_lr=1.0, warmup_steps=5), "start_lr"),
    (lrlib.warmup, dict(start_lr=0.0, peak_lr=1.0, warmup_steps=5, shape="exponential"), "start_lr"),
    (lrlib.warmup, dict(start_lr=0.0, peak_lr=1.0, warmup_steps=5, shape="cubic"), "shape"),
    (lrlib.linear, dict(start_lr=0.1, end_lr=NAN, duration_steps=5), "end_lr"),
    (lrlib.exponential_decay, dict(peak_lr=1.0, gamma=1.5), "gamma"),
    (lrlib.exponential_decay, dict(peak_lr=1.0, gamma=0.0), "gamma"),
    (lrlib.exponential_decay, dict(peak_lr=1.0, gamma=0.9, end_lr=2.0), "end_lr"),
    (lrlib.polynomial_decay, dict(peak_lr=1.0, decay_steps=10, power=0), "power"),
    (lrlib.step_decay, dict(peak_lr=1.0, step_size=10, gamma=-0.1), "gamma"),
    # non-positive lengths
    (lrlib.cosine_decay, dict(peak_lr=0.1, decay_steps=0), "decay_steps"),
    (lrlib.cosine_decay, dict(peak_lr=0.1, decay_steps=-5), "decay_steps"),
    (lrlib.cosine_decay, dict(peak_lr=0.1, decay_steps=INF), "decay_steps"),
    (lrlib.warmup, dict(start_lr=0.0, peak_lr=1.0, warmup_steps=0), "warmup_steps"),
    (lrlib.linear, dict(start_lr=0.0, end_lr=1.0, duration_steps=0), "duration_steps"),
    (lrlib.step_decay, dict(peak_lr=1.0, step_size=0), "step_size"),
    (lrlib.warm_restarts, dict(peak_lr=1.0, first_cycle_steps=0), "first_cycle_steps"),
    (lrlib.warm_restarts, dict(peak_lr=1.0, first_cycle_steps=10, cycle_mult=0.5), "cycle_mult"),
    (lrlib.warm_restarts, dict(peak_lr=1.0, first_cycle_steps=10, peak_decay=0.0), "peak_decay"),
    (lrlib.warm_restarts, dict(peak_lr=1.0, first_cycle_steps=10, max_cycles=0), "max_cycles"),
    (lrlib.warm_restarts, dict(peak_lr=1.0, first_cycle_steps=10, end_lr=2.0), "end_lr"),
    (lrlib.one_cycle, dict(peak_lr=1.0, total_steps=1), "total_steps"),
    (lrlib.one_cycle, dict(peak_lr=1.0, total_steps=100, pct_start=1.0), "pct_start"),
    (lrlib.one_cycle, dict(peak_lr=1.0, total_steps=4, pct_start=0.1), "pct_start"),
    (lrlib.one_cycle, dict(peak_lr=1.0, total_steps=100, anneal="cos"), "anneal"),
    # warmup plus tail longer than the schedule
    (lrlib.warmup_cosine_tail, dict(peak_lr=1.0, end_lr=0.0, total_steps=10, warmup_steps=5, tail_steps=5),
     "tail_steps"),
    (lrlib.warmup_cosine_tail, dict(peak_lr=1.0, end_lr=0.0, total_steps=10, warmup_steps=11, tail_steps=0),
     "warmup_steps"),
    (lrlib.warmup_cosine_tail, dict(peak_lr=1.0, end_lr=0.5, total_steps=10, warmup_steps=2, tail_steps=-1),
     "tail_steps"),
    (lrlib.warmup_cosine, dict(peak_lr=1.0, total_steps=10, warmup_steps=10), "warmup_steps"),
    (lrlib.wsd, dict(peak_lr=1.0, total_steps=10, warmup_steps=5, decay_steps=6), "decay_steps"),
    (lrlib.wsd, dict(peak_lr=1.0, total_steps=10, warmup_steps=0, decay_steps=2, start_lr=NAN), "start_lr"),
    (lrlib.wsd, dict(peak_lr=1.0, total_steps=10, warmup_steps=0, decay_steps=2, warmup_shape="cubic"),
     "warmup_shape"),
    (lrlib.step_decay, dict(peak_lr=1.0, step_size=10, gamma=1.5), "gamma"),
    (lrlib.wsd, dict(peak_lr=1.0, total_steps=10, warmup_steps=1, decay_steps=2, decay_shape="sqrt"),
     "decay_shape"),
    # milestones: unsorted, duplicated, non-positive, empty
    (lrlib.multistep_decay, dict(peak_lr=1.0, milestones=[30, 10]), "milestones"),
    (lrlib.multistep_decay, dict(peak_lr=1.0, milestones=[10, 10, 20]), "milestones"),
    (lrlib.multistep_decay, dict(peak_lr=1.0, milestones=[0, 10]), "milestones"),
    (lrlib.multistep_decay, dict(peak_lr=1.0, milestones=[]), "milestones"),
    (lrlib.multistep_decay, dict(peak_lr=1.0, milestones=[5, NAN]), "milestones"),
    # boundaries that do not match the schedules
    (lrlib.join, dict(schedules=[lrlib.constant(1.0), lrlib.constant(0.5)], boundaries=[]), "boundaries"),
    (lrlib.join, dict(schedules=[lrlib.constant(1.0), lrlib.constant(0.5)], boundaries=[5, 10]), "boundaries"),
    (lrlib.join, dict(schedules=[lrlib.constant(1.0)] * 3, boundaries=[10, 5]), "boundaries"),
    (lrlib.join, dict(schedules=[lrlib.constant(1.0), lambda t: t], boundaries=[5]), "schedules"),
    # unit helpers
    (lrlib.fractional_epochs, dict(num_epochs=3, iters_per_epoch=0), "iters_per_epoch"),
    (lrlib.epochs_to_iterations, dict(epochs=-1, iters_per_epoch=10), "epochs"),
]

# The 1/t and 1/sqrt decays, cyclical learning rates and the plateau scheduler.
BAD += [
    (lrlib.inverse_time_decay, dict(peak_lr=-1.0, decay_rate=0.5), "peak_lr"),
    (lrlib.inverse_time_decay, dict(peak_lr=1.0, decay_rate=-0.5), "decay_rate"),
    (lrlib.inverse_time_decay, dict(peak_lr=1.0, decay_rate=0.5, decay_steps=0), "decay_steps"),
    (lrlib.inverse_time_decay, dict(peak_lr=1.0, decay_rate=0.5, staircase="yes"), "staircase"),
    (lrlib.inverse_sqrt_decay, dict(peak_lr=NAN, timescale_steps=10), "peak_lr"),
    (lrlib.inverse_sqrt_decay, dict(peak_lr=1.0, timescale_steps=0), "timescale_steps"),
    (lrlib.inverse_sqrt, dict(peak_lr=0.0, warmup_steps=10), "peak_lr"),
    (lrlib.inverse_sqrt, dict(peak_lr=1.0, warmup_steps=-1), "warmup_steps"),
    (lrlib.inverse_sqrt, dict(peak_lr=1.0, warmup_steps=0), "timescale_steps"),   # no warmup: say the timescale
    (lrlib.inverse_sqrt, dict(peak_lr=1.0, warmup_steps=10, timescale_steps=-5), "timescale_steps"),
    (lrlib.inverse_sqrt, dict(peak_lr=1.0, warmup_steps=10, start_lr=2.0), "start_lr"),
    (lrlib.cyclic, dict(base_lr=0.2, max_lr=0.1, step_size_up=10), "base_lr"),
    (lrlib.cyclic, dict(base_lr=-0.1, max_lr=0.1, step_size_up=10), "base_lr"),
    (lrlib.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=0), "step_size_up"),
    (lrlib.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=10, step_size_down=-1), "step_size_down"),
    (lrlib.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=10, mode="cosine"), "mode"),
    (lrlib.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=10, mode="exp_range", gamma=0.0), "gamma"),
    (lrlib.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=10, mode="exp_range", gamma=1.5), "gamma"),
    (lrlib.Plateau, dict(initial_lr=0.0), "initial_lr"),
    (lrlib.Plateau, dict(initial_lr=0.1, mode="minimum"), "mode"),
    (lrlib.Plateau, dict(initial_lr=0.1, factor=1.0), "factor"),
    (lrlib.Plateau, dict(initial_lr=0.1, factor=-0.1), "factor"),
    (lrlib.Plateau, dict(initial_lr=0.1, patience=-1), "patience"),
    (lrlib.Plateau, dict(initial_lr=0.1, patience=1.5), "patience"),
    (lrlib.Plateau, dict(initial_lr=0.1, threshold=-1e-4), "threshold"),
    (lrlib.Plateau, dict(initial_lr=0.1, threshold=1.0), "threshold"),           # rel: best * 0 is no threshold
    (lrlib.Plateau, dict(initial_lr=0.1, threshold_mode="relative"), "threshold_mode"),
    (lrlib.Plateau, dict(initial_lr=0.1, cooldown=-2), "cooldown"),
    (lrlib.Plateau, dict(initial_lr=0.1, min_lr=0.5), "min_lr"),
    (lrlib.Plateau, dict(initial_lr=0.1, eps=-1.0), "eps"),
]


def test_plateau_allows_an_absolute_threshold_of_one_and_more():
    assert lrlib.Plateau(0.1, threshold_mode="abs", threshold=2.5).threshold == 2.5


@pytest.mark.parametrize("loss", ["0.5", None, [1.0, 2.0], True])
def test_plateau_reads_real_numbers_only(loss):
    plateau = lrlib.Plateau(0.1)
    with pytest.raises(ValueError, match=r"^loss must be a real number, got loss="):
        plateau.step(plateau.start(), loss)
    with pytest.raises(ValueError, match="state must be a PlateauState"):
        plateau.step({"lr": 0.1}, 0.5)


# The seed-compatible function: where the original misleads or crashes.
SEED_BAD = [
    (dict(lr_decay_type="cosine", lr=0.01, min_lr=1e-4, total_iters=100), "lr_decay_type", "'cosine'"),
    (dict(lr_decay_type="COS", lr=0.01, min_lr=1e-4, total_iters=100), "lr_decay_type", "'COS'"),
    (dict(lr_decay_type="step", lr=0.01, min_lr=1e-4, total_iters=100, step_num=1), "step_num", "1"),
    (dict(lr_decay_type="step", lr=0.01, min_lr=1e-4, total_iters=100, step_num=0), "step_num", "0"),
    (dict(lr_decay_type="step", lr=0.01, min_lr=1e-4, total_iters=5, step_num=10), "total_iters", "5"),
    (dict(lr_decay_type="cos", lr=0.0, min_lr=0.0, total_iters=100), "lr", "0.0"),
    (dict(lr_decay_type="cos", lr=NAN, min_lr=0.0, total_iters=100), "lr", "nan"),
    (dict(lr_decay_type="cos", lr=INF, min_lr=0.0, total_iters=100), "lr", "inf"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=1e-4, total_iters=0), "total_iters", "0"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=1e-4, total_iters=-10), "total_iters", "-10"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=1e-4, total_iters=INF), "total_iters", "inf"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=-1e-4, total_iters=100), "min_lr", "-0.0001"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=0.02, total_iters=100), "min_lr", "0.02"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=1e-4, total_iters=100, warmup_iters_ratio=-0.1),
     "warmup_iters_ratio", "-0.1"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=1e-4, total_iters=100, warmup_lr_ratio=-0.1),
     "warmup_lr_ratio", "-0.1"),
    (dict(lr_decay_type="cos", lr=0.01, min_lr=1e-4, total_iters=100, no_aug_iter_ratio=-0.3),
     "no_aug_iter_ratio", "-0.3"),
]


def _id(item):
    return getattr(item, "__name__", None)


@pytest.mark.parametrize("make, kwargs, param", BAD, ids=[f"{m.__name__}-{p}-{i}" for i, (m, _, p) in enumerate(BAD)])
def test_bad_argument_raises_value_error_naming_it(make, kwargs, param):
    with pytest.raises(ValueError) as info:
        make(**kwargs)
    msg = str(info.value)
    assert f"{param}=" in msg or param in msg.split()[0], msg
    # the message says what is allowed, not just that something is wrong
    assert any(word in msg for word in ("must", "allowed", "one of")), msg


@pytest.mark.parametrize("kwargs, param, shown", SEED_BAD, ids=[f"{p}={s}" for _, p, s in SEED_BAD])
def test_seed_compatible_function_rejects_at_build_time(kwargs, param, shown):
    with pytest.raises(ValueError) as info:
        compat.get_lr_scheduler(**kwargs)
    msg = str(info.value)
    assert param in msg and shown in msg, msg


def test_seed_traps_that_are_kept_not_rejected():
    # min_lr = 0 is allowed: step decay then drops to 0 after the first plateau (a trap to teach)
    f = compat.get_lr_scheduler("step", lr=0.01, min_lr=0.0, total_iters=100)
    assert f(0) == 0.01 and f(10) == 0.0 and f(99) == 0.0
    # cos with step_num=1 is fine: step_num only matters for step decay
    g = compat.get_lr_scheduler("cos", lr=0.01, min_lr=1e-4, total_iters=100, step_num=1)
    assert g(99) == 1e-4


@pytest.mark.parametrize("bad_step", [-1, -0.5, float("nan"), float("inf"), [0, 1, -2], np.array([3.0, np.nan])])
@pytest.mark.parametrize("make", [
    lambda: lrlib.cosine_decay(0.1, 100),
    lambda: compat.get_lr_scheduler("cos", 0.01, 1e-4, 100),
    lambda: lrlib.warm_restarts(0.1, 10, 2.0),
])
def test_negative_or_non_finite_steps_raise_at_call_time(make, bad_step):
    f = make()
    with pytest.raises(ValueError, match=r"^step must be a finite number >= 0, got step=(-1\.0|-0\.5|nan|inf|-2\.0)$"):
        f(bad_step)


def test_language_must_be_known():
    with pytest.raises(ValueError, match="lang"):
        lrcourse.set_language("fr")


def test_batch_scaling_validates():
    with pytest.raises(ValueError, match="optimizer"):
        compat.scale_lr_for_batch(1e-2, 1e-4, 16, optimizer="adamw")
    with pytest.raises(ValueError, match="batch_size"):
        compat.scale_lr_for_batch(1e-2, 1e-4, 0)
    with pytest.raises(ValueError, match="no_aug_epochs"):
        compat.yolox_warm_cos(0.01, 100, total_epochs=10, warmup_epochs=5, no_aug_epochs=5)


def test_messages_are_english_even_when_chinese_is_selected():
    lrcourse.set_language("zh")
    try:
        with pytest.raises(ValueError) as info:
            lrlib.cosine_decay(0.1, -1)
        assert info.value.args[0].isascii()
    finally:
        lrcourse.set_language("en")
    assert math.isfinite(lrlib.cosine_decay(0.1, 1)(0))


# ------------------------------------------- the error carries the parameter, the value and the rule ---
#
# lrlib raises ScheduleArgumentError (a ValueError) from lrlib._checks, so that a program can say the
# same thing in another language: every bad-argument case below must carry all three.
CARRIED = [(make, kwargs, param) for make, kwargs, param in BAD] + \
    [(compat.get_lr_scheduler, kwargs, param) for kwargs, param, _shown in SEED_BAD]


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b if not isinstance(b, (list, tuple)) else list(a) == list(b)


@pytest.mark.parametrize("make, kwargs, param", CARRIED,
    ids=[f"{m.__name__}-{p}-{i}" for i, (m, _k, p) in enumerate(CARRIED)])
def test_the_error_carries_the_parameter_the_value_and_the_rule(make, kwargs, param):
    from lrlib._checks import RULES, ScheduleArgumentError

    with pytest.raises(ValueError) as info:
        make(**kwargs)
    err = info.value
    assert isinstance(err, ScheduleArgumentError), f"a plain ValueError: {err}"
    assert err.rule in RULES
    named = {err.param.partition("[")[0], err.fields.get("other"), *err.fields.get("names", ())}
    assert param in named, (err.param, err.fields)
    if err.param in kwargs and err.rule != "not_above":  # the value as given (not_above: after a check)
        assert _same(err.value, kwargs[err.param]), (err.value, kwargs[err.param])
    assert str(err) == err.args[0] and str(err).isascii()


# Today's English messages, word for word (people search for them).
EXACT = [
    (lambda: lrlib.constant(lr=True), "lr must be a real number, got lr=True (bool)"),
    (lambda: lrlib.constant(lr=NAN), "lr must be a finite number, got lr=nan"),
    (lambda: lrlib.cosine_decay(0.1, decay_steps=0), "decay_steps must be a finite number > 0, got decay_steps=0"),
    (lambda: compat.get_lr_scheduler("cos", 0.01, -1e-4, 100), "min_lr must be a finite number >= 0, got min_lr=-0.0001"),
    (lambda: lrlib.exponential_decay(1.0, gamma=1.5), "gamma must be in (0.0, 1.0], got gamma=1.5"),
    (lambda: lrlib.fractional_epochs(3, 0), "iters_per_epoch must be an integer >= 1, got iters_per_epoch=0"),
    (lambda: compat.get_lr_scheduler("cos", 0.01, 0.02, 100), "min_lr must be <= lr, got min_lr=0.02 and lr=0.01"),
    (lambda: compat.get_lr_scheduler("COS", 0.01, 1e-4, 100),
     "lr_decay_type must be one of ['cos', 'step'], got lr_decay_type='COS'"),
    (lambda: lrlib.multistep_decay(1.0, milestones=[30, 10]),
     "milestones must be strictly increasing (sorted, no duplicates), got milestones=[30, 10]"),
    (lambda: lrlib.multistep_decay(1.0, milestones=[0, 10]), "milestones must all be > 0.0, got milestones=[0, 10]"),
    (lambda: lrlib.multistep_decay(1.0, milestones=[]), "milestones must not be empty, got milestones=[]"),
    (lambda: lrlib.multistep_decay(1.0, milestones=[5, NAN]), "milestones[1] must be a finite number, got milestones[1]=nan"),
]


@pytest.mark.parametrize("call, message", EXACT, ids=[m.split()[0] + f"-{i}" for i, (_c, m) in enumerate(EXACT)])
def test_messages_are_word_for_word(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message
