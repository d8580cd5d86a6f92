"""The shipments stream: fold scans, publish tracking status, milestone mail.

A stored scan (INSERT of ``scan#<event_id>``) or a newly registered parcel (INSERT of
``parcel``) refreshes the parcel: see :mod:`chalicelib.services.tracking_updates`.
Updates of the parcel item (our own writes) and removals are ignored, so the handler
never feeds itself. Redelivered records find nothing new to record or publish.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)

from chalicelib import bootstrap
from chalicelib.adapters.codec import from_image
from chalicelib.adapters.shipments_repository import is_parcel, is_scan
from chalicelib.observability import logger, metrics
from chalicelib.services.tracking_updates import refresh


def shipment_record(record: DynamoDBRecord) -> None:
    """One change of the shipments table."""
    if record.event_name != DynamoDBRecordEventName.INSERT:
        return
    stream = record.dynamodb
    new = from_image(stream.new_image) if stream and stream.new_image else None
    if not new or not (is_scan(new) or is_parcel(new)):
        return
    tracking_number = str(new["tracking_number"])
    if is_parcel(new):
        logger.set_correlation_id(new.get("correlation_id"))
    outcome = refresh(tracking_number, bootstrap.container().shipment_deps)
    for _ in outcome.published:
        metrics.add_metric(name="TrackingPublished", unit=MetricUnit.Count, value=1)
    for key in outcome.mails:
        metrics.add_metric(name="MessagesQueued", unit=MetricUnit.Count, value=1)
        logger.info("message queued", extra={"message_key": key})
    if outcome.published:
        logger.info(
            "tracking published",
            extra={"tracking_number": tracking_number, "keys": list(outcome.published)},
        )
