"""The integrity line and what `verify` does with it: the transcript as a file (`render`: a
page, then the line), the payload codec (bounded, JSON only) and verification by replay.
See the package's docstring for what it proves."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from moscow1941 import i18n
from moscow1941.classroom.text import choice_figure, one_line, outcome_figure, percent
from moscow1941.classroom.transcript.html import html_page
from moscow1941.classroom.transcript.markdown import markdown_page
from moscow1941.classroom.transcript.model import FORMATS, Transcript, TranscriptError, build
from moscow1941.engine import Divergence, Game, GameError
from moscow1941.engine.game import reflections_on_path
from moscow1941.engine.saves import MAX_CHOICES, MAX_PLAYER
from moscow1941.engine.state import (
    Reflection,
    StateError,
    Step,
    reflections_from_json,
    steps_from_json,
)
from moscow1941.i18n import _, ngettext
from moscow1941.story.model import Story

FORMAT_NAME = "moscow1941-transcript"
FORMAT_VERSION = 4
"""The format `render` writes."""


def _figures_v1(d: Divergence) -> tuple[str, str]:
    return (f"{percent(d.choice)} ({d.divergent_decisions} of {d.decisions} decisions differ from history)",
            f"{percent(d.outcome)} ({d.events_diverged} of {d.events_settled} events went differently)")


def _figures_v2(d: Divergence) -> tuple[str, str]:
    # Format 2's words, English only, with its slip ("0 of 1 real decision differ") kept.
    total = d.events_total or d.events_settled
    decisions = f"{d.decisions} real decision{'s' * (d.decisions != 1)}"
    text = f"{d.divergent_decisions} of {decisions} differ"
    if d.counterfactual_decisions:
        text += f"; {d.counterfactual_decisions} more in a world history never saw"
    return (f"{percent(d.choice)} ({text})",
            f"{percent(d.outcome)} ({d.events_diverged} of {total} event{'s' * (total != 1)} "
            "went otherwise)")


def _figures_v3(d: Divergence) -> tuple[str, str]:
    return choice_figure(d), outcome_figure(d)


FIGURE_WORDS: Mapping[int, Callable[[Divergence], tuple[str, str]]] = {
    1: _figures_v1, 2: _figures_v2, 3: _figures_v3, 4: _figures_v3}
"""The choice and outcome figures in words, in each format `verify` checks (formats 1 and 2
are English; from format 3 in the transcript's language)."""

LANGUAGE_SINCE = 3
"""The first format that records its language (and is written in it); formats 1 and 2 are
English, with a left-to-right style sheet."""

QUOTE_ONCE_SINCE = 4
"""The first format whose HTML quotes a real actors' choice that is itself a quotation (a line
of dialogue) once: formats 1 to 3 escaped it before looking for its quotation mark, and so
wrapped it in a second pair (“&quot;…&quot;”)."""

MAX_FILE = 16 * 1024 * 1024
"""The largest transcript `verify` reads, in characters (a long game is well under 1 MiB)."""
_MAX_DATA = 8 * 1024 * 1024
"""The longest `data=` field read, in characters."""
_MAX_JSON = 16 * 1024 * 1024
"""The most bytes the `data=` field may inflate to: a zip bomb stops here."""

_INTEGRITY = re.compile(
    rf"Integrity: {FORMAT_NAME}/(\d{{1,6}}) sha256=([0-9a-f]{{64}}) data=([A-Za-z0-9_-]*)")
_HTML_INTEGRITY = ('<p class="integrity">', "</p>")


class PayloadError(ValueError):
    """An integrity line whose data cannot be what the game wrote; the message says why."""


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
    #: The language the transcript is written in (formats 1 and 2: English, not recorded).
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Verification:
    """What `verify` found: `message` is a sentence for the teacher either way."""

    ok: bool
    message: str


def render(transcript: Transcript, fmt: str, version: int = FORMAT_VERSION) -> str:
    """The transcript as a file: `fmt` 'md' (Markdown, readable as plain text) or 'html' (one
    self-contained printable page). The last line is the integrity line. `version` is for
    `verify`, which renders an older format again to compare it."""
    figures = FIGURE_WORDS[version](transcript.divergence)
    if fmt == "md":
        body = markdown_page(transcript, figures)
    elif fmt == "html":
        body = html_page(transcript, figures, legacy=version < LANGUAGE_SINCE,
                         quote_once=version >= QUOTE_ONCE_SINCE)
    else:
        raise TranscriptError(_("no transcript format '{fmt}' (use one of: {formats})").format(
            fmt=fmt, formats=", ".join(FORMATS)))
    line = integrity_line(body, encode_payload(payload_of(transcript, fmt), version), version)
    if fmt == "html":
        # The integrity paragraph is the page's last element and the file's last line: HTML
        # lets a page leave </body> and </html> out.
        return f"{body}{_HTML_INTEGRITY[0]}{line}{_HTML_INTEGRITY[1]}\n"
    return f"{body}{line}\n"


def integrity_line(body: str, data: str, version: int = FORMAT_VERSION) -> str:
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    return f"Integrity: {FORMAT_NAME}/{version} sha256={digest} data={data}"


# ---- the payload -------------------------------------------------------------------------------

def payload_of(transcript: Transcript, fmt: str) -> Payload:
    t = transcript
    return Payload(t.story_id, t.content_hash, t.campaign, t.seed, t.path, t.reflections,
                   t.player, t.started, t.last_played, fmt, t.language)


def _payload_json(p: Payload, version: int = FORMAT_VERSION) -> str:
    data: dict[str, Any] = {
        "story": {"id": p.story_id, "content_hash": p.content_hash},
        "campaign": p.campaign, "seed": p.seed,
        "path": [s.to_json() for s in p.path],
        "reflections": [r.to_json() for r in p.reflections],
        "player": p.player,
        "started": p.started.isoformat(), "last_played": p.last_played.isoformat(),
        "format": p.format,
    }
    if version >= LANGUAGE_SINCE:
        data["language"] = p.language
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def encode_payload(payload: Payload, version: int = FORMAT_VERSION) -> str:
    """base64url (unpadded) of the zlib-compressed canonical JSON of `payload` (from format 3,
    with its language)."""
    packed = zlib.compress(_payload_json(payload, version).encode("ascii"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


_PAYLOAD_KEYS = frozenset({"story", "campaign", "seed", "path", "reflections", "player",
                           "started", "last_played", "format"})
_PAYLOAD_KEYS_V3 = _PAYLOAD_KEYS | {"language"}


def decode_payload(data: str, version: int | None = None) -> Payload:
    """Read the `data=` field of an integrity line (of format `version`; None: any format).
    Anything that is not exactly what the game writes raises PayloadError with the reason;
    nothing else is ever raised."""
    if not isinstance(data, str) or not data:
        raise PayloadError(_("its data field is empty"))
    if len(data) > _MAX_DATA:
        raise PayloadError(_("its data field is far longer than any game's"))
    if not data.isascii() or re.fullmatch(r"[A-Za-z0-9_-]+", data) is None:
        raise PayloadError(_("its data field holds characters the game never writes there"))
    try:
        packed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        raise PayloadError(_("its data field is not base64 text")) from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, _MAX_JSON + 1)
    except zlib.error:
        raise PayloadError(_("its data field is not compressed data the game wrote")) from None
    if len(raw) > _MAX_JSON or inflater.unconsumed_tail:
        raise PayloadError(_("its data field unpacks to far more than any game's record"))
    if not inflater.eof or inflater.unused_data:
        raise PayloadError(_("its data field is cut short or has extra bytes"))
    try:
        value = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError(_("its data field does not hold the game's record")) from None
    return _payload_from(value, version)


def _payload_from(value: object, version: int | None = None) -> Payload:
    if version is None:
        allowed: tuple[frozenset[str], ...] = (_PAYLOAD_KEYS, _PAYLOAD_KEYS_V3)
    else:
        allowed = (_PAYLOAD_KEYS_V3 if version >= LANGUAGE_SINCE else _PAYLOAD_KEYS,)
    if not isinstance(value, dict) or frozenset(value) not in allowed:
        raise PayloadError(_("its record does not have the fields the game writes"))
    language = value.get("language", "en")
    if not isinstance(language, str) or language not in i18n.LANGUAGES:
        raise PayloadError(_("its record names no language the game speaks"))
    story = value["story"]
    if not (isinstance(story, dict) and set(story) == {"id", "content_hash"}
            and isinstance(story["id"], str) and isinstance(story["content_hash"], str)):
        raise PayloadError(_("its record does not say which story it belongs to"))
    campaign, seed, fmt, player = value["campaign"], value["seed"], value["format"], value["player"]
    if not isinstance(campaign, str):
        raise PayloadError(_("its record's campaign is not text"))
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise PayloadError(_("its record's seed is not a whole number"))
    if fmt not in FORMATS:
        raise PayloadError(_("its record names no transcript format the game writes"))
    if player is not None and not (isinstance(player, str) and 0 < len(player) <= MAX_PLAYER):
        raise PayloadError(_("its record's player name is not one the game writes"))
    path, reflections = _moves(value["path"], value["reflections"])
    return Payload(story["id"], story["content_hash"], campaign, seed, path, reflections, player,
                   _time(value["started"]), _time(value["last_played"]), fmt, language)


def _moves(path: object, reflections: object) -> tuple[tuple[Step, ...], tuple[Reflection, ...]]:
    """The record's path and reflections, read by the engine's own reader of a game state (the
    same shapes as in a save)."""
    if not (isinstance(path, list) and len(path) <= MAX_CHOICES and isinstance(reflections, list)
            and len(reflections) <= len(path) + 1):
        raise PayloadError(_("its record's choices and reflections are not lists the game writes"))
    try:
        steps = steps_from_json(path)
        return tuple(steps), tuple(reflections_from_json(reflections, len(steps)))
    except StateError as exc:
        raise PayloadError(_("its record's choices or reflections are damaged ({reason})").format(
            reason=exc)) from None


def _time(value: object) -> datetime:
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError(value)
        when = datetime.fromisoformat(value)
    except ValueError:
        raise PayloadError(_("a time in its record is not a date and time")) from None
    if when.utcoffset() != timedelta(0):
        raise PayloadError(_("a time in its record is not in UTC, as the game writes times"))
    return when


# ---- verifying ---------------------------------------------------------------------------------

def verify(text: str, story: Story) -> Verification:
    """Check that `text` is exactly the transcript the game writes for the choices, reflections
    and name recorded in its integrity line, on `story`. The message says what was found, in a
    sentence for a teacher (in the current language); see this module's docstring for what it
    can and cannot prove.

    A transcript of format 3 records its language: it is rendered again in that language (the
    game's words switched to it for the rendering, then back) on the story in that language
    (`story` translated, or loaded again from its folder in that language)."""
    if len(text) > MAX_FILE:
        return _fail(_("This file is far larger than any transcript, so it is not one the game "
                       "wrote."))
    exact = text
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    found = _INTEGRITY.search(lines[last]) if last >= 0 else None
    if found is None:
        return _fail(_("This file does not end with an integrity line, so it is not a transcript "
                       "as Moscow 1941 wrote it: it may have been cut short, added to, or written "
                       "by hand. Ask for the file the game wrote."))
    version, claimed, data = int(found[1]), found[2], found[3]
    if version not in FIGURE_WORDS:
        return _fail(_("This transcript was written by another version of Moscow 1941 (transcript "
                       "format {version}; this version checks formats {formats}). Check it with "
                       "that version of the game.").format(
            version=version, formats=", ".join(map(str, FIGURE_WORDS))))
    try:
        payload = decode_payload(data, version)
    except PayloadError as exc:
        return _fail(_("The integrity line of this transcript cannot be read ({reason}), so the "
                       "file was damaged or edited. Ask for the file the game wrote.").format(
            reason=exc))
    body = "\n".join(lines[:last]) + "\n"
    intact = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest() == claimed
    if payload.story_id != story.id:
        return _fail(_("This transcript was made with the story ‘{made}’ (version {version}), not "
                       "‘{given}’. Check it with --story pointing at that story.").format(
            made=one_line(payload.story_id, 60), version=one_line(payload.content_hash)[:12],
            given=story.id))
    if payload.content_hash != story.content_hash:
        return _fail(
            _("This transcript was made with another version of the story ‘{title}’ (version "
              "{version}; the story given is version {given}), so it cannot be replayed here. "
              "Check it with the version of Moscow 1941 it was made with.").format(
                title=story.title, version=one_line(payload.content_hash)[:12],
                given=story.content_hash[:12]) + " "
            + (_("Its text does match its own checksum.") if intact else
               _("Its text does not match its own checksum either: it was edited.")))
    regenerated = _regenerate_in(payload, story, version)
    if isinstance(regenerated, Verification):
        return regenerated
    expected_lines = regenerated.split("\n")
    # The record decoded to exactly what the game would write; its compressed bytes may still
    # differ (another build of zlib compresses differently), so compare the record, not its bytes.
    expected_lines[-2] = expected_lines[-2].replace(
        f" data={encode_payload(payload, version)}", f" data={data}")
    expected = "\n".join(expected_lines)
    if expected == text:
        if text != exact:
            return _fail(_("This transcript's words are exactly what the game wrote, but the file "
                           "was re-saved (its line endings or its first bytes were changed, "
                           "perhaps by an editor or an e-mail program), so it is not byte for byte "
                           "the game's file. Ask for the original file."))
        campaign = story.campaigns[payload.campaign].title
        if payload.player:
            message = ngettext(
                "This transcript is intact: it is exactly what Moscow 1941 wrote for {player}’s "
                "game of ‘{campaign}’ ({n} choice, seed {seed}) on this version of ‘{story}’. "
                "This shows the file was not edited; it cannot show who played.",
                "This transcript is intact: it is exactly what Moscow 1941 wrote for {player}’s "
                "game of ‘{campaign}’ ({n} choices, seed {seed}) on this version of ‘{story}’. "
                "This shows the file was not edited; it cannot show who played.",
                len(payload.path))
        else:
            message = ngettext(
                "This transcript is intact: it is exactly what Moscow 1941 wrote for a game with "
                "no name given of ‘{campaign}’ ({n} choice, seed {seed}) on this version of "
                "‘{story}’. This shows the file was not edited; it cannot show who played.",
                "This transcript is intact: it is exactly what Moscow 1941 wrote for a game with "
                "no name given of ‘{campaign}’ ({n} choices, seed {seed}) on this version of "
                "‘{story}’. This shows the file was not edited; it cannot show who played.",
                len(payload.path))
        return Verification(True, message.format(player=payload.player, campaign=campaign,
                                                 n=len(payload.path), seed=payload.seed,
                                                 story=story.title))
    return _fail(_first_difference(text.split("\n"), expected_lines))


def story_in(story: Story, language: str) -> Story:
    """`story` in `language`: itself when it is in it already; else translated (from the English
    story, loaded again from its folder when `story` is itself a translation)."""
    if story.language == language:
        return story
    from moscow1941.story.translation import translate_story

    english = story
    if story.language != "en":
        from moscow1941.story import load_story

        loaded = load_story(story.root).story
        if loaded is None or loaded.content_hash != story.content_hash:
            return story
        english = loaded
    return translate_story(english, language).story


def _regenerate_in(payload: Payload, story: Story, version: int) -> str | Verification:
    """`_regenerate` with the game's words in the transcript's language and the story in it
    (the language it speaks is restored after); English for formats 1 and 2."""
    language = payload.language if version >= LANGUAGE_SINCE else "en"
    previous = i18n.language()
    try:
        told = story_in(story, language)
    except (OSError, ValueError):
        told = story
    i18n.set_language(language)
    try:
        regenerated = _regenerate(payload, told, version)
    finally:
        i18n.set_language(previous)
    return regenerated


def _regenerate(payload: Payload, story: Story, version: int) -> str | Verification:
    """The transcript the game writes for `payload` on `story`, or why there can be none."""
    if payload.campaign not in story.campaigns:
        return _fail(_("The integrity line names a campaign this story does not have, so the "
                       "file was edited."))
    try:
        game, applied = Game.replay(story, payload.campaign, payload.seed, payload.path)
    except GameError:
        return _fail(_("The integrity line's choices cannot be replayed on this story, so the "
                       "file was edited."))
    if applied != len(payload.path):
        return _fail(_("The choices recorded in the integrity line do not fit this story (choice "
                       "{n} of {total} is not possible there), so the file was edited.").format(
            n=applied + 1, total=len(payload.path)))
    if reflections_on_path(story, payload.path, game.state.node,
                           payload.reflections) != payload.reflections:
        return _fail(_("The reflections recorded in the integrity line are not ones the game "
                       "keeps for these choices, so the file was edited."))
    if payload.player is not None and one_line(payload.player, MAX_PLAYER) != payload.player:
        return _fail(_("The player name recorded in the integrity line is not one the game "
                       "writes, so the file was edited."))
    game.state.reflections = list(payload.reflections)
    return render(build(game, payload.player, (payload.started, payload.last_played)),
                  payload.format, version)


def _first_difference(got: list[str], want: list[str]) -> str:
    """Where the file first differs from what the game writes (`want` ends with the integrity
    line and an empty string, the file's final line break)."""
    n = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
             min(len(got), len(want)))
    head = _("This transcript was edited after the game wrote it:")
    if n == len(want) - 2:
        return head + " " + _("its integrity line (line {n}) is not the one the game writes for "
                              "this file.").format(n=n + 1)
    if n >= len(got):
        return head + " " + _("the file stops at line {n}, where the game wrote «{want}».").format(
            n=n + 1, want=_quote(want[n]))
    if n >= len(want):
        return head + " " + _("line {n} reads «{got}», after the end of what the game wrote.").format(
            n=n + 1, got=_quote(got[n]))
    return head + " " + _("line {n} reads «{got}», where the game wrote «{want}».").format(
        n=n + 1, got=_quote(got[n]), want=_quote(want[n]))


def _quote(line: str) -> str:
    return one_line(line, 160) or _("(an empty line)")


def _fail(message: str) -> Verification:
    return Verification(False, message)
