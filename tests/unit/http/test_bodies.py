"""Request bodies: size, nesting depth and encoding are refused as 400/413 naming ``body``;
integral JSON numbers are integers, whatever their notation."""

from __future__ import annotations

import json

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.http.bodies import MAX_JSON_DEPTH, form_body, json_body, nesting_depth
from chalicelib.http.exceptions import PayloadTooLarge


def test_nesting_depth_counts_arrays_and_objects_but_not_brackets_in_strings() -> None:
    assert nesting_depth(b'{"a": [1, {"b": []}]}') == 4
    assert nesting_depth(b'{"a": "[[[[{{{{", "b": "\\"[[["}') == 1
    assert nesting_depth(b"42") == 0
    assert nesting_depth(b"[" * 100_000) == 100_000


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_nested_deeper_than_the_bound_is_a_400_naming_the_body(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    deep = opener * 100_000 + "1" + closer * 100_000
    with pytest.raises(InvalidInput) as refused:
        json_body(deep[:65_000])
    assert refused.value.field == "body"
    assert "deeper than 32 levels" in refused.value.message
    ok = opener * MAX_JSON_DEPTH + "1" + closer * MAX_JSON_DEPTH
    assert json.dumps(json_body(ok))


def test_json_over_the_size_limit_is_413() -> None:
    with pytest.raises(PayloadTooLarge):
        json_body(b'"' + b"a" * 70_000 + b'"')


def test_a_form_that_is_not_utf8_is_a_400_naming_the_body() -> None:
    assert form_body(b"score=4&comment=%E5%A5%BD") == {"score": ["4"], "comment": ["好"]}
    for raw in (b"score=4&comment=\xff", b"comment=%ff"):
        with pytest.raises(InvalidInput) as refused:
            form_body(raw)
        assert refused.value.field == "body"


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
