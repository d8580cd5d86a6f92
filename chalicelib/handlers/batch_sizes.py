"""How many records each stream handler takes per invocation.

One definition for the app's event sources (``app.py``) and the deployed template's
(``infra/resources/``), keyed by the handler's name.
"""

from __future__ import annotations

BATCH_SIZES: dict[str, int] = {
    "on_customer": 25,
    "mailer": 10,
    "on_order": 25,
    "on_shipment": 50,
}

JOB_SEGMENTS_QUEUE = "rapport-job-segments"
"""The SQS queue of the nightly jobs' segment tasks (one message per invocation); the
template declares it under this name and the ``job_segment`` function reads it."""
