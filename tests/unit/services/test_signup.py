"""Signup and the customers stream against in-memory ports (no AWS)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.services.customer_events import welcome_letter
from chalicelib.services.exceptions import CustomerIdTaken, EmailTaken
from chalicelib.services.signup import sign_up
from tests.fakes import FakeClock, FakeCustomers

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def body(**extra: Any) -> dict[str, Any]:
    return {"customer_id": "c-1", "email": "Ana@Example.com", "name": "Ana", **extra}


def test_a_signup_stores_the_normalized_profile_once() -> None:
    customers = FakeCustomers()
    result = sign_up(body(locale="zh-CN"), customers, FakeClock(NOW), "cid-1")
    assert result.created
    stored = customers.get("c-1")
    assert stored == result.profile
    assert stored is not None and stored.email == "ana@example.com" and stored.locale == "zh-CN"
    assert customers.owner_of("ana@example.com") == "c-1"


def test_an_identical_replay_answers_the_stored_profile_without_writing() -> None:
    customers = FakeCustomers()
    first = sign_up(body(), customers, FakeClock(NOW))
    replay = sign_up(body(), customers, FakeClock(datetime(2026, 11, 21, tzinfo=UTC)))
    assert not replay.created
    assert replay.profile == first.profile  # the stored one, not a new one made now
    assert len(customers.timeline("c-1")[0]) == 1


def test_the_same_id_with_other_details_is_a_conflict_on_the_id() -> None:
    customers = FakeCustomers()
    sign_up(body(), customers, FakeClock(NOW))
    with pytest.raises(CustomerIdTaken):
        sign_up(body(name="Someone else"), customers, FakeClock(NOW))
    stored = customers.get("c-1")
    assert stored is not None and stored.name == "Ana"


def test_an_email_another_profile_owns_is_a_conflict_on_the_email() -> None:
    customers = FakeCustomers()
    sign_up(body(), customers, FakeClock(NOW))
    with pytest.raises(EmailTaken):
        sign_up(body(customer_id="c-2", email="ana@example.COM"), customers, FakeClock(NOW))
    assert customers.get("c-2") is None


def test_bad_input_names_the_field_and_writes_nothing() -> None:
    customers = FakeCustomers()
    with pytest.raises(InvalidInput) as raised:
        sign_up(body(locale="fr"), customers, FakeClock(NOW))
    assert raised.value.field == "locale"
    assert customers.profiles == {}


def test_a_new_profile_calls_for_one_welcome_letter_counted_as_a_signup() -> None:
    customers, clock = FakeCustomers(), FakeClock(NOW)
    profile = sign_up(body(), customers, clock, "cid-1").profile
    letter = welcome_letter(None, profile, NOW, "cid-1")
    assert letter is not None
    message = letter.message
    assert (message.customer_id, message.message_key, message.template) == (
        "c-1",
        "welcome",
        "welcome",
    )
    assert (message.purpose, message.correlation_id) == ("transactional", "cid-1")
    assert letter.tally is not None and letter.tally.counts == {"signups": 1}


def test_a_changed_or_imported_profile_calls_for_no_welcome() -> None:
    profile = sign_up(body(), FakeCustomers(), FakeClock(NOW)).profile
    assert welcome_letter(profile, profile, NOW) is None
    assert welcome_letter(profile, None, NOW) is None
    assert welcome_letter(None, profile, NOW, imported=True) is None
