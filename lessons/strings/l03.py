"""Display strings of lesson 03 (cosine annealing): key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    # figures
    "l03_u_axis": ("u（弧度）", "u (radians)"),
    "l03_fraction_axis": ("t / T（已经走完的比例）", "t / T (fraction of the run done)"),
    "l03_fraction_of_peak": ("峰值的比例", "fraction of the peak"),
    "l03_difference": ("余弦退火 - 线性衰减", "cosine - linear"),
    "l03_floor_line": ("下限 η_min", "floor η_min"),
    "l03_lrlib_holds": ("lrlib.cosine_decay：过了 T 保持下限", "lrlib.cosine_decay: holds the floor past T"),
    "l03_torch_climbs": ("PyTorch CosineAnnealingLR：过了 T_max 又爬回去",
                         "PyTorch CosineAnnealingLR: climbs back up past T_max"),
    "l03_intended": ("本意：T = 1000 次迭代", "intended: T = 1000 iterations"),
    "l03_wrong_lrlib": ("T = 20 却每次迭代调用（lrlib）", "T = 20 but called every iteration (lrlib)"),
    "l03_wrong_torch": ("T_max = 20 却每次迭代 step()（PyTorch）", "T_max = 20 but step() every iteration (PyTorch)"),
    # printouts
    "l03_vs_lrlib": ("自己写的式子与 lrlib.cosine_decay 的最大相对误差：{err:.1e}",
                     "largest relative difference between our expression and lrlib.cosine_decay: {err:.1e}"),
    "l03_three_values": ("η(0) = {a:.4f}，η(T/2) = {b:.4f}（峰值和下限的正中间），η(T) = {c:.4f}",
                         "η(0) = {a:.4f}, η(T/2) = {b:.4f} (halfway between peak and floor), η(T) = {c:.4f}"),
    "l03_last_step": ("一百万步、下限 0 的最后一步：真值 {exact:.7e}，1 + cos 算出 {naive:.7e}（相对误差 {err_naive:.1e}），"
                      "lrlib 算出 {ours:.7e}（相对误差 {err_ours:.1e}）",
                      "last step of a million, floor 0: true value {exact:.7e}; 1 + cos gives {naive:.7e} "
                      "(relative error {err_naive:.1e}); lrlib gives {ours:.7e} (relative error {err_ours:.1e})"),
    "l03_recipe_diff": ("原始函数与 lrlib 的最大相对差别：{rel:.1e}（第 {step} 步），换算成峰值的比例：{peak_share:.1e}",
                        "largest relative difference, original against lrlib: {rel:.1e} (step {step}); "
                        "as a share of the peak: {peak_share:.1e}"),
    "l03_alpha_form": ("写成“比例 α”的形式（optax、Keras 的写法）与本课公式的最大相对误差：{err:.1e}",
                       "the “ratio α” form (as in optax and Keras) against our formula, largest relative difference: {err:.1e}"),
    "l03_at_09": ("在 t = 0.9·T：余弦退火是峰值的 {cos:.2%}，线性衰减是 {lin:.2%}",
                  "at t = 0.9·T: cosine annealing is at {cos:.2%} of the peak, linear decay at {lin:.2%}"),
    "l03_max_gap": ("余弦比线性最多高出峰值的 {gap:.1%}（在 t = {p1:.3f}·T），最多低 {gap:.1%}（在 t = {p2:.3f}·T）",
                    "cosine is at most {gap:.1%} of the peak above linear (at t = {p1:.3f}·T) and at most {gap:.1%} "
                    "below it (at t = {p2:.3f}·T)"),
    "l03_slopes": ("t = 0.9·T 处的斜率（每走完整个 T，下降峰值的多少倍）：余弦退火 {cos:.3f}，线性衰减 {lin:.3f}",
                   "slope at t = 0.9·T (in peaks per T): cosine annealing {cos:.3f}, linear decay {lin:.3f}"),
    "l03_means": ("整段的平均学习率（峰值的比例）：余弦退火 {cos:.4f}，线性衰减 {lin:.4f}",
                  "average learning rate over the run (fraction of the peak): cosine annealing {cos:.4f}, linear decay {lin:.4f}"),
    "l03_epoch90": ("第 90 轮：余弦退火 {cos:.3g}，线性衰减 {lin:.3g}，阶梯衰减 {step:.3g}",
                    "epoch 90: cosine annealing {cos:.3g}, linear decay {lin:.3g}, step decay {step:.3g}"),
    "l03_epoch_row": ("第 {e:>2} 轮：lrlib {a:.2e}，PyTorch {b:.2e}", "epoch {e:>2}: lrlib {a:.2e}, PyTorch {b:.2e}"),
    "l03_torch_agrees": ("真正的 CosineAnnealingLR（torch {version}），{n} 轮：与闭式公式的最大相对误差 {err:.1e}",
                         "the real CosineAnnealingLR (torch {version}), {n} epochs: largest relative difference "
                         "from the closed form {err:.1e}"),
    "l03_torch_skipped": ("没有安装 PyTorch：跳过这一步（上面的闭式公式就是它的文档给出的公式）。",
                          "PyTorch is not installed: skipped (the closed form above is the formula its documentation gives)."),
    "l03_units_summary": ("本意：到第 {iters} 次迭代才降到下限。T = 20 却每次迭代调用：第 {wrong_at} 次迭代（第 {wrong_epoch} 轮）"
                          "就到了下限，之后 {frac:.0%} 的训练都停在下限；PyTorch 则在 {iters} 次迭代里回到峰值 {returns} 次。",
                          "intended: the floor at iteration {iters}. T = 20 called every iteration: the floor already at "
                          "iteration {wrong_at} (epoch {wrong_epoch}), and {frac:.0%} of training sits on it; PyTorch "
                          "instead returns to the peak {returns} times in {iters} iterations."),
    "l03_gap_row": ("每轮迭代 {ipe:>2} 次：阶梯和平滑曲线最多相差峰值的 {pct:.1%}，在第 {epoch:.2f} 轮（预热之内）；"
                    "余弦段里最多相差 {cos_pct:.1%}",
                    "{ipe:>2} iterations per epoch: staircase and smooth curve differ by up to {pct:.1%} of the peak, "
                    "at epoch {epoch:.2f} (inside the warmup); within the cosine part by up to {cos_pct:.1%}"),
    "l03_rises": ("在 0 到 3T 之间：lrlib.cosine_decay 上升 {a} 次；热重启（每 {cycle} 步一个周期）跳回峰值 {b} 次",
                  "between 0 and 3T: lrlib.cosine_decay goes up {a} times; warm restarts (a cycle every {cycle} steps) "
                  "jump back to the peak {b} times"),
    "l03_below_10": ("低于峰值 10% 的时间：余弦退火占整段的 {cos:.1%}，线性衰减占 {lin:.1%}",
                     "time spent below 10% of the peak: cosine annealing {cos:.1%} of the run, linear decay {lin:.1%}"),
    # exercise 3 feedback
    "l03_fb_a": ("停在下限是 lrlib 的做法；CosineAnnealingLR 不会停，它的 T_cur 一直往上数。",
                 "Holding the floor is what lrlib does; CosineAnnealingLR does not stop, its T_cur keeps counting."),
    "l03_fb_c": ("一下子跳回峰值是热重启（SGDR）；CosineAnnealingLR 从不重启，它是慢慢爬回去的。",
                 "Jumping straight back to the peak is a warm restart (SGDR); CosineAnnealingLR never restarts, it climbs back gradually."),
    "l03_fb_d": ("它不会报错，也不会警告：公式里的余弦对任何 T_cur 都有定义。",
                 "It raises nothing and warns about nothing: the cosine in its formula is defined for any T_cur."),
}
