# %% [markdown] tags=["lang-zh"]
# # 把学习率调度接进 PyTorch 训练循环，并查出差一步的错误
#
# 前面几课里，学习率调度都是一个纯函数 f(t)：给出第几轮（或第几次迭代），返回学习率。真正训练时，
# 学习率存放在 PyTorch 优化器的 `param_groups` 里，由学习率调度器在训练循环的某个位置改写。
# 函数本身没错，也可能错在“什么时候改写”上：早了一步、晚了一轮，或者从检查点恢复后又从头来过。
# 这一课把 lrlib 的调度接进 PyTorch，并把优化器**实际用过**的学习率逐步记下来，和 f(t) 对照。
#
# ## 你将学到
#
# - 用 `lrlib.torch_adapter.ScheduleLR` 让任意 lrlib 调度驱动 PyTorch 优化器，按迭代或按轮设置学习率；
# - 为什么必须先调用 `optimizer.step()` 再调用 `scheduler.step()`，顺序反了会怎样；
# - 从权重的变化反推出优化器每一步实际用的学习率，和调度对照；
# - 保存检查点、中断、恢复以后，学习率接着原来的曲线走，而不是从头再来；
# - 复现并修好一个常见的差一轮错误：每轮训练**结束后**才设置学习率，整条调度会晚一轮。
#
# ## 你需要
#
# - 第 00 课（练习怎么做），第 03 课（余弦退火）和第 05 课（YOLO 的学习率配方，每轮调用一次）；
# - 见过 PyTorch 的训练循环：`loss.backward()`、`optimizer.step()`、`optimizer.zero_grad()`；
# - PyTorch（可选）。没有安装 PyTorch 也能学：相关单元格会说明怎么安装并跳过，其余单元格和全部练习照常运行。
#   只装 CPU 版即可：`pip install torch --index-url https://download.pytorch.org/whl/cpu`；
# - 大约 25 分钟。整个笔记本在 CPU 上半分钟之内就能跑完。

# %% [markdown] tags=["lang-en"]
# # Plug a schedule into a PyTorch training loop, and catch the off-by-one
#
# In the earlier lessons a learning-rate schedule was a pure function f(t): give it an epoch (or an
# iteration), get back a learning rate. In real training the learning rate lives in a PyTorch
# optimizer's `param_groups`, and a learning-rate scheduler rewrites it at some point in the training
# loop. The function can be right and the *timing* still wrong: one step early, one epoch late, or
# back to the start after resuming from a checkpoint. This lesson plugs lrlib schedules into PyTorch
# and logs, step by step, the learning rate the optimizer **actually used**, to compare it with f(t).
#
# ## What you'll learn
#
# - drive a PyTorch optimizer with any lrlib schedule through `lrlib.torch_adapter.ScheduleLR`,
#   setting the learning rate every iteration or once per epoch;
# - why `optimizer.step()` must come before `scheduler.step()`, and what the other order does;
# - recover the learning rate each optimizer step really used from the change in the weights, and
#   check it against the schedule;
# - save a checkpoint, stop, resume, and have the learning rate continue on the same curve instead of
#   starting over;
# - reproduce and fix a common off-by-one: setting the learning rate *after* each epoch's training
#   shifts the whole schedule one epoch late.
#
# ## What you'll need
#
# - lesson 00 (how the exercises work), lesson 03 (cosine annealing) and lesson 05 (the YOLO recipe,
#   called once per epoch);
# - a PyTorch training loop seen before: `loss.backward()`, `optimizer.step()`, `optimizer.zero_grad()`;
# - PyTorch, optionally. Without it the lesson still works: the PyTorch cells say how to install it
#   and skip, the other cells and all the exercises run as usual. The CPU build is enough:
#   `pip install torch --index-url https://download.pytorch.org/whl/cpu`;
# - about 25 minutes. The notebook runs in well under half a minute on a CPU.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import io
import warnings

import matplotlib.pyplot as plt
import numpy as np

from lrcourse import exercises as ex
from lrcourse.fonts import plot_language
from lrcourse.i18n import t

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)


try:  # PyTorch is optional: detected once, here
    import torch
    from lrlib.torch_adapter import ScheduleLR, trace_lrs
    HAVE_TORCH = True
except ImportError:
    torch = None
    HAVE_TORCH = False


def torch_or_skip():
    """True when PyTorch is installed; otherwise print how to install it and return False."""
    if not HAVE_TORCH:
        print(t("l10_install_torch"))
    return HAVE_TORCH


if HAVE_TORCH:
    print(t("l10_torch_found", version=torch.__version__))
else:
    torch_or_skip()

# %% [markdown] tags=["lang-zh"]
# ## 看清学习率调度器在训练循环里的位置
#
# PyTorch 的优化器在每次 `optimizer.step()` 时，从 `optimizer.param_groups[i]["lr"]` 读出学习率来更新参数。
# 学习率调度器做的事只有一件：在 `scheduler.step()` 时改写这个数。所以一个学习率“用在哪一步”，
# 完全取决于这两个调用在循环里的先后：
#
# ```python
# for epoch in range(num_epochs):
#     for x, y in loader:
#         loss = loss_fn(model(x), y)
#         optimizer.zero_grad()
#         loss.backward()
#         optimizer.step()        # 用当前的 lr 更新参数
#         scheduler.step()        # 按迭代：为下一次迭代设置 lr
#     # scheduler.step()          # 或者按轮：每轮结束时调用一次
# ```
#
# lrlib 的调度是纯函数，接进 PyTorch 需要一个适配器：`ScheduleLR(optimizer, schedule, iters_per_epoch=..., step_unit=...)`。
# 它是一个普通的 PyTorch 学习率调度器（`LRScheduler` 的子类），在第 k 次优化步（从 0 数）设置的学习率是
#
# - `step_unit="fractional_epoch"`（按小数轮）：f(k / iters_per_epoch)，即在小数轮处取值，每次迭代都变；
# - `step_unit="epoch"`（按轮）：f(k // iters_per_epoch)，一轮之内不变，和 YOLO 训练脚本每轮调用一次的效果相同。
#
# 两种情况下，调度的长度都以**轮**为单位。先不用 PyTorch，直接用 lrlib 算出这两条序列（第 05 课的 YOLO 配方，10 轮，每轮 5 次迭代）：

# %% [markdown] tags=["lang-en"]
# ## Locate the learning-rate scheduler in the training loop
#
# At every `optimizer.step()`, a PyTorch optimizer reads the learning rate from
# `optimizer.param_groups[i]["lr"]` and updates the parameters with it. A learning-rate scheduler does
# one thing: at `scheduler.step()` it rewrites that number. Which step a learning rate is used at
# therefore depends only on the order of those two calls in the loop:
#
# ```python
# for epoch in range(num_epochs):
#     for x, y in loader:
#         loss = loss_fn(model(x), y)
#         optimizer.zero_grad()
#         loss.backward()
#         optimizer.step()        # update the parameters with the current lr
#         scheduler.step()        # per iteration: set the lr for the next iteration
#     # scheduler.step()          # or per epoch: once, at the end of each epoch
# ```
#
# lrlib schedules are pure functions, so PyTorch needs an adapter:
# `ScheduleLR(optimizer, schedule, iters_per_epoch=..., step_unit=...)`. It is an ordinary PyTorch
# learning-rate scheduler (a subclass of `LRScheduler`), and for the k-th optimizer step (counting
# from 0) it sets
#
# - with `step_unit="fractional_epoch"`: f(k / iters_per_epoch), the schedule at a fractional epoch, so the
#   learning rate moves every iteration;
# - with `step_unit="epoch"`: f(k // iters_per_epoch), constant within an epoch, just like the YOLO
#   scripts that call the schedule once per epoch.
#
# Either way the schedule's lengths are in **epochs**. First, without PyTorch, lrlib computes both
# sequences (lesson 05's YOLO recipe, 10 epochs of 5 iterations each):

# %%
EPOCHS, IPE = 10, 5  # epochs, iterations per epoch
recipe = lrlib.compat.get_lr_scheduler("cos", 0.01, 1e-4, EPOCHS)  # lengths in epochs
per_iteration = recipe(lrlib.fractional_epochs(EPOCHS, IPE))      # f(epoch + i / IPE)
per_epoch = recipe(lrlib.epoch_of_iteration(EPOCHS, IPE))         # f(epoch)

print(t("l10_granularity_head"))
for k in range(2 * IPE):
    print(f"{k:>4}  {k // IPE:>4}   {per_iteration[k]:.6f}          {per_epoch[k]:.6f}")

by_epoch = per_epoch.reshape(EPOCHS, IPE)
assert np.all(by_epoch == by_epoch[:, :1])                   # per epoch: constant within each epoch
assert np.array_equal(per_iteration[::IPE], per_epoch[::IPE])  # the two agree at the start of every epoch
assert per_iteration[1] > per_iteration[0]                   # per iteration: it moves within epoch 0 (warmup)

# %% [markdown] tags=["lang-zh"]
# 下面的单元格需要 PyTorch：给一个参数建一个 SGD 优化器，装上 `ScheduleLR`，用 `trace_lrs(optimizer, scheduler, n)`
# 跑 n 步（梯度为 0，参数不动），把每一步优化器读到的学习率记下来。断言它们和上面 lrlib 直接算的值**逐步相等**。

# %% [markdown] tags=["lang-en"]
# The next cell needs PyTorch: build an SGD optimizer over one parameter, attach `ScheduleLR`, and let
# `trace_lrs(optimizer, scheduler, n)` run n steps (zero gradients, so the parameter does not move)
# while logging the learning rate the optimizer read at each step. The assertions say they **equal**
# lrlib's values above, step by step.

# %%
def fresh_optimizer(lr=0.1, momentum=0.0):
    """An SGD optimizer over a single parameter, for tracing learning rates."""
    return torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=lr, momentum=momentum)


if torch_or_skip():
    opt = fresh_optimizer()
    traced_iteration = trace_lrs(opt, ScheduleLR(opt, recipe, iters_per_epoch=IPE, step_unit="fractional_epoch"),
                                 EPOCHS * IPE)
    opt = fresh_optimizer()
    traced_epoch = trace_lrs(opt, ScheduleLR(opt, recipe, iters_per_epoch=IPE, step_unit="epoch"),
                             EPOCHS * IPE)
    np.testing.assert_allclose(traced_iteration, per_iteration, rtol=1e-12)
    np.testing.assert_allclose(traced_epoch, per_epoch, rtol=1e-12)
    print(t("l10_both_match", n=EPOCHS * IPE))

# %% [markdown] tags=["lang-zh"]
# ### 比一比按轮和按迭代
#
# **先预测：** 默认设置是 20 轮、每轮 10 次迭代、预热 2 轮。按轮设置的学习率是一段段台阶，按迭代设置的是一条光滑曲线。
# 两者相差最大的地方在预热段、余弦段还是尾段？大约差峰值的百分之几？如果把“每轮迭代次数”拖到 1，两条线会怎样？
# 先写下答案，再拖动滑块。
#
# 这个探索器每次只做三件事（代码单元格里的注释写出了它们）：用 `lrlib.compat.get_lr_scheduler` 建出调度 s，
# 然后分别在整数轮 `lrlib.epoch_of_iteration(...)` 和小数轮 `lrlib.fractional_epochs(...)` 上求值。

# %% [markdown] tags=["lang-en"]
# ### Compare per epoch with per iteration
#
# **Predict first:** the default is 20 epochs of 10 iterations, with a 2-epoch warmup. Set per epoch,
# the learning rate is a staircase; set per iteration, a smooth curve. Where do they differ most: in
# the warmup, in the cosine part or in the tail? By roughly what percentage of the peak? And what
# happens to the two lines when you drag "iterations per epoch" down to 1? Write your answers down,
# then move the sliders.
#
# Each time, the explorer does three things (the comments in the code cell spell them out): it
# builds the schedule s with `lrlib.compat.get_lr_scheduler`, then evaluates it at whole epochs,
# `lrlib.epoch_of_iteration(...)`, and at fractional epochs, `lrlib.fractional_epochs(...)`.

# %%
from lrcourse.explorers import SteppingExplorer, reset_all

# The calls it makes whenever a control moves:
#   s = lrlib.compat.get_lr_scheduler(decay_type, peak_lr, min_lr, total_epochs)
#   per epoch:     s(lrlib.epoch_of_iteration(total_epochs, iters_per_epoch))
#   per iteration: s(lrlib.fractional_epochs(total_epochs, iters_per_epoch))
stepping = SteppingExplorer(peak_lr=0.01, min_lr=1e-4, total_epochs=20, iters_per_epoch=10)
stepping

# %% [markdown] tags=["lang-zh"]
# 答案在预热段。预热是二次曲线，升得越来越快；按轮设置时，整个第 1 轮都停在 f(1)，
# 而按迭代设置时，到第 1 轮末尾已经升到 f(1.9)，接近峰值。下一个单元格把这个差距算出来并断言。
# 把每轮迭代次数设为 1 时，两条线完全重合：每轮只有一次迭代，按轮和按迭代是一回事。

# %% [markdown] tags=["lang-en"]
# The answer is the warmup. The warmup is a quadratic that climbs ever faster: set per epoch, all of
# epoch 1 stays at f(1), while per iteration the last step of epoch 1 is already at f(1.9), close to
# the peak. The next cell computes that gap and asserts it. With one iteration per epoch the two
# lines coincide: per epoch and per iteration are then the same thing.

# %%
s20 = lrlib.compat.get_lr_scheduler("cos", 0.01, 1e-4, 20)
stair = s20(lrlib.epoch_of_iteration(20, 10))
smooth = s20(lrlib.fractional_epochs(20, 10))
k_gap = int(np.argmax(np.abs(stair - smooth)))
pct_gap = 100 * abs(stair[k_gap] - smooth[k_gap]) / 0.01
print(t("l10_gap", k=k_gap, epoch=k_gap // 10, a=stair[k_gap], b=smooth[k_gap], pct=pct_gap))
warmup_phase = next(ph for ph in s20.phases if ph.kind == "warmup")
assert (warmup_phase.start, warmup_phase.end) == (0.0, 2.0)           # the default: a 2-epoch warmup
assert k_gap == 19 and warmup_phase.start <= 1.9 < warmup_phase.end  # largest gap: end of epoch 1, in the warmup
assert np.all(np.diff(smooth[:20], 2) > 0)                            # a quadratic warmup: climbing ever faster
assert 58 < pct_gap < 59.5
assert np.all(stair[10:20] == s20(1)) and smooth[19] == s20(1.9) > 0.9 * 0.01  # f(1) all epoch vs f(1.9) near the peak
assert np.array_equal(s20(lrlib.epoch_of_iteration(20, 1)), s20(lrlib.fractional_epochs(20, 1)))  # 1 per epoch: equal

# %% [markdown] tags=["lang-zh"]
# ## 按正确的顺序调用两个 step()
#
# 一种常见的说法：
#
# > “`scheduler.step()` 放在 `optimizer.step()` 前面还是后面都无所谓。”
#
# 从 PyTorch 1.1.0 起，约定是先 `optimizer.step()`，后 `scheduler.step()`。学习率调度器在创建时就已经把第 0 步的学习率
# 写进了优化器；如果先调用 `scheduler.step()`，这个值还没被用过就被覆盖了，之后每一步都提前用了下一个值。
# PyTorch 发现这种顺序时会发出 `UserWarning`，但它只在创建后第一次调用 `scheduler.step()` 时检查一次：
# 下面的单元格里 10 步的顺序全错，警告却只有一条。所以日志里后来没有警告，并不能说明顺序是对的。
# 单元格先把警告捕获下来（不让它显示出来），再逐步比较两种顺序。
# 调度用的是先预热 4 步、总共 10 步的余弦退火 `lrlib.warmup_cosine(0.1, total_steps=10, warmup_steps=4)`：

# %% [markdown] tags=["lang-en"]
# ## Call the two step() methods in the right order
#
# A common belief:
#
# > "It doesn't matter whether `scheduler.step()` comes before or after `optimizer.step()`."
#
# Since PyTorch 1.1.0 the rule is `optimizer.step()` first, then `scheduler.step()`. A learning-rate
# scheduler writes the learning rate for step 0 into the optimizer when it is created; calling
# `scheduler.step()` first overwrites that value before it is ever used, and from then on every step
# uses the next value early. PyTorch notices this order and issues a `UserWarning`, but it checks only
# once, at the first `scheduler.step()` after the scheduler is created: below, all 10 steps are in the
# wrong order and there is a single warning, so a log that stays quiet later proves nothing. The cell
# below catches the warning (so it does not leak out) and compares the two orders step by step. The
# schedule is a 4-step warmup followed by cosine annealing, 10 steps in all,
# `lrlib.warmup_cosine(0.1, total_steps=10, warmup_steps=4)`:

# %%
short = lrlib.warmup_cosine(0.1, total_steps=10, warmup_steps=4)

if torch_or_skip():
    opt = fresh_optimizer()
    scheduler = ScheduleLR(opt, short)
    assert isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler)  # an ordinary PyTorch scheduler
    assert opt.param_groups[0]["lr"] == short(0)                        # step 0's lr is written on creation
    right_order = trace_lrs(opt, scheduler, 10)
    opt = fresh_optimizer()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wrong_order = trace_lrs(opt, ScheduleLR(opt, short), 10, wrong_order=True)
    print(t("l10_order_right"), np.round(right_order, 4))
    print(t("l10_order_wrong"), np.round(wrong_order, 4))
    order_warnings = [w for w in caught if "before `optimizer.step()`" in str(w.message)]
    print(t("l10_caught", kind=order_warnings[0].category.__name__, text=str(order_warnings[0].message)[:112] + " ..."))
    np.testing.assert_allclose(right_order, short(np.arange(10)), rtol=1e-12)     # f(0), f(1), ..., f(9)
    np.testing.assert_allclose(wrong_order, short(np.arange(1, 11)), rtol=1e-12)  # f(1), ..., f(10): one step early
    assert short(0) == 0.0 and 0.0 not in wrong_order[:-1]   # the warmup's first value is never used
    assert len(order_warnings) == 1 and issubclass(order_warnings[0].category, UserWarning)  # once, for 10 wrong steps
    assert "1.1.0" in str(order_warnings[0].message)  # the rule dates from PyTorch 1.1.0

# %% [markdown] tags=["lang-zh"]
# 顺序一反，整个序列就提前了一步：预热的第一个值 0 从来没被用上，最后一步用的是 f(10) 而不是 f(9)。
# 这里只有 10 步，看起来差别很小；可如果调度器是**按轮**调用的，提前的就是整整一轮。
# 所以这个说法不成立：每个学习率用在哪一步，正是由调用顺序决定的。

# %% [markdown] tags=["lang-en"]
# In the wrong order the whole sequence moves one step early: the warmup's first value, 0, is never
# used, and the last step runs at f(10) instead of f(9). With 10 steps this looks small; with a
# scheduler stepped **per epoch**, it is a whole epoch. So the belief is wrong: the order decides
# which step each learning rate is used at.

# %% [markdown] tags=["lang-zh"]
# ## 记录优化器真正用过的学习率
#
# `trace_lrs` 读的是 `param_groups` 里的数。更可靠的办法是直接看参数：对不带动量、也不带权重衰减的 SGD，一步更新是
# w ← w − η·g，所以 η = (w_前 − w_后)·g / (g·g)。下面训练一个真正的小模型（4 个输入的线性回归，64 个样本，
# 数据用固定种子生成，每轮 8 个批次，共 6 轮），每一步都从权重的变化反推出 η，
# 再和调度 f（预热 1 轮、余弦退火到第 6 轮）在小数轮上的值比较。正确顺序和错误顺序各跑一遍。

# %% [markdown] tags=["lang-en"]
# ## Record the learning rate the optimizer really used
#
# `trace_lrs` reads the number stored in `param_groups`. A more direct witness is the parameters
# themselves: for SGD without momentum or weight decay one step is w ← w − η·g, so
# η = (w_before − w_after)·g / (g·g).
# Below, a real (tiny) model is trained: linear regression with 4 inputs on 64 samples generated from
# a fixed seed, 8 batches per epoch, 6 epochs. At every step η is recovered from the change in the
# weights and compared with the schedule f (1 epoch of warmup, then cosine annealing to epoch 6) at
# the fractional epoch. Once in the right order, once in the wrong one.

# %%
N_EPOCHS, N_BATCHES = 6, 8
lr_curve = lrlib.warmup_cosine(0.05, total_steps=N_EPOCHS, warmup_steps=1)  # lengths in epochs
frac = lrlib.fractional_epochs(N_EPOCHS, N_BATCHES)


def make_data(seed=0, n=64, d=4):
    """A seeded linear-regression data set (float64, so recovered learning rates are exact to ~1e-12)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    y = X @ torch.randn(d, 1, generator=g, dtype=torch.float64) + 0.1 * torch.randn(n, 1, generator=g,
                                                                                   dtype=torch.float64)
    return X, y


def build(lr=0.05, momentum=0.0, schedule=lr_curve, step_unit="fractional_epoch"):
    """A seeded linear model, its SGD optimizer and (when schedule is given) a ScheduleLR."""
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1, dtype=torch.float64)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    sched = None if schedule is None else ScheduleLR(opt, schedule, iters_per_epoch=N_BATCHES,
                                                     step_unit=step_unit)
    return model, opt, sched


def train(model, opt, sched, data, first_epoch, last_epoch, *, wrong_order=False, set_lr=None):
    """Train epochs first_epoch..last_epoch-1; return the lr each step used, read from the weights
    (plain SGD) or from param_groups (with momentum). set_lr(epoch, when) may set the lr by hand."""
    X, y = data
    used = []
    for epoch in range(first_epoch, last_epoch):
        if set_lr:
            set_lr(epoch, "before")
        order = torch.randperm(len(X), generator=torch.Generator().manual_seed(epoch))  # resumable order
        for rows in order.reshape(N_BATCHES, -1):
            loss = ((model(X[rows]) - y[rows]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            if sched and wrong_order:
                sched.step()
            before = torch.cat([p.detach().flatten() for p in model.parameters()])
            grad = torch.cat([p.grad.flatten() for p in model.parameters()])
            group_lr = opt.param_groups[0]["lr"]
            opt.step()
            if sched and not wrong_order:
                sched.step()
            after = torch.cat([p.detach().flatten() for p in model.parameters()])
            plain = opt.param_groups[0]["momentum"] == 0
            used.append(float((before - after) @ grad / (grad @ grad)) if plain else group_lr)
        if set_lr:
            set_lr(epoch, "after")
    return np.array(used)


if torch_or_skip():
    data = make_data(seed=0)
    used_right = train(*build(), data, 0, N_EPOCHS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        used_wrong = train(*build(), data, 0, N_EPOCHS, wrong_order=True)
    assert any("before `optimizer.step()`" in str(w.message) for w in caught)

    f_steps = lr_curve(frac)
    rel_err = np.max(np.abs(used_right - f_steps) / np.maximum(f_steps, 1e-12))
    print(t("l10_measured", right=rel_err))
    assert used_right[0] == 0.0 and rel_err < 1e-9                         # right order: exactly f(step)
    np.testing.assert_allclose(used_wrong, lr_curve(frac + 1 / N_BATCHES), rtol=1e-9, atol=1e-15)  # one step early

    fig, ax = plt.subplots(figsize=(7, 2.8))
    its = np.arange(len(frac))
    ax.plot(its, f_steps, color="#888888", lw=1, label=plot_text("l10_schedule_curve"))
    ax.plot(its, used_right, "o", ms=3, label=plot_text("l10_used_right"))
    ax.plot(its, used_wrong, "x", ms=4, label=plot_text("l10_used_wrong"))
    ax.set_xlim(-0.5, 2 * N_BATCHES + 0.5)  # the first two epochs, where the difference shows
    ax.set_xlabel(plot_text("iteration"))
    ax.set_ylabel(plot_text("learning_rate"))
    ax.legend(fontsize=8)
    plt.show()

# %% [markdown] tags=["lang-zh"]
# 圆点（正确顺序）正好落在灰线上，从权重反推的学习率和 f 的相对误差只有浮点舍入那么大；
# 叉号（错误顺序）整体左移了一格。这种“从训练日志画出实际用过的学习率，再和调度函数叠在一起”的图，
# 是检查训练脚本最直接的办法。

# %% [markdown] tags=["lang-en"]
# The dots (right order) sit exactly on the grey line: the learning rate recovered from the weights
# matches f to rounding error. The crosses (wrong order) are shifted one place to the left. Drawing
# the learning rate that was actually used, from the training loop's own log, on top of the schedule
# function is the most direct check of a training script.

# %% [markdown] tags=["lang-zh"]
# ## 从检查点恢复训练
#
# 长时间的训练常被打断，需要从检查点接着跑。检查点里要有三样东西：模型参数、优化器状态（带动量的 SGD 和 Adam
# 都有内部缓冲）、学习率调度器的状态。`ScheduleLR` 的状态只有“已经走了多少步”：lrlib 的调度是步数的纯函数，
# 知道步数就知道学习率，和优化器之前的学习率是多少无关。
#
# 下面用带动量（0.9）的 SGD 跑两遍 6 轮：一遍不停；另一遍跑完 3 轮后把三份状态存进内存里的检查点文件，
# 再“换一个进程”：重新建模型和优化器（故意用一个荒唐的初始学习率 123），加载检查点，跑完剩下 3 轮。
# 每轮的数据顺序由轮数决定，所以恢复后数据也和不中断时一样。

# %% [markdown] tags=["lang-en"]
# ## Resume training from a checkpoint
#
# Long runs get interrupted and must continue from a checkpoint. The checkpoint needs three things:
# the model's parameters, the optimizer's state (SGD with momentum and Adam keep internal buffers),
# and the learning-rate scheduler's state. `ScheduleLR`'s state is only how many steps it has taken:
# an lrlib schedule is a pure function of the step, so the step count gives the learning rate, whatever
# the optimizer's learning rate was before.
#
# Below, SGD with momentum 0.9 runs 6 epochs twice: once without a break; once for 3 epochs, after
# which the three states go into a checkpoint file (kept in memory), and then "a new process" builds a
# fresh model and optimizer (with an absurd initial learning rate of 123, on purpose), loads the
# checkpoint and runs the remaining 3 epochs. Each epoch's data order depends only on the epoch
# number, so after resuming the data are the same as in the uninterrupted run too.

# %%
if torch_or_skip():
    model, opt, sched = build(momentum=0.9)
    lrs_full = train(model, opt, sched, data, 0, N_EPOCHS)
    w_full = torch.cat([p.detach().flatten() for p in model.parameters()])

    model, opt, sched = build(momentum=0.9)
    lrs_first = train(model, opt, sched, data, 0, 3)
    assert all("momentum_buffer" in state for state in opt.state_dict()["state"].values())  # optimizer state
    buffer = io.BytesIO()
    torch.save({"epoch": 3, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict()}, buffer)

    # ... a new process: rebuild everything, then load the checkpoint
    buffer.seek(0)
    checkpoint = torch.load(buffer)
    model, opt, sched = build(lr=123.0, momentum=0.9)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    sched.load_state_dict(checkpoint["scheduler"])
    lrs_rest = train(model, opt, sched, data, checkpoint["epoch"], N_EPOCHS)
    w_resumed = torch.cat([p.detach().flatten() for p in model.parameters()])

    lr_gap = np.max(np.abs(np.concatenate([lrs_first, lrs_rest]) - lrs_full))
    w_gap = float((w_resumed - w_full).abs().max())
    print(t("l10_resume", lr_gap=lr_gap, w_gap=w_gap))
    np.testing.assert_allclose(np.concatenate([lrs_first, lrs_rest]), lrs_full, rtol=1e-12, atol=0)
    np.testing.assert_allclose(lrs_full, lr_curve(frac), rtol=1e-12)
    assert torch.allclose(w_resumed, w_full, rtol=0, atol=1e-12)

# %% [markdown] tags=["lang-zh"]
# 学习率序列和最终权重都和不中断时一致。如果漏掉了调度器的状态呢？新建的调度器从第 0 步数起。
# 第一步用什么，取决于先后顺序：`build()` 先建调度器、后加载优化器状态，恢复后的第一步就还用着优化器状态里存下的学习率，
# 从第二步起预热从头又来了一遍；如果先加载优化器状态、再建调度器，调度器一建好就写进 f(0) = 0，连第一步也回到了起点。
# 下面两种顺序都试一遍。

# %% [markdown] tags=["lang-en"]
# The learning-rate sequence and the final weights match the uninterrupted run. And if the
# scheduler's state is left out? A new scheduler counts from step 0. What the first step uses depends
# on the order: `build()` creates the scheduler before the optimizer's state is loaded, so the first
# step after resuming still uses the learning rate stored in the optimizer's state, and from the
# second step on the warmup starts all over again. Load the optimizer's state first and create the
# scheduler afterwards, and the new scheduler writes f(0) = 0 at once: even the first step is back at
# the start. The cell below tries both orders.

# %%
if torch_or_skip():
    model, opt, sched = build(lr=123.0, momentum=0.9)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])  # the scheduler's state is forgotten
    lrs_forgot = train(model, opt, sched, data, 3, N_EPOCHS)
    print(t("l10_forgot", got=lrs_forgot[1], want=lrs_full[3 * N_BATCHES + 1]))
    assert lrs_forgot[0] == lrs_full[3 * N_BATCHES]                            # the stored lr, once
    np.testing.assert_allclose(lrs_forgot[1:N_BATCHES], lr_curve(frac[1:N_BATCHES]), rtol=1e-12)  # warmup again
    assert lrs_forgot[1] < lrs_full[3 * N_BATCHES + 1] / 4

    model, opt, _ = build(lr=123.0, momentum=0.9, schedule=None)   # the other order:
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])                    # the optimizer's state first,
    sched = ScheduleLR(opt, lr_curve, iters_per_epoch=N_BATCHES)    # then a new scheduler
    lrs_forgot_late = train(model, opt, sched, data, 3, N_EPOCHS)
    print(t("l10_forgot_late", got=lrs_forgot_late[0], want=lrs_full[3 * N_BATCHES]))
    assert lrs_forgot_late[0] == lr_curve(0) == 0.0                                # even the first step
    np.testing.assert_allclose(lrs_forgot_late[:N_BATCHES], lr_curve(frac[:N_BATCHES]), rtol=1e-12)

# %% [markdown] tags=["lang-zh"]
# ## 复现并修好差一轮的错误
#
# 很多训练脚本不用学习率调度器，而是自己写一个函数 f(epoch)，然后在循环里改 `param_group["lr"]`。
# 问题出在改的时机：如果放在每轮训练**之后**，
#
# ```python
# for epoch in range(num_epochs):
#     train_one_epoch(model, optimizer)
#     for group in optimizer.param_groups:
#         group["lr"] = f(epoch)          # 太晚了：这一轮已经训练完
# ```
#
# 那么第 epoch 轮实际用的是 f(epoch − 1)，第 0 轮用的是优化器创建时的学习率。整条调度晚了一轮。
# 当 f 带预热时后果最明显：优化器按惯例用峰值学习率创建，于是第 0 轮直接用峰值训练，第 1 轮反而用 f(0) = 0 训练。
# 先不用 PyTorch，把这个循环的时机单独拿出来看（`group` 就是 `optimizer.param_groups[0]`）：

# %% [markdown] tags=["lang-en"]
# ## Reproduce and fix the off-by-one-epoch bug
#
# Many training scripts use no scheduler at all: they write a function f(epoch) and change
# `param_group["lr"]` inside the loop. The trouble is when. Placed **after** each epoch's training,
#
# ```python
# for epoch in range(num_epochs):
#     train_one_epoch(model, optimizer)
#     for group in optimizer.param_groups:
#         group["lr"] = f(epoch)          # too late: this epoch has already been trained
# ```
#
# epoch `epoch` actually trains at f(epoch − 1), and epoch 0 at whatever learning rate the optimizer
# was created with. The whole schedule is one epoch late. It hurts most when f has a warmup: the
# optimizer is usually created with the peak learning rate, so epoch 0 trains at the peak and epoch 1
# at f(0) = 0. First, without PyTorch, the timing of that loop on its own (`group` stands for
# `optimizer.param_groups[0]`):

# %%
warm = lrlib.warmup_cosine(0.3, total_steps=12, warmup_steps=5)  # per epoch: 0, 0.06, ..., 0.3, then cosine


def lrs_seen(f, epochs, initial_lr, set_after):
    """The lr each epoch trains at when the loop sets group["lr"] = f(epoch) before or after training."""
    group = {"lr": initial_lr}
    seen = []
    for epoch in range(epochs):
        if not set_after:
            group["lr"] = float(f(epoch))
        seen.append(group["lr"])  # training this epoch reads the lr here
        if set_after:
            group["lr"] = float(f(epoch))
    return seen


late = lrs_seen(warm, 12, initial_lr=0.3, set_after=True)
on_time = lrs_seen(warm, 12, initial_lr=0.3, set_after=False)
print(t("l10_epoch_table_head_pure"))
for e in range(7):
    print(f"{e:>4}   {warm(e):.3f}           {late[e]:.3f}       {on_time[e]:.3f}")
assert np.allclose(on_time, warm(np.arange(12)))   # set before training: exactly f(epoch)
assert late[0] == 0.3 and late[1] == 0.0           # set after: the peak first, then an epoch at lr 0
assert late[1:] == on_time[:-1]                     # ... and f one epoch late everywhere

# %% [markdown] tags=["lang-zh"]
# 再在 PyTorch 里用真实的优化器和模型复现一遍：优化器用峰值 0.3 创建，每轮 8 个批次，每一步都从权重变化反推出学习率，
# 取每轮第一步的值。三种循环：训练后设置（有错）、训练前设置（修好）、改用 `ScheduleLR(step_unit="epoch")`
# 在每次迭代后 `scheduler.step()`（也修好，而且一轮之内保持不变）。

# %% [markdown] tags=["lang-en"]
# Now the same in PyTorch, with a real optimizer and model: the optimizer is created with the peak,
# 0.3, each epoch has 8 batches, and every step's learning rate is recovered from the change in the
# weights; the table shows the first step of each epoch. Three loops: set after training (the bug),
# set before training (fixed), and `ScheduleLR(step_unit="epoch")` stepped after every iteration
# (fixed too, and constant within each epoch).

# %%
if torch_or_skip():
    def run_manual(when):
        model, opt, _ = build(lr=0.3, schedule=None)

        def set_lr(epoch, moment):
            if moment == when:
                for group in opt.param_groups:
                    group["lr"] = float(warm(epoch))
        return train(model, opt, None, data, 0, 12, set_lr=set_lr).reshape(12, N_BATCHES)

    torch_late = run_manual("after")
    torch_on_time = run_manual("before")
    torch_adapter = train(*build(lr=0.3, schedule=warm, step_unit="epoch"), data, 0, 12).reshape(12, N_BATCHES)
    for grid in (torch_late, torch_on_time, torch_adapter):
        assert np.allclose(grid, grid[:, :1], rtol=1e-9, atol=1e-15)  # one lr per epoch
    print(t("l10_epoch_table_head"))
    for e in range(7):
        print(f"{e:>4}   {warm(e):.3f}           {torch_late[e, 0]:.3f}       {torch_on_time[e, 0]:.3f}"
              f"       {torch_adapter[e, 0]:.3f}")
    np.testing.assert_allclose(torch_late[:, 0], late, rtol=1e-9, atol=1e-15)       # the bug, in PyTorch
    np.testing.assert_allclose(torch_late[1:, 0], warm(np.arange(11)), rtol=1e-9, atol=1e-15)  # one epoch late
    np.testing.assert_allclose(torch_on_time[:, 0], warm(np.arange(12)), rtol=1e-9, atol=1e-15)  # fixed
    np.testing.assert_allclose(torch_adapter[:, 0], warm(np.arange(12)), rtol=1e-9, atol=1e-15)  # fixed

    # A scheduler stepped once per epoch belongs AFTER the epoch's training (it sets the next epoch's lr)
    model, opt, _ = build(lr=0.3, schedule=None)
    per_epoch_sched = ScheduleLR(opt, warm)  # one step() per epoch: iters_per_epoch=1

    def step_after(epoch, moment):
        if moment == "after":
            per_epoch_sched.step()
    torch_sched_after = train(model, opt, None, data, 0, 12, set_lr=step_after).reshape(12, N_BATCHES)
    np.testing.assert_allclose(torch_sched_after[:, 0], warm(np.arange(12)), rtol=1e-9, atol=1e-15)

# %% [markdown] tags=["lang-zh"]
# 两种修法都让第 e 轮正好用 f(e)。用学习率调度器时同理：每轮调用一次的调度器，`scheduler.step()` 放在这一轮训练**之后**
# 是对的（它为**下一轮**设置学习率，而第 0 轮的值在创建调度器时已经设好）；自己写 `group["lr"] = f(epoch)` 时，要放在训练**之前**。
# 两者容易混淆，这正是这个错误常见的原因。
#
# ## 当心 PyTorch 自带的 CosineAnnealingLR 越过 T_max
#
# 最后一个坑和时机无关，而和“走过了头”有关：PyTorch 的 `CosineAnnealingLR` 走过 `T_max` 步之后不会停在最小值，
# 而是沿着余弦曲线升回去，周期是 2·T_max（第 03 课讲过这条曲线）。lrlib 的 `cosine_decay` 到终点后保持不变。一行就能看出来：

# %% [markdown] tags=["lang-en"]
# Both fixes make epoch e train at exactly f(e). The same holds with a learning-rate scheduler, with
# a twist: for a scheduler stepped once per epoch, `scheduler.step()` **after** the epoch's training
# is right (it sets the learning rate for the **next** epoch, and epoch 0's value was set when the
# scheduler was created), while a hand-written `group["lr"] = f(epoch)` belongs **before** the
# training. The two are easy to mix up, which is why the bug is so common.
#
# ## Watch PyTorch's own CosineAnnealingLR go past T_max
#
# One last trap has nothing to do with timing and everything to do with going too far: stepped past
# `T_max`, PyTorch's `CosineAnnealingLR` does not stay at its minimum, it climbs back up along the
# cosine, with period 2·T_max (lesson 03 shows this curve). lrlib's `cosine_decay` holds its end
# value. One line shows it:

# %%
if torch_or_skip():
    opt = fresh_optimizer(0.1)
    native = trace_lrs(opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10), 21)
    opt = fresh_optimizer(0.1)
    ours = trace_lrs(opt, ScheduleLR(opt, lrlib.cosine_decay(0.1, decay_steps=10)), 21)
    print(t("l10_native_past", t_max=10, k=20, native=native[20], ours=ours[20]))
    np.testing.assert_allclose(native[:11], ours[:11], rtol=1e-9, atol=1e-15)  # the same up to T_max
    assert abs(native[20] - 0.1) < 1e-9 and ours[20] == 0.0                     # then back at the peak vs held
    np.testing.assert_allclose(native[10:], native[10::-1], rtol=1e-9, atol=1e-15)  # climbs back along the cosine
    assert np.all(np.array(ours[10:]) == 0.0)                                   # lrlib: stays at its end value

# %% [markdown] tags=["lang-zh"]
# ## 动手试试
#
# 下面的练习只用 lrlib，不需要 PyTorch。
#
# **练习 1.** 同事按迭代调用调度 `f = lrlib.warmup_cosine(0.1, total_steps=40, warmup_steps=8)`，
# 并记下了前 16 次迭代实际用的学习率 `logged`。这份日志比 f 早了还是晚了？差几次迭代？
# 把答案赋给 `shift`：晚了记为正数，早了记为负数（例如晚 2 次迭代是 `shift = 2`）。

# %% [markdown] tags=["lang-en"]
# ## On your own
#
# These exercises use lrlib only; they need no PyTorch.
#
# **Exercise 1.** A colleague steps the schedule `f = lrlib.warmup_cosine(0.1, total_steps=40, warmup_steps=8)`
# every iteration and logged the learning rate actually used in the first 16 iterations, `logged`. Is
# the log early or late against f, and by how many iterations? Store it in `shift`: positive when late,
# negative when early (2 iterations late is `shift = 2`).

# %%
f_ex = lrlib.warmup_cosine(0.1, total_steps=40, warmup_steps=8)
logged = [0.0125, 0.025, 0.0375, 0.05, 0.0625, 0.075, 0.0875, 0.1,
          0.09976, 0.09904, 0.09785, 0.09619, 0.0941, 0.09157, 0.08865, 0.08536]

# %% tags=["exercise"]
shift = ...  # your code here

ex.check_number(shift, "sealed:MS0=", rtol=0, atol=0.5, name="shift")

# %% tags=["solution"]
candidates = range(-3, 4)
errors = {s: np.max(np.abs(np.array(logged) - f_ex(np.clip(np.arange(16) - s, 0, None)))) for s in candidates}
shift = min(errors, key=errors.get)
assert errors[shift] < 1e-5  # the log is f shifted exactly, up to its 5 decimals

assert ex.check_number(shift, "sealed:MS0=", rtol=0, atol=0.5, name="shift")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 先看 f 在前几步的值：`f_ex(np.arange(4))`，再和 `logged[:4]` 对比。
# </details>
#
# <details><summary>提示 2</summary>
#
# f(0) = 0，而日志的第一个数是 0.0125 = f(1)。日志的第 k 个数等于 f(k + 1) 还是 f(k − 1)？
# </details>
#
# <details><summary>提示 3</summary>
#
# 第 k 次迭代用的是 f(k + 1)：提前了一次迭代，所以 `shift = -1`。这正是 `scheduler.step()` 放在 `optimizer.step()` 前面的结果。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Look at f's first values, `f_ex(np.arange(4))`, next to `logged[:4]`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# f(0) = 0, but the log starts with 0.0125 = f(1). Is the k-th logged value f(k + 1) or f(k − 1)?
# </details>
#
# <details><summary>Hint 3</summary>
#
# Iteration k used f(k + 1): one iteration early, so `shift = -1`. That is exactly what calling
# `scheduler.step()` before `optimizer.step()` does.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 一个训练循环在每轮训练**之后**才执行 `group["lr"] = g(epoch)`，其中
# `g = lrlib.step_decay(0.1, step_size=3, gamma=0.5)`，优化器创建时的学习率是 0.02。
# 写一个函数 `lr_used(epoch)`，返回第 epoch 轮训练时**实际**用的学习率。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** A training loop runs `group["lr"] = g(epoch)` **after** each epoch's training, with
# `g = lrlib.step_decay(0.1, step_size=3, gamma=0.5)`, and the optimizer was created with a learning
# rate of 0.02. Write a function `lr_used(epoch)` that returns the learning rate epoch `epoch`
# **actually** trains at.

# %%
g_ex = lrlib.step_decay(0.1, step_size=3, gamma=0.5)
lr_used_cases = "sealed:XV01MjEwLjAgLF0wMVtbICxdNTIwLjAgLF03W1sgLF01MC4wICxdNFtbICxdMS4wICxdM1tbICxdMS4wICxdMltbICxdMS4wICxdMVtbICxdMjAuMCAsXTBbW1s="

# %% tags=["exercise"]
def lr_used(epoch):
    ...  # your code here


ex.check_function(lr_used, lr_used_cases, name="lr_used")

# %% tags=["solution"]
def lr_used(epoch):
    return 0.02 if epoch == 0 else float(g_ex(epoch - 1))


assert ex.check_function(lr_used, lr_used_cases, name="lr_used")
assert [lr_used(e) for e in range(12)] == lrs_seen(g_ex, 12, initial_lr=0.02, set_after=True)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 第 0 轮训练时，循环还一次都没改过学习率。
# </details>
#
# <details><summary>提示 2</summary>
#
# 第 epoch 轮开始训练之前，最后一次改学习率是在第 epoch − 1 轮结束时，写进去的是 g(epoch − 1)。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return 0.02 if epoch == 0 else float(g_ex(epoch - 1))`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# When epoch 0 trains, the loop has not changed the learning rate yet.
# </details>
#
# <details><summary>Hint 2</summary>
#
# Before epoch `epoch` trains, the last change happened at the end of epoch − 1, and it wrote g(epoch − 1).
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return 0.02 if epoch == 0 else float(g_ex(epoch - 1))`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 一个按迭代调用的学习率调度器，每个批次里的调用顺序应当是哪一种？把字母赋给 `order`。
#
# - a. `scheduler.step()`，`loss.backward()`，`optimizer.step()`
# - b. `loss.backward()`，`optimizer.step()`，`scheduler.step()`
# - c. `loss.backward()`，`scheduler.step()`，`optimizer.step()`
# - d. 都可以，学习率序列是一样的

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** For a learning-rate scheduler stepped every iteration, which order of calls inside
# each batch is right? Store the letter in `order`.
#
# - a. `scheduler.step()`, `loss.backward()`, `optimizer.step()`
# - b. `loss.backward()`, `optimizer.step()`, `scheduler.step()`
# - c. `loss.backward()`, `scheduler.step()`, `optimizer.step()`
# - d. any of them: the learning-rate sequence is the same

# %% tags=["exercise"]
order = ...  # "a", "b", "c" or "d"

ex.check_choice(order, "sealed:ImIi", "abcd", feedback={"a": "l10_fb_early", "c": "l10_fb_early", "d": "l10_fb_matters"})

# %% tags=["solution"]
order = "b"

assert ex.check_choice(order, "sealed:ImIi", "abcd",
                       feedback={"a": "l10_fb_early", "c": "l10_fb_early", "d": "l10_fb_matters"})

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 优化器在 `optimizer.step()` 时读学习率；学习率调度器在 `scheduler.step()` 时改写它。
# </details>
#
# <details><summary>提示 2</summary>
#
# 学习率调度器创建时已经写好了第 0 步的学习率。哪种顺序能让这个值真正被用上一次？
# </details>
#
# <details><summary>提示 3</summary>
#
# 先用当前的学习率更新参数，再为下一步设置学习率：b。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The optimizer reads the learning rate in `optimizer.step()`; the learning-rate scheduler rewrites
# it in `scheduler.step()`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The learning-rate scheduler wrote step 0's learning rate when it was created. Which order lets that
# value be used once?
# </details>
#
# <details><summary>Hint 3</summary>
#
# Update the parameters with the current learning rate first, then set the one for the next step: b.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - PyTorch 优化器在 `optimizer.step()` 时读 `param_groups` 里的学习率；学习率调度器只是在 `scheduler.step()` 时改写它。
#   一个学习率用在哪一步，取决于这两个调用的先后。
# - `ScheduleLR` 让任何 lrlib 调度变成 PyTorch 学习率调度器：`step_unit="fractional_epoch"` 在小数轮处取值，
#   `step_unit="epoch"` 一轮之内不变；长度都以轮为单位。它设置的值和 lrlib 直接算的逐步相等。
# - 先 `optimizer.step()`，再 `scheduler.step()`。顺序反了，第一个值被跳过，整条序列提前一步（按轮调用时就是一轮）；PyTorch 只在第一次调用时检查，警告一次。
# - 最可靠的检查：从训练循环里记下实际用过的学习率（不带动量的 SGD 可以从权重变化反推），和调度函数画在一起。
# - 检查点要同时保存模型、优化器和学习率调度器的状态；漏掉调度器，预热就会从头再来。
# - 自己写 `group["lr"] = f(epoch)` 时要放在训练之前；放在之后，整条调度晚一轮，带预热时第 0 轮会用峰值训练。
# - `CosineAnnealingLR` 走过 `T_max` 后会升回去；lrlib 的调度到终点后保持不变。
#
# ## 延伸阅读
#
# - PyTorch 文档，torch.optim 的“How to adjust learning rate”一节：学习率调度器的用法和调用顺序。
#   <https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate>
# - PyTorch 文档，`torch.optim.lr_scheduler.LRScheduler`（所有学习率调度器的基类，包括 `state_dict` 和 `get_last_lr`）。
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.LRScheduler.html>
# - PyTorch 文档，`CosineAnnealingLR`：注意它的公式在越过 `T_max` 后的行为。
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html>
# - PyTorch 1.1.0 发布说明（2019）：从这一版起，`scheduler.step()` 要在 `optimizer.step()` 之后调用。
#   <https://github.com/pytorch/pytorch/releases/tag/v1.1.0>
# - PyTorch 教程，“Saving and Loading a General Checkpoint”：检查点里该存什么。
#   <https://pytorch.org/tutorials/recipes/recipes/saving_and_loading_a_general_checkpoint.html>
# - facebookresearch/deit 第 145 号 issue：每轮结束后才更新学习率带来的差一轮问题的讨论。
#   <https://github.com/facebookresearch/deit/issues/145>
# - Loshchilov、Hutter，*SGDR: Stochastic Gradient Descent with Warm Restarts*，ICLR 2017，arXiv:1608.03983：
#   余弦退火的出处（第 03、06 课）。<https://arxiv.org/abs/1608.03983>
# - Goyal 等，*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour*（2017），arXiv:1706.02677：
#   按迭代逐步预热的来源。<https://arxiv.org/abs/1706.02677>
# - lrlib 文档：`help(lrlib.torch_adapter.ScheduleLR)`、`help(lrlib.torch_adapter.trace_lrs)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - A PyTorch optimizer reads the learning rate from `param_groups` in `optimizer.step()`; a
#   learning-rate scheduler only rewrites it in `scheduler.step()`. Which step a learning rate is used
#   at depends on the order of those two calls.
# - `ScheduleLR` turns any lrlib schedule into a PyTorch learning-rate scheduler: `step_unit="fractional_epoch"`
#   evaluates it at fractional epochs, `step_unit="epoch"` holds it within each epoch; lengths are in
#   epochs either way. The values it sets equal lrlib's, step by step.
# - `optimizer.step()` first, then `scheduler.step()`. In the other order the first value is skipped and
#   the whole sequence runs one step early (one epoch, for a scheduler stepped per epoch); PyTorch checks
#   only the first call, and warns once.
# - The most reliable check: log the learning rate actually used inside the training loop (for SGD
#   without momentum it can be read off the change in the weights) and plot it over the schedule.
# - A checkpoint holds the model's, the optimizer's and the learning-rate scheduler's state; without
#   the scheduler's, the warmup starts over.
# - A hand-written `group["lr"] = f(epoch)` belongs before the epoch's training; after it, the whole
#   schedule is one epoch late, and with a warmup epoch 0 trains at the peak.
# - `CosineAnnealingLR` climbs back up past `T_max`; lrlib schedules hold their end value.
#
# ## Further reading
#
# - PyTorch documentation, torch.optim, "How to adjust learning rate": how to use learning-rate
#   schedulers and in which order to call them.
#   <https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate>
# - PyTorch documentation, `torch.optim.lr_scheduler.LRScheduler`, the base class of every
#   learning-rate scheduler (`state_dict`, `get_last_lr`).
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.LRScheduler.html>
# - PyTorch documentation, `CosineAnnealingLR`: mind what its formula does past `T_max`.
#   <https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html>
# - PyTorch 1.1.0 release notes (2019): from this release on, `scheduler.step()` goes after
#   `optimizer.step()`. <https://github.com/pytorch/pytorch/releases/tag/v1.1.0>
# - PyTorch tutorial, "Saving and Loading a General Checkpoint": what a checkpoint should hold.
#   <https://pytorch.org/tutorials/recipes/recipes/saving_and_loading_a_general_checkpoint.html>
# - facebookresearch/deit issue 145: a discussion of the one-epoch shift that comes from updating the
#   learning rate after each epoch. <https://github.com/facebookresearch/deit/issues/145>
# - Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with Warm Restarts*, ICLR 2017,
#   arXiv:1608.03983: where cosine annealing comes from (lessons 03 and 06). <https://arxiv.org/abs/1608.03983>
# - Goyal et al., *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour* (2017), arXiv:1706.02677:
#   the origin of the gradual, per-iteration warmup. <https://arxiv.org/abs/1706.02677>
# - lrlib's documentation: `help(lrlib.torch_adapter.ScheduleLR)`, `help(lrlib.torch_adapter.trace_lrs)`.

# %%
# Drive the explorer from code, so that a broken callback fails the tests.
c = stepping.controls
c["decay_type"].value = "cos"
c["total_epochs"].value = 12
c["iters_per_epoch"].value = 4
s_check = lrlib.compat.get_lr_scheduler("cos", c["peak_lr"].value, c["min_lr"].value, 12)
np.testing.assert_allclose(stepping.lines["per_epoch"].get_ydata(), s_check(lrlib.epoch_of_iteration(12, 4)))
np.testing.assert_allclose(stepping.lines["per_iteration"].get_ydata(), s_check(lrlib.fractional_epochs(12, 4)))
assert np.all(np.ptp(stepping.lines["per_epoch"].get_ydata().reshape(12, 4), axis=1) == 0)  # constant in each epoch

c["iters_per_epoch"].value = 1              # one iteration per epoch: the two lines coincide
np.testing.assert_array_equal(stepping.lines["per_epoch"].get_ydata(), stepping.lines["per_iteration"].get_ydata())

c["decay_type"].value = "step"
c["total_epochs"].value = 5                 # step decay needs at least 10 epochs: a message, not a crash
assert stepping.message.value != "" and not stepping.update()
c["total_epochs"].value = 30
assert stepping.update() and stepping.message.value == ""
assert stepping.image.value[:4] == b"\x89PNG"
assert reset_all() >= 1   # every explorer back where the text above expects it
