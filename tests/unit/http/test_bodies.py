"""json_body: integral JSON numbers are integers, whatever their notation."""

from __future__ import annotations

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.http.bodies import json_body


@pytest.mark.parametrize(("literal", "value"), [("2", 2), ("2.0", 2), ("1e3", 1000), ("-0.0", 0)])
def test_an_integral_number_is_an_int(literal: str, value: int) -> None:
    parsed = json_body(f'{{"n": {literal}}}')["n"]
    assert parsed == value and type(parsed) is int


@pytest.mark.parametrize("literal", ["2.5", "1e-3", "1e300", "9007199254740993.0"])
def test_a_fraction_or_an_inexact_number_stays_a_float(literal: str) -> None:
    assert type(json_body(f'{{"n": {literal}}}')["n"]) is float


def test_a_score_written_4_0_is_accepted_as_4() -> None:
    from chalicelib.services.surveys import parse_answer

    assert parse_answer(json_body('{"score": 4.0}')) == (4, None)


def test_a_real_fraction_is_still_refused_naming_the_field() -> None:
    from chalicelib.services.surveys import parse_answer

    with pytest.raises(InvalidInput) as error:
        parse_answer(json_body('{"score": 4.5}'))
    assert error.value.field == "score"
