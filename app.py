"""Rapport's Chalice app: wiring only (routes, stream handlers, schedules).

Routes live in blueprints under ``chalicelib/api``; handlers call services in
``chalicelib/services``; ``chalicelib/bootstrap`` wires the adapters.
"""

from __future__ import annotations

import os
from typing import Any

from chalice import Chalice, Cron, Rate
from chalice.app import CloudWatchEvent, DynamoDBEvent, SNSEvent, SQSEvent

from chalicelib.api.admin import admin
from chalicelib.api.admin_keys import admin_keys
from chalicelib.api.auth import admin_roles, auth
from chalicelib.api.campaigns import campaigns
from chalicelib.api.context import correlation_id
from chalicelib.api.events import events
from chalicelib.api.imports import imports
from chalicelib.api.insights import insights
from chalicelib.api.metrics import metrics as store_metrics
from chalicelib.api.orders import orders
from chalicelib.api.privacy import privacy
from chalicelib.api.public import public
from chalicelib.api.reviews import reviews
from chalicelib.api.shipments import shipments
from chalicelib.api.store import store
from chalicelib.api.support import support
from chalicelib.handlers import entry
from chalicelib.handlers.batch_sizes import BATCH_SIZES, JOB_SEGMENTS_QUEUE
from chalicelib.handlers.topics import SES_FEEDBACK_TOPIC, UNSUBSCRIBE_MAIL_TOPIC
from chalicelib.http.errors import from_framework_error
from chalicelib.http.pages import with_page_headers
from chalicelib.http.routing import route
from chalicelib.observability import flush_metrics, logger

app = Chalice(app_name="rapport")

app.register_blueprint(auth)
app.register_blueprint(store)
app.register_blueprint(public)
app.register_blueprint(admin)
app.register_blueprint(admin_keys)
app.register_blueprint(orders)
app.register_blueprint(shipments)
app.register_blueprint(insights)
app.register_blueprint(store_metrics)
app.register_blueprint(support)
app.register_blueprint(privacy)
app.register_blueprint(events)
app.register_blueprint(reviews)
app.register_blueprint(campaigns)
app.register_blueprint(imports)

PLACEHOLDER_STREAM = "arn:aws:dynamodb:us-east-1:000000000000:table/{}/stream/deploy-time"


def _stream_arn(variable: str, table: str) -> str:
    """Stream ARN from the environment; the deploy template replaces the placeholder."""
    return os.environ.get(variable) or PLACEHOLDER_STREAM.format(table)


PLACEHOLDER_TOPIC = "arn:aws:sns:us-east-1:000000000000:{}"


def _topic_arn(variable: str, topic: str) -> str:
    """Topic ARN from the environment; the deploy template replaces the placeholder."""
    return os.environ.get(variable) or PLACEHOLDER_TOPIC.format(topic)


@app.middleware("http")
def http_context(event: Any, get_response: Any) -> Any:
    """Correlation id on every log line and response; metrics flushed per request.

    Chalice's own errors (405, 415, 500) are given the API's error shape, and every HTML
    page its security and caching headers, here for every response.
    """
    cid = correlation_id(event)
    event.context["requestId"] = cid  # views read the same id through the request
    logger.set_correlation_id(cid)
    try:
        response = with_page_headers(from_framework_error(get_response(event), event.method))
    finally:
        flush_metrics()
    if cid:
        response.headers["X-Correlation-Id"] = cid
    return response


app.register_middleware(admin_roles, "http")  # inside http_context: 403s get its headers


@route(app, "/v1/health", ["GET"])
def health() -> dict[str, str]:
    """Liveness: the API answers."""
    return {"status": "ok"}


STREAMS = "chalicelib.handlers.streams"


@app.on_dynamodb_record(
    stream_arn=_stream_arn("RAPPORT_CUSTOMERS_STREAM_ARN", "rapport-customers"),
    batch_size=BATCH_SIZES["on_customer"],
    starting_position="TRIM_HORIZON",
)
def on_customer(event: DynamoDBEvent) -> dict[str, Any]:
    """Customers stream: welcome letters, contact changes (in order: see handlers.in_order)."""
    return entry.stream(event, f"{STREAMS}:customer_record", in_order=True)


@app.on_dynamodb_record(
    stream_arn=_stream_arn("RAPPORT_MESSAGES_STREAM_ARN", "rapport-messages"),
    batch_size=BATCH_SIZES["mailer"],
    starting_position="TRIM_HORIZON",
)
def mailer(event: DynamoDBEvent) -> dict[str, Any]:
    """Messages stream: the mailer (policy, render, SES)."""
    return entry.stream(event, f"{STREAMS}:message_record")


@app.on_dynamodb_record(
    stream_arn=_stream_arn("RAPPORT_ORDERS_STREAM_ARN", "rapport-orders"),
    batch_size=BATCH_SIZES["on_order"],
    starting_position="TRIM_HORIZON",
)
def on_order(event: DynamoDBEvent) -> dict[str, Any]:
    """Orders stream: aggregates, tiers, points, referrals, confirmations, returns."""
    return entry.stream(event, "chalicelib.handlers.orders:order_record")


@app.on_dynamodb_record(
    stream_arn=_stream_arn("RAPPORT_SHIPMENTS_STREAM_ARN", "rapport-shipments"),
    batch_size=BATCH_SIZES["on_shipment"],
    starting_position="TRIM_HORIZON",
)
def on_shipment(event: DynamoDBEvent) -> dict[str, Any]:
    """Shipments stream: fold scans, publish tracking status, milestone mail."""
    return entry.stream(event, "chalicelib.handlers.shipments:shipment_record")


@app.on_sns_message(topic=_topic_arn("RAPPORT_SES_FEEDBACK_TOPIC_ARN", SES_FEEDBACK_TOPIC))
def on_ses_feedback(event: SNSEvent) -> dict[str, Any]:
    """SES bounces, complaints and deliveries: message outcomes and address status."""
    return entry.sns(event, "chalicelib.handlers.feedback:notifications")


@app.on_sns_message(topic=_topic_arn("RAPPORT_UNSUBSCRIBE_MAIL_TOPIC_ARN", UNSUBSCRIBE_MAIL_TOPIC))
def on_unsubscribe_mail(event: SNSEvent) -> dict[str, Any]:
    """Mail to the ``unsubscribe`` address (List-Unsubscribe's mailto): consent withdrawn."""
    return entry.sns(event, "chalicelib.handlers.unsubscribe_mail:received")


@app.lambda_function(name="on_import_upload")
def on_import_upload(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The imports bucket's ObjectCreated events (wired in infra/): run each upload's import."""
    return entry.s3(event, "chalicelib.handlers.imports:uploaded")


@app.schedule(Rate(5, unit=Rate.MINUTES))
def deferred_mail(event: CloudWatchEvent) -> dict[str, Any]:
    """Queue again the mail deferred by quiet hours once they are over."""
    return entry.job("deferred-mail", event)


@app.schedule(Cron(0, 18, "*", "*", "?", "*"))
def customer_value(event: CloudWatchEvent) -> dict[str, Any]:
    """Nightly (02:00 in China): RFM boundaries, CLV fit, every customer rescored."""
    return entry.job("customer-value", event)


@app.schedule(Cron(30, 17, "*", "*", "?", "*"))
def co_purchases(event: CloudWatchEvent) -> dict[str, Any]:
    """Nightly, before customer-value: learn what is bought together."""
    return entry.job("co-purchases", event)


@app.schedule(Cron(0, 1, "*", "*", "?", "*"))
def replenishment(event: CloudWatchEvent) -> dict[str, Any]:
    """Daily (09:00 in China): reminders for the products whose reorder interval passed."""
    return entry.job("replenishment", event)


@app.schedule(Cron(0, "0,12", "*", "*", "?", "*"))
def engagement(event: CloudWatchEvent) -> dict[str, Any]:
    """Birthdays, signup anniversaries and learned occasions, twice a day: each customer
    is found in the first half of their own day (08:00 and 20:00 in China)."""
    return entry.job("engagement", event)


@app.schedule(Rate(1, unit=Rate.HOURS))
def cart_reminders(event: CloudWatchEvent) -> dict[str, Any]:
    """Hourly: one reminder per cart left idle (``cart_idle_minutes``), never after an order."""
    return entry.job("cart-reminders", event)


@app.schedule(Cron(0, 2, 1, "*", "?", "*"))
def satisfaction_surveys(event: CloudWatchEvent) -> dict[str, Any]:
    """Monthly (the 1st, 10:00 in China): the satisfaction survey to recent buyers."""
    return entry.job("satisfaction-surveys", event)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def campaigns_due(event: CloudWatchEvent) -> dict[str, Any]:
    """Start the campaigns whose send_at came; ask again for a stalled fan-out's page."""
    return entry.job("campaigns", event)


@app.lambda_function(name="campaign_pages")  # its EventBridge rule: infra/template/
def campaign_pages(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One page of a campaign's fan-out (a ``CampaignPage`` event; it asks for the next)."""
    return entry.campaign_page(event)


@app.on_sqs_message(queue=JOB_SEGMENTS_QUEUE, batch_size=1)
def job_segment(event: SQSEvent) -> dict[str, Any]:
    """One scan segment of a fanned-out nightly job (summarize or rescore)."""
    return entry.segment(event)
