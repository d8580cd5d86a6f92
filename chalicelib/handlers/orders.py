"""The orders stream: aggregates, tiers, points, referrals, confirmation mail, returns."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib import bootstrap
from chalicelib.adapters.codec import from_image
from chalicelib.observability import logger, metrics
from chalicelib.services.order_events import on_orders_change


def order_record(record: DynamoDBRecord) -> None:
    """One change of the orders table (an order or a return)."""
    stream = record.dynamodb
    old = from_image(stream.old_image) if stream and stream.old_image else None
    new = from_image(stream.new_image) if stream and stream.new_image else None
    logger.set_correlation_id((new or old or {}).get("correlation_id"))
    try:
        outcome = on_orders_change(old, new, bootstrap.container().order_deps)
    except Exception as error:
        logger.warning(
            "order fact failed; the record will be retried",
            extra={"order_id": (new or old or {}).get("order_id"), "error": type(error).__name__},
        )
        raise
    if outcome == "applied":
        metrics.add_metric(name="OrderFactsApplied", unit=MetricUnit.Count, value=1)
    logger.info(
        "order fact",
        extra={
            "order_id": (new or old or {}).get("order_id"),
            "record": (new or old or {}).get("record"),
            "outcome": outcome,
        },
    )
