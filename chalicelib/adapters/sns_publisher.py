"""Publish parcel status changes on the tracking topic (SNS)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import THROTTLING_CODES, error_code
from chalicelib.services.exceptions import Throttled


class SnsTrackingPublisher:
    """Publishes one JSON message per transition, with a ``status`` attribute to filter on."""

    def __init__(self, client: Any, topic_arn: str) -> None:
        self._client = client
        self._topic = topic_arn

    def publish(self, message: dict[str, Any]) -> str:
        """Publish ``message``; returns SNS's message id.

        The ``status`` message attribute lets subscribers filter (a filter policy such
        as ``{"status": ["delivered"]}``); ``key`` (also an attribute) is the same on a
        retried publication, for subscribers to de-duplicate on.
        """
        try:
            response = self._client.publish(
                TopicArn=self._topic,
                Message=json.dumps(message, ensure_ascii=False, separators=(",", ":")),
                MessageAttributes={
                    "status": {"DataType": "String", "StringValue": str(message["status"])},
                    "key": {"DataType": "String", "StringValue": str(message["key"])},
                },
            )
        except ClientError as error:
            if error_code(error) in THROTTLING_CODES:
                raise Throttled(error_code(error)) from error
            raise
        return str(response.get("MessageId", ""))
