# %% [markdown] tags=["lang-zh"]
# # 弄清为什么要调度学习率：从一条抛物线说起
#
# 训练神经网络时，学习率很少从头到尾保持不变。这一课用最简单的函数——一条抛物线——回答“为什么”：
# 学习率太大，训练会发散；学习率不变，随机梯度的噪声会让损失停在一个降不下去的高度；
# 让学习率逐渐变小，两个问题都能躲开。
#
# ## 你将学到
#
# - 推导并验证梯度下降在二次函数上的稳定条件：学习率 < 2/h；
# - 解释**噪声地板**：学习率恒定时，损失为什么停在某个高度，这个高度和学习率是什么关系；
# - 用多个随机种子比较恒定学习率和衰减的学习率，并判断差别是不是比随机波动大；
# - 用计算检验两种流行说法：“余弦退火的好处是能跳出局部最优”和“Adam 会自己调步长，不需要学习率调度”。
#
# ## 你需要
#
# - 会用 numpy 数组；知道 f(x) = h·x²/2 的导数是 h·x；
# - 看过第 00 课（知道怎么做练习）；
# - 大约 20 分钟。整个笔记本在 CPU 上十几秒就能跑完。

# %% [markdown] tags=["lang-en"]
# # Find out why the learning rate needs a schedule, starting from a parabola
#
# Neural networks are rarely trained with one learning rate from start to finish. This lesson uses
# the simplest function there is, a parabola, to show why: too large a learning rate and training
# diverges; a fixed learning rate and the noise in stochastic gradients leaves the loss stuck at a
# level it cannot get below; let the learning rate shrink over time and you escape both.
#
# ## What you'll learn
#
# - derive, and check by computation, when gradient descent on a quadratic is stable: learning rate < 2/h;
# - explain the **noise floor**: why the loss stops falling under a constant learning rate, and how
#   its level depends on the learning rate;
# - compare a constant and a decaying learning rate over several random seeds, and tell whether the
#   difference is larger than the run-to-run noise;
# - test two popular claims with numbers: "cosine annealing works because it escapes local minima"
#   and "Adam adapts its own step size, so it needs no schedule".
#
# ## What you'll need
#
# - numpy arrays, and the derivative of f(x) = h·x²/2, which is h·x;
# - lesson 00 (how the exercises work);
# - about 20 minutes. The notebook runs in well under 30 seconds on a CPU.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from lrcourse import exercises as ex
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.explorers import live_figure, reset_all

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 在抛物线上走几步
#
# 取 f(x) = h·x²/2，最小值在 x = 0，h 是曲率（抛物线有多“陡”）。梯度是 h·x，
# 所以学习率为 η 的一步梯度下降是
#
# x ← x − η·h·x = (1 − η·h)·x
#
# 每走一步，x 都被乘上同一个数 1 − η·h。走 k 步就是乘 k 次：x_k = (1 − η·h)^k · x_0。
# 下面取 h = 10，试五个学习率。

# %% [markdown] tags=["lang-en"]
# ## Take a few steps on a parabola
#
# Take f(x) = h·x²/2, with its minimum at x = 0; h is the curvature (how steep the parabola is). The
# gradient is h·x, so one step of gradient descent with learning rate η is
#
# x ← x − η·h·x = (1 − η·h)·x
#
# Every step multiplies x by the same number, 1 − η·h, and k steps multiply it k times:
# x_k = (1 − η·h)^k · x_0. Here are five learning rates with h = 10.

# %%
def gradient_descent(lr, h, x0=1.0, steps=30):
    """x_0, x_1, ..., x_steps for gradient descent on f(x) = h x^2 / 2, whose gradient is h x."""
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * h * xs[-1])
    return np.array(xs)


h = 10.0
trial_lrs = (0.05, 0.1, 0.15, 0.19, 0.21)
fig, ax = plt.subplots(figsize=(7, 3.2))
for lr in trial_lrs:
    xs = gradient_descent(lr, h)
    style = "--" if lr * h < 1 else "-"
    ax.semilogy(np.abs(xs) + 1e-20, marker=".", ls=style, label=plot_text("l01_lr_h", v=lr * h))
    print(t("l01_steps_row", lr=lr, q=xs[1] / xs[0], x30=abs(xs[-1])))
ax.set_ylim(1e-12, 1e3)
ax.set_xlabel(plot_text("step"))
ax.set_ylabel(plot_text("l01_abs_x"))
ax.legend(fontsize=8)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 读图：η·h = 0.5 时每步减半；η·h = 1 时一步就到最小值（那条线直接掉出了图）；
# η·h = 1.5 时 x 每步变号、来回跳，但幅度同样每步减半，所以它和 0.5 的虚线重合；η·h = 1.9 时缩得很慢；
# η·h = 2.1 时每步放大 1.1 倍，越跳越远——这就是**发散**。
#
# 规律是：|1 − η·h| < 1 时收敛，也就是 **0 < η < 2/h**。学习率并不是越大越快：
# 超过 1/h，每一步都会冲过头；超过 2/h，冲过头的量比拉回来的还多，就再也收不回来了。
# 正好等于 2/h 时，乘数是 −1：x 在 +x₀ 和 −x₀ 之间永远来回跳，既不收敛也不发散。下面的单元格把这些话逐条写成断言。

# %% [markdown] tags=["lang-en"]
# Reading the plot: with η·h = 0.5 each step halves x; with η·h = 1 one step lands exactly on the
# minimum (that line drops off the plot); with η·h = 1.5, x flips sign every step, but its size also
# halves each step, so that line lies on top of the dashed 0.5 one; with η·h = 1.9 it shrinks slowly; with η·h = 2.1 every step makes it 1.1 times larger: this is
# **divergence**.
#
# The rule: it converges when |1 − η·h| < 1, that is **0 < η < 2/h**. A larger learning rate is not
# always faster: beyond 1/h every step overshoots, and beyond 2/h it overshoots by more than it
# corrects. Exactly at 2/h the factor is −1: x bounces between +x₀ and −x₀ forever, neither
# converging nor diverging. The next cell turns each of these statements into an assertion.

# %%
for lr in (0.05, 0.15, 0.19, 0.21, 0.3):
    xs = gradient_descent(lr, h)
    assert np.allclose(xs[1:] / xs[:-1], 1 - lr * h)   # every step multiplies x by (1 - lr h)
assert gradient_descent(1 / h, h)[1] == 0                # lr = 1/h: the minimum in one step
for lr in (0.15, 0.19, 0.21):                            # beyond 1/h: every step overshoots (x flips sign)
    xs = gradient_descent(lr, h)
    assert np.all(xs[1:] * xs[:-1] < 0)
assert np.allclose(np.abs(gradient_descent(0.15, h)), np.abs(gradient_descent(0.05, h)))  # 1.5 lies on 0.5
assert abs(gradient_descent(1.9 / h, h)[-1]) < 1         # lr = 1.9/h: shrinks ...
assert abs(gradient_descent(2.1 / h, h)[-1]) > 1         # lr = 2.1/h: grows
assert np.all(np.abs(gradient_descent(2 / h, h, steps=200)) == 1)  # lr = 2/h exactly: bounces, forever
assert abs(gradient_descent(0.19, h)[-1]) > abs(gradient_descent(0.05, h)[-1])  # larger is not always faster

# %% [markdown] tags=["lang-zh"]
# ## 找出稳定的边界
#
# 公式说边界在 2/h = 0.2。不信公式的话，可以直接扫一遍：把学习率从 0.01 试到 0.3，每个跑 200 步，
# 看哪些最后比出发时离最小值更近。

# %% [markdown] tags=["lang-en"]
# ## Find the edge of stability
#
# The formula puts the edge at 2/h = 0.2. If you would rather not trust a formula, scan: try every
# learning rate from 0.01 to 0.3, run 200 steps each, and see which ones end closer to the minimum
# than they started.

# %%
scan = np.round(np.arange(0.01, 0.3, 0.001), 3)
ends = np.array([abs(gradient_descent(lr, h, steps=200)[-1]) for lr in scan])
largest_stable = scan[ends < 1].max()
print(t("l01_largest_stable", found=largest_stable, bound=2 / h))
assert abs(largest_stable - 2 / h) <= 0.001 + 1e-9
assert np.all(ends[scan < 2 / h] < 1) and np.all(ends[scan > 2 / h] > 1)

# %% [markdown] tags=["lang-zh"]
# 真实的模型有成千上万个方向，各方向的曲率不同，却共用一个学习率，所以上限由**最陡的方向**决定。
# 比如两个方向，h = 1 和 h = 10：学习率 0.21 对平缓的方向来说小得很（它的上限是 2/1 = 2），陡的方向却已经发散了。
# 反过来，为了不让陡的方向发散，平缓的方向只能慢慢挪：学习率必须低于 0.2，平缓方向每步最多缩小不到 20%，
# 而学习率取 1 时它一步就能到位——后面的练习还会回到这个矛盾。

# %% [markdown] tags=["lang-en"]
# A real model has thousands of directions, each with its own curvature, and one learning rate for
# all of them. The **steepest** direction sets the limit. Take two directions, h = 1 and h = 10: a
# learning rate of 0.21 is tiny for the flat one (its limit is 2/1 = 2), yet the steep one already
# diverges. And to keep the steep one stable, the flat one has to crawl: with the learning rate below
# 0.2, the flat direction shrinks by less than 20 % per step, where a learning rate of 1 would settle it
# in one step. An exercise below comes back to this tension.

# %%
flat, steep = 1.0, 10.0
for lr in (0.19, 0.21):
    print(t("l01_two_directions_row", lr=lr, flat=abs(gradient_descent(lr, flat, steps=100)[-1]), h_flat=flat,
            steep=abs(gradient_descent(lr, steep, steps=100)[-1]), h_steep=steep))
assert 0.21 < 2 / flat and abs(gradient_descent(0.21, flat, steps=100)[-1]) < 1e-6
assert abs(gradient_descent(0.21, steep, steps=100)[-1]) > 1
stable_for_steep = scan[scan < 2 / steep]                # every lr that keeps the steep direction stable ...
assert np.all(np.abs(1 - stable_for_steep * flat) > 1 - 2 / steep)  # ... shrinks the flat one by less than 20 % a step

# %% [markdown] tags=["lang-zh"]
# ### 自己拖一拖
#
# **先预测：** h = 10 时，学习率 0.15 会让 x 每步变号吗？它还会收敛吗？学习率要大到多少，
# 点才会越跳越远？先写下你的答案，再拖动滑块验证。
#
# 每拖动一次滑块，这个小探索器只运行上面定义过的一行 `xs = gradient_descent(lr, h)`，然后重画这些点。

# %% [markdown] tags=["lang-en"]
# ### Try it yourself
#
# **Predict first:** with h = 10, does a learning rate of 0.15 make x change sign at every step? Does
# it still converge? How large must the learning rate be before the points fly off? Write your answers
# down, then move the slider to check.
#
# Each time you move the slider, this small explorer runs one line defined above,
# `xs = gradient_descent(lr, h)`, and redraws the points.

# %%
gd_h = h  # the curvature this explorer uses (h = 10)
gd_controls = {"lr": widgets.FloatSlider(value=0.05, min=0.01, max=0.25, step=0.005, readout_format=".3f",
                                         description=t("learning_rate"), style={"description_width": "initial"})}
gd_fig = Figure(figsize=(6, 2.6))
gd_ax = gd_fig.subplots()
(gd_line,) = gd_ax.plot(np.arange(31), np.zeros(31), "o-", ms=3)
gd_ax.axhline(0, color="gray", lw=0.5)
gd_ax.set(ylim=(-2, 2), xlabel=plot_text("step"), ylabel="x")
gd_fig.tight_layout()


def draw_gd(lr):
    xs = gradient_descent(lr, gd_h)  # the one call the explorer makes
    gd_line.set_ydata(xs)
    q = 1 - lr * gd_h
    if np.isclose(q, -1, rtol=0, atol=1e-9):
        verdict = "l01_bounces"  # exactly 2/h: neither converges nor diverges
    else:
        verdict = "l01_converges" if 0 <= q < 1 else "l01_oscillates" if -1 < q < 0 else "l01_diverges"
    return t("l01_factor_readout", q=q, verdict=t(verdict))


gd_box, gd_readout, gd_image = live_figure(gd_fig, gd_controls, draw_gd)
gd_box

# %% [markdown] tags=["lang-zh"]
# ## 给梯度加上噪声
#
# 真正训练时，梯度是用一小批数据算出来的，它等于“真梯度 + 噪声”。我们在抛物线上模拟这一点：
# 每一步的梯度是 h·x + σ·ξ，ξ 是标准正态随机数。为了让一次运行的损失曲线不至于太抖，
# 模型有 d = 1000 个相互独立的参数，每个都是这样一条抛物线，损失取它们的平均。
# 这是“带噪声的二次模型”的一个极简版本：Zhang 等人（2019）用这类模型研究批量大小，
# 他们的模型里各个方向的曲率和噪声各不相同，我们这里让所有方向都一样。
#
# 学习率用 lrlib 的调度给出：`schedule(np.arange(T))` 一次返回每一步的学习率。
# 先看恒定学习率 0.1（h = 1，远低于稳定上限 2），用 5 个随机种子各跑一次：

# %% [markdown] tags=["lang-en"]
# ## Add noise to the gradient
#
# In real training the gradient is computed on a small batch of data: it is the true gradient plus
# noise. We mimic that on the parabola: at each step the gradient is h·x + σ·ξ, with ξ a standard
# normal random number. So that one run's loss curve is not too jumpy, the model has d = 1000
# independent parameters, each on its own parabola, and the loss is their average. This is a stripped-down
# version of the noisy quadratic model that Zhang et al. (2019) used to study batch sizes: in theirs the
# directions differ in curvature and noise, here they are all the same.
#
# The learning rate comes from an lrlib schedule: `schedule(np.arange(T))` gives the learning rate
# for every step at once. First a constant learning rate of 0.1 (h = 1, far below the limit of 2),
# one run for each of 5 random seeds:

# %%
h, sigma, x0, T, d = 1.0, 1.0, 3.0, 1000, 1000
SEEDS = range(5)


def sgd(schedule, seed, steps=T):
    """Loss after each step of SGD on d parabolas h x^2 / 2, with gradients h x + sigma * noise."""
    rng = np.random.default_rng(seed)
    lrs = schedule(np.arange(steps))  # one learning rate per step
    x = np.full(d, x0)
    losses = [np.mean(h * x**2 / 2)]
    for lr in lrs:
        x = x - lr * (h * x + sigma * rng.standard_normal(d))
        losses.append(np.mean(h * x**2 / 2))
    return np.array(losses)


constant_runs = np.array([sgd(lrlib.constant(0.1), seed) for seed in SEEDS])

fig, ax = plt.subplots(figsize=(7, 3.2))
for k, run in enumerate(constant_runs):
    ax.semilogy(run, lw=0.8, label=plot_text("l01_seed", k=k))
ax.set_xlabel(plot_text("step"))
ax.set_ylabel(plot_text("loss"))
ax.legend(fontsize=8, ncol=5)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 损失先很快下降，然后在 0.026 附近**停住**，再跑多少步也不再往下走（第 250–500 步和第 500–1000 步的平均值相差不到 5%）。
# 这个高度就是噪声地板。
# 它从哪来？把一步写开：x ← (1 − η·h)·x − η·σ·ξ。对 x² 取期望（噪声与 x 无关），得到
#
# E[x²] ← (1 − η·h)²·E[x²] + η²·σ²
#
# 不动点是 E[x²] = η·σ² / (h·(2 − η·h))，所以损失的地板是
#
# **L* = h·E[x²]/2 = η·σ² / (2·(2 − η·h))**
#
# 学习率小的时候它约等于 η·σ²/4：**地板和学习率成正比**。噪声本身没变，是步子的大小决定了 x 在最小值附近晃多远。
# 下面用后 500 步的平均值来估计每个种子的地板，再和公式比较：

# %% [markdown] tags=["lang-en"]
# The loss drops quickly and then **stalls** near 0.026, however long you keep going (its averages over
# steps 250–500 and 500–1000 differ by less than 5 %). That level is the noise floor. Where does it come from? Write one step out: x ← (1 − η·h)·x − η·σ·ξ. Taking the
# expectation of x² (the noise is independent of x) gives
#
# E[x²] ← (1 − η·h)²·E[x²] + η²·σ²
#
# whose fixed point is E[x²] = η·σ² / (h·(2 − η·h)). The floor of the loss is therefore
#
# **L* = h·E[x²]/2 = η·σ² / (2·(2 − η·h))**
#
# For a small learning rate this is about η·σ²/4: **the floor is proportional to the learning rate**.
# The noise is the same whatever η is; the step size decides how far x keeps jittering around the
# minimum. Below, each seed's floor is estimated by the average of its last 500 steps and compared
# with the formula:

# %%
def noise_floor(lr, h=h, sigma=sigma):
    """Stationary expected loss of SGD with a constant lr on h x^2 / 2 with gradient noise sigma."""
    return lr * sigma**2 / (2 * (2 - lr * h))


def plateau(runs):
    """Each run's average loss over its second half (the stationary part)."""
    return runs[:, T // 2:].mean(axis=1)


sweep = {}
for lr in (0.02, 0.1, 0.5, 1.0, 1.5, 1.8):
    runs = constant_runs if lr == 0.1 else np.array([sgd(lrlib.constant(lr), seed) for seed in SEEDS])
    sweep[lr] = plateau(runs)
    mean, sd = sweep[lr].mean(), sweep[lr].std(ddof=1)
    print(t("l01_floor_row", lr=lr, sim=mean, sd=sd, formula=noise_floor(lr)))
    assert abs(mean - noise_floor(lr)) < 0.05 * noise_floor(lr)                 # within 5 % ...
    assert abs(mean - noise_floor(lr)) < 4 * sd / np.sqrt(len(SEEDS)) + 1e-3 * noise_floor(lr)  # ... and the noise
early, late = constant_runs[:, 250:500].mean(axis=1), constant_runs[:, 500:].mean(axis=1)
assert np.all(np.abs(early / late - 1) < 0.05)                   # lr 0.1: stalled by step 250, on every seed
assert round(noise_floor(0.1), 3) == 0.026 and round(sweep[0.1].mean(), 3) == 0.026  # "near 0.026"

# %% [markdown] tags=["lang-zh"]
# 把这些点画在公式曲线上。学习率越接近稳定上限 2/h，地板升得越快，到上限处变成无穷大：
# 稳定性和噪声地板是同一个式子 1 − η·h 的两面。

# %% [markdown] tags=["lang-en"]
# Here are those points on the formula's curve. As the learning rate approaches the stability limit
# 2/h the floor climbs ever faster, to infinity at the limit: stability and the noise floor are two
# sides of the same factor 1 − η·h.

# %%
grid = np.linspace(0.01, 1.95, 200)
lr_points = np.array(sorted(sweep))
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.loglog(grid, noise_floor(grid), label=plot_text("l01_floor_formula"))
ax.errorbar(lr_points, [sweep[lr].mean() for lr in lr_points], yerr=[sweep[lr].std(ddof=1) for lr in lr_points],
            fmt="o", label=plot_text("l01_simulated", n=len(SEEDS)))
ax.axvline(2 / h, color="gray", ls="--", lw=0.8)
ax.set_xlabel(plot_text("learning_rate"))
ax.set_ylabel(plot_text("noise_floor"))
ax.legend(fontsize=8)
plt.show()
ratio = sweep[0.1].mean() / sweep[0.02].mean()
print(f"L*(0.1) / L*(0.02) = {ratio:.2f}")
assert 4.5 < ratio < 5.5  # five times the learning rate, about five times the floor

# %% [markdown] tags=["lang-zh"]
# ## 让学习率衰减，降到地板以下
#
# 于是有了一个两难：学习率大，前期下降快，但地板高；学习率小，地板低，但要走很久才能到。
# 学习率调度把两者接起来：先大后小。下面比较四种做法，每种 5 个种子：
#
# - 恒定 0.1；
# - 恒定 0.001（一开始就很小）；
# - **余弦退火**：`lrlib.cosine_decay(0.1, decay_steps=T)`，从 0.1 平滑降到 0；
# - **多阶梯衰减**：`lrlib.multistep_decay(0.1, milestones=[500, 750], gamma=0.1)`，在第 500 和 750 步各乘 0.1。
#
# 实线是 5 个种子的平均，阴影是最小值到最大值的范围。

# %% [markdown] tags=["lang-en"]
# ## Decay the learning rate to get below the floor
#
# Hence a dilemma: a large learning rate falls fast early but has a high floor; a small one has a low
# floor but takes ages to get there. A learning-rate schedule joins the two: large first, small later.
# Four ways to train, 5 seeds each:
#
# - constant 0.1;
# - constant 0.001 (small from the start);
# - **cosine annealing**: `lrlib.cosine_decay(0.1, decay_steps=T)`, smoothly from 0.1 down to 0;
# - **multistep decay**: `lrlib.multistep_decay(0.1, milestones=[500, 750], gamma=0.1)`, times 0.1 at
#   steps 500 and 750.
#
# Solid lines are the mean of the 5 seeds; the shading spans the lowest to the highest run.

# %%
schedules = {
    "constant": lrlib.constant(0.1),
    "small": lrlib.constant(0.001),
    "cosine": lrlib.cosine_decay(0.1, decay_steps=T),
    "multistep": lrlib.multistep_decay(0.1, milestones=[500, 750], gamma=0.1),
}
names = {"constant": ("l01_constant", dict(lr=0.1)), "small": ("l01_constant", dict(lr=0.001)),
         "cosine": ("cosine_annealing", {}), "multistep": ("multistep_decay", {})}  # display strings
runs = {name: (constant_runs if name == "constant" else np.array([sgd(s, seed) for seed in SEEDS]))
        for name, s in schedules.items()}

fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.4))
for name, s in schedules.items():
    ax_lr.plot(s(np.arange(T)), label=plot_text(names[name][0], **names[name][1]))
    r = runs[name]
    (line,) = ax_loss.semilogy(r.mean(axis=0), lw=1)
    ax_loss.fill_between(np.arange(T + 1), r.min(axis=0), r.max(axis=0), color=line.get_color(), alpha=0.2)
ax_lr.set(xlabel=plot_text("step"), ylabel=plot_text("learning_rate"))
ax_loss.set(xlabel=plot_text("step"), ylabel=plot_text("loss"), ylim=(1e-3, 10))
ax_lr.legend(fontsize=8)
plt.show()

final = {name: r[:, -1] for name, r in runs.items()}
for name, f in final.items():
    print(t("l01_final_row", name=t(names[name][0], **names[name][1]), mean=f.mean(), sd=f.std(ddof=1), lo=f.min(), hi=f.max()))

# %% [markdown] tags=["lang-zh"]
# 两种衰减都把损失压到了地板的十分之一以下；而且在 5 个种子里，衰减组最差的一次也比恒定组最好的一次强，
# 差别远大于种子之间的波动。一开始就用 0.001 的那组更糟：走了 1000 步，还没到最小值附近。
# 另外留意多阶梯衰减的第 500 步：学习率一降，损失马上跟着掉下去。

# %% [markdown] tags=["lang-en"]
# Both decays push the loss below a tenth of the floor, and the worst of the 5 decayed runs beats the
# best constant one: the gap dwarfs the spread between seeds. Starting at 0.001 is worse still: after
# 1000 steps it has not even reached the neighbourhood of the minimum. Also look at step 500 of the
# multistep decay: the moment the learning rate drops, the loss drops with it.

# %%
const, small, cos, multi = (final[name] for name in ("constant", "small", "cosine", "multistep"))
for decayed in (cos, multi):
    assert decayed.max() < const.min()                       # every decayed run beats every constant run
    gap = const.mean() - decayed.mean()
    assert gap > 10 * np.sqrt((const.var(ddof=1) + decayed.var(ddof=1)) / len(SEEDS))  # far beyond the noise
    assert decayed.max() < noise_floor(0.1) / 10             # every run below a tenth of the floor
assert small.min() > const.max()                             # small from the start: worse still ...
assert small.min() > 0.1 * runs["small"][:, 0].min()         # ... still above a tenth of where it started
m = runs["multistep"].mean(axis=0)
assert 0.8 < m[499] / m[400] < 1.25 and m[600] < 0.3 * m[499]  # flat before the drop at step 500, falls after it

# %% [markdown] tags=["lang-zh"]
# ### 自己拖一拖：噪声地板
#
# **先预测：** 用恒定学习率时，把学习率从 0.1 减到 0.05，平台的高度会变成多少？
# 换成余弦退火以后，起始学习率从 0.1 提到 0.5，最终损失会跟着变高 5 倍吗？先写下来，再动手。
#
# 这个探索器每次做两件事：`schedule = make_schedule(kind, lr)` 用上面那几个 lrlib 函数创建调度，
# `sgd(schedule, seed)` 用它训练（取 3 个种子的平均）。虚线是一直用这个学习率不变时的噪声地板。

# %% [markdown] tags=["lang-en"]
# ### Try it yourself: the noise floor
#
# **Predict first:** with a constant learning rate, what happens to the plateau when you go from 0.1
# to 0.05? With cosine annealing, if you raise the starting learning rate from 0.1 to 0.5, does the
# final loss go up five times as well? Write your guesses down, then try.
#
# Each time, this explorer does two things: `schedule = make_schedule(kind, lr)` builds the schedule
# with the same lrlib functions as above, and `sgd(schedule, seed)` trains with it (averaged over 3
# seeds). The dashed line is the noise floor of a constant learning rate of the same size.

# %%
def make_schedule(kind, lr):
    """One of the three schedules above, starting at lr."""
    if kind == "constant":
        return lrlib.constant(lr)
    if kind == "cosine":
        return lrlib.cosine_decay(lr, decay_steps=T)
    return lrlib.multistep_decay(lr, milestones=[500, 750], gamma=0.1)


nf_controls = {
    "lr": widgets.FloatSlider(value=0.1, min=0.02, max=1.0, step=0.02, description=t("peak_lr"),
                              style={"description_width": "initial"}),
    "kind": widgets.Dropdown(options=[(t("l01_constant_kind"), "constant"), (t("cosine_annealing"), "cosine"),
                                      (t("multistep_decay"), "multistep")], value="constant",
                             description=t("lr_schedule"), style={"description_width": "initial"}),
}
nf_fig = Figure(figsize=(6, 2.8))
nf_ax = nf_fig.subplots()
(nf_line,) = nf_ax.semilogy(np.arange(T + 1), np.ones(T + 1), lw=1)
(nf_floor,) = nf_ax.plot([0, T], [1, 1], "k--", lw=0.8)
nf_ax.set(ylim=(1e-4, 10), xlabel=plot_text("step"), ylabel=plot_text("loss"))
nf_fig.tight_layout()


def draw_noise_floor(lr, kind):
    schedule = make_schedule(kind, lr)
    losses = np.mean([sgd(schedule, seed) for seed in range(3)], axis=0)
    nf_line.set_ydata(losses)
    nf_floor.set_ydata([noise_floor(lr)] * 2)
    return t("l01_nf_readout", final=losses[-1], floor=noise_floor(lr))


nf_box, nf_readout, nf_image = live_figure(nf_fig, nf_controls, draw_noise_floor)
nf_box

# %% [markdown] tags=["lang-zh"]
# 答案：恒定学习率减半，平台也差不多减半——地板大致和学习率成正比。余弦退火就不一样了：
# 起始学习率提高到 5 倍，最终损失增加还不到一倍。因为不管从哪里出发，结尾的学习率都降到了接近 0，
# 最终损失主要由结尾决定。

# %% [markdown] tags=["lang-en"]
# Answer: halve a constant learning rate and the plateau roughly halves too, since the floor is about
# proportional to the learning rate. Cosine annealing behaves differently: five times the starting
# learning rate, and the final loss does not even double. Wherever it starts, the learning rate ends
# near 0, and the end is what mostly decides the final loss.

# %%
cos_from = {lr: np.array([sgd(lrlib.cosine_decay(lr, decay_steps=T), seed)[-1] for seed in SEEDS]) for lr in (0.1, 0.5)}
per_seed = cos_from[0.5] / cos_from[0.1]                        # the same seed, started at 0.5 and at 0.1
print(t("l01_start_ratio", mean=per_seed.mean(), lo=per_seed.min(), hi=per_seed.max(), n=len(SEEDS),
        floor=noise_floor(0.5) / noise_floor(0.1)))
assert abs(noise_floor(0.05) / noise_floor(0.1) - 0.5) < 0.05   # constant: half the lr, about half the floor
assert per_seed.max() < 2                                       # annealed: 5x the start, less than 2x the loss, every seed

# %% [markdown] tags=["lang-zh"]
# ## 检验两个流行说法
#
# **说法一：**
#
# > “余弦退火的好处在于能跳出局部最优，找到全局最优。”
#
# 我们的函数只有一个最小值，根本没有局部最优可跳，余弦退火照样把损失降到了恒定学习率的十几分之一。
# 起作用的是**退火**本身：训练末尾的学习率小了，噪声地板就低了。
# 反过来验证：让余弦退火停在不同的终点学习率上（每个终点 5 个种子）。终点越低，最终损失越低，
# 差别比种子之间的波动大得多；而且最终损失离终点学习率对应的噪声地板很近（高出不到 10%）。
# （一直降到 0 时，最后那些步子太小，来不及走到地板，所以最终损失比地板高一些，但仍然是最低的。）
#
# 形状也比一比：多阶梯衰减在每个种子上都比余弦退火低百分之几到百分之十左右（范围见下面的打印），在这个模型里这个差别是真的，不是波动；
# 但它比“衰减与不衰减”之间的差别小得多（见下面打印的两个对数比值）。哪种形状更好要看具体问题，
# 不要从这一个例子里读出一般的排名。

# %% [markdown] tags=["lang-en"]
# ## Test two popular claims
#
# **Claim one:**
#
# > "Cosine annealing works because it escapes local minima and finds the global minimum."
#
# Our function has a single minimum: there is no local minimum to escape, and still cosine annealing
# ended more than ten times lower than the constant learning rate. What does the work is the
# **annealing** itself: a small learning rate at the end means a low noise floor. Check it the other
# way round: stop the cosine at different final learning rates (5 seeds each). The lower the end, the
# lower the final loss, by much more than the seed-to-seed spread, and the final loss lands close to
# (less than 10 % above) the noise floor of the final learning rate. (Going all the way to 0, the last
# steps are too small to settle, so the loss ends above that floor of 0, but still lowest of all.)
#
# Compare the shapes too: multistep decay ends several percent lower than cosine on every seed (the range is printed below). In this
# model that gap is real, not noise, but it is far smaller than the gap between decaying and not
# decaying (the two log ratios printed below). Which shape wins depends on the problem; don't read a
# general ranking into this one example.

# %%
end_lrs = (0.05, 0.02, 0.01, 0.0)
by_end = {e: np.array([sgd(lrlib.cosine_decay(0.1, T, end_lr=e), seed)[-1] for seed in SEEDS]) for e in end_lrs}
for e, losses in by_end.items():
    print(t("l01_end_lr_row", end=e, loss=losses.mean(), sd=losses.std(ddof=1), floor=noise_floor(e)))
assert all(by_end[a].min() > by_end[b].max() for a, b in zip(end_lrs, end_lrs[1:]))  # lower end, lower loss, every seed
assert all(0 < by_end[e].mean() / noise_floor(e) - 1 < 0.1 for e in end_lrs if e > 0)  # just above the end lr's floor
shape_diff = np.log(cos / multi)                                 # per seed: how much lower multistep ends
decay_gap = np.log(const.mean() / cos.mean())
print(t("l01_shape_vs_decay", shape=shape_diff.mean(), lo=shape_diff.min(), hi=shape_diff.max(), decay=decay_gap))
assert np.all(shape_diff > 0)                                    # multistep lower on every seed: not noise here ...
assert shape_diff.mean() > 3 * shape_diff.std(ddof=1) / np.sqrt(len(SEEDS))
assert shape_diff.max() < 0.15 and shape_diff.mean() < decay_gap / 20  # ... but a few percent, against a factor of 15

# %% [markdown] tags=["lang-zh"]
# **说法二：**
#
# > “Adam 会自动调整步长，所以不需要学习率调度，调度只是给 SGD 用的。”
#
# Adam 按每个参数梯度的大小做归一化，但它不会随着训练进行把步子一直缩小下去。在最小值附近，梯度主要是噪声：
# 动量能平均掉一部分噪声，可归一化之后每一步的大小停在学习率的一个固定比例上（下面实测约为五分之一），
# 不会趋向 0，于是 Adam 同样有噪声地板。在同一个问题上把优化器换成 Adam（β₁ = 0.9，β₂ = 0.999）试试：

# %% [markdown] tags=["lang-en"]
# **Claim two:**
#
# > "Adam adapts the step size by itself, so it needs no learning-rate schedule; schedules are for SGD."
#
# Adam divides each parameter's step by a running estimate of its gradient's size, but nothing in it
# keeps shrinking the steps as training goes on. Near the minimum the gradient is mostly noise: momentum
# averages some of it out, yet after the division each step settles at a fixed fraction of the learning
# rate (about a fifth here, measured below) instead of going to 0, so Adam has a noise floor too.
# Swap the optimizer for Adam (β₁ = 0.9, β₂ = 0.999) on the same problem:

# %%
def adam(schedule, seed, steps=T, b1=0.9, b2=0.999, eps=1e-8, step_sizes=None):
    """Loss after each step of Adam on the same noisy parabolas (step_sizes: a list to log each step's RMS / lr)."""
    rng = np.random.default_rng(seed)
    lrs = schedule(np.arange(steps))
    x, m, v = np.full(d, x0), np.zeros(d), np.zeros(d)
    losses = [np.mean(h * x**2 / 2)]
    for k, lr in enumerate(lrs, start=1):
        g = h * x + sigma * rng.standard_normal(d)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        step = lr * (m / (1 - b1**k)) / (np.sqrt(v / (1 - b2**k)) + eps)
        x = x - step
        losses.append(np.mean(h * x**2 / 2))
        if step_sizes is not None:
            step_sizes.append(np.sqrt(np.mean(step**2)) / lr)
    return np.array(losses)


step_sizes = []                                          # seed 0 logs its step sizes
adam_const = np.array([adam(lrlib.constant(0.1), seed, step_sizes=step_sizes if seed == 0 else None)
                       for seed in SEEDS])
adam_cos = np.array([adam(lrlib.cosine_decay(0.1, decay_steps=T), seed) for seed in SEEDS])
for name, r in ((t("l01_constant", lr=0.1), adam_const), (t("cosine_annealing"), adam_cos)):
    print(t("l01_adam", what=t("l01_final_row", name=name, mean=r[:, -1].mean(), sd=r[:, -1].std(ddof=1),
                                lo=r[:, -1].min(), hi=r[:, -1].max())))
stall = adam_const[:, T] / adam_const[:, T // 2]          # per seed
early_step, late_step = np.mean(step_sizes[:10]), np.mean(step_sizes[T // 2:])
print(t("l01_adam_stall", lo=stall.min(), hi=stall.max(), early=early_step, late=late_step))
assert np.all((0.8 < stall) & (stall < 1.25))             # constant lr: Adam stalls on a floor too, every seed
assert early_step > 0.8 and 0.15 < late_step < 0.3        # steps shrink from ~lr to about a fifth of it ...
assert abs(np.mean(step_sizes[T // 2:3 * T // 4]) / np.mean(step_sizes[3 * T // 4:]) - 1) < 0.05  # ... then stay
assert adam_cos[:, -1].max() < adam_const[:, -1].min()    # and decay beats it on every seed
assert adam_cos[:, -1].mean() < adam_const[:, -1].mean() / 10  # more than 10x lower, as with SGD:
assert cos.mean() < const.mean() / 10

# %% [markdown] tags=["lang-zh"]
# 恒定学习率下，Adam 在第 500 步和第 1000 步的损失几乎一样——停在了地板上；配上余弦退火，每个种子都降得更低。
# 这和实践是一致的：大模型训练通常用 AdamW 加上预热和衰减（余弦或 WSD），而不是恒定学习率；
# 这个小实验演示了其中一个原因，但不能代替在真实模型上的证据。
#
# ## 动手试试
#
# **练习 1.** 写一个函数 `factor(lr, h)`：在 f(x) = h·x²/2 上做一步梯度下降，|x| 被乘上了多少？
# （大于 1 说明 x 离最小值越来越远。）

# %% [markdown] tags=["lang-en"]
# With a constant learning rate, Adam's loss at step 1000 is about what it was at step 500: it sits on
# a floor. With cosine annealing every seed ends lower. This agrees with practice, where large models
# are usually trained with AdamW plus warmup and a decay (cosine or WSD) rather than a constant learning
# rate; the toy shows one reason why, but it is no substitute for evidence on real models.
#
# ## On your own
#
# **Exercise 1.** Write a function `factor(lr, h)`: by how much does one gradient-descent step on
# f(x) = h·x²/2 multiply |x|? (More than 1 means x moves away.)

# %% tags=["exercise"]
def factor(lr, h):
    ...  # your code here


ex.check_function(factor, [((0.05, 10.0), 0.5), ((0.1, 10.0), 0.0), ((0.15, 10.0), 0.5),
                           ((0.25, 10.0), 1.5), ((0.01, 1.0), 0.99)], name="factor")

# %% tags=["solution"]
def factor(lr, h):
    return abs(1 - lr * h)


assert ex.check_function(factor, [((0.05, 10.0), 0.5), ((0.1, 10.0), 0.0), ((0.15, 10.0), 0.5),
                                  ((0.25, 10.0), 1.5), ((0.01, 1.0), 0.99)], name="factor")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 先写出一步：新的 x 等于 `x - lr * h * x`。
# </details>
#
# <details><summary>提示 2</summary>
#
# 新的 x 除以旧的 x 是 `1 - lr * h`，它可能是负数（x 变号）。题目问的是 |x| 被乘了多少。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return abs(1 - lr * h)`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Write one step first: the new x is `x - lr * h * x`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The new x divided by the old one is `1 - lr * h`, which can be negative (x changes sign). The
# question is about |x|.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return abs(1 - lr * h)`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 一个模型有两个方向，曲率 h = 1 和 h = 10，只能用同一个恒定学习率。
# 哪个学习率能让**较慢**的那个方向收敛得最快？把它赋给 `best_lr`（误差 2% 以内算对）。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** A model has two directions with curvatures h = 1 and h = 10, and one constant learning
# rate for both. Which learning rate makes the **slower** of the two converge fastest? Store it in
# `best_lr` (within 2 % counts).

# %% tags=["exercise"]
best_lr = ...  # your code here

ex.check_number(best_lr, "sealed:MjgxODE4MTgxODE4MTgxODEuMA==", rtol=0.02, name="best_lr")

# %% tags=["solution"]
candidates = np.linspace(0.001, 0.2, 2000)
slowest = np.maximum(np.abs(1 - candidates * 1.0), np.abs(1 - candidates * 10.0))
best_lr = candidates[np.argmin(slowest)]

assert ex.check_number(best_lr, "sealed:MjgxODE4MTgxODE4MTgxODEuMA==", rtol=0.02, name="best_lr")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 每个方向每步乘上 |1 − η·h|。两个方向里乘数较大的那个更慢，它决定了整体有多快。
# </details>
#
# <details><summary>提示 2</summary>
#
# 在 0 到 0.2 之间取很多个学习率，对每个算 `max(abs(1 - lr*1), abs(1 - lr*10))`，用 `np.argmin` 找最小的。
# </details>
#
# <details><summary>提示 3</summary>
#
# 最优点在两个乘数相等的地方：1 − η = 10·η − 1。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Each direction is multiplied by |1 − η·h| per step. Whichever factor is larger is the slower
# direction, and it sets the overall pace.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Try many learning rates between 0 and 0.2, compute `max(abs(1 - lr*1), abs(1 - lr*10))` for each,
# and pick the smallest with `np.argmin`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# The best point is where the two factors are equal: 1 − η = 10·η − 1.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 还是 h = 1、σ = 1。要让噪声地板不高于 0.01，恒定学习率最大能取多少？赋给 `lr_for_floor`。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** Still h = 1 and σ = 1. What is the largest constant learning rate whose noise floor
# is at most 0.01? Store it in `lr_for_floor`.

# %% tags=["exercise"]
lr_for_floor = ...  # your code here

ex.check_number(lr_for_floor, "sealed:ODkwNTQ3MjY4NjUxMjkzMC4w", rtol=0.002, name="lr_for_floor")

# %% tags=["solution"]
lr_for_floor = 0.04 / 1.02  # lr / (2 (2 - lr)) = 0.01  =>  lr = 0.04 - 0.02 lr  =>  lr = 0.04 / 1.02

assert ex.check_number(lr_for_floor, "sealed:ODkwNTQ3MjY4NjUxMjkzMC4w", rtol=0.002, name="lr_for_floor")
assert np.isclose(noise_floor(lr_for_floor), 0.01)        # the answer puts the floor exactly at 0.01

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 上面定义过 `noise_floor(lr)`。地板随学习率单调上升，所以答案就是 `noise_floor(lr) = 0.01` 的解。
# </details>
#
# <details><summary>提示 2</summary>
#
# 可以扫：`lrs = np.linspace(0.001, 0.1, 10000)`，取 `lrs[noise_floor(lrs) <= 0.01].max()`。
# </details>
#
# <details><summary>提示 3</summary>
#
# 也可以解方程：η / (2·(2 − η)) = 0.01，即 η = 0.04 − 0.02·η，得 η = 0.04 / 1.02 ≈ 0.0392。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# `noise_floor(lr)` is defined above. The floor rises with the learning rate, so the answer solves
# `noise_floor(lr) = 0.01`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Scan: `lrs = np.linspace(0.001, 0.1, 10000)`, then `lrs[noise_floor(lrs) <= 0.01].max()`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# Or solve η / (2·(2 − η)) = 0.01, that is η = 0.04 − 0.02·η, which gives η = 0.04 / 1.02 ≈ 0.0392.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 4.** 自己设计一个 T = 1000 步的学习率调度 `my_schedule(t)`：第 0 步是 0.1，第 1000 步是 0.001，
# 中间只降不升。形状随你：直线、阶梯、余弦都可以。检查通过以后，下一个单元格会用它训练 5 个种子，
# 和恒定学习率、余弦退火比一比。

# %% [markdown] tags=["lang-en"]
# **Exercise 4.** Design your own schedule `my_schedule(t)` over T = 1000 steps: 0.1 at step 0, 0.001 at
# step 1000, and never going up in between. Any shape will do: a line, steps, a cosine. Once the check
# passes, the next cell trains with it on 5 seeds and compares it with a constant learning rate and
# with cosine annealing.

# %%
exercise_4 = dict(values={0: 0.1, 1000: 0.001}, monotone="decreasing", bounds=(0.001, 0.1), total_steps=1000)

# %% tags=["exercise"]
def my_schedule(t):
    ...  # your code here


ex.check_schedule(my_schedule, **exercise_4)

# %% tags=["solution"]
def my_schedule(t):
    return 0.1 * 0.01 ** (min(t, 1000) / 1000)  # exponential: 0.1 -> 0.001


assert ex.check_schedule(my_schedule, **exercise_4)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 最简单的是一条直线：从 (0, 0.1) 到 (1000, 0.001)。
# </details>
#
# <details><summary>提示 2</summary>
#
# `return 0.1 + (0.001 - 0.1) * min(t, 1000) / 1000`
# </details>
#
# <details><summary>提示 3</summary>
#
# 用 lrlib 也行：`my_schedule = lrlib.cosine_decay(0.1, decay_steps=1000, end_lr=0.001)`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The simplest is a straight line from (0, 0.1) to (1000, 0.001).
# </details>
#
# <details><summary>Hint 2</summary>
#
# `return 0.1 + (0.001 - 0.1) * min(t, 1000) / 1000`
# </details>
#
# <details><summary>Hint 3</summary>
#
# lrlib works too: `my_schedule = lrlib.cosine_decay(0.1, decay_steps=1000, end_lr=0.001)`.
# </details>

# %%
if ex.check_schedule(my_schedule, **exercise_4, quiet=True):
    yours = np.array([sgd(lambda steps: np.array([my_schedule(int(k)) for k in steps]), seed)[-1] for seed in SEEDS])
    print(t("l01_yours", mine=yours.mean(), sd=yours.std(ddof=1), const=const.mean(), cos=cos.mean()))

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - 在 f(x) = h·x²/2 上，梯度下降每步把 x 乘以 1 − η·h；**0 < η < 2/h** 才收敛，η = 1/h 一步到位，
#   正好 2/h 时原地来回跳，超过 2/h 发散。有很多方向时，最陡的方向决定上限。
# - 梯度有噪声时，恒定学习率会停在**噪声地板** L* = η·σ²/(2·(2 − η·h)) 上；学习率远小于 2/h 时，它大致和学习率成正比。
# - 先大后小的学习率两头兼顾：前期走得快，后期地板低。在 5 个种子上，衰减组的每一次训练都好过恒定组的任何一次。
# - 在这个模型里，好处全部来自**退火**（末尾的学习率小）：这里根本没有局部最优可跳。
#   衰减的形状也有影响（这里多阶梯比余弦低百分之几到百分之十左右），但远没有“衰不衰减”重要。
# - 在这个模型里，Adam 用恒定学习率同样停在噪声地板上；衰减对它的帮助和对 SGD 差不多（最终损失都降到十分之一以下）。
#
# ## 延伸阅读
#
# - Zhang 等，*Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic Model*，NeurIPS 2019：
#   本课噪声模型的来源，还讨论了批量大小。<https://arxiv.org/abs/1907.04164>
# - Bottou、Curtis、Nocedal，*Optimization Methods for Large-Scale Machine Learning*（2018）第 4 节：
#   恒定步长的 SGD 只收敛到最优点附近的一个区域，步长决定区域大小。<https://arxiv.org/abs/1606.04838>
# - Goh，*Why Momentum Really Works*（Distill，2017）：用同样的二次函数讲收敛和发散，带交互图。
#   <https://distill.pub/2017/momentum/>
# - Gotmare 等，*A Closer Look at Deep Learning Heuristics*，ICLR 2019：检验了“余弦退火为什么有效”的常见解释。
#   <https://arxiv.org/abs/1810.13243>
# - CS231n 课程笔记“Annealing the learning rate”一节。<https://cs231n.github.io/neural-networks-3/#anneal>
# - lrlib 文档：`help(lrlib.cosine_decay)`、`help(lrlib.multistep_decay)`。下一课讲阶梯衰减。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - On f(x) = h·x²/2, each gradient-descent step multiplies x by 1 − η·h. It converges only for
#   **0 < η < 2/h**; η = 1/h gets there in one step; exactly 2/h bounces in place; beyond 2/h it
#   diverges. With many directions, the steepest one sets the limit.
# - With noisy gradients, a constant learning rate stalls on a **noise floor**,
#   L* = η·σ²/(2·(2 − η·h)); for learning rates well below 2/h it is roughly proportional to the
#   learning rate.
# - Large first, small later gets you both: fast early progress and a low floor at the end. On 5
#   seeds, every decayed run beat every constant run.
# - In this model the whole gain comes from **annealing** (a small learning rate at the end): there is
#   no local minimum to escape. The shape of the decay matters too (multistep ended several percent
#   below cosine here), but far less than whether you decay at all.
# - In this model Adam at a constant learning rate stalls on a noise floor too, and a decay helps it
#   about as much as it helps SGD (the final loss drops more than tenfold for both).
#
# ## Further reading
#
# - Zhang et al., *Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy
#   Quadratic Model*, NeurIPS 2019: where this lesson's noise model comes from; it also covers batch
#   size. <https://arxiv.org/abs/1907.04164>
# - Bottou, Curtis and Nocedal, *Optimization Methods for Large-Scale Machine Learning* (2018),
#   section 4: SGD with a fixed step converges only to a region around the optimum, whose size the step
#   sets. <https://arxiv.org/abs/1606.04838>
# - Goh, *Why Momentum Really Works* (Distill, 2017): convergence and divergence on the same
#   quadratic, with interactive figures. <https://distill.pub/2017/momentum/>
# - Gotmare et al., *A Closer Look at Deep Learning Heuristics*, ICLR 2019: puts the usual explanations
#   of why cosine annealing works to the test. <https://arxiv.org/abs/1810.13243>
# - CS231n notes, "Annealing the learning rate". <https://cs231n.github.io/neural-networks-3/#anneal>
# - lrlib's documentation: `help(lrlib.cosine_decay)`, `help(lrlib.multistep_decay)`. The next lesson
#   is about step decay.

# %%
# Drive both explorers from code, so that a broken callback fails the tests.
gd_controls["lr"].value = 0.1               # lr = 1/h: the minimum in one step
assert gd_line.get_ydata()[1] == 0 and t("l01_converges") in gd_readout.value
gd_controls["lr"].value = 0.15              # zigzag, still converging
y = gd_line.get_ydata()
assert np.all(y[1:] * y[:-1] < 0) and abs(y[-1]) < 1e-6 and t("l01_oscillates") in gd_readout.value
gd_controls["lr"].value = 0.2               # exactly 2/h: bounces between +1 and -1
assert np.allclose(np.abs(gd_line.get_ydata()), 1) and t("l01_bounces") in gd_readout.value
gd_controls["lr"].value = 0.21              # beyond 2/h: diverges
assert abs(gd_line.get_ydata()[-1]) > 1 and t("l01_diverges") in gd_readout.value
assert gd_image.value[:4] == b"\x89PNG"

nf_controls["kind"].value = "constant"
nf_controls["lr"].value = 0.2               # a constant lr settles on its floor
plateau_level = nf_line.get_ydata()[T // 2:].mean()
assert abs(plateau_level / noise_floor(0.2) - 1) < 0.05 and nf_floor.get_ydata()[0] == noise_floor(0.2)
nf_controls["kind"].value = "cosine"        # the same start, annealed: far below that floor
assert nf_line.get_ydata()[-1] < noise_floor(0.2) / 10
assert reset_all() >= 1   # every explorer back where the text above expects it
