"""Every letter, in both languages, with every value of every vocabulary: the words.

- text parts keep each line and paragraph of their template on its own line;
- zh-CN letters leak no English (only URLs, addresses, codes and a few proper nouns),
  use full-width punctuation next to Chinese, and space Latin words consistently;
- carriers are named by the carrier that carries the parcel, in the reader's language;
- the tier letter and the shipped letter say what the facts say.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from chalicelib.domain.carriers import CARRIER_NAMES
from chalicelib.domain.vocabulary import GIFT_OCCASIONS, PAYMENT_METHODS
from chalicelib.mail.render import CJK, TEMPLATE_DIR
from tests.unit.mail.letters import CODES, LETTERS, SETTINGS, Letter

ZH = [letter for letter in LETTERS if letter.locale == "zh-CN"]
EN = [letter for letter in LETTERS if letter.locale == "en"]
PROPER_NOUNS = ("Rapport", "UPS", "EMS", "DHL")
"""Latin words a Chinese letter may carry: the store's brand and carriers' own names."""


def ids(letters: list[Letter]) -> list[str]:
    return [letter.id for letter in letters]


def visible_html(html: str) -> str:
    """The words of an HTML part as a reader sees them (no tags, styles or entities)."""
    body = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    body = re.sub(r"<(br|/?(p|li|td|th|tr|div|ul|table|title)\b)[^>]*>", "\n", body)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", body))


def parts(letter: Letter) -> dict[str, str]:
    return {
        "subject": letter.mail.subject,
        "text": letter.mail.text,
        "html": visible_html(letter.mail.html),
    }


def test_every_template_is_sampled_in_both_languages() -> None:
    templates = {path.name for path in TEMPLATE_DIR.iterdir() if path.is_dir()}
    for locale in ("en", "zh-CN"):
        assert {letter.template for letter in LETTERS if letter.locale == locale} == templates


# --- text parts: no lines run together ---------------------------------------------------

_LEADING_TAGS = re.compile(r"^(\{%.*?%\})+")


def literal_line_starts(source: str) -> list[tuple[str, bool]]:
    """(first words, follows a blank line) of each template line that starts with words."""
    starts: list[tuple[str, bool]] = []
    previous_blank = False
    for line in source.splitlines():
        stripped = _LEADING_TAGS.sub("", line.strip()).strip()
        head = re.split(r"\{[{%]", stripped, maxsplit=1)[0].strip()
        if len(head) >= 4:
            starts.append((head, previous_blank))
        previous_blank = not line.strip()
    return starts


@pytest.mark.parametrize("letter", LETTERS, ids=ids(LETTERS))
def test_text_part_keeps_the_templates_lines_apart(letter: Letter) -> None:
    source = (TEMPLATE_DIR / letter.template / f"{letter.locale}.txt.j2").read_text()
    text = letter.mail.text
    for head, after_blank in literal_line_starts(source):
        for found in re.finditer(re.escape(head), text):
            before = text[: found.start()].rstrip(" ")
            assert before == "" or before.endswith("\n"), (
                f"run together: {text[found.start() - 30 : found.end()]!r}"
            )
            if after_blank and before:
                assert before.endswith("\n\n"), f"paragraph lost before {head!r}"


def test_return_acknowledgement_lists_items_and_reason_on_their_own_lines() -> None:
    letter = next(item for item in EN if item.label == "return-refund")
    assert (
        "  - 1 x Dragon Well tea 100g\nReason you gave: The box was damaged\n" in letter.mail.text
    )


# --- zh-CN: no English, full-width punctuation, consistent spacing ------------------------

_ALLOWED = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|"
    + "|".join(re.escape(word) for word in (*CODES, *PROPER_NOUNS))
)


@pytest.mark.parametrize("letter", ZH, ids=ids(ZH))
def test_chinese_letter_leaks_no_english(letter: Letter) -> None:
    for part, words in parts(letter).items():
        leftover = _ALLOWED.sub("", words)
        leaked = re.findall(r"[A-Za-z][A-Za-z ]*", leftover)
        assert not leaked, f"{part}: {leaked}"


@pytest.mark.parametrize("letter", ZH, ids=ids(ZH))
def test_chinese_letter_uses_full_width_punctuation(letter: Letter) -> None:
    for part, words in parts(letter).items():
        half = re.findall(f"[{CJK}][(),.:;!?]|[(),.:;!?][{CJK}]", words)
        assert not half, f"{part}: {half}"


@pytest.mark.parametrize("letter", ZH, ids=ids(ZH))
def test_chinese_letter_spaces_latin_words_consistently(letter: Letter) -> None:
    for part, words in parts(letter).items():
        assert not re.findall(f"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]", words), part
        assert not re.findall(f"[{CJK}] +[{CJK}]", words), part


# --- vocabularies -------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_payment_method_and_occasion_is_in_the_readers_words(locale: str) -> None:
    confirmations = [
        item for item in LETTERS if item.locale == locale and item.template == "order_confirmation"
    ]
    for method, words in PAYMENT_METHODS[locale].items():
        letter = next(item for item in confirmations if item.label == f"pay-{method}")
        assert words in letter.mail.text
        assert words in visible_html(letter.mail.html)
    for occasion, words in GIFT_OCCASIONS[locale].items():
        letter = next(item for item in confirmations if item.label == f"gift-{occasion}")
        assert words in letter.mail.text
        assert occasion not in letter.mail.text or locale == "en"


def test_the_gift_reads_as_a_sentence() -> None:
    zh = next(item for item in ZH if item.label == "gift-birthday")
    assert "我们注意到这是一份生日礼物。" in zh.mail.text
    en = next(item for item in EN if item.label == "gift-anniversary")
    assert "We noted that this is an anniversary gift." in en.mail.text


SHIPMENTS = [letter for letter in LETTERS if "carrier" in letter.context]


@pytest.mark.parametrize("letter", SHIPMENTS, ids=ids(SHIPMENTS))
def test_no_letter_names_an_aggregator(letter: Letter) -> None:
    for words in parts(letter).values():
        for aggregator in ("kuaidi100", "aftership", "easypost"):
            assert aggregator not in words.casefold()


@pytest.mark.parametrize(("locale", "name"), [("en", "SF Express"), ("zh-CN", "顺丰速运")])
def test_kuaidi100_parcels_are_named_by_the_carrier_that_carries_them(
    locale: str, name: str
) -> None:
    for kind in (
        "shipped",
        "attempt_failed",
        "exception",
        "out_for_delivery",
        "available_for_pickup",
    ):
        letter = next(
            item for item in LETTERS
            if (item.template, item.locale, item.label) == (kind, locale, "kuaidi100-shunfeng")
        )  # fmt: skip
        assert name in letter.mail.text, kind
        assert name in visible_html(letter.mail.html), kind


def test_every_carrier_name_reaches_the_letters() -> None:
    for locale, names in CARRIER_NAMES.items():
        shipped = " ".join(item.mail.text for item in SHIPMENTS if item.locale == locale)
        for name in names.values():
            assert name in shipped


def test_an_unknown_carrier_is_the_carrier_in_words() -> None:
    en = next(item for item in EN if (item.template, item.label) == ("shipped", "kuaidi100-None"))
    assert "is now with the carrier." in en.mail.text
    zh = next(item for item in ZH if (item.template, item.label) == ("shipped", "kuaidi100-None"))
    assert "现在由快递公司负责运送。" in zh.mail.text


def test_chinese_carrier_names_sit_between_chinese_words_without_spaces() -> None:
    zh = next(
        item for item in ZH if (item.template, item.label) == ("shipped", "kuaidi100-shunfeng")
    )
    assert "现在由顺丰速运负责运送。" in zh.mail.text
    ups = next(item for item in ZH if (item.template, item.label) == ("shipped", "ups-None"))
    assert "现在由 UPS 负责运送。" in ups.mail.text


# --- the facts: tier promotion, promised delivery -----------------------------------------


def tier(locale: str, label: str) -> str:
    letter = next(
        item for item in LETTERS
        if (item.template, item.locale, item.label) == ("tier_promotion", locale, label)
    )  # fmt: skip
    return letter.mail.text + visible_html(letter.mail.html)


def test_a_promotion_after_one_order_thanks_for_that_order() -> None:
    en = tier("en", "tier-1-orders-1-to-2")
    assert "so often" not in en
    assert "Thank you for your first order" in en
    assert "感谢您的第一笔订单" in tier("zh-CN", "tier-1-orders-1-to-2")
    assert "Thank you for the 4 orders you have placed with us" in tier(
        "en", "tier-4-orders-2-to-3"
    )
    assert "感谢您在我们这里下的 4 笔订单" in tier("zh-CN", "tier-4-orders-2-to-3")


def test_more_points_are_promised_only_when_the_multiplier_grows() -> None:
    same = tier("en", "tier-1-orders-1-to-2")  # tiers 1 and 2 both earn 1x by default
    assert "more points" not in same and "times the points" not in same
    assert "the same rate" in same
    assert "照常累积积分" in tier("zh-CN", "tier-1-orders-1-to-2")
    grown = tier("en", "tier-4-orders-2-to-3")
    assert "every order earns you 1.25 times the points (it was 1 times)" in grown
    assert "每笔订单可获得 1.5 倍积分（之前是 1 倍）" in tier("zh-CN", "tier-9-orders-1-to-4")


def shipped(locale: str, eta: str | None, promised: str | None) -> str:
    label = f"eta-{eta}-promised-{promised}"
    letter = next(
        item for item in LETTERS
        if (item.template, item.locale, item.label) == ("shipped", locale, label)
    )  # fmt: skip
    return letter.mail.text


def test_the_shipped_letter_tells_the_promised_delivery_date() -> None:
    assert "It should reach you by 2026-11-24, the date we promised you." in shipped(
        "en", None, "2026-11-24"
    )
    assert "按我们的承诺，包裹将在 2026-11-24 前送达。" in shipped("zh-CN", None, "2026-11-24")
    on_time = shipped("en", "2026-11-23", "2026-11-24")
    assert "expects to deliver it on 2026-11-23." in on_time
    assert "later than" not in on_time
    late = shipped("en", "2026-11-25", "2026-11-24")
    assert "That is later than the 2026-11-24 we promised you" in late
    assert "这比我们承诺的 2026-11-24 晚" in shipped("zh-CN", "2026-11-25", "2026-11-24")
    unknown = shipped("en", None, None)
    assert "as soon as the parcel is sorted" in unknown


def test_store_defaults_are_what_the_samples_use() -> None:
    assert SETTINGS.store_name_zh.startswith("Rapport")  # the brand is the one Latin word allowed


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_a_promotion_queued_before_the_facts_were_recorded_stays_true(locale: str) -> None:
    """A message queued by the previous release (tiers only) renders without a claim."""
    from chalicelib.mail.render import render
    from chalicelib.services.mail_context import store_context

    store = store_context(SETTINGS, locale)
    context = {"old_tier": 1, "new_tier": 2, "name": None, "lang": locale, "store": store,
               "preferences_url": "http://x/p"}  # fmt: skip
    text = render("tier_promotion", locale, context).text
    for claim in (
        "so often",
        "first order",
        "same rate",
        "times the points",
        "第一笔",
        "照常",
        "倍积分",
    ):
        assert claim not in text
