"""The local mailbox simulator answers as SES does for its test addresses."""

from __future__ import annotations

import json

import pytest

from chalicelib.domain.mail_feedback import parse_notification
from local.ses_simulator import notifications_for, scenario_of
from local.sns_delivery import lambda_sns_event


def mail(*to: str) -> dict[str, object]:
    return {
        "id": "0100-sim-1",
        "from": "Rapport Demo Shop <shop@shop.example>",
        "to": list(to),
        "subject": "Welcome",
        "headers": {"X-Rapport-Message": "welcome"},
        "sent_at": "2026-12-01T10:00:00+00:00",
    }


@pytest.mark.parametrize(
    ("address", "scenario"),
    [
        ("bounce@simulator.amazonses.com", "bounce"),
        ("bounce+order-7@simulator.amazonses.com", "bounce"),
        ("Complaint+x@Simulator.AmazonSES.com", "complaint"),
        ("success@simulator.amazonses.com", "success"),
        ("ooto@simulator.amazonses.com", None),
        ("bounce@example.com", None),
    ],
)
def test_simulator_addresses_and_their_scenario(address: str, scenario: str | None) -> None:
    assert scenario_of(address) == scenario


def test_a_bounce_address_gets_a_permanent_bounce_the_handler_reads() -> None:
    [body] = notifications_for(mail("Bo <bounce+e2e@simulator.amazonses.com>"))
    assert body["notificationType"] == "Bounce"
    assert body["bounce"]["bounceType"] == "Permanent"
    assert body["bounce"]["bouncedRecipients"][0]["status"] == "5.1.1"
    feedback = parse_notification(json.dumps(body))
    assert feedback.provider_message_id == "0100-sim-1"
    assert feedback.recipients == ("bounce+e2e@simulator.amazonses.com",)
    assert feedback.outcome == "bounced"


def test_complaint_and_success_addresses_and_ordinary_ones() -> None:
    bodies = notifications_for(
        mail(
            "complaint@simulator.amazonses.com",
            "success+a@simulator.amazonses.com",
            "ana@example.com",
        )
    )
    outcomes = [parse_notification(json.dumps(body)).outcome for body in bodies]
    assert outcomes == ["complained", "delivered"]


def test_an_sns_message_reaches_the_handler_in_lambdas_sns_event_shape() -> None:
    envelope = {
        "Type": "Notification",
        "MessageId": "m-1",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:rapport-ses-feedback",
        "Message": '{"notificationType": "Delivery"}',
        "Timestamp": "2026-12-01T10:00:01.000Z",
        "SignatureVersion": "1",
    }
    event = lambda_sns_event(envelope, "arn:aws:sns:us-east-1:123456789012:rapport-ses-feedback:s")
    [record] = event["Records"]
    assert record["EventSource"] == "aws:sns"
    assert record["Sns"]["MessageId"] == "m-1"
    assert record["Sns"]["Message"] == envelope["Message"]


class FakeSqs:
    """The two queues an SNS delivery uses: its subscription's and the failed-records one."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.receives = 0
        self.deleted = False
        self.failed: list[str] = []

    def receive_message(self, **_: object) -> dict[str, object]:
        if self.deleted:
            return {"Messages": []}
        self.receives += 1
        attributes = {"ApproximateReceiveCount": str(self.receives)}
        message = {"Body": self.body, "ReceiptHandle": "r", "Attributes": attributes}
        return {"Messages": [message]}

    def delete_message(self, **_: object) -> None:
        self.deleted = True

    def send_message(self, QueueUrl: str, MessageBody: str) -> None:  # noqa: N803
        self.failed.append(MessageBody)


def test_a_failing_delivery_is_retried_then_goes_to_the_failed_records_queue() -> None:
    from local.sns_delivery import SnsDelivery

    calls: list[dict[str, object]] = []

    def handler(event: dict[str, object], context: object) -> None:
        calls.append(event)
        raise RuntimeError("down")

    envelope = {"MessageId": "m-1", "TopicArn": "arn:t", "Message": "{}"}
    sqs = FakeSqs(json.dumps(envelope))
    delivery = SnsDelivery("on_ses_feedback", handler, sqs, "q", "arn:s", "failed-q")
    assert [delivery.poll() for _ in range(3)] == [0, 0, 1]
    assert len(calls) == 3 and sqs.deleted
    [dead] = sqs.failed
    assert json.loads(dead)["event"]["Records"][0]["Sns"]["MessageId"] == "m-1"
