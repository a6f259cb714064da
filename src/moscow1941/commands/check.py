"""`moscow1941 check [STORY_DIR] [--format text|json]`: load and lint a story."""

from __future__ import annotations

import argparse

HELP = "check a story folder and report every problem with file:line:col"

# Diagnostics printed, in text and JSON alike; the rest are counted ("N more not shown").
MAX_SHOWN = 200


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", help="the story folder (default: the shipped story)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people, json for tools")
    parser.add_argument("--lang", metavar="LANG", action="append",
                        help="also check the story's translation into LANG (STORY/LANG/...): "
                             "missing and stale entries as warnings, and its coverage; "
                             "repeat it, or give 'all' for every translation the story has")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from moscow1941.commands import print_anything
    from moscow1941.paths import default_story_dir
    from moscow1941.story import load_story, translation
    from moscow1941.story.diagnostics import Severity
    from moscow1941.story.lint import lint
    from moscow1941.story.translation import Coverage

    print_anything()  # file names may hold bytes that are not UTF-8 (fields in saves are cleaned)
    root = args.story or str(default_story_dir())
    result = load_story(root)
    diags = list(result.diagnostics)
    coverage: list[Coverage] = []
    if result.story is not None:
        diags.extend(lint(result.story))
        wanted = args.lang or []
        if "all" in wanted:
            wanted = [*[w for w in wanted if w != "all"], *translation.languages(root)]
        for lang in dict.fromkeys(wanted):
            if not translation.LANGUAGE_CODE.fullmatch(lang) or lang == "en":
                print(f"'{lang}' is not a translation's language code (two or three lower-case "
                      "letters, such as de or ar)", file=sys.stderr)
                return 2
            done = translation.translate_story(result.story, lang)
            diags.extend(done.diagnostics)
            coverage.append(done.coverage)
    errors = sum(1 for d in diags if d.severity is Severity.ERROR) + result.omitted_errors
    warnings = len(diags) - (errors - result.omitted_errors) + result.omitted_warnings
    hidden = errors + warnings - min(len(diags), MAX_SHOWN)
    shown = diags[:MAX_SHOWN]
    story = result.story
    stats = {
        "nodes": len(story.nodes), "campaigns": len(story.campaigns),
        "events": len(story.events), "variables": len(story.variables),
        "glossary": len(story.glossary), "files": len(story.files),
    } if story else {}
    if args.format == "json":
        json.dump({"story": root, "ok": errors == 0, "errors": errors, "warnings": warnings,
                   "stats": stats, "diagnostics": [d.to_json() for d in shown],
                   "translations": {c.language: {
                       "entries": c.entries, "translated": c.translated, "missing": c.missing,
                       "stale": c.stale, "words": c.words, "translated_words": c.translated_words,
                       "target_words": c.target_words, "complete": c.complete}
                       for c in coverage},
                   "not_shown": hidden},
                  sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for d in shown:
            print(d.format())
        if hidden:
            print(f"... {hidden} more not shown (the first {len(shown)} are above; fix them "
                  "and check again)")
        summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        if story:
            print(f"{root}: {_count(stats['nodes'], 'node')}, "
                  f"{_count(stats['campaigns'], 'campaign')}, "
                  f"{_count(stats['events'], 'event')} in {_count(stats['files'], 'file')}; "
                  f"{summary}")
        else:
            print(f"{root}: {summary}")
        for c in coverage:
            print(translation.coverage_line(c))
    return 1 if errors else 0


def _count(n: int, word: str) -> str:
    """`1 campaign`, `3 campaigns`."""
    return f"{n} {word}{'s' * (n != 1)}"
