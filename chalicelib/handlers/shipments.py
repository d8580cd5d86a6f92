"""The shipments stream: fold scans, publish tracking status, milestone mail."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


def shipment_record(record: DynamoDBRecord) -> None:
    """One change of the shipments table."""
    raise NotImplementedError("shipments stream handler: being built (issue 5)")
