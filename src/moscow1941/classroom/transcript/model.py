"""What a transcript holds: a student's game, built from the engine's record (`build`), and the
file name to suggest for it. Every text in it is as the story or the player wrote it; escaping
is the pages' own (`markdown`, `html`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from moscow1941 import i18n
from moscow1941.classroom.text import one_line
from moscow1941.engine import Divergence, Game, TimelineEntry, Verdict
from moscow1941.engine.game import JUMP, reflections_on_path
from moscow1941.engine.saves import MAX_PLAYER
from moscow1941.engine.state import Reflection, Step
from moscow1941.story.dates import StoryDate
from moscow1941.story.model import Story

FORMATS = ("md", "html")
"""The formats a transcript is written in: Markdown and HTML."""

Mark = Verdict | Literal["ordinary", "jump"]
"""How a choice is marked: a decision's verdict, an ordinary choice, or an author-mode jump."""

MARK_HISTORY: Mark = "history"
MARK_DIVERGED: Mark = "diverged"
MARK_COUNTERFACTUAL: Mark = "counterfactual"
MARK_ORDINARY: Mark = "ordinary"
MARK_JUMP: Mark = "jump"


class TranscriptError(ValueError):
    """A request `render` or `filename` cannot honour (an unknown format)."""


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
    #: The language its fixed words are in (the game's language when it was made); its story
    #: words are the story's, loaded in that language.
    language: str = "en"

    @property
    def finished(self) -> bool:
        return self.ending is not None


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
        debrief=campaign.debrief, language=i18n.language())


def _scene(n: int, node_id: str, story: Story, made: ChoiceMade | None, answer: str) -> SceneRecord:
    node = story.nodes[node_id]
    return SceneRecord(n + 1, node.id, node.title, node.date, node.place, made,
                       node.reflect if answer else "", answer)


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC)  # a naive time is taken as local time


def filename(transcript: Transcript, fmt: str) -> str:
    """A safe file name to suggest: player, campaign and when last played (to the minute, so
    two exports on one day, or two unnamed players on one computer, do not overwrite each
    other), e.g. `Anna-Petrova-soviet-2026-11-23-0958.html`. Letters and digits of any script are kept; anything
    else becomes '-'."""
    if fmt not in FORMATS:
        raise TranscriptError(i18n._("no transcript format '{fmt}' (use one of: {formats})").format(
            fmt=fmt, formats=", ".join(FORMATS)))
    stem = "-".join(part for part in (_file_safe(transcript.player or "", 60) or "transcript",
                                      _file_safe(transcript.campaign, 40)) if part)
    return f"{stem}-{transcript.last_played:%Y-%m-%d-%H%M}.{fmt}"


def _file_safe(text: str, limit: int) -> str:
    """Letters and digits of `text`, runs of anything else as one '-', at most `limit` long."""
    chars = "".join(ch if ch.isalnum() else "-" for ch in unicodedata.normalize("NFC", text))
    return "-".join(part for part in chars.split("-") if part)[:limit].strip("-")
