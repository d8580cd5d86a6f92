"""The daily ``engagement`` job: birthdays, signup anniversaries, learned occasions.

It reads only the customers of the day, through the customers table's indexes by
month-day (``birthday``, ``signup-anniversary``) and by month (``occasion-month``), and
queues non-transactional mail with a dedup key per kind and year; the mailer applies
consent, the loyalty gate, the frequency cap and quiet hours when it sends. Running it
again for the same day queues nothing new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from chalicelib.domain import gift_occasions as gifts
from chalicelib.domain import occasions
from chalicelib.domain.messages import non_transactional
from chalicelib.domain.profile import Profile, birthday_month_day
from chalicelib.domain.recommendations import category_key
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.ports import Outbox, Retrier, SettingsStore
from chalicelib.services.recommending import Suggester, suggester


class OccasionIndex(Protocol):
    """The customers of a day (implemented by ``adapters/occasion_index.py``)."""

    def customers_on(self, kind: str, key: str, retry: Retrier = ...) -> Iterator[Profile]: ...

    def move_occasion(self, customer_id: str, month: str | None) -> None: ...


OUTCOMES = (
    "read",
    "queued",
    "already",
    "not_their_day",
    "not_loyal_enough",
    "nothing_to_recommend",
    "nothing_to_suggest",
)


@dataclass(frozen=True)
class EngagementDeps:
    """The ports the job needs."""

    index: OccasionIndex
    outbox: Outbox
    settings: SettingsStore


@dataclass(frozen=True)
class _Run:
    """One run: when it is for, when it runs, how it suggests and retries."""

    as_of: datetime
    stamp: str
    suggest: Suggester
    retry: Retrier
    gift_categories: tuple[str, ...]


def run_engagement(
    deps: EngagementDeps, as_of: datetime, now: datetime, retry: Retrier
) -> dict[str, Any]:
    """Queue the day's greetings, recommendations and occasion suggestions at ``as_of``.

    Returns counts of :data:`OUTCOMES`: ``read`` (profiles the indexes gave),
    ``queued``, ``already`` (queued by an earlier run), ``not_their_day``,
    ``not_loyal_enough`` (occasional customers), and letters not queued for want of
    products to name.
    """
    store = retry(deps.settings.store)
    value = retry(deps.settings.customer_value)
    run = _Run(as_of, iso(now), suggester(value, deps.settings), retry, store.gift_categories)
    counts: Counter[str] = Counter(dict.fromkeys(OUTCOMES, 0))
    for month_day in occasions.month_days_at(as_of):
        for kind in occasions.KINDS:
            for profile in deps.index.customers_on(kind, month_day, retry):
                counts["read"] += 1
                counts[_celebrate(profile, kind, month_day, run, deps)] += 1
    counts.update(_suggest_occasions(deps, run, store.occasion_lead_days))
    return {"as_of": as_of.isoformat(), **dict(counts)}


def _occasion_of(profile: Profile, kind: str, month_day: str, today: date) -> Any:
    """The profile's occasion on its local ``today``, or ``None``."""
    if kind == occasions.BIRTHDAY:
        mine = birthday_month_day(profile.birthday)
        if mine != month_day or not occasions.is_their_day(mine, today):
            return None
        return occasions.Occasion(occasions.BIRTHDAY, today.year)
    if not occasions.is_their_day(month_day, today):
        return None
    return occasions.anniversary(parse_iso(profile.created_at).date(), today)


def _products(run: _Run, seeds: list[str]) -> list[dict[str, Any]]:
    """Up to :data:`occasions.MAX_RECOMMENDATIONS` products (skus) suggested from ``seeds``."""
    found = run.suggest(seeds, 3 * occasions.MAX_RECOMMENDATIONS)
    return [item for item in found if item["kind"] == "sku"][: occasions.MAX_RECOMMENDATIONS]


def _celebrate(profile: Profile, kind: str, month_day: str, run: _Run, deps: EngagementDeps) -> str:
    """Queue the occasion's letter for ``profile`` if today is their day."""
    today = occasions.local_date(run.as_of, profile.time_zone)
    occasion = _occasion_of(profile, kind, month_day, today)
    if occasion is None:
        return "not_their_day"
    letter = occasions.letter_for(profile.loyalty, occasion)
    if letter is None:
        return "not_loyal_enough"
    products = _products(run, list(profile.purchased))
    if not products and letter.template == occasions.RECOMMENDATIONS:
        return "nothing_to_recommend"
    context = {"occasion": occasion.kind, "years": occasion.years, "recommendations": products}
    message = non_transactional(profile, letter.key, letter.template, run.stamp, context)
    return "queued" if run.retry(lambda: deps.outbox.enqueue(message)) else "already"


def _suggest_occasions(deps: EngagementDeps, run: _Run, lead_days: int) -> Counter[str]:
    """One ``occasion_suggestion`` per customer whose learned month begins soon."""
    counts: Counter[str] = Counter()
    due = gifts.due_on(run.as_of.date(), lead_days)
    if due is None:
        return counts
    for profile in deps.index.customers_on("occasion", due.month, run.retry):
        counts["read"] += 1
        counts[_suggest(profile, due, run, deps)] += 1
    return counts


def _suggest(profile: Profile, due: gifts.Due, run: _Run, deps: EngagementDeps) -> str:
    """Queue ``profile``'s suggestion for ``due``, then point them at their next month."""
    seeds = [*profile.purchased, *map(category_key, run.gift_categories)]
    products = _products(run, seeds)
    outcome = "nothing_to_suggest"
    if products:
        today = run.as_of.date()
        context = gifts.suggestion_context(
            profile.gift_months, due, today, profile.locale, products
        )
        message = non_transactional(profile, due.key, "occasion_suggestion", run.stamp, context)
        outcome = "queued" if run.retry(lambda: deps.outbox.enqueue(message)) else "already"
    following = gifts.after(profile.gift_months, due.month)
    if following != due.month:
        run.retry(lambda: deps.index.move_occasion(profile.customer_id, following))
    return outcome
