"""The teacher's guide stays true to the shipped story: every debrief question and reflection
prompt a class meets is printed in it."""

from __future__ import annotations

from tests.conftest import REPO, SHIPPED_STORY

from moscow1941.story import load_story


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_guide_lists_every_debrief_question_and_reflection_prompt() -> None:
    story = load_story(SHIPPED_STORY).story
    assert story is not None
    guide = _flat((REPO / "docs" / "teachers.md").read_text(encoding="utf-8"))
    questions = [q for c in story.campaigns.values() for q in c.debrief]
    prompts = [n.reflect for n in story.nodes.values() if n.reflect]
    assert questions and prompts
    missing = [q for q in questions + prompts if _flat(q) not in guide]
    assert not missing, "docs/teachers.md lacks (regenerate its lists): " + "; ".join(missing)
