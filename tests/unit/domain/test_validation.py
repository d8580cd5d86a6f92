"""Field validators: what a caller gets back, and which field an error names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.times import TimeBounds

TODAY = date(2024, 6, 15)
BOUNDS = TimeBounds(datetime(2024, 6, 15, 12, tzinfo=UTC), timedelta(minutes=10))


def rejected(call, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return caught.value


# --- email ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("ana@example.com", "ana@example.com"),
        ("Ana@Example.COM", "ana@example.com"),
        ("  ana@example.com \n", "ana@example.com"),
        ("ANA.LI+shop@Mail.Example.org", "ana.li+shop@mail.example.org"),
        ("ana@例子.广告", "ana@xn--fsqu00a.xn--4rr70v"),
        ("Ana@Exämple.com", "ana@xn--exmple-cua.com"),
    ],
)
def test_email_is_normalized_to_lower_case_without_surrounding_space(
    raw: str, normalized: str
) -> None:
    assert v.email(raw) == normalized


def test_email_normalization_makes_case_variants_equal() -> None:
    assert v.email("Zhang.Wei@Example.com") == v.email("zhang.wei@EXAMPLE.COM")


def test_an_internationalized_domain_is_one_address_in_either_spelling() -> None:
    assert v.email("ana@exämple.com") == v.email("ana@xn--exmple-cua.com")


@pytest.mark.parametrize("raw", ["josé@exämple.com", "josé@example.com", "用户@例子.广告"])
def test_a_non_ascii_local_part_is_refused_as_undeliverable(raw: str) -> None:
    """SES cannot deliver to an SMTPUTF8 local part, so it is refused at the door."""
    error = rejected(v.email, raw)
    assert error.field == "email"
    assert "not a deliverable address" in str(error)


@pytest.mark.parametrize(
    "raw", ["no-at-sign", "ana@", "@example.com", "ana@@example.com", "ana@localhost", "josé@x.cn"]
)
def test_a_refused_address_gets_our_message_not_the_validators(raw: str) -> None:
    error = rejected(v.email, raw)
    assert (error.field, error.message) == (
        "email",
        "email is not a deliverable address: it must look like name@example.com, "
        "with no accented or non-Latin letters before the @",
    )


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ana",
        "ana@",
        "@example.com",
        "ana@@example.com",
        "ana example@example.com",
        "Ana <ana@example.com>",
        "ana@example",
        "ana\x00@example.com",
        "ana@exa\nmple.com",
        "ana@-example.com",
    ],
)
def test_email_rejects_malformed_addresses_naming_the_field(raw: str) -> None:
    assert rejected(v.email, raw).field == "email"


@pytest.mark.parametrize("raw", [None, 42, ["ana@example.com"], {"email": "a@b.c"}])
def test_email_rejects_non_strings(raw: object) -> None:
    assert rejected(v.email, raw).field == "email"


def test_email_error_names_the_field_it_was_given() -> None:
    assert rejected(v.email, "nope", "support_email").field == "support_email"


# --- phone ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+8613800138000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+86-138-0013-8000", "+8613800138000"),
        ("+1 (415) 555.2671", "+14155552671"),
        ("+44 20 7123 4567", "+442071234567"),
        ("+1234567", "+1234567"),  # 7 digits: the shortest accepted
        ("+123456789012345", "+123456789012345"),  # 15 digits: the longest E.164 allows
    ],
)
def test_phone_is_returned_in_compact_e164_form(raw: str, e164: str) -> None:
    assert v.phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",  # no country code
        "008613800138000",  # international prefix instead of +
        "+0123456789",  # country codes never start with 0
        "+123456",  # too short
        "+1234567890123456",  # 16 digits: too long
        "+86 138 0013 800x",
        "+86138001380OO",
        "++8613800138000",
        "",
        "+",
    ],
)
def test_phone_rejects_numbers_that_are_not_e164(raw: str) -> None:
    assert rejected(v.phone, raw).field == "phone"


@pytest.mark.parametrize("raw", [None, 8613800138000, ["+8613800138000"]])
def test_phone_rejects_non_strings(raw: object) -> None:
    assert rejected(v.phone, raw).field == "phone"


def _refused_or_ascii(raw: str) -> None:
    """Full-width or Arabic-Indic digits are either refused or turned into ASCII."""
    try:
        result = v.phone(raw)
    except InvalidInput as error:
        assert error.field == "phone"
    else:
        assert result == "+8613800138000"


@pytest.mark.parametrize("raw", ["+８６１３８００１３８０００", "+٨٦١٣٨٠٠١٣٨٠٠٠"])
def test_phone_never_returns_non_ascii_digits(raw: str) -> None:
    _refused_or_ascii(raw)


@pytest.mark.parametrize("raw", ["+8６１３８００１３８０００", "+8٦١٣٨٠٠١٣٨٠٠٠"])
def test_phone_never_returns_non_ascii_digits_after_the_first(raw: str) -> None:
    _refused_or_ascii(raw)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=10**6, max_value=10**15 - 1))
def test_phone_accepts_every_e164_number_unchanged(digits: int) -> None:
    number = f"+{digits}"  # 7 to 15 digits, the first not 0
    assert v.phone(number) == number


# --- birthday ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1990-01-31",
        "2000-02-29",  # leap year
        "1896-02-29",
        "2024-02-29",
        TODAY.isoformat(),  # born today
        "--12-31",
        "--01-01",
        "--02-29",  # year unknown: 29 February is a real day of some year
    ],
)
def test_birthday_accepts_real_days_and_returns_them_unchanged(raw: str) -> None:
    assert v.birthday(raw, TODAY) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "2023-02-29",  # not a leap year
        "1900-02-29",  # century, not a leap year
        "2023-02-30",
        "2023-04-31",
        "2023-13-01",
        "2023-00-10",
        "2023-01-00",
        "2023-01-32",
        "--02-30",
        "--04-31",
        "--13-01",
        "--00-01",
        "--01-00",
    ],
)
def test_birthday_rejects_impossible_dates(raw: str) -> None:
    assert rejected(v.birthday, raw, TODAY).field == "birthday"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1990",
        "1990-1-5",
        "90-01-05",
        "1990/01/05",
        "05-01-1990",
        "1990-01-05T00:00:00",
        "19900105",
        "-01-05",
        "--1-05",
        "--01-5",
        "--0105",
        "--01-05x",
        "---01-05",
        " 1990-01-05",
        "1990-01-05\n",
        "--01-05\n",
    ],
)
def test_birthday_rejects_other_formats(raw: str) -> None:
    assert rejected(v.birthday, raw, TODAY).field == "birthday"


@pytest.mark.parametrize("raw", [None, 19900105, date(1990, 1, 5)])
def test_birthday_rejects_non_strings(raw: object) -> None:
    assert rejected(v.birthday, raw, TODAY).field == "birthday"


def test_birthday_in_the_future_is_rejected() -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    error = rejected(v.birthday, tomorrow, TODAY)
    assert error.field == "birthday"
    assert "future" in error.message


def test_birthday_future_is_judged_against_the_given_day() -> None:
    assert v.birthday("2024-06-16", date(2024, 6, 16)) == "2024-06-16"
    assert rejected(v.birthday, "2024-06-16", date(2024, 6, 15)).field == "birthday"


def test_birthday_more_than_130_years_ago_is_rejected() -> None:
    assert v.birthday(f"{TODAY.year - 130}-01-01", TODAY) == f"{TODAY.year - 130}-01-01"
    assert rejected(v.birthday, f"{TODAY.year - 131}-12-31", TODAY).field == "birthday"


def test_birthday_error_uses_the_given_field_name() -> None:
    assert rejected(v.birthday, "2023-02-30", TODAY, "child.birthday").field == "child.birthday"


def test_year_unknown_birthday_with_non_ascii_digits_is_rejected() -> None:
    assert rejected(v.birthday, "--٠٢-٢٩", TODAY).field == "birthday"


# --- time zone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["UTC", "Asia/Shanghai", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata"],
)
def test_time_zone_accepts_iana_names(raw: str) -> None:
    assert v.time_zone(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Mars/Olympus_Mons",
        "asia/shanghai-typo",
        "/etc/passwd",
        "../../etc/passwd",
        "./UTC",
        "Asia/../UTC",
        "Asia//Shanghai",
        "Asia/Shang\x00hai",
        "zone.tab",
        "+08:00",
    ],
)
def test_time_zone_rejects_unknown_or_path_like_names(raw: str) -> None:
    assert rejected(v.time_zone, raw).field == "time_zone"


@pytest.mark.parametrize("raw", [None, 8, ["UTC"]])
def test_time_zone_rejects_non_strings(raw: object) -> None:
    assert rejected(v.time_zone, raw).field == "time_zone"


@pytest.mark.parametrize("raw", ["Asia", "America", "x" * 300])
def test_time_zone_rejects_directory_names_and_overlong_names(raw: str) -> None:
    assert rejected(v.time_zone, raw).field == "time_zone"


# --- locale, choice, boolean ------------------------------------------------------------


@pytest.mark.parametrize("raw", ["en", "zh-CN"])
def test_locale_accepts_supported_locales(raw: str) -> None:
    assert v.locale(raw) == raw


@pytest.mark.parametrize("raw", ["EN", "zh-cn", "zh", "fr", "", None, ["en"], 1])
def test_locale_rejects_everything_else(raw: object) -> None:
    assert rejected(v.locale, raw).field == "locale"


def test_choice_returns_one_of_the_options_and_names_the_field() -> None:
    assert v.choice("male", ("female", "male"), "gender") == "male"
    assert rejected(v.choice, "Male", ("female", "male"), "gender").field == "gender"


@pytest.mark.parametrize("flag", [True, False])
def test_boolean_accepts_json_booleans(flag: bool) -> None:
    assert v.boolean(flag, "consents.marketing") is flag


@pytest.mark.parametrize("raw", [1, 0, "true", "false", None, []])
def test_boolean_rejects_truthy_non_booleans(raw: object) -> None:
    assert rejected(v.boolean, raw, "consents.marketing").field == "consents.marketing"


# --- unknown fields, objects ------------------------------------------------------------


def test_reject_unknown_names_the_unknown_field() -> None:
    error = rejected(v.reject_unknown, {"email": "x", "nickname": "y"}, ("email",))
    assert error.field == "nickname"
    assert "nickname" in error.message


def test_reject_unknown_prefixes_the_field_path() -> None:
    error = rejected(v.reject_unknown, {"spam": True}, ("marketing",), prefix="consents.")
    assert error.field == "consents.spam"


def test_reject_unknown_accepts_known_and_empty_payloads() -> None:
    v.reject_unknown({"email": "x"}, ("email", "name"))
    v.reject_unknown({}, ())


@pytest.mark.parametrize("raw", [None, [], "x", 1])
def test_require_object_rejects_non_objects(raw: object) -> None:
    assert rejected(v.require_object, raw, "consents").field == "consents"


def test_require_object_returns_the_object() -> None:
    body = {"a": 1}
    assert v.require_object(body) is body


# --- identifiers ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["c1", "cust-00042", "shop:123", "a.b_c-d:e", "A" * 128])
def test_identifier_accepts_store_ids(raw: str) -> None:
    assert v.identifier(raw, "customer_id") == raw


@pytest.mark.parametrize(
    "raw", ["", "-c1", "c 1", "c/1", "A" * 129, "用户", "c1\t", None, 7, ["c1"]]
)
def test_identifier_rejects_other_values(raw: object) -> None:
    assert rejected(v.identifier, raw, "customer_id").field == "customer_id"


def test_identifier_rejects_a_trailing_newline() -> None:
    assert rejected(v.identifier, "c1\n", "customer_id").field == "customer_id"


# --- text and control characters --------------------------------------------------------


def test_text_is_trimmed_and_nfc_normalized() -> None:
    decomposed = "Jose\u0301"  # e + combining acute
    assert v.text(f"  {decomposed}  ", "name") == "Jos\u00e9"


@pytest.mark.parametrize(
    "raw", ["A\x00na", "A\x07na", "Ana\x1b[31m", "li\u0085ne", "a\x7fb", "a\nb"]
)
def test_text_rejects_control_characters(raw: str) -> None:
    error = rejected(v.text, raw, "name")
    assert error.field == "name"
    assert "control" in error.message


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_text_rejects_empty_after_trimming(raw: str) -> None:
    assert rejected(v.text, raw, "occupation").field == "occupation"


def test_text_length_limit_counts_characters() -> None:
    assert v.text("字" * 100, "name", 100) == "字" * 100
    assert rejected(v.text, "字" * 101, "name", 100).field == "name"


@pytest.mark.parametrize("raw", [None, 5, ["Ana"]])
def test_text_rejects_non_strings(raw: object) -> None:
    assert rejected(v.text, raw, "name").field == "name"


# --- string_list ------------------------------------------------------------------------


def test_string_list_keeps_order_and_drops_duplicates() -> None:
    assert v.string_list(["tea", " books ", "tea", "books"], "interests") == ("tea", "books")


def test_string_list_empty_is_an_empty_tuple() -> None:
    assert v.string_list([], "interests") == ()


def test_string_list_item_limit() -> None:
    assert len(v.string_list([f"i{n}" for n in range(20)], "interests")) == 20
    assert rejected(v.string_list, [f"i{n}" for n in range(21)], "interests").field == "interests"


def test_string_list_custom_limits() -> None:
    assert v.string_list(["ab", "cd"], "tags", max_items=2, max_length=2) == ("ab", "cd")
    assert rejected(v.string_list, ["a", "b", "c"], "tags", max_items=2).field == "tags"
    assert rejected(v.string_list, ["abc"], "tags", max_length=2).field == "tags[0]"


def test_string_list_item_length_limit_names_the_item() -> None:
    assert v.string_list(["x" * 50], "interests") == ("x" * 50,)
    assert rejected(v.string_list, ["ok", "x" * 51], "interests").field == "interests[1]"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (["ok", 3], "interests[1]"),
        (["ok", ""], "interests[1]"),
        ([None], "interests[0]"),
        (["a\x00b"], "interests[0]"),
        ("tea", "interests"),
        ({"tea": 1}, "interests"),
        (None, "interests"),
    ],
)
def test_string_list_errors_name_the_list_or_the_item(raw: object, field: str) -> None:
    assert rejected(v.string_list, raw, "interests").field == field


# --- timestamp --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("2024-05-01T20:00:00+08:00", datetime(2024, 5, 1, 12, tzinfo=UTC)),
        (
            "2024-05-01T12:00:00.250+00:00",
            datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC),
        ),
    ],
)
def test_timestamp_parses_iso_with_offset(raw: str, expected: datetime) -> None:
    parsed = v.timestamp(raw, "placed_at", BOUNDS)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    "raw", ["2024-05-01T12:00:00", "2024-05-01", "yesterday", "", None, 1714564800]
)
def test_timestamp_requires_an_offset_and_a_string(raw: object) -> None:
    assert rejected(v.timestamp, raw, "placed_at", BOUNDS).field == "placed_at"


def test_paragraphs_keep_line_breaks_and_refuse_other_control_characters() -> None:
    from chalicelib.domain.validation import paragraphs

    assert paragraphs("  One.\r\n\r\nTwo.  ", "text") == "One.\n\nTwo."
    for bad in ("\x07", "a\tb", "", "\n\n", 5):
        with pytest.raises(InvalidInput):
            paragraphs(bad, "text")
