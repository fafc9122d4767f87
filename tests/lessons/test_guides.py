"""Every lesson has a teacher's guide in both languages (``teacher/guides/{zh,en}/NN_slug.md``) that a
teacher can run a class period from: objectives; a 45-minute plan with what to cut when time runs short;
each predict-first question of the lesson with its answer; discussion prompts; every exercise with its
solution and grading notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
LESSONS = sorted(p.stem for p in (ROOT / "lessons" / "en").glob("[0-9][0-9]_*.md") if not p.stem.endswith("_deeper"))

# The sections a guide has (a heading that starts with these words), in this order.
SECTIONS = {
    "en": ["Objectives", ("45-minute plan", "Plan (45 minutes)"), "Predict-first question", "Discussion prompts",
           "Exercises"],
    "zh": ["教学目标", "45 分钟教学安排", ("“先预测”问题", "先预测的问题"), "讨论题", "练习"],
}
TIME_SHORT = {"en": re.compile(r"time runs short", re.I), "zh": re.compile(r"时间不够")}
PREDICT = {"en": re.compile(r"\*\*Predict first", re.I), "zh": re.compile(r"\*\*先预测")}
ANSWER = {"en": re.compile(r"\bAnswer\b"), "zh": re.compile(r"答案")}
EXERCISE = {"en": re.compile(r"^\*\*Exercise (\d+)", re.M), "zh": re.compile(r"^\*\*练习 (\d+)", re.M)}


def sections(text: str) -> dict[str, str]:
    """The guide's ``## `` sections: heading -> body."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {head.strip(): body for head, body in zip(parts[1::2], parts[2::2])}


def find(found: dict, wanted) -> str | None:
    names = (wanted,) if isinstance(wanted, str) else wanted
    return next((h for h in found if h.startswith(names)), None)


def guide_problems(lang: str, lesson_text: str, guide_text: str) -> list[str]:
    found = sections(guide_text)
    heads = [find(found, w) for w in SECTIONS[lang]]
    problems = [f"no section {w!r}" for w, h in zip(SECTIONS[lang], heads) if h is None]
    if problems:
        return problems
    order = [list(found).index(h) for h in heads]
    if order != sorted(order):
        problems.append(f"sections out of order: {heads}")
    objectives, plan, predict, discussion, exercises = (found[h] for h in heads)
    if not re.search(r"^\s*(\d+\.|-) ", objectives, re.M):
        problems.append("the objectives are not a list")
    if len(re.findall(r"^\|", plan, re.M)) < 5:
        problems.append("the plan is not a minute-by-minute table")
    if not TIME_SHORT[lang].search(plan):
        problems.append("the plan does not say what to cut when time runs short")
    asked = len(PREDICT[lang].findall(lesson_text))
    answered = len(ANSWER[lang].findall(predict))
    if answered < asked:
        problems.append(f"the lesson asks {asked} predict-first question(s), the guide answers {answered}")
    if len(discussion.strip()) < 80:
        problems.append("no discussion prompts")
    for n in EXERCISE[lang].findall(lesson_text):
        row = re.search(rf"^\|\s*{n}\s*\|", exercises, re.M)
        named = re.search(rf"(Exercise|练习) {n}\b", exercises)
        if not (row or named):
            problems.append(f"exercise {n} has no solution in the guide")
    return problems


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", LESSONS)
def test_every_lesson_has_a_guide_a_teacher_can_run_the_class_from(slug, lang):
    guide = ROOT / "teacher" / "guides" / lang / f"{slug}.md"
    assert guide.is_file(), f"no teacher's guide {guide.relative_to(ROOT)}"
    lesson = (ROOT / "lessons" / lang / f"{slug}.md").read_text(encoding="utf-8")
    problems = guide_problems(lang, lesson, guide.read_text(encoding="utf-8"))
    assert not problems, f"{guide.relative_to(ROOT)}: " + "; ".join(problems)


def test_the_guide_check_can_fail():
    lesson = "**Predict first:** what?\n\n**Exercise 1 (compute).** Do it.\n\n**Exercise 2 (decide).** Choose.\n"
    good = ("## Objectives\n\n1. know it\n\n## 45-minute plan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n\n"
            "If time runs short: skip the second half.\n\n## Predict-first questions\n\nAnswer: this.\n\n"
            "## Discussion prompts\n\n- Why does the learning rate matter more at the start than at the end of the run?\n\n"
            "## Exercises\n\n| # | kind |\n|---|---|\n| 1 | compute |\n| 2 | decide |\n")
    assert guide_problems("en", lesson, good) == []
    assert "exercise 2 has no solution in the guide" in guide_problems("en", lesson, good.replace("| 2 | decide |", ""))
    assert any("predict-first" in p for p in guide_problems("en", lesson, good.replace("Answer: this.", "")))
    assert any("time runs short" in p for p in guide_problems("en", lesson, good.replace("If time runs short", "If")))
    assert guide_problems("en", lesson, good.replace("## Discussion prompts", "## Talk")) == \
        ["no section 'Discussion prompts'"]
