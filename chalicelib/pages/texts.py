"""Words of the preference centre, in zh-CN and en."""

from __future__ import annotations

from typing import Any

_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Your mail preferences",
        "intro": "Choose which letters you would like from us. You can change this any time.",
        "save": "Save my choices",
        "saved": "Saved. Thank you.",
        "transactional": "Letters about your own orders, deliveries and questions are always sent.",
        "purposes": {
            "marketing": {
                "label": "News and offers",
                "help": "New products and sales, a few times a month at most.",
            },
            "recommendations": {
                "label": "Suggestions for you",
                "help": "Products that go with what you bought.",
            },
            "greetings": {
                "label": "Birthday and anniversary cards",
                "help": "A small note on the days that matter.",
            },
            "surveys": {"label": "Surveys", "help": "Tell us how we did after a delivery."},
        },
    },
    "zh-CN": {
        "title": "邮件偏好设置",
        "intro": "请选择您希望收到的邮件，随时可以更改。",
        "save": "保存我的选择",
        "saved": "已保存，谢谢！",
        "transactional": "与您的订单、配送和咨询有关的邮件会照常发送。",
        "purposes": {
            "marketing": {"label": "新品与优惠", "help": "新品和促销信息，每月最多几封。"},
            "recommendations": {"label": "为您推荐", "help": "与您购买的商品相配的好物。"},
            "greetings": {"label": "生日与纪念日贺卡", "help": "在重要的日子送上一句问候。"},
            "surveys": {"label": "满意度调查", "help": "收货后请您告诉我们做得如何。"},
        },
    },
}


def preference_texts(locale: str) -> dict[str, Any]:
    """The texts in ``locale`` (English for anything else)."""
    return _TEXTS.get(locale, _TEXTS["en"])
