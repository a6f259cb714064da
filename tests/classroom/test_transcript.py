"""Transcripts: what a student hands in, how it reads, and how a teacher checks it."""

from __future__ import annotations

import base64
import json
import random
import re
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.classroom.conftest import HOSTILE, cli, play
from tests.conftest import CHAPTER, MANIFEST, StoryMaker

from moscow1941.classroom import transcript
from moscow1941.classroom.text import choice_figure, md, outcome_figure
from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.engine.state import Reflection, Step
from moscow1941.story import Story, load_story

PLAYED = (datetime(2026, 11, 23, 9, 14, tzinfo=UTC), datetime(2026, 11, 23, 9, 58, tzinfo=UTC))
FORMATS = ("md", "html")


def historical_but(story: Story, campaign: str, diverge_at: int) -> Game:
    """The real actors' choice at every decision but the `diverge_at`-th, where the first other
    choice is taken; the first available choice where history has none. A numbered answer at
    every reflection prompt."""
    game = Game(story, campaign, 7)
    decisions = 0
    while not game.ended and len(game.state.path) < 500:
        node = game.node
        if node.reflect:
            game.reflect(f"Answer {len(game.state.path)}: because {node.title} mattered.")
        available = game.available()
        historical = [i for i in available if node.choices[i].historical]
        others = [i for i in available if not node.choices[i].historical]
        if node.is_decision:
            decisions += 1
            if decisions - 1 == diverge_at and others:
                game.choose(others[0])
                continue
        game.choose((historical or available)[0])
    return game


@pytest.fixture(scope="module")
def played(shipped: Story) -> Game:
    return historical_but(shipped, "soviet", 2)


def flat(text: str) -> str:
    """Text with its wrapping undone (every run of spaces and line breaks as one space)."""
    return " ".join(text.split())


# ---- contents ----------------------------------------------------------------------------------

def test_a_shipped_game_shows_every_scene_in_order_with_its_date_and_place(played: Game) -> None:
    text = transcript.render(transcript.build(played, "Anna Petrova", PLAYED), "md")
    story = played.story
    visited = [step.node for step in played.state.path] + [played.state.node]
    positions = []
    for n, node_id in enumerate(visited, 1):
        node = story.nodes[node_id]
        heading = f"\n### {n}. {md(node.title)}\n\n{node.date.display()} · {md(node.place)}\n"
        assert heading in text, heading
        positions.append(text.index(heading))
    assert positions == sorted(positions)
    assert "- Player: Anna Petrova\n" in text
    assert "- Campaign: The Commissariat\n" in text
    assert "- Seed: 7\n" in text
    assert "- Played: 2026-11-23 09:14 UTC to 2026-11-23 09:58 UTC\n" in text


def test_each_choice_is_marked_against_history(played: Game) -> None:
    text = transcript.render(transcript.build(played, "Anna", PLAYED), "md")
    records = played.decisions()
    historical = [r for r in records if r.historical]
    diverged = [r for r in records if not r.historical and not r.counterfactual]
    assert historical and diverged
    assert text.count("\n- As in history: the real actors made the same choice.\n") == len(historical)
    assert text.count("\n- Diverged: the real actors chose") == len(diverged)
    for rec in diverged:
        assert f"Your choice: {md(rec.chosen)} - Diverged: the real actors chose" in flat(text)
        assert md(rec.historical_choices[0])[:40] in flat(text)
    ordinary = len(played.state.path) - len(records)
    assert text.count("\n- An ordinary choice, not a historical decision.\n") == ordinary


def test_reflections_stand_under_the_choice_they_preceded(played: Game) -> None:
    text = transcript.render(transcript.build(played, "Anna", PLAYED), "md")
    reflections = played.reflections()
    assert len(reflections) >= 2, "the shipped soviet campaign asks at least two questions"
    for r in reflections:
        heading = f"\n### {r.step + 1}. {md(r.title)}\n"
        start = text.index(heading)
        segment = text[start:text.find("\n### ", start + 1)]
        scene = flat(segment.replace("\n> ", "\n"))
        assert f"Your choice: {md(r.chosen)}" in scene
        assert f"Reflection, written before this choice: *{md(r.prompt)}*" in scene
        assert md(r.answer) in scene and f"\n> {md(r.answer)[:20]}" in segment
        assert scene.index("Your choice:") < scene.index("Reflection, written before")


def test_the_ending_timeline_figures_and_debrief_close_the_transcript(played: Game) -> None:
    text = transcript.render(transcript.build(played, "Anna", PLAYED), "md")
    ending = played.node.ending
    assert ending is not None
    d = played.divergence()
    assert f"- Result: Finished: ‘{md(ending.title)}’" in text
    assert f"## The ending\n\n‘{md(ending.title)}’: " in text
    assert f"- Choice divergence: {choice_figure(d)}\n" in text
    assert f"- Outcome divergence: {outcome_figure(d)}\n" in text
    body = flat(text)
    for e in played.timeline():
        status = {"history": "as in history", "diverged": "DIVERGED",
                  "ahead": "not reached in this game"}[e.status]
        assert f"{e.date.display()}, {md(e.title)}: {status}." in body
    questions = played.story.campaigns["soviet"].debrief
    assert questions, "the shipped campaigns have debrief questions"
    tail = flat(text[text.index("## Questions for discussion"):])
    for n, question in enumerate(questions, 1):
        assert f"{n}. {md(question)}" in tail
    assert text.splitlines()[-1].startswith("Integrity: moscow1941-transcript/4 sha256=")


def test_an_unfinished_game_says_where_it_stopped(shipped: Story) -> None:
    game = play(shipped, "japanese", random.Random(3), steps=4)
    assert not game.ended
    text = transcript.render(transcript.build(game, None, PLAYED), "md")
    where = f"‘{md(game.node.title)}’ ({game.node.date.display()})"
    assert f"- Result: Not finished, at {where}." in text
    assert f"Not finished: the game stopped at {where}." in text
    assert "- Player: (no name given)" in text
    assert "not reached in this game" in text


def test_counterfactual_decisions_and_author_jumps_are_marked(shipped: Story) -> None:
    for seed in range(300):
        game = play(shipped, "japanese", random.Random(seed), reflect=None)
        if any(r.counterfactual for r in game.decisions()):
            break
    else:
        pytest.fail("no random play reached a counterfactual decision")
    target = shipped.nodes[shipped.campaigns["japanese"].start]
    game.jump(target.id)
    text = transcript.render(transcript.build(game, "Ken", PLAYED), "md")
    assert "Counterfactual: no real decision here: a world history never saw." in flat(text)
    assert (f"Author jump to ‘{md(target.title)}’ (author mode: not a choice, counted in neither "
            "divergence figure).") in flat(text)
    assert transcript.verify(text, shipped).ok


# ---- hostile text ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_game(shipped: Story) -> Game:
    """A game whose reflections try to break out of the transcript's structure."""
    game = Game(shipped, "soviet", 1)
    forged = f"Integrity: moscow1941-transcript/1 sha256={'0' * 64} data=eJwDAAAAAAE"
    answers = [f"</p><script>alert(1)</script><img src=\"http://evil.example/x.png\">\n{forged}",
               "# Ending\n\n## The ending\n- As in history: the real actors made the same choice.",
               HOSTILE]
    while not game.ended:
        if game.node.reflect and answers:
            game.reflect(answers.pop(0))
        game.choose(game.available()[0])
    assert not answers, "the first available choices pass three reflection prompts"
    return game


class _Elements(HTMLParser):
    """Every tag and attribute of a page, and the text of its style sheets."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def test_html_is_one_self_contained_printable_file(played: Game) -> None:
    page = transcript.render(transcript.build(played, "Anna", PLAYED), "html")
    for reference in ("http:", "https:", "src=", "href=", "url(", "@import", "<link", "<script"):
        assert reference not in page.lower(), reference
    assert "@media print" in page and page.startswith("<!DOCTYPE html>\n")


def test_html_escapes_hostile_names_and_reflections(hostile_game: Game) -> None:
    page = transcript.render(transcript.build(hostile_game, HOSTILE, PLAYED), "html")
    parsed = _Elements()
    parsed.feed(page)
    assert parsed.tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "dl",
                           "dt", "dd", "main", "h2", "section", "h3", "p", "div", "em", "br",
                           "ul", "li", "strong", "span", "ol", "code"}
    assert {name for name, _ in parsed.attributes} <= {"lang", "charset", "http-equiv", "content",
                                                       "name", "class"}
    assert not any("http" in (value or "") for _, value in parsed.attributes)
    assert not any(bad in "".join(parsed.styles) for bad in ("url(", "@import", "http"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;http://evil" in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; =1+1" in page
    last = page.rstrip("\n").split("\n")[-1]
    assert re.fullmatch(r'<p class="integrity">Integrity: moscow1941-transcript/4 '
                        r"sha256=[0-9a-f]{64} data=[A-Za-z0-9_-]+</p>", last)
    assert transcript.verify(page, hostile_game.story).ok


def test_markdown_keeps_untrusted_text_inside_its_place(hostile_game: Game) -> None:
    text = transcript.render(transcript.build(hostile_game, HOSTILE, PLAYED), "md")
    lines = text.split("\n")
    assert [n for n, line in enumerate(lines) if "Integrity:" in line and
            not line.startswith(">")] == [len(lines) - 2]
    headings = [line for line in lines if line.startswith("#")]
    assert headings.count("## The ending") == 1 and "# Ending" not in headings
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert re.search(r"(?<!\\)<script", text) is None
    assert "- Player: \\<script\\>alert('x')\\</script\\> \\& =1+1 \\| \\*bold\\* " in flat(text)
    assert transcript.verify(text, hostile_game.story).ok


def test_file_names_are_safe_whatever_the_player_typed(played: Game) -> None:
    for name, expected in [("Anna Petrova", "Anna-Petrova-soviet-2026-11-23-0958.md"),
                           ("../../etc/passwd", "etc-passwd-soviet-2026-11-23-0958.md"),
                           ("CON", "CON-soviet-2026-11-23-0958.md"),
                           ("Ольга", "Ольга-soviet-2026-11-23-0958.md"),
                           (HOSTILE, None), ("???", "transcript-soviet-2026-11-23-0958.md"),
                           (None, "transcript-soviet-2026-11-23-0958.md")]:
        made = transcript.build(played, name, PLAYED)
        got = transcript.filename(made, "md")
        assert expected is None or got == expected
        assert re.fullmatch(r"[\w-]+\.md", got) and ".." not in got and len(got) < 120
    assert transcript.filename(made, "html") == "transcript-soviet-2026-11-23-0958.html"
    with pytest.raises(transcript.TranscriptError):
        transcript.render(made, "pdf")


# ---- verification ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_an_untouched_transcript_verifies(played: Game, fmt: str) -> None:
    text = transcript.render(transcript.build(played, "Anna Petrova", PLAYED), fmt)
    result = transcript.verify(text, played.story)
    assert result.ok, result.message
    assert "exactly what Moscow 1941 wrote for Anna Petrova’s game" in result.message
    assert "cannot show who played" in result.message


def _payload_edit(text: str) -> str:
    head, data = text.rsplit(" data=", 1)
    middle = len(data) // 2
    return f"{head} data={data[:middle]}{'A' if data[middle] != 'A' else 'B'}{data[middle + 1:]}"


def _figure_edit(game: Game) -> Callable[[str], str]:
    figure = choice_figure(game.divergence())
    return lambda text: text.replace(figure, "0%" + figure[figure.index(" "):])


EDITS: dict[str, Callable[[str], str]] = {
    "a choice mark": lambda t: t.replace("As in history:", "Diverged:", 1),
    "a word of a reflection": lambda t: t.replace("mattered", "matters", 1),
    "the player name": lambda t: t.replace("Anna Petrova", "Anna Petrov"),
    "the payload": _payload_edit,
    "the checksum": lambda t: re.sub(r"sha256=(.)", lambda m: "sha256=" + "0f"[m[1] == "0"], t),
    "a truncated file": lambda t: t[:len(t) // 2],
    "an added line": lambda t: t.replace("\n", "\nI played it twice.\n", 12).replace(
        "\nI played it twice.\n", "\n", 11),
    "text after the integrity line": lambda t: t + "Good work!\n",
    "blank lines at the end": lambda t: t + "\n\n",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("edit", [*EDITS, "a figure"])
def test_every_kind_of_edit_is_found(played: Game, fmt: str, edit: str) -> None:
    text = transcript.render(transcript.build(played, "Anna Petrova", PLAYED), fmt)
    change = _figure_edit(played) if edit == "a figure" else EDITS[edit]
    edited = change(text)
    assert edited != text
    result = transcript.verify(edited, played.story)
    assert not result.ok
    assert result.message.startswith(("This ", "The ")) and "\n" not in result.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_edited_line_is_quoted_with_its_number(played: Game, fmt: str) -> None:
    text = transcript.render(transcript.build(played, "Anna Petrova", PLAYED), fmt)
    edited = text.replace("mattered", "matters", 1)
    number = text[:text.index("mattered")].count("\n") + 1
    result = transcript.verify(edited, played.story)
    assert f"edited after the game wrote it: line {number} reads «" in result.message
    assert "matters" in result.message.split("where the game wrote")[0]
    assert "mattered" in result.message.split("where the game wrote")[1]


def test_a_re_saved_file_is_told_apart_from_an_edited_one(played: Game) -> None:
    text = transcript.render(transcript.build(played, "Anna", PLAYED), "md")
    result = transcript.verify(text.replace("\n", "\r\n"), played.story)
    assert not result.ok and "line endings" in result.message


def _tiny(make_story: StoryMaker, chapter: str = CHAPTER) -> Story:
    chapter = chapter.replace("    text: Trust is {trust}.\n",
                              "    text: Trust is {trust}.\n    reflect: Why go on?\n")
    result = load_story(make_story({"story.yaml": MANIFEST, "ch1.yaml": chapter}))
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


@pytest.fixture
def tiny_transcript(make_story: StoryMaker) -> tuple[Story, str]:
    """A small story, and the transcript of a one-choice game on it with one reflection."""
    story = _tiny(make_story)
    game = Game(story, "main")
    game.reflect("It had to go on.")
    game.choose(0)
    return story, transcript.render(transcript.build(game, "Ann", PLAYED), "md")


def test_a_transcript_from_another_story_version_names_that_version(
        make_story: StoryMaker, tiny_transcript: tuple[Story, str]) -> None:
    story, text = tiny_transcript
    assert transcript.verify(text, story).ok
    edited = _tiny(make_story, CHAPTER.replace("Done.", "Done, and dusted."))
    result = transcript.verify(text, edited)
    assert not result.ok
    assert f"another version of the story ‘Tiny’ (version {story.content_hash[:12]}" in result.message
    assert "does match its own checksum" in result.message
    other = load_story(make_story({"story.yaml": MANIFEST.replace("id: tiny", "id: other")}))
    assert other.story is not None
    assert "made with the story ‘tiny’" in transcript.verify(text, other.story).message


def _forge(text: str, change: Callable[[transcript.Payload], transcript.Payload]) -> str:
    """`text` with its integrity data replaced by a consistent-looking forgery."""
    head, data = text.rstrip("\n").rsplit(" data=", 1)
    payload = change(transcript.decode_payload(data))
    return f"{head} data={transcript.encode_payload(payload)}\n"


def test_a_forged_record_is_refused_with_the_reason(tiny_transcript: tuple[Story, str]) -> None:
    from dataclasses import replace

    story, text = tiny_transcript
    cases = {
        "do not fit this story (choice 1 of 1": lambda p: replace(p, path=(Step("a", 1, "b"),)),
        "reflections recorded in the integrity line are not ones the game keeps":
            lambda p: replace(p, reflections=(Reflection(1, "b", "Invented later."),)),
        "campaign this story does not have": lambda p: replace(p, campaign="other"),
        "was edited after the game wrote it": lambda p: replace(p, player="Somebody Else"),
    }
    for expected, change in cases.items():
        result = transcript.verify(_forge(text, change), story)
        assert not result.ok and expected in result.message, result.message
    same = transcript.verify(_forge(text, lambda p: p), story)
    assert same.ok, same.message  # re-encoding the same record is not an edit


# ---- the decoder never breaks ---------------------------------------------------------------------

def _pack(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode("ascii").rstrip("=")


def _decodes_or_refuses(data: str) -> None:
    try:
        payload = transcript.decode_payload(data)
    except transcript.PayloadError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(payload, transcript.Payload)


@given(st.text(max_size=400))
def test_random_text_is_refused_cleanly(data: str) -> None:
    _decodes_or_refuses(data)


@given(st.binary(max_size=2000))
def test_random_compressed_bytes_are_refused_cleanly(raw: bytes) -> None:
    _decodes_or_refuses(_pack(raw))
    _decodes_or_refuses(base64.urlsafe_b64encode(raw).decode("ascii"))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
FIELDS = ("story", "campaign", "seed", "path", "reflections", "player", "started", "last_played",
          "format")


@given(st.one_of(JSON, st.fixed_dictionaries({key: JSON for key in FIELDS})))
def test_random_records_are_refused_cleanly(value: object) -> None:
    _decodes_or_refuses(_pack(json.dumps(value).encode("utf-8")))


def test_a_zip_bomb_is_refused() -> None:
    bomb = _pack(b"[" + b" " * (40 * 1024 * 1024) + b"]")
    with pytest.raises(transcript.PayloadError, match="far more"):
        transcript.decode_payload(bomb)


@pytest.fixture(scope="module")
def tiny_story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    root = tmp_path_factory.mktemp("tiny")
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "ch1.yaml").write_text(CHAPTER, encoding="utf-8")
    story = load_story(root).story
    assert story is not None
    return story


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=300), data=st.text(alphabet="ABCabc012_-=", max_size=80),
       digest=st.sampled_from(["0" * 64, "f" * 63, "x" * 64]))
def test_verify_refuses_any_random_file_with_a_sentence(tiny_story: Story, body: str, data: str,
                                                        digest: str) -> None:
    for text in (body, f"{body}\nIntegrity: moscow1941-transcript/1 sha256={digest} data={data}\n"):
        result = transcript.verify(text, tiny_story)
        assert not result.ok and result.message.endswith((".", "?"))


# ---- the command line ----------------------------------------------------------------------------

@pytest.fixture
def save_file(tmp_path: Path, played: Game) -> Path:
    info = SaveStore(tmp_path / "saves", played.story).save("Anna's game", played,
                                                            player="Anna Petrova")
    return info.path


def test_the_command_writes_a_save_as_markdown_or_html(save_file: Path, tmp_path: Path) -> None:
    out = cli("transcript", str(save_file))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Moscow 1941: transcript\n") and "- Player: Anna Petrova" in out.stdout
    assert out.stdout.split("\n")[-2].startswith("Integrity: moscow1941-transcript/4 ")
    page = tmp_path / "anna.html"
    out = cli("transcript", str(save_file), "-o", str(page))
    assert out.returncode == 0, out.stderr
    assert page.read_bytes().startswith(b"<!DOCTYPE html>")
    piped = tmp_path / "piped.md"
    piped.write_bytes(cli("transcript", str(save_file), "--format", "md").stdout.encode("utf-8"))
    for path in (page, piped):
        check = cli("transcript", "--verify", str(path))
        assert check.returncode == 0 and "is intact" in check.stdout, check.stdout + check.stderr


def test_the_command_says_when_a_handed_in_file_was_edited(save_file: Path, tmp_path: Path) -> None:
    page = tmp_path / "anna.html"
    assert cli("transcript", str(save_file), "-o", str(page)).returncode == 0
    page.write_bytes(page.read_bytes().replace(b"Anna Petrova", b"Anna Ivanova"))
    out = cli("transcript", "--verify", str(page))
    assert out.returncode == 1 and "was edited after the game wrote it" in out.stdout
    assert "Traceback" not in out.stderr


def test_the_command_explains_every_file_it_cannot_use(tmp_path: Path, save_file: Path,
                                                      make_story: StoryMaker) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text('{"hello": 1}', encoding="utf-8")
    text = tmp_path / "essay.txt"
    text.write_text("My essay.", encoding="utf-8")
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    cases = [
        (("transcript", str(tmp_path / "missing.json")), 1, "there is no such file"),
        (("transcript", str(notes)), 1, "not a Moscow 1941 save"),
        (("transcript", str(text)), 1, "this is not a save file"),
        (("transcript", str(save_file), "--story", str(make_story())), 1, "another story"),
        (("transcript", str(save_file), "--story", str(tmp_path / "nowhere")), 2,
         "E100: story folder not found"),
        (("transcript",), 2, "Give a save file"),
        (("transcript", str(save_file), "--verify", str(text)), 2, "Give a save file"),
        (("transcript", "--verify", str(tmp_path / "missing.md")), 1, "cannot be read"),
        (("transcript", "--verify", str(binary)), 1, "not UTF-8 text"),
        (("transcript", "--verify", str(text)), 1, "does not end with an integrity line"),
    ]
    for args, status, message in cases:
        out = cli(*args)
        assert out.returncode == status, (args, out.stdout, out.stderr)
        assert message in out.stdout + out.stderr, (args, out.stdout, out.stderr)
        assert "Traceback" not in out.stderr


# ---- formats: the words are pinned, and a file of an earlier format still verifies ------------

SAMPLES = Path(__file__).parent / "transcripts"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_transcripts_words_are_pinned_so_a_wording_change_needs_a_new_format(
        make_story: StoryMaker, fmt: str) -> None:
    """If this fails after a change of wording, the change altered what `verify` regenerates:
    bump transcript.FORMAT_VERSION, add the old words to FIGURE_WORDS (or its like) and keep a
    sample of the old format here."""
    story = _tiny(make_story)
    game = Game(story, "main")
    game.reflect("It had to go on.")
    game.choose(0)
    written = transcript.render(transcript.build(game, "Ann", PLAYED), fmt)
    assert written == (SAMPLES / f"tiny-format{transcript.FORMAT_VERSION}.{fmt}").read_text("utf-8")


@pytest.mark.parametrize("version", [1, 2, 3, 4])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_transcript_of_each_format_verifies_and_an_edit_to_it_shows(
        make_story: StoryMaker, fmt: str, version: int) -> None:
    story = _tiny(make_story)
    text = (SAMPLES / f"tiny-format{version}.{fmt}").read_text("utf-8")
    assert f"moscow1941-transcript/{version} " in text
    result = transcript.verify(text, story)
    assert result.ok, result.message
    edited = text.replace("Ann", "Anna", 1)
    assert not transcript.verify(edited, story).ok


def test_a_transcript_of_an_unknown_format_names_the_formats_this_version_checks(
        tiny_transcript: tuple[Story, str]) -> None:
    story, text = tiny_transcript
    result = transcript.verify(text.replace("moscow1941-transcript/4 ", "moscow1941-transcript/9 "),
                               story)
    assert not result.ok
    assert "transcript format 9; this version checks formats 1, 2, 3" in result.message


def test_a_real_choice_that_is_a_quotation_is_quoted_once(shipped: Story) -> None:
    """Defect 9 of the classroom trial: the HTML escaped a line of dialogue before looking for
    its quotation mark, and so quoted it again (“&quot;Go back to Moscow…&quot;”)."""
    found = 0
    for campaign in shipped.campaigns:
        for seed in range(40):
            rnd, game = random.Random(seed), Game(shipped, campaign, seed)
            while not game.ended and game.available():
                game.choose(rnd.choice(game.available()))
            t = transcript.build(game, "Anna", PLAYED)
            quoted_history = [h for s in t.scenes if s.choice is not None
                              and s.choice.mark == transcript.MARK_DIVERGED
                              for h in s.choice.history if h.startswith('"')]
            if not quoted_history:
                continue
            found += 1
            page, text = transcript.render(t, "html"), transcript.render(t, "md")
            assert "“&quot;" not in page and "&quot;”" not in page
            assert '“"' not in text and '"”' not in text
            assert transcript.verify(page, shipped).ok
    assert found, "no shipped game diverged from a real choice written as a quotation"
