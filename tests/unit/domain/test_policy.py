"""The message policy: suppression, consent, loyalty gates, frequency cap and quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.messages import Message, Recipient
from chalicelib.domain.policy import (
    SNAPSHOT_FRESHNESS,
    Decision,
    decide,
    needs_live_profile,
    quiet_hours_end,
)
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.settings import StoreSettings

UTC = UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULTS = StoreSettings()  # quiet 21:00 to 09:00, three a week
# 2024-05-01 06:00 UTC is 14:00 in Shanghai and 02:00 in New York: pick the zone to pick the hour
NOON_SHANGHAI = datetime(2024, 5, 1, 4, 0, tzinfo=UTC)
ALL_CONSENTS = {"marketing": True, "recommendations": True, "greetings": True, "surveys": True}
NO_CONSENTS = {purpose: False for purpose in ALL_CONSENTS}


def message(
    purpose: str,
    *,
    loyalty: str = "very_loyal",
    consents: dict[str, bool] | None = None,
    email_status: str = "ok",
    time_zone: str = "Asia/Shanghai",
) -> Message:
    recipient = Recipient(
        email="ana@example.com",
        name="Ana",
        locale="zh-CN",
        time_zone=time_zone,
        email_status=email_status,
        consents=dict(ALL_CONSENTS if consents is None else consents),
        loyalty=loyalty,
    )
    return Message(
        customer_id="c1",
        message_key=f"{purpose}#1",
        template="welcome",
        purpose=purpose,
        recipient=recipient,
        created_at="2024-05-01T00:00:00.000Z",
    )


def shanghai(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """A UTC instant that is ``hour:minute`` on 2024-05-``day`` in Shanghai."""
    return datetime(2024, 5, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


# --- address and transactional mail -----------------------------------------------------


@pytest.mark.parametrize("purpose", ["transactional", "marketing", "greetings"])
def test_a_bounced_address_gets_no_mail(purpose: str) -> None:
    decision = decide(message(purpose, email_status="bounced"), NOON_SHANGHAI, DEFAULTS)
    assert decision == Decision("suppress", "address_bounced")


@pytest.mark.parametrize("purpose", ["marketing", "greetings", "surveys"])
def test_a_complained_address_gets_no_mail_we_chose_to_send(purpose: str) -> None:
    decision = decide(message(purpose, email_status="complained"), NOON_SHANGHAI, DEFAULTS)
    assert decision == Decision("suppress", "address_complained")


def test_a_complained_address_still_gets_the_mail_its_owner_asked_for() -> None:
    decision = decide(message("transactional", email_status="complained"), NOON_SHANGHAI, DEFAULTS)
    assert decision == Decision("send")


@pytest.mark.parametrize("status", ["ok", "unverified"])
def test_transactional_is_sent_to_a_deliverable_address(status: str) -> None:
    assert decide(
        message("transactional", email_status=status), NOON_SHANGHAI, DEFAULTS
    ) == Decision("send")


def test_transactional_ignores_consent_loyalty_cap_and_quiet_hours() -> None:
    night = shanghai(23, 30)
    decision = decide(
        message("transactional", loyalty="occasional", consents=NO_CONSENTS),
        night,
        replace(DEFAULTS, frequency_cap_per_week=0),
        sent_last_7_days=50,
    )
    assert decision.action == "send"
    assert decision.not_before is None


# --- consent ----------------------------------------------------------------------------


@pytest.mark.parametrize("purpose", ["marketing", "recommendations", "greetings", "surveys"])
def test_each_purpose_needs_its_own_consent(purpose: str) -> None:
    only_others = {**ALL_CONSENTS, purpose: False}
    decision = decide(message(purpose, consents=only_others), NOON_SHANGHAI, DEFAULTS)
    assert decision == Decision("suppress", f"no_consent_{purpose}")


@pytest.mark.parametrize("purpose", ["marketing", "recommendations", "greetings", "surveys"])
def test_consent_for_the_purpose_lets_it_through(purpose: str) -> None:
    decision = decide(message(purpose, consents={purpose: True}), NOON_SHANGHAI, DEFAULTS)
    assert decision.action == "send"


def test_missing_consent_key_counts_as_no() -> None:
    decision = decide(message("greetings", consents={}), NOON_SHANGHAI, DEFAULTS)
    assert decision == Decision("suppress", "no_consent_greetings")


def test_consent_is_checked_before_the_loyalty_gate() -> None:
    decision = decide(
        message("greetings", loyalty="occasional", consents=NO_CONSENTS), NOON_SHANGHAI, DEFAULTS
    )
    assert decision.reason == "no_consent_greetings"


# --- loyalty gates (seed 001, Table 1) --------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "loyalty", "action"),
    [
        ("greetings", "very_loyal", "send"),
        ("greetings", "loyal", "suppress"),
        ("greetings", "occasional", "suppress"),
        ("recommendations", "very_loyal", "send"),
        ("recommendations", "loyal", "send"),
        ("recommendations", "occasional", "suppress"),
        ("marketing", "occasional", "send"),
        ("surveys", "occasional", "send"),
    ],
)
def test_loyalty_gates(purpose: str, loyalty: str, action: str) -> None:
    decision = decide(message(purpose, loyalty=loyalty), NOON_SHANGHAI, DEFAULTS)
    assert decision.action == action
    if action == "suppress":
        assert decision.reason == f"loyalty_gate_{loyalty}"


def test_gates_are_data_given_by_the_caller() -> None:
    gates = {"greetings": frozenset({"very_loyal", "loyal", "occasional"})}
    decision = decide(
        message("greetings", loyalty="occasional"), NOON_SHANGHAI, DEFAULTS, gates=gates
    )
    assert decision.action == "send"
    closed: dict[str, frozenset[str]] = {"greetings": frozenset()}
    decision = decide(
        message("greetings", loyalty="very_loyal"), NOON_SHANGHAI, DEFAULTS, gates=closed
    )
    assert decision == Decision("suppress", "loyalty_gate_very_loyal")


def test_a_purpose_without_a_gate_is_not_sent_unsolicited() -> None:
    decision = decide(
        message("recommendations"),
        NOON_SHANGHAI,
        DEFAULTS,
        gates={"greetings": frozenset({"very_loyal"})},
    )
    assert decision.action == "suppress"


# --- frequency cap ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "action"), [(0, "send"), (2, "send"), (3, "suppress"), (10, "suppress")]
)
def test_frequency_cap_of_three_a_week(sent: int, action: str) -> None:
    decision = decide(message("marketing"), NOON_SHANGHAI, DEFAULTS, sent_last_7_days=sent)
    assert decision.action == action
    if action == "suppress":
        assert decision.reason == "frequency_cap"


def test_frequency_cap_comes_from_settings() -> None:
    one_a_week = replace(DEFAULTS, frequency_cap_per_week=1)
    assert (
        decide(message("surveys"), NOON_SHANGHAI, one_a_week, sent_last_7_days=0).action == "send"
    )
    assert (
        decide(message("surveys"), NOON_SHANGHAI, one_a_week, sent_last_7_days=1).reason
        == "frequency_cap"
    )


def test_frequency_cap_suppresses_rather_than_defers_at_night() -> None:
    decision = decide(message("marketing"), shanghai(23), DEFAULTS, sent_last_7_days=3)
    assert decision == Decision("suppress", "frequency_cap")


# --- quiet hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "resume"),
    [
        (shanghai(21, 0), shanghai(9, 0, day=2)),
        (shanghai(22, 15), shanghai(9, 0, day=2)),
        (shanghai(23, 59), shanghai(9, 0, day=2)),
        (shanghai(0, 0, day=2), shanghai(9, 0, day=2)),
        (shanghai(3, 30, day=2), shanghai(9, 0, day=2)),
        (shanghai(8, 59, day=2), shanghai(9, 0, day=2)),
    ],
)
def test_quiet_hours_across_midnight_defer_to_the_next_morning(
    local: datetime, resume: datetime
) -> None:
    decision = decide(message("marketing"), local, DEFAULTS)
    assert decision.action == "defer"
    assert decision.reason == "quiet_hours"
    assert decision.not_before == resume


@pytest.mark.parametrize("hour", [9, 12, 20])
def test_outside_quiet_hours_is_sent(hour: int) -> None:
    assert decide(message("marketing"), shanghai(hour, 0), DEFAULTS) == Decision("send")
    assert decide(message("marketing"), shanghai(hour, 59), DEFAULTS) == Decision("send")


def test_quiet_hours_are_those_of_the_customers_zone() -> None:
    moment = datetime(2024, 5, 1, 14, 0, tzinfo=UTC)  # 22:00 Shanghai, 10:00 New York, 15:00 London
    assert (
        decide(message("marketing", time_zone="Asia/Shanghai"), moment, DEFAULTS).action == "defer"
    )
    assert (
        decide(message("marketing", time_zone="America/New_York"), moment, DEFAULTS).action
        == "send"
    )
    assert (
        decide(message("marketing", time_zone="Europe/London"), moment, DEFAULTS).action == "send"
    )
    assert decide(message("marketing", time_zone="UTC"), moment, DEFAULTS).action == "send"


def test_not_before_is_nine_in_the_customers_zone() -> None:
    moment = datetime(2024, 5, 1, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
    decision = decide(message("marketing"), moment, DEFAULTS)
    assert decision.not_before == datetime(2024, 5, 2, 1, 0, tzinfo=UTC)
    local = decision.not_before.astimezone(SHANGHAI)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2024-05-02", 9, 0)


def test_not_before_when_the_customer_is_behind_utc() -> None:
    moment = datetime(2024, 5, 2, 3, 0, tzinfo=UTC)  # 23:00 on 1 May in New York (EDT)
    decision = decide(message("marketing", time_zone="America/New_York"), moment, DEFAULTS)
    assert decision.not_before == datetime(2024, 5, 2, 13, 0, tzinfo=UTC)  # 09:00 EDT on 2 May


def test_not_before_across_a_daylight_saving_change() -> None:
    moment = datetime(
        2024, 3, 10, 3, 0, tzinfo=UTC
    )  # 22:00 EST on 9 March; clocks go forward that night
    decision = decide(message("marketing", time_zone="America/New_York"), moment, DEFAULTS)
    assert decision.not_before == datetime(2024, 3, 10, 13, 0, tzinfo=UTC)  # 09:00 EDT


def test_not_before_with_a_quarter_hour_offset() -> None:
    zone = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    moment = datetime(2024, 5, 1, 23, 30, tzinfo=zone)
    end = quiet_hours_end(moment.astimezone(UTC), "Asia/Kathmandu", DEFAULTS)
    assert end == datetime(2024, 5, 2, 9, 0, tzinfo=zone)


def test_not_before_keeps_the_callers_offset_but_the_same_instant() -> None:
    plus_two = timezone(timedelta(hours=2))
    moment = shanghai(23).astimezone(plus_two)
    end = quiet_hours_end(moment, "Asia/Shanghai", DEFAULTS)
    assert end == shanghai(9, day=2)
    assert end is not None and end.utcoffset() == timedelta(hours=2)


def test_a_window_within_one_day() -> None:
    lunch = replace(DEFAULTS, quiet_hours_start=12, quiet_hours_end=14)
    assert quiet_hours_end(shanghai(11, 59), "Asia/Shanghai", lunch) is None
    assert quiet_hours_end(shanghai(12, 0), "Asia/Shanghai", lunch) == shanghai(14)
    assert quiet_hours_end(shanghai(13, 59), "Asia/Shanghai", lunch) == shanghai(14)
    assert quiet_hours_end(shanghai(14, 0), "Asia/Shanghai", lunch) is None
    assert quiet_hours_end(shanghai(23, 0), "Asia/Shanghai", lunch) is None


def test_a_short_window_across_midnight() -> None:
    night = replace(DEFAULTS, quiet_hours_start=23, quiet_hours_end=1)
    assert quiet_hours_end(shanghai(22, 59), "Asia/Shanghai", night) is None
    assert quiet_hours_end(shanghai(23, 0), "Asia/Shanghai", night) == shanghai(1, day=2)
    assert quiet_hours_end(shanghai(0, 30, day=2), "Asia/Shanghai", night) == shanghai(1, day=2)
    assert quiet_hours_end(shanghai(1, 0, day=2), "Asia/Shanghai", night) is None


def test_a_window_ending_at_midnight() -> None:
    evening = replace(DEFAULTS, quiet_hours_start=20, quiet_hours_end=0)
    assert quiet_hours_end(shanghai(19, 59), "Asia/Shanghai", evening) is None
    assert quiet_hours_end(shanghai(20, 0), "Asia/Shanghai", evening) == shanghai(0, day=2)
    assert quiet_hours_end(shanghai(23, 59), "Asia/Shanghai", evening) == shanghai(0, day=2)
    assert quiet_hours_end(shanghai(0, 0, day=2), "Asia/Shanghai", evening) is None


def test_equal_start_and_end_means_no_quiet_hours() -> None:
    none = replace(DEFAULTS, quiet_hours_start=9, quiet_hours_end=9)
    for hour in range(24):
        assert quiet_hours_end(shanghai(hour), "Asia/Shanghai", none) is None


ZONES = [
    "UTC",
    "Asia/Shanghai",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",
]


@settings(max_examples=100, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    start=st.integers(0, 23),
    end=st.integers(0, 23),
)
def test_not_before_is_the_next_end_of_quiet_hours(
    moment: datetime, zone: str, start: int, end: int
) -> None:
    rules = replace(DEFAULTS, quiet_hours_start=start, quiet_hours_end=end)
    local_hour = moment.astimezone(ZoneInfo(zone)).hour
    if start == end:
        inside = False
    elif start < end:
        inside = start <= local_hour < end
    else:
        inside = local_hour >= start or local_hour < end
    resume = quiet_hours_end(moment, zone, rules)
    assert (resume is not None) is inside
    if resume is None:
        return
    assert resume > moment
    assert resume - moment <= timedelta(hours=25)
    # quiet hours are over at not_before, and still on one minute earlier (or that is before now)
    assert quiet_hours_end(resume, zone, rules) is None
    earlier = resume - timedelta(minutes=1)
    assert earlier < moment or quiet_hours_end(earlier, zone, rules) == resume


@settings(max_examples=50, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
)
def test_a_deferred_message_is_sent_at_not_before(moment: datetime, zone: str) -> None:
    first = decide(message("greetings", time_zone=zone), moment, DEFAULTS)
    if first.action == "send":
        return
    assert first.action == "defer"
    assert first.not_before is not None
    assert decide(message("greetings", time_zone=zone), first.not_before, DEFAULTS).action == "send"


def test_a_deferral_carries_an_aware_not_before() -> None:
    decision = decide(message("marketing"), shanghai(22), DEFAULTS)
    assert isinstance(decision, Decision)
    assert (decision.action, decision.reason) == ("defer", "quiet_hours")
    assert decision.not_before is not None and decision.not_before.tzinfo is not None


# --- the copy or the live profile ---------------------------------------------------------

QUEUED_AT = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)  # the ``created_at`` of ``message()``


@pytest.mark.parametrize(
    ("purpose", "waited", "live"),
    [
        ("transactional", timedelta(0), False),
        ("transactional", timedelta(seconds=3), False),
        ("transactional", timedelta(seconds=59), False),
        ("transactional", timedelta(seconds=61), True),
        ("transactional", SNAPSHOT_FRESHNESS, False),
        ("transactional", SNAPSHOT_FRESHNESS + timedelta(milliseconds=1), True),
        ("transactional", timedelta(hours=10), True),  # deferred, retried or stuck
        ("surveys", timedelta(0), True),
        ("greetings", timedelta(seconds=1), True),
    ],
)
def test_only_a_fresh_transactional_mail_may_be_decided_on_its_copy(
    purpose: str, waited: timedelta, live: bool
) -> None:
    assert needs_live_profile(message(purpose), QUEUED_AT + waited) is live


def live(**changes: object) -> Profile:
    return Profile(
        customer_id="c1",
        email="ana@example.com",
        created_at="2024-04-01T00:00:00.000Z",
        updated_at="2024-05-01T00:00:00.000Z",
        name="Ana",
        locale="zh-CN",
        time_zone="Asia/Shanghai",
        consents=Consents(**ALL_CONSENTS),
        loyalty="very_loyal",
    ).with_changes(**changes)


def test_consent_withdrawn_after_queuing_suppresses_the_readdressed_message() -> None:
    queued = message("greetings")  # the copy still says yes
    assert decide(queued, NOON_SHANGHAI, DEFAULTS) == Decision("send")
    withdrawn = queued.readdressed(live(consents=Consents(**{**ALL_CONSENTS, "greetings": False})))
    assert decide(withdrawn, NOON_SHANGHAI, DEFAULTS) == Decision(
        "suppress", "no_consent_greetings"
    )


def test_an_address_that_bounced_after_queuing_suppresses_even_transactional_mail() -> None:
    readdressed = message("transactional").readdressed(live(email_status="bounced"))
    assert decide(readdressed, NOON_SHANGHAI, DEFAULTS) == Decision("suppress", "address_bounced")


def test_readdressing_takes_the_live_address_zone_and_loyalty_and_keeps_the_message() -> None:
    queued = message("greetings")
    moved = queued.readdressed(
        live(email="ana@new.example", time_zone="America/New_York", loyalty="occasional")
    )
    assert (moved.recipient.email, moved.recipient.time_zone) == (
        "ana@new.example",
        "America/New_York",
    )
    assert (moved.message_key, moved.attempts, moved.created_at) == (
        queued.message_key,
        queued.attempts,
        queued.created_at,
    )
    assert decide(moved, NOON_SHANGHAI, DEFAULTS) == Decision("suppress", "loyalty_gate_occasional")
