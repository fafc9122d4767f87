# %% [markdown] tags=["lang-zh"]
# # 用预热稳住训练的头几步
#
# 很多训练配方在开头都有一小段**预热**：学习率先从很小（或 0）升到峰值，再开始衰减。
# 网上常见的解释是“预热能加快收敛”。这一课用计算说明它真正做的事：让一个**大**学习率
# 熬过训练最初那几步——恰恰是在这几步里，同样大的步子最容易把模型冲坏。模型本来就稳的时候，预热几乎什么也不改变。
#
# ## 你将学到
#
# - 写出四种预热形状（线性、二次、余弦、指数）的公式，区分“从 0 开始”和“从峰值的某个比例开始”，
#   并用计算核对它们在起点、一半处和终点的值；
# - 说出谁用哪种形状（Goyal 等人用线性，YOLOX 用二次，单周期策略用余弦），并用计算验证：
#   YOLO 配方的预热是二次曲线，SGDR 的热重启根本没有预热；
# - 用一个开头很陡的函数和 Adam 的第一步，解释预热为什么能防止发散；
# - 亲手测量两个情形（每个 5 个种子，给出波动范围）：深层网络 + Adam + 大学习率时，预热消掉了开头的损失尖峰；
#   普通 SGD 时，有没有预热的差别在噪声之内。
#
# ## 你需要
#
# - 第 01 课的结论：在曲率为 h 的抛物线上，学习率超过 2/h 就会发散；
# - 会用 numpy；知道 Adam 大致怎么更新参数（下面会写出来）；
# - 大约 25 分钟。整个笔记本在笔记本电脑的 CPU 上十几秒跑完。

# %% [markdown] tags=["lang-en"]
# # Use warmup to keep the first steps of training stable
#
# Many training recipes begin with a short **warmup**: the learning rate climbs from something small (or
# 0) to its peak before the decay starts. The usual explanation online is that warmup "speeds up
# convergence". This lesson computes what it actually does: it lets a **large** learning rate survive the
# first few steps of training, which is where a step of that size is most likely to wreck the model. When
# the model is stable from the start, warmup changes next to nothing.
#
# ## What you'll learn
#
# - write down the four warmup shapes (linear, quadratic, cosine, exponential), tell "start from 0" from
#   "start from a fraction of the peak", and check their values at the start, half-way and the end;
# - say who uses which shape (Goyal et al. linear, YOLOX quadratic, the one-cycle policy cosine), and check
#   by computation that the YOLO recipe's warmup is quadratic and that SGDR's warm restarts have no warmup;
# - explain why warmup prevents divergence, with a function that is steep at the start and with Adam's
#   very first step;
# - measure two cases yourself (5 seeds each, spread shown): with a deep network, Adam and a large
#   learning rate, warmup removes the loss spike at the start; with plain SGD, the difference warmup
#   makes is within the noise.
#
# ## What you'll need
#
# - lesson 01's result: on a parabola of curvature h, a learning rate above 2/h diverges;
# - numpy, and a rough idea of how Adam updates a parameter (written out below);
# - about 25 minutes. The notebook runs in well under 30 seconds on a laptop CPU.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import matplotlib.pyplot as plt
import numpy as np

from lrcourse import exercises as ex
from lrcourse import experiments as xp
from lrcourse.fonts import plot_language
from lrcourse.i18n import t

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English
SHAPES = ("linear", "quadratic", "cosine", "exponential")


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 写出四种预热形状
#
# 设峰值学习率为 η_p，预热起始学习率为 η_s，预热长 W 步，p = t/W 是预热完成的比例（0 到 1）。四种形状是：
#
# | 形状 | 公式 | 一半处（p = 1/2） |
# |---|---|---|
# | 线性 | η_s + (η_p − η_s)·p | 正好走了一半 |
# | 二次 | η_s + (η_p − η_s)·p² | 只走了 1/4 |
# | 余弦 | η_s + (η_p − η_s)·(1 − cos πp)/2 | 也是一半：前半段比直线低，后半段比直线高 |
# | 指数 | η_s·(η_p/η_s)^p | η_s 和 η_p 的几何平均 √(η_s·η_p) |
#
# 预热结束以后学习率停在 η_p（在完整的配方里，接下来才是衰减）。η_s 要么是 0，要么是峰值的一个比例 r，
# 即 η_s = r·η_p。指数形状每一步乘同一个数，所以**不能**从 0 开始。
#
# 下面用 lrlib 的 `lrlib.warmup(start_lr, peak_lr, warmup_steps, shape)` 画出来，峰值取 1，
# 纵轴就直接是“峰值的几分之几”。左图从 0 开始，右图从峰值的 0.1 倍开始。

# %% [markdown] tags=["lang-en"]
# ## Write down the four warmup shapes
#
# Let η_p be the peak learning rate, η_s the warmup start learning rate, W the length of the warmup in
# steps, and p = t/W the fraction of the warmup done (0 to 1). The four shapes:
#
# | shape | formula | half-way (p = 1/2) |
# |---|---|---|
# | linear | η_s + (η_p − η_s)·p | exactly half-way up |
# | quadratic | η_s + (η_p − η_s)·p² | only a quarter of the way |
# | cosine | η_s + (η_p − η_s)·(1 − cos πp)/2 | half-way too: below the line in the first half, above it in the second |
# | exponential | η_s·(η_p/η_s)^p | the geometric mean of the two ends, √(η_s·η_p) |
#
# After the warmup the learning rate stays at η_p (in a full recipe, the decay starts there). η_s is either
# 0 or a fraction r of the peak, η_s = r·η_p. The exponential shape multiplies by the same factor each step,
# so it **cannot** start from 0.
#
# Below, lrlib's `lrlib.warmup(start_lr, peak_lr, warmup_steps, shape)` draws them with a peak of 1, so the
# vertical axis reads directly as a fraction of the peak. Left: starting from 0; right: from 0.1 × the peak.

# %%
W = 100                       # warmup length in steps
steps = np.arange(0, 121)     # a little past the end of the warmup
fig, axes = plt.subplots(1, 2, figsize=(9, 3.1), sharey=True)
for ax, start in zip(axes, (0.0, 0.1)):
    for shape in SHAPES:
        if shape == "exponential" and start == 0:
            continue  # cannot start from 0
        ax.plot(steps / W, lrlib.warmup(start, 1.0, W, shape)(steps), label=plot_text("shape_" + shape))
    ax.axvline(0.5, color="gray", lw=0.6, ls=":")
    ax.set_title(plot_text("l04_from_zero") if start == 0 else plot_text("l04_from_ratio", r=start), fontsize=10)
    ax.set_xlabel(plot_text("l04_frac_done"))
axes[0].set_ylabel(plot_text("l04_lr_over_peak"))
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 表格里的每一句都可以算出来。下面的单元格用**手写的公式**（不经过 lrlib）和 lrlib 的结果对照，
# 逐条断言：起点是 η_s，一半处是表中的值，终点和之后都是峰值；余弦在前半段低于直线、后半段高于直线；
# 四种形状都只升不降。最后一条：指数形状从 0 开始会被拒绝。

# %% [markdown] tags=["lang-en"]
# Every line of that table can be computed. The next cell compares lrlib with the formulas **written out
# by hand** (not through lrlib) and asserts each statement: the start is η_s, half-way is the table's value,
# the end and everything after it is the peak; the cosine lies below the line in the first half and above
# it in the second; all four shapes only go up. And the last one: an exponential warmup from 0 is refused.

# %%
def by_hand(shape, start, peak, p):
    """The warmup formulas of the table, written out directly (p = fraction of the warmup done)."""
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    if shape == "linear":
        return start + (peak - start) * p
    if shape == "quadratic":
        return start + (peak - start) * p**2
    if shape == "cosine":
        return start + (peak - start) * (1 - np.cos(np.pi * p)) / 2
    return start * (peak / start) ** p


halfway = {"linear": lambda s, P: s + (P - s) / 2, "quadratic": lambda s, P: s + (P - s) / 4,
           "cosine": lambda s, P: s + (P - s) / 2, "exponential": lambda s, P: np.sqrt(s * P)}
peak = 1.0
for start in (0.0, 0.1):
    for shape in SHAPES:
        if shape == "exponential" and start == 0:
            continue
        f = lrlib.warmup(start, peak, W, shape)
        assert np.allclose(f(steps), by_hand(shape, start, peak, steps / W), rtol=1e-12, atol=0)  # whole curve
        assert np.isclose(f(0), start) and np.isclose(f(W), peak) and f(2 * W) == peak         # start, end, after
        assert np.isclose(f(W / 2), halfway[shape](start, peak))                                # half-way
        assert np.all(np.diff(f(steps)) >= 0)                                                   # never goes down
        if start > 0:
            print(t("l04_shape_row", shape=t("shape_" + shape), v0=f(0), vh=f(W / 2), v1=f(W), after=f(2 * W)))
lin, cos_ = lrlib.warmup(0.0, 1.0, W, "linear"), lrlib.warmup(0.0, 1.0, W, "cosine")
first, second = np.arange(1, W // 2), np.arange(W // 2 + 1, W)
assert np.all(cos_(first) < lin(first)) and np.all(cos_(second) > lin(second))  # below, then above the line
try:
    lrlib.warmup(0.0, 1.0, W, "exponential")
    raise AssertionError("an exponential warmup from 0 should be refused")
except ValueError as err:
    print(t("l04_exp_zero", msg=str(err).split(" (")[0]))

# %% [markdown] tags=["lang-zh"]
# **从 0 开始，还是从一个比例开始？** 两种都常见：
#
# - 从 0 开始（Hugging Face、timm 的默认写法，YOLOX 官方代码也是）：第 0 步的学习率就是 0，
#   第一个小批量的更新什么也不做。这不碍事，只是白走一步。
# - 从一个比例开始：YOLO 配方从峰值的 0.1 倍开始；Goyal 等人（2017）把批量从 256 放大到 k·256 时，
#   学习率从原来的 η 开始（也就是峰值 k·η 的 1/k），在 5 轮里“每次迭代增加一个固定的量”线性升到 k·η。
#
# 用 Goyal 等人的例子算一下：ImageNet 约 128 万张图片，批量 8192，k = 32，η = 0.1。
# “每次迭代加一个固定的量”，就是线性形状：

# %% [markdown] tags=["lang-en"]
# **Start from 0, or from a fraction?** Both are common:
#
# - From 0 (the default in Hugging Face and timm, and in the official YOLOX code): the learning rate at
#   step 0 is 0, so the first minibatch's update does nothing. Harmless; one step is wasted.
# - From a fraction: the YOLO recipe starts at 0.1 × the peak. Goyal et al. (2017), scaling the batch from
#   256 to k·256, start from the old learning rate η (that is, 1/k of the peak k·η) and climb to k·η over
#   5 epochs, "by a constant amount at each iteration".
#
# Goyal et al.'s example, computed: ImageNet has about 1.28 million images; with a batch of 8192, k = 32 and
# η = 0.1. "The same amount each iteration" is the linear shape:

# %%
images, batch, base_lr = 1_281_167, 8192, 0.1
k = batch // 256
iters = 5 * int(np.ceil(images / batch))          # 5 epochs of iterations
goyal = lrlib.warmup(base_lr, k * base_lr, iters, "linear")
increments = np.diff(goyal(np.arange(iters + 1)))
print(t("l04_goyal_row", b=batch, start=goyal(0), peak=goyal(iters), w=iters, inc=increments[0]))
assert k == 32 and goyal(0) == base_lr and np.isclose(goyal(iters), 3.2)
assert np.allclose(increments, (k - 1) * base_lr / iters)    # the same amount at every iteration
assert lrlib.warmup(0.0, 0.01, 500)(0) == 0.0                # from 0: the first update has learning rate 0

# %% [markdown] tags=["lang-zh"]
# ## 查清谁用哪种形状
#
# 一个流行说法：
#
# > “预热用的是余弦曲线，它是余弦退火的一部分。”
#
# 预热和余弦退火是两件独立的事。热重启的余弦退火（SGDR，Loshchilov 和 Hutter，2017）本身没有预热；
# 预热来自 He 等人（2016，训练 110 层 ResNet 时先用 0.01 的恒定学习率，再换回 0.1）和 Goyal 等人（2017，线性）。
# 各家实际用的形状：
#
# | 谁 | 预热形状 | 起点 |
# |---|---|---|
# | Goyal 等人 2017；Hugging Face、timm 的调度器 | 线性 | η、0 |
# | YOLOX 官方（`yoloxwarmcos`）、YOLO 配方（`get_lr_scheduler`） | 二次 | 0、峰值的 0.1 倍 |
# | 单周期策略（PyTorch `OneCycleLR`、fastai） | 余弦 | 峰值 / 25 |
# | SGDR（热重启） | 没有预热 | 一开始就在峰值 |
#
# 能算的就算出来：对第 00 课见过的 YOLO 配方，用照它**原始代码**逐行移植的标量版本
# （`lrlib.compat.original_get_lr_scheduler_value`）在预热段里密集取点，和四个手写公式逐一比较；
# 再核对 YOLOX 官方调度、单周期策略的上升段，以及 SGDR 的曲线在哪里上升过。

# %% [markdown] tags=["lang-en"]
# ## Check who uses which shape
#
# A popular claim:
#
# > "Warmup uses a cosine; it is part of cosine annealing."
#
# Warmup and cosine annealing are two separate things. Cosine annealing with warm restarts (SGDR,
# Loshchilov and Hutter, 2017) has no warmup at all; warmup comes from He et al. (2016, a constant 0.01
# before training a 110-layer ResNet at 0.1) and Goyal et al. (2017, linear). The shapes people actually use:
#
# | who | warmup shape | starts from |
# |---|---|---|
# | Goyal et al. 2017; the Hugging Face and timm schedulers | linear | η, 0 |
# | official YOLOX (`yoloxwarmcos`), the YOLO recipe (`get_lr_scheduler`) | quadratic | 0, 0.1 × the peak |
# | the one-cycle policy (PyTorch `OneCycleLR`, fastai) | cosine | peak / 25 |
# | SGDR (warm restarts) | no warmup | at the peak from the start |
#
# What can be computed, we compute. The YOLO recipe from lesson 00, in the scalar version that follows its
# **original code** line by line (`lrlib.compat.original_get_lr_scheduler_value`), sampled finely through
# its warmup and compared with each of the four hand-written formulas; then official YOLOX, the rising part
# of the one-cycle policy, and the places where SGDR's curve ever goes up.

# %%
lr, min_lr, total = 0.01, 0.0001, 100             # the recipe's defaults: 3 warmup epochs, from 0.1 x lr
w_seed, s_seed = min(max(0.1 * total, 1), 3), max(0.1 * lr, 1e-6)
e = np.linspace(0, w_seed, 61)                    # fractional epochs through the warmup
seed = np.array([lrlib.compat.original_get_lr_scheduler_value("cos", lr, min_lr, total, x) for x in e])
gap = {shape: np.max(np.abs(seed - by_hand(shape, s_seed, lr, e / w_seed))) / lr for shape in SHAPES}
for shape in SHAPES:
    print(t("l04_seed_fit", shape=t("shape_" + shape), err=gap[shape]))
assert gap["quadratic"] < 1e-12                                       # the recipe's warmup is quadratic ...
assert min(gap[s] for s in SHAPES if s != "quadratic") > 0.04         # ... and clearly none of the others
assert min((g, s) for s, g in gap.items() if s != "quadratic")[1] == "exponential" and abs(gap["exponential"] - 0.045) < 5e-4

yolox = lrlib.compat.yolox_warm_cos(0.01, iters_per_epoch=100, total_epochs=300)  # 5 warmup epochs, from 0
k = np.arange(501)
assert np.allclose(yolox(k), by_hand("quadratic", 0.0, 0.01, k / 500), rtol=1e-12, atol=0)

cycle = lrlib.one_cycle(1.0, total_steps=100, pct_start=0.3)   # rises from 1/25 at step 0 to 1 at step 29
k = np.arange(30)
assert np.allclose(cycle(k), by_hand("cosine", 1 / 25, 1.0, k / 29), rtol=1e-12, atol=0)

sgdr = lrlib.warm_restarts(1.0, first_cycle_steps=50, cycle_mult=2)
k = np.arange(300)
rises = k[1:][np.diff(sgdr(k)) > 0]
print(t("l04_sgdr_rises", lr0=sgdr(0), steps=", ".join(map(str, rises))))
assert sgdr(0) == 1.0 and list(rises) == [50, 150]    # at the peak from step 0; it only jumps up at restarts

# %% [markdown] tags=["lang-zh"]
# YOLO 配方的预热和二次公式分毫不差，和其他三种形状最少也差峰值的 4.5%（最接近的是指数形状）。
# YOLOX 官方用二次、单周期策略用余弦，也都和公式完全吻合。SGDR 从第 0 步起就在峰值，
# 它只在重启那两步（第 50、150 步）“跳”上去，没有任何一段是慢慢爬升的。所以“预热就是余弦”不成立：
# 用余弦预热的只有单周期策略的实现（PyTorch 的 `OneCycleLR` 和 fastai 的默认设置），而最常见的是线性。

# %% [markdown] tags=["lang-en"]
# The YOLO recipe's warmup matches the quadratic formula exactly and misses each of the other three by at
# least 4.5 % of the peak (the exponential comes closest). Official YOLOX (quadratic) and the one-cycle
# policy (cosine) match their formulas exactly too. SGDR sits at the peak from step 0 and only goes up at
# the two restarts (steps 50 and 150), as jumps; nothing in it climbs gradually. So "warmup is a cosine" is
# wrong: only the one-cycle implementations (PyTorch's `OneCycleLR` and fastai, by default) warm up with a
# cosine, and the most common shape is linear.

# %% [markdown] tags=["lang-zh"]
# ## 把预热接到余弦前面：两种接法
#
# 预热之后接余弦退火，余弦的“时钟”从哪里开始走？常见的有两种接法，库和库之间并不统一：
#
# - **接在前面**：余弦从预热结束的那一步才开始计时，预热结束时学习率正好是峰值。
#   lrlib 的 `warmup_cosine` 和 `join`、PyTorch 的 `SequentialLR`、Hugging Face 的调度器、YOLO 配方都是这样。
# - **盖在上面**：余弦从第 0 步就开始计时，预热只是把前 W 步的值替换掉。timm 的 `CosineLRScheduler`
#   默认（`warmup_prefix=False`）就是这样。预热结束的那一步，学习率跳到余弦在第 W 步的值，已经低于峰值。
#
# **先预测**：总长 100 步、预热 20 步，第二种接法在第 20 步的学习率是峰值的多少？
# 下面两行代码分别搭出两种接法（第二种用 `np.where` 拼），并把差别算出来。lrlib 的测试直接驱动 timm，核对过这两种接法。

# %% [markdown] tags=["lang-en"]
# ## Attach warmup to a cosine: two conventions
#
# After a warmup comes the cosine, but when does the cosine's clock start? Libraries do it in two ways:
#
# - **As a prefix**: the cosine starts counting when the warmup ends, so the warmup ends exactly at the
#   peak. lrlib's `warmup_cosine` and `join`, PyTorch's `SequentialLR`, the Hugging Face schedulers and the
#   YOLO recipe all do this.
# - **As an overlay**: the cosine counts from step 0 and the warmup merely replaces its first W values.
#   This is timm's `CosineLRScheduler` by default (`warmup_prefix=False`). At step W the learning rate
#   jumps to the cosine's value at W, already below the peak.
#
# **Predict first**: with 100 steps in all and 20 of warmup, what fraction of the peak does the overlay
# give at step 20? The next cell builds both (the overlay with `np.where`) and measures the difference.
# lrlib's tests drive timm itself to confirm both conventions.

# %%
peak, T, W = 1.0, 100, 20
as_prefix = lrlib.warmup_cosine(peak, total_steps=T, warmup_steps=W)     # cosine from step W to T
warm, cosine = lrlib.warmup(0.0, peak, W), lrlib.cosine_decay(peak, T)  # overlay: cosine keeps the global clock
def as_overlay(k):
    return np.where(k < W, warm(k), cosine(k))


k = np.arange(T + 1)
fig, ax = plt.subplots(figsize=(7, 2.8))
ax.plot(k, as_prefix(k), label=plot_text("l04_as_prefix"), lw=2)
ax.plot(k, as_overlay(k), label=plot_text("l04_as_overlay"), ls="--")
ax.set(xlabel=plot_text("axis_iteration"), ylabel=plot_text("learning_rate"))
ax.legend(fontsize=8)
plt.show()

at_join = float(as_overlay(W))
mean_gap = float(np.mean(as_prefix(k) - as_overlay(k)))
yolo_scale = 0.5 * (1 + np.cos(np.pi * 5 / 300))     # 5 warmup epochs in 300: the overlay's value at the join
print(t("l04_overlay_join", w=W, v=at_join, gap=mean_gap, small=yolo_scale))
assert as_prefix(W) == peak and np.isclose(at_join, 0.5 * (1 + np.cos(np.pi * W / T)))  # 0.905 of the peak
assert abs(at_join - 0.905) < 5e-4
assert np.all(as_overlay(k[W:]) <= as_prefix(k[W:])) and as_overlay(T) == as_prefix(T) == 0.0  # below, then both 0
assert 0.99 < yolo_scale < 1 and 1 - yolo_scale < 1e-3      # a 5-in-300 warmup: the two differ by < 0.1 % at the join

# %% [markdown] tags=["lang-zh"]
# 第二种接法在第 20 步只有峰值的 90.5%，之后一直低于第一种，两条线在终点一起回到 0。
# 预热越长，这个差别越大；像 YOLO 那样 300 轮里只预热 5 轮，接缝处只差不到 0.1%，可以忽略。
# 真正要小心的是换库时的参数含义：timm 默认的接法里，余弦的长度 `t_initial` **包含**预热；
# 改成 `warmup_prefix=True` 以后就**不包含**了，总长变成预热加 `t_initial`。

# %% [markdown] tags=["lang-en"]
# The overlay gives 90.5 % of the peak at step 20 and stays below the prefix version from then on; both
# reach 0 together at the end. The longer the warmup, the bigger the difference; with a YOLO-like 5 warmup
# epochs out of 300 the join differs by under 0.1 %, which does not matter. What does matter when you
# switch libraries is what the lengths mean: in timm's default, the cosine length `t_initial` **includes**
# the warmup; with `warmup_prefix=True` it does **not**, and the schedule lasts the warmup plus `t_initial`.

# %% [markdown] tags=["lang-zh"]
# ## 弄清预热为什么有用
#
# 另一个流行说法：
#
# > “预热能加快模型的收敛速度。”
#
# 回到第 01 课：在曲率为 h 的地方，学习率超过 2/h 就会发散。如果损失函数在**训练开始时很陡、后来变平**，
# 那么一个到后期完全合适的学习率，在头几步里可能远超上限。看一个一维的例子：
#
# f(x) = x⁴/4 + x²/2，梯度 f'(x) = x³ + x，曲率 f''(x) = 3x² + 1。
#
# 从 x = 3 出发，曲率是 28，上限 2/28 ≈ 0.071；到了最小值 x = 0，曲率是 1，上限是 2。
# 我们想用 0.5：最后很合适，开头却是上限的 7 倍。比较三种做法（各走 60 步）：
# 恒定 0.5；先用 10 步从 0 线性升到 0.5 的预热；以及从一开始就安全的恒定 0.07。

# %% [markdown] tags=["lang-en"]
# ## Find out why warmup helps
#
# Another popular claim:
#
# > "Warmup speeds up convergence."
#
# Back to lesson 01: where the curvature is h, a learning rate above 2/h diverges. If the loss is **steep at
# the start of training and flatter later**, a learning rate that is perfectly fine at the end can be far
# above the limit in the first steps. A one-dimensional example:
#
# f(x) = x⁴/4 + x²/2, with gradient f'(x) = x³ + x and curvature f''(x) = 3x² + 1.
#
# At the start, x = 3, the curvature is 28 and the limit 2/28 ≈ 0.071; at the minimum, x = 0, the curvature
# is 1 and the limit is 2. We would like to use 0.5: fine at the end, seven times the limit at the start.
# Three ways to run 60 steps: a constant 0.5; a 10-step linear warmup from 0 to 0.5; and a constant 0.07,
# safe from the very first step.

# %%
def curvature(x):
    return 3 * x**2 + 1


def descend(schedule, x0=3.0, steps=60):
    """x_0, x_1, ... of gradient descent on x^4/4 + x^2/2; stops once |x| passes 1e6 (diverged)."""
    lrs = schedule(np.arange(steps))
    xs = [x0]
    for lr in lrs:
        xs.append(xs[-1] - lr * (xs[-1] ** 3 + xs[-1]))
        if abs(xs[-1]) > 1e6:
            break
    return np.array(xs), lrs


def below(xs, tol=1e-6):
    """The first step from which |x| stays below tol."""
    return int(np.argmax(np.abs(xs) < tol)) if np.abs(xs[-1]) < tol else None


runs = {"constant": lrlib.constant(0.5), "warmup": lrlib.warmup(0.0, 0.5, 10), "safe": lrlib.constant(0.07)}
names = {"constant": t("l04_const", lr=0.5), "warmup": t("l04_warm", lr=0.5, w=10), "safe": t("l04_const", lr=0.07)}
toy = {name: descend(s) for name, s in runs.items()}
print(t("l04_steep_start", x0=3, h=curvature(3.0), limit=2 / curvature(3.0)))
for name, (xs, lrs) in toy.items():
    if abs(xs[-1]) > 1e6:
        print(t("l04_toy_diverged", name=names[name], k=len(xs) - 1))
    elif below(xs) is None:
        print(t("l04_toy_slow", name=names[name], xmax=np.abs(xs).max(), n=len(xs) - 1, xend=abs(xs[-1])))
    else:
        print(t("l04_toy_converged", name=names[name], xmax=np.abs(xs).max(), k=below(xs)))

fig, (ax_x, ax_lr) = plt.subplots(1, 2, figsize=(9.5, 3.1))
labels = {"constant": plot_text("l04_const", lr=0.5), "warmup": plot_text("l04_warm", lr=0.5, w=10),
          "safe": plot_text("l04_const", lr=0.07)}
for name, (xs, lrs) in toy.items():
    ax_x.semilogy(np.abs(xs) + 1e-18, ".-", ms=3, lw=0.8, label=labels[name])
ax_x.set(ylim=(1e-12, 1e7), xlabel=plot_text("step"), ylabel=plot_text("l04_abs_x"))
ax_x.legend(fontsize=8)
xs, lrs = toy["warmup"]
ax_lr.semilogy(lrs, ".-", ms=3, lw=0.8, color="C1", label=labels["warmup"])
ax_lr.semilogy(2 / curvature(xs[:-1]), "k--", lw=0.8, label=plot_text("l04_local_limit"))
ax_lr.axhline(0.5, color="C0", lw=0.8, ls=":", label=labels["constant"])
ax_lr.set(xlim=(0, 30), ylim=(1e-2, 5), xlabel=plot_text("step"), ylabel=plot_text("learning_rate"))
ax_lr.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 读图：恒定 0.5 第一步就从 3 跳到 −12，到第 3 步已超过 10⁶，发散了。预热的那一组前几步步子很小，
# x 先滑进平缓的区域；右图里它的学习率（橙线）**每一步**都在当时的局部上限 2/f''(x)（黑色虚线）之下，
# 等学习率升到 0.5 时，上限早已升到 0.5 以上。最终它以 0.5 的大步子很快收敛。
# 恒定 0.07 一开始就安全，但太小，60 步后还没到 10⁻⁶。
#
# 那预热是不是“加快了收敛”？再做一次对照：从 x = 0.5 出发（曲率 1.75，上限 1.14，0.5 从一开始就是安全的）。
# 这时预热没有要修的问题，它只会让前几步变小：

# %% [markdown] tags=["lang-en"]
# Reading the plot: the constant 0.5 jumps from 3 to −12 in its first step and is past 10⁶ by step 3:
# divergence. The warmup takes tiny steps at first, and x slides into the flatter region; on the
# right, its learning rate (orange) stays below the local limit 2/f''(x) (black dashes) at **every** step, and
# by the time it reaches 0.5 the limit is well above 0.5. It then converges fast, with the large steps. The
# constant 0.07 is safe from the start but small: after 60 steps it has not reached 10⁻⁶.
#
# So does warmup "speed up convergence"? One more comparison: start at x = 0.5 instead (curvature 1.75,
# limit 1.14, so 0.5 is safe from the first step). Now warmup has nothing to fix; all it does is make the
# first steps smaller:

# %%
xs_c, _ = toy["constant"]
xs_w, lrs_w = toy["warmup"]
xs_s, _ = toy["safe"]
assert curvature(3.0) == 28 and np.isclose(0.5 / (2 / curvature(3.0)), 7)    # 0.5 is 7x the starting limit
assert len(xs_c) - 1 == 3 and abs(xs_c[1] + 12) < 1e-12                       # 3 -> -12, then |x| > 1e6 at step 3
assert np.all(lrs_w < 2 / curvature(xs_w[:-1]))                              # the warmup stays below the limit
assert np.abs(xs_w).max() == 3.0 and below(xs_w) is not None and below(xs_w) < 30  # never farther than the start
assert 0.07 < 2 / curvature(3.0) and below(xs_s) is None and abs(xs_s[-1]) < 0.01  # 0.07: safe, still on its way
flat = {name: below(descend(runs[name], x0=0.5)[0]) for name in ("constant", "warmup")}
print(t("l04_flat_start", x0=0.5, lr=0.5, k_const=flat["constant"], k_warm=flat["warmup"]))
assert curvature(0.5) == 1.75 and round(2 / curvature(0.5), 2) == 1.14       # 0.5 is safe from x = 0.5
assert (flat["constant"], flat["warmup"]) == (19, 25)                          # nothing to fix: warmup is slower

# %% [markdown] tags=["lang-zh"]
# 从 x = 0.5 出发，不预热第 19 步就到了，预热要到第 25 步。预热本身不加速收敛；它做的是让大学习率
# **熬过**开头那段又陡又危险的路。真正带来速度的是那个大学习率，预热只是让它用得上。
#
# **Adam 的第一步特别大。** 对 Adam 来说还有第二个原因。Adam 的更新是 η·m̂/(√v̂ + ε)，
# 其中 m̂、v̂ 是梯度和梯度平方的滑动平均（做了偏差修正）。第一步时两者都只由一个梯度 g 估计出来：
# m̂ = g，v̂ = g²，于是更新是 η·g/(|g| + ε) ≈ ±η。**不管梯度多小（只要 |g| 远大于 ε = 10⁻⁸），每个参数都移动整整一个学习率**。
# 对一个 128×128 的权重矩阵来说，这一步相当大。Liu 等人（2020，RAdam）也是从这里出发：
# 训练初期 v̂ 只来自很少几个样本，方差很大，预热相当于在这段时间里把步子压小。

# %% [markdown] tags=["lang-en"]
# From x = 0.5, without warmup it gets there at step 19, with warmup at step 25. Warmup does not speed up
# convergence by itself; it lets a large learning rate **survive** a steep, dangerous start. The speed comes
# from the large learning rate, and warmup is what makes it usable.
#
# **Adam's first step is large.** With Adam there is a second reason. Adam's update is η·m̂/(√v̂ + ε),
# where m̂ and v̂ are running averages (bias-corrected) of the gradient and of its square. At the first step
# both are estimated from a single gradient g: m̂ = g and v̂ = g², so the update is η·g/(|g| + ε) ≈ ±η.
# **However small the gradient (as long as |g| is well above ε = 10⁻⁸), every parameter moves by a full
# learning rate.** For a 128×128 weight matrix that is a
# big step. Liu et al. (2020, RAdam) start from the same observation: early in training v̂ rests on very few
# samples and has a large variance, and warmup keeps the steps small while that lasts.

# %%
rng = np.random.default_rng(0)
g = rng.choice([-1.0, 1.0], 10_000) * 10.0 ** rng.uniform(-4, 2, 10_000)   # gradients from 1e-4 to 1e2 in size
b1, b2, eps, adam_lr = 0.9, 0.999, 1e-8, 0.03
m_hat = (1 - b1) * g / (1 - b1)          # first moment after one step, bias-corrected
v_hat = (1 - b2) * g * g / (1 - b2)      # second moment after one step, bias-corrected
first_step = adam_lr * m_hat / (np.sqrt(v_hat) + eps)
print(t("l04_adam_first", lo=np.abs(g).min(), hi=np.abs(g).max(), smin=np.abs(first_step).min(),
        smax=np.abs(first_step).max(), lr=adam_lr))
assert np.allclose(np.abs(first_step), adam_lr, rtol=1e-3)   # every parameter moves by the learning rate

w0 = np.linalg.norm(rng.standard_normal((128, 128)) * np.sqrt(2 / 128))  # He-initialised, as in the MLP below
step_norm = np.linalg.norm(np.full((128, 128), adam_lr))
print(t("l04_adam_layer", w0=w0, step=step_norm, pct=step_norm / w0))
assert abs(w0 - 16) < 0.5 and 0.2 < step_norm / w0 < 0.3

# %% [markdown] tags=["lang-zh"]
# ## 测一个预热有用的情形：深层网络 + Adam
#
# 现在在真实（虽然很小）的网络上测。数据是 scikit-learn 自带的 8×8 手写数字（1347 张训练图，450 张测试图），
# 模型是 4 个隐藏层、每层 128 个单元的 ReLU 网络，批量 32，每轮 43 次迭代，训练 2 轮。
# 优化器 Adam，峰值学习率 0.03（对 Adam 来说偏大），两种调度：
#
# - 不预热：`lrlib.cosine_decay(0.03, 2)`，从 0.03 余弦退火到 0；
# - 预热：`lrlib.warmup_cosine(0.03, 2, 0.5)`，先用半轮从 0 线性升到 0.03，再余弦退火。
#
# 每种 5 个种子（种子决定初始权重和小批量顺序；同一个种子在两种调度下起点相同）。
# 我们记录**每个小批量的损失**，看整个训练中最大的那个，还有最终的训练损失和测试准确率。
# 作为对照，再用**普通 SGD**（不带动量）、峰值 0.1 把同样的事做一遍。两组加起来 20 次训练，几秒钟。

# %% [markdown] tags=["lang-en"]
# ## Measure a case where warmup matters: a deep network with Adam
#
# Now on a real (if small) network. The data are scikit-learn's bundled 8×8 handwritten digits (1347
# training and 450 test images); the model is a ReLU network with 4 hidden layers of 128 units; batch 32,
# so 43 iterations per epoch; 2 epochs. The optimizer is Adam with a peak learning rate of 0.03 (on the
# large side for Adam), under two schedules:
#
# - no warmup: `lrlib.cosine_decay(0.03, 2)`, cosine annealing from 0.03 to 0;
# - warmup: `lrlib.warmup_cosine(0.03, 2, 0.5)`, a linear climb from 0 to 0.03 over half an epoch, then the
#   cosine.
#
# Each on 5 seeds (a seed fixes the initial weights and the minibatch order; one seed starts from the same
# point under both schedules). We record **every minibatch's loss** and look at the largest one of the run,
# and at the final training loss and test accuracy. As a control, the same again with **plain SGD** (no
# momentum) at a peak of 0.1. Twenty training runs in all, a few seconds.

# %%
SEEDS = range(5)
EPOCHS, WARM = 2, 0.5
setup = {"adam": 0.03, "sgd": 0.1}      # optimizer: peak learning rate
digits = xp.load_digits_split(0)
assert digits.X_train.shape == (1347, 64) and digits.X_test.shape == (450, 64) and int(np.ceil(1347 / 32)) == 43
results = {}
for opt, peak_lr in setup.items():
    for name, schedule in (("none", lrlib.cosine_decay(peak_lr, EPOCHS)),
                           ("warm", lrlib.warmup_cosine(peak_lr, EPOCHS, WARM))):
        results[opt, name] = xp.run_seeds(xp.train_mlp, seeds=SEEDS, schedule=schedule, num_epochs=EPOCHS,
                                          hidden=(128, 128, 128, 128), optimizer=opt, data=digits)


def per_seed(runs):
    """Per seed: the largest minibatch loss of the run, the first one, final train loss, final test accuracy."""
    bl = runs["batch_loss"]
    return dict(max=np.nanmax(bl, axis=1), first=bl[:, 0], loss=runs["train_loss"][:, -1],
                acc=runs["test_accuracy"][:, -1])


stats = {key: per_seed(r) for key, r in results.items()}
run_name = {"none": t("l04_no_warmup"), "warm": t("l04_with_warmup", w=WARM)}


def show(opt, what, key):
    for name in ("none", "warm"):
        v = stats[opt, name][key] if key != "ratio" else stats[opt, name]["max"] / stats[opt, name]["first"]
        spread = t("l04_spread", mean=v.mean(), sd=v.std(ddof=1), lo=v.min(), hi=v.max())
        print(t("l04_row", opt=opt.upper() if opt == "sgd" else "Adam", name=run_name[name], what=t(what),
                spread=spread))


fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
for ax, opt in zip(axes, setup):
    for name in ("none", "warm"):
        r = results[opt, name]
        x = r.results[0].iteration_epochs
        bl = r["batch_loss"]
        (line,) = ax.plot(x, bl.mean(axis=0), lw=0.9,
                          label=plot_text("l04_no_warmup") if name == "none" else plot_text("l04_with_warmup", w=WARM))
        ax.fill_between(x, bl.min(axis=0), bl.max(axis=0), color=line.get_color(), alpha=0.25, lw=0)
    title = "l04_adam_title" if opt == "adam" else "l04_sgd_title"
    ax.set_title(plot_text(title, lr=setup[opt]), fontsize=10)
    ax.set_xlabel(plot_text("axis_epoch"))
axes[0].set_ylabel(plot_text("l04_batch_loss"))
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()
show("adam", "l04_max_loss", "max")
show("adam", "l04_max_over_start", "ratio")

# %% [markdown] tags=["lang-zh"]
# 线是 5 个种子的平均，阴影从最低到最高。不预热时，Adam 在最初几次迭代里就把损失从约 2.7 推到 4.4 到 8.6
# （5 个种子里最低 4.37、最高 8.61）；预热时，整个训练里最大的批损失只有 2.68 到 2.90，
# 和起始损失几乎一样——损失从没明显高过起点。5 个不预热的种子**每一个**都比 5 个预热的种子**每一个**高，
# 均值之差超过两组种子间标准差中较大者的两倍。这个效应远大于噪声。

# %% [markdown] tags=["lang-en"]
# Lines are the mean of the 5 seeds, the shading runs from lowest to highest. Without warmup, Adam pushes the
# loss from about 2.7 to between 4.4 and 8.6 within its first few iterations (lowest seed 4.37, highest
# 8.61); with warmup, the largest minibatch loss of the whole run is 2.68 to 2.90, about the loss it started
# from: the loss never rises noticeably above its starting point. **Every** seed without warmup spikes
# higher than **every** seed with it, and the gap between the means is more than twice the larger
# seed-to-seed standard deviation. An effect far beyond the noise.

# %%
none, warm = stats["adam", "none"], stats["adam", "warm"]
spike = xp.compare_runs(warm["max"], none["max"])          # lower is better: does warm beat none on every seed?
print(t("l04_separated") if spike.differ else t("l04_overlap"))
assert spike.differ and spike.better == "a"                 # every warmed seed below every unwarmed one
assert none["max"].min() > warm["max"].max()
assert none["max"].mean() - warm["max"].mean() > 2 * max(none["max"].std(ddof=1), warm["max"].std(ddof=1))
near = lambda a, b: abs(a - b) < 0.01  # noqa: E731  (the numbers quoted in the text, to 2 decimals)
assert near(none["max"].min(), 4.37) and near(none["max"].max(), 8.61)
assert near(warm["max"].min(), 2.68) and near(warm["max"].max(), 2.90) and abs(none["first"].mean() - 2.7) < 0.05
assert np.all(none["max"] > 1.5 * none["first"])            # without warmup: at least 1.5x the starting loss
assert np.all(warm["max"] < 1.15 * warm["first"])           # with warmup: never much above the start
assert np.all(np.nanargmax(results["adam", "none"]["batch_loss"], axis=1) <= 3)  # the spike is in the first steps

# %% [markdown] tags=["lang-zh"]
# 那最后的结果呢？预热消掉了尖峰，是不是也让网络学得更好、更快？

# %% [markdown] tags=["lang-en"]
# And the end result? Warmup removed the spike; did it also make the network learn better or faster?

# %%
show("adam", "l04_final_loss", "loss")
show("adam", "l04_final_acc", "acc")
for key in ("loss", "acc"):
    c = xp.compare_runs(warm[key], none[key], higher_is_better=(key == "acc"))
    print(t("l04_separated") if c.differ else t("l04_overlap"))
    assert not c.differ                                     # Adam's final numbers: within the noise
    assert abs(warm[key].mean() - none[key].mean()) < max(warm[key].std(ddof=1), none[key].std(ddof=1))

# %% [markdown] tags=["lang-zh"]
# 没有。两轮之后，有没有预热的最终训练损失和测试准确率，种子之间互相重叠，均值之差也小于种子之间的标准差，
# 差别在噪声之内（5 个种子只能排除大的差别，排除不了小的差别）。
# 这个小网络扛过了那次尖峰，后来又追了回来。换成大模型，这样一次尖峰可能就再也收不回来了
# （损失变成 NaN，或者一部分 ReLU 从此不再激活）。预热换来的是**开头的稳定**，而不是更好的终点。
#
# ## 测一个预热没用的情形：普通 SGD
#
# 同一个网络、同样的数据和种子，换成普通 SGD，峰值 0.1：

# %% [markdown] tags=["lang-en"]
# No. After two epochs the final training loss and test accuracy with and without warmup overlap across
# seeds, and the difference of the means is smaller than the seed-to-seed standard deviation: within the
# noise (with 5 seeds this rules out a large effect, not a small one). This small network survived the spike and caught up. A large
# model may not: one such spike can end in a NaN loss, or in ReLUs that never fire again. What warmup buys is
# **a stable start**, not a better finish.
#
# ## Measure a case where warmup makes no difference: plain SGD
#
# The same network, the same data and seeds, with plain SGD at a peak of 0.1:

# %%
show("sgd", "l04_max_over_start", "ratio")
show("sgd", "l04_final_loss", "loss")
show("sgd", "l04_final_acc", "acc")
s_none, s_warm = stats["sgd", "none"], stats["sgd", "warm"]
assert np.all(np.nanargmax(results["sgd", "none"]["batch_loss"], axis=1) == 0)  # the largest loss is the first one
half_epoch = slice(0, 22)                                   # the warmup's iterations
assert results["sgd", "warm"]["batch_loss"][:, half_epoch].mean() > results["sgd", "none"]["batch_loss"][:, half_epoch].mean()
for key in ("loss", "acc"):
    c = xp.compare_runs(s_warm[key], s_none[key], higher_is_better=(key == "acc"))
    print(t("l04_separated") if c.differ else t("l04_overlap"))
    assert not c.differ
    assert abs(s_warm[key].mean() - s_none[key].mean()) < max(s_warm[key].std(ddof=1), s_none[key].std(ddof=1))

# %% [markdown] tags=["lang-zh"]
# 这里根本没有尖峰：不预热时，整个训练里最大的批损失就是第一个小批量的损失。预热那一组在前半轮反而落后一点
# （学习率小，走得慢），随后追平。最终训练损失和测试准确率的差别
# 都比种子之间的标准差还小，说它们“不同”没有根据。同样的网络，换一个优化器，预热就从“消掉一个大的损失尖峰”
# 变成了“看不出任何作用”（两种情形下，它都没有让最终结果超出噪声）。这和文献一致：Goyal 等人（大批量）、
# Gotmare 等人（深层网络）、Liu 等人（Adam）都把预热和开头的不稳定联系在一起，而不是当作通用的提速手段。
#
# ### 自己拖一拖
#
# **先预测：** 把预热起始比例设为 0、预热 5 轮，在预热进行到一半（第 2.5 轮）时，哪两种形状的学习率一样？
# 把起始比例调到 0.1，指数形状出现了；它在一半处比线性高还是低？把每轮迭代数从 20 改成 1，曲线会怎么变？
# 先写下来，再拖动控件验证。
#
# 每次动一下控件，探索器对每种形状做两件事（下面的代码单元格里写着）：
# 用 `lrlib.fractional_epochs` 取出每次迭代对应的（小数）轮数，再用 `lrlib.warmup_cosine(...)` 创建调度并在这些点上求值。

# %% [markdown] tags=["lang-en"]
# There is no spike here at all: without warmup, the largest minibatch loss of the run is the very first
# one. The warmed runs even lag behind during the first half epoch (a smaller learning rate, slower
# progress), then catch up. The differences in final training loss and test accuracy are both smaller than the seed-to-seed
# standard deviation; calling them different would have no basis. The same network with another optimizer,
# and warmup goes from removing a large loss spike to making no visible difference (in neither case did it
# change the final result beyond the noise). This agrees with the literature: Goyal et al. (a large batch),
# Gotmare et al. (a deep network) and Liu et al. (Adam) all tie warmup to instability at the start, not to
# training faster in general.
#
# ### Try it yourself
#
# **Predict first:** with the warmup start ratio at 0 and a 5-epoch warmup, which two shapes have the same
# learning rate half-way through the warmup (epoch 2.5)? Raise the start ratio to 0.1 and the exponential
# shape appears: is it above or below the linear one half-way? What happens to the curves when you change
# the iterations per epoch from 20 to 1? Write your answers down, then move the controls.
#
# Each time a control moves, the explorer does two things for every shape (written out in the code cell
# below): `lrlib.fractional_epochs` gives the (fractional) epoch of every iteration, and
# `lrlib.warmup_cosine(...)` builds the schedule, which is then evaluated there.

# %%
from lrcourse.explorers import WarmupExplorer, reset_all

warmup_explorer = WarmupExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=20, warmup_epochs=5,
                                 warmup_lr_ratio=0.0, shape="quadratic", iters_per_epoch=20)
# What it computes for each shape, whenever a control changes:
#   x = lrlib.fractional_epochs(total_epochs, iters_per_epoch)          # one point per iteration
#   s = lrlib.warmup_cosine(peak_lr, total_epochs, warmup_epochs, end_lr=min_lr,
#                           start_lr=warmup_lr_ratio * peak_lr, warmup_shape=shape)
#   y = s(x)
warmup_explorer.widget

# %% [markdown] tags=["lang-zh"]
# 答案：从 0 开始时，线性和余弦在一半处都是峰值的一半（0.005），二次只有四分之一（0.0025）。
# 起始比例 0.1 时，指数形状在一半处是 √(0.001 × 0.01) ≈ 0.0032，比线性的 0.0055 低得多。
# 每轮迭代数只改变取点的疏密：这个探索器每次迭代都更新学习率，所以曲线形状不变，只是点变少了。
# （如果像 YOLO 配方那样**每轮**才更新一次，3 轮预热就只有 3 个不同的值，第 05 课会讲。）

# %% [markdown] tags=["lang-en"]
# Answers: from 0, linear and cosine are both at half the peak half-way (0.005), the quadratic at a quarter
# (0.0025). With a start ratio of 0.1 the exponential shape is at √(0.001 × 0.01) ≈ 0.0032 half-way, well
# below the linear 0.0055. The iterations per epoch only change how densely the curve is sampled: this
# explorer updates the learning rate every iteration, so the shape stays the same with fewer points. (If the
# learning rate is updated only once per **epoch**, as in the YOLO recipe, a 3-epoch warmup has just 3
# distinct values; lesson 05 covers that.)

# %%
half = {shape: lrlib.warmup_cosine(0.01, 20, 5, end_lr=0.0001, warmup_shape=shape)(2.5)
        for shape in ("linear", "quadratic", "cosine")}
assert np.isclose(half["linear"], 0.005) and np.isclose(half["cosine"], 0.005) and np.isclose(half["quadratic"], 0.0025)
half_r = {shape: lrlib.warmup_cosine(0.01, 20, 5, end_lr=0.0001, start_lr=0.001, warmup_shape=shape)(2.5)
          for shape in ("linear", "exponential")}
assert np.isclose(half_r["linear"], 0.0055) and np.isclose(half_r["exponential"], np.sqrt(0.001 * 0.01))

# %% [markdown] tags=["lang-zh"]
# ## 动手试试
#
# **练习 1.** 写一个学习率函数 `my_warmup(t)`：峰值 0.1，从峰值的 r = 0.1 倍（即 0.01）开始，
# 在 W = 200 步里**线性**升到峰值，之后一直保持 0.1。检查会看第 0 步、第 200 步、之后的值，
# 第 200 步处是否连续，以及曲线是否只升不降。

# %% [markdown] tags=["lang-en"]
# ## On your own
#
# **Exercise 1.** Write a learning-rate function `my_warmup(t)`: peak 0.1, starting from r = 0.1 of the peak
# (that is, 0.01), rising **linearly** to the peak over W = 200 steps, then staying at 0.1. The check looks at
# the values at step 0, step 200 and after, at continuity at step 200, and at whether the curve ever goes down.

# %%
exercise_1 = dict(values={0: 0.01, 100: 0.055, 200: 0.1, 1000: 0.1}, monotone="increasing",
                  continuous_at=[200], bounds=(0.01, 0.1), total_steps=1000, name="my_warmup")

# %% tags=["exercise"]
def my_warmup(t):
    ...  # your code here


ex.check_schedule(my_warmup, **exercise_1)

# %% tags=["solution"]
def my_warmup(t, peak=0.1, r=0.1, warmup_steps=200):
    start = r * peak
    return start + (peak - start) * min(t, warmup_steps) / warmup_steps


assert ex.check_schedule(my_warmup, **exercise_1)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 分两段：t < 200 时是一条直线，t ≥ 200 时是常数 0.1。直线过 (0, 0.01) 和 (200, 0.1)。
# </details>
#
# <details><summary>提示 2</summary>
#
# 先算预热完成的比例 `p = min(t, 200) / 200`，它在 200 步以后一直是 1，所以同一个式子也管住了后半段。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return 0.01 + (0.1 - 0.01) * min(t, 200) / 200`，或者直接 `my_warmup = lrlib.warmup(0.01, 0.1, 200)`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Two pieces: a straight line for t < 200, the constant 0.1 for t ≥ 200. The line goes through (0, 0.01)
# and (200, 0.1).
# </details>
#
# <details><summary>Hint 2</summary>
#
# Compute the fraction done, `p = min(t, 200) / 200`: it stays at 1 after step 200, so one formula covers
# both pieces.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return 0.01 + (0.1 - 0.01) * min(t, 200) / 200`, or simply `my_warmup = lrlib.warmup(0.01, 0.1, 200)`.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 四种形状都从峰值的 0.1 倍开始、升到同一个峰值。在预热进行到 **25%** 时，哪种形状的学习率最高？
# 把 `"linear"`、`"quadratic"`、`"cosine"`、`"exponential"` 之一赋给 `highest_at_quarter`。可以先猜，再算。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** All four shapes start at 0.1 × the peak and rise to the same peak. Which one has the highest
# learning rate **25 %** of the way through the warmup? Store one of `"linear"`, `"quadratic"`, `"cosine"`,
# `"exponential"` in `highest_at_quarter`. Guess first, then compute.

# %%
exercise_2 = dict(options=SHAPES, feedback={s: "l04_fb_" + s for s in ("quadratic", "cosine", "exponential")})

# %% tags=["exercise"]
highest_at_quarter = ...  # your code here

ex.check_choice(highest_at_quarter, "sealed:InJhZW5pbCI=", **exercise_2)

# %% tags=["solution"]
at_quarter = {shape: lrlib.warmup(0.1, 1.0, 100, shape)(25) for shape in SHAPES}
highest_at_quarter = max(at_quarter, key=at_quarter.get)

assert ex.check_choice(highest_at_quarter, "sealed:InJhZW5pbCI=", **exercise_2)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 回到本课第一张图的右半边，看横轴 0.25 处哪条线最高。
# </details>
#
# <details><summary>提示 2</summary>
#
# 用 lrlib 算：`lrlib.warmup(0.1, 1.0, 100, shape)(25)`，对四种形状各算一次。
# </details>
#
# <details><summary>提示 3</summary>
#
# 二次、指数在开头都“先慢后快”，余弦在前半段也低于直线。只有一种形状从一开始就匀速上升。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Go back to the right half of this lesson's first figure and see which line is highest at 0.25.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Compute it with lrlib: `lrlib.warmup(0.1, 1.0, 100, shape)(25)` for each of the four shapes.
# </details>
#
# <details><summary>Hint 3</summary>
#
# The quadratic and the exponential both start slow and speed up, and the cosine is below the line in the
# first half. Only one shape climbs at a steady pace from the start.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 指数预热：峰值 0.1，从 0.001 开始，预热 1000 步。第 500 步的学习率是多少？赋给 `lr_half`。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** An exponential warmup: peak 0.1, starting from 0.001, over 1000 steps. What is the learning
# rate at step 500? Store it in `lr_half`.

# %% tags=["exercise"]
lr_half = ...  # your code here

ex.check_number(lr_half, "sealed:MTAuMA==", rtol=1e-3, name="lr_half")

# %% tags=["solution"]
lr_half = 0.001 * (0.1 / 0.001) ** (500 / 1000)   # = sqrt(0.001 * 0.1), the geometric mean

assert ex.check_number(lr_half, "sealed:MTAuMA==", rtol=1e-3, name="lr_half")
assert np.isclose(lr_half, lrlib.warmup(0.001, 0.1, 1000, "exponential")(500))

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 公式在本课第一节的表里：η_s·(η_p/η_s)^p，p = 500/1000。
# </details>
#
# <details><summary>提示 2</summary>
#
# η_p/η_s = 100，p = 1/2，所以要算 0.001 × 100 的平方根。
# </details>
#
# <details><summary>提示 3</summary>
#
# 一半处正好是两端的几何平均：√(0.001 × 0.1)。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The formula is in the table of this lesson's first section: η_s·(η_p/η_s)^p with p = 500/1000.
# </details>
#
# <details><summary>Hint 2</summary>
#
# η_p/η_s = 100 and p = 1/2, so you need 0.001 times the square root of 100.
# </details>
#
# <details><summary>Hint 3</summary>
#
# Half-way is exactly the geometric mean of the two ends: √(0.001 × 0.1).
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - 四种预热形状：线性 η_s + (η_p − η_s)·p，二次（p²，一半处只走 1/4），余弦（一半处也是一半，先低于直线后高于直线），
#   指数（一半处是几何平均，不能从 0 开始）。起点可以是 0（第一步白走），也可以是峰值的一个比例（Goyal 等人是 1/k）。
# - 谁用哪种：Goyal 等人、Hugging Face、timm 用线性；YOLOX 和 YOLO 配方用二次（算出来与二次公式完全一致）；
#   单周期策略用余弦。SGDR 的热重启**没有**预热，所以“预热是余弦退火的一部分”不对。
# - 预热是**稳定**手段，不是加速手段：开头很陡（或 Adam 头几步每个参数都走满一个学习率）时，它让大学习率熬过最初几步；
#   本来就稳的时候，它只是让开头慢一点。
# - 测量结果（5 个种子）：深层网络 + Adam + 学习率 0.03，不预热时开头的批损失冲到 4.4 到 8.6，预热后最高只有 2.7 到 2.9，
#   远大于噪声；但两轮后的最终结果在噪声之内。普通 SGD 根本没有尖峰，有没有预热的差别在噪声之内。
#
# ## 延伸阅读
#
# - Goyal 等，*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour*（2017）：线性缩放规则和 5 轮的线性预热，
#   大批量时预热必不可少。<https://arxiv.org/abs/1706.02677>
# - He 等，*Deep Residual Learning for Image Recognition*，CVPR 2016：训练 110 层 ResNet 时先用 0.01 的小学习率，
#   最早的“恒定预热”。<https://arxiv.org/abs/1512.03385>
# - Gotmare 等，*A Closer Look at Deep Learning Heuristics: Learning rate restarts, Warmup and Distillation*，ICLR 2019：
#   预热的作用是防止较深的层在训练初期造成不稳定。<https://arxiv.org/abs/1810.13243>
# - Liu 等，*On the Variance of the Adaptive Learning Rate and Beyond*（RAdam），ICLR 2020：从 Adam 早期 v̂ 方差过大的角度解释预热。
#   <https://arxiv.org/abs/1908.03265>
# - Ge 等，*YOLOX: Exceeding YOLO Series in 2021*（2021）：二次预热 + 余弦 + 恒定尾段的配方。
#   <https://arxiv.org/abs/2107.08430>
# - PyTorch 文档 `LinearLR` 和 `OneCycleLR`；Hugging Face `get_cosine_schedule_with_warmup`。
#   <https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate> ·
#   <https://huggingface.co/docs/transformers/main_classes/optimizer_schedules>
# - lrlib：`help(lrlib.warmup)`、`help(lrlib.warmup_cosine)`。下一课把预热、余弦退火和恒定尾段拼成 YOLO 配方。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - The four warmup shapes: linear η_s + (η_p − η_s)·p; quadratic (p², a quarter of the way at half-way);
#   cosine (half-way at half-way, below the line and then above it); exponential (the geometric mean at
#   half-way; cannot start from 0). The start is either 0 (the first step is wasted) or a fraction of the
#   peak (1/k for Goyal et al.).
# - Who uses which: Goyal et al., Hugging Face and timm linear; YOLOX and the YOLO recipe quadratic (computed:
#   exactly the quadratic formula); the one-cycle policy cosine. SGDR's warm restarts have **no** warmup, so
#   "warmup is part of cosine annealing" is wrong.
# - Warmup is a **stability** device, not a speed-up: when the start is steep (or when Adam moves every
#   parameter by a full learning rate in its first steps) it lets a large learning rate survive the first
#   steps; when the start is already stable it only makes the beginning slower.
# - Measured (5 seeds): a deep network with Adam at 0.03 spikes to a minibatch loss of 4.4 to 8.6 at the start
#   without warmup and peaks at only 2.7 to 2.9 with it, far beyond the noise; yet the final results after two epochs
#   are within the noise. Plain SGD has no spike at all, and warmup's effect is within the noise.
#
# ## Further reading
#
# - Goyal et al., *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour* (2017): the linear scaling rule
#   and a 5-epoch linear warmup, essential at large batch sizes. <https://arxiv.org/abs/1706.02677>
# - He et al., *Deep Residual Learning for Image Recognition*, CVPR 2016: a small learning rate of 0.01 before
#   training a 110-layer ResNet, the first "constant warmup". <https://arxiv.org/abs/1512.03385>
# - Gotmare et al., *A Closer Look at Deep Learning Heuristics: Learning rate restarts, Warmup and
#   Distillation*, ICLR 2019: warmup keeps the deeper layers from causing instability early in training.
#   <https://arxiv.org/abs/1810.13243>
# - Liu et al., *On the Variance of the Adaptive Learning Rate and Beyond* (RAdam), ICLR 2020: explains warmup
#   by the large variance of Adam's early v̂. <https://arxiv.org/abs/1908.03265>
# - Ge et al., *YOLOX: Exceeding YOLO Series in 2021* (2021): the quadratic warmup, cosine and constant tail
#   recipe. <https://arxiv.org/abs/2107.08430>
# - PyTorch's `LinearLR` and `OneCycleLR`; Hugging Face's `get_cosine_schedule_with_warmup`.
#   <https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate> ·
#   <https://huggingface.co/docs/transformers/main_classes/optimizer_schedules>
# - lrlib: `help(lrlib.warmup)`, `help(lrlib.warmup_cosine)`. The next lesson joins warmup, cosine annealing
#   and a constant tail into the YOLO recipe.

# %%
# Drive the explorer from code, so that a broken callback fails the tests.
c = warmup_explorer.controls
x_grid = lrlib.fractional_epochs(20, 20)
assert set(warmup_explorer.schedules) == {"linear", "quadratic", "cosine"}     # from 0: no exponential line
c["shape"].value = "linear"
assert warmup_explorer.update() and warmup_explorer.message == ""
x, y = warmup_explorer.lines["linear"].get_data()
assert np.array_equal(np.asarray(x), x_grid)
assert np.allclose(y, lrlib.warmup_cosine(0.01, 20, 5, end_lr=0.0001, warmup_shape="linear")(x_grid))
c["warmup_lr_ratio"].value = 0.1                     # a start ratio above 0: the exponential shape appears
c["shape"].value = "exponential"
assert warmup_explorer.update() and set(warmup_explorer.schedules) == set(SHAPES)
y_exp = np.asarray(warmup_explorer.lines["exponential"].get_ydata())
expected = lrlib.warmup_cosine(0.01, 20, 5, end_lr=0.0001, start_lr=0.001, warmup_shape="exponential")
assert np.allclose(y_exp, expected(x_grid)) and np.isclose(warmup_explorer.schedule(2.5), np.sqrt(0.001 * 0.01))
c["iters_per_epoch"].value = 1                       # fewer points, the same curve
assert len(warmup_explorer.lines["exponential"].get_xdata()) == 20
c["warmup_lr_ratio"].value = 0.0                     # an exponential warmup from 0: refused, with a message
assert not warmup_explorer.update() and warmup_explorer.message != ""
c["warmup_lr_ratio"].value = 0.1
c["warmup_epochs"].value = 25.0                      # longer than the run: refused too
assert not warmup_explorer.update() and warmup_explorer.message != ""
assert reset_all() >= 1   # every explorer back where the text above expects it
