"""lrcourse: what the lessons use beside lrlib: explorers, experiments, exercises, the course's words.

    >>> import lrcourse
    >>> lrcourse.set_language("zh"); lrcourse.t("learning_rate")
    '学习率'
    >>> lrcourse.set_language("en")

It depends on lrlib (the schedules); lrlib never imports it. The explorers
(:mod:`lrcourse.explorers`, ipywidgets), the figures (:mod:`lrcourse.figures`,
matplotlib) and the experiments (:mod:`lrcourse.experiments`) load only when imported.
"""

from .i18n import get_language, lesson_language, set_language, t

__version__ = "0.2.0"

__all__ = ["set_language", "get_language", "lesson_language", "t"]
