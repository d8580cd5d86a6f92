"""The tracking page in both languages: the carrier's own name, the status's own scan,
full-width punctuation and no English in Chinese."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.tracking import Scan, fold
from chalicelib.mail.render import CJK
from chalicelib.pages.tracking_page import tracking_html
from chalicelib.services.shipments import public_tracking

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NUMBER = "SF1234567890"


def scan(event_id: str, status: str, hours: int, **extra: object) -> Scan:
    return Scan(event_id, NUMBER, status, NOW - timedelta(hours=hours), **extra)  # type: ignore[arg-type]


def page(carrier: str, scans: list[Scan], locale: str) -> tuple[dict[str, object], str]:
    parcel = {
        "tracking_number": NUMBER,
        "carrier": carrier,
        "order_id": "o-1001",
        "promised_delivery": "2026-11-24",
        "state": json.dumps(fold(scans).to_dict()),
    }
    data = public_tracking(parcel)
    return data, tracking_html(data, locale, "Asia/Shanghai", StoreSettings(), NOW)


def words(html: str) -> str:
    body = re.sub(r"<(style|title)>.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "\n", body))


JOURNEY = [
    scan("e1", "info_received", 50, location="深圳", carried_by="shunfeng"),
    scan("e2", "in_transit", 40, location="深圳转运中心", carried_by="shunfeng"),
    scan("e3", "delivered", 10, location="上海"),
    scan("e4", "exception", 2, location="上海", description="地址有误"),
]


@pytest.mark.parametrize(("locale", "name"), [("en", "SF Express"), ("zh-CN", "顺丰速运")])
def test_the_carrier_is_the_one_carrying_the_parcel(locale: str, name: str) -> None:
    data, html = page("kuaidi100", JOURNEY, locale)
    assert data["carried_by"] == "sf_express"
    assert f"<dd>{name}</dd>" in html
    assert "kuaidi100" not in html.casefold()


def test_a_carrier_nobody_named_is_left_out() -> None:
    _, html = page("kuaidi100", [scan("e1", "in_transit", 3)], "en")
    assert "<dt>Carrier</dt>" not in html
    assert "KUAIDI100" not in html


@pytest.mark.parametrize(
    ("locale", "note"),
    [
        ("en", "Recorded after delivery: the parcel stays delivered."),
        ("zh-CN", "签收之后记录，包裹仍为已签收。"),
    ],
)
def test_a_side_scan_after_delivery_is_marked_and_the_delivery_stays_current(
    locale: str, note: str
) -> None:
    data, html = page("kuaidi100", JOURNEY, locale)
    assert data["status"] == "delivered"
    history = data["history"]
    assert isinstance(history, list)
    assert [
        (entry["status"], entry["sets_status"], entry["after_status"]) for entry in history
    ] == [
        ("exception", False, True),
        ("delivered", True, False),
        ("in_transit", False, False),
        ("info_received", False, False),
    ]
    journey = html.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li class="([a-z]*)">(.*?)</li>', journey, flags=re.S)
    assert [kind for kind, _ in items] == ["after", "current", "", ""]
    assert note in items[0][1]
    assert note not in items[1][1]


def test_without_later_scans_the_newest_entry_is_current() -> None:
    data, html = page("fedex", JOURNEY[:3], "en")
    history = data["history"]
    assert isinstance(history, list)
    assert history[0]["sets_status"] and not any(entry["after_status"] for entry in history)
    assert "Recorded after" not in html


def test_chinese_page_uses_full_width_punctuation_and_no_english() -> None:
    _, html = page("kuaidi100", JOURNEY, "zh-CN")
    text = words(html)
    assert "时间按您所在的时区（Asia/Shanghai）显示。查询时间：" in text
    assert not re.findall(f"[{CJK}][(),.:;!?]|[(),.:;!?][{CJK}]", text)
    allowed = r"Asia/Shanghai|SF1234567890|o-1001|[\w.+-]+@[\w.-]+|Rapport"
    assert not re.findall(r"[A-Za-z]+", re.sub(allowed, "", text))


def test_english_page_reads_the_same_facts() -> None:
    _, html = page("kuaidi100", JOURNEY, "en")
    text = words(html)
    assert (
        "Times are shown in your time zone (Asia/Shanghai). Last checked: 2026-11-22 20:00." in text
    )
    assert "Delivered on: " in text
