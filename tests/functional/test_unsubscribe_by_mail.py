"""Unsubscribe by mail: List-Unsubscribe's mailto, received by SES, withdraws the consent."""

from __future__ import annotations

import json
import re
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from chalicelib import bootstrap
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.test_mail_live_consent import (
    SURVEY_KEY,
    morning_comes,
    queue_survey_at_night,
    stored,
)

EVENTS = Path(__file__).resolve().parents[1] / "events"
FIXTURE = "sns_ses_received_unsubscribe.json"


def received(
    stack: Stack, subject: str, to: str = "unsubscribe@rapport.example", **receipt: Any
) -> Any:
    """Deliver SES's Received notification for a mail with ``subject`` to ``to``, as SNS does."""
    event = json.loads((EVENTS / FIXTURE).read_text())
    sns = event["Records"][0]["Sns"]
    body = json.loads(sns["Message"])
    body["mail"]["commonHeaders"]["subject"] = subject
    body["mail"]["commonHeaders"]["to"] = [to]
    body["receipt"]["recipients"] = [to]
    body["receipt"].update(receipt)
    sns["Message"] = json.dumps(body)
    return stack.client.lambda_.invoke("on_unsubscribe_mail", event).payload


def mailto_of(mail: dict[str, Any]) -> tuple[str, str]:
    """The address and subject of the mail's List-Unsubscribe ``mailto``."""
    found = re.search(r"<mailto:([^?>]+)\?subject=([^>]+)>", mail["headers"]["List-Unsubscribe"])
    assert found, mail["headers"]["List-Unsubscribe"]
    return found.group(1), unquote(found.group(2))


def consents(stack: Stack) -> dict[str, bool]:
    body = stack.http.get("/v1/customers/c-1", headers=STORE).json_body
    return dict(body["consents"])


def test_every_non_transactional_mail_offers_a_mailto_and_the_one_click_url(stack: Stack) -> None:
    queue_survey_at_night(stack)
    morning_comes(stack)
    survey = stack.mails()[-1]
    links = survey["headers"]["List-Unsubscribe"]
    assert links.startswith("<http") and "/v1/unsubscribe?t=" in links.partition(",")[0]
    address, subject = mailto_of(survey)
    sender = getaddresses([survey["from"]])[0][1]
    assert address == "unsubscribe@" + sender.partition("@")[2]
    assert subject.startswith("unsubscribe ")
    assert "List-Unsubscribe" not in stack.mails()[0]["headers"]  # the welcome letter


def test_replying_to_the_mailto_withdraws_that_purpose_only_and_twice_is_once(
    stack: Stack,
) -> None:
    queue_survey_at_night(stack)
    morning_comes(stack)
    _, subject = mailto_of(stack.mails()[-1])
    assert consents(stack)["surveys"] is True
    assert received(stack, f"Re: {subject}") == {"outcomes": ["unsubscribed"]}
    assert received(stack, subject) == {"outcomes": ["unsubscribed"]}  # SNS delivers again
    after = consents(stack)
    assert after["surveys"] is False
    timeline = stack.http.get("/v1/admin/customers/c-1/timeline", headers=ADMIN).json_body
    changes = [e for e in timeline["items"] if e["changes"].get("source") == "customer"]
    assert len(changes) == 1  # one version for the withdrawal, none for the redelivery


def test_mail_waiting_for_the_morning_is_not_sent_after_unsubscribing_by_mail(
    stack: Stack,
) -> None:
    queue_survey_at_night(stack)
    deps = bootstrap.container()
    from chalicelib.services.mail_context import unsubscribe_token

    token = unsubscribe_token(deps.signer, "c-1", "surveys", deps.clock.now())
    assert received(stack, f"unsubscribe {token}") == {"outcomes": ["unsubscribed"]}
    morning_comes(stack)
    message = stored(stack, SURVEY_KEY)
    assert (message["status"], message["reason"]) == ("suppressed", "no_consent_surveys")


def test_mail_without_a_valid_token_or_to_another_address_or_spam_changes_nothing(
    stack: Stack,
) -> None:
    queue_survey_at_night(stack)
    morning_comes(stack)
    _, subject = mailto_of(stack.mails()[-1])
    assert received(stack, "please remove me") == {"outcomes": ["ignored"]}
    assert received(stack, subject[:-3] + "xyz") == {"outcomes": ["ignored"]}
    assert received(stack, subject, to="sales@rapport.example") == {"outcomes": ["ignored"]}
    assert received(stack, subject, spamVerdict={"status": "FAIL"}) == {"outcomes": ["ignored"]}
    assert consents(stack)["surveys"] is True
