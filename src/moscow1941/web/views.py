"""What the web face's pages show, as plain values for the templates: a `Scene`, the history
notes, the timeline, the glossary and the ending report in the current language.

The templates escape every value (Jinja's autoescape); nothing here builds HTML. The words are
the game's own (`moscow1941.words`, the catalogs), so the web face says what the terminal says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from moscow1941 import i18n
from moscow1941.engine import Game, Scene
from moscow1941.i18n import _, ngettext
from moscow1941.story.model import GlossaryEntry, HistoryNote, Story
from moscow1941.story.search import glossary_mentions, search_glossary
from moscow1941.words import (
    CHOICES_MEANS,
    COUNTERFACTUAL_NOTE,
    NEVER_SAW,
    NO_REAL_ACTOR,
    WORLD_MEANS,
    choice_figure,
    ending_kind,
    events_counted,
    glossary_heading,
    glossary_kind,
    number,
    outcome_figure,
    percent,
    timeline_plain,
    verdict,
)


def note_view(note: HistoryNote | None) -> dict[str, Any] | None:
    if note is None:
        return None
    return {"heading": _("What really happened, {date}").format(date=note.date.display()),
            "text": " ".join(note.text.split()), "sources": list(note.sources)}


@dataclass(slots=True)
class StatusView:
    label: str
    text: str
    share: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    value: int | None = None


def signed(n: int) -> str:
    """A whole number with a true minus sign, isolated (U+2066…U+2069) so that right-to-left
    text never draws its sign after it."""
    text = i18n.format_number(abs(n))
    return f"\u2066{'−' if n < 0 else ''}{text}\u2069"


def status_views(scene: Scene) -> list[StatusView]:
    out = []
    for s in scene.status:
        if s.type == "bool":
            out.append(StatusView(s.label, _("yes") if s.value else _("no")))
        elif (s.type == "int" and s.min is not None and s.max is not None and s.max > s.min
              and isinstance(s.value, int)):
            share = (s.value - s.min) / (s.max - s.min)
            text = _("{value} (of {min} to {max})").format(
                value=signed(s.value), min=signed(s.min), max=signed(s.max))
            out.append(StatusView(s.label, text, share, s.min, s.max, s.value))
        else:
            out.append(StatusView(s.label, str(s.value)))
    return out


def scene_view(game: Game, scene: Scene) -> dict[str, Any]:
    """The play page's values: the scene, its choices (numbered from 1, as keys choose them),
    the status panel, both figures and the glossary entries named in the text."""
    d = scene.divergence
    story = game.story
    mentioned = glossary_mentions(story.glossary, [scene.title, *scene.paragraphs])
    choices = []
    for n, c in enumerate(scene.choices, 1):
        choices.append({"key": n if n <= 9 else None, "n": number(n), "index": c.index,
                        "text": c.text, "enabled": c.enabled, "reason": c.locked_reason or ""})
    return {
        "scene": scene,
        "date": scene.date.display(),
        "choices": choices,
        "panel": status_views(scene),
        "choice_share": d.choice, "outcome_share": d.outcome,
        "choice_percent": percent(d.choice), "outcome_percent": percent(d.outcome),
        "choice_figure": choice_figure(d), "outcome_figure": outcome_figure(d),
        "choices_mean": _(CHOICES_MEANS), "world_means": _(WORLD_MEANS),
        "glossary": [story.glossary[i] for i in mentioned if i in story.glossary],
        "campaign": story.campaigns[game.state.campaign],
        "ending": ending_view(game) if scene.ending is not None else None,
    }


def last_decision_view(game: Game) -> dict[str, Any] | None:
    records = game.decisions()
    if not records:
        return None
    rec = records[-1]
    node = game.story.nodes[rec.node_id]
    if rec.counterfactual:
        history = f"{_(NO_REAL_ACTOR)} ({_(NEVER_SAW)}); {_(COUNTERFACTUAL_NOTE)}"
    elif rec.historical:
        history = _("The real actors made the same choice.")
    elif rec.historical_choices:
        history = rec.historical_choices[0]
    else:
        history = ""
    return {"title": rec.title, "date": rec.date.display(), "chosen": rec.chosen,
            "history": history, "verdict": verdict(rec.verdict), "mark": rec.verdict,
            "note": rec.note, "history_note": note_view(node.history)}


def decisions_view(game: Game) -> list[dict[str, Any]]:
    out = []
    for rec in game.decisions():
        node = game.story.nodes[rec.node_id]
        out.append({"title": rec.title, "date": rec.date.display(), "chosen": rec.chosen,
                    "verdict": verdict(rec.verdict), "mark": rec.verdict,
                    "history": (rec.historical_choices[0] if not rec.historical
                                and rec.historical_choices and not rec.counterfactual else ""),
                    "note": note_view(node.history)})
    return out


def ending_view(game: Game) -> dict[str, Any]:
    scene = game.view()
    assert scene.ending is not None
    d = scene.divergence
    return {
        "title": _("The end: {title}").format(title=scene.ending.title),
        "kind": ending_kind(scene.ending.kind) or scene.ending.kind,
        "epilogue": list(scene.ending.epilogue),
        "choice": _("Choice divergence: {figure}.").format(figure=choice_figure(d)),
        "outcome": _("Outcome divergence: {figure}.").format(figure=outcome_figure(d)),
        "decisions": decisions_view(game),
        "reflections": [{"date": r.date.display(), "title": r.title, "prompt": r.prompt,
                         "answer": r.answer} for r in game.reflections()],
        "debrief": list(game.story.campaigns[game.state.campaign].debrief),
    }


def timeline_view(game: Game, everything: bool) -> dict[str, Any]:
    entries = game.timeline()
    d = game.divergence()
    ended = game.ended
    ahead = [e for e in entries if e.status == "ahead"]
    if everything:
        shown = entries
    elif ended:
        shown = [e for e in entries if e.status != "ahead"]
    else:
        nxt = {e.event_id for e in ahead[:3]}
        shown = [e for e in entries if e.status != "ahead" or e.event_id in nxt]
    heading = ngettext("Timeline: {settled} of {total} events settled so far; {counted} in this "
                       "game.",
                       "Timeline: {settled} of {total} events settled so far; {counted} in this "
                       "game.", d.events_total).format(
        settled=number(d.events_settled), total=number(d.events_total), counted=events_counted(d))
    return {"heading": heading, "hidden": len(entries) - len(shown),
            "entries": [{"date": e.date.display(), "title": e.title, "happened": e.happened,
                         "status": e.status, "status_text": timeline_plain(e.status),
                         "this_game": e.this_game if e.status == "diverged" else ""}
                        for e in shown]}


@dataclass(slots=True)
class GlossaryView:
    query: str = ""
    found: GlossaryEntry | None = None
    others: list[GlossaryEntry] = field(default_factory=list)
    groups: list[tuple[str, list[GlossaryEntry]]] = field(default_factory=list)
    here: list[GlossaryEntry] = field(default_factory=list)
    none: bool = False


def glossary_view(story: Story, query: str, entry_id: str | None,
                  texts: Sequence[str] = ()) -> GlossaryView:
    glossary: Mapping[str, GlossaryEntry] = story.glossary
    view = GlossaryView(query=query)
    if entry_id and entry_id in glossary:
        view.found = glossary[entry_id]
        return view
    if query.strip():
        found = search_glossary(glossary.values(), " ".join(query.split())[:80])
        if not found:
            view.none = True
        else:
            view.found, view.others = found[0], found[1:13]
        return view
    view.here = [glossary[i] for i in glossary_mentions(glossary, texts) if i in glossary]
    kinds: dict[str, list[GlossaryEntry]] = {}
    for e in search_glossary(glossary.values(), ""):
        kinds.setdefault(e.kind, []).append(e)
    order = list(dict.fromkeys(e.kind for e in glossary.values()))
    view.groups = [(glossary_heading(k), kinds[k]) for k in order if k in kinds]
    return view


def entry_subtitle(entry: GlossaryEntry) -> str:
    kind = glossary_kind(entry.kind)
    return _("{kind}, {dates}").format(kind=kind, dates=entry.dates) if entry.dates else kind
