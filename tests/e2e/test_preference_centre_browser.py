"""The preference centre linked from the welcome letter, in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.browser import latin_only_fonts, missing_glyphs, phone_page
from tests.e2e.conftest import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WORDS = {
    "en": {
        "name": "Ana",
        "title": "Your mail preferences",
        "marketing": "News and offers",
        "save": "Save my choices",
        "saved": "Saved",
    },
    "zh-CN": {
        "name": "安娜",
        "title": "邮件偏好设置",
        "marketing": "新品与优惠",
        "save": "保存我的选择",
        "saved": "已保存",
    },
}


def preference_link(local_stack: RunningStack, customer_id: str, locale: str) -> str:
    """Sign a customer up and return the preference link of their welcome letter."""
    before = len(local_stack.mails())
    email = f"{customer_id}@example.com".lower()
    signup = {
        "customer_id": customer_id,
        "email": email,
        "name": WORDS[locale]["name"],
        "locale": locale,
    }
    assert local_stack.request("POST", "/v1/signups", signup).status == 201
    mails = local_stack.wait_for_mails(before + 1)
    mail = next(m for m in reversed(mails) if any(email in to.lower() for to in m["to"]))
    link = re.search(r"(http://\S+/v1/preferences\?t=\S+)", mail["text"])
    assert link, mail["text"]
    return link.group(1)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_customer_changes_consents_from_the_link_in_their_welcome_letter(
    local_stack: RunningStack, tmp_path: Path, locale: str
) -> None:
    words = WORDS[locale]
    url = preference_link(local_stack, f"pref-{locale}", locale)
    with phone_page(url) as page:
        assert page.title() == words["title"]
        assert page.locator("html").get_attribute("lang") == locale
        marketing = page.get_by_label(words["marketing"])
        assert not marketing.is_checked()
        marketing.check()
        page.get_by_role("button", name=words["save"]).click()
        page.get_by_role("status").wait_for()
        assert words["saved"] in page.get_by_role("status").inner_text()
        assert page.get_by_label(words["marketing"]).is_checked()
        if locale == "zh-CN":
            assert missing_glyphs(page) == []
        page.screenshot(path=str(tmp_path / f"preferences-{locale}.png"), full_page=True)
    token = url.split("t=", 1)[1]
    stored = local_stack.request("GET", f"/v1/preferences?t={token}", key=None)
    assert stored.body["consents"]["marketing"] is True
    assert local_stack.request("GET", "/v1/preferences?t=forged", key=None).status == 404


def test_the_glyph_check_sees_tofu_without_a_chinese_font(
    local_stack: RunningStack, tmp_path: Path
) -> None:
    """The same Chinese page in a Chromium whose fontconfig has no CJK font: all tofu."""
    url = preference_link(local_stack, "pref-tofu", "zh-CN")
    with phone_page(url, latin_only_fonts(tmp_path)) as page:
        assert page.title() == WORDS["zh-CN"]["title"]
        missing = missing_glyphs(page)
    assert missing and len(missing) >= 3
