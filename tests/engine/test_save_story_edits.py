"""Saves outlive any story edit: random stories, random games, random edits, and every save still
opens (or is refused with a reason), resumed on a prefix of the choices it recorded."""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from moscow1941.engine import Game
from moscow1941.engine.saves import SaveInfo, SaveStore
from moscow1941.story import Story, load_story


@dataclass(frozen=True, slots=True)
class Pick:
    """One choice of a generated story: where it goes, whether it needs `v >= 1`, whether it
    adds to `v`."""

    goto: int
    guarded: bool
    adds: bool


def story_yaml(graph: list[list[Pick]], start: int, with_w: bool, with_v: bool = True) -> str:
    """A story of scenes n0..nK; a scene without choices is an ending."""
    variables = ""
    if with_v:
        variables += "  v:\n    type: int\n    min: 0\n    max: 9\n    label: Vigour\n    show: true\n"
    if with_w:
        variables += "  w:\n    type: bool\n    label: Warned\n"
    lines = ["format: 1", "id: random", "title: Random", "campaigns:", "  main:",
             "    title: Main", "    blurb: Generated.", f"    start: n{start}"]
    if variables:
        lines += ["variables:", variables.rstrip("\n")]
    lines.append("nodes:")
    for i, picks in enumerate(graph):
        lines += [f"  n{i}:", "    date: 1941-04-12", "    place: Moscow", f"    title: Scene {i}",
                  "    text: Text."]
        if not picks:
            lines.append("    ending: {title: End, kind: personal, epilogue: Over.}")
            continue
        lines.append("    choices:")
        for k, p in enumerate(picks):
            lines += [f"      - text: Choice {k}.", f"        goto: n{p.goto}"]
            if p.guarded and with_v:
                lines += ["        if: v >= 1", "        locked: Needs vigour."]
            if p.adds and with_v:
                lines.append("        set: v += 1")
    return "\n".join(lines) + "\n"


def graphs(size: int) -> st.SearchStrategy[list[list[Pick]]]:
    pick = st.builds(Pick, st.integers(0, size - 1), st.booleans(), st.booleans())
    return st.lists(st.lists(pick, max_size=3), min_size=size, max_size=size)


def load_text(root: Path, text: str) -> Story | None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(text, encoding="utf-8")
    return load_story(root).story


def random_game(story: Story, rng: random.Random, moves: int) -> Game:
    game = Game(story, "main")
    for _ in range(moves):
        options = game.available()
        if not options:
            break
        game.choose(rng.choice(options))
    return game


@settings(max_examples=100, deadline=None)
@given(before=graphs(6), after=graphs(6), start=st.integers(0, 5), w=st.booleans(),
       v=st.booleans(), keep=st.integers(0, 6), seed=st.integers(0, 2**16))
def test_a_save_opens_after_any_edit_on_a_prefix_of_its_choices(
        before: list[list[Pick]], after: list[list[Pick]], start: int, w: bool, v: bool,
        keep: int, seed: int) -> None:
    # `after` keeps the first `keep` scenes of `before` and replaces the rest: small and large
    # edits alike, including a moved start, new and removed variables.
    edited = before[:keep] + after[keep:]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "story"
        old = load_text(root, story_yaml(before, 0, with_w=False))
        assert old is not None
        game = random_game(old, random.Random(seed), 12)
        SaveStore(Path(tmp) / "saves", old).save("s", game)
        new = load_text(root, story_yaml(edited, start, with_w=w, with_v=v))
        assert new is not None
        store = SaveStore(Path(tmp) / "saves", new)
        (entry,) = store.list()
        assert isinstance(entry, SaveInfo)
        assert entry.story_changed == (new.content_hash != old.content_hash)
        restored = store.load("s")  # the campaign stays, so nothing may refuse it
    path = restored.game.state.path
    assert path == game.state.path[:len(path)]
    assert set(restored.game.state.vars) == set(new.variables)
    assert restored.game.view().node_id in new.nodes
    if entry.story_changed:
        assert restored.changes[0].startswith("The story has changed since this save: ")
        assert f"you resume at ‘{restored.game.node.title}’" in restored.changes[0]
    else:
        assert restored.changes == ()
