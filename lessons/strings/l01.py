"""Display strings of lesson 01: key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    "l01_lr_h": ("学习率 × h = {v:g}", "lr × h = {v:g}"),
    "l01_abs_x": ("|x|（到最小值的距离）", "|x| (distance to the minimum)"),
    "l01_largest_stable": ("扫描找到的最大稳定学习率：{found:.3f}；公式 2/h = {bound:.3f}",
                           "largest stable learning rate found by the scan: {found:.3f}; formula 2/h = {bound:.3f}"),
    "l01_factor_readout": ("每一步 x 乘以 1 − 学习率 × h = {q:+.2f}：{verdict}",
                           "each step multiplies x by 1 − lr × h = {q:+.2f}: {verdict}"),
    "l01_converges": ("收敛", "converges"),
    "l01_oscillates": ("来回变号，但仍收敛", "flips sign, but converges"),
    "l01_bounces": ("在 +x₀ 和 −x₀ 之间永远来回跳，幅度不增也不减",
                    "bounces between +x₀ and −x₀ forever, its size neither shrinking nor growing"),
    "l01_steps_row": ("学习率 {lr:<5g}：x₁/x₀ = {q:+.2f}，|x₃₀| = {x30:.3g}",
                      "lr = {lr:<5g} x1/x0 = {q:+.2f}   |x30| = {x30:.3g}"),
    "l01_two_directions_row": ("学习率 {lr}：100 步后 |x| = {flat:.2g}（h = {h_flat:g}），{steep:.2g}（h = {h_steep:g}）",
                               "lr = {lr}: |x100| = {flat:.2g} (h = {h_flat:g}), {steep:.2g} (h = {h_steep:g})"),
    "l01_start_ratio": ("余弦退火，起点 0.5 与起点 0.1 的最终损失之比：平均 {mean:.2f}（{n} 个种子里 {lo:.2f} 到 {hi:.2f}）；"
                        "恒定学习率 0.5 与 0.1 的地板之比：{floor:.2f}",
                        "cosine annealing, final loss starting at 0.5 over starting at 0.1: {mean:.2f} on average "
                        "({lo:.2f} to {hi:.2f} over {n} seeds); noise floor of a constant 0.5 over 0.1: {floor:.2f}"),
    "l01_shape_vs_decay": ("形状的差别 log(余弦 / 多阶梯) = {shape:.3f}（各种子 {lo:.3f} 到 {hi:.3f}）；"
                           "衰减与否的差别 log(恒定 / 余弦) = {decay:.2f}",
                           "shape: log(cosine / multistep) = {shape:.3f} (seeds {lo:.3f} to {hi:.3f}); "
                           "decaying or not: log(constant / cosine) = {decay:.2f}"),
    "l01_adam": ("Adam，{what}", "Adam, {what}"),
    "l01_adam_stall": ("Adam，恒定 0.1：各种子 L(1000) / L(500) = {lo:.2f} 到 {hi:.2f}；"
                       "每步的均方根步长，前 10 步是学习率的 {early:.2f} 倍，后 500 步是 {late:.2f} 倍",
                       "Adam, constant 0.1: L(1000) / L(500) = {lo:.2f} to {hi:.2f} over the seeds; RMS step "
                       "size {early:.2f} × lr over the first 10 steps, {late:.2f} × lr over the last 500"),
    "l01_diverges": ("发散", "diverges"),
    "l01_seed": ("种子 {k}", "seed {k}"),
    "l01_floor_row": ("学习率 {lr:<4g}：模拟的地板 {sim:.4f} ± {sd:.4f}，公式 {formula:.4f}",
                      "lr {lr:<4g}: simulated floor {sim:.4f} ± {sd:.4f}, formula {formula:.4f}"),
    "l01_floor_formula": ("公式", "formula"),
    "l01_simulated": ("模拟（{n} 个种子）", "simulated ({n} seeds)"),
    "l01_constant": ("恒定 {lr:g}", "constant {lr:g}"),
    "l01_final_row": ("{name}：最终损失 {mean:.4f} ± {sd:.4f}（最低 {lo:.4f}，最高 {hi:.4f}）",
                      "{name}: final loss {mean:.4f} ± {sd:.4f} (lowest {lo:.4f}, highest {hi:.4f})"),
    "l01_end_lr_row": ("终点学习率 {end:<5g}：最终损失 {loss:.5f} ± {sd:.5f}（该学习率的地板 {floor:.5f}）",
                       "end lr {end:<5g}: final loss {loss:.5f} ± {sd:.5f} (the floor at that lr: {floor:.5f})"),
    "l01_constant_kind": ("恒定", "constant"),
    "l01_nf_readout": ("最终损失 {final:.4f}；同样大小的恒定学习率的噪声地板 {floor:.4f}",
                       "final loss {final:.4f}; noise floor of a constant learning rate this size: {floor:.4f}"),
    "l01_yours": ("你的调度：最终损失 {mine:.4f} ± {sd:.4f}；恒定 0.1：{const:.4f}；余弦退火：{cos:.4f}",
                  "your schedule: final loss {mine:.4f} ± {sd:.4f}; constant 0.1: {const:.4f}; cosine annealing: {cos:.4f}"),
}
