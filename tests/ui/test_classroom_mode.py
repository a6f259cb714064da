"""Classroom mode (the game served to a class): the sign-in screen at 80×24, driven with the
keyboard, and what a signed-in student can reach: only their own saves, no author mode, no
screenshot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from tests.ui.conftest import AppMaker
from tests.ui.helpers import SIZE
from textual import events
from textual.command import CommandPalette
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from moscow1941.classroom import students
from moscow1941.classroom.students import (
    ATTEMPTS_FILE,
    CLAIM_FILE,
    CLIENT_ENV,
    SETTINGS_FILE,
    UNCONFIRMED,
    sign_in,
)
from moscow1941.engine import Game
from moscow1941.engine.saves import SaveStore
from moscow1941.story import Story
from moscow1941.ui.app import Moscow1941App
from moscow1941.ui.screens.play import PlayScreen
from moscow1941.ui.screens.saves import SavesScreen
from moscow1941.ui.screens.student import SignInScreen
from moscow1941.ui.screens.title import TitleScreen
from moscow1941.ui.settings import Settings


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(students, "SCRYPT_N", 2 ** 4)


@pytest.fixture
def class_dir(tmp_path: Path) -> Path:
    return tmp_path / "saves" / "9b"


def classroom_app(story: Story, class_dir: Path, **kwargs: object) -> Moscow1941App:
    app = Moscow1941App(story=story, classroom=class_dir, class_label="9B",
                        settings=Settings(reveal=False), **kwargs)  # type: ignore[arg-type]
    app.animation_level = "none"
    return app


@asynccontextmanager
async def running(story: Story, class_dir: Path, notifications: bool = False,
                  **kwargs: object) -> AsyncIterator[tuple[Moscow1941App, Pilot[None]]]:
    """The app in classroom mode at 80×24, on its first screen (`notifications`: with its
    notifications drawn, as in a browser)."""
    app = classroom_app(story, class_dir, **kwargs)
    async with app.run_test(size=SIZE, notifications=notifications) as pilot:
        await pilot.pause()
        yield app, pilot


def message(app: Moscow1941App) -> str:
    content = app.screen.query_one("#sign-in-message", Static).content
    return content.plain if isinstance(content, Content) else str(content)


async def palette_finds(app: Moscow1941App, pilot: Pilot[None], text: str) -> str:
    """What the command palette lists for `text` (it is opened and closed again)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    found = ""
    for _ in range(20):
        await pilot.pause(0.05)
        found = " | ".join(str(o.prompt) for o in app.screen.query_one(OptionList).options)
        if found:
            break
    await pilot.press("escape")
    await pilot.pause()
    return found


async def burst(app: Moscow1941App, pilot: Pilot[None], keys: str) -> None:
    """Keys arriving all at once, as from a stalled connection ('\r' is Enter)."""
    for ch in keys:
        app.post_message(events.Key("enter" if ch == "\r" else ch, ch))
    for _ in range(6):
        await pilot.pause(0.05)


async def type_in(pilot: Pilot[None], *fields: str) -> None:
    """Type each field's text and press Enter after it."""
    for text in fields:
        await pilot.press(*text, "enter")
        await pilot.pause()


async def test_the_game_opens_on_the_sign_in_screen_with_everything_visible(
        ui_story: Story, class_dir: Path) -> None:
    async with running(ui_story, class_dir) as (app, pilot):
        assert isinstance(app.screen, SignInScreen)
        assert app.focused is app.screen.query_one("#student-name", Input)
        assert app.store is None
        await type_in(pilot, "Alice", "sunflower")
        # A new name: the word once more, and every field still on the 80×24 screen.
        again = app.screen.query_one("#student-again", Input)
        assert app.focused is again and message(app) == UNCONFIRMED
        for widget in app.screen.query("#sign-in-box > *"):
            region = widget.region
            assert region.height > 0 and region.y + region.height <= SIZE[1] - 1, widget
            assert region.x >= 0 and region.right <= SIZE[0], widget


async def test_a_new_student_signs_in_and_plays_with_saves_in_their_own_folder(
        ui_story: Story, class_dir: Path) -> None:
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower", "sunflower")
        assert isinstance(app.screen, TitleScreen)
        assert app.student is not None and app.student.name == "Alice" and app.student.new
        assert app.store is not None
        assert app.store.folder == class_dir.resolve() / "alice"
        await pilot.press("n", "1")  # a signed-in student is not asked for a name again
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.player == "Alice"
        await pilot.press("1")
        await pilot.pause()
        app.flush_autosaves()
    assert (class_dir / "alice" / "Autosave clerk 1.json").exists()
    assert (class_dir / "alice" / CLAIM_FILE).exists()
    assert sorted(p.name for p in class_dir.iterdir()) == ["alice"]


async def test_keys_typed_straight_after_enter_reach_the_next_field(ui_story: Story,
                                                                   class_dir: Path) -> None:
    """A busy server reads a burst of keys at once; each field still gets its own."""
    sign_in(class_dir, "Bob", "hunter2")
    async with running(ui_story, class_dir) as (app, pilot):
        await burst(app, pilot, "Alice\rsunflower\r")
        assert message(app) == UNCONFIRMED
        assert app.focused is app.screen.query_one("#student-again", Input)
        await burst(app, pilot, "sunflower\r")
        assert isinstance(app.screen, TitleScreen)
        assert app.student is not None and app.student.name == "Alice"
    async with running(ui_story, class_dir) as (app, pilot):
        await burst(app, pilot, "Bob\rhunter2\r")
        assert isinstance(app.screen, TitleScreen)
        assert app.student is not None and app.student.name == "Bob"


async def test_the_two_words_of_a_new_name_must_match(ui_story: Story, class_dir: Path) -> None:
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower", "sunflowr")
        assert isinstance(app.screen, SignInScreen)
        assert "not the same" in message(app)
        assert not (class_dir / "alice" / CLAIM_FILE).exists()


def form(app: Moscow1941App) -> tuple[object, ...]:
    """What the sign-in screen shows and where the focus is."""
    screen = app.screen
    shown = tuple((w.id, w.display) for w in screen.query("#sign-in-box > *"))
    return message(app), shown, app.focused.id if app.focused else None


async def test_a_taken_name_and_a_free_one_look_alike_until_the_word_is_checked(
        ui_story: Story, class_dir: Path) -> None:
    """Nobody learns which names are taken by typing them: a free name and a taken one with
    a wrong word get the same screen (the word again, for a new student)."""
    sign_in(class_dir, "Alice", "sunflower")
    seen = []
    for name in ("Alice", "Zoe"):
        async with running(ui_story, class_dir) as (app, pilot):
            await type_in(pilot, name, "guess")
            assert isinstance(app.screen, SignInScreen)
            seen.append(form(app))
    assert seen[0] == seen[1] and seen[0][0] == UNCONFIRMED
    assert "taken" not in UNCONFIRMED and "new in this class" not in UNCONFIRMED


async def test_a_classmate_typing_a_claimed_name_is_refused_kindly(ui_story: Story,
                                                                    class_dir: Path) -> None:
    sign_in(class_dir, "Alice", "sunflower")
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "alice", "guess")
        assert message(app) == UNCONFIRMED
        # Typed again, as a new student would: checked again, and now the refusal says why.
        await type_in(pilot, "guess")
        assert isinstance(app.screen, SignInScreen)
        assert app.student is None and app.store is None
        text = message(app)
        assert "taken" in text and "not the secret word for ‘Alice’" in text
        assert "teacher" in text
        assert app.screen.query_one("#student-secret", Input).value == ""
        assert app.focused is app.screen.query_one("#student-secret", Input)
        assert not app.screen.query_one("#student-again", Input).display
        # The owner, with the right word, comes back (no second word is asked for).
        await type_in(pilot, "sunflower")
        assert isinstance(app.screen, TitleScreen)
        assert app.student is not None and not app.student.new and app.student.name == "Alice"
    # Two wrong words were counted; the owner's sign-in started the name's count again.
    assert "name:alice" not in json.loads((class_dir / ATTEMPTS_FILE).read_text())


async def test_after_several_wrong_words_every_session_waits(
        ui_story: Story, class_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wait is the class's: a new connection (another game process) waits as long."""
    monkeypatch.setenv(CLIENT_ENV, "192.0.2.7")
    sign_in(class_dir, "Alice", "sunflower")
    async with running(ui_story, class_dir) as (app, pilot):
        for word in ("one", "two", "three"):
            await pilot.press("escape")
            await type_in(pilot, "Alice", word)
        assert "Wait 2 seconds" in message(app)
        assert app.screen.query_one("#student-secret", Input).disabled
        await pilot.press(*"sunflower", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
    # Reconnected half a second later (the clock stands still while the new session starts).
    last = max(v[1] for v in json.loads((class_dir / ATTEMPTS_FILE).read_text()).values())
    monkeypatch.setattr(students, "now", lambda: last + 0.5)
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower")
        assert isinstance(app.screen, SignInScreen) and app.student is None
        assert "Too many wrong secret words. Wait 2 seconds" in message(app)
        assert app.screen.query_one("#student-secret", Input).disabled
        await pilot.pause(1.8)
        assert not app.screen.query_one("#student-secret", Input).disabled
        monkeypatch.setattr(students, "now", lambda: last + 2.1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)  # the owner, once the wait is over
        assert app.student is not None and app.student.name == "Alice"


@pytest.mark.parametrize(("name", "word", "expected"), [
    ("", "", "at least one letter or digit"),
    ("../..", "", "at least one letter or digit"),
    ("Alice", "ab", "at least 3 characters"),
])
async def test_unusable_names_and_words_get_a_clear_message(ui_story: Story, class_dir: Path,
                                                            name: str, word: str,
                                                            expected: str) -> None:
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, name)
        if word:
            await type_in(pilot, word)
        assert expected in message(app)
        assert isinstance(app.screen, SignInScreen)
    assert not class_dir.exists() or list(class_dir.iterdir()) == []


async def test_escape_empties_the_form(ui_story: Story, class_dir: Path) -> None:
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert all(not i.value for i in app.screen.query(Input))
        assert not app.screen.query_one("#student-again", Input).display


async def test_the_saves_screen_lists_only_the_students_own_saves(ui_story: Story,
                                                                 class_dir: Path) -> None:
    bob = sign_in(class_dir, "Bob", "hunter2")
    bobs = SaveStore(bob.folder, ui_story)
    bobs.save("Bob's secret plan", Game(ui_story, "clerk"), player="Bob")
    bobs.autosave(Game(ui_story, "envoy"), player="Bob")
    alice = sign_in(class_dir, "Alice", "sunflower")
    SaveStore(alice.folder, ui_story).save("Alice at the station", Game(ui_story, "clerk"))
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        assert [e.name for e in app.screen.entries] == ["Alice at the station"]
        listing = app.screen.query_one("#save-list", OptionList)
        assert listing.option_count == 1
        hint = str(app.screen.query_one("#saves-hint", Static).render())
        assert "your own folder" in hint and str(class_dir) not in hint


async def test_the_students_settings_are_kept_in_their_folder(ui_story: Story,
                                                              class_dir: Path) -> None:
    student = sign_in(class_dir, "Alice", "sunflower")
    (student.folder / SETTINGS_FILE).write_text('{"theme": "moscow1941-contrast"}')
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower")
        assert app.theme == "moscow1941-contrast"
        app.apply_settings(Settings(theme="moscow1941", reveal=False))
    assert '"moscow1941"' in (student.folder / SETTINGS_FILE).read_text()


async def test_classroom_mode_has_no_author_mode_and_no_screenshot(ui_story: Story,
                                                                   class_dir: Path) -> None:
    async with running(ui_story, class_dir, author=True, campaign="clerk") as (app, pilot):
        assert not app.author and isinstance(app.screen, SignInScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        assert not app.check_action("screenshot", ())
        assert "Screenshot" not in await palette_finds(app, pilot, "screensh")
        assert "Theme" in await palette_finds(app, pilot, "theme")
        await type_in(pilot, "Alice", "sunflower", "sunflower")
        await pilot.press("n", "1")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(t.startswith("Jump to") for t in titles) and "Screenshot" not in titles


async def test_nothing_can_start_a_game_before_signing_in(ui_story: Story,
                                                          class_dir: Path) -> None:
    async with running(ui_story, class_dir) as (app, pilot):
        app.start_game(Game(ui_story, "clerk"))
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)


async def test_outside_classroom_mode_the_screenshot_command_stays(make_app: AppMaker) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Screenshot" in await palette_finds(app, pilot, "screensh")


def _toast_regions(app: Moscow1941App) -> list[Region]:
    from textual.widgets._toast import Toast

    return [t.region for t in app.screen.query(Toast) if t.region.area]


async def test_the_welcome_hides_nothing_at_80x24(ui_story: Story, class_dir: Path) -> None:
    """Defect 10 of the classroom trial: the welcome came as a notification that covered the
    first choices. It is a line of the title screen: no notification covers the menu, the
    campaigns or the first scene's choices."""
    async with running(ui_story, class_dir, notifications=True) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower", "sunflower")
        assert isinstance(app.screen, TitleScreen)
        welcome = app.screen.query_one("#title-welcome", Static)
        assert str(welcome.render()).strip() == "Welcome, Alice. Remember your secret word."
        menu = app.screen.query_one("#title-menu", OptionList)
        assert welcome.region.area and not welcome.region.overlaps(menu.region)
        assert welcome.region.bottom <= SIZE[1] - 1  # above the footer
        await pilot.pause(0.2)
        assert not _toast_regions(app)
        await pilot.press("n")
        await pilot.pause()
        assert not _toast_regions(app)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        choices = app.screen.query_one("#choices")
        assert not [r for r in _toast_regions(app) if r.overlaps(choices.region)]


async def test_a_student_signing_in_again_is_welcomed_back(ui_story: Story,
                                                           class_dir: Path) -> None:
    sign_in(class_dir, "Alice", "sunflower")
    async with running(ui_story, class_dir, notifications=True) as (app, pilot):
        await type_in(pilot, "Alice", "sunflower")
        assert isinstance(app.screen, TitleScreen)
        welcome = app.screen.query_one("#title-welcome", Static)
        assert str(welcome.render()).strip() == "Welcome back, Alice."
        assert not _toast_regions(app)


async def test_a_student_who_plays_two_campaigns_has_both_in_the_report_under_their_name(
        ui_story: Story, class_dir: Path) -> None:
    """Defects 1 and 2 of the classroom trial, as a student meets them: sign in, play one
    campaign to its end (with a reflection), then begin another. Nobody asks for a name again;
    both games are in the class report under the sign-in name, and so are the saves' player and
    the transcript's."""
    from moscow1941.classroom import report, transcript
    from moscow1941.ui.screens.dialogs import ReflectionPrompt, TextPrompt
    from moscow1941.ui.screens.ending import EndingScreen

    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Alice Dupont", "sunflower", "sunflower")
        await pilot.press("n", "1")  # The Clerk
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.player == "Alice Dupont"
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1")  # the platform asks for a reflection first
        await pilot.pause()
        assert isinstance(app.screen, ReflectionPrompt)
        await type_in(pilot, "To be seen is to be counted.")
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.go_to_title()
        await pilot.pause()
        await pilot.press("n", "2")  # The Envoy, begun, not finished
        await pilot.pause()
        assert not any(isinstance(s, TextPrompt) for s in app.screen_stack)
        assert isinstance(app.screen, PlayScreen) and app.screen.player == "Alice Dupont"
        await pilot.press("1")
        await pilot.pause()
        app.flush_autosaves()
    found = report.collect([class_dir], ui_story)
    assert found.students == ("Alice Dupont",)
    assert {(g.student, g.campaign, g.finished) for g in found.games} == {
        ("Alice Dupont", "clerk", True), ("Alice Dupont", "envoy", False)}
    text = report.render(found, "md")
    assert "## The Clerk" in text and "## The Envoy" in text
    assert "- **Alice Dupont**: To be seen is to be counted." in text
    store = SaveStore(class_dir / "alice-dupont", ui_story)
    saves = [store.load(e.name) for e in store.list()]
    assert saves and {r.player for r in saves} == {"Alice Dupont"}
    clerk = next(r for r in saves if r.info.campaign == "clerk")
    written = transcript.render(transcript.build(clerk.game, clerk.player), "md")
    assert "- Player: Alice Dupont\n" in written


async def test_the_teacher_signing_in_as_preview_is_told_it_never_counts(
        ui_story: Story, class_dir: Path) -> None:
    """Defect 4 of the classroom trial: the teacher tries the game under the reserved name
    Preview; the title screen says its games are never in the class report."""
    async with running(ui_story, class_dir) as (app, pilot):
        await type_in(pilot, "Preview", "chalkboard", "chalkboard")
        assert isinstance(app.screen, TitleScreen)
        assert app.student is not None and app.student.preview
        assert str(app.screen.query_one("#title-welcome", Static).render()).strip() == (
            "Welcome, Preview. This is the teacher's preview: its games are never in the "
            "class report.")
        await pilot.press("n", "1", "1")
        await pilot.pause()
        app.flush_autosaves()
    assert (class_dir / "preview" / "Autosave clerk 1.json").exists()
