"""Signed, expiring tokens for public links."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.adapters.signer import HmacLinkSigner

NOW = datetime(2024, 6, 15, 8, 30, tzinfo=UTC)
LATER = NOW + timedelta(days=30)
SECRET = b"0123456789abcdef0123456789abcdef"
SIGNER = HmacLinkSigner(SECRET)


def parts(token: str) -> tuple[str, str]:
    payload, mac = token.split(".")
    return payload, mac


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def test_round_trip() -> None:
    token = SIGNER.sign("preferences", "cust-1", LATER)
    assert SIGNER.verify("preferences", token, NOW) == "cust-1"


def test_token_is_url_safe() -> None:
    token = SIGNER.sign("preferences", "客户/1?&=", LATER)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert SIGNER.verify("preferences", token, NOW) == "客户/1?&="


def test_a_second_signer_with_the_same_secret_verifies() -> None:
    token = SIGNER.sign("track", "1Z999", LATER)
    assert HmacLinkSigner(bytes(SECRET)).verify("track", token, NOW) == "1Z999"


def test_another_secret_does_not_verify() -> None:
    token = SIGNER.sign("track", "1Z999", LATER)
    assert HmacLinkSigner(b"another-secret-of-32-bytes------").verify("track", token, NOW) is None


@pytest.mark.parametrize("other", ["track", "Preferences", "unsubscribe:marketing", ""])
def test_wrong_purpose(other: str) -> None:
    token = SIGNER.sign("preferences", "cust-1", LATER)
    assert SIGNER.verify(other, token, NOW) is None


def test_unsubscribe_purposes_do_not_cross() -> None:
    token = SIGNER.sign("unsubscribe:greetings", "cust-1", LATER)
    assert SIGNER.verify("unsubscribe:marketing", token, NOW) is None
    assert SIGNER.verify("unsubscribe:greetings", token, NOW) == "cust-1"


def test_expiry() -> None:
    expires = datetime(2024, 7, 1, 0, 0, tzinfo=UTC)
    token = SIGNER.sign("survey", "o-1", expires)
    assert SIGNER.verify("survey", token, expires - timedelta(seconds=1)) == "o-1"
    assert SIGNER.verify("survey", token, expires) == "o-1"
    assert SIGNER.verify("survey", token, expires + timedelta(seconds=1)) is None
    assert SIGNER.verify("survey", token, expires + timedelta(days=400)) is None


def test_already_expired_token() -> None:
    token = SIGNER.sign("survey", "o-1", NOW - timedelta(minutes=1))
    assert SIGNER.verify("survey", token, NOW) is None


def test_tampered_payload_with_the_old_mac() -> None:
    token = SIGNER.sign("preferences", "cust-1", LATER)
    _, mac = parts(token)
    forged = b64(
        json.dumps(
            {"p": "preferences", "s": "cust-2", "e": int(LATER.timestamp())}, separators=(",", ":")
        ).encode()
    )
    assert SIGNER.verify("preferences", f"{forged}.{mac}", NOW) is None


def test_extended_expiry_with_the_old_mac() -> None:
    token = SIGNER.sign("preferences", "cust-1", NOW + timedelta(minutes=1))
    _, mac = parts(token)
    forged = b64(
        json.dumps(
            {"p": "preferences", "s": "cust-1", "e": 4_102_444_800}, separators=(",", ":")
        ).encode()
    )
    assert SIGNER.verify("preferences", f"{forged}.{mac}", NOW + timedelta(days=1)) is None


@pytest.mark.parametrize("index", [0, 5, -1])
def test_one_changed_character_in_the_payload(index: int) -> None:
    token = SIGNER.sign("preferences", "cust-1", LATER)
    payload, mac = parts(token)
    chars = list(payload)
    chars[index] = "A" if chars[index] != "A" else "B"
    assert SIGNER.verify("preferences", f"{''.join(chars)}.{mac}", NOW) is None


@pytest.mark.parametrize("index", [0, 10, -1])
def test_one_changed_character_in_the_mac(index: int) -> None:
    token = SIGNER.sign("preferences", "cust-1", LATER)
    payload, mac = parts(token)
    chars = list(mac)
    chars[index] = "A" if chars[index] != "A" else "B"
    assert SIGNER.verify("preferences", f"{payload}.{''.join(chars)}", NOW) is None


def test_truncated_or_extended_mac() -> None:
    token = SIGNER.sign("preferences", "cust-1", LATER)
    assert SIGNER.verify("preferences", token[:-1], NOW) is None
    assert SIGNER.verify("preferences", token + "A", NOW) is None
    assert SIGNER.verify("preferences", token + ".x", NOW) is None


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        ".",
        "..",
        "abc",
        "abc.def",
        "!!!.???",
        "====.====",
        "\x00.\x00",
        "eyJ9.abc",
        "x" * 10_000,
        "a.b.c",
        "é.abc",
    ],
)
def test_garbage_tokens(garbage: str) -> None:
    assert SIGNER.verify("preferences", garbage, NOW) is None


@pytest.mark.parametrize("mac", ["é", "ＡＢＣ", "\u00ff" * 43])
def test_garbage_tokens_with_a_non_ascii_mac(mac: str) -> None:
    payload, _ = parts(SIGNER.sign("preferences", "cust-1", LATER))
    assert SIGNER.verify("preferences", f"{payload}.{mac}", NOW) is None


def test_a_genuine_mac_over_a_non_object_payload_is_refused() -> None:
    """Even a correctly signed payload must carry purpose, subject and expiry."""
    import hashlib
    import hmac

    def signed(body: bytes) -> str:
        payload = b64(body)
        mac = b64(hmac.new(SECRET, payload.encode("ascii"), hashlib.sha256).digest())
        return f"{payload}.{mac}"

    assert SIGNER.verify("p", signed(b'{"p":"p","e":9999999999}'), NOW) is None  # no subject
    assert (
        SIGNER.verify("p", signed(b'{"p":"p","s":7,"e":9999999999}'), NOW) is None
    )  # subject not a string
    assert SIGNER.verify("p", signed(b'{"p":"p","s":"x"}'), NOW) is None  # no expiry
    assert SIGNER.verify("p", signed(b"not json"), NOW) is None


@pytest.mark.parametrize("secret", [b"", b"short", b"x" * 15])
def test_short_secret_is_rejected(secret: bytes) -> None:
    with pytest.raises(ValueError):
        HmacLinkSigner(secret)


def test_sixteen_byte_secret_is_enough() -> None:
    signer = HmacLinkSigner(b"x" * 16)
    assert signer.verify("p", signer.sign("p", "s", LATER), NOW) == "s"


@settings(max_examples=50, deadline=None)
@given(
    purpose=st.text(min_size=1, max_size=40),
    subject=st.text(min_size=1, max_size=80),
    seconds=st.integers(min_value=1, max_value=10 * 365 * 86400),
)
def test_round_trip_of_any_purpose_and_subject(purpose: str, subject: str, seconds: int) -> None:
    expires = NOW + timedelta(seconds=seconds)
    token = SIGNER.sign(purpose, subject, expires)
    assert SIGNER.verify(purpose, token, NOW) == subject
    assert SIGNER.verify(purpose + "x", token, NOW) is None
