"""Every public page in both languages, with every status: Chinese pages carry no
English and use full-width punctuation next to Chinese."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import UTC, datetime

import pytest

from chalicelib.domain.profile import CONSENT_PURPOSES
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.tracking import Scan, fold
from chalicelib.domain.tracking_status import STATUSES
from chalicelib.mail.render import CJK
from chalicelib.pages.render import page
from chalicelib.pages.survey_page import survey_html
from chalicelib.pages.texts import preference_texts
from chalicelib.pages.tracking_page import ADVICE, STATUS_LABELS, tracking_html
from chalicelib.services.shipments import public_tracking

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ALLOWED = r"Asia/Shanghai|SF1234567890|o-1001|[\w.+-]+@[\w.-]+|Rapport"


def words(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "\n", body))


def assert_chinese(html: str) -> None:
    text = words(html)
    assert not re.findall(f"[{CJK}][(),.:;!?]|[(),.:;!?][{CJK}]", text)
    assert not re.findall(r"[A-Za-z]+", re.sub(ALLOWED, "", text))


def preferences(locale: str, sent: str | None = None) -> str:
    texts = preference_texts(locale)
    purposes = [{"id": p, "on": False, **texts["purposes"][p]} for p in CONSENT_PURPOSES]
    context = {
        "lang": locale,
        "t": texts,
        "saved": sent is None,
        "sent": sent,
        "action": "?t=x",
        "export_action": "/v1/preferences/export?t=x",
        "erasure_action": "/v1/preferences/erasure?t=x",
        "purposes": purposes,
    }
    return page("preferences", context)


def test_preference_centre_in_chinese() -> None:
    html = preferences("zh-CN")
    assert_chinese(html)
    assert "新品与优惠" in html and "保存我的选择" in html
    assert "把我的资料发给我" in html and "删除我的资料" in html
    for sent in ("data_export", "erasure_confirmation"):
        assert_chinese(preferences("zh-CN", sent))


def test_the_erasure_pages_in_chinese() -> None:
    texts = preference_texts("zh-CN")
    for title, body in (("confirm_title", "confirm_intro"), ("erased_title", "erased_body")):
        html = page(
            "erasure",
            {"lang": "zh-CN", "title": texts[title], "body": texts[body],
             "button": texts["confirm_button"], "action": "/v1/privacy/erasure?t=x"},
        )  # fmt: skip
        assert_chinese(html)


def test_preference_centre_in_english() -> None:
    html = preferences("en")
    assert "News and offers" in html and "Save my choices" in html
    assert "Mail me my data" in html and "Erase my data" in html
    assert "a letter with the link to your data" in preferences("en", "data_export")


@pytest.mark.parametrize("answered", [False, True])
def test_survey_page_in_chinese(answered: bool) -> None:
    status = {"tracking_number": "SF1234567890", "answered": answered}
    html = survey_html(status, "zh-CN", StoreSettings(), "?t=x", False, None)
    assert_chinese(html)
    assert ("您已经评价过这次配送" in html) is answered


@pytest.mark.parametrize("answered", [False, True])
def test_the_monthly_survey_page_asks_about_lately_not_a_parcel(answered: bool) -> None:
    status = {"tracking_number": None, "month": "2026-12", "answered": answered}
    chinese = survey_html(status, "zh-CN", StoreSettings(), "?t=x", False, None)
    assert_chinese(chinese)
    assert "<title>我们做得怎么样？</title>" in chinese and "包裹" not in chinese
    assert ("您已经填写过本月的满意度调查" in chinese) is answered
    english = survey_html(status, "en", StoreSettings(), "?t=x", False, None)
    assert "<title>How are we doing?</title>" in english and "parcel" not in english
    assert ("already answered this month" in english) is answered


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_tracking_page_names_every_status_in_the_readers_words(locale: str, status: str) -> None:
    scan = Scan("e1", "SF1234567890", status, NOW, location="上海")
    parcel = {
        "tracking_number": "SF1234567890",
        "carrier": "kuaidi100",
        "order_id": "o-1001",
        "state": json.dumps(fold([scan]).to_dict()),
    }
    data = public_tracking(parcel)
    html = tracking_html(data, locale, "Asia/Shanghai", StoreSettings(), NOW)
    assert STATUS_LABELS[locale][status] in html
    assert status not in words(html)
    if status in ADVICE[locale]:
        assert ADVICE[locale][status] in html
    if locale == "zh-CN":
        assert_chinese(html)


def test_every_status_has_words_in_both_languages() -> None:
    for locale in ("en", "zh-CN"):
        assert set(STATUS_LABELS[locale]) == set(STATUSES)
