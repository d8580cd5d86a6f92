"""SES receiving, locally: what a receipt rule's SNS action publishes for a received mail.

On AWS, mail to ``unsubscribe@<domain>`` (the ``mailto`` of ``List-Unsubscribe``) reaches
SES's inbound endpoint and the receipt rule publishes it on the unsubscribe-mail topic.
Locally, every mail goes out through SES's ``SendRawEmail`` into the mail viewer; a mail
sent to the inbound address is answered with the notification AWS documents for an SNS
action (``notificationType: Received``, ``receipt`` with its verdicts, ``mail`` with
``commonHeaders``, and ``content``, the message itself).
"""

from __future__ import annotations

from email.utils import getaddresses
from typing import Any

from local.ses_simulator import _mail, _now

PASS = {"status": "PASS"}


def received_notifications(
    mail: dict[str, Any], address: str, topic_arn: str
) -> list[dict[str, Any]]:
    """The ``Received`` notification for ``mail`` if it was sent to ``address``, else none."""
    recipients = [a.strip() for _, a in getaddresses(list(mail.get("to") or []))]
    if address.lower() not in (r.lower() for r in recipients):
        return []
    common = _mail(mail, [address])
    common["source"] = common["commonHeaders"]["from"][0]
    return [
        {
            "notificationType": "Received",
            "receipt": {
                "timestamp": _now(),
                "processingTimeMillis": 120,
                "recipients": [address],
                "spamVerdict": PASS,
                "virusVerdict": PASS,
                "spfVerdict": PASS,
                "dkimVerdict": PASS,
                "dmarcVerdict": PASS,
                "action": {"type": "SNS", "topicArn": topic_arn, "encoding": "UTF8"},
            },
            "mail": common,
            "content": _content(mail),
        }
    ]


def _content(mail: dict[str, Any]) -> str:
    headers = "".join(f"{name}: {value}\r\n" for name, value in (mail.get("headers") or {}).items())
    return f"{headers}\r\n{mail.get('text') or ''}"
