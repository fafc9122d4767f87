"""Display strings of lesson 04 (warmup): key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    # the four shapes
    "l04_frac_done": ("预热进度 p = t / W", "warmup progress p = t / W"),
    "l04_lr_over_peak": ("学习率 / 峰值学习率", "learning rate / peak learning rate"),
    "l04_from_zero": ("从 0 开始", "starting from 0"),
    "l04_from_ratio": ("从峰值的 {r:g} 倍开始", "starting from {r:g} × the peak"),
    "l04_shape_row": ("{shape:<4}起点 {v0:.4f}，一半处 {vh:.4f}，终点 {v1:.4f}，之后 {after:.4f}",
                      "{shape:<12}start {v0:.4f}, half-way {vh:.4f}, end {v1:.4f}, after {after:.4f}"),
    "l04_exp_zero": ("指数预热不能从 0 开始，lrlib 直接拒绝：{msg}",
                     "an exponential warmup cannot start from 0, and lrlib refuses it: {msg}"),
    "l04_goyal_row": ("批量 {b}：从 {start:g} 线性升到 {peak:g}，共 {w} 次迭代，每次迭代加 {inc:.5f}",
                      "batch {b}: linear from {start:g} to {peak:g} over {w} iterations, {inc:.5f} more each iteration"),
    # who uses which
    "l04_seed_fit": ("YOLO 配方的预热 vs {shape:<4}形状：最大相差峰值的 {err:.1%}",
                     "the YOLO recipe's warmup vs the {shape:<11} shape: largest gap {err:.1%} of the peak"),
    "l04_sgdr_rises": ("热重启（SGDR）第 0 步就在峰值 {lr0:g}；学习率只在这些步上升过：{steps}（都是重启时的跳变）",
                       "warm restarts (SGDR) are at the peak {lr0:g} from step 0; the learning rate rises only at "
                       "steps {steps} (the restarts, which are jumps)"),
    # the toy with a steep start
    "l04_abs_x": ("|x|（到最小值的距离）", "|x| (distance to the minimum)"),
    "l04_const": ("恒定 {lr:g}", "constant {lr:g}"),
    "l04_warm": ("预热 {w} 步到 {lr:g}", "warmup to {lr:g} over {w} steps"),
    "l04_local_limit": ("局部上限 2/f''(x)", "local limit 2/f''(x)"),
    "l04_toy_diverged": ("{name}：第 {k} 步 |x| 超过 10⁶，发散", "{name}: |x| passes 10⁶ at step {k}, diverged"),
    "l04_toy_converged": ("{name}：|x| 最大 {xmax:.3g}，第 {k} 步起小于 10⁻⁶",
                          "{name}: largest |x| {xmax:.3g}, below 10⁻⁶ from step {k} on"),
    "l04_toy_slow": ("{name}：|x| 最大 {xmax:.3g}，走了 {n} 步后 |x| = {xend:.2g}，还没到 10⁻⁶",
                     "{name}: largest |x| {xmax:.3g}; after {n} steps |x| = {xend:.2g}, not yet below 10⁻⁶"),
    "l04_steep_start": ("起点 x = {x0:g} 处曲率 f''(x) = {h:g}，稳定上限 2/f'' = {limit:.3f}；在最小值处曲率 1，上限 2",
                        "at the start x = {x0:g} the curvature is f''(x) = {h:g}, so the limit 2/f'' is {limit:.3f}; "
                        "at the minimum the curvature is 1 and the limit 2"),
    "l04_flat_start": ("从 x = {x0:g} 出发（不用爬坡）：恒定 {lr:g} 第 {k_const} 步、预热第 {k_warm} 步才小于 10⁻⁶",
                       "starting at x = {x0:g} (nothing to fix): below 10⁻⁶ at step {k_const} with a constant {lr:g}, "
                       "at step {k_warm} with the warmup"),
    # Adam's first step
    "l04_adam_first": ("梯度大小从 {lo:.0e} 到 {hi:.0e}；Adam 第一步让每个参数移动 {smin:.5f} 到 {smax:.5f}（学习率 {lr:g}）",
                       "gradients from {lo:.0e} to {hi:.0e} in size; Adam's first step moves every parameter by "
                       "{smin:.5f} to {smax:.5f} (learning rate {lr:g})"),
    "l04_adam_layer": ("一个 128×128 的权重矩阵：初始范数约 {w0:.1f}，Adam 第一步就移动 {step:.2f}，是它的 {pct:.0%}",
                       "a 128×128 weight matrix: initial norm about {w0:.1f}; Adam's first step alone moves it by "
                       "{step:.2f}, {pct:.0%} of that"),
    # the measurements
    "l04_no_warmup": ("不预热", "no warmup"),
    "l04_with_warmup": ("预热 {w:g} 轮", "{w:g}-epoch warmup"),
    "l04_batch_loss": ("每个小批量的损失", "minibatch loss"),
    "l04_adam_title": ("Adam，峰值学习率 {lr:g}", "Adam, peak learning rate {lr:g}"),
    "l04_sgd_title": ("SGD，峰值学习率 {lr:g}", "SGD, peak learning rate {lr:g}"),
    "l04_spread": ("{mean:.3f} ± {sd:.3f}（最低 {lo:.3f}，最高 {hi:.3f}）",
                   "{mean:.3f} ± {sd:.3f} (lowest {lo:.3f}, highest {hi:.3f})"),
    "l04_row": ("{opt} · {name:<5} {what}：{spread}", "{opt} · {name:<16} {what}: {spread}"),
    "l04_max_loss": ("最大批损失", "largest minibatch loss"),
    "l04_max_over_start": ("最大批损失 / 起始损失", "largest / first minibatch loss"),
    "l04_final_loss": ("最终训练损失", "final training loss"),
    "l04_final_acc": ("最终测试准确率", "final test accuracy"),
    "l04_separated": ("→ 每个种子都分得开：差别大于种子间的波动", "→ every seed on one side: beyond the seed-to-seed noise"),
    "l04_overlap": ("→ 种子之间有重叠：差别在噪声之内", "→ the seeds overlap: within the noise"),
    # exercises
    "l04_fb_quadratic": ("二次形状开头最平：在 25% 处只走了 (1/4)² = 1/16 的路。",
                         "The quadratic is the flattest at the start: at 25 % it has gone (1/4)² = 1/16 of the way."),
    "l04_fb_cosine": ("余弦形状在前半段低于直线，后半段才高于直线。",
                      "The cosine lies below the straight line in the first half and above it only in the second."),
    "l04_fb_exponential": ("指数形状每步乘同一个数，开头涨得最慢的一段恰好在前面。",
                           "The exponential multiplies by the same factor each step, so its slowest climbing is at the start."),
    "l04_as_prefix": ("接在前面（余弦从预热结束时开始计时）", "as a prefix (the cosine starts when the warmup ends)"),
    "l04_as_overlay": ("盖在上面（余弦从第 0 步开始计时）", "as an overlay (the cosine counts from step 0)"),
    "l04_overlay_join": ("盖在上面：第 {w} 步的学习率 = 峰值 × {v:.4f}；整段平均比接在前面低峰值的 {gap:.3f} 倍；"
                         "300 轮里预热 5 轮时，接缝处是峰值 × {small:.4f}",
                         "overlay: the learning rate at step {w} = peak × {v:.4f}; on average {gap:.3f} × peak below "
                         "the prefix version; with 5 warmup epochs in 300, peak × {small:.4f} at the join"),
}
