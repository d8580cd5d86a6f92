"""Fault injection for the local stack (``RAPPORT_FAULTS``), off unless configured.

``RAPPORT_FAULTS="duplicate=0.5,ses_error=0.3,ddb_throttle=0.1"`` with an optional
``RAPPORT_FAULT_SEED``. The error kinds are injected into boto3 clients through
botocore's ``before-call`` event, *after* the SDK's own retry loop, so our code sees
exactly the errors AWS surfaces when the SDK gives up: DynamoDB
``ProvisionedThroughputExceededException`` (and ``ThrottlingException`` for
transactions), SES ``TooManyRequestsException`` and ``MessageRejected``. The injected
call has no effect, as on AWS. ``duplicate`` is read by the local stream pump, which
delivers a batch again.
"""

from __future__ import annotations

import os
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse

KINDS = ("duplicate", "ses_error", "ddb_throttle")


@dataclass
class FaultPlan:
    """Probabilities per fault kind and a seeded random source."""

    rates: dict[str, float] = field(default_factory=dict)
    seed: int | None = None
    injected: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()

    def roll(self, kind: str) -> bool:
        """Whether to inject ``kind`` now (and count it)."""
        rate = self.rates.get(kind, 0.0)
        if rate <= 0:
            return False
        with self._lock:
            hit = self._random.random() < rate
            if hit:
                self.injected[kind] = self.injected.get(kind, 0) + 1
            return hit

    def choice(self, options: tuple[str, ...]) -> str:
        """A seeded choice among ``options``."""
        with self._lock:
            return self._random.choice(options)

    @property
    def active(self) -> bool:
        """Whether any fault is configured."""
        return any(rate > 0 for rate in self.rates.values())


def parse_faults(spec: str | None, seed: str | None = None) -> FaultPlan:
    """Parse ``kind=rate,...``; raises ``ValueError`` on an unknown kind or bad rate."""
    rates: dict[str, float] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        kind, _, value = part.partition("=")
        kind = kind.strip()
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
        rate = float(value)
        if not 0 <= rate <= 1:
            raise ValueError(f"fault rate for {kind} must be between 0 and 1")
        rates[kind] = rate
    return FaultPlan(rates, int(seed) if seed else None)


def plan_from_environment() -> FaultPlan:
    """The plan configured in ``RAPPORT_FAULTS`` and ``RAPPORT_FAULT_SEED``."""
    return parse_faults(os.environ.get("RAPPORT_FAULTS"), os.environ.get("RAPPORT_FAULT_SEED"))


def _error(status: int, code: str, message: str) -> tuple[AWSResponse, dict[str, Any]]:
    http = AWSResponse("https://fault.injected", status, {}, None)
    return http, {
        "Error": {"Code": code, "Message": f"{message} (injected by RAPPORT_FAULTS)"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }


def install(client: Any, service: str, plan: FaultPlan) -> None:
    """Register the plan's faults on ``client`` (a boto3 client of ``service``)."""
    if not plan.active:
        return
    if service == "dynamodb" and plan.rates.get("ddb_throttle"):

        def throttle(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
            if plan.roll("ddb_throttle"):
                return _error(400, "ProvisionedThroughputExceededException", "Rate exceeded")
            return None

        client.meta.events.register("before-call.dynamodb.*", throttle)
    if service == "sesv2" and plan.rates.get("ses_error"):

        def ses_error(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
            if plan.roll("ses_error"):
                code = plan.choice(("TooManyRequestsException", "MessageRejected"))
                return _error(400 if code == "MessageRejected" else 429, code, "Send refused")
            return None

        client.meta.events.register("before-call.sesv2.SendEmail", ses_error)
