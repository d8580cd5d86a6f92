"""The words of the support letters: the automatic reply and a person's answer, both languages."""

from __future__ import annotations

import pytest

from tests.unit.mail.letters import ANSWERS, LETTERS, NAMES, ORDER_ID, QUESTIONS, TICKET_ID, Letter
from tests.unit.mail.test_every_letter import parts

AUTO = [letter for letter in LETTERS if letter.template == "support_auto_reply"]
REPLIES = [letter for letter in LETTERS if letter.template == "support_reply"]


def sample(locale: str, label: str) -> Letter:
    return next(item for item in AUTO if item.locale == locale and item.label == label)


def test_both_letters_are_sampled_in_both_languages() -> None:
    assert {(letter.template, letter.locale) for letter in AUTO + REPLIES} == {
        (template, locale)
        for template in ("support_auto_reply", "support_reply")
        for locale in ("en", "zh-CN")
    }


@pytest.mark.parametrize("letter", AUTO, ids=[letter.id for letter in AUTO])
def test_the_auto_reply_greets_quotes_and_promises(letter: Letter) -> None:
    subject, _ = QUESTIONS[letter.locale]
    promise = letter.context["promise"]
    for part in ("text", "html"):
        words = parts(letter)[part]
        assert NAMES[letter.locale] in words
        assert subject in words
        assert promise in words
        assert TICKET_ID in words
        assert (ORDER_ID in words) == (letter.context["order_id"] is not None)
    assert subject in letter.mail.subject


def test_the_english_auto_reply_reads_like_a_person_wrote_it() -> None:
    letter = sample("en", "auto-in-three-days-order-o-1001")
    text = letter.mail.text
    assert "Dear Ana," in text
    assert '"Where is my tea?" (about your order o-1001)' in text
    assert (
        "A person from our team will read it and answer you by Monday 16:30 (your local time)."
        in text
    )
    assert "sooner" not in text  # nothing the rule did not compute


def test_the_chinese_auto_reply_says_when_in_chinese() -> None:
    letter = sample("zh-CN", "auto-in-three-days-order-o-1001")
    text = letter.mail.text
    assert "亲爱的安娜：" in text
    assert "“我的茶叶到哪儿了？”（关于您的订单 o-1001）" in text
    assert "并在周一 16:30 前（按您当地时间）给您答复。" in text
    far = sample("zh-CN", "auto-far-order-o-1001")
    assert "11 月 29 日周日 16:30 前" in far.mail.text


@pytest.mark.parametrize("letter", REPLIES, ids=[letter.id for letter in REPLIES])
def test_the_answer_quotes_the_question(letter: Letter) -> None:
    _, body = QUESTIONS[letter.locale]
    text = letter.mail.text
    for paragraph in ANSWERS[letter.locale].split("\n\n"):
        assert paragraph in text
        assert paragraph in parts(letter)["html"]
    for line in body.splitlines():
        assert f"> {line}".rstrip() in text
    assert letter.mail.subject.endswith(QUESTIONS[letter.locale][0])
    settled = "settled" in text or "已经解决" in text
    assert settled == letter.context["closed"]


def test_the_welcome_letter_promises_what_the_auto_reply_does() -> None:
    welcome = {item.locale: item.mail.text for item in LETTERS if item.template == "welcome"}
    assert "and we will tell you at once when to expect a full answer." in welcome["en"]
    assert "我们会马上告诉您多久能给您完整的答复。" in welcome["zh-CN"]
