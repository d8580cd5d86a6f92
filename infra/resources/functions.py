"""The layers and the scheduled jobs' functions."""

from __future__ import annotations

from infra.resources.buckets import IMPORT_FUNCTION
from infra.resources.kinds import Layer, ScheduledJob

SCIENCE_LAYER = Layer(
    logical_id="ScienceLayer",
    requirements="requirements-science.txt",
    archive="science-layer.zip",
    description="numpy and scipy for Rapport's customer-value models",
    # The orders stream (per-order CLV rescoring with the stored parameters) and the
    # customer-value job (the fit). The other functions never import numpy
    # (tests/functional/test_functions_without_numpy.py). The import function rescores
    # each customer whose history it folds, as the orders stream does; the segment
    # function summarizes, fits and rescores a fanned-out nightly job's segments.
    functions=("OnOrder", "CustomerValue", IMPORT_FUNCTION, "JobSegment"),
)
LAYERS: tuple[Layer, ...] = (SCIENCE_LAYER,)

SCHEDULED_JOBS: tuple[ScheduledJob, ...] = (
    ScheduledJob(handler="deferred_mail", job="deferred-mail"),
    ScheduledJob(handler="customer_value", job="customer-value"),
    ScheduledJob(handler="co_purchases", job="co-purchases"),
    ScheduledJob(handler="replenishment", job="replenishment"),
    ScheduledJob(handler="engagement", job="engagement"),
    ScheduledJob(handler="cart_reminders", job="cart-reminders"),
    ScheduledJob(handler="satisfaction_surveys", job="satisfaction-surveys"),
    ScheduledJob(handler="campaigns_due", job="campaigns"),
)
