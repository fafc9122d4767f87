"""Display strings in Simplified Chinese and English: one table, which is also the glossary.

``set_language("zh")`` or ``set_language("en")`` switches every widget label, plot
title, axis label, legend, readout and exercise message. Exception messages from
schedule constructors stay in English on purpose (they are what people search for).

    >>> set_language("zh"); print(t("learning_rate")); set_language("en"); print(t("learning_rate"))
    学习率
    learning rate

Entries marked ``glossary=True`` are the project's terms: lessons use exactly these
words, lesson 00 shows them as a table, and a test checks every entry has both languages.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")
_current = {"lang": "en"}


def set_language(lang: str) -> None:
    """Choose the language of everything lrlib displays: ``"zh"`` or ``"en"``."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got lang={lang!r}")
    _current["lang"] = lang


def get_language() -> str:
    """The language chosen with :func:`set_language` (``"en"`` until one is chosen)."""
    return _current["lang"]


def t(key: str, lang: str | None = None, **fields) -> str:
    """The display string for ``key`` in ``lang`` (default: the current language), formatted with ``fields``."""
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no display string {key!r} in lrlib.i18n.STRINGS")
    text = entry[lang or _current["lang"]]
    return text.format(**fields) if fields else text


def glossary() -> list[tuple[str, str, str]]:
    """The glossary as ``(key, zh, en)`` rows, in table order."""
    return [(k, v["zh"], v["en"]) for k, v in STRINGS.items() if v.get("glossary")]


def _g(zh: str, en: str) -> dict:
    """A glossary term."""
    return {"zh": zh, "en": en, "glossary": True}


def _s(zh: str, en: str) -> dict:
    """A display string that is not a glossary term."""
    return {"zh": zh, "en": en}


STRINGS: dict[str, dict] = {
    # ---- glossary: the project's terms (one line each) ----
    "learning_rate": _g("学习率", "learning rate"),
    "lr_scheduler": _g("学习率调度器", "learning-rate scheduler"),
    "lr_schedule": _g("学习率调度", "learning-rate schedule"),
    "epoch": _g("轮", "epoch"),
    "iteration": _g("迭代", "iteration"),
    "step": _g("步", "step"),
    "batch_size": _g("批量大小", "batch size"),
    "nominal_batch_size": _g("基准批量大小", "nominal batch size"),
    "peak_lr": _g("峰值学习率", "peak learning rate"),
    "min_lr": _g("最小学习率", "minimum learning rate"),
    "warmup": _g("预热", "warmup"),
    "warmup_start_lr": _g("预热起始学习率", "warmup start learning rate"),
    "cosine_annealing": _g("余弦退火", "cosine annealing"),
    "step_decay": _g("阶梯衰减", "step decay"),
    "multistep_decay": _g("多阶梯衰减", "multistep decay"),
    "exponential_decay": _g("指数衰减", "exponential decay"),
    "linear_decay": _g("线性衰减", "linear decay"),
    "polynomial_decay": _g("多项式衰减", "polynomial decay"),
    "constant_tail": _g("恒定尾段", "constant tail"),
    "warm_restarts": _g("热重启", "warm restarts"),
    "cycle": _g("周期", "cycle"),
    "cycle_mult": _g("周期倍增系数", "cycle multiplier"),
    "milestone": _g("里程碑", "milestone"),
    "decay_rate": _g("衰减率", "decay rate"),
    "wsd": _g("预热-稳定-衰减（WSD）", "warmup-stable-decay (WSD)"),
    "cooldown": _g("冷却", "cooldown"),
    "one_cycle": _g("单周期策略", "one-cycle policy"),
    "gradient_descent": _g("梯度下降", "gradient descent"),
    "sgd": _g("随机梯度下降", "stochastic gradient descent"),
    "noise_floor": _g("噪声地板", "noise floor"),
    "divergence": _g("发散", "divergence"),
    "loss": _g("损失", "loss"),
    # ---- plots and widgets ----
    "phase_warmup": _s("预热", "warmup"),
    "phase_decay": _s("衰减", "decay"),
    "phase_constant": _s("恒定", "constant"),
    "phase_stable": _s("稳定", "stable"),
    "phase_cooldown": _s("冷却", "cooldown"),
    "phase_cycle": _s("周期", "cycle"),
    "phase_plateau": _s("平台", "plateau"),
    "restart": _s("重启", "restart"),
    "peak": _s("峰值", "peak"),
    "floor": _s("下限", "floor"),
    # ---- exercises and lessons ----
    "check_passed": _s("✔ 全部检查通过！", "✔ All checks passed!"),
    "check_failed": _s("✘ 还不对：{detail}", "✘ Not yet: {detail}"),
    "check_not_done": _s("（还没有作答。写好之后再运行这个单元格。）",
                         "(No answer yet. Write it, then run this cell again.)"),
    "ex_also": _s("另外：{detail}", "Also: {detail}"),
    "ex_checked": _s("检查了：{items}", "Checked: {items}"),
    "ex_not_callable": _s("答案应当是一个函数（例如 def my_schedule(t): ...），现在却是 {kind}。",
                          "The answer should be a function (like def my_schedule(t): ...), but it is a {kind}."),
    "ex_raised": _s("计算 {call} 时出错：{error}", "{call} raised {error}"),
    "ex_not_number": _s("{call} 返回了 {got}，应当返回一个数。", "{call} returned {got}; it should return a number."),
    "ex_not_finite": _s("{call} = {got}，不是有限的数。", "{call} = {got}, which is not a finite number."),
    "ex_not_a_number": _s("答案应当是一个有限的数，现在是 {got}。", "The answer should be a finite number, but it is {got}."),
    "ex_value": _s("{call} 应当等于 {expected}，现在是 {got}。", "{call} should be {expected}, but it is {got}."),
    "ex_rises": _s("曲线应当只降不升，但从 t = {t0} 到 t = {t1} 升高了（{v0} → {v1}）。",
                   "The curve should never go up, but it rises from t = {t0} to t = {t1} ({v0} → {v1})."),
    "ex_falls": _s("曲线应当只升不降，但从 t = {t0} 到 t = {t1} 降低了（{v0} → {v1}）。",
                   "The curve should never go down, but it falls from t = {t0} to t = {t1} ({v0} → {v1})."),
    "ex_prop_nonincreasing": _s("只降不升", "never goes up"),
    "ex_prop_nondecreasing": _s("只升不降", "never goes down"),
    "ex_jump": _s("曲线在 t = {t} 处跳变：紧挨着它之前是 {left}，在该点是 {right}。",
                  "The curve jumps at t = {t}: {left} just before, {right} at t."),
    "ex_prop_continuous": _s("在 t = {ts} 处连续", "continuous at t = {ts}"),
    "ex_out_of_bounds": _s("{call} = {got}，超出了范围 [{lo}, {hi}]。", "{call} = {got}, outside [{lo}, {hi}]."),
    "ex_prop_bounds": _s("始终在 [{lo}, {hi}] 之内", "stays within [{lo}, {hi}]"),
    "ex_differs": _s("和要求的曲线不一致：{call} 应当是 {expected}，现在是 {got}。",
                     "It differs from the curve asked for: {call} should be {expected}, but it is {got}."),
    "ex_prop_matches": _s("与要求的曲线一致（比较了 {n} 个点）", "matches the curve asked for ({n} points compared)"),
    "ex_too_large": _s("{name} = {got}，太大了。", "{name} = {got} is too large."),
    "ex_too_small": _s("{name} = {got}，太小了。", "{name} = {got} is too small."),
    "ex_prop_in_range": _s("{name} 落在合适的范围内", "{name} is in the right range"),
    "ex_not_option": _s("“{got}” 不是选项之一；可选的是 {options}。", "'{got}' is not one of the options {options}."),
    "ex_wrong_choice": _s("不是 “{got}”。", "Not '{got}'."),
}
