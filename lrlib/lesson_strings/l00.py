"""Display strings of lesson 00: key -> (zh, en). Merged into ``lrlib.i18n.STRINGS``."""

STRINGS = {
    "l00_col_zh": ("中文", "Chinese"),
    "l00_col_en": ("英文", "English"),
    "l00_col_key": ("代码里的名字", "name in code"),
}
