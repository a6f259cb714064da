"""The rules: a `Game` holds a `Story` and a `GameState`, answers with `Scene`s, takes choices.

This package never imports the UI, Textual or Rich.
"""

from moscow1941.engine.game import Game, GameError
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
    Verdict,
)
from moscow1941.engine.state import GameState, Reflection, StateError

__all__ = [
    "ChoiceView", "DecisionRecord", "Divergence", "EndingView", "Game", "GameError", "GameState",
    "Reflection", "ReflectionRecord", "Scene", "StateError", "StatusValue", "TimelineEntry",
    "TimelineStatus", "Verdict",
]
