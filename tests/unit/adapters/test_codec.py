"""Plain Python values to DynamoDB attribute values and back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.adapters.codec import from_image, from_item, to_item, to_value, update_expression


def test_round_trip_of_a_nested_item() -> None:
    data = {
        "customer_id": "c1",
        "orders": 3,
        "spent": 45_000,
        "ratio": 0.25,
        "negative": -7,
        "big": 12_345_678_901_234_567,
        "active": True,
        "erased": False,
        "interests": ["tea", "books"],
        "consents": {"marketing": True, "greetings": False},
        "rfm": {
            "r": 5,
            "f": 3,
            "m": 4,
            "segment": "champions",
            "scores": [1, 2.5, {"deep": [True]}],
        },
        "empty_list": [],
        "empty_map": {},
        "name": "安娜",
    }
    assert from_item(to_item(data)) == data


def test_round_trip_keeps_number_types() -> None:
    back = from_item(to_item({"i": 3, "f": 0.1, "nested": {"i": 2, "f": 2.5}, "l": [1, 1.5]}))
    assert type(back["i"]) is int
    assert type(back["f"]) is float and back["f"] == 0.1
    assert type(back["nested"]["i"]) is int
    assert type(back["nested"]["f"]) is float
    assert [type(x) for x in back["l"]] == [int, float]


def test_booleans_stay_booleans() -> None:
    item = to_item({"yes": True, "no": False})
    assert item == {"yes": {"BOOL": True}, "no": {"BOOL": False}}
    back = from_item(item)
    assert back["yes"] is True and back["no"] is False


def test_serialized_shapes() -> None:
    item = to_item({"s": "x", "n": 5, "f": 1.5, "l": [1, "a"], "m": {"k": 0.1}})
    assert item == {
        "s": {"S": "x"},
        "n": {"N": "5"},
        "f": {"N": "1.5"},
        "l": {"L": [{"N": "1"}, {"S": "a"}]},
        "m": {"M": {"k": {"N": "0.1"}}},
    }


def test_floats_are_written_without_binary_noise() -> None:
    assert to_value(0.1) == {"N": "0.1"}
    assert to_value(2.675) == {
        "N": "2.675"
    }  # not 2.67499999999999982236431605997495353221893310546875


def test_tuples_are_written_as_lists() -> None:
    assert from_item(to_item({"t": ("a", 1)})) == {"t": ["a", 1]}


def test_none_is_dropped_at_the_top_level_only() -> None:
    item = to_item({"a": 1, "gone": None, "nested": {"kept": None}, "list": [None]})
    assert "gone" not in item
    assert item["nested"] == {"M": {"kept": {"NULL": True}}}
    assert item["list"] == {"L": [{"NULL": True}]}
    assert from_item(item) == {"a": 1, "nested": {"kept": None}, "list": [None]}


def test_whole_float_reads_back_as_int() -> None:
    assert from_item(to_item({"x": 2.0})) == {"x": 2}
    assert type(from_item(to_item({"x": 2.0}))["x"]) is int


def test_from_image_converts_decimals() -> None:
    image = {
        "n": Decimal("3"),
        "f": Decimal("2.5"),
        "m": {"l": [Decimal("1"), "s"]},
        "ss": {"a", "b"},
    }
    assert from_image(image) == {"n": 3, "f": 2.5, "m": {"l": [1, "s"]}, "ss": {"a", "b"}}
    assert type(from_image(image)["n"]) is int


def test_string_and_number_sets_read_back_as_sets() -> None:
    assert from_item({"tags": {"SS": ["a", "b"]}}) == {"tags": {"a", "b"}}
    assert from_item({"nums": {"NS": ["1", "2.5"]}}) == {"nums": {1, 2.5}}


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9).filter(
        lambda x: x == 0 or abs(x) > 1e-9
    )
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    max_leaves=8,
)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=5))
def test_round_trip_of_any_json_document(data: dict[str, Any]) -> None:
    expected = {key: value for key, value in data.items() if value is not None}
    assert from_item(to_item(data)) == expected


# --- update expressions -----------------------------------------------------------------


def test_update_expression_set_only() -> None:
    expression, names, values = update_expression({"name": "Ana", "version": 4})
    assert expression == "SET #u0 = :u0, #u1 = :u1"
    assert names == {"#u0": "name", "#u1": "version"}
    assert values == {":u0": {"S": "Ana"}, ":u1": {"N": "4"}}


def test_update_expression_remove_only() -> None:
    expression, names, values = update_expression({"phone": None, "birthday": None})
    assert expression == "REMOVE #u0, #u1"
    assert names == {"#u0": "phone", "#u1": "birthday"}
    assert values == {}


def test_update_expression_set_and_remove() -> None:
    expression, names, values = update_expression(
        {"name": "Ana", "phone": None, "consents": {"marketing": True}, "score": 0.5}
    )
    assert expression == "SET #u0 = :u0, #u2 = :u2, #u3 = :u3 REMOVE #u1"
    assert names == {"#u0": "name", "#u1": "phone", "#u2": "consents", "#u3": "score"}
    assert values == {
        ":u0": {"S": "Ana"},
        ":u2": {"M": {"marketing": {"BOOL": True}}},
        ":u3": {"N": "0.5"},
    }


@pytest.mark.parametrize("reserved", ["name", "status", "size", "ttl", "a.b", "with space", "#x"])
def test_every_attribute_name_goes_through_a_placeholder(reserved: str) -> None:
    expression, names, _ = update_expression({reserved: 1})
    assert reserved not in expression
    assert names == {"#u0": reserved}


def test_update_expression_falsy_values_are_set_not_removed() -> None:
    expression, _, values = update_expression({"points": 0, "flag": False, "text": "", "list": []})
    assert expression == "SET #u0 = :u0, #u1 = :u1, #u2 = :u2, #u3 = :u3"
    assert values == {
        ":u0": {"N": "0"},
        ":u1": {"BOOL": False},
        ":u2": {"S": ""},
        ":u3": {"L": []},
    }
