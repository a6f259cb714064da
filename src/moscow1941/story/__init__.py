"""The story format: YAML files become an immutable `Story`, with diagnostics for every mistake.

This package never imports the engine, the UI, Textual or Rich.
"""

from moscow1941.story.diagnostics import Diagnostic, Severity
from moscow1941.story.load import LoadResult, load_story
from moscow1941.story.model import Story

__all__ = ["Diagnostic", "LoadResult", "Severity", "Story", "load_story"]
