"""The appendix of quoted claims (docs/yolo_explanation.{en,zh}.md) resolves both ways.

Every claim the appendix lists links at least one lesson notebook, and every linked notebook exists;
every lesson that mentions the widely shared explanation links the appendix of its language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "zh")
MENTIONS = {
    "en": re.compile(r"widely[\s-]+shared\s+explanation", re.I),
    "zh": re.compile(r"广为流传|流传[^，。；\n]{0,6}解释"),
}


def _appendix(lang: str) -> Path:
    return ROOT / "docs" / f"yolo_explanation.{lang}.md"


def _claims(lang: str) -> list[tuple[str, str]]:
    """(heading, body) of each claim: the level-3 sections under the appendix's level-2 heading."""
    text = _appendix(lang).read_text(encoding="utf-8")
    parts = re.split(r"^### +(.+)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("lang", LANGS)
def test_every_claim_links_an_existing_lesson_notebook(lang):
    claims = _claims(lang)
    assert len(claims) >= 5, f"the {lang} appendix lists too few claims: {len(claims)}"
    for heading, body in claims:
        assert re.search(r"^> ", body, flags=re.M), f"{lang}: claim {heading!r} quotes nothing"
        links = re.findall(r"\]\(([^)\s]+\.ipynb)\)", body)
        assert links, f"{lang}: claim {heading!r} links no lesson"
        for link in links:
            assert link.startswith(f"../notebooks/{lang}/"), f"{lang}: {link} is not a lesson of this language"
            assert (_appendix(lang).parent / link).resolve().is_file(), f"{lang}: {heading!r} links a missing {link}"


def test_both_appendices_list_the_same_claims_and_lessons():
    en, zh = _claims("en"), _claims("zh")
    assert len(en) == len(zh)
    for (he, be), (hz, bz) in zip(en, zh):
        slugs_en = [Path(p).name for p in re.findall(r"\]\(([^)\s]+\.ipynb)\)", be)]
        slugs_zh = [Path(p).name for p in re.findall(r"\]\(([^)\s]+\.ipynb)\)", bz)]
        assert slugs_en == slugs_zh, (he, hz)
    quotes_en = [re.findall(r"^> (.+)$", b, flags=re.M) for _, b in en]
    quotes_zh = [re.findall(r"^> (.+)$", b, flags=re.M) for _, b in zh]
    assert quotes_en == quotes_zh                                   # the same Chinese originals in both


@pytest.mark.parametrize("lang", LANGS)
def test_every_lesson_mentioning_the_explanation_links_the_appendix(lang):
    target = f"../../docs/yolo_explanation.{lang}.md"
    mentioning = []
    for source in sorted((ROOT / "lessons" / lang).glob("*.md")):
        text = source.read_text(encoding="utf-8")
        if MENTIONS[lang].search(text):
            mentioning.append(source.name)
            assert f"]({target})" in text, f"{lang}/{source.name} mentions the explanation but does not link {target}"
    assert mentioning, f"no {lang} lesson mentions the explanation: the pattern is stale"
    assert (ROOT / "lessons" / lang / target).resolve() == _appendix(lang).resolve() and _appendix(lang).is_file()
