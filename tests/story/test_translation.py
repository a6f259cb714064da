"""Story translations: the files `translate` writes, how a story loads in a language, and what
`check --lang` reports when a translation is missing, stale, moved or broken."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import CHAPTER, StoryMaker, loaded

from moscow1941.story import load_story
from moscow1941.story import translation as t


def _fill(root: Path, language: str, texts: dict[str, str | tuple[str, ...]]) -> None:
    t.update_files(loaded(root), language, new_texts=texts)


def _codes(root: Path, language: str) -> list[str]:
    return [d.code for d in t.translate_story(loaded(root), language).diagnostics]


def test_keys_are_stable_ids(make_story: StoryMaker) -> None:
    keys = [s.key for s in t.sources(loaded(make_story()))]
    assert keys[:2] == ["story.title", "campaign.main.title"]
    for key in ("a.title", "a.place", "a.text.1", "a.choice.b.text", "a.choice.c.text",
                "a.history.text", "b.ending.title", "b.ending.epilogue.1", "event.ev.title",
                "event.ev.happened"):
        assert key in keys
    assert len(keys) == len(set(keys))


def test_a_second_choice_to_the_same_node_gets_its_own_id(make_story: StoryMaker) -> None:
    root = make_story({"ch1.yaml": CHAPTER.replace("goto: c", "goto: b")})
    keys = [s.key for s in t.sources(loaded(root))]
    assert "a.choice.b.text" in keys and "a.choice.b#2.text" in keys


def test_translate_writes_one_file_per_story_file_with_every_entry(make_story: StoryMaker) -> None:
    root = make_story()
    update, _ = t.update_files(loaded(root), "de")
    assert sorted(Path(f).relative_to(root).as_posix() for f in update.files) == \
        ["de/ch1.yaml", "de/story.yaml"]
    data = yaml.safe_load((root / "de" / "ch1.yaml").read_text(encoding="utf-8"))
    assert data["language"] == "de" and data["source"] == "ch1.yaml"
    entry = data["entries"]["a.text.1"]
    assert entry == {"hash": t.text_hash("Trust is {trust}."), "en": "Trust is {trust}.", "de": ""}
    assert update.added == len(t.sources(loaded(root)))


def test_the_translation_folder_is_not_read_as_story(make_story: StoryMaker) -> None:
    root = make_story()
    before = loaded(root).content_hash
    t.update_files(loaded(root), "de")
    assert loaded(root, clean=True).content_hash == before


def test_a_story_loads_in_a_language_and_keeps_english_where_it_is_missing(
        make_story: StoryMaker) -> None:
    root = make_story()
    _fill(root, "de", {"a.title": "Anfang", "a.text.1": "Das Vertrauen ist {trust}.",
                       "a.choice.b.text": "Weiter.", "event.ev.title": "Ereignis"})
    story = load_story(root, "de").story
    assert story is not None and story.language == "de"
    a = story.nodes["a"]
    assert a.title == "Anfang"
    assert a.passages[0].template.render({"trust": 2, "flag": False}) == "Das Vertrauen ist 2."
    assert [c.text.source for c in a.choices] == ["Weiter.", "Diverge."]  # English per string
    assert story.events[0].title == "Ereignis"
    assert story.content_hash == loaded(root).content_hash  # saves move between languages


def test_coverage_counts_entries_and_words(make_story: StoryMaker) -> None:
    root = make_story()
    _fill(root, "de", {"a.text.1": "Das Vertrauen ist {trust}."})
    cov = t.translate_story(loaded(root), "de").coverage
    total = len(t.sources(loaded(root)))
    assert (cov.entries, cov.translated, cov.missing, cov.stale) == (total, 1, total - 1, 0)
    assert cov.translated_words == 3 and cov.target_words == 4
    assert "a.text.1" not in cov.untranslated and "a.title" in cov.untranslated
    assert t.coverage_line(cov).startswith(f"de: 1 of {total} entries")


def test_changed_english_marks_the_entry_stale_and_keeps_the_old_english(
        make_story: StoryMaker) -> None:
    root = make_story()
    _fill(root, "de", {"a.title": "Anfang"})
    (root / "ch1.yaml").write_text(CHAPTER.replace("title: Start", "title: The Start"),
                                   encoding="utf-8")
    assert "W603" in _codes(root, "de")  # the English changed, translate not run yet
    assert load_story(root, "de").story.nodes["a"].title == "The Start"  # type: ignore[union-attr]
    update, _ = t.update_files(loaded(root), "de")
    assert update.changed == 1
    entry = yaml.safe_load((root / "de" / "ch1.yaml").read_text(encoding="utf-8"))["entries"]["a.title"]
    assert entry == {"hash": t.text_hash("The Start"), "en": "The Start", "de": "Anfang",
                     "stale": True, "was": "Start"}
    assert "W602" in _codes(root, "de")
    # The translator updates it and deletes the two lines: current again.
    _fill(root, "de", {"a.title": "Der Anfang"})
    assert "W602" not in _codes(root, "de")
    assert load_story(root, "de").story.nodes["a"].title == "Der Anfang"  # type: ignore[union-attr]


def test_a_paragraph_inserted_above_moves_the_translations_below_it(make_story: StoryMaker) -> None:
    two = CHAPTER.replace("text: Trust is {trust}.", "text: |\n      Trust is {trust}.\n\n      Snow falls.")
    root = make_story({"ch1.yaml": two})
    _fill(root, "de", {"a.text.1": "Das Vertrauen ist {trust}.", "a.text.2": "Es schneit."})
    three = CHAPTER.replace("text: Trust is {trust}.",
                            "text: |\n      A new first paragraph.\n\n      Trust is {trust}.\n\n      Snow falls.")
    (root / "ch1.yaml").write_text(three, encoding="utf-8")
    update, _ = t.update_files(loaded(root), "de")
    assert update.moved == 2
    passages = load_story(root, "de").story.nodes["a"].passages  # type: ignore[union-attr]
    assert [p.template.source for p in passages] == [
        "A new first paragraph.", "Das Vertrauen ist {trust}.", "Es schneit."]


def test_entries_the_story_no_longer_has_are_reported_then_dropped(make_story: StoryMaker) -> None:
    root = make_story()
    _fill(root, "de", {"c.title": "Anderes Ende"})
    (root / "ch1.yaml").write_text(CHAPTER.replace("title: Other end", "title: Elsewhere"),
                                   encoding="utf-8")
    t.update_files(loaded(root), "de")
    text = (root / "de" / "ch1.yaml").read_text(encoding="utf-8")
    assert "Anderes Ende" in text and "stale: true" in text  # changed, kept, marked
    (root / "de" / "extra.yaml").write_text(
        "language: de\nentries:\n  gone.title:\n    hash: x\n    en: Gone\n    de: Weg\n",
        encoding="utf-8")
    assert "W604" in _codes(root, "de")
    update, _ = t.update_files(loaded(root), "de")
    assert update.dropped == 1  # gone.title (c.title is still in the story, changed)
    assert update.removed == [str(root / "de" / "extra.yaml")]
    assert not (root / "de" / "extra.yaml").exists()
    assert "W604" not in _codes(root, "de")


def test_a_translation_that_loses_a_variable_is_not_used(make_story: StoryMaker) -> None:
    root = make_story()
    _fill(root, "de", {"a.text.1": "Das Vertrauen ist {trst}."})
    result = t.translate_story(loaded(root), "de")
    w606 = [d for d in result.diagnostics if d.code == "W606"]
    assert w606 and w606[0].line > 0 and w606[0].path.endswith("ch1.yaml")
    assert result.story.nodes["a"].passages[0].template.source == "Trust is {trust}."


def test_a_list_stays_a_list(make_story: StoryMaker) -> None:
    glossary = "glossary:\n  m:\n    term: Molotov\n    kind: person\n    text: A commissar.\n    match: [Molotov]\n"
    root = make_story({"glossary.yaml": glossary})
    _fill(root, "de", {"glossary.m.match": ("Molotow", "Molotows"), "glossary.m.term": "Molotow"})
    story = load_story(root, "de").story
    assert story is not None and story.glossary["m"].match == ("Molotow", "Molotows")


def test_a_file_in_the_wrong_language_folder_is_refused(make_story: StoryMaker) -> None:
    root = make_story()
    t.update_files(loaded(root), "de")
    text = (root / "de" / "ch1.yaml").read_text(encoding="utf-8").replace("language: de", "language: ar")
    (root / "de" / "ch1.yaml").write_text(text, encoding="utf-8")
    assert "W600" in _codes(root, "de")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300),
                      st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
                      st.recursive(st.none() | st.booleans() | st.text(max_size=20) | st.integers(),
                                   lambda inner: st.lists(inner, max_size=4)
                                   | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                                   max_leaves=12).map(lambda v: yaml.safe_dump(
                                       {"language": "de", "entries": v}).encode())))
def test_any_translation_file_loads_or_is_reported_never_raises(make_story: StoryMaker,
                                                                  data: bytes) -> None:
    """A translation file is untrusted input: whatever it holds, the story loads (in English
    where the translation cannot be used) and the problem is a warning."""
    root = make_story()
    folder = root / "de"
    folder.mkdir(exist_ok=True)
    (folder / "ch1.yaml").write_bytes(data)
    result = load_story(root, "de")
    assert result.story is not None
    assert all(d.severity.value == "warning" for d in result.diagnostics)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], capture_output=True,
                          text=True, timeout=120)


def test_translate_and_check_from_the_command_line(make_story: StoryMaker) -> None:
    root = make_story()
    done = _cli("translate", str(root), "--lang", "de")
    assert done.returncode == 0, done.stderr
    assert "new entries" in done.stdout and (root / "de" / "ch1.yaml").is_file()
    check = _cli("check", str(root), "--lang", "de")
    assert check.returncode == 0  # a translation never makes a story fail
    assert "W601" in check.stdout and "de: 0 of" in check.stdout
    assert _cli("translate", str(root), "--lang", "EN!").returncode == 2
    assert _cli("translate", str(root), "--lang", "en").returncode == 2


def test_the_shipped_translations_are_current() -> None:
    """Every shipped translation has an entry for every string of the story, none stale and
    none left over: run `moscow1941 translate story --lang LANG` after editing the story."""
    from tests.conftest import SHIPPED_STORY

    story = loaded(SHIPPED_STORY)
    for lang in t.languages(SHIPPED_STORY):
        update, _ = t.update_files(story, lang, write=False)
        assert (update.added, update.changed, update.moved, update.dropped) == (0, 0, 0, 0), lang
        codes = {d.code for d in t.translate_story(story, lang).diagnostics}
        assert not codes & {"W602", "W603", "W604", "W605", "W606", "W600"}, (lang, codes)


def test_a_translated_glossary_entry_is_still_found_by_its_english_name(make_story: StoryMaker) -> None:
    from moscow1941.story.search import search_glossary

    glossary = ("glossary:\n  m:\n    term: Vyacheslav Molotov\n    kind: person\n"
                "    text: A commissar.\n    match: [Molotov]\n")
    root = make_story({"glossary.yaml": glossary})
    _fill(root, "ar", {"glossary.m.term": "فياتشيسلاف مولوتوف", "glossary.m.match": ("مولوتوف",)})
    story = load_story(root, "ar").story
    assert story is not None
    assert [e.id for e in search_glossary(story.glossary.values(), "molotov")] == ["m"]
    assert [e.id for e in search_glossary(story.glossary.values(), "مولوتوف")] == ["m"]
