# %% [markdown] tags=["lang-zh"]
# # 让学习率一级一级往下降：阶梯衰减
#
# 历史最久、至今仍很常用的一种学习率调度，是每隔一段时间把学习率乘上一个小于 1 的数，画出来像一级级台阶。
# ResNet 当年就是这样训练的：学习率从 0.1 开始，训练停滞时除以 10。这一课先把三种“乘法式”衰减的公式写清楚，
# 再拆开 YOLO 训练脚本里常被照抄的 `get_lr_scheduler` 函数，看它的阶梯分支，把里面的坑一个个踩一遍，
# 最后用计算检验一个流行说法：“阶梯衰减的突然下降对训练有害”。
#
# ## 你将学到
#
# - 写出**阶梯衰减**、**多阶梯衰减**和**指数衰减**的公式，并在关键的轮上手算核对；说清三者的关系；
# - 推导 YOLO 配方阶梯分支的两个量：衰减率 decay_rate = (min_lr/lr)^(1/(step_num−1)) 和每段长度 step_size = total_iters/step_num，
#   并验证最后一段正好落在 min_lr；
# - 认出这个分支的五个坑：min_lr = 0、step_num = 1、轮数少于段数、越过终点、把 `"cos"` 拼错；
# - 明白 step_size 的单位取决于你按什么单位调用调度器，以及把按轮设计的调度改成按迭代调用会出什么事；
# - 用带噪声的二次模型比较恒定、阶梯和余弦：衰减与否的差别，比衰减形状的差别大得多。
#
# ## 你需要
#
# - 学过第 01 课（噪声地板：学习率恒定时损失为什么停住）；
# - 知道 Python 的整除 `//` 和幂 `**`；
# - 大约 25 分钟。整个笔记本在 CPU 上几秒钟就能跑完。

# %% [markdown] tags=["lang-en"]
# # Bring the learning rate down one step at a time: step decay
#
# The oldest and still one of the most common learning-rate schedules multiplies the learning rate by
# a number below 1 every so often, which draws a staircase. ResNet was trained this way: start at 0.1,
# divide by 10 when training stalls. This lesson first pins down the formulas of three multiplicative
# decays, then takes apart the step branch of the widely copied `get_lr_scheduler` from the YOLO
# training scripts and walks into each of its traps, and finally tests a popular claim with numbers:
# "the sudden drops of step decay hurt training".
#
# ## What you'll learn
#
# - write the formulas of **step decay**, **multistep decay** and **exponential decay**, check them by
#   hand at the epochs that matter, and say how the three are related;
# - derive the two numbers behind the YOLO recipe's step branch, the decay rate
#   decay_rate = (min_lr/lr)^(1/(step_num−1)) and the plateau length step_size = total_iters/step_num,
#   and check that its last plateau sits exactly on min_lr;
# - recognise its five traps: min_lr = 0, step_num = 1, fewer epochs than plateaus, running past the
#   end, and a misspelt "cos";
# - see that step_size is in whatever unit you call the schedule in, and what happens when a schedule
#   designed in epochs is called every iteration;
# - compare constant, step and cosine schedules on a noisy quadratic model: whether you decay matters
#   far more than the shape of the decay.
#
# ## What you'll need
#
# - lesson 01 (the noise floor: why the loss stalls under a constant learning rate);
# - Python's floor division `//` and power `**`;
# - about 25 minutes. The notebook runs in a few seconds on a CPU.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import bisect

import matplotlib.pyplot as plt
import numpy as np

from lrlib import compat
from lrcourse import exercises as ex
from lrcourse.experiments import nqm_expected_loss, nqm_sampled_loss
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.explorers import DecayComparisonExplorer, SeedRecipeExplorer, reset_all

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)

# %% [markdown] tags=["lang-zh"]
# ## 写出阶梯衰减的公式
#
# 设初始学习率为 η₀，每 s 轮乘一次 γ（0 < γ < 1）。到第 t 轮（从 0 数起）为止，已经完整走过的段数是 ⌊t/s⌋，
# 也就是 Python 里的 `t // s`，所以
#
# **η_t = η₀ · γ^⌊t/s⌋**
#
# 这就是 PyTorch 的 `StepLR(step_size=s, gamma=γ)`，在 lrlib 里是 `lrlib.step_decay(η₀, step_size=s, gamma=γ)`。
# 经典设置是 η₀ = 0.1、s = 30、γ = 0.1。先手算几个关键的轮：第 29 轮还在第一段，⌊29/30⌋ = 0，学习率是 0.1；
# 第 30 轮刚好进入第二段，⌊30/30⌋ = 1，变成 0.01；第 89 轮 ⌊89/30⌋ = 2，是 0.001；第 90 轮 ⌊90/30⌋ = 3，是 0.0001。
# 注意下降发生在第 30 轮**当轮**，而不是第 31 轮。

# %% [markdown] tags=["lang-en"]
# ## Write down the formula of step decay
#
# Start at η₀ and multiply by γ (0 < γ < 1) every s epochs. By epoch t (counting from 0), ⌊t/s⌋ whole
# stretches of s epochs have gone by, which is `t // s` in Python, so
#
# **η_t = η₀ · γ^⌊t/s⌋**
#
# This is PyTorch's `StepLR(step_size=s, gamma=γ)`, and `lrlib.step_decay(η₀, step_size=s, gamma=γ)` in
# lrlib. The classic setting is η₀ = 0.1, s = 30, γ = 0.1. Work out the epochs that matter by hand:
# epoch 29 is still in the first plateau, ⌊29/30⌋ = 0, so 0.1; epoch 30 starts the second one,
# ⌊30/30⌋ = 1, so 0.01; epoch 89 gives ⌊89/30⌋ = 2, so 0.001; epoch 90 gives ⌊90/30⌋ = 3, so 0.0001.
# The drop happens **at** epoch 30, not at epoch 31.

# %%
step = lrlib.step_decay(0.1, step_size=30, gamma=0.1)
by_hand = {0: 0.1, 29: 0.1, 30: 0.01, 59: 0.01, 60: 0.001, 89: 0.001, 90: 0.0001}
for epoch, hand in by_hand.items():
    print(t("l02_value_row", t=epoch, lr=step(epoch), hand=hand))
    assert np.isclose(step(epoch), hand, rtol=1e-12, atol=0)           # the closed form, by hand
    assert np.isclose(step(epoch), 0.1 * 0.1 ** (epoch // 30), rtol=1e-15, atol=0)  # the formula itself
assert abs(step(90) - 1e-4) < 1e-18                                     # floating point: off in the last digit at most
epochs = np.arange(300)
assert np.all(np.diff(step(epochs)) <= 0)                               # it never goes up
assert np.count_nonzero(np.diff(step(epochs))) == 299 // 30             # one drop every 30 epochs

# %% [markdown] tags=["lang-zh"]
# 浮点数会在最后一位上差一点（第 90 轮算出来的值和 1e-4 相差不到 10⁻¹⁸），所以上面核对时允许 1e-12 的相对误差，而不要求完全相等。
#
# ## 把下降放在你想要的轮上：多阶梯衰减
#
# 阶梯衰减的段是等长的。实际训练中常常希望下降点不等距，比如 Goyal 等人训练 ResNet-50 时在第 30、60、80 轮各除以 10。
# 把这些轮叫作**里程碑** m₁ < m₂ < …，第 t 轮时已经越过（m ≤ t）的里程碑个数就是下降的次数：
#
# **η_t = η₀ · γ^#{i : m_i ≤ t}**
#
# 这是 PyTorch 的 `MultiStepLR`，lrlib 的 `lrlib.multistep_decay(η₀, milestones, gamma)`。
# 阶梯衰减只是它的特例：里程碑取 s、2s、3s……两者有一处不同：阶梯衰减没有尽头，一直降下去；
# 多阶梯衰减越过最后一个里程碑以后就保持不变。
#
# 换库时要当心：同一串里程碑，在不同的库里未必是同一轮。timm 的 `MultiStepLRScheduler` 把里程碑 m
# 用在第 m − 1 轮，比 PyTorch 早一轮（它数的是 bisect_right(milestones, t + 1)，为了兼容老的训练配置，
# timm 有意保留了这个约定）。所以 timm 里的 `decay_t=[30, 60, 80]`，换成 PyTorch 要写 `milestones=[29, 59, 79]`。
# lrlib 的测试直接驱动 timm 核对了这一点，下面的单元格也照 timm 的规则算了一遍。
#
# ## 每一轮都乘一次：指数衰减
#
# 如果每一轮都乘 γ，就是**指数衰减** η_t = η₀ · γ^t（PyTorch 的 `ExponentialLR`，lrlib 的 `lrlib.exponential_decay`）。
# 它和阶梯衰减的关系有两条：
#
# 1. step_size = 1 的阶梯衰减在每个整数轮上都和指数衰减相等，因为 ⌊t/1⌋ = t；
# 2. 每 s 轮乘 γ 的阶梯，和每轮乘 γ^(1/s) 的指数曲线，在每段的起点（0, s, 2s, …）上相等；
#    段内指数曲线一直在阶梯下方，在段的正中间只有阶梯的 √γ 倍（γ = 0.1 时约 0.32 倍）。
#
# 下图把三种放在一起（纵轴是对数坐标，乘法式衰减在上面是直线或台阶），下一个单元格把这些说法逐条断言。

# %% [markdown] tags=["lang-en"]
# Floating point may be off in the last digit (at epoch 90 the computed value is within 10⁻¹⁸ of 1e-4),
# which is why the check above allows a relative error of 1e-12 instead of asking for equality.
#
# ## Put the drops where you want them: multistep decay
#
# Step decay's plateaus all have the same length. Often you want the drops elsewhere: Goyal et al.
# trained ResNet-50 dividing by 10 at epochs 30, 60 and 80. Call those epochs **milestones**
# m₁ < m₂ < …; the number of drops by epoch t is the number of milestones already passed (m ≤ t):
#
# **η_t = η₀ · γ^#{i : m_i ≤ t}**
#
# This is PyTorch's `MultiStepLR` and lrlib's `lrlib.multistep_decay(η₀, milestones, gamma)`. Step decay
# is the special case with milestones s, 2s, 3s, … One difference: step decay has no end and keeps
# dropping, while multistep decay holds its value after the last milestone.
#
# Careful when you switch libraries: the same milestones need not mean the same epochs. timm's
# `MultiStepLRScheduler` applies milestone m at epoch m − 1, one epoch before PyTorch does (it counts
# bisect_right(milestones, t + 1), a convention timm keeps on purpose so old training configs still
# behave the same). So timm's `decay_t=[30, 60, 80]` is PyTorch's `milestones=[29, 59, 79]`. lrlib's
# tests check this by driving timm itself; the next cell follows timm's rule by hand.
#
# ## Multiply every epoch: exponential decay
#
# Multiply by γ at every epoch and you get **exponential decay**, η_t = η₀ · γ^t (PyTorch's
# `ExponentialLR`, lrlib's `lrlib.exponential_decay`). Two relations tie it to step decay:
#
# 1. step decay with step_size = 1 equals exponential decay at every whole epoch, since ⌊t/1⌋ = t;
# 2. a staircase that multiplies by γ every s epochs and the exponential curve that multiplies by
#    γ^(1/s) every epoch meet at the start of every plateau (0, s, 2s, …); inside a plateau the curve
#    stays below the staircase, and halfway along it is √γ times the staircase (about 0.32 for γ = 0.1).
#
# The plot shows the three together (on a log axis, where multiplicative decays are straight lines or
# stairs); the next cell asserts each of these statements.

# %%
multistep = lrlib.multistep_decay(0.1, milestones=[30, 60, 80], gamma=0.1)
smooth = lrlib.exponential_decay(0.1, gamma=0.1 ** (1 / 30))

x = np.arange(0, 120, 0.25)
fig, ax = plt.subplots(figsize=(7, 3.0))
ax.semilogy(x, step(x), label=plot_text("l02_legend_step"), lw=2)
ax.semilogy(x, multistep(x), label=plot_text("l02_legend_multistep"), ls="--")
ax.semilogy(x, smooth(x), label=plot_text("l02_legend_exp"), lw=1)
ax.set(xlabel=plot_text("epoch"), ylabel=plot_text("learning_rate"))
ax.legend(fontsize=8)
plt.show()

# %%
for epoch, hand in {29: 0.1, 30: 0.01, 59: 0.01, 60: 0.001, 79: 0.001, 80: 1e-4, 200: 1e-4}.items():
    assert np.isclose(multistep(epoch), hand, rtol=1e-12, atol=0)
every_30 = lrlib.multistep_decay(0.1, milestones=np.arange(30, 300, 30), gamma=0.1)
assert np.allclose(every_30(epochs), step(epochs), rtol=1e-12, atol=0)  # step decay = milestones s, 2s, ...
assert step(400) < multistep(400) == multistep(80)                      # step keeps dropping, multistep holds
whole = np.arange(50)
assert np.allclose(lrlib.step_decay(0.1, 1, 0.5)(whole), lrlib.exponential_decay(0.1, 0.5)(whole), rtol=1e-12)
corners = np.arange(0, 300, 30)
assert np.allclose(smooth(corners), step(corners), rtol=1e-9)           # same value at each plateau start
inside = np.setdiff1d(epochs, corners)
assert np.all(smooth(inside) < step(inside))                            # below the staircase in between
assert np.isclose(smooth(15) / step(15), np.sqrt(0.1))                  # halfway: sqrt(gamma) times
timm_rule = np.array([0.1 * 0.1 ** bisect.bisect_right([30, 60, 80], e + 1) for e in epochs])
assert np.allclose(timm_rule, lrlib.multistep_decay(0.1, [29, 59, 79], 0.1)(epochs), rtol=1e-12)
assert np.isclose(timm_rule[29], multistep(30)) and multistep(29) == 0.1 > timm_rule[29]  # one epoch early

# %% [markdown] tags=["lang-zh"]
# ## 拆开 YOLO 配方的阶梯分支
#
# 很多 YOLO 复现代码（bubbliiiing 系列）用一个 `get_lr_scheduler(lr_decay_type, lr, min_lr, total_iters, ..., step_num=10)`
# 生成学习率调度，训练脚本每**轮**调用一次。`lr_decay_type == "cos"` 时走余弦分支（第 05 课），否则走阶梯分支。
# 网上流传的一段解释说，阶梯分支“按照给定的步长进行学习率的衰减”。这不对：调用者既没有给步长，也没有给衰减率，
# 这两个量都是从 lr、min_lr、total_iters 和 step_num 推出来的。
#
# 推导很短。要分 k = step_num 段，每段一样长，于是每段长 **step_size = total_iters / k**。
# 第一段（第 0 段）的学习率是 lr，第 j 段是 lr·γ^j，最后一段是第 k − 1 段。要求最后一段正好等于 min_lr：
#
# lr · γ^(k−1) = min_lr　⇒　**decay_rate = γ = (min_lr / lr)^(1/(k−1))**
#
# 用 YOLO 脚本的典型值 lr = 0.01、min_lr = 0.0001（lr 的 1%）、300 轮、step_num = 10：
# 每段 30 轮，每段乘 0.01^(1/9) ≈ 0.5995，所以这是一条**几何**阶梯，每次只降到原来的六成左右，而不是除以 10。
#
# lrlib 有两份实现：`lrlib.compat.get_lr_scheduler("step", ...)` 是向量化的调度对象，
# `lrlib.compat.original_get_lr_scheduler_value(...)` 是逐行照着原函数写的标量版本，作为参照。下面核对三件事：
# 两者逐轮相等；参数就是推导出来的那两个；最后一段落在 min_lr 上。

# %% [markdown] tags=["lang-en"]
# ## Take apart the YOLO recipe's step branch
#
# Many YOLO re-implementations (the bubbliiiing family) build their schedule with
# `get_lr_scheduler(lr_decay_type, lr, min_lr, total_iters, ..., step_num=10)`, and the training script
# calls it once per **epoch**. With `lr_decay_type == "cos"` it takes the cosine branch (lesson 05);
# anything else takes the step branch. A widely shared explanation says the step branch "decays the
# learning rate by the given step size". It does not: the caller gives neither a step size nor a decay
# rate; both are derived from lr, min_lr, total_iters and step_num.
#
# The derivation is short. There are k = step_num plateaus of equal length, so each lasts
# **step_size = total_iters / k**. Plateau 0 is at lr, plateau j at lr·γ^j, and the last one is
# plateau k − 1. Asking the last one to sit exactly on min_lr gives
#
# lr · γ^(k−1) = min_lr　⇒　**decay_rate = γ = (min_lr / lr)^(1/(k−1))**
#
# With the YOLO scripts' usual values, lr = 0.01, min_lr = 0.0001 (1 % of lr), 300 epochs and
# step_num = 10: plateaus of 30 epochs, each multiplying by 0.01^(1/9) ≈ 0.5995. This is a
# **geometric** staircase that keeps about 60 % at each drop, not a division by 10.
#
# lrlib has it twice: `lrlib.compat.get_lr_scheduler("step", ...)` is the vectorised schedule, and
# `lrlib.compat.original_get_lr_scheduler_value(...)` is a scalar version written line by line after the
# original, kept as a reference. The next cell checks three things: the two agree at every epoch; the
# parameters are the two derived above; the last plateau sits on min_lr.

# %%
lr, min_lr, total, k = 0.01, 0.0001, 300, 10
seed_step = compat.get_lr_scheduler("step", lr, min_lr, total, step_num=k)
per_epoch = seed_step(np.arange(total))
reference = np.array([compat.original_get_lr_scheduler_value("step", lr, min_lr, total, e, step_num=k)
                      for e in range(total)])

decay_rate = (min_lr / lr) ** (1 / (k - 1))
step_size = total / k
plateaus = np.unique(per_epoch)[::-1]
print(t("l02_seed_params", rate=decay_rate, size=step_size))
print(t("l02_plateaus", n=len(plateaus), first=plateaus[0], last=plateaus[-1], min_lr=min_lr))

assert np.allclose(per_epoch, reference, rtol=1e-15, atol=0)            # lrlib.compat = the original, every epoch
assert step_size == 30 and abs(decay_rate - 0.5995) < 5e-5
assert np.allclose(per_epoch, lr * decay_rate ** (np.arange(total) // step_size), rtol=1e-15)
assert len(plateaus) == k and np.all(np.bincount((np.arange(total) // step_size).astype(int)) == 30)
assert np.allclose(plateaus[1:] / plateaus[:-1], decay_rate)            # each drop multiplies by decay_rate
assert per_epoch[0] == lr and np.isclose(per_epoch[-1], min_lr, rtol=1e-12, atol=0)  # lands on min_lr ...
assert np.all(np.isclose(per_epoch[270:], min_lr, rtol=1e-12, atol=0))  # ... for the whole last plateau
assert per_epoch[269] > 1.6 * min_lr                                    # and not a plateau earlier

# %% [markdown] tags=["lang-zh"]
# ### 自己拖一拖：阶梯分支
#
# **先预测：** 把 step_num 从 10 改成 4，每段有多长？每次下降乘多少？最后一段还在 min_lr 上吗？
# 再把总轮数拖到比 step_num 还小，会发生什么？先写下答案，再动手。
#
# 这个探索器每次做的就是下面两行：用控件的值创建调度 `compat.get_lr_scheduler("step", peak_lr, min_lr, total_epochs, step_num=step_num)`，
# 再在每一轮上求值 `schedule(np.arange(total_epochs))`。下方的读数给出段数、每段长度和每次下降的倍数。

# %% [markdown] tags=["lang-en"]
# ### Try it yourself: the step branch
#
# **Predict first:** change step_num from 10 to 4. How long is each plateau? What does each drop
# multiply by? Is the last plateau still on min_lr? And what happens if you drag the number of epochs
# below step_num? Write your answers down, then try.
#
# On every change, this explorer does the two lines below: it builds the schedule from the controls,
# `compat.get_lr_scheduler("step", peak_lr, min_lr, total_epochs, step_num=step_num)`, and evaluates it
# at every epoch, `schedule(np.arange(total_epochs))`. The readout gives the number of plateaus, their
# length and the factor of each drop.

# %%
seed_explorer = SeedRecipeExplorer(peak_lr=lr, min_lr=min_lr, total_epochs=total, step_num=k, decay_type="step")
# what it runs on each change, here for its starting values:
schedule = compat.get_lr_scheduler("step", lr, min_lr, total, step_num=k)
assert np.array_equal(seed_explorer.lines["lr"].get_ydata(), schedule(np.arange(total)))
seed_explorer

# %% [markdown] tags=["lang-zh"]
# 答案：step_num = 4 时每段 300/4 = 75 轮，每次乘 0.01^(1/3) ≈ 0.2154，最后一段（第 225–299 轮）仍然在 min_lr 上：
# 不管分几段，公式都保证最后一段落在 min_lr。段数越少，每一级台阶越高。
# 总轮数小于 step_num 时，lrlib 拒绝创建这个调度，探索器显示一条提示，图上保留上一条有效的曲线（原函数此时怎么做，后面会讲）。

# %% [markdown] tags=["lang-en"]
# Answer: with step_num = 4 each plateau lasts 300/4 = 75 epochs and each drop multiplies by
# 0.01^(1/3) ≈ 0.2154; the last plateau (epochs 225 to 299) is still on min_lr, because the formula puts
# it there whatever the number of plateaus. Fewer plateaus, taller steps. With fewer epochs than
# step_num, lrlib refuses to build the schedule; the explorer shows a message and keeps the last valid
# curve (what the original does then comes below).

# %%
four = compat.get_lr_scheduler("step", lr, min_lr, total, step_num=4)
assert four.events[0].step == 75 and np.isclose(four(75) / four(0), 0.01 ** (1 / 3))
assert abs(0.01 ** (1 / 3) - 0.2154) < 5e-5
assert four(224) > 4 * min_lr and np.isclose(four(225), min_lr, rtol=1e-12) and np.isclose(four(299), min_lr, rtol=1e-12)

# %% [markdown] tags=["lang-zh"]
# ## 踩一遍阶梯分支的五个坑
#
# 参数正常时，原函数才表现正常。下面每个坑都实际算一遍，并和 `lrlib.compat` 对照。
# lrlib.compat 的原则是：和原函数**值相同**，但参数不合法时在创建调度时就报错；在阶梯分支上，只有两处故意保留原样，因为它们正是值得一学的行为（坑 1 和坑 4）。
#
# ### 坑 1：min_lr = 0，学习率在第一次下降后变成 0
#
# 余弦分支里 min_lr = 0 是常见设置（一直退火到 0）。把同样的参数用在阶梯分支上：decay_rate = (0/lr)^(1/9) = 0，
# 第 0 段是 lr·0⁰ = lr（Python 里 `0.0 ** 0` 等于 1），从第 1 段起是 lr·0^j = 0。
# 也就是说，从第 30 轮开始模型就不再更新，300 轮里有 270 轮白跑了。原函数就是这样，lrlib.compat 故意保留了它。

# %% [markdown] tags=["lang-en"]
# ## Walk into the five traps of the step branch
#
# The original behaves well only for well-behaved arguments. Each trap below is computed and compared
# with `lrlib.compat`, whose rule is: **the same values** as the original, but bad arguments are refused
# when the schedule is built. In the step branch it keeps two of the original's behaviours on purpose, because they are
# exactly what is worth learning (traps 1 and 4).
#
# ### Trap 1: min_lr = 0 turns the learning rate to 0 after the first drop
#
# In the cosine branch, min_lr = 0 is a common choice (anneal all the way to 0). Use the same value in
# the step branch: decay_rate = (0/lr)^(1/9) = 0. Plateau 0 is lr·0⁰ = lr (in Python `0.0 ** 0` is 1),
# and from plateau 1 on it is lr·0^j = 0. From epoch 30 on the model stops moving: 270 of the 300 epochs
# are wasted. The original does exactly this, and lrlib.compat keeps it on purpose.

# %%
zero_floor = compat.get_lr_scheduler("step", lr, 0.0, total)
lrs = zero_floor(np.arange(total))
first_zero = int(np.argmax(lrs == 0))
print(t("l02_zero_epochs", first=first_zero, lr=lrs[first_zero], total=total, n=int(np.sum(lrs == 0))))
cos_zero = compat.get_lr_scheduler("cos", lr, 0.0, total)
print(t("l02_cos_zero", e=first_zero, lr=cos_zero(first_zero)))

assert (0.0 / lr) ** (1 / 9) == 0 and 0.0 ** 0 == 1
assert lrs[29] == lr and first_zero == 30 and np.all(lrs[30:] == 0) and np.sum(lrs == 0) == 270
assert all(np.isclose(compat.original_get_lr_scheduler_value("step", lr, 0.0, total, e), lrs[e], rtol=1e-15, atol=0)
           for e in (0, 29, 30, 299))
assert cos_zero(first_zero) > 0.9 * lr                                  # the cosine branch is fine with min_lr = 0

# %% [markdown] tags=["lang-zh"]
# ### 坑 2：step_num = 1，除以零
#
# 只分一段时，指数 1/(step_num − 1) = 1/0。原函数在**建**调度时就抛出 `ZeroDivisionError`，报错信息只有一句
# “division by zero”，看不出是哪个参数的问题。lrlib.compat 在同一时刻抛出 `ValueError`，并指明是 step_num。
# （想要“不衰减”，直接用 `lrlib.constant(lr)`。）

# %% [markdown] tags=["lang-en"]
# ### Trap 2: step_num = 1 divides by zero
#
# With a single plateau the exponent 1/(step_num − 1) is 1/0. The original raises `ZeroDivisionError`
# as soon as the schedule is **built**, with the bare message "division by zero", which does not say
# which argument is wrong. lrlib.compat raises a `ValueError` at the same moment and names step_num.
# (For "no decay", use `lrlib.constant(lr)`.)

# %%
errors = {}
for who, build in ((t("l02_who_original"), lambda: compat.original_get_lr_scheduler_value("step", lr, min_lr, total, 0, step_num=1)),
                   ("lrlib.compat", lambda: compat.get_lr_scheduler("step", lr, min_lr, total, step_num=1))):
    try:
        build()
    except (ZeroDivisionError, ValueError) as exc:
        errors[who] = exc
        print(t("l02_raised", who=who, error=f"{type(exc).__name__}: {exc}"))
assert [type(e) for e in errors.values()] == [ZeroDivisionError, ValueError]
assert "step_num" in str(errors["lrlib.compat"])

# %% [markdown] tags=["lang-zh"]
# ### 坑 3：轮数比段数还少
#
# total_iters = 5、step_num = 10 时，每段长 0.5 轮。原函数建调度时什么都不检查，要等训练开始、第一次调用时，
# 才在内部检查 step_size < 1 并抛出 `ValueError("step_size must above 1.")`——如果前面的数据加载或模型构建很耗时，
# 这个错误要等很久才出现。lrlib 自带的标量参照版本没有复现这一检查，所以下面照原函数的结构仿写一个小函数
# `seed_step_branch`（创建时算参数，调用时才检查），先确认它在正常参数下和参照版本逐轮一致，再看它怎样出错。
# lrlib.compat 则在创建调度时就拒绝，并说明原因。

# %% [markdown] tags=["lang-en"]
# ### Trap 3: fewer epochs than plateaus
#
# With total_iters = 5 and step_num = 10, each plateau would last 0.5 epochs. The original checks nothing
# when it builds the schedule; only at the first call, once training has started, does it test
# step_size < 1 and raise `ValueError("step_size must above 1.")`. After a long data-loading or
# model-building phase, that error comes late. lrlib's scalar reference does not reproduce this check,
# so the cell below restates the original's structure in a small `seed_step_branch` (parameters computed
# when built, the check only when called), confirms it matches the reference epoch by epoch for normal
# arguments, and then shows how it fails. lrlib.compat refuses at build time and says why.

# %%
def seed_step_branch(lr, min_lr, total_iters, step_num=10):
    """The original's step branch, restated: arithmetic when built, its only check when called."""
    rate = (min_lr / lr) ** (1 / (step_num - 1))
    size = total_iters / step_num

    def at(step):
        if size < 1:
            raise ValueError("step_size must above 1.")
        return lr * rate ** (step // size)

    return at


restated = seed_step_branch(lr, min_lr, total)
assert [restated(e) for e in range(400)] == \
       [compat.original_get_lr_scheduler_value("step", lr, min_lr, total, e) for e in range(400)]

short = seed_step_branch(lr, min_lr, 5)                 # built: no error yet
try:
    short(0)
except ValueError as exc:
    late_error = exc
    print(t("l02_built_fine", error=f"ValueError: {exc}"))
try:
    compat.get_lr_scheduler("step", lr, min_lr, 5)
except ValueError as exc:
    early_error = exc
    print(t("l02_raised", who="lrlib.compat", error=f"ValueError: {exc}"))
assert callable(short) and str(late_error) == "step_size must above 1."
assert "total_iters must be >= step_num" in str(early_error)

# %% [markdown] tags=["lang-zh"]
# ### 坑 4：越过终点以后，学习率继续降到 min_lr 以下
#
# 公式 lr·γ^⌊t/step_size⌋ 本身不知道训练在 total_iters 结束。如果继续调用（比如训练结束后又接着多训 150 轮），
# 第 300 轮进入“第 11 段”，学习率降到 min_lr 的 0.6 倍左右，第 450 轮只剩 min_lr 的 5% 左右。原函数如此，lrlib.compat 也故意保留。
# lrlib 自己的 `lrlib.step_decay` 也一样：它本来就没有终点，一直降下去。想在 min_lr 停住，
# 就把下降写成**多阶梯衰减**，里程碑取 30、60、…、270：越过最后一个里程碑后，它就停在 min_lr。

# %% [markdown] tags=["lang-en"]
# ### Trap 4: past the end, the learning rate keeps falling below min_lr
#
# The formula lr·γ^⌊t/step_size⌋ does not know that training ends at total_iters. Keep calling it (say
# you train another 150 epochs after the planned 300) and epoch 300 starts an eleventh plateau about
# 0.6 times min_lr; by epoch 450 it is down to about 5 % of min_lr. The original does this, and
# lrlib.compat keeps it on purpose. lrlib's own `lrlib.step_decay` does the same: it has no end and keeps
# dropping. To stop at min_lr, write the drops as **multistep decay** with milestones 30, 60, …, 270:
# past the last milestone it holds min_lr.

# %%
held = lrlib.multistep_decay(lr, milestones=np.arange(1, k) * step_size, gamma=decay_rate)
native = lrlib.step_decay(lr, step_size=step_size, gamma=decay_rate)
assert np.allclose(held(np.arange(total)), per_epoch, rtol=1e-12)       # the same 300 epochs ...
for e in (299, 300, 450):
    orig = compat.original_get_lr_scheduler_value("step", lr, min_lr, total, e)
    print(t("l02_past_end_row", t=e, orig=orig, compat=seed_step(e), multi=held(e)))
    assert np.isclose(orig, seed_step(e), rtol=1e-15, atol=0)          # compat keeps the original's values
assert np.isclose(seed_step(300) / min_lr, decay_rate) and 0.59 < seed_step(300) / min_lr < 0.61
assert 0.04 < seed_step(450) / min_lr < 0.06                            # about 5 % of min_lr
assert np.isclose(native(450), seed_step(450), rtol=1e-12)              # native step_decay keeps dropping too
assert np.isclose(held(450), min_lr, rtol=1e-12) and np.isclose(held(10**6), min_lr, rtol=1e-12)  # ... then holds

# %% [markdown] tags=["lang-zh"]
# ### 同一个坑的另一种踩法：step_size 的单位
#
# 越过终点最常见的原因，不是多训了几轮，而是**单位弄错**。step_size 本身不带单位：调用调度器时传入的 t 用什么单位，它就是什么单位。
# 按“轮”设计的 `step_decay(0.1, step_size=30, gamma=0.1)`，如果改成每次**迭代**后调用、传入迭代序号（每轮 100 次迭代），
# 那么刚训练满 1 轮（第 100 次迭代）就已经降了 3 次，学习率是 0.0001——本该第 90 轮才有的值；训练满 90 轮时是 0.1³⁰¹，
# 在 float64 里几乎就是 0。YOLO 配方的阶梯分支按迭代调用也一样：第 270 次迭代（训练还不到 3 轮）就进入了最后一段，
# 从第 300 次迭代起已经低于 min_lr，剩下的 297 轮全在越过终点的区域里。
#
# 有两种改法，两者在每一次迭代上都给出同样的学习率：把长度换成迭代数（step_size = 30 × 100），或者继续用轮做单位，传入带小数的轮数 `迭代序号 / 100`。

# %% [markdown] tags=["lang-en"]
# ### The same trap, another way in: the unit of step_size
#
# The most common way past the end is not extra epochs but a **unit mix-up**. step_size has no unit of
# its own: it is in whatever unit you pass t in. Design `step_decay(0.1, step_size=30, gamma=0.1)` in
# epochs, then call it after every **iteration** with the iteration index (100 iterations per epoch):
# after one epoch (iteration 100) it has dropped 3 times, to 0.0001, the value meant for epoch 90; after
# 90 epochs it is 0.1³⁰¹, which in float64 is as good as 0. The recipe's step branch is no different:
# called per iteration, it enters its last plateau at iteration 270, before three epochs are over, and is below
# min_lr from iteration 300 on, so the remaining 297 epochs all run past its end.
#
# Two fixes, which give the same learning rate at every iteration: give the length in iterations
# (step_size = 30 × 100), or keep epochs as the unit and pass the fractional epoch `iteration / 100`.

# %%
ipe = 100                                   # iterations per epoch
for epoch in (1, 30, 90):
    it = epoch * ipe
    print(t("l02_unit_row", epoch=epoch, it=it, wrong=step(it), right=step(epoch)))
assert np.isclose(step(100), 1e-4, rtol=1e-12) and step(1) == 0.1       # after one epoch: the lr of epoch 90
assert step(90 * ipe) < 1e-300                                          # as good as 0
assert np.isclose(seed_step(270), min_lr, rtol=1e-12) and 270 / ipe < 3 and seed_step(300) < min_lr  # seed, per iteration
assert (total * ipe - 300) / ipe == 297                                 # epochs left past its end
iters = np.arange(0, 120 * ipe)
in_iters = lrlib.step_decay(0.1, step_size=30 * ipe, gamma=0.1)
assert np.allclose(in_iters(iters), step(iters / ipe), rtol=1e-12)     # both fixes agree at every iteration
assert in_iters(100) == 0.1                                             # and keep 0.1 through epoch 29

# %% [markdown] tags=["lang-zh"]
# ### 坑 5：把 `"cos"` 拼错，悄悄换成了阶梯衰减
#
# 原函数的判断只有 `if lr_decay_type == "cos"`，其余**任何**字符串都走阶梯分支，不报错也不警告。
# 写成 `"cosine"`、`"Cos"` 或多打一个空格，实际训练用的都是 10 段几何阶梯，你却以为自己用的是余弦退火。
# 一个看得见的迹象：余弦分支第 0 轮在预热，学习率只有 lr 的 10%；阶梯分支第 0 轮就是 lr 本身。
# lrlib 的标量参照版本和原函数一样，只认 `"cos"`，其余都当阶梯分支；lrlib.compat 只接受 `"cos"` 和 `"step"`，别的一律报错。

# %% [markdown] tags=["lang-en"]
# ### Trap 5: a misspelt "cos" silently selects step decay
#
# The original's only test is `if lr_decay_type == "cos"`; **any** other string takes the step branch,
# with no error and no warning. Write "cosine", "Cos" or add a stray space, and you train with a
# 10-plateau geometric staircase while believing you use cosine annealing. One visible sign: the
# cosine branch is warming up at epoch 0, at 10 % of lr, while the step branch starts at lr itself.
# lrlib's scalar reference, like the original, knows only "cos" and treats everything else as the step
# branch; lrlib.compat accepts "cos" and "step" and refuses anything else.

# %%
spellings = ("cos", "step", "cosine", "Cos", "cos ")
verdicts = {}
for name in spellings:
    a, b = (compat.original_get_lr_scheduler_value(name, lr, min_lr, total, e) for e in (0, 30))
    try:
        compat.get_lr_scheduler(name, lr, min_lr, total)
        verdicts[name] = t("l02_accepted")
    except ValueError as exc:
        verdicts[name] = f"ValueError: {exc}"
    print(t("l02_typo_row", name=repr(name), a=a, b=b, verdict=verdicts[name]))

step_values = [compat.original_get_lr_scheduler_value("step", lr, min_lr, total, e) for e in range(total)]
for typo in ("cosine", "Cos", "cos "):
    assert [compat.original_get_lr_scheduler_value(typo, lr, min_lr, total, e) for e in range(total)] == step_values
    assert verdicts[typo].startswith("ValueError")
assert verdicts["cos"] == verdicts["step"] == t("l02_accepted")
assert np.isclose(compat.original_get_lr_scheduler_value("cos", lr, min_lr, total, 0), 0.1 * lr)  # cosine: warming up
assert compat.original_get_lr_scheduler_value("cosine", lr, min_lr, total, 0) == lr               # typo: full lr at once

# %% [markdown] tags=["lang-zh"]
# ## 检验一个说法：“阶梯衰减的突然下降有害”
#
# > “阶梯衰减的学习率会‘突然跳’，这种突然的下降对训练有害。”
#
# 用第 01 课介绍过的带噪声二次模型来检验，这次各方向的曲率不同：1000 个方向，曲率 hᵢ = 1/i，批量大小 8，峰值学习率 1.0，训练 2000 步。
# `nqm_expected_loss` 不抽随机数，直接算出损失的**期望**，相当于对无穷多个随机种子取平均，所以下面的数字不带波动。
# 比较五种调度：恒定、多阶梯衰减（第 1000、1500 步各乘 0.1）、余弦退火（降到 0）、YOLO 配方的阶梯分支（10 段，从 1.0 降到 0.001），
# 以及穿过这条阶梯每段起点的平滑指数曲线。

# %% [markdown] tags=["lang-en"]
# ## Test a claim: "the sudden drops of step decay hurt"
#
# > "Step decay's sudden drops are harmful to training."
#
# Test it on the noisy quadratic model from lesson 01, now with a different curvature in each direction:
# 1000 directions with curvatures hᵢ = 1/i, batch size 8,
# peak learning rate 1.0, 2000 steps. `nqm_expected_loss` draws no random numbers: it computes the
# **expected** loss exactly, the average over infinitely many seeds, so these numbers carry no noise.
# Five schedules: constant; multistep decay (×0.1 at steps 1000 and 1500); cosine annealing down to 0;
# the recipe's step branch (10 plateaus from 1.0 down to 0.001); and the smooth exponential curve through
# the start of each of its plateaus.

# %%
T = 2000
nqm = {
    "l02_nqm_constant": lrlib.constant(1.0),
    "l02_nqm_multistep": lrlib.multistep_decay(1.0, milestones=[1000, 1500], gamma=0.1),
    "l02_nqm_cosine": lrlib.cosine_decay(1.0, decay_steps=T),
    "l02_nqm_seed": compat.get_lr_scheduler("step", 1.0, 0.001, T),
    "l02_nqm_smooth": lrlib.exponential_decay(1.0, gamma=0.001 ** (1 / (T - T / 10)), end_lr=0.001),
}
curves = dict(zip(nqm, nqm_expected_loss(list(nqm.values()), T)))
final = {key: c[-1] for key, c in curves.items()}
for key in nqm:
    print(t("l02_nqm_row", name=t(key), loss=final[key]))

fig, ax = plt.subplots(figsize=(7, 3.0))
for key in ("l02_nqm_constant", "l02_nqm_multistep", "l02_nqm_cosine", "l02_nqm_seed"):
    ax.plot(curves[key], label=plot_text(key), lw=1.2)
ax.set(xlabel=plot_text("step"), ylabel=plot_text("l02_expected_loss"), ylim=(0, 0.5))
ax.legend(fontsize=8)
plt.show()

# %% [markdown] tags=["lang-zh"]
# 读数：恒定学习率停在 0.279；多阶梯衰减 0.082；余弦退火 0.062。衰减带来的改进（0.279 → 0.08 左右）
# 是两种形状之间差别（0.082 对 0.062）的十倍左右。再看多阶梯衰减的第一次下降：下降前损失停在 0.30，
# 学习率一降，50 步内就掉到 0.16——“突然跳”带来的是损失的突然下降，而不是冲击。
#
# YOLO 配方的阶梯分支结果是 0.204：比恒定好，但远不如另外两种衰减。把台阶抹平，换成穿过同样拐角的指数曲线，
# 结果更差（0.291），甚至不如恒定学习率。注意这不是只换形状的公平对比：这条平滑曲线在每一段内部都低于台阶，
# 学习率处处更小，所以它更差恰恰说明问题出在学习率降得太早、太低，而不在台阶本身。原因在**时机**：几何阶梯在第 1000 步时已经降到 0.001^(5/9) ≈ 0.02，
# 曲率小的那些方向还没走到最小值附近，就被太小的学习率拖住了。什么时候降、降到多少，比降的时候是跳还是滑重要得多。

# %% [markdown] tags=["lang-en"]
# Reading the numbers: the constant learning rate stalls at 0.279, multistep decay ends at 0.082 and
# cosine annealing at 0.062. What decaying buys (0.279 down to about 0.08) is about ten times the
# difference between the two shapes (0.082 against 0.062). Now look at multistep's first drop: the loss
# sits at 0.30 before it, and within 50 steps of the drop it is down to 0.16. The "sudden jump" of the
# learning rate brings a sudden fall in the loss, not a shock.
#
# The recipe's step branch ends at 0.204: better than constant, but far behind the other two decays.
# Smoothing the stairs into the exponential curve through the same corners does worse still (0.291),
# worse even than constant. This is not a shape-only comparison: the smooth curve lies below the
# staircase inside every plateau, so it has less learning rate everywhere, and its being worse points
# at a learning rate that falls too early and too far, not at the stairs. The timing is:
# by step 1000 the geometric staircase is already down to 0.001^(5/9) ≈ 0.02, and the low-curvature
# directions are held back by a tiny learning rate before they get near their minimum. When you decay,
# and how far, matters far more than whether the decay jumps or glides.

# %%
const, multi, cos = final["l02_nqm_constant"], final["l02_nqm_multistep"], final["l02_nqm_cosine"]
assert round(const, 3) == 0.279 and round(multi, 3) == 0.082 and round(cos, 3) == 0.062
assert const > multi > cos
assert 8 < (const - multi) / (multi - cos) < 12                         # decay gain ~ 10x the shape gap
m = curves["l02_nqm_multistep"]
print(t("l02_drop_row", a=1000, la=m[1000], b=1010, lb=m[1010], c=1050, lc=m[1050]))
assert round(m[1000], 2) == 0.30 and round(m[1050], 2) == 0.16 and np.all(np.diff(m[1000:1100]) < 0)
seed_final, smooth_final = final["l02_nqm_seed"], final["l02_nqm_smooth"]
assert round(seed_final, 3) == 0.204 and round(smooth_final, 3) == 0.291
assert multi < seed_final < const < smooth_final                        # smoothing the stairs does not help
assert abs(nqm["l02_nqm_seed"](1000) - 0.001 ** (5 / 9)) < 1e-12 and round(0.001 ** (5 / 9), 2) == 0.02

# %% [markdown] tags=["lang-zh"]
# 期望损失没有波动，但一次真实的训练只有一个种子。差别在单次运行里还看得出来吗？
# 用 `nqm_sampled_loss` 真的抽随机梯度，每种调度跑 5 个种子：

# %% [markdown] tags=["lang-en"]
# The expected loss has no noise, but a real training run has one seed. Does the difference survive in
# single runs? `nqm_sampled_loss` draws actual noisy gradients; 5 seeds per schedule:

# %%
SEEDS = range(5)
sampled = {key: nqm_sampled_loss(nqm[key], T, seeds=SEEDS)[:, -1]
           for key in ("l02_nqm_constant", "l02_nqm_multistep", "l02_nqm_cosine")}
for key, f in sampled.items():
    print(t("l02_nqm_seeds_row", name=t(key), mean=f.mean(), sd=f.std(ddof=1), lo=f.min(), hi=f.max()))
s_const, s_multi, s_cos = sampled.values()
assert s_multi.max() < s_const.min() and s_cos.max() < s_const.min()    # every decayed run beats every constant run
assert s_cos.max() < s_multi.min()                                      # here cosine beats multistep on every seed ...
assert s_multi.mean() - s_cos.mean() > 5 * max(s_multi.std(ddof=1), s_cos.std(ddof=1))  # ... by > 5 sd of either
assert (s_multi.mean() - s_cos.mean()) < (s_const.mean() - s_multi.mean()) / 5  # ... by far less than decay gains
assert s_const.std(ddof=1) > 10 * max(s_multi.std(ddof=1), s_cos.std(ddof=1))  # and the constant runs scatter most

# %% [markdown] tags=["lang-zh"]
# 单次训练也是如此：在 5 个种子上，衰减组的每一次训练都好过恒定组的任何一次；余弦在每个种子上都略好于多阶梯，
# 两者均值之差超过任一组种子间标准差的五倍，所以在这个模型上这个差别确实存在，但比衰减与不衰减之间的差别小得多。恒定学习率的 5 次训练彼此相差很大，
# 因为它一直在噪声地板附近晃；衰减以后，晃动也跟着变小了。
#
# 形状带来的差别之小，和文献相符：He 等人（Bag of Tricks，2019）在 ImageNet 上逐项叠加训练技巧，其中把阶梯衰减换成余弦退火，
# 让 ResNet-50-D 的 top-1 准确率从 77.16% 提到 77.91%，提高 0.75 个百分点。
# 所以结论不是“阶梯有害”，而是：先决定要衰减，再决定什么时候衰减；形状是第三位的事。
#
# ### 自己拖一拖：三种衰减放在一起
#
# **先预测：** 100 轮、lr = 0.01、min_lr = 0.0001、step_num = 10 时，第 50 轮的学习率，余弦退火、
# YOLO 配方的阶梯分支和线性衰减，哪个最高、哪个最低？相差多少倍？把“查看第几轮”滑块拖到 50 验证。
#
# 探索器每次调用的是：`lrlib.cosine_decay(peak_lr, total_epochs, min_lr)`、
# `compat.get_lr_scheduler("step", peak_lr, min_lr, total_epochs, step_num=step_num)` 和
# `lrlib.decay(peak_lr, total_epochs, min_lr, shape="linear")`，再在每一轮上求值。

# %% [markdown] tags=["lang-en"]
# Single runs agree: on 5 seeds, every decayed run beats every constant run. Cosine beats multistep on
# every seed, and the gap between their means is more than five times the standard deviation across
# seeds of either, so on this model the difference is real, but it is much smaller than decay against
# no decay. The 5 constant runs scatter widely, because they keep jittering around
# the noise floor; once the learning rate decays, so does the jitter.
#
# The size of the shape effect is in line with the literature: among the training tricks He et al. (Bag of Tricks, 2019) stacked up on
# ImageNet, replacing step decay with cosine annealing took ResNet-50-D from 77.16 % to 77.91 % top-1
# accuracy, a gain of 0.75 points. So the lesson
# is not "stairs hurt" but: decide to decay first, then when; the shape comes third.
#
# ### Try it yourself: three decays side by side
#
# **Predict first:** with 100 epochs, lr = 0.01, min_lr = 0.0001 and step_num = 10, which is highest at
# epoch 50, and which lowest: cosine annealing, the recipe's step branch, or linear decay? By what factor?
# Drag "read at epoch" to 50 to check.
#
# The explorer calls `lrlib.cosine_decay(peak_lr, total_epochs, min_lr)`,
# `compat.get_lr_scheduler("step", peak_lr, min_lr, total_epochs, step_num=step_num)` and
# `lrlib.decay(peak_lr, total_epochs, min_lr, shape="linear")`, and evaluates each at every epoch.

# %%
decay_explorer = DecayComparisonExplorer(peak_lr=0.01, min_lr=0.0001, total_epochs=100, step_num=10)
e100 = np.arange(100)
assert np.array_equal(decay_explorer.lines["step"].get_ydata(),
                      compat.get_lr_scheduler("step", 0.01, 0.0001, 100, step_num=10)(e100))
assert np.array_equal(decay_explorer.lines["cosine"].get_ydata(), lrlib.cosine_decay(0.01, 100, 0.0001)(e100))
decay_explorer

# %% [markdown] tags=["lang-zh"]
# 答案：第 50 轮时余弦退火和线性衰减都还在 0.00505（正好走了一半），YOLO 配方的阶梯分支只有 0.00077，不到它们的六分之一。
# 几何阶梯的大部分时间都花在很小的学习率上，这就是上面二次模型里它表现平平的原因。

# %% [markdown] tags=["lang-en"]
# Answer: at epoch 50 cosine annealing and linear decay are both at 0.00505 (exactly halfway), while the
# recipe's step branch is at 0.00077, more than six times lower. The geometric staircase spends most of
# its time at small learning rates, which is why it did so little on the quadratic model above.

# %%
at50 = {"cosine": lrlib.cosine_decay(0.01, 100, 0.0001)(50),
        "linear": lrlib.decay(0.01, 100, 0.0001, shape="linear")(50),
        "step": compat.get_lr_scheduler("step", 0.01, 0.0001, 100)(50)}
assert np.isclose(at50["cosine"], 0.00505) and np.isclose(at50["linear"], 0.00505)
assert round(at50["step"], 5) == 0.00077 and 6 < at50["cosine"] / at50["step"] < 7

# %% [markdown] tags=["lang-zh"]
# ## 动手试试
#
# **练习 1.** 不用 lrlib，自己写一个多阶梯衰减 `my_multistep(t)`：初始学习率 0.1，在第 30、60、80 轮各乘 0.1。
# 检查会核对里程碑两侧的值，以及曲线从不上升。

# %% [markdown] tags=["lang-en"]
# ## On your own
#
# **Exercise 1.** Without lrlib, write multistep decay yourself as `my_multistep(t)`: start at 0.1 and
# multiply by 0.1 at epochs 30, 60 and 80. The check looks at the values on both sides of each milestone
# and at whether the curve ever goes up.

# %%
exercise_1 = dict(values={0: 0.1, 29: 0.1, 30: 0.01, 59: 0.01, 60: 0.001, 79: 0.001, 80: 0.0001, 150: 0.0001},
                  monotone="decreasing", bounds=(0.0001, 0.1), total_steps=150, name="my_multistep")

# %% tags=["exercise"]
def my_multistep(t):
    ...  # your code here


ex.check_schedule(my_multistep, **exercise_1)

# %% tags=["solution"]
def my_multistep(t):
    drops = sum(1 for m in (30, 60, 80) if m <= t)   # milestones already passed
    return 0.1 * 0.1 ** drops


assert ex.check_schedule(my_multistep, **exercise_1)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 第 t 轮的学习率是 0.1 × 0.1^n，n 是到第 t 轮为止已经越过的里程碑个数。
# </details>
#
# <details><summary>提示 2</summary>
#
# “越过”包括正好在里程碑那一轮：第 30 轮就已经降了。数一数 (30, 60, 80) 里有几个 `m <= t`。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return 0.1 * 0.1 ** sum(1 for m in (30, 60, 80) if m <= t)`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# At epoch t the learning rate is 0.1 × 0.1^n, where n is the number of milestones passed by epoch t.
# </details>
#
# <details><summary>Hint 2</summary>
#
# "Passed" includes the milestone epoch itself: at epoch 30 it has already dropped. Count how many m in
# (30, 60, 80) satisfy `m <= t`.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return 0.1 * 0.1 ** sum(1 for m in (30, 60, 80) if m <= t)`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 有人这样调用 YOLO 配方的函数：`get_lr_scheduler("step", lr=0.02, min_lr=0.0002, total_iters=300, step_num=5)`。
# 每段多少轮？每次下降乘多少？分别赋给 `my_step_size` 和 `my_decay_rate`（用公式算，不要调用 lrlib）。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** Someone calls the recipe's function as
# `get_lr_scheduler("step", lr=0.02, min_lr=0.0002, total_iters=300, step_num=5)`. How many epochs does
# each plateau last, and what does each drop multiply by? Store them in `my_step_size` and
# `my_decay_rate` (use the formulas, not lrlib).

# %% tags=["exercise"]
my_step_size = ...   # your code here
my_decay_rate = ...  # your code here

ex.check_number(my_step_size, "sealed:MC4wNg==", rtol=1e-6, name="my_step_size")
ex.check_number(my_decay_rate, "sealed:NDk3Mzg2MTA2Njc3MjI2MTMuMA==", rtol=1e-4, name="my_decay_rate")

# %% tags=["solution"]
my_step_size = 300 / 5
my_decay_rate = (0.0002 / 0.02) ** (1 / (5 - 1))

assert ex.check_number(my_step_size, "sealed:MC4wNg==", rtol=1e-6, name="my_step_size")
assert ex.check_number(my_decay_rate, "sealed:NDk3Mzg2MTA2Njc3MjI2MTMuMA==", rtol=1e-4, name="my_decay_rate")
check_5 = compat.get_lr_scheduler("step", 0.02, 0.0002, 300, step_num=5)
assert check_5.events[0].step == my_step_size and np.isclose(check_5(my_step_size) / check_5(0), my_decay_rate)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 段是等长的：总轮数平均分成 step_num 段。
# </details>
#
# <details><summary>提示 2</summary>
#
# 5 段里，第一段是 lr，最后一段是 min_lr，中间隔了 5 − 1 = 4 次下降，所以 decay_rate⁴ = min_lr / lr。
# </details>
#
# <details><summary>提示 3</summary>
#
# `my_step_size = 300 / 5`，`my_decay_rate = (0.0002 / 0.02) ** (1 / 4)`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The plateaus have equal length: the epochs are split evenly into step_num plateaus.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Of the 5 plateaus the first is at lr and the last at min_lr, with 5 − 1 = 4 drops in between, so
# decay_rate⁴ = min_lr / lr.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `my_step_size = 300 / 5`, `my_decay_rate = (0.0002 / 0.02) ** (1 / 4)`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 下面四个调用都是 300 轮、lr = 0.01。哪一个会让学习率从第 30 轮起**正好是 0**？把字母赋给 `choice`。
#
# - a：`get_lr_scheduler("step", 0.01, 1e-6, 300)`
# - b：`get_lr_scheduler("step", 0.01, 0.0, 300)`
# - c：`get_lr_scheduler("step", 0.01, 0.0001, 300, step_num=2)`
# - d：`get_lr_scheduler("cos", 0.01, 0.0, 300)`

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** The four calls below are all 300 epochs with lr = 0.01. Which one makes the learning
# rate **exactly 0** from epoch 30 on? Store its letter in `choice`.
#
# - a: `get_lr_scheduler("step", 0.01, 1e-6, 300)`
# - b: `get_lr_scheduler("step", 0.01, 0.0, 300)`
# - c: `get_lr_scheduler("step", 0.01, 0.0001, 300, step_num=2)`
# - d: `get_lr_scheduler("cos", 0.01, 0.0, 300)`

# %%
exercise_3_feedback = {"a": "l02_fb_a", "c": "l02_fb_c", "d": "l02_fb_d"}

# %% tags=["exercise"]
choice = ...  # "a", "b", "c" or "d"

ex.check_choice(choice, "sealed:ImIi", "abcd", feedback=exercise_3_feedback)

# %% tags=["solution"]
options = {"a": compat.get_lr_scheduler("step", 0.01, 1e-6, 300),
           "b": compat.get_lr_scheduler("step", 0.01, 0.0, 300),
           "c": compat.get_lr_scheduler("step", 0.01, 0.0001, 300, step_num=2),
           "d": compat.get_lr_scheduler("cos", 0.01, 0.0, 300)}
zeroed = [letter for letter, s in options.items() if np.all(s(np.arange(30, 300)) == 0)]
choice = zeroed[0]

assert zeroed == ["b"] and ex.check_choice(choice, "sealed:ImIi", "abcd", feedback=exercise_3_feedback)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 阶梯分支的学习率是 lr·decay_rate^j。什么样的 decay_rate 会让 j ≥ 1 时结果为 0？
# </details>
#
# <details><summary>提示 2</summary>
#
# decay_rate = (min_lr / lr)^(1/(step_num − 1))，它为 0 当且仅当 min_lr = 0。余弦分支不用这个公式。
# </details>
#
# <details><summary>提示 3</summary>
#
# 答案是那个 min_lr = 0 的**阶梯**分支调用。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The step branch gives lr·decay_rate^j. Which decay_rate makes that 0 for every j ≥ 1?
# </details>
#
# <details><summary>Hint 2</summary>
#
# decay_rate = (min_lr / lr)^(1/(step_num − 1)) is 0 exactly when min_lr = 0. The cosine branch does not
# use this formula.
# </details>
#
# <details><summary>Hint 3</summary>
#
# It is the **step**-branch call with min_lr = 0.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - **阶梯衰减** η₀·γ^⌊t/s⌋ 每 s 轮乘一次 γ，下降发生在第 s 轮当轮，没有终点；**多阶梯衰减**在任意里程碑下降，越过最后一个后保持不变；
#   **指数衰减** η₀·γ^t 每轮都乘，等于 step_size = 1 的阶梯衰减，也是穿过阶梯各段起点的平滑曲线。
# - YOLO 配方的阶梯分支是几何阶梯：step_size = total_iters/step_num，decay_rate = (min_lr/lr)^(1/(step_num−1))，
#   最后一段正好落在 min_lr；典型参数下每次只乘 0.5995，不是除以 10。
# - 它的五个坑：min_lr = 0 让学习率从第二段起为 0；step_num = 1 除以零；轮数少于段数时原函数要到调用时才报错；
#   越过终点后继续降到 min_lr 以下；`"cos"` 以外的任何拼写都悄悄变成阶梯衰减。lrlib.compat 在创建调度时就拒绝不合法的参数，其余情况下与原函数的值相同。
# - step_size 的单位就是调用调度器时 t 的单位；按轮设计、按迭代调用，学习率会在第一轮里就降完。
# - 阶梯的突然下降并无害处：学习率一降，损失马上跟着下降。在本课的二次模型上，衰减与否的差别约为衰减形状差别的十倍，
#   什么时候降比怎么降更重要；在 ImageNet 上，形状带来的差别不到一个百分点的 top-1（Bag of Tricks）。
#
# ## 延伸阅读
#
# - He、Zhang、Ren、Sun，*Deep Residual Learning for Image Recognition*，CVPR 2016：ResNet 的训练用阶梯衰减（学习率 0.1，停滞时除以 10）。
#   <https://arxiv.org/abs/1512.03385>
# - Goyal 等，*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour*（2017）：在第 30、60、80 轮各除以 10 的多阶梯衰减，加上预热。
#   <https://arxiv.org/abs/1706.02677>
# - He 等，*Bag of Tricks for Image Classification with Convolutional Neural Networks*，CVPR 2019：余弦退火与阶梯衰减的对比。
#   <https://arxiv.org/abs/1812.01187>
# - Zhang 等，*Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic Model*，NeurIPS 2019：
#   本课二次模型的来源。<https://arxiv.org/abs/1907.04164>
# - Ge 等，*YOLOX: Exceeding YOLO Series in 2021*（2021）：YOLO 配方余弦分支的来源，第 05 课细讲。<https://arxiv.org/abs/2107.08430>
# - PyTorch 文档：`StepLR` <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.StepLR.html>、
#   `MultiStepLR` <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.MultiStepLR.html>、
#   `ExponentialLR` <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ExponentialLR.html>。
# - CS231n 课程笔记“Annealing the learning rate”一节。<https://cs231n.github.io/neural-networks-3/#anneal>
# - lrlib 文档：`help(lrlib.step_decay)`、`help(lrlib.multistep_decay)`、`help(lrlib.exponential_decay)`、`help(lrlib.compat.get_lr_scheduler)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - **Step decay**, η₀·γ^⌊t/s⌋, multiplies by γ every s epochs, drops at epoch s itself, and never ends;
#   **multistep decay** drops at any milestones you choose and holds after the last one; **exponential
#   decay**, η₀·γ^t, multiplies every epoch, equals step decay with step_size = 1, and is the smooth curve
#   through the start of each plateau of a staircase.
# - The YOLO recipe's step branch is a geometric staircase: step_size = total_iters/step_num,
#   decay_rate = (min_lr/lr)^(1/(step_num−1)), and the last plateau sits exactly on min_lr. With the usual
#   arguments each drop multiplies by 0.5995, not by 0.1.
# - Its five traps: min_lr = 0 zeroes the learning rate from the second plateau on; step_num = 1 divides
#   by zero; with fewer epochs than plateaus the original fails only when called; past the end it keeps
#   falling below min_lr; any spelling other than "cos" silently selects step decay. lrlib.compat refuses
#   bad arguments when the schedule is built and otherwise gives the original's values.
# - step_size is in the unit of the t you call the schedule with; designed in epochs and called every
#   iteration, the whole decay is over within the first epoch.
# - The sudden drops do not hurt: the loss falls right after each drop. On this lesson's quadratic model,
#   decaying at all mattered about ten times more than the shape of the decay, and when you decay mattered
#   more than how; on ImageNet the shape is worth under a point of top-1 (Bag of Tricks).
#
# ## Further reading
#
# - He, Zhang, Ren and Sun, *Deep Residual Learning for Image Recognition*, CVPR 2016: ResNet trained with
#   step decay (start at 0.1, divide by 10 when the error plateaus). <https://arxiv.org/abs/1512.03385>
# - Goyal et al., *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour* (2017): multistep decay
#   dividing by 10 at epochs 30, 60 and 80, with warmup. <https://arxiv.org/abs/1706.02677>
# - He et al., *Bag of Tricks for Image Classification with Convolutional Neural Networks*, CVPR 2019:
#   cosine annealing against step decay. <https://arxiv.org/abs/1812.01187>
# - Zhang et al., *Which Algorithmic Choices Matter at Which Batch Sizes? Insights From a Noisy Quadratic
#   Model*, NeurIPS 2019: where this lesson's quadratic model comes from. <https://arxiv.org/abs/1907.04164>
# - Ge et al., *YOLOX: Exceeding YOLO Series in 2021* (2021): where the YOLO recipe's cosine branch comes
#   from; lesson 05 covers it. <https://arxiv.org/abs/2107.08430>
# - PyTorch documentation: `StepLR` <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.StepLR.html>,
#   `MultiStepLR` <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.MultiStepLR.html>,
#   `ExponentialLR` <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ExponentialLR.html>.
# - CS231n notes, "Annealing the learning rate". <https://cs231n.github.io/neural-networks-3/#anneal>
# - lrlib's documentation: `help(lrlib.step_decay)`, `help(lrlib.multistep_decay)`,
#   `help(lrlib.exponential_decay)`, `help(lrlib.compat.get_lr_scheduler)`.

# %%
# Drive both explorers from code, so that a broken callback fails the tests.
c = seed_explorer.controls
c["step_num"].value = 4                      # four plateaus of 75 epochs
x_seed, y_seed = seed_explorer.lines["lr"].get_data()
assert np.array_equal(y_seed, compat.get_lr_scheduler("step", lr, min_lr, total, step_num=4)(x_seed))
assert len(np.unique(y_seed)) == 4 and np.isclose(y_seed[-1], min_lr, rtol=1e-12) and seed_explorer.message == ""
c["total_epochs"].value = 3                  # fewer epochs than plateaus: refused, last curve kept
assert seed_explorer.message != "" and seed_explorer.schedule.params["total_iters"] == total
c["total_epochs"].value = 120                # valid again
x_seed, y_seed = seed_explorer.lines["lr"].get_data()
assert seed_explorer.message == "" and len(x_seed) == 120
assert np.array_equal(y_seed, compat.get_lr_scheduler("step", lr, min_lr, 120, step_num=4)(x_seed))
assert seed_explorer.image.value[:4] == b"\x89PNG"

d = decay_explorer.controls
d["readout_epoch"].value = 50
d["step_num"].value = 5
assert decay_explorer.update()
x_cmp = decay_explorer.lines["step"].get_xdata()
for name, ref in (("cosine", lrlib.cosine_decay(0.01, 100, 0.0001)),
                  ("step", compat.get_lr_scheduler("step", 0.01, 0.0001, 100, step_num=5)),
                  ("linear", lrlib.decay(0.01, 100, 0.0001, shape="linear"))):
    assert np.array_equal(decay_explorer.lines[name].get_ydata(), ref(x_cmp)), name
assert decay_explorer.lines["step"].get_ydata()[50] < decay_explorer.lines["cosine"].get_ydata()[50]
assert "50" in decay_explorer.readout.value
assert reset_all() >= 1   # every explorer back where the text above expects it
