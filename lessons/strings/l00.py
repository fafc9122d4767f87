"""Display strings of lesson 00: key -> (zh, en). Merged into ``lrcourse.i18n.STRINGS``."""

STRINGS = {
    "l00_col_zh": ("中文", "Chinese"),
    "l00_col_en": ("英文", "English"),
    "l00_col_key": ("代码里的名字", "name in code"),
    "l00_warmup_values": ("预热段：{lrs}｜(t/W)²：{quad}", "warmup: {lrs} | (t/W)^2: {quad}"),
    "l00_lengths_row": ("共 {n:>3} 轮：预热 {warm:g} 轮，恒定尾段 {tail:g} 轮",
                        "{n:>3} epochs: warmup {warm:g}, constant tail {tail:g}"),
}
