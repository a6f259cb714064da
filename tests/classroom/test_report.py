"""The class report, on class folders made as a lesson makes them: students sign in, play with
random choices, save; some do not finish, one file is damaged, some folder names are hostile."""

from __future__ import annotations

import csv
import io
import random
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.classroom.conftest import cli, play
from tests.conftest import CHAPTER, MANIFEST, StoryMaker

from moscow1941.classroom import report
from moscow1941.classroom.students import CLAIM_FILE, sign_in
from moscow1941.classroom.text import md, percent
from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.story import Story, load_story


@dataclass
class Pupil:
    """What the test knows about one student it made: the name the report should show, and the
    game it should pick for each campaign."""

    name: str
    folder: Path
    games: dict[str, Game]


def save(folder: Path, story: Story, name: str, game: Game, player: str | None) -> None:
    store = SaveStore(folder, story)
    store.save(name, game, player)
    store.autosave(game, player)


@pytest.fixture(scope="module")
def lesson(shipped: Story, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Pupil]]:
    """A class folder of nine students, built the way a lesson builds one."""
    root = tmp_path_factory.mktemp("saves") / "7b"
    root.mkdir()
    rng = random.Random(1941)
    pupils: list[Pupil] = []

    def finished(campaign: str) -> Game:
        return play(shipped, campaign, rng)

    # Signed in through the browser: the claim names them.
    for name in ("Anna Petrova", "Ольга"):
        folder = sign_in(root, name, "sunflower").folder
        game = finished("soviet")
        save(folder, shipped, "mine", game, name)
        pupils.append(Pupil(name, folder, {"soviet": game}))
    # No claim: the name comes from the saves, else from the folder.
    game = finished("soviet")
    save(root / "boris", shipped, "Boris's game", game, "Boris K.")
    pupils.append(Pupil("Boris K.", root / "boris", {"soviet": game}))
    for hostile in ('=HYPERLINK("evil.example","x")', "<img src=x onerror=alert(1)> | *x*", "-2+3",
                    "line\nbreak"):
        game = play(shipped, "soviet", rng, steps=rng.randrange(3, 12))
        save(root / hostile, shipped, "game", game, None)
        pupils.append(Pupil(hostile.replace("\n", " "), root / hostile, {"soviet": game}))
    # A finished game, then a newer unfinished restart: the finished one stands for them.
    done = finished("soviet")
    save(root / "elena", shipped, "first", done, "Elena")
    save(root / "elena", shipped, "again", play(shipped, "soviet", rng, steps=3), "Elena")
    # ... and a second campaign, unfinished: a second row.
    other = play(shipped, "japanese", rng, steps=6)
    save(root / "elena", shipped, "japan", other, "Elena")
    pupils.append(Pupil("Elena", root / "elena", {"soviet": done, "japanese": other}))
    # A damaged sign-in record: the name comes from the saves, and the record is listed.
    game = finished("soviet")
    save(root / "fyodor", shipped, "mine", game, "Fyodor")
    (root / "fyodor" / CLAIM_FILE).write_text('{"name": ', encoding="utf-8")
    pupils.append(Pupil("Fyodor", root / "fyodor", {"soviet": game}))
    # Only a damaged save.
    (root / "grisha").mkdir()
    (root / "grisha" / "mine.json").write_text('{"format": "moscow1941-save", "ver', encoding="utf-8")
    # Not a student: the transcripts the game exported.
    (root / "transcripts").mkdir()
    (root / "transcripts" / "anna.md").write_text("# Moscow 1941: transcript\n", encoding="utf-8")
    return root, pupils


@pytest.fixture(scope="module")
def found(lesson: tuple[Path, list[Pupil]], shipped: Story) -> report.ClassReport:
    return report.collect([lesson[0]], shipped)


def test_every_student_is_found_and_named(found: report.ClassReport,
                                          lesson: tuple[Path, list[Pupil]]) -> None:
    _, pupils = lesson
    shown = {p.name for p in pupils} | {"grisha"}
    assert set(found.students) == shown
    assert found.without_games() == ["grisha"]
    assert sorted((g.student, g.campaign) for g in found.games) == sorted(
        (p.name, c) for p in pupils for c in p.games)


def test_a_finished_save_stands_for_a_student_over_a_newer_unfinished_one(
        found: report.ClassReport, lesson: tuple[Path, list[Pupil]]) -> None:
    elena = next(p for p in lesson[1] if p.name == "Elena")
    picked = {g.campaign: g for g in found.games if g.student == "Elena"}
    assert picked["soviet"].finished
    assert picked["soviet"].game.state.path == elena.games["soviet"].state.path
    assert not picked["japanese"].finished


def test_unreadable_files_are_listed_with_the_reason(found: report.ClassReport) -> None:
    reasons = {p.path.parent.name + "/" + p.path.name: p.reason for p in found.problems}
    assert "The file is not valid JSON" in reasons["grisha/mine.json"]
    assert "sign-in record cannot be read" in reasons[f"fyodor/{CLAIM_FILE}"]
    assert len(found.problems) == 2


def test_the_markdown_report_shows_how_the_class_split(found: report.ClassReport,
                                                       lesson: tuple[Path, list[Pupil]]) -> None:
    text = report.render(found, "md")
    pupils = lesson[1]
    soviet = [p.games["soviet"] for p in pupils]
    done = sum(g.ended for g in soviet)
    assert 0 < done < len(soviet) == 9
    assert "- Students: 10 (9 with a readable game)\n" in text
    assert f"## The Commissariat\n\n9 students played this campaign; {done} finished.\n" in text
    # The first decision every Soviet game passes, counted here independently of the report.
    story = found.story
    first = next(step.node for step in soviet[0].state.path if story.nodes[step.node].is_decision)
    taken = [next(s.index for s in g.state.path if s.node == first) for g in soviet
             if any(s.node == first for s in g.state.path)]
    node = story.nodes[first]
    section = text[text.index(f"#### {node.date.display()}: {md(node.title)}\n"):]
    section = section[:section.index("\n\n####")]
    assert f"\n{len(taken)} students decided here" in section
    for choice in node.choices:
        count = taken.count(choice.index)
        mark = " **(history)**" if choice.historical else ""
        assert (f"| {md(choice.text.source)}{mark} | {count} | "
                f"{percent(count / len(taken))} |") in section
    # Endings: one count per finished game.
    endings = section_of(text[text.index("## The Commissariat"):], "### Endings", "### Divergence")
    assert sum(int(row.rsplit("|", 2)[1]) for row in endings.splitlines()
               if row.startswith("| ") and not row.startswith(("| Ending", "| ---"))) == done
    # Divergence: every student, then the class mean and median.
    figures = [g.divergence() for g in soviet]
    assert (f"| **Class mean** | {percent(statistics.fmean(d.choice for d in figures))} | "
            f"{percent(statistics.fmean(d.outcome for d in figures))} | |") in text
    assert (f"| **Class median** | {percent(statistics.median(d.choice for d in figures))} | "
            f"{percent(statistics.median(d.outcome for d in figures))} | |") in text
    for p in pupils:
        d = p.games["soviet"].divergence()
        assert (f"| {md(p.name)} | {percent(d.choice)} ({d.divergent_decisions} of {d.decisions}) | "
                f"{percent(d.outcome)} ({d.events_diverged} of {d.events_settled}) |") in text


def section_of(text: str, start: str, end: str) -> str:
    at = text.index(start)
    return text[at:text.index(end, at)]


def test_the_report_says_who_has_not_finished_and_where(found: report.ClassReport,
                                                        lesson: tuple[Path, list[Pupil]]) -> None:
    text = report.render(found, "md")
    waiting = section_of(text, "## The Commissariat", "## Students with no readable game")
    waiting = waiting[waiting.index("### Not finished"):]
    for p in lesson[1]:
        game = p.games["soviet"]
        line = f"- {md(p.name)}: at ‘{md(game.node.title)}’ ({game.node.date.display()})"
        assert (line in " ".join(waiting.split())) == (not game.ended)
    assert "## Students with no readable game\n\n- grisha\n" in text
    assert "## Files that could not be read\n" in text


def test_the_three_most_divisive_decisions_come_with_a_question(found: report.ClassReport) -> None:
    splits = report.decision_splits(found, "soviet")
    top = report.most_divisive(splits)
    assert len(top) == 3
    assert all(s.decided >= 2 and s.spread > 0 for s in top)
    rest = [s for s in splits if s not in top and s.decided >= 2]
    assert all(s.division <= top[-1].division for s in rest)
    assert all(s.division == pytest.approx(s.spread * s.decided / 9) for s in top)
    text = report.render(found, "md")
    soviet = text[text.index("## The Commissariat\n"):]
    divided = " ".join(section_of(soviet, "### What divided the class most",
                                  "### Decisions, in the order").split())
    for n, s in enumerate(top, 1):
        assert f"{n}. **{md(s.title)}** ({s.date.display()}): " in divided
        assert (f"Division {s.division:.2f} (spread {s.spread:.2f}; {s.decided} of 9 students "
                "decided here).") in divided
        assert f"Question: {md(s.question)}" in divided
        note = found.story.nodes[s.node_id].history
        if note is not None and note.debrief:
            assert s.question == note.debrief
        else:
            assert s.question.startswith(f"At ‘{s.title}’ ({s.date.display()}) some of you chose")


def test_hostile_names_cannot_forge_markdown(found: report.ClassReport) -> None:
    text = report.render(found, "md")
    assert "\\<img src=x onerror=alert(1)\\> \\| \\*x\\*" in text
    assert re.search(r"(?<!\\)<img", text) is None
    assert "| =HYPERLINK(\"evil.example\",\"x\") |" in text  # harmless in Markdown
    assert "| line break |" in text


def test_the_csv_has_a_row_per_student_and_campaign_and_no_formulas(
        found: report.ClassReport, lesson: tuple[Path, list[Pupil]]) -> None:
    rows = list(csv.DictReader(io.StringIO(report.render(found, "csv"), newline="")))
    assert len(rows) == len(found.games) == 10
    by_student = {(r["student"], r["campaign"]): r for r in rows}
    assert "'=HYPERLINK(\"evil.example\",\"x\")" in {r["student"] for r in rows}
    assert "'-2+3" in {r["student"] for r in rows}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    story = found.story
    for p in lesson[1]:
        shown = "'" + p.name if p.name.startswith(("=", "-")) else p.name
        for campaign, game in p.games.items():
            row = by_student[(shown, story.campaigns[campaign].title)]
            d = game.divergence()
            assert row["finished"] == ("yes" if game.ended else "no")
            assert float(row["choice divergence %"]) == round(d.choice * 100, 1)
            assert int(row["decisions"]) == d.decisions
            assert int(row["events diverged"]) == d.events_diverged
            assert int(row["reflections"]) == len(game.reflections())
            for step in game.state.path:
                node = story.nodes[step.node]
                column = f"{node.date.iso()} {node.title}"
                if node.is_decision and column in row:
                    chosen = node.choices[step.index].text.source
                    assert row[column].removeprefix("'") == " ".join(chosen.split())
                    break


def _tiny_class(make_story: StoryMaker, tmp_path: Path, picks: list[int]) -> report.ClassReport:
    story = load_story(make_story({"story.yaml": MANIFEST, "ch1.yaml": CHAPTER})).story
    assert story is not None
    for n, pick in enumerate(picks):
        game = Game(story, "main")
        game.choose(pick)
        SaveStore(tmp_path / "class" / f"s{n}", story).save("mine", game, f"Student {n}")
    return report.collect([tmp_path / "class"], story)


def test_spread_is_zero_for_a_united_class_and_one_for_an_even_split() -> None:
    assert report.spread([4, 0]) == 0 and report.spread([1]) == 0 and report.spread([0, 0]) == 0
    assert report.spread([3, 3]) == pytest.approx(1)
    assert report.spread([2, 2, 2]) == pytest.approx(1)
    assert report.spread([1, 1, 0]) == pytest.approx(1)  # two students cannot spread wider
    assert 0 < report.spread([5, 1]) < report.spread([4, 2]) < 1


def test_a_decision_without_a_debrief_question_gets_one(make_story: StoryMaker,
                                                        tmp_path: Path) -> None:
    found = _tiny_class(make_story, tmp_path, [0, 1, 0, 1])
    [split] = report.most_divisive(report.decision_splits(found, "main"))
    assert (split.decided, split.players, split.spread, split.division) == (4, 4, 1.0, 1.0)
    assert split.question.startswith("At ‘Start’ (12 April 1941) some of you chose “Go on.” and "
                                     "others “Diverge.” The real actors chose “Go on.” What did")
    united = _tiny_class(make_story, tmp_path / "b", [0, 0, 0])
    assert report.most_divisive(report.decision_splits(united, "main")) == []
    assert "No decision divided the class yet." in report.render(united, "md")


def test_a_folder_of_collected_files_groups_them_by_player(shipped: Story, tmp_path: Path) -> None:
    rng = random.Random(5)
    store = SaveStore(tmp_path / "inbox", shipped)
    store.save("anna", play(shipped, "soviet", rng, steps=3), "Anna")
    store.save("anna later", play(shipped, "soviet", rng, steps=5), " anna ")
    store.save("unnamed", play(shipped, "japanese", rng, steps=2), None)
    found = report.collect([tmp_path / "inbox"], shipped)
    assert found.students == ("anna", "unnamed")  # as the newest save spells it
    anna = next(g for g in found.games if g.student == "anna")
    assert anna.save.stem == "anna later"


def test_several_folders_make_one_report_and_same_names_are_told_apart(
        shipped: Story, tmp_path: Path) -> None:
    rng = random.Random(6)
    for group in ("7a", "7b"):
        SaveStore(tmp_path / group / "sam", shipped).save(
            "mine", play(shipped, "soviet", rng, steps=4), "Sam")
    out = cli("report", str(tmp_path / "7a"), str(tmp_path / "7b"))
    assert out.returncode == 0, out.stderr
    assert "- Students: 2 (2 with a readable game)" in out.stdout
    assert "| Sam (7a/sam) |" in out.stdout and "| Sam (7b/sam) |" in out.stdout


def test_the_command_writes_markdown_and_csv(lesson: tuple[Path, list[Pupil]],
                                             tmp_path: Path) -> None:
    root = lesson[0]
    out = cli("report", str(root))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Class report: Moscow 1941\n")
    assert "2 files could not be read; the report lists them at the end." in out.stderr
    sheet = tmp_path / "7b.csv"
    out = cli("report", str(root), "-o", str(sheet))
    assert out.returncode == 0, out.stderr
    assert "mine.json: The file is not valid JSON" in out.stderr
    with open(sheet, encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == 10


def test_an_empty_folder_and_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = cli("report", str(tmp_path / "empty"))
    assert out.returncode == 0, out.stderr
    assert "No saves were found in these folders." in out.stdout
    rows = list(csv.reader(io.StringIO(cli("report", str(tmp_path / "empty"), "--format",
                                           "csv").stdout, newline="")))
    assert len(rows) == 1 and rows[0][0] == "student"
    out = cli("report", str(tmp_path / "missing"))
    assert out.returncode == 2
    assert "missing: there is no such folder" in out.stderr and "Traceback" not in out.stderr
    out = cli("report", str(tmp_path / "empty"), "--story", str(tmp_path / "nowhere"))
    assert out.returncode == 2 and "E100: story folder not found" in out.stderr


def test_a_sign_in_record_nested_too_deep_is_listed_not_fatal(shipped: Story, tmp_path: Path) -> None:
    folder = tmp_path / "class" / "zoe"
    SaveStore(folder, shipped).save("mine", play(shipped, "soviet", random.Random(8), steps=2), "Zoe")
    (folder / CLAIM_FILE).write_text("[" * 60_000, encoding="utf-8")
    found = report.collect([tmp_path / "class"], shipped)
    assert found.students == ("Zoe",)
    assert [p.path.name for p in found.problems] == [CLAIM_FILE]


SAME_WORDS = """\
nodes:
  a:
    date: 1941-04-11
    place: Moscow
    title: Before
    text: Trust is {trust}.
    choices:
      - text: Trust them.
        goto: d
      - text: Doubt them.
        goto: d
        set: trust -= 1
  d:
    date: 1941-04-12
    place: Moscow
    title: Start
    text: Trust is {trust}.
    choices:
      - text: Go on.
        goto: b
        historical: true
      - text: Diverge.
        goto: c
        if: trust >= 0
      - text: Diverge.
        goto: b
        if: trust < 0
    history:
      text: It went on.
      sources: [A source]
  b:
    date: 1941-04-14
    place: Moscow
    title: End
    text: Done.
    ending: {title: History, kind: historical, epilogue: As it was.}
  c:
    date: 1941-04-14
    place: Moscow
    title: Other end
    text: Done differently.
    ending: {title: Other, kind: diverged, epilogue: Not as it was.}
"""


def test_a_choice_offered_with_the_same_words_in_two_worlds_is_one_row(
        make_story: StoryMaker, tmp_path: Path) -> None:
    """Defect 8 of the classroom trial: the Gaimushō's talk with Bagge offers the real choice
    in two versions, one for each world, with the same words; its table showed the row twice."""
    story = load_story(make_story({"story.yaml": MANIFEST, "ch1.yaml": SAME_WORDS})).story
    assert story is not None
    for n, doubt in enumerate((0, 1, 0)):
        game = Game(story, "main")
        game.choose(doubt)
        game.choose(2 if doubt else 1)  # the one "Diverge." this world shows
        SaveStore(tmp_path / "class" / f"s{n}", story).save("mine", game, f"Student {n}")
    found = report.collect([tmp_path / "class"], story)
    [split] = report.decision_splits(found, "main")
    assert [(o.text, o.count) for o in split.options] == [("Go on.", 0), ("Diverge.", 3)]
    text = report.render(found, "md")
    assert text.count("| Diverge. | 3 | 100% |") == 1 and "| Diverge. | 0 |" not in text


def test_the_shipped_gaimusho_tables_have_no_row_twice(shipped: Story, tmp_path: Path) -> None:
    """The Bagge decision of the Gaimushō, reached in both worlds, is one row per choice."""
    node = shipped.nodes["jp_nw_bagge"]
    texts = [c.text.render(shipped.defaults()) for c in node.choices]
    assert len(set(texts)) < len(texts), "the story no longer repeats a choice's words here"
    rng = random.Random(3)
    for n in range(30):
        SaveStore(tmp_path / "class" / f"s{n}", shipped).save(
            "mine", play(shipped, "japanese", rng), f"Student {n}")
    found = report.collect([tmp_path / "class"], shipped)
    splits = report.decision_splits(found, "japanese")
    assert any(s.node_id == "jp_nw_bagge" and s.decided for s in splits)
    for split in splits:
        rows = [o.text for o in split.options]
        assert len(rows) == len(set(rows)), split.title


def test_the_report_shows_each_students_reflections_escaped(shipped: Story,
                                                            tmp_path: Path) -> None:
    """Defect 7 of the classroom trial: the report had no reflection text. Each prompt comes
    with what every student wrote there, in Markdown and in the CSV, escaped."""
    rng = random.Random(11)
    hostile = "# Not a heading | *bold* <b>x</b>\n=SUM(A1) - 1. no list"
    anna = play(shipped, "prologue", rng, reflect="Quiet in the east, because {title}.")
    boris = play(shipped, "prologue", rng, reflect=hostile)
    SaveStore(tmp_path / "7b" / "anna", shipped).save("mine", anna, "Anna")
    SaveStore(tmp_path / "7b" / "boris", shipped).save("mine", boris, "Boris")
    found = report.collect([tmp_path / "7b"], shipped)
    text = report.render(found, "md")
    section = text[text.index("### Reflections"):]
    assert anna.reflections() and boris.reflections()
    for r in anna.reflections():
        assert f"#### {r.date.display()}: {md(r.title)}" in section
        assert f"*{md(r.prompt)}*" in " ".join(section.split())
        assert f"- **Anna**: {md(r.answer)}" in " ".join(section.split()).replace(" - ", "\n- ")
    assert ("- **Boris**: \\# Not a heading \\| \\*bold\\* \\<b\\>x\\</b\\> \\=SUM(A1) \\- 1\\. no "
            "list") in section
    assert "\n# Not" not in text and "<b>" not in text
    rows = list(csv.DictReader(io.StringIO(report.render(found, "csv"))))
    first = anna.reflections()[0]
    column = f"reflection {first.date.iso()} {first.title}"
    by_name = {row["student"]: row for row in rows}
    assert by_name["Anna"][column] == first.answer
    assert by_name["Boris"][column] == "# Not a heading | *bold* <b>x</b> =SUM(A1) - 1. no list"
    assert by_name["Anna"]["reflections"] == str(len(anna.reflections()))


def test_a_campaign_nobody_reflected_in_says_so(shipped: Story, tmp_path: Path) -> None:
    game = play(shipped, "prologue", random.Random(2), reflect=None)
    SaveStore(tmp_path / "7b" / "anna", shipped).save("mine", game, "Anna")
    text = report.render(report.collect([tmp_path / "7b"], shipped), "md")
    assert "### Reflections\n\nNobody has written a reflection yet.\n" in text


def test_the_teachers_preview_never_counts(shipped: Story, tmp_path: Path) -> None:
    """Defect 4 of the classroom trial: the teacher's own trial counted as a student. Signed in
    as Preview, the games are in saves/<class>/preview/, which the report leaves out, and says
    so; the CSV has no row for it."""
    rng = random.Random(4)
    class_dir = tmp_path / "saves" / "9b"
    teacher = sign_in(class_dir, "Preview", "chalkboard")
    assert teacher.preview and teacher.folder.name == "preview"
    SaveStore(teacher.folder, shipped).save("trial", play(shipped, "prologue", rng), "Preview")
    pupil = sign_in(class_dir, "Anna", "sunflower")
    assert not pupil.preview
    SaveStore(pupil.folder, shipped).save("mine", play(shipped, "prologue", rng), "Anna")
    found = report.collect([class_dir], shipped)
    assert found.students == ("Anna",) and [g.student for g in found.games] == ["Anna"]
    assert found.previews == (class_dir / "preview",)
    text = report.render(found, "md")
    assert "- Students: 1 (1 with a readable game)" in text
    assert (f"- Not counted: the teacher's preview ({md(str(class_dir / 'preview'))})."
            in " ".join(text.split()).replace(" - ", "\n- "))
    assert "Preview" not in text.replace("teacher's preview", "")
    rows = list(csv.DictReader(io.StringIO(report.render(found, "csv"))))
    assert [row["student"] for row in rows] == ["Anna"]
    out = cli("report", str(class_dir))
    assert out.returncode == 0 and "- Students: 1 " in out.stdout
