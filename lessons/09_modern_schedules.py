# %% [markdown] tags=["lang-zh"]
# # 不知道要训练多久？用 WSD 安排学习率：冷却、提前停下的余弦和单周期策略
#
# 余弦退火有个不太起眼的前提：开训之前就得知道一共训练多少步。真实项目里这个数常常定不下来——
# 算力可能追加，数据可能变多，也可能想在中途拿一个模型出来评估。这一课讲近几年大模型训练里流行的
# **预热-稳定-衰减（WSD）**：先预热，再长时间保持峰值学习率，最后用一小段**冷却**把学习率降下来。
# 冷却该多长、用什么形状，我们在带噪声的二次模型上精确地算一遍，再和论文的结论对照。
# 最后看一眼单周期策略，并介绍一种干脆不要调度的做法。
#
# ## 你将学到
#
# - 写出 WSD 的公式，算出线性、余弦、1−√ 三种冷却在任意时刻的学习率；
# - 在带噪声的二次模型上测量冷却长度和形状的影响，并分清“论文说的”和“我们这个玩具模型说的”；
# - 用 5 个随机种子真的跑一遍，判断哪些差别单次训练根本看不出来（在噪声之内）；
# - 用计算检验一种常见做法：“余弦按一个很长的总步数来设计，不够时间就提前停”，看它错在哪里；
# - 说明 WSD 为什么适合训练长度未知的情况：一条稳定的主线，随时分出冷却；
# - 读懂单周期策略（PyTorch 的 `OneCycleLR`）的形状：峰值在哪一步，终点有多低。
#
# ## 你需要
#
# - 学过第 01 课（噪声地板：学习率越小，地板越低）、第 03 课（余弦退火）和第 07 课（多个种子，以及“在噪声之内”的判断规则）；
# - 会用 numpy；
# - 大约 25 分钟。这里的损失大多是精确的期望值，不抽随机数；只有一个单元格真的跑带噪声的随机梯度下降（5 个种子）。
#   整个笔记本在 CPU 上半分钟之内就能跑完。

# %% [markdown] tags=["lang-en"]
# # Schedule the learning rate when you don't know how long you'll train: WSD, cooldowns, horizons and one-cycle
#
# Cosine annealing quietly assumes something: that you know the total number of steps before training
# starts. In practice that number is often not settled. More compute may arrive, more data may arrive, or
# you may want a usable model halfway through. This lesson is about the schedule that large-model training
# has adopted for this situation, **warmup-stable-decay (WSD)**: warm up, hold the peak learning rate for
# a long time, then bring it down in a short **cooldown**. How long should the cooldown be, and what shape?
# We compute the answer exactly on the noisy quadratic model and set it beside what the papers found. At
# the end we look at the one-cycle policy, and at a method that drops the schedule altogether.
#
# ## What you'll learn
#
# - write down the WSD formula and compute the learning rate of a linear, a cosine and a 1−√ cooldown at
#   any step;
# - measure how the cooldown's length and shape change the final loss on the noisy quadratic model, and
#   keep "what the papers say" apart from "what our toy model says";
# - run real noisy SGD with 5 seeds and see which of those differences a single run could not even
#   detect (they are within noise);
# - test a common habit, "plan the cosine for a long run and just stop early if needed", and see where it
#   goes wrong;
# - explain why WSD suits an unknown training length: one stable main run, with cooldowns branched off
#   whenever you need a model;
# - read the shape of the one-cycle policy (PyTorch's `OneCycleLR`): at which step it peaks, and how low
#   it ends.
#
# ## What you'll need
#
# - lessons 01 (the noise floor: a smaller learning rate, a lower floor), 03 (cosine annealing) and 07
#   (seeds, and the rule for "within noise");
# - numpy;
# - about 25 minutes. Most losses here are exact expectations, with no random numbers drawn; one cell
#   runs real noisy SGD with 5 seeds. The whole notebook runs in well under half a minute on a CPU.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import io
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from lrcourse import exercises as ex
from lrcourse.experiments import compare_runs, nqm_expected_loss, nqm_noise_floor, nqm_sampled_loss
from lrcourse.fonts import plot_language
from lrcourse.i18n import t

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)


SHAPES = ("linear", "cosine", "1-sqrt")
SHAPE_KEYS = {"linear": "l09_shape_linear", "cosine": "l09_shape_cosine", "1-sqrt": "l09_shape_sqrt"}
SHORT_SHAPE_KEYS = {"linear": "shape_linear", "cosine": "shape_cosine", "1-sqrt": "l09_shape_short_sqrt"}

# %% [markdown] tags=["lang-zh"]
# ## 拆开一个 WSD 调度
#
# 设峰值学习率为 η_peak，总步数为 T，预热 W 步，冷却 D 步，终点学习率为 η_end。WSD 分三段：
#
# - 预热：0 ≤ t < W，从 0 线性升到 η_peak（第 04 课讲过）；
# - 稳定：W ≤ t < T − D，学习率一直是 η_peak；
# - 冷却：T − D ≤ t ≤ T，记 p = (t − (T − D)) / D 为冷却完成的比例，学习率是 η_end + (η_peak − η_end)·h(p)。
#
# 冷却的形状 h(p) 有三种常见选择：**线性** h = 1 − p；**余弦** h = ½(1 + cos πp)；
# **1−√** h = 1 − √p（Hägele 等人 2024 年的论文推荐的就是它）。Hugging Face transformers 的
# `get_wsd_schedule` 提供的也是这三种形状；提出 WSD 这个名字的 MiniCPM 论文用的则是指数衰减，本课不用它。
# `lrlib.wsd` 就是上面的公式，`decay_shape` 参数选形状。下面取 T = 2000、η_peak = 1、冷却 20%（D = 400），画出三条曲线。

# %% [markdown] tags=["lang-en"]
# ## Take a WSD schedule apart
#
# Let the peak learning rate be η_peak, the run T steps long, the warmup W steps, the cooldown D steps and
# the final learning rate η_end. WSD has three phases:
#
# - warmup, 0 ≤ t < W: from 0 up to η_peak in a straight line (lesson 04);
# - stable, W ≤ t < T − D: the learning rate stays at η_peak;
# - cooldown, T − D ≤ t ≤ T: with p = (t − (T − D)) / D the fraction of the cooldown done, the learning
#   rate is η_end + (η_peak − η_end)·h(p).
#
# Three cooldown shapes h(p) are common: **linear**, h = 1 − p; **cosine**, h = ½(1 + cos πp); and
# **1−√**, h = 1 − √p (the one Hägele et al., 2024, recommend). Hugging Face transformers'
# `get_wsd_schedule` offers the same three; the MiniCPM paper, which gave WSD its name, decayed
# exponentially instead, a shape this lesson does not use. `lrlib.wsd` is the formula above, and its
# `decay_shape` argument picks the shape. Here are the three with T = 2000, η_peak = 1 and a 20 %
# cooldown (D = 400).

# %%
PEAK, T = 1.0, 2000
steps = np.arange(T + 1)
shown = {s: lrlib.wsd(PEAK, T, warmup_steps=100, decay_steps=400, decay_shape=s) for s in SHAPES}

fig, ax = plt.subplots(figsize=(7, 2.8), layout="constrained")
for s, f in shown.items():
    ax.plot(steps, f(steps), label=plot_text(SHAPE_KEYS[s]))
ax.axvspan(T - 400, T, color="#4e79a7", alpha=0.12)
for x, key in ((50, "phase_warmup"), (850, "phase_stable"), (1800, "phase_cooldown")):
    ax.text(x, 1.06, plot_text(key), ha="center", fontsize=8)
ax.set_ylim(-0.03, 1.16)
ax.set_xlabel(plot_text("step"))
ax.set_ylabel(plot_text("learning_rate"))
ax.legend(fontsize=8, loc="lower center")
plt.show()

# %% [markdown] tags=["lang-zh"]
# 三条线在前 1600 步完全重合，只在阴影里的冷却段分开。差别在于**先降多少**：
# 冷却进行到四分之一时，1−√ 已经降到峰值的一半，线性还有 3/4，余弦还有 85%；
# 进行到一半时，线性和余弦都是峰值的一半，1−√ 只剩 1 − √0.5 ≈ 0.293，也就是已经走完了 70.7% 的下降。
# 换句话说，1−√ 一开始降得很猛，然后在低学习率上待更久：它在冷却期间的平均学习率只有峰值的 1/3，
# 线性和余弦都是 1/2。下面逐条计算并断言。

# %% [markdown] tags=["lang-en"]
# The three lines are identical for the first 1600 steps and part only in the shaded cooldown. What
# differs is **how early they come down**. A quarter of the way into the cooldown, 1−√ is already at half
# the peak, while linear is still at 3/4 and cosine at 85 %. Halfway through, linear and cosine are both at
# half the peak, and 1−√ is at 1 − √0.5 ≈ 0.293: 70.7 % of the way down. So 1−√ drops hard at first and
# then spends longer at small learning rates: its average over the cooldown is 1/3 of the peak, against
# 1/2 for linear and cosine. The next cell computes each of these and asserts it.

# %%
start = T - 400                                  # where the cooldown starts
fractions_done = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
closed_form = {"linear": 1 - fractions_done,
               "cosine": 0.5 * (1 + np.cos(np.pi * fractions_done)),
               "1-sqrt": 1 - np.sqrt(fractions_done)}
p_fine = np.linspace(0, 1, 400_001)
for s, f in shown.items():
    values = f(start + 400 * fractions_done)
    mean = f(start + 400 * p_fine).mean()
    print(t("l09_cooldown_values", shape=t(SHAPE_KEYS[s]), values=np.round(values, 3).tolist(), mean=mean))
    assert np.allclose(values, PEAK * closed_form[s])           # the formula, at five points
    assert np.all(f(np.arange(100, start + 1)) == PEAK)           # stable: exactly the peak
    assert np.all(np.diff(f(np.arange(start, T + 1))) < 0)       # cooldown: always going down
    assert np.isclose(mean, {"linear": 1 / 2, "cosine": 1 / 2, "1-sqrt": 1 / 3}[s], atol=1e-4)
    assert f(50) == PEAK / 2 and f(100) == PEAK                  # the linear warmup
assert np.isclose(shown["1-sqrt"](start + 200), 1 - np.sqrt(0.5))   # half-way: 0.293 of the peak
assert round(1 - np.sqrt(0.5), 3) == 0.293 and round(np.sqrt(0.5), 3) == 0.707
assert round(shown["cosine"](start + 100), 2) == 0.85

# %% [markdown] tags=["lang-zh"]
# ## 测一测冷却该多长
#
# 用什么来比较？我们用**带噪声的二次模型**（NQM，Zhang 等人 2019）：1000 个相互独立的方向，曲率
# h_i = 1/i（从 1 到 0.001），每一步的梯度带噪声，噪声方差是 h_i / B，B = 8。
# `nqm_expected_loss(schedule, T)` 直接算出随机梯度下降每一步损失的**精确期望**，
# 相当于对无穷多个随机种子取平均，所以这里没有种子之间的波动，数字的差别对这个模型来说都是真的。
# 至于这些差别能不能搬到真实网络上，是另一个问题，本节最后会专门对照论文。
#
# 这个模型里有很平缓的方向（h = 0.001），要很多步大学习率才走得完；也有噪声，需要小学习率才能压下去。
# 这正是“稳定段要长、冷却不能太短”之间的取舍。为了比较干净，下面不加预热（在这个模型上峰值 1 本来就稳定）。

# %% [markdown] tags=["lang-en"]
# ## Measure how long the cooldown should be
#
# Compare on what? On the **noisy quadratic model** (NQM, Zhang et al., 2019): 1000 independent
# directions with curvatures h_i = 1/i (from 1 down to 0.001), and gradient noise of variance h_i / B at
# every step, with B = 8. `nqm_expected_loss(schedule, T)` gives the **exact expected** loss of SGD after
# every step, the average over infinitely many seeds. There is no seed-to-seed noise here, so every
# difference below is real *for this model*. Whether it carries over to a network is another question,
# and the end of this section sets it beside the papers.
#
# The model has very flat directions (h = 0.001) that need many steps at a large learning rate, and
# noise that only a small learning rate can quiet. That is exactly the trade-off between a long stable
# phase and a cooldown that is long enough. To keep the comparison clean there is no warmup below (the
# peak of 1 is stable on this model anyway).

# %%
def wsd_at(fraction, shape, total=T):
    """WSD with no warmup whose cooldown is the last `fraction` of `total` steps."""
    return lrlib.wsd(PEAK, total, warmup_steps=0, decay_steps=fraction * total, decay_shape=shape)


FRACTIONS = (0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
grid = [(fr, s) for s in SHAPES for fr in FRACTIONS]
curves = nqm_expected_loss([wsd_at(fr, s) for fr, s in grid]
                           + [lrlib.cosine_decay(PEAK, T), lrlib.constant(PEAK)], T)
final = {key: curve[-1] for key, curve in zip(grid, curves)}
cosine_final, constant_final = curves[-2, -1], curves[-1, -1]

print(t("l09_table_head"))
for fr in FRACTIONS:
    print(t("l09_table_row", frac=fr, lin=final[fr, "linear"], cos=final[fr, "cosine"], sqrt=final[fr, "1-sqrt"]))
print(t("l09_table_refs", cos=cosine_final, const=constant_final))

fig, ax = plt.subplots(figsize=(7, 3), layout="constrained")
for s in SHAPES:
    ax.plot(FRACTIONS, [final[fr, s] for fr in FRACTIONS], "o-", ms=4, label=plot_text(SHAPE_KEYS[s]))
ax.axhline(cosine_final, color="gray", ls="--", lw=1, label=plot_text("l09_cosine_whole"))
ax.axhline(constant_final, color="gray", ls=":", lw=1, label=plot_text("l09_constant"))
ax.set_xscale("log")
ax.xaxis.set_minor_locator(plt.NullLocator())
ax.set_xticks(FRACTIONS, [f"{fr:.0%}" if fr >= 0.1 else f"{fr:.1%}" for fr in FRACTIONS], fontsize=7)
ax.set_xlabel(plot_text("l09_cooldown_fraction"))
ax.set_ylabel(plot_text("l09_final_loss"))
ax.legend(fontsize=7, ncol=2)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 读表（每个数都在下一个单元格里断言）：
#
# - **冷却太短不行。** 线性冷却只占 2.5% 时最终损失是 0.136，10% 是 0.097，20% 是 0.078，
#   一直到 80% 都在变好。2.5% 的损失是整段余弦退火（0.062）的两倍多。
# - **1−√ 比线性好，线性又比余弦形状的冷却好**，表里冷却占比不超过 60% 的每一档都是如此。
#   在 60% 和 80% 之间，1−√ 和线性换了位置：冷却占到 80% 时，1−√ 比线性和余弦形状都差——它降得太早，等于少了一段大学习率。
#   线性则在表里的每一档都比余弦形状好。
# - **最好的 WSD 能赢过余弦退火。** 1−√ 冷却占 40% 时损失是 0.057，低于余弦的 0.062；
#   在这个模型上，1−√ 冷却要占到 30% 到 40% 之间才追上余弦，20% 还不够（0.072）。
# - **也不是越长越好。** 1−√ 冷却占满全程（没有稳定段）时损失是 0.092，比占 50% 时差得多。
#
# 和论文对照：
#
# | 论文说的 | 我们的玩具模型说的 |
# |---|---|
# | MiniCPM（Hu 等，2024）：衰减阶段（他们用指数衰减）只占约 10% 的训练就够了，2.5% 不够 | 2.5% 的线性冷却明显不够；但在这里 10% 也还不够，损失比余弦高一半多 |
# | Hägele 等（2024）：1−√ 冷却一贯比线性好 | 冷却占比不超过 60% 时成立；冷却很长时反过来 |
# | Hägele 等（2024）：恒定学习率加一段较短的冷却，就能追平甚至超过余弦 | 这里 1−√ 冷却要占到 30%～40% 才追上余弦，20% 还不够；需要多长取决于问题 |
# | MiniCPM：冷却期间损失快速下降 | 是的，下面的图和控件里都能看到 |
#
# 要记住的是**趋势**，而不是具体的百分比：冷却太短会吃亏，形状有影响但不如长度大
# （表里每种形状，改变冷却长度让最终损失变化 0.075～0.085；长度固定时，换形状最多只差 0.031），
# 具体多长合适要在自己的问题上量。玩具模型里的最优比例和语言模型不同，一点也不奇怪。

# %% [markdown] tags=["lang-en"]
# Reading the table (the next cell asserts every number quoted here):
#
# - **Too short a cooldown costs you.** A linear cooldown over 2.5 % of the run ends at 0.136, over 10 %
#   at 0.097, over 20 % at 0.078, and it keeps improving up to 80 %. At 2.5 % the loss is more than twice
#   that of cosine annealing over the whole run (0.062).
# - **1−√ beats linear, and linear beats a cosine-shaped cooldown**, in every row of the table up to
#   60 %. Between 60 % and 80 % 1−√ and linear swap places: at 80 % 1−√ is worse than both other
#   shapes, because it comes down too early and gives up too much time at a large learning rate.
#   Linear stays ahead of the cosine shape in every row.
# - **The best WSD beats cosine annealing.** A 1−√ cooldown over 40 % of the run ends at 0.057, below
#   cosine's 0.062. On this model 1−√ catches up with cosine somewhere between 30 % and 40 %; 20 % is not
#   enough (0.072).
# - **Longer is not always better.** A 1−√ cooldown over the whole run (no stable phase) ends at 0.092,
#   far worse than over 50 %.
#
# Next to the papers:
#
# | the papers say | our toy model says |
# |---|---|
# | MiniCPM (Hu et al., 2024): decaying (exponentially, in their case) over about 10 % of training is enough, 2.5 % is not | a 2.5 % linear cooldown is clearly not enough; here 10 % is not enough either (more than 50 % above cosine) |
# | Hägele et al. (2024): a 1−√ cooldown consistently beats a linear one | true for cooldowns up to 60 % of the run; reversed for very long ones |
# | Hägele et al. (2024): a constant learning rate plus a short cooldown matches or beats cosine | here a 1−√ cooldown must cover 30–40 % of the run to catch up with cosine, 20 % is not enough; how long is "short enough" depends on the problem |
# | MiniCPM: the loss drops fast during the cooldown | yes: see the figure and the explorer below |
#
# Take away the **pattern**, not the percentages: a cooldown that is too short costs you, and the shape
# matters but less than the length (for each shape in the table, changing the length moves the final
# loss by 0.075–0.085; at a fixed length, changing the shape moves it by at most 0.031). The right length
# has to be measured on your own problem. That a quadratic toy's best fraction differs from a language
# model's is no surprise.

# %%
assert abs(final[0.025, "linear"] - 0.136) < 5e-4 and abs(final[0.1, "linear"] - 0.097) < 5e-4
assert abs(final[0.2, "linear"] - 0.078) < 5e-4 and abs(final[0.4, "1-sqrt"] - 0.057) < 5e-4
assert abs(cosine_final - 0.062) < 5e-4 and abs(final[0.2, "1-sqrt"] - 0.072) < 5e-4
linear_row = [final[fr, "linear"] for fr in FRACTIONS if fr <= 0.8]
assert all(a > b for a, b in zip(linear_row, linear_row[1:]))          # longer linear cooldown, lower loss
assert final[0.025, "linear"] > 2 * cosine_final                        # 2.5 %: more than twice cosine
assert final[0.1, "linear"] > 1.5 * cosine_final                        # 10 %: still more than 50 % above
assert min(final[0.1, s] for s in SHAPES) > 1.4 * cosine_final          # ... and not enough with any shape
for fr in FRACTIONS:
    if fr <= 0.6:
        assert final[fr, "1-sqrt"] < final[fr, "linear"] < final[fr, "cosine"]
    assert final[fr, "linear"] < final[fr, "cosine"]                      # linear ahead of cosine in every row
assert final[0.8, "linear"] < final[0.8, "cosine"] < final[0.8, "1-sqrt"]  # very long: 1−√ falls behind both
length_effect = [np.ptp([final[fr, s] for fr in FRACTIONS]) for s in SHAPES]
shape_effect = [np.ptp([final[fr, s] for s in SHAPES]) for fr in FRACTIONS]
assert 0.075 <= min(length_effect) and max(length_effect) <= 0.085 and round(max(shape_effect), 3) == 0.031
assert min(length_effect) > 2 * max(shape_effect)                       # the length matters more than the shape
assert final[0.3, "1-sqrt"] > cosine_final > final[0.4, "1-sqrt"]       # catches up between 30 and 40 %
assert abs(final[1.0, "1-sqrt"] - 0.092) < 5e-4 and final[1.0, "1-sqrt"] > 1.5 * final[0.5, "1-sqrt"]

# %% [markdown] tags=["lang-zh"]
# ### 跑 5 个种子：单次训练分得出这些差别吗？
#
# 上面的数都是精确期望，相当于对无穷多个种子取平均。真实训练只能跑有限的几次。
# `nqm_sampled_loss(schedule, T, seeds=...)` 在同一个模型上真的跑带噪声的随机梯度下降，每个种子一条损失曲线。
# 下面挑五个调度，各跑 5 个种子（0–4），把最终损失的均值 ± 标准差和最小–最大值列在精确期望旁边；
# 再用第 07 课的规则比较三对：一方的**每个**种子都比另一方的每个种子好，才算有差别，否则就是“在噪声之内”
# （`compare_runs`；5 对 5 时，两个其实一样的设置碰巧完全分开的概率是 0.8%）。

# %% [markdown] tags=["lang-en"]
# ### Run 5 seeds: can a single run tell these apart?
#
# Every number above is an exact expectation, the average over infinitely many seeds. Real training
# gets a handful of runs. `nqm_sampled_loss(schedule, T, seeds=...)` runs actual noisy SGD on the same
# model, one loss curve per seed. Below, five of the schedules run with 5 seeds each (0–4); the mean ±
# standard deviation and the range of the final loss are printed next to the exact expectation. Then
# three pairs are compared with lesson 07's rule: two settings differ only when **every** seed of one
# beats every seed of the other, otherwise the difference is "within noise" (`compare_runs`; with 5
# seeds against 5, two identical settings separate by luck 0.8 % of the time).

# %%
SEEDS = range(5)
NOISY = [(0.025, "linear"), (0.2, "linear"), (0.2, "1-sqrt"), (0.4, "1-sqrt"), "cosine"]
PAIRS = [((0.025, "linear"), (0.2, "linear")), ((0.2, "1-sqrt"), (0.2, "linear")), ((0.4, "1-sqrt"), "cosine")]


def run_name(key):
    """How a schedule of NOISY is called in the printout."""
    if key == "cosine":
        return t("l09_cosine_whole")
    return t("l09_run_name", shape=t(SHAPE_KEYS[key[1]]), pct=100 * key[0])


exact = {key: cosine_final if key == "cosine" else final[key] for key in NOISY}
noisy = {key: nqm_sampled_loss(lrlib.cosine_decay(PEAK, T) if key == "cosine" else wsd_at(*key), T,
                               seeds=SEEDS)[:, -1] for key in NOISY}   # final loss of each seed
for key, v in noisy.items():
    print(t("l09_seed_row", name=run_name(key), exact=exact[key], n=len(v), mean=v.mean(), sd=v.std(ddof=1),
            lo=v.min(), hi=v.max()))
verdicts = {(a, b): compare_runs(noisy[a], noisy[b]) for a, b in PAIRS}
for (a, b), c in verdicts.items():
    verdict = t("l09_differ", who=run_name(a if c.better == "a" else b)) if c.differ else t("l09_within_noise")
    print(t("l09_seed_verdict", a=run_name(a), b=run_name(b), verdict=verdict))

# %% [markdown] tags=["lang-zh"]
# 结果（下一个单元格逐条断言）：
#
# - 5 个种子的均值都和精确期望吻合（相差不到 3 个标准误差）。但单次训练的最终损失离精确期望最多差 12%，
#   5 个种子的标准差是精确期望的 2%～9%。
# - **冷却长度的影响远大于噪声：** 2.5% 线性冷却的每个种子都比 20% 线性冷却的每个种子差。
# - **形状的影响在噪声之内：** 冷却占 20% 时，1−√ 的精确期望比线性低 8%；40% 的 1−√ 冷却比整段余弦也低 8%。
#   可这两对的 5 个种子范围都有重叠。精确期望分得出来，各跑 5 次却分不出来。
#
# 所以上一节说“每个差别对这个模型来说都是真的”，指的是期望；换成真实网络，只能跑少数几次的时候，
# 冷却形状之间几个百分点的差别，要有很多种子（或者论文那样的规模）才值得相信。

# %% [markdown] tags=["lang-en"]
# What the runs say (the next cell asserts each point):
#
# - The mean of the 5 seeds agrees with the exact expectation every time (within 3 standard errors). A
#   single run, though, ends up to 12 % away from it, and the standard deviation over the 5 seeds is
#   2–9 % of the exact value.
# - **The cooldown's length is far outside the noise:** every seed of the 2.5 % linear cooldown ends
#   worse than every seed of the 20 % one.
# - **The shape is within noise:** at 20 %, 1−√ is 8 % below linear in expectation, and the 40 % 1−√
#   cooldown is 8 % below cosine over the whole run, yet in both pairs the 5 seeds overlap. The exact
#   expectations separate them; 5 runs of each do not.
#
# So "every difference is real for this model" in the previous section is about expectations. On a real
# network, where only a few runs are affordable, a difference of a few percent between cooldown shapes
# needs many seeds (or a paper's scale) before you believe it.

# %%
deviation = np.concatenate([noisy[key] / exact[key] - 1 for key in NOISY])
relative_sd = [noisy[key].std(ddof=1) / exact[key] for key in NOISY]
assert all(abs(noisy[k].mean() - exact[k]) < 3 * noisy[k].std(ddof=1) / np.sqrt(len(SEEDS)) for k in NOISY)
assert round(np.abs(deviation).max(), 2) == 0.12                    # one run: up to 12 % off the expectation
assert 0.02 < min(relative_sd) and max(relative_sd) < 0.09          # sd over seeds: 2-9 % of the expectation
c_length, c_shape, c_best = (verdicts[pair] for pair in PAIRS)
assert c_length.differ and c_length.better == "b"                   # 2.5 % is worse on every seed
assert round(c_length.chance, 3) == 0.008                            # 2 / C(10, 5): separation by luck
assert not c_shape.differ and not c_best.differ                     # the shape effects: within noise
assert round(1 - final[0.2, "1-sqrt"] / final[0.2, "linear"], 2) == 0.08   # ... though 8 % in expectation
assert round(1 - final[0.4, "1-sqrt"] / cosine_final, 2) == 0.08

# %% [markdown] tags=["lang-zh"]
# ## 别把为长训练设计的余弦提前停下
#
# 不知道要训练多久时，一个听起来很稳妥的做法是：
#
# > “余弦按一个足够长的 T 来设计，时间不够就提前停。”
#
# 问题在于余弦退火只在**它自己的终点**附近才真正退了火。为 T = 2000 设计的余弦，走到第 1000 步时
# 学习率还是峰值的一半；这时停下来，拿到的是一个远没有退完火的模型。下面在同一个模型上比较三种做法，
# 每种都恰好训练 k 步：
#
# 1. 为 2000 步设计的余弦，在第 k 步停下；
# 2. 为 k 步设计的余弦（事先就知道 k）；
# 3. WSD：从一条恒定峰值的主线，在 0.8k 处分出一段 1−√ 冷却，在第 k 步结束（冷却占 20%。上一节说过这个模型更喜欢长一些的冷却，
#    这里取 20% 是为了让每个分支都便宜）。
#
# 这一节的数又都是精确期望。

# %% [markdown] tags=["lang-en"]
# ## Don't stop a cosine planned for a longer run
#
# When you don't know how long you will train, this sounds like a safe plan:
#
# > "Plan cosine for a long T and just stop early if needed."
#
# The catch is that cosine annealing is only annealed near **its own end**. A cosine planned for
# T = 2000 is still at half the peak learning rate at step 1000; stop there and you have a model that
# is far from annealed. Here are three ways to train for exactly k steps on the same model:
#
# 1. a cosine planned for 2000 steps, stopped at step k;
# 2. a cosine planned for k steps (you knew k in advance);
# 3. WSD: one main run at the constant peak, with a 1−√ cooldown branched off at 0.8k and ending at step
#    k (a 20 % cooldown: the previous section showed that this model would prefer a longer one, but 20 %
#    keeps each branch cheap).
#
# The numbers in this section are exact expectations again.

# %%
STOPS = (500, 1000, 1500, 2000)
long_cosine = lrlib.cosine_decay(PEAK, 2000)
long_curve = nqm_expected_loss(long_cosine, 2000)
stable_curve = nqm_expected_loss(lrlib.constant(PEAK), 2000)
matched_curve = {k: nqm_expected_loss(lrlib.cosine_decay(PEAK, k), k) for k in STOPS}
branch_curve = {k: nqm_expected_loss(wsd_at(0.2, "1-sqrt", total=k), k) for k in STOPS}
matched = {k: c[-1] for k, c in matched_curve.items()}
branch = {k: c[-1] for k, c in branch_curve.items()}

print(t("l09_horizon_head"))
for k in STOPS:
    print(t("l09_horizon_row", k=k, long=long_curve[k], matched=matched[k], branch=branch[k]))
for k in (1000, 1500):
    print(t("l09_lr_when_stopped", k=k, lr=long_cosine(k), peak=PEAK))
cosine_cost = sum(STOPS)
wsd_cost = max(STOPS) + sum(0.2 * k for k in STOPS[:-1])   # the main run, plus one cooldown per extra stop
print(t("l09_cost", ks=t("sep_numbers").join(map(str, STOPS)), cos=cosine_cost, wsd=int(wsd_cost)))

fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
ax.plot(stable_curve, color="gray", lw=1.2, label=plot_text("l09_stable_run"))
ax.plot(long_curve, color="#d1495b", ls="--", lw=1, label=plot_text("l09_cosine_long"))
for i, k in enumerate(STOPS):
    ax.plot(np.arange(int(0.8 * k), k + 1), branch_curve[k][int(0.8 * k):], color="#1f5fa8", lw=1.6,
            label=plot_text("l09_branches") if i == 0 else None)
ax.plot(STOPS, [matched[k] for k in STOPS], "k^", ms=6, label=plot_text("l09_cosine_matched"))
ax.set_yscale("log")
ax.set_ylim(0.04, 1.2)
ax.set_xlabel(plot_text("step"))
ax.set_ylabel(plot_text("l09_expected_loss"))
ax.legend(fontsize=7)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 在第 1000 步停下，为 2000 步设计的余弦损失是 0.179，而一开始就为 1000 步设计的余弦是 0.158，
# 提前停下的那个高了 13%。在第 500 步停下也一样，提前停的更差。
#
# 不过这个模型还告诉我们一件更细的事：在第 1500 步停下时，为 2000 步设计的余弦（0.087）反而比
# 为 1500 步设计的（0.092）**更好**——那时它的学习率已经只有 0.146，大部分退火已经做完了。
# 所以准确的说法是：**真正吃亏的，是停下时学习率还很高**。余弦只有在它自己的终点附近才退完火，
# 而你事先并不知道会在哪里停。
#
# WSD 绕开了这个问题。蓝色的冷却从灰色的主线分出去，每一段都在几百步内把损失压下来：
# 在第 500、1000、1500 步，WSD 分支的期望损失都比两种余弦低（第 1000 步是 0.121）。不过第 1500 步只低了不到 1%，
# 还不到上一节量到的单次训练波动（标准差至少是期望的 2%）的一半，跑几次真实训练并不能可靠地看出来。到第 2000 步，
# 20% 的冷却输给了余弦（0.072 对 0.062），和上一节的结论一致：这个模型需要更长的冷却。
#
# 更重要的是成本。想在第 500、1000、1500、2000 步各要一个退火好的模型，余弦必须从头跑四次，
# 一共 5000 步；WSD 只跑一条 2000 步的主线，再加三段冷却，一共 2600 步。MiniCPM 正是靠这一点，
# 不必为每个数据量从头训练，就研究了数据越多效果能好多少。

# %% [markdown] tags=["lang-en"]
# Stopped at step 1000, the cosine planned for 2000 steps has a loss of 0.179; a cosine planned for 1000
# steps from the start reaches 0.158, so stopping early costs 13 %. At step 500, too, the early stop is
# worse.
#
# The model also says something subtler. Stopped at step 1500, the cosine planned for 2000 (0.087) is
# *better* than one planned for 1500 (0.092): by then its learning rate is down to 0.146 and most of the
# annealing is done. The precise statement is therefore: **what costs you is stopping while the learning
# rate is still high.** Cosine has annealed only near its own end, and you don't know in advance where
# you will stop.
#
# WSD sidesteps this. Each blue cooldown branches off the gray main run and brings the loss down within a
# few hundred steps. At 500, 1000 and 1500 steps the WSD branch has a lower expected loss than both
# cosines (0.121 at step 1000). At step 1500, though, it is lower by less than 1 %, not even half the
# spread of single runs measured above (a standard deviation of at least 2 % of the expectation): a few
# real runs would not reliably show it.
# At 2000 steps the 20 % cooldown loses to cosine (0.072 against 0.062), as the previous section said:
# this model needs a longer cooldown.
#
# The bigger difference is cost. To get an annealed model at each of steps 500, 1000, 1500 and 2000,
# cosine has to be run four times from scratch, 5000 steps in all. WSD runs one 2000-step main run plus
# three cooldowns: 2600 steps. This is how MiniCPM measured what more data buys without retraining from
# scratch for every data size.

# %%
assert abs(long_curve[1000] - 0.179) < 5e-4 and abs(matched[1000] - 0.158) < 5e-4
assert long_curve[1000] > matched[1000] and long_curve[500] > matched[500]       # stopping early costs ...
assert round(long_curve[1000] / matched[1000] - 1, 2) == 0.13                   # ... 13 % at step 1000
assert np.isclose(long_cosine(1000), PEAK / 2, rtol=1e-12, atol=0)                    # still at half the peak
assert abs(long_curve[1500] - 0.087) < 5e-4 and abs(matched[1500] - 0.092) < 5e-4
assert long_curve[1500] < matched[1500] and round(long_cosine(1500), 3) == 0.146  # ... but not near the end
assert all(branch[k] < min(matched[k], long_curve[k]) for k in (500, 1000, 1500))
gap_1500 = 1 - branch[1500] / min(matched[1500], long_curve[1500])
assert gap_1500 < 0.01 and gap_1500 < min(relative_sd) / 2 and min(relative_sd) > 0.02  # 1500: below the noise
assert abs(branch[1000] - 0.121) < 5e-4
assert abs(branch[2000] - 0.072) < 5e-4 and branch[2000] > matched[2000]
assert np.allclose(branch_curve[1000][:800], stable_curve[:800])                 # a branch shares the main run
assert branch_curve[1000][1000] < branch_curve[1000][800] / 2                     # and its cooldown halves the loss
assert cosine_cost == 5000 and wsd_cost == 2600

# %% [markdown] tags=["lang-zh"]
# ## 读出单周期策略的形状，并和 PyTorch 对照
#
# 单周期策略（Smith 和 Topin，2018）比 WSD 早几年，也只有“一个周期”：学习率从一个小值升到峰值，
# 再一路降到比起点还低得多的地方。`lrlib.one_cycle` 的分段点和 PyTorch 的 `OneCycleLR` 完全一致
# （见 `help(lrlib.one_cycle)`）。按 PyTorch 的默认值：起点是 峰值 / 25（`div_factor`），在第 pct_start·N − 1 步到峰值
# （pct_start = 0.3），在最后一步 N − 1 降到 起点 / 10⁴（`final_div_factor`），两段都用余弦插值。
# 这种“两段、余弦”的形状是 PyTorch 的默认做法，它的文档说这是照着 fastai 的实现来的；
# Smith 和 Topin 论文里的策略还有第三段，PyTorch 要设 `three_phase=True` 才模仿它（`lrlib.one_cycle` 也有这个参数）。
#
# 注意峰值在第 599 步而不是第 600 步（N = 2000），这个“减一”来自 PyTorch 的实现。
# 另外，PyTorch 的 `OneCycleLR` 默认还会反向调动量（学习率升时动量从 0.95 降到 0.85，学习率降时再升回去），
# 哪怕你创建 SGD 时写的是 `momentum=0`，它也会照样把动量打开。
# `lrlib.one_cycle` 只给出学习率，**没有实现动量的周期变化**，需要的话得自己配。
# 装了 PyTorch 的话，下面的单元格会把这些逐条和 `OneCycleLR` 对照。

# %% [markdown] tags=["lang-en"]
# ## Read the one-cycle policy's shape, and check it against PyTorch
#
# The one-cycle policy (Smith & Topin, 2018) predates WSD by a few years and also has just one cycle: the
# learning rate climbs from a small value to the peak, then comes all the way down, far below where it
# started. `lrlib.one_cycle` puts its phase boundaries exactly where PyTorch's `OneCycleLR` does (see
# `help(lrlib.one_cycle)`). With PyTorch's defaults it starts at peak / 25 (`div_factor`), reaches the
# peak at step pct_start·N − 1 (pct_start = 0.3) and ends at start / 10⁴ (`final_div_factor`) at the
# last step N − 1, with a cosine between each pair. Two phases joined by cosines are PyTorch's default,
# which its documentation says follows fastai's implementation; Smith & Topin's policy had a third
# phase, which PyTorch mimics with `three_phase=True` (`lrlib.one_cycle` has that switch too).
#
# Note that the peak is at step 599, not 600 (N = 2000): the "minus one" comes from PyTorch. PyTorch's
# `OneCycleLR` also cycles the momentum by default, the opposite way (from 0.95 down to 0.85 while the
# learning rate rises, and back up while it falls), and it does so even for an SGD optimizer created
# with `momentum=0`: it switches momentum on. `lrlib.one_cycle` gives the learning rate only: it
# **does not implement momentum cycling**, so you would have to set that up yourself. With PyTorch
# installed, the cell below checks each of these facts against `OneCycleLR`.

# %%
one_cycle = lrlib.one_cycle(PEAK, total_steps=T)          # pct_start=0.3, div_factor=25, final_div_factor=1e4
oc_lrs = one_cycle(np.arange(T))                          # the N = 2000 steps it is defined for
peak_step = int(np.argmax(oc_lrs))
print(t("l09_one_cycle_facts", first=oc_lrs[0], peak_step=peak_step, peak=oc_lrs.max(), last=oc_lrs[-1],
        ratio=oc_lrs[-1] / oc_lrs[0]))
assert np.isclose(oc_lrs[0], PEAK / 25) and peak_step == 0.3 * T - 1 == 599 and oc_lrs[peak_step] == PEAK
assert np.isclose(oc_lrs[-1], PEAK / 25 / 1e4) and np.isclose(oc_lrs[-1] / oc_lrs[0], 1e-4)
assert np.all(np.diff(oc_lrs[:600]) > 0) and np.all(np.diff(oc_lrs[599:]) < 0)
q = 0.5  # halfway up the climb, the cosine is halfway between start and peak
assert np.isclose(one_cycle(q * 599), PEAK / 25 + (PEAK - PEAK / 25) * (1 - np.cos(np.pi * q)) / 2)

try:  # optional: the same facts from PyTorch's OneCycleLR itself
    import torch
except ImportError:
    torch = None
if torch is None:
    print(t("l09_torch_skipped"))
else:
    import inspect
    defaults = {k: v.default for k, v in inspect.signature(torch.optim.lr_scheduler.OneCycleLR).parameters.items()}
    assert defaults["pct_start"] == 0.3 and defaults["div_factor"] == 25 and defaults["final_div_factor"] == 1e4
    assert defaults["anneal_strategy"] == "cos" and defaults["three_phase"] is False
    assert defaults["cycle_momentum"] is True and (defaults["max_momentum"], defaults["base_momentum"]) == (0.95, 0.85)
    doc = torch.optim.lr_scheduler.OneCycleLR.__doc__
    assert "fastai" in doc and "three_phase=True" in doc                  # two phases from fastai; 3 = the paper
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=0.1, momentum=0.0)            # momentum switched off ...
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=PEAK, total_steps=T)  # all defaults
    torch_lrs, torch_momentum = [], []
    for k in range(T):
        torch_lrs.append(optimizer.param_groups[0]["lr"])
        torch_momentum.append(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        if k < T - 1:
            scheduler.step()
    gap = np.max(np.abs(np.array(torch_lrs) - oc_lrs))
    print(t("l09_torch_one_cycle", version=torch.__version__, n=T, gap=gap, m0=torch_momentum[0],
            m_peak=torch_momentum[peak_step], m_last=torch_momentum[-1]))
    assert gap < 1e-12                                                     # the same lr at every step
    assert np.allclose([torch_momentum[0], torch_momentum[peak_step], torch_momentum[-1]], [0.95, 0.85, 0.95])

oc_final, best_wsd_final, oc_short_final = nqm_expected_loss(
    [one_cycle, wsd_at(0.4, "1-sqrt"), lrlib.one_cycle(PEAK, total_steps=T, pct_start=0.05)], T)[:, -1]
print(t("l09_final_three", cos=cosine_final, oc=oc_final, wsd=best_wsd_final))
print(t("l09_short_climb", oc=oc_short_final))

fig, ax = plt.subplots(figsize=(7, 2.6), layout="constrained")
ax.plot(steps, long_cosine(steps), label=plot_text("cosine_annealing"))
ax.plot(steps, wsd_at(0.2, "1-sqrt")(steps), label=plot_text("l09_wsd_label"))
ax.plot(steps, one_cycle(steps), label=plot_text("l09_one_cycle_label"))
ax.axvline(peak_step, color="gray", lw=0.6, ls=":")
ax.set_xlabel(plot_text("step"))
ax.set_ylabel(plot_text("learning_rate"))
ax.legend(fontsize=8)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 在这个模型上，单周期策略的最终损失（0.069）比余弦退火（0.062）略高：它把前 30% 的步数花在了爬坡上，
# 而这个模型在峰值上本来就稳定，用不着慢慢爬。把爬坡缩短到 5%（`pct_start=0.05`），最终损失就降到 0.063，
# 和余弦几乎一样。这和论文并不矛盾：Smith 和 Topin 报告 ResNet-56 在 CIFAR-10 上
# 用单周期策略 10,000 次迭代就达到 92.4%，而分段恒定的调度要约 80,000 次迭代才到 91.2%。
# 他们认为是大学习率本身起了正则化作用——这属于真实网络的泛化问题，二次模型里根本不存在。

# %% [markdown] tags=["lang-en"]
# On this model the one-cycle policy ends a little higher (0.069) than cosine annealing (0.062): it spends
# the first 30 % of the steps climbing, and this model is stable at the peak from the start, so it gains
# nothing from the climb. Shorten the climb to 5 % (`pct_start=0.05`) and it ends at 0.063, almost level
# with cosine. That does not contradict the paper. Smith & Topin report ResNet-56 on CIFAR-10
# reaching 92.4 % in 10,000 iterations with one cycle, against 91.2 % after about 80,000 with a
# piecewise-constant schedule, and they credit the large learning rates with regularizing the network.
# That is about generalization in a real network, which a quadratic model does not have.

# %%
assert abs(oc_final - 0.069) < 5e-4 and cosine_final < oc_final < 1.15 * cosine_final
assert abs(oc_short_final - 0.063) < 5e-4 and cosine_final < oc_short_final < 1.02 * cosine_final  # short climb

# %% [markdown] tags=["lang-zh"]
# ### 自己拖一拖冷却
#
# **先预测：** 选 1−√ 冷却，把冷却占比从 20% 拖到 100%，最终损失会一直下降吗？
# 在右边的损失曲线上，损失是在冷却一开始就往下掉，还是等到冷却快结束才掉？写下你的答案再拖。
#
# 每次拖动，这个控件调用的就是上面用过的两行：
# `schedule = wsd_at(fraction, shape)`（也就是 `lrlib.wsd(...)`）和
# `losses = nqm_expected_loss(schedule, T)`，然后重画两条线。灰色虚线是整段余弦退火，作为对照。

# %% [markdown] tags=["lang-en"]
# ### Drag the cooldown yourself
#
# **Predict first:** with the 1−√ shape, drag the cooldown fraction from 20 % to 100 %. Does the final
# loss keep going down? On the loss curve on the right, does the loss start dropping as soon as the
# cooldown starts, or only near its end? Write your answers down, then drag.
#
# Each time you move a control, the explorer runs the two lines used above,
# `schedule = wsd_at(fraction, shape)` (that is, `lrlib.wsd(...)`) and
# `losses = nqm_expected_loss(schedule, T)`, and redraws both lines. The gray dashed lines are cosine
# annealing over the whole run, for reference.

# %%
class CooldownExplorer:
    """Cooldown fraction and shape of a WSD schedule -> its learning rate and the NQM's exact expected loss."""

    def __init__(self, fraction=0.2, shape="linear"):
        style = {"description_width": "initial"}
        self.controls = {
            "fraction": widgets.FloatSlider(value=fraction, min=0.025, max=1.0, step=0.025, readout_format=".1%",
                                            description=t("l09_ctl_fraction"), style=style),
            "shape": widgets.ToggleButtons(options=[(t(key), s) for s, key in SHORT_SHAPE_KEYS.items()], value=shape,
                                           description=t("l09_ctl_shape"), style=style),
        }
        self.fig = Figure(figsize=(7.4, 2.7), dpi=80, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        ax_lr, ax_loss = self.fig.subplots(1, 2)
        ax_lr.plot(steps, long_cosine(steps), color="gray", ls="--", lw=0.8)
        ax_loss.plot(long_curve, color="gray", ls="--", lw=0.8)
        self.lines = {"lr": ax_lr.plot(steps, np.zeros(T + 1), color="#1f5fa8", animated=True)[0],
                      "loss": ax_loss.plot(steps, np.ones(T + 1), color="#1f5fa8", animated=True)[0]}
        ax_lr.set(ylim=(-0.03, 1.05 * PEAK), xlabel=plot_text("step"), ylabel=plot_text("learning_rate"))
        ax_loss.set(yscale="log", ylim=(0.04, 1.2), xlabel=plot_text("step"), ylabel=plot_text("l09_expected_loss"))
        # Draw everything that never changes once, keep the pixels, and afterwards redraw only the two lines.
        self.canvas.draw()
        self.fig.set_layout_engine("none")
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        width_px = round(self.fig.get_figwidth() * self.fig.dpi)   # shown at the size drawn, not stretched
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px", max_width="100%"))
        for c in self.controls.values():
            c.observe(self.update, names="value")
        self.update()
        self.widget = widgets.VBox([*self.controls.values(), self.readout, self.image])

    def update(self, change=None):
        tic = time.perf_counter()
        fraction, shape = self.controls["fraction"].value, self.controls["shape"].value
        self.schedule = wsd_at(fraction, shape)                  # lrlib.wsd(...)
        self.losses = nqm_expected_loss(self.schedule, T)        # exact, no seeds
        self.lines["lr"].set_ydata(self.schedule(steps))
        self.lines["loss"].set_ydata(self.losses)
        self.compute_ms = 1000 * (time.perf_counter() - tic)
        verdict = t("l09_better") if self.losses[-1] < cosine_final else t("l09_worse")
        self.readout.value = t("l09_readout", start=T * (1 - fraction), final=self.losses[-1], cos=cosine_final,
                               verdict=verdict)
        self.canvas.restore_region(self.background)
        for line in self.lines.values():
            self.fig.draw_artist(line)
        buf = io.BytesIO()
        Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1
                         ).save(buf, format="png", compress_level=1)
        self.image.value = buf.getvalue()
        self.total_ms = 1000 * (time.perf_counter() - tic)


cooldown = CooldownExplorer()
cooldown.update()  # once more, now that everything is warmed up: this is what each move of a control costs
print(t("l09_update_time", compute=cooldown.compute_ms, total=cooldown.total_ms))
cooldown.widget

# %% [markdown] tags=["lang-zh"]
# 你应该看到：损失在稳定段一直停在恒定学习率的噪声地板附近，冷却一开始就往下掉，而且 1−√ 掉得最早；
# 冷却拉到 100% 时最终损失反而变差。上面打印的是在你的机器上一次更新花的时间：在一台空闲的笔记本上，
# 算调度和精确期望损失只要几十毫秒，重画只有两条线，所以拖动时几乎感觉不到延迟。
#
# ## 动手试试
#
# **练习 1.** 不用 `lrlib.wsd`，自己写一个 WSD 调度 `my_wsd(t)`：T = 2000，没有预热，峰值 1.0，
# 最后 20%（从第 1600 步开始）用 **1−√** 冷却降到 0。检查会看冷却起点和终点的值、
# 冷却中间的两个值、是否只降不升、是否始终在 [0, 1] 之内、在第 1600 步是否连续。

# %% [markdown] tags=["lang-en"]
# What you should see: during the stable phase the loss sits near the noise floor of the constant
# learning rate; it starts dropping as soon as the cooldown starts, earliest with 1−√; and a cooldown over
# 100 % of the run ends *worse*. The line printed above is what one update took on your machine: on an
# idle laptop, computing the schedule and the exact expected loss takes a few tens of milliseconds and
# only two lines are redrawn, so dragging feels immediate.
#
# ## On your own
#
# **Exercise 1.** Without `lrlib.wsd`, write your own WSD schedule `my_wsd(t)`: T = 2000, no warmup,
# peak 1.0, and a **1−√** cooldown to 0 over the last 20 % (from step 1600). The check looks at the values
# at the start and the end of the cooldown and at two points inside it, and checks that the curve never
# goes up, stays within [0, 1] and does not jump at step 1600.

# %%
exercise_1 = dict(values="sealed:fTAuMCA6IjAwMDIiICw0MjU0MzE4ODEyMzk4MjkyLjAgOiIwMDgxIiAsNS4wIDoiMDA3MSIgLDAuMSA6IjAwNjEiICwwLjEgOiIwIns=",
                  monotone="decreasing", bounds=(0.0, 1.0), continuous_at=[1600], total_steps=2000, name="my_wsd")

# %% tags=["exercise"]
def my_wsd(t):
    ...  # your code here


ex.check_schedule(my_wsd, **exercise_1)

# %% tags=["solution"]
def my_wsd(t):
    p = np.clip((np.asarray(t, dtype=float) - 1600) / 400, 0.0, 1.0)  # fraction of the cooldown done
    return 1.0 * (1 - np.sqrt(p))


assert ex.check_schedule(my_wsd, **exercise_1)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 分两段：t < 1600 时返回 1.0；t ≥ 1600 时，先算冷却完成的比例 p = (t − 1600) / 400。
# </details>
#
# <details><summary>提示 2</summary>
#
# 1−√ 冷却的学习率是 1 − √p。别忘了 t > 2000 时 p 不能超过 1。
# </details>
#
# <details><summary>提示 3</summary>
#
# `p = min(max((t - 1600) / 400, 0), 1)`，然后 `return 1 - p ** 0.5`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Two pieces: for t < 1600 return 1.0; for t ≥ 1600, first compute the fraction of the cooldown done,
# p = (t − 1600) / 400.
# </details>
#
# <details><summary>Hint 2</summary>
#
# A 1−√ cooldown is at 1 − √p. Don't let p go above 1 when t > 2000.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `p = min(max((t - 1600) / 400, 0), 1)`, then `return 1 - p ** 0.5`.
# </details>

# %%
if ex.check_schedule(my_wsd, **exercise_1, quiet=True):
    mine, ref = nqm_expected_loss([my_wsd, wsd_at(0.2, "1-sqrt")], T)[:, -1]
    print(t("l09_yours", mine=mine, ref=ref))
    assert np.isclose(mine, ref, rtol=1e-3)

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 还是 T = 2000、1−√ 冷却。冷却占比取多少时，最终期望损失最低？
# 把你找到的比例赋给 `my_fraction`（例如 0.3 表示 30%）。只要它的损失和最低值相差不到 1%，就算对。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** Still T = 2000 and a 1−√ cooldown. Which cooldown fraction gives the lowest final
# expected loss? Store the fraction you find in `my_fraction` (0.3 means 30 %). Any fraction whose loss is
# within 1 % of the lowest counts.

# %% tags=["exercise"]
my_fraction = ...  # your code here

ex.check_range(my_fraction, "sealed:Nzg0LjA=", "sealed:ODE2LjA=", name="my_fraction", inclusive=True)

# %% tags=["solution"]
candidates = np.arange(0.3, 0.8001, 0.05)
losses = nqm_expected_loss([wsd_at(fr, "1-sqrt") for fr in candidates], T)[:, -1]
my_fraction = candidates[np.argmin(losses)]

assert ex.check_range(my_fraction, "sealed:Nzg0LjA=", "sealed:ODE2LjA=", name="my_fraction", inclusive=True)

# The check accepts exactly the fractions within 1 % of the lowest loss (on a 1 % grid), as the exercise says.
import contextlib

grid_1pct = np.round(np.arange(0.40, 0.705, 0.01), 2)
grid_loss = nqm_expected_loss([wsd_at(fr, "1-sqrt") for fr in grid_1pct], T)[:, -1]
with contextlib.redirect_stdout(io.StringIO()):
    accepted = [bool(ex.check_range(fr, "sealed:Nzg0LjA=", "sealed:ODE2LjA=", inclusive=True)) for fr in grid_1pct]
assert accepted == list(grid_loss <= 1.01 * grid_loss.min()) and 0 < sum(accepted) < len(accepted)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 上面定义过 `wsd_at(fraction, "1-sqrt")`，`nqm_expected_loss([...], T)` 可以一次算一串调度。
# 每条曲线的最后一个数就是最终损失。
# </details>
#
# <details><summary>提示 2</summary>
#
# `candidates = np.arange(0.05, 1.0001, 0.05)`，对每个比例算最终损失，用 `np.argmin` 找最小的。
# </details>
#
# <details><summary>提示 3</summary>
#
# 看看上面的表：1−√ 那一列在 50% 和 60% 附近最低。答案在这两者之间找。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# `wsd_at(fraction, "1-sqrt")` is defined above, and `nqm_expected_loss([...], T)` computes a whole list of
# schedules at once. The last number of each curve is the final loss.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `candidates = np.arange(0.05, 1.0001, 0.05)`; compute the final loss for each and pick the smallest
# with `np.argmin`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# Look at the table above: the 1−√ column is lowest around 50 % and 60 %. The answer is between them.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 你要训练一个模型，但不知道最后能训练多久（可能追加算力，也可能中途要交一个模型）。
# 下面哪种做法最合适？把字母赋给 `my_choice`。
#
# - a：余弦按一个宽裕的总步数（比如预估的两倍）来设计，时间到了就停；
# - b：预热之后一直保持峰值学习率，决定停下（或需要一个模型）时，从当前位置分出一段冷却；
# - c：整个训练都用恒定学习率，不做任何衰减；
# - d：余弦按最短的可能长度来设计，还有时间就热重启再来一个周期。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** You are training a model but don't know how long you will be able to train (more
# compute may come, or you may have to hand over a model midway). Which plan fits best? Store the letter
# in `my_choice`.
#
# - a: plan the cosine for a generous length (say twice your estimate) and stop when time runs out;
# - b: after the warmup, hold the peak learning rate; when you decide to stop (or need a model), branch
#   off a cooldown from where you are;
# - c: use a constant learning rate throughout, with no decay at all;
# - d: plan the cosine for the shortest plausible length, and if there is time left, use a warm restart
#   for another cycle.

# %% tags=["exercise"]
my_choice = ...  # your code here

ex.check_choice(my_choice, "sealed:ImIi", "abcd", feedback={"a": "l09_fb_a", "c": "l09_fb_c", "d": "l09_fb_d"})

# %% tags=["solution"]
my_choice = "b"

assert ex.check_choice(my_choice, "sealed:ImIi", "abcd", feedback={"a": "l09_fb_a", "c": "l09_fb_c", "d": "l09_fb_d"})

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 回到“别把为长训练设计的余弦提前停下”那一节：提前停下时，学习率还剩多少？
# </details>
#
# <details><summary>提示 2</summary>
#
# 不衰减的话，损失会停在哪里？（第 01 课的噪声地板。）
# </details>
#
# <details><summary>提示 3</summary>
#
# 你想要的是：任何时候都能花一小段额外的步数，得到一个退火好的模型，而且主线不用重来。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Go back to the section on stopping a cosine planned for a longer run: how much learning rate is left
# when you stop early?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Without any decay, where does the loss stay? (Lesson 01's noise floor.)
# </details>
#
# <details><summary>Hint 3</summary>
#
# What you want: at any moment, a few extra steps give you an annealed model, and the main run never has
# to start over.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - WSD = 预热 + 长时间的恒定峰值 + 一段冷却。冷却形状 h(p) 可以是线性 1 − p、余弦 ½(1 + cos πp) 或 1 − √p；
#   1−√ 降得最早，冷却到一半时只剩峰值的 0.293，冷却期间的平均学习率是峰值的 1/3。
# - 在带噪声的二次模型上（精确期望，没有种子波动）：冷却太短明显吃亏（线性 2.5% → 0.136，10% → 0.097，20% → 0.078）；
#   表里冷却占比不超过 60% 时 1−√ 总比线性好；40% 的 1−√ 冷却（0.057）赢过整段余弦（0.062）；冷却占满全程又会变差。
#   长度的影响比形状大。MiniCPM 发现约 10% 的衰减就够；在这个玩具模型上，10% 的冷却用三种形状中的哪一种都不够。
#   要记住的是趋势，具体比例要在自己的问题上量。
# - 真跑 5 个种子：单次训练离精确期望最多差 12%。冷却太短（2.5%）在每个种子上都吃亏；
#   形状带来的 8% 差别（1−√ 对线性、最好的 WSD 对余弦）却在噪声之内。
# - 余弦只在它自己的终点附近才退完火。为 2000 步设计、在第 1000 步停下，损失 0.179，比为 1000 步设计的 0.158 高 13%；
#   问题出在停下时学习率还高。
# - WSD 一条主线，随时分出冷却：四个不同长度的模型，余弦要 5000 步，WSD 只要 2600 步。
# - 单周期策略：从 峰值/25 升到峰值（第 pct_start·N − 1 步），再降到起点的 1/10⁴；这种两段余弦是 PyTorch（照 fastai）的默认做法，
#   论文原本有三段。`OneCycleLR` 默认还会周期性地调动量，连 `momentum=0` 的 SGD 也会被打开动量；lrlib 不实现动量的周期变化。
#
# ## 延伸阅读
#
# - Hu 等，*MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training Strategies*，2024：
#   提出 WSD 这个名字（先恒定再衰减的调度此前就有，比如 fastai 的 `fit_flat_cos`），发现（指数）衰减阶段约占 10% 就够、
#   2.5% 不够，并用 WSD 从一次训练里研究数据规模。
#   <https://arxiv.org/abs/2404.06395>
# - Hägele 等，*Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations*，NeurIPS 2024：
#   恒定学习率加一段较短的冷却可以和余弦一样好甚至更好，1−√ 冷却一贯胜过线性；冷却的起点可以是同一次长训练里的任何检查点，
#   所以研究规模定律便宜得多。
#   <https://arxiv.org/abs/2405.18392>
# - Wen 等，*Understanding Warmup-Stable-Decay Learning Rates: A River Valley Loss Landscape Perspective*，2024：
#   用“河谷”地形解释为什么稳定阶段损失降得慢、冷却时突然下降。<https://arxiv.org/abs/2410.05192>
# - Smith、Topin，*Super-Convergence: Very Fast Training of Neural Networks Using Large Learning Rates*，2018：
#   单周期策略的出处。<https://arxiv.org/abs/1708.07120>
# - Defazio 等，*The Road Less Scheduled*，NeurIPS 2024：**免调度**（schedule-free）训练。它不需要事先知道训练多久：
#   优化器在普通 SGD（或 AdamW）的迭代点之外，还维护这些点的一个加权平均，梯度在两者之间的插值点上计算，
#   评估时用平均点：平均起到了衰减的作用，所以不用选 T。它赢得了 MLCommons AlgoPerf 2024 比赛的自调参（self-tuning）赛道。
#   官方实现的文档仍然强烈建议预热，学习率通常要比平常大（SGD 大 10～50 倍，AdamW 大 1～10 倍），训练和评估前还要切换优化器的模式。
#   本课没有实现它。
#   <https://arxiv.org/abs/2405.15682>
# - PyTorch 文档：`OneCycleLR`（包括动量的周期变化）。
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.OneCycleLR.html>
# - Hugging Face transformers 文档：`get_wsd_schedule`（线性、余弦、1−√ 三种冷却）。
#   <https://huggingface.co/docs/transformers/main_classes/optimizer_schedules>
# - Zhang 等，*Which Algorithmic Choices Matter at Which Batch Sizes?*，NeurIPS 2019：本课的带噪声二次模型。
#   <https://arxiv.org/abs/1907.04164>
# - lrlib 文档：`help(lrlib.wsd)`、`help(lrlib.one_cycle)`、`help(nqm_expected_loss)`。下一课把调度接到 PyTorch 上。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - WSD = warmup + a long stable phase at the peak + a cooldown. The cooldown shape h(p) can be linear
#   1 − p, cosine ½(1 + cos πp) or 1 − √p. 1−√ comes down earliest: halfway through the cooldown it is at
#   0.293 of the peak, and its average over the cooldown is 1/3 of the peak.
# - On the noisy quadratic model (exact expectations, no seed noise): too short a cooldown clearly costs
#   you (linear: 2.5 % → 0.136, 10 % → 0.097, 20 % → 0.078); 1−√ beats linear in every row of the table
#   up to 60 %; a 40 % 1−√ cooldown (0.057) beats cosine over the whole run (0.062); a cooldown over the
#   whole run is worse again. The length matters more than the shape. MiniCPM found about 10 % of decay
#   enough; on this toy a 10 % cooldown is not enough with any of our three shapes. Take away the pattern
#   and measure the fraction on your own problem.
# - With 5 real seeds, a single run ends up to 12 % away from the exact expectation. Too short a
#   cooldown (2.5 %) loses on every seed; the 8 % differences due to the shape (1−√ against linear, the
#   best WSD against cosine) are within noise.
# - Cosine has annealed only near its own end. Planned for 2000 steps and stopped at 1000, it ends at
#   0.179, 13 % above the 0.158 of a cosine planned for 1000 steps: the trouble is stopping while the
#   learning rate is still high.
# - WSD has one main run and branches cooldowns off it whenever needed: four models of different lengths
#   cost 5000 steps with cosine and 2600 with WSD.
# - One-cycle: from peak/25 up to the peak (at step pct_start·N − 1), then down to 1/10⁴ of the start.
#   Two cosine phases are PyTorch's default (after fastai); the paper's policy had three. `OneCycleLR`
#   also cycles the momentum by default, switching it on even for SGD created with `momentum=0`; lrlib
#   does not implement momentum cycling.
#
# ## Further reading
#
# - Hu et al., *MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training
#   Strategies*, 2024: gives WSD its name (flat-then-decay schedules existed before, fastai's
#   `fit_flat_cos` for one), finds that an (exponential) decay over about 10 % of training is enough and
#   2.5 % is not, and uses WSD to study data scaling from single runs. <https://arxiv.org/abs/2404.06395>
# - Hägele et al., *Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations*, NeurIPS
#   2024: a constant learning rate plus a short cooldown matches or beats cosine, a 1−√ cooldown
#   consistently beats a linear one, and cooling down from checkpoints of one long run makes scaling-law
#   studies much cheaper. <https://arxiv.org/abs/2405.18392>
# - Wen et al., *Understanding Warmup-Stable-Decay Learning Rates: A River Valley Loss Landscape
#   Perspective*, 2024: a "river valley" picture of why the loss falls slowly in the stable phase and
#   suddenly in the cooldown. <https://arxiv.org/abs/2410.05192>
# - Smith & Topin, *Super-Convergence: Very Fast Training of Neural Networks Using Large Learning Rates*,
#   2018: where the one-cycle policy comes from. <https://arxiv.org/abs/1708.07120>
# - Defazio et al., *The Road Less Scheduled*, NeurIPS 2024: **schedule-free** training, which needs no
#   stopping time. Besides the plain SGD (or AdamW) iterates, the optimizer keeps a weighted average of
#   them, takes gradients at a point between the two, and evaluates the average: the averaging does the
#   job a decay would do, so there is no T to choose. It won the self-tuning track of the MLCommons
#   AlgoPerf 2024 competition. The documentation of the official implementation still strongly
#   recommends a warmup and a larger learning rate than usual (10–50× for SGD, 1–10× for AdamW), and the
#   optimizer has to be switched between train and eval modes. This lesson does not implement it. <https://arxiv.org/abs/2405.15682>
# - PyTorch documentation: `OneCycleLR` (including momentum cycling).
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.OneCycleLR.html>
# - Hugging Face transformers documentation: `get_wsd_schedule` (linear, cosine and 1−√ cooldowns).
#   <https://huggingface.co/docs/transformers/main_classes/optimizer_schedules>
# - Zhang et al., *Which Algorithmic Choices Matter at Which Batch Sizes?*, NeurIPS 2019: this lesson's
#   noisy quadratic model. <https://arxiv.org/abs/1907.04164>
# - lrlib's documentation: `help(lrlib.wsd)`, `help(lrlib.one_cycle)`, `help(nqm_expected_loss)`. The next
#   lesson plugs schedules into PyTorch.

# %%
# Drive the explorer from code, so that a broken callback fails the tests.
cooldown.controls["shape"].value = "1-sqrt"
cooldown.controls["fraction"].value = 0.4                    # the best row of the table that we quoted
assert np.allclose(cooldown.lines["lr"].get_ydata(), wsd_at(0.4, "1-sqrt")(steps))
assert np.allclose(cooldown.lines["loss"].get_ydata(), curves[grid.index((0.4, "1-sqrt"))])
assert np.isclose(cooldown.lines["loss"].get_ydata()[-1], final[0.4, "1-sqrt"]) and t("l09_better") in cooldown.readout.value
loss_40 = cooldown.lines["loss"].get_ydata()
assert np.allclose(loss_40[:1200], stable_curve[:1200]) and loss_40[1300] < stable_curve[1300]  # drops at once
assert stable_curve[1200] < 1.1 * nqm_noise_floor(PEAK)      # the stable phase sits near its noise floor
assert loss_40[1300] < curves[grid.index((0.4, "linear"))][1300] < curves[grid.index((0.4, "cosine"))][1300]
cooldown.controls["fraction"].value = 1.0                    # no stable phase: worse
assert np.isclose(cooldown.lines["loss"].get_ydata()[-1], final[1.0, "1-sqrt"]) and t("l09_worse") in cooldown.readout.value
cooldown.controls["shape"].value = "linear"
cooldown.controls["fraction"].value = 0.025                  # too short
assert np.isclose(cooldown.lines["loss"].get_ydata()[-1], final[0.025, "linear"])
assert np.allclose(cooldown.lines["lr"].get_ydata()[:1950], PEAK) and cooldown.lines["lr"].get_ydata()[-1] == 0.0
assert cooldown.image.value[:4] == b"\x89PNG" and cooldown.compute_ms < 1000
cooldown.controls["fraction"].value, cooldown.controls["shape"].value = 0.2, "linear"  # back as the text expects
assert cooldown.lines["lr"].get_ydata()[int(0.8 * T) - 1] == PEAK and cooldown.lines["lr"].get_ydata()[-1] == 0.0
