"""Display strings of lesson 06: key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    # figures
    "l06_cosine_only": ("余弦退火（不重启），T = {T:g} 轮", "cosine annealing (no restart), T = {T:g} epochs"),
    "l06_sgdr": ("热重启：T0 = {t0:g}，T_mult = {m:g}", "warm restarts: T0 = {t0:g}, T_mult = {m:g}"),
    "l06_restart_marks": ("重启", "restarts"),
    "l06_own_cos": ("正好在此结束的余弦退火", "a cosine that ends here"),
    "l06_warm": ("热重启（权重和动量保留）", "warm restart (weights and momentum kept)"),
    "l06_cold": ("冷重启（重新初始化）", "cold restart (re-initialised)"),
    "l06_restart_here": ("第 {k} 步重启", "restart at step {k}"),
    "l06_sgdr_nqm": ("SGDR（T0 = 100，T_mult = 2）", "SGDR (T0 = 100, T_mult = 2)"),
    "l06_cos_nqm": ("余弦退火，T = {T}", "cosine annealing, T = {T}"),
    "l06_step_nqm": ("阶梯衰减（× 0.2）", "step decay (× 0.2)"),
    "l06_expected_loss": ("期望损失", "expected loss"),
    # printouts
    "l06_restarts_row": ("T0 = {t0:g}，T_mult = {m:g}：从曲线上找到的重启 {found}；公式 {formula}",
                         "T0 = {t0:g}, T_mult = {m:g}: restarts found on the curve {found}; formula {formula}"),
    "l06_paper_row": ("T0 = {t0:<3g} T_mult = {m:g}：200 轮内重启于 {restarts}；最后一个完整周期结束于第 {last:g} 轮；"
                      "第 200 轮的学习率是峰值的 {frac:.0%}",
                      "T0 = {t0:<3g} T_mult = {m:g}: restarts within 200 epochs at {restarts}; last complete cycle ends "
                      "at epoch {last:g}; the learning rate at epoch 200 is {frac:.0%} of the peak"),
    "l06_log_round": ("浮点数算出 log_3(243) = {log!r}；直接向下取整得第 {naive} 个周期，核对后是第 {fixed} 个：T_cur = {cur:g}，"
                      "T_i = {len:g}，学习率 {lr:g}",
                      "in floating point log_3(243) = {log!r}; rounding down gives cycle {naive}, the check corrects it to "
                      "{fixed}: T_cur = {cur:g}, T_i = {len:g}, lr = {lr:g}"),
    "l06_rises": ("40 轮里学习率回升的次数：余弦退火 {cos}，T0 = 1、T_mult = 2 的热重启 {sgdr}（若“每轮重启”则是 {every}）",
                  "times the learning rate goes up in 40 epochs: cosine annealing {cos}, warm restarts with T0 = 1, "
                  "T_mult = 2: {sgdr} (restarting \"every epoch\" would be {every})"),
    "l06_per_epoch": ("每轮只更新一次时，第 0–7 轮的学习率（峰值的倍数）：{values}",
                      "updated once per epoch, the learning rate at epochs 0–7 (times the peak): {values}"),
    "l06_warm_cold_row": ("{name}：重启前 {pre:.4f}，重启后 10 步内最高 {after:.4f}，第 {end} 步 {final:.4f} ± {sd:.4f}",
                          "{name}: before the restart {pre:.4f}, highest in the 10 steps after it {after:.4f}, "
                          "at step {end} {final:.4f} ± {sd:.4f}"),
    "l06_initial_loss": ("起点的损失：{loss:.4f}", "loss at the start: {loss:.4f}"),
    "l06_nqm_row": ("第 {step:>4} 步：SGDR {sgdr:.3f}（重启后一步 {after}）；余弦 T=1500 {cos:.3f}；阶梯衰减 {step_decay:.3f}；"
                    "以此为终点的余弦 {own:.3f}",
                    "step {step:>4}: SGDR {sgdr:.3f} (one step after the restart: {after}); cosine T=1500 {cos:.3f}; "
                    "step decay {step_decay:.3f}; a cosine that ends here {own:.3f}"),
    "l06_sampled_row": ("5 个种子的实际运行，第 {step} 步：SGDR {sgdr}；余弦 T=1500 {cos}",
                        "5 seeds of actual SGD, step {step}: SGDR {sgdr}; cosine T=1500 {cos}"),
    "l06_spread": ("{mean:.4f}（{lo:.4f}–{hi:.4f}）", "{mean:.4f} ({lo:.4f}–{hi:.4f})"),
    "l06_bias_row": ("1000 个方向（许多方向还远没走到最小值）：第 {step} 步 SGDR {sgdr:.3f}，余弦 T=1500 {cos:.3f}",
                     "1000 directions (many still far from the minimum): step {step}, SGDR {sgdr:.3f}, "
                     "cosine T=1500 {cos:.3f}"),
    "l06_noiseless_row": ("{n} 个方向、关掉噪声，第 100、300、700 步：SGDR [{sgdr}]；余弦 T=1500 [{cos}]",
                          "{n} directions, noise switched off, steps 100, 300, 700: SGDR [{sgdr}]; cosine T=1500 [{cos}]"),
    "l06_noise_share": ("{n} 个方向：第 100、300、700 步，噪声在余弦退火损失中的占比 {shares}",
                        "{n} directions: share of cosine annealing's loss due to noise at steps 100, 300, 700: {shares}"),
    "l06_no_torch": ("没有安装 PyTorch，跳过这一节的对比（本课其余部分不需要它）。",
                     "PyTorch is not installed, so this comparison is skipped (nothing else in the lesson needs it)."),
    "l06_torch_gap": ("PyTorch {version}：按 step(epoch + i/iters) 每次迭代更新，与 lrlib 最多相差 {gap:.1e}",
                      "PyTorch {version}: stepped every iteration with step(epoch + i/iters), at most {gap:.1e} away "
                      "from lrlib"),
    "l06_torch_buffer": ("动量缓冲区在重启前后：{before:.4f} → {after:.4f}（没有清零）",
                         "momentum buffer across the restart: {before:.4f} → {after:.4f} (not reset)"),
    "l06_torch_round": ("在第 121.0 轮调用 step：PyTorch 给出 {torch_lr:g}，lrlib 给出 {lrlib_lr:g}",
                        "step(121.0): PyTorch gives {torch_lr:g}, lrlib gives {lrlib_lr:g}"),
    # exercise feedback
    "l06_fb_a": ("热重启不会重新初始化模型：那样每个周期都要从头学起。",
                 "A warm restart does not re-initialise the model: every cycle would start learning from scratch."),
    "l06_fb_b": ("SGDR 只改学习率这一个数，优化器里的动量缓冲区原样保留。",
                 "SGDR changes one number, the learning rate; the optimizer's momentum buffers are kept as they are."),
    "l06_fb_d": ("重启时变的正是学习率：它跳回（可能已衰减的）峰值。",
                 "The learning rate is exactly what changes at a restart: it jumps back to the (possibly decayed) peak."),
}
