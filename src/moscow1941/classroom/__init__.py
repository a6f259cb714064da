"""The classroom: transcripts a teacher can grade and verify, the class report, and the
students' own save folders when the game is served to browsers.

Like `moscow1941.story` and `moscow1941.engine`, this package never imports Textual or Rich.
"""
