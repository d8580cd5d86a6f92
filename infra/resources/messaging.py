"""Topics, the event bus, queues, SES's sets and the topics' subscribers."""

from __future__ import annotations

from chalicelib.config import (
    SEGMENTS_QUEUE_VARIABLE,
)
from chalicelib.handlers.batch_sizes import JOB_SEGMENTS_QUEUE as SEGMENTS_QUEUE_NAME
from chalicelib.handlers.topics import SES_FEEDBACK_TOPIC as FEEDBACK_TOPIC_NAME
from chalicelib.handlers.topics import UNSUBSCRIBE_MAIL_TOPIC as UNSUBSCRIBE_TOPIC_NAME
from infra.resources.kinds import EventBus, Queue, Topic

TRACKING_TOPIC = Topic("TrackingTopic", "rapport-tracking", "RAPPORT_TRACKING_TOPIC_ARN")
SES_FEEDBACK_TOPIC = Topic(
    "SesFeedbackTopic", FEEDBACK_TOPIC_NAME, "RAPPORT_SES_FEEDBACK_TOPIC_ARN"
)
"""SES's bounce, complaint and delivery notifications (the configuration set's events),
read by the ``on_ses_feedback`` handler."""
UNSUBSCRIBE_MAIL_TOPIC = Topic(
    "UnsubscribeMailTopic", UNSUBSCRIBE_TOPIC_NAME, "RAPPORT_UNSUBSCRIBE_MAIL_TOPIC_ARN"
)
"""Mail SES receives for the ``unsubscribe`` address (the receipt rule's SNS action),
read by the ``on_unsubscribe_mail`` handler."""
TOPICS: tuple[Topic, ...] = (TRACKING_TOPIC, SES_FEEDBACK_TOPIC, UNSUBSCRIBE_MAIL_TOPIC)

PROFILE_EVENT_BUS = EventBus("ProfileEventBus", "rapport", "RAPPORT_EVENT_BUS")
"""``Rapport.*`` events of profile changes (docs/events.md), put by ``on_customer``."""

FAILED_RECORDS_QUEUE = Queue(
    "FailedRecordsQueue", "rapport-failed-records", "RAPPORT_FAILED_RECORDS_QUEUE_URL"
)
JOB_DEAD_LETTER_QUEUE = Queue(
    "JobDeadLetterQueue", "rapport-job-dead-letters", "RAPPORT_JOB_DEAD_LETTER_QUEUE_URL"
)
"""Job invocations that failed every retry: EventBridge's undeliverable ``JobRequested``
events and Lambda's records of invocations whose last attempt failed."""
JOB_SEGMENTS_QUEUE = Queue("JobSegmentsQueue", SEGMENTS_QUEUE_NAME, SEGMENTS_QUEUE_VARIABLE)
"""The fanned-out nightly jobs' segment tasks, read by the ``job_segment`` function (one
message per invocation); a message received three times goes to the dead letters."""
SEGMENT_RECEIVES = 3
QUEUES: tuple[Queue, ...] = (FAILED_RECORDS_QUEUE, JOB_DEAD_LETTER_QUEUE, JOB_SEGMENTS_QUEUE)

SES_CONFIGURATION_SET = "rapport"
SES_RECEIPT_RULE_SET = "rapport-inbound"
"""SES receipt rules: mail to the ``unsubscribe`` address goes to its topic."""
"""SES configuration set: bounce, complaint and delivery events go to the feedback topic."""

SNS_CONSUMERS: tuple[tuple[str, Topic], ...] = (
    ("on_ses_feedback", SES_FEEDBACK_TOPIC),
    ("on_unsubscribe_mail", UNSUBSCRIBE_MAIL_TOPIC),
)
"""Functions subscribed to a topic (chalice handler of an ``@app.on_sns_message``)."""
