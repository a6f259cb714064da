"""The accessibility harness (tests/browser/axe.py) finds what it should: on a page served with
a strict Content-Security-Policy (scripts from the page's own origin only, none inline), axe-core
reports exactly the image without a text alternative, and nothing on the same page with one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.browser.axe import axe_violations, format_violations, wait_until

CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moscow 1941: {title}</title>
<script src="/app.js" defer></script>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Ambassador Tatekawa's telegram arrives on the thirteenth of April.</p>
{image}
<script>document.body.dataset.inline = "ran";</script>
</main>
</body>
</html>
"""

PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf000000030101009b6f8f2b0000000049454e44ae426082")


class Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("site")
    (folder / "missing-alt.html").write_text(
        PAGE.format(title="A telegram", image='<img src="/telegram.png" width="40" height="40">'),
        encoding="utf-8")
    (folder / "clean.html").write_text(
        PAGE.format(title="A telegram", image='<img src="/telegram.png" width="40" height="40"'
                    ' alt="The telegram of 13 April 1941">'),
        encoding="utf-8")
    (folder / "telegram.png").write_bytes(PIXEL)
    (folder / "app.js").write_text('document.body.dataset.script = "ran";\n', encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def opened(browser: Any, url: str) -> Any:
    page = browser.new_page()
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == CSP
    wait_until(page, "() => document.body.dataset.script === 'ran'", None, "the page's script")
    # The policy is in force: the page's own script ran, its inline one did not.
    assert page.evaluate("() => document.body.dataset.inline") is None
    return page


def test_axe_finds_exactly_the_image_without_alt_on_a_page_with_a_strict_csp(
        chromium_browser: Any, axe_source: str, site: str) -> None:
    page = opened(chromium_browser, site + "/missing-alt.html")
    try:
        violations = axe_violations(page, source=axe_source)
    finally:
        page.close()
    assert [v["id"] for v in violations] == ["image-alt"], format_violations(violations)
    (node,) = violations[0]["nodes"]
    assert node["target"] == ["img"]
    assert node["html"].startswith('<img src="/telegram.png"')
    message = format_violations(violations)
    assert message.startswith("image-alt (critical): Images must have alternative text")
    assert '  at img: <img src="/telegram.png"' in message


def test_axe_finds_nothing_on_the_same_page_with_alt(chromium_browser: Any, site: str) -> None:
    page = opened(chromium_browser, site + "/clean.html")
    try:
        violations = axe_violations(page)  # axe read from node_modules, WCAG 2.x A and AA
    finally:
        page.close()
    assert violations == [], format_violations(violations)
    assert format_violations(violations) == "no violations"
