"""Deliver what is published on an SNS topic to the app's ``@app.on_sns_message`` handler.

moto keeps SNS subscriptions but cannot invoke a Lambda function, so the topic gets an
SQS subscription (as SNS fans out to SQS on AWS) and each message read from it is handed
to the handler in the event Lambda receives from SNS (``Records[].Sns``). A delivery whose
handler raised is retried, as Lambda retries an asynchronous invocation, and after
``attempts`` tries it goes to the failed-records queue, as the template's on-failure
destination does.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from chalice.local import LambdaContext

log = logging.getLogger("rapport.sns")


def lambda_sns_event(envelope: dict[str, Any], subscription_arn: str) -> dict[str, Any]:
    """The event a Lambda subscribed to the topic receives for one SNS message."""
    attributes = {
        name: {"Type": value.get("Type", "String"), "Value": value.get("Value")}
        for name, value in (envelope.get("MessageAttributes") or {}).items()
    }
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "Sns": {
                    "Type": envelope.get("Type", "Notification"),
                    "MessageId": envelope["MessageId"],
                    "TopicArn": envelope["TopicArn"],
                    "Subject": envelope.get("Subject"),
                    "Message": envelope["Message"],
                    "Timestamp": envelope.get("Timestamp"),
                    "SignatureVersion": envelope.get("SignatureVersion", "1"),
                    "Signature": envelope.get("Signature", ""),
                    "SigningCertUrl": envelope.get("SigningCertURL", ""),
                    "UnsubscribeUrl": envelope.get("UnsubscribeURL", ""),
                    "MessageAttributes": attributes,
                },
            }
        ]
    }


@dataclass
class SnsDelivery:
    """One topic subscribed to one handler, through a local SQS queue."""

    name: str
    handler: Any
    sqs: Any
    queue_url: str
    subscription_arn: str
    failed_queue_url: str | None = None
    attempts: int = 3
    delivered: int = 0
    failed: int = 0

    def poll(self) -> int:
        """Hand every waiting message to the handler once; returns how many succeeded."""
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            AttributeNames=["ApproximateReceiveCount"],
            VisibilityTimeout=1,
        )
        done = 0
        for message in response.get("Messages", []):
            if self._deliver(message):
                done += 1
        return done

    def _deliver(self, message: dict[str, Any]) -> bool:
        envelope = json.loads(message["Body"])
        event = lambda_sns_event(envelope, self.subscription_arn)
        try:
            self.handler(event, LambdaContext(self.name, memory_size=512))
        except Exception:
            received = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            log.exception("%s failed (attempt %d)", self.name, received)
            if received < self.attempts:
                return False  # visible again after the timeout: retried
            self._give_up(event)
        else:
            self.delivered += 1
        self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return True

    def _give_up(self, event: dict[str, Any]) -> None:
        self.failed += 1
        if self.failed_queue_url:
            body = json.dumps({"function": self.name, "event": event})
            self.sqs.send_message(QueueUrl=self.failed_queue_url, MessageBody=body)


def subscribe(
    app: Any, session: Any, env: dict[str, str], handler_name: str, topic_env: str
) -> SnsDelivery:
    """Subscribe ``handler_name`` of the app to the topic whose ARN is ``env[topic_env]``."""
    from infra.resources import FAILED_RECORDS_QUEUE

    sqs = session.client("sqs")
    sns = session.client("sns")
    queue_url = sqs.create_queue(QueueName=f"rapport-local-{handler_name}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    subscription = sns.subscribe(TopicArn=env[topic_env], Protocol="sqs", Endpoint=queue_arn)
    return SnsDelivery(
        handler_name,
        app.handler_map[handler_name],
        sqs,
        queue_url,
        subscription["SubscriptionArn"],
        env.get(FAILED_RECORDS_QUEUE.env),
    )
