"""Take the teacher's guide's screenshots again (docs/images/*.png) from the real web face.

    .venv/bin/python docs/screenshots.py

It serves a class with `moscow1941 serve`, lets six students play a few choices in Chromium
(Debian's, driven by Playwright, as the browser tests do), and photographs what a student and
the teacher see, in English and Arabic. Needs the test extra (`pip install -e '.[test]'`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.browser.axe import FLAGS, chromium_path, wait_until  # noqa: E402
from tests.browser.server import served  # noqa: E402

OUT = ROOT / "docs" / "images"
PASSWORD = "guide-teacher-password"
STUDENTS = ["Anna", "Ben", "Chiyo", "Dmitri", "Emi", "Farid"]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        home = Path(tmp)
        (home / "password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
        browser = pw.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        with served(home / "saves", "--class", "9B", "--password-file",
                    str(home / "password.txt"), face="web") as run:
            url = run.url
            teacher = browser.new_context(viewport={"width": 1000, "height": 720}).new_page()
            teacher.goto(url + "/teacher/signin")
            teacher.fill("#password", PASSWORD)
            teacher.click("form.signin button.primary")
            teacher.goto(url + "/teacher/roster")
            teacher.fill("#names", "\n".join(STUDENTS))
            teacher.click("form[action='/teacher/roster/add'] button.primary")
            teacher.goto(url + "/teacher/handout")
            teacher.screenshot(path=str(OUT / "handout.png"))
            for n, name in enumerate(STUDENTS):
                page = browser.new_context(viewport={"width": 800, "height": 600}).new_page()
                page.goto(url + "/")
                if n == 0:
                    page.screenshot(path=str(OUT / "student-signin.png"))
                page.fill("#name", name)
                page.fill("#secret", f"word{n}")
                page.click("form.signin button.primary")
                page.fill("#secret", f"word{n}")
                page.fill("#again", f"word{n}")
                page.click("form.signin button.primary")
                page.wait_for_url("**/new")
                page.click("form[action='/new'] button.primary >> nth=" + str(1 + n % 2))
                page.wait_for_url("**/play")
                for step in range(3 + n):
                    if page.locator("#reflection").count():
                        page.fill("#reflection", "Wait: a pact signed in haste binds longest.")
                    buttons = page.locator("button[name=choice][data-key]")
                    at = page.get_attribute('input[name="step"]', "value")
                    buttons.nth((n + step) % buttons.count()).click()
                    wait_until(page, "(at) => { const e = document.querySelector("
                               "'input[name=step]'); return !e || e.value !== at; }", at, "a scene")
                if n == 0:
                    page.screenshot(path=str(OUT / "student-scene.png"), full_page=False)
                if n == 1:
                    page.select_option("#lang-select", "ar")
                    page.click("footer.bottom form.language button")
                    page.wait_for_load_state("load")
                    page.screenshot(path=str(OUT / "student-scene-ar.png"), full_page=False)
            for path, name in (("/teacher", "dashboard-live"), ("/teacher/roster", "dashboard-roster"),
                               ("/teacher/report", "dashboard-report")):
                teacher.goto(url + path)
                teacher.screenshot(path=str(OUT / f"{name}.png"))
            teacher.select_option("#lang-select", "ar")
            teacher.click("footer.bottom form.language button")
            teacher.goto(url + "/teacher")
            teacher.screenshot(path=str(OUT / "dashboard-live-ar.png"))
        browser.close()
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT), png.stat().st_size // 1024, "KB")


if __name__ == "__main__":
    main()
