"""The public tracking page: words in zh-CN and en, and rendering."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain.carriers import carrier_name
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.shipment_messages import local_time
from chalicelib.pages.render import page

STATUS_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "pending": "Waiting for the carrier",
        "info_received": "Label created",
        "in_transit": "On its way",
        "out_for_delivery": "Out for delivery",
        "delivered": "Delivered",
        "available_for_pickup": "Ready for pickup",
        "attempt_failed": "Delivery attempt failed",
        "exception": "Held up",
        "returning_to_sender": "Returning to us",
        "returned": "Returned to us",
        "expired": "No news from the carrier",
    },
    "zh-CN": {
        "pending": "等待快递公司揽收",
        "info_received": "已打包，等待揽收",
        "in_transit": "运输中",
        "out_for_delivery": "派送中",
        "delivered": "已签收",
        "available_for_pickup": "待取件",
        "attempt_failed": "派送未成功",
        "exception": "包裹遇到问题",
        "returning_to_sender": "正在退回",
        "returned": "已退回",
        "expired": "暂无物流更新",
    },
}

STEP_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "info_received": "Packed",
        "in_transit": "Shipped",
        "out_for_delivery": "Out for delivery",
        "delivered": "Delivered",
    },
    "zh-CN": {
        "info_received": "已打包",
        "in_transit": "已发货",
        "out_for_delivery": "派送中",
        "delivered": "已签收",
    },
}

ADVICE: dict[str, dict[str, str]] = {
    "en": {
        "attempt_failed": "The courier could not hand the parcel over. They usually try again "
        "on the next working day; you can also contact the carrier to choose another day.",
        "available_for_pickup": "Your parcel is waiting for you at a pickup point. Bring your "
        "tracking number or the pickup code the carrier sent you.",
        "exception": "Something is holding your parcel up. We are on it; if you have a "
        "question, write to us and we will sort it out with the carrier.",
        "returning_to_sender": "The parcel is on its way back to us. Write to us and we will "
        "send it again or refund you, whichever you prefer.",
        "returned": "The parcel came back to us. Write to us and we will send it again or "
        "refund you, whichever you prefer.",
        "expired": "The carrier has not updated this parcel for a while. Write to us and "
        "we will find out where it is.",
    },
    "zh-CN": {
        "attempt_failed": "快递员这次没能把包裹交到您手上，通常会在下一个工作日再次派送；"
        "您也可以联系快递公司改约时间。",
        "available_for_pickup": "包裹已放在自提点或快递柜，"
        "请凭运单号或快递公司发给您的取件码取件。",
        "exception": "包裹在途中遇到了问题，我们正在跟进；"
        "如有疑问，请写信给我们，我们会和快递公司一起解决。",
        "returning_to_sender": "包裹正在退回我们这里。"
        "请写信告诉我们，是重新寄出还是退款，由您决定。",
        "returned": "包裹已退回我们这里。请写信告诉我们，是重新寄出还是退款，由您决定。",
        "expired": "快递公司已有一段时间没有更新这个包裹的信息，请写信给我们，我们帮您查清楚。",
    },
}

TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Track your parcel",
        "parcel": "Parcel",
        "order": "Order",
        "carrier": "Carrier",
        "eta": "Expected delivery",
        "delivered_at": "Delivered on",
        "history": "Journey so far",
        "no_history": "The carrier has not scanned the parcel yet. Check back soon.",
        "times": "Times are shown in your time zone ({zone}). Last checked: {checked}.",
        "help": "Questions? Write to us:",
        "colon": ": ",
        "after": {
            "delivered": "Recorded after delivery: the parcel stays delivered.",
            "other": "Recorded after the current status: it does not change it.",
        },
    },
    "zh-CN": {
        "title": "包裹追踪",
        "parcel": "运单号",
        "order": "订单号",
        "carrier": "快递公司",
        "eta": "预计送达",
        "delivered_at": "签收时间",
        "history": "物流详情",
        "no_history": "快递公司还没有扫描这个包裹，请稍后再来看看。",
        "times": "时间按您所在的时区（{zone}）显示。查询时间：{checked}。",
        "help": "有疑问？请写信给我们：",
        "colon": "：",
        "after": {
            "delivered": "签收之后记录，包裹仍为已签收。",
            "other": "在当前状态之后记录，不改变当前状态。",
        },
    },
}


def _after_note(lang: str, status: str) -> str:
    """What a scan newer than the current status's own scan says about itself."""
    notes: dict[str, str] = TEXTS[lang]["after"]
    return notes["delivered" if status == "delivered" else "other"]


def _lang(locale: str) -> str:
    return "zh-CN" if locale == "zh-CN" else "en"


def _steps(data: dict[str, Any], lang: str, time_zone: str) -> list[dict[str, Any]]:
    """The progress bar's steps, with when each was reached in the reader's time zone."""
    return [
        {
            "label": STEP_LABELS[lang][step["status"]],
            "reached": step["reached"],
            "at": (
                local_time(
                    datetime.fromisoformat(step["reached_at"].replace("Z", "+00:00")), time_zone
                )
                if step["reached_at"]
                else None
            ),
        }
        for step in data["progress"]
    ]


def tracking_html(
    data: dict[str, Any],
    locale: str,
    time_zone: str,
    settings: StoreSettings,
    now: datetime,
) -> str:
    """The tracking page for ``data`` (from ``public_tracking``) in ``locale``."""
    lang = _lang(locale)
    labels = STATUS_LABELS[lang]
    steps = _steps(data, lang, time_zone)
    reached = sum(1 for step in steps if step["reached"])
    history = [
        {
            "at": local_time(datetime.fromisoformat(scan["occurred_at"]), time_zone),
            "label": labels.get(scan["status"], scan["status"]),
            "location": scan["location"],
            "description": scan["description"],
            "current": scan.get("sets_status", False),
            "after": _after_note(lang, data["status"]) if scan.get("after_status") else None,
        }
        for scan in data["history"]
    ]
    delivered = data["delivered_at"]
    return page(
        "tracking",
        {
            "lang": lang,
            "t": TEXTS[lang],
            "store": settings.name_for(lang),
            "support_email": settings.support_email,
            "status": data["status"],
            "status_label": labels.get(data["status"], data["status"]),
            "advice": ADVICE[lang].get(data["status"]),
            "tracking_number": data["tracking_number"],
            "order_id": data["order_id"],
            "carrier": carrier_name(data.get("carried_by"), lang),
            "eta": data["estimated_delivery"] or data["promised_delivery"],
            "delivered_at": (
                local_time(datetime.fromisoformat(delivered.replace("Z", "+00:00")), time_zone)
                if delivered
                else None
            ),
            "steps": steps,
            "percent": 0 if reached <= 1 else round(100 * (reached - 1) / (len(steps) - 1)),
            "history": history,
            "times_note": TEXTS[lang]["times"].format(
                zone=time_zone, checked=local_time(now, time_zone)
            ),
        },
    )
