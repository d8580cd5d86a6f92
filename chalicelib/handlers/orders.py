"""The orders stream: aggregates, tiers, points, referrals, confirmation mail, returns."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


def order_record(record: DynamoDBRecord) -> None:
    """One change of the orders table."""
    raise NotImplementedError("orders stream handler: being built (issue 4)")
