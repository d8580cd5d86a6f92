"""The mailto half of List-Unsubscribe: its address, its subject, the token read back."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from chalicelib.domain.unsubscribe_mail import mailto_url, token_from_subject, unsubscribe_address


def test_the_address_is_unsubscribe_at_the_senders_domain() -> None:
    assert unsubscribe_address("hello@tea.example") == "unsubscribe@tea.example"


def test_the_mailto_subject_carries_the_token_and_reads_back() -> None:
    url = mailto_url("hello@tea.example", "eyJwIjoi.c2ln-_")
    address, _, query = url.removeprefix("mailto:").partition("?subject=")
    assert address == "unsubscribe@tea.example"
    assert " " not in url and unquote(query) == "unsubscribe eyJwIjoi.c2ln-_"
    assert token_from_subject(unquote(query)) == "eyJwIjoi.c2ln-_"


@pytest.mark.parametrize(
    ("subject", "token"),
    [
        ("Re: unsubscribe abc.def", "abc.def"),
        ("UNSUBSCRIBE   abc.def  ", "abc.def"),
        ("回复：unsubscribe abc.def", "abc.def"),
        ("unsubscribe", None),
        ("please take me off your list", None),
        ("", None),
    ],
)
def test_a_token_is_found_after_the_word_whatever_the_client_added(
    subject: str, token: str | None
) -> None:
    assert token_from_subject(subject) == token
