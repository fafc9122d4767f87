# %% [markdown] tags=["lang-zh"]
# # 动手做实验：在 CPU 上比较五种学习率调度
#
# 前面几课分别讲了阶梯衰减、余弦退火、YOLO 配方和热重启。这一课让它们站到同一条起跑线上比一比：
# 同样的峰值学习率，同样的训练长度，先在一个能**精确**算出期望损失的模型上比，再在真实的手写数字数据上、
# 用 5 个随机种子各训练一遍。最后把我们的小实验和论文里的图表放在一起，看看哪些结论能复现、哪些不能，原因又在哪里。
#
# 这一课最想教会你的一件事是：**先量出噪声有多大，再谈谁比谁好。**
#
# ## 你将学到
#
# - 在带噪声的二次模型上精确算出五种调度的期望损失：衰减与否差好几倍，衰减的形状只差几成；
# - 在 scikit-learn 自带的手写数字上用 5 个种子训练 softmax 回归，报告训练损失和测试准确率的均值、标准差和最小–最大值；
# - 用一条写得明明白白的规则判断一个差别是不是超出了种子之间的波动，并且知道这条规则的误报率；
# - 把我们的测量和 Bag of Tricks、SGDR、MiniCPM、Hägele 等人的结论逐条对照；
# - 用计算检验两种说法：“阶梯衰减的突变有害”和“余弦退火先按长的 T 规划，需要时提前停就行”。
#
# ## 你需要
#
# - 学过第 01 课（噪声地板）和第 02–06 课里的调度；
# - 会读 numpy 数组；知道“种子”决定了随机数；
# - 大约 30 分钟。所有实验都在 CPU 上跑，最慢的一个也只要几秒，不用下载任何数据。

# %% [markdown] tags=["lang-en"]
# # Run the experiments: compare five learning-rate schedules on a CPU
#
# The previous lessons took step decay, cosine annealing, the YOLO recipe and warm restarts one at a
# time. This one lines them up at the same start: the same peak learning rate and the same training
# length, first on a model whose expected loss can be computed **exactly**, then on real handwritten
# digits with 5 random seeds per schedule. At the end our small experiments sit next to the papers'
# figures and tables: which findings we reproduce, which we don't, and why.
#
# If you take one thing from this lesson, make it this: **measure the noise before you say which is better.**
#
# ## What you'll learn
#
# - compute the exact expected loss of five schedules on the noisy quadratic model: decaying or not
#   changes the loss several times over, the shape of the decay by a few tens of percent;
# - train softmax regression on scikit-learn's bundled digits with 5 seeds per schedule and report the
#   training loss and the test accuracy as mean, standard deviation and min–max;
# - decide with one stated rule whether a difference is larger than the seed-to-seed noise, and know
#   how often that rule raises a false alarm;
# - hold our measurements against Bag of Tricks, SGDR, MiniCPM and Hägele et al., point by point;
# - test two claims with numbers: "step decay's sudden drops hurt" and "plan cosine for a long run and
#   just stop early if you need to".
#
# ## What you'll need
#
# - lesson 01 (the noise floor) and the schedules of lessons 02–06;
# - numpy arrays, and the idea that a seed fixes the random numbers;
# - about 30 minutes. Everything runs on a CPU, the slowest experiment in a few seconds, and nothing is
#   downloaded.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import itertools
import math
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from lrcourse import exercises as ex
from lrcourse import experiments as xp
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.explorers import live_figure, reset_all

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 定下公平比较的规则
#
# 比较调度时，最容易在不知不觉中让某一方占了便宜。所以这一课先把下面三件事固定下来：
#
# - **同一个峰值**：五种调度的最大学习率相同；
# - **同一个预算**：训练同样多的步（或轮），都在终点结束；
# - **同样的数据和初始化**：第 k 个种子在每种调度下看到的小批量顺序和初始权重完全一样，差别只来自调度本身。
#
# 参赛的五种调度（长度记作 T）：
#
# | 名字 | lrlib 调用 | 形状 |
# |---|---|---|
# | 恒定 | `lrlib.constant(peak)` | 一直是峰值，作对照 |
# | 多阶梯衰减 | `lrlib.multistep_decay(peak, [T/2, 3T/4], 0.1)` | 在一半和四分之三处各乘 0.1 |
# | 余弦退火 | `lrlib.cosine_decay(peak, T)` | 半个余弦，从峰值降到 0 |
# | YOLO 配方 | `lrlib.warmup_cosine_tail(peak, 0.01·peak, T, 0.05T, 0.05T)` | 5% 二次预热，余弦降到峰值的 1%，最后 5% 恒定尾段 |
# | WSD | `lrlib.wsd(peak, T, 0, 0.2T)` | 先保持峰值，最后 20% 线性冷却到 0 |
#
# 两个实验的调度都由同一个函数 `make_schedules(peak, total)` 生成，谁的参数都不会被悄悄改掉。
# 下面以“训练进度”为横轴画出这五条曲线，并算出每条曲线的平均学习率（曲线下的面积除以长度）。

# %% [markdown] tags=["lang-en"]
# ## Set the rules of a fair comparison
#
# When you compare schedules it is easy to hand one of them an advantage without noticing. This lesson
# fixes three things:
#
# - **the same peak**: all five schedules reach the same largest learning rate;
# - **the same budget**: all train for the same number of steps (or epochs) and finish at the end;
# - **the same data and initialisation**: seed k gives every schedule the same minibatch order and the
#   same initial weights, so a difference comes from the schedule alone.
#
# The five contestants (T is the length of training):
#
# | name | lrlib call | shape |
# |---|---|---|
# | constant | `lrlib.constant(peak)` | the peak throughout: the control |
# | multistep decay | `lrlib.multistep_decay(peak, [T/2, 3T/4], 0.1)` | times 0.1 at one half and at three quarters |
# | cosine annealing | `lrlib.cosine_decay(peak, T)` | half a cosine from the peak down to 0 |
# | YOLO recipe | `lrlib.warmup_cosine_tail(peak, 0.01·peak, T, 0.05T, 0.05T)` | 5 % quadratic warmup, cosine down to 1 % of the peak, a constant tail over the last 5 % |
# | WSD | `lrlib.wsd(peak, T, 0, 0.2T)` | hold the peak, then a linear cooldown to 0 over the last 20 % |
#
# One function, `make_schedules(peak, total)`, builds the schedules for both experiments, so nobody's
# settings get quietly changed. Below, the five curves are drawn against the fraction of training, with
# each curve's mean learning rate (the area under it divided by its length).

# %%
def make_schedules(peak, total):
    """The five schedules of this lesson: the same peak, the same length `total` (in steps or epochs)."""
    return {
        "constant": lrlib.constant(peak),
        "step": lrlib.multistep_decay(peak, milestones=[total / 2, 3 * total / 4], gamma=0.1),
        "cosine": lrlib.cosine_decay(peak, decay_steps=total),
        "yolo": lrlib.warmup_cosine_tail(peak, end_lr=0.01 * peak, total_steps=total,
                                         warmup_steps=0.05 * total, tail_steps=0.05 * total),
        "wsd": lrlib.wsd(peak, total_steps=total, warmup_steps=0, decay_steps=0.2 * total),
    }


NAMES = {"constant": "l07_constant", "step": "multistep_decay", "cosine": "cosine_annealing",
         "yolo": "l07_yolo", "wsd": "l07_wsd"}  # display strings
KEYS = list(NAMES)
DECAYED = KEYS[1:]


def name(key):
    return t(NAMES[key])


shapes = make_schedules(1.0, 1.0)          # peak 1, length 1: the x axis is the fraction of training
u = np.linspace(0, 1, 2001)[:-1]           # 2000 evenly spaced points of [0, 1)
fig, ax = plt.subplots(figsize=(7, 2.8))
for k in KEYS:
    ax.plot(u, shapes[k](u), lw=1.2, label=plot_text(NAMES[k]))
ax.set(xlabel=plot_text("l07_fraction"), ylabel=plot_text("l07_lr_over_peak"))
ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(0.07, 0.45))
plt.show()

mean_lr = {k: shapes[k](u).mean() for k in KEYS}
for k in KEYS:
    print(t("l07_mean_lr", name=name(k), mean=mean_lr[k]))
assert all(abs(shapes[k](u).max() - 1.0) < 1e-3 for k in KEYS)       # the same peak
assert abs(mean_lr["step"] - (0.5 + 0.25 * 0.1 + 0.25 * 0.01)) < 1e-3  # 0.5275
assert abs(mean_lr["cosine"] - 0.5) < 1e-3 and abs(mean_lr["wsd"] - 0.9) < 1e-3
assert mean_lr["wsd"] == max(mean_lr[k] for k in DECAYED)               # WSD spends the most time near the peak
assert 1.8 < mean_lr["wsd"] / mean_lr["yolo"] < 2 and abs(mean_lr["yolo"] - 0.47) < 0.005  # almost twofold

# %% [markdown] tags=["lang-zh"]
# 平均学习率差得不少：WSD 是峰值的 0.9 倍，多阶梯衰减 0.5275 倍，余弦退火 0.5 倍，YOLO 配方只有 0.47 倍，
# 最多差将近一倍。
# 所以“同一个峰值”并不等于“同样多的学习”——读结果时要记住这一点。
#
# ## 在噪声二次模型上算出精确的期望损失
#
# **实验 A。** 带噪声的二次模型（Zhang 等，2019）：损失 L(θ) = ½ Σ hᵢθᵢ²，共 1000 个方向，曲率 hᵢ = 1/i；
# 每一步看到的梯度带有方差 hᵢ/B 的噪声（B = 8）。这个模型的好处是每个方向的均值和方差都有精确的递推式，
# `xp.nqm_expected_loss(schedules, T)` 直接给出**无穷多个种子的平均**，没有随机性，也就不需要种子。
# 峰值 1.0，T = 2000 步。

# %% [markdown] tags=["lang-en"]
# The mean learning rates differ a lot: WSD runs at 0.9 of the peak on average, multistep decay at
# 0.5275, cosine annealing at 0.5 and the YOLO recipe at only 0.47: almost a factor of two. "The same peak" is not "the same amount of learning"; keep that in
# mind when reading the results.
#
# ## Compute the exact expected loss on the noisy quadratic model
#
# **Experiment A.** The noisy quadratic model (Zhang et al., 2019): loss L(θ) = ½ Σ hᵢθᵢ² over 1000
# directions with curvatures hᵢ = 1/i, and each step sees a gradient with noise of variance hᵢ/B
# (B = 8). Its charm is that the mean and variance of every direction follow an exact recursion, so
# `xp.nqm_expected_loss(schedules, T)` returns the **average over infinitely many seeds**: nothing
# random, no seeds needed. Peak 1.0, T = 2000 steps.

# %%
PEAK_NQM, T_NQM = 1.0, 2000
nqm_schedules = make_schedules(PEAK_NQM, T_NQM)
start = time.perf_counter()
nqm = dict(zip(KEYS, xp.nqm_expected_loss([nqm_schedules[k] for k in KEYS], T_NQM)))
nqm_seconds = time.perf_counter() - start
nqm_final = {k: nqm[k][-1] for k in KEYS}
floor = xp.nqm_noise_floor(PEAK_NQM)

half = T_NQM // 2
for k in KEYS:
    print(t("l07_nqm_row", name=name(k), final=nqm_final[k], half=half, mid=nqm[k][half],
            ratio=nqm_final["constant"] / nqm_final[k]))
print(t("l07_floor_row", lr=PEAK_NQM, floor=floor))
print(t("l07_elapsed", n=len(KEYS), sec=nqm_seconds))

fig, ax = plt.subplots(figsize=(7, 3))
for k in KEYS:
    ax.semilogy(nqm[k], lw=1.2, label=plot_text(NAMES[k]))
ax.axhline(floor, color="gray", ls=":", lw=0.8)
ax.set(xlabel=plot_text("step"), ylabel=plot_text("l07_expected_loss"), ylim=(0.04, 2))
ax.legend(fontsize=8, ncol=5, loc="upper right")
plt.show()

# %% [markdown] tags=["lang-zh"]
# 读数：
#
# - 恒定学习率停在 0.279，离它的噪声地板 0.277 只差一点——它早就“到底”了；
# - 四种带衰减的调度都降到了恒定学习率的 1/3 以下：余弦退火 0.062（恒定的 1/4.5），YOLO 配方 0.066，
#   WSD 0.078，多阶梯衰减 0.082；
# - 不同衰减**形状**之间最多只差 1.33 倍（0.082 对 0.062），远小于衰减与不衰减之间 3.4 倍（多阶梯）到 4.5 倍（余弦）的差距；
# - 到第 1000 步，多阶梯衰减和 WSD 还没开始降，损失和恒定学习率一模一样（0.300），它们的好处全在后半程。
#
# 这里没有随机性，所以这些差别都是“真的”——但只对这个模型成立。下一步换成真实数据，噪声就回来了。

# %% [markdown] tags=["lang-en"]
# Reading it:
#
# - the constant learning rate stalls at 0.279, a hair above its noise floor of 0.277: it hit bottom
#   long ago;
# - all four decaying schedules end below a third of that: cosine annealing 0.062 (1/4.5 of
#   constant), the YOLO recipe 0.066, WSD 0.078, multistep decay 0.082;
# - the **shapes** differ by at most 1.33× (0.082 against 0.062), far less than the 3.4×
#   (multistep) to 4.5× (cosine) between decaying and not decaying;
# - at step 1000, multistep decay and WSD have not started to decay yet, and their loss is exactly the
#   constant one (0.300). Everything they gain comes later.
#
# Nothing here is random, so these differences are real, but only for this model. On real data, in the
# next step, the noise comes back.

# %%
assert abs(nqm_final["constant"] / floor - 1) < 0.02                       # constant: on its noise floor
assert all(nqm_final[k] < nqm_final["constant"] / 3 for k in DECAYED)      # any decay: 3x lower or more
assert min(nqm_final, key=nqm_final.get) == "cosine"                        # cosine lowest here
shape_gap = max(nqm_final[k] for k in DECAYED) / min(nqm_final[k] for k in DECAYED)
decay_gap = nqm_final["constant"] / max(nqm_final[k] for k in DECAYED)
print(f"shape: {shape_gap:.2f}x   decay vs constant: {decay_gap:.2f}x or more")
assert round(shape_gap, 2) == 1.33 and round(decay_gap, 1) == 3.4
assert round(nqm_final["constant"] / nqm_final["cosine"], 1) == 4.5
for k, v in {"constant": 0.279, "cosine": 0.062, "yolo": 0.066, "wsd": 0.078, "step": 0.082}.items():
    assert abs(nqm_final[k] - v) < 0.0006, k                               # the numbers quoted above
assert abs(floor - 0.277) < 0.0006
assert np.allclose([nqm["step"][half], nqm["wsd"][half]], nqm["constant"][half]) and abs(nqm["constant"][half] - 0.300) < 0.0006

# %% [markdown] tags=["lang-zh"]
# ## 在手写数字上用 5 个种子训练
#
# **实验 B。** 数据是 scikit-learn 自带的 8×8 手写数字（1797 张，不用下载），按固定的方式分成
# 1347 张训练、450 张测试。模型是 softmax 回归，用小批量 SGD 训练 20 轮，批量大小 32，
# 峰值学习率 2.0，权重衰减 0.01。调度按“轮”计长度，但每次迭代都更新（`step_unit="fractional_epoch"`）。
#
# 为什么要权重衰减？对这么容易分开的数据，不加权重衰减时，线性模型只要把权重越放越大，
# 交叉熵就能一直往下降，损失没有一个固定的“谷底”让恒定学习率在附近打转，调度的作用就被掩盖了
# （想看的话，把 `weight_decay` 改成 0 自己跑一遍）。加了权重衰减（只加在权重矩阵上，不加在偏置上），
# 权重不能再无限变大，目标函数有了最小值：权重的最优点唯一，只有“给所有类别的偏置加同一个常数”这个方向是平的，
# 而 softmax 本来就不受它影响。恒定学习率就会像实验 A 一样在最小值附近打转。
#
# 每种调度跑 5 个种子（0–4），一共 25 次训练。`xp.run_seeds` 把同一设置的 5 次结果收在一起，
# `.final(key)` 给出最后一轮的均值、标准差、最小值和最大值。

# %% [markdown] tags=["lang-en"]
# ## Train on handwritten digits with 5 seeds
#
# **Experiment B.** The data are scikit-learn's bundled 8×8 digits (1797 images, no download), split
# the same way every time into 1347 training and 450 test images. The model is softmax regression,
# trained by minibatch SGD for 20 epochs at batch size 32, peak learning rate 2.0, weight decay 0.01.
# The schedules' lengths are in epochs, but the learning rate is updated every iteration
# (`step_unit="fractional_epoch"`).
#
# Why weight decay? On data this easy to separate, a linear model without it can keep lowering the
# cross-entropy by growing its weights, so there is no fixed bottom for a constant learning rate to
# jitter around, and what a schedule does is hidden (set `weight_decay` to 0 and run it yourself to
# see). With weight decay (on the weight matrices, not the biases) the weights can no longer grow
# without bound and the objective has a minimum: the optimal weights are unique, and the only flat
# direction is adding the same constant to every class's bias, which the softmax ignores anyway. A
# constant learning rate jitters around that minimum, just as in experiment A.
#
# Each schedule runs with 5 seeds (0–4): 25 training runs. `xp.run_seeds` keeps the 5 results of one
# setting together, and `.final(key)` gives the mean, standard deviation, minimum and maximum after the
# last epoch.

# %%
EPOCHS, PEAK, BATCH, WEIGHT_DECAY, SEEDS = 20, 2.0, 32, 1e-2, (0, 1, 2, 3, 4)
digits = xp.load_digits_split(0)
digit_schedules = make_schedules(PEAK, EPOCHS)
start = time.perf_counter()
runs = {k: xp.run_seeds(xp.train_softmax, SEEDS, schedule=digit_schedules[k], num_epochs=EPOCHS,
                        batch_size=BATCH, weight_decay=WEIGHT_DECAY, data=digits)
        for k in KEYS}
digits_seconds = time.perf_counter() - start


def spread(s):
    return t("l07_spread", mean=s.mean, sd=s.std, lo=s.min, hi=s.max)


for k in KEYS:
    print(t("l07_digits_row", name=name(k), loss=spread(runs[k].final("train_loss")),
            acc=spread(runs[k].final("test_accuracy"))))
print(t("l07_elapsed", n=len(KEYS) * len(SEEDS), sec=digits_seconds))

# %% [markdown] tags=["lang-zh"]
# 左图是每个种子的训练损失曲线（同一种颜色的 5 条线是 5 个种子），右图是每个种子最后一轮的测试准确率，
# 短横线是均值。一个点就是一次训练：这样才能看到噪声本身有多大。

# %% [markdown] tags=["lang-en"]
# On the left, the training loss of every seed (the 5 lines of one colour are its 5 seeds); on the
# right, each seed's test accuracy after the last epoch, with a short bar at the mean. One dot is one
# training run: that is how you see how large the noise is.

# %%
epochs = np.arange(1, EPOCHS + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.2), gridspec_kw={"width_ratios": [3, 2]})
for i, k in enumerate(KEYS):
    color = f"C{i}"
    for j, curve in enumerate(runs[k]["train_loss"]):
        ax_loss.semilogy(epochs, curve, color=color, lw=0.8, alpha=0.8,
                         label=plot_text(NAMES[k]) if j == 0 else None)
    acc = runs[k].final("test_accuracy")
    ax_acc.plot(i + np.linspace(-0.2, 0.2, len(SEEDS)), runs[k]["test_accuracy"][:, -1], "o", color=color, ms=4)
    ax_acc.plot([i - 0.3, i + 0.3], [acc.mean] * 2, color=color, lw=2)
ax_loss.set(xlabel=plot_text("axis_epoch"), ylabel=plot_text("l07_train_loss"))
ax_loss.legend(fontsize=8)
ax_acc.set_xticks(range(len(KEYS)), [plot_text(NAMES[k]) for k in KEYS], fontsize=7, rotation=20)
ax_acc.set_ylabel(plot_text("l07_final_test_acc"))
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 一眼能看出两件事：
#
# - 恒定学习率的 5 个种子散得很开：训练损失从 0.21 到 0.99，测试准确率从 80.4% 到 93.3%。
#   学习率一直很大，最后停在哪里全凭最后几个小批量的运气；
# - 四种带衰减的调度挤在一起：训练损失都在 0.11 到 0.13 之间，测试准确率都在 95.1% 到 96.0% 之间。
#
# 测试集只有 450 张图，**一张图就是 0.22 个百分点**。衰减调度之间的准确率差别，不过一两张图而已。

# %% [markdown] tags=["lang-en"]
# Two things jump out:
#
# - the 5 seeds of the constant learning rate are scattered wide: training loss from 0.21 to 0.99,
#   test accuracy from 80.4 % to 93.3 %. With a large learning rate right to the end, where a run
#   stops depends on the luck of its last few minibatches;
# - the four decaying schedules bunch together: every training loss between 0.11 and 0.13, every test
#   accuracy between 95.1 % and 96.0 %.
#
# The test set has 450 images, so **one image is 0.22 percentage points**. Between the decaying
# schedules, accuracy differs by an image or two.

# %%
final_loss = {k: runs[k]["train_loss"][:, -1] for k in KEYS}
final_acc = {k: runs[k]["test_accuracy"][:, -1] for k in KEYS}
assert digits.X_train.shape == (1347, 64) and digits.X_test.shape == (450, 64)
assert not any(runs[k].diverged.any() for k in KEYS)
# seed k: the same data order everywhere, so schedules with the same lr at iteration 0 see the same second loss
same_start = np.array([runs[k]["batch_loss"][:, :2] for k in ("constant", "step", "cosine", "wsd")])
assert np.all(same_start == same_start[0]) and len(set(same_start[0][:, 1])) == len(SEEDS)
assert all(np.array_equal(runs[k]["train_loss"][:, 0], runs["constant"]["train_loss"][:, 0]) for k in ("step", "wsd"))
assert (round(final_loss["constant"].min(), 2), round(final_loss["constant"].max(), 2)) == (0.21, 0.99)
assert (round(final_acc["constant"].min(), 3), round(final_acc["constant"].max(), 3)) == (0.804, 0.933)
for k in DECAYED:
    assert 0.11 < final_loss[k].min() and final_loss[k].max() < 0.13, k
    assert round(final_acc[k].min(), 3) >= 0.951 and round(final_acc[k].max(), 3) <= 0.960, k
acc_means = [final_acc[k].mean() for k in DECAYED]
print(f"one test image = {1 / 450:.4f}; decayed means span {(max(acc_means) - min(acc_means)) * 450:.1f} images")
assert (max(acc_means) - min(acc_means)) * 450 < 2.5    # the decayed schedules: within ~2 test images

# %% [markdown] tags=["lang-zh"]
# ## 判断哪些差别超出了噪声
#
# 看图说“差不多”或“明显更好”太主观了。我们用一条简单、写得清清楚楚的规则（`xp.compare_runs`）：
#
# > **当 A 的每一个种子都比 B 的每一个种子好时，才说 A 和 B 有差别；否则说“在噪声之内”。**
#
# 这条规则会误报吗？如果 A 和 B 其实完全一样，10 个结果的所有排列顺序都同样可能，
# 其中只有 2 种让两组完全分开，所以误报的概率是 2 / C(10, 5) = 0.79%。3 个种子对 3 个种子时是 10%，
# 2 对 2 时高达 33%——种子太少，规则就不可靠了。（这些数字假设结果互相独立；我们的种子是配对的，后面专门算一算这有什么影响。）
#
# 下面先把四种衰减分别和恒定比，再把衰减的调度两两比较，训练损失和测试准确率都比。

# %% [markdown] tags=["lang-en"]
# ## Decide which differences exceed the noise
#
# Squinting at a plot and saying "about the same" or "clearly better" is too subjective. We use one
# simple rule, stated up front (`xp.compare_runs`):
#
# > **A and B differ only when every seed of A beats every seed of B; otherwise the difference is
# > "within noise".**
#
# Does the rule raise false alarms? If A and B were really identical, every ordering of the 10 results
# would be equally likely, and only 2 of them separate the groups completely, so the false-alarm
# probability is 2 / C(10, 5) = 0.79 %. With 3 seeds against 3 it is 10 %, with 2 against 2 a full
# 33 %: with too few seeds the rule means little. (These figures assume independent results; our seeds are
# paired, and a later cell works out what that changes.)
#
# First each decaying schedule against the constant one, then the decaying schedules in pairs, for both
# the training loss and the test accuracy.

# %%
def verdict(c, a, b):
    """One comparison in words: who is better on every seed, or 'within noise'."""
    return t("l07_better", who=name(a if c.better == "a" else b)) if c.differ else t("l07_within_noise")


pairs = [(k, "constant") for k in DECAYED] + list(itertools.combinations(DECAYED, 2))
cmp = {(a, b): {m: xp.compare_runs(runs[a], runs[b], m) for m in ("train_loss", "test_accuracy")}
       for a, b in pairs}
for (a, b), c in cmp.items():
    print(t("l07_pair_row", a=name(a), b=name(b), loss=verdict(c["train_loss"], a, b),
            acc=verdict(c["test_accuracy"], a, b)))
chance = 2 / math.comb(2 * len(SEEDS), len(SEEDS))
n_comparisons = 2 * len(pairs)
print(t("l07_false_alarm", n=len(SEEDS), p=chance, k=n_comparisons, total=n_comparisons * chance))

# %% [markdown] tags=["lang-zh"]
# 结论（下面的单元格逐条断言）：
#
# 1. **衰减对恒定：** 四种衰减在两个指标上都是每个种子都赢，差别远远超出噪声。
# 2. **衰减之间的测试准确率：** 6 对全部在噪声之内。在这个数据集上，用测试准确率分不出衰减形状的好坏。
# 3. **衰减之间的训练损失：** 多阶梯衰减和 WSD 的每个种子都比余弦退火和 YOLO 配方低；
#    多阶梯衰减对 WSD、余弦退火对 YOLO 配方在噪声之内。不过这个差别很小（最多约 7%），
#    还不到衰减与恒定之间差距的三十分之一。
#
# 注意，第 3 条和实验 A 的排名**正好相反**：在噪声二次模型上，余弦退火最好，多阶梯衰减最差。
# 衰减形状的排名会随问题而变，“要不要衰减”的答案在两个实验里却是一样的。
# 另外，我们一共做了 20 次比较，即使所有调度其实都一样，按独立结果算平均也会有约 0.16 次误报——
# 所以单独一次“分开了”要打个折扣，多次独立的证据才算数。

# %% [markdown] tags=["lang-en"]
# The findings (each asserted in the next cell):
#
# 1. **Decay vs constant:** all four decaying schedules win on every seed, on both metrics; far beyond
#    the noise.
# 2. **Test accuracy between decays:** all 6 pairs are within noise. On this data set, test accuracy
#    cannot tell the decay shapes apart.
# 3. **Training loss between decays:** every seed of multistep decay and of WSD is lower than every seed
#    of cosine annealing and of the YOLO recipe; multistep vs WSD and cosine vs YOLO are within noise.
#    The gap is small, though (7 % at most), more than 30 times smaller than the gap between decaying and
#    not decaying.
#
# Note that finding 3 runs **opposite** to experiment A, where cosine annealing was best and multistep
# decay worst. How the decay shapes rank changes with the problem; whether to decay has the same answer
# in both experiments. And we made 20 comparisons: even if every schedule were the same, about 0.16 false
# alarms would be expected on average (for independent results), so discount a single "separated" and look for independent evidence.

# %%
for k in DECAYED:
    for m in ("train_loss", "test_accuracy"):
        c = cmp[(k, "constant")][m]
        assert c.differ and c.better == "a", (k, m)                               # 1. decay beats constant
for a, b in itertools.combinations(DECAYED, 2):
    assert not cmp[(a, b)]["test_accuracy"].differ, (a, b)                        # 2. accuracy: within noise
separated = {(a, b) for a, b in itertools.combinations(DECAYED, 2) if cmp[(a, b)]["train_loss"].differ}
assert separated == {("step", "cosine"), ("step", "yolo"), ("cosine", "wsd"), ("yolo", "wsd")}
assert cmp[("step", "cosine")]["train_loss"].better == "a" and cmp[("cosine", "wsd")]["train_loss"].better == "b"
loss_means = {k: final_loss[k].mean() for k in KEYS}
shape_spread = max(loss_means[k] for k in DECAYED) - min(loss_means[k] for k in DECAYED)
decay_effect = loss_means["constant"] - max(loss_means[k] for k in DECAYED)
print(f"shape gap {shape_spread:.4f} ({shape_spread / loss_means['cosine']:.1%}); decay gap {decay_effect:.4f}")
assert abs(shape_spread / loss_means["cosine"] - 0.07) < 0.006 and decay_effect > 30 * shape_spread
assert abs(chance - 0.0079) < 1e-4 and n_comparisons == 20 and abs(n_comparisons * chance - 0.16) < 0.005
assert abs(2 / math.comb(6, 3) - 0.10) < 1e-12 and abs(2 / math.comb(4, 2) - 1 / 3) < 1e-12
assert nqm_final["cosine"] < nqm_final["step"]                                   # the opposite order in A

# %% [markdown] tags=["lang-zh"]
# ### 种子是配对的：0.79% 还算数吗？
#
# 0.79% 的前提是 10 个结果互相独立。我们的实验并不是这样：第 k 个种子在每种调度下都用同一份初始权重、
# 同一个小批量顺序（前面断言过），结果是一对一对的。同一对里的两个结果如果倾向于一起偏高、一起偏低
# （正相关），两组就更难“凭运气”完全分开；如果一个偏高时另一个倾向偏低（负相关），反而更容易。
# 最坏的情况下，每一对都把较好的那个分给 A 的概率是 1/2，误报率可以高到 2 / 2⁵ = 6.25%。
#
# 相关系数有多大，只能从数据里估计。下一个单元格先模拟：两种调度其实完全一样，每对结果的相关系数为 ρ，
# 数一数规则误报的比例；再用我们的 5 个种子估计那 4 对“分开了”的调度各自的 ρ。
# 5 个点估出来的相关系数本身就很不准，所以只把它当作量级参考。

# %% [markdown] tags=["lang-en"]
# ### Seeds are paired: does 0.79 % still hold?
#
# The 0.79 % assumes the 10 results are independent. Ours are not: seed k gives every schedule the same
# initial weights and the same minibatch order (asserted earlier), so the results come in pairs. If the
# two results of a pair tend to be high or low together (positive correlation), a complete separation
# by luck gets *rarer*; if one tends to be high when the other is low (negative correlation), it gets more
# likely. In the worst case each pair hands the better result to A with probability 1/2, and the false
# alarm rate can reach 2 / 2⁵ = 6.25 %.
#
# How correlated the pairs are can only be estimated. The next cell simulates two really identical
# settings whose paired results correlate by ρ and counts the rule's false alarms, then estimates ρ from
# our 5 seeds for the 4 pairs of schedules that did separate. A correlation from 5 points is itself very
# rough, so read it as an order of magnitude.

# %%
def chance_separated(rho, n=len(SEEDS), trials=200_000, seed=0):
    """Monte Carlo: how often two identical settings separate completely when seed k's two results correlate by rho."""
    rng = np.random.default_rng(seed)
    z_a, z_b = rng.standard_normal((2, trials, n))
    a, b = z_a, rho * z_a + np.sqrt(1 - rho**2) * z_b
    return np.mean((a.max(axis=1) < b.min(axis=1)) | (b.max(axis=1) < a.min(axis=1)))


rates = {rho: chance_separated(rho) for rho in (-0.9, -0.5, 0.0, 0.5, 0.9)}
for rho, p in rates.items():
    print(t("l07_paired_rate", rho=rho, p=p))
r_separated = {pair: np.corrcoef(final_loss[pair[0]], final_loss[pair[1]])[0, 1] for pair in sorted(separated)}
worst_rho = min(r_separated.values())
worst_rate = chance_separated(worst_rho)
print(t("l07_paired_measured", rs=", ".join(f"{r:+.2f}" for r in r_separated.values()), rho=worst_rho, p=worst_rate))

assert abs(rates[0.0] - chance) < 0.001                                       # independent: the 2 / C(10, 5) above
assert rates[0.9] < rates[0.5] < rates[0.0] < rates[-0.5] < rates[-0.9] < 2 / 2**len(SEEDS)  # pairing cuts both ways
assert -0.5 < worst_rho < 0 < max(r_separated.values()) < 0.5                 # our pairs: weak, of both signs
assert worst_rate < 0.025 and n_comparisons * worst_rate < 0.5                # still rare: under half a false alarm in 20

# %% [markdown] tags=["lang-zh"]
# 对这 4 对调度，估出来的 ρ 在 −0.4 到 +0.2 之间，相关很弱、正负都有。按其中最不利的 ρ 算，误报率不到 2.5%，
# 20 次比较加起来也不到半次误报。所以上面的结论站得住，但“0.79%”应当读作“独立时的数字”，不是上限。
# 想让配对真正帮上忙，可以改用**配对检验**：只看每个种子上 A 减 B 的差值的符号。5 个差值全部同号，
# 凭运气出现的概率是 2 / 2⁵ = 6.25%；要把它压到 1% 以下，需要 8 个种子（2 / 2⁸ ≈ 0.78%）。

# %% [markdown] tags=["lang-en"]
# For these 4 pairs the estimated ρ lies between −0.4 and +0.2: weak, and of both signs. At the least
# favourable of them the false-alarm rate stays under 2.5 %, under half a false alarm over all 20
# comparisons. So the findings stand, but read "0.79 %" as the figure for independent results, not as a
# ceiling. To make the pairing work for you, use a **paired test**: look only at the sign of A − B on each
# seed. All 5 differences having the same sign happens by luck with probability 2 / 2⁵ = 6.25 %; getting
# that under 1 % takes 8 seeds (2 / 2⁸ ≈ 0.78 %).

# %%
assert 2 / 2**5 == 0.0625 and 2 / 2**7 > 0.01 > 2 / 2**8                    # the sign test needs 8 seeds for < 1 %

# %% [markdown] tags=["lang-zh"]
# ## 检验两种说法
#
# **说法一：**
#
# > “阶梯衰减的学习率会‘突然跳’，这种突变对训练有害，所以要用平滑的余弦。”
#
# 看看突变那一刻发生了什么：在噪声二次模型上，学习率在第 1000 步乘以 0.1，期望损失随即下降；
# 它最终的损失是恒定学习率的 1/3.4；在手写数字上，它的训练损失也在最低的那一组里。
# 突变带来的是损失的**突降**，不是伤害。它比余弦退火差还是好，要看问题（实验 A 差一点；实验 B 的训练损失好一点，测试准确率分不出高下）。

# %% [markdown] tags=["lang-en"]
# ## Test two claims
#
# **Claim one:**
#
# > "Step decay makes the learning rate jump suddenly, the jump hurts training, so use a smooth cosine."
#
# Look at the moment of the jump. On the noisy quadratic model the learning rate is multiplied by 0.1
# at step 1000 and the expected loss drops right away; it ends at 1/3.4 of the constant learning rate's
# loss; on the digits its training loss is among the lowest. The jump brings a sudden **drop** in loss,
# not damage. Whether step decay beats cosine depends on the problem (slightly worse in experiment A;
# in B slightly better on training loss, indistinguishable on test accuracy).

# %%
drop_at, k_after = T_NQM // 2, 50
before, after = nqm["step"][drop_at], nqm["step"][drop_at + k_after]
print(t("l07_drop_row", at=drop_at, before=before, after=after, k=k_after))
assert after < 0.6 * before                                   # the drop: -40 % or more within 50 steps
assert np.all(np.diff(nqm["step"][drop_at:drop_at + k_after + 1]) < 0)   # falling at every step after it
assert cmp[("step", "constant")]["train_loss"].differ and cmp[("step", "cosine")]["train_loss"].better == "a"

# %% [markdown] tags=["lang-zh"]
# **说法二：**
#
# > “余弦退火先按一个长的 T 来规划，训练到一半想停就停，效果差不多。”
#
# 余弦退火的好处来自**退火到终点**。在第 1000 步停下，按 T = 2000 规划的余弦此时学习率还有峰值的一半，
# 没有退完火。比较三种在第 1000 步停下的做法：

# %% [markdown] tags=["lang-en"]
# **Claim two:**
#
# > "Plan cosine annealing for a long T; if you need to stop halfway, the result is about the same."
#
# What cosine annealing buys comes from **annealing all the way to its end**. Stopped at step 1000, a
# cosine planned for T = 2000 is still at half its peak: it has not annealed. Three ways to stop at
# step 1000:

# %%
at = 1000
horizon = {
    t("l07_cos_T", T=2 * at): lrlib.cosine_decay(PEAK_NQM, 2 * at),
    t("l07_cos_T", T=at): lrlib.cosine_decay(PEAK_NQM, at),
    t("l07_wsd_branch", start=int(0.8 * at), end=at): lrlib.wsd(PEAK_NQM, at, 0, 0.2 * at),
}
at_stop = dict(zip(horizon, xp.nqm_expected_loss(list(horizon.values()), at)[:, -1]))
for label, value in at_stop.items():
    print(t("l07_horizon_row", at=at, label=label, value=value))
long_cos, planned_cos, wsd_branch = at_stop.values()
assert abs(long_cos - nqm["cosine"][at]) < 1e-12                      # the same run as experiment A, read at 1000
assert planned_cos < long_cos and wsd_branch < planned_cos
assert abs(nqm_schedules["cosine"](at) - PEAK_NQM / 2) < 1e-12       # stopped at 1000: still at half the peak
assert abs(long_cos - 0.179) < 0.0006 and abs(planned_cos - 0.158) < 0.0006 and abs(wsd_branch - 0.125) < 0.0006

# %% [markdown] tags=["lang-zh"]
# 按 T = 2000 规划、在第 1000 步停下：0.179；老老实实按 T = 1000 规划：0.158。
# 余弦退火只在它自己的终点上好。如果事先不知道要训练多久，WSD 更合适：它一直保持峰值，
# 想在哪里停，就从那里分出一小段冷却（这里从第 800 步冷却到第 1000 步，0.125）。第 09 课会细讲。
#
# ## 对照论文的结果
#
# 下面把噪声二次模型上的两个实验画出来，对应论文里的两类图：左边是热重启（SGDR，T₀ = 100，每个周期长度翻倍）
# 和余弦退火的期望损失；右边是 WSD 冷却长度和冷却形状的影响。

# %% [markdown] tags=["lang-en"]
# Planned for T = 2000 and stopped at step 1000: 0.179; planned honestly for T = 1000: 0.158. Cosine
# annealing is good only at its own end. If you don't know in advance how long you will train, WSD
# fits better: it holds the peak, and wherever you want to stop you branch off a short cooldown (here
# from step 800 to 1000: 0.125). Lesson 09 goes into this.
#
# ## Hold our numbers against the papers'
#
# Two more experiments on the noisy quadratic model, drawn to match two kinds of figures in the
# papers: on the left, warm restarts (SGDR, T₀ = 100, each cycle twice as long as the last) against
# cosine annealing; on the right, how the length and the shape of WSD's cooldown matter.

# %%
sgdr = lrlib.warm_restarts(PEAK_NQM, first_cycle_steps=100, cycle_mult=2)
cooldowns = {(pct, shape): lrlib.wsd(PEAK_NQM, T_NQM, 0, pct / 100 * T_NQM, decay_shape=shape)
             for pct, shape in ((2.5, "linear"), (10, "linear"), (20, "linear"), (20, "1-sqrt"), (40, "1-sqrt"))}
SHAPE_TEXT = {"linear": "shape_linear", "1-sqrt": None}  # 1-sqrt is written as a formula in both languages


def shape_text(shape, text=t):
    return text(SHAPE_TEXT[shape]) if SHAPE_TEXT[shape] else "1−√"
curves = xp.nqm_expected_loss([sgdr, *cooldowns.values()], T_NQM)
sgdr_curve = curves[0]
wsd_final = dict(zip(cooldowns, curves[1:, -1]))

cycle_ends = [100, 300, 700, 1500]
print(t("l07_cycle_ends", values=", ".join(f"{sgdr_curve[e]:.3f}" for e in cycle_ends),
        after=sgdr_curve[1510], T=T_NQM, final=sgdr_curve[-1]))
for (pct, shape), value in wsd_final.items():
    print(t("l07_cooldown_row", label=t("l07_cooldown", pct=pct, shape=shape_text(shape)), final=value))

fig, (ax_r, ax_w) = plt.subplots(1, 2, figsize=(10, 3))
ax_r.semilogy(nqm["cosine"], lw=1.2, label=plot_text("cosine_annealing"))
ax_r.semilogy(sgdr_curve, lw=1.2, label=plot_text("l07_sgdr"))
ax_r.plot(cycle_ends, sgdr_curve[cycle_ends], "k.", ms=6)
ax_w.semilogy(nqm["cosine"], "k:", lw=1, label=plot_text("cosine_annealing"))
for (pct, shape), curve in zip(cooldowns, curves[1:]):
    ax_w.semilogy(curve, lw=1, label=plot_text("l07_cooldown", pct=pct, shape=shape_text(shape, plot_text)))
for a in (ax_r, ax_w):
    a.set(xlabel=plot_text("step"), ylabel=plot_text("l07_expected_loss"), ylim=(0.04, 2))
    a.legend(fontsize=7)
ax_w.set_xlim(1200, T_NQM)
ax_w.set_ylim(0.04, 0.5)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# | 论文（它的图或表） | 论文说 | 我们的小实验 | 为什么可能不一样 |
# |---|---|---|---|
# | He 等，Bag of Tricks（CVPR 2019），表 6、图 3 | ImageNet 上 ResNet-50-D 把阶梯衰减换成余弦退火，top-1 从 77.16% 升到 77.91%（+0.75）；图 3 画出两种调度在整个训练中的学习率和验证准确率 | 噪声二次模型：余弦 0.062 好于阶梯 0.082，阶梯在第 1000 步降学习率之后领先一段（第 1038 到 1384 步），最后被余弦反超。手写数字：测试准确率在噪声之内；训练损失反而阶梯略低 | 凸的小模型；450 张测试图，一张就是 0.22 个百分点，0.75 个点只相当于 3–4 张图；论文只报告单次运行，没有种子间的波动 |
# | Loshchilov 和 Hutter，SGDR（ICLR 2017），测试误差随轮数的曲线 | 每个周期结束时误差很低，重启后误差回升；“随时可用”，可以在周期末尾取快照 | 周期末的 E[L]：0.968 → 0.518 → 0.250 → 0.105，重启后 10 步回到 0.265；第 2000 步正好在周期中途，0.224，远差于余弦的 0.062 | 二次模型只有一个最小值，重启没有别的好处；SGDR 的优势要在周期末读数，预算结束在周期中途就吃亏 |
# | Hu 等，MiniCPM（2024），WSD 衰减长度的实验 | 衰减阶段占 10% 左右就够，2.5% 不够 | 线性冷却 2.5%：0.136；10%：0.097；20%：0.078 | 趋势一致；但在这个模型上 20% 还追不上余弦（0.062），因为曲率很小的方向需要很长时间的小学习率 |
# | Hägele 等（NeurIPS 2024），冷却长度和形状的图 | 恒定 + 冷却能赶上余弦；1−√ 形状的冷却好于线性 | 20% 冷却：1−√ 0.072 好于线性 0.078；40% 的 1−√ 冷却 0.057，好于余弦的 0.062 | 方向一致；需要的冷却比例和模型有关 |
# | 同上，以及 MiniCPM：余弦的“终点问题” | 余弦只有在 T 等于实际训练长度时才最好 | 第 1000 步：按 2000 规划的余弦 0.179，按 1000 规划的 0.158，WSD 分支 0.125 | 一致 |

# %% [markdown] tags=["lang-en"]
# | paper (its figure or table) | the paper says | our toy measurement | why they may differ |
# |---|---|---|---|
# | He et al., Bag of Tricks (CVPR 2019), Table 6 and Fig. 3 | ResNet-50-D on ImageNet: switching from step decay to cosine annealing raises top-1 from 77.16 % to 77.91 % (+0.75); Fig. 3 draws both schedules' learning rate and validation accuracy over the whole run | noisy quadratic model: cosine 0.062 beats step 0.082; step leads for a while after its drop at step 1000 (steps 1038 to 1384), then cosine overtakes it. Digits: test accuracy within noise; training loss slightly *lower* for step | a small convex model; 450 test images, where one image is 0.22 points and 0.75 points is 3–4 images; the paper reports single runs, with no seed-to-seed spread |
# | Loshchilov & Hutter, SGDR (ICLR 2017), test error against epochs | the error is low at the end of each cycle and rises after a restart; good "anytime" performance, snapshots at cycle ends | E[L] at cycle ends: 0.968 → 0.518 → 0.250 → 0.105; 10 steps after the restart it is back at 0.265; step 2000 falls mid-cycle: 0.224, far worse than cosine's 0.062 | the quadratic has one minimum, so restarts bring nothing else; SGDR must be read at cycle ends, and a budget that ends mid-cycle pays for it |
# | Hu et al., MiniCPM (2024), the WSD decay-length experiments | a decay phase of about 10 % is enough, 2.5 % is not | linear cooldown 2.5 %: 0.136; 10 %: 0.097; 20 %: 0.078 | the same trend; but here even 20 % does not catch cosine (0.062), because the low-curvature directions need a long stretch of small learning rates |
# | Hägele et al. (NeurIPS 2024), figures on cooldown length and shape | constant plus a cooldown matches cosine; a 1−√ cooldown beats a linear one | 20 % cooldown: 1−√ 0.072 beats linear 0.078; a 40 % 1−√ cooldown reaches 0.057, beating cosine's 0.062 | the same direction; the cooldown share needed depends on the model |
# | the same, and MiniCPM: cosine's horizon problem | cosine is best only when T equals the real training length | at step 1000: cosine planned for 2000 0.179, planned for 1000 0.158, a WSD branch 0.125 | agrees |

# %%
lead = np.flatnonzero(nqm["step"][half + 1:] < nqm["cosine"][half + 1:]) + half + 1
print(f"step decay below cosine from step {lead.min()} to step {lead.max()}; final: step {nqm_final['step']:.3f}, "
      f"cosine {nqm_final['cosine']:.3f}")
assert (lead.min(), lead.max()) == (1038, 1384) and np.all(np.diff(lead) == 1)  # one stretch, then overtaken
assert np.allclose([sgdr_curve[e] for e in cycle_ends], [0.968, 0.518, 0.250, 0.105], atol=6e-4)
assert abs(sgdr_curve[1510] - 0.265) < 6e-4 and abs(sgdr_curve[-1] - 0.224) < 6e-4
assert np.all(np.diff([sgdr_curve[e] for e in cycle_ends]) < 0)      # each cycle end lower than the last
expected = {(2.5, "linear"): 0.136, (10, "linear"): 0.097, (20, "linear"): 0.078, (20, "1-sqrt"): 0.072,
            (40, "1-sqrt"): 0.057}
assert all(abs(wsd_final[key] - v) < 6e-4 for key, v in expected.items())
assert wsd_final[(2.5, "linear")] > wsd_final[(10, "linear")] > wsd_final[(20, "linear")] > nqm_final["cosine"]
assert wsd_final[(20, "1-sqrt")] < wsd_final[(20, "linear")] and wsd_final[(40, "1-sqrt")] < nqm_final["cosine"]
assert abs(wsd_final[(20, "linear")] - nqm_final["wsd"]) < 1e-12      # the same schedule as experiment A
assert 3 <= 0.0075 * 450 <= 4                                         # 0.75 points of 450 images: 3-4 images

# %% [markdown] tags=["lang-zh"]
# ### 自己挑着看
#
# **先预测：** 上面用 5 个种子时，余弦退火和 YOLO 配方的训练损失在噪声之内。如果每组只用前 2 个种子，
# 规则还会说“在噪声之内”吗？2 对 2 时，两个其实一样的设置仅凭运气被判为“有差别”的概率是多少？
# 再看多阶梯衰减对余弦退火：训练损失和测试准确率的结论一样吗？先写下来，再用下面的控件验证。
#
# 控件不会重新训练，它只从上面已经训练好的结果里取数：`runs[a][metric][:n]` 取前 n 个种子的曲线，
# `xp.compare_runs(...)` 按同一条规则判断最后一轮的差别。

# %% [markdown] tags=["lang-en"]
# ### Look for yourself
#
# **Predict first:** with 5 seeds, the training losses of cosine annealing and the YOLO recipe were
# within noise. With only the first 2 seeds of each, does the rule still say "within noise"? With 2
# against 2, how likely is it that two identical settings get called "different" by luck alone? And
# multistep decay against cosine annealing: do training loss and test accuracy agree? Write your
# answers down, then check them below.
#
# The explorer trains nothing: it reads the results trained above. `runs[a][metric][:n]` takes the
# curves of the first n seeds and `xp.compare_runs(...)` applies the same rule to the last epoch.

# %%
style = {"description_width": "initial"}
choices = [(name(k), k) for k in KEYS]
cmp_controls = {
    "a": widgets.Dropdown(options=choices, value="step", description=t("l07_schedule_a"), style=style),
    "b": widgets.Dropdown(options=choices, value="cosine", description=t("l07_schedule_b"), style=style),
    "metric": widgets.Dropdown(options=[(t("l07_train_loss"), "train_loss"), (t("l07_test_acc"), "test_accuracy")],
                               value="train_loss", description=t("l07_metric"), style=style),
    "n": widgets.IntSlider(value=5, min=2, max=len(SEEDS), description=t("l07_n_seeds"), style=style),
}
cmp_fig = Figure(figsize=(6, 2.8))
cmp_ax = cmp_fig.subplots()
lines_a = [cmp_ax.plot(epochs, np.ones(EPOCHS), color="C0", lw=1)[0] for _ in SEEDS]
lines_b = [cmp_ax.plot(epochs, np.ones(EPOCHS), color="C3", lw=1, ls="--")[0] for _ in SEEDS]
cmp_ax.set_xlabel(plot_text("axis_epoch"))
cmp_fig.tight_layout()


def draw_compare(a, b, metric, n):
    curves_a, curves_b = runs[a][metric][:n], runs[b][metric][:n]   # precomputed: nothing is trained here
    for lines, curves in ((lines_a, curves_a), (lines_b, curves_b)):
        for i, line in enumerate(lines):
            line.set_ydata(curves[i] if i < n else np.full(EPOCHS, np.nan))
    shown = np.concatenate([curves_a, curves_b])
    cmp_ax.set_yscale("log" if metric == "train_loss" else "linear")
    lo, hi = np.nanmin(shown), np.nanmax(shown)
    cmp_ax.set_ylim((lo / 1.2, hi * 1.2) if metric == "train_loss" else (lo - 0.01, min(1.0, hi + 0.01)))
    cmp_ax.set_ylabel(plot_text("l07_train_loss" if metric == "train_loss" else "l07_test_acc"))
    cmp_ax.legend([lines_a[0], lines_b[0]], [plot_text(NAMES[a]), plot_text(NAMES[b])], fontsize=8)
    c = xp.compare_runs(curves_a[:, -1], curves_b[:, -1], metric)
    said = t("l07_same") if a == b else verdict(c, a, b)
    return t("l07_explorer_readout", metric=t("l07_train_loss" if metric == "train_loss" else "l07_test_acc"),
             a=spread(c.a), b=spread(c.b), verdict=said, chance=c.chance)


cmp_box, cmp_readout, cmp_image = live_figure(cmp_fig, cmp_controls, draw_compare)
cmp_box

# %% [markdown] tags=["lang-zh"]
# 答案：只用 2 个种子时，YOLO 配方的两个种子的训练损失恰好都比余弦退火的低，规则判为“有差别”；
# 用上 5 个种子，差别又回到噪声之内。2 对 2 时误报率是 2 / C(4, 2) = 33%：即使两组完全一样，
# 三次里也会有一次被判为“分开”，所以 2 个种子几乎说明不了什么。
# 多阶梯衰减对余弦退火：训练损失是分开的，测试准确率不是。
#
# ## 动手试试
#
# **练习 1.** 从实验 A 的输出里读数：在噪声二次模型上，恒定学习率的最终期望损失是 YOLO 配方的多少倍？
# 赋给 `ratio_constant_to_yolo`（误差 2% 以内算对）。

# %% [markdown] tags=["lang-en"]
# Answer: with 2 seeds, both YOLO-recipe seeds happen to end with a lower training loss than both
# cosine seeds, and the rule says "different"; with all 5 seeds the gap is back within noise. With 2
# against 2 the false-alarm rate is 2 / C(4, 2) = 33 %: even two identical settings "separate" once in
# three tries, so 2 seeds tell you almost nothing. Multistep decay against cosine annealing: separated
# on training loss, not on test accuracy.
#
# ## On your own
#
# **Exercise 1.** Read it off experiment A's output: on the noisy quadratic model, how many times larger
# is the constant learning rate's final expected loss than the YOLO recipe's? Store it in
# `ratio_constant_to_yolo` (within 2 % counts).

# %% tags=["exercise"]
ratio_constant_to_yolo = ...  # your answer here

ex.check_number(ratio_constant_to_yolo, "sealed:MTI4MTkyOTc5NDg3ODIyLjQ=", rtol=0.02, name="ratio_constant_to_yolo")

# %% tags=["solution"]
ratio_constant_to_yolo = nqm_final["constant"] / nqm_final["yolo"]

assert ex.check_number(ratio_constant_to_yolo, "sealed:MTI4MTkyOTc5NDg3ODIyLjQ=", rtol=0.02,
                       name="ratio_constant_to_yolo")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 实验 A 打印的每一行最后都有“恒定的 1/…”。
# </details>
#
# <details><summary>提示 2</summary>
#
# 也可以直接算：最终损失存在字典 `nqm_final` 里，键是 `"constant"` 和 `"yolo"`。
# </details>
#
# <details><summary>提示 3</summary>
#
# `nqm_final["constant"] / nqm_final["yolo"]`，大约 4.2。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Every line experiment A printed ends with "1/… of constant".
# </details>
#
# <details><summary>Hint 2</summary>
#
# Or compute it: the final losses are in the dict `nqm_final`, under the keys `"constant"` and `"yolo"`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `nqm_final["constant"] / nqm_final["yolo"]`, about 4.2.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 两个小问题。
#
# (a) 有人每种调度只跑了 3 个种子，发现 A 的 3 个种子都比 B 的好，就说“A 更好，证毕”。
# 如果 A 和 B 其实完全一样，按我们的规则，两组仅凭运气完全分开（不管谁在前）的概率是多少？赋给 `chance_3_vs_3`。
#
# (b) 用 5 个种子，多阶梯衰减和 WSD 最后一轮的**测试准确率**差别超出噪声了吗？把 `"yes"` 或 `"no"` 赋给 `step_vs_wsd`。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** Two short questions.
#
# (a) Someone ran 3 seeds per schedule, saw all 3 seeds of A beat all 3 of B, and declared "A is
# better, done". If A and B were really identical, what is the probability that our rule sees the two
# groups separate completely (either way round) by luck alone? Store it in `chance_3_vs_3`.
#
# (b) With 5 seeds, does the final **test accuracy** of multistep decay and of WSD differ by more than
# the noise? Store `"yes"` or `"no"` in `step_vs_wsd`.

# %% tags=["exercise"]
chance_3_vs_3 = ...  # your answer here
step_vs_wsd = ...    # "yes" or "no"

ex.check_number(chance_3_vs_3, "sealed:MS4w", rtol=0.01, name="chance_3_vs_3")
ex.check_choice(step_vs_wsd, "sealed:Im9uIg==", ["yes", "no"])

# %% tags=["solution"]
chance_3_vs_3 = 2 / math.comb(6, 3)
step_vs_wsd = "yes" if xp.compare_runs(runs["step"], runs["wsd"], "test_accuracy").differ else "no"

assert ex.check_number(chance_3_vs_3, "sealed:MS4w", rtol=0.01, name="chance_3_vs_3")
assert ex.check_choice(step_vs_wsd, "sealed:Im9uIg==", ["yes", "no"])

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# (a) 6 个结果排成一列，选哪 3 个属于 A，一共 C(6, 3) 种分法，每种同样可能。其中几种让两组完全分开？
# </details>
#
# <details><summary>提示 2</summary>
#
# (a) 只有两种：A 全在前面，或者 A 全在后面。`math.comb(6, 3)` 算组合数。
# (b) 用 `xp.compare_runs(runs["step"], runs["wsd"], "test_accuracy")`，看它的 `.differ`。
# </details>
#
# <details><summary>提示 3</summary>
#
# (a) `2 / math.comb(6, 3)`，也就是 10%。(b) 看“判断哪些差别超出了噪声”那一节打印的表：衰减调度之间的测试准确率全都在噪声之内。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# (a) Line up the 6 results and choose which 3 belong to A: C(6, 3) ways, all equally likely. How many
# of them separate the two groups completely?
# </details>
#
# <details><summary>Hint 2</summary>
#
# (a) Just two: A all at the top, or A all at the bottom. `math.comb(6, 3)` counts the ways.
# (b) Use `xp.compare_runs(runs["step"], runs["wsd"], "test_accuracy")` and look at `.differ`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# (a) `2 / math.comb(6, 3)`, which is 10 %. (b) See the table printed in "Decide which differences
# exceed the noise": between decaying schedules, test accuracy is always within noise.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 自己设计一个 T = 2000 步的调度 `my_schedule(t)`：学习率始终在 0 到峰值 1.0 之间，
# 在噪声二次模型上的最终期望损失**不超过恒定学习率的四分之一**。多阶梯衰减（0.082）和 20% 冷却的 WSD（0.078）
# 都达不到这个目标，所以光是“会衰减”还不够。检查通过后，单元格会打印你的调度的期望损失。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** Design a schedule `my_schedule(t)` for T = 2000 steps: the learning rate stays between
# 0 and the peak 1.0, and the final expected loss on the noisy quadratic model is **at most a quarter
# of the constant learning rate's**. Multistep decay (0.082) and WSD with a 20 % cooldown (0.078) both
# miss this target, so "it decays" is not enough. Once the check passes, the cell prints your schedule's
# expected loss.

# %%
exercise_3 = dict(bounds=(0.0, PEAK_NQM), total_steps=T_NQM, name="my_schedule")
goal = nqm_final["constant"] / 4


def score(schedule):
    """The final exact expected loss of `schedule` on this lesson's noisy quadratic model."""
    mine = xp.nqm_expected_loss(schedule, T_NQM)[-1]
    print(t("l07_yours", mine=mine, const=nqm_final["constant"], goal=goal))
    return ex.check_range(mine, 0.0, goal, name="E[L]")

# %% tags=["exercise"]
def my_schedule(t):
    ...  # your code here


if ex.check_schedule(my_schedule, **exercise_3):
    score(my_schedule)

# %% tags=["solution"]
def my_schedule(t):
    return PEAK_NQM * max(0.0, 1.0 - t / T_NQM)  # a straight line from the peak down to 0


assert ex.check_schedule(my_schedule, **exercise_3)
assert score(my_schedule)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 实验 A 里哪些调度已经达到了目标（0.279 / 4 ≈ 0.070）？它们有什么共同点？
# </details>
#
# <details><summary>提示 2</summary>
#
# 余弦退火（0.062）和 YOLO 配方（0.066）都达到了：它们很早就开始慢慢往下降，而且一直降到很小。
# 降得太晚（WSD 20%）或者两大步就降到很小（多阶梯）都不够。
# </details>
#
# <details><summary>提示 3</summary>
#
# 一条直线就行：`return 1.0 * max(0.0, 1.0 - t / 2000)`；或者 `my_schedule = lrlib.cosine_decay(1.0, 2000)`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Which schedules in experiment A already reach the target (0.279 / 4 ≈ 0.070)? What do they have in
# common?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Cosine annealing (0.062) and the YOLO recipe (0.066) make it: they start going down early and keep
# going down to something small. Decaying too late (WSD 20 %) or in two big jumps (multistep) falls
# short.
# </details>
#
# <details><summary>Hint 3</summary>
#
# A straight line will do: `return 1.0 * max(0.0, 1.0 - t / 2000)`; or `my_schedule = lrlib.cosine_decay(1.0, 2000)`.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - 比较调度之前先定规则：同一个峰值、同一个预算、同样的种子。同一个峰值下，平均学习率也可以差将近一倍。
# - **衰减与不衰减之间是大效应**：噪声二次模型上差 3.4 到 4.5 倍；手写数字上，每个衰减的种子在训练损失和测试准确率上都赢过每个恒定的种子。
# - **衰减形状是小效应，而且排名随问题而变**：二次模型上余弦最好（形状之间最多差 1.33 倍），手写数字上多阶梯衰减和 WSD 的训练损失略低（最多约 7%），测试准确率则分不出来。
# - 判断规则要先写下来，还要知道它的误报率：结果独立时，5 对 5 是 0.79%，3 对 3 是 10%，2 对 2 是 33%；种子配对时要看相关性，最坏 5 对 5 可到 6.25%。比较做得越多，误报越多。
# - 阶梯衰减的突变带来的是损失的突降；余弦退火只在自己的终点上才好，不知道要训练多久时就用 WSD。
# - 小实验能复现论文的**方向**（衰减的必要、冷却长度、终点问题、热重启要在周期末读数），复现不了 ImageNet 上 0.75 个点这样的小差别——那需要更大的测试集和更多的种子。
#
# ## 延伸阅读
#
# - Zhang 等，*Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic Model*，NeurIPS 2019。
#   实验 A 的模型。<https://arxiv.org/abs/1907.04164>
# - He 等，*Bag of Tricks for Image Classification with Convolutional Neural Networks*，CVPR 2019，表 6 和图 3。
#   <https://arxiv.org/abs/1812.01187>
# - Loshchilov、Hutter，*SGDR: Stochastic Gradient Descent with Warm Restarts*，ICLR 2017。<https://arxiv.org/abs/1608.03983>
# - Hu 等，*MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training Strategies*（2024），WSD 调度。
#   <https://arxiv.org/abs/2404.06395>
# - Hägele 等，*Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations*，NeurIPS 2024。
#   <https://arxiv.org/abs/2405.18392>
# - Bouthillier 等，*Accounting for Variance in Machine Learning Benchmarks*，MLSys 2021：种子之间的波动有多大、该怎么报告。
#   <https://arxiv.org/abs/2103.03098>
# - scikit-learn 文档：`load_digits`。<https://scikit-learn.org/stable/modules/generated/sklearn.datasets.load_digits.html>
# - lrlib 文档：`help(xp.compare_runs)`、`help(xp.nqm_expected_loss)`、`help(lrlib.wsd)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - Fix the rules before comparing schedules: the same peak, the same budget, the same seeds. Even at
#   the same peak, the mean learning rate can differ almost twofold.
# - **Decaying or not is a large effect**: 3.4× to 4.5× on the noisy quadratic model; on the digits,
#   every decaying seed beats every constant seed in training loss and in test accuracy.
# - **The shape of the decay is a small effect, and its ranking depends on the problem**: on the
#   quadratic cosine is best (the shapes span at most 1.33×); on the digits step decay and WSD reach a
#   slightly lower training loss (by 7 % at most), and test accuracy cannot tell them apart.
# - Write the decision rule down first and know its false-alarm rate: 0.79 % for 5 seeds against 5,
#   10 % for 3 against 3, 33 % for 2 against 2, for independent results; with paired seeds it depends on
#   their correlation, up to 6.25 % for 5 against 5. The more comparisons, the more false alarms.
# - Step decay's sudden drop brings a sudden drop in loss; cosine annealing is good only at its own
#   end, and when you don't know how long you will train, use WSD.
# - Small experiments reproduce the papers' **directions** (decay is needed, cooldown length matters,
#   the horizon problem, read warm restarts at cycle ends), not small gaps such as 0.75 points on
#   ImageNet: those need a larger test set and more seeds.
#
# ## Further reading
#
# - Zhang et al., *Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy
#   Quadratic Model*, NeurIPS 2019: experiment A's model. <https://arxiv.org/abs/1907.04164>
# - He et al., *Bag of Tricks for Image Classification with Convolutional Neural Networks*, CVPR 2019,
#   Table 6 and Fig. 3. <https://arxiv.org/abs/1812.01187>
# - Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017.
#   <https://arxiv.org/abs/1608.03983>
# - Hu et al., *MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training
#   Strategies* (2024): the WSD schedule. <https://arxiv.org/abs/2404.06395>
# - Hägele et al., *Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations*,
#   NeurIPS 2024. <https://arxiv.org/abs/2405.18392>
# - Bouthillier et al., *Accounting for Variance in Machine Learning Benchmarks*, MLSys 2021: how large
#   seed-to-seed variation is and how to report it. <https://arxiv.org/abs/2103.03098>
# - scikit-learn documentation: `load_digits`.
#   <https://scikit-learn.org/stable/modules/generated/sklearn.datasets.load_digits.html>
# - lrlib's documentation: `help(xp.compare_runs)`, `help(xp.nqm_expected_loss)`, `help(lrlib.wsd)`.

# %%
# Drive the explorer from code, so that a broken callback fails the tests.
cmp_controls["metric"].value = "train_loss"
cmp_controls["n"].value = 5
cmp_controls["a"].value, cmp_controls["b"].value = "constant", "cosine"
assert np.array_equal(lines_a[4].get_ydata(), runs["constant"]["train_loss"][4])
assert np.array_equal(lines_b[0].get_ydata(), runs["cosine"]["train_loss"][0])
assert t("l07_better", who=name("cosine")) in cmp_readout.value
cmp_controls["a"].value = "step"                      # step vs cosine: separated on training loss ...
assert t("l07_better", who=name("step")) in cmp_readout.value
cmp_controls["metric"].value = "test_accuracy"        # ... but not on test accuracy
assert t("l07_within_noise") in cmp_readout.value
assert np.array_equal(lines_a[2].get_ydata(), runs["step"]["test_accuracy"][2])
cmp_controls["n"].value = 2                           # two seeds: the unused lines are hidden
assert np.isnan(lines_a[2].get_ydata()).all() and "33.3%" in cmp_readout.value
cmp_controls["a"].value, cmp_controls["metric"].value = "yolo", "train_loss"   # cosine vs YOLO, 2 seeds:
assert t("l07_better", who=name("yolo")) in cmp_readout.value                  # "different" by luck ...
cmp_controls["n"].value = 5
assert t("l07_within_noise") in cmp_readout.value                              # ... within noise with 5
cmp_controls["b"].value = "yolo"
assert t("l07_same") in cmp_readout.value
assert cmp_image.value[:4] == b"\x89PNG"
assert reset_all() >= 1   # every explorer back where the text above expects it
