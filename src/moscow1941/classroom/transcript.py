"""Transcripts: a student's game as a file to hand in, in Markdown or as one printable HTML page,
ending in an integrity line a teacher can check with `verify`.

A transcript holds who played (as they typed it), the campaign, the seed and when it was played;
every scene in order with its date and place; each choice marked as in history, diverged (with
what the real actors chose), counterfactual, or an ordinary choice, and author-mode jumps; the
reflections under the choices they were written before; the ending, or where the game stopped;
the timeline of real events beside this game; both divergence figures; and the campaign's
debrief questions.

The last line is the integrity line::

    Integrity: moscow1941-transcript/2 sha256=<hex> data=<base64url(zlib(json))>

`sha256` is the hash of every byte before that line; `data` holds what regenerates the whole
file: the story's id and content hash, campaign, seed, the path of choices, the reflections,
the player's name, the times and the format. `verify` decodes it (defensively: bounded, JSON
only), replays the path on the story it is given, renders the transcript again and compares it
with the file, byte for byte.

What that proves: the file is exactly what Moscow 1941 writes for that path of choices, those
reflections and that name, on that version of the story; any edit (a mark, a word of a
reflection, a figure, the name, the data) shows. What it cannot prove: who played, or that the
game was played at all rather than the path typed in by someone who knows the format. There is
no secret key: anyone with the program can make a valid transcript for any path they choose.

Format versions: the words of a transcript are part of what `verify` compares, so a change of
wording is a new format. Format 2 (December 2026) words the divergence figures as the game now
does ("2 of 8 real decisions differ", "3 of 44 events went otherwise"); format 1 said "2 of 8
decisions differ from history" and "3 of 10 events went differently". `verify` still checks a
format-1 file, rendering it again with format 1's words (`FIGURE_WORDS`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import re
import unicodedata
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from moscow1941.classroom.text import (
    choice_figure,
    end_sentence,
    ending_kind,
    md,
    one_line,
    outcome_figure,
    percent,
    quoted,
    wrap,
)
from moscow1941.engine import Divergence, Game, GameError, TimelineEntry, Verdict
from moscow1941.engine.game import JUMP, reflections_on_path
from moscow1941.engine.saves import MAX_CHOICES, MAX_PLAYER
from moscow1941.engine.state import (
    Reflection,
    StateError,
    Step,
    reflections_from_json,
    steps_from_json,
)
from moscow1941.story.dates import StoryDate
from moscow1941.story.model import Story
from moscow1941.words import COUNTERFACTUAL_SENTENCE, TIMELINE_TRANSCRIPT

FORMAT_NAME = "moscow1941-transcript"
FORMAT_VERSION = 2
"""The format `render` writes."""


def _figures_v1(d: Divergence) -> tuple[str, str]:
    return (f"{percent(d.choice)} ({d.divergent_decisions} of {d.decisions} decisions differ from history)",
            f"{percent(d.outcome)} ({d.events_diverged} of {d.events_settled} events went differently)")


def _figures_v2(d: Divergence) -> tuple[str, str]:
    return choice_figure(d), outcome_figure(d)


FIGURE_WORDS: Mapping[int, Callable[[Divergence], tuple[str, str]]] = {1: _figures_v1, 2: _figures_v2}
"""The choice and outcome figures in words, in each format `verify` checks (the only words
that differ between formats 1 and 2)."""
FORMATS = ("md", "html")

MAX_FILE = 16 * 1024 * 1024
"""The largest transcript `verify` reads, in characters (a long game is well under 1 MiB)."""
_MAX_DATA = 8 * 1024 * 1024
"""The longest `data=` field read, in characters."""
_MAX_JSON = 16 * 1024 * 1024
"""The most bytes the `data=` field may inflate to: a zip bomb stops here."""

_INTEGRITY = re.compile(
    rf"Integrity: {FORMAT_NAME}/(\d{{1,6}}) sha256=([0-9a-f]{{64}}) data=([A-Za-z0-9_-]*)")
_HTML_INTEGRITY = ('<p class="integrity">', "</p>")

Mark = Verdict | Literal["ordinary", "jump"]
"""How a choice is marked: a decision's verdict, an ordinary choice, or an author-mode jump."""

MARK_HISTORY: Mark = "history"
MARK_DIVERGED: Mark = "diverged"
MARK_COUNTERFACTUAL: Mark = "counterfactual"
MARK_ORDINARY: Mark = "ordinary"
MARK_JUMP: Mark = "jump"


class TranscriptError(ValueError):
    """A request `render` or `filename` cannot honour (an unknown format)."""


class PayloadError(ValueError):
    """An integrity line whose data cannot be what the game wrote; the message says why."""


# ---- values ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ChoiceMade:
    """The choice taken at a scene. `mark` is one of the MARK_* names; `history` is what the
    real actors chose there (for a diverged decision); for a jump, `text` is where it went."""

    text: str
    mark: Mark
    history: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SceneRecord:
    """One scene of the game, in order: where and when, the choice taken (None for the scene
    the game is at or ended on), and the reflection written there before choosing."""

    number: int
    node_id: str
    title: str
    date: StoryDate
    place: str
    choice: ChoiceMade | None
    prompt: str = ""
    answer: str = ""


@dataclass(frozen=True, slots=True)
class Transcript:
    """Everything a transcript shows, and what its integrity line records. Build it with
    `build`; every text in it is as the story or the player wrote it (escaping is `render`'s)."""

    story_id: str
    story_title: str
    content_hash: str
    campaign: str
    campaign_title: str
    seed: int
    player: str | None
    started: datetime
    last_played: datetime
    path: tuple[Step, ...]
    reflections: tuple[Reflection, ...]
    scenes: tuple[SceneRecord, ...]
    #: (title, kind) of the ending reached, or None when the game is not finished.
    ending: tuple[str, str] | None
    divergence: Divergence
    timeline: tuple[TimelineEntry, ...]
    debrief: tuple[str, ...]

    @property
    def finished(self) -> bool:
        return self.ending is not None


@dataclass(frozen=True, slots=True)
class Payload:
    """The decoded `data=` of an integrity line: what regenerates the transcript."""

    story_id: str
    content_hash: str
    campaign: str
    seed: int
    path: tuple[Step, ...]
    reflections: tuple[Reflection, ...]
    player: str | None
    started: datetime
    last_played: datetime
    format: str


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify` found: `message` is a sentence for the teacher either way."""

    ok: bool
    message: str


# ---- building ----------------------------------------------------------------------------------

def build(game: Game, player: str | None, played: tuple[datetime, datetime] | None = None
          ) -> Transcript:
    """The transcript of `game` as it stands (finished or not), played by `player`.

    `played` is when the game was started and last played (a save's `created` and `updated`);
    None means now for both. Times without a zone are read as local time; all are kept in UTC.
    """
    story, state = game.story, game.state
    if played is None:
        now = datetime.now(UTC)
        played = (now, now)
    path = tuple(state.path)
    reflections = reflections_on_path(story, path, state.node, state.reflections)
    by_step = {r.step: r.answer for r in reflections}
    decisions = iter(game.decisions())
    defaults = story.defaults()  # choice texts as written, as the game's history screens show them
    scenes: list[SceneRecord] = []
    for n, step in enumerate(path):
        node = story.nodes[step.node]
        made: ChoiceMade
        if step.index == JUMP:
            made = ChoiceMade(story.nodes[step.goto].title, MARK_JUMP)
        elif node.is_decision:
            rec = next(decisions)
            mark: Mark = rec.verdict
            made = ChoiceMade(rec.chosen, mark, rec.historical_choices if mark == MARK_DIVERGED else ())
        else:
            made = ChoiceMade(node.choices[step.index].text.render(defaults), MARK_ORDINARY)
        scenes.append(_scene(n, node.id, story, made, by_step.get(n, "")))
    scenes.append(_scene(len(path), state.node, story, None, by_step.get(len(path), "")))
    ending = game.node.ending
    campaign = story.campaigns[state.campaign]
    clean_player = one_line(player, MAX_PLAYER) if player is not None else ""
    return Transcript(
        story_id=story.id, story_title=story.title, content_hash=story.content_hash,
        campaign=campaign.id, campaign_title=campaign.title, seed=state.seed,
        player=clean_player or None, started=_utc(played[0]), last_played=_utc(played[1]),
        path=path, reflections=reflections, scenes=tuple(scenes),
        ending=None if ending is None else (ending.title, ending.kind),
        divergence=game.divergence(), timeline=tuple(game.timeline()),
        debrief=campaign.debrief)


def _scene(n: int, node_id: str, story: Story, made: ChoiceMade | None, answer: str) -> SceneRecord:
    node = story.nodes[node_id]
    return SceneRecord(n + 1, node.id, node.title, node.date, node.place, made,
                       node.reflect if answer else "", answer)


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC)  # a naive time is taken as local time


# ---- rendering ---------------------------------------------------------------------------------

def render(transcript: Transcript, fmt: str, version: int = FORMAT_VERSION) -> str:
    """The transcript as a file: `fmt` 'md' (Markdown, readable as plain text) or 'html' (one
    self-contained printable page). The last line is the integrity line. `version` is for
    `verify`, which renders an older format again to compare it."""
    figures = FIGURE_WORDS[version](transcript.divergence)
    if fmt == "md":
        body = _markdown(transcript, figures)
    elif fmt == "html":
        body = _html(transcript, figures)
    else:
        raise TranscriptError(f"no transcript format '{fmt}' (use one of: {', '.join(FORMATS)})")
    line = integrity_line(body, encode_payload(payload_of(transcript, fmt)), version)
    if fmt == "html":
        # The integrity paragraph is the page's last element and the file's last line: HTML
        # lets a page leave </body> and </html> out.
        return f"{body}{_HTML_INTEGRITY[0]}{line}{_HTML_INTEGRITY[1]}\n"
    return f"{body}{line}\n"


def integrity_line(body: str, data: str, version: int = FORMAT_VERSION) -> str:
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    return f"Integrity: {FORMAT_NAME}/{version} sha256={digest} data={data}"


def filename(transcript: Transcript, fmt: str) -> str:
    """A safe file name to suggest: player, campaign and when last played (to the minute, so
    two exports on one day, or two unnamed players on one computer, do not overwrite each
    other), e.g. `Anna-Petrova-soviet-2026-11-23-0958.html`. Letters and digits of any script are kept; anything
    else becomes '-'."""
    if fmt not in FORMATS:
        raise TranscriptError(f"no transcript format '{fmt}' (use one of: {', '.join(FORMATS)})")
    stem = "-".join(part for part in (_file_safe(transcript.player or "", 60) or "transcript",
                                      _file_safe(transcript.campaign, 40)) if part)
    return f"{stem}-{transcript.last_played:%Y-%m-%d-%H%M}.{fmt}"


def _file_safe(text: str, limit: int) -> str:
    """Letters and digits of `text`, runs of anything else as one '-', at most `limit` long."""
    chars = "".join(ch if ch.isalnum() else "-" for ch in unicodedata.normalize("NFC", text))
    return "-".join(part for part in chars.split("-") if part)[:limit].strip("-")


def _when(t: Transcript) -> str:
    return f"{t.started:%Y-%m-%d %H:%M} UTC to {t.last_played:%Y-%m-%d %H:%M} UTC"


def _result(t: Transcript, esc: Callable[[str], str]) -> str:
    """The ending reached or where the game stopped, in one sentence (`esc` escapes story text
    for the target format)."""
    if t.ending is not None:
        return f"Finished: ‘{esc(t.ending[0])}’, {ending_kind(t.ending[1])}."
    last = t.scenes[-1]
    return f"Not finished, at ‘{esc(last.title)}’ ({last.date.display()})."


def _ending(t: Transcript, esc: Callable[[str], str]) -> str:
    """The paragraph under 'The ending'."""
    if t.ending is not None:
        return f"‘{esc(t.ending[0])}’: {ending_kind(t.ending[1])}."
    last = t.scenes[-1]
    return f"Not finished: the game stopped at ‘{esc(last.title)}’ ({last.date.display()})."


_JUMP = "Author jump to ‘{}’ (author mode: not a choice, counted in neither divergence figure)."


_MARKS: Mapping[Mark, str] = {
    MARK_HISTORY: "As in history: the real actors made the same choice.",
    MARK_COUNTERFACTUAL: COUNTERFACTUAL_SENTENCE,
    MARK_ORDINARY: "An ordinary choice, not a historical decision.",
}


def _mark(made: ChoiceMade, esc: Callable[[str], str]) -> str:
    """The sentence that marks a choice."""
    if made.mark == MARK_DIVERGED:
        if not made.history:
            return "Diverged: none of the choices here is the one the real actors made."
        chosen = " or ".join(quoted(esc(h)) for h in made.history)
        return end_sentence(f"Diverged: the real actors chose {chosen}")
    return _MARKS[made.mark]


def _markdown(t: Transcript, figures: tuple[str, str]) -> str:
    out = ["# Moscow 1941: transcript", ""]
    facts = [
        ("Player", md(t.player) if t.player else "(no name given)"),
        ("Campaign", md(t.campaign_title)),
        ("Story", f"{md(t.story_title)} (version {t.content_hash[:12]})"),
        ("Seed", str(t.seed)),
        ("Played", _when(t)),
        ("Result", _result(t, md)),
        ("Choice divergence", figures[0]),
        ("Outcome divergence", figures[1]),
    ]
    for label, value in facts:
        out += wrap(f"{label}: {value}", "- ", "  ")
    out += ["", "## The game, scene by scene", ""]
    for s in t.scenes:
        out += [f"### {s.number}. {md(s.title)}", "", f"{s.date.display()} · {md(s.place)}", ""]
        if s.choice is not None:
            made = s.choice
            if made.mark == MARK_JUMP:
                out += wrap(_JUMP.format(md(made.text)), "- ", "  ")
            else:
                out += wrap(f"Your choice: {md(made.text)}", "- ", "  ")
                out += wrap(_mark(made, md), "- ", "  ")
            out.append("")
        if s.answer:
            label = "written before this choice" if s.choice is not None else "written here"
            out += wrap(f"Reflection, {label}: *{md(s.prompt)}*")
            out.append("")
            for line in s.answer.split("\n"):
                out += wrap(md(line), "> ", "> ") if line else [">"]
            out.append("")
    out += ["## The ending", ""]
    out += wrap(_ending(t, md))
    out += ["", "## History beside this game", ""]
    for e in t.timeline:
        out += wrap(f"{e.date.display()}, {md(e.title)}: {TIMELINE_TRANSCRIPT[e.status]}.", "- ", "  ")
        out += wrap(f"History: {md(e.happened)}", "  ")
        if e.status == "diverged":
            out += wrap(f"This game: {md(e.this_game)}", "  ")
    if t.debrief:
        out += ["", "## Questions for discussion", ""]
        for n, question in enumerate(t.debrief, 1):
            out += wrap(md(question), f"{n}. ")
    out += ["", "---", "",
            "A teacher can check that this file is exactly what the game wrote:",
            "`moscow1941 transcript --verify FILE`.", "", ""]
    return "\n".join(out)


_CSS = """\
:root { color-scheme: light; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; background: #fff;
       max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .4em; }
h2 { font-size: 1.2em; margin: 1.8em 0 .6em; border-bottom: 1px solid #999; }
h3 { font-size: 1em; margin: 1.2em 0 .1em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.when { margin: 0 0 .3em; color: #444; font-style: italic; }
.choice, .mark { margin: .1em 0 .1em 1em; }
.mark { font-weight: bold; }
.mark.ordinary { font-weight: normal; color: #555; font-style: italic; }
.mark.diverged::before { content: "✗ "; }
.mark.history::before { content: "✓ "; }
.mark.counterfactual::before { content: "◇ "; }
.reflection { margin: .5em 0 .5em 1em; padding-left: .8em; border-left: 3px solid #888; }
.reflection p { margin: .2em 0; }
.timeline li { margin: .3em 0; }
.timeline .status { font-weight: bold; }
.check { margin-top: 2.5em; color: #444; }
.integrity { font: 7pt/1.2 monospace; color: #555; word-break: break-all; margin: .3em 0 0;
             border-top: 1px dashed #aaa; padding-top: .4em; }
@media print {
  @page { margin: 18mm 16mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; }
  section.scene, .timeline li, .debrief li { break-inside: avoid; }
  .integrity { font-size: 5.5pt; }
}
"""


def _h(text: str) -> str:
    """Untrusted text as literal HTML, on one line."""
    return html.escape(one_line(text, 10_000), quote=True)


def _html(t: Transcript, figures: tuple[str, str]) -> str:
    who = _h(t.player) if t.player else "(no name given)"
    title = f"Transcript: {who}, {_h(t.campaign_title)}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # Nothing may be fetched or run, whatever a story or a player managed to write.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        "<style>", _CSS.rstrip("\n"), "</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>Moscow 1941: transcript</h1>",
        '<dl class="facts">',
        f"<dt>Player</dt><dd>{who}</dd>",
        f"<dt>Campaign</dt><dd>{_h(t.campaign_title)}</dd>",
        f"<dt>Story</dt><dd>{_h(t.story_title)} (version {t.content_hash[:12]})</dd>",
        f"<dt>Seed</dt><dd>{t.seed}</dd>",
        f"<dt>Played</dt><dd>{_when(t)}</dd>",
        f"<dt>Result</dt><dd>{_result(t, _h)}</dd>",
        f"<dt>Choice divergence</dt><dd>{figures[0]}</dd>",
        f"<dt>Outcome divergence</dt><dd>{figures[1]}</dd>",
        "</dl>",
        "</header>",
        "<main>",
        "<h2>The game, scene by scene</h2>",
    ]
    for s in t.scenes:
        out += ['<section class="scene">',
                f"<h3>{s.number}. {_h(s.title)}</h3>",
                f'<p class="when">{s.date.display()} · {_h(s.place)}</p>']
        if s.choice is not None:
            made = s.choice
            if made.mark == MARK_JUMP:
                out.append(f'<p class="choice jump">{_JUMP.format(_h(made.text))}</p>')
            else:
                out.append(f'<p class="choice">Your choice: {_h(made.text)}</p>')
                out.append(f'<p class="mark {made.mark}">{_mark(made, _h)}</p>')
        if s.answer:
            label = "written before this choice" if s.choice is not None else "written here"
            answer = "<br>".join(html.escape(line, quote=True) for line in s.answer.split("\n"))
            out += ['<div class="reflection">',
                    f'<p class="prompt">Reflection, {label}: <em>{_h(s.prompt)}</em></p>',
                    f'<p class="answer">{answer}</p>',
                    "</div>"]
        out.append("</section>")
    out += ["<h2>The ending</h2>", f"<p>{_ending(t, _h)}</p>"]
    out += ["<h2>History beside this game</h2>", '<ul class="timeline">']
    for e in t.timeline:
        this_game = f"<br>This game: {_h(e.this_game)}" if e.status == "diverged" else ""
        out.append(f'<li class="{_h(e.status)}">{e.date.display()}, <strong>{_h(e.title)}</strong>: '
                   f'<span class="status">{TIMELINE_TRANSCRIPT[e.status]}</span>.'
                   f"<br>History: {_h(e.happened)}{this_game}</li>")
    out.append("</ul>")
    if t.debrief:
        out += ["<h2>Questions for discussion</h2>", '<ol class="debrief">']
        out += [f"<li>{_h(q)}</li>" for q in t.debrief]
        out.append("</ol>")
    out += ["</main>",
            '<p class="check">A teacher can check that this file is exactly what the game wrote: '
            "<code>moscow1941 transcript --verify FILE</code>.</p>", ""]
    return "\n".join(out)


# ---- the payload -------------------------------------------------------------------------------

def payload_of(transcript: Transcript, fmt: str) -> Payload:
    t = transcript
    return Payload(t.story_id, t.content_hash, t.campaign, t.seed, t.path, t.reflections,
                   t.player, t.started, t.last_played, fmt)


def _payload_json(p: Payload) -> str:
    data: dict[str, Any] = {
        "story": {"id": p.story_id, "content_hash": p.content_hash},
        "campaign": p.campaign, "seed": p.seed,
        "path": [s.to_json() for s in p.path],
        "reflections": [r.to_json() for r in p.reflections],
        "player": p.player,
        "started": p.started.isoformat(), "last_played": p.last_played.isoformat(),
        "format": p.format,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def encode_payload(payload: Payload) -> str:
    """base64url (unpadded) of the zlib-compressed canonical JSON of `payload`."""
    packed = zlib.compress(_payload_json(payload).encode("ascii"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


_PAYLOAD_KEYS = frozenset({"story", "campaign", "seed", "path", "reflections", "player",
                           "started", "last_played", "format"})


def decode_payload(data: str) -> Payload:
    """Read the `data=` field of an integrity line. Anything that is not exactly what the game
    writes raises PayloadError with the reason; nothing else is ever raised."""
    if not isinstance(data, str) or not data:
        raise PayloadError("its data field is empty")
    if len(data) > _MAX_DATA:
        raise PayloadError("its data field is far longer than any game's")
    if not data.isascii() or re.fullmatch(r"[A-Za-z0-9_-]+", data) is None:
        raise PayloadError("its data field holds characters the game never writes there")
    try:
        packed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        raise PayloadError("its data field is not base64 text") from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, _MAX_JSON + 1)
    except zlib.error:
        raise PayloadError("its data field is not compressed data the game wrote") from None
    if len(raw) > _MAX_JSON or inflater.unconsumed_tail:
        raise PayloadError("its data field unpacks to far more than any game's record")
    if not inflater.eof or inflater.unused_data:
        raise PayloadError("its data field is cut short or has extra bytes")
    try:
        value = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError("its data field does not hold the game's record") from None
    return _payload_from(value)


def _payload_from(value: object) -> Payload:
    if not isinstance(value, dict) or set(value) != _PAYLOAD_KEYS:
        raise PayloadError("its record does not have the fields the game writes")
    story = value["story"]
    if not (isinstance(story, dict) and set(story) == {"id", "content_hash"}
            and isinstance(story["id"], str) and isinstance(story["content_hash"], str)):
        raise PayloadError("its record does not say which story it belongs to")
    campaign, seed, fmt, player = value["campaign"], value["seed"], value["format"], value["player"]
    if not isinstance(campaign, str):
        raise PayloadError("its record's campaign is not text")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise PayloadError("its record's seed is not a whole number")
    if fmt not in FORMATS:
        raise PayloadError("its record names no transcript format the game writes")
    if player is not None and not (isinstance(player, str) and 0 < len(player) <= MAX_PLAYER):
        raise PayloadError("its record's player name is not one the game writes")
    path, reflections = _moves(value["path"], value["reflections"])
    return Payload(story["id"], story["content_hash"], campaign, seed, path, reflections, player,
                   _time(value["started"]), _time(value["last_played"]), fmt)


def _moves(path: object, reflections: object) -> tuple[tuple[Step, ...], tuple[Reflection, ...]]:
    """The record's path and reflections, read by the engine's own reader of a game state (the
    same shapes as in a save)."""
    if not (isinstance(path, list) and len(path) <= MAX_CHOICES and isinstance(reflections, list)
            and len(reflections) <= len(path) + 1):
        raise PayloadError("its record's choices and reflections are not lists the game writes")
    try:
        steps = steps_from_json(path)
        return tuple(steps), tuple(reflections_from_json(reflections, len(steps)))
    except StateError as exc:
        raise PayloadError(f"its record's choices or reflections are damaged ({exc})") from None


def _time(value: object) -> datetime:
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError(value)
        when = datetime.fromisoformat(value)
    except ValueError:
        raise PayloadError("a time in its record is not a date and time") from None
    if when.utcoffset() != timedelta(0):
        raise PayloadError("a time in its record is not in UTC, as the game writes times")
    return when


# ---- verifying ---------------------------------------------------------------------------------

def verify(text: str, story: Story) -> Verification:
    """Check that `text` is exactly the transcript the game writes for the choices, reflections
    and name recorded in its integrity line, on `story`. The message says what was found, in a
    sentence for a teacher; see this module's docstring for what it can and cannot prove."""
    if len(text) > MAX_FILE:
        return _fail("This file is far larger than any transcript, so it is not one the game wrote.")
    exact = text
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    found = _INTEGRITY.search(lines[last]) if last >= 0 else None
    if found is None:
        return _fail("This file does not end with an integrity line, so it is not a transcript as "
                     "Moscow 1941 wrote it: it may have been cut short, added to, or written by "
                     "hand. Ask for the file the game wrote.")
    version, claimed, data = int(found[1]), found[2], found[3]
    if version not in FIGURE_WORDS:
        return _fail(f"This transcript was written by another version of Moscow 1941 (transcript "
                     f"format {version}; this version checks formats "
                     f"{', '.join(map(str, FIGURE_WORDS))}). Check it with that version of the game.")
    try:
        payload = decode_payload(data)
    except PayloadError as exc:
        return _fail(f"The integrity line of this transcript cannot be read ({exc}), so the file "
                     "was damaged or edited. Ask for the file the game wrote.")
    body = "\n".join(lines[:last]) + "\n"
    intact = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest() == claimed
    if payload.story_id != story.id:
        return _fail(f"This transcript was made with the story ‘{one_line(payload.story_id, 60)}’ "
                     f"(version {one_line(payload.content_hash)[:12]}), not ‘{story.id}’. Check it "
                     "with --story pointing at that story.")
    if payload.content_hash != story.content_hash:
        return _fail(
            f"This transcript was made with another version of the story ‘{story.title}’ (version "
            f"{one_line(payload.content_hash)[:12]}; the story given is version "
            f"{story.content_hash[:12]}), so it cannot be replayed here. Check it with the version "
            "of Moscow 1941 it was made with. "
            + ("Its text does match its own checksum." if intact else
               "Its text does not match its own checksum either: it was edited."))
    regenerated = _regenerate(payload, story, version)
    if isinstance(regenerated, Verification):
        return regenerated
    expected_lines = regenerated.split("\n")
    # The record decoded to exactly what the game would write; its compressed bytes may still
    # differ (another build of zlib compresses differently), so compare the record, not its bytes.
    expected_lines[-2] = expected_lines[-2].replace(
        f" data={encode_payload(payload)}", f" data={data}")
    expected = "\n".join(expected_lines)
    if expected == text:
        if text != exact:
            return _fail("This transcript's words are exactly what the game wrote, but the file was "
                         "re-saved (its line endings or its first bytes were changed, perhaps by an "
                         "editor or an e-mail program), so it is not byte for byte the game's file. "
                         "Ask for the original file.")
        who = f"{payload.player}’s game" if payload.player else "a game with no name given"
        return Verification(True, (
            f"This transcript is intact: it is exactly what Moscow 1941 wrote for {who} of "
            f"‘{story.campaigns[payload.campaign].title}’ ({len(payload.path)} choices, seed "
            f"{payload.seed}) on this version of ‘{story.title}’. This shows the file was not "
            "edited; it cannot show who played."))
    return _fail(_first_difference(text.split("\n"), expected_lines))


def _regenerate(payload: Payload, story: Story, version: int) -> str | Verification:
    """The transcript the game writes for `payload` on `story`, or why there can be none."""
    if payload.campaign not in story.campaigns:
        return _fail("The integrity line names a campaign this story does not have, so the file "
                     "was edited.")
    try:
        game, applied = Game.replay(story, payload.campaign, payload.seed, payload.path)
    except GameError:
        return _fail("The integrity line's choices cannot be replayed on this story, so the file "
                     "was edited.")
    if applied != len(payload.path):
        return _fail(f"The choices recorded in the integrity line do not fit this story (choice "
                     f"{applied + 1} of {len(payload.path)} is not possible there), so the file "
                     "was edited.")
    if reflections_on_path(story, payload.path, game.state.node,
                           payload.reflections) != payload.reflections:
        return _fail("The reflections recorded in the integrity line are not ones the game keeps "
                     "for these choices, so the file was edited.")
    if payload.player is not None and one_line(payload.player, MAX_PLAYER) != payload.player:
        return _fail("The player name recorded in the integrity line is not one the game writes, "
                     "so the file was edited.")
    game.state.reflections = list(payload.reflections)
    return render(build(game, payload.player, (payload.started, payload.last_played)),
                  payload.format, version)


def _first_difference(got: list[str], want: list[str]) -> str:
    """Where the file first differs from what the game writes (`want` ends with the integrity
    line and an empty string, the file's final line break)."""
    n = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
             min(len(got), len(want)))
    head = "This transcript was edited after the game wrote it:"
    if n == len(want) - 2:
        return (f"{head} its integrity line (line {n + 1}) is not the one the game writes for "
                "this file.")
    if n >= len(got):
        return f"{head} the file stops at line {n + 1}, where the game wrote «{_quote(want[n])}»."
    if n >= len(want):
        return f"{head} line {n + 1} reads «{_quote(got[n])}», after the end of what the game wrote."
    return f"{head} line {n + 1} reads «{_quote(got[n])}», where the game wrote «{_quote(want[n])}»."


def _quote(line: str) -> str:
    return one_line(line, 160) or "(an empty line)"


def _fail(message: str) -> Verification:
    return Verification(False, message)
