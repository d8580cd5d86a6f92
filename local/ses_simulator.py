"""SES's mailbox simulator, locally: the notifications SES publishes for its test addresses.

A mail accepted for ``bounce@simulator.amazonses.com`` (or ``bounce+<label>@…``) is
answered by a permanent bounce (``550 5.1.1 user unknown``), ``complaint@`` by a
complaint, ``success@`` by a delivery; other addresses get nothing. The JSON is SES's
notification format (``notificationType``, ``mail``, and ``bounce``/``complaint``/
``delivery``), as the configuration set's topic would carry it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any

SIMULATOR_DOMAIN = "simulator.amazonses.com"
SCENARIOS = ("bounce", "complaint", "success")
REPORTING_MTA = "a48-30.smtp-out.amazonses.com"


def scenario_of(address: str) -> str | None:
    """``bounce``, ``complaint`` or ``success`` for a simulator address, else ``None``."""
    local, _, domain = address.strip().lower().rpartition("@")
    if domain != SIMULATOR_DOMAIN:
        return None
    box = local.partition("+")[0]
    return box if box in SCENARIOS else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _mail(mail: dict[str, Any], recipients: list[str]) -> dict[str, Any]:
    headers = mail.get("headers") or {}
    sender = getaddresses([str(mail.get("from") or "")])
    return {
        "timestamp": mail.get("sent_at") or _now(),
        "source": sender[0][1] if sender else "",
        "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/" + SIMULATOR_DOMAIN,
        "sendingAccountId": "123456789012",
        "messageId": mail["id"],
        "destination": recipients,
        "headersTruncated": False,
        "headers": [{"name": name, "value": value} for name, value in headers.items()],
        "commonHeaders": {
            "from": [str(mail.get("from") or "")],
            "to": list(mail.get("to") or []),
            "subject": str(mail.get("subject") or ""),
        },
    }


def _feedback_id() -> str:
    return f"0100{uuid.uuid4().hex[:12]}-{uuid.uuid4()}-000000"


def notification(scenario: str, mail: dict[str, Any], address: str) -> dict[str, Any]:
    """The notification SES publishes for ``address`` in ``scenario``."""
    at = _now()
    common = _mail(mail, [address])
    if scenario == "bounce":
        return {
            "notificationType": "Bounce",
            "bounce": {
                "feedbackId": _feedback_id(),
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [
                    {
                        "emailAddress": address,
                        "action": "failed",
                        "status": "5.1.1",
                        "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                    }
                ],
                "timestamp": at,
                "reportingMTA": f"dsn; {REPORTING_MTA}",
            },
            "mail": common,
        }
    if scenario == "complaint":
        return {
            "notificationType": "Complaint",
            "complaint": {
                "feedbackId": _feedback_id(),
                "complainedRecipients": [{"emailAddress": address}],
                "complaintFeedbackType": "abuse",
                "userAgent": "Amazon SES Mailbox Simulator",
                "arrivalDate": at,
                "timestamp": at,
            },
            "mail": common,
        }
    return {
        "notificationType": "Delivery",
        "delivery": {
            "timestamp": at,
            "processingTimeMillis": 500,
            "recipients": [address],
            "smtpResponse": "250 2.6.0 Message received",
            "reportingMTA": REPORTING_MTA,
        },
        "mail": common,
    }


def notifications_for(mail: dict[str, Any]) -> list[dict[str, Any]]:
    """Every notification SES's simulator sends for one accepted mail (viewer shape)."""
    out = []
    for _, address in getaddresses(list(mail.get("to") or [])):
        scenario = scenario_of(address)
        if scenario is not None:
            out.append(notification(scenario, mail, address.strip()))
    return out
