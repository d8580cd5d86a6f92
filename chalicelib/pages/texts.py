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
        "your_data": "Your data",
        "export_help": "We send a link to a copy of everything we hold about you to your address.",
        "export_button": "Mail me my data",
        "erase_help": (
            "We send a letter to your address; once you confirm there, we erase your data."
        ),
        "erase_button": "Erase my data",
        "sent": {
            "data_export": "Done: a letter with the link to your data is on its way to you.",
            "erasure_confirmation": (
                "Done: a letter is on its way to you; your data is erased once you confirm there."
            ),
        },
        "confirm_title": "Erase your data",
        "confirm_intro": (
            "This removes your name, email address, phone number, birthday and everything you"
            " wrote to us from every record we keep, and we will not write to you again unless"
            " you sign up anew. It cannot be undone."
        ),
        "confirm_button": "Yes, erase my data",
        "erased_title": "Your data is erased",
        "erased_body": "We keep nothing that says who you are. Thank you for the time with us.",
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
            "surveys": {
                "label": "Surveys",
                "help": "Tell us how we did: after a delivery, and at most once a month.",
            },
        },
    },
    "zh-CN": {
        "title": "邮件偏好设置",
        "intro": "请选择您希望收到的邮件，随时可以更改。",
        "save": "保存我的选择",
        "saved": "已保存，谢谢！",
        "transactional": "与您的订单、配送和咨询有关的邮件会照常发送。",
        "your_data": "您的资料",
        "export_help": "我们会把您全部资料副本的链接发到您的邮箱。",
        "export_button": "把我的资料发给我",
        "erase_help": "我们会给您的邮箱发一封信，您在信中确认后，我们就删除您的资料。",
        "erase_button": "删除我的资料",
        "sent": {
            "data_export": "已完成：附有资料链接的邮件正在发给您。",
            "erasure_confirmation": "已完成：确认邮件正在发给您，您在信中确认后资料即被删除。",
        },
        "confirm_title": "删除您的资料",
        "confirm_intro": (
            "这将从我们保存的每一条记录中删除您的姓名、邮箱地址、电话、生日以及您写给我们的全部文字。"
            "除非您重新注册，我们不会再给您写信。删除无法撤销。"
        ),
        "confirm_button": "确认删除我的资料",
        "erased_title": "您的资料已删除",
        "erased_body": "我们不再保存任何能认出您的信息。感谢您一路以来的陪伴。",
        "purposes": {
            "marketing": {"label": "新品与优惠", "help": "新品和促销信息，每月最多几封。"},
            "recommendations": {"label": "为您推荐", "help": "与您购买的商品相配的好物。"},
            "greetings": {"label": "生日与纪念日贺卡", "help": "在重要的日子送上一句问候。"},
            "surveys": {
                "label": "满意度调查",
                "help": "收货后，以及每月最多一次，请您告诉我们做得如何。",
            },
        },
    },
}


def preference_texts(locale: str) -> dict[str, Any]:
    """The texts in ``locale`` (English for anything else)."""
    return _TEXTS.get(locale, _TEXTS["en"])
