"""The author's toolkit: playtests, the story map, scaffolding and live reload.

Built on `moscow1941.story` and `moscow1941.engine`; never imports a user interface.
"""
