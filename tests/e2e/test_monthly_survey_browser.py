"""The monthly survey, from the job's letter to one answer, in a real headless Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.browser import missing_glyphs, phone_page
from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WORDS = {
    "en": {
        "title": "How are we doing?",
        "intro": "How happy are you with us lately",
        "score": "4 · Happy",
        "send": "Send",
        "thanks": "Thank you! Your answer helps us do better.",
    },
    "zh-CN": {
        "title": "我们做得怎么样？",
        "intro": "最近在我们这里购物，您满意吗？",
        "score": "4 · 满意",
        "send": "提交",
        "thanks": "谢谢您！您的意见会帮助我们做得更好。",
    },
}


def survey_link(stack: RunningStack, customer_id: str, locale: str) -> str:
    """A recent buyer, the job run for today, and the link of their survey letter."""
    quiet = {"quiet_hours_start": 0, "quiet_hours_end": 0}
    assert stack.request("PUT", "/v1/admin/settings/store", quiet, key=ADMIN_KEY).status == 200
    email = f"{customer_id}@example.com"
    signup = {
        "customer_id": customer_id,
        "email": email,
        "name": "Ana",
        "locale": locale,
        "consents": {"surveys": True},
    }
    assert stack.request("POST", "/v1/signups", signup).status == 201
    order = {
        "order_id": f"o-{customer_id}",
        "customer_id": customer_id,
        "placed_at": (datetime.now(UTC) - timedelta(days=12)).isoformat(),
        "currency": "CNY",
        "lines": [
            {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 900}
        ],
        "total": 900,
        "payment_method": "card",
    }
    assert stack.request("POST", "/v1/orders", order).status == 201
    run = stack.request("POST", "/v1/admin/jobs/satisfaction-surveys", {}, key=ADMIN_KEY)
    assert run.status == 202, run.body
    letters = wait_for(lambda: stack.mails_of("satisfaction_survey", email), timeout=60)
    assert letters, f"no survey letter for {customer_id}"
    link = re.search(r"(http://\S+/v1/surveys\?t=\S+)", letters[0]["text"])
    assert link, letters[0]["text"]
    return link.group(1)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_a_recent_buyer_answers_the_monthly_survey_from_the_letter(
    local_stack: RunningStack, tmp_path: Path, locale: str
) -> None:
    words = WORDS[locale]
    url = survey_link(local_stack, f"month-{locale}", locale)
    with phone_page(url) as page:
        assert page.title() == words["title"]
        assert page.locator("html").get_attribute("lang") == locale
        assert words["intro"] in page.inner_text("main")
        page.get_by_label(words["score"]).check()
        page.get_by_role("button", name=words["send"]).click()
        page.get_by_role("status").wait_for()
        assert page.get_by_role("status").inner_text() == words["thanks"]
        if locale == "zh-CN":
            assert missing_glyphs(page) == []
        page.screenshot(path=str(tmp_path / f"monthly-survey-{locale}.png"), full_page=True)
    token = url.split("t=", 1)[1]
    status = local_stack.request("GET", f"/v1/surveys?t={token}", key=None)
    assert status.body["answered"] is True and status.body["score"] == 4
    assert status.body["tracking_number"] is None and re.fullmatch(
        r"\d{4}-\d{2}", status.body["month"]
    )
