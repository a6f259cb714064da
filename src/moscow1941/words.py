"""The game's own words about its figures: what each divergence figure means, and the figures
in a sentence. One home for them, so that the status panel, the ending screen, plain mode,
transcripts and the class report say the same thing (and a translation has one place to go).
Imports nothing from the faces."""

from __future__ import annotations

from moscow1941.engine.scene import Divergence

CHOICES_MEANS = ("Choices: of the real decisions you have faced, the share (weighted by how much "
                 "each mattered) where you chose otherwise than the real actors did.")
"""What the choice divergence figure means, in one sentence."""

WORLD_MEANS = ("World: of the whole record of 1941–1945 (every event, weighted by how much it "
               "shaped the outcome), the share that has gone otherwise in your game so far; it "
               "only grows, and at an ending every event is judged.")
"""What the outcome (world) divergence figure means, in one sentence."""


def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage, as the game shows it: `0.25` -> `25%`."""
    return f"{round(share * 100)}%"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def decisions_counted(d: Divergence) -> str:
    """`2 of 8 real decisions differ`, with the decisions no real actor faced after it."""
    text = f"{d.divergent_decisions} of {plural(d.decisions, 'real decision', 'real decisions')} differ"
    if d.counterfactual_decisions:
        text += f"; {d.counterfactual_decisions} more in a world history never saw"
    return text


def events_counted(d: Divergence) -> str:
    """`3 of 44 events went otherwise` (the whole record, not only what is settled)."""
    total = d.events_total or d.events_settled
    return f"{d.events_diverged} of {plural(total, 'event', 'events')} went otherwise"


def choice_figure(d: Divergence) -> str:
    """The choice divergence in words: `25% (2 of 8 real decisions differ)`."""
    return f"{percent(d.choice)} ({decisions_counted(d)})"


def outcome_figure(d: Divergence) -> str:
    """The outcome divergence in words: `10% (4 of 44 events went otherwise)`."""
    return f"{percent(d.outcome)} ({events_counted(d)})"
