"""The satisfaction survey page (one question, 1 to 5, and a comment), zh-CN and en.

The same page answers two links: the survey of one delivered parcel (sent with the
delivery letter) and the monthly survey of the customer's experience lately.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.settings import StoreSettings
from chalicelib.pages.render import page

SURVEY_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "How did we do?",
        "intro": "Your parcel {tracking} has arrived. How happy are you with your order "
        "and its delivery?",
        "scores": ["Very unhappy", "Unhappy", "Okay", "Happy", "Delighted"],
        "comment": "Anything you would like to tell us? (optional)",
        "send": "Send",
        "thanks": "Thank you! Your answer helps us do better.",
        "already": "You have already rated this delivery. Thank you!",
        "title_month": "How are we doing?",
        "intro_month": "How happy are you with us lately: what you ordered, its delivery "
        "and our answers to you?",
        "already_month": "You have already answered this month's survey. Thank you!",
    },
    "zh-CN": {
        "title": "您对这次购物满意吗？",
        "intro": "您的包裹 {tracking} 已经送达。您对这次的商品和配送满意吗？",
        "scores": ["很不满意", "不满意", "一般", "满意", "非常满意"],
        "comment": "还有什么想告诉我们的吗？（选填）",
        "send": "提交",
        "thanks": "谢谢您！您的意见会帮助我们做得更好。",
        "already": "您已经评价过这次配送，谢谢！",
        "title_month": "我们做得怎么样？",
        "intro_month": "最近在我们这里购物，您满意吗？商品、配送和我们的答复，都欢迎您评价。",
        "already_month": "您已经填写过本月的满意度调查，谢谢！",
    },
}


def survey_html(
    status: dict[str, Any],
    locale: str,
    settings: StoreSettings,
    action: str,
    saved: bool,
    error: str | None,
) -> str:
    """The survey page for a parcel's survey or a month's (``status["month"]``)."""
    lang = "zh-CN" if locale == "zh-CN" else "en"
    texts = dict(SURVEY_TEXTS[lang])
    if status.get("month"):
        intro = texts["intro_month"]
        texts["title"], texts["already"] = texts["title_month"], texts["already_month"]
    else:
        intro = texts["intro"].format(tracking=status["tracking_number"])
    return page(
        "survey",
        {
            "lang": lang,
            "t": texts,
            "intro": intro,
            "store": settings.name_for(lang),
            "answered": status["answered"],
            "saved": saved,
            "error": error,
            "action": action,
        },
    )
