"""The class report: how a class's games split, decision by decision, for the teacher.

`collect` reads one or more folders of saves:

- a class folder (`saves/<class>/`) whose subfolders are students (`saves/<class>/<student>/`,
  holding that student's saves and, when they signed in through the browser, a `.student.json`
  claim whose `name` is their display name);
- a folder of save files collected by hand, grouped by each save's `player` (the file's name
  when a save has none).

A class folder's `preview` subfolder is the teacher's own trial (signed in as *Preview*): it is
never counted, and the report says it was left out.

A student's game in a campaign is their most recently updated finished save, or else their most
recently updated save. `render` writes the report as Markdown (for reading and printing) or CSV
(one row per student and campaign, for a spreadsheet).

How much a decision divided the class is measured in two steps. Its *spread* is the Shannon
entropy of the split among the students who decided there, divided by the largest entropy
possible with that many choices and students (the logarithm of the smaller of the two): 0 when
everyone chose alike, 1 when the students spread as evenly as they could. Its *division* is the
spread times the share of the campaign's players who took the decision, so that an even split of
the whole class counts for more than an even split of the two students who got that far. The
report names the decisions with the largest division, among those at least two students took.

Save files and folder names are untrusted: files that cannot be read are listed with the
reason, and every name is escaped for Markdown or made formula-safe for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from moscow1941.classroom.students import CLAIM_FILE, claimed_name, is_preview
from moscow1941.classroom.text import end_sentence, ending_kind, md, one_line, percent, quoted, wrap
from moscow1941.engine import Game
from moscow1941.engine.game import JUMP
from moscow1941.engine.saves import MAX_PLAYER, Restored, SaveError, SaveStore, UnreadableSave
from moscow1941.i18n import _, ngettext, pgettext
from moscow1941.story.dates import StoryDate
from moscow1941.story.model import Story
from moscow1941.words import COUNTERFACTUAL_SENTENCE, number

FORMATS = ("md", "csv")
DIVISIVE = 3
"""How many of the most divisive decisions the report names, per campaign."""


class ReportError(Exception):
    """A folder that cannot be reported on; the message is a sentence for the teacher."""


# ---- values ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StudentGame:
    """The game that stands for one student in one campaign, and where it came from. `notes`
    say what changed when the save was reopened (a save made with another story version)."""

    student: str
    campaign: str
    game: Game
    save: Path
    updated: datetime
    notes: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        return self.game.ended


@dataclass(frozen=True, slots=True)
class Problem:
    """A file (or a student) that could not be used, and why."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class ClassReport:
    """What `collect` found: the games (by campaign in story order, then student), every
    student (with or without a readable game) and the files that could not be used."""

    story: Story
    folders: tuple[Path, ...]
    games: tuple[StudentGame, ...]
    students: tuple[str, ...]
    problems: tuple[Problem, ...]
    previews: tuple[Path, ...] = ()
    """The teacher's preview folders found in the class folders, left out."""
    class_name: str = ""
    """The class, when the games come from the web face's store rather than from folders."""

    def campaigns(self) -> list[str]:
        """The campaigns someone played, in the story's order."""
        played = {g.campaign for g in self.games}
        return [c for c in self.story.campaigns if c in played]

    def without_games(self) -> list[str]:
        have = {g.student for g in self.games}
        return [s for s in self.students if s not in have]


@dataclass(frozen=True, slots=True)
class OptionSplit:
    """One choice of a decision: its text, whether the real actors took it, how many took it."""

    text: str
    historical: bool
    count: int


@dataclass(frozen=True, slots=True)
class DecisionSplit:
    """How the class split at one decision. `decided` of the campaign's `players` chose there;
    `waiting` are at the scene now, not yet decided; `spread` is from 0 (all alike) to 1 (as even
    as can be); see the module docstring."""

    node_id: str
    title: str
    date: StoryDate
    counterfactual: bool
    options: tuple[OptionSplit, ...]
    decided: int
    players: int
    waiting: int
    spread: float
    question: str

    @property
    def division(self) -> float:
        """The spread times the share of the campaign's players who decided here."""
        return self.spread * self.decided / self.players if self.players else 0.0


# ---- collecting ------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Student:
    name: str
    origin: str
    saves: list[Restored]


def collect(folders: Sequence[Path], story: Story) -> ClassReport:
    """Read every folder of saves (see the module docstring). Raises ReportError for a folder
    that does not exist or cannot be listed; files that cannot be read become `Problem`s."""
    students: dict[tuple[str, ...], _Student] = {}
    problems: list[Problem] = []
    previews: list[Path] = []
    for given in folders:
        folder = Path(given)
        if not folder.is_dir():
            raise ReportError(_("{folder}: there is no such folder. Give the folder that holds a "
                                "class's saves (for example saves/7b).").format(folder=folder))
        try:
            children = sorted(folder.iterdir())
        except OSError as exc:
            raise ReportError(_("{folder}: the folder cannot be read ({reason}).").format(
                folder=folder, reason=exc.strerror or exc)) from None
        for restored in load_all(folder, story, problems):
            player = one_line(restored.player or "", MAX_PLAYER) or one_line(restored.info.name, 80)
            key = (str(folder), "player", player.casefold())
            students.setdefault(key, _Student(player, one_line(folder.name, 80), [])).saves.append(restored)
        for child in children:
            if child.name.startswith(".") or not child.is_dir():
                continue
            if is_preview(child):
                previews.append(child)  # the teacher's trial: never a student
                continue
            claim = child / CLAIM_FILE
            has_claim = claim.exists() or claim.is_symlink()
            saves = load_all(child, story, problems)
            if not saves and not has_claim and not any(p.path.parent == child for p in problems):
                continue  # not a student's folder (a folder of transcripts, say)
            name = one_line(_claimed_name(child) or "", MAX_PLAYER)
            if has_claim and not name:
                problems.append(Problem(claim, _("The student's sign-in record cannot be read; "
                                                 "their name is taken from their saves "
                                                 "instead.")))
            players = [r.player for r in sorted(saves, key=lambda r: r.info.updated) if r.player]
            name = name or one_line(players[-1] if players else "", MAX_PLAYER) or one_line(child.name, 80)
            origin = one_line(f"{folder.name}/{child.name}", 120)
            students[(str(child),)] = _Student(name, origin, saves)
    _disambiguate(list(students.values()))
    games = [g for s in students.values() for g in _games_of(s)]
    order = {c: n for n, c in enumerate(story.campaigns)}
    games.sort(key=lambda g: (order[g.campaign], g.student.casefold(), g.student))
    names = sorted({s.name for s in students.values()}, key=lambda n: (n.casefold(), n))
    return ClassReport(story, tuple(Path(f) for f in folders), tuple(games), tuple(names),
                       tuple(problems), tuple(previews))


def _claimed_name(folder: Path) -> str | None:
    """The name a student signed in with, or None when their record is missing or unreadable."""
    try:
        return claimed_name(folder)
    except RecursionError:  # a record nested thousands of levels deep is damaged too
        return None


def load_all(folder: Path, story: Story, problems: list[Problem]) -> list[Restored]:
    """Every readable save directly in `folder`, reopened on `story`; the rest become problems."""
    store = SaveStore(folder, story)
    out = []
    for entry in store.list():
        if isinstance(entry, UnreadableSave):
            problems.append(Problem(entry.path, entry.reason))
            continue
        try:
            out.append(store.load(entry.name))
        except SaveError as exc:
            problems.append(Problem(entry.path, str(exc)))
    return out


def _disambiguate(students: list[_Student]) -> None:
    """Students who share a display name get the name of their folder after it."""
    counts = Counter(s.name.casefold() for s in students)
    for s in students:
        if counts[s.name.casefold()] > 1:
            s.name = f"{s.name} ({s.origin})"


def _games_of(student: _Student) -> list[StudentGame]:
    by_campaign: dict[str, list[Restored]] = {}
    for r in student.saves:
        by_campaign.setdefault(r.info.campaign, []).append(r)
    out = []
    for campaign, saves in by_campaign.items():
        finished = [r for r in saves if r.game.ended]
        pick = max(finished or saves, key=lambda r: (r.info.updated, r.info.name))
        out.append(StudentGame(student.name, campaign, pick.game, pick.info.path,
                               pick.info.updated, pick.changes))
    return out


# ---- analysing -------------------------------------------------------------------------------------

def first_choices(game: Game) -> dict[str, int]:
    """The choice (its index) a game first took at each scene it chose at; jumps aside."""
    out: dict[str, int] = {}
    for step in game.state.path:
        if step.index != JUMP:
            out.setdefault(step.node, step.index)
    return out


def spread(counts: Sequence[int]) -> float:
    """How evenly students split over the choices of a decision (see the module docstring)."""
    n = sum(counts)
    most = min(len(counts), n)
    if most < 2:
        return 0.0
    entropy = -sum(c / n * math.log(c / n) for c in counts if c)
    return min(1.0, entropy / math.log(most))


def decision_splits(report: ClassReport, campaign: str) -> list[DecisionSplit]:
    """Every decision someone in `campaign` took or stands at, in the story's order (by date)."""
    story = report.story
    games = [g.game for g in report.games if g.campaign == campaign]
    chosen = [first_choices(g) for g in games]
    waiting = Counter(g.node.id for g in games if not g.ended)
    reached = {n for c in chosen for n in c} | set(waiting)
    position = {node_id: n for n, node_id in enumerate(story.nodes)}
    nodes = sorted((story.nodes[n] for n in reached if story.nodes[n].is_decision),
                   key=lambda node: (node.date.first, node.date.last, position[node.id]))
    defaults = story.defaults()
    out = []
    for node in nodes:
        counts = Counter(c[node.id] for c in chosen if node.id in c)
        # Choices with the same words are one row: a story offers the same words with other
        # consequences in other worlds (each shown only where its condition holds), and to
        # the students it was one choice.
        merged: dict[tuple[str, bool], int] = {}
        for ch in node.choices:
            key = (one_line(ch.text.render(defaults), 1000), ch.historical)
            merged[key] = merged.get(key, 0) + counts.get(ch.index, 0)
        options = tuple(OptionSplit(text, historical, count)
                        for (text, historical), count in merged.items())
        decided = sum(counts.values())
        split = DecisionSplit(node.id, node.title, node.date, not node.is_measured, options,
                              decided, len(games), waiting.get(node.id, 0),
                              spread([o.count for o in options]), "")
        question = node.history.debrief if node.history is not None else ""
        out.append(replace(split, question=question or _question(split)))
    return out


def most_divisive(splits: Sequence[DecisionSplit], n: int = DIVISIVE) -> list[DecisionSplit]:
    """The `n` decisions with the largest division among those at least two students took (and
    did not all take alike); ties go to the larger spread, then to story order."""
    ranked = [(s, i) for i, s in enumerate(splits) if s.decided >= 2 and s.spread > 0]
    ranked.sort(key=lambda pair: (-round(pair[0].division, 9), -round(pair[0].spread, 9), pair[1]))
    return [s for s, _ in ranked[:n]]


def _question(split: DecisionSplit) -> str:
    """A discussion question for a decision whose note has none."""
    top = sorted((o for o in split.options if o.count), key=lambda o: -o.count)[:2]
    # Translators: joins the two most chosen choices: some of you chose “A” and others “B”.
    ways = pgettext("report", " and others ").join(quoted(o.text) for o in top)
    asked = end_sentence(_("At ‘{title}’ ({date}) some of you chose {ways}").format(
        title=split.title, date=split.date.display(), ways=ways))
    if split.counterfactual:
        return asked + " " + _("No real actor faced this choice: what would have had to happen "
                               "for anyone to face it, and which choice would they have made?")
    real = [o.text for o in split.options if o.historical]
    if real:
        asked += " " + end_sentence(_("The real actors chose {choice}").format(
            choice=quoted(real[0])))
    return asked + " " + _("What did each choice risk, and what did the people of 1941–1945 "
                           "know, or not know, that you did?")


# ---- rendering ---------------------------------------------------------------------------------

def render(report: ClassReport, fmt: str) -> str:
    """The report as Markdown ('md') or CSV ('csv')."""
    if fmt == "md":
        return _markdown(report)
    if fmt == "csv":
        return _csv(report)
    raise ReportError(_("no report format '{fmt}' (use one of: {formats})").format(
        fmt=fmt, formats=", ".join(FORMATS)))


def _share(count: int, total: int) -> str:
    return percent(count / total) if total else "–"


def _decimal(value: float) -> str:
    """A figure from 0 to 1 to two places: `0.67` (`0,67` in German)."""
    from moscow1941 import i18n

    text = f"{value:.2f}"
    if i18n.language() == "en":
        return text
    from babel.numbers import format_decimal

    return format_decimal(float(text), format="0.00", locale=i18n.language())


def _markdown(report: ClassReport) -> str:
    story = report.story
    finished = sum(g.finished for g in report.games)
    out = ["# " + _("Class report: {title}").format(title=md(story.title)), ""]
    if report.class_name:
        out += wrap(_("Class: {name}").format(name=md(report.class_name)), "- ", "  ")
    else:
        out += wrap(_("Folders: {folders}").format(
            folders=", ".join(md(str(f)) for f in report.folders)), "- ", "  ")
    readable = len(report.students) - len(report.without_games())
    out += ["- " + _("Story: {title} (version {version})").format(
                title=md(story.title), version=story.content_hash[:12]),
            "- " + ngettext("Students: {n} ({readable} with a readable game)",
                            "Students: {n} ({readable} with a readable game)",
                            len(report.students)).format(n=number(len(report.students)),
                                                         readable=number(readable)),
            "- " + ngettext("Games: {n}, of which {finished} finished",
                            "Games: {n}, of which {finished} finished",
                            len(report.games)).format(n=number(len(report.games)),
                                                      finished=number(finished))]
    if report.previews:
        out += wrap(_("Not counted: the teacher's preview ({folders}).").format(
            folders=", ".join(md(str(f)) for f in report.previews)), "- ", "  ")
    out.append("")
    if not report.students and report.class_name:
        out += wrap(_("No student is on the class list yet."))
        out.append("")
    elif not report.students and not report.problems:
        out += wrap(_("No saves were found in these folders. Give a class folder (one subfolder "
                      "a student, such as saves/7b) or a folder of save files."))
        out.append("")
    for campaign in report.campaigns():
        out += _campaign_markdown(report, campaign)
    missing = report.without_games()
    if missing:
        out += ["## " + _("Students with no readable game"), ""]
        out += [line for name in missing for line in wrap(md(name), "- ", "  ")] + [""]
    if report.problems:
        out += ["## " + _("Files that could not be read"), ""]
        for p in report.problems:
            out += wrap(f"{md(str(p.path))}: {md(p.reason)}", "- ", "  ")
        out.append("")
    notes = [(g, note) for g in report.games for note in g.notes]
    if notes:
        out += ["## " + _("Saves made with another version of the story"), ""]
        for g, note in notes:
            out += wrap(f"{md(g.student)} ({md(str(g.save))}): {md(note)}", "- ", "  ")
        out.append("")
    return "\n".join(out)


def _campaign_markdown(report: ClassReport, campaign: str) -> list[str]:
    story = report.story
    games = [g for g in report.games if g.campaign == campaign]
    done = sum(g.finished for g in games)
    splits = decision_splits(report, campaign)
    out = [f"## {md(story.campaigns[campaign].title)}", "",
           ngettext("{n} student played this campaign; {done} finished.",
                    "{n} students played this campaign; {done} finished.",
                    len(games)).format(n=number(len(games)), done=number(done)),
           "", "### " + _("What divided the class most"), ""]
    out += wrap(_("Spread: how evenly the students who took a decision split over its choices, "
                  "from 0 (all alike) to 1 (as evenly as they could). Division: the spread times "
                  "the share of the class that took the decision. Only decisions at least two "
                  "students took are ranked."))
    out.append("")
    top = most_divisive(splits)
    if not top:
        out += [_("No decision divided the class yet."), ""]
    for n, s in enumerate(top, 1):
        ways = pgettext("list separator", ", ").join(
            ngettext("{n} chose {choice}", "{n} chose {choice}", o.count).format(
                n=number(o.count), choice=quoted(md(o.text))) for o in s.options if o.count)
        out += wrap(ngettext("{title} ({date}): {ways}. Division {division} (spread {spread}; "
                             "{decided} of {players} students decided here).",
                             "{title} ({date}): {ways}. Division {division} (spread {spread}; "
                             "{decided} of {players} students decided here).", s.players).format(
                        title=f"**{md(s.title)}**", date=s.date.display(), ways=ways,
                        division=_decimal(s.division), spread=_decimal(s.spread),
                        decided=number(s.decided), players=number(s.players)),
                    f"{n}. ")
        out += wrap(_("Question: {question}").format(question=md(s.question)), "   ")
        out.append("")
    out += ["### " + _("Decisions, in the order of the story"), ""]
    for s in splits:
        out += [f"#### {s.date.display()}: {md(s.title)}", ""]
        who = ngettext("{n} student decided here", "{n} students decided here",
                       s.decided).format(n=number(s.decided))
        if s.waiting:
            who += ngettext("; {n} more is at this scene now", "; {n} more are at this scene now",
                            s.waiting).format(n=number(s.waiting))
        out += wrap(who + ".")
        if s.counterfactual:
            out += wrap(_(COUNTERFACTUAL_SENTENCE))
        out += ["", "| " + _("Choice") + " | " + _("Students") + " | " + _("Share") + " |",
                "| --- | ---: | ---: |"]
        for o in s.options:
            mark = " **(" + _("history") + ")**" if o.historical else ""
            out.append(f"| {md(o.text)}{mark} | {number(o.count)} | {_share(o.count, s.decided)} |")
        out.append("")
    endings = Counter((g.game.node.ending.title, g.game.node.ending.kind)
                      for g in games if g.game.node.ending is not None)
    out += ["### " + _("Endings"), ""]
    if endings:
        out += ["| " + _("Ending") + " | " + _("Kind") + " | " + _("Students") + " |",
                "| --- | --- | ---: |"]
        out += [f"| {md(title)} | {ending_kind(kind)} | {number(count)} |"
                for (title, kind), count in sorted(endings.items(), key=lambda e: (-e[1], e[0]))]
    else:
        out.append(_("Nobody has reached an ending yet."))
    out += ["", "### " + _("Divergence"), "",
            "| " + " | ".join((_("Student"), _("Choice divergence"), _("Outcome divergence"),
                               _("Result"))) + " |",
            "| --- | --- | --- | --- |"]
    for g in games:
        d = g.game.divergence()
        ending = g.game.node.ending
        result = f"‘{md(ending.title)}’" if ending is not None else _("not finished")
        # Translators: a student's figure in the report's table: 25% (2 of 8).
        of = _("{percent} ({part} of {total})")
        out.append(f"| {md(g.student)} | "
                   + of.format(percent=percent(d.choice), part=number(d.divergent_decisions),
                               total=number(d.decisions)) + " | "
                   + of.format(percent=percent(d.outcome), part=number(d.events_diverged),
                               total=number(d.events_settled)) + f" | {result} |")
    figures = [g.game.divergence() for g in games]
    for label, average in ((_("Class mean"), statistics.fmean),
                           (_("Class median"), statistics.median)):
        out.append(f"| **{label}** | {percent(average([d.choice for d in figures]))} | "
                   f"{percent(average([d.outcome for d in figures]))} | |")
    out.append("")
    out += wrap(_("Unfinished games count as far as they went. Choice divergence: the weighted "
                  "share of decisions taken otherwise than in history; outcome divergence: the "
                  "weighted share of settled events that went differently."))
    out.append("")
    waiting = [g for g in games if not g.finished]
    if waiting:
        out += ["### " + _("Not finished"), ""]
        for g in waiting:
            out += wrap(_("{student}: at ‘{scene}’ ({date}), last played {when} UTC").format(
                            student=md(g.student), scene=md(g.game.node.title),
                            date=g.game.node.date.display(), when=f"{g.updated:%Y-%m-%d %H:%M}"),
                        "- ", "  ")
        out.append("")
    out += _reflections_markdown(games)
    return out


def reflection_prompts(games: Sequence[StudentGame]) -> list[tuple[str, str, StoryDate, str]]:
    """Every reflection prompt someone in `games` answered: (node id, scene title, date, prompt),
    in the story's order of dates."""
    seen: dict[str, tuple[str, str, StoryDate, str]] = {}
    for g in games:
        for r in g.game.reflections():
            seen.setdefault(r.node_id, (r.node_id, r.title, r.date, r.prompt))
    return sorted(seen.values(), key=lambda p: (p[2].first, p[2].last))


_BLOCK_START = re.compile(r"(^|\s)([#+\-=>]|\d+[.)](?=\s|$))")
"""What would start a heading, a list, a quotation or an underline at the start of a wrapped
line: its punctuation gets a backslash (as literal in Markdown as it is)."""


def _prose(text: str) -> str:
    """A student's untrusted words as literal Markdown that may be wrapped anywhere."""
    return _BLOCK_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], md(text))


def _reflections_markdown(games: Sequence[StudentGame]) -> list[str]:
    """What the students wrote at each reflection prompt, prompt by prompt."""
    out = ["### " + _("Reflections"), ""]
    prompts = reflection_prompts(games)
    if not prompts:
        return [*out, _("Nobody has written a reflection yet."), ""]
    for node_id, title, date, prompt in prompts:
        out += [f"#### {date.display()}: {md(title)}", ""]
        out += wrap(f"*{md(prompt)}*")
        out.append("")
        for g in games:
            for r in g.game.reflections():
                if r.node_id == node_id:
                    out += wrap(f"**{md(g.student)}**: {_prose(r.answer)}", "- ", "  ")
        out.append("")
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(report: ClassReport) -> str:
    story = report.story
    columns: list[tuple[str, str]] = []  # (campaign, node id)
    for campaign in report.campaigns():
        columns += [(campaign, s.node_id) for s in decision_splits(report, campaign) if s.decided]
    headings = [f"{story.nodes[n].date.iso()} {one_line(story.nodes[n].title, 200)}"
                for _, n in columns]
    repeated = Counter(headings)
    headings = [h if repeated[h] == 1 else f"{h} [{n}]" for h, (_, n) in zip(headings, columns,
                                                                            strict=True)]
    # Then one column per reflection prompt someone answered, with each student's answer.
    asked = [(campaign, p[0]) for campaign in report.campaigns()
             for p in reflection_prompts([g for g in report.games if g.campaign == campaign])]
    prompts = [f"reflection {story.nodes[n].date.iso()} {one_line(story.nodes[n].title, 200)}"
               for _, n in asked]
    repeated = Counter(prompts)
    headings += [h if repeated[h] == 1 else f"{h} [{n}]" for h, (_, n) in zip(prompts, asked,
                                                                             strict=True)]
    header = ["student", "campaign", "finished", "ending", "ending kind", "scene", "date",
              "choice divergence %", "outcome divergence %", "decisions", "divergent decisions",
              "events settled", "events diverged", "reflections", "save", "last played (UTC)",
              *headings]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    defaults = story.defaults()
    for g in report.games:
        game, d = g.game, g.game.divergence()
        ending = game.node.ending
        picked = first_choices(game)
        decisions = [one_line(story.nodes[n].choices[picked[n]].text.render(defaults), 1000)
                     if campaign == g.campaign and n in picked else ""
                     for campaign, n in columns]
        answers = {r.node_id: r.answer for r in game.reflections()}
        decisions += [answers.get(n, "") if campaign == g.campaign else "" for campaign, n in asked]
        row = [g.student, story.campaigns[g.campaign].title, "yes" if g.finished else "no",
               ending.title if ending else "", ending.kind if ending else "",
               game.node.title, game.node.date.iso(), round(d.choice * 100, 1),
               round(d.outcome * 100, 1), d.decisions, d.divergent_decisions, d.events_settled,
               d.events_diverged, len(game.reflections()), str(g.save),
               f"{g.updated:%Y-%m-%d %H:%M}", *decisions]
        writer.writerow([safe_cell(one_line(str(v), 2000)) for v in row])
    return buffer.getvalue()


# ---- from games already built (the web face's store) -----------------------------------------

def from_games(story: Story, entries: Sequence[tuple[str, Game, datetime, str]], *,
               students: Sequence[str] = (), class_name: str = "") -> ClassReport:
    """A report of games that are already built, as the web face's store holds them: each
    entry is (student's name, game, when it was last updated, a label for where it is kept,
    such as "game 12"). As `collect` does, a student's game in a campaign is their most
    recently updated finished game, or else their most recently updated one. `students` adds
    the names of students with no game yet; `class_name` names the class in the Markdown."""
    by: dict[tuple[str, str], list[tuple[Game, datetime, str]]] = {}
    for name, game, updated, source in entries:
        if game.state.campaign in story.campaigns:
            by.setdefault((name, game.state.campaign), []).append((game, updated, source))
    games = []
    for (name, campaign), items in by.items():
        finished = [item for item in items if item[0].ended]
        game, updated, source = max(finished or items, key=lambda item: (item[1], item[2]))
        games.append(StudentGame(name, campaign, game, Path(source), updated))
    order = {c: n for n, c in enumerate(story.campaigns)}
    games.sort(key=lambda g: (order[g.campaign], g.student.casefold(), g.student))
    names = sorted({*students, *(name for name, *_rest in entries)},
                   key=lambda n: (n.casefold(), n))
    return ClassReport(story, (), tuple(games), tuple(names), (), class_name=class_name)
