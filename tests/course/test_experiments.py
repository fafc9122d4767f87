"""The experiment functions against facts worked out independently of them.

Closed forms (geometric series, stationary variances), statistics of many sampled
runs, finite-difference gradients, and the promises the lessons rely on: seeded
runs repeat exactly, a diverging run is flagged and never raises or leaks NaN
silently, and nothing touches the network.
"""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lrlib
from lrcourse import experiments as ex
from lrcourse.experiments import models
from lrcourse.experiments.training import Monitor, TrainConfig, fit

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- noisy quadratic model


def _constant_lr_closed_form(lr, t, h, c, m0, v0):
    """E[L_t] for a constant lr: m_t = a^t m0, v_t = a^2t v0 + lr^2 c (1 - a^2t) / (1 - a^2), a = 1 - lr h."""
    a2 = (1.0 - lr * h) ** 2
    var = a2 ** t * v0 + lr * lr * c * (1.0 - a2 ** t) / (1.0 - a2)
    return 0.5 * np.sum(h * ((1.0 - lr * h) ** (2 * t) * m0 ** 2 + var))


@pytest.mark.parametrize("lr", [0.05, 0.5, 1.0, 1.9])
def test_nqm_exact_recursion_matches_the_geometric_series_for_a_constant_lr(lr):
    h = 1.0 / np.arange(1, 51)
    c = h / 4
    m0, v0 = np.linspace(-1, 2, 50), np.full(50, 0.3)
    curve = ex.nqm_expected_loss(lr, 300, curvatures=h, batch_size=4, init_mean=m0, init_var=v0)
    for t in (0, 1, 7, 100, 300):
        assert curve[t] == pytest.approx(_constant_lr_closed_form(lr, t, h, c, m0, v0), rel=1e-10)


def test_nqm_default_problem_reproduces_the_reference_table():
    """teaching.md §3.7: d = 1000, h_i = 1/i, B = 8, peak 1.0, T = 2000."""
    T = 2000
    scheds = [1.0, lrlib.cosine_decay(1.0, T), lrlib.wsd(1.0, T, 0, 50), lrlib.wsd(1.0, T, 0, 800, decay_shape="1-sqrt")]
    final = ex.nqm_expected_loss(scheds, T)[:, -1]
    assert np.round(final, 3).tolist() == [0.279, 0.062, 0.136, 0.057]


def test_a_decayed_schedule_beats_a_constant_one_on_the_nqm():
    T = 2000
    const, cos, step = ex.nqm_expected_loss(
        [1.0, lrlib.cosine_decay(1.0, T), lrlib.multistep_decay(1.0, [1000, 1500])], T)[:, -1]
    assert cos < step < const
    assert cos < const / 4
    # the constant run has reached its noise floor, which no amount of extra steps lowers
    assert const == pytest.approx(ex.nqm_noise_floor(1.0), rel=0.02)


def test_cosine_planned_for_the_stop_beats_a_longer_cosine_stopped_early():
    long = ex.nqm_expected_loss(lrlib.cosine_decay(1.0, 2000), 1000)[-1]
    planned = ex.nqm_expected_loss(lrlib.cosine_decay(1.0, 1000), 1000)[-1]
    assert planned < 0.9 * long


def test_nqm_list_of_schedules_equals_one_at_a_time():
    scheds = [0.3, lrlib.cosine_decay(0.8, 100), lambda t: 0.5 if t < 50 else 0.05]
    together = ex.nqm_expected_loss(scheds, 100, curvatures=np.linspace(0.1, 1, 30))
    for row, s in zip(together, scheds):
        np.testing.assert_allclose(row, ex.nqm_expected_loss(s, 100, curvatures=np.linspace(0.1, 1, 30)), rtol=1e-14)


def test_nqm_momentum_without_noise_matches_a_direct_heavy_ball_loop():
    h = np.array([0.05, 0.3, 1.0])
    lrs = lrlib.cosine_decay(0.4, 60)
    curve = ex.nqm_expected_loss(lrs, 60, curvatures=h, noise_var=0.0, momentum=0.8)
    theta, u = np.ones(3), np.zeros(3)
    for t in range(60):
        u = 0.8 * u + h * theta
        theta = theta - lrs(t) * u
    assert curve[-1] == pytest.approx(0.5 * np.sum(h * theta ** 2), rel=1e-10)


def test_nqm_momentum_zero_is_plain_sgd():
    h = 1.0 / np.arange(1, 21)
    a = ex.nqm_expected_loss(lrlib.cosine_decay(1.0, 50), 50, curvatures=h, momentum=0.0)
    b = ex.nqm_expected_loss(lrlib.cosine_decay(1.0, 50), 50, curvatures=h, momentum=1e-300)
    np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("momentum", [0.0, 0.7])
def test_nqm_exact_expectation_is_the_mean_of_many_sampled_runs(momentum):
    h = np.linspace(0.1, 1.0, 20)
    sched = lrlib.warmup_cosine(0.6, 80, 10)
    exact = ex.nqm_expected_loss(sched, 80, curvatures=h, batch_size=2, init_var=0.5, momentum=momentum)
    runs = ex.nqm_sampled_loss(sched, 80, seeds=range(400), curvatures=h, batch_size=2, init_var=0.5,
                               momentum=momentum)
    for t in (0, 10, 40, 80):
        se = runs[:, t].std(ddof=1) / math.sqrt(len(runs))
        assert abs(runs[:, t].mean() - exact[t]) < 4.5 * se, t


def test_nqm_sampled_seed_gives_the_same_run_alone_or_with_others():
    kw = dict(curvatures=np.linspace(0.1, 1.0, 200), batch_size=8)
    alone = ex.nqm_sampled_loss(0.5, 30, seeds=[3], **kw)
    among = ex.nqm_sampled_loss(0.5, 30, seeds=[1, 3, 8], **kw)
    np.testing.assert_array_equal(alone[0], among[1])
    assert not np.array_equal(among[0], among[1])


def test_nqm_blow_up_gives_inf_not_nan_and_no_warning():
    curve = ex.nqm_expected_loss(5.0, 2000, curvatures=np.array([1.0]), batch_size=1)
    assert not np.isnan(curve).any()
    assert np.isinf(curve[-1])
    runs = ex.nqm_sampled_loss(5.0, 2000, seeds=(0, 1), curvatures=np.array([1.0, 0.5]))
    assert not np.isnan(runs).any() and np.isinf(runs[:, -1]).all()


def test_nqm_noise_floor_is_the_stationary_variance_summed():
    h = np.array([0.2, 1.0, 1.5])
    floor = ex.nqm_noise_floor(0.5, curvatures=h, batch_size=4)
    by_coordinate = sum(0.5 * hi * ex.stationary_variance(0.5, hi, math.sqrt(hi / 4)) for hi in h)
    assert floor == pytest.approx(by_coordinate, rel=1e-12)
    assert ex.nqm_noise_floor(1.4, curvatures=h) == math.inf  # 1.4 * 1.5 > 2
    np.testing.assert_allclose(ex.nqm_noise_floor(np.array([0.5, 0.5]), curvatures=h, batch_size=4), floor)


# --------------------------------------------------------------------------- one coordinate


@pytest.mark.parametrize("lr, h, sigma", [(0.1, 1.0, 1.0), (1.5, 1.0, 0.5), (0.02, 4.0, 2.0)])
def test_stationary_variance_matches_simulation_over_many_seeds(lr, h, sigma):
    x = ex.sgd_1d(lr, 400, seeds=range(4000), curvature=h, noise_std=sigma, x0=0.0)
    a2 = (1 - lr * h) ** 2
    exact_at_400 = lr * lr * sigma * sigma * (1 - a2 ** 400) / (1 - a2)
    assert exact_at_400 == pytest.approx(ex.stationary_variance(lr, h, sigma), rel=1e-6)
    est = np.mean(x[:, -1] ** 2)
    se = exact_at_400 * math.sqrt(2 / x.shape[0])  # x is Gaussian: Var(x^2) = 2 s^2
    assert abs(est - exact_at_400) < 4.5 * se


def test_stationary_variance_formula_and_edges():
    assert ex.stationary_variance(1.0) == 1.0  # eta h = 1: one step forgets everything, Var = eta^2 sigma^2
    assert ex.stationary_variance(0.0) == 0.0
    assert ex.stationary_variance(2.0) == math.inf
    np.testing.assert_allclose(ex.stationary_variance(np.array([0.1, 0.2]), 2.0, 3.0),
                               [0.1 * 9 / (2 * 1.8), 0.2 * 9 / (2 * 1.6)])
    # the 1-D simulation is the one-coordinate NQM: E[L] = h E[x^2] / 2
    curve = ex.nqm_expected_loss(0.3, 500, curvatures=[2.0], noise_var=0.25, init_mean=0.0)
    assert curve[-1] == pytest.approx(0.5 * 2.0 * ex.stationary_variance(0.3, 2.0, 0.5), rel=1e-12)


def test_sgd_1d_is_deterministic_per_seed_and_flags_divergence_with_inf():
    a = ex.sgd_1d(lrlib.cosine_decay(0.5, 100), 100, seeds=(0, 1))
    b = ex.sgd_1d(lrlib.cosine_decay(0.5, 100), 100, seeds=(1,))
    np.testing.assert_array_equal(a[1], b[0])
    blown = ex.sgd_1d(3.0, 5000, seeds=(0,), x0=1.0)
    assert np.isinf(blown[0, -1]) and not np.isnan(blown).any()


# --------------------------------------------------------------------------- data


def test_digits_split_is_deterministic_stratified_and_scaled_on_train_only():
    d = ex.load_digits_split(seed=3)
    again = ex.load_digits_split(seed=3)
    other = ex.load_digits_split(seed=4)
    assert all(np.array_equal(p, q) for p, q in zip(d, again))
    assert not np.array_equal(d.y_test, other.y_test)
    assert d.X_train.shape == (1347, 64) and d.X_test.shape == (450, 64)
    assert d.X_train.dtype == np.float64 and d.y_train.dtype == np.int64
    counts = np.bincount(d.y_test, minlength=10)
    assert counts.min() >= 44 and counts.max() <= 46
    sd = d.X_train.std(axis=0)
    assert np.allclose(d.X_train.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(sd[sd > 0], 1.0)
    assert abs(d.X_test.mean()) > 1e-6  # the test set was not used to fit the scaler
    assert not d.X_train.flags.writeable
    f32 = ex.load_digits_split(seed=3, dtype=np.float32)
    assert f32.X_train.dtype == np.float32
    np.testing.assert_allclose(f32.X_train, d.X_train, rtol=1e-6, atol=1e-6)


def test_digits_load_offline_and_lrlib_imports_no_sklearn():
    code = (
        "import sys\n"
        "def refuse(event, args):\n"
        "    if event.startswith(('socket.', 'urllib.')):\n"
        "        raise OSError(f'network access attempted: {event}')\n"
        "sys.addaudithook(refuse)\n"
        "import lrcourse.experiments as ex\n"
        "assert 'sklearn' not in sys.modules, 'sklearn imported too early'\n"
        "d = ex.load_digits_split(0)\n"
        "print(d.X_train.shape[0] + d.X_test.shape[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1797"


# --------------------------------------------------------------------------- models


def test_backprop_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 5))
    y = np.array([0, 2, 1, 2, 0, 1])
    params = models.init_params("mlp", [5, 7, 4, 3], rng)
    for p in params[1::2]:
        p += rng.standard_normal(p.shape) * 0.1  # non-zero biases, to test their gradients too
    _, grads = models.loss_and_grads(params, x, y, np.arange(6))
    eps = 1e-6
    for p, g in zip(params, grads):
        for idx in [(0,) * p.ndim, tuple(s - 1 for s in p.shape)]:
            old = p[idx]
            p[idx] = old + eps
            up, _ = models.loss_and_grads(params, x, y, np.arange(6))
            p[idx] = old - eps
            down, _ = models.loss_and_grads(params, x, y, np.arange(6))
            p[idx] = old
            assert g[idx] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-8)


def test_softmax_regression_with_a_sensible_constant_lr_beats_90_percent_in_a_few_epochs():
    r = ex.train_softmax(0.1, num_epochs=3, batch_size=32, seed=0)
    assert not r.diverged and r.diverged_at is None
    assert r.test_accuracy[-1] > 0.90
    assert r.train_loss[-1] < r.train_loss[0] < math.log(10)
    assert np.all(r.lr == 0.1) and len(r.lr) == 3 * r.iters_per_epoch == 3 * 43


@pytest.mark.parametrize("train", [ex.train_softmax, ex.train_mlp])
def test_training_is_deterministic_per_seed(train):
    kw = dict(schedule=lrlib.cosine_decay(0.2, 2), num_epochs=2, batch_size=64)
    a, b, c = train(seed=5, **kw), train(seed=5, **kw), train(seed=6, **kw)
    for key in ("train_loss", "test_accuracy", "batch_loss", "weight_change"):
        np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    assert not np.array_equal(a.batch_loss, c.batch_loss)


@pytest.mark.parametrize("train, lr", [(ex.train_mlp, 1e4), (ex.train_softmax, 1e7)])
def test_a_diverging_run_is_flagged_stops_early_and_never_raises(train, lr):
    r = train(lr, num_epochs=4, batch_size=32, seed=0)
    assert r.diverged is True and r.diverged_at is not None
    assert r.diverged_at < r.iters_per_epoch  # stopped inside the first epoch
    assert np.isnan(r.train_loss).all() and np.isnan(r.test_accuracy).all()
    assert not np.isnan(r.batch_loss[: r.diverged_at + 1]).any()  # up to the stop, every loss is a number
    assert np.isnan(r.batch_loss[r.diverged_at + 1:]).all()
    assert "diverged at iteration" in repr(r)


def test_step_units_give_the_lr_the_optimizer_used():
    f = lrlib.cosine_decay(0.5, 2)
    kw = dict(num_epochs=2, batch_size=512)  # 3 iterations per epoch
    frac = ex.train_softmax(f, step_unit="fractional_epoch", **kw)
    np.testing.assert_allclose(frac.lr, f(lrlib.fractional_epochs(2, 3)))
    whole = ex.train_softmax(f, step_unit="epoch", **kw)
    np.testing.assert_allclose(whole.lr, [0.5, 0.5, 0.5, 0.25, 0.25, 0.25])
    it = ex.train_softmax(lrlib.cosine_decay(0.5, 6), step_unit="iteration", **kw)
    np.testing.assert_allclose(it.lr, lrlib.cosine_decay(0.5, 6)(np.arange(6)))
    scalar_only = ex.train_softmax(lambda e: 0.5 if e < 1 else 0.05, step_unit="epoch", **kw)
    np.testing.assert_allclose(scalar_only.lr, [0.5] * 3 + [0.05] * 3)
    np.testing.assert_array_equal(frac.iteration_epochs, np.arange(6) / 3)


# --------------------------------------------------------------------------- step units, worked out by hand


@pytest.mark.parametrize("step_unit, steps", [
    # 1347 training images in minibatches of 512: 3 iterations per epoch, 2 epochs
    ("iteration", [0, 1, 2, 3, 4, 5]),
    ("epoch", [0, 0, 0, 1, 1, 1]),
    ("fractional_epoch", [0, 1 / 3, 2 / 3, 1, 4 / 3, 5 / 3]),
])
def test_the_schedule_is_called_at_the_step_of_each_step_unit(step_unit, steps):
    seen = []

    def schedule(step):  # records what it is called with; lr = step / 10
        seen.append(np.asarray(step, dtype=float).copy())
        return np.asarray(step, dtype=float) / 10

    r = ex.train_softmax(schedule, num_epochs=2, batch_size=512, step_unit=step_unit)
    assert r.iters_per_epoch == 3
    np.testing.assert_array_equal(seen[0], steps)
    np.testing.assert_array_equal(r.lr, np.array(steps) / 10)


def test_fractional_epochs_with_a_smaller_last_minibatch():
    """1347 images in minibatches of 100: 14 iterations per epoch, the last of 47 images."""
    r = ex.train_softmax(lambda step: np.asarray(step, dtype=float), num_epochs=2, batch_size=100,
                         step_unit="fractional_epoch")
    assert r.iters_per_epoch == 14 and len(r.lr) == 28
    assert r.lr[13] == 13 / 14 and r.lr[14] == 1.0 and r.lr[15] == 15 / 14 and r.lr[27] == 27 / 14
    np.testing.assert_array_equal(r.iteration_epochs, np.arange(28) / 14)


def test_the_optimizer_uses_the_step_units_learning_rate():
    """Once per epoch (0.3, then 0.1) is the same run as per iteration with those values spelled out."""
    kw = dict(num_epochs=2, batch_size=512, seed=1)
    by_epoch = ex.train_softmax(lambda e: 0.3 if e < 1 else 0.1, step_unit="epoch", **kw)
    by_iteration = ex.train_softmax(lambda k: [0.3, 0.3, 0.3, 0.1, 0.1, 0.1][int(k)], step_unit="iteration", **kw)
    np.testing.assert_array_equal(by_epoch.batch_loss, by_iteration.batch_loss)
    np.testing.assert_array_equal(by_epoch.train_loss, by_iteration.train_loss)
    smooth = ex.train_softmax(lambda e: 0.3 if e < 1 else 0.1, step_unit="fractional_epoch", **kw)
    np.testing.assert_array_equal(smooth.lr, by_epoch.lr)  # k / 3 < 1 exactly when k // 3 == 0


def test_momentum_adam_weight_decay_and_a_deeper_net_all_train():
    sgd_m = ex.train_mlp(lrlib.cosine_decay(0.05, 3), num_epochs=3, momentum=0.9, weight_decay=1e-4, seed=1)
    adam = ex.train_mlp(lrlib.cosine_decay(3e-3, 3), num_epochs=3, optimizer="adam", hidden=(64, 64), seed=1)
    f32 = ex.train_softmax(0.1, num_epochs=3, dtype=np.float32)
    for r in (sgd_m, adam, f32):
        assert not r.diverged and r.test_accuracy[-1] > 0.9
    assert adam.weight_change.shape == (3, 3)


def test_weight_decay_shrinks_the_weights():
    kw = dict(num_epochs=3, batch_size=64, seed=0)
    free = ex.train_softmax(1.0, **kw)
    decayed = ex.train_softmax(1.0, weight_decay=0.05, **kw)
    assert decayed.weight_change[0, 0] < free.weight_change[0, 0]
    assert decayed.train_loss[-1] > free.train_loss[-1]  # it optimises a penalised loss


def test_recorded_test_probabilities_are_distributions():
    r = ex.train_softmax(0.1, num_epochs=2, record_test_probs=True)
    assert r.test_probs.shape == (2, 450, 10)
    np.testing.assert_allclose(r.test_probs.sum(axis=2), 1.0)
    assert (r.test_probs[-1].argmax(axis=1) == ex.load_digits_split(0).y_test).mean() == r.test_accuracy[-1]


# --------------------------------------------------------------------------- seeds and comparisons


def test_run_seeds_stacks_results_and_summarises_with_sample_std():
    runs = ex.run_seeds(ex.train_softmax, seeds=(0, 1, 2), schedule=0.1, num_epochs=2, batch_size=64)
    assert runs["train_loss"].shape == (3, 2) and runs["lr"].shape == (3, 44)
    s = runs.summary("train_loss")
    np.testing.assert_allclose(s.mean, runs["train_loss"].mean(axis=0))
    np.testing.assert_allclose(s.std, runs["train_loss"].std(axis=0, ddof=1))
    f = runs.final("test_accuracy")
    assert f.count == 3 and f.min <= f.mean <= f.max
    assert "3 seeds" in str(f)


def test_spread_counts_only_finite_values_and_says_how_many_diverged():
    s = ex.Spread.of(np.array([0.1, np.nan, 0.3]))
    assert s.mean == pytest.approx(0.2) and s.count == 2 and s.n_seeds == 3
    assert "1 of 3 seeds diverged" in str(s)
    none = ex.Spread.of(np.array([np.nan, np.nan]))
    assert none.count == 0 and "2 of 2 seeds diverged" in str(none)
    per_epoch = ex.Spread.of(np.array([[1.0, np.nan], [3.0, np.nan]]))
    assert per_epoch.count.tolist() == [2, 0] and per_epoch.mean[0] == 2.0


def test_spread_and_comparison_print_in_the_chosen_language():
    from lrcourse import i18n

    s = ex.Spread.of(np.array([0.1, np.nan, 0.3]))
    c = ex.compare_runs([0.11, 0.12, 0.115], [0.20, 0.22, 0.21])
    o = ex.compare_runs([0.11, 0.13, 0.12], [0.12, 0.125, 0.14])
    try:
        i18n.set_language("zh")
        zh = str(s), str(c), str(o), str(ex.Spread.of(np.array([np.nan])))
    finally:
        i18n.set_language("en")
    assert "0.2 ± 0.14" in zh[0] and "最小 0.1" in zh[0] and "3 个种子中有 1 个发散" in zh[0]
    assert "a 的每个种子都胜过 b 的每个种子" in zh[1] and "10.0%" in zh[1]
    assert "噪声之内" in zh[2] and "全部发散" in zh[3]
    assert not any(w in " ".join(zh) for w in ("seeds", "beats", "noise", "diverged"))


def test_compare_runs_rule_and_its_false_alarm_rate():
    sep = ex.compare_runs([0.11, 0.12, 0.115], [0.20, 0.22, 0.21])
    assert sep.differ and sep.better == "a" and sep.chance == pytest.approx(0.1)
    assert "differ" in str(sep)
    overlap = ex.compare_runs([0.11, 0.13, 0.12], [0.12, 0.125, 0.14])
    assert not overlap.differ and overlap.better is None and "within the noise" in str(overlap)
    acc = ex.compare_runs([0.95, 0.96], [0.97, 0.98], key="test_accuracy")
    assert acc.better == "b" and acc.higher_is_better
    assert ex.compare_runs(np.ones(5), np.zeros(5)).chance == pytest.approx(2 / 252)
    # a diverged seed is the worst value: it can make a setting lose, never win
    assert ex.compare_runs([0.1, np.nan, 0.12], [0.2, 0.21, 0.22]).better is None
    assert ex.compare_runs([0.3, 0.31, 0.32], [0.2, np.nan, 0.22]).better is None
    assert ex.compare_runs([0.1, 0.11, 0.12], [0.2, np.nan, 0.22]).better == "a"
    # under no real difference, full separation of 3 vs 3 happens about 1 time in 10
    rng = np.random.default_rng(0)
    hits = np.mean([ex.compare_runs(rng.normal(size=3), rng.normal(size=3)).differ for _ in range(2000)])
    assert 0.08 < hits < 0.12


def test_compare_runs_accepts_seed_runs():
    a = ex.run_seeds(ex.train_softmax, (0, 1, 2), schedule=0.01, num_epochs=2, batch_size=64)
    b = ex.run_seeds(ex.train_softmax, (0, 1, 2), schedule=0.3, num_epochs=2, batch_size=64)
    c = ex.compare_runs(a, b, "train_loss")
    assert c.better == "b" and c.a.mean == pytest.approx(a["train_loss"][:, -1].mean())


# --------------------------------------------------------------------------- range test


def test_lr_range_test_ramps_exponentially_and_stops_early_on_divergence():
    r = ex.lr_range_test("softmax", 1e-3, 1e3, num_iterations=300, batch_size=32, seed=0)
    assert r.diverged and r.stopped_at < 300 and len(r.lrs) == len(r.losses) == r.stopped_at
    ratios = r.lrs[1:] / r.lrs[:-1]
    np.testing.assert_allclose(ratios, (1e3 / 1e-3) ** (1 / 299), rtol=1e-9)
    assert r.lrs[0] == pytest.approx(1e-3)
    assert r.losses[0] == pytest.approx(r.raw_losses[0])  # bias correction: the first point is the raw loss
    assert r.losses[-1] > 4 * r.losses[:-1].min()  # the documented stopping rule
    assert r.lr_diverged == r.lrs[-1]
    assert r.suggested_lr == pytest.approx(r.lr_min_loss / 10)
    assert r.lrs[0] <= r.lr_steepest <= r.lr_min_loss < r.lr_diverged


def test_lr_range_test_on_a_gentle_ramp_runs_to_the_end():
    r = ex.lr_range_test("mlp", 1e-4, 1e-2, num_iterations=50, seed=1, hidden=32)
    assert not r.diverged and r.stopped_at == 50 and r.lr_diverged is None


# --------------------------------------------------------------------------- the configuration


@pytest.mark.parametrize("changes, message", [
    (dict(num_epochs=0), "num_epochs must be an integer >= 1, got num_epochs=0"),
    (dict(batch_size=2.5), "batch_size must be an integer >= 1, got batch_size=2.5"),
    (dict(seed=-1), "seed must be an integer >= 0, got seed=-1"),
    (dict(step_unit="step"), "step_unit must be one of ['epoch', 'fractional_epoch', 'iteration'], got step_unit='step'"),
    (dict(momentum=1.0), "momentum must be in [0.0, 1.0), got momentum=1.0"),
    (dict(weight_decay=-1e-4), "weight_decay must be a finite number >= 0, got weight_decay=-0.0001"),
    (dict(optimizer="rmsprop"), "optimizer must be one of ['sgd', 'adam', 'adamw'], got optimizer='rmsprop'"),
    (dict(betas=(0.9,)), "betas must be a pair (beta1, beta2), got betas=(0.9,)"),
    (dict(betas=(0.9, 1.0)), "betas[1] must be in [0.0, 1.0), got betas[1]=1.0"),
    (dict(eps=0), "eps must be a finite number > 0, got eps=0"),
    (dict(divergence_factor=1), "divergence_factor must be in (1.0, inf], got divergence_factor=1"),
    (dict(model="cnn"), "model must be one of ['softmax', 'mlp'], got model='cnn'"),
    (dict(hidden=64), "hidden must be () for model='softmax' (it has no hidden layer), got hidden=64"),
    (dict(model="mlp", hidden=()),
     "hidden must name at least one layer width for model='mlp' (softmax has none), got hidden=()"),
    (dict(model="mlp", hidden=(64, 0)), "hidden[1] must be an integer >= 1, got hidden[1]=0"),
    (dict(dtype=np.int32), "dtype must be a float type (np.float64 or np.float32), got dtype=<class 'numpy.int32'>"),
    (dict(record_test_probs="yes"), "record_test_probs must be True or False, got record_test_probs='yes'"),
])
def test_train_config_says_which_field_is_wrong_its_value_and_the_rule(changes, message):
    with pytest.raises(ValueError) as built:
        TrainConfig(**changes)
    assert str(built.value) == message
    with pytest.raises(ValueError) as replaced:
        TrainConfig(model=changes.get("model", "softmax")).replace(**changes)
    assert str(replaced.value) == message
    if "model" not in changes and "hidden" not in changes:  # the keyword layer builds the same config
        with pytest.raises(ValueError) as called:
            ex.train_softmax(0.1, **changes)
        assert str(called.value) == message


def test_train_config_is_frozen_and_normalised():
    c = TrainConfig(model="mlp", hidden=64, num_epochs=3.0, dtype="float32", betas=[0.8, 0.9])
    assert c.hidden == (64,) and c.num_epochs == 3 and isinstance(c.num_epochs, int)
    assert c.dtype == np.float32 and c.betas == (0.8, 0.9)
    assert TrainConfig(model="mlp").hidden == (128,) and TrainConfig().hidden == ()
    with pytest.raises(AttributeError):
        c.seed = 1
    assert c.replace(seed=4).seed == 4 and c.seed == 0


def test_a_config_gives_the_same_run_as_the_keywords_and_the_call_overrides_it():
    s = lrlib.cosine_decay(0.3, 2)
    config = TrainConfig(model="mlp", hidden=32, num_epochs=2, batch_size=64, momentum=0.5, seed=7)
    by_config = ex.train_mlp(s, config=config, seed=3)
    by_keywords = ex.train_mlp(s, num_epochs=2, batch_size=64, hidden=32, momentum=0.5, seed=3)
    np.testing.assert_array_equal(by_config.batch_loss, by_keywords.batch_loss)
    np.testing.assert_array_equal(by_config.test_accuracy, by_keywords.test_accuracy)
    assert by_config.seed == 3
    runs = ex.run_seeds(ex.train_mlp, (3, 4), schedule=s, config=config)
    np.testing.assert_array_equal(runs["batch_loss"][0], by_keywords.batch_loss)
    assert runs["train_loss"].shape == (2, 2) and runs.seeds == (3, 4)


def test_a_config_for_the_other_model_is_refused():
    with pytest.raises(ValueError, match="config.model must be 'softmax' here .* got config.model='mlp'"):
        ex.train_softmax(0.1, config=TrainConfig(model="mlp"))
    with pytest.raises(ValueError, match="config must be a TrainConfig, got config={'num_epochs': 2}"):
        ex.train_mlp(0.1, config={"num_epochs": 2})


# --------------------------------------------------------------------------- the one loop


class _Log(Monitor):
    def __init__(self, stop_at=None):
        self.events, self.stop_at = [], stop_at

    def start_epoch(self, epoch, params):
        self.events.append(("start", epoch))

    def minibatch(self, iteration, loss):
        self.events.append(("batch", iteration))
        return iteration == self.stop_at

    def end_epoch(self, epoch, params, iterations):
        self.events.append(("end", epoch, iterations))
        return False


def test_the_loop_reports_epochs_and_minibatches_in_order_and_stops_when_asked():
    config = TrainConfig(batch_size=512, num_epochs=5)  # 3 iterations per epoch
    log = _Log()
    done = fit(0.1, config, monitor=log, num_iterations=7)  # ends inside the third epoch
    assert log.events == [("start", 0), ("batch", 0), ("batch", 1), ("batch", 2), ("end", 0, 3),
                          ("start", 1), ("batch", 3), ("batch", 4), ("batch", 5), ("end", 1, 6),
                          ("start", 2), ("batch", 6)]
    assert done.updates == 7 and done.iters_per_epoch == 3 and len(done.lr) == 7
    stopped = _Log(stop_at=4)
    assert fit(0.1, config, monitor=stopped).updates == 4  # no update for the minibatch that stopped it
    assert stopped.events[-1] == ("batch", 4)


def _softmax_sgd_by_hand(lrs, batch_size, seed):
    """Plain SGD on softmax regression from W = 0, written out directly: the minibatch losses."""
    d = ex.load_digits_split(0)
    x, y = d.X_train, d.y_train
    order = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[1])
    w, b = np.zeros((64, 10)), np.zeros(10)
    losses, k = [], 0
    while k < len(lrs):
        perm = order.permutation(len(y))
        for start in range(0, len(y), batch_size):
            if k == len(lrs):
                break
            idx = perm[start:start + batch_size]
            z = x[idx] @ w + b
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            losses.append(-np.log(p[np.arange(len(idx)), y[idx]]).mean())
            p[np.arange(len(idx)), y[idx]] -= 1.0
            w -= lrs[k] * x[idx].T @ p / len(idx)
            b -= lrs[k] * p.mean(axis=0)
            k += 1
    return np.array(losses)


def test_range_test_minibatches_are_those_of_sgd_written_by_hand():
    """100 iterations of 32 wrap past the first epoch (43 iterations): the order is redrawn each epoch."""
    r = ex.lr_range_test("softmax", 1e-3, 0.5, num_iterations=100, batch_size=32, seed=2)
    assert not r.diverged and r.raw_losses[0] == pytest.approx(math.log(10), rel=1e-15)
    np.testing.assert_allclose(r.raw_losses, _softmax_sgd_by_hand(r.lrs, 32, seed=2), rtol=1e-10)


@pytest.mark.parametrize("model, options", [
    ("softmax", dict()),
    ("softmax", dict(momentum=0.9, batch_size=8)),
    ("mlp", dict(hidden=32)),
    ("mlp", dict(config=TrainConfig(model="mlp", hidden=(32, 16), optimizer="adam", weight_decay=1e-3, seed=5))),
])
def test_range_test_is_a_training_run_under_an_exponential_schedule(model, options):
    """The range test and training share one loop: same minibatches, same updates, step for step."""
    n, lo, hi = 120, 1e-4, 0.05
    r = ex.lr_range_test(model, lo, hi, num_iterations=n, **options)
    assert not r.diverged and r.stopped_at == n
    ramp = lrlib.warmup(lo, hi, n - 1, shape="exponential")  # lr_k = lo (hi / lo)^(k / (n - 1))
    np.testing.assert_allclose(r.lrs[1:] / r.lrs[:-1], (hi / lo) ** (1 / (n - 1)), rtol=1e-12)
    config = options.get("config")
    if config is None:
        config = TrainConfig(model=model, **options)
    train = ex.train_softmax if model == "softmax" else ex.train_mlp
    run = train(ramp, config=config.replace(step_unit="iteration", num_epochs=-(-n * config.batch_size // 1347)))
    np.testing.assert_array_equal(run.lr[:n], r.lrs)
    np.testing.assert_array_equal(run.batch_loss[:n], r.raw_losses)


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize("call, name", [
    (lambda: ex.nqm_expected_loss(0.1, -1), "num_steps"),
    (lambda: ex.nqm_expected_loss(0.1, 10, curvatures=[1.0, -1.0]), "curvatures"),
    (lambda: ex.nqm_expected_loss(0.1, 10, momentum=1.0), "momentum"),
    (lambda: ex.nqm_expected_loss(lambda t: -0.1, 10), "schedule"),
    (lambda: ex.nqm_expected_loss("cosine", 10), "schedule"),
    (lambda: ex.sgd_1d(0.1, 10, seeds=[]), "seeds"),
    (lambda: ex.stationary_variance(-0.1), "lr"),
    (lambda: ex.load_digits_split(test_fraction=1.0), "test_fraction"),
    (lambda: ex.train_softmax(0.1, num_epochs=0), "num_epochs"),
    (lambda: ex.train_softmax(0.1, step_unit="step"), "step_unit"),
    (lambda: ex.lr_range_test("softmax", hidden=64), "hidden"),
    (lambda: ex.train_mlp(0.1, hidden=()), "hidden"),
    (lambda: ex.train_mlp(0.1, optimizer="rmsprop"), "optimizer"),
    (lambda: ex.train_mlp(0.1, optimizer="adam", betas=(0.9, 1.0)), "betas"),
    (lambda: ex.lr_range_test(start_lr=1.0, end_lr=0.1), "end_lr"),
    (lambda: ex.run_seeds("not a function"), "train_fn"),
])
def test_bad_arguments_raise_value_error_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_every_public_function_documents_an_example_and_a_reference():
    import inspect

    for name in ex.__all__:
        obj = getattr(ex, name)
        doc = inspect.getdoc(obj) or ""
        assert doc, name
        if inspect.isfunction(obj):
            assert "Examples:" in doc and ">>>" in doc, name
            assert "References:" in doc, name


def test_training_runs_with_one_blas_thread():
    """Small matrices on a shared CPU: more BLAS threads make training many times slower."""
    from threadpoolctl import threadpool_info

    seen = []

    def schedule(steps):  # evaluated inside the training call
        seen.append({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
        return np.full(np.shape(steps), 0.1)

    ex.train_softmax(schedule, num_epochs=1, seed=0)
    assert seen and all(threads == {1} for threads in seen)
