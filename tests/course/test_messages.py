"""lrlib's argument errors, said in the lesson's language: by lrcourse.i18n.explain() and by the explorers.

lrlib raises ScheduleArgumentError (a ValueError) carrying the parameter, the value and the
rule; its str() stays English. Every rule lrlib can raise has a zh and an en template. The
expected sentences below are written out by hand.
"""

import ast
import html
import math
import re
from pathlib import Path

import pytest

import lrcourse
import lrlib
from lrcourse import explorers as W
from lrcourse.i18n import LANGUAGES, PARAM_LABELS, STRINGS, explain, show_value, t
from lrlib import _checks, compat
from lrlib._checks import REASONS, RULES, ScheduleArgumentError

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english():
    lrcourse.set_language("en")
    yield
    lrcourse.set_language("en")


def _rules_raised_in(path: Path) -> set:
    """The rule keys a module passes to ScheduleArgumentError(...), read from its source."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == \
                "ScheduleArgumentError" and node.args:
            first = node.args[0]
            if path.name == "_checks.py" and isinstance(first, ast.Name):
                continue  # _rebuild(), which unpickles an error whatever its rule
            branches = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for b in branches:
                assert isinstance(b, ast.Constant), f"{path.name}: a rule that is not a literal: {ast.dump(b)}"
                found.add(b.value)
    return found


def test_every_rule_lrlib_can_raise_is_in_its_table():
    raised = set()
    for path in sorted((ROOT / "lrlib").glob("*.py")):
        raised |= _rules_raised_in(path)
    assert raised, "no rule found: the source reading is broken"
    assert {"positive", "in_range", "integer_min", "not_above", "one_of", "increasing"} <= raised
    assert raised <= set(RULES), f"rules raised but not in lrlib._checks.RULES: {raised - set(RULES)}"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_is_said_in_both_languages(rule):
    entry = STRINGS.get(f"rule_{rule}")
    assert entry is not None, f"lrcourse.i18n has no rule_{rule}"
    assert CJK.search(entry["zh"]) and not CJK.search(entry["en"])
    assert entry["zh"].endswith("。") and entry["en"].endswith(".")


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_every_reason_is_said_in_both_languages(reason):
    entry = STRINGS.get(f"reason_{reason}")
    assert entry is not None, f"lrcourse.i18n has no reason_{reason}"
    assert CJK.search(entry["zh"]) and entry["zh"].endswith("。") and entry["en"].endswith(".")


def test_every_parameter_of_lrlibs_functions_has_a_label():
    import inspect

    names = set()
    for module in (lrlib, lrlib.compat, lrlib.units):
        for attr in dir(module):
            f = getattr(module, attr)
            if callable(f) and not attr.startswith("_") and getattr(f, "__module__", "").startswith("lrlib") \
                    and not inspect.isclass(f):
                names |= set(inspect.signature(f).parameters)
    assert {"peak_lr", "total_iters", "warmup_steps"} <= names
    missing = sorted(n for n in names if n not in PARAM_LABELS)
    assert not missing, f"no label in lrcourse.i18n.PARAM_LABELS for {missing}"
    for name, key in PARAM_LABELS.items():
        assert key in STRINGS, f"{name}: {key} is not a display string"


# lrlib's real refusals, each with what a Chinese and an English reader are told (written by hand).
def _seed(**kw):
    return lambda: compat.get_lr_scheduler(**{"lr_decay_type": "cos", "lr": 0.01, "min_lr": 1e-4, "total_iters": 100,
                                              **kw})


SAID = [
    (lambda: lrlib.cosine_decay(0.1, -5), "positive",
     "衰减步数 decay_steps 必须是大于 0 的有限数，现在是 -5。",
     "Decay steps (decay_steps) must be a finite number above 0; it is -5."),
    (lambda: lrlib.constant("0.1"), "real",
     "学习率 lr 必须是一个数，现在是 '0.1'。",
     "Learning rate (lr) must be a number; it is '0.1'."),
    (lambda: lrlib.warmup(float("inf"), 1.0, 5), "finite",
     "起始学习率 start_lr 必须是有限数，现在是 inf。",
     "Starting learning rate (start_lr) must be a finite number; it is inf."),
    (_seed(min_lr=-1e-4), "non_negative",
     "最小学习率 min_lr 必须是不小于 0 的有限数，现在是 -0.0001。",
     "Minimum learning rate (min_lr) must be a finite number, 0 or more; it is -0.0001."),
    (lambda: lrlib.exponential_decay(1.0, 1.5), "in_range",
     "衰减率 gamma 必须在 (0, 1] 之内，现在是 1.5。",
     "Decay rate (gamma) must be within (0, 1]; it is 1.5."),
    (lambda: lrlib.fractional_epochs(3, 0), "integer_min",
     "每轮迭代数 iters_per_epoch 必须是不小于 1 的整数，现在是 0。",
     "Iterations per epoch (iters_per_epoch) must be a whole number, 1 or more; it is 0."),
    (_seed(lr_decay_type="cosine"), "one_of",
     "衰减方式 lr_decay_type 只能是 'cos'、'step' 之一，现在是 'cosine'。",
     "Decay type (lr_decay_type) must be one of 'cos', 'step'; it is 'cosine'."),
    (_seed(min_lr=0.02), "not_above",
     "最小学习率 min_lr 不能大于学习率 lr（0.01），现在是 0.02。",
     "Minimum learning rate (min_lr) must not be above learning rate (lr), which is 0.01; it is 0.02."),
    (lambda: lrlib.multistep_decay(1.0, [30, 10]), "increasing",
     "里程碑 milestones 必须严格递增（从小到大，没有重复），现在是 [30, 10]。",
     "Milestones (milestones) must be strictly increasing (sorted, no repeats); it is [30, 10]."),
    (lambda: lrlib.multistep_decay(1.0, [0, 10]), "all_above",
     "里程碑 milestones 中的每个数都必须大于 0，现在是 [0, 10]。",
     "Every number in milestones (milestones) must be above 0; it is [0, 10]."),
    (lambda: lrlib.multistep_decay(1.0, []), "not_empty",
     "里程碑 milestones 不能是空的。", "Milestones (milestones) must not be empty."),
    (lambda: lrlib.multistep_decay(1.0, [5, float("nan")]), "finite",
     "里程碑 milestones[1] 必须是有限数，现在是 nan。",
     "Milestones (milestones[1]) must be a finite number; it is nan."),
]


@pytest.mark.parametrize("call, rule, zh, en", SAID, ids=[f"{r}-{i}" for i, (_c, r, _z, _e) in enumerate(SAID)])
def test_lrlibs_refusals_are_said_in_each_language(call, rule, zh, en):
    with pytest.raises(ScheduleArgumentError) as info:
        call()
    err = info.value
    assert err.rule == rule and isinstance(err, ValueError)
    assert str(err).isascii()  # lrlib itself stays English
    assert explain(err, "zh") == zh
    assert explain(err, "en") == en
    lrcourse.set_language("zh")  # without a language: the one chosen
    assert explain(err) == zh


# The checks lrlib's modules are to use for the rules they still raise by hand (see test_validation).
CROSS = [
    (lambda: _checks.at_least("total_iters", 5, "step_num", 10, reason="step_decay"),
     "总迭代数 total_iters 不能小于阶梯数 step_num（10），现在是 5。阶梯衰减的 10 段，每段至少要占一步。",
     "Total iterations (total_iters) must be at least step count (step_num), which is 10; it is 5. "
     "Each plateau of a step decay (10 in all) needs at least one step."),
    (lambda: _checks.below("warmup_steps", 10, "total_steps", 10.0),
     "预热步数 warmup_steps 必须小于总步数 total_steps（10），现在是 10。",
     "Warmup steps (warmup_steps) must be below total steps (total_steps), which is 10; it is 10."),
    (lambda: _checks.sum_below({"warmup_steps": 5, "tail_steps": 5}, "total_steps", 10.0, reason="cosine_left"),
     "预热步数 warmup_steps 与尾段步数 tail_steps 之和必须小于总步数 total_steps（10），"
     "现在是 warmup_steps = 5、tail_steps = 5。还要给余弦段留出步数。",
     "Warmup steps (warmup_steps) and tail steps (tail_steps) must add up to less than total steps (total_steps), "
     "which is 10; they are warmup_steps = 5, tail_steps = 5. Some steps must be left for the cosine."),
    (lambda: _checks.sum_below({"warmup_steps": 5, "decay_steps": 6}, "total_steps", 10.0, strict=False),
     "预热步数 warmup_steps 与衰减步数 decay_steps 之和不能超过总步数 total_steps（10），"
     "现在是 warmup_steps = 5、decay_steps = 6。",
     "Warmup steps (warmup_steps) and decay steps (decay_steps) must add up to at most total steps (total_steps), "
     "which is 10; they are warmup_steps = 5, decay_steps = 6."),
    (lambda: _checks.positive("start_lr", 0.0, reason="exponential_warmup"),
     "起始学习率 start_lr 必须是大于 0 的有限数，现在是 0。指数预热每一步都乘以同一个倍数，从 0 出发就会一直是 0。",
     "Starting learning rate (start_lr) must be a finite number above 0; it is 0. An exponential warmup multiplies "
     "by the same factor every step: from 0 it would stay at 0."),
    (lambda: _checks.one_fewer("boundaries", [5, 10], "schedules", 2),
     "分界点 boundaries 的项数必须比调度 schedules 少一个（调度 schedules 有 2 个），现在是 [5, 10]。",
     "Boundaries (boundaries) must have one entry fewer than schedules (schedules), which has 2; it is [5, 10]."),
]


def _phase_steps():
    raise ScheduleArgumentError("phase_steps", "pct_start", 0.1, other="total_steps", other_value=4, start=0.0, end=-0.6)


CROSS += [
    (lambda: _checks.boolean("staircase", 1),
     "阶梯式 staircase 必须是 True 或 False，现在是 1。", "Staircase (staircase) must be True or False; it is 1."),
    (_phase_steps,
     "上升段占比 pct_start 与总步数 total_steps 必须让每个阶段至少有一步（pct_start × total_steps 要大于 1），"
     "现在 pct_start = 0.1，total_steps = 4。",
     "Rising fraction (pct_start) and total steps (total_steps) must give every phase at least one step "
     "(pct_start × total_steps above 1); they are 0.1 and 4."),
]


def test_the_english_of_the_new_checks_is_what_lrlib_said_before():
    # the messages compat, compose and primitives write by hand today, word for word
    said = {
        lambda: _checks.at_least("total_iters", 5, "step_num", 10, reason="step_decay"):
            "total_iters must be >= step_num=10 for step decay (each of the 10 plateaus needs at least one step), "
            "got total_iters=5",
        lambda: _checks.below("warmup_steps", 10, "total_steps", 10.0):
            "warmup_steps must be < total_steps=10.0, got warmup_steps=10",
        lambda: _checks.sum_below({"warmup_steps": 5, "decay_steps": 6}, "total_steps", 10.0, strict=False):
            "warmup_steps + decay_steps must be <= total_steps=10.0, got warmup_steps=5 and decay_steps=6",
        lambda: _checks.sum_below({"warmup_epochs": 5, "no_aug_epochs": 5}, "total_epochs", 10):
            "warmup_epochs + no_aug_epochs must be < total_epochs=10, got warmup_epochs=5 and no_aug_epochs=5",
        _phase_steps:
            "pct_start and total_steps must give every phase at least one step (pct_start * total_steps > 1), "
            "got pct_start=0.1 and total_steps=4 (a phase from step 0 to -0.6)",
        lambda: _checks.schedules("schedules", (1,)):
            "schedules must be a non-empty sequence of lrlib Schedules, got schedules=(1,)",
        lambda: _checks.schedule("schedule", None):
            "schedule must be an lrlib Schedule, got schedule=None",
    }
    for call, message in said.items():
        with pytest.raises(ScheduleArgumentError) as info:
            call()
        assert str(info.value) == message


@pytest.mark.parametrize("call, zh, en", CROSS, ids=[f"cross-{i}" for i in range(len(CROSS))])
def test_rules_between_parameters_are_said_in_each_language(call, zh, en):
    with pytest.raises(ScheduleArgumentError) as info:
        call()
    assert explain(info.value, "zh") == zh
    assert explain(info.value, "en") == en


def test_a_rename_names_the_control_the_reader_moved():
    with pytest.raises(ScheduleArgumentError) as info:
        _checks.at_least("total_iters", 5, "step_num", 10, reason="step_decay")
    said = explain(info.value, "zh", rename={"total_iters": "total_epochs"})
    assert said.startswith("总轮数 total_epochs 不能小于阶梯数 step_num（10），现在是 5。")
    assert "total_iters" not in said


def test_other_errors_are_told_by_their_own_text():
    assert explain(ValueError("step must be a finite number >= 0, got step=-1.0"), "zh") == \
        "step must be a finite number >= 0, got step=-1.0"
    assert explain(ZeroDivisionError(), "zh") == "ZeroDivisionError"

    class Odd(ValueError):
        rule, fields = "no_such_rule", {}

    assert explain(Odd("its own words"), "zh") == "its own words"


def test_values_are_shown_as_a_reader_writes_them():
    assert [show_value(v) for v in (0.1 + 0.2, 5.0, 1e9, -0.0001, float("nan"), 7, True, "cos", (1, 2.5))] == \
        ["0.3", "5", "1e+09", "-0.0001", "nan", "7", "True", "'cos'", "[1, 2.5]"]
    import numpy as np

    assert show_value(np.float32(0.25)) == "0.25" and show_value(np.int64(3)) == "3"
    assert len(show_value(object())) <= 60


# ------------------------------------------------------------------- in the explorers ---

def _message_text(ex):
    return html.unescape(re.sub(r"<[^>]+>", "", ex.message.value)).strip()


KEPT = {lang: t("msg_kept", lang=lang) for lang in LANGUAGES}


class WideStepNum(W.SeedRecipeExplorer):
    """The seed recipe explorer with a step_num slider reaching 1, which lrlib refuses (it needs 2)."""

    CONTROLS = tuple(c.but(low=1) if c.name == "step_num" else c for c in W.SeedRecipeExplorer.CONTROLS)


@pytest.mark.parametrize("lang, said", [
    ("zh", "阶梯数 step_num 必须是不小于 2 的整数，现在是 1。"),
    ("en", "Step count (step_num) must be a whole number, 2 or more; it is 1."),
])
def test_an_explorer_tells_lrlibs_rule_in_its_language(lang, said):
    lrcourse.set_language(lang)
    ex = WideStepNum(decay_type="step", total_epochs=50)
    good, png = ex.lines["lr"].get_ydata().copy(), bytes(ex.image.value)
    ex.controls["step_num"].value = 1
    assert _message_text(ex) == f"⚠ {said} {KEPT[lang]}"
    assert (ex.lines["lr"].get_ydata() == good).all() and bytes(ex.image.value) == png
    ex.controls["step_num"].value = 4
    assert ex.message == ""


@pytest.mark.parametrize("lang, typed, said", [
    ("zh", "1000", "总轮数 total_epochs 必须在 [1, 400] 之内，现在是 1000。"),
    ("en", "1000", "Total epochs (total_epochs) must be within [1, 400]; it is 1000."),
    ("zh", "abc", "总轮数 total_epochs 必须是一个数，现在是 'abc'。"),
    ("zh", "2.5", "总轮数 total_epochs 必须是不小于 1 的整数，现在是 2.5。"),
    ("en", "-3", "Total epochs (total_epochs) must be a whole number, 1 or more; it is -3."),
])
def test_a_typed_value_out_of_range_is_refused_in_the_language(lang, typed, said):
    lrcourse.set_language(lang)
    ex = W.SeedRecipeExplorer(total_epochs=100)
    good, png = ex.lines["lr"].get_ydata().copy(), bytes(ex.image.value)
    ex.entries["total_epochs"].value = typed
    assert _message_text(ex) == f"⚠ {said} {KEPT[lang]}"
    assert ex.controls["total_epochs"].value == 100  # not clamped, not changed
    assert ex.entries["total_epochs"].value == typed  # what was typed stays to be corrected
    assert (ex.lines["lr"].get_ydata() == good).all() and bytes(ex.image.value) == png


def test_a_typed_floor_above_the_peak_is_refused_not_dragged():
    lrcourse.set_language("zh")
    ex = W.SeedRecipeExplorer(peak_lr=0.01, min_lr=0.0001)
    ex.entries["min_lr"].value = "0.05"
    assert _message_text(ex) == f"⚠ 最小学习率 min_lr 不能大于峰值学习率 peak_lr（0.01），现在是 0.05。 {KEPT['zh']}"
    assert ex.controls["min_lr"].value == pytest.approx(0.0001) and ex.controls["peak_lr"].value == pytest.approx(0.01)


def test_a_typed_value_in_range_moves_the_slider_and_the_plot():
    ex = W.SeedRecipeExplorer(total_epochs=100)
    ex.entries["total_epochs"].value = "１２０"  # full-width digits, as a Chinese input method types them
    assert ex.message == "" and ex.controls["total_epochs"].value == 120
    assert len(ex.lines["lr"].get_ydata()) == 120
    ex.entries["peak_lr"].value = " 0.02 "
    y = ex.lines["lr"].get_ydata()
    assert ex.controls["peak_lr"].value == 0.02 and y.max() == pytest.approx(0.02)
    ex.entries["total_epochs"].value = "1000"  # refused ...
    assert ex.message != ""
    ex.controls["total_epochs"].value = 80     # ... then the slider moves: its value is written back
    assert ex.message == "" and ex.entries["total_epochs"].value == "80"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_constructor_value_raises_lrlibs_error(lang):
    lrcourse.set_language(lang)
    with pytest.raises(ScheduleArgumentError) as info:
        W.SeedRecipeExplorer(total_epochs=1000)
    err = info.value
    assert (err.param, err.value, err.rule) == ("total_epochs", 1000, "in_range")
    assert str(err) == "total_epochs must be in [1, 400], got total_epochs=1000"  # code gets lrlib's English
    with pytest.raises(ScheduleArgumentError, match=r"^min_lr must be <= peak_lr, got min_lr=0.02 and peak_lr=0.01$"):
        W.DecayComparisonExplorer(peak_lr=0.01, min_lr=0.02)
    with pytest.raises(ScheduleArgumentError, match="readout_epoch must be in"):
        W.WarmRestartsExplorer(total_epochs=20, readout_epoch=20)
    with pytest.raises(ScheduleArgumentError, match="shape must be one of"):
        W.WarmupExplorer(shape="cubic")


# lrlib's rules that its modules still raise by hand, as plain ValueErrors (see _checks.at_least, below,
# sum_below and positive(reason=...)); then the explorers tell them in English. When lrlib raises them
# with their rule, these pass, and the marker goes.


@pytest.mark.parametrize("lang, said", [
    pytest.param("zh", "总轮数 total_epochs 不能小于阶梯数 step_num（10），现在是 5。阶梯衰减的 10 段，每段至少要占一步。"),
    pytest.param("en", "Total epochs (total_epochs) must be at least step count (step_num), which is 10; it is 5. "
                       "Each plateau of a step decay (10 in all) needs at least one step."),
])
def test_too_few_epochs_for_the_steps_is_told_in_the_language(lang, said):
    lrcourse.set_language(lang)
    ex = W.SeedRecipeExplorer(total_epochs=50, decay_type="step")
    ex.controls["total_epochs"].value = 5
    assert _message_text(ex) == f"⚠ {said} {KEPT[lang]}"


@pytest.mark.parametrize("lang, said", [
    pytest.param("zh", "预热轮数 warmup_epochs 必须小于总轮数 total_epochs（4），现在是 5。"),
    pytest.param("en", "Warmup epochs (warmup_epochs) must be below total epochs (total_epochs), which is 4; it is 5."),
])
def test_a_warmup_longer_than_the_run_is_told_in_the_language(lang, said):
    lrcourse.set_language(lang)
    ex = W.WarmupExplorer(total_epochs=20, warmup_epochs=5)
    ex.controls["total_epochs"].value = 4
    assert _message_text(ex) == f"⚠ {said} {KEPT[lang]}"


@pytest.mark.parametrize("lang, said", [
    pytest.param("zh", "起始学习率 start_lr 必须是大于 0 的有限数，现在是 0。指数预热每一步都乘以同一个倍数，从 0 出发就会一直是 0。"),
])
def test_an_exponential_warmup_from_zero_is_told_in_the_language(lang, said):
    lrcourse.set_language(lang)
    ex = W.WarmupExplorer(warmup_lr_ratio=0.0)
    ex.controls["shape"].value = "exponential"
    assert _message_text(ex) == f"⚠ {said} {KEPT[lang]}"


def test_the_error_keeps_its_data_through_pickling():
    import pickle

    with pytest.raises(ScheduleArgumentError) as info:
        lrlib.exponential_decay(1.0, 1.5)
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.rule, again.param, again.value, again.fields, str(again)) == \
        ("in_range", "gamma", 1.5, info.value.fields, str(info.value))
    assert math.isclose(again.fields["high"], 1.0)
