"""Benchmark: loading the shipped story in German and in Arabic, against loading it in English.

A story in a language is the English story loaded and checked, then its translation read (one
file per story file, each entry holding the English and the translation, so about twice the
text) and applied. Prints, for each language, the ratio of `load_story(story, LANG)` to
`load_story(story)`, both measured in this run, best of several rounds; and the time to read
the game's own catalog (the .po file) against the English load. No target was set; the load
runs in a thread behind the title screen, and `serve` does it once per class.
`--quick` (or BENCH_QUICK=1): one round.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quick import best, quick  # noqa: E402

from moscow1941 import i18n  # noqa: E402
from moscow1941.story import load_story  # noqa: E402

STORY = Path(__file__).resolve().parent.parent / "story"



def main() -> None:
    rounds = 1 if quick() else 7
    load_story(STORY)  # warm the imports and the file cache
    english = best(lambda: load_story(STORY), rounds)
    print(f"load in English: {english * 1000:.0f} ms (the baseline)")
    for lang in ("de", "ar"):
        t = best(lambda lang=lang: load_story(STORY, lang), rounds)  # type: ignore[misc]
        print(f"load in {lang}: {t * 1000:.0f} ms: ratio {t / english:.2f}x the English load")

        def catalog(lang: str = lang) -> None:
            i18n._cache.clear()
            i18n.set_language(lang)

        c = best(catalog, rounds)
        print(f"catalog {lang}: {c * 1000:.0f} ms: ratio {c / english:.2f}x the English load")
    i18n.set_language("en")


if __name__ == "__main__":
    main()
