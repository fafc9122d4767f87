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


def lesson_language(default: str = "en") -> str:
    """The language of the lesson notebook being run, from the folder it sits in.

    The zh and en notebooks have the same code, down to their first cell; what differs
    is where they live (``notebooks/zh/``, ``notebooks/teacher/en/``, ...). This looks,
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


def t(key: str, lang: str | None = None, **fields) -> str:
    """The display string for ``key`` in ``lang`` (default: the current language), formatted with ``fields``."""
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no display string {key!r} in lrcourse.i18n.STRINGS")
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
                             "warmup: {actual} epochs (ratio × total = {raw}, clamped to 1–3)"),
    "readout_tail_len": _s("恒定尾段：{actual} 轮（比例 × 总轮数 = {raw}，被限制在 1 到 15 轮之间）",
                           "constant tail: {actual} epochs (ratio × total = {raw}, clamped to 1–15)"),
    "readout_steps": _s("{k} 段，每段 {size} 轮，每到一段学习率乘以 {gamma}",
                        "{k} plateaus of {size} epochs; each drop multiplies the learning rate by {gamma}"),
    "readout_first_last": _s("开头几轮和最后几轮", "first and last epochs"),
    "readout_at_epoch": _s("第 {epoch} 轮：{values}", "at epoch {epoch}: {values}"),
    "readout_last_epoch": _s("最后一轮（第 {epoch} 轮）：{values}", "last epoch ({epoch}): {values}"),
    "readout_iter_values": _s("第 {k} 次迭代的学习率：{values}", "learning rate at iteration {k}: {values}"),
    "readout_warmup_iters": _s("预热共 {iters} 次迭代（{epochs} 轮 × 每轮 {ipe} 次）",
                               "the warmup lasts {iters} iterations ({epochs} epochs × {ipe} per epoch)"),
    "readout_restarts": _s("重启发生在第 {epochs} 轮", "restarts at epochs {epochs}"),
    "readout_no_restart": _s("在这 {total} 轮内没有重启", "no restart within these {total} epochs"),
    "readout_restart_peaks": _s("每次重启后的峰值：{values}", "peak after each restart: {values}"),
    "readout_iterations": _s("共 {iters} 次迭代（{epochs} 轮 × 每轮 {ipe} 次）",
                             "{iters} iterations in all ({epochs} epochs × {ipe} per epoch)"),
    "readout_gap": _s("两条曲线最多相差 {gap}（峰值的 {pct}%），在第 {iteration} 次迭代",
                      "the two curves differ by up to {gap} ({pct}% of the peak), at iteration {iteration}"),
    "readout_scale": _s("{name}：{lr} × {b}/{nbs} = {raw}，限制在 [{lo}, {hi}] 之内 → {fit}",
                        "{name}: {lr} × {b}/{nbs} = {raw}, clipped to [{lo}, {hi}] → {fit}"),
    # explorer messages (exceptions from the schedule constructors stay in English)
    "msg_invalid": _s("这组参数不成立：{detail}", "These settings do not work: {detail}"),
    "msg_kept": _s("图中仍是上一组可用参数的曲线。", "The plot still shows the last settings that worked."),
    "msg_step_epochs": _s("阶梯衰减要求总轮数不少于阶梯数：{k} 段却只有 {total} 轮。",
                          "Step decay needs at least as many epochs as steps: {k} steps but only {total} epochs."),
    "msg_warmup_too_long": _s("预热（{warmup} 轮）必须比总轮数（{total} 轮）短。",
                              "The warmup ({warmup} epochs) must be shorter than the whole run ({total} epochs)."),
    "msg_exp_zero_start": _s("指数预热不能从 0 开始：请把预热起始比例调到大于 0。",
                             "An exponential warmup cannot start from 0: raise the warmup start ratio above 0."),
    "msg_not_finite": _s("算出的学习率不是有限的数。", "The learning rate came out as a number that is not finite."),
    "font_missing_notice": _s(
        "lrlib：没有找到能显示中文的字体，图中的文字改用英文（控件和说明仍是中文）。"
        "安装一个中文字体（例如 Debian/Ubuntu 上 apt-get install fonts-wqy-microhei，"
        "Colab 上 !apt-get -qq install fonts-noto-cjk）后重启内核，图中就会显示中文。",
        "lrlib: no font that can draw Chinese was found, so text inside figures is in English "
        "(controls and messages are not affected). Install one (e.g. apt-get install fonts-wqy-microhei "
        "on Debian/Ubuntu, !apt-get -qq install fonts-noto-cjk on Colab) and restart the kernel."),
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
    # ---- printouts of lrlib.experiments (str() of Spread and Comparison) ----
    "xp_spread": _s("{mean} ± {std}（最小 {lo}，最大 {hi}，{count} 个种子）",
                    "{mean} ± {std} (min {lo}, max {hi}, {count} seeds)"),
    "xp_some_diverged": _s("；{n} 个种子中有 {k} 个发散", "; {k} of {n} seeds diverged"),
    "xp_all_diverged": _s("没有有限值（{n} 个种子全部发散）", "no finite value ({n} of {n} seeds diverged)"),
    "xp_cmp_head": _s("{metric}：a {a}；b {b}；差值 b − a = {gap}。", "{metric}: a {a}; b {b}; gap b - a = {gap}. "),
    "xp_cmp_differ": _s("{better} 的每个种子都胜过 {worse} 的每个种子（仅凭运气出现这种情况的概率：{chance}），两者有差别。",
                        "Every seed of {better} beats every seed of {worse} (by luck alone: {chance} chance), "
                        "so they differ."),
    "xp_cmp_overlap": _s("两组种子的结果有重叠：差别在噪声之内。", "The seeds overlap: the difference is within the noise."),
}


def add_strings(table: dict, *, source: str = "") -> None:
    """Add display strings ``{key: (zh, en)}`` (a lesson's own) to the table; a key may be defined once."""
    for key, (zh, en) in table.items():
        if key in STRINGS and STRINGS[key] != _s(zh, en):
            raise RuntimeError(f"display string {key!r} is defined twice (again in {source or 'add_strings'})")
        STRINGS[key] = _s(zh, en)


def _add_lesson_strings() -> None:
    """Merge the lessons' strings (``lessons/strings/lNN.py`` in a checkout) into STRINGS.

    Transitional: the lesson build will write each lesson's strings into its notebook.
    """
    import importlib.util
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "lessons" / "strings"
    for path in sorted(folder.glob("l[0-9][0-9].py")):
        spec = importlib.util.spec_from_file_location(f"_lesson_strings_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        add_strings(module.STRINGS, source=path.name)


_add_lesson_strings()
