"""`Game`: the rules. It holds a `Story` and a `GameState`, shows `Scene`s and takes choices."""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Sequence

from moscow1941.engine.scene import (
    ChoiceView,
    DecisionRecord,
    Divergence,
    EndingView,
    ReflectionRecord,
    Scene,
    StatusValue,
    TimelineEntry,
    TimelineStatus,
)
from moscow1941.engine.state import MAX_REFLECTION, GameState, Reflection, Step
from moscow1941.i18n import _
from moscow1941.story.model import Node, Passage, Story
from moscow1941.words import this_game

JUMP = -1
"""The choice index a path records for an author-mode jump (`Game.jump`)."""


class GameError(ValueError):
    """A request the game cannot honour (unknown campaign, locked choice, ...)."""


class Game:
    """One game of one campaign. Deterministic: the same story, seed and choices give the same
    states. Derived totals (divergence sums) are kept beside the state and rebuilt on replay."""

    __slots__ = ("story", "state", "_node", "_dec_total", "_dec_div", "_dec_count",
                 "_dec_div_count", "_dec_cf_count", "_ev_next", "_ev_div", "_ev_div_count")

    def __init__(self, story: Story, campaign: str, seed: int = 0) -> None:
        if campaign not in story.campaigns:
            known = ", ".join(story.campaigns) or _("none")
            raise GameError(_("no campaign '{campaign}' (this story has: {known})").format(
                campaign=campaign, known=known))
        self.story = story
        start = story.campaigns[campaign].start
        self.state = GameState(campaign=campaign, seed=seed, node=start, vars=story.defaults())
        self._dec_total = self._dec_div = 0.0
        self._dec_count = self._dec_div_count = self._dec_cf_count = 0
        self._ev_next = self._ev_div_count = 0
        self._ev_div = 0.0
        self._enter(start)

    # ---- building games ------------------------------------------------------------------
    @classmethod
    def replay(cls, story: Story, campaign: str, seed: int, path: Sequence[Step]) -> tuple[Game, int]:
        """Play `path` from the start for as long as each step still applies.

        Returns the game and how many steps applied; a step applies when it is taken at the
        node the game is at, the choice exists, leads where it led, and is available now.
        """
        game = cls(story, campaign, seed)
        for n, step in enumerate(path):
            node = game._node
            if step.index == JUMP:
                if step.node != node.id or step.goto not in story.nodes:
                    return game, n
                game.jump(step.goto)
                continue
            if (step.node != node.id or not 0 <= step.index < len(node.choices)
                    or node.choices[step.index].goto != step.goto
                    or not game._available(step.index)):
                return game, n
            game.choose(step.index)
        return game, len(path)

    @classmethod
    def from_state(cls, story: Story, state: GameState) -> Game:
        """Rebuild a game from a saved state by replaying its path; raise GameError if the
        story no longer allows that path (see `replay` for a tolerant rebuild)."""
        game, applied = cls.replay(story, state.campaign, state.seed, state.path)
        if applied != len(state.path):
            raise GameError(_("the story no longer allows step {n} of this game").format(n=applied + 1))
        return game

    def undo(self) -> bool:
        """Take back the last choice (and any reflection typed before it). Returns False at the
        start of the game."""
        if not self.state.path:
            return False
        reflections = self.state.reflections
        other, _ = Game.replay(self.story, self.state.campaign, self.state.seed, self.state.path[:-1])
        self._adopt(other)
        self.restore_reflections(reflections)
        return True

    def restore_reflections(self, reflections: Sequence[Reflection]) -> int:
        """Keep those of `reflections` that still belong to a choice on this game's path (see
        `reflections_on_path`) and drop the rest, with any answer to a choice not yet made;
        returns how many were kept. Used after undo and when a save is reopened on a changed
        story."""
        path = self.state.path
        kept = [r for r in reflections_on_path(self.story, path, self.state.node, reflections)
                if r.step < len(path)]
        self.state.reflections = kept
        return len(kept)

    def fork(self, *, history: bool = True) -> Game:
        """An independent copy: no later choice in either changes the other (the immutable
        story is shared). Without `history`, the copy has no path, visits or reflections: the
        states the exhaustive playtest explores, where only the node, variables and settled
        events matter."""
        twin = copy.copy(self)  # every slot but `state` is immutable: numbers, story, node
        s = self.state
        if history:
            twin.state = GameState(campaign=s.campaign, seed=s.seed, node=s.node,
                                   vars=dict(s.vars), visits=dict(s.visits), path=list(s.path),
                                   events=dict(s.events), reflections=list(s.reflections))
        else:
            twin.state = GameState(campaign=s.campaign, seed=s.seed, node=s.node,
                                   vars=dict(s.vars), events=dict(s.events))
        return twin

    def restart(self) -> None:
        self._adopt(Game(self.story, self.state.campaign, self.state.seed))

    def _adopt(self, other: Game) -> None:
        for name in Game.__slots__:
            setattr(self, name, getattr(other, name))

    # ---- playing ---------------------------------------------------------------------------
    @property
    def node(self) -> Node:
        return self._node

    @property
    def ended(self) -> bool:
        return self._node.ending is not None

    def available(self) -> list[int]:
        """Indexes of the choices the player can take now (fast: no text is rendered)."""
        v = self.state.vars
        return [c.index for c in self._node.choices if c.condition is None or c.condition(v)]

    def _available(self, index: int) -> bool:
        cond = self._node.choices[index].condition
        return cond is None or cond(self.state.vars)

    def choose(self, index: int) -> None:
        """Take the choice at `index` (a `ChoiceView.index`)."""
        node = self._node
        if not 0 <= index < len(node.choices):
            raise GameError(_("there is no choice {index} at '{node}'").format(index=index, node=node.id))
        choice = node.choices[index]
        if choice.condition is not None and not choice.condition(self.state.vars):
            raise GameError(_("that choice is locked: {reason}").format(
                reason=choice.locked or _("its condition does not hold")))
        state = self.state
        state.path.append(Step(node.id, index, choice.goto))
        if node.is_measured:
            self._dec_total += node.weight
            self._dec_count += 1
            if not choice.historical:
                self._dec_div += node.weight
                self._dec_div_count += 1
        elif node.is_decision:
            self._dec_cf_count += 1
        v = state.vars
        for effect in choice.effects:
            effect(v)
        self._enter(choice.goto)

    def reflect(self, answer: str) -> None:
        """Record the player's answer to this scene's reflection prompt, before they choose.

        The answer is cleaned (control characters dropped, spaces tidied, at most
        `MAX_REFLECTION` characters); an empty answer removes an earlier one (skipping is fine).
        """
        if not self._node.reflect:
            raise GameError(_("'{node}' asks no reflection").format(node=self._node.id))
        step = len(self.state.path)
        kept = [r for r in self.state.reflections if r.step != step]
        text = clean_answer(answer)
        if text:
            kept.append(Reflection(step, self._node.id, text))
        self.state.reflections = kept

    def jump(self, node_id: str) -> None:
        """Author mode: go straight to any node, without a choice. The jump is recorded in the
        path (index `JUMP`), so undo, replay and saves treat it like any step; it is not a
        decision and counts in neither divergence figure."""
        if node_id not in self.story.nodes:
            raise GameError(_("there is no node '{node}'").format(node=node_id))
        self.state.path.append(Step(self._node.id, JUMP, node_id))
        self._enter(node_id)

    def _enter(self, node_id: str) -> None:
        node = self.story.nodes[node_id]
        self._node = node
        state = self.state
        state.node = node_id
        state.visits[node_id] = state.visits.get(node_id, 0) + 1
        self._settle(node.date.first - 1)
        v = state.vars
        for effect in node.effects:
            effect(v)
        if node.ending is not None:
            self._settle(None)

    def _settle(self, through: int | None) -> None:
        """Freeze the verdict of every event that ends on or before day `through` (all of
        them when `through` is None: at an ending the record is complete, and an event after
        the last scene is judged by the world the game ended in). Events are in order of
        their last day (`Story.events`), so a month-only event never holds back a day-dated
        one of the same month."""
        events = self.story.events
        i = self._ev_next
        v = self.state.vars
        while i < len(events) and (through is None or events[i].date.last <= through):
            event = events[i]
            holds = bool(event.holds(v))
            self.state.events[event.id] = holds
            if not holds:
                self._ev_div += event.weight
                self._ev_div_count += 1
            i += 1
        self._ev_next = i

    # ---- looking -----------------------------------------------------------------------------
    def divergence(self) -> Divergence:
        """Both figures now (see `Divergence` for what each means)."""
        record = self.story.event_weight
        return Divergence(
            choice=self._dec_div / self._dec_total if self._dec_total else 0.0,
            outcome=self._ev_div / record if record else 0.0,
            decisions=self._dec_count,
            divergent_decisions=self._dec_div_count,
            events_settled=self._ev_next,
            events_diverged=self._ev_div_count,
            events_total=len(self.story.events),
            counterfactual_decisions=self._dec_cf_count,
        )

    def paragraphs(self) -> tuple[str, ...]:
        """The current scene's text, rendered."""
        return self._render(self._node.passages)

    def _render(self, passages: tuple[Passage, ...]) -> tuple[str, ...]:
        v = self.state.vars
        return tuple(p.template.render(v) for p in passages if p.condition is None or p.condition(v))

    def view(self) -> Scene:
        """The current scene, ready to draw."""
        node, v = self._node, self.state.vars
        choices = []
        for c in node.choices:
            ok = c.condition is None or c.condition(v)
            if ok or c.locked is not None:
                choices.append(ChoiceView(c.index, c.text.render(v), ok, None if ok else c.locked,
                                          c.historical))
        story = self.story
        campaign = self.state.campaign
        status = tuple(
            StatusValue(var.name, var.label, var.type, v[var.name], var.min, var.max)
            for var in story.variables.values()
            if var.show and (not var.campaigns or campaign in var.campaigns))
        return Scene(
            node_id=node.id, chapter=node.chapter, title=node.title, date=node.date,
            place=node.place, paragraphs=self.paragraphs(), choices=tuple(choices),
            status=status, divergence=self.divergence(), history=node.history,
            ending=None if node.ending is None else EndingView(
                node.ending.title, node.ending.kind, self._render(node.ending.passages)),
            is_decision=node.is_decision,
            visits=self.state.visits.get(node.id, 0), step=len(self.state.path),
            reflect=node.reflect, reflection=self._answer_here() if node.reflect else "")

    def _answer_here(self) -> str:
        step = len(self.state.path)
        for r in self.state.reflections:
            if r.step == step:
                return r.answer
        return ""

    def timeline(self) -> list[TimelineEntry]:
        """The historical record beside this game, event by event."""
        out = []
        for e in self.story.events:
            verdict = self.state.events.get(e.id)
            status: TimelineStatus = "ahead" if verdict is None else "history" if verdict else "diverged"
            text = (e.diverged or this_game(status)) if status == "diverged" else this_game(status)
            out.append(TimelineEntry(e.id, e.date, e.title, e.happened, status, text, e.sources))
        return out

    def decisions(self) -> list[DecisionRecord]:
        """Each decision taken so far, beside the choice the real actors made."""
        out = []
        v = self.story.defaults()  # choice texts are shown as written, without interpolation
        for step in self.state.path:
            node = self.story.nodes[step.node]
            if not node.is_decision or step.index == JUMP:
                continue
            chosen = node.choices[step.index]
            out.append(DecisionRecord(
                node_id=node.id, title=node.title, date=node.date,
                chosen=chosen.text.render(v), historical=chosen.historical,
                historical_choices=tuple(c.text.render(v) for c in node.choices if c.historical),
                note=chosen.note, counterfactual=not node.is_measured))
        return out

    def reflections(self) -> list[ReflectionRecord]:
        """The player's reflections so far, each with its prompt, scene and the choice that
        followed (empty when the answer was typed at the current scene, before choosing)."""
        out = []
        v = self.story.defaults()
        path = self.state.path
        for r in sorted(self.state.reflections, key=lambda r: r.step):
            node = self.story.nodes.get(r.node)
            if node is None:
                continue
            chosen = ""
            if r.step < len(path) and 0 <= path[r.step].index < len(node.choices):
                chosen = node.choices[path[r.step].index].text.render(v)
            out.append(ReflectionRecord(r.step, node.id, node.title, node.date, node.reflect,
                                        r.answer, chosen))
        return out


def reflections_on_path(story: Story, path: Sequence[Step], at: str,
                        reflections: Sequence[Reflection]) -> tuple[Reflection, ...]:
    """Those of `reflections` that belong to a game with this `path`, now at the node `at`:
    each typed at the scene where its step's choice was made (or, for the step not yet taken,
    at `at`), a scene that asks a question; answers cleaned as `Game.reflect` cleans them,
    empty ones dropped, the last answer for a step winning; in path order."""
    by_step: dict[int, Reflection] = {}
    for r in reflections:
        if not 0 <= r.step <= len(path):
            continue
        node_id = path[r.step].node if r.step < len(path) else at
        node = story.nodes.get(node_id)
        answer = clean_answer(r.answer)
        if r.node == node_id and node is not None and node.reflect and answer:
            by_step[r.step] = Reflection(r.step, node_id, answer)
    return tuple(by_step[s] for s in sorted(by_step))


def clean_answer(answer: str) -> str:
    """A typed answer as kept: control characters become spaces (line breaks stay), runs of
    spaces shrink, blank lines collapse, at most `MAX_REFLECTION` characters."""
    lines = []
    for line in str(answer).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        chars = (" " if unicodedata.category(ch)[0] == "C" else ch for ch in line)
        lines.append(" ".join("".join(chars).split()))
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()[:MAX_REFLECTION].strip()
