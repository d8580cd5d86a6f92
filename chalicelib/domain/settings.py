"""Store settings with sensible defaults; an admin stores overrides in the settings table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.business_hours import (
    DEFAULT_WEEK,
    BusinessHours,
    business_hours,
)
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.frequency_cap import DEFAULT_PRIORITIES
from chalicelib.domain.help_links import HelpLink, default_links, parse_links
from chalicelib.domain.setting_parsers import parse_intervals, parse_priorities, parse_support
from chalicelib.domain.times import TimeBounds

__all__ = [
    "IMPORT_POINTS",
    "HelpLink",
    "StoreSettings",
    "parse_store_settings",
    "settings_from_dict",
]


def _default_week() -> dict[str, list[str]]:
    return {day: list(intervals) for day, intervals in DEFAULT_WEEK.items()}


@dataclass(frozen=True)
class StoreSettings:
    """What mail and pages say about the store."""

    store_name: str = "Rapport Demo Shop"
    store_name_zh: str = "Rapport 示范商店"
    support_email: str = "support@shop.example"
    support_hours_en: str = "Monday to Friday, 9:00 to 18:00"
    support_hours_zh: str = "周一至周五 9:00–18:00"
    website_url: str = "https://shop.example"
    about_en: str = (
        "We are a small team who choose every product we sell and answer every message ourselves."
    )
    about_zh: str = "我们是一个小团队，每一件商品都由我们亲自挑选，每一条留言都由我们亲自回复。"
    signer_en: str = "The team"
    signer_zh: str = "全体同仁"
    help_links: tuple[HelpLink, ...] = field(default_factory=default_links)
    quiet_hours_start: int = 21
    quiet_hours_end: int = 9
    frequency_cap_per_week: int = 3
    mail_priorities: tuple[str, ...] = DEFAULT_PRIORITIES
    """Non-transactional templates, most valuable first: of the mails due for one customer
    on one day, the first listed is sent and the others are suppressed (``frequency_cap``)."""
    return_window_days: int = 7
    clock_skew_minutes: int = 10
    job_retries: int = 5
    job_retry_seconds: int = 120
    job_segments: int = 0
    """Scan segments of a fanned-out nightly job; 0: from the table's item count."""
    job_segment_customers: int = 250_000
    """With ``job_segments`` 0: at most this many items (customers) per segment."""
    support_time_zone: str = "Asia/Shanghai"
    support_week: dict[str, list[str]] = field(default_factory=_default_week)
    support_holidays: tuple[str, ...] = ()
    support_answers_per_hour: int = 4
    first_answer_minutes: int = 60

    review_coupon_percent_off: int = 10
    """What the coupon a written review earns takes off the next order, in percent."""
    review_coupon_valid_days: int = 90
    """How long that coupon may be redeemed, from the review."""

    transient_bounce_limit: int = 3
    """Soft bounces within ``transient_bounce_window_days`` that make an address bounced."""
    transient_bounce_window_days: int = 30
    win_back_days: int = 90
    """At most one win-back letter per customer in this many days."""
    replenishment_skus: dict[str, int] = field(default_factory=dict)
    """Sku -> reorder interval in days (a replenishment reminder once it has passed)."""
    replenishment_categories: dict[str, int] = field(default_factory=dict)
    """Category -> reorder interval in days, for its skus without their own."""

    gift_categories: tuple[str, ...] = ()
    """Order categories that count as gifts for the learned annual occasions."""
    occasion_lead_days: int = 14
    """How many days before a learned occasion's month the suggestion goes out."""
    cart_idle_minutes: int = 60
    """How long a cart waits untouched before its one reminder (``cart-reminders`` job)."""
    import_points: str = "award"
    """Imported paid orders: ``award`` their points (at the tier the history reaches) or
    ``zero`` (imported customers start with no points)."""

    def business_hours(self) -> BusinessHours:
        """Support's working hours (``support_time_zone``, ``support_week``, holidays)."""
        return business_hours(
            self.support_time_zone, self.support_week, list(self.support_holidays)
        )

    def name_for(self, locale: str) -> str:
        """The store's name in ``locale``."""
        return self.store_name_zh if locale == "zh-CN" else self.store_name

    def time_bounds(self, now: datetime) -> TimeBounds:
        """The times the API accepts as of ``now`` (``clock_skew_minutes`` ahead at most)."""
        return TimeBounds(now, timedelta(minutes=self.clock_skew_minutes))

    def to_dict(self) -> dict[str, Any]:
        """Plain form for storage and the admin API."""
        data = asdict(self)
        data["help_links"] = [asdict(link) for link in self.help_links]
        data["support_holidays"] = list(self.support_holidays)
        data["mail_priorities"] = list(self.mail_priorities)
        data["gift_categories"] = list(self.gift_categories)
        return data


_LIMITS = {
    "quiet_hours_start": 23,
    "quiet_hours_end": 23,
    "frequency_cap_per_week": 100,
    "return_window_days": 365,
    "clock_skew_minutes": 60,
    "job_retries": 20,  # retries of one page or write of a job after a transient error
    "job_retry_seconds": 600,  # how long one page or write of a job may keep failing
    "job_segments": 1000,  # scan segments of a fanned-out job (0: from the item count)
    "job_segment_customers": 10_000_000,  # items per segment when counted (0 counts as 1)
    "support_answers_per_hour": 1000,  # 0: the backlog does not move the promise
    "first_answer_minutes": 7 * 24 * 60,  # working minutes before the first answer, at least
    "review_coupon_percent_off": 90,
    "review_coupon_valid_days": 730,
    "transient_bounce_limit": 20,
    "transient_bounce_window_days": 365,
    "win_back_days": 3650,
    "occasion_lead_days": 28,  # shorter than a month: one occasion month due at a time
    "cart_idle_minutes": 30 * 24 * 60,
}
"""The integer settings and their largest values (the smallest is 0)."""

_SUPPORT_FIELDS = {"support_time_zone", "support_week", "support_holidays"}
_LIST_FIELDS = {"gift_categories"}
_INTERVAL_FIELDS = {"replenishment_skus", "replenishment_categories"}
IMPORT_POINTS = ("award", "zero")
_CHOICES = {"import_points": IMPORT_POINTS}
_TEXT_FIELDS = {f.name for f in fields(StoreSettings)} - {
    "help_links",
    "mail_priorities",
    *_LIMITS,
    *_SUPPORT_FIELDS,
    *_INTERVAL_FIELDS,
    *_LIST_FIELDS,
    *_CHOICES,
}


def parse_store_settings(payload: Any, base: StoreSettings | None = None) -> StoreSettings:
    """Validate an override of the store settings (partial: missing fields keep ``base``)."""
    body = v.require_object(payload)
    v.reject_unknown(body, {f.name for f in fields(StoreSettings)})
    updates: dict[str, Any] = {}
    for name, raw in body.items():
        if name == "support_email":
            updates[name] = v.email(raw, name)
        elif name in _TEXT_FIELDS:
            updates[name] = v.text(raw, name, 500)
        elif name == "help_links":
            updates[name] = parse_links(raw)
        elif name == "mail_priorities":
            updates[name] = parse_priorities(raw)
        elif name in _SUPPORT_FIELDS:
            updates[name] = parse_support(name, raw)
        elif name in _INTERVAL_FIELDS:
            updates[name] = parse_intervals(raw, name)
        elif name in _LIST_FIELDS:
            updates[name] = tuple(v.string_list(raw, name))
        elif name in _CHOICES:
            updates[name] = v.choice(raw, _CHOICES[name], name)
        else:
            if not isinstance(raw, int) or isinstance(raw, bool):
                raise InvalidInput(f"{name} must be an integer", name)
            limit = _LIMITS[name]
            if not 0 <= raw <= limit:
                raise InvalidInput(f"{name} must be between 0 and {limit}", name)
            updates[name] = raw
    return replace(base or StoreSettings(), **updates)


def settings_from_dict(data: dict[str, Any]) -> StoreSettings:
    """Rebuild settings from their stored form (unknown keys from older versions ignored)."""
    known = {f.name for f in fields(StoreSettings)}
    values = {k: val for k, val in data.items() if k in known}
    if "help_links" in values:
        values["help_links"] = tuple(HelpLink(**link) for link in values["help_links"])
    for name in ("support_holidays", "mail_priorities", *_LIST_FIELDS):
        if name in values:
            values[name] = tuple(values[name])
    for name in _LIMITS:
        if name in values:
            values[name] = int(values[name])
    for name in _INTERVAL_FIELDS:
        if name in values:
            values[name] = {key: int(days) for key, days in values[name].items()}
    return StoreSettings(**values)
