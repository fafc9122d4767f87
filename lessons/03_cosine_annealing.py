# %% [markdown] tags=["lang-zh"]
# # 推导余弦退火：公式、下限，以及过了终点之后
#
# 余弦退火（cosine annealing）大概是今天最常用的学习率衰减方式：学习率沿着半条余弦曲线，从峰值平滑地降到下限。
# 公式只有一行，但围绕它的误会不少：它和线性衰减到底差在哪？训练超过 T 以后学习率会怎样？
# T 填的是轮数还是迭代次数？这一课把公式从头推一遍，再把这几个问题逐一算清楚。
#
# ## 你将学到
#
# - 从 [0, π] 上的余弦函数一步步推出 η(t) = η_min + (η_max − η_min)·(1 + cos(π·t/T))/2，并说出下限 η_min 起什么作用；
# - 用计算检验一种流行说法：“余弦退火后期比线性衰减保留了更大的学习率”——实际上前半段更高、后半段更低；
# - 说清过了 T 以后会发生什么：lrlib 保持在下限，PyTorch 的 `CosineAnnealingLR` 会以 2·T_max 为周期爬回去；
# - 明白 T 的单位就是你调用 `step()` 的单位，并识别“按迭代调用、却按轮数填 T”这类真实的 bug。
#
# ## 你需要
#
# - 第 01 课（为什么要让学习率衰减）；看过第 02 课（阶梯衰减）更好，但不是必需；会用 numpy 数组；知道 cos 0 = 1、cos π = −1；
# - 大约 25 分钟。笔记本在 CPU 上十几秒就能跑完，不需要 PyTorch（装了的话，有一步会拿真正的
#   `CosineAnnealingLR` 来核对）。

# %% [markdown] tags=["lang-en"]
# # Derive cosine annealing: the formula, its floor, and what happens after the end
#
# Cosine annealing is probably the most widely used way to decay a learning rate today: the learning
# rate follows half a cosine, smoothly from its peak down to a floor. The formula fits on one line, yet
# it attracts plenty of confusion. How does it really differ from linear decay? What happens if training
# runs past T? Is T a number of epochs or of iterations? This lesson derives the formula from scratch
# and then settles each of those questions with a computation.
#
# ## What you'll learn
#
# - derive η(t) = η_min + (η_max − η_min)·(1 + cos(π·t/T))/2 step by step from the cosine on [0, π],
#   and say what the floor η_min does;
# - test a popular claim with numbers: "cosine keeps a larger learning rate late in training than
#   linear decay"; in fact it is higher in the first half and lower in the second;
# - explain what happens past T: lrlib holds the floor, PyTorch's `CosineAnnealingLR` climbs back up
#   with a period of 2·T_max;
# - see that T counts whatever unit you call `step()` in, and recognise the real bug of stepping every
#   iteration with T given in epochs.
#
# ## What you'll need
#
# - lesson 01 (why decay the learning rate at all); lesson 02 (step decay) helps but is not required;
#   numpy arrays; cos 0 = 1 and cos π = −1;
# - about 25 minutes. The notebook runs in well under 30 seconds on a CPU and does not need PyTorch
#   (if it is installed, one step checks the real `CosineAnnealingLR` as well).

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import matplotlib.pyplot as plt
import numpy as np

from lrlib import compat
from lrcourse import exercises as ex
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrlib.units import epoch_of_iteration
from lrcourse.explorers import DecayComparisonExplorer, SteppingExplorer, reset_all

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 从余弦函数推出公式
#
# 我们想要一条曲线：t = 0 时等于峰值 η_max，t = T 时等于下限 η_min，中间平滑地只降不升。
# cos 在 [0, π] 上正好是这样一段：从 1 平滑地降到 −1。剩下的只是换算：
#
# 1. **换横轴**：令 u = π·t/T，t 从 0 走到 T 时，u 从 0 走到 π；
# 2. **取余弦**：cos u 从 1 降到 −1；
# 3. **平移、减半**：(1 + cos u)/2 从 1 降到 0；
# 4. **拉伸到学习率**：乘上 η_max − η_min，再加上 η_min，就从 η_max 降到 η_min。
#
# 合起来就是
#
# **η(t) = η_min + (η_max − η_min) · (1 + cos(π·t/T)) / 2**
#
# 下限 η_min 不是可有可无的：它决定了终点，也挪动了中点。t = T/2 时 cos(π/2) = 0，
# 学习率是 (η_max + η_min)/2，即峰值和下限的正中间，而不是峰值的一半。
# 下面用 η_max = 0.1、η_min = 0.001、T = 100 把这四步写成 numpy，再和 `lrlib.cosine_decay` 逐点比较。

# %% [markdown] tags=["lang-en"]
# ## Derive the formula from a cosine
#
# We want a curve that equals the peak η_max at t = 0 and the floor η_min at t = T, and goes smoothly
# down in between, never up. On [0, π], cos does exactly that: it falls smoothly from 1 to −1. All
# that is left is a change of scale:
#
# 1. **rescale time**: let u = π·t/T, so u runs from 0 to π while t runs from 0 to T;
# 2. **take the cosine**: cos u falls from 1 to −1;
# 3. **shift and halve**: (1 + cos u)/2 falls from 1 to 0;
# 4. **stretch onto learning rates**: multiply by η_max − η_min and add η_min; now it falls from η_max
#    to η_min.
#
# Put together:
#
# **η(t) = η_min + (η_max − η_min) · (1 + cos(π·t/T)) / 2**
#
# The floor η_min is more than a detail: it sets the end point, and it moves the midpoint too. At
# t = T/2, cos(π/2) = 0, so the learning rate is (η_max + η_min)/2, halfway between peak and floor,
# not half the peak. Here are the four steps in numpy with η_max = 0.1, η_min = 0.001 and T = 100,
# compared point by point with `lrlib.cosine_decay`.

# %%
eta_max, eta_min, T = 0.1, 0.001, 100   # peak, floor, length (in whatever unit we step in)
ts = np.linspace(0, T, 1001)

u = np.pi * ts / T                      # 1. rescale time onto [0, pi]
c = np.cos(u)                           # 2. from 1 down to -1
s = (1 + c) / 2                         # 3. from 1 down to 0
mine = eta_min + (eta_max - eta_min) * s  # 4. from eta_max down to eta_min

cosine = lrlib.cosine_decay(eta_max, decay_steps=T, end_lr=eta_min)
rel_err = np.max(np.abs(cosine(ts) - mine) / mine)
print(t("l03_vs_lrlib", err=rel_err))
print(t("l03_three_values", a=cosine(0), b=cosine(T / 2), c=cosine(T)))

assert rel_err < 1e-12
assert np.isclose(cosine(0), eta_max) and np.isclose(cosine(T), eta_min)
assert np.isclose(cosine(T / 2), (eta_max + eta_min) / 2) and not np.isclose(cosine(T / 2), eta_max / 2)
assert np.all(np.diff(cosine(ts)) < 0)  # strictly decreasing on [0, T]
mid = (eta_max + eta_min) / 2           # point symmetry about (T/2, mid): the second half mirrors the first
d = np.linspace(0, T / 2, 51)
assert np.allclose(cosine(T / 2 + d) - mid, -(cosine(T / 2 - d) - mid), rtol=0, atol=1e-15)

fig, (ax_u, ax_t) = plt.subplots(1, 2, figsize=(9, 3))
ax_u.plot(u, c, label="cos u")
ax_u.plot(u, s, label="(1 + cos u) / 2")
ax_u.axhline(0, color="gray", lw=0.5)
ax_u.set_xticks([0, np.pi / 2, np.pi], ["0", "π/2", "π"])
ax_u.set_xlabel(plot_text("l03_u_axis"))
ax_u.legend(fontsize=8)
ax_t.plot(ts, mine, label="η(t)")
ax_t.axhline(eta_min, color="gray", ls="--", lw=0.8, label=plot_text("l03_floor_line"))
ax_t.plot([T / 2], [mid], "o", color="k", ms=4)
ax_t.set_xlabel("t")
ax_t.set_ylabel(plot_text("learning_rate"))
ax_t.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 右图里的黑点是 (T/2, 中点)。余弦退火关于这个点**中心对称**：后半段是前半段绕着它转半圈得到的
# （上面的断言逐点检验了这一点）。记住这个对称性，下一节会用到。
#
# 各个库表示下限的方式不同，算的却是同一个东西：PyTorch 的 `eta_min` 是一个学习率（绝对值），
# 而 optax 的 `cosine_decay_schedule` 和 Keras 的 `CosineDecay` 用一个比例 α = η_min/η_max，写成
# η_max·((1 − α)·(1 + cos(π·t/T))/2 + α)。展开一下就是同一个公式：

# %% [markdown] tags=["lang-en"]
# The black dot on the right is (T/2, midpoint). Cosine annealing is **point-symmetric** about it: the
# second half is the first half turned half a circle around that point (the assertion above checks it
# point by point). Keep this symmetry in mind for the next section.
#
# Libraries write the floor differently but compute the same thing: PyTorch's `eta_min` is a learning
# rate (an absolute value), while optax's `cosine_decay_schedule` and Keras's `CosineDecay` take a
# ratio α = η_min/η_max and compute η_max·((1 − α)·(1 + cos(π·t/T))/2 + α). Multiply it out and it is
# the same formula:

# %%
alpha = eta_min / eta_max
ratio_form = eta_max * ((1 - alpha) * (1 + np.cos(np.pi * ts / T)) / 2 + alpha)
alpha_err = np.max(np.abs(ratio_form - mine) / mine)
print(t("l03_alpha_form", err=alpha_err))
assert alpha_err < 1e-12

# %% [markdown] tags=["lang-zh"]
# ### 附：lrlib 为什么把这个式子写成正弦的平方
#
# 由半角公式，(1 + cos πp)/2 = sin²(π(1 − p)/2)，两边是同一个数。在纸上没有区别，在浮点数里有：
# 接近终点时 cos πp 非常接近 −1，1 + cos πp 是两个几乎相等的数相减，前面的有效数字一起抵消掉，
# 只剩下 cos 那一步的舍入误差（约 10⁻¹⁶）占了大头。sin² 的写法里没有减法，每一位都保得住。
#
# 拿一百万步、下限为 0 的余弦退火的最后一步（t = T − 1）来看。这时剩下的角度 x = π/(2T) 很小，
# 真值可以用泰勒展开算准：sin²x = x² − x⁴/3 + …，后面的项只有 x² 的 10⁻²⁵ 左右，float64 根本看不到。

# %% [markdown] tags=["lang-en"]
# ### Aside: why lrlib writes this as a squared sine
#
# By the half-angle formula, (1 + cos πp)/2 = sin²(π(1 − p)/2): the same number. On paper that is the
# end of it; in floating point it is not. Near the end cos πp is very close to −1, so 1 + cos πp
# subtracts two nearly equal numbers: the leading digits cancel, and what is left is dominated by the
# rounding error of the cosine itself (about 10⁻¹⁶). The squared sine has no subtraction and keeps
# every digit.
#
# Take the last step (t = T − 1) of a million-step cosine annealing to a floor of 0. The angle left,
# x = π/(2T), is small, so the true value follows from the Taylor series, sin²x = x² − x⁴/3 + …; the
# terms after these two are about 10⁻²⁵ of x², far beyond what float64 can see.

# %%
T_big = 10**6
x_left = np.pi / 2 / T_big                                   # the angle left at t = T - 1
exact = x_left**2 * (1 - x_left**2 / 3)                      # sin^2 x, two Taylor terms
assert 2 * x_left**4 / 45 < 1e-24                            # the next term, relative to x^2
naive = (1 + np.cos(np.pi * (T_big - 1) / T_big)) / 2        # the textbook form (and the seed's, and PyTorch's)
ours = lrlib.cosine_decay(1.0, T_big)(T_big - 1)
err_naive, err_ours = abs(naive / exact - 1), abs(ours / exact - 1)
print(t("l03_last_step", exact=exact, naive=naive, ours=ours, err_naive=err_naive, err_ours=err_ours))
assert err_naive > 1e-6 and err_ours < 1e-15       # 1 + cos: wrong in the 6th digit; lrlib: right to the last
assert lrlib.cosine_decay(1.0, T_big)(range(T_big))[-1] == ours   # the fast whole-curve route agrees

# %% [markdown] tags=["lang-zh"]
# 对训练来说这无所谓：那一步的学习率只有峰值的 10⁻¹²，错在第 6 位也不影响任何东西。
# 它影响的是“两个实现是否一致”这类检查。下面拿 YOLO 配方原始的 `get_lr_scheduler`（逐步用 `math.cos` 计算）
# 和 lrlib 比较一个 1000 步、`min_lr = 0` 的调度：

# %% [markdown] tags=["lang-en"]
# For training this does not matter: at that step the learning rate is 10⁻¹² of the peak, and an error
# in its 6th digit changes nothing. It matters when you check that two implementations agree. Here is
# the YOLO recipe's original `get_lr_scheduler` (one `math.cos` per step) against lrlib, on a 1000-step
# schedule with `min_lr = 0`:

# %%
recipe = compat.get_lr_scheduler("cos", 0.01, 0.0, 1000)
steps_cos = range(3, 985)                                   # the cosine part: after 3 warmup steps, before the 15-step tail
original = np.array([compat.original_get_lr_scheduler_value("cos", 0.01, 0.0, 1000, k) for k in steps_cos])
ours_all = recipe(steps_cos)
rel_diff = np.abs(ours_all - original) / original
worst = int(np.argmax(rel_diff))
print(t("l03_recipe_diff", rel=rel_diff[worst], step=steps_cos[worst], peak_share=abs(ours_all - original).max() / 0.01))
assert steps_cos[worst] == 984 and rel_diff[worst] > 1e-12     # largest at the last cosine step, above 1e-12 relative
assert abs(ours_all - original).max() / 0.01 < 1e-15          # yet below 1e-15 of the peak

# %% [markdown] tags=["lang-zh"]
# 最大的差别出现在余弦段的最后一步，相对误差超过 10⁻¹²，可换算成峰值的比例还不到 10⁻¹⁵。
# 所以比较学习率调度时，容差要相对**峰值**来定，而不是要求每一位都相同，也不是只看相对误差。
# 本项目拿 lrlib 和原始函数的 530 组录制输出对比，用的是相对 10⁻¹² 的容差，全部通过；
# 但像上面这样下限为 0、步数又多的调度，就只能按峰值来比了。

# %% [markdown] tags=["lang-en"]
# The largest difference is at the last cosine step: above 10⁻¹² relative, yet below 10⁻¹⁵ of the
# peak. So when you compare schedules, set the tolerance relative to the **peak**, not bit for bit and
# not purely relative. This project checks lrlib against 530 recorded outputs of the original function
# to a relative 10⁻¹², and all pass; a long schedule with a floor of 0, like this one, can only be
# compared relative to the peak.

# %% [markdown] tags=["lang-zh"]
# ## 把余弦退火和线性衰减放在一起比较
#
# 网上有一种很常见的说法：
#
# > “线性衰减后期学习率下降过快……余弦衰减后期衰减更平缓”，所以余弦退火在训练后期保留了更大的学习率。
#
# 前半句说的是**斜率**，后半句却变成了**数值**。把两条曲线画在一起就清楚了。为了让结论不依赖具体数字，
# 横轴用 t/T（走完的比例），纵轴用峰值的比例，下限取 0；
# 有下限时两条曲线都是 η_min + (η_max − η_min)·h(t/T)，比较的结论完全一样。

# %% [markdown] tags=["lang-en"]
# ## Compare cosine annealing with linear decay
#
# A claim you will meet often:
#
# > "Late in training linear decay drops the learning rate too fast … cosine decays more gently at the
# > end."
#
# It is usually read as: so cosine keeps a larger learning rate late in training. The quote is about the
# **slope**; that reading is about the **value**. Overlay the two curves and it becomes clear. So that the conclusion does not depend on particular numbers, the x axis is
# t/T (the fraction of the run done), the y axis is the fraction of the peak, and the floor is 0. With
# a floor both curves are η_min + (η_max − η_min)·h(t/T), and the comparison comes out exactly the same.

# %%
p = np.linspace(0, 1, 2001)                       # t / T
cos_f = lrlib.cosine_decay(1.0, decay_steps=1.0)  # peak 1, floor 0: values are fractions of the peak
lin_f = lrlib.decay(1.0, decay_steps=1.0, shape="linear")
gap = cos_f(p) - lin_f(p)

fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(9, 3))
ax_a.plot(p, cos_f(p), label=plot_text("cosine_annealing"))
ax_a.plot(p, lin_f(p), label=plot_text("linear_decay"))
ax_a.plot([0.9, 0.9], [cos_f(0.9), lin_f(0.9)], "k.-", lw=0.8)
ax_a.set(xlabel=plot_text("l03_fraction_axis"), ylabel=plot_text("l03_fraction_of_peak"))
ax_a.legend(fontsize=8)
ax_b.plot(p, gap, color="#8e5bb5", label=plot_text("l03_difference"))
ax_b.axhline(0, color="gray", lw=0.5)
ax_b.axvline(0.5, color="gray", ls="--", lw=0.8)
ax_b.set(xlabel=plot_text("l03_fraction_axis"))
ax_b.legend(fontsize=8)
fig.tight_layout()
plt.show()

first, second = (p > 0) & (p < 0.5), (p > 0.5) & (p < 1)
assert np.all(gap[first] > 0) and np.all(gap[second] < 0)            # above, then below
assert np.allclose(gap[[0, 1000, 2000]], 0, atol=1e-15)               # equal at 0, T/2 and T
assert np.allclose(gap[::-1], -gap, rtol=0, atol=1e-15)               # gap(T - t) = -gap(t): point symmetry
at_09_cos, at_09_lin = cos_f(0.9), lin_f(0.9)
print(t("l03_at_09", cos=at_09_cos, lin=at_09_lin))
assert np.isclose(at_09_cos, (1 + np.cos(0.9 * np.pi)) / 2) and round(at_09_cos, 5) == 0.02447
assert np.isclose(at_09_lin, 0.1) and at_09_lin / at_09_cos > 4        # linear is more than 4x higher

# %% [markdown] tags=["lang-zh"]
# 在 t = 0.9·T，余弦退火只剩峰值的约 2.45%（精确值是 (1 + cos 0.9π)/2 ≈ 0.02447），线性衰减还有 10%，
# 是余弦的四倍多。整个后半段，余弦都**低于**线性；前半段则反过来，余弦一直**高于**线性。
# 这正是上一节的中心对称：两条曲线在 T/2 相交，差值曲线关于点 (T/2, 0) 中心对称——
# 前半段高出多少，后半段对应的位置就低多少。
#
# 那“后期更平缓”错了吗？没有，它说的是斜率。余弦的斜率是 −(π/2)·sin(π·t/T)（以“每走完整个 T 降多少个峰值”计），
# 在 t 接近 T 时趋于 0；线性的斜率始终是 −1。所以后期余弦确实降得更慢——但那是因为它**已经降到很低了**。
# 下面把斜率、最大差距和平均值都算出来：

# %% [markdown] tags=["lang-en"]
# At t = 0.9·T cosine annealing is down to about 2.45% of the peak (exactly (1 + cos 0.9π)/2 ≈ 0.02447),
# while linear decay is still at 10%, more than four times as much. Over the whole second half cosine is
# **below** linear; over the first half it is **above** it. That is the point symmetry from the previous
# section: the curves cross at T/2, and their difference is point-symmetric about (T/2, 0): however far
# cosine is above linear at some time in the first half, it is that far below at the mirrored time in
# the second.
#
# So is "more gently at the end" wrong? No: it is about the slope. The cosine's slope is
# −(π/2)·sin(π·t/T) (in peaks per T), which goes to 0 as t approaches T; the linear slope is −1
# throughout. Late in the run the cosine does fall more slowly, but only because it **is already low**.
# Here are the slopes, the largest gaps and the averages:

# %%
slope_cos, slope_lin = np.gradient(cos_f(p), p), np.gradient(lin_f(p), p)
k09 = 1800                                       # p[1800] = 0.9
print(t("l03_slopes", cos=slope_cos[k09], lin=slope_lin[k09]))
assert abs(slope_cos[k09] - (-np.pi / 2 * np.sin(0.9 * np.pi))) < 1e-4 and abs(slope_lin[k09] + 1) < 1e-9

p_flat = 1 - np.arcsin(2 / np.pi) / np.pi        # from here on, |cosine slope| < 1 = |linear slope|
late = (p > p_flat + 1e-3) & (p < 1)
assert np.all(np.abs(slope_cos[late]) < 1) and np.all(gap[late] < 0)  # flatter AND lower, at the same time

i_hi, i_lo = np.argmax(gap), np.argmin(gap)
print(t("l03_max_gap", gap=gap[i_hi], p1=p[i_hi], p2=p[i_lo]))
assert abs(gap[i_hi] - 0.1053) < 5e-4 and abs(gap[i_lo] + gap[i_hi]) < 1e-6   # +10.5% and -10.5% of the peak
assert abs(p[i_hi] - (1 - p_flat)) < 1e-3 and abs(p[i_lo] - p_flat) < 1e-3      # at 0.220 T and 0.780 T

mid_p = (np.arange(100000) + 0.5) / 100000       # midpoints: the average over the run
means = cos_f(mid_p).mean(), lin_f(mid_p).mean()
print(t("l03_means", cos=means[0], lin=means[1]))
assert all(abs(m - 0.5) < 1e-8 for m in means)    # the same average: the same total, spent differently

# %% [markdown] tags=["lang-zh"]
# 结论：
#
# - 余弦在前半段比线性最多高出峰值的 10.5%（t ≈ 0.22·T），在后半段最多低 10.5%（t ≈ 0.78·T）；
# - 从 t ≈ 0.78·T 起，余弦的斜率比线性平缓，但它的数值在那里**一直更小**；
# - 两者整段的平均学习率相同，都是峰值的一半：余弦只是把学习率更多地花在前半段，末尾退火得更彻底。
#
# 所以余弦退火和线性衰减的差别，不是“后期保留了更大的学习率”，而恰恰相反。
#
# ### 自己拖一拖：三种衰减
#
# **先预测：** 峰值 0.01、下限 0.0001、共 100 轮，每轮更新一次。在第 90 轮，余弦退火、线性衰减和
# 阶梯衰减（YOLO 配方的 10 段阶梯）哪个最高、哪个最低？把总轮数改成 40，余弦和线性的交点会移到第几轮？
# 先写下答案，再拖动“查看第几轮”和“总轮数”验证。
#
# 每动一次滑块，探索器就在第 0、1、…、总轮数 − 1 轮上计算下面三个 lrlib 调度（代码单元格的注释里也写着）。

# %% [markdown] tags=["lang-en"]
# In short:
#
# - in the first half cosine is up to 10.5% of the peak above linear (at t ≈ 0.22·T), in the second
#   half up to 10.5% below it (at t ≈ 0.78·T);
# - from t ≈ 0.78·T on, the cosine's slope is flatter than the linear one, yet its value there is
#   **always smaller**;
# - both have the same average learning rate over the run, half the peak: cosine simply spends more of
#   it in the first half and anneals more thoroughly at the end.
#
# So the difference between cosine annealing and linear decay is not "a larger learning rate late";
# it is the opposite.
#
# ### Try it yourself: three decays
#
# **Predict first:** peak 0.01, floor 0.0001, 100 epochs, stepped once per epoch. At epoch 90, which is
# highest and which lowest: cosine annealing, linear decay, or step decay (the YOLO recipe's 10
# plateaus)? If you change the total to 40 epochs, at which epoch do cosine and linear cross? Write
# your answers down, then move "read at epoch" and "total epochs" to check.
#
# Every time a slider moves, the explorer evaluates the three lrlib schedules below at epochs
# 0, 1, …, total − 1 (they are also in the comments of the code cell).

# %%
# The three schedules the explorer builds and plots (t = 0, 1, ..., total_epochs - 1):
#   lrlib.cosine_decay(peak_lr, total_epochs, min_lr)
#   lrlib.decay(peak_lr, total_epochs, min_lr, shape="linear")
#   lrlib.compat.get_lr_scheduler("step", peak_lr, min_lr, total_epochs, step_num=step_num)
decay_explorer = DecayComparisonExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=100, step_num=10)
decay_explorer

# %% [markdown] tags=["lang-zh"]
# 答案：第 90 轮，线性衰减约 0.00109，余弦退火约 0.00034，阶梯衰减已经在最后一段，等于下限 0.0001。
# 总轮数改成 40 时，交点移到第 20 轮：交点永远在 T/2，和峰值、下限、T 取多少无关。

# %% [markdown] tags=["lang-en"]
# Answer: at epoch 90 linear decay is at about 0.00109, cosine annealing at about 0.00034, and step
# decay is already on its last plateau, at the floor 0.0001. With 40 epochs the crossing moves to epoch
# 20: it is always at T/2, whatever the peak, the floor and T.

# %%
peak90, floor90 = 0.01, 0.0001
cos90 = lrlib.cosine_decay(peak90, 100, floor90)(90)
lin90 = lrlib.decay(peak90, 100, floor90, shape="linear")(90)
step90 = compat.get_lr_scheduler("step", peak90, floor90, 100, step_num=10)(90)
print(t("l03_epoch90", cos=cos90, lin=lin90, step=step90))
assert round(lin90, 5) == 0.00109 and round(cos90, 5) == 0.00034 and np.isclose(step90, floor90)
assert lin90 > cos90 > step90
e40 = np.arange(1, 40)
gap40 = lrlib.cosine_decay(peak90, 40, floor90)(e40) - lrlib.decay(peak90, 40, floor90, shape="linear")(e40)
assert np.all(gap40[e40 < 20] > 0) and abs(gap40[e40 == 20][0]) < 1e-15 and np.all(gap40[e40 > 20] < 0)

# %% [markdown] tags=["lang-zh"]
# ## 看看过了 T 以后会发生什么
#
# 公式只在 0 ≤ t ≤ T 上有意义。训练要是比 T 长（续训、多跑几轮、T 填小了），学习率怎么办？各家的答案不一样：
#
# - **lrlib**：把 t 截在 T，即 cos(π·min(t, T)/T)，过了 T 一直**保持下限**。optax 的 `cosine_decay_schedule`
#   和 Keras 的 `CosineDecay` 也这样截断；timm 的 `CosineLRScheduler` 用默认的 `cycle_limit=1` 时，
#   过了 `t_initial` 同样停在下限 `lr_min`。
# - **PyTorch 的 `CosineAnnealingLR`** 不截断（Hugging Face transformers 的 `get_cosine_schedule_with_warmup` 也不截断）。
#   PyTorch 文档给出的闭式公式是
#   η = η_min + (η_max − η_min)·(1 + cos(π·T_cur/T_max))/2，其中 T_cur 是距上次重启走过的步数（文档写的是“轮”，下一节再说这个）。
#   可它从不重启，所以 T_cur 就是调用 `step()` 的次数，过了 T_max 还在往上数。
#   余弦的周期是 2π，于是学习率过了 T_max 就沿着余弦**爬回去**，在 2·T_max 回到峰值，周期是 2·T_max。
#
# 这不是纸上谈兵。YOLOX 有一个流传很广的 PyTorch 复现（bubbliiiing/yolox-pytorch，2021 年的版本），打开它的余弦选项
# （`Cosine_scheduler=True`）时用的是 `CosineAnnealingLR(optimizer, T_max=5, eta_min=1e-5)`，初始学习率 1e-3，
# **每轮** `step()` 一次。
# 结果学习率每 10 轮在 1e-3 和 1e-5 之间来回一次。下面用闭式公式算出前 50 轮：

# %% [markdown] tags=["lang-en"]
# ## See what happens past T
#
# The formula is meant for 0 ≤ t ≤ T. What if training runs longer than T (a resumed run, a few extra
# epochs, a T set too small)? Libraries answer differently:
#
# - **lrlib** clips t at T, cos(π·min(t, T)/T), and **holds the floor** from then on. optax's
#   `cosine_decay_schedule` and Keras's `CosineDecay` clip the same way, and timm's `CosineLRScheduler`,
#   with its default `cycle_limit=1`, also stays at its floor `lr_min` after `t_initial`.
# - **PyTorch's `CosineAnnealingLR`** does not clip (nor does Hugging Face transformers'
#   `get_cosine_schedule_with_warmup`). PyTorch's documentation gives the closed form
#   η = η_min + (η_max − η_min)·(1 + cos(π·T_cur/T_max))/2, where T_cur counts the steps since the last
#   restart (the documentation says epochs; more on that in the next section). But it never restarts,
#   so T_cur is simply the number of `step()` calls, and it keeps counting past T_max. The cosine has
#   period 2π, so past T_max the learning rate **climbs back up** along the cosine and is back at the
#   peak at 2·T_max: a period of 2·T_max.
#
# This happens in real code. A popular PyTorch reimplementation of YOLOX (bubbliiiing/yolox-pytorch, its
# 2021 version), with its cosine option switched on (`Cosine_scheduler=True`), used
# `CosineAnnealingLR(optimizer, T_max=5, eta_min=1e-5)` with an initial learning rate of 1e-3, calling
# `step()` once per **epoch**. The learning rate went from 1e-3 to 1e-5 and back every 10 epochs. Here
# are the first 50 epochs, from the closed form:

# %%
def torch_cosine_closed_form(k, base_lr, eta_min, T_max):
    """The learning rate CosineAnnealingLR sets after k calls of step(): T_cur = k, it never restarts."""
    return eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * k / T_max)) / 2


epochs = np.arange(50)
yolo_lrlib = lrlib.cosine_decay(1e-3, decay_steps=5, end_lr=1e-5)(epochs)
yolo_torch = torch_cosine_closed_form(epochs, 1e-3, 1e-5, T_max=5)
for e in (0, 5, 10, 15, 20):
    print(t("l03_epoch_row", e=e, a=yolo_lrlib[e], b=yolo_torch[e]))

assert np.all(yolo_lrlib[5:] == 1e-5)                                       # lrlib: the floor from T on
assert np.allclose(yolo_torch[10:], yolo_torch[:-10], rtol=1e-12)           # PyTorch: period 2 T_max = 10
assert not np.allclose(yolo_torch[5:], yolo_torch[:-5])                     # ... and not 5
assert np.allclose(yolo_torch[5::10], 1e-5) and np.allclose(yolo_torch[0::10], 1e-3)  # floor at 5, 15, ...; peak at 0, 10, ...
assert int(np.sum(np.diff(yolo_torch) > 0)) == 24                           # 24 of its 49 steps go up

fig, ax = plt.subplots(figsize=(7, 2.8))
ax.plot(epochs, yolo_lrlib, "o-", ms=3, label=plot_text("l03_lrlib_holds"))
ax.plot(epochs, yolo_torch, "s-", ms=3, label=plot_text("l03_torch_climbs"))
ax.axvline(5, color="gray", ls="--", lw=0.8)
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("learning_rate"), ylim=(-3e-5, 1.45e-3))
ax.legend(fontsize=8, loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 闭式公式是照 PyTorch 文档写的。如果装了 PyTorch，就再拿真正的 `CosineAnnealingLR` 跑 50 轮核对一遍
# （它内部用的是递推式，不是这个闭式，但在没有别的东西改动学习率时两者相等）。
# 顺序按 PyTorch 的规定：先 `optimizer.step()`，再 `scheduler.step()`。没装 PyTorch 时这一步会打印“跳过”。

# %% [markdown] tags=["lang-en"]
# The closed form is the one in PyTorch's documentation. If PyTorch is installed, the next cell also
# runs the real `CosineAnnealingLR` for 50 epochs and compares (internally it uses a recursive update,
# not this closed form, but the two agree as long as nothing else changes the learning rate). The
# order is PyTorch's rule: `optimizer.step()` first, then `scheduler.step()`. Without PyTorch the cell
# says it skipped.

# %%
try:
    import torch
except ImportError:
    torch = None

if torch is None:
    print(t("l03_torch_skipped"))
else:
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5, eta_min=1e-5)
    used = []
    for epoch in epochs:
        used.append(optimizer.param_groups[0]["lr"])  # the learning rate this epoch trains with
        optimizer.step()
        scheduler.step()
    used = np.array(used)
    torch_err = np.max(np.abs(used - yolo_torch) / yolo_torch)
    print(t("l03_torch_agrees", version=torch.__version__, n=len(used), err=torch_err))
    assert torch_err < 1e-9

# %% [markdown] tags=["lang-zh"]
# 如果你确实想要 PyTorch 在 T_max 之后停在下限，可以把 T_max 设成真正的总步数，或者用
# `LambdaLR` 包一个截断过的函数，或者用本课程的 `lrlib.torch_adapter.ScheduleLR` 直接驱动 lrlib 的调度。
#
# ## 弄清 T 用什么单位计数
#
# 另一个常见说法是：
#
# > “T_max 就是训练的总轮数（epoch 数）。”
#
# 也有人说它是迭代次数。PyTorch 文档自己就两种说法都有：参数说明写的是 “Maximum number of iterations”，
# 公式下面又写 “T_cur is the number of epochs since the last restart”。其实两种都不对，或者说都可以对：
# **调度器本身不知道什么是轮、什么是迭代，它只数自己被调用了几次。**你每轮调用一次 `step()`，T 就是轮数；
# 每次迭代调用一次，T 就是迭代次数。
#
# 设想训练 20 轮、每轮 50 次迭代（共 1000 次），本意是让余弦在 20 轮里走完。常见的 bug 是：T 按轮数填了 20，
# 调度器却每次迭代都调用一次。正确的做法有两种：把 T 换算成迭代次数
# （`lrlib.epochs_to_iterations(20, 50)` = 1000），或者保持 T = 20 轮，但每次迭代用带小数的轮数去调用
# （`lrlib.fractional_epochs(20, 50)` 给出 0、0.02、0.04……）。

# %% [markdown] tags=["lang-en"]
# If you do want PyTorch to stay at the floor after T_max, set T_max to the real total number of steps,
# or wrap a clipped function in `LambdaLR`, or drive an lrlib schedule directly with this collection's
# `lrlib.torch_adapter.ScheduleLR`.
#
# ## Find out what unit T counts
#
# Another common claim:
#
# > "T_max is the total number of epochs."
#
# Others say it is a number of iterations. PyTorch's documentation itself says both: the parameter is
# described as "Maximum number of iterations", while the text under the formula says "T_cur is the
# number of epochs since the last restart". Neither is right, or both can be: **a scheduler does not
# know what an epoch or an iteration is; it only counts how often it has been called.** Call `step()`
# once per epoch and T is in epochs; once per iteration and T is in iterations.
#
# Say you train for 20 epochs of 50 iterations (1000 iterations in all) and mean the cosine to span
# the 20 epochs. The common bug: T is set to 20 (epochs) but the scheduler is called every iteration.
# There are two correct ways: convert T to iterations (`lrlib.epochs_to_iterations(20, 50)` = 1000), or
# keep T = 20 epochs and call the schedule every iteration with the fractional epoch
# (`lrlib.fractional_epochs(20, 50)` gives 0, 0.02, 0.04, …).

# %%
n_epochs, ipe, peak = 20, 50, 0.1
iters = np.arange(int(lrlib.epochs_to_iterations(n_epochs, ipe)))         # 0 .. 999
intended = lrlib.cosine_decay(peak, lrlib.epochs_to_iterations(n_epochs, ipe))(iters)  # T in iterations
also_right = lrlib.cosine_decay(peak, n_epochs)(lrlib.fractional_epochs(n_epochs, ipe))  # T in epochs, fractional
wrong_lrlib = lrlib.cosine_decay(peak, n_epochs)(iters)                  # T in epochs, called with iterations
wrong_torch = torch_cosine_closed_form(iters, peak, 0.0, T_max=n_epochs)  # the same mistake in PyTorch

assert len(iters) == 1000 and np.allclose(intended, also_right, rtol=1e-12, atol=1e-15)
assert np.allclose(lrlib.fractional_epochs(n_epochs, ipe)[:3], [0, 0.02, 0.04])
floor_from = int(np.argmax(wrong_lrlib == 0))
at_floor = float(np.mean(wrong_lrlib == 0))
returns = int(np.sum(np.isclose(wrong_torch[1:], peak)))
print(t("l03_units_summary", iters=len(iters), wrong_at=floor_from, wrong_epoch=floor_from / ipe, frac=at_floor,
        returns=returns))
assert floor_from == 20 and floor_from / ipe == 0.4 and at_floor == 0.98
assert np.allclose(wrong_torch[40:], wrong_torch[:-40]) and returns == 24  # period 40 iterations, 24 returns

fig, ax = plt.subplots(figsize=(7, 2.8))
x_ep = iters / ipe
ax.plot(x_ep, wrong_torch, lw=0.6, color="#d1495b", label=plot_text("l03_wrong_torch"))
ax.plot(x_ep, wrong_lrlib, lw=1.6, color="#e08e0b", label=plot_text("l03_wrong_lrlib"))
ax.plot(x_ep, intended, lw=2, color="#1f5fa8", label=plot_text("l03_intended"))
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("learning_rate"), ylim=(-0.005, 0.14))
ax.legend(fontsize=7, loc="upper right", ncol=1)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 蓝线是本意：用满 20 轮。T 填成 20、却每次迭代调用时，lrlib 在第 20 次迭代（第 0.4 轮）就降到了下限，
# 剩下 98% 的训练都停在那里；PyTorch 则以 40 次迭代为周期来回振荡，1000 次迭代里回到峰值 24 次。
# 两种错误在损失曲线上都很难一眼看出来，但画一下学习率马上就能发现——所以训练时把每一步实际用到的学习率记下来，
# 是个好习惯。T 和 `step()` 的实际调用次数对不上，这类问题在开源项目里反复出现：ivadomed/ivadomed 的 issue #57 里，
# 调度器不小心改成了每个批次调用一次，结果一次训练里走了好几个余弦周期；Tencent-Hunyuan/UniRL 的 pull request #223
# 修的是 `T_max` 被设成“总步数减去预热步数”、比实际训练短，学习率提前降到 0 又升回去的问题。
#
# ### 自己拖一拖：每轮更新，还是每次迭代都更新
#
# YOLO 配方的 `get_lr_scheduler` 把 T 按**轮数**来数（预热 → 余弦退火 → 恒定尾段，第 05 课细讲），训练脚本每轮调用一次。
# 也可以每次迭代调用，只要传入带小数的轮数。
#
# **先预测：** 总共 20 轮、每轮 10 次迭代。“每轮更新一次”的阶梯线和“每次迭代都更新”的平滑线，
# 最大的差距出现在预热里还是余弦段里？把每轮迭代数从 10 提到 50，这个最大差距会变小吗？写下答案，再拖动滑块。
#
# 探索器每次调用的是：`s = lrlib.compat.get_lr_scheduler(decay_type, peak_lr, min_lr, total_epochs)`，
# 然后阶梯线是 `s(epoch_of_iteration(total_epochs, iters_per_epoch))`，
# 平滑线是 `s(lrlib.fractional_epochs(total_epochs, iters_per_epoch))`。

# %% [markdown] tags=["lang-en"]
# The blue line is the intent: the whole 20 epochs. With T = 20 but a call every iteration, lrlib
# reaches the floor at iteration 20 (epoch 0.4) and spends the remaining 98% of training there; PyTorch
# oscillates with a period of 40 iterations and returns to the peak 24 times in 1000 iterations. Neither
# mistake is obvious from a loss curve, but a plot of the learning rate shows it at once, which is why
# logging the learning rate every step actually used is a good habit. A T that does not match the
# number of `step()` calls keeps turning up in open-source projects: in ivadomed/ivadomed issue #57 the
# scheduler had by accident been stepped every batch, so one training run went through several cosine
# cycles; Tencent-Hunyuan/UniRL pull request #223 fixes a `T_max` set to the total steps minus the
# warmup steps, shorter than the run, so that the learning rate reached 0 early and then rose again.
#
# ### Try it yourself: once per epoch, or every iteration
#
# The YOLO recipe's `get_lr_scheduler` counts T in **epochs** (warmup → cosine annealing → constant
# tail; lesson 05 takes it apart), and its training scripts call it once per epoch. You can also call it every iteration, as long
# as you pass the fractional epoch.
#
# **Predict first:** 20 epochs, 10 iterations per epoch. Is the largest gap between the "once per
# epoch" staircase and the "every iteration" smooth line inside the warmup or inside the cosine part?
# If you raise the iterations per epoch from 10 to 50, does that largest gap shrink? Write your answers
# down, then move the sliders.
#
# What the explorer calls each time: `s = lrlib.compat.get_lr_scheduler(decay_type, peak_lr, min_lr,
# total_epochs)`; the staircase is `s(epoch_of_iteration(total_epochs, iters_per_epoch))` and the smooth
# line `s(lrlib.fractional_epochs(total_epochs, iters_per_epoch))`.

# %%
# The calls the explorer makes (x = every iteration, in epochs):
#   s = lrlib.compat.get_lr_scheduler(decay_type, peak_lr, min_lr, total_epochs)
#   s(lrlib.units.epoch_of_iteration(total_epochs, iters_per_epoch))   # once per epoch: a staircase
#   s(lrlib.fractional_epochs(total_epochs, iters_per_epoch))          # every iteration: smooth
stepping_explorer = SteppingExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=20, iters_per_epoch=10)
stepping_explorer

# %% [markdown] tags=["lang-zh"]
# 答案：最大差距在预热里（这里预热只有 2 轮，二次曲线升得很快，每轮更新一次时整轮都停在轮初的值）。
# 每轮迭代数从 10 提到 50，差距不但没变小，反而略大：阶梯线仍然整轮不变，只是平滑线采样得更细，
# 离下一轮的值更近了。两种调用方式的 T 都是 20 轮，所以它们在同一轮结束预热、在同一轮进入恒定尾段。

# %% [markdown] tags=["lang-en"]
# Answer: the largest gap is inside the warmup (here only 2 epochs long; the quadratic rises fast, and
# stepped once per epoch the learning rate stays at the start-of-epoch value for the whole epoch). Going
# from 10 to 50 iterations per epoch does not shrink the gap; it grows a little: the staircase still
# holds for a whole epoch, and the smooth line, sampled more finely, gets closer to the next epoch's
# value. In both ways of calling it T is 20 epochs, so both finish the warmup, and both reach the
# constant tail, at the same epoch.

# %%
recipe = compat.get_lr_scheduler("cos", 0.01, 0.0001, 20)
warm_end = next(ph.end for ph in recipe.phases if ph.kind == "warmup")
cos_phase = next(ph for ph in recipe.phases if ph.kind == "decay")
tail_start = next(ph.start for ph in recipe.phases if ph.kind == "constant")
gaps = {}
for n in (10, 50):
    x = lrlib.fractional_epochs(20, n)
    stair, smooth = recipe(epoch_of_iteration(20, n).astype(float)), recipe(x)
    g = np.abs(stair - smooth) / 0.01
    in_cos = (x >= cos_phase.start) & (x < cos_phase.end)
    gaps[n] = (g.max(), x[np.argmax(g)], g[in_cos].max())
    print(t("l03_gap_row", ipe=n, pct=gaps[n][0], epoch=gaps[n][1], cos_pct=gaps[n][2]))
    assert gaps[n][1] < warm_end and gaps[n][0] > 2 * gaps[n][2]   # the largest gap is in the warmup
    for lr_seen in (stair, smooth):                                 # both ways of calling it:
        assert np.all(lr_seen[x < warm_end] < 0.01) and lr_seen[x == warm_end][0] == 0.01  # the peak at epoch 2
        assert np.all((lr_seen == 0.0001) == (x >= tail_start))     # and on the tail from epoch 14 exactly
assert gaps[50][0] > gaps[10][0]                                    # finer iterations: no smaller gap
assert warm_end == 2 and tail_start == 14

# %% [markdown] tags=["lang-zh"]
# ## 确认余弦退火只有半个周期
#
# 最后澄清一个名字上的混淆：
#
# > “余弦退火就是热重启，学习率会周期性地升高再降低。”
#
# 余弦退火是**一段**半余弦：从峰值降到下限，就结束了。“热重启”（SGDR，Loshchilov 与 Hutter 提出）是在它之上**另加**的做法：
# 每个周期结束时把学习率一下子跳回峰值，再来一段余弦退火。PyTorch 的 `CosineAnnealingLR`
# 也不重启（它的文档明确说实现的是不带重启的余弦退火），上面看到的回升只是 T_cur 数过了头。
# 数一数 0 到 3T 之间曲线上升了几次：

# %% [markdown] tags=["lang-en"]
# ## Check that cosine annealing is one half-cosine
#
# Finally, a mix-up of names:
#
# > "Cosine annealing is warm restarts: the learning rate periodically goes back up."
#
# Cosine annealing is **one** half-cosine: from the peak down to the floor, and that is all. Warm
# restarts (SGDR, by Loshchilov and Hutter) are an **optional addition** on top: at the end of each
# cycle the learning rate jumps straight back to the peak and another cosine annealing begins.
# PyTorch's `CosineAnnealingLR` does not restart either (its documentation says it implements cosine
# annealing without restarts); the climb we saw above is only T_cur counting too far. Count how often
# each curve goes up between 0 and 3T:

# %%
long_ts = np.arange(0, 3 * T)           # steps 0 .. 3T - 1
plain = lrlib.cosine_decay(eta_max, T, eta_min)(long_ts)
restarts = lrlib.warm_restarts(eta_max, first_cycle_steps=T // 2, end_lr=eta_min)(long_ts)
plain_rises = int(np.sum(np.diff(plain) > 0))
restart_jumps = int(np.sum(np.diff(restarts) > 0))
print(t("l03_rises", a=plain_rises, cycle=T // 2, b=restart_jumps))
inner = plain[1:-1]
assert plain_rises == 0 and not np.any((inner < plain[:-2]) & (inner < plain[2:]))  # no rise, no local minimum
assert restart_jumps == 5 and np.allclose(restarts[[50, 100, 150, 200, 250]], eta_max)  # SGDR: a jump per cycle

# %% [markdown] tags=["lang-zh"]
# lrlib 的余弦退火在 0 到 3T 之间一次也没有上升，也没有任何局部最小值；热重启每个周期跳回峰值一次。
# 热重启是第 06 课的内容。
#
# ## 动手试试
#
# **练习 1.** 自己写余弦退火 `my_cosine(t)`：峰值 0.1，下限 0.001，T = 100，过了 T 保持在下限（像 lrlib，不像 PyTorch）。
# 检查会看 t = 0、50、100、150 处的值（分别应为 0.1、0.0505、0.001、0.001），另外两个只有余弦才能对上的点，
# 以及曲线是否只降不升、是否始终在 [0.001, 0.1] 之内。

# %% [markdown] tags=["lang-en"]
# lrlib's cosine annealing does not go up even once between 0 and 3T, and has no local minimum; warm
# restarts jump back to the peak once per cycle. Warm restarts are lesson 06.
#
# ## On your own
#
# **Exercise 1.** Write cosine annealing yourself, `my_cosine(t)`: peak 0.1, floor 0.001, T = 100, and
# after T it stays at the floor (like lrlib, not like PyTorch). The check looks at the values at
# t = 0, 50, 100 and 150 (0.1, 0.0505, 0.001 and 0.001), at two more points only a cosine gets right,
# and at whether the curve never goes up and stays within [0.001, 0.1].

# %%
exercise_1 = dict(values="sealed:fTEwMC4wIDoiMDUxIiAsMTAwLjAgOiIwMDEiICw0MjA3MjI0MzAwLjAgOiIwOSIgLDUwNTAuMCA6IjA1IiAsNzU4NzEwNTU4MC4wIDoiNTIiICwxLjAgOiIwIns=",
                  monotone="decreasing", bounds=(0.001, 0.1), total_steps=150, name="my_cosine")

# %% tags=["exercise"]
def my_cosine(t):
    ...  # your code here


ex.check_schedule(my_cosine, **exercise_1)

# %% tags=["solution"]
def my_cosine(t):
    p = np.minimum(t, 100) / 100              # hold the floor after T
    return 0.001 + (0.1 - 0.001) * (1 + np.cos(np.pi * p)) / 2


assert ex.check_schedule(my_cosine, **exercise_1)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 照推导的四步写：u = π·t/T，取 cos，(1 + cos)/2，再乘 (0.1 − 0.001) 加 0.001。
# </details>
#
# <details><summary>提示 2</summary>
#
# 过了 T 要停住：先把 t 截断，`np.minimum(t, 100)`（用 `min(t, 100)` 也行，检查会逐点调用）。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return 0.001 + 0.099 * (1 + np.cos(np.pi * np.minimum(t, 100) / 100)) / 2`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Follow the four steps of the derivation: u = π·t/T, take the cos, (1 + cos)/2, then multiply by
# (0.1 − 0.001) and add 0.001.
# </details>
#
# <details><summary>Hint 2</summary>
#
# To stop after T, clip t first: `np.minimum(t, 100)` (`min(t, 100)` works too; the check then calls
# your function one point at a time).
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return 0.001 + 0.099 * (1 + np.cos(np.pi * np.minimum(t, 100) / 100)) / 2`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 余弦退火，下限为 0，T = 100。学习率在第几步降到峰值的 10%？把答案（可以带小数）赋给 `t_10`，
# 误差 0.5% 以内算对。线性衰减是在第 90 步，你猜余弦会早还是晚？

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** Cosine annealing with floor 0 and T = 100. At which step does the learning rate fall
# to 10% of the peak? Store the answer (it may be fractional) in `t_10`; within 0.5% counts. Linear
# decay gets there at step 90: do you expect cosine to be earlier or later?

# %% tags=["exercise"]
t_10 = ...  # your code here

ex.check_number(t_10, "sealed:NzY2ODAwMzUzMjc2MTUuOTc=", rtol=0.005, name="t_10")

# %% tags=["solution"]
t_10 = 100 * np.arccos(2 * 0.1 - 1) / np.pi   # (1 + cos(pi t / T)) / 2 = 0.1  =>  cos(pi t / T) = -0.8

assert ex.check_number(t_10, "sealed:NzY2ODAwMzUzMjc2MTUuOTc=", rtol=0.005, name="t_10")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 要解的方程是 (1 + cos(π·t/100))/2 = 0.1。
# </details>
#
# <details><summary>提示 2</summary>
#
# 不想解方程就扫一遍：`ts = np.linspace(0, 100, 100001)`，找第一个 `lrlib.cosine_decay(1.0, 100)(ts) <= 0.1` 的位置。
# </details>
#
# <details><summary>提示 3</summary>
#
# cos(π·t/100) = −0.8，所以 t = 100·arccos(−0.8)/π，用 `np.arccos` 算。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The equation to solve is (1 + cos(π·t/100))/2 = 0.1.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Rather not solve it? Scan: `ts = np.linspace(0, 100, 100001)`, and find the first place where
# `lrlib.cosine_decay(1.0, 100)(ts) <= 0.1`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# cos(π·t/100) = −0.8, so t = 100·arccos(−0.8)/π; compute it with `np.arccos`.
# </details>

# %% [markdown] tags=["lang-zh"]
# 算出来以后再看一眼：余弦退火有多少时间待在峰值的 10% 以下？（下一个单元格会打印出来，做完练习再运行。）

# %% [markdown] tags=["lang-en"]
# Once you have it, one more look: how much of the run does cosine annealing spend below 10% of the
# peak? (The next cell prints it; run it after the exercise.)

# %%
below_cos = float(np.mean(cos_f(mid_p) < 0.1))
below_lin = float(np.mean(lin_f(mid_p) < 0.1))
print(t("l03_below_10", cos=below_cos, lin=below_lin))
assert abs(below_cos - (1 - np.arccos(-0.8) / np.pi)) < 1e-4 and abs(below_lin - 0.1) < 1e-4
assert below_cos > 2 * below_lin    # more than twice as long as linear decay, in the last fifth of the run

# %% [markdown] tags=["lang-zh"]
# 余弦退火有大约五分之一的时间在峰值的 10% 以下，是线性衰减的两倍多——又一次说明它在后期的学习率更小，而不是更大。
#
# **练习 3.** 用 PyTorch 的 `CosineAnnealingLR(optimizer, T_max=10, eta_min=0)`，初始学习率 0.1，
# 每次调用 `optimizer.step()` 之后调用一次 `scheduler.step()`。调用 12 次 `scheduler.step()`（t = 1.2·T_max）之后，
# 优化器里的学习率是多少？
#
# - a. 0：过了 T_max 就停在下限
# - b. 约 0.01：正在往回爬，刚离开下限不远
# - c. 约 0.09：在 T_max 处重启，跳回了峰值，之后才降了一点
# - d. 报错：超过 T_max 后不允许再调用
#
# 把字母赋给 `answer_3`。

# %% [markdown] tags=["lang-en"]
# Cosine annealing spends about a fifth of the run below 10% of the peak, more than twice as long as
# linear decay: one more sign that its late learning rates are smaller, not larger.
#
# **Exercise 3.** PyTorch's `CosineAnnealingLR(optimizer, T_max=10, eta_min=0)`, initial learning rate
# 0.1, with one `scheduler.step()` after each `optimizer.step()`. After 12 calls of `scheduler.step()`
# (t = 1.2·T_max), what learning rate does the optimizer hold?
#
# - a. 0: past T_max it stays at the floor
# - b. about 0.01: it is climbing back up, still close to the floor
# - c. about 0.09: it restarted at T_max, jumped back to the peak, and has come down only a little since
# - d. an error: calling it past T_max is not allowed
#
# Store the letter in `answer_3`.

# %%
exercise_3 = dict(options="abcd", feedback={"a": "l03_fb_a", "c": "l03_fb_c", "d": "l03_fb_d"})

# %% tags=["exercise"]
answer_3 = ...  # "a", "b", "c" or "d"

ex.check_choice(answer_3, "sealed:ImIi", **exercise_3)

# %% tags=["solution"]
answer_3 = "b"  # T_cur = 12: 0.1 * (1 + cos(1.2 pi)) / 2 = 0.0095
assert round(torch_cosine_closed_form(12, 0.1, 0.0, T_max=10), 2) == 0.01  # b: climbing back, near the floor
assert round(torch_cosine_closed_form(2, 0.1, 0.0, T_max=10), 2) == 0.09   # c: what a restart at step 10 would give
if torch is not None:                                    # the real scheduler, when PyTorch is installed
    opt3 = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched3 = torch.optim.lr_scheduler.CosineAnnealingLR(opt3, T_max=10, eta_min=0)
    for _ in range(12):
        opt3.step()
        sched3.step()
    assert np.isclose(opt3.param_groups[0]["lr"], torch_cosine_closed_form(12, 0.1, 0.0, T_max=10), rtol=1e-9)

assert ex.check_choice(answer_3, "sealed:ImIi", **exercise_3)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 回到“看看过了 T 以后会发生什么”那一节：PyTorch 的 T_cur 过了 T_max 之后还在数吗？
# </details>
#
# <details><summary>提示 2</summary>
#
# 用上面定义的 `torch_cosine_closed_form(12, 0.1, 0.0, T_max=10)` 算一下。
# </details>
#
# <details><summary>提示 3</summary>
#
# cos(1.2π) = −cos(0.2π) ≈ −0.809，所以学习率是 0.1·(1 − 0.809)/2 ≈ 0.0095。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Go back to "See what happens past T": does PyTorch's T_cur stop counting at T_max?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Compute `torch_cosine_closed_form(12, 0.1, 0.0, T_max=10)` with the function defined above.
# </details>
#
# <details><summary>Hint 3</summary>
#
# cos(1.2π) = −cos(0.2π) ≈ −0.809, so the learning rate is 0.1·(1 − 0.809)/2 ≈ 0.0095.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - 余弦退火 η(t) = η_min + (η_max − η_min)·(1 + cos(π·t/T))/2，是把 [0, π] 上的 cos 平移、减半、再拉伸到 [η_min, η_max]。
#   中点 T/2 处是峰值和下限的正中间，曲线关于这个点中心对称。
# - 和线性衰减相比，余弦前半段更高、后半段更低：下限为 0 时，在 0.9·T 余弦只剩峰值的约 2.45%，线性还有 10%。
#   后期斜率更平缓，但数值更小；两者的平均学习率相同。
# - 过了 T：lrlib（以及 optax、Keras、timm）保持下限；PyTorch 的 `CosineAnnealingLR` 以 2·T_max 为周期爬回峰值。
#   一个 YOLO 复现用 T_max = 5、每轮调用一次 `step()`，学习率每 10 轮就来回一次。
# - T 的单位就是你调用调度器的单位。按迭代调用却按轮数填 T，余弦只用 T 次迭代就走完了（例子里是 20 次，还不到半轮），
#   之后停在下限或来回振荡。
#   要么把 T 换算成迭代次数，要么用带小数的轮数调用。
# - 余弦退火只有半个周期，不会重启；热重启是另加的做法（第 06 课）。
#
# ## 延伸阅读
#
# - Loshchilov、Hutter，*SGDR: Stochastic Gradient Descent with Warm Restarts*，ICLR 2017：余弦退火公式和热重启的出处。
#   <https://arxiv.org/abs/1608.03983>
# - PyTorch 文档：`torch.optim.lr_scheduler.CosineAnnealingLR`（闭式公式、T_cur 的定义、“不带重启”的说明）。
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html>
# - 《动手学深度学习》“学习率调度器”一节：余弦调度器及其预热版本的实现和训练对比。
#   <https://zh.d2l.ai/chapter_optimization/lr-scheduler.html>
# - He 等，*Bag of Tricks for Image Classification with Convolutional Neural Networks*，CVPR 2019：
#   在 ImageNet 上比较余弦退火和阶梯衰减。<https://arxiv.org/abs/1812.01187>
# - Gotmare 等，*A Closer Look at Deep Learning Heuristics: Learning rate restarts, Warmup and Distillation*，ICLR 2019：
#   检验了人们常用来解释余弦退火和热重启为什么有效的说法。
#   <https://arxiv.org/abs/1810.13243>
# - lrlib 文档：`help(lrlib.cosine_decay)`、`help(lrlib.fractional_epochs)`。下一课讲预热。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - Cosine annealing, η(t) = η_min + (η_max − η_min)·(1 + cos(π·t/T))/2, is the cos on [0, π] shifted,
#   halved and stretched onto [η_min, η_max]. At T/2 it is halfway between peak and floor, and the curve
#   is point-symmetric about that point.
# - Against linear decay, cosine is higher in the first half and lower in the second: with a floor of 0,
#   at 0.9·T it is down to about 2.45% of the peak where linear still has 10%. Its late slope is flatter, but its value
#   smaller; both have the same average learning rate.
# - Past T: lrlib (and optax, Keras, timm) holds the floor; PyTorch's `CosineAnnealingLR` climbs back
#   to the peak with a period of 2·T_max. A YOLO reimplementation with T_max = 5, stepped once per
#   epoch, swung up and down every 10 epochs.
# - T counts whatever unit you call the scheduler in. Call it every iteration with T in epochs and
#   the cosine is over after only T iterations (20 in the example, less than half an epoch), then sits
#   at the floor or oscillates. Either
#   convert T to iterations or call it with fractional epochs.
# - Cosine annealing is one half-cosine and never restarts; warm restarts are an addition (lesson 06).
#
# ## Further reading
#
# - Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017: where the
#   cosine annealing formula and warm restarts come from. <https://arxiv.org/abs/1608.03983>
# - PyTorch documentation, `torch.optim.lr_scheduler.CosineAnnealingLR` (the closed form, what T_cur
#   is, the "without restarts" note).
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html>
# - *Dive into Deep Learning*, section "Learning Rate Scheduling": a cosine scheduler, with and without
#   warmup, implemented and trained. <https://d2l.ai/chapter_optimization/lr-scheduler.html>
# - He et al., *Bag of Tricks for Image Classification with Convolutional Neural Networks*, CVPR 2019:
#   cosine annealing against step decay on ImageNet. <https://arxiv.org/abs/1812.01187>
# - Gotmare et al., *A Closer Look at Deep Learning Heuristics: Learning rate restarts, Warmup and
#   Distillation*, ICLR 2019: tests the usual explanations of why cosine annealing and restarts work.
#   <https://arxiv.org/abs/1810.13243>
# - lrlib's documentation: `help(lrlib.cosine_decay)`, `help(lrlib.fractional_epochs)`. The next lesson
#   is about warmup.

# %%
# Drive both explorers from code, so that a broken callback fails the tests.
dc = decay_explorer.controls
dc["peak_lr"].value, dc["min_lr"].value, dc["total_epochs"].value = 0.01, 0.0001, 100
dc["readout_epoch"].value = 90
assert decay_explorer.update() and decay_explorer.message == ""
e100 = np.arange(100)
for name, built in (("cosine", lrlib.cosine_decay(0.01, 100, 0.0001)),
                    ("linear", lrlib.decay(0.01, 100, 0.0001, shape="linear")),
                    ("step", compat.get_lr_scheduler("step", 0.01, 0.0001, 100, step_num=10))):
    x, y = decay_explorer.lines[name].get_data()
    assert np.array_equal(x, e100) and np.allclose(y, built(e100), rtol=1e-12)
y_cos, y_lin = decay_explorer.lines["cosine"].get_data()[1], decay_explorer.lines["linear"].get_data()[1]
assert y_cos[90] < y_lin[90] and y_cos[30] > y_lin[30]          # M6, read off the plotted data
dc["total_epochs"].value = 40                                   # the crossing follows T/2
y_cos, y_lin = decay_explorer.lines["cosine"].get_data()[1], decay_explorer.lines["linear"].get_data()[1]
assert len(y_cos) == 40 and np.all(y_cos[1:20] > y_lin[1:20]) and np.all(y_cos[21:] < y_lin[21:])

sc = stepping_explorer.controls
sc["decay_type"].value = "cos"
sc["total_epochs"].value, sc["iters_per_epoch"].value = 20, 50
assert stepping_explorer.update() and stepping_explorer.message == ""
s20 = compat.get_lr_scheduler("cos", 0.01, 0.0001, 20)
x_it, y_it = stepping_explorer.lines["per_iteration"].get_data()
x_ep, y_ep = stepping_explorer.lines["per_epoch"].get_data()
assert np.allclose(x_it, lrlib.fractional_epochs(20, 50)) and len(x_it) == 1000
assert np.allclose(y_it, s20(lrlib.fractional_epochs(20, 50)), rtol=1e-12)
assert np.allclose(y_ep, s20(epoch_of_iteration(20, 50).astype(float)), rtol=1e-12)
assert y_it[-1] == y_ep[-1] == 0.0001 and "1000" in stepping_explorer.readout.value
assert reset_all() >= 1   # every explorer back where the text above expects it
