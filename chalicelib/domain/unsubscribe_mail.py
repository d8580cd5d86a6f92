"""Unsubscribing by mail: the ``mailto`` half of ``List-Unsubscribe`` (RFC 2369).

Non-transactional mail offers two ways out in ``List-Unsubscribe``: the signed https
one-click URL (RFC 8058) and a ``mailto`` to the sender domain's ``unsubscribe`` address
whose subject carries the same signed token. SES receives that mail (a receipt rule) and
publishes it on a topic; the handler reads the token from the subject, so the sender's
own address never needs to match, and a forged mail without a valid token does nothing.
"""

from __future__ import annotations

import re
from urllib.parse import quote

UNSUBSCRIBE_LOCAL_PART = "unsubscribe"
"""The local part of the address, and the subject's first word."""
RECEIVED = "Received"
"""SES's ``notificationType`` for a mail a receipt rule received."""


def unsubscribe_address(mail_from: str) -> str:
    """The address that takes unsubscribe mail: ``unsubscribe@`` the sender's domain."""
    return f"{UNSUBSCRIBE_LOCAL_PART}@{mail_from.rpartition('@')[2]}"


def mailto_url(mail_from: str, token: str) -> str:
    """The ``mailto`` URL whose subject is ``unsubscribe <token>`` (percent-encoded)."""
    subject = quote(f"{UNSUBSCRIBE_LOCAL_PART} {token}", safe="")
    return f"mailto:{unsubscribe_address(mail_from)}?subject={subject}"


def token_from_subject(subject: str) -> str | None:
    """The token of an ``unsubscribe <token>`` subject (mail clients may add ``Re:``,
    ``回复：`` and spaces), or ``None`` when the subject carries none."""
    found = _TOKEN.search(subject)
    return found.group(1) if found else None


_TOKEN = re.compile(UNSUBSCRIBE_LOCAL_PART + r"\s+(\S+)", re.IGNORECASE)
