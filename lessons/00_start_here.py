# %% [markdown] tags=["lang-zh"]
# # 从这里开始：认识课程，切换语言，动手调一个学习率调度
#
# 这组笔记本讲的是**学习率调度**：训练时学习率怎样随步数变化，以及为什么要这样变。
# 每一课都能在笔记本电脑的 CPU 上几秒钟跑完，不用 GPU，也不用联网。
#
# ## 你将学到
#
# - 这套课程讲哪些内容、建议按什么顺序学；
# - 怎样在中文和英文之间切换；
# - 怎样读懂一条学习率曲线，并用交互控件（下面称为“探索器”）边改参数边看变化；
# - 练习题怎么做、怎么自动检查；
# - 课程统一使用的术语（术语表）。
#
# ## 你需要
#
# - 装好 lrlib 的 Python 环境（在项目目录运行 `python3 tools/dev.py lab` 会自动准备好）；
# - 知道“学习率”大致是什么：梯度下降每一步沿负梯度走多远；
# - 大约 10 分钟。

# %% [markdown] tags=["lang-en"]
# # Start here: tour the lessons, switch languages, and try a schedule
#
# These notebooks are about **learning-rate schedules**: how the learning rate changes as training
# goes on, and why you would want it to. Every lesson runs in seconds on a laptop CPU, with no GPU
# and no internet connection.
#
# ## What you'll learn
#
# - what the collection covers, and a sensible order to take it in;
# - how to switch between English and Chinese;
# - how to read a learning-rate curve, and how to change it live with an interactive control
#   (we call these *explorers*);
# - how the exercises work and how they check themselves;
# - the handful of terms every lesson uses (the glossary).
#
# ## What you'll need
#
# - a Python environment with lrlib (`python3 tools/dev.py lab` in the project folder sets one up);
# - a rough idea of what a learning rate is: how far each gradient-descent step moves against the gradient;
# - about 10 minutes.

# %% tags=["parameters"]
import lrlib
import lrcourse
LANG = lrcourse.lesson_language()  # "zh" in notebooks/zh, "en" in notebooks/en; or write LANG = "zh" / "en"
lrcourse.set_language(LANG)

# %%
import numpy as np
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from lrcourse import exercises as ex
from lrcourse.fonts import plot_language
from lrcourse.i18n import t
from lrcourse.figures import plot_schedule

plot_lang = plot_language()  # "zh" only when a Chinese font is installed; otherwise figures use English

# %% [markdown] tags=["lang-zh"]
# ## 看一眼课程地图
#
# | 课 | 回答的问题 |
# |---|---|
# | 00 从这里开始 | 这套课程怎么用？ |
# | [01 为什么要调度学习率](01_why_schedule.ipynb) | 学习率为什么不能一直不变？太大会怎样？ |
# | [02 阶梯衰减](02_step_decay.ipynb) | 每隔一段时间把学习率乘上一个系数，什么时候降、降多少？ |
# | [03 余弦退火](03_cosine_annealing.ipynb) | 余弦曲线到底长什么样？过了终点以后又会怎样？ |
# | [04 预热](04_warmup.ipynb) | 开头为什么要先用小学习率？它解决的是什么问题？ |
# | [05 YOLO 的学习率配方](05_yolo_recipe.ipynb) | 预热 → 余弦退火 → 恒定尾段，这三段是怎么拼起来的？ |
# | [06 热重启](06_warm_restarts.ipynb) | 学习率为什么有时会“跳回去”？这和余弦退火是一回事吗？ |
# | [07 做实验比较调度](07_experiments.ipynb) | 在真实数据上，各种调度到底差多少？哪些差别只是随机波动？ |
# | [08 选峰值学习率](08_choosing_the_peak_lr.ipynb) | 峰值取多大？批量变了，学习率怎么跟着变？ |
# | [09 新一代调度](09_modern_schedules.ipynb) | 不知道要训练多久时怎么办？WSD、单周期策略是什么？ |
# | [10 在 PyTorch 里用](10_pytorch.ipynb) | 怎么接到 PyTorch 的优化器上？`step()` 的顺序和“差一轮”的错误 |
#
# 建议按顺序学：01 讲清楚为什么需要调度，后面各课都默认你已经知道这一点；05 用到 02–04 的全部内容；
# 07–10 是“证据和实践”，用真实的训练检验前面的结论，再落到 PyTorch 代码上。
# 后面每一课的探索器和练习题都是同样的用法，本课先带你熟悉一下。

# %% [markdown] tags=["lang-en"]
# ## Look at the map of the lessons
#
# | lesson | the question it answers |
# |---|---|
# | 00 Start here | How do I use these notebooks? |
# | [01 Why schedule at all](01_why_schedule.ipynb) | Why not keep the learning rate fixed? What happens when it is too large? |
# | [02 Step decay](02_step_decay.ipynb) | Multiply the learning rate by a factor every so often: when, and by how much? |
# | [03 Cosine annealing](03_cosine_annealing.ipynb) | What exactly does the cosine curve look like, and what happens after its end? |
# | [04 Warmup](04_warmup.ipynb) | Why start with a small learning rate? What problem does it solve? |
# | [05 The YOLO recipe](05_yolo_recipe.ipynb) | Warmup, cosine annealing, constant tail: how do the three pieces fit together? |
# | [06 Warm restarts](06_warm_restarts.ipynb) | Why does the learning rate sometimes jump back up? Is that the same as cosine annealing? |
# | [07 Experiments](07_experiments.ipynb) | On real data, how much do the schedules differ, and which differences are just noise? |
# | [08 Choosing the peak learning rate](08_choosing_the_peak_lr.ipynb) | How large should the peak be, and how should it follow the batch size? |
# | [09 Modern schedules](09_modern_schedules.ipynb) | What if you don't know how long you will train? What are WSD and one-cycle? |
# | [10 In practice with PyTorch](10_pytorch.ipynb) | How do you plug a schedule into a PyTorch optimizer? Step order and the off-by-one-epoch bug |
#
# Take them in order: lesson 01 explains why schedules exist at all, which later lessons take for
# granted, and lesson 05 uses everything from 02 to 04. Lessons 07 to 10 are evidence and practice: real
# training runs that test the earlier claims, then PyTorch code. The explorers and exercises work the same way in every lesson,
# so this one lets you try them first.

# %% [markdown] tags=["lang-zh"]
# ## 切换语言
#
# 每个笔记本的第一个代码单元格都是 `LANG = lrcourse.lesson_language()`：它看笔记本放在哪个文件夹里
# （`notebooks/zh/` 还是 `notebooks/en/`），由此决定 lrlib 用哪种语言显示：
# 图的标题和坐标轴、控件上的文字、练习的反馈都会跟着变。切换的办法有三种：
#
# 1. 直接打开另一个文件夹里的同名笔记本：`notebooks/zh/` 是中文版，`notebooks/en/` 是英文版，两者的代码一模一样；
# 2. 把第一个单元格里的那一行改成 `LANG = "en"`，再“全部运行”：正文还是中文，但图和提示变成英文；
# 3. 在任何位置调用 `lrcourse.set_language("en")`：从这之后 lrlib 打印的文字和练习反馈都用英文。
#    图里的文字跟着设置单元格里算出的 `plot_lang` 走，想让图也换语言，要把那个单元格再运行一次。
#
# 下面的单元格先临时切到另一种语言，再切回来：

# %% [markdown] tags=["lang-en"]
# ## Switch the language
#
# The first code cell of every notebook is `LANG = lrcourse.lesson_language()`: it looks at the folder the
# notebook sits in (`notebooks/en/` or `notebooks/zh/`) and sets the language lrlib writes in from it:
# plot titles and axes, the labels on the controls, the feedback on exercises. You can switch in three
# ways:
#
# 1. open the notebook of the same name in the other folder: `notebooks/en/` is English,
#    `notebooks/zh/` is Chinese, and the code in both is identical;
# 2. change that line of the first cell to `LANG = "zh"` and run all cells: the text stays English, while messages
#    switch to Chinese, and so do plots if a Chinese font is installed (if none is, plots stay in
#    English and a notice says how to add one);
# 3. call `lrcourse.set_language("zh")` anywhere: what lrlib prints after that, exercise feedback
#    included, is in Chinese. Text inside figures follows `plot_lang`, which the setup cell works out
#    once; run that cell again to switch the figures too.
#
# The next cell switches to the other language for a moment, then back:

# %%
other = "en" if LANG == "zh" else "zh"
lrcourse.set_language(other)
print(other, "->", t("learning_rate"), "/", t("warmup"))
lrcourse.set_language(LANG)
print(LANG, "->", t("learning_rate"), "/", t("warmup"))
assert lrcourse.get_language() == LANG
assert t("warmup", lang="zh") == "预热" and t("warmup", lang="en") == "warmup"

# %% [markdown] tags=["lang-zh"]
# ## 画出第一条学习率曲线
#
# 整个课程是从一段常见的 YOLO 训练代码出发的：`get_lr_scheduler(lr_decay_type="cos", ...)`。
# 训练时每**轮**（epoch）调用它一次，它返回这一轮的学习率。lrlib 里的 `lrlib.compat.get_lr_scheduler`
# 复现了它，参数相同，算出的值也相同（下面的单元格逐轮和原函数的逐行照抄版比较）。
# 在 lrlib 里，学习率调度就是一个普通函数：传入第几轮，返回学习率；传入一个数组，一次返回整条曲线。

# %% [markdown] tags=["lang-en"]
# ## Draw your first learning-rate curve
#
# The collection grew out of a piece of YOLO training code that many projects copy:
# `get_lr_scheduler(lr_decay_type="cos", ...)`. It is called once per **epoch** and returns that
# epoch's learning rate. lrlib reproduces it, same arguments and same values, as
# `lrlib.compat.get_lr_scheduler` (the next cell compares it, epoch by epoch, with a line-by-line copy
# of the original). In lrlib a learning-rate schedule is a plain function: give it an epoch, get a
# learning rate; give it an array, get the whole curve at once.

# %%
total_epochs = 100
recipe = lrlib.compat.get_lr_scheduler("cos", lr=0.01, min_lr=0.0001, total_iters=total_epochs)
epochs = np.arange(total_epochs)
lrs = recipe(epochs)

fig, ax = plt.subplots(figsize=(7, 3.2))
drawn = plot_schedule(recipe, total_epochs, ax=ax, lang=plot_lang)  # shades and names the phases
plt.show()
print([f"{x:.4g}" for x in lrs[:5]], "...", [f"{x:.4g}" for x in lrs[-3:]])
original = [lrlib.compat.original_get_lr_scheduler_value("cos", 0.01, 0.0001, total_epochs, e) for e in epochs]
assert np.allclose(lrs, original, rtol=1e-12, atol=0)  # the same values as the original function

# %% [markdown] tags=["lang-zh"]
# 这条曲线有三段：开头 3 轮从 0.001 升到 0.01（**预热**），然后按余弦形状降到 0.0001（**余弦退火**），
# 最后 15 轮一直停在 0.0001（**恒定尾段**）。
#
# 网上流传的一些解释说，这个函数让学习率“在每个 epoch 中先降到最小值，再升回初始值”，
# 还说预热段用的是余弦、之后学习率保持不变。下面用计算来核对：
# 预热段是不是二次曲线、之后学习率有没有再升高过。

# %% [markdown] tags=["lang-en"]
# The curve has three parts: over the first 3 epochs it climbs from 0.001 to 0.01 (**warmup**),
# then it follows a cosine down to 0.0001 (**cosine annealing**), and for the last 15 epochs it stays
# at 0.0001 (a **constant tail**).
#
# Explanations of this function that circulate online say the learning rate "drops to the minimum
# and climbs back up within each epoch", or that the warmup is a cosine followed by a constant
# learning rate. Rather than argue, compute: is the warmup quadratic, and does the learning rate
# ever go back up after it?

# %%
W, start, peak = 3, 0.001, 0.01
quadratic = start + (peak - start) * (epochs[:W + 1] / W) ** 2
cosine_shape = start + (peak - start) * 0.5 * (1 - np.cos(np.pi * epochs[:W + 1] / W))
print(t("l00_warmup_values", lrs=np.round(lrs[:W + 1], 6), quad=np.round(quadratic, 6)))
assert [p.kind for p in drawn.phases] == ["warmup", "decay", "constant"]  # three parts
assert lrs[0] == start and lrs[W] == peak and np.all(np.diff(lrs[:W + 1]) > 0)  # 0.001 up to 0.01 in 3 epochs
assert np.allclose(lrs[:W + 1], quadratic)            # the warmup is quadratic ...
assert not np.allclose(lrs[:W + 1], cosine_shape)     # ... not a cosine
fine = np.linspace(0, 2 * total_epochs, 20001)        # also between epochs, and well past the end
rising = fine[1:][np.diff(recipe(fine)) > 0]
assert rising.max() <= W                              # it only ever rises inside the warmup
assert np.all(lrs[-15:] == 0.0001) and lrs[-16] > 0.0001  # exactly the last 15 epochs sit at min_lr
assert lrs[W:-15].max() > 10 * lrs[W:-15].min()       # and it is not constant during training

# %% [markdown] tags=["lang-zh"]
# 所以这个函数**从不**回升：没有“每轮先降后升”，那是另一种做法，叫**热重启**（第 06 课）。
# 它每轮只调用一次，所以一轮之内学习率不变。预热段是二次曲线，不是余弦（第 04 课会比较各种预热形状）。
#
# ## 用探索器改一改参数
#
# 探索器就是几个滑块加一张图：拖动滑块，曲线立刻重画。每次重画，它运行的就是下面这两行 lrlib 代码：

# %% [markdown] tags=["lang-en"]
# So this function **never** goes back up: "down and back up" is a different technique, **warm
# restarts** (lesson 06). It is called once per epoch, so the learning rate is constant within an
# epoch. The warmup is a quadratic, not a cosine (lesson 04 compares warmup shapes).
#
# ## Change the parameters with an explorer
#
# An explorer is a few sliders and a plot: move a slider and the curve is redrawn at once. Each time,
# it runs these two lines of lrlib:

# %%
schedule = lrlib.compat.get_lr_scheduler("cos", lr=0.01, min_lr=0.0001, total_iters=100,
                                         warmup_iters_ratio=0.1)
lrs = schedule(np.arange(100))

# %% [markdown] tags=["lang-zh"]
# **先预测，再动手。** 把总轮数从 100 拖到 300，预热段会变成原来的 3 倍长吗？尾段呢？
# 先把你的猜测写下来，再拖动滑块看结果。（提示：看一下曲线开头和结尾各有几个点。）

# %% [markdown] tags=["lang-en"]
# **Predict first, then try.** Drag the number of epochs from 100 to 300: does the warmup become three
# times as long? And the tail? Write down your guess before you move the slider. (Look at how many
# points the start and the end of the curve have.)

# %%
from lrcourse.explorers import SeedRecipeExplorer, reset_all

recipe_explorer = SeedRecipeExplorer()
recipe_explorer

# %% [markdown] tags=["lang-zh"]
# 答案：不会。预热长度是 `min(max(0.1 × 总轮数, 1), 3)`，尾段长度是 `min(max(0.3 × 总轮数, 1), 15)`，
# 两者都被限制在一个范围内（最多 3 轮和 15 轮），所以训练越长，它们占的比例越小。
# 0.1 和 0.3 是本课程出发点那一版代码的默认值；这些仓库后来的版本改成了 0.05 和 0.05，
# 同样 100 轮，预热还是 3 轮，尾段却只有 5 轮（第 05 课会比较两套默认值）。下面算给你看：

# %% [markdown] tags=["lang-en"]
# Answer: no. The warmup lasts `min(max(0.1 × epochs, 1), 3)` epochs and the tail
# `min(max(0.3 × epochs, 1), 15)`: both are clamped, so the longer the training, the smaller their share.
# The 0.1 and 0.3 are the defaults of the version of the code this collection starts from; later
# versions of those repositories use 0.05 and 0.05, which at 100 epochs still gives a 3-epoch warmup
# but only a 5-epoch tail (lesson 05 compares the two sets of defaults). Computed:

# %%
def lengths(n, **ratios):
    """(warmup, tail) lengths in epochs of the recipe over n epochs."""
    s = lrlib.compat.get_lr_scheduler("cos", lr=0.01, min_lr=0.0001, total_iters=n, **ratios)
    warm = next(p for p in s.phases if p.kind == "warmup")
    tail = next(p for p in s.phases if p.kind == "constant")
    return warm.end - warm.start, n - tail.start


shares = []
for n in (10, 100, 300):
    warm, tail = lengths(n)
    shares.append((warm + tail) / n)
    print(t("l00_lengths_row", n=n, warm=warm, tail=tail))
    if n >= 50:
        assert (warm, tail) == (3, 15)                  # capped: the same at 100 and at 300 epochs
assert shares[0] > shares[1] > shares[2]                # so their share shrinks as training gets longer
assert lengths(100, warmup_iters_ratio=0.05, no_aug_iter_ratio=0.05) == (3, 5)  # the later defaults

# %% [markdown] tags=["lang-zh"]
# ## 查一查术语表
#
# 同一个概念在不同的书和博客里有好几种译法（epoch 就有“轮”“迭代周期”“时期”……）。
# 这套课程只用一种，全部来自 lrlib 的字符串表 `lrcourse.i18n`——图上、控件上、练习反馈里的字都从这里来，
# 测试也会检查课文有没有用别的译法。下面这张表就是从它直接生成的：

# %% [markdown] tags=["lang-en"]
# ## Look up a term in the glossary
#
# Books and blogs translate the same idea in several ways, in Chinese especially (an epoch is `轮`,
# `迭代周期` or `时期` depending on where you read). These lessons use one word per idea, taken from
# lrlib's string table `lrcourse.i18n`: the words on plots, controls and exercise feedback come from it,
# and a test checks that the lesson texts use them too. The table below is generated from it:

# %%
rows = lrcourse.i18n.glossary()
first, second = ("zh", "en") if LANG == "zh" else ("en", "zh")
col = {"zh": 1, "en": 2}
header = f"| {t('l00_col_' + first)} | {t('l00_col_' + second)} | {t('l00_col_key')} |\n|---|---|---|\n"
display(Markdown(header + "\n".join(f"| {r[col[first]]} | {r[col[second]]} | `{r[0]}` |" for r in rows)))
assert len(rows) >= 20 and all(zh and en for _, zh, en in rows)

# %% [markdown] tags=["lang-zh"]
# 第三列是代码里用的名字：`t("warmup")` 返回当前语言下的“预热”。
#
# ## 动手试试
#
# 每道练习都是同一个样子：一个代码单元格里有一段没写完的代码（`...` 的地方），下面紧跟着检查。
# 直接运行会显示“还没有作答”，不会报错；写好之后再运行，检查会告诉你哪里对、哪里还不对。
# 检查看的是**性质**（某一步的值、是否单调、有没有跳变……），所以写法不止一种。
# 提示分好几层，先看第一层，实在不行再往下展开。
#
# 参考答案放在教师版里（`notebooks/teacher/` 文件夹），和学生版分开。
#
# **练习 1.** 写一个学习率调度 `my_schedule(epoch)`：前 10 轮学习率是 0.01，从第 10 轮开始一直是 0.001。

# %% [markdown] tags=["lang-en"]
# The third column is the name used in code: `t("warmup")` returns "warmup" in the current language.
#
# ## On your own
#
# Every exercise looks the same: a code cell with something left to write (where the `...` is),
# followed by a check. Run it unchanged and it says there is no answer yet; it does not crash. Run it
# again once you have written your answer and the check tells you what holds and what does not yet.
# It checks **properties** (the value at some step, whether the curve only goes down, whether it
# jumps ...), so there is more than one right way to write it. Hints come in layers: open the first,
# and only open the next if you are stuck.
#
# Worked solutions live in the teachers' edition (folder `notebooks/teacher/`), apart from the students' notebooks.
#
# **Exercise 1.** Write a learning-rate schedule `my_schedule(epoch)` that is 0.01 for the first 10
# epochs and 0.001 from epoch 10 on.

# %% tags=["exercise"]
def my_schedule(epoch):
    ...  # your code here


ex.check_schedule(my_schedule, values={0: 0.01, 9: 0.01, 10: 0.001, 50: 0.001},
                  monotone="decreasing", bounds=(0.001, 0.01), total_steps=50)

# %% tags=["solution"]
def my_schedule(epoch):
    return 0.01 if epoch < 10 else 0.001


assert ex.check_schedule(my_schedule, values={0: 0.01, 9: 0.01, 10: 0.001, 50: 0.001},
                         monotone="decreasing", bounds=(0.001, 0.01), total_steps=50)

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 函数只需要回答一个问题：`epoch` 是不是小于 10？
# </details>
#
# <details><summary>提示 2</summary>
#
# `return 0.01 if epoch < 10 else 0.001`
# </details>
#
# <details><summary>提示 3（另一种写法）</summary>
#
# lrlib 里已经有这个形状：`my_schedule = lrlib.multistep_decay(0.01, milestones=[10], gamma=0.1)`。
# 它还能一次算一整个数组。第 02 课会细讲。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# The function only has to answer one question: is `epoch` below 10?
# </details>
#
# <details><summary>Hint 2</summary>
#
# `return 0.01 if epoch < 10 else 0.001`
# </details>
#
# <details><summary>Hint 3 (another way)</summary>
#
# lrlib already has this shape: `my_schedule = lrlib.multistep_decay(0.01, milestones=[10], gamma=0.1)`.
# It also works on a whole array at once. Lesson 02 is about it.
# </details>

# %% [markdown] tags=["lang-zh"]
# **练习 2.** 用上面的 YOLO 配方（`lr=0.01, min_lr=0.0001`，总共 50 轮），算出第 20 轮的学习率，
# 赋给 `lr_at_20`。不要手算，让 lrlib 来算。

# %% [markdown] tags=["lang-en"]
# **Exercise 2.** With the YOLO recipe above (`lr=0.01, min_lr=0.0001`, 50 epochs in all), compute
# the learning rate at epoch 20 and store it in `lr_at_20`. Let lrlib do the arithmetic.

# %% tags=["exercise"]
lr_at_20 = ...  # your code here

ex.check_number(lr_at_20, "sealed:NTc2ODYzNTUxNTE4NDY1NDAwLjA=", rtol=1e-6, name="lr_at_20")

# %% tags=["solution"]
lr_at_20 = lrlib.compat.get_lr_scheduler("cos", lr=0.01, min_lr=0.0001, total_iters=50)(20)

assert ex.check_number(lr_at_20, "sealed:NTc2ODYzNTUxNTE4NDY1NDAwLjA=", rtol=1e-6, name="lr_at_20")

# %% [markdown] tags=["lang-zh"]
# <details><summary>提示 1</summary>
#
# 先用 `lrlib.compat.get_lr_scheduler("cos", ...)` 创建调度，总轮数是 `total_iters=50`。
# </details>
#
# <details><summary>提示 2</summary>
#
# 调度就是一个函数，把 20 传进去调用即可：`schedule(20)`。
# </details>

# %% [markdown] tags=["lang-en"]
# <details><summary>Hint 1</summary>
#
# First build the schedule with `lrlib.compat.get_lr_scheduler("cos", ...)`, with `total_iters=50`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# A schedule is a function: call it with 20, `schedule(20)`.
# </details>

# %% [markdown] tags=["lang-zh"]
# ## 小结
#
# - 学习率调度就是“步数 → 学习率”的函数；lrlib 里每个调度都可以一次算出整条曲线。
# - 第一个代码单元格的 `LANG` 决定显示语言；中英文笔记本的代码完全相同。
# - 整个课程的出发点——YOLO 配方——是二次预热 → 余弦退火 → 恒定尾段，每轮算一次，**从不回升**。
# - 预热和尾段的长度有上限（用这一版的默认值是 3 轮和 15 轮），训练越长，它们占的比例越小。
# - 术语以 lrlib 的术语表为准。
#
# ## 延伸阅读
#
# - 下一课：[01 为什么要调度学习率](01_why_schedule.ipynb)。
# - PyTorch 文档，“How to adjust learning rate”：学习率调度器在训练循环里应该放在哪里调用。
#   <https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate>
# - optax 文档中的调度函数：把调度写成“步数的纯函数”，lrlib 采用的就是这种做法。
#   <https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html>
# - YOLOX 仓库（`yolox/utils/lr_scheduler.py`）：上面那个配方的出处之一。
#   <https://github.com/Megvii-BaseDetection/YOLOX>

# %% [markdown] tags=["lang-en"]
# ## Summary
#
# - A learning-rate schedule is a function from step to learning rate; every lrlib schedule computes
#   a whole curve in one call.
# - `LANG` in the first code cell chooses the language; the code in the English and Chinese notebooks
#   is identical.
# - The YOLO recipe the collection starts from is a quadratic warmup, then cosine annealing, then a
#   constant tail, evaluated once per epoch. It **never** goes back up.
# - The warmup and the tail are capped (3 and 15 epochs with this version's defaults), so the longer you
#   train, the smaller their share.
# - The glossary settles which word to use.
#
# ## Further reading
#
# - Next: [01 Why schedule at all](01_why_schedule.ipynb).
# - PyTorch docs, "How to adjust learning rate": where a scheduler belongs in the training loop.
#   <https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate>
# - The optax schedule functions: schedules as pure functions of the step, the design lrlib follows.
#   <https://optax.readthedocs.io/en/latest/api/optimizer_schedules.html>
# - The YOLOX repository (`yolox/utils/lr_scheduler.py`), one origin of the recipe above.
#   <https://github.com/Megvii-BaseDetection/YOLOX>

# %%
# Drive the explorer from code, so that a broken callback fails the tests.
c = recipe_explorer.controls
c["total_epochs"].value = 300               # the prediction above: the warmup stays 3 epochs, the tail 15
assert recipe_explorer.update() and recipe_explorer.message == ""
x, y = recipe_explorer.lines["lr"].get_data()
expected = lrlib.compat.get_lr_scheduler("cos", lr=c["peak_lr"].value, min_lr=c["min_lr"].value, total_iters=300,
                                         warmup_iters_ratio=c["warmup_ratio"].value)
assert np.allclose(y, expected(np.asarray(x)))
phases = {p.kind: p for p in recipe_explorer.schedule.phases}
assert phases["warmup"].end - phases["warmup"].start == 3 and 300 - phases["constant"].start == 15
c["decay_type"].value = "step"              # the other branch: geometric steps, never rising
assert recipe_explorer.update() and np.all(np.diff(recipe_explorer.lines["lr"].get_ydata()) <= 0)
c["total_epochs"].value = 5                 # fewer epochs than steps: refused, with a message
assert not recipe_explorer.update() and recipe_explorer.message != ""
assert recipe_explorer.schedule.params["total_iters"] == 300   # the last valid curve is kept
assert reset_all() >= 1   # every explorer back where the text above expects it
