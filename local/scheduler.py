"""Run the app's ``@app.schedule`` handlers locally, as EventBridge would.

Understands the two forms Chalice emits: ``rate(N unit)`` and AWS's six-field
``cron(minutes hours day-of-month month day-of-week year)`` with ``*``, ``?``, lists,
ranges and steps (day-of-week 1-7 is SUN-SAT, or SUN..SAT names). Hand-written: the
maintained cron libraries use the five-field Unix form, not AWS's.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.local import LambdaContext

log = logging.getLogger("rapport.scheduler")

_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


def _field_matches(spec: str, value: int, names: dict[str, int] | None = None) -> bool:
    if spec in ("*", "?"):
        return True
    for part in spec.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        for name, number in (names or {}).items():
            part = part.replace(name, str(number))
        if part in ("*", ""):
            low, high = 0, 10_000
        elif "-" in part:
            low_text, high_text = part.split("-", 1)
            low, high = int(low_text), int(high_text)
        else:
            low = high = int(part)
            if step != 1:
                high = 10_000
        if low <= value <= high and (value - low) % step == 0:
            return True
    return False


def cron_matches(expression: str, moment: datetime) -> bool:
    """Whether an AWS cron expression fires at ``moment`` (UTC, minute resolution)."""
    minutes, hours, dom, month, dow, year = expression.split()
    aws_dow = moment.isoweekday() % 7 + 1  # SUN=1 .. SAT=7
    return (
        _field_matches(minutes, moment.minute)
        and _field_matches(hours, moment.hour)
        and _field_matches(dom, moment.day)
        and _field_matches(month, moment.month)
        and _field_matches(dow, aws_dow, _DAYS)
        and _field_matches(year, moment.year)
    )


def schedule_of(expression: str) -> Callable[[datetime, datetime | None], bool]:
    """A predicate ``due(now, last_run)`` for a Chalice schedule expression."""
    text = expression.strip()
    if text.startswith("rate(") and text.endswith(")"):
        amount, unit = text[5:-1].split()
        period = timedelta(seconds=int(amount) * _UNITS[unit])
        return lambda now, last: last is None or now - last >= period
    if text.startswith("cron(") and text.endswith(")"):
        body = text[5:-1]
        return lambda now, last: cron_matches(body, now) and (
            last is None
            or now.replace(second=0, microsecond=0) > last.replace(second=0, microsecond=0)
        )
    raise ValueError(f"unsupported schedule expression {expression!r}")


def scheduled_event(name: str, now: datetime) -> dict[str, Any]:
    """The EventBridge event a scheduled Lambda receives."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/rapport-{name}"],
        "detail": {},
    }


class Scheduler(threading.Thread):
    """Check every schedule each few seconds and run the due ones."""

    def __init__(self, app: Any, stop: threading.Event, tick_seconds: float = 5.0) -> None:
        super().__init__(name="scheduler", daemon=True)
        self._stop_event = stop
        self._tick = tick_seconds
        self._jobs = []
        for source in app.event_sources:
            expression = getattr(source, "schedule_expression", None)
            if expression is None:
                continue
            text = expression if isinstance(expression, str) else expression.to_string()
            self._jobs.append((source.name, schedule_of(text), app.handler_map[source.name]))
        self.last_runs: dict[str, datetime] = {}

    @property
    def job_names(self) -> list[str]:
        """The scheduled handlers found in the app."""
        return [name for name, _, _ in self._jobs]

    def run_due(self, now: datetime) -> list[str]:
        """Run every job due at ``now``; returns the names run."""
        ran = []
        for name, due, handler in self._jobs:
            if not due(now, self.last_runs.get(name)):
                continue
            self.last_runs[name] = now
            try:
                handler(scheduled_event(name, now), LambdaContext(name, memory_size=512))
                ran.append(name)
            except Exception:
                log.exception("scheduled job %s failed", name)
        return ran

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.run_due(datetime.now(UTC))
            self._stop_event.wait(self._tick)
