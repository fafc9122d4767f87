"""Display strings of lesson 10 (PyTorch in practice): key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    "l10_torch_found": ("找到了 PyTorch {version}：下面带 PyTorch 的单元格都会运行。",
                        "PyTorch {version} found: the PyTorch cells below will run."),
    "l10_install_torch": ("（这一格需要 PyTorch，当前环境里没有，所以跳过。只装 CPU 版就够了："
                          "pip install torch --index-url https://download.pytorch.org/whl/cpu ，装好后重启内核再运行。"
                          "不用 PyTorch 的单元格照常运行。）",
                          "(This cell needs PyTorch, which is not installed here, so it is skipped. The CPU build is "
                          "enough: pip install torch --index-url https://download.pytorch.org/whl/cpu , then restart "
                          "the kernel and run again. The cells that do not need PyTorch still run.)"),
    "l10_granularity_head": ("迭代  轮   按迭代设置的学习率  按轮设置的学习率",
                             "iter  epoch  lr per iteration  lr per epoch"),
    "l10_both_match": ("ScheduleLR 在全部 {n} 步里设置的学习率，和 lrlib 直接算出的值一致（两种粒度都是）。",
                       "ScheduleLR set, at all {n} steps, the learning rate lrlib computes directly (both granularities)."),
    "l10_gap": ("两条曲线相差最大的是第 {k} 次迭代（第 {epoch} 轮的最后一次）：按轮 {a:.5f}，按迭代 {b:.5f}，"
                "差了峰值的 {pct:.1f}%。",
                "The curves differ most at iteration {k} (the last of epoch {epoch}): per epoch {a:.5f}, per "
                "iteration {b:.5f}, {pct:.1f}% of the peak apart."),
    "l10_order_right": ("先 optimizer.step() 再 scheduler.step()：", "optimizer.step() then scheduler.step():"),
    "l10_order_wrong": ("先 scheduler.step() 再 optimizer.step()：", "scheduler.step() then optimizer.step():"),
    "l10_caught": ("捕获到 PyTorch 的警告（{kind}）：{text}", "PyTorch warned ({kind}): {text}"),
    "l10_schedule_curve": ("lrlib 的调度 f", "the lrlib schedule f"),
    "l10_used_right": ("实际用的：先 optimizer.step()", "used: optimizer.step() first"),
    "l10_used_wrong": ("实际用的：先 scheduler.step()", "used: scheduler.step() first"),
    "l10_measured": ("从权重的变化反推出的学习率，与 f 的最大相对误差：正确顺序 {right:.1e}；错误顺序下整体提前了一步。",
                     "Learning rate recovered from the change in the weights, largest relative error against f: "
                     "{right:.1e} in the right order; in the wrong order everything comes one step early."),
    "l10_resume": ("中断后恢复：学习率序列与不中断时最大相差 {lr_gap:.1e}，最终权重最大相差 {w_gap:.1e}。",
                   "Interrupted and resumed: the lr sequence differs from the uninterrupted run by at most "
                   "{lr_gap:.1e}, the final weights by at most {w_gap:.1e}."),
    "l10_forgot": ("忘了恢复调度器：恢复后的第 2 步用的是 {got:.4f}，应当是 {want:.4f}——预热从头又来了一遍。",
                   "Scheduler state not restored: the second step after resuming used {got:.4f} instead of "
                   "{want:.4f}; the warmup starts all over again."),
    "l10_forgot_late": ("先加载优化器状态、再新建调度器：恢复后的第 1 步就用了 {got:.4f}，应当是 {want:.4f}。",
                        "Optimizer state loaded first, then a new scheduler: the first step after resuming already "
                        "used {got:.4f} instead of {want:.4f}."),
    "l10_epoch_table_head": ("轮   本该用的 f(轮)  训练后才设置  训练前设置  用 ScheduleLR",
                             "epoch  meant f(epoch)  set after   set before  ScheduleLR"),
    "l10_epoch_table_head_pure": ("轮   本该用的 f(轮)  训练后才设置  训练前设置",
                                  "epoch  meant f(epoch)  set after   set before"),
    "l10_native_past": ("越过 T_max = {t_max} 之后：CosineAnnealingLR 在第 {k} 步回到 {native:.3f}；"
                        "lrlib.cosine_decay 停在 {ours:.3f}。",
                        "Past T_max = {t_max}: CosineAnnealingLR is back at {native:.3f} at step {k}; "
                        "lrlib.cosine_decay stays at {ours:.3f}."),
    "l10_fb_early": ("这样调度器先走了一步：第一个值被跳过，之后每一步都提前用了下一个值。",
                     "Then the scheduler moves first: its first value is skipped and every step uses the next one early."),
    "l10_fb_matters": ("顺序有影响：上面的追踪显示，顺序错了，整条学习率序列会提前一步。",
                       "It does matter: the trace above shows the whole sequence one step early in the wrong order."),
}
