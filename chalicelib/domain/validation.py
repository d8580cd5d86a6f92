"""Field validators shared by every payload the API accepts.

Each validator takes the raw value and the field's name (a dotted path such as
``consents.marketing``) and returns the normalized value or raises
:class:`~chalicelib.domain.exceptions.InvalidInput` naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.times import TimeBounds
from chalicelib.domain.vocabulary import LANGUAGES

EMAIL_REFUSED = (
    "{field} is not a deliverable address: it must look like name@example.com, "
    "with no accented or non-Latin letters before the @"
)
"""Our words for any address refused (never the validator's own English)."""
_PHONE_STRIP = re.compile(r"[\s\-().]")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")


def reject_unknown(payload: Mapping[str, Any], allowed: Iterable[str], prefix: str = "") -> None:
    """Raise for the first key of ``payload`` that is not in ``allowed``."""
    allowed_set = set(allowed)
    for key in payload:
        if key not in allowed_set:
            raise InvalidInput(f"unknown field '{prefix}{key}'", f"{prefix}{key}")


def require_object(value: Any, field: str | None = None) -> dict[str, Any]:
    """Return ``value`` if it is a JSON object."""
    if not isinstance(value, dict):
        raise InvalidInput("expected a JSON object", field)
    return value


def identifier(value: Any, field: str) -> str:
    """An opaque id from the store: 1 to 128 letters, digits and ``._:-``."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise InvalidInput(
            f"{field} must be 1 to 128 characters of letters, digits and . _ : -", field
        )
    return value


def text(value: Any, field: str, max_length: int = 200) -> str:
    """A trimmed, NFC-normalized string of at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a string", field)
    cleaned = unicodedata.normalize("NFC", value).strip()
    if not cleaned:
        raise InvalidInput(f"{field} must not be empty", field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"{field} must be at most {max_length} characters", field)
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise InvalidInput(f"{field} must not contain control characters", field)
    return cleaned


def paragraphs(value: Any, field: str, max_length: int = 5000) -> str:
    """Like :func:`text`, for words written in a box: line breaks kept (``\\r\\n`` read as
    ``\\n``), every other control character refused."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a string", field)
    lines = value.replace("\r\n", "\n").split("\n")
    kept = [text(line, field, max_length) if line.strip() else "" for line in lines]
    joined = "\n".join(kept).strip()
    if not joined:
        raise InvalidInput(f"{field} must not be empty", field)
    if len(joined) > max_length:
        raise InvalidInput(f"{field} must be at most {max_length} characters", field)
    return joined


def email(value: Any, field: str = "email") -> str:
    """An address SES can deliver to, normalized (lower case) for uniqueness.

    SES takes ASCII addresses only: an internationalized domain is stored in its IDNA
    form (``ana@例子.广告`` becomes ``ana@xn--fsqu00a.xn--4rr70v``), and a
    non-ASCII local part (``josé@…``, which needs SMTPUTF8) is refused.
    """
    if not isinstance(value, str):
        raise InvalidInput("email must be a string", field)
    from email_validator import EmailNotValidError, validate_email  # 30 ms: not at cold start

    try:
        result = validate_email(value.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidInput(EMAIL_REFUSED.format(field=field), field) from None
    return str(result.ascii_email).lower()


def phone(value: Any, field: str = "phone") -> str:
    """A phone number in E.164 form (``+`` and 7 to 15 digits; spaces and dashes ignored)."""
    if not isinstance(value, str):
        raise InvalidInput("phone must be a string", field)
    compact = _PHONE_STRIP.sub("", value)
    if not _E164.fullmatch(compact):
        raise InvalidInput("phone must be in international form, e.g. +8613800138000", field)
    return compact


def birthday(value: Any, today: date, field: str = "birthday") -> str:
    """``YYYY-MM-DD`` (a real date, not in the future) or ``--MM-DD`` (year unknown)."""
    if not isinstance(value, str):
        raise InvalidInput("birthday must be a string: YYYY-MM-DD or --MM-DD", field)
    if value.startswith("--"):
        if not re.fullmatch(r"--[0-9]{2}-[0-9]{2}", value):
            raise InvalidInput("birthday must be YYYY-MM-DD or --MM-DD", field)
        try:
            date(2000, int(value[2:4]), int(value[5:7]))  # 2000 is a leap year
        except (ValueError, IndexError):
            raise InvalidInput("birthday is not a real day of the year", field) from None
        return value
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise InvalidInput("birthday must be YYYY-MM-DD or --MM-DD", field)
    try:
        born = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("birthday is not a real date", field) from None
    if born > today:
        raise InvalidInput("birthday is in the future", field)
    if born.year < today.year - 130:
        raise InvalidInput("birthday is more than 130 years ago", field)
    return value


def locale(value: Any, field: str = "locale") -> str:
    """One of the supported locales (``zh-CN``, ``en``)."""
    if value not in LANGUAGES:
        raise InvalidInput(f"locale must be one of {', '.join(LANGUAGES)}", field)
    return str(value)


def time_zone(value: Any, field: str = "time_zone") -> str:
    """An IANA time zone name such as ``Asia/Shanghai``."""
    if not isinstance(value, str) or not value:
        raise InvalidInput("time_zone must be an IANA name such as Asia/Shanghai", field)
    if value not in _known_zones():
        raise InvalidInput(f"time_zone '{value[:64]}' is not a known IANA zone", field)
    return value


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - {"localtime", "posixrules", "Factory"}


def choice(value: Any, options: Iterable[str], field: str) -> str:
    """One of ``options``."""
    options = tuple(options)
    if value not in options:
        raise InvalidInput(f"{field} must be one of {', '.join(options)}", field)
    return str(value)


def boolean(value: Any, field: str) -> bool:
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true or false", field)
    return value


def string_list(
    value: Any, field: str, max_items: int = 20, max_length: int = 50
) -> tuple[str, ...]:
    """A list of distinct short strings, order kept."""
    if not isinstance(value, list):
        raise InvalidInput(f"{field} must be a list of strings", field)
    if len(value) > max_items:
        raise InvalidInput(f"{field} must have at most {max_items} items", field)
    seen: dict[str, None] = {}
    for index, item in enumerate(value):
        seen[text(item, f"{field}[{index}]", max_length)] = None
    return tuple(seen)


def timestamp(value: Any, field: str, bounds: TimeBounds | None) -> datetime:
    """An ISO 8601 date-time with a time zone, inside ``bounds`` (the time of a fact).

    ``bounds`` is ``None`` only for a time read back from storage (accepted earlier).
    """
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be an ISO 8601 date-time", field)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise InvalidInput(f"{field} must be an ISO 8601 date-time", field) from None
    if parsed.utcoffset() is None:
        raise InvalidInput(f"{field} must include a time zone offset", field)
    return parsed if bounds is None else bounds.fact(parsed, field)


def moment_or_day(value: Any, field: str) -> datetime:
    """An ISO 8601 date-time with an offset, or a date ``YYYY-MM-DD`` meaning the start of
    that day in UTC (a job's ``as_of``)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return datetime.combine(day(value, field), time.min, tzinfo=UTC)
    return timestamp(value, field, None)


def day(value: Any, field: str) -> date:
    """A calendar date ``YYYY-MM-DD``."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD)", field)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD)", field) from None
