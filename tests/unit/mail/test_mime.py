"""MIME assembly: what cannot be encoded is a ``MailNotBuilt`` naming the kind of error."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from chalicelib.mail.exceptions import MailNotBuilt
from chalicelib.mail.mime import build_mime
from chalicelib.mail.render import RenderedMail, render

MAIL = RenderedMail("Hello", "Dear Ana,\n", "<p>Dear Ana,</p>")
AT = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def build(recipient: str, name: str | None = "Ana") -> bytes:
    return build_mime(MAIL, "shop@rapport.test", "Tea House", recipient, name, AT)


@pytest.mark.parametrize(
    ("recipient", "name", "reason"),
    [
        ("josé@exämple.com", "José", "mime_error:NonASCIILocalPartDefect"),
        ("ana@example.com", "Ana\r\nBcc: all@example.com", "mime_error:ValueError"),
    ],
)
def test_a_header_that_cannot_be_encoded_is_not_built(
    recipient: str, name: str, reason: str
) -> None:
    with pytest.raises(MailNotBuilt) as caught:
        build(recipient, name)
    assert caught.value.reason == reason
    assert "josé" not in str(caught.value) and "Bcc" not in str(caught.value)  # no personal data


def test_an_idna_address_and_a_chinese_display_name_are_encoded() -> None:
    raw = build("ana@xn--exmple-cua.com", "安娜")
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["To"] == "安娜 <ana@xn--exmple-cua.com>"
    assert raw.isascii()


def test_a_missing_template_is_not_built() -> None:
    with pytest.raises(MailNotBuilt) as caught:
        render("no_such_template", "en", {})
    assert caught.value.reason == "render_error:TemplateNotFound"


def test_a_template_missing_a_value_is_not_built() -> None:
    with pytest.raises(MailNotBuilt) as caught:
        render("welcome", "en", {})
    assert caught.value.reason == "render_error:UndefinedError"
