"""Read the mail SES accepted, from moto, in the mail viewer's shape.

``{"id", "from", "to": [...], "subject", "text", "html", "headers": {...}, "sent_at"}``,
oldest first. Raw MIME messages are parsed (moto keeps them whole); simple messages,
which moto stores with the HTML body only, are shown as they are. moto keeps no send
time, so ``sent_at`` (ISO 8601, UTC) is the message's ``Date`` header, or for a message
without one the moment the viewer first read it.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from typing import Any


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def date_header(value: str | None) -> str | None:
    """A ``Date`` header as ISO 8601 in UTC (``None`` when absent or unreadable)."""
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_raw(raw: bytes | str, message_id: str, sent_at: str | None) -> dict[str, Any]:
    """One raw MIME message in the viewer's shape (``sent_at`` from its ``Date`` if not given)."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    mail = message_from_bytes(data, policy=policy.default)
    sent_at = sent_at or date_header(str(mail.get("Date", ""))) or _now()
    text_part = mail.get_body(preferencelist=("plain",))
    html_part = mail.get_body(preferencelist=("html",))
    recipients = [address.strip() for address in str(mail.get("To", "")).split(",") if address]
    return {
        "id": message_id,
        "from": str(mail.get("From", "")),
        "to": recipients,
        "subject": str(mail.get("Subject", "")),
        "text": text_part.get_content() if text_part else "",
        "html": html_part.get_content() if html_part else "",
        "headers": {name: str(value) for name, value in mail.items()},
        "sent_at": sent_at,
    }


def _from_backend_entry(entry: Any, index: int) -> dict[str, Any]:
    sent_at = getattr(entry, "timestamp", None)
    stamp = sent_at.isoformat() if sent_at is not None else None
    raw = getattr(entry, "raw_data", None)
    if raw is not None:
        return parse_raw(raw, entry.id, stamp)
    return {
        "id": entry.id,
        "from": entry.source,
        "to": list(dict.fromkeys(entry.destinations.get("ToAddresses", []))),
        "subject": entry.subject,
        "text": "",
        "html": entry.body,
        "headers": {},
        "sent_at": stamp or _now(),
    }


_parsed: dict[str, dict[str, Any]] = {}


def from_moto_backend(
    account_id: str = "123456789012", region: str = "us-east-1"
) -> list[dict[str, Any]]:
    """Every mail in the in-process moto SES backend, oldest first."""
    from moto.ses.models import ses_backends

    backend = ses_backends[account_id][region]
    out = []
    for index, entry in enumerate(list(backend.sent_messages)):
        parsed = _parsed.get(entry.id)
        if parsed is None:
            parsed = _parsed[entry.id] = _from_backend_entry(entry, index)
        out.append(parsed)
    return out


def from_moto_server(endpoint: str) -> list[dict[str, Any]]:
    """Every mail in a moto server at ``endpoint``, through ``/moto-api/data.json``."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        data = json.load(response)
    ses = data.get("ses", {})
    out: list[dict[str, Any]] = []
    for kind in ("RawMessage", "Message"):
        for entry in ses.get(kind, []):
            if kind == "RawMessage":
                out.append(parse_raw(entry["raw_data"], entry["id"], entry.get("timestamp")))
            else:
                out.append(
                    {
                        "id": entry["id"],
                        "from": entry.get("source"),
                        "to": entry.get("destinations", {}).get("ToAddresses", []),
                        "subject": entry.get("subject"),
                        "text": "",
                        "html": entry.get("body"),
                        "headers": {},
                        "sent_at": entry.get("timestamp") or _now(),
                    }
                )
    return sorted(out, key=lambda m: m.get("sent_at") or "")
