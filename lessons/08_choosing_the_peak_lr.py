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
#   并看到范围测试的读数只对做测试时的批量成立；
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
#   final loss unchanged, and where that stops working; and see that a range test's readings hold only
#   for the batch size it ran at;
# - see what warmup does here (this time: next to nothing), and why that does not contradict the paper.
#
# ## What you'll need
#
# - lessons 01 (the stability limit, the noise floor) and 04 (warmup);
# - what minibatch SGD is;
# - about 25 minutes. Every model is a small numpy network on scikit-learn's bundled handwritten
#   digits: nothing to download.

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
from lrcourse import experiments as xp
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.explorers import live_figure, reset_all

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
print(t("l08_data", n_train=len(data.y_train), n_test=len(data.y_test), d=data.X_train.shape[1]))

# %% [markdown] tags=["lang-zh"]
# ## 让学习率爬坡：做一次范围测试
#
# 范围测试的想法来自 Smith（2017）：训练一个新模型，让学习率一路上涨，看损失怎么变。
# 这里用的是 fastai 的 `lr_find` 推广开的做法：只训练几百步，每一步都把学习率乘上同一个数，
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
# The idea of the range test comes from Smith (2017): train a fresh model while the learning rate keeps
# rising, and watch the loss. The version here is the one fastai's `lr_find` made popular: a few hundred
# steps, multiplying the learning rate by the same factor at every step, from tiny (10⁻³) to huge (10²):
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
steps_per_decade = np.log(10) / np.log(factor_per_step)
print(t("l08_ramp_factor", factor=factor_per_step, decade=steps_per_decade))
assert round(factor_per_step, 2) == 1.06 and round(steps_per_decade) == 40   # the numbers quoted below

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
fig, ax = plt.subplots(figsize=(7, 3))
for s, r in range_tests.items():
    ax.semilogx(r.lrs, r.losses, lw=1, label=plot_text("l08_seed", k=s))
r0 = range_tests[0]
ax.axvline(r0.suggested_lr, color="tab:green", ls="--", lw=1, label=plot_text("l08_mark_suggested"))
ax.axvline(r0.lr_min_loss, color="tab:orange", ls="--", lw=1, label=plot_text("l08_mark_min"))
ax.axvline(r0.lr_diverged, color="tab:red", ls="--", lw=1, label=plot_text("l08_mark_diverged"))
ax.set(xlabel=plot_text("learning_rate"), ylabel=plot_text("l08_smoothed_loss"), ylim=(0, 3.5))
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
plt.show()

# %% [markdown] tags=["lang-zh"]
# 读这张图：左边一段几乎是平的——学习率太小，几十步里损失动不了；中间一段陡降，这是学习率“够用”的范围；
# 然后曲线触底、掉头向上，最后冲出图外，测试停止。虚线是种子 0 的三个读数。
#
# ## 读曲线：在哪里选峰值？
#
# **先预测**：如果拿“损失最低处”的学习率当峰值训练，会发生什么？拿“发散处”呢？拿“建议值”（最低处除以 10，
# 即 fastai 的 `minimum` 规则；fastai 现在默认用的是另一条规则 `valley`）呢？
# 把你的答案记下来，然后拖动下面的滑块，看每个候选值落在曲线的哪一段。
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
# happens? With the *divergence* point? With the *suggested* value (the lowest point divided by 10:
# fastai's `minimum` rule; fastai's default today is a different rule, `valley`)? Write your answers
# down, then move the slider to see where each candidate lands on the curve.
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
# 曲线只是几百步的粗略扫描，得用真正的训练来检验。用余弦退火训练 8 轮（批量 32，和范围测试一样），峰值分别取：
# 建议值的十分之一、建议值、建议值和最低处的几何中点、损失最低处、发散处（都用 5 个种子读数的中位数），每种 5 个种子：

# %% [markdown] tags=["lang-en"]
# ## Check the reading with real training
#
# The curve is a rough scan of a few hundred steps; real training is the test. Train for 8 epochs with
# cosine annealing (batch 32, as in the range test), with the peak at: a tenth of the suggested value, the
# suggested value, the geometric middle between it and the lowest-loss point, the lowest-loss point and the
# divergence point (each the median of the 5 seeds' readings), 5 seeds each:

# %%
EPOCHS = 8
candidates = {
    "small": float(np.median(lr_min)) / 100,            # a tenth of the suggested value
    "suggested": float(np.median(lr_min)) / 10,
    "middle": float(np.median(lr_min)) / np.sqrt(10),   # halfway between the two, on a log scale
    "min_loss": float(np.median(lr_min)),
    "diverged": float(np.median(lr_div)),
}
peak_runs = {name: xp.run_seeds(xp.train_mlp, seeds=SEEDS, schedule=lrlib.cosine_decay(lr, EPOCHS),
                                num_epochs=EPOCHS, data=data, **MODEL)
             for name, lr in candidates.items()}
for name, runs in peak_runs.items():
    print(t("l08_peak_row", name=t(f"l08_cand_{name}"), lr=candidates[name],
            loss=spread_text(runs["train_loss"][:, -1]), acc=spread_text(runs["test_accuracy"][:, -1])))

# %% [markdown] tags=["lang-zh"]
# 四件事，每件都由下面的断言守着：
#
# 1. 峰值太小（建议值的十分之一）时，5 个种子里**每一个**都比用建议值的**每一个**差——不是运气。
# 2. 拿损失最低处当峰值，训练损失还要再低一截（每个种子都赢）；测试准确率却分不出高下，差别在种子的噪声之内。
#    范围测试只跑了一条爬坡，而余弦退火会很快把学习率降下来，所以峰值可以比“建议值”大胆一些。
# 3. 取两者的几何中点，训练损失正好落在两者之间（和两边都完全分开），测试准确率和两边的差别都在噪声之内。
# 4. 拿发散处当峰值，5 个种子全部发散。在这个批量下，发散点就是上限。
#
# 所以，范围测试给的是一个**区间**：我们在区间里试的三个峰值（建议值、中点、最低点）都训练得很好，
# 放在发散点上则每个种子都失败。它只能帮你指个方向，不能替你拍板。

# %% [markdown] tags=["lang-en"]
# Four findings, each guarded by an assert below:
#
# 1. With too small a peak (a tenth of the suggested value), **every** one of the 5 seeds ends worse than
#    **every** seed at the suggested value: not luck.
# 2. With the lowest-loss point as the peak, the training loss ends lower still (every seed wins), but
#    test accuracy cannot tell the two apart: the difference is within the seed-to-seed noise. The ramp
#    was a single short run, and cosine annealing soon brings the learning rate down, so the peak can
#    be bolder than the "suggested" value.
# 3. Halfway between the two (on a log scale), the training loss lands between them, cleanly separated
#    from both, and test accuracy is within noise of both.
# 4. With the divergence point as the peak, all 5 seeds diverge. At this batch size, that point is a
#    ceiling.
#
# So the range test gives you a **bracket**: the three peaks we tried inside it (the suggested value, the
# middle and the lowest-loss point) all trained well, and at the divergence point every seed failed. A
# guide, not an oracle.

# %%
small_vs_sugg = xp.compare_runs(peak_runs["small"], peak_runs["suggested"], "train_loss")
assert small_vs_sugg.differ and small_vs_sugg.better == "b"                       # 1.
bold_vs_sugg = xp.compare_runs(peak_runs["min_loss"], peak_runs["suggested"], "train_loss")
assert bold_vs_sugg.differ and bold_vs_sugg.better == "a"                         # 2. lower training loss ...
assert not xp.compare_runs(peak_runs["min_loss"], peak_runs["suggested"], "test_accuracy").differ  # ... same accuracy
for other, better in (("suggested", "a"), ("min_loss", "b")):                   # 3. the middle lies between
    assert xp.compare_runs(peak_runs["middle"], peak_runs[other], "train_loss").better == better
    assert not xp.compare_runs(peak_runs["middle"], peak_runs[other], "test_accuracy").differ
assert peak_runs["diverged"].diverged.all()                                       # 4.
assert not any(peak_runs[k].diverged.any() for k in ("suggested", "middle", "min_loss"))
print(t("l08_luck", chance=small_vs_sugg.chance))
assert round(small_vs_sugg.chance, 3) == 0.008                                    # the yardstick quoted below

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
fig, ax = plt.subplots(figsize=(7, 3))
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
plt.show()

# %% [markdown] tags=["lang-zh"]
# （误差棒是 5 个种子的最小值到最大值；发散的种子不画。）读图：
#
# - **学习率固定**时，批量越大，最终损失越高：一轮的步数少了，每步的大小却没变，10 轮根本走不完。
#   到批量 256，每个固定学习率的种子都输给每个线性放大的种子。
# - **线性放大**时，从 16 到 256，最终损失几乎不动（最大和最小的均值相差不到 1.5 倍），规则成立。
# - 规则**有边界**。批量 1024 时放大后的学习率是 6.4，5 个种子全部发散；批量 512（学习率 3.2）时结果开始变得不稳定，
#   种子间的分散是批量 16–256 时的 3 倍以上。
#
#   这是不是越过了范围测试的发散点？要小心：上面的范围测试是在批量 32 下做的（发散点 2.5–3.5），读数只对那个批量成立。
#   在批量 512 和 1024 下重做一遍（下一个单元格），发散点的中位数从 2.6 升到 5.5 和 4.4，不到原来的 2.5 倍，
#   而批量涨了 16 倍和 32 倍。3.2 低于批量 512 时每个种子的发散点；6.4 则高于批量 1024 时 5 个种子中 3 个的发散点
#   （另外两个种子照样发散。一个区别是：爬坡要走大约 150 步、在较小的学习率下先训练一阵才到 6.4，真正的训练第一步就是 6.4）。
#   上限随批量上涨，但比批量慢得多，按批量线性放大的学习率迟早会撞上它。
#   Goyal 等人报告，在 ImageNet 上这条规则一直到每批 8192 张图像都成立，再往上误差据报告开始上升。
# - **预热**：在这里几乎不起作用。从批量 16 到 512（下面的单元格逐一检验），加不加预热的差别都在噪声之内；
#   批量 1024 时，加了预热照样全部发散（不过在这个批量下，2 轮预热只有 4 步）。

# %% [markdown] tags=["lang-en"]
# (Error bars run from the lowest to the highest of the 5 seeds; diverged seeds are left out.) Reading
# the plot:
#
# - With a **fixed** learning rate the final loss grows with the batch: fewer steps per epoch, each no
#   larger, and 10 epochs are not enough to get there. At batch 256 every fixed-lr seed loses to every
#   scaled seed.
# - With the learning rate **scaled**, the final loss barely moves from batch 16 to 256 (the largest and
#   smallest means are within a factor of 1.5): the rule holds.
# - The rule **has a limit**. At batch 1024 the scaled learning rate is 6.4 and all 5 seeds diverge; at
#   512 (3.2) the results turn erratic, with a seed spread more than 3 times what it is from 16 to 256.
#
#   Is that simply the range test's divergence point being crossed? Careful: the range test above ran at
#   batch 32 (divergence between 2.5 and 3.5), and its readings belong to that batch size. Rerun it at 512
#   and 1024 (next cell) and the median divergence point rises from 2.6 to 5.5 and 4.4: less than 2.5 times
#   higher, while the batch grew 16 and 32 times. 3.2 is below every seed's divergence point at batch 512;
#   6.4 is above it for 3 of the 5 seeds at batch 1024 (the other two diverge as well; one difference is
#   that the ramp reaches 6.4 only after about 150 steps of gentler training, while a real run starts
#   there). The ceiling rises with the batch, but far more slowly, so a learning rate scaled with the batch
#   runs into it sooner or later. Goyal et al. report the rule holding on ImageNet up to 8,192 images per
#   batch, with the error reported to rise beyond that.
# - **Warmup** does next to nothing here. At every batch size from 16 to 512 (each checked in the next
#   cell) the difference with and without it is within noise; at 1024 every seed still diverges with it
#   (though at that batch size 2 epochs of warmup are only 4 steps).

# %%
mean_loss = {k: np.nanmean(v) if np.isfinite(v).any() else np.nan for k, v in final_loss.items()}
fixed_means = [mean_loss["fixed", b] for b in BATCHES]
assert all(a < b for a, b in zip(fixed_means, fixed_means[1:]))          # fixed lr: worse with every doubling
assert not any(scaling["fixed", b].diverged.any() for b in BATCHES)
assert xp.compare_runs(scaling["scaled", 256], scaling["fixed", 256], "train_loss").better == "a"
scaled_means = [mean_loss["scaled", b] for b in BATCHES[:5]]
assert max(scaled_means) / min(scaled_means) < 1.5                       # scaled lr: flat from 16 to 256
assert scaling["scaled", 1024].diverged.all() and scaling["scaled_warm", 1024].diverged.all()  # all diverge at 1024
assert not scaling["scaled", 512].diverged.any()                         # ... but not at 512, where it is erratic:
sd = lambda v: np.std(v[np.isfinite(v)], ddof=1)  # noqa: E731
assert sd(final_loss["scaled", 512]) > 3 * max(sd(final_loss["scaled", b]) for b in BATCHES[:5])

# The range test's ceiling belongs to the batch size it ran at: rerun it at 512 and 1024.
ceiling = {32: lr_div}
for b in (512, 1024):
    tests = [xp.lr_range_test("mlp", 1e-3, 1e2, num_iterations=N_RAMP, batch_size=b, seed=s, data=data, **MODEL)
             for s in SEEDS]
    assert all(r.diverged for r in tests)
    ceiling[b] = np.array([r.lr_diverged for r in tests])
for b, c in ceiling.items():
    print(t("l08_ceiling_row", b=b, divs=", ".join(f"{v:.2f}" for v in c), med=np.median(c),
            peak=BASE_LR * b / BASE_BATCH))
med = {b: float(np.median(c)) for b, c in ceiling.items()}
assert [round(med[b], 1) for b in (32, 512, 1024)] == [2.6, 5.5, 4.4]   # the medians quoted above
assert all(1 < med[b] / med[32] < 2.5 for b in (512, 1024))              # up, but far less than 16x or 32x
assert BASE_LR * 512 / BASE_BATCH < ceiling[512].min()                    # 3.2: below every seed's ceiling
assert (ceiling[1024] < BASE_LR * 1024 / BASE_BATCH).sum() == 3           # 6.4: above 3 of the 5
assert 140 < np.searchsorted(ramp, BASE_LR * 1024 / BASE_BATCH) < 160      # the ramp reaches 6.4 after ~150 steps

warm_steps_1024 = WARM_EPOCHS * scaling["scaled_warm", 1024].results[0].iters_per_epoch
assert warm_steps_1024 == 4                                              # 2 epochs of warmup = 4 steps at 1024
for b in BATCHES[:6]:                                                    # warmup: within noise from 16 to 512
    w, n = final_loss["scaled_warm", b], final_loss["scaled", b]
    within = not xp.compare_runs(w, n).differ
    spread = max(sd(w), sd(n))
    print(t("l08_warm_verdict", b=b, w=w.mean(), n=n.mean(), sd=spread,
            verdict=t("l08_within_noise" if within else "l08_beyond_noise")))
    assert within and abs(w.mean() - n.mean()) < spread                  # overlapping, and the means close too

# %% [markdown] tags=["lang-zh"]
# ### 把论文的数字和我们的玩具结果对照
#
# | | 论文（Goyal 等，2017，ResNet-50，ImageNet） | 本课（64 个隐藏单元的网络，手写数字） |
# |---|---|---|
# | 线性缩放成立的范围 | 批量 256 到 8192 准确率没有损失（top-1 误差据报告约为 23.6% 对 23.7%） | 批量 16 到 256，最终损失相差不到 1.5 倍 |
# | 失效 | 据报告批量超过 8k 后误差上升 | 批量 512 开始不稳，1024 全部发散 |
# | 预热 | 批量 8k 时必不可少（据报告不预热误差约 24.8%，逐步预热约 23.7%） | 批量 16 到 512 都在噪声之内；1024 时救不回来 |
#
# 预热为什么在论文里关键、在这里却看不出作用？预热对付的是**训练刚开始时**的不稳定：深层网络刚初始化时格外脆弱，
# 头几步用大学习率容易一下子冲坏（第 04 课）。在这些运行里，我们这个单隐层小网络看不出有这段脆弱期：
# 峰值低于上限时，不预热也没事；批量 1024 时，两轮预热（只有 4 步）也救不回来。
# 这一点值得记住：预热主要是稳定手段，帮的是开头脆弱的模型，不是万能的加速器。

# %% [markdown] tags=["lang-en"]
# ### Compare the paper's figures with our toy ones
#
# | | paper (Goyal et al. 2017, ResNet-50 on ImageNet) | this lesson (64-unit network, digits) |
# |---|---|---|
# | where linear scaling holds | batch 256 to 8192 with no loss of accuracy (top-1 error reported as roughly 23.6 % vs 23.7 %) | batch 16 to 256: final loss within a factor of 1.5 |
# | where it breaks | error reported to rise beyond 8k | erratic from 512, all seeds diverge at 1024 |
# | warmup | essential at 8k (reported as roughly 24.8 % error without, 23.7 % with gradual warmup) | within noise from 16 to 512; no rescue at 1024 |
#
# Why is warmup essential there and invisible here? Warmup deals with instability **at the start** of
# training: a freshly initialised deep network is fragile, and a large learning rate in its first steps
# can wreck it (lesson 04). In these runs our one-hidden-layer network shows no sign of such a fragile
# phase: below the limit it needs no ramp, and at batch 1024 two epochs of ramp (only 4 steps) do not save
# it. Worth remembering: warmup is mainly a stability device that helps models fragile at the start, not a
# general speed-up.

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
from lrcourse.explorers import BatchScalingExplorer

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
assert np.isclose(scale_lr_for_batch(0.01, 0.0001, 1, 64, "sgd")[0], peak2)  # below that it stays at the floor
for b, (pk, lo) in ((4, (peak4, low4)), (2, (peak2, low2))):
    print(t("l08_yolo_row", b=b, plain=0.01 * b / 64, peak=pk, low=lo))

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
# **练习 3.** 参考种子 0 的范围测试（`range_tests[0]`）和上面的实验，为批量 32 的余弦退火训练选一个峰值：
# 不能低于种子 0 的建议值，又要低于它发散点的一半（留出余量）。范围测试的读数只对做测试时的批量成立，
# 这次测试用的正是批量 32。

# %% [markdown] tags=["lang-en"]
# **Exercise 3.** Using seed 0's range test (`range_tests[0]`) and the experiments above, pick a peak for
# cosine-annealed training at batch 32: no lower than seed 0's suggested value, and below half of seed 0's
# divergence point (to leave a margin). A range test's readings hold for the batch size it ran at, and this
# one ran at batch 32.

# %% tags=["exercise"]
my_peak = ...  # your code here

ex.check_range(my_peak, range_tests[0].suggested_lr, range_tests[0].lr_diverged / 2, name="my_peak")

# %% tags=["solution"]
my_peak = BASE_LR  # 0.2: the peak the scaling experiment used at batch 32

assert ex.check_range(my_peak, range_tests[0].suggested_lr, range_tests[0].lr_diverged / 2, name="my_peak")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 看 `range_tests[0].suggested_lr` 和 `range_tests[0].lr_diverged`，区间就在它们之间。
# </details>
#
# <details><summary>提示 2</summary>
#
# 上面的缩放实验在批量 32 时用的峰值是 0.2，训练得不错。它落在区间里吗？
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# Look at `range_tests[0].suggested_lr` and `range_tests[0].lr_diverged`: the range lies between them.
# </details>
#
# <details><summary>Hint 2</summary>
#
# The scaling experiment above trained well at batch 32 with a peak of 0.2. Is that in the range?
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - **范围测试**：几百步的指数爬坡，读出三个数——建议值（最低点 / 10）、损失最低处、发散点。
#   在这里，5 个种子的读数相差不到 2 倍；我们在区间里试的建议值、中点和最低点都训练得很好，取发散点则每个种子都崩。
# - 读数要用真训练检验：峰值取最低点时训练损失更低，但测试准确率的差别在噪声之内。
# - 范围测试的读数只对做测试时的批量成立：批量变大，发散点也会上升，但比批量慢得多。
# - **线性缩放**：批量乘 k，学习率乘 k。在这里从批量 16 到 256 都成立；到批量 1024，放大后的学习率越过了
#   那个批量下多数种子的发散点，全部发散。
# - 预热在这个小网络上的作用在噪声之内；据 Goyal 等人的报告，它在深层网络、大批量训练的开头才关键。
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
# - lrlib 文档：`help(lrcourse.experiments.lr_range_test)`、`help(lrlib.compat.scale_lr_for_batch)`。

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - **The range test**: an exponential ramp of a few hundred steps gives three numbers: the suggested
#   value (lowest point / 10), the lowest-loss point and the divergence point. Here the 5 seeds agreed to
#   within a factor of 2; the suggested value, the middle of the bracket and the lowest point all trained
#   well, and the divergence point blew up on every seed.
# - Check the reading with real training: a peak at the lowest point gave a lower training loss, but a
#   test accuracy within noise of the suggested value's.
# - A range test's readings hold for the batch size it ran at: at larger batches the divergence point
#   rises, but far more slowly than the batch.
# - **Linear scaling**: multiply the batch by k, multiply the learning rate by k. It held here from batch
#   16 to 256; at batch 1024 the scaled learning rate passed most seeds' divergence point at that batch
#   size, and every run diverged.
# - Warmup's effect on this small network was within noise; Goyal et al. report that it matters at the
#   start of training deep networks with large batches.
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
# - lrlib's documentation: `help(lrcourse.experiments.lr_range_test)`, `help(lrlib.compat.scale_lr_for_batch)`.

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
assert reset_all() >= 1   # every explorer back where the text above expects it
