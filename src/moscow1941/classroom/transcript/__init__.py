"""Transcripts: a student's game as a file to hand in, in Markdown or as one printable HTML page,
ending in an integrity line a teacher can check with `verify`.

A transcript holds who played (as they typed it), the campaign, the seed and when it was played;
every scene in order with its date and place; each choice marked as in history, diverged (with
what the real actors chose), counterfactual, or an ordinary choice, and author-mode jumps; the
reflections under the choices they were written before; the ending, or where the game stopped;
the timeline of real events beside this game; both divergence figures; and the campaign's
debrief questions.

The last line is the integrity line::

    Integrity: moscow1941-transcript/3 sha256=<hex> data=<base64url(zlib(json))>

`sha256` is the hash of every byte before that line; `data` holds what regenerates the whole
file: the story's id and content hash, campaign, seed, the path of choices, the reflections,
the player's name, the times, the format and (from format 3) the language. `verify` decodes
it (defensively: bounded, JSON only), replays the path on the story it is given, renders the
transcript again and compares it with the file, byte for byte.

What that proves: the file is exactly what Moscow 1941 writes for that path of choices, those
reflections and that name, on that version of the story; any edit (a mark, a word of a
reflection, a figure, the name, the data) shows. What it cannot prove: who played, or that the
game was played at all rather than the path typed in by someone who knows the format. There is
no secret key: anyone with the program can make a valid transcript for any path they choose.

Format versions: the words of a transcript are part of what `verify` compares, so a change of
wording is a new format. Format 2 (December 2026) words the divergence figures as the game now
does ("2 of 8 real decisions differ", "3 of 44 events went otherwise"); format 1 said "2 of 8
decisions differ from history" and "3 of 10 events went differently". `verify` still checks a
format-1 file, rendering it again with format 1's words (`FIGURE_WORDS`). Format 3 (December
2026) records its language and is written in it: the game's words through gettext, the story's
words from the story in that language, `<html lang>` and `dir="rtl"` for Arabic, with a style
sheet of logical properties; it also says "0 of 1 real decision differs" where format 2 said
"differ". `verify` renders a format-3 file again in its recorded language (switching the game's
language for the rendering and back, the story translated to it) and formats 1 and 2 in
English with their own words and style sheet, so every earlier file still verifies.
"""

from moscow1941.classroom.transcript.integrity import (
    FIGURE_WORDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE,
    Payload,
    PayloadError,
    Verification,
    decode_payload,
    encode_payload,
    integrity_line,
    payload_of,
    render,
    verify,
)
from moscow1941.classroom.transcript.model import (
    FORMATS,
    MARK_COUNTERFACTUAL,
    MARK_DIVERGED,
    MARK_HISTORY,
    MARK_JUMP,
    MARK_ORDINARY,
    ChoiceMade,
    Mark,
    SceneRecord,
    Transcript,
    TranscriptError,
    build,
    filename,
)

__all__ = [
    "FIGURE_WORDS", "FORMATS", "FORMAT_NAME", "FORMAT_VERSION", "MARK_COUNTERFACTUAL",
    "MARK_DIVERGED", "MARK_HISTORY", "MARK_JUMP", "MARK_ORDINARY", "MAX_FILE", "ChoiceMade", "Mark",
    "Payload", "PayloadError", "SceneRecord", "Transcript", "TranscriptError", "Verification",
    "build", "decode_payload", "encode_payload", "filename", "integrity_line", "payload_of",
    "render", "verify",
]
