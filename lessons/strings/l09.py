"""Display strings of lesson 09: key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    "l09_shape_linear": ("线性冷却", "linear cooldown"),
    "l09_shape_cosine": ("余弦冷却", "cosine cooldown"),
    "l09_shape_sqrt": ("1−√ 冷却", "1−√ cooldown"),
    "l09_shape_short_sqrt": ("1−√", "1−√"),
    "l09_cooldown_values": ("{shape}：冷却进行到 0、1/4、1/2、3/4、1 时，学习率是峰值的 {values}；冷却期间的平均值是峰值的 {mean:.3f}",
                            "{shape}: at 0, 1/4, 1/2, 3/4 and all of the cooldown the learning rate is {values} of the "
                            "peak; its average over the cooldown is {mean:.3f} of the peak"),
    "l09_table_head": ("冷却占比    线性      余弦      1−√", "cooldown    linear    cosine    1−√"),
    "l09_table_row": ("{frac:>6.1%}   {lin:.4f}   {cos:.4f}   {sqrt:.4f}", "{frac:>6.1%}   {lin:.4f}   {cos:.4f}   {sqrt:.4f}"),
    "l09_table_refs": ("对照：余弦退火（整段）{cos:.4f}，恒定学习率 {const:.4f}",
                       "for reference: cosine annealing over the whole run {cos:.4f}, constant learning rate {const:.4f}"),
    "l09_cooldown_fraction": ("冷却占总步数的比例", "cooldown, as a fraction of the run"),
    "l09_final_loss": ("最终期望损失", "final expected loss"),
    "l09_cosine_whole": ("余弦退火（整段）", "cosine annealing (whole run)"),
    "l09_constant": ("恒定学习率", "constant learning rate"),
    "l09_expected_loss": ("期望损失", "expected loss"),
    "l09_run_name": ("{shape}（占 {pct:g}%）", "{shape} over {pct:g}%"),
    "l09_seed_row": ("{name}：精确期望 {exact:.4f}；{n} 个种子 {mean:.4f} ± {sd:.4f}（{lo:.4f}–{hi:.4f}）",
                     "{name}: exact {exact:.4f}; {n} seeds {mean:.4f} ± {sd:.4f} ({lo:.4f}–{hi:.4f})"),
    "l09_seed_verdict": ("{a} 对 {b}：{verdict}", "{a} vs {b}: {verdict}"),
    "l09_differ": ("{who}的每个种子都更低", "every seed of {who} is lower"),
    "l09_within_noise": ("在噪声之内", "within noise"),
    "l09_horizon_head": ("停在第 k 步   为 2000 步设计的余弦   为 k 步设计的余弦   WSD 分支（20% 1−√ 冷却）",
                         "stop at k   cosine planned for 2000   cosine planned for k   WSD branch (20% 1−√ cooldown)"),
    "l09_horizon_row": ("{k:>8}   {long:>14.4f}   {matched:>14.4f}   {branch:>14.4f}",
                        "{k:>9}   {long:>21.4f}   {matched:>20.4f}   {branch:>22.4f}"),
    "l09_lr_when_stopped": ("为 2000 步设计的余弦在第 {k} 步的学习率：{lr:.3f}（峰值是 {peak:g}）",
                            "the learning rate of the cosine planned for 2000 steps at step {k}: {lr:.3f} (peak {peak:g})"),
    "l09_cost": ("要在第 {ks} 步各得到一个退火好的模型：余弦要跑 {cos} 步，WSD 只要 {wsd} 步",
                 "an annealed model at each of steps {ks}: cosine needs {cos} steps in all, WSD {wsd}"),
    "l09_stable_run": ("稳定阶段（恒定峰值）", "stable phase (constant peak)"),
    "l09_branches": ("从稳定阶段分出的冷却", "cooldowns branched off the stable phase"),
    "l09_cosine_long": ("为 2000 步设计的余弦", "cosine planned for 2000 steps"),
    "l09_cosine_matched": ("为 k 步设计的余弦（终点）", "cosine planned for k steps (its end)"),
    "l09_one_cycle_facts": ("单周期策略：起点 {first:.4g}，第 {peak_step} 步到峰值 {peak:g}，最后一步 {last:.3g}（起点的 {ratio:.0e} 倍）",
                            "one-cycle: starts at {first:.4g}, peaks at {peak:g} at step {peak_step}, ends at {last:.3g} "
                            "({ratio:.0e} times the start)"),
    "l09_final_three": ("最终期望损失：余弦退火 {cos:.4f}，单周期策略 {oc:.4f}，WSD（40% 1−√ 冷却）{wsd:.4f}",
                        "final expected loss: cosine annealing {cos:.4f}, one-cycle {oc:.4f}, WSD (40% 1−√ cooldown) {wsd:.4f}"),
    "l09_short_climb": ("只爬坡 5%（pct_start=0.05）的单周期策略：最终期望损失 {oc:.4f}",
                        "one-cycle climbing for only 5% of the run (pct_start=0.05): final expected loss {oc:.4f}"),
    "l09_torch_skipped": ("没有安装 PyTorch：跳过和 OneCycleLR 的对照（第 10 课讲怎么安装）。",
                          "PyTorch is not installed: the comparison with OneCycleLR is skipped (lesson 10 says how to "
                          "install it)."),
    "l09_torch_one_cycle": ("PyTorch {version}：默认参数的 OneCycleLR 在全部 {n} 步设置的学习率和 lrlib.one_cycle 一致"
                            "（最大相差 {gap:.1e}）；用 momentum=0 创建的 SGD，动量被它改成了 {m0:g}（起点）、"
                            "{m_peak:g}（峰值处）、{m_last:g}（最后一步）。",
                            "PyTorch {version}: OneCycleLR with its defaults sets the same learning rate as "
                            "lrlib.one_cycle at all {n} steps (largest difference {gap:.1e}); the momentum of an SGD "
                            "created with momentum=0 became {m0:g} at the start, {m_peak:g} at the peak and "
                            "{m_last:g} at the last step."),
    "l09_wsd_label": ("WSD（20% 1−√ 冷却）", "WSD (20% 1−√ cooldown)"),
    "l09_one_cycle_label": ("单周期策略", "one-cycle policy"),
    "l09_ctl_fraction": ("冷却占比", "cooldown fraction"),
    "l09_ctl_shape": ("冷却形状", "cooldown shape"),
    "l09_readout": ("冷却从第 {start:.0f} 步开始；最终期望损失 {final:.4f}，整段余弦退火是 {cos:.4f}（{verdict}）",
                    "the cooldown starts at step {start:.0f}; final expected loss {final:.4f}, against {cos:.4f} for "
                    "cosine annealing over the whole run ({verdict})"),
    "l09_better": ("比余弦低", "lower than cosine"),
    "l09_worse": ("比余弦高", "higher than cosine"),
    "l09_update_time": ("控件每次更新：算调度和损失 {compute:.0f} 毫秒，连同画图 {total:.0f} 毫秒",
                        "one explorer update: {compute:.0f} ms to compute the schedule and the loss, {total:.0f} ms "
                        "including the drawing"),
    "l09_yours": ("你的调度：最终期望损失 {mine:.4f}；lrlib.wsd 的同一调度：{ref:.4f}",
                  "your schedule: final expected loss {mine:.4f}; the same schedule from lrlib.wsd: {ref:.4f}"),
    "l09_fb_a": ("为 2000 步设计的余弦停在第 1000 步时，学习率还有峰值的一半，退火根本没做完。",
                 "A cosine planned for 2000 steps and stopped at step 1000 still runs at half the peak: the annealing "
                 "is far from done."),
    "l09_fb_c": ("恒定学习率会停在它的噪声地板上，不冷却就降不下去。",
                 "A constant learning rate stays on its noise floor; without a cooldown the loss does not come down."),
    "l09_fb_d": ("每次重启都把学习率拉回峰值，损失也跟着回升；只有每个周期的末尾才有退火好的模型，周期长度仍要事先定好。",
                 "Each restart sends the learning rate back to the peak and the loss back up; you only get an annealed "
                 "model at the end of a cycle, and the cycle lengths still have to be planned."),
}
