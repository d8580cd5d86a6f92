"""The carrier signature: ``t=<unix time>,v1=<HMAC of "<t>.<body>">``, five minutes either way."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.api.carrier_signature import SIGNATURE_HEADER, sign, verify
from chalicelib.http.exceptions import Unauthorized

CAPTURED = json.loads(
    (Path(__file__).parents[2] / "events" / "carrier_webhook_signed.json").read_text()
)
SECRET = CAPTURED["secret"].encode()
BODY = CAPTURED["body"].encode()
HEADER = CAPTURED["headers"][SIGNATURE_HEADER]
SIGNED_AT = datetime.fromtimestamp(CAPTURED["signed_at"], UTC)


def _refusal(header: str | None, now: datetime, body: bytes = BODY) -> str:
    with pytest.raises(Unauthorized) as refused:
        verify(SECRET, body, header, now)
    assert refused.value.field == SIGNATURE_HEADER
    return refused.value.message


def test_a_captured_call_signed_with_openssl_is_accepted_within_five_minutes() -> None:
    assert sign(SECRET, BODY, CAPTURED["signed_at"]) == HEADER
    for delay in (timedelta(0), timedelta(minutes=4, seconds=59), -timedelta(minutes=4)):
        verify(SECRET, BODY, HEADER, SIGNED_AT + delay)


def test_the_same_call_replayed_later_is_refused() -> None:
    message = _refusal(HEADER, SIGNED_AT + timedelta(minutes=5, seconds=1))
    assert message == "the signature is more than 5 minutes old"
    later = _refusal(HEADER, SIGNED_AT + timedelta(days=3))
    assert later == message


def test_a_timestamp_far_ahead_of_our_clock_is_refused() -> None:
    message = _refusal(HEADER, SIGNED_AT - timedelta(minutes=6))
    assert message == "the signature's timestamp is more than 5 minutes ahead of our clock"


def test_the_timestamp_is_signed_a_changed_one_is_a_wrong_signature() -> None:
    digest = HEADER.partition(",")[2]
    moved = f"t={CAPTURED['signed_at'] + 3600},{digest}"
    assert _refusal(moved, SIGNED_AT + timedelta(hours=1)) == "wrong signature"
    assert _refusal(HEADER, SIGNED_AT, BODY.replace(b"PU", b"DL")) == "wrong signature"


def test_one_right_signature_among_several_is_enough_for_key_rotation() -> None:
    rotated = f"{HEADER},v1={'0' * 64}"
    verify(SECRET, BODY, rotated, SIGNED_AT)
    old_key_first = f"t={CAPTURED['signed_at']},v1={'f' * 64},{HEADER.partition(',')[2]}"
    verify(SECRET, BODY, old_key_first, SIGNED_AT)


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=" + "0" * 64, "t=abc,v1=00", f"v1={'0' * 64}", "t=1795076400", "garbage"],
)
def test_a_missing_or_malformed_header_says_what_is_expected(header: str | None) -> None:
    message = _refusal(header, SIGNED_AT)
    assert message == "missing or malformed signature: expected t=<unix time>,v1=<hex HMAC>"
