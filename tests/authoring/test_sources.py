"""`moscow1941 sources`: citations taken apart into works, grouped, and flagged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import CHAPTER, MANIFEST, REPO, SHIPPED_STORY, StoryMaker, loaded

from moscow1941.authoring.sources import Parts, doubtful, sources_markdown, split_citation
from moscow1941.classroom.text import one_line

story_of = loaded


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "moscow1941", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("citation, parts", [
    ("Author, Title (1999), ch. 3: what for", ("Author, Title (1999)", "ch. 3", "what for")),
    ("Slavinsky, The Japanese-Soviet Neutrality Pact (2004), ch. 3",
     ("Slavinsky, The Japanese-Soviet Neutrality Pact (2004)", "ch. 3", "")),
    ("Hasegawa, Racing the Enemy (2005)", ("Hasegawa, Racing the Enemy (2005)", "", "")),
    ("Hasegawa, Racing the Enemy (2005): Stalin's timetable",
     ("Hasegawa, Racing the Enemy (2005)", "", "Stalin's timetable")),
    ('Glantz, The Soviet Strategic Offensive in Manchuria, 1945: "August Storm" (2003), ch. 2: '
     "the plan", ('Glantz, The Soviet Strategic Offensive in Manchuria, 1945: "August Storm" '
                  "(2003)", "ch. 2", "the plan")),
    ("Harris, Factories of Death (1994/2002), pp. 40-45",
     ("Harris, Factories of Death (1994/2002)", "pp. 40-45", "")),
    ("Hull, Memoirs (1948), vol. 2, p. 1034: the pact", ("Hull, Memoirs (1948)",
                                                         "vol. 2, p. 1034", "the pact")),
    ("FRUS 1941 vol. IV doc. 742", ("FRUS 1941 vol. IV", "doc. 742", "")),
    ("FRUS Potsdam vol. II docs. 1234, 1235 and 1261: the Konoe mission",
     ("FRUS Potsdam vol. II", "docs. 1234, 1235 and 1261", "the Konoe mission")),
    ("DGFP, Series D, vol. XII, no. 222", ("DGFP, Series D, vol. XII", "no. 222", "")),
    ('Time, 16 April 1945, "So Sorry, Mr. Sato"',
     ("Time", '16 April 1945, "So Sorry, Mr. Sato"', "")),
    ("Shared fact sheet, item 15", ("Shared fact sheet", "item 15", "")),
    ("FRUS 1945 vol. VII: Harriman's reports of the Soong-Stalin talks, June-August 1945",
     ("FRUS 1945 vol. VII", "", "Harriman's reports of the Soong-Stalin talks, June-August 1945")),
    ("Rotter, Hiroshima: The World's Bomb (shared fact sheet, item 30)",
     ("Rotter, Hiroshima: The World's Bomb", "(shared fact sheet, item 30)", "")),
    ("https://en.wikipedia.org/wiki/Operation_Barbarossa",
     ("https://en.wikipedia.org/wiki/Operation_Barbarossa", "", "")),
    ("  Deane,   The Strange Alliance (1947) ", ("Deane, The Strange Alliance (1947)", "", "")),
    ("item 15", ("item 15", "", "")),
    ("Nazi-Soviet Relations 1939-1941 (1948), p. 316: the Tripartite talks",
     ("Nazi-Soviet Relations 1939-1941 (1948)", "p. 316", "the Tripartite talks")),
    ("Department of State Bulletin, vol. 4, no. 94 (19 April 1941), p. 472",
     ("Department of State Bulletin, vol. 4", "no. 94 (19 April 1941), p. 472", "")),
    ("Department of State Bulletin, 14 April 1941: the pact's text",
     ("Department of State Bulletin", "14 April 1941", "the pact's text")),
    ("Slavinsky, The Japanese–Soviet Neutrality Pact: A Diplomatic History 1941–1945 (2004), "
     "pp. 50-60: Matsuoka in Moscow", ("Slavinsky, The Japanese–Soviet Neutrality Pact: A "
                                       "Diplomatic History 1941–1945 (2004)", "pp. 50-60",
                                       "Matsuoka in Moscow")),
    ('Smith, "A Title (1999) in Quotes", p. 4', ('Smith, "A Title (1999) in Quotes"', "p. 4", "")),
])
def test_a_citation_is_split_into_work_locator_and_purpose(
        citation: str, parts: tuple[str, str, str]) -> None:
    assert split_citation(citation) == Parts(*parts)


@given(st.text(max_size=200))
def test_splitting_never_fails_and_the_work_starts_the_citation(citation: str) -> None:
    parts = split_citation(citation)
    flat = one_line(citation, 2000)
    assert parts.work == parts.work.strip(".,;: ")
    assert flat.lstrip(".,;: ").startswith(parts.work)
    for piece in (parts.locator, parts.purpose):
        assert piece in flat
    if any(ch.isalnum() for ch in flat.split(": ", 1)[0]):
        assert parts.work


@pytest.mark.parametrize("citation, reason", [
    ("Shared fact sheet, item 15", "the project's fact sheet"),
    ("Grew diary, 22 April 1941 (shared fact sheet, item 13)", "the project's fact sheet"),
    ("https://en.wikipedia.org/wiki/Pacific_Route", "Wikipedia"),
    ("Japanese Wikipedia, article on Konstantin Smetanin", "Wikipedia"),
    ("https://liquisearch.com/japanese_instrument_of_surrender", "a mirror or copy of another "
                                                                 "site's text"),
    ("https://erenow.net/ww/whos-who-in-world-war-ii/505.php", "a mirror or copy of another "
                                                               "site's text"),
    ("https://news.myseldon.com/en/news/index/285047361", "a news aggregator"),
    ("https://codenames.info/operation/kantokuen/", "an enthusiast site"),
    ("http://operationbarbarossa.net/Myth-Busters/Mythbusters3.html", "an enthusiast site"),
    ("https://pcf-1939-1941.blogspot.com/2013/07/pacte.html", "a blog"),
    ("https://www.bradford-delong.com/2011/10/liveblogging-world-war-ii.html", "a blog"),
])
def test_unfindable_citations_are_recognised(citation: str, reason: str) -> None:
    found = doubtful(citation)
    assert found is not None and found[0] == reason


@pytest.mark.parametrize("citation", [
    "Slavinsky, The Japanese-Soviet Neutrality Pact (2004), ch. 3",
    "FRUS 1941 vol. IV doc. 783", "Department of State Bulletin, 14 April 1941",
    "https://history.state.gov/historicaldocuments/frus1941v04/d783",
])
def test_findable_citations_are_not_flagged(citation: str) -> None:
    assert doubtful(citation) is None


SOURCED_CHAPTER = CHAPTER.replace(
    "      sources: [A source]",
    "      sources:\n"
    "        - \"Slavinsky, The Japanese-Soviet Neutrality Pact (2004), ch. 3: the signing\"\n"
    "        - Slavinsky, The Japanese–Soviet Neutrality Pact (2004), ch. 10\n"
    "        - https://en.wikipedia.org/wiki/Soviet–Japanese_Neutrality_Pact\n"
    "        - Coox, Nomonhan (1985) <b>*bold*</b>")
SOURCED_MANIFEST = MANIFEST.replace(
    "    holds: not flag\n",
    "    holds: not flag\n    sources: [\"Slavinsky, The Japanese-Soviet Neutrality Pact (2004), "
    "ch. 3: the signing\", \"Shared fact sheet, item 15\"]\n")


def test_works_are_grouped_with_their_locators_and_the_notes_that_cite_them(
        make_story: StoryMaker) -> None:
    text = sources_markdown(story_of(make_story({"story.yaml": SOURCED_MANIFEST,
                                                 "ch1.yaml": SOURCED_CHAPTER})))
    assert text.startswith("# Works cited in Tiny\n")
    assert "4 works, 6 citations in 1 history note and 1 event." in text
    slavinsky = text.split("### Slavinsky, The Japanese-Soviet Neutrality Pact (2004)\n", 1)[1]
    slavinsky = slavinsky.split("\n### ", 1)[0].split("\n## ", 1)[0]
    # one work, whatever the dash; both locators, ch. 3 before ch. 10; the note and the event
    assert slavinsky.strip().splitlines() == [
        "Also spelled: Slavinsky, The Japanese–Soviet Neutrality Pact (2004)",
        "",
        "- ch. 3 — for the signing: history note `a` *Start* (1941-04-12); event `ev` *Event* "
        "(1941-04-13)",
        "- ch. 10: history note `a` *Start* (1941-04-12)",
    ]
    # sorted by author; a web page listed apart; markup in a citation is shown, not run
    assert text.index("### Coox, Nomonhan (1985)") < text.index("### Shared fact sheet") \
        < text.index("### Slavinsky") < text.index("## Web pages cited by their address alone")
    assert "<b>" not in text and r"\<b\>\*bold\*\</b\>" in text
    unfindable = text.split("## Citations that look unfindable\n", 1)[1]
    assert "### The project's fact sheet (1)" in unfindable
    assert "- Shared fact sheet, item 15: event `ev` *Event* (1941-04-13)" in unfindable
    assert "### Wikipedia (1)" in unfindable and "Slavinsky" not in unfindable
    assert "*Looks unfindable: the project's fact sheet;" in text


def test_a_story_citing_only_findable_works_says_so(make_story: StoryMaker) -> None:
    chapter = CHAPTER.replace("[A source]", "[\"Coox, Nomonhan (1985), ch. 2\"]")
    text = sources_markdown(story_of(make_story({"ch1.yaml": chapter})))
    assert text.endswith("## Citations that look unfindable\n\nNone: every citation names a "
                         "work a reader can look for.\n")
    assert "## Web pages cited by their address alone\n\nNone.\n" in text


def test_the_command_writes_checks_and_catches_drift(make_story: StoryMaker,
                                                    tmp_path: Path) -> None:
    root = str(make_story({"ch1.yaml": SOURCED_CHAPTER}))
    out_file = tmp_path / "sources.md"
    printed = run("sources", root)
    assert printed.returncode == 0 and printed.stdout.startswith("# Works cited in Tiny")
    assert run("sources", root, "-o", str(out_file)).returncode == 0
    assert out_file.read_text(encoding="utf-8") == printed.stdout
    ok = run("sources", root, "-o", str(out_file), "--check")
    assert ok.returncode == 0 and "is up to date" in ok.stdout
    out_file.write_text(printed.stdout.replace("ch. 10", "ch. 11"), encoding="utf-8")
    drift = run("sources", root, "-o", str(out_file), "--check")
    assert drift.returncode == 1
    assert "\n-- ch. 11: history note `a`" in drift.stderr  # the diff: on disk, not generated
    assert f"is out of date: run 'moscow1941 sources {root} -o {out_file}'" in drift.stderr
    assert out_file.read_text(encoding="utf-8") != printed.stdout  # --check writes nothing
    assert run("sources", root, "--check").returncode == 2
    assert run("sources", str(make_story({"ch1.yaml": "nodes: [\n"}))).returncode == 2


def test_the_committed_list_is_what_the_story_in_this_tree_gives() -> None:
    out = run("sources", str(SHIPPED_STORY), "-o", "docs/sources.md", "--check")
    assert out.returncode == 0, out.stderr + "\nregenerate: moscow1941 sources story -o " \
                                             "docs/sources.md"


def test_the_command_imports_no_user_interface(tmp_path: Path) -> None:
    code = ("import sys\nfrom moscow1941.cli import main\n"
            f"code = main(['sources', {str(SHIPPED_STORY)!r}, '-o', {str(tmp_path / 's.md')!r}])\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
            "print(code, bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert out.stdout.strip().endswith("0 []"), out.stdout
