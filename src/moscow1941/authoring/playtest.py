"""Automated playtests: random, exhaustive and historical plays of every campaign.

Every playtest drives the real engine (`Game.available`, `Game.choose`), so what it finds is
what a player would meet. Reports are plain values with `to_json()` and `text()`; the same story
and seed always give the same report, byte for byte.

A *failure* is a play that cannot go on (no available choice at a node that is not an ending),
a play from which no ending can be reached any more (a loop), a play that does not end within
the step limit, or an error raised by the engine. Each carries the exact path of choices that
led to it and its kind, so `moscow1941 playtest --replay` of its replay line ends in the same
failure.
"""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from moscow1941.engine import Game, TimelineEntry
from moscow1941.engine.game import JUMP
from moscow1941.engine.state import Step
from moscow1941.story.lint import reachable
from moscow1941.story.model import Story

MAX_STEPS = 10_000
DEFAULT_MAX_STATES = 100_000

_Key = tuple[str, tuple[object, ...]]   # a state, as far as choosing goes: node and variables
_Parents = dict[_Key, tuple[_Key, Step] | None]


# ---- shared values ---------------------------------------------------------------------------

#: What kind of failure a `Failure` is; a replay line carries it as `fails`, so replaying the
#: line diagnoses the same thing again (`moscow1941.authoring.replay`).
STUCK, LOOP, LONG, ERROR, HISTORICAL = "stuck", "loop", "long", "error", "historical"
FAILURE_KINDS = (STUCK, LOOP, LONG, ERROR, HISTORICAL)

#: The most choices a failure's text lists; longer paths show their start and end.
SHOWN_CHOICES = 40


@dataclass(frozen=True, slots=True)
class Failure:
    """A play that went wrong, with the choices that led there.

    `kind` is one of `FAILURE_KINDS` (`historical` is for `--historical` reports only):
    `stuck` (no available choice at a node that is not an ending), `loop` (no ending can be
    reached any more: `path` is cut at the first state from which none can), `long` (no
    ending within the step limit, though one can be reached or the search could not tell)
    and `error` (the engine raised).
    `count` is how many plays (`unit`) met the same failure."""

    campaign: str
    seed: int
    message: str
    path: tuple[Step, ...]
    count: int = 1
    kind: str = STUCK
    unit: str = "plays"
    note: str = ""

    def replay_json(self) -> str:
        """A recorded path `moscow1941 playtest --replay FILE` accepts, on one line; replaying
        it ends in the same failure for as long as the story has the problem."""
        return json.dumps({"campaign": self.campaign, "seed": self.seed, "fails": self.kind,
                           "path": [s.to_json() for s in self.path]}, ensure_ascii=False)

    def to_json(self) -> dict[str, object]:
        return {"campaign": self.campaign, "seed": self.seed, "kind": self.kind,
                "message": self.message, "count": self.count, "note": self.note,
                "path": [s.to_json() for s in self.path]}

    def text(self) -> list[str]:
        times = f" ({self.count} {self.unit})" if self.count > 1 else ""
        lines = [f"  FAIL {self.message}{times}",
                 f"    choices (by position in each node): {choice_list(self.path)}"]
        if self.note:
            lines.append(f"    {self.note}")
        lines.append(f"    replay: {self.replay_json()}")
        return lines


def choice_list(path: Sequence[Step], limit: int = SHOWN_CHOICES) -> str:
    """The choices of a path by their position in each node (a jump as `(jump to NODE)`);
    a path longer than `limit` shows its first and last choices around a count."""
    def one(s: Step) -> str:
        return f"(jump to {s.goto})" if s.index == JUMP else str(s.index + 1)
    if not path:
        return "(none)"
    if len(path) <= limit:
        return " ".join(one(s) for s in path)
    half = limit // 2
    return (" ".join(one(s) for s in path[:half]) + f" ... ({len(path) - 2 * half} more) ... "
            + " ".join(one(s) for s in path[-half:]))


@dataclass(frozen=True, slots=True)
class EndingCount:
    """An ending and how many plays (or explored states) reached it."""

    node: str
    title: str
    kind: str
    count: int

    def to_json(self) -> dict[str, object]:
        return {"node": self.node, "title": self.title, "kind": self.kind, "count": self.count}


@dataclass(frozen=True, slots=True)
class Spread:
    """Minimum, median and maximum of a figure over many plays."""

    min: float
    median: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread | None:
        if not values:
            return None
        return cls(min(values), statistics.median(values), max(values))

    def to_json(self) -> dict[str, float]:
        return {"min": round(self.min, 6), "median": round(self.median, 6),
                "max": round(self.max, 6)}

    def text(self) -> str:
        return f"min {self.min:.3f}  median {self.median:.3f}  max {self.max:.3f}"


def _endings(story: Story, counts: Counter[str]) -> tuple[EndingCount, ...]:
    out = []
    for nid, count in counts.items():
        ending = story.nodes[nid].ending
        assert ending is not None
        out.append(EndingCount(nid, ending.title, ending.kind, count))
    return tuple(sorted(out, key=lambda e: (-e.count, e.node)))


def _campaigns(story: Story, only: str | None) -> list[str]:
    if only is not None and only not in story.campaigns:
        raise KeyError(f"no campaign '{only}' (this story has: {', '.join(story.campaigns)})")
    return [only] if only is not None else list(story.campaigns)


def _merge(failures: Iterable[Failure]) -> tuple[Failure, ...]:
    """One failure per distinct message (the first path found), with how often it happened."""
    first: dict[str, Failure] = {}
    counts: Counter[str] = Counter()
    for f in failures:
        first.setdefault(f.message, f)
        counts[f.message] += 1
    return tuple(replace(f, count=counts[m]) for m, f in first.items())


# ---- random ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RandomCampaign:
    """What N random plays of one campaign reached."""

    campaign: str
    plays: int
    endings: tuple[EndingCount, ...]
    nodes_total: int
    nodes_missed: tuple[str, ...]
    choices_total: int
    choices_missed: tuple[str, ...]
    choice_divergence: Spread | None
    outcome_divergence: Spread | None
    failures: tuple[Failure, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "campaign": self.campaign, "plays": self.plays,
            "endings": [e.to_json() for e in self.endings],
            "nodes": {"total": self.nodes_total,
                      "reached": self.nodes_total - len(self.nodes_missed),
                      "missed": list(self.nodes_missed)},
            "choices": {"total": self.choices_total,
                        "taken": self.choices_total - len(self.choices_missed),
                        "missed": list(self.choices_missed)},
            "divergence": {
                "choice": self.choice_divergence.to_json() if self.choice_divergence else None,
                "outcome": self.outcome_divergence.to_json() if self.outcome_divergence else None},
            "failures": [f.to_json() for f in self.failures],
        }


@dataclass(frozen=True, slots=True)
class RandomReport:
    """N random plays of each campaign, seeded: the same seed gives the same report."""

    seed: int
    campaigns: tuple[RandomCampaign, ...]

    @property
    def ok(self) -> bool:
        return not any(c.failures for c in self.campaigns)

    def to_json(self) -> dict[str, object]:
        return {"mode": "random", "seed": self.seed, "ok": self.ok,
                "campaigns": [c.to_json() for c in self.campaigns]}

    def text(self) -> str:
        lines = []
        for c in self.campaigns:
            lines.append(f"campaign {c.campaign}: {c.plays} random plays (seed {self.seed})")
            lines.append("  endings:")
            for e in c.endings:
                lines.append(f"    {e.count:6d}  {e.title} [{e.kind}] ({e.node})")
            if not c.endings:
                lines.append("    none reached")
            lines.append(_coverage("nodes", c.nodes_total, c.nodes_missed))
            lines.append(_coverage("choices", c.choices_total, c.choices_missed))
            if c.choice_divergence and c.outcome_divergence:
                lines.append(f"  choice divergence at endings:  {c.choice_divergence.text()}")
                lines.append(f"  outcome divergence at endings: {c.outcome_divergence.text()}")
            for f in c.failures:
                lines.extend(f.text())
        failures = sum(len(c.failures) for c in self.campaigns)
        lines.append("ok: no failures" if self.ok else f"FAILED: {failures} distinct failure"
                     + "s" * (failures != 1))
        return "\n".join(lines) + "\n"


def _coverage(what: str, total: int, missed: Sequence[str]) -> str:
    line = f"  {what}: {total - len(missed)}/{total} reached"
    if missed:
        line += "; never reached: " + ", ".join(missed)
    return line


def random_playtest(story: Story, plays: int, seed: int = 0, campaign: str | None = None,
                    max_steps: int = MAX_STEPS) -> RandomReport:
    """`plays` random plays of each campaign (or of `campaign`): at every node, a uniformly
    random choice among those available."""
    out = []
    live = live_variables(story)
    for cid in _campaigns(story, campaign):
        rng = random.Random(f"{seed}:{cid}")
        visited: set[str] = set()
        taken: set[tuple[str, int]] = set()
        endings: Counter[str] = Counter()
        choice_div: list[float] = []
        outcome_div: list[float] = []
        failures: list[Failure] = []
        rand, seen, took = rng.random, visited.add, taken.add  # the loop below is the hot path
        for _ in range(plays):
            game = Game(story, cid, seed)
            node = game.node
            seen(node.id)
            steps = 0
            try:
                while node.ending is None:
                    options = game.available()
                    if not options:
                        failures.append(_stuck(game))
                        break
                    if steps >= max_steps:
                        failures.append(_endless(game, live))
                        break
                    index = options[int(rand() * len(options))]
                    took((node.id, index))
                    game.choose(index)
                    steps += 1
                    node = game.node
                    seen(node.id)
            except Exception as exc:  # a playtest reports engine errors, never dies of them
                failures.append(Failure(cid, seed, f"{type(exc).__name__}: {exc}",
                                        tuple(game.state.path), kind=ERROR))
                continue
            if game.ended:
                endings[game.node.id] += 1
                div = game.divergence()
                choice_div.append(div.choice)
                outcome_div.append(div.outcome)
        nodes = reachable(story, story.campaigns[cid].start)
        all_choices = [(nid, c.index) for nid in sorted(nodes) for c in story.nodes[nid].choices]
        out.append(RandomCampaign(
            campaign=cid, plays=plays, endings=_endings(story, endings),
            nodes_total=len(nodes), nodes_missed=tuple(sorted(nodes - visited)),
            choices_total=len(all_choices),
            choices_missed=tuple(f"{n}#{i + 1}" for n, i in all_choices if (n, i) not in taken),
            choice_divergence=Spread.of(choice_div), outcome_divergence=Spread.of(outcome_div),
            failures=_merge(failures)))
    return RandomReport(seed, tuple(out))


def stuck_message(game: Game) -> str | None:
    """Why the game cannot go on from where it is, or None when it can (or has ended)."""
    node = game.node
    if node.ending is not None or game.available():
        return None
    why = "it has no choices and is not an ending" if not node.choices \
        else f"all {len(node.choices)} of its choices are locked"
    return f"stuck at '{node.id}': {why}"


def _stuck(game: Game) -> Failure:
    message = stuck_message(game)
    assert message is not None
    return Failure(game.state.campaign, game.state.seed, message, tuple(game.state.path))


def _tail_loop(start: str, path: Sequence[Step]) -> str:
    """The last loop a play went round: from its last node back to that node's previous visit,
    started at its smallest node id ('' when the last node was not visited before)."""
    nodes = [start, *(s.goto for s in path)]
    last = nodes[-1]
    before = [i for i in range(len(nodes) - 1) if nodes[i] == last]
    return _cycle_text(_rotate(nodes[before[-1]:])) if before else ""


def endless(game: Game, live: dict[str, tuple[str, ...]] | None = None,
            max_states: int = DEFAULT_MAX_STATES) -> tuple[str, str, frozenset[_Key]]:
    """What is wrong with a game that went on for all its choices without an ending: `loop`,
    with the message and the region of states no ending can be reached from, if that is so;
    otherwise `long`, with a message that says whether an ending can still be reached or the
    search could not tell within `max_states`. The same state always gets the same answer,
    so a replay of a failure's path can diagnose it again."""
    live = live_variables(game.story) if live is None else live
    status, message, region = _search(game, live, max_states)
    if status == "trap":
        return LOOP, message, region
    s = game.state
    loop = _tail_loop(game.story.campaigns[s.campaign].start, s.path)
    around = f"; it kept going round {loop}" if loop else ""
    why = ", though an ending can still be reached" if status == "exit" \
        else f"; no way out was found within {max_states} states"
    n = len(s.path)
    return LONG, f"no ending after {n} choice{'s' * (n != 1)}{around}{why}", frozenset()


def _endless(game: Game, live: dict[str, tuple[str, ...]]) -> Failure:
    """The failure of a random play that hit the step limit: a `loop` if no ending can be
    reached any more (the path cut where that became so), `long` otherwise."""
    s = game.state
    kind, message, region = endless(game, live)
    if kind == LONG:
        return Failure(s.campaign, s.seed, message, tuple(s.path), kind=LONG)
    # The first state of the play inside the region: everything reachable from there is the
    # region again, so a replay of the cut path diagnoses the same loop.
    replayed = Game(game.story, s.campaign, s.seed)
    cut = 0
    while _key(replayed, live) not in region:
        replayed.choose(s.path[cut].index)
        cut += 1
    note = f"(the first {cut} of the play's {len(s.path)} choices: from there no ending " \
        "can be reached)" if cut < len(s.path) else ""
    return Failure(s.campaign, s.seed, message, tuple(s.path[:cut]), kind=LOOP, note=note)


# ---- loops: states from which no ending can be reached ------------------------------------

_Succ = dict[_Key, list[_Key]]


def _order(key: _Key) -> tuple[str, str]:
    return key[0], repr(key[1])


def _rotate(nodes: Sequence[str]) -> list[str]:
    """A cycle of node ids (first == last), started at its smallest id."""
    ring = list(nodes[:-1])
    if not ring:
        return list(nodes)
    i = ring.index(min(ring))
    ring = ring[i:] + ring[:i]
    return [*ring, ring[0]]


def _cycle_text(nodes: Sequence[str], limit: int = 12) -> str:
    if len(nodes) > limit:
        half = limit // 2
        return " -> ".join([*nodes[:half], f"... ({len(nodes) - 2 * half} more)",
                            *nodes[-half:]])
    return " -> ".join(nodes)


def _sccs(keys: Iterable[_Key], succ: _Succ) -> list[list[_Key]]:
    """Strongly connected components (Tarjan's, iterative), each emitted after every component
    it can reach."""
    index: dict[_Key, int] = {}
    low: dict[_Key, int] = {}
    on_stack: set[_Key] = set()
    stack: list[_Key] = []
    out: list[list[_Key]] = []
    counter = 0
    for root in keys:
        if root in index:
            continue
        work: list[tuple[_Key, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, i = work[-1]
            children = succ.get(v, [])
            if i < len(children):
                work[-1] = (v, i + 1)
                w = children[i]
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                out.append(component)
    return out


def _shortest_cycle(start: _Key, succ: _Succ) -> list[str]:
    """The node ids of the shortest cycle from `start` back to itself (breadth first, choices
    in order)."""
    parent: dict[_Key, _Key] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        v = queue.popleft()
        for w in succ.get(v, []):
            if w == start:
                chain = [v]
                while chain[-1] != start:
                    chain.append(parent[chain[-1]])
                return [k[0] for k in reversed(chain)] + [start[0]]
            if w not in seen:
                seen.add(w)
                parent[w] = v
                queue.append(w)
    return [start[0]]


def _loops(keys: Iterable[_Key], succ: _Succ) -> dict[_Key, str | None]:
    """For each state, the loop (as text) that the states reachable from it hold: the
    smallest state on a cycle among them, then the shortest cycle through it; None when no
    cycle is reachable. It depends only on the set of states reachable from a state, so a
    region always gets the same loop, whichever state of it a play entered by."""
    best: dict[_Key, _Key | None] = {}
    for component in _sccs(keys, succ):
        members = set(component)
        cyclic = len(component) > 1 or component[0] in succ.get(component[0], [])
        candidate = min(component, key=_order) if cyclic else None
        for v in component:
            for w in succ.get(v, []):
                other = best.get(w) if w not in members else None
                if other is not None and (candidate is None or _order(other) < _order(candidate)):
                    candidate = other
        for v in component:
            best[v] = candidate
    texts: dict[_Key, str] = {}
    out: dict[_Key, str | None] = {}
    for v, c in best.items():
        if c is not None and c not in texts:
            texts[c] = _cycle_text(_shortest_cycle(c, succ))
        out[v] = texts[c] if c is not None else None
    return out


def _trap_message(loop: str | None, stuck: Sequence[str] = ()) -> str:
    if not stuck:
        return f"no ending can be reached: every way on goes round a loop ({loop})"
    where = ", ".join(f"'{n}'" for n in sorted(set(stuck)))
    around = f"goes round a loop ({loop}) or " if loop else ""
    return f"no ending can be reached: every way on {around}gets stuck at {where}"


def find_trap(game: Game, live: dict[str, tuple[str, ...]] | None = None,
              max_states: int = DEFAULT_MAX_STATES) -> tuple[str, frozenset[_Key]] | None:
    """If no ending can be reached from where `game` is (every way on loops for ever, or gets
    stuck), the failure message and the states reachable from here; None when an ending can
    be reached, the game has ended or is stuck right here, or the search hits `max_states`
    before it can tell."""
    live = live_variables(game.story) if live is None else live
    status, message, region = _search(game, live, max_states)
    return (message, region) if status == "trap" else None


def _search(game: Game, live: dict[str, tuple[str, ...]],
            max_states: int) -> tuple[str, str, frozenset[_Key]]:
    """Every state reachable from `game`: `exit` if an ending is among them or the game is
    stuck right here (a failure of its own); `unknown` past `max_states` or at an engine error
    (a failure of its own); else `trap`, with the message and the states."""
    start = _key(game, live)
    succ: _Succ = {}
    stuck: list[str] = []
    queue: deque[tuple[_Key, Game]] = deque([(start, game.fork(history=False))])
    seen = {start}
    while queue:
        key, g = queue.popleft()
        node = g.node
        if node.ending is not None:
            return "exit", "", frozenset()
        options = g.available()
        if not options:
            stuck.append(node.id)
        children = succ.setdefault(key, [])
        for index in options:
            child = g.fork(history=False)
            try:
                child.choose(index)
            except Exception:  # an engine error is a failure of its own, not a loop
                return "unknown", "", frozenset()
            ckey = _key(child, live)
            children.append(ckey)
            if ckey not in seen:
                if len(seen) >= max_states:
                    return "unknown", "", frozenset()
                seen.add(ckey)
                queue.append((ckey, child))
    if not succ[start]:
        return "exit", "", frozenset()  # stuck right here: a failure of its own, not a loop
    return "trap", _trap_message(_loops(list(succ), succ)[start], stuck), frozenset(seen)


# ---- exhaustive --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ExhaustiveCampaign:
    """Every state one campaign can reach (node + variables), up to the cap."""

    campaign: str
    states: int
    complete: bool
    endings: tuple[EndingCount, ...]
    nodes_reached: frozenset[str]
    nodes_blocked: tuple[str, ...]
    choices_never_available: tuple[str, ...]
    failures: tuple[Failure, ...]

    def to_json(self) -> dict[str, object]:
        return {"campaign": self.campaign, "states": self.states, "complete": self.complete,
                "endings": [e.to_json() for e in self.endings],
                "nodes_reached": len(self.nodes_reached),
                "nodes_blocked": list(self.nodes_blocked),
                "choices_never_available": list(self.choices_never_available),
                "failures": [f.to_json() for f in self.failures]}


@dataclass(frozen=True, slots=True)
class ExhaustiveReport:
    """Every choice from every reachable state of each campaign.

    `unreachable_nodes` and `unreachable_endings` are those no play of any campaign reaches;
    they are only certain when every campaign's search is `complete` (the cap was not hit).
    """

    max_states: int
    campaigns: tuple[ExhaustiveCampaign, ...]
    unreachable_nodes: tuple[str, ...]
    unreachable_endings: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return all(c.complete for c in self.campaigns)

    @property
    def ok(self) -> bool:
        stuck = any(c.failures for c in self.campaigns)
        return not stuck and not (self.complete and self.unreachable_nodes)

    def to_json(self) -> dict[str, object]:
        return {"mode": "exhaustive", "ok": self.ok, "complete": self.complete,
                "max_states": self.max_states,
                "campaigns": [c.to_json() for c in self.campaigns],
                "unreachable_nodes": list(self.unreachable_nodes),
                "unreachable_endings": list(self.unreachable_endings)}

    def text(self) -> str:
        lines = []
        for c in self.campaigns:
            cap = "" if c.complete else f" -- state cap of {self.max_states} hit, search incomplete"
            lines.append(f"campaign {c.campaign}: {c.states} states, "
                         f"{len(c.nodes_reached)} nodes reached{cap}")
            lines.append("  endings reachable:")
            for e in c.endings:
                lines.append(f"    {e.title} [{e.kind}] ({e.node})")
            if c.nodes_blocked:
                lines.append("  nodes on the map that conditions keep out of reach: "
                             + ", ".join(c.nodes_blocked))
            if c.choices_never_available:
                lines.append("  choices never available: " + ", ".join(c.choices_never_available))
            for f in c.failures:
                lines.extend(f.text())
        qualifier = "" if self.complete else " (within the state cap; may be reachable)"
        if self.unreachable_nodes:
            lines.append(f"nodes no play can reach{qualifier}: "
                         + ", ".join(self.unreachable_nodes))
        if self.unreachable_endings:
            lines.append(f"endings no play can reach{qualifier}: "
                         + ", ".join(self.unreachable_endings))
        if not self.complete:
            lines.append(f"note: the state cap ({self.max_states}) was hit; raise --max-states "
                         "for a complete search")
        lines.append("ok: an ending can be reached from every reachable state" if self.ok
                     else "FAILED")
        return "\n".join(lines) + "\n"


def live_variables(story: Story) -> dict[str, tuple[str, ...]]:
    """For each node, the variables whose values there can still change which choices are
    available from there on: those read by a choice condition at the node or at any node after
    it, and those the effects on the way to such a read use to compute a live variable. The
    others cannot change where a play goes from that node (a backward fixpoint over the graph;
    it never drops a variable that matters)."""
    live: dict[str, set[str]] = {nid: set() for nid in story.nodes}
    changed = True
    while changed:
        changed = False
        for nid, node in story.nodes.items():
            found: set[str] = set()
            for c in node.choices:
                found |= c.reads
                after = set(live[c.goto])
                for effects in (story.nodes[c.goto].assignments, c.assignments):
                    after |= set().union(*(a.reads for a in effects if a.target in after))
                found |= after
            if not found <= live[nid]:
                live[nid] |= found
                changed = True
    order = list(story.variables)
    return {nid: tuple(v for v in order if v in names) for nid, names in live.items()}


def exhaustive_playtest(story: Story, max_states: int = DEFAULT_MAX_STATES,
                        campaign: str | None = None) -> ExhaustiveReport:
    """Explore every available choice from every reachable state, breadth first; states are
    deduplicated by node and variables: at each node, the variables that can still change which
    choices are available (`live_variables`), as the others cannot change where a play goes."""
    out = []
    live = live_variables(story)
    for cid in _campaigns(story, campaign):
        root = Game(story, cid, 0)
        start: _Key = _key(root, live)
        parents: _Parents = {start: None}
        queue: deque[tuple[_Key, Game]] = deque([(start, root.fork(history=False))])
        endings: Counter[str] = Counter()
        available: set[tuple[str, int]] = set()
        failures: list[Failure] = []
        succ: _Succ = {}
        # states that end, are stuck, raise, or have children beyond the cap: a play from any
        # state that can reach one of these is not caught in a loop
        exits: set[_Key] = set()
        complete = True
        while queue:
            key, game = queue.popleft()
            node = game.node
            if node.ending is not None:
                endings[node.id] += 1
                exits.add(key)
                continue
            options = game.available()
            if not options:
                message = stuck_message(game)
                assert message is not None
                failures.append(Failure(cid, 0, message, _path(parents, key), unit="states"))
                exits.add(key)
                continue
            children = succ.setdefault(key, [])
            for index in options:
                available.add((node.id, index))
                child = game.fork(history=False)
                try:
                    child.choose(index)
                except Exception as exc:  # reported with its path, never fatal
                    failures.append(Failure(cid, 0, f"{type(exc).__name__}: {exc}",
                                            _path(parents, key)
                                            + (Step(node.id, index, node.choices[index].goto),),
                                            kind=ERROR, unit="states"))
                    exits.add(key)
                    continue
                ckey: _Key = _key(child, live)
                if ckey in parents:
                    children.append(ckey)
                    continue
                if len(parents) >= max_states:
                    complete = False
                    exits.add(key)
                    continue
                children.append(ckey)
                parents[ckey] = (key, Step(node.id, index, child.node.id))
                queue.append((ckey, child))
        failures.extend(_trapped(cid, parents, succ, exits))
        reached = frozenset(k[0] for k in parents)
        on_map = reachable(story, story.campaigns[cid].start)
        never = tuple(f"{nid}#{c.index + 1}" for nid in sorted(reached)
                      for c in story.nodes[nid].choices if (nid, c.index) not in available)
        out.append(ExhaustiveCampaign(
            campaign=cid, states=len(parents), complete=complete,
            endings=_endings(story, endings), nodes_reached=reached,
            nodes_blocked=tuple(sorted(on_map - reached)) if complete else (),
            choices_never_available=never if complete else (),
            failures=_merge(failures)))
    everywhere = frozenset().union(*(c.nodes_reached for c in out))
    missing = sorted(set(story.nodes) - everywhere) if campaign is None else sorted(
        reachable(story, story.campaigns[campaign].start) - everywhere)
    return ExhaustiveReport(
        max_states=max_states, campaigns=tuple(out), unreachable_nodes=tuple(missing),
        unreachable_endings=tuple(n for n in missing if story.nodes[n].ending is not None))


def _trapped(cid: str, parents: _Parents, succ: _Succ, exits: set[_Key]) -> list[Failure]:
    """A failure for every explored state from which no ending, dead end, error or unexplored
    state can be reached: a play there goes round for ever. States are taken in the order the
    search found them, so the path kept for each loop is the shortest way into it."""
    preds: dict[_Key, list[_Key]] = {}
    for v, children in succ.items():
        for w in children:
            preds.setdefault(w, []).append(v)
    can_leave = set(exits)
    queue = deque(exits)
    while queue:
        w = queue.popleft()
        for v in preds.get(w, ()):
            if v not in can_leave:
                can_leave.add(v)
                queue.append(v)
    trapped = [k for k in parents if k not in can_leave]
    if not trapped:
        return []
    loops = _loops(trapped, succ)
    return [Failure(cid, 0, _trap_message(loops[k]), _path(parents, k), kind=LOOP, unit="states")
            for k in trapped]


def _key(game: Game, live: dict[str, tuple[str, ...]]) -> _Key:
    node, values = game.state.node, game.state.vars
    return node, tuple(values[name] for name in live[node])


def _path(parents: _Parents, key: _Key) -> tuple[Step, ...]:
    steps: list[Step] = []
    link = parents[key]
    while link is not None:
        key, step = link
        steps.append(step)
        link = parents[key]
    return tuple(reversed(steps))


# ---- historical --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HistoricalCampaign:
    """The historical play of one campaign: the historical choice at every decision."""

    campaign: str
    path: tuple[Step, ...]
    ending_node: str | None
    ending_title: str
    ending_kind: str
    choice_divergence: float
    outcome_divergence: float
    timeline: tuple[TimelineEntry, ...]
    problems: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"campaign": self.campaign, "ok": not self.problems,
                "path": [s.to_json() for s in self.path],
                "ending": {"node": self.ending_node, "title": self.ending_title,
                           "kind": self.ending_kind} if self.ending_node else None,
                "divergence": {"choice": self.choice_divergence,
                               "outcome": self.outcome_divergence},
                "timeline": [{"event": t.event_id, "date": t.date.iso(), "title": t.title,
                              "status": t.status} for t in self.timeline],
                "problems": list(self.problems)}


@dataclass(frozen=True, slots=True)
class HistoricalReport:
    """The historical play of each campaign; ok when each ends in a `historical` ending with
    zero choice and outcome divergence."""

    campaigns: tuple[HistoricalCampaign, ...]

    @property
    def ok(self) -> bool:
        return not any(c.problems for c in self.campaigns)

    def to_json(self) -> dict[str, object]:
        return {"mode": "historical", "ok": self.ok,
                "campaigns": [c.to_json() for c in self.campaigns]}

    def text(self) -> str:
        lines = []
        for c in self.campaigns:
            ending = f"{c.ending_title} [{c.ending_kind}] ({c.ending_node})" \
                if c.ending_node else "no ending"
            lines.append(f"campaign {c.campaign}: {len(c.path)} choices -> {ending}; "
                         f"choice divergence {c.choice_divergence:.3f}, "
                         f"outcome divergence {c.outcome_divergence:.3f}")
            lines.append("  timeline:")
            for t in c.timeline:
                lines.append(f"    {t.date.iso():10}  {t.status:8}  {t.title}")
            for p in c.problems:
                lines.append(f"  FAIL {p}")
            if c.problems:
                lines.append("    replay: " + json.dumps(
                    {"campaign": c.campaign, "seed": 0, "fails": HISTORICAL,
                     "path": [s.to_json() for s in c.path]}, ensure_ascii=False))
        lines.append("ok: every campaign plays out as history" if self.ok else "FAILED")
        return "\n".join(lines) + "\n"


def historical_playtest(story: Story, campaign: str | None = None,
                        max_steps: int = MAX_STEPS) -> HistoricalReport:
    """Play the historical choice at every decision (the first available choice elsewhere)."""
    return HistoricalReport(tuple(historical_play(story, cid, max_steps)
                                  for cid in _campaigns(story, campaign)))


def historical_play(story: Story, campaign: str, max_steps: int = MAX_STEPS) -> HistoricalCampaign:
    """The historical play of one campaign, with what went wrong, if anything."""
    game = Game(story, campaign, 0)
    problems = continue_historical(game, max_steps)
    div = game.divergence()
    ending = game.node.ending
    return HistoricalCampaign(
        campaign=campaign, path=tuple(game.state.path),
        ending_node=game.node.id if ending else None,
        ending_title=ending.title if ending else "", ending_kind=ending.kind if ending else "",
        choice_divergence=div.choice, outcome_divergence=div.outcome,
        timeline=tuple(game.timeline()), problems=tuple(problems))


def continue_historical(game: Game, max_steps: int = MAX_STEPS) -> list[str]:
    """Play the historical choice at every decision (the first available choice elsewhere)
    from where `game` is, and say what keeps the play from history: empty when it ends in a
    `historical` ending with zero choice and outcome divergence. A replay of a failed
    historical play's path calls this where the play stopped, so it finds the same problems."""
    problems: list[str] = []
    while not game.ended:
        node = game.node
        options = game.available()
        if node.is_decision and not node.is_measured:
            problems.append(f"the historical play reaches '{node.id}', a counterfactual scene")
            break
        if node.is_decision:
            picks = [i for i in options if node.choices[i].historical]
            if not picks:
                marked = any(c.historical for c in node.choices)
                problems.append(f"at decision '{node.id}' the historical choice is "
                                + ("not available" if marked else "not marked"))
                break
        else:
            picks = options
        if not picks:
            problems.append(f"stuck at '{node.id}': no choice is available")
            break
        if len(game.state.path) >= max_steps:
            problems.append(f"no ending after {max_steps} choices (a loop?)")
            break
        game.choose(picks[0])
    div = game.divergence()
    ending = game.node.ending
    if ending is not None:
        if ending.kind != "historical":
            problems.append(f"ends at '{game.node.id}', an ending of kind '{ending.kind}', "
                            "not 'historical'")
        if div.choice != 0:
            problems.append(f"choice divergence is {div.choice:.3f}, not 0")
        if div.outcome != 0:
            diverged = [t.event_id for t in game.timeline() if t.status == "diverged"]
            problems.append(f"outcome divergence is {div.outcome:.3f}, not 0 "
                            f"(diverged: {', '.join(diverged)})")
    return problems
