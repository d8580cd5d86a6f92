"""No letter promises what nothing does; the words that replaced such promises are there.

- no mail follows an exception when the parcel moves on (``mail_kind`` sends none for
  ``exception`` -> ``in_transit``), so the exception letter points to the tracking page;
- no refund letter exists, so the return letter does not promise one;
- the tracking page shows the failed attempt, not the next one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.tracking_publish import Transition, mail_kind
from tests.unit.mail.letters import LETTERS, Letter
from tests.unit.mail.test_every_letter import ids, parts

UNKEPT = {
    "en": ("write again as soon as it moves", "write to confirm", "next attempt"),
    "zh-CN": ("一有进展，我们会立即告诉您", "写信确认", "下次派送"),
}
KEPT = {
    (
        "exception",
        "en",
    ): "Each new step shows on the tracking page as soon as the carrier reports it.",
    ("exception", "zh-CN"): "快递公司每报告一步新进展，追踪页面都会随即更新。",
    (
        "return_ack",
        "en",
    ): "If it has not arrived by then, reply to this letter and we will look into it.",
    ("return_ack", "zh-CN"): "如果到时还没有收到，请直接回复这封信，我们会帮您查。",
    ("attempt_failed", "en"): "See the delivery attempt",
    ("attempt_failed", "zh-CN"): "查看派送记录",
}


def words(letter: Letter) -> str:
    return " ".join(parts(letter).values())


@pytest.mark.parametrize("letter", LETTERS, ids=ids(LETTERS))
def test_no_letter_promises_a_letter_or_a_page_that_does_not_exist(letter: Letter) -> None:
    text = words(letter)
    for phrase in UNKEPT[letter.locale]:
        assert phrase not in text, phrase


@pytest.mark.parametrize(("template", "locale"), sorted(KEPT))
def test_the_true_sentence_is_in_every_sample_of_its_letter(template: str, locale: str) -> None:
    samples = [
        letter
        for letter in LETTERS
        if (letter.template, letter.locale) == (template, locale)
        and (template != "return_ack" or "exchange" not in letter.id)
    ]
    assert samples
    for letter in samples:
        assert KEPT[(template, locale)] in words(letter), letter.id


def test_no_mail_follows_an_exception_when_the_parcel_moves_on() -> None:
    moved = Transition("in_transit", "exception", datetime(2026, 11, 20, tzinfo=UTC), None, False)
    assert mail_kind(moved) is None
