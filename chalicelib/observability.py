"""The one structured logger and metrics object of the app (Powertools).

Log lines are JSON with a ``correlation_id``; they carry ids (customer, message key,
template), never personal data: no email, name, phone or address goes into a log call
or a metric dimension.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="rapport")
metrics = Metrics(namespace="Rapport", service="rapport")


def flush_metrics() -> None:
    """Publish the metrics recorded in this invocation (if any) as EMF."""
    if metrics.metric_set:
        metrics.flush_metrics()
