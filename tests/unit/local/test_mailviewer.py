"""The mail viewer: a page and a JSON document per message, times filled, no stray separator."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from local import mailbox
from local.mailviewer import serve


def raw_mail(subject: str, date: str | None) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Tea House <shop@example.com>"
    mail["To"] = "王芳 <wang@example.com>"
    mail["Subject"] = subject
    if date:
        mail["Date"] = date
    mail.set_content("亲爱的王芳，欢迎。")
    mail.add_alternative("<html><body><p>欢迎</p></body></html>", subtype="html")
    return bytes(mail)


MESSAGES = [
    mailbox.parse_raw(raw_mail("欢迎光临", "Tue, 01 Dec 2026 09:30:00 +0800"), "0100-a", None),
    {
        "id": "0100-b/2",
        "from": "",
        "to": ["lan@example.com"],
        "subject": "Order e-o1",
        "text": "Thank you",
        "html": "<p>Thank you</p>",
        "headers": {},
        "sent_at": None,
    },
]


@pytest.fixture()
def viewer() -> Iterator[str]:
    server = serve("127.0.0.1", 0, lambda: MESSAGES)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_sent_at_comes_from_the_date_header_in_utc() -> None:
    assert MESSAGES[0]["sent_at"] == "2026-12-01T01:30:00+00:00"
    undated = mailbox.parse_raw(raw_mail("x", None), "id", None)
    assert undated["sent_at"] and undated["sent_at"].endswith("+00:00")


def test_each_message_has_its_own_page_and_json(viewer: str) -> None:
    status, _, listing = get(f"{viewer}/")
    assert status == 200
    assert '<a href="/messages/0100-a">欢迎光临</a>' in listing
    assert '<a href="/messages/0100-b%2F2">Order e-o1</a>' in listing
    status, kind, page = get(f"{viewer}/messages/0100-a")
    assert status == 200 and kind.startswith("text/html")
    assert "<h1>欢迎光临</h1>" in page and "亲爱的王芳，欢迎。" in page
    assert "2026-12-01T01:30:00+00:00" in page
    status, kind, body = get(f"{viewer}/api/messages/0100-b%2F2")
    assert status == 200 and kind.startswith("application/json")
    assert json.loads(body) == MESSAGES[1]
    all_messages: dict[str, Any] = json.loads(get(f"{viewer}/api/messages")[2])
    assert [m["id"] for m in all_messages["messages"]] == ["0100-a", "0100-b/2"]


def test_an_unknown_message_is_a_json_404(viewer: str) -> None:
    for path in ("/messages/nope", "/api/messages/nope"):
        status, kind, body = get(viewer + path)
        assert status == 404 and kind.startswith("application/json")
        assert json.loads(body)["error"]["code"] == "not_found"


def test_no_separator_dangles_after_a_missing_part(viewer: str) -> None:
    _, _, listing = get(f"{viewer}/")
    assert "· </p>" not in listing and "·  ·" not in listing
    assert "<b>To</b> lan@example.com</p>" in listing  # no sender, no time: nothing after
    assert "<b>From</b> Tea House &lt;shop@example.com&gt; · <time>" in listing
