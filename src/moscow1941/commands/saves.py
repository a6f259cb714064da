"""`moscow1941 saves [list|where|delete NAME|rename OLD NEW]`: the saves, outside the game.

For players and teachers who want to see, tidy or hand out saves without starting the game. It
uses the same `SaveStore` as the game, so the list and its reasons are the ones the game shows.
"""

from __future__ import annotations

import argparse

from moscow1941.commands import add_lang_option, add_story_option

HELP = "list, delete or rename saves, or show where they are kept"

ACTIONS = ("list", "where", "delete", "rename")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=ACTIONS, default="list",
                        help="what to do (default: list)")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="the save for delete; the old and the new name for rename")
    parser.add_argument("--saves", metavar="DIR",
                        help="the saves folder (default: $MOSCOW1941_SAVES, ./saves, or the "
                             "per-user data folder)")
    add_story_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people, json for tools")
    add_lang_option(parser, "the language to speak")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from moscow1941.commands import print_anything, set_language, story_or_say
    from moscow1941.engine.saves import SaveError, SaveInfo, SaveStore, resolve_saves_dir
    from moscow1941.i18n import _, ngettext
    from moscow1941.words import percent

    language = set_language(getattr(args, "lang", None))
    print_anything()  # file names may hold bytes that are not UTF-8 (fields in saves are cleaned)
    folder = resolve_saves_dir(args.saves)
    if args.action == "where":
        print(folder)
        return 0
    wanted = {"list": 0, "delete": 1, "rename": 2}[args.action]
    if len(args.names) != wanted:
        print(ngettext("'{action}' takes {n} name; see 'moscow1941 saves --help'.",
                       "'{action}' takes {n} names; see 'moscow1941 saves --help'.",
                       wanted).format(action=args.action, n=wanted), file=sys.stderr)
        return 2
    story = story_or_say(args.story, language)
    if story is None:
        return 1
    store = SaveStore(folder, story)
    try:
        if args.action == "delete":
            store.delete(args.names[0])
            print(_("Deleted ‘{name}’.").format(name=args.names[0]))
            return 0
        if args.action == "rename":
            info = store.rename(args.names[0], args.names[1])
            print(_("Renamed ‘{old}’ to ‘{new}’.").format(old=args.names[0], new=info.name))
            return 0
    except SaveError as exc:
        print(exc, file=sys.stderr)
        return 1
    entries = store.list()
    if args.format == "json":
        json.dump({"folder": str(folder), "saves": [
            {"name": e.name, "path": str(e.path), "readable": True, "autosave": e.autosave,
             "campaign": e.campaign, "scene_title": e.scene_title, "date": e.date,
             "choice_divergence": e.choice_divergence,
             "outcome_divergence": e.outcome_divergence, "player": e.player,
             "created": e.created.isoformat(), "updated": e.updated.isoformat(),
             "story_changed": e.story_changed, "author_jumps": e.jumps}
            if isinstance(e, SaveInfo) else
            {"name": e.name, "path": str(e.path), "readable": False, "reason": e.reason}
            for e in entries]}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not entries:
        print(_("No saves in {folder}.").format(folder=folder))
        return 0
    print(_("Saves in {folder}, newest first:").format(folder=folder))
    english = language == "en"
    for e in entries:
        if isinstance(e, SaveInfo):
            changed = _("; made with another version of the story") if e.story_changed else ""
            if e.jumps:
                changed += ngettext("; made in author mode ({n} jump): open it with play --author",
                                    "; made in author mode ({n} jumps): open it with play "
                                    "--author", e.jumps).format(n=e.jumps)
            who = f", {e.player}" if e.player else ""
            print("  " + _("{name}: {scene}, {date} ({campaign}{who}); divergence {choice} "
                           "choices, {outcome} outcome; saved {when} UTC{changed}").format(
                name=e.name, scene=e.scene_title, date=e.date, campaign=e.campaign, who=who,
                choice=f"{e.choice_divergence:.0%}" if english else percent(e.choice_divergence),
                outcome=f"{e.outcome_divergence:.0%}" if english else percent(e.outcome_divergence),
                when=f"{e.updated:%Y-%m-%d %H:%M}", changed=changed))
        else:
            print("  " + _("{name}: cannot be opened. {reason}").format(name=e.name, reason=e.reason))
    return 0
