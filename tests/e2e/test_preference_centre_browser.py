"""The preference centre linked from the welcome letter, in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_customer_changes_consents_from_the_link_in_their_welcome_letter(
    local_stack: RunningStack, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    before = len(local_stack.mails())
    signup = {"customer_id": "pref-1", "email": "pref@example.com", "name": "Ana", "locale": "en"}
    assert local_stack.request("POST", "/v1/signups", signup).status == 201
    mail = local_stack.wait_for_mails(before + 1)[-1]
    link = re.search(r"(http://\S+/v1/preferences\?t=\S+)", mail["text"])
    assert link, mail["text"]
    url = link.group(1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(url)
        assert page.title() == "Your mail preferences"
        marketing = page.get_by_label("News and offers")
        assert not marketing.is_checked()
        marketing.check()
        page.get_by_role("button", name="Save my choices").click()
        page.get_by_role("status").wait_for()
        assert "Saved" in page.get_by_role("status").inner_text()
        assert page.get_by_label("News and offers").is_checked()
        page.screenshot(path=str(tmp_path / "preferences.png"), full_page=True)
        browser.close()
    token = url.split("t=", 1)[1]
    stored = local_stack.request("GET", f"/v1/preferences?t={token}", key=None)
    assert stored.body["consents"]["marketing"] is True
    assert local_stack.request("GET", "/v1/preferences?t=forged", key=None).status == 404
