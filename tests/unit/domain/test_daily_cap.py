"""The daily frequency cap: one non-transactional mail a day, the most valuable of those due."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.frequency_cap import DEFAULT_PRIORITIES, RecentMail
from chalicelib.domain.messages import NON_TRANSACTIONAL_TEMPLATES, Message, Recipient
from chalicelib.domain.policy import Decision, decide
from chalicelib.domain.settings import StoreSettings, parse_store_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULTS = StoreSettings()
ALL = {"marketing": True, "recommendations": True, "greetings": True, "surveys": True}


def at(hour: int, day: int = 4, zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(2026, 5, day, hour, tzinfo=zone).astimezone(UTC)


def mail(
    template: str,
    key: str | None = None,
    *,
    consents: dict[str, bool] | None = None,
    loyalty: str = "very_loyal",
    time_zone: str = "Asia/Shanghai",
) -> Message:
    recipient = Recipient(
        email="ana@example.com",
        name="安娜",
        locale="zh-CN",
        time_zone=time_zone,
        email_status="ok",
        consents=dict(ALL if consents is None else consents),
        loyalty=loyalty,
    )
    return Message(
        customer_id="c1",
        message_key=key or f"{template}#1",
        template=template,
        purpose=NON_TRANSACTIONAL_TEMPLATES.get(template, "transactional"),
        recipient=recipient,
        created_at="2026-05-04T00:00:00.000Z",
    )


def waiting(template: str, key: str | None = None) -> RecentMail:
    return RecentMail(key or f"{template}#1", template, "queued")


def sent(template: str, when: datetime, key: str | None = None) -> RecentMail:
    return RecentMail(key or f"{template}#1", template, "sent", sent_at=when)


def decision_of(
    message: Message, recent: list[RecentMail], now: datetime | None = None
) -> Decision:
    return decide(message, now or at(12), DEFAULTS, recent=recent)


CAPPED = Decision("suppress", "frequency_cap")


def test_a_birthday_card_a_cart_reminder_and_a_win_back_on_one_day_send_only_the_card() -> None:
    due = [waiting("greeting"), waiting("cart_reminder"), waiting("win_back")]
    outcomes = {
        item.template: decision_of(mail(item.template), [o for o in due if o is not item])
        for item in due
    }
    assert outcomes == {"greeting": Decision("send"), "cart_reminder": CAPPED, "win_back": CAPPED}


def test_the_order_of_value_is_the_issues_and_settings_may_reorder_it() -> None:
    assert DEFAULT_PRIORITIES.index("greeting") < DEFAULT_PRIORITIES.index("cart_reminder")
    order = ["cart_reminder", "replenishment", "occasion_suggestion", "win_back"]
    assert [DEFAULT_PRIORITIES.index(t) for t in order] == sorted(
        DEFAULT_PRIORITIES.index(t) for t in order
    )
    assert DEFAULT_PRIORITIES[-1] == "satisfaction_survey"
    win_back_first = replace(DEFAULTS, mail_priorities=("win_back", "greeting"))
    card = decide(mail("greeting"), at(12), win_back_first, recent=[waiting("win_back")])
    back = decide(mail("win_back"), at(12), win_back_first, recent=[waiting("greeting")])
    assert (card, back) == (CAPPED, Decision("send"))


def test_once_a_mail_was_sent_today_a_later_one_is_suppressed_not_sent_in_a_burst() -> None:
    earlier = [sent("satisfaction_survey", at(9))]
    assert decision_of(mail("greeting"), earlier, now=at(15)) == CAPPED


def test_a_mail_sent_yesterday_in_the_customers_own_time_zone_does_not_count_today() -> None:
    # 23:30 yesterday in Shanghai is 15:30 UTC the same date as 'now' in UTC terms
    yesterday_late = datetime(2026, 5, 3, 23, 30, tzinfo=SHANGHAI)
    assert decision_of(mail("win_back"), [sent("greeting", yesterday_late)]) == Decision("send")


def test_the_day_is_the_customers_own() -> None:
    london = ZoneInfo("Europe/London")
    # 23:00 on 3 May in London is 06:00 on 4 May in Shanghai; now is 13:00 in London, 20:00 there
    sent_then = datetime(2026, 5, 3, 23, tzinfo=london)
    now = at(13, zone=london)
    in_london = mail("win_back", time_zone="Europe/London")
    assert decide(in_london, now, DEFAULTS, recent=[sent("greeting", sent_then)]) == Decision(
        "send"
    )
    in_shanghai = mail("win_back")
    assert decide(in_shanghai, now, DEFAULTS, recent=[sent("greeting", sent_then)]) == CAPPED


def test_a_competitor_the_customer_would_not_get_does_not_push_a_mail_out() -> None:
    no_greetings = {**ALL, "greetings": False}
    cart = mail("cart_reminder", consents=no_greetings)
    assert decision_of(cart, [waiting("greeting")]) == Decision("send")
    loyal = mail("cart_reminder", loyalty="loyal")  # greeting cards go to very loyal ones only
    assert decision_of(loyal, [waiting("greeting")]) == Decision("send")


def test_a_mail_deferred_to_a_later_day_does_not_compete_today() -> None:
    tomorrow = RecentMail("greeting#1", "greeting", "deferred", not_before=at(9, day=5))
    assert decision_of(mail("win_back"), [tomorrow]) == Decision("send")
    this_afternoon = replace(tomorrow, not_before=at(15))
    assert decision_of(mail("win_back"), [this_afternoon]) == CAPPED


def test_two_mails_of_the_same_rank_give_way_to_the_smaller_key_so_exactly_one_is_sent() -> None:
    a, b = mail("replenishment", "replenishment#a"), mail("replenishment", "replenishment#b")
    assert decision_of(a, [waiting("replenishment", "replenishment#b")]) == Decision("send")
    assert decision_of(b, [waiting("replenishment", "replenishment#a")]) == CAPPED


def test_during_quiet_hours_the_mail_waits_and_competes_in_the_morning() -> None:
    night = decision_of(mail("win_back"), [waiting("greeting")], now=at(23))
    assert night.action == "defer" and night.reason == "quiet_hours"


def test_a_coupon_the_customer_earned_is_never_capped_and_never_pushes_out() -> None:
    coupon = mail("review_coupon")
    assert decision_of(coupon, [sent("greeting", at(9)), waiting("greeting", "g2")]) == Decision(
        "send"
    )
    assert decision_of(mail("win_back"), [sent("review_coupon", at(9))]) == Decision("send")


def test_transactional_mail_is_never_capped() -> None:
    receipt = mail("order_confirmation")
    assert decision_of(receipt, [sent("greeting", at(9)), waiting("greeting", "g2")]) == Decision(
        "send"
    )


@given(st.permutations(list(DEFAULT_PRIORITIES)), st.integers(min_value=9, max_value=20))
def test_of_any_mails_due_together_exactly_one_is_sent_the_most_valuable(
    templates: list[str], hour: int
) -> None:
    due = [waiting(t) for t in templates[:4]]
    sends = [
        item.template
        for item in due
        if decision_of(mail(item.template), [o for o in due if o is not item], at(hour)).action
        == "send"
    ]
    assert sends == [min(templates[:4], key=DEFAULT_PRIORITIES.index)]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [("greeting", "list"), (["greeting", "greeting"], "twice"), (["welcome"], "not a capped")],
)
def test_the_priorities_setting_is_validated(raw: object, fragment: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_store_settings({"mail_priorities": raw})
    assert refused.value.field == "mail_priorities" and fragment in str(refused.value)


def test_the_priorities_setting_round_trips() -> None:
    chosen = parse_store_settings({"mail_priorities": ["win_back", "greeting"]})
    assert chosen.mail_priorities == ("win_back", "greeting")
    assert chosen.to_dict()["mail_priorities"] == ["win_back", "greeting"]
