"""The welcome letter rendered in both languages, and its MIME assembly."""

from __future__ import annotations

import email
import html as html_lib
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from chalicelib.adapters.signer import HmacLinkSigner
from chalicelib.domain.messages import welcome
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import HelpLink, StoreSettings
from chalicelib.mail.mime import build_mime
from chalicelib.mail.render import RenderedMail, render
from chalicelib.services.mail_context import template_context

NOW = datetime(2024, 6, 15, 8, 30, tzinfo=UTC)
BASE_URL = "https://crm.shop.example"
SIGNER = HmacLinkSigner(b"unit-test-secret-0123456789")
SETTINGS = StoreSettings(
    store_name="Tea House",
    store_name_zh="茶馆",
    support_email="help@tea.example",
    help_links=(
        HelpLink("Help centre", "帮助中心", "https://tea.example/help"),
        HelpLink("Returns & exchanges", "退换货", "https://tea.example/help/returns?x=1&y=2"),
        HelpLink("Track an order", "查询订单", "https://tea.example/orders"),
    ),
)
PRIVACY = {
    "en": "Our promise about your information",
    "zh-CN": "关于您的资料，我们的承诺",
}
GREETING = {
    ("en", True): "Dear {name},",
    ("en", False): "Hello,",
    ("zh-CN", True): "亲爱的 {name}：",
    ("zh-CN", False): "您好：",
}


def context(locale: str, name: str | None, settings: StoreSettings = SETTINGS) -> dict[str, Any]:
    profile = Profile(
        customer_id="c-1",
        email="ana@example.com",
        created_at="2024-06-15T08:30:00.000Z",
        updated_at="2024-06-15T08:30:00.000Z",
        name=name,
        locale=locale,
    )
    return template_context(
        welcome(profile, "2024-06-15T08:30:00.000Z", None), settings, BASE_URL, SIGNER, NOW
    )


def welcome_mail(locale: str, name: str | None = "Ana") -> tuple[RenderedMail, dict[str, Any]]:
    ctx = context(locale, name)
    return render("welcome", locale, ctx), ctx


LOCALES = ["en", "zh-CN"]


@pytest.mark.parametrize("locale", LOCALES)
def test_greets_by_name(locale: str) -> None:
    mail, _ = welcome_mail(locale, "Ana")
    greeting = GREETING[(locale, True)].format(name="Ana")
    assert mail.text.startswith(greeting)
    assert greeting in mail.html
    assert "Ana" in mail.subject


@pytest.mark.parametrize("locale", LOCALES)
def test_greets_without_a_name(locale: str) -> None:
    mail, _ = welcome_mail(locale, None)
    greeting = GREETING[(locale, False)]
    assert mail.text.startswith(greeting)
    assert greeting in mail.html
    assert "None" not in mail.text
    assert "None" not in mail.html
    assert "None" not in mail.subject
    assert not mail.subject.startswith(("，", ","))


@pytest.mark.parametrize(("locale", "store"), [("en", "Tea House"), ("zh-CN", "茶馆")])
def test_store_name_in_subject_text_and_html(locale: str, store: str) -> None:
    mail, _ = welcome_mail(locale)
    assert store in mail.subject
    assert store in mail.text
    assert store in mail.html


@pytest.mark.parametrize(("locale", "other"), [("en", "茶馆"), ("zh-CN", "Tea House")])
def test_the_other_languages_store_name_is_not_used(locale: str, other: str) -> None:
    mail, _ = welcome_mail(locale)
    assert other not in mail.subject
    assert other not in mail.text


@pytest.mark.parametrize("locale", LOCALES)
def test_support_address(locale: str) -> None:
    mail, _ = welcome_mail(locale)
    assert "help@tea.example" in mail.text
    assert 'href="mailto:help@tea.example"' in mail.html


@pytest.mark.parametrize("locale", LOCALES)
def test_support_hours_and_about_in_the_readers_language(locale: str) -> None:
    mail, _ = welcome_mail(locale)
    hours = SETTINGS.support_hours_zh if locale == "zh-CN" else SETTINGS.support_hours_en
    about = SETTINGS.about_zh if locale == "zh-CN" else SETTINGS.about_en
    assert hours in mail.text
    assert about in mail.text
    assert html_lib.escape(about, quote=False) in mail.html


@pytest.mark.parametrize("locale", LOCALES)
def test_every_help_link(locale: str) -> None:
    mail, _ = welcome_mail(locale)
    for link in SETTINGS.help_links:
        label = link.label_zh if locale == "zh-CN" else link.label_en
        assert label in mail.text
        assert link.url in mail.text
        assert f'href="{html_lib.escape(link.url)}"' in mail.html
        assert html_lib.escape(label, quote=False) in mail.html


@pytest.mark.parametrize("locale", LOCALES)
def test_link_list_follows_the_settings(locale: str) -> None:
    one_link = StoreSettings(help_links=(HelpLink("Only", "唯一", "https://x.example/only"),))
    mail = render("welcome", locale, context(locale, "Ana", one_link))
    assert "https://x.example/only" in mail.text
    assert "https://shop.example/help/returns" not in mail.text
    assert mail.html.count("<li>") == 1


@pytest.mark.parametrize("locale", LOCALES)
def test_privacy_promise(locale: str) -> None:
    mail, _ = welcome_mail(locale)
    assert PRIVACY[locale] in mail.text
    assert PRIVACY[locale] in mail.html


@pytest.mark.parametrize("locale", LOCALES)
def test_preference_link_is_signed_for_the_customer(locale: str) -> None:
    mail, ctx = welcome_mail(locale)
    url = ctx["preferences_url"]
    assert url.startswith(f"{BASE_URL}/v1/preferences?t=")
    assert url in mail.text
    assert f'href="{url}"' in mail.html
    token = url.split("?t=", 1)[1]
    assert SIGNER.verify("preferences", token, NOW) == "c-1"


@pytest.mark.parametrize("locale", LOCALES)
def test_html_declares_the_language(locale: str) -> None:
    mail, _ = welcome_mail(locale)
    assert mail.html.lstrip().startswith("<!DOCTYPE html>")
    assert f'<html lang="{locale}">' in mail.html


@pytest.mark.parametrize("locale", LOCALES)
def test_subject_is_one_line(locale: str) -> None:
    mail, _ = welcome_mail(locale)
    assert "\n" not in mail.subject
    assert mail.subject == mail.subject.strip()


@pytest.mark.parametrize("locale", LOCALES)
def test_name_is_escaped_in_html_but_not_in_text(locale: str) -> None:
    mail, _ = welcome_mail(locale, "<b>Ana</b>")
    assert "<b>Ana</b>" not in mail.html
    assert "&lt;b&gt;Ana&lt;/b&gt;" in mail.html
    assert "<b>Ana</b>" in mail.text
    assert "&lt;" not in mail.text


@pytest.mark.parametrize("locale", LOCALES)
def test_store_settings_are_escaped_in_html(locale: str) -> None:
    sneaky = StoreSettings(store_name="A & B <shop>", store_name_zh="A & B <shop>")
    mail = render("welcome", locale, context(locale, None, sneaky))
    assert "<shop>" not in mail.html
    assert "A &amp; B &lt;shop&gt;" in mail.html
    assert "A & B <shop>" in mail.text


def test_unknown_locale_falls_back_to_english() -> None:
    mail = render("welcome", "fr", context("en", "Ana"))
    assert mail.subject == render("welcome", "en", context("en", "Ana")).subject
    assert PRIVACY["en"] in mail.text


def test_subjects() -> None:
    assert welcome_mail("en")[0].subject == "Welcome to Tea House, Ana"
    assert welcome_mail("en", None)[0].subject == "Welcome to Tea House"
    assert welcome_mail("zh-CN")[0].subject == "Ana，欢迎来到茶馆"
    assert welcome_mail("zh-CN", None)[0].subject == "欢迎来到茶馆"


# --- MIME -------------------------------------------------------------------------------


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def mime(
    locale: str = "zh-CN", name: str | None = "安娜", **options: Any
) -> tuple[EmailMessage, RenderedMail]:
    mail, _ = welcome_mail(locale, name)
    raw = build_mime(
        mail,
        sender="help@tea.example",
        sender_name=SETTINGS.name_for(locale),
        recipient="ana@example.com",
        recipient_name=name,
        sent_at=NOW,
        **options,
    )
    assert isinstance(raw, bytes)
    return parse(raw), mail


def test_mime_is_text_then_html() -> None:
    message, mail = mime()
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in parts)
    assert parts[0].get_content() == mail.text
    assert parts[1].get_content() == mail.html


@pytest.mark.parametrize("locale", LOCALES)
def test_subject_round_trips(locale: str) -> None:
    message, mail = mime(locale)
    assert message["Subject"] == mail.subject


def test_chinese_subject_is_encoded_on_the_wire() -> None:
    mail, _ = welcome_mail("zh-CN", "安娜")
    raw = build_mime(mail, "help@tea.example", "茶馆", "ana@example.com", "安娜", NOW)
    head = raw.split(b"\n\n", 1)[0]
    assert all(byte < 128 for byte in head)  # RFC 2047 encoded words, no raw UTF-8 in headers
    assert parse(raw)["Subject"] == "安娜，欢迎来到茶馆"


def test_addresses_and_date() -> None:
    message, _ = mime()
    assert message["From"].addresses[0].addr_spec == "help@tea.example"
    assert message["From"].addresses[0].display_name == "茶馆"
    assert message["To"].addresses[0].addr_spec == "ana@example.com"
    assert message["To"].addresses[0].display_name == "安娜"
    assert message["Date"].datetime == NOW
    assert message["Message-ID"].endswith("@tea.example>")


def test_recipient_without_a_name() -> None:
    message, _ = mime(name=None)
    assert message["To"].addresses[0].addr_spec == "ana@example.com"
    assert message["To"].addresses[0].display_name == ""


def test_markup_in_a_recipient_name_stays_a_display_name() -> None:
    message, _ = mime("en", "<b>Ana</b>")
    assert message["To"].addresses[0].display_name == "<b>Ana</b>"
    assert message["To"].addresses[0].addr_spec == "ana@example.com"


def test_list_unsubscribe_offers_the_one_click_url_and_a_mailto() -> None:
    url = f"{BASE_URL}/v1/unsubscribe?t=abc.def"
    mailto = "mailto:unsubscribe@tea.example?subject=unsubscribe%20abc.def"
    message, _ = mime(unsubscribe=(url, mailto))
    assert message["List-Unsubscribe"] == f"<{url}>, <{mailto}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_list_unsubscribe_headers_without_a_url() -> None:
    message, _ = mime()
    assert "List-Unsubscribe" not in message
    assert "List-Unsubscribe-Post" not in message


def test_reply_to_and_extra_headers() -> None:
    message, _ = mime(reply_to="owner@tea.example", headers={"X-Rapport-Message": "c-1/welcome"})
    assert message["Reply-To"] == "owner@tea.example"
    assert message["X-Rapport-Message"] == "c-1/welcome"
    plain, _ = mime()
    assert "Reply-To" not in plain
