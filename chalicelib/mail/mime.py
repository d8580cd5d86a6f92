"""Assemble a rendered mail into a multipart/alternative MIME message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from chalicelib.mail.exceptions import MailNotBuilt
from chalicelib.mail.render import RenderedMail


@contextmanager
def _unbuildable() -> Iterator[None]:
    """Turn the email package's header and encoding errors into ``MailNotBuilt``."""
    try:
        yield
    except (ValueError, TypeError, IndexError) as error:  # header defects are ValueErrors
        raise MailNotBuilt(f"mime_error:{type(error).__name__}") from error


def build_mime(
    mail: RenderedMail,
    sender: str,
    sender_name: str,
    recipient: str,
    recipient_name: str | None,
    sent_at: datetime,
    reply_to: str | None = None,
    unsubscribe: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """The raw bytes of the mail (text part first, HTML second).

    With ``unsubscribe`` (the one-click https URL and the ``mailto`` URL) the message
    carries ``List-Unsubscribe: <https…>, <mailto…>`` (RFC 2369) and
    ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058). Raises
    ``MailNotBuilt`` when a header cannot be encoded (such as a non-ASCII local part).
    """
    with _unbuildable():
        message = EmailMessage()
        message["Subject"] = mail.subject
        message["From"] = Address(display_name=sender_name, addr_spec=sender)
        message["To"] = Address(display_name=recipient_name or "", addr_spec=recipient)
        message["Date"] = format_datetime(sent_at)
        message["Message-ID"] = make_msgid(domain=sender.split("@", 1)[1])
        if reply_to:
            message["Reply-To"] = reply_to
        if unsubscribe:
            one_click, mailto = unsubscribe
            message["List-Unsubscribe"] = f"<{one_click}>, <{mailto}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(mail.text, subtype="plain", charset="utf-8")
        message.add_alternative(mail.html, subtype="html", charset="utf-8")
        return message.as_bytes()
