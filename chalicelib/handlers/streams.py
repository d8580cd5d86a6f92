"""DynamoDB stream handlers with Powertools' batch processor (partial batch failures).

Each record is handled on its own; a record that raises is reported in
``batchItemFailures`` and retried by Lambda (or the local pump) without redoing the
records before it. Handlers are idempotent, so a retried or duplicated record changes
nothing. A stream whose effects depend on the order of a key's changes (the customers
stream: its counts refuse a change older than the last one counted) is handled
``in_order``: nothing after a failed record, which Lambda delivers again with it
(:mod:`chalicelib.handlers.in_order`).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib import bootstrap
from chalicelib.adapters.codec import from_image
from chalicelib.adapters.outbox import message_from_item
from chalicelib.adapters.profile_items import is_profile, profile_from_item
from chalicelib.domain import messages
from chalicelib.domain.history import is_history_first_segment, is_history_fold
from chalicelib.domain.privacy import is_erased
from chalicelib.domain.profile import Profile
from chalicelib.domain.profile_changes import profile_change
from chalicelib.domain.times import iso
from chalicelib.handlers.in_order import InOrderBatchProcessor
from chalicelib.observability import logger, metrics
from chalicelib.services import campaign_outcomes
from chalicelib.services.customer_events import welcome_letter
from chalicelib.services.mailer import deliver
from chalicelib.services.profile_changes import Letter, record_profile_change
from chalicelib.services.profile_metrics import count_profile_change
from chalicelib.services.win_back import on_segment_change


def _images(record: DynamoDBRecord) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    stream = record.dynamodb
    old = from_image(stream.old_image) if stream and stream.old_image else None
    new = from_image(stream.new_image) if stream and stream.new_image else None
    return old, new


def customer_record(record: DynamoDBRecord) -> None:
    """One change of the customers table (email guards are ignored)."""
    old, new = _images(record)
    old_profile = profile_from_item(old) if old and is_profile(old) else None
    new_profile = profile_from_item(new) if new and is_profile(new) else None
    if old_profile is None and new_profile is None:
        return
    erased = old_profile is not None and is_erased(new)
    correlation = (new or old or {}).get("correlation_id")
    logger.set_correlation_id(correlation)
    deps = bootstrap.container()
    # A signup's record read after the profile was erased (a late or redelivered
    # record) queues nothing: the outbox refuses mail for an erased customer.
    imported = old is None and bool((new or {}).get("import_id"))
    letter = welcome_letter(old_profile, new_profile, deps.clock.now(), correlation, imported)
    history = is_history_fold(old, new)  # an import folding history in: not news
    queued = _count_and_announce(record, old_profile, new_profile, letter, announce=not history)
    win_back = (
        None
        if history or is_history_first_segment(old, new)
        else on_segment_change(
            old_profile,
            new_profile,
            deps.outbox,
            deps.win_back_log,
            deps.settings,
            deps.clock,
            correlation,
        )
    )
    queued.extend([win_back] if win_back else [])
    for key in queued:
        metrics.add_metric(name="MessagesQueued", unit=MetricUnit.Count, value=1)
        logger.info("message queued", extra={"message_key": key})
    counted = count_profile_change(old_profile, new_profile, erased, deps.metrics, deps.clock.now())
    if counted:
        logger.info("store metrics counted", extra={"facts": counted})


def _count_and_announce(
    record: DynamoDBRecord,
    old: Profile | None,
    new: Profile | None,
    letter: Letter | None,
    announce: bool = True,
) -> list[str]:
    """Count the change once (keyed by its stream sequence number), queue its letter in
    the same write and put its events; returns the letters' keys queued now."""
    sequence = record.dynamodb.sequence_number if record.dynamodb else None
    if not sequence:
        raise ValueError("a customers stream record without a SequenceNumber")
    customer_id = new.customer_id if new is not None else old.customer_id if old else ""
    deps = bootstrap.container().profile_changes
    change = profile_change(customer_id, sequence, old, new, iso(deps.clock.now()), announce)
    recorded = record_profile_change(change, deps, letter)
    if recorded.published:
        metrics.add_metric(name="ProfileEvents", unit=MetricUnit.Count, value=recorded.published)
    return recorded.queued


def message_record(record: DynamoDBRecord) -> None:
    """One change of the messages table: a campaign's counts, then deliver it if queued."""
    old, new = _images(record)
    campaign_outcomes.count(old, new, bootstrap.container().campaigns.store)
    if not new or new.get("status") != messages.QUEUED:
        return
    message = message_from_item(new)
    logger.set_correlation_id(message.correlation_id)
    outcome = deliver(message.customer_id, message.message_key, bootstrap.container().mailer)
    metrics.add_metric(name=f"Mail{outcome.capitalize()}", unit=MetricUnit.Count, value=1)
    logger.info(
        "mail outcome",
        extra={
            "template": message.template,
            "outcome": outcome,
            "message_key": message.message_key,
        },
    )


def process(
    event: dict[str, Any], context: Any, handler: Any, in_order: bool = False
) -> dict[str, Any]:
    """Run ``handler`` over the batch; returns ``{"batchItemFailures": [...]}``. With
    ``in_order``, the records after the first failure are reported failed, unhandled."""
    processor = InOrderBatchProcessor() if in_order else BatchProcessor(EventType.DynamoDBStreams)
    response = process_partial_response(
        event=event, record_handler=handler, processor=processor, context=context
    )
    return dict(response)
