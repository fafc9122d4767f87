"""Display strings in Simplified Chinese and English: one table, which is also the glossary.

``set_language("zh")`` or ``set_language("en")`` switches every widget label, plot
title, axis label, legend, readout and exercise message. lrlib's own exception messages
stay in English (they are what people search for); :func:`explain` says the same in
the language chosen, from the rule the error carries:

    >>> import lrlib
    >>> try:
    ...     lrlib.cosine_decay(peak_lr=0.1, decay_steps=-5)
    ... except ValueError as err:
    ...     print(err); print(explain(err, "zh")); print(explain(err, "en"))
    decay_steps must be a finite number > 0, got decay_steps=-5
    衰减步数 decay_steps 必须是大于 0 的有限数，现在是 -5。
    Decay steps (decay_steps) must be a finite number above 0; it is -5.

    >>> set_language("zh"); print(t("learning_rate")); set_language("en"); print(t("learning_rate"))
    学习率
    learning rate

Entries marked ``glossary=True`` are the project's terms: lessons use exactly these
words, lesson 00 shows them as a table, and a test checks every entry has both languages.
"""

from __future__ import annotations

import re

LANGUAGES = ("zh", "en")
_current = {"lang": "en"}


def set_language(lang: str) -> None:
    """Choose the language of everything lrlib displays: ``"zh"`` or ``"en"``.

    Choosing ``"zh"`` also puts a CJK font in matplotlib's fallback list (or says once how to
    install one), so that every figure the notebook draws afterwards, with the course's
    helpers or with plain pyplot, can write its Chinese labels.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got lang={lang!r}")
    _current["lang"] = lang
    if lang == "zh":
        from . import fonts  # (matplotlib is imported only when a Chinese lesson needs it)

        fonts.plot_language("zh")


def lesson_language(default: str = "en") -> str:
    """The language of the lesson notebook being run, from the folder it sits in.

    The zh and en notebooks have the same code, down to their first cell; what differs
    is where they live (``notebooks/zh/``, ``teacher/en/``, ...). This looks,
    in order, at the ``LRLIB_LANG`` environment variable, the notebook path Jupyter gives
    the kernel (``JPY_SESSION_NAME``) and the working directory (where Jupyter, nbval and
    VS Code start a notebook's kernel); the first of them whose own folder, or the folder
    above it, is named ``zh`` or ``en`` decides. Otherwise ``default``.

    Examples:
        >>> import os
        >>> os.environ["LRLIB_LANG"] = "zh"; lesson_language()
        'zh'
        >>> del os.environ["LRLIB_LANG"]
    """
    import os
    from pathlib import Path

    forced = os.environ.get("LRLIB_LANG", "").strip().lower()
    if forced in LANGUAGES:
        return forced
    places = []
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        places.append(Path(session).parent)
    places.append(Path.cwd())
    for place in places:
        for part in reversed(place.parts[-2:]):
            if part in LANGUAGES:
                return part
    return default


def get_language() -> str:
    """The language chosen with :func:`set_language` (``"en"`` until one is chosen)."""
    return _current["lang"]


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _is_one(value) -> bool:
    try:
        return float(str(value).replace(",", "")) == 1.0
    except ValueError:
        return False


def plural_forms(text: str, fields: dict) -> str:
    """English number agreement: ``{n|epoch|epochs}`` becomes ``epoch`` when the field ``n`` is 1, else ``epochs``.

        >>> plural_forms("{n} {n|epoch|epochs}", {"n": 1}), plural_forms("{n} {n|epoch|epochs}", {"n": "2.5"})
        ('{n} epoch', '{n} epochs')
    """
    return _PLURAL.sub(lambda m: m.group(2) if _is_one(fields.get(m.group(1))) else m.group(3), text)


def t(key: str, lang: str | None = None, **fields) -> str:
    """The display string for ``key`` in ``lang`` (default: the current language), formatted with ``fields``.

    A string may choose a word by a number, ``{n|epoch|epochs}`` (:func:`plural_forms`): the English
    strings say "1 epoch" and "3 epochs"; Chinese needs no such choice.
    """
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no display string {key!r} in lrcourse.i18n.STRINGS")
    text = plural_forms(entry[lang or _current["lang"]], fields)
    return text.format(**fields) if fields else text


def glossary() -> list[tuple[str, str, str]]:
    """The glossary as ``(key, zh, en)`` rows, in table order."""
    return [(k, v["zh"], v["en"]) for k, v in STRINGS.items() if v.get("glossary")]


def d2l_terms() -> dict[str, str]:
    """The term the Chinese edition of *Dive into Deep Learning* uses for a glossary key, where it has one.

    Where it differs from ours the lessons say both once (for example 轮 and d2l's 迭代周期 for an epoch).
    Source: d2l-zh, chapter 11 "优化算法" (11.11 学习率调度器, 11.4 随机梯度下降) and chapter 3.

        >>> d2l_terms()["epoch"]
        '迭代周期'
    """
    return {k: v["d2l"] for k, v in STRINGS.items() if v.get("glossary") and "d2l" in v}


# The display string of each parameter name that lrlib's errors and the explorers use: a glossary
# term or control label where one exists, else a ``param_...`` entry.
PARAM_LABELS = {
    "lr": "learning_rate", "peak_lr": "peak_lr", "min_lr": "min_lr", "end_lr": "param_end_lr",
    "start_lr": "param_start_lr", "init_lr": "param_init_lr", "basic_lr_per_img": "param_basic_lr_per_img",
    "warmup_lr_start": "warmup_start_lr", "total_steps": "param_total_steps", "total_iters": "param_total_iters",
    "total_epochs": "ctl_total_epochs", "num_epochs": "param_epochs", "epochs": "param_epochs",
    "warmup_steps": "param_warmup_steps", "warmup_epochs": "ctl_warmup_epochs", "decay_steps": "param_decay_steps",
    "tail_steps": "param_tail_steps", "duration_steps": "param_duration_steps",
    "first_cycle_steps": "param_first_cycle_steps", "first_cycle_epochs": "ctl_first_cycle_epochs",
    "cycle_mult": "cycle_mult", "peak_decay": "ctl_peak_decay", "max_cycles": "param_max_cycles",
    "step_size": "param_step_size", "step_num": "ctl_step_num", "gamma": "decay_rate", "power": "param_power",
    "milestones": "param_milestones", "pct_start": "param_pct_start", "anneal": "param_anneal",
    "div_factor": "param_div_factor", "final_div_factor": "param_final_div_factor",
    "three_phase": "param_three_phase", "shape": "param_shape", "warmup_shape": "ctl_shape",
    "decay_shape": "param_decay_shape", "boundaries": "param_boundaries", "schedules": "param_schedules",
    "lr_decay_type": "ctl_decay_type", "decay_type": "ctl_decay_type", "warmup_iters_ratio": "ctl_warmup_ratio",
    "warmup_ratio": "ctl_warmup_ratio", "warmup_lr_ratio": "ctl_warmup_lr_ratio", "no_aug_iter_ratio": "ctl_tail_ratio",
    "tail_ratio": "ctl_tail_ratio", "min_lr_ratio": "param_min_lr_ratio", "no_aug_epochs": "param_no_aug_epochs",
    "batch_size": "batch_size", "nbs": "nominal_batch_size", "optimizer": "ctl_optimizer",
    "iters_per_epoch": "ctl_iters_per_epoch", "iteration": "iteration", "step": "step",
    "step_unit": "param_step_unit", "readout_epoch": "ctl_readout_epoch", "base_lr": "param_base_lr",
    "max_lr": "param_max_lr", "mode": "param_mode", "step_size_up": "param_step_size_up",
    "step_size_down": "param_step_size_down", "timescale_steps": "param_timescale_steps", "decay_rate": "decay_rate",
    "staircase": "param_staircase",
}


CJK_START = re.compile(r"[\u4e00-\u9fff]")


def explain(error: BaseException, lang: str | None = None, *, rename: dict | None = None,
            labels: dict | None = None) -> str:
    """An lrlib argument error said in ``lang`` (default: the current language), from the rule it carries.

    The error's ``rule``, ``param``, ``value`` and fields (see ``lrlib._checks``) fill the
    template ``rule_<rule>`` of the table; the parameter is named by its term and its name in
    code (``峰值学习率 peak_lr``, ``peak learning rate (peak_lr)``), the value is shown as given. ``rename`` maps lrlib's
    parameter names to the names the reader knows (an explorer's controls: ``{"total_iters":
    "total_epochs"}``); ``labels`` adds ``{name: display-string key}`` to :data:`PARAM_LABELS`.
    Any other exception (no known rule) is told by its own text.

    Examples:
        >>> from lrlib import compat
        >>> try:
        ...     compat.get_lr_scheduler("cos", lr=0.01, min_lr=0.02, total_iters=100)
        ... except ValueError as err:
        ...     print(explain(err, "zh")); print(explain(err, "en", rename={"lr": "peak_lr"}))
        最小学习率 min_lr 不能大于学习率 lr（0.01），现在是 0.02。
        Minimum learning rate (min_lr) must not be above peak learning rate (peak_lr), which is 0.01; it is 0.02.
        >>> explain(ValueError("something else"), "zh")
        'something else'
    """
    lang = lang or _current["lang"]
    rule = getattr(error, "rule", None)
    fields = getattr(error, "fields", None)
    if not isinstance(rule, str) or f"rule_{rule}" not in STRINGS or not isinstance(fields, dict):
        return str(error) or type(error).__name__
    rename = rename or {}
    known = {**PARAM_LABELS, **(labels or {})}

    def name(param: str) -> str:
        base, _bracket, index = str(param).partition("[")
        shown = rename.get(base, base) + (f"[{index}" if index else "")
        key = known.get(rename.get(base, base))
        if key not in STRINGS:
            return shown
        return f"{t(key, lang=lang)} {shown}" if lang == "zh" else f"{t(key, lang=lang)} ({shown})"

    sep = t("sep_numbers", lang=lang)
    f = {"name": name(error.param), "code": rename.get(error.param, error.param), "value": show_value(error.value)}
    if "other" in fields:
        f["other"], f["other_value"] = name(fields["other"]), show_value(fields["other_value"])
        f["other_code"] = rename.get(fields["other"], fields["other"])
    if "minimum" in fields:
        f["minimum"] = show_value(fields["minimum"])
    if "allowed" in fields:
        f["allowed"] = sep.join(show_value(a) for a in fields["allowed"])
    if "low" in fields:
        f["interval"] = (f"{'(' if fields.get('low_open') else '['}{show_value(fields['low'])}, "
                         f"{show_value(fields['high'])}{')' if fields.get('high_open') else ']'}")
    if "names" in fields:
        names = [name(n) for n in fields["names"]]
        if lang == "zh":  # a space between a name in code and a Chinese word, none between Chinese words
            f["names"] = names[0] + "".join(f" 与{'' if CJK_START.match(n) else ' '}{n}" for n in names[1:])
        else:
            f["names"] = " and ".join(names)
        f["values"] = sep.join(f"{rename.get(n, n)} = {show_value(v)}" for n, v in zip(fields["names"], fields["values"]))
    text = t(f"rule_{rule}", lang=lang, **f)
    reason = getattr(error, "reason", None)
    if reason and f"reason_{reason}" in STRINGS:
        text += ("" if lang == "zh" else " ") + t(f"reason_{reason}", lang=lang, **f)
    return text[:1].upper() + text[1:]


def show_value(value) -> str:
    """A value as a message shows it: numbers to 6 significant digits, strings quoted, lists item by item.

    Examples:
        >>> show_value(0.30000000000000004), show_value(5.0), show_value(1e9), show_value("cos"), show_value([10, 10.5])
        ('0.3', '5', '1e+09', "'cos'", '[10, 10.5]')
    """
    import numbers

    if isinstance(value, (bool, str)):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _g(zh: str, en: str, d2l: str | None = None) -> dict:
    """A glossary term; ``d2l`` is the term *Dive into Deep Learning* (d2l-zh) uses, where it has one."""
    entry = {"zh": zh, "en": en, "glossary": True}
    if d2l is not None:
        entry["d2l"] = d2l
    return entry


def _s(zh: str, en: str) -> dict:
    """A display string that is not a glossary term."""
    return {"zh": zh, "en": en}


STRINGS: dict[str, dict] = {
    # ---- glossary: the project's terms (one line each) ----
    "learning_rate": _g("学习率", "learning rate", d2l="学习率"),
    "lr_scheduler": _g("学习率调度器", "learning-rate scheduler", d2l="学习率调度器"),
    "lr_schedule": _g("学习率调度", "learning-rate schedule"),
    "epoch": _g("轮", "epoch", d2l="迭代周期"),
    "iteration": _g("迭代", "iteration"),
    "step": _g("步", "step"),
    "batch_size": _g("批量大小", "batch size", d2l="批量大小"),
    "nominal_batch_size": _g("基准批量大小", "nominal batch size"),
    "peak_lr": _g("峰值学习率", "peak learning rate"),
    "min_lr": _g("最小学习率", "minimum learning rate"),
    "warmup": _g("预热", "warmup", d2l="预热"),
    "warmup_start_lr": _g("预热起始学习率", "warmup start learning rate"),
    "cosine_annealing": _g("余弦退火", "cosine annealing", d2l="余弦调度器"),
    "step_decay": _g("阶梯衰减", "step decay"),
    "multistep_decay": _g("多阶梯衰减", "multistep decay", d2l="多因子调度器"),
    "exponential_decay": _g("指数衰减", "exponential decay", d2l="因子调度器"),
    "linear_decay": _g("线性衰减", "linear decay"),
    "polynomial_decay": _g("多项式衰减", "polynomial decay", d2l="多项式衰减"),
    "constant_tail": _g("恒定尾段", "constant tail"),
    "warm_restarts": _g("热重启", "warm restarts"),
    "cycle": _g("周期", "cycle"),
    "cycle_mult": _g("周期倍增系数", "cycle multiplier"),
    "milestone": _g("里程碑", "milestone"),
    "decay_rate": _g("衰减率", "decay rate"),
    "wsd": _g("预热-稳定-衰减（WSD）", "warmup-stable-decay (WSD)"),
    "cooldown": _g("冷却", "cooldown", d2l="冷却"),
    "one_cycle": _g("单周期策略", "one-cycle policy"),
    "gradient_descent": _g("梯度下降", "gradient descent", d2l="梯度下降"),
    "sgd": _g("随机梯度下降", "stochastic gradient descent", d2l="随机梯度下降"),
    "noise_floor": _g("噪声基底", "noise floor"),
    "divergence": _g("发散", "divergence", d2l="发散"),
    "loss": _g("损失", "loss", d2l="损失"),
    # the kinds of exercise, as the lessons label them ("Exercise 2 (decide)." / "练习 2（决策）。")
    "exercise_compute": _g("计算", "compute"),
    "exercise_diagnose": _g("诊断", "diagnose"),
    "exercise_decide": _g("决策", "decide"),
    "exercise_predict": _g("预测并解释", "predict and explain"),
    "exercise_design": _g("设计", "design"),
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
    "phase_anneal": _s("退火", "anneal"),
    "axis_epoch": _s("轮（epoch）", "epoch"),
    "axis_iteration": _s("迭代（iteration）", "iteration"),
    # explorer controls (lrlib.widgets); glossary keys are used where one exists
    "ctl_total_epochs": _s("总轮数", "total epochs"),
    "ctl_warmup_ratio": _s("预热比例", "warmup ratio"),
    "ctl_warmup_lr_ratio": _s("预热起始比例", "warmup start ratio"),
    "ctl_tail_ratio": _s("尾段比例", "tail ratio"),
    "ctl_step_num": _s("阶梯数", "step count"),
    "ctl_decay_type": _s("衰减方式", "decay type"),
    "ctl_readout_epoch": _s("查看第几轮", "read at epoch"),
    "ctl_first_cycle_epochs": _s("首个周期（轮）", "first cycle (epochs)"),
    "ctl_peak_decay": _s("峰值衰减系数", "peak decay"),
    "ctl_iters_per_epoch": _s("每轮迭代数", "iterations per epoch"),
    "ctl_optimizer": _s("优化器", "optimizer"),
    "ctl_shape": _s("预热形状", "warmup shape"),
    "ctl_warmup_epochs": _s("预热轮数", "warmup epochs"),
    "opt_sgd": _s("SGD", "SGD"),
    "opt_adam": _s("Adam", "Adam"),
    "shape_linear": _s("线性", "linear"),
    "shape_quadratic": _s("二次", "quadratic"),
    "shape_cosine": _s("余弦", "cosine"),
    "shape_exponential": _s("指数", "exponential"),
    # explorer figures
    "title_seed": _s("YOLO 配方 get_lr_scheduler：{branch}", "The YOLO recipe get_lr_scheduler: {branch}"),
    "title_decay": _s("三种衰减：余弦、阶梯、线性", "Three ways to decay: cosine, step, linear"),
    "title_warmup": _s("四种预热形状", "Four warmup shapes"),
    "title_restarts": _s("余弦退火 + 热重启（SGDR）", "Cosine annealing with warm restarts (SGDR)"),
    "title_stepping": _s("每轮更新一次，还是每次迭代都更新", "Stepped once per epoch, or every iteration"),
    "title_batch": _s("按批量大小缩放学习率", "Scaling the learning rate for the batch size"),
    "legend_sep": _s("：", ": "),  # between a line's name and its formula in a legend
    "legend_per_epoch": _s("每轮更新一次", "once per epoch"),
    "legend_per_iteration": _s("每次迭代都更新", "every iteration"),
    "legend_nominal": _s("缩放前", "before scaling"),
    "legend_scaled": _s("缩放后", "after scaling"),
    # explorer readouts
    "sep_items": _s("，", ", "),
    "sep_numbers": _s("、", ", "),
    "readout_lr_at": _s("第 {epoch} 轮的学习率：{lr}", "learning rate at epoch {epoch}: {lr}"),
    "readout_warmup_len": _s("预热：{actual} 轮（比例 × 总轮数 = {raw}，被限制在 1 到 3 轮之间）",
                             "warmup: {actual} {actual|epoch|epochs} (ratio × total = {raw}, clamped to 1–3)"),
    "readout_tail_len": _s("恒定尾段：{actual} 轮（比例 × 总轮数 = {raw}，被限制在 1 到 15 轮之间）",
                           "constant tail: {actual} {actual|epoch|epochs} (ratio × total = {raw}, clamped to 1–15)"),
    "readout_steps": _s("{k} 段，每段 {size} 轮，每到一段学习率乘以 {gamma}",
                        "{k} {k|plateau|plateaus} of {size} {size|epoch|epochs}; each drop multiplies the learning rate by {gamma}"),
    "readout_first_last": _s("开头几轮和最后几轮", "first and last epochs"),
    "readout_at_epoch": _s("第 {epoch} 轮：{values}", "at epoch {epoch}: {values}"),
    "readout_last_epoch": _s("最后一轮（第 {epoch} 轮）：{values}", "last epoch ({epoch}): {values}"),
    "readout_iter_values": _s("第 {k} 次迭代的学习率：{values}", "learning rate at iteration {k}: {values}"),
    "readout_warmup_iters": _s("预热共 {iters} 次迭代（{epochs} 轮 × 每轮 {ipe} 次）",
                               "the warmup lasts {iters} {iters|iteration|iterations} ({epochs} {epochs|epoch|epochs} × {ipe} per epoch)"),
    "readout_restarts": _s("重启发生在第 {epochs} 轮", "{n|restart|restarts} at {n|epoch|epochs} {epochs}"),
    "readout_no_restart": _s("在这 {total} 轮内没有重启", "no restart within {total|this|these} {total} {total|epoch|epochs}"),
    "readout_restart_peaks": _s("每次重启后的峰值：{values}", "peak after each restart: {values}"),
    "readout_iterations": _s("共 {iters} 次迭代（{epochs} 轮 × 每轮 {ipe} 次）",
                             "{iters} {iters|iteration|iterations} in all ({epochs} {epochs|epoch|epochs} × {ipe} per epoch)"),
    "readout_gap": _s("两条曲线最多相差 {gap}（峰值的 {pct}%），在第 {iteration} 次迭代",
                      "the two curves differ by up to {gap} ({pct}% of the peak), at iteration {iteration}"),
    "readout_scale": _s("{name}：{lr} × {b}/{nbs} = {raw}，限制在 [{lo}, {hi}] 之内 → {fit}",
                        "{name}: {lr} × {b}/{nbs} = {raw}, clipped to [{lo}, {hi}] → {fit}"),
    # explorer messages (lrlib's argument errors are said by explain(), in the rule's words above)
    "msg_invalid": _s("这组参数不成立：{detail}", "These settings do not work: {detail}"),
    "msg_kept": _s("图中仍是上一组可用参数的曲线。", "The plot still shows the last settings that worked."),
    "msg_not_finite": _s("算出的学习率不是有限的数。", "The learning rate came out as a number that is not finite."),
    "font_missing_notice": _s(
        "lrlib：没有找到能显示中文的字体，图中的文字改用英文（控件和说明仍是中文）。"
        "安装一个中文字体（例如 Debian/Ubuntu 上 apt-get install fonts-wqy-microhei，"
        "Colab 上 !apt-get -qq install fonts-noto-cjk）后重启内核，图中就会显示中文。",
        "lrlib: no font that can draw Chinese was found, so text inside figures is in English "
        "(controls and messages are not affected). Install one (e.g. apt-get install fonts-wqy-microhei "
        "on Debian/Ubuntu, !apt-get -qq install fonts-noto-cjk on Colab) and restart the kernel."),
    # ---- lrlib's argument rules (lrlib._checks.RULES), said by explain() ----
    # {name}: the parameter (its term, then its name in code); {value}: what it got; {other}: a
    # second parameter and {other_value} its value; {names} and {values}: the parts of a sum.
    "rule_real": _s("{name} 必须是一个数，现在是 {value}。", "{name} must be a number; it is {value}."),
    "rule_finite": _s("{name} 必须是有限数，现在是 {value}。", "{name} must be a finite number; it is {value}."),
    "rule_positive": _s("{name} 必须是大于 0 的有限数，现在是 {value}。",
                        "{name} must be a finite number above 0; it is {value}."),
    "rule_non_negative": _s("{name} 必须是不小于 0 的有限数，现在是 {value}。",
                            "{name} must be a finite number, 0 or more; it is {value}."),
    "rule_in_range": _s("{name} 必须在 {interval} 之内，现在是 {value}。", "{name} must be within {interval}; it is {value}."),
    "rule_integer_min": _s("{name} 必须是不小于 {minimum} 的整数，现在是 {value}。",
                           "{name} must be a whole number, {minimum} or more; it is {value}."),
    "rule_one_of": _s("{name} 只能是 {allowed} 之一，现在是 {value}。", "{name} must be one of {allowed}; it is {value}."),
    "rule_boolean": _s("{name} 必须是 True 或 False，现在是 {value}。", "{name} must be True or False; it is {value}."),
    "rule_not_above": _s("{name} 不能大于{other}（{other_value}），现在是 {value}。",
                         "{name} must not be above {other}, which is {other_value}; it is {value}."),
    "rule_below": _s("{name} 必须小于{other}（{other_value}），现在是 {value}。",
                     "{name} must be below {other}, which is {other_value}; it is {value}."),
    "rule_at_least": _s("{name} 不能小于{other}（{other_value}），现在是 {value}。",
                        "{name} must be at least {other}, which is {other_value}; it is {value}."),
    "rule_sum_below": _s("{names} 之和必须小于{other}（{other_value}），现在是 {values}。",
                         "{names} must add up to less than {other}, which is {other_value}; they are {values}."),
    "rule_sum_not_above": _s("{names} 之和不能超过{other}（{other_value}），现在是 {values}。",
                             "{names} must add up to at most {other}, which is {other_value}; they are {values}."),
    "rule_sequence": _s("{name} 必须是一列数，现在是 {value}。", "{name} must be a list of numbers; it is {value}."),
    "rule_not_empty": _s("{name} 不能是空的。", "{name} must not be empty."),
    "rule_all_above": _s("{name} 中的每个数都必须大于 {minimum}，现在是 {value}。",
                         "Every number in {name} must be above {minimum}; it is {value}."),
    "rule_all_at_least": _s("{name} 中的每个数都必须不小于 {minimum}，现在是 {value}。",
                            "Every number in {name} must be {minimum} or more; it is {value}."),
    "rule_increasing": _s("{name} 必须严格递增（从小到大，没有重复），现在是 {value}。",
                          "{name} must be strictly increasing (sorted, no repeats); it is {value}."),
    "rule_one_fewer": _s("{name} 的项数必须比{other} 少一个（{other} 有 {other_value} 个），现在是 {value}。",
                         "{name} must have one entry fewer than {other}, which has {other_value}; it is {value}."),
    "rule_phase_steps": _s("{name} 与{other} 必须让每个阶段至少有一步（{code} × {other_code} 要大于 1），"
                           "现在 {code} = {value}，{other_code} = {other_value}。",
                           "{name} and {other} must give every phase at least one step ({code} × {other_code} "
                           "above 1); they are {value} and {other_value}."),
    "rule_schedule": _s("{name} 必须是 lrlib 的调度（Schedule），现在是 {value}。",
                        "{name} must be an lrlib Schedule; it is {value}."),
    "rule_schedules": _s("{name} 必须是由 lrlib 的调度（Schedule）组成的非空序列，现在是 {value}。",
                         "{name} must be a non-empty list of lrlib Schedules; it is {value}."),
    # why a rule holds (lrlib._checks.REASONS): a sentence after the rule
    "reason_step_decay": _s("阶梯衰减的 {other_value} 段，每段至少要占一步。",
                            "Each plateau of a step decay ({other_value} in all) needs at least one step."),
    "reason_exponential_warmup": _s("指数预热每一步都乘以同一个倍数，从 0 出发就会一直是 0。",
                                    "An exponential warmup multiplies by the same factor every step: from 0 it "
                                    "would stay at 0."),
    "reason_cosine_left": _s("还要给余弦段留出步数。", "Some steps must be left for the cosine."),
    # the parameters of lrlib's functions that have no glossary entry or control label (see PARAM_LABELS)
    "param_end_lr": _s("终值学习率", "final learning rate"),
    "param_start_lr": _s("起始学习率", "starting learning rate"),
    "param_init_lr": _s("初始学习率", "initial learning rate"),
    "param_basic_lr_per_img": _s("每张图像的基础学习率", "base learning rate per image"),
    "param_total_steps": _s("总步数", "total steps"),
    "param_total_iters": _s("总迭代数", "total iterations"),
    "param_warmup_steps": _s("预热步数", "warmup steps"),
    "param_decay_steps": _s("衰减步数", "decay steps"),
    "param_tail_steps": _s("尾段步数", "tail steps"),
    "param_duration_steps": _s("持续步数", "duration in steps"),
    "param_first_cycle_steps": _s("首个周期的步数", "first cycle in steps"),
    "param_max_cycles": _s("最多周期数", "most cycles"),
    "param_step_size": _s("每段步数", "steps per plateau"),
    "param_power": _s("幂次", "power"),
    "param_milestones": _s("里程碑", "milestones"),
    "param_pct_start": _s("上升段占比", "rising fraction"),
    "param_anneal": _s("退火方式", "annealing shape"),
    "param_div_factor": _s("起始除数", "initial divisor"),
    "param_final_div_factor": _s("最终除数", "final divisor"),
    "param_three_phase": _s("三段式", "three phases"),
    "param_decay_shape": _s("衰减形状", "decay shape"),
    "param_shape": _s("形状", "shape"),
    "param_boundaries": _s("分界点", "boundaries"),
    "param_schedules": _s("调度", "schedules"),
    "param_min_lr_ratio": _s("最小学习率比例", "minimum learning-rate ratio"),
    "param_no_aug_epochs": _s("关闭数据增强的轮数", "epochs without augmentation"),
    "param_epochs": _s("轮数", "epochs"),
    "param_step_unit": _s("步的单位", "step unit"),
    "param_base_lr": _s("基础学习率", "base learning rate"),
    "param_max_lr": _s("最大学习率", "maximum learning rate"),
    "param_mode": _s("模式", "mode"),
    "param_step_size_up": _s("上升段步数", "steps up"),
    "param_step_size_down": _s("下降段步数", "steps down"),
    "param_timescale_steps": _s("时间尺度（步）", "timescale in steps"),
    "param_staircase": _s("阶梯式", "staircase"),
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
    "ex_not_right": _s("{name} = {got}，还不对。", "{name} = {got} is not right."),
    "ex_prop_in_range": _s("{name} 落在合适的范围内", "{name} is in the right range"),
    "ex_not_option": _s("“{got}” 不是选项之一；可选的是 {options}。", "'{got}' is not one of the options {options}."),
    "ex_wrong_choice": _s("不是 “{got}”。", "Not '{got}'."),
    # ---- printouts of lrlib.experiments (str() of Spread and Comparison) ----
    "xp_spread": _s("{mean} ± {std}（最小 {lo}，最大 {hi}，{count} 个种子）",
                    "{mean} ± {std} (min {lo}, max {hi}, {count} {count|seed|seeds})"),
    "xp_some_diverged": _s("；{n} 个种子中有 {k} 个发散", "; {k} of {n} {n|seed|seeds} diverged"),
    "xp_all_diverged": _s("没有有限值（{n} 个种子全部发散）", "no finite value ({n} of {n} {n|seed|seeds} diverged)"),
    "xp_cmp_head": _s("{metric}：a {a}；b {b}；差值 b − a = {gap}。", "{metric}: a {a}; b {b}; gap b - a = {gap}. "),
    "xp_cmp_differ": _s("{better} 的每个种子都胜过 {worse} 的每个种子（仅凭运气出现这种情况的概率：{chance}），两者有差别。",
                        "Every seed of {better} beats every seed of {worse} (by luck alone: {chance} chance), "
                        "so they differ."),
    "xp_cmp_overlap": _s("两组种子的结果有重叠：差别在噪声之内。", "The seeds overlap: the difference is within the noise."),
}
