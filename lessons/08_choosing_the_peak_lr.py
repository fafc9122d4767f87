# %% [markdown] tags=["lang-zh"]
# # 选出峰值学习率：范围测试与线性缩放
#
# 前几课讲的都是学习率“怎么变”：预热、余弦退火、阶梯衰减。但每条曲线都从一个数出发——**峰值学习率**。
# 峰值选错了，什么形状都救不回来：太小，训练慢吞吞；太大，损失直接爆掉。
# 这一课讲两个实用工具：**学习率范围测试**（花几百步估出峰值该在哪个范围）和**线性缩放规则**
# （批量大小变了，峰值怎么跟着变），全部在 CPU 上用真实数据量一遍。
#
# ## 你将学到
#
# - 做一次学习率范围测试：让学习率按指数爬升，损失一发散就停，然后读曲线；
# - 用真正的训练检验读数：建议值、损失最低点、发散点分别会训练出什么结果；
# - 测量线性缩放规则：批量翻倍、学习率翻倍时，最终损失能保持多久不变，在哪里失效；
# - 看清预热在这里起了什么作用（这次的答案是：几乎没有），以及为什么这并不和论文矛盾。
#
# ## 你需要
#
# - 学过第 01 课（稳定上限、噪声地板）和第 04 课（预热）；
# - 知道什么是小批量 SGD；
# - 大约 25 分钟。所有训练都是 numpy 写的小网络，数据是 scikit-learn 自带的手写数字，不用下载。

# %% [markdown] tags=["lang-en"]
# # Choose the peak learning rate: the range test and linear scaling
#
# The previous lessons were about how the learning rate *changes*: warmup, cosine annealing, step
# decay. Every one of those curves starts from a single number, the **peak learning rate**, and no
# shape rescues a bad one: too small and training crawls, too large and the loss blows up. This
# lesson covers two practical tools, the **learning-rate range test** (a few hundred steps that tell
# you where the peak should be) and the **linear scaling rule** (how the peak should follow the batch
# size), and measures both on real data on the CPU.
#
# ## What you'll learn
#
# - run a learning-rate range test: ramp the learning rate up exponentially, stop when the loss
#   diverges, and read the curve;
# - check the reading with real training runs: what the suggested value, the lowest-loss point and the
#   divergence point each give you;
# - measure the linear scaling rule: when doubling the batch and the learning rate together keeps the
#   final loss unchanged, and where that stops working;
# - see what warmup does here (this time: next to nothing), and why that does not contradict the paper.
#
# ## What you'll need
#
# - lessons 01 (the stability limit, the noise floor) and 04 (warmup);
# - what minibatch SGD is;
# - about 25 minutes. Every model is a small numpy network on scikit-learn's bundled handwritten
#   digits: nothing to download.

# %% tags=["parameters"]
LANG = "en"  # "zh" = 简体中文, "en" = English
import lrlib
lrlib.set_language(LANG)

# %%
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from lrlib import exercises as ex
from lrlib import experiments as xp
from lrlib.fonts import plot_language
from lrlib.i18n import t
from lrlib.widgets import live_figure

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English


def plot_text(key, **fields):
    """Text inside a figure: in the lesson's language when the installed fonts can draw it."""
    return t(key, lang=plot_lang, **fields)


def spread_text(values):
    """mean ± sample std (min–max) of one value per seed, ignoring diverged (non-finite) seeds."""
    values = np.asarray(values, dtype=float)
    ok = values[np.isfinite(values)]
    if ok.size == 0:
        return t("l08_all_diverged", n=values.size)
    text = t("l08_spread", mean=ok.mean(), sd=ok.std(ddof=1) if ok.size > 1 else 0.0, lo=ok.min(), hi=ok.max())
    return text + (t("l08_some_diverged", k=values.size - ok.size, n=values.size) if ok.size < values.size else "")


SEEDS = (0, 1, 2, 3, 4)
MODEL = dict(hidden=64)  # a one-hidden-layer ReLU network, 64 units
data = xp.load_digits_split(0)
print(f"train {data.X_train.shape}, test {data.X_test.shape}")

# %% [markdown] tags=["lang-zh"]
# ## 让学习率爬坡：做一次范围测试
#
# 范围测试（Smith，2017）只训练一个新模型几百步，但每一步都把学习率乘上同一个数，
# 从很小（10⁻³）一直涨到很大（10²）：
#
# η_k = η_lo · (η_hi / η_lo)^(k/(N−1))，k = 0, 1, …, N−1
#
# 同时记录每个小批量的损失，做指数滑动平均（还要做偏差校正，否则开头几个点偏低）。
# 平滑后的损失一旦超过目前最低值的 4 倍，就认定发散，测试停止。
# 这条爬坡本身就是一个 lrlib 调度：`lrlib.warmup(1e-3, 1e2, N - 1, shape="exponential")`。
# 先确认它每一步确实乘的是同一个数：

# %% [markdown] tags=["lang-en"]
# ## Ramp the learning rate up: run a range test
#
# The range test (Smith, 2017) trains one fresh model for a few hundred steps, multiplying the learning
# rate by the same factor at every step, from tiny (10⁻³) to huge (10²):
#
# η_k = η_lo · (η_hi / η_lo)^(k/(N−1)),  k = 0, 1, …, N−1
#
# It records each minibatch's loss and smooths it with an exponential moving average (bias-corrected,
# or the first points come out too low). As soon as the smoothed loss exceeds 4 times the lowest so
# far, the run counts as diverged and stops. The ramp is itself an lrlib schedule,
# `lrlib.warmup(1e-3, 1e2, N - 1, shape="exponential")`. First check that it really multiplies by one
# constant factor per step:

# %%
N_RAMP = 200
ramp = lrlib.warmup(1e-3, 1e2, N_RAMP - 1, shape="exponential")(np.arange(N_RAMP))
ratios = ramp[1:] / ramp[:-1]
factor_per_step = (1e2 / 1e-3) ** (1 / (N_RAMP - 1))
assert np.allclose(ratios, factor_per_step, rtol=1e-12) and np.isclose(ramp[-1], 1e2)
print(f"x{factor_per_step:.4f} per step; 10x every {np.log(10) / np.log(factor_per_step):.1f} steps")

# %% [markdown] tags=["lang-zh"]
# 每步乘 1.06，大约每 40 步涨 10 倍。现在在 5 个种子上各做一次范围测试（每个种子的初始权重和数据顺序都不同）：

# %% [markdown] tags=["lang-en"]
# A factor of 1.06 per step: ten times larger every 40 steps or so. Now run the test once per seed, on 5
# seeds (each seed has its own initial weights and data order):

# %%
range_tests = {s: xp.lr_range_test("mlp", 1e-3, 1e2, num_iterations=N_RAMP, seed=s, **MODEL) for s in SEEDS}
for s, r in range_tests.items():
    print(t("l08_range_row", seed=s, lr_min=r.lr_min_loss, lr_sug=r.suggested_lr, lr_div=r.lr_diverged,
            stop=r.stopped_at))

lr_min = np.array([r.lr_min_loss for r in range_tests.values()])
lr_div = np.array([r.lr_diverged for r in range_tests.values()])
assert all(r.diverged and r.stopped_at < N_RAMP for r in range_tests.values())  # every ramp ended in divergence
assert np.all(lr_div > lr_min)                       # the minimum always comes before the blow-up
assert 2.4 < lr_div.min() and lr_div.max() < 3.5     # the ceiling quoted below: 2.5 to 3.5
assert lr_min.max() / lr_min.min() < 2.0             # the seeds agree to within a factor of 2 ...
assert lr_div.max() / lr_div.min() < 2.0             # ... and on the divergence point to within 2

# %% [markdown] tags=["lang-zh"]
# 五个种子给出的读数相差不到 2 倍。在一个横跨五个数量级的扫描里，这已经相当一致。画出来看：

# %% [markdown] tags=["lang-en"]
# The five seeds agree to within a factor of 2, which for a sweep across five orders of magnitude is
# close agreement. Plot them:

# %%
fig = Figure(figsize=(7, 3))
ax = fig.subplots()
for s, r in range_tests.items():
    ax.semilogx(r.lrs, r.losses, lw=1, label=plot_text("l08_seed", k=s))
r0 = range_tests[0]
ax.axvline(r0.suggested_lr, color="tab:green", ls="--", lw=1, label=plot_text("l08_mark_suggested"))
ax.axvline(r0.lr_min_loss, color="tab:orange", ls="--", lw=1, label=plot_text("l08_mark_min"))
ax.axvline(r0.lr_diverged, color="tab:red", ls="--", lw=1, label=plot_text("l08_mark_diverged"))
ax.set(xlabel=plot_text("learning_rate"), ylabel=plot_text("l08_smoothed_loss"), ylim=(0, 3.5))
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
fig

# %% [markdown] tags=["lang-zh"]
# 读这张图：左边一段几乎是平的——学习率太小，几十步里损失动不了；中间一段陡降，这是学习率“够用”的范围；
# 然后曲线触底、掉头向上，最后冲出图外，测试停止。虚线是种子 0 的三个读数。
#
# ## 读曲线：在哪里选峰值？
#
# **先预测**：如果拿“损失最低处”的学习率当峰值训练，会发生什么？拿“发散处”呢？拿“建议值”（最低处除以 10，
# fastai 的默认规则）呢？把你的答案记下来，然后拖动下面的滑块，看每个候选值落在曲线的哪一段。
#
# 这个小工具每次只做一件事：把候选值和范围测试的三个读数（`r.suggested_lr`、`r.lr_min_loss`、
# `r.lr_diverged`）作比较，其中 `r = xp.lr_range_test("mlp", 1e-3, 1e2, num_iterations=200, seed=s, hidden=64)`。

# %% [markdown] tags=["lang-en"]
# How to read it: on the left the curve is nearly flat (the learning rate is too small to move the
# loss in a few dozen steps); then it drops steeply (the useful range); then it bottoms out, turns
# up and shoots off the chart, and the test stops. The dashed lines are seed 0's three readings.
#
# ## Read the curve: where should the peak go?
#
# **Predict first**: if you train with the learning rate at the *lowest loss* as your peak, what
# happens? With the *divergence* point? With the *suggested* value (the lowest point divided by 10,
# fastai's default rule)? Write your answers down, then move the slider to see where each candidate
# lands on the curve.
#
# This small explorer compares the candidate with the range test's three readings, `r.suggested_lr`,
# `r.lr_min_loss` and `r.lr_diverged`, where
# `r = xp.lr_range_test("mlp", 1e-3, 1e2, num_iterations=200, seed=s, hidden=64)`.

# %%
def zone(lr, r):
    """Where a candidate peak lands on range test r."""
    if lr >= r.lr_diverged:
        return "l08_zone_over"
    if lr > r.lr_min_loss:
        return "l08_zone_edge"
    return "l08_zone_good" if lr >= r.suggested_lr else "l08_zone_flat"


style = {"description_width": "initial"}
rt_controls = {
    "seed": widgets.Dropdown(options=list(SEEDS), value=0, description=t("l08_seed", k="").strip(), style=style),
    "lr": widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=2, step=0.05, description=t("l08_candidate"),
                                 readout_format=".3g", style=style),
}
rt_fig = Figure(figsize=(6, 2.6))
rt_ax = rt_fig.subplots()
(rt_curve,) = rt_ax.semilogx(range_tests[0].lrs, range_tests[0].losses, lw=1.2)
rt_mark = rt_ax.axvline(0.1, color="black", lw=1.5)
rt_ax.set(xlim=(1e-3, 1e2), ylim=(0, 3.5), xlabel=plot_text("learning_rate"), ylabel=plot_text("l08_smoothed_loss"))
rt_fig.tight_layout()


def draw_range(seed, lr):
    r = range_tests[seed]
    rt_curve.set_data(r.lrs, r.losses)
    rt_mark.set_xdata([lr, lr])
    return t(zone(lr, r), lr=lr)


rt_box, rt_readout, rt_image = live_figure(rt_fig, rt_controls, draw_range)
rt_box

# %% [markdown] tags=["lang-zh"]
# ## 用训练检验读数
#
# 曲线只是几百步的粗略扫描，得用真正的训练来检验。用余弦退火训练 8 轮，峰值分别取：建议值的十分之一、
# 建议值、损失最低处、发散处（都用 5 个种子读数的中位数），每种 5 个种子：

# %% [markdown] tags=["lang-en"]
# ## Check the reading with real training
#
# The curve is a rough scan of a few hundred steps; real training is the test. Train for 8 epochs with
# cosine annealing, with the peak at: a tenth of the suggested value, the suggested value, the lowest-loss
# point and the divergence point (each the median of the 5 seeds' readings), 5 seeds each:

# %%
EPOCHS = 8
candidates = {
    "sugg./10": float(np.median(lr_min)) / 100,
    "suggested": float(np.median(lr_min)) / 10,
    "min loss": float(np.median(lr_min)),
    "diverged": float(np.median(lr_div)),
}
peak_runs = {name: xp.run_seeds(xp.train_mlp, seeds=SEEDS, schedule=lrlib.cosine_decay(lr, EPOCHS),
                                num_epochs=EPOCHS, data=data, **MODEL)
             for name, lr in candidates.items()}
for name, runs in peak_runs.items():
    print(t("l08_peak_row", name=name, lr=candidates[name], loss=spread_text(runs["train_loss"][:, -1]),
            acc=spread_text(runs["test_accuracy"][:, -1])))

# %% [markdown] tags=["lang-zh"]
# 三件事，每件都由下面的断言守着：
#
# 1. 峰值太小（建议值的十分之一）时，5 个种子里**每一个**都比用建议值的**每一个**差——不是运气。
# 2. 拿损失最低处当峰值，训练损失还要再低一截（每个种子都赢）；测试准确率却分不出高下，差别在种子的噪声之内。
#    范围测试只跑了一条爬坡，而余弦退火会很快把学习率降下来，所以峰值可以比“建议值”大胆一些。
# 3. 拿发散处当峰值，5 个种子全部发散。发散点是硬上限。
#
# 所以，范围测试给的是一个**区间**：从建议值到最低点都可以，越过发散点就不行。它只能帮你指个方向，不能替你拍板。

# %% [markdown] tags=["lang-en"]
# Three findings, each guarded by an assert below:
#
# 1. With too small a peak (a tenth of the suggested value), **every** one of the 5 seeds ends worse than
#    **every** seed at the suggested value: not luck.
# 2. With the lowest-loss point as the peak, the training loss ends lower still (every seed wins), but
#    test accuracy cannot tell the two apart: the difference is within the seed-to-seed noise. The ramp
#    was a single short run, and cosine annealing soon brings the learning rate down, so the peak can
#    be bolder than the "suggested" value.
# 3. With the divergence point as the peak, all 5 seeds diverge. That point is a hard ceiling.
#
# So the range test gives you a **bracket**: anything from the suggested value to the lowest-loss point
# works, and nothing past the divergence point does. A guide, not an oracle.

# %%
small_vs_sugg = xp.compare_runs(peak_runs["sugg./10"], peak_runs["suggested"], "train_loss")
assert small_vs_sugg.differ and small_vs_sugg.better == "b"
bold_vs_sugg = xp.compare_runs(peak_runs["min loss"], peak_runs["suggested"], "train_loss")
assert bold_vs_sugg.differ and bold_vs_sugg.better == "a"
acc_bold_vs_sugg = xp.compare_runs(peak_runs["min loss"], peak_runs["suggested"], "test_accuracy")
assert not acc_bold_vs_sugg.differ  # within noise
assert peak_runs["diverged"].diverged.all() and not any(peak_runs[k].diverged.any() for k in ("suggested", "min loss"))
print(f"P(separated by luck) with 5 seeds against 5 = {small_vs_sugg.chance:.3f}")

# %% [markdown] tags=["lang-zh"]
# 最后一行是判断的尺度：如果两种设置其实一样，10 个结果随机排序，恰好完全分开（一边全赢）的概率只有 0.008。
#
# ## 批量变大，学习率跟着变：线性缩放规则
#
# Goyal 等人（2017）训练 ImageNet 时用的规则：**批量乘以 k，学习率也乘以 k**。道理是：学习率小的时候，
# 用批量 B 走 k 步，和用批量 kB 走一步（步长大 k 倍），参数的变化差不多。一轮的数据量不变，
# 批量变成 k 倍，一轮的步数就只剩原来的 1/k，每一步自然得走得更远。
#
# 下面在手写数字上量一量。训练 10 轮余弦退火，批量从 16 到 1024；三种设置：
# 学习率固定为 0.2；学习率按批量线性放大（批量 32 时为 0.2）；线性放大再加 2 轮线性预热。每种 5 个种子。

# %% [markdown] tags=["lang-en"]
# The last line is the yardstick: if the two settings were really the same, the chance that 10 results
# in random order split cleanly (one side winning every pair) is only 0.008.
#
# ## Scale the learning rate with the batch: the linear scaling rule
#
# Goyal et al. (2017) trained ImageNet with the rule: **multiply the batch by k, multiply the learning
# rate by k**. The reasoning: with a small learning rate, k steps on batches of B move the weights about
# as far as one step on a batch of kB taken k times longer. An epoch holds the same data either way, so
# k times larger batches mean k times fewer steps per epoch, and each step has to go further.
#
# Measure it on the digits: 10 epochs of cosine annealing, batch sizes from 16 to 1024, three settings:
# a fixed learning rate of 0.2; the learning rate scaled linearly with the batch (0.2 at batch 32); scaled
# plus a 2-epoch linear warmup. 5 seeds each.

# %%
BASE_LR, BASE_BATCH, SCALE_EPOCHS, WARM_EPOCHS = 0.2, 32, 10, 2
BATCHES = (16, 32, 64, 128, 256, 512, 1024)


def scaling_schedule(setting, batch):
    if setting == "fixed":
        return lrlib.cosine_decay(BASE_LR, SCALE_EPOCHS)
    peak = BASE_LR * batch / BASE_BATCH
    if setting == "scaled":
        return lrlib.cosine_decay(peak, SCALE_EPOCHS)
    return lrlib.warmup_cosine(peak, SCALE_EPOCHS, WARM_EPOCHS)


SETTINGS = ("fixed", "scaled", "scaled_warm")
scaling = {(setting, b): xp.run_seeds(xp.train_mlp, seeds=SEEDS, schedule=scaling_schedule(setting, b),
                                      num_epochs=SCALE_EPOCHS, batch_size=b, data=data, **MODEL)
           for setting in SETTINGS for b in BATCHES}
final_loss = {k: runs["train_loss"][:, -1] for k, runs in scaling.items()}
names = {"fixed": t("l08_fixed", lr=BASE_LR), "scaled": t("l08_scaled"), "scaled_warm": t("l08_scaled_warm")}
for b in BATCHES:
    cells = "; ".join(t("l08_cell", name=names[s], value=spread_text(final_loss[s, b])) for s in SETTINGS)
    print(t("l08_scaling_row", b=b, ipe=scaling["fixed", b].results[0].iters_per_epoch, cells=cells))

# %%
fig = Figure(figsize=(7, 3))
ax = fig.subplots()
for offset, s in zip((0.94, 1.0, 1.06), SETTINGS):
    xs, mean, lo, hi = [], [], [], []
    for b in BATCHES:
        v = final_loss[s, b][np.isfinite(final_loss[s, b])]
        if v.size:
            xs.append(b * offset)
            mean.append(v.mean())
            lo.append(v.mean() - v.min())
            hi.append(v.max() - v.mean())
    ax.errorbar(xs, mean, yerr=[lo, hi], marker="o", ms=4, capsize=2, label=plot_text(f"l08_{s}", lr=BASE_LR))
ax.set(xscale="log", yscale="log", xlabel=plot_text("batch_size"), ylabel=plot_text("l08_final_train_loss"))
ax.set_xticks(BATCHES, [str(b) for b in BATCHES])
ax.legend(fontsize=8)
fig.tight_layout()
fig

# %% [markdown] tags=["lang-zh"]
# （误差棒是 5 个种子的最小值到最大值；发散的种子不画。）读图：
#
# - **学习率固定**时，批量越大，最终损失越高：一轮的步数少了，每步的大小却没变，10 轮根本走不完。
#   到批量 256，每个固定学习率的种子都输给每个线性放大的种子。
# - **线性放大**时，从 16 到 256，最终损失几乎不动（最大和最小的均值相差不到 1.5 倍），规则成立。
# - 规则**有边界**。批量 1024 时放大后的学习率是 6.4，远高于范围测试量出的发散点（2.5–3.5），5 个种子全部发散；
#   批量 512（学习率 3.2，正好在发散点附近）结果开始变得不稳定，种子间的分散一下子大了很多。
#   Goyal 等人在 ImageNet 上也看到了边界：批量超过 8k 后误差开始上升。
# - **预热**：在这里几乎不起作用。批量 32 和 256 时（下面的单元格逐一检验），加不加预热的差别都在噪声之内；批量 1024 时，加了预热照样全部发散。

# %% [markdown] tags=["lang-en"]
# (Error bars run from the lowest to the highest of the 5 seeds; diverged seeds are left out.) Reading
# the plot:
#
# - With a **fixed** learning rate the final loss grows with the batch: fewer steps per epoch, each no
#   larger, and 10 epochs are not enough to get there. At batch 256 every fixed-lr seed loses to every
#   scaled seed.
# - With the learning rate **scaled**, the final loss barely moves from batch 16 to 256 (the largest and
#   smallest means are within a factor of 1.5): the rule holds.
# - The rule **has a limit**. At batch 1024 the scaled learning rate is 6.4, far above the divergence
#   point the range test measured (2.5 to 3.5), and all 5 seeds diverge; at 512 (3.2, right at that point)
#   the results turn erratic and the seed spread jumps. Goyal et al. saw a limit on ImageNet too: beyond
#   8k images per batch the error starts to rise.
# - **Warmup** does next to nothing here. At batch 32 and at 256 (both checked in the next cell) the
#   difference with and without it is within noise; at 1024 every seed still diverges with it.

# %%
mean_loss = {k: np.nanmean(v) if np.isfinite(v).any() else np.nan for k, v in final_loss.items()}
fixed_means = [mean_loss["fixed", b] for b in BATCHES[:5]]
assert all(a < b for a, b in zip(fixed_means, fixed_means[1:]))          # fixed lr: worse with every doubling
assert xp.compare_runs(scaling["scaled", 256], scaling["fixed", 256], "train_loss").better == "a"
scaled_means = [mean_loss["scaled", b] for b in BATCHES[:5]]
assert max(scaled_means) / min(scaled_means) < 1.5                       # scaled lr: flat from 16 to 256
assert BASE_LR * 1024 / BASE_BATCH > lr_div.max()                        # 6.4 is past every seed's ceiling ...
assert scaling["scaled", 1024].diverged.all() and scaling["scaled_warm", 1024].diverged.all()  # ... and diverges
assert BASE_LR * 256 / BASE_BATCH < lr_div.min()                         # 1.6 is below every ceiling
sd = lambda v: np.std(v[np.isfinite(v)], ddof=1)  # noqa: E731
assert sd(final_loss["scaled", 512]) > 3 * max(sd(final_loss["scaled", b]) for b in BATCHES[:5])  # erratic at 512
for b in (32, 256):
    w, n = final_loss["scaled_warm", b], final_loss["scaled", b]
    within = not xp.compare_runs(w, n).differ
    spread = max(sd(w), sd(n))
    print(t("l08_warm_verdict", b=b, w=w.mean(), n=n.mean(), sd=spread,
            verdict=t("l08_within_noise" if within else "l08_beyond_noise")))
    assert within

# %% [markdown] tags=["lang-zh"]
# ### 论文里的数字，和我们的玩具数字
#
# | | 论文（Goyal 等，2017，ResNet-50，ImageNet） | 本课（64 个隐藏单元的网络，手写数字） |
# |---|---|---|
# | 线性缩放成立的范围 | 批量 256 到 8192，top-1 误差 23.60% ± 0.12 对 23.74% ± 0.09 | 批量 16 到 256，最终损失相差不到 1.5 倍 |
# | 失效 | 批量超过 8k 后误差上升 | 批量 512 开始不稳，1024 全部发散 |
# | 预热 | 批量 8k 时必不可少：不预热误差 24.84%，逐步预热 23.74% | 在噪声之内 |
#
# 预热为什么在论文里关键、在这里无所谓？预热对付的是**训练刚开始时**的不稳定：深层网络刚初始化时格外脆弱，
# 头几步用大学习率容易一下子冲坏（第 04 课）。我们这个单隐层小网络没有这段脆弱期——至少从结果看，
# 学习率一旦超过上限，先爬坡两轮也救不回来；没超过上限，不爬坡也没事。
# 这一点本身就值得记住：预热不是万能的加速器，只对“开头特别脆弱”的模型才有用。

# %% [markdown] tags=["lang-en"]
# ### The paper's figures, and our toy ones
#
# | | paper (Goyal et al. 2017, ResNet-50 on ImageNet) | this lesson (64-unit network, digits) |
# |---|---|---|
# | where linear scaling holds | batch 256 to 8192: top-1 error 23.60% ± 0.12 vs 23.74% ± 0.09 | batch 16 to 256: final loss within a factor of 1.5 |
# | where it breaks | error rises beyond 8k | erratic from 512, all seeds diverge at 1024 |
# | warmup | essential at 8k: 24.84% error without, 23.74% with gradual warmup | within noise |
#
# Why is warmup essential there and irrelevant here? Warmup deals with instability **at the start** of
# training: a freshly initialised deep network is fragile, and a large learning rate in its first steps
# can wreck it (lesson 04). Our one-hidden-layer network shows no such fragile phase, judging by the
# results: above the limit, two epochs of ramp do not save it; below the limit, it needs no ramp. That is a
# conclusion worth stating: warmup is not a general speed-up; it helps models that are fragile at the start.

# %% [markdown] tags=["lang-zh"]
# ## 按 YOLO 的做法缩放：先乘比例，再截断
#
# 第 05 课的 YOLO 训练脚本也用这条规则，但多了一道工序：学习率 × 批量 / nbs（基准批量大小 nbs = 64），
# 再按优化器**截断**到上下限之内。**先预测**：用 SGD、名义批量 64 时峰值 0.01，批量改成 4，
# 缩放后的峰值是 0.01 × 4/64 = 0.000625 吗？把批量调小，看读数。
#
# 这个探索器调用 `lrlib.compat.scale_lr_for_batch(peak_lr, min_lr, batch_size, nbs, optimizer)`，
# 再用结果画出整条配方。

# %% [markdown] tags=["lang-en"]
# ## Apply the rule the YOLO way: scale, then clip
#
# The YOLO training scripts of lesson 05 apply the same rule with a twist: lr × batch / nbs, where the
# nominal batch size nbs is 64, **clipped** to limits that depend on the optimizer. **Predict first**:
# with SGD, a peak of 0.01 for nbs = 64 and a batch of 4, is the scaled peak 0.01 × 4/64 = 0.000625?
# Move the batch size down and watch the readout.
#
# The explorer calls `lrlib.compat.scale_lr_for_batch(peak_lr, min_lr, batch_size, nbs, optimizer)` and
# draws the recipe with the result.

# %%
from lrlib.widgets import BatchScalingExplorer

scaler = BatchScalingExplorer(peak_lr=0.01, min_lr=0.0001, batch_size=16, nbs=64, optimizer="sgd")
scaler.widget

# %% [markdown] tags=["lang-zh"]
# 批量 4 时是的：0.000625 高于 SGD 的峰值下限 5×10⁻⁴。可批量再小一点就不一样了：批量 2 时，
# 直接按比例算是 0.0003125，截断又把它抬回 5×10⁻⁴。批量再往下，峰值就不再随批量变化了。下一个单元格把这些数算出来。

# %% [markdown] tags=["lang-en"]
# At batch 4, yes: 0.000625 is above SGD's lower limit for the peak, 5×10⁻⁴. One step further it changes:
# at batch 2 the plain rule gives 0.0003125 and the clip lifts it back to 5×10⁻⁴. Below that, the peak no
# longer follows the batch at all. The next cell computes these numbers.

# %%
from lrlib.compat import scale_lr_for_batch

peak4, low4 = scale_lr_for_batch(0.01, 0.0001, 4, 64, "sgd")
peak2, low2 = scale_lr_for_batch(0.01, 0.0001, 2, 64, "sgd")
assert np.isclose(peak4, 0.01 * 4 / 64)          # batch 4: plain linear scaling, 0.000625
assert np.isclose(peak2, 5e-4) and peak2 > 0.01 * 2 / 64  # batch 2: clipped at the floor of 5e-4
print(f"batch 4: peak {peak4:.6f}, min {low4:.2e}; batch 2: peak {peak2:.6f}, min {low2:.2e}")

# %% [markdown] tags=["lang-zh"]
# ## 动手试试
#
# **练习 1.** 写一个函数 `suggest(lrs, losses)`：给定范围测试每一步的学习率和平滑损失，
# 按 fastai 的规则返回建议的峰值（损失最低处的学习率除以 10）。

# %% [markdown] tags=["lang-en"]
# ## On your own
#
# **Exercise 1.** Write `suggest(lrs, losses)`: given each step's learning rate and smoothed loss from a
# range test, return the suggested peak by fastai's rule (the learning rate at the lowest loss, divided
# by 10).

# %%
exercise_1 = [((np.array([0.01, 0.1, 1.0, 10.0]), np.array([2.0, 1.0, 0.5, 9.0])), 0.1),
              ((np.array([0.5, 1.0, 2.0]), np.array([1.0, 0.2, 0.3])), 0.1),
              ((range_tests[3].lrs, range_tests[3].losses), range_tests[3].suggested_lr)]

# %% tags=["exercise"]
def suggest(lrs, losses):
    ...  # your code here


ex.check_function(suggest, exercise_1, name="suggest")

# %% tags=["solution"]
def suggest(lrs, losses):
    return lrs[np.argmin(losses)] / 10


assert ex.check_function(suggest, exercise_1, name="suggest")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 先找损失最小的位置：`np.argmin(losses)`。
# </details>
#
# <details><summary>提示 2</summary>
#
# 同一个位置上的学习率是 `lrs[i]`，再除以 10。
# </details>
#
# <details><summary>提示 3</summary>
#
# `return lrs[np.argmin(losses)] / 10`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Find where the loss is lowest: `np.argmin(losses)`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The learning rate at that position is `lrs[i]`; divide it by 10.
# </details>
#
# <details><summary>Hint 3</summary>
#
# `return lrs[np.argmin(losses)] / 10`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 一个配方在批量 256 时用峰值 0.1、预热 5 轮（Goyal 等人的设置）。写 `scaled_peak(batch)`，
# 按线性缩放规则给出任意批量下的峰值。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** A recipe uses a peak of 0.1 at batch 256 with a 5-epoch warmup (Goyal et al.'s
# setting). Write `scaled_peak(batch)` giving the peak for any batch size by the linear scaling rule.

# %%
exercise_2 = [((256,), 0.1), ((8192,), 3.2), ((32,), 0.0125), ((1024,), 0.4)]

# %% tags=["exercise"]
def scaled_peak(batch):
    ...  # your code here


ex.check_function(scaled_peak, exercise_2, name="scaled_peak")

# %% tags=["solution"]
def scaled_peak(batch):
    return 0.1 * batch / 256


assert ex.check_function(scaled_peak, exercise_2, name="scaled_peak")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 批量是 256 的几倍，学习率就是 0.1 的几倍。
# </details>
#
# <details><summary>提示 2</summary>
#
# `return 0.1 * batch / 256`
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# However many times 256 the batch is, that many times 0.1 the learning rate is.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `return 0.1 * batch / 256`
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 3.** 参考种子 0 的范围测试（`range_tests[0]`）和上面的实验，为批量 128 的余弦退火训练选一个峰值：
# 不能低于种子 0 的建议值，又要低于它发散点的一半（留出余量）。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** Using seed 0's range test (`range_tests[0]`) and the experiments above, pick a peak for
# cosine-annealed training at batch 128: no lower than seed 0's suggested value, and below half of seed
# 0's divergence point (to leave a margin).

# %% tags=["exercise"]
my_peak = ...  # your code here

ex.check_range(my_peak, range_tests[0].suggested_lr, range_tests[0].lr_diverged / 2, name="my_peak")

# %% tags=["solution"]
my_peak = BASE_LR * 128 / BASE_BATCH  # 0.8: the linear scaling rule from 0.2 at batch 32

assert ex.check_range(my_peak, range_tests[0].suggested_lr, range_tests[0].lr_diverged / 2, name="my_peak")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 看 `range_tests[0].suggested_lr` 和 `range_tests[0].lr_diverged`，区间就在它们之间。
# </details>
#
# <details><summary>提示 2</summary>
#
# 线性缩放给的值也可以：批量 32 时 0.2，批量 128 时是多少？它落在区间里吗？
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Look at `range_tests[0].suggested_lr` and `range_tests[0].lr_diverged`: the range lies between them.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The linear scaling rule gives a value too: 0.2 at batch 32, so what at batch 128? Is it in the range?
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - **范围测试**：几百步的指数爬坡，读出三个数——建议值（最低点 / 10）、损失最低处、发散点。
#   在这里，5 个种子的读数相差不到 2 倍；峰值取建议值到最低点之间都能训练好，取发散点则每次都崩。
# - 读数要用真训练检验：峰值取最低点时训练损失更低，但测试准确率的差别在噪声之内。
# - **线性缩放**：批量乘 k，学习率乘 k。在这里从批量 16 到 256 都成立；放大后的学习率一旦越过范围测试的发散点，规则就失效。
# - 预热在这个小网络上的作用在噪声之内；它在深层网络、大批量的开头才关键（Goyal 等人）。
# - YOLO 脚本的缩放多了一步按优化器截断，所以批量很小时，峰值不再和批量成正比。
#
# ## 延伸阅读
#
# - Smith，*Cyclical Learning Rates for Training Neural Networks*，WACV 2017：范围测试的出处。<https://arxiv.org/abs/1506.01186>
# - Goyal 等，*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour*（2017）：线性缩放规则和逐步预热。
#   <https://arxiv.org/abs/1706.02677>
# - Smith、Topin，*Super-Convergence*（2018）：用范围测试定单周期调度的上限。<https://arxiv.org/abs/1708.07120>
# - McCandlish 等，*An Empirical Model of Large-Batch Training*（2018）：批量多大之后线性缩放不再划算。
#   <https://arxiv.org/abs/1812.06162>
# - fastai 文档中的 `lr_find`；PyTorch Lightning 的 `LearningRateFinder`。
# - lrlib 文档：`help(lrlib.experiments.lr_range_test)`、`help(lrlib.compat.scale_lr_for_batch)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - **The range test**: an exponential ramp of a few hundred steps gives three numbers: the suggested
#   value (lowest point / 10), the lowest-loss point and the divergence point. Here the 5 seeds agreed to
#   within a factor of 2; any peak from the suggested value to the lowest point trained well, and the
#   divergence point always blew up.
# - Check the reading with real training: a peak at the lowest point gave a lower training loss, but a
#   test accuracy within noise of the suggested value's.
# - **Linear scaling**: multiply the batch by k, multiply the learning rate by k. It held here from batch
#   16 to 256, and failed once the scaled learning rate passed the range test's divergence point.
# - Warmup's effect on this small network was within noise; it matters at the start of training deep
#   networks with large batches (Goyal et al.).
# - The YOLO scripts' scaling adds a clip that depends on the optimizer, so at small batches the peak is no
#   longer proportional to the batch.
#
# ## Further reading
#
# - Smith, *Cyclical Learning Rates for Training Neural Networks*, WACV 2017: where the range test comes
#   from. <https://arxiv.org/abs/1506.01186>
# - Goyal et al., *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour* (2017): the linear scaling
#   rule and gradual warmup. <https://arxiv.org/abs/1706.02677>
# - Smith and Topin, *Super-Convergence* (2018): using the range test to set one-cycle's maximum.
#   <https://arxiv.org/abs/1708.07120>
# - McCandlish et al., *An Empirical Model of Large-Batch Training* (2018): the batch size beyond which
#   linear scaling stops paying. <https://arxiv.org/abs/1812.06162>
# - fastai's `lr_find`; PyTorch Lightning's `LearningRateFinder`.
# - lrlib's documentation: `help(lrlib.experiments.lr_range_test)`, `help(lrlib.compat.scale_lr_for_batch)`.

# %%
# Drive both explorers from code, so that a broken callback fails the tests.
rt_controls["seed"].value = 2
rt_controls["lr"].value = 50.0
r2 = range_tests[2]
assert np.array_equal(rt_curve.get_xdata(), r2.lrs) and rt_readout.value == t("l08_zone_over", lr=50.0)
rt_controls["lr"].value = 0.01
assert rt_readout.value == t(zone(0.01, r2), lr=0.01) and rt_mark.get_xdata()[0] == 0.01
assert rt_image.value[:4] == b"\x89PNG"

scaler.controls["batch_size"].value = 4
scaler.update()
expected_peak, _ = scale_lr_for_batch(0.01, 0.0001, 4, 64, "sgd")
assert np.isclose(scaler.lines["scaled"].get_ydata().max(), expected_peak) and scaler.message == ""
scaler.controls["optimizer"].value = "adam"
scaler.update()
expected_peak, _ = scale_lr_for_batch(0.01, 0.0001, 4, 64, "adam")
assert np.isclose(scaler.lines["scaled"].get_ydata().max(), expected_peak)
