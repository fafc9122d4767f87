# %% [markdown] tags=["lang-zh"]
# # 一步步拆开 YOLO 的学习率配方
#
# 很多 YOLO 系列的 PyTorch 复现（YOLOX、YOLOv5、YOLOv7 等社区仓库）都带着同一个函数 `get_lr_scheduler`：
# 它先**预热**，再**余弦退火**，最后用**最小学习率**跑完一段**恒定尾段**。网上流传着不少对它的解释，
# 本课程的起点文档里就收了两段，其中好几处说错了。这一课把这个函数一行一行拆开，
# 每一处都配上 lrlib 里对应的实现，用计算说话：哪些数字被“截断”了，函数什么时候被调用，
# 批量大小怎么改变学习率，以及那些解释错在哪里。
#
# ## 你将学到
#
# - 读懂配方的三个长度：预热最多 3 轮、恒定尾段最多 15 轮，并自己算出任意设置下的实际长度；
# - 用 lrlib 的积木（`warmup`、`decay`、`constant`、`join`）重新拼出这个配方，并验证它和原函数逐点相等；
# - 分清“每轮调用一次”和官方 YOLOX 的“每次迭代调用一次”，以及把 `total_iters` 的单位弄错会怎样；
# - 算出批量大小缩放后的学习率、它的上下限，以及解冻那一轮学习率为什么会跳变；
# - 比较旧默认值（0.1 / 0.3）和新默认值（0.05 / 0.05），找出它们在哪些总轮数下其实完全一样；
# - 用计算逐条反驳起点文档里的错误说法。
#
# ## 你需要
#
# - 第 01 课（为什么要调度学习率）；最好也看过第 02–04 课（阶梯衰减、余弦退火、预热）；
# - 能读懂几行 Python：`min`、`max`、`math.cos`；
# - 大约 30 分钟。整个笔记本在 CPU 上十几秒就能跑完，不需要 GPU，也不需要下载任何东西。

# %% [markdown] tags=["lang-en"]
# # Take the YOLO learning-rate recipe apart, step by step
#
# Many community PyTorch ports of the YOLO family (YOLOX, YOLOv5, YOLOv7 and others) ship the same
# function, `get_lr_scheduler`: a **warmup**, then **cosine annealing**, then a **constant tail** at the
# **minimum learning rate**. Plenty of explanations of it circulate online; the document this course
# grew out of contains two, and several of their statements are wrong. This lesson takes the function
# apart line by line, puts lrlib's version of each piece beside it, and settles every question with a
# computation: which numbers get clamped, when the function is called, how the batch size changes the
# learning rate, and where those explanations go wrong.
#
# ## What you'll learn
#
# - read the recipe's three lengths (a warmup of at most 3 epochs, a constant tail of at most 15) and
#   work out the actual lengths for any setting;
# - rebuild the recipe from lrlib's building blocks (`warmup`, `decay`, `constant`, `join`) and check
#   that it matches the original function point by point;
# - tell "called once per epoch" apart from official YOLOX's "called every iteration", and see what
#   happens when the unit of `total_iters` is wrong;
# - compute the batch-size-scaled learning rate, its limits, and why the learning rate jumps at the
#   epoch where the backbone is unfrozen;
# - compare the old defaults (0.1 / 0.3) with the current ones (0.05 / 0.05) and find the run lengths
#   for which they are in fact identical;
# - refute, one computation at a time, the wrong statements in the course's seed document.
#
# ## What you'll need
#
# - lesson 01 (why the learning rate needs a schedule); lessons 02–04 (step decay, cosine annealing,
#   warmup) help;
# - enough Python to read `min`, `max` and `math.cos`;
# - about 30 minutes. The notebook runs in well under 30 seconds on a laptop CPU, with no GPU and no
#   downloads.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from lrlib import compat
from lrcourse import exercises as ex
from lrcourse.experiments import nqm_expected_loss
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.figures import plot_schedule
from lrlib.plotting import format_lr

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 算出配方的三个长度
#
# 函数的签名是 `get_lr_scheduler(lr_decay_type, lr, min_lr, total_iters, warmup_iters_ratio=0.1,
# warmup_lr_ratio=0.1, no_aug_iter_ratio=0.3, step_num=10)`。`lr_decay_type == "cos"` 时，
# 它先算三个数（下面是原文的三行）：
#
# ```
# warmup_total_iters = min(max(warmup_iters_ratio * total_iters, 1), 3)
# warmup_lr_start = max(warmup_lr_ratio * lr, 1e-6)
# no_aug_iter = min(max(no_aug_iter_ratio * total_iters, 1), 15)
# ```
#
# 也就是：预热长度 W = 比例 × T，但**不少于 1、不多于 3**；预热起始学习率 = 0.1 × 峰值，但不低于 10⁻⁶；
# 恒定尾段长度 N = 比例 × T，但**不少于 1、不多于 15**。这里的 `min`、`max` 就是“截断”。
# 训练脚本把总轮数传给 `total_iters`（默认 300 轮），所以 T = 300、比例 0.1 时，预热不是 30 轮而是 **3 轮**；
# 比例 0.3 时，尾段不是 90 轮而是 **15 轮**。T 很小时反过来：T = 5，0.1 × 5 = 0.5，被抬到 **1 轮**。
#
# 下面先用几行 numpy 把这三个数写出来，再和 lrlib 的 `compat.get_lr_scheduler` 记录的阶段边界对照。

# %% [markdown] tags=["lang-en"]
# ## Work out the recipe's three lengths
#
# The signature is `get_lr_scheduler(lr_decay_type, lr, min_lr, total_iters, warmup_iters_ratio=0.1,
# warmup_lr_ratio=0.1, no_aug_iter_ratio=0.3, step_num=10)`. With `lr_decay_type == "cos"` it first
# computes three numbers (these are the original's three lines):
#
# ```
# warmup_total_iters = min(max(warmup_iters_ratio * total_iters, 1), 3)
# warmup_lr_start = max(warmup_lr_ratio * lr, 1e-6)
# no_aug_iter = min(max(no_aug_iter_ratio * total_iters, 1), 15)
# ```
#
# In words: the warmup length W is the ratio times T, but **at least 1 and at most 3**; the warmup
# start learning rate is 0.1 × the peak, but not below 10⁻⁶; the constant tail N is the ratio times T,
# but **at least 1 and at most 15**. Those `min`s and `max`es are the clamps. The training scripts
# pass the number of epochs as `total_iters` (300 by default), so with T = 300 and a ratio of 0.1 the
# warmup is not 30 epochs but **3**, and with a ratio of 0.3 the tail is not 90 epochs but **15**. For
# a short run it goes the other way: T = 5 gives 0.1 × 5 = 0.5, raised to **1** epoch.
#
# First the three numbers in a few lines of numpy, then a comparison with the phase boundaries that
# lrlib's `compat.get_lr_scheduler` records.

# %%
def recipe_lengths(T, warmup_ratio=0.1, tail_ratio=0.3):
    """The recipe's warmup length W and constant-tail length N, in the unit of T, after the clamps."""
    return min(max(warmup_ratio * T, 1), 3), min(max(tail_ratio * T, 1), 15)


print(t("l05_len_head"))
for T in (5, 10, 20, 50, 100, 300):
    W, N = recipe_lengths(T)
    print(t("l05_len_row", T=T, rw=0.1 * T, W=W, rn=0.3 * T, N=N, C=T - W - N))
    s = compat.get_lr_scheduler("cos", 0.01, 0.0001, T)
    warm = next(p for p in s.phases if p.kind == "warmup")
    tail = next(p for p in reversed(s.phases) if p.kind == "constant")
    assert warm.end == W and tail.start == T - N  # lrlib puts the phase boundaries where the clamps say

assert recipe_lengths(300) == (3, 15)        # not 30 and 90
assert recipe_lengths(5) == (1, 1.5)         # 0.1 * 5 = 0.5 is raised to 1
assert recipe_lengths(20) == (2, 6)          # neither clamp bites
assert recipe_lengths(50) == (3, 15)         # both clamps bite from T = 50 on (0.3 * 50 = 15)
assert compat.get_lr_scheduler("cos", 0.01, 0.0001, 300)(0) == 0.001            # start: 0.1 * peak
assert compat.get_lr_scheduler("cos", 0.01, 0.0001, 300, warmup_lr_ratio=0)(0) == 1e-6  # never below 1e-6

# %% [markdown] tags=["lang-zh"]
# 表里最后一列是留给余弦退火的轮数 T − W − N。注意 T = 50 时两个截断都已生效：预热 3 轮、尾段 15 轮，
# 余弦段只剩 32 轮。长度也不一定是整数：T = 5 时尾段是 1.5 轮。
#
# ## 把三段拼起来
#
# 三个数算好以后，原函数按当前的 t 落在哪一段来给学习率（`if iters <= warmup_total_iters:` …
# `elif iters >= total_iters - no_aug_iter:` … `else:` …），写成公式就是（η 是峰值，η_s 是预热起始值）：
#
# - t ≤ W：**二次**预热，η_s + (η − η_s)·(t/W)²；
# - t ≥ T − N：恒定尾段，η_min；
# - 其余：余弦退火，η_min + ½(η − η_min)·(1 + cos(π·(t − W)/(T − W − N)))。
#
# 这正好是 lrlib 的三块积木：`lrlib.warmup(η_s, η, W, "quadratic")`、`lrlib.decay(η, T − W − N, η_min, "cosine")`、
# `lrlib.constant(η_min)`，用 `lrlib.join` 在 W 和 T − N 处接起来（每一块都从自己的 0 开始计时）。
# lrlib 还有一步到位的 `lrlib.warmup_cosine_tail`，以及照搬原函数签名、连截断一起复现的
# `lrlib.compat.get_lr_scheduler`。另有一个逐行照着原函数写的纯 Python 标量版本
# `compat.original_get_lr_scheduler_value`，用来当“标准答案”。下面把四者放在一起比。

# %% [markdown] tags=["lang-en"]
# The last column is what is left for cosine annealing, T − W − N. At T = 50 both clamps already bite:
# 3 epochs of warmup, 15 of tail, and only 32 left for the cosine. The lengths need not be whole
# numbers either: at T = 5 the tail is 1.5 epochs.
#
# ## Put the three pieces together
#
# With the three numbers in hand, the original picks the learning rate by which stretch t falls in
# (`if iters <= warmup_total_iters:` … `elif iters >= total_iters - no_aug_iter:` … `else:` …). As
# formulas, with η the peak and η_s the warmup start:
#
# - t ≤ W: a **quadratic** warmup, η_s + (η − η_s)·(t/W)²;
# - t ≥ T − N: the constant tail, η_min;
# - otherwise: cosine annealing, η_min + ½(η − η_min)·(1 + cos(π·(t − W)/(T − W − N))).
#
# These are exactly three lrlib building blocks: `lrlib.warmup(η_s, η, W, "quadratic")`,
# `lrlib.decay(η, T − W − N, η_min, "cosine")` and `lrlib.constant(η_min)`, joined by `lrlib.join` at
# W and T − N (each block keeps its own clock, starting at 0). lrlib also has the one-call
# `lrlib.warmup_cosine_tail`, and `lrlib.compat.get_lr_scheduler`, which keeps the original's signature
# and its clamps. Finally `compat.original_get_lr_scheduler_value` is a plain scalar Python
# transcription of the original, branch for branch, to serve as the reference. Here are all four side
# by side.

# %%
peak, floor, T = 0.01, 0.0001, 300
W, N = recipe_lengths(T)
start = max(0.1 * peak, 1e-6)

by_hand = lrlib.join([lrlib.warmup(start, peak, W, "quadratic"),
                      lrlib.decay(peak, T - W - N, floor, "cosine"),
                      lrlib.constant(floor)], [W, T - N])
one_call = lrlib.warmup_cosine_tail(peak, floor, T, W, N, start_lr=start)
recipe = compat.get_lr_scheduler("cos", peak, floor, T)

epochs = np.arange(T)
reference = np.array([compat.original_get_lr_scheduler_value("cos", peak, floor, T, e) for e in epochs])
for s in (by_hand, one_call, recipe):
    assert np.allclose(s(epochs), reference, rtol=1e-12, atol=0)
print(t("l05_first_epochs", values=", ".join(format_lr(v) for v in recipe(np.arange(5)))))

# %% [markdown] tags=["lang-zh"]
# 一组设置相等还不够。下面换一批设置再比：总轮数从 1 到 300、新旧两套默认值、两个峰值，
# 在每轮的整数点和轮与轮之间的小数点上都比一遍（原函数接受小数 t，后面会用到）。

# %% [markdown] tags=["lang-en"]
# One setting is not enough. Below, a batch of settings: totals from 1 to 300 epochs, both sets of
# defaults, two peaks, checked at every whole epoch and at fractional points in between (the original
# accepts a fractional t, which comes in handy later).

# %%
worst, points, settings = 0.0, 0, 0
for T_ in (1, 2, 3, 5, 10, 20, 50, 100, 300):
    for ratios in ((0.1, 0.1, 0.3), (0.05, 0.1, 0.05)):
        for peak_ in (0.01, 0.00125):
            kw = dict(warmup_iters_ratio=ratios[0], warmup_lr_ratio=ratios[1], no_aug_iter_ratio=ratios[2])
            ts = np.linspace(0, T_, 8 * T_ + 1)
            ours = compat.get_lr_scheduler("cos", peak_, peak_ / 100, T_, **kw)(ts)
            theirs = np.array([compat.original_get_lr_scheduler_value("cos", peak_, peak_ / 100, T_, x, **kw)
                               for x in ts])
            worst = max(worst, float(np.max(np.abs(ours - theirs) / theirs)))
            points, settings = points + len(ts), settings + 1
print(t("l05_grid_ok", n=settings, points=points, err=worst))
assert worst < 1e-12

# %% [markdown] tags=["lang-zh"]
# 画出 T = 300 的整条曲线。配方每轮只取一个值，所以画成台阶；阴影标出三个阶段。

# %% [markdown] tags=["lang-en"]
# Here is the whole curve for T = 300. The recipe takes one value per epoch, so it is drawn as steps;
# the shading marks the three phases.

# %%
fig, ax = plt.subplots(figsize=(7, 3.2))
plot_schedule(recipe, T, ax=ax, title=plot_text("l05_fig_recipe"), lang=plot_lang, drawstyle="steps-post")
plt.show()

# %% [markdown] tags=["lang-zh"]
# ## 检查每一段的形状
#
# 起点文档对这个函数的解释是：
#
# > “在预热阶段使用余弦函数进行学习率的调整，然后在训练阶段保持学习率不变”
#
# 两半都不对。预热是**二次**的：走到预热一半（t = W/2）时，学习率只完成了上升幅度的 (1/2)² = 1/4，
# 而线性预热或余弦形状的预热在这一点都恰好是 1/2。预热之后学习率也不是“保持不变”，
# 而是沿余弦一路下降，每一轮都比上一轮小，只有最后 N 轮才恒定。
# 峰值 0.01 时，前四轮的学习率恰好是 0.001、0.002、0.005、0.01：起点 0.001 加上 0.009 × (t/3)²。

# %% [markdown] tags=["lang-en"]
# ## Check the shape of each piece
#
# The seed document explains the function like this (translated from Chinese):
#
# > "during warmup the learning rate is adjusted with a cosine, then it stays constant during training"
#
# Both halves are wrong. The warmup is **quadratic**: halfway through it (t = W/2) the learning rate has
# covered only (1/2)² = 1/4 of its climb, where a linear warmup, or one shaped like a cosine, would be
# at exactly 1/2. Nor does the learning rate "stay constant" after the warmup: it follows the cosine
# down, lower at every epoch than at the one before, and only the last N epochs are constant. With a
# peak of 0.01 the first four epochs get exactly 0.001, 0.002, 0.005 and 0.01: the start 0.001 plus
# 0.009 × (t/3)².

# %%
frac = (recipe(W / 2) - start) / (peak - start)
print(t("l05_shape_row", frac=frac))
assert abs(frac - 0.25) < 1e-12                                   # quadratic, not 0.5
assert abs(lrlib.warmup(start, peak, W, "linear")(W / 2) - (start + peak) / 2) < 1e-15
assert abs(lrlib.warmup(start, peak, W, "cosine")(W / 2) - (start + peak) / 2) < 1e-15
assert np.allclose(recipe(np.arange(4)), [0.001, 0.002, 0.005, 0.01], rtol=1e-12)

y = recipe(epochs)
cosine_part, tail_part = y[int(W):int(T - N)], y[int(T - N):]
print(t("l05_phase_counts", cos=len(cosine_part), distinct=len(np.unique(cosine_part)), tail=len(tail_part)))
assert np.all(np.diff(cosine_part) < 0) and len(np.unique(cosine_part)) == 282   # falls at every epoch
assert np.all(tail_part == floor) and len(tail_part) == 15                        # constant only at the end
assert abs(recipe(W + (T - W - N) / 2) - (peak + floor) / 2) < 1e-15              # the cosine's midpoint
assert recipe(W) == peak and recipe(T - N) == floor                               # continuous at both joins

# %% [markdown] tags=["lang-zh"]
# 另一段解释说：
#
# > “在每个训练 epoch 中，先将学习率从初始值降到最小值，然后再从最小值升回到初始值”
#
# 这描述的是**热重启**（SGDR），而且还把周期说成了一轮。这个函数从不重启：过了峰值以后，
# 学习率一次也不会上升；而且它每轮只调用一次，一轮之内学习率根本不变（下一节细说）。
# 下面在刚才那批设置上数一数峰值之后学习率上升的次数。
#
# 起点文档里“又升回去”的印象也许来自别处：这些仓库在 2022 年之前用的是 PyTorch 的
# `CosineAnnealingLR(T_max=5, eta_min=1e-5)`，每轮调用一次。它的闭式公式是周期为 2·T_max 的余弦，
# 所以 300 轮里学习率每 10 轮就回到峰值一次。那才是真正“降下去又升回来”的曲线，
# 而它来自把 `T_max` 设得远小于训练轮数，不是余弦退火本来的样子。

# %% [markdown] tags=["lang-en"]
# The other explanation says (translated):
#
# > "in each training epoch the learning rate first goes from the initial value down to the minimum,
# > then back up from the minimum to the initial value"
#
# That describes **warm restarts** (SGDR), with a period of one epoch to boot. This function never
# restarts: once past the peak, the learning rate does not go up a single time, and since it is called
# once per epoch, the learning rate does not change at all within an epoch (more on that in the next
# section). Below, the number of rises after the peak, counted over the same batch of settings.
#
# The "back up again" impression may come from elsewhere: before 2022 these repositories used PyTorch's
# `CosineAnnealingLR(T_max=5, eta_min=1e-5)`, stepped once per epoch. Its closed form is a cosine with a
# period of 2·T_max, so over 300 epochs the learning rate returned to its peak every 10 epochs. That
# is a curve that really goes down and back up, and it comes from a `T_max` far shorter than the run,
# not from what cosine annealing is.

# %%
rises = 0
for T_ in (5, 10, 20, 50, 100, 300):
    for ratios in ((0.1, 0.3), (0.05, 0.05)):
        s = compat.get_lr_scheduler("cos", 0.01, 0.0001, T_, warmup_iters_ratio=ratios[0], no_aug_iter_ratio=ratios[1])
        after_peak = s(np.linspace(recipe_lengths(T_, *ratios)[0], T_, 50 * T_))
        rises += int(np.sum(np.diff(after_peak) > 0))
print(t("l05_rises", n=rises))
assert rises == 0


def torch_cosine_closed_form(t, eta0=1e-3, eta_min=1e-5, T_max=5):
    """PyTorch CosineAnnealingLR's closed form, which nothing clamps at T_max."""
    return eta_min + (eta0 - eta_min) * (1 + np.cos(np.pi * t / T_max)) / 2


old = torch_cosine_closed_form(np.arange(301))
print(t("l05_torch_t5", values=", ".join(format_lr(v) for v in old[[0, 5, 10, 15, 20]])))
assert np.isclose(old[10], 1e-3) and np.isclose(old[5], 1e-5) and np.isclose(old[300], 1e-3)
assert np.sum(np.isclose(old, 1e-3)) == 31     # back at the peak every 10 epochs: 0, 10, ..., 300

# %% [markdown] tags=["lang-zh"]
# ### 自己拖一拖：截断
#
# **先预测：** 比例都用旧默认值（预热 0.1、尾段 0.3）。T = 300 时预热和尾段各是几轮？
# T 降到 40 呢？降到 8 呢？把预热比例从 0.1 调到 0.5，T = 300 的预热会变长吗？写下答案再拖滑块，
# 读数会同时列出“比例 × 总轮数”和截断后的实际长度。
#
# 每动一次滑块，探索器就做下面单元格注释里的两次调用：用 `compat.get_lr_scheduler` 创建配方，
# 再在第 0、1、…、T − 1 轮各取一个值（每轮一次）。

# %% [markdown] tags=["lang-en"]
# ### Try it yourself: the clamps
#
# **Predict first:** with the old default ratios (warmup 0.1, tail 0.3), how many epochs do the warmup
# and the tail get at T = 300? At T = 40? At T = 8? If you raise the warmup ratio from 0.1 to 0.5,
# does the warmup at T = 300 get longer? Write your answers down, then move the sliders; the readout
# shows both "ratio × total" and the clamped length.
#
# Whenever a slider moves, the explorer makes the two calls in the comment of the cell below: it builds
# the recipe with `compat.get_lr_scheduler`, then takes one value at each epoch 0, 1, …, T − 1.

# %%
# The two calls the explorer makes whenever a control changes:
#   s = compat.get_lr_scheduler(decay_type, peak_lr, min_lr, total_epochs, warmup_iters_ratio=warmup_ratio,
#                               warmup_lr_ratio=warmup_lr_ratio, no_aug_iter_ratio=tail_ratio, step_num=step_num)
#   x, y = lrlib.plotting.sample(s, total_epochs)   # x = 0, 1, ..., total_epochs - 1: once per epoch
from lrcourse.explorers import BatchScalingExplorer, SeedRecipeExplorer, SteppingExplorer, reset_all

recipe_explorer = SeedRecipeExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=300, warmup_ratio=0.1,
                                     tail_ratio=0.3, readout_epoch=0)
recipe_explorer

# %% [markdown] tags=["lang-zh"]
# 读数里 T = 300 时“预热：3 轮（比例 × 总轮数 = 30）”“恒定尾段：15 轮（= 90）”；把预热比例调到 0.5，
# 比例 × 总轮数变成 150，实际长度还是 3：T ≥ 30 时，把预热比例调到 0.1 以上不起任何作用。T = 8 时预热 1 轮、尾段 2.4 轮。
#
# ## 每轮调用一次
#
# 训练脚本是这样用这个函数的（节选）：
#
# ```
# lr_scheduler_func = get_lr_scheduler(lr_decay_type, Init_lr_fit, Min_lr_fit, UnFreeze_Epoch)
# for epoch in range(Init_Epoch, UnFreeze_Epoch):
#     set_optimizer_lr(optimizer, lr_scheduler_func, epoch)
#     fit_one_epoch(...)
# ```
#
# 第三个参数 `total_iters` 名字里有 iters，传进去的却是**总轮数** `UnFreeze_Epoch`；
# 函数在每一轮**开始之前**被调用一次，参数是从 0 开始的轮号。所以一轮里的几百次迭代用的是同一个学习率，
# 预热 3 轮也就只有 3 个不同的值。
#
# 这说明了一件常被忽视的事：调度器里的长度**本身不带单位**，调用时传进去的是什么数，它就按什么单位计
# （常见误解：“`T_max`、`step_size` 一定是轮数”，或“一定是迭代次数”）。单位搭配错了会怎样？下面算两种错法，
# 每轮 100 次迭代、训练 300 轮：
#
# - 把总迭代次数 30000 传给 `total_iters`，却仍然每轮调用一次：余弦只走了开头一小段，最后一轮的学习率还几乎是峰值；
# - 把 300 传给 `total_iters`，却每次迭代用迭代序号调用：第 285 次迭代（训练还不到 3 轮）就进入恒定尾段，
#   之后 99% 的训练都用最小学习率。

# %% [markdown] tags=["lang-en"]
# At T = 300 the readout says "warmup: 3 epochs (ratio × total = 30)" and "constant tail: 15 epochs
# (= 90)". Raise the warmup ratio to 0.5 and ratio × total becomes 150, yet the warmup is still 3
# epochs: for T ≥ 30, raising the warmup ratio above 0.1 does nothing at all. At T = 8 the warmup is
# 1 epoch and the tail 2.4.
#
# ## Call it once per epoch
#
# This is how the training scripts use the function (abridged):
#
# ```
# lr_scheduler_func = get_lr_scheduler(lr_decay_type, Init_lr_fit, Min_lr_fit, UnFreeze_Epoch)
# for epoch in range(Init_Epoch, UnFreeze_Epoch):
#     set_optimizer_lr(optimizer, lr_scheduler_func, epoch)
#     fit_one_epoch(...)
# ```
#
# The third argument, `total_iters`, has "iters" in its name, but what goes in is the **number of
# epochs**, `UnFreeze_Epoch`; the function is called once **before** each epoch, with the 0-based epoch
# number. So the hundreds of iterations of one epoch all share one learning rate, and a 3-epoch warmup
# has just 3 distinct values.
#
# This is a point people often miss: a schedule's lengths **carry no unit of their own**; the unit is
# whatever you call it with (a common misconception: "`T_max` and `step_size` are epochs", or "are
# iterations"). What happens when the units do not match? Two ways to get it wrong, with 100 iterations
# per epoch and 300 epochs:
#
# - pass the 30000 iterations as `total_iters` but still call it once per epoch: the cosine covers only
#   its first sliver, and the last epoch still runs at almost the peak;
# - pass 300 as `total_iters` but call it with the iteration number: the constant tail starts at
#   iteration 285, before three epochs are even over, and 99% of training runs at the minimum learning rate.

# %%
ipe = 100  # iterations per epoch
used = np.array([[recipe(epoch) for _ in range(ipe)] for epoch in range(T)])  # what each iteration trains with
assert np.all(used == used[:, :1])                         # constant within every epoch
assert len(np.unique(used[:int(W)])) == 3                  # a 3-epoch warmup has 3 values

wrong_T = compat.get_lr_scheduler("cos", peak, floor, T * ipe)   # iterations in, epochs out
pct = 100 * wrong_T(T - 1) / peak
print(t("l05_units_a", T=T * ipe, pct=pct))
assert pct > 99.9

k = np.arange(T * ipe)
per_iter_wrong = recipe(k)                                 # epochs in, iterations out
first_floor = int(np.argmax(per_iter_wrong == floor))
share = 100 * np.mean(per_iter_wrong == floor)
print(t("l05_units_b", T=T, k=first_floor, e=first_floor // ipe, share=share))
assert first_floor == 285 and first_floor // ipe == 2 and share > 99

# %% [markdown] tags=["lang-zh"]
# ### 换个时机调用会怎样
#
# 另一个常见误解是“调度器什么时候调用无所谓”。这个配方在每轮**开始前**设学习率，第 e 轮用的是 f(e)。
# 如果改成在每轮**结束后**才设（很多训练循环把 `scheduler.step()` 放在轮末），第 e 轮用的就是上一轮末设下的 f(e − 1)，
# 而第 0 轮用的是优化器建好时的学习率。这些脚本建优化器时传入的正是峰值 `Init_lr_fit`：
# 第 0 轮就用满峰值，是预热起点的 10 倍，偏偏跳过了预热最要紧的那一轮；整条曲线也推迟了一轮，尾段少了一轮。

# %% [markdown] tags=["lang-en"]
# ### Call it at another moment
#
# Another common misconception: "when the scheduler is called does not matter". This recipe sets the
# learning rate **before** each epoch, so epoch e trains with f(e). Set it **after** each epoch instead
# (many training loops put `scheduler.step()` at the end of the epoch) and epoch e trains with f(e − 1),
# set at the end of the previous one, while epoch 0 runs with whatever the optimizer was created with.
# These scripts create the optimizer with the peak, `Init_lr_fit`: epoch 0 then runs at the full peak,
# 10 times the warmup start, so the warmup misses exactly the epoch it matters most for; the whole
# curve also runs one epoch late, and the tail loses an epoch.

# %%
before = recipe(epochs)                                    # set before each epoch: f(e)
after = np.concatenate([[peak], recipe(epochs[:-1])])       # set after each epoch: the optimizer's lr, then f(e - 1)
print(t("l05_after_epoch", used0=format_lr(after[0]), want0=format_lr(before[0]),
        tail_used=int(np.sum(after == floor)), tail_want=int(np.sum(before == floor))))
assert after[0] / before[0] == 10                          # epoch 0 at the full peak instead of 10 %
assert np.array_equal(after[1:], before[:-1])               # the rest: one epoch late
assert np.sum(after == floor) == 14 and np.sum(before == floor) == 15

# %% [markdown] tags=["lang-zh"]
# ## 和官方 YOLOX 对比：每次迭代更新
#
# 配方的出处之一是官方 YOLOX 的 `yoloxwarmcos`，公式同样是“二次预热 + 余弦 + 恒定尾段”，
# 但它在**每次迭代**之后更新学习率，长度都按“轮数 × 每轮迭代次数”换成迭代：预热 5 轮、从 0 开始，
# 尾段 15 轮（和关闭 Mosaic 数据增强的轮数对齐），最小学习率是峰值的 5%。lrlib 里是
# `compat.yolox_warm_cos(lr, iters_per_epoch, total_epochs)`，用迭代序号调用。
#
# 另外，原函数接受小数 t，所以配方本身也能每次迭代更新：在第 e 轮第 i 次迭代时调用 f(e + i/每轮迭代次数)。
# 下图比较前 8 轮（批量 64、峰值都是 0.01、每轮 100 次迭代）：配方的台阶、配方按小数轮的平滑曲线、官方 YOLOX。

# %% [markdown] tags=["lang-en"]
# ## Compare with official YOLOX, which updates every iteration
#
# One origin of the recipe is official YOLOX's `yoloxwarmcos`: the same "quadratic warmup + cosine +
# constant tail", but updated after **every iteration**, with every length converted from epochs into
# iterations: a 5-epoch warmup starting from 0, a 15-epoch tail (lined up with the epochs trained
# without Mosaic augmentation), and a minimum of 5 % of the peak. In lrlib it is
# `compat.yolox_warm_cos(lr, iters_per_epoch, total_epochs)`, called with the iteration number.
#
# Since the original accepts a fractional t, the recipe itself can also update every iteration: at
# iteration i of epoch e, call f(e + i/iterations per epoch). The plot compares the first 8 epochs
# (batch 64, a peak of 0.01 for both, 100 iterations per epoch): the recipe's staircase, the recipe at
# fractional epochs, and official YOLOX.

# %%
yolox = compat.yolox_warm_cos(peak, iters_per_epoch=ipe, total_epochs=T)
k = np.arange(8 * ipe)
x = k / ipe                                                # in epochs
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(x, recipe(np.floor(x)), lw=2, color="#d1495b", label=plot_text("l05_seed_epoch"))
ax.plot(x, recipe(x), lw=1.2, color="#1f5fa8", label=plot_text("l05_seed_iter"))
ax.plot(x, yolox(k), lw=1.2, ls="--", color="#2e8b57", label=plot_text("l05_yolox"))
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("learning_rate"))
ax.legend(fontsize=8)
plt.show()

whole_epoch = recipe(np.floor(x)).reshape(8, ipe)
yolox_epoch = yolox(k).reshape(8, ipe)
assert np.all(np.ptp(whole_epoch, axis=1) == 0)           # the recipe: one value per epoch
assert np.all(np.ptp(yolox_epoch, axis=1) > 0)            # YOLOX: changes within every one of these epochs
assert np.allclose(recipe(x[::ipe]), recipe(np.arange(8)))  # at whole epochs the two recipe curves agree
print(t("l05_yolox_first", lr0=format_lr(yolox(0)), lr1=format_lr(yolox(1)), lr300=format_lr(yolox(300)),
        seed3=format_lr(recipe(3))))
assert yolox(0) == 0 and np.isclose(yolox(1), peak * (1 / (5 * ipe)) ** 2)   # starts from 0, quadratically
assert np.isclose(yolox(3 * ipe), 0.0036) and recipe(3) == peak            # YOLOX still warming at epoch 3
assert np.isclose(yolox(T * ipe - 1), 0.05 * peak) and recipe(T - 1) == floor  # floors: 5 % vs 1 % of the peak

# %% [markdown] tags=["lang-zh"]
# 配方第 3 轮已经到峰值 0.01，官方 YOLOX 这时才 0.0036（5 轮预热的 (3/5)² = 36%）。
# 官方 YOLOX 的训练器在第 k 次参数更新之后才把学习率设成 f(k + 1)，优化器建好时学习率是 0，
# 所以第一次更新用的学习率是 0，第二次是 4×10⁻⁸。
#
# ### 自己拖一拖：每轮一次还是每次迭代
#
# **先预测：** 总共 20 轮、每轮 10 次迭代。“每轮设一次”和“每次迭代都设”两条曲线差得最多的地方在预热、
# 余弦段还是尾段？大约差峰值的百分之几？把每轮迭代次数从 10 调到 100，最大差距会变大还是变小？
#
# 探索器每次做下面注释里的三次调用：创建配方，再分别在整数轮和小数轮上取值。

# %% [markdown] tags=["lang-en"]
# By epoch 3 the recipe is at its peak of 0.01, while official YOLOX is at 0.0036 (36 % = (3/5)² of a
# 5-epoch warmup). YOLOX's trainer sets the learning rate to f(k + 1) after the k-th update, and the
# optimizer is created with a learning rate of 0, so the very first update runs at 0 and the second at
# 4×10⁻⁸.
#
# ### Try it yourself: per epoch or per iteration
#
# **Predict first:** 20 epochs, 10 iterations each. Where do the "once per epoch" and "every
# iteration" curves differ most: in the warmup, the cosine or the tail? By roughly what percentage of
# the peak? If you raise the iterations per epoch from 10 to 100, does the largest gap grow or shrink?
#
# The explorer makes the three calls in the comment below: it builds the recipe, then evaluates it at
# whole and at fractional epochs.

# %%
# The three calls the explorer makes whenever a control changes:
#   s = compat.get_lr_scheduler(decay_type, peak_lr, min_lr, total_epochs)
#   x = lrlib.fractional_epochs(total_epochs, iters_per_epoch)             # epoch + i / iters_per_epoch
#   per_epoch, per_iteration = s(lrlib.epoch_of_iteration(total_epochs, iters_per_epoch)), s(x)
stepping = SteppingExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=20, iters_per_epoch=10)
stepping

# %% [markdown] tags=["lang-zh"]
# T = 20 时预热是 2 轮，差距最大的地方在预热的末尾：第 1 轮的台阶还停在 f(1)，平滑曲线已经快到峰值了
# （读数显示约为峰值的 59%）。余弦段里相邻两轮只差一点，差距小得多。每轮迭代次数调到 100，最大差距升到约 67%，
# 但再多也超不过 67.5%：那是第 1 轮之内学习率本该上升的幅度 f(2) − f(1)。差距由一轮之内学习率变了多少决定，
# 迭代次数只决定平滑曲线离这一轮的终点有多近。
#
# ## 按批量大小缩放学习率
#
# 训练脚本不直接用 `Init_lr = 1e-2` 和 `Min_lr = Init_lr * 0.01`，而是先按批量大小缩放（节选）：
#
# ```
# nbs = 64
# lr_limit_max = 1e-3 if optimizer_type == 'adam' else 5e-2
# lr_limit_min = 3e-4 if optimizer_type == 'adam' else 5e-4
# Init_lr_fit = min(max(batch_size / nbs * Init_lr, lr_limit_min), lr_limit_max)
# Min_lr_fit = min(max(batch_size / nbs * Min_lr, lr_limit_min * 1e-2), lr_limit_max * 1e-2)
# ```
#
# 前半句是 Goyal 等人（2017）的**线性缩放规则**：批量大小是基准批量大小 nbs = 64 的几倍，学习率就乘几倍。
# 后半句又把结果截断在一个区间里：SGD 的峰值在 [5×10⁻⁴, 5×10⁻²]，Adam 在 [3×10⁻⁴, 10⁻³]，
# 最小学习率的上下限是它们的 1/100。lrlib 里是 `compat.scale_lr_for_batch(init_lr, min_lr, batch_size, nbs, optimizer)`。
# SGD 用 `Init_lr = 1e-2`，Adam 用 `1e-3`。

# %% [markdown] tags=["lang-en"]
# At T = 20 the warmup lasts 2 epochs, and the largest gap sits at the end of the warmup: the staircase
# is still on f(1) while the smooth curve is nearly at the peak (the readout says about 59 % of the
# peak). In the cosine, neighbouring epochs differ only a little, and so do the curves. With 100
# iterations per epoch the largest gap grows to about 67 %, but no number of iterations takes it past
# 67.5 %: that is how far the learning rate should rise within epoch 1, f(2) − f(1). How much the
# learning rate moves within one epoch sets the gap; the number of iterations only decides how close
# the smooth curve gets to the end of that epoch.
#
# ## Scale the learning rate with the batch size
#
# The training scripts do not use `Init_lr = 1e-2` and `Min_lr = Init_lr * 0.01` as they are; they
# first scale them with the batch size (abridged):
#
# ```
# nbs = 64
# lr_limit_max = 1e-3 if optimizer_type == 'adam' else 5e-2
# lr_limit_min = 3e-4 if optimizer_type == 'adam' else 5e-4
# Init_lr_fit = min(max(batch_size / nbs * Init_lr, lr_limit_min), lr_limit_max)
# Min_lr_fit = min(max(batch_size / nbs * Min_lr, lr_limit_min * 1e-2), lr_limit_max * 1e-2)
# ```
#
# The first half is the **linear scaling rule** of Goyal et al. (2017): a batch k times the nominal
# batch size nbs = 64 gets k times the learning rate. The second half clamps the result into a band:
# [5×10⁻⁴, 5×10⁻²] for the SGD peak, [3×10⁻⁴, 10⁻³] for Adam, and 1/100 of those limits for the
# minimum learning rate. In lrlib: `compat.scale_lr_for_batch(init_lr, min_lr, batch_size, nbs, optimizer)`.
# SGD starts from `Init_lr = 1e-2`, Adam from `1e-3`.

# %%
print(t("l05_scale_head"))
for b in (2, 4, 8, 16, 32, 64, 128, 512):
    sgd_fit, sgd_min = compat.scale_lr_for_batch(1e-2, 1e-4, b, optimizer="sgd")
    adam_fit, adam_min = compat.scale_lr_for_batch(1e-3, 1e-5, b, optimizer="adam")
    print(t("l05_scale_row", b=b, sgd=format_lr(sgd_fit), sgd_min=format_lr(sgd_min),
            adam=format_lr(adam_fit), adam_min=format_lr(adam_min)))

assert compat.scale_lr_for_batch(1e-2, 1e-4, 16) == (2.5e-3, 2.5e-5)
assert compat.scale_lr_for_batch(1e-2, 1e-4, 8) == (1.25e-3, 1.25e-5)
assert compat.scale_lr_for_batch(1e-2, 1e-4, 2) == (5e-4, 5e-6)            # 3.1e-4 raised to the lower limit
assert compat.scale_lr_for_batch(1e-2, 1e-4, 512) == (5e-2, 5e-4)          # 0.08 cut to the upper limit
assert np.allclose(compat.scale_lr_for_batch(1e-3, 1e-5, 16, optimizer="adam"), (3e-4, 3e-6))

linear = {}
for opt, init in (("sgd", 1e-2), ("adam", 1e-3)):
    ok = [b for b in range(1, 513) if np.isclose(compat.scale_lr_for_batch(init, init / 100, b, optimizer=opt)[0],
                                                 b / 64 * init, rtol=1e-12)]
    linear[opt] = (min(ok), max(ok))
    print(t("l05_linear_range", opt=opt.upper() if opt == "sgd" else "Adam", lo=min(ok), hi=max(ok)))
assert linear == {"sgd": (4, 320), "adam": (20, 64)}

# %% [markdown] tags=["lang-zh"]
# 所以“线性缩放”只在一段批量里成立：SGD 是批量 4 到 320，Adam 只有 20 到 64。Adam 用常见的批量 8 或 16 时，
# 峰值被抬到下限 3×10⁻⁴，批量再怎么变，学习率都不动。
#
# ### 自己拖一拖：批量缩放
#
# **先预测：** SGD、峰值 0.01。批量从 64 加到 128，峰值变成多少？再把批量调到 256、峰值调到 0.02，
# 缩放后是 0.02 × 256/64 = 0.08 吗？
# 换成 Adam、峰值 0.001，批量 8 和批量 16 的曲线有区别吗？
#
# 探索器每次做下面注释里的两步：先缩放，再用缩放后的两个数创建配方（灰色虚线是不缩放的配方）。

# %% [markdown] tags=["lang-en"]
# So "linear scaling" holds only for a band of batch sizes: 4 to 320 for SGD, and only 20 to 64 for
# Adam. With Adam at the common batch sizes of 8 or 16, the peak is raised to the lower limit, 3×10⁻⁴,
# and no change of batch size moves it.
#
# ### Try it yourself: batch scaling
#
# **Predict first:** SGD, peak 0.01. Going from a batch of 64 to 128, what does the peak become? Now set
# the batch to 256 and the peak to 0.02: is the scaled peak 0.02 × 256/64 = 0.08? Switch to Adam with a
# peak of 0.001: do batches of 8 and 16 give different curves?
#
# The explorer makes the two calls in the comment below: scale, then build the recipe from the two
# scaled numbers (the grey dashed line is the recipe without scaling).

# %%
# The two calls the explorer makes whenever a control changes:
#   fit, min_fit = compat.scale_lr_for_batch(peak_lr, min_lr, batch_size, nbs, optimizer)
#   scaled = compat.get_lr_scheduler("cos", fit, min_fit, total_epochs)
scaler = BatchScalingExplorer(peak_lr=0.01, min_lr=0.0001, batch_size=16, nbs=64, optimizer="sgd", total_epochs=300)
scaler

# %% [markdown] tags=["lang-zh"]
# 批量 128 时峰值是 0.02，正好翻倍；批量 256、峰值 0.02 时按比例应是 0.08，被截到上限 0.05。Adam 下批量 8 和 16 的曲线完全重合。
#
# ## 看清解冻那一轮的跳变
#
# 这些仓库默认先**冻结**主干网络训练一段（比如前 50 轮，批量 16），再**解冻**训练到第 300 轮（批量 8，
# 因为解冻后显存占用更大）。解冻时脚本用新的批量大小重新算 `Init_lr_fit`、`Min_lr_fit`，
# 再用同样的 `UnFreeze_Epoch` 重建调度。于是第 50 轮开始换到另一条曲线上：SGD 下峰值和最小学习率都减半，
# 学习率在那一轮突然掉一半。Adam 的两条曲线都被截断到下限，所以没有跳变。

# %% [markdown] tags=["lang-en"]
# At a batch of 128 the peak is 0.02, exactly double; with a batch of 256 and a peak of 0.02,
# proportional scaling would give 0.08, cut to the upper limit of 0.05. Under Adam, the curves for batches of 8 and 16 lie exactly on top of
# each other.
#
# ## See the jump at unfreeze
#
# By default these repositories first train with the backbone **frozen** for a while (say the first 50
# epochs, batch 16), then **unfreeze** it and train on to epoch 300 (batch 8, since the unfrozen network
# needs more memory). At the unfreeze, the script recomputes `Init_lr_fit` and `Min_lr_fit` with the new
# batch size and rebuilds the schedule with the same `UnFreeze_Epoch`. From epoch 50 on, training
# therefore follows another curve: under SGD the peak and the minimum are both halved, and the learning
# rate drops by half at that epoch. Under Adam both curves are clamped to the lower limit, so there is
# no jump.

# %%
freeze_epoch, jumps = 50, {}
fig, ax = plt.subplots(figsize=(7, 3.0))
for opt, init in (("sgd", 1e-2), ("adam", 1e-3)):
    frozen = compat.get_lr_scheduler("cos", *compat.scale_lr_for_batch(init, init / 100, 16, optimizer=opt), T)
    unfrozen = compat.get_lr_scheduler("cos", *compat.scale_lr_for_batch(init, init / 100, 8, optimizer=opt), T)
    lr_used = np.where(epochs < freeze_epoch, frozen(epochs), unfrozen(epochs))
    a, b = lr_used[freeze_epoch - 1], lr_used[freeze_epoch]
    jumps[opt] = (b / a, unfrozen(freeze_epoch) / frozen(freeze_epoch))
    print(t("l05_unfreeze", opt=opt.upper() if opt == "sgd" else "Adam", e0=freeze_epoch - 1, a=format_lr(a),
            e1=freeze_epoch, b=format_lr(b), ratio=b / a))
    if opt == "sgd":
        ax.plot(epochs[:freeze_epoch], lr_used[:freeze_epoch], drawstyle="steps-post", label=plot_text("l05_freeze"))
        ax.plot(epochs[freeze_epoch:], lr_used[freeze_epoch:], drawstyle="steps-post", label=plot_text("l05_unfrozen"))
ax.axvline(freeze_epoch, color="gray", lw=0.6, ls=":")
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("learning_rate"), title=plot_text("l05_fig_unfreeze"))
ax.legend(fontsize=8)
plt.show()

assert abs(jumps["sgd"][1] - 0.5) < 1e-12          # the same epoch on the two curves: exactly half
assert 0.49 < jumps["sgd"][0] < 0.5                 # epoch 49 -> 50: half, plus one epoch of cosine
assert jumps["adam"][1] == 1 and 0.99 < jumps["adam"][0] < 1   # Adam: clamped, the two curves are the same

# %% [markdown] tags=["lang-zh"]
# 第 49 轮到第 50 轮，SGD 的学习率从 0.00234 掉到 0.00117，比值 0.499：一半来自批量减半，剩下那一点点是余弦又走了一轮。
# 这是不是坏事，这里不下结论；但看日志时要知道，这个台阶是脚本有意造成的，不是训练出了问题。
#
# ## 比较新旧两套默认值
#
# 起点文档里的函数签名是旧版本，默认值是 `warmup_iters_ratio=0.1, no_aug_iter_ratio=0.3`；
# 2022 年 4 月以后，这些仓库改成了 `0.05` 和 `0.05`。因为有截断，这个改动的效果取决于总轮数。
# 下面对 T = 1 到 400 的每个整数都把两套默认值的调度逐轮比一遍。

# %% [markdown] tags=["lang-en"]
# From epoch 49 to epoch 50 the SGD learning rate falls from 0.00234 to 0.00117, a ratio of 0.499: the
# half comes from halving the batch, the little extra from one more epoch of cosine. Whether that is
# harmful is not settled here; but when you read a training log, know that this step is made by the
# script on purpose and is not a sign of trouble.
#
# ## Compare the old and the current defaults
#
# The signature in the seed document is the old version, with `warmup_iters_ratio=0.1,
# no_aug_iter_ratio=0.3`; since April 2022 the repositories use `0.05` and `0.05`. Because of the
# clamps, what the change does depends on the run length. Below, for every whole T from 1 to 400, the
# two sets of defaults are compared epoch by epoch.

# %%
def recipe_with(T, defaults, peak=0.01):
    ratios = {"old": (0.1, 0.3), "new": (0.05, 0.05)}[defaults]
    return compat.get_lr_scheduler("cos", peak, peak / 100, T, warmup_iters_ratio=ratios[0],
                                   no_aug_iter_ratio=ratios[1])


same = [T_ for T_ in range(1, 401)
        if np.array_equal(recipe_with(T_, "old")(np.arange(T_)), recipe_with(T_, "new")(np.arange(T_)))]
for T_ in (3, 10, 50, 100, 200, 300, 400):
    (wo, no), (wn, nn) = recipe_lengths(T_, 0.1, 0.3), recipe_lengths(T_, 0.05, 0.05)
    print(t("l05_defaults_row", T=T_, wo=wo, no=no, wn=wn, nn=nn, same=t("l05_same" if T_ in same else "l05_differ")))
print(t("l05_same_T", ranges="1–3, 300–400"))
assert same == [1, 2, 3] + list(range(300, 401))
assert recipe_lengths(100, 0.1, 0.3) == (3, 15) and recipe_lengths(100, 0.05, 0.05) == (3, 5)
assert recipe_lengths(50, 0.05, 0.05) == (2.5, 2.5)

fig, ax = plt.subplots(figsize=(7, 3.0))
for name in ("old", "new"):
    ax.plot(np.arange(100), recipe_with(100, name)(np.arange(100)), drawstyle="steps-post", label=plot_text(f"l05_{name}"))
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("learning_rate"), title=plot_text("l05_fig_defaults"))
ax.legend(fontsize=8)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 结论出乎很多人意料：在仓库默认的 **T = 300 轮**，新旧默认值给出的调度**一模一样**（预热 3 轮、尾段 15 轮，
# 两边都被截断了）；T ≥ 300 都如此，T ≤ 3 也一样。差别出现在中间：T = 100 时预热都是 3 轮，
# 尾段却是 15 轮对 5 轮；T = 50 时新默认的预热和尾段都是 2.5 轮。
#
# ## 检查阶梯衰减分支
#
# `lr_decay_type` 不是 `"cos"` 时，函数走另一个分支。起点文档说它
#
# > “按照给定的步长进行学习率的衰减”
#
# 听起来像每次减去一个固定的量。实际上它是**几何**衰减：
# `decay_rate = (min_lr / lr) ** (1 / (step_num - 1))`、`step_size = total_iters / step_num`，
# 每过 T/10 轮乘一次同样的衰减率，10 个台阶，最后一个台阶正好落在最小学习率上。
# 还有一个坑：原函数只检查 `== "cos"`，别的任何字符串（包括拼错的 `"cosine"`）都会悄悄变成阶梯衰减。
# 在这一点上 lrlib 不照搬原函数，而是直接报错。

# %% [markdown] tags=["lang-en"]
# The result surprises many: at the repositories' default of **T = 300 epochs**, the old and the
# current defaults give **exactly the same schedule** (3 epochs of warmup, 15 of tail; both sides are
# clamped); the same holds for every T ≥ 300, and for T ≤ 3. The differences are in between: at T = 100
# both warm up for 3 epochs, but the tail is 15 epochs against 5; at T = 50 the current defaults give
# a warmup and a tail of 2.5 epochs each.
#
# ## Check the step branch
#
# When `lr_decay_type` is not `"cos"`, the function takes its other branch. The seed document says it
#
# > "decays the learning rate by a given step"
#
# which sounds like subtracting a fixed amount each time. It is in fact a **geometric** decay:
# `decay_rate = (min_lr / lr) ** (1 / (step_num - 1))` and `step_size = total_iters / step_num`, so the
# learning rate is multiplied by the same rate every T/10 epochs, 10 plateaus, the last one exactly at
# the minimum learning rate. One more trap: the original only tests `== "cos"`, so any other string
# (the typo `"cosine"` included) silently gives step decay. lrlib departs from the original here and
# raises an error instead.

# %%
step = compat.get_lr_scheduler("step", peak, floor, T)
plateaus = step(np.arange(0, T, T // 10))
rate = (floor / peak) ** (1 / 9)
print(t("l05_step_row", rate=rate, diffs=", ".join(format_lr(d) for d in -np.diff(plateaus)[:4]) + ", …",
        last=format_lr(plateaus[-1]), min_lr=format_lr(floor)))
assert np.allclose(plateaus[1:] / plateaus[:-1], rate)                # the same ratio every time
assert -np.diff(plateaus)[0] > 10 * -np.diff(plateaus)[-1]            # not the same difference
assert len(np.unique(step(epochs))) == 10 and np.isclose(step(T - 1), floor)

typo = compat.original_get_lr_scheduler_value("cosine", peak, floor, T, 100)
try:
    compat.get_lr_scheduler("cosine", peak, floor, T)
    error = ""
except ValueError as exc:
    error = str(exc)
print(t("l05_typo", orig=format_lr(typo), err=error))
assert typo == compat.original_get_lr_scheduler_value("step", peak, floor, T, 100) == step(100) and error

# %% [markdown] tags=["lang-zh"]
# ## 检验“收敛速度快、稳定性好”
#
# 起点文档还说：
#
# > “与其他学习率衰减策略相比，余弦退火具有收敛速度快、稳定性好等优点”
#
# 没有给任何证据。能不能算一算？用第 01 课的带噪声二次模型（`lrcourse.experiments.nqm_expected_loss`），
# 它直接算出随机梯度下降的**期望**损失，等于无穷多个随机种子的平均，所以这里没有种子间的波动要考虑。
# 训练 300 轮、每轮 20 次迭代，学习率每轮设一次，比较同一峰值下的三种做法：配方的余弦分支（新默认值）、
# 配方的阶梯衰减分支、恒定学习率。

# %% [markdown] tags=["lang-en"]
# ## Test "converges fast and is stable"
#
# The seed document also says (translated):
#
# > "compared with other decay strategies, cosine annealing converges fast and is stable"
#
# with no evidence. Can we compute it? Take lesson 01's noisy quadratic model
# (`lrcourse.experiments.nqm_expected_loss`): it computes the **expected** loss of stochastic gradient
# descent, the average over infinitely many random seeds, so there is no seed-to-seed spread to worry
# about here. Train for 300 epochs of 20 iterations, with the learning rate set once per epoch, and
# compare three choices with the same peak: the recipe's cosine branch (current defaults), the recipe's
# step branch, and a constant learning rate.

# %%
nqm_ipe, nqm_peak = 20, 1.0
contenders = {
    "l05_recipe_cos": compat.get_lr_scheduler("cos", nqm_peak, nqm_peak / 100, T, warmup_iters_ratio=0.05,
                                              no_aug_iter_ratio=0.05),
    "l05_recipe_step": compat.get_lr_scheduler("step", nqm_peak, nqm_peak / 100, T),
    "l05_constant": lrlib.constant(nqm_peak),
}


def once_per_epoch(s):
    return lambda k: s(np.floor_divide(k, nqm_ipe))   # iteration k trains with the lr of its epoch


losses = dict(zip(contenders, nqm_expected_loss([once_per_epoch(s) for s in contenders.values()], T * nqm_ipe)))
per_epoch_loss = {name: l[::nqm_ipe] for name, l in losses.items()}   # loss at the start of each epoch, and the end

fig, ax = plt.subplots(figsize=(7, 3.0))
for name, l in per_epoch_loss.items():
    ax.semilogy(np.arange(T + 1), l, label=plot_text(name))
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("loss"), title=plot_text("l05_fig_nqm"))
ax.legend(fontsize=8)
plt.show()

cos_l, step_l, const_l = (per_epoch_loss[n] for n in contenders)
for e in (10, 150, 300):
    for name, l in per_epoch_loss.items():
        print(t("l05_nqm_row", name=t(name), e=e, loss=l[e]))
cross = int(np.argmax((cos_l < step_l) & (np.arange(T + 1) > 10)))
print(t("l05_nqm_cross", e=cross, final_cos=cos_l[-1], final_step=step_l[-1]))
assert np.all(cos_l[1:cross] >= step_l[1:cross])             # behind the step branch for most of the run
assert cross > 0.85 * T                                      # ... until near the end
assert np.all(cos_l[1:35] > const_l[1:35]) and cos_l[150] < const_l[150]  # behind a constant lr for 34 epochs
assert 0.9 < cos_l[-1] / step_l[-1] < 1.0                    # ends within 10 % of step decay
assert cos_l[-1] < const_l[-1] / 10 and step_l[-1] < const_l[-1] / 10  # both decays: far below constant

# %% [markdown] tags=["lang-zh"]
# 在这个模型里，“收敛速度快”恰恰不成立：前 34 轮配方的损失都高于恒定学习率（3 轮预热把学习率压低了，之后还要 30 来轮才追上），
# 而且在大约前九成的轮数里损失都高于阶梯衰减分支，直到快结束时才追上，最终只低了不到 10%。
# 两种衰减都远低于恒定学习率：真正起作用的是**退火**本身（末尾学习率变小），这正是第 01 课的结论。
# 这只是一个简化模型，不能证明余弦退火在真实网络上更差；它说明的是，“收敛快、稳定”这种话需要实验支持，
# 而起点文档没有给。真实网络上余弦退火和阶梯衰减差多少，见第 07 课的实验和延伸阅读里的论文。

# %% [markdown] tags=["lang-en"]
# In this model "converges fast" is exactly what does not happen: for the first 34 epochs the recipe's
# loss is above a constant learning rate's (the 3-epoch warmup holds the learning rate down, and it
# takes some 30 more epochs to make that up), and for roughly the
# first nine tenths of the run its loss is above the step branch's; it catches up only near the end,
# finishing less than 10 % lower. Both decays end far below the constant learning rate: what does the
# work is the **annealing** itself (a small learning rate at the end), which is lesson 01's conclusion.
# This is a toy model and proves nothing about cosine annealing being worse on real networks; what it
# shows is that "converges fast and is stable" is a claim that needs an experiment, and the seed
# document gives none. For the gap between cosine annealing and step decay on real networks, see
# lesson 07's experiments and the papers under Further reading.

# %% [markdown] tags=["lang-zh"]
# ## 动手试试
#
# **练习 1.** 用配方的截断规则，算出下面两种设置的预热长度和恒定尾段长度（单位：轮），分别赋给四个变量：
#
# - (a) T = 40 轮，`warmup_iters_ratio=0.05`，`no_aug_iter_ratio=0.3`：`warmup_a`、`tail_a`；
# - (b) T = 120 轮，新默认值 0.05 / 0.05：`warmup_b`、`tail_b`。

# %% [markdown] tags=["lang-en"]
# ## On your own
#
# **Exercise 1.** Using the recipe's clamps, work out the warmup length and the constant-tail length
# (in epochs) for these two settings, and store them in four variables:
#
# - (a) T = 40 epochs, `warmup_iters_ratio=0.05`, `no_aug_iter_ratio=0.3`: `warmup_a`, `tail_a`;
# - (b) T = 120 epochs, current defaults 0.05 / 0.05: `warmup_b`, `tail_b`.

# %% tags=["exercise"]
warmup_a, tail_a = ..., ...  # your code here
warmup_b, tail_b = ..., ...  # your code here

ex.check_number(warmup_a, "sealed:MC4y", rtol=1e-9, name="warmup_a")
ex.check_number(tail_a, "sealed:MC4yMQ==", rtol=1e-9, name="tail_a")
ex.check_number(warmup_b, "sealed:MC4z", rtol=1e-9, name="warmup_b")
ex.check_number(tail_b, "sealed:MC42", rtol=1e-9, name="tail_b")

# %% tags=["solution"]
warmup_a, tail_a = min(max(0.05 * 40, 1), 3), min(max(0.3 * 40, 1), 15)     # 2 and 12: no clamp bites
warmup_b, tail_b = min(max(0.05 * 120, 1), 3), min(max(0.05 * 120, 1), 15)  # 6 is cut to 3; the tail is 6

assert ex.check_number(warmup_a, "sealed:MC4y", rtol=1e-9, name="warmup_a")
assert ex.check_number(tail_a, "sealed:MC4yMQ==", rtol=1e-9, name="tail_a")
assert ex.check_number(warmup_b, "sealed:MC4z", rtol=1e-9, name="warmup_b")
assert ex.check_number(tail_b, "sealed:MC42", rtol=1e-9, name="tail_b")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 先算“比例 × T”，再看它有没有超出范围：预热在 1 到 3 轮之间，尾段在 1 到 15 轮之间。
# </details>
#
# <details><summary>提示 2</summary>
#
# 照着原文写：`min(max(比例 * T, 1), 3)` 和 `min(max(比例 * T, 1), 15)`。也可以用上面定义的 `recipe_lengths(T, 预热比例, 尾段比例)`。
# </details>
#
# <details><summary>提示 3</summary>
#
# (a) 0.05 × 40 = 2、0.3 × 40 = 12，都在范围内；(b) 0.05 × 120 = 6，预热被截到 3，尾段不超过 15，保持 6。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Compute "ratio × T" first, then check whether it leaves its band: 1 to 3 epochs for the warmup, 1 to
# 15 for the tail.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Write it as the original does: `min(max(ratio * T, 1), 3)` and `min(max(ratio * T, 1), 15)`. Or use
# `recipe_lengths(T, warmup_ratio, tail_ratio)` defined above.
# </details>
#
# <details><summary>Hint 3</summary>
#
# (a) 0.05 × 40 = 2 and 0.3 × 40 = 12, both inside their bands; (b) 0.05 × 120 = 6, so the warmup is
# cut to 3, while the tail stays at 6, below 15.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 写一个函数 `scaled_peak(init_lr, batch_size, optimizer)`，返回训练脚本缩放并截断后的峰值学习率
# （基准批量大小 nbs = 64；`optimizer` 是 `"sgd"` 或 `"adam"`，上下限见上文）。不要调用 `compat.scale_lr_for_batch`，自己写。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** Write a function `scaled_peak(init_lr, batch_size, optimizer)` that returns the peak
# learning rate after the training scripts' scaling and clamping (nominal batch size nbs = 64;
# `optimizer` is `"sgd"` or `"adam"`, limits as above). Write it yourself, without calling
# `compat.scale_lr_for_batch`.

# %% tags=["exercise"]
def scaled_peak(init_lr, batch_size, optimizer):
    ...  # your code here


ex.check_function(scaled_peak, "sealed:XV01MDAwLjAgLF0ibWFkYSIgLDIzICwxMDAuMFtbICxdMTAwLjAgLF0ibWFkYSIgLDgyMSAsMTAwLjBbWyAsXTMwMDAuMCAsXSJtYWRhIiAsNjEgLDEwMC4wW1sgLF01MC4wICxdImRncyIgLDIxNSAsMTAuMFtbICxdMjAuMCAsXSJkZ3MiICw4MjEgLDEwLjBbWyAsXTUwMDAuMCAsXSJkZ3MiICwyICwxMC4wW1sgLF01MjAwLjAgLF0iZGdzIiAsNjEgLDEwLjBbW1s=",
                  name="scaled_peak")

# %% tags=["solution"]
def scaled_peak(init_lr, batch_size, optimizer):
    lo, hi = {"sgd": (5e-4, 5e-2), "adam": (3e-4, 1e-3)}[optimizer]
    return min(max(batch_size / 64 * init_lr, lo), hi)


assert ex.check_function(scaled_peak, "sealed:XV01MDAwLjAgLF0ibWFkYSIgLDIzICwxMDAuMFtbICxdMTAwLjAgLF0ibWFkYSIgLDgyMSAsMTAwLjBbWyAsXTMwMDAuMCAsXSJtYWRhIiAsNjEgLDEwMC4wW1sgLF01MC4wICxdImRncyIgLDIxNSAsMTAuMFtbICxdMjAuMCAsXSJkZ3MiICw4MjEgLDEwLjBbWyAsXTUwMDAuMCAsXSJkZ3MiICwyICwxMC4wW1sgLF01MjAwLjAgLF0iZGdzIiAsNjEgLDEwLjBbW1s=",
                         name="scaled_peak")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 分两步：先按比例，`batch_size / 64 * init_lr`；再截断到这个优化器的上下限之间。
# </details>
#
# <details><summary>提示 2</summary>
#
# SGD 的上下限是 (5e-4, 5e-2)，Adam 是 (3e-4, 1e-3)。截断可以写成 `min(max(x, 下限), 上限)`。
# </details>
#
# <details><summary>提示 3</summary>
#
# `lo, hi = {"sgd": (5e-4, 5e-2), "adam": (3e-4, 1e-3)}[optimizer]`，然后 `return min(max(batch_size / 64 * init_lr, lo), hi)`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Two steps: scale first, `batch_size / 64 * init_lr`; then clamp between this optimizer's limits.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The limits are (5e-4, 5e-2) for SGD and (3e-4, 1e-3) for Adam. A clamp is `min(max(x, low), high)`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `lo, hi = {"sgd": (5e-4, 5e-2), "adam": (3e-4, 1e-3)}[optimizer]`, then
# `return min(max(batch_size / 64 * init_lr, lo), hi)`.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 训练 T = 400 轮。哪套默认值给出的恒定尾段更长？把 `"a"`、`"b"` 或 `"c"` 赋给 `longer_tail`：
#
# - a. 旧默认值（`no_aug_iter_ratio=0.3`）
# - b. 新默认值（`no_aug_iter_ratio=0.05`）
# - c. 一样长

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** A run of T = 400 epochs. Which defaults give the longer constant tail? Store `"a"`,
# `"b"` or `"c"` in `longer_tail`:
#
# - a. the old defaults (`no_aug_iter_ratio=0.3`)
# - b. the current defaults (`no_aug_iter_ratio=0.05`)
# - c. they are equally long

# %% tags=["exercise"]
longer_tail = ...  # your code here

ex.check_choice(longer_tail, "sealed:ImMi", "abc", feedback={"a": "l05_fb_old", "b": "l05_fb_new"})

# %% tags=["solution"]
longer_tail = "c"  # 0.3 * 400 = 120 and 0.05 * 400 = 20 are both cut to 15

assert ex.check_choice(longer_tail, "sealed:ImMi", "abc", feedback={"a": "l05_fb_old", "b": "l05_fb_new"})

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 分别算 0.3 × 400 和 0.05 × 400。
# </details>
#
# <details><summary>提示 2</summary>
#
# 别忘了截断：尾段最多 15 轮。
# </details>
#
# <details><summary>提示 3</summary>
#
# 120 和 20 都超过 15，都被截到 15。上面“比较新旧两套默认值”一节也算过：T ≥ 300 时两套默认值完全相同。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Compute 0.3 × 400 and 0.05 × 400.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Do not forget the clamp: the tail is at most 15 epochs.
# </details>
#
# <details><summary>Hint 3</summary>
#
# 120 and 20 are both above 15, so both are cut to 15. The section comparing the two sets of defaults
# found the same thing: for T ≥ 300 the two are identical.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - `get_lr_scheduler("cos", ...)` = **二次**预热（从峰值的 10% 起）+ 余弦退火 + 恒定尾段（最小学习率）。
#   预热长度被截在 1 到 3 之间，尾段在 1 到 15 之间：T = 300 时是 3 轮和 15 轮，不是 30 轮和 90 轮。
# - lrlib 的 `compat.get_lr_scheduler`、`warmup_cosine_tail` 和手工拼的 `join([warmup, decay, constant])`
#   在几十组设置、上千个点上都和原函数一致（相对误差 < 10⁻¹²）。
# - 训练脚本把**总轮数**传给 `total_iters`，每轮开始前调用一次，一轮之内学习率不变；单位配错，
#   要么几乎不退火，要么训练不到 3 轮就降到底。改在轮末调用，第 0 轮就会用满峰值、跳过预热。
#   官方 YOLOX 每次迭代更新，预热 5 轮、从 0 开始。
# - 批量缩放是“线性缩放 + 截断”：SGD 在批量 4–320 之间才是线性的，Adam 只有 20–64。
#   解冻时批量 16 → 8，SGD 的学习率在那一轮掉一半；Adam 被截断，没有跳变。
# - 新旧默认值（0.1/0.3 与 0.05/0.05）在 T ≥ 300（以及 T ≤ 3）时给出完全相同的调度。
# - 起点文档的四处错误：不会在每轮里降了又升（没有热重启）；预热是二次的，之后是余弦下降而不是不变；
#   阶梯分支是几何衰减，最后一个台阶落在最小学习率；“收敛快、稳定”没有证据，在带噪声二次模型里反而更慢。
#
# ## 延伸阅读
#
# - Ge 等，*YOLOX: Exceeding YOLO Series in 2021*，arXiv 2021：`yoloxwarmcos` 的出处，以及训练末尾关闭 Mosaic
#   的做法。<https://arxiv.org/abs/2107.08430>
# - Goyal 等，*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour*，arXiv 2017：线性缩放规则和逐步预热。
#   <https://arxiv.org/abs/1706.02677>
# - Loshchilov、Hutter，*SGDR: Stochastic Gradient Descent with Warm Restarts*，ICLR 2017：余弦退火和热重启，
#   可以对照看清这个配方为什么**不是**热重启。<https://arxiv.org/abs/1608.03983>
# - Zhang 等，*Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic Model*，
#   NeurIPS 2019：上面用到的带噪声二次模型。<https://arxiv.org/abs/1907.04164>
# - 官方 YOLOX 仓库，`yolox/utils/lr_scheduler.py`：<https://github.com/Megvii-BaseDetection/YOLOX>
# - bubbliiiing 的 YOLOX 复现，`nets/yolo_training.py` 与 `train.py`（README 里有各参数的说明）：
#   <https://github.com/bubbliiiing/yolox-pytorch>
# - Ultralytics YOLOv5 的训练超参数文档（另一套 YOLO 训练配方，预热和最终学习率的设法不同）：
#   <https://docs.ultralytics.com/yolov5/tutorials/hyperparameter_evolution/>
# - PyTorch 文档，`torch.optim.lr_scheduler.CosineAnnealingLR`（注意 `T_max` 的单位）：
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html>
# - lrlib：`help(lrlib.compat.get_lr_scheduler)`、`help(lrlib.compat.scale_lr_for_batch)`、`help(lrlib.compat.yolox_warm_cos)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - `get_lr_scheduler("cos", ...)` is a **quadratic** warmup (from 10 % of the peak) + cosine
#   annealing + a constant tail at the minimum learning rate. The warmup is clamped to 1–3 and the tail
#   to 1–15: at T = 300 they are 3 and 15 epochs, not 30 and 90.
# - lrlib's `compat.get_lr_scheduler`, `warmup_cosine_tail` and a hand-made
#   `join([warmup, decay, constant])` all match the original on dozens of settings and over a thousand
#   points (relative error < 10⁻¹²).
# - The training scripts pass the **number of epochs** as `total_iters` and call the function once
#   before each epoch, so the learning rate is constant within an epoch. Get the unit wrong and you
#   either barely anneal at all or hit the floor within the first three epochs. Call it at the end of the epoch instead and
#   epoch 0 runs at the full peak, skipping the warmup. Official YOLOX updates every iteration, with a
#   5-epoch warmup from 0.
# - Batch scaling is "linear scaling + clamps": linear only for batches 4–320 with SGD and 20–64 with
#   Adam. At the unfreeze (batch 16 → 8) the SGD learning rate halves at that epoch; Adam is clamped
#   and does not jump.
# - The old and current defaults (0.1/0.3 and 0.05/0.05) give exactly the same schedule for T ≥ 300
#   (and for T ≤ 3).
# - The seed document's four errors: the learning rate does not go down and back up within each epoch
#   (there are no warm restarts); the warmup is quadratic and is followed by a cosine decay, not a
#   constant; the step branch is geometric, its last plateau at the minimum; "fast and stable" comes
#   without evidence, and on the noisy quadratic model the recipe is in fact slower for most of the run.
#
# ## Further reading
#
# - Ge et al., *YOLOX: Exceeding YOLO Series in 2021*, arXiv 2021: the origin of `yoloxwarmcos`, and of
#   switching Mosaic off at the end of training. <https://arxiv.org/abs/2107.08430>
# - Goyal et al., *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour*, arXiv 2017: the linear
#   scaling rule and gradual warmup. <https://arxiv.org/abs/1706.02677>
# - Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017: cosine
#   annealing and warm restarts, to see why this recipe is **not** a warm restart.
#   <https://arxiv.org/abs/1608.03983>
# - Zhang et al., *Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy
#   Quadratic Model*, NeurIPS 2019: the noisy quadratic model used above. <https://arxiv.org/abs/1907.04164>
# - The official YOLOX repository, `yolox/utils/lr_scheduler.py`: <https://github.com/Megvii-BaseDetection/YOLOX>
# - bubbliiiing's YOLOX port, `nets/yolo_training.py` and `train.py` (the README explains the
#   parameters): <https://github.com/bubbliiiing/yolox-pytorch>
# - Ultralytics' YOLOv5 documentation on training hyperparameters (another YOLO training recipe, with
#   its own way of setting the warmup and the final learning rate):
#   <https://docs.ultralytics.com/yolov5/tutorials/hyperparameter_evolution/>
# - PyTorch documentation, `torch.optim.lr_scheduler.CosineAnnealingLR` (mind the unit of `T_max`):
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html>
# - lrlib: `help(lrlib.compat.get_lr_scheduler)`, `help(lrlib.compat.scale_lr_for_batch)`,
#   `help(lrlib.compat.yolox_warm_cos)`.

# %%
# Drive every explorer from code, so that a broken callback fails the tests.
from lrcourse.exercises import unseal
from lrlib.units import epoch_of_iteration, fractional_epochs

c = recipe_explorer.controls                      # the clamps, on the explorer
c["decay_type"].value = "cos"
c["warmup_ratio"].value, c["tail_ratio"].value = 0.1, 0.3
c["total_epochs"].value = 300
xs, ys = recipe_explorer.lines["lr"].get_data()
assert np.array_equal(ys, compat.get_lr_scheduler("cos", c["peak_lr"].value, c["min_lr"].value, 300)(xs))
assert t("readout_warmup_len", actual="3", raw="30") in recipe_explorer.readout.value
assert t("readout_tail_len", actual="15", raw="90") in recipe_explorer.readout.value
c["warmup_ratio"].value = 0.5                     # a larger ratio: still 3 epochs
assert t("readout_warmup_len", actual="3", raw="150") in recipe_explorer.readout.value
c["warmup_ratio"].value = 0.1
c["total_epochs"].value = 8                       # a short run: 0.8 raised to 1, the tail 2.4
assert t("readout_warmup_len", actual="1", raw="0.8") in recipe_explorer.readout.value
assert t("readout_tail_len", actual="2.4", raw="2.4") in recipe_explorer.readout.value
c["total_epochs"].value = 5                       # the T = 5 of the first section
assert next(p for p in recipe_explorer.schedule.phases if p.kind == "warmup").end == recipe_lengths(5)[0] == 1
assert recipe_explorer.message == ""

s = stepping.controls                             # once per epoch vs every iteration
s["decay_type"].value = "cos"
s["total_epochs"].value, s["iters_per_epoch"].value = 20, 10
f20 = compat.get_lr_scheduler("cos", s["peak_lr"].value, s["min_lr"].value, 20)
xs, per_epoch = stepping.lines["per_epoch"].get_data()
_, per_iteration = stepping.lines["per_iteration"].get_data()
assert np.allclose(xs, fractional_epochs(20, 10))
assert np.array_equal(per_epoch, f20(epoch_of_iteration(20, 10).astype(float)))
assert np.array_equal(per_iteration, f20(xs))
assert np.all(np.ptp(per_epoch.reshape(20, 10), axis=1) == 0)   # constant within each epoch
gap = np.abs(per_epoch - per_iteration)
assert xs[np.argmax(gap)] < recipe_lengths(20)[0]                # largest gap: in the 2-epoch warmup
assert 0.55 < gap.max() / s["peak_lr"].value < 0.62               # about 59 % of the peak
gap10 = gap.max()
s["iters_per_epoch"].value = 100
gap100 = np.abs(stepping.lines["per_epoch"].get_data()[1] - stepping.lines["per_iteration"].get_data()[1]).max()
rise_in_epoch_1 = f20(2) - f20(1)                                  # the most the gap can ever be
assert gap10 < gap100 < rise_in_epoch_1 and 0.66 < gap100 / s["peak_lr"].value < 0.675

b = scaler.controls                               # batch scaling
b["optimizer"].value, b["nbs"].value = "sgd", 64
b["peak_lr"].value, b["min_lr"].value = 0.01, 0.0001
b["batch_size"].value = 128
assert np.isclose(scaler.lines["scaled"].get_data()[1].max(), 0.02)
b["peak_lr"].value, b["min_lr"].value = 0.02, 0.0002
b["batch_size"].value = 256
assert np.isclose(scaler.lines["scaled"].get_data()[1].max(), 0.05)   # 0.08, cut to the upper limit
assert np.allclose(scaler.lines["scaled"].get_data()[1],
                   compat.get_lr_scheduler("cos", 0.05, 0.0005, b["total_epochs"].value)(scaler.x))
b["optimizer"].value = "adam"
b["peak_lr"].value, b["min_lr"].value = 0.001, 0.00001
b["batch_size"].value = 16
y16 = scaler.lines["scaled"].get_data()[1].copy()
b["batch_size"].value = 8
assert np.array_equal(scaler.lines["scaled"].get_data()[1], y16) and np.isclose(y16.max(), 3e-4)
assert scaler.message == "" and stepping.message == ""

# the sealed cases of exercise 2 are what lrlib computes
for (init, batch, opt), want in unseal("sealed:XV01MDAwLjAgLF0ibWFkYSIgLDIzICwxMDAuMFtbICxdMTAwLjAgLF0ibWFkYSIgLDgyMSAsMTAwLjBbWyAsXTMwMDAuMCAsXSJtYWRhIiAsNjEgLDEwMC4wW1sgLF01MC4wICxdImRncyIgLDIxNSAsMTAuMFtbICxdMjAuMCAsXSJkZ3MiICw4MjEgLDEwLjBbWyAsXTUwMDAuMCAsXSJkZ3MiICwyICwxMC4wW1sgLF01MjAwLjAgLF0iZGdzIiAsNjEgLDEwLjBbW1s="):
    assert np.isclose(compat.scale_lr_for_batch(init, init / 100, batch, optimizer=opt)[0], want, rtol=1e-12)
assert reset_all() >= 1   # every explorer back where the text above expects it
