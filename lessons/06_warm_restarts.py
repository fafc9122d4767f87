# %% [markdown] tags=["lang-zh"]
# # 弄懂热重启（SGDR）：学习率何时跳回去，什么被留了下来
#
# 有些训练日志里，学习率降到接近 0 之后会突然跳回最高点，然后再降一遍。这种做法叫**热重启**，
# 出自 Loshchilov 和 Hutter 的 SGDR（ICLR 2017）。它常和余弦退火混为一谈，关于它的说法也不少是错的：
# “每轮都重启”“重启会把模型重置”。这一课用计算把它拆开来看：什么时候重启，重启时到底变了什么，
# 它和普通的余弦退火差在哪，又在什么情况下值得用。
#
# ## 你将学到
#
# - 写出热重启的闭式公式：给定轮数 t，算出它落在第几个**周期**、周期内走到了哪里（T_cur 和 T_i）；
# - 算出重启发生在哪些轮：首个周期长 T0、**周期倍增系数**为 m 时，第 k 次重启在 T0·(mᵏ − 1)/(m − 1)；
#   T0 = 1、m = 2 时是第 1、3、7、15、31 轮，而不是“每轮一次”；
# - 说清“热”字指什么：权重和动量都保留，只有学习率跳回去；再用带动量的 SGD 比较热重启和冷重启（重新初始化）；
# - 在带噪声的二次模型上检验 SGDR 的“随时可用”（anytime）性质，也实事求是地看看它在训练末尾要付出什么代价；
# - 在 PyTorch 里用 `CosineAnnealingWarmRestarts`，弄清 `T_0`、`T_mult`、`eta_min` 和 `step(epoch + i/iters)`。
#
# ## 你需要
#
# - 第 01 课（噪声地板）和第 03 课（余弦退火）；知道动量 SGD 每一步做什么；
# - 大约 30 分钟。笔记本在 CPU 上半分钟以内就能跑完；装了 PyTorch 会多一节对比，没装也能完整运行。

# %% [markdown] tags=["lang-en"]
# # Work out warm restarts (SGDR): when the learning rate jumps back, and what is kept
#
# In some training logs the learning rate falls to almost 0 and then suddenly jumps back to the top,
# only to fall again. This is a **warm restart**, from Loshchilov and Hutter's SGDR (ICLR 2017). It is
# often mixed up with cosine annealing, and several things said about it are wrong: "it restarts every
# epoch", "a restart resets the model". This lesson takes it apart with computations: when the restarts
# happen, what actually changes at one, how it differs from plain cosine annealing, and when it is
# worth using.
#
# ## What you'll learn
#
# - write the closed form of warm restarts: for an epoch t, which **cycle** it falls in and how far into
#   that cycle it is (T_cur and T_i);
# - compute where the restarts fall: with a first cycle of T0 epochs and a **cycle multiplier** m, the k-th
#   restart is at T0·(mᵏ − 1)/(m − 1); for T0 = 1, m = 2 that is epochs 1, 3, 7, 15, 31, not "every epoch";
# - say what "warm" means (the weights and the momentum are kept, only the learning rate jumps) and
#   compare a warm restart with a cold one (re-initialised) using SGD with momentum;
# - test SGDR's "anytime" property on the noisy quadratic model, and look honestly at what it costs at the
#   end of training;
# - use PyTorch's `CosineAnnealingWarmRestarts`: `T_0`, `T_mult`, `eta_min` and `step(epoch + i/iters)`.
#
# ## What you'll need
#
# - lesson 01 (the noise floor) and lesson 03 (cosine annealing); what one step of SGD with momentum does;
# - about 30 minutes. The notebook runs in well under 30 seconds on a CPU; with PyTorch installed you get
#   one more comparison, and without it everything else still runs.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from lrcourse import exercises as ex
from lrcourse.experiments import nqm_expected_loss, nqm_sampled_loss
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.explorers import WarmRestartsExplorer, reset_all

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 画出热重启和普通余弦退火
#
# 普通的余弦退火只有**一段**半个余弦：学习率在 T 轮里从峰值 η_max 平滑地降到 η_min，之后不再回升。
# 热重启把训练切成若干个周期，每个周期内部都是这样一段余弦，周期一结束学习率就跳回峰值，开始下一段。
# 两个参数决定周期怎么排：
#
# - **T0**：第一个周期有多少轮；
# - **T_mult**（周期倍增系数，下文记作 m）：每个周期比上一个长多少倍。m = 1 时所有周期一样长。
#
# 在 lrlib 里分别是 `lrlib.cosine_decay(peak_lr, decay_steps)` 和
# `lrlib.warm_restarts(peak_lr, first_cycle_steps, cycle_mult)`。下图用 SGDR 论文的峰值 0.05，
# 画出 31 轮的余弦退火，以及 T0 = 1、m = 2 的热重启。学习率每次迭代都更新（每轮 50 次迭代），
# 所以横轴是带小数的轮数。

# %% [markdown] tags=["lang-en"]
# ## Draw warm restarts next to plain cosine annealing
#
# Plain cosine annealing is **one** half-cosine: over T epochs the learning rate glides from the peak
# η_max down to η_min, and it never comes back up. Warm restarts cut training into cycles; inside each
# cycle the learning rate follows such a half-cosine, and when the cycle ends it jumps back to the peak
# and the next one begins. Two numbers lay out the cycles:
#
# - **T0**: how many epochs the first cycle lasts;
# - **T_mult** (the cycle multiplier, m below): how many times longer each cycle is than the one before.
#   With m = 1 every cycle has the same length.
#
# In lrlib these are `lrlib.cosine_decay(peak_lr, decay_steps)` and
# `lrlib.warm_restarts(peak_lr, first_cycle_steps, cycle_mult)`. The figure uses the SGDR paper's peak of
# 0.05 and shows 31 epochs of cosine annealing, and warm restarts with T0 = 1, m = 2. The learning rate is
# updated every iteration (50 per epoch), so the x-axis is in fractional epochs.

# %%
peak = 0.05
ipe = 50                                   # iterations per epoch
x = lrlib.fractional_epochs(40, ipe)       # 0, 0.02, 0.04, ... 39.98
cosine = lrlib.cosine_decay(peak, decay_steps=31)
sgdr = lrlib.warm_restarts(peak, first_cycle_steps=1, cycle_mult=2)
restarts_at = [ev.step for ev in sgdr.events if ev.kind == "restart" and ev.step < 40]

fig, ax = plt.subplots(figsize=(7.5, 3.0))
ax.plot(x, cosine(x), lw=1.5, label=plot_text("l06_cosine_only", T=31))
ax.plot(x, sgdr(x), lw=1.0, label=plot_text("l06_sgdr", t0=1, m=2))
for k, step in enumerate(restarts_at):
    ax.axvline(step, ymax=0.8, color="gray", ls=":", lw=0.8, label=plot_text("l06_restart_marks") if k == 0 else None)
ax.set(xlabel=plot_text("axis_epoch"), ylabel=plot_text("learning_rate"), xlim=(0, 40), ylim=(-0.002, 0.068))
ax.legend(fontsize=8, loc="upper center", ncol=3)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 蓝线（余弦退火）一路向下，到第 31 轮降到 0 并停在那里；橙线（热重启）每到虚线处就跳回 0.05。
# 虚线越来越稀：周期长度是 1、2、4、8、16 轮……这正是 m = 2 的效果。
#
# ## 推导闭式：第几个周期，周期内走到哪
#
# 设第 i 个周期（从 0 数起）长 T_i = T0·mⁱ 轮。它之前所有周期的总长，也就是它开始的那一轮，是一个等比数列的和：
#
# S_i = T0 + T0·m + … + T0·mⁱ⁻¹ = T0·(mⁱ − 1)/(m − 1)　（m = 1 时 S_i = i·T0）
#
# 所以**第 k 次重启就发生在第 S_k 轮**。给定轮数 t，先找出满足 S_i ≤ t < S_(i+1) 的 i，
# 解不等式得 i = ⌊log_m(t·(m − 1)/T0 + 1)⌋；再算周期内已经走过的轮数 T_cur = t − S_i。学习率就是
#
# η(t) = η_min + ½·(η_max − η_min)·(1 + cos(π·T_cur/T_i))
#
# 这里 T_cur 和 T_i 沿用 SGDR 论文和 PyTorch 的记号。下面把公式写成函数，在几组参数下和 lrlib 逐点比较。
# 注意对数那一步：浮点数会把 log₃243 算成 4.999…，向下取整就差了一个周期，正好错在重启的那一刻，
# 所以函数里要再核对一次 S_i ≤ t < S_(i+1)。

# %% [markdown] tags=["lang-en"]
# The blue line (cosine annealing) only goes down, reaches 0 at epoch 31 and stays there; the orange one
# (warm restarts) jumps back to 0.05 at each dotted line. The dotted lines spread out: the cycles last 1,
# 2, 4, 8, 16 epochs, ... which is what m = 2 does.
#
# ## Derive the closed form: which cycle, and how far into it
#
# Let cycle i (counting from 0) last T_i = T0·mⁱ epochs. Where it starts is the total length of the
# cycles before it, a geometric sum:
#
# S_i = T0 + T0·m + … + T0·mⁱ⁻¹ = T0·(mⁱ − 1)/(m − 1)   (S_i = i·T0 when m = 1)
#
# So **the k-th restart happens at epoch S_k**. For an epoch t, find the i with S_i ≤ t < S_(i+1); solving
# the inequality gives i = ⌊log_m(t·(m − 1)/T0 + 1)⌋. The epochs already spent in this cycle are
# T_cur = t − S_i, and the learning rate is
#
# η(t) = η_min + ½·(η_max − η_min)·(1 + cos(π·T_cur/T_i))
#
# (T_cur and T_i are the names used by the SGDR paper and by PyTorch.) Below, the formula becomes a
# function, compared point by point with lrlib for several settings. Mind the logarithm: in floating point,
# log₃243 comes out as 4.999…, and rounding down then lands one cycle early, exactly at the moment of a
# restart. The function therefore checks S_i ≤ t < S_(i+1) once more.

# %%
def cycle_start(i, T0, m):
    """S_i: the epoch at which cycle i (from 0) starts, i.e. where restart number i happens."""
    return i * T0 if m == 1 else T0 * (m**i - 1) / (m - 1)


def sgdr_closed_form(t, peak_lr, T0, m, end_lr=0.0):
    """The SGDR learning rate at (fractional) epoch t, plus the cycle index i, T_cur and T_i."""
    t = np.asarray(t, dtype=float)
    if m == 1:
        i = np.floor(t / T0)
    else:
        i = np.floor(np.log(t * (m - 1) / T0 + 1) / np.log(m))
        i = np.where(cycle_start(i + 1, T0, m) <= t, i + 1, i)   # the log rounded down at a restart
        i = np.where(cycle_start(i, T0, m) > t, i - 1, i)        # ... or up just before one
    T_cur, T_i = t - cycle_start(i, T0, m), T0 * m**i
    lr = end_lr + 0.5 * (peak_lr - end_lr) * (1 + np.cos(np.pi * T_cur / T_i))
    return lr, i, T_cur, T_i


grid = lrlib.fractional_epochs(300, 20)
for T0, m in ((1, 2), (10, 2), (10, 1), (50, 1), (1, 3), (2, 1.5)):
    mine, *_ = sgdr_closed_form(grid, 0.05, T0, m, end_lr=0.001)
    assert np.allclose(mine, lrlib.warm_restarts(0.05, T0, m, end_lr=0.001)(grid), rtol=0, atol=1e-12), (T0, m)

naive = math.floor(math.log(121 * (3 - 1) / 1 + 1) / math.log(3))   # epoch 121 starts cycle 5 when T0 = 1, m = 3
lr_121, i_121, cur_121, len_121 = sgdr_closed_form(121.0, 1.0, 1, 3)
print(t("l06_log_round", log=math.log(243) / math.log(3), naive=naive, fixed=int(i_121), cur=float(cur_121),
        len=float(len_121), lr=float(lr_121)))
assert naive == 4 and i_121 == 5 and cur_121 == 0 and len_121 == 243 and lr_121 == 1.0

# %% [markdown] tags=["lang-zh"]
# 公式和 lrlib 在六组参数、每组 6000 个点上都一致（误差在 10⁻¹² 以内）。lrlib 不取对数，
# 而是把周期长度一个个加起来，所以没有这个舍入问题。
#
# 再从曲线本身把重启找出来：在一个周期里余弦只降不升，所以学习率**上升**的地方就是重启。
# 把找到的位置和公式 T0·(mᵏ − 1)/(m − 1)、以及 lrlib 记录在 `schedule.events` 里的重启放在一起比：

# %% [markdown] tags=["lang-en"]
# The formula and lrlib agree on six settings, 6000 points each, to within 10⁻¹². lrlib takes no
# logarithm: it adds up the cycle lengths one by one, so it has no such rounding problem.
#
# Now find the restarts on the curve itself. Inside a cycle the cosine only goes down, so wherever the
# learning rate goes **up** is a restart. Compare what that finds with the formula T0·(mᵏ − 1)/(m − 1)
# and with the restarts lrlib records in `schedule.events`:

# %%
def restarts_on_curve(schedule, epochs, ipe=100):
    """The epochs where the learning rate goes up: the restarts, read off the curve."""
    xs = lrlib.fractional_epochs(epochs, ipe)
    ys = schedule(xs)
    return xs[1:][np.diff(ys) > 0]


found = {}
for T0, m, epochs in ((1, 2, 40), (10, 2, 200), (10, 1, 60), (3, 1, 20)):
    s = lrlib.warm_restarts(peak, T0, m)
    found[T0, m] = restarts_on_curve(s, epochs)
    formula = [cycle_start(k, T0, m) for k in range(1, 40) if cycle_start(k, T0, m) < epochs]
    print(t("l06_restarts_row", t0=T0, m=m, found=[float(v) for v in found[T0, m]], formula=formula))
    assert np.allclose(found[T0, m], formula)
    assert np.allclose(found[T0, m], [ev.step for ev in s.events if ev.kind == "restart" and ev.step < epochs])

assert found[1, 2].tolist() == [1, 3, 7, 15, 31]          # T0 = 1, m = 2
assert found[10, 2].tolist() == [10, 30, 70, 150]
assert found[10, 1].tolist() == [10, 20, 30, 40, 50]      # m = 1: every T0 epochs
assert found[3, 1].tolist() == [3, 6, 9, 12, 15, 18]

# %% [markdown] tags=["lang-zh"]
# 三种方法给出同样的位置：T0 = 1、m = 2 时重启在第 1、3、7、15、31 轮；T0 = 10、m = 2 时在第 10、30、70、150 轮；
# m = 1 时每 T0 轮一次。
#
# ## 对照普通余弦退火，戳穿“每轮都重启”
#
# 网上常见这样的说法：
#
# > “余弦退火就是热重启，学习率会周期性地重启。”
#
# > “用了余弦退火，学习率每轮都会重启一次。”
#
# 两句都不对。余弦退火只有一段半余弦，从头到尾不回升；重启是 SGDR 额外加上的，可用可不用。
# 就算用了重启，论文四组设置里重启最密的一组（T0 = 1、m = 2）在 40 轮里也只重启 5 次，而不是 39 次。
# “每轮都重启”只在 T0 = 1、m = 1 时才成立，而 SGDR 论文的四组设置里没有这一组（见下一节）。
# 下面数一数 40 轮里学习率回升了几次：

# %% [markdown] tags=["lang-en"]
# All three agree: with T0 = 1, m = 2 the restarts are at epochs 1, 3, 7, 15, 31; with T0 = 10, m = 2 at
# epochs 10, 30, 70, 150; with m = 1 every T0 epochs.
#
# ## Tell it apart from plain cosine annealing
#
# You will meet claims like these:
#
# > "Cosine annealing is the same thing as warm restarts: the learning rate restarts periodically."
#
# > "With cosine annealing the learning rate restarts every epoch."
#
# Both are wrong. Cosine annealing is a single half-cosine that never goes back up; restarts are SGDR's
# add-on, which you may or may not use. Even with them, the paper's densest setting, T0 = 1 and m = 2,
# restarts 5 times in 40 epochs, not 39 times. "Every epoch" needs T0 = 1 and m = 1, which is not one of
# the SGDR paper's four settings (next section). Count how often the learning rate goes up in 40 epochs:

# %%
every_epoch = lrlib.warm_restarts(peak, 1, 1)
rises = {name: len(restarts_on_curve(s, 40)) for name, s in
         (("cos", lrlib.cosine_decay(peak, 40)), ("sgdr", sgdr), ("every", every_epoch))}
print(t("l06_rises", **rises))
assert rises == {"cos": 0, "sgdr": 5, "every": 39}
assert np.all(np.diff(lrlib.cosine_decay(peak, 40)(x)) <= 0)   # cosine annealing never goes up

# %% [markdown] tags=["lang-zh"]
# 还有一个和“每轮”有关的坑：学习率多久更新一次。SGDR 的代码**每个小批量**都更新学习率。
# 如果每轮只更新一次，T0 = 1 的第一个周期就只剩一个点：第 0 轮用峰值，第 1 轮已经是重启后的峰值，
# 中间那段余弦根本没出现；第二个周期也只有峰值和一半峰值两个点。

# %% [markdown] tags=["lang-en"]
# There is another trap hiding in "every epoch": how often the learning rate is updated. SGDR's code
# updates it at **every minibatch**. Update it once per epoch and the first cycle of T0 = 1 shrinks to a
# single point: epoch 0 uses the peak, epoch 1 is already the peak after the restart, and the half-cosine
# in between never happens; the second cycle gets just two points, the peak and half of it.

# %%
per_epoch = sgdr(np.arange(8)) / peak
print(t("l06_per_epoch", values=np.round(per_epoch, 3).tolist()))
assert np.allclose(per_epoch[:4], [1, 1, 0.5, 1]) and per_epoch[7] == 1.0

# %% [markdown] tags=["lang-zh"]
# ### 自己拖一拖
#
# **先预测：** 峰值 0.05，T0 = 10，T_mult = 2，训练 200 轮：重启会发生在哪几轮？把 T_mult 调成 1，
# 200 轮里会重启几次？再把“峰值衰减系数”设为 0.5（每次重启后峰值乘 0.5，timm 里叫 `cycle_decay`；
# SGDR 论文的实验里峰值始终不变），第三次重启后的峰值是多少？先写下答案，再拖动滑块验证。
#
# 探索器每次做的就是这几步：
# `s = lrlib.warm_restarts(peak_lr, first_cycle_epochs, cycle_mult, peak_decay, end_lr=min_lr)`，
# `x = lrlib.fractional_epochs(total_epochs, 10)`（每轮 10 次迭代），画 `s(x)`，
# 并在图下列出 `s.events` 里的重启。

# %% [markdown] tags=["lang-en"]
# ### Try it yourself
#
# **Predict first:** peak 0.05, T0 = 10, T_mult = 2, 200 epochs of training: at which epochs are the
# restarts? Set T_mult to 1: how many restarts in 200 epochs? Then set "peak decay" to 0.5 (each restart's
# peak is half the previous one; timm calls this `cycle_decay`, while the SGDR paper's experiments keep the
# peak fixed): what is the peak after the third restart? Write your answers down, then move the sliders.
#
# Each time, the explorer does this:
# `s = lrlib.warm_restarts(peak_lr, first_cycle_epochs, cycle_mult, peak_decay, end_lr=min_lr)`,
# `x = lrlib.fractional_epochs(total_epochs, 10)` (10 iterations per epoch), plots `s(x)`, and lists the
# restarts from `s.events` below the plot.

# %%
wr = WarmRestartsExplorer(peak_lr=0.05, min_lr=0.0001, first_cycle_epochs=10, cycle_mult=2.0,
                          total_epochs=200, iters_per_epoch=10)
wr

# %% [markdown] tags=["lang-zh"]
# 答案：重启在第 10、30、70、150 轮；T_mult = 1 时每 10 轮一次，200 轮里共 19 次；
# 峰值衰减 0.5 时，第三次重启后的峰值是 0.05 × 0.5³ = 0.00625。

# %% [markdown] tags=["lang-en"]
# Answers: restarts at epochs 10, 30, 70 and 150; with T_mult = 1, one every 10 epochs, 19 in 200 epochs;
# with a peak decay of 0.5, the peak after the third restart is 0.05 × 0.5³ = 0.00625.

# %%
assert [ev.step for ev in lrlib.warm_restarts(0.05, 10, 2).events if ev.step < 200] == [10, 30, 70, 150]
assert len([ev for ev in lrlib.warm_restarts(0.05, 10, 1).events if ev.step < 200]) == 19
assert math.isclose(lrlib.warm_restarts(0.05, 10, 2, peak_decay=0.5, end_lr=0.0001)(70), 0.05 * 0.5**3)

# %% [markdown] tags=["lang-zh"]
# ## 看看 SGDR 论文自己用的设置
#
# 论文在 CIFAR-10/100 上训练宽残差网络（WRN），总共 200 轮，η_max = 0.05，η_min = 0，每个小批量更新一次学习率，
# 试了四组设置：(T0 = 50, m = 1)、(100, 1)、(1, 2)、(10, 2)。对照组是阶梯衰减：从 0.1 或 0.05 出发，
# 在第 60、120、160 轮各乘 0.2。论文报告的结果：T0 = 10、m = 2 时，单个 WRN-28-20 的测试误差是 3.74%（CIFAR-10）
# 和 18.70%（CIFAR-100），各取两次运行的中位数；把 WRN-28-10 的多个快照集成起来，是 3.14% 和 16.21%。
# 这些是论文在 GPU 上的数字，我们跑不了，但可以算清楚每组设置的重启落在哪里：

# %% [markdown] tags=["lang-en"]
# ## Look at the SGDR paper's own settings
#
# The paper trains wide residual networks (WRN) on CIFAR-10/100 for 200 epochs, with η_max = 0.05 and
# η_min = 0, updating the learning rate at every minibatch, and tries four settings: (T0 = 50, m = 1),
# (100, 1), (1, 2) and (10, 2). The baseline is step decay: start at 0.1 or 0.05 and multiply by 0.2 at
# epochs 60, 120 and 160. What the paper reports: with T0 = 10, m = 2, a single WRN-28-20 reaches 3.74 %
# test error on CIFAR-10 and 18.70 % on CIFAR-100 (each the median of two runs), and an ensemble of
# WRN-28-10 snapshots reaches 3.14 % and 16.21 %. Those are GPU numbers we
# cannot rerun here, but we can work out where each setting's restarts fall:

# %%
paper_settings = ((50, 1), (100, 1), (1, 2), (10, 2))
last_end, at_200, n_restarts = {}, {}, {}
for T0, m in paper_settings:
    s = lrlib.warm_restarts(0.05, T0, m)
    ends = [cycle_start(k, T0, m) for k in range(1, 201) if cycle_start(k, T0, m) <= 200]
    restarts = [e for e in ends if e < 200]
    assert np.allclose(restarts_on_curve(s, 200), restarts)      # the same restarts, read off the curve
    last_end[T0, m], at_200[T0, m], n_restarts[T0, m] = ends[-1], s(200) / 0.05, len(restarts)
    print(t("l06_paper_row", t0=T0, m=m, restarts=restarts, last=last_end[T0, m], frac=at_200[T0, m]))

assert last_end == {(50, 1): 200, (100, 1): 200, (1, 2): 127, (10, 2): 150}
assert at_200[50, 1] == 1.0 and at_200[100, 1] == 1.0          # epoch 200 is a cycle end (a new peak would start)
assert round(at_200[1, 2], 2) == 0.39 and round(at_200[10, 2], 2) == 0.78  # the m = 2 runs are mid-cycle
assert max(n_restarts, key=n_restarts.get) == (1, 2)           # the paper's densest setting (used above)

# %% [markdown] tags=["lang-zh"]
# 表里有一个容易忽略的地方：m = 2 的两组在第 200 轮都处在某个周期的**中间**，学习率分别还有峰值的 39% 和 78%。
# 它们最后一个完整的周期分别结束在第 127 轮和第 150 轮——学习率降到 η_min 的地方。
# 用热重启时，训练应当在某个周期结束时停下，快照也要在周期末尾取，原因在下面的实验里就能看到。
#
# ## 看清“热”字：权重和动量都保留
#
# 另一个常见误解：
#
# > “热重启会把模型和优化器重置，相当于重新开始训练。”
#
# 恰恰相反。“热”的意思是从**当前**的权重接着训练；SGDR 的代码在重启时只改了学习率这一个数，
# 动量缓冲区照常延续。真把权重重新初始化，那是“冷”重启。
#
# 在一个带噪声的二次函数上比较两者：500 个参数，曲率从 0.003 到 1 不等，梯度噪声 σ = 0.3，
# 带动量（β = 0.9）的 SGD，学习率是 T0 = 100 步、m = 1 的热重启（峰值 0.05），所以第 100 步重启。
#
# - **热重启**：什么都不动，只让学习率跳回峰值；
# - **冷重启**：在第 100 步把权重恢复成初始值，动量清零。
#
# 同一个种子下，两者用的噪声完全相同；一共 5 个种子。实线是平均值，阴影覆盖从最低到最高的范围。

# %% [markdown] tags=["lang-en"]
# One detail in that table is easy to miss: the two m = 2 settings are **in the middle** of a cycle at
# epoch 200, with the learning rate still at 39 % and 78 % of the peak. Their last complete cycles end at epochs 127 and 150, where the learning rate reaches η_min.
# With warm restarts, stop training at the end of a cycle, and take snapshots at the ends of cycles; the
# experiments below show why.
#
# ## Check what "warm" keeps: the weights and the momentum
#
# Another common claim:
#
# > "A warm restart resets the model and the optimizer; it is like starting training over."
#
# It is the opposite. "Warm" means training continues from the **current** weights. At a restart, SGDR's
# code changes one number, the learning rate; the momentum buffers carry on. Re-initialising the weights
# would be a "cold" restart.
#
# Compare the two on a noisy quadratic: 500 parameters with curvatures from 0.003 to 1, gradient noise
# σ = 0.3, SGD with momentum (β = 0.9), and a learning rate from warm restarts with T0 = 100 steps, m = 1
# and a peak of 0.05, so the restart comes at step 100.
#
# - **warm restart**: touch nothing, the learning rate just jumps back to the peak;
# - **cold restart**: at step 100 put the weights back to their initial values and zero the momentum.
#
# For each seed both runs see exactly the same noise; there are 5 seeds. Lines are the mean, shading
# spans the lowest to the highest run.

# %%
n_params, beta, noise_sd, x_init = 500, 0.9, 0.3, 2.0
curv = np.geomspace(0.003, 1.0, n_params)
restart_step, n_steps = 100, 200
SEEDS = range(5)
lrs = lrlib.warm_restarts(0.05, first_cycle_steps=restart_step, cycle_mult=1)(np.arange(n_steps))


def quad_loss(w):
    return 0.5 * np.mean(curv * w * w)


def momentum_sgd(seed, restart):
    """Loss after each step of SGD with momentum; at restart_step the lr jumps back to its peak and,
    for a "cold" restart, the weights and the momentum buffer are re-initialised too."""
    rng = np.random.default_rng(seed)
    w, buf = np.full(n_params, x_init), np.zeros(n_params)
    losses = [quad_loss(w)]
    for k, lr in enumerate(lrs):
        if k == restart_step and restart == "cold":
            w, buf = np.full(n_params, x_init), np.zeros(n_params)
        grad = curv * w + noise_sd * rng.standard_normal(n_params)
        buf = beta * buf + grad          # the momentum buffer (PyTorch's form)
        w = w - lr * buf
        losses.append(quad_loss(w))
    return np.array(losses)


runs = {kind: np.array([momentum_sgd(seed, kind) for seed in SEEDS]) for kind in ("warm", "cold")}

fig, ax = plt.subplots(figsize=(7.5, 3.0))
for kind in ("warm", "cold"):
    r = runs[kind]
    (line,) = ax.semilogy(r.mean(axis=0), lw=1.2, label=plot_text(f"l06_{kind}"))
    ax.fill_between(np.arange(n_steps + 1), r.min(axis=0), r.max(axis=0), color=line.get_color(), alpha=0.25)
ax.axvline(restart_step, color="gray", ls=":", lw=0.8, label=plot_text("l06_restart_here", k=restart_step))
ax.set(xlabel=plot_text("step"), ylabel=plot_text("loss"))
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

initial = runs["warm"][0, 0]
summary = {}
for kind in ("warm", "cold"):
    r = runs[kind]
    summary[kind] = dict(pre=r[:, restart_step], after=r[:, restart_step + 1:restart_step + 11].max(axis=1),
                         final=r[:, -1])
    print(t("l06_warm_cold_row", name=t(f"l06_{kind}"), pre=r[:, restart_step].mean(),
            after=summary[kind]["after"].mean(), end=n_steps, final=r[:, -1].mean(), sd=r[:, -1].std(ddof=1)))
print(t("l06_initial_loss", loss=initial))

# %% [markdown] tags=["lang-zh"]
# 读图：重启前两条线完全重合（同样的噪声、同样的学习率）。重启之后，热重启的损失几乎没动：
# 学习率跳回峰值只让它在重启后的 10 步内比重启前高出不到一半，仍不到起点损失的二十分之一；
# 冷重启则一下子回到起点附近，要再花一整个周期往下走，到这个周期结束才回到热重启在重启前的水平。
# 到第 200 步，5 个种子里热重启每一个都比冷重启低，
# 差距是它在种子之间波动幅度的 3 倍以上。（在这个简单的二次函数上，冷重启追得比较快，差距不算大；
# 在真实网络上，重新初始化意味着之前学到的东西全部作废。）

# %% [markdown] tags=["lang-en"]
# Reading the plot: before the restart the two lines coincide (same noise, same learning rate). After it,
# the warm run barely moves: the jump back to the peak learning rate leaves its loss, over the next 10
# steps, less than half again above its level before the restart, and still more than 20 times below the
# starting loss. The cold run goes straight back to about where it started and needs a whole cycle to come
# down again: only at the end of that cycle is it back where the warm run was before the restart. At step
# 200 the warm run is lower than the cold one on every one of the 5 seeds, and the
# gap is more than 3 times its own spread across seeds. (On this simple quadratic the cold run catches up fairly fast, so
# the gap is modest; in a real network, re-initialising throws away everything learned so far.)

# %%
warm, cold = summary["warm"], summary["cold"]
assert np.allclose(runs["warm"][:, :restart_step + 1], runs["cold"][:, :restart_step + 1])  # identical until the restart
assert np.all(warm["after"] < 1.5 * warm["pre"])          # warm: stays near its pre-restart level ...
assert np.all(warm["after"] < initial / 20)               # ... dozens of times below the start
assert np.all(cold["after"] > 0.8 * initial)              # cold: back to about the initial loss ...
assert abs(cold["final"].mean() / warm["pre"].mean() - 1) < 0.1   # ... and a whole cycle to get back down
gain = cold["final"] - warm["final"]                      # paired by seed
assert np.all(gain > 0) and gain.mean() > 3 * gain.std(ddof=1)

# %% [markdown] tags=["lang-zh"]
# ## 在带噪声的二次模型上测一测“随时可用”
#
# SGDR 论文的出发点是**随时可用**（anytime）：训练随时可能被叫停，而每个周期的末尾学习率都降到了最低，
# 那一刻的模型就是一个不错的快照，不必像只有一段的余弦退火那样等到最后。那么代价是什么？
# 我们用带噪声的二次模型（NQM，Zhang 等人 2019；第 01 课用过它最简单的形式）来算。这里取 100 个方向，
# 曲率 hᵢ = 1/i，批量大小 8，算的是**精确的期望损失**，所以这一部分没有随机波动。比较三种做法，
# 总预算都是 1500 步，峰值都是 1.0：
#
# - **SGDR**，T0 = 100，m = 2：周期结束在第 100、300、700、1500 步，正好用完预算；
# - **余弦退火**，T = 1500：一段半余弦；
# - **阶梯衰减**：仿照论文的对照组，在预算的 30%、60%、80%（第 450、900、1200 步）各乘 0.2。
#
# 还加一个参照：假如事先就知道要在第 100（或 300、700、1500）步停下，用一段**正好在那里结束**的余弦退火能到多低。

# %% [markdown] tags=["lang-en"]
# ## Measure the "anytime" property on the noisy quadratic model
#
# SGDR's motivation is **anytime** performance: training may be stopped at any moment, and at the end of
# every cycle the learning rate is at its lowest, so the model at that moment is a decent snapshot; no need
# to wait for the very end as with a single cosine. What does it cost? We use the noisy quadratic model
# (NQM, Zhang et al. 2019; lesson 01 used its simplest form), here with 100 directions, curvatures
# hᵢ = 1/i and batch size 8, and compute the **exact expected loss**,
# so there is no randomness in this part. Three schedules, each with a budget of 1500 steps and a peak
# of 1.0:
#
# - **SGDR**, T0 = 100, m = 2: cycles end at steps 100, 300, 700 and 1500, using up the budget exactly;
# - **cosine annealing**, T = 1500: one half-cosine;
# - **step decay**, like the paper's baseline: times 0.2 at 30 %, 60 % and 80 % of the budget (steps 450,
#   900 and 1200).
#
# And one reference: had you known in advance that you would stop at step 100 (or 300, 700, 1500), how low
# would a cosine that **ends exactly there** get?

# %%
T = 1500
nqm_curv = 1.0 / np.arange(1, 101)
plans = {
    "sgdr": lrlib.warm_restarts(1.0, first_cycle_steps=100, cycle_mult=2),
    "cos": lrlib.cosine_decay(1.0, decay_steps=T),
    "step_decay": lrlib.multistep_decay(1.0, milestones=[450, 900, 1200], gamma=0.2),
}
L = dict(zip(plans, nqm_expected_loss(list(plans.values()), T, curvatures=nqm_curv)))
cycle_ends = [int(ev.step) for ev in plans["sgdr"].events if ev.step <= T]
own = {e: nqm_expected_loss(lrlib.cosine_decay(1.0, e), e, curvatures=nqm_curv)[-1] for e in cycle_ends}
assert cycle_ends == [100, 300, 700, 1500]

fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.2))
steps = np.arange(T)
labels = {"sgdr": plot_text("l06_sgdr_nqm"), "cos": plot_text("l06_cos_nqm", T=T), "step_decay": plot_text("l06_step_nqm")}
for name, s in plans.items():
    ax_lr.plot(steps, s(steps), lw=1, label=labels[name])
    ax_loss.semilogy(L[name], lw=1, label=labels[name])
ax_loss.plot(cycle_ends, [own[e] for e in cycle_ends], "k.", ms=7, label=plot_text("l06_own_cos"))
for e in cycle_ends:
    ax_loss.axvline(e, color="gray", ls=":", lw=0.7)
ax_lr.set(xlabel=plot_text("step"), ylabel=plot_text("learning_rate"))
ax_loss.set(xlabel=plot_text("step"), ylabel=plot_text("l06_expected_loss"))
ax_lr.legend(fontsize=7)
ax_loss.legend(fontsize=7)
fig.tight_layout()
plt.show()

for e in cycle_ends:
    after = f"{L['sgdr'][e + 1]:.3f}" if e < T else "—"
    print(t("l06_nqm_row", step=e, sgdr=L["sgdr"][e], after=after, cos=L["cos"][e], step_decay=L["step_decay"][e],
            own=own[e]))

# %% [markdown] tags=["lang-zh"]
# 右图的黑点是“正好在那里结束的余弦”。读数：
#
# - **周期末尾，SGDR 领先。** 在第 100、300、700 步，SGDR 的损失比另外两种都低，而且至少低 30%
#   （第 300 步只有余弦退火的四分之一左右）：另外两种这时学习率还很大，停在高高的噪声地板上。
# - **重启之后，快照就不好了。** 每次重启后一步，损失都跳高到重启前的 1.5 倍以上。所以快照只在周期末尾取。
# - **随时可用是有代价的。** 第一个周期就是一段余弦，所以第 100 步两者相同；从第二个周期起，
#   SGDR 在周期末尾都比“正好在那里结束的余弦”高出 19% 到 49%（0.044 对 0.037，0.026 对 0.019，0.017 对 0.012）。
#   到第 1500 步，SGDR 比余弦退火和阶梯衰减都高，三者之中最差：前面几个周期花在了“随时可用”上。
#
# 这些是精确的期望值。单次运行会有多大波动？用真实的带噪声 SGD 跑 5 个种子：

# %% [markdown] tags=["lang-en"]
# The black dots on the right are "a cosine that ends exactly there". What the numbers say:
#
# - **At the end of a cycle, SGDR is ahead.** At steps 100, 300 and 700, SGDR's loss is lower than both
#   other schedules, by at least 30 % (about a quarter of cosine annealing's at step 300): the others still
#   run at a large learning rate and sit on a high noise floor.
# - **Right after a restart, the snapshot is poor.** One step after each restart the loss is more than 1.5
#   times what it was before it. So take snapshots only at the ends of cycles.
# - **Anytime has a price.** The first cycle *is* a cosine that ends at step 100, so the two agree there;
#   from the second cycle on, SGDR ends each cycle 19 to 49 % above the cosine that ends exactly there
#   (0.044 against 0.037, 0.026 against 0.019, 0.017 against 0.012). At step 1500, SGDR is above both
#   cosine annealing and step decay, the worst of the three: the early cycles were spent on being ready
#   at any time.
#
# These are exact expectations. How much do single runs scatter? Run actual noisy SGD with 5 seeds:

# %%
for e in cycle_ends[:3]:
    assert L["sgdr"][e] < 0.7 * min(L["cos"][e], L["step_decay"][e])           # ahead by at least 30 %
    assert L["sgdr"][e + 1] > 1.5 * L["sgdr"][e]                                # a restart undoes the snapshot
assert L["cos"][300] / 5 < L["sgdr"][300] < L["cos"][300] / 3.5   # about a quarter
assert math.isclose(own[100], L["sgdr"][100])                                  # the first cycle is that cosine
above_own = np.array([L["sgdr"][e] / own[e] for e in cycle_ends[1:]])
assert 1.185 < above_own.min() and above_own.max() < 1.495                    # 19-49 % above a cosine ending there
for e in cycle_ends[1:]:
    assert (round(L["sgdr"][e], 3), round(own[e], 3)) in {(0.044, 0.037), (0.026, 0.019), (0.017, 0.012)}
assert L["sgdr"][T] > L["cos"][T] and L["sgdr"][T] > L["step_decay"][T]        # SGDR is last at the end

sampled = {name: nqm_sampled_loss(plans[name], T, seeds=SEEDS, curvatures=nqm_curv) for name in ("sgdr", "cos")}


def spread(v):
    return t("l06_spread", mean=v.mean(), lo=v.min(), hi=v.max())


for e in (300, T):
    print(t("l06_sampled_row", step=e, sgdr=spread(sampled["sgdr"][:, e]), cos=spread(sampled["cos"][:, e])))
assert sampled["sgdr"][:, 300].max() < sampled["cos"][:, 300].min()     # SGDR ahead at 300, on every seed
assert sampled["cos"][:, T].max() < sampled["sgdr"][:, T].min()         # cosine ahead at the end, on every seed

# %% [markdown] tags=["lang-zh"]
# 两个结论都比种子间的波动大：第 300 步每个种子的 SGDR 都低于每个种子的余弦退火，第 1500 步正好反过来。
#
# 最后要提醒一句：“周期末尾领先”并不是在哪儿都成立。上面的模型只有 100 个方向，几百步之后损失主要来自噪声，
# 所以降低学习率立刻见效。换成 1000 个方向（多了许多曲率很小、几百步还远没走到最小值的方向），
# “离最小值还有多远”占了损失的很大一部分（到第 700 步仍在三分之一以上），这时保持大学习率往前走才划算，
# SGDR 在周期末尾反而落后于余弦退火。
#
# 同一个计算还能检验另一个常见说法：
#
# > “热重启能帮模型跳出局部最优，找到全局最优。”
#
# 带噪声的二次模型只有一个最小值，根本没有什么可“跳出”的，可 SGDR 在周期末尾的领先照样出现。
# 这份领先来自噪声：把梯度噪声关掉，无论 100 个还是 1000 个方向，SGDR 在每个周期末尾都落后于余弦退火。
# 在这个模型上，好处全部来自“退火”：周期末尾学习率小，噪声地板就低。玩具模型说明不了真实网络里的情形；
# Gotmare 等人（2019，见延伸阅读）在真实网络上检验过这类解释，报告说人们常给余弦退火的那些理由在实践中得不到证据支持。
#
# 噪声占多少可以直接算：`noise_var=0` 把梯度噪声关掉，剩下的就是“距离”那一部分。
# 在第 100–700 步，100 个方向时噪声至少占余弦退火损失的 85%，1000 个方向时最多占 65%；
# 关掉噪声后，两种模型里 SGDR 在周期末尾都落后：

# %% [markdown] tags=["lang-en"]
# Both conclusions are larger than the scatter between seeds: at step 300 every SGDR run is below every
# cosine run, and at step 1500 it is the other way round.
#
# A last caveat: being "ahead at the end of a cycle" does not hold everywhere. The model above has only
# 100 directions, so after a few hundred steps its loss is mostly noise, and lowering the learning rate
# pays off at once. With 1000 directions (many more with tiny curvatures, still far from their minimum
# after hundreds of steps), much of the loss (still over a third at step 700) is distance still to
# travel; keeping the learning rate large pays, and SGDR is *behind* cosine annealing at its cycle ends.
#
# The same computation tests another common claim:
#
# > "Warm restarts help the model jump out of local minima and find the global optimum."
#
# The noisy quadratic has a single minimum, so there is nothing to jump out of, and yet SGDR's lead at
# the ends of its cycles shows up. The lead comes from the noise: switch the gradient noise off and SGDR
# is behind cosine annealing at every cycle end, with 100 directions as with 1000. On this model the whole
# benefit is annealing: a small learning rate at the end of a cycle means a low noise floor. A toy cannot
# settle what happens in real networks; Gotmare et al. (2019, in Further reading) tested such explanations
# on real networks and report that the reasons usually given for cosine annealing's success are not borne
# out in practice.
#
# How much of the loss is noise can be computed: `noise_var=0` switches the gradient noise off and leaves
# only the distance part. At steps 100–700, noise is at least 85 % of cosine annealing's loss with 100
# directions, and at most 65 % with 1000; and with the noise off, SGDR is behind at its cycle ends in both:

# %%
wide_curv = 1.0 / np.arange(1, 1001)
wide = nqm_expected_loss([plans["sgdr"], plans["cos"]], T, curvatures=wide_curv)
for e in cycle_ends[:3]:
    print(t("l06_bias_row", step=e, sgdr=wide[0, e], cos=wide[1, e]))
    assert wide[0, e] > wide[1, e]                    # SGDR behind at its cycle ends


def noise_share(curvatures):
    """The part of cosine annealing's expected loss due to gradient noise, at the first three cycle ends."""
    total = nqm_expected_loss(plans["cos"], T, curvatures=curvatures)
    distance = nqm_expected_loss(plans["cos"], T, curvatures=curvatures, noise_var=0.0)
    return np.array([1 - distance[e] / total[e] for e in cycle_ends[:3]])


share_100, share_1000 = noise_share(nqm_curv), noise_share(wide_curv)
print(t("l06_noise_share", n=100, shares=np.round(share_100, 2).tolist()))
print(t("l06_noise_share", n=1000, shares=np.round(share_1000, 2).tolist()))
assert share_100.min() >= 0.85 and share_1000.max() <= 0.65   # so distance is over a third with 1000

for n, curvatures in ((100, nqm_curv), (1000, wide_curv)):
    quiet = nqm_expected_loss([plans["sgdr"], plans["cos"]], T, curvatures=curvatures, noise_var=0.0)
    print(t("l06_noiseless_row", n=n, sgdr=", ".join(f"{quiet[0, e]:.2g}" for e in cycle_ends[:3]),
            cos=", ".join(f"{quiet[1, e]:.2g}" for e in cycle_ends[:3])))
    assert all(quiet[0, e] > quiet[1, e] for e in cycle_ends[:3])   # no noise: SGDR's lead is gone

# %% [markdown] tags=["lang-zh"]
# 所以热重启不是免费的午餐：它适合“不知道什么时候会停”或者想要多个快照做集成（Huang 等人的 Snapshot Ensembles）
# 的场合。训练预算确定时，在这个模型上，一段正好在预算末尾结束的余弦退火更好（第 1500 步是 0.012，SGDR 是 0.017）；
# 换成你自己的网络是否如此，要量过才知道。
#
# ## 在 PyTorch 里用 CosineAnnealingWarmRestarts
#
# PyTorch 的 `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0)`
# 就是本课的公式：`T_0` 是 T0（正整数），`T_mult` 是 m（必须是 ≥ 1 的**整数**；
# lrlib 的 T0 和 m 都可以取 1.5 这样的小数），`eta_min` 是 η_min（一个绝对的学习率，不是比例），
# 峰值取优化器里设的 `lr`。装了 PyTorch 时，下面的单元格会逐条核对这几点。
#
# 它有两种用法：
#
# - `scheduler.step()` 不带参数：内部计数器 T_cur 加 1。`T_0` 的单位就是你调用 `step()` 的单位：
#   每轮调用一次，`T_0` 就是轮数；每次迭代调用一次，`T_0` 就得按迭代数来算。
# - `scheduler.step(epoch + i / iters)`：直接告诉它现在是第几轮（带小数），`T_0` 仍按轮数算，
#   学习率却能在一轮之内平滑下降。这正是 SGDR 每个小批量更新一次的做法，也是 PyTorch 文档给的写法。
#   （文档的例子把它放在 `optimizer.step()` **之后**，于是每次迭代用的是为上一次迭代算的值；
#   下面把它放在之前，第 e 轮第 i 次迭代用的正好是 η(e + i/iters)。）
#
# 下面按第二种用法跑 16 轮、每轮 10 次迭代（T0 = 1，m = 2，峰值 0.05），和 lrlib 逐次比较；
# 同时记下动量缓冲区，看它在重启时是否被清零。

# %% [markdown] tags=["lang-en"]
# So warm restarts are no free lunch. They suit training that may be stopped at an unknown time, or when
# you want several snapshots for an ensemble (Huang et al.'s Snapshot Ensembles). With a fixed budget, on
# this model, one cosine that ends exactly at the end of the budget did better (0.012 against SGDR's 0.017 at
# step 1500); whether that holds for your own network is something to measure, not to assume.
#
# ## Use CosineAnnealingWarmRestarts in PyTorch
#
# PyTorch's `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0)`
# is this lesson's formula: `T_0` is T0 (a positive integer), `T_mult` is m (an **integer** ≥ 1; lrlib
# takes fractions such as 1.5 for both), `eta_min` is η_min (an absolute learning rate, not a ratio), and
# the peak is the `lr` set in the optimizer. With PyTorch installed, the cell below checks each of these.
#
# There are two ways to drive it:
#
# - `scheduler.step()` with no argument adds 1 to its counter T_cur. `T_0` is then in whatever unit you
#   call `step()` in: once per epoch and it counts epochs; once per iteration and it counts iterations.
# - `scheduler.step(epoch + i / iters)` tells it the (fractional) epoch directly: `T_0` stays in epochs,
#   and the learning rate still glides down within each epoch. This is SGDR's update at every minibatch,
#   and it is how PyTorch's documentation shows it. (The documentation's example calls it *after*
#   `optimizer.step()`, so each iteration uses the value computed for the one before; below it is called
#   before, so iteration i of epoch e uses exactly η(e + i/iters).)
#
# Below, the second way for 16 epochs of 10 iterations each (T0 = 1, m = 2, peak 0.05), compared with lrlib
# iteration by iteration; the momentum buffer is recorded too, to see whether a restart clears it.

# %%
try:
    import torch
except ImportError:  # not installed (or installed but broken): this cell is optional
    torch = None

if torch is None:
    print(t("l06_no_torch"))
else:
    weight = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([weight], lr=0.05, momentum=0.9)
    cawr = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=2, eta_min=0.0)
    iters, used, buffers = 10, [], []
    for epoch in range(16):
        for i in range(iters):
            cawr.step(epoch + i / iters)          # the learning rate for this iteration
            used.append(opt.param_groups[0]["lr"])
            weight.grad = torch.ones(3)           # a stand-in gradient
            opt.step()
            buffers.append(float(opt.state[weight]["momentum_buffer"][0]))
    frac = lrlib.fractional_epochs(16, iters)
    torch_gap = float(np.max(np.abs(np.array(used) - lrlib.warm_restarts(0.05, 1, 2)(frac))))
    print(t("l06_torch_gap", version=torch.__version__, gap=torch_gap))
    k3 = 3 * iters                                # the iteration where the restart at epoch 3 happens
    print(t("l06_torch_buffer", before=buffers[k3 - 1], after=buffers[k3]))
    assert torch_gap < 1e-12
    assert used[k3] == 0.05 and used[k3 - 1] < 0.001   # the jump back to the peak
    never_reset = (1 - 0.9 ** np.arange(1, len(buffers) + 1)) / (1 - 0.9)   # u <- 0.9 u + 1, from u = 0
    assert np.allclose(buffers, never_reset, rtol=1e-6)   # the buffer is never reset at a restart

    def fresh_sgd(lr):
        return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)

    CAWR = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts
    for bad in (dict(T_0=1, T_mult=1.5), dict(T_0=1.5, T_mult=2)):   # T_0 and T_mult must be integers
        try:
            CAWR(fresh_sgd(0.05), **bad)
            raise AssertionError(f"PyTorch accepted {bad}")
        except ValueError:
            pass
    floor = CAWR(fresh_sgd(0.05), T_0=1, eta_min=0.001)
    floor.step(0.5)                                   # eta_min is an absolute learning rate, not a ratio
    assert math.isclose(floor.get_last_lr()[0], lrlib.warm_restarts(0.05, 1, 1, end_lr=0.001)(0.5))
    doc = CAWR.step.__doc__ or ""                    # the documented loop steps the scheduler after the optimizer
    assert 0 <= doc.find("optimizer.step()") < doc.find("scheduler.step(epoch + i / iters)")

    cawr3 = CAWR(fresh_sgd(1.0), T_0=1, T_mult=3)
    cawr3.step(121.0)                                 # exactly the 5th restart for T0 = 1, m = 3
    torch_121 = cawr3.optimizer.param_groups[0]["lr"]
    print(t("l06_torch_round", torch_lr=torch_121, lrlib_lr=lrlib.warm_restarts(1.0, 1, 3)(121)))
    assert math.isclose(torch_121, 1.0) or math.isclose(torch_121, 0.0, abs_tol=1e-12)   # the peak, or eta_min
    cawr3.step(121.1)                                 # one tenth of an epoch later the two agree again
    assert math.isclose(cawr3.optimizer.param_groups[0]["lr"], lrlib.warm_restarts(1.0, 1, 3)(121.1), rel_tol=1e-9)

# %% [markdown] tags=["lang-zh"]
# 两者逐次一致；动量缓冲区在重启那一刻照样往上涨，说明调度器只动了学习率。
#
# 最后一行就是前面那个对数舍入问题在 PyTorch 里的表现：`step(epoch)` 也是用对数来算第几个周期的。
# 看看你的 PyTorch 版本在 T_mult = 3、正好第 121 轮时给出的是峰值还是 η_min。如果是 η_min，
# 那么按 `step(epoch + i/iters)` 训练时，第 121 轮的第一次迭代（i = 0 正好落在整数轮上）会用 η_min 而不是峰值。
# 对训练来说，这只是一次迭代的小毛病（单元格里核对过：到第 121.1 轮，PyTorch 又和 lrlib 一致了），
# 但足以让逐点对照闭式公式的测试失败。

# %% [markdown] tags=["lang-en"]
# They agree at every iteration, and the momentum buffer keeps growing right through the restart: the
# scheduler touched the learning rate and nothing else.
#
# The last line is the logarithm-rounding issue from earlier, as it shows up in PyTorch: `step(epoch)`
# also takes a logarithm to find the cycle. See whether your PyTorch version gives the peak or η_min at
# exactly epoch 121 with T_mult = 3. If it is η_min, then training with `step(epoch + i/iters)` gives the
# first iteration of epoch 121 (i = 0 lands exactly on the whole epoch) η_min instead of the peak: a
# one-iteration glitch as far as training goes (the cell checks that at epoch 121.1 PyTorch agrees with
# lrlib again), but enough to fail a test that compares with the closed form point by point.

# %% [markdown] tags=["lang-zh"]
# ## 动手试试
#
# **练习 1.** 写一个函数 `restart_epoch(k, T0, m)`，返回第 k 次重启（k 从 1 数起）发生在第几轮。
# m = 1 的情况也要对。

# %% [markdown] tags=["lang-en"]
# ## On your own
#
# **Exercise 1.** Write a function `restart_epoch(k, T0, m)` that returns the epoch of the k-th restart
# (counting k from 1). It must also work for m = 1.

# %% tags=["exercise"]
def restart_epoch(k, T0, m):
    ...  # your code here


restart_cases = "sealed:XV01MiAsXTUuMSAsMDEgLDJbWyAsXTYyICxdMyAsMiAsM1tbICxdMDAxICxdMSAsMDUgLDJbWyAsXTA0ICxdMSAsMDEgLDRbWyAsXTA3ICxdMiAsMDEgLDNbWyAsXTEzICxdMiAsMSAsNVtbICxdNTEgLF0yICwxICw0W1sgLF0xICxdMiAsMSAsMVtbWw=="
ex.check_function(restart_epoch, restart_cases, name="restart_epoch")

# %% tags=["solution"]
def restart_epoch(k, T0, m):
    return k * T0 if m == 1 else T0 * (m**k - 1) / (m - 1)


restart_cases = "sealed:XV01MiAsXTUuMSAsMDEgLDJbWyAsXTYyICxdMyAsMiAsM1tbICxdMDAxICxdMSAsMDUgLDJbWyAsXTA0ICxdMSAsMDEgLDRbWyAsXTA3ICxdMiAsMDEgLDNbWyAsXTEzICxdMiAsMSAsNVtbICxdNTEgLF0yICwxICw0W1sgLF0xICxdMiAsMSAsMVtbWw=="
assert ex.check_function(restart_epoch, restart_cases, name="restart_epoch")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 第 k 次重启发生在前 k 个周期都结束的时候。前 k 个周期的长度是 T0、T0·m、T0·m²……
# </details>
#
# <details><summary>提示 2</summary>
#
# 把这 k 个数加起来：这是一个等比数列的和。m = 1 时每个周期都是 T0，和就是 k·T0。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return k * T0 if m == 1 else T0 * (m**k - 1) / (m - 1)`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The k-th restart happens when the first k cycles are over. Their lengths are T0, T0·m, T0·m², ...
# </details>
#
# <details><summary>Hint 2</summary>
#
# Add those k numbers up: a geometric sum. With m = 1 every cycle is T0 long, so the sum is k·T0.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return k * T0 if m == 1 else T0 * (m**k - 1) / (m - 1)`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 写一个热重启的学习率函数 `my_sgdr(t)`（t 是带小数的轮数）：峰值 0.1，η_min = 0.001，
# T0 = 10 轮，m = 2。检查会看重启处是不是峰值、每个周期正中间是不是 (0.1 + 0.001)/2，以及所有值是否都在
# [0.001, 0.1] 之内。可以自己按公式写，也可以用 lrlib。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** Write a learning rate with warm restarts, `my_sgdr(t)` (t in fractional epochs): peak 0.1,
# η_min = 0.001, T0 = 10 epochs, m = 2. The check looks at the value at the restarts (the peak), in the
# middle of each cycle ((0.1 + 0.001)/2), and whether every value stays within [0.001, 0.1]. Write it from
# the formula, or use lrlib.

# %%
exercise_2 = dict(values={0: 0.1, 5: 0.0505, 10: 0.1, 20: 0.0505, 30: 0.1, 50: 0.0505, 70: 0.1, 110: 0.0505,
                          150: 0.1},
                  bounds=(0.001, 0.1), total_steps=160)

# %% tags=["exercise"]
def my_sgdr(t):
    ...  # your code here


ex.check_schedule(my_sgdr, **exercise_2)

# %% tags=["solution"]
def my_sgdr(t):
    i = 0
    while cycle_start(i + 1, 10, 2) <= t:   # find the cycle
        i += 1
    t_cur, t_i = t - cycle_start(i, 10, 2), 10 * 2**i
    return 0.001 + 0.5 * (0.1 - 0.001) * (1 + math.cos(math.pi * t_cur / t_i))


assert ex.check_schedule(my_sgdr, **exercise_2)
assert ex.check_schedule(my_sgdr, like=lrlib.warm_restarts(0.1, 10, 2, end_lr=0.001), total_steps=160, quiet=True)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 先找出 t 落在第几个周期：从 i = 0 开始，只要下一个周期的起点 `cycle_start(i + 1, 10, 2)` 不超过 t，就把 i 加 1。
# </details>
#
# <details><summary>提示 2</summary>
#
# 然后 `t_cur = t - cycle_start(i, 10, 2)`，`t_i = 10 * 2**i`，
# 学习率是 `0.001 + 0.5 * (0.1 - 0.001) * (1 + math.cos(math.pi * t_cur / t_i))`。
# </details>
#
# <details><summary>提示 3</summary>
#
# 用 lrlib 只要一行：`my_sgdr = lrlib.warm_restarts(0.1, 10, 2, end_lr=0.001)`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# First find the cycle t falls in: start at i = 0 and add 1 while the next cycle's start,
# `cycle_start(i + 1, 10, 2)`, is not beyond t.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Then `t_cur = t - cycle_start(i, 10, 2)`, `t_i = 10 * 2**i`, and the learning rate is
# `0.001 + 0.5 * (0.1 - 0.001) * (1 + math.cos(math.pi * t_cur / t_i))`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# With lrlib it is one line: `my_sgdr = lrlib.warm_restarts(0.1, 10, 2, end_lr=0.001)`.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 带动量的 SGD 在第 70 轮遇到一次热重启。下面哪一项说得对？把字母赋给 `answer`。
#
# - a. 权重重新初始化，动量清零，学习率回到峰值；
# - b. 权重保留，动量清零，学习率回到峰值；
# - c. 权重和动量都保留，只有学习率回到峰值；
# - d. 权重、动量、学习率都保持不变，只是开始一个新的周期计数。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** SGD with momentum reaches a warm restart at epoch 70. Which statement is right? Store
# the letter in `answer`.
#
# - a. the weights are re-initialised, the momentum is zeroed, the learning rate goes back to the peak;
# - b. the weights are kept, the momentum is zeroed, the learning rate goes back to the peak;
# - c. the weights and the momentum are kept; only the learning rate goes back to the peak;
# - d. the weights, the momentum and the learning rate all stay as they were; only a new cycle count begins.

# %% tags=["exercise"]
answer = ...  # "a", "b", "c" or "d"

ex.check_choice(answer, "sealed:ImMi", "abcd", feedback={"a": "l06_fb_a", "b": "l06_fb_b", "d": "l06_fb_d"})

# %% tags=["solution"]
answer = "c"

assert ex.check_choice(answer, "sealed:ImMi", "abcd", feedback={"a": "l06_fb_a", "b": "l06_fb_b", "d": "l06_fb_d"})

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 回到“看清‘热’字”那一节：热重启和冷重启在重启前后各自的损失是什么样的？
# </details>
#
# <details><summary>提示 2</summary>
#
# PyTorch 那一节里，动量缓冲区在第 3 轮的重启前后是变大了还是清零了？
# </details>
#
# <details><summary>提示 3</summary>
#
# 重启时只有一个数变了，就是学习率。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Go back to the section on what "warm" keeps: what did the loss of the warm and of the cold run do at the
# restart?
# </details>
#
# <details><summary>Hint 2</summary>
#
# In the PyTorch section, did the momentum buffer grow or get cleared at the restart at epoch 3?
# </details>
#
# <details><summary>Hint 3</summary>
#
# Only one number changes at a restart: the learning rate.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - 余弦退火是**一段**半余弦，从不回升；热重启（SGDR）把训练分成若干周期，每个周期一段余弦，周期结束时学习率跳回峰值。
# - 第 i 个周期长 T_i = T0·mⁱ，开始于 S_i = T0·(mⁱ − 1)/(m − 1)，这也是第 i 次重启的位置。T0 = 1、m = 2 时重启在
#   第 1、3、7、15、31 轮；m = 1 时每 T0 轮一次。“每轮重启”只有 T0 = 1、m = 1 时才会发生，SGDR 的四组设置里没有它。
# - 用对数求周期编号时要防舍入误差；学习率要每次迭代更新（PyTorch：`step(epoch + i/iters)`），
#   否则短周期里的余弦会被压成一两个点。
# - “热”是指权重和动量都保留，只有学习率跳回去。热重启后损失只比重启前略高，冷重启则回到起点。
# - 在 100 个方向的 NQM 上，SGDR 在前几个周期的末尾比余弦退火和阶梯衰减都低（随时可用），重启后一步就变差；
#   到预算末尾它反而三者最差。损失有很大一部分来自“还没走到”时（1000 个方向），连周期末尾的优势也没有；
#   把噪声关掉，优势同样消失：在这个只有一个最小值的模型上，好处来自退火，而不是“跳出局部最优”。
#   在这里，预算确定时一段正好在末尾结束的余弦退火更好；用热重启时，让训练停在周期末尾。
#
# ## 延伸阅读
#
# - Loshchilov、Hutter，*SGDR: Stochastic Gradient Descent with Warm Restarts*，ICLR 2017：
#   热重启的出处，四组设置和 CIFAR 上的结果。<https://arxiv.org/abs/1608.03983>
# - Huang 等，*Snapshot Ensembles: Train 1, Get M for Free*，ICLR 2017：在每个周期末尾取快照做集成。
#   <https://arxiv.org/abs/1704.00109>
# - Gotmare 等，*A Closer Look at Deep Learning Heuristics: Learning rate restarts, Warmup and Distillation*，
#   ICLR 2019：用模式连通性等工具检验了“重启帮助跳出局部最优”之类的解释。<https://arxiv.org/abs/1810.13243>
# - Zhang 等，*Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic Model*，
#   NeurIPS 2019：本课用的带噪声二次模型。<https://arxiv.org/abs/1907.04164>
# - PyTorch 文档：`CosineAnnealingWarmRestarts`。
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.html>
# - timm 文档：`CosineLRScheduler` 的 `cycle_mul`、`cycle_decay`、`cycle_limit`。
#   <https://huggingface.co/docs/timm/reference/schedulers>
# - lrlib：`help(lrlib.warm_restarts)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - Cosine annealing is **one** half-cosine and never goes back up; warm restarts (SGDR) split training
#   into cycles, each a half-cosine, and at the end of each cycle the learning rate jumps back to the peak.
# - Cycle i lasts T_i = T0·mⁱ and starts at S_i = T0·(mⁱ − 1)/(m − 1), which is also where restart i
#   happens. With T0 = 1, m = 2 the restarts are at epochs 1, 3, 7, 15, 31; with m = 1 every T0 epochs.
#   "Every epoch" takes T0 = 1 and m = 1, which is not among SGDR's four settings.
# - Finding the cycle with a logarithm needs a guard against rounding; update the learning rate at every
#   iteration (PyTorch: `step(epoch + i/iters)`), or short cycles shrink to one or two points.
# - "Warm" means the weights and the momentum are kept and only the learning rate jumps. After a warm
#   restart the loss rises only a little above its level before; a cold restart sends it back to the start.
# - On the NQM with 100 directions, SGDR is below cosine annealing and step decay at the ends of its early
#   cycles (anytime), worse one step after each restart, and the worst of the three at the end of the
#   budget. When much of the loss is distance still to travel (1000 directions), even the advantage at the
#   cycle ends disappears, and so it does with the noise switched off: on this model, which has a single
#   minimum, the benefit comes from annealing, not from "escaping local minima". Here, with a fixed budget,
#   a cosine that ends exactly there is better; with restarts, stop at the end of a cycle.
#
# ## Further reading
#
# - Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017: where warm
#   restarts come from, with the four settings and the CIFAR results. <https://arxiv.org/abs/1608.03983>
# - Huang et al., *Snapshot Ensembles: Train 1, Get M for Free*, ICLR 2017: snapshots at the end of each
#   cycle, combined into an ensemble. <https://arxiv.org/abs/1704.00109>
# - Gotmare et al., *A Closer Look at Deep Learning Heuristics: Learning rate restarts, Warmup and
#   Distillation*, ICLR 2019: tests explanations such as "restarts help escape local minima" with mode
#   connectivity and other tools. <https://arxiv.org/abs/1810.13243>
# - Zhang et al., *Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic
#   Model*, NeurIPS 2019: the noisy quadratic model used here. <https://arxiv.org/abs/1907.04164>
# - PyTorch documentation: `CosineAnnealingWarmRestarts`.
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.html>
# - timm documentation: `CosineLRScheduler`'s `cycle_mul`, `cycle_decay` and `cycle_limit`.
#   <https://huggingface.co/docs/timm/reference/schedulers>
# - lrlib: `help(lrlib.warm_restarts)`.

# %%
# Drive the explorer from code, so that a broken callback fails the tests.
wr.controls["total_epochs"].value = 40
wr.controls["first_cycle_epochs"].value = 1
wr.controls["cycle_mult"].value = 2.0
xs, ys = wr.lines["lr"].get_data()
v = wr.values()
expected = lrlib.warm_restarts(v["peak_lr"], 1, 2.0, v["peak_decay"], end_lr=v["min_lr"])
assert wr.message == "" and np.allclose(ys, expected(np.asarray(xs)))
assert [ev.step for ev in wr.schedule.events if ev.step < 40] == [1, 3, 7, 15, 31]
assert "15" in wr.readout.value and "31" in wr.readout.value

wr.controls["first_cycle_epochs"].value = 10    # m = 1: a restart every 10 epochs
wr.controls["cycle_mult"].value = 1.0
xs, ys = wr.lines["lr"].get_data()
assert np.allclose(xs[1:][np.diff(ys) > 0], [10, 20, 30])

wr.controls["peak_decay"].value = 0.5           # each restart's peak is half the one before
wr.controls["total_epochs"].value = 200
wr.controls["cycle_mult"].value = 2.0
assert math.isclose(wr.schedule(70), wr.controls["peak_lr"].value * 0.5**3)
xs, ys = wr.lines["lr"].get_data()
assert np.allclose(ys, lrlib.warm_restarts(wr.controls["peak_lr"].value, 10, 2.0, 0.5,
                                           end_lr=wr.controls["min_lr"].value)(np.asarray(xs)))
assert reset_all() >= 1   # every explorer back where the text above expects it
