"""The carrier that really carries a parcel, and its name in the customer's language.

Aggregators (Kuaidi100, AfterShip, EasyPost, and ``rapport`` for stores that normalize
upstream) report for the carrier that really carries the parcel: a scan names it with
``carried_by`` in the aggregator's own codes (Kuaidi100 ``com``, AfterShip ``slug``,
EasyPost ``carrier``). Customers read the carrier's name (:data:`CARRIER_NAMES`), in
their language, never the aggregator's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from chalicelib.domain.carrier_codes import (
    CARRIER_CODES,
    CARRIERS,
    code_table,
    normalize,
    require_carrier,
)
from chalicelib.domain.vocabulary import Table, language

__all__ = [
    "CARRIERS",
    "CARRIER_CODES",
    "CARRIER_NAMES",
    "REPORTED_CARRIERS",
    "carrier_name",
    "carrying_carrier",
    "normalize",
    "require_carrier",
]

CARRIER_NAMES: Table = {
    "en": {
        "ups": "UPS",
        "fedex": "FedEx",
        "dhl": "DHL",
        "usps": "USPS",
        "sf_express": "SF Express",
        "ems": "EMS",
        "china_post": "China Post",
        "zto": "ZTO Express",
        "yto": "YTO Express",
        "sto": "STO Express",
        "yunda": "Yunda Express",
        "jd": "JD Logistics",
        "jtexpress": "J&T Express",
        "deppon": "Deppon Express",
        "best": "BEST Express",
    },
    "zh-CN": {
        "ups": "UPS",
        "fedex": "联邦快递",
        "dhl": "DHL",
        "usps": "美国邮政",
        "sf_express": "顺丰速运",
        "ems": "EMS",
        "china_post": "中国邮政",
        "zto": "中通快递",
        "yto": "圆通速递",
        "sto": "申通快递",
        "yunda": "韵达快递",
        "jd": "京东物流",
        "jtexpress": "极兔速递",
        "deppon": "德邦快递",
        "best": "百世快递",
    },
}
"""The carriers customers may read about, by Rapport's id, in each language."""

_KUAIDI100_COMPANIES = {
    "shunfeng": "sf_express",
    "ems": "ems",
    "youzhengguonei": "china_post",
    "youzhengbk": "china_post",
    "zhongtong": "zto",
    "yuantong": "yto",
    "shentong": "sto",
    "yunda": "yunda",
    "jd": "jd",
    "jtexpress": "jtexpress",
    "debangkuaidi": "deppon",
    "debangwuliu": "deppon",
    "huitongkuaidi": "best",
    "dhl": "dhl",
    "ups": "ups",
    "fedex": "fedex",
    "usps": "usps",
}

_AFTERSHIP_SLUGS = {
    "sf-express": "sf_express",
    "china-ems": "ems",
    "china-post": "china_post",
    "zto-express": "zto",
    "yto": "yto",
    "sto": "sto",
    "yunda": "yunda",
    "jd": "jd",
    "jtexpress": "jtexpress",
    "deppon": "deppon",
    "best": "best",
    "dhl": "dhl",
    "ups": "ups",
    "fedex": "fedex",
    "usps": "usps",
}

_EASYPOST_CARRIERS = {"UPS": "ups", "FedEx": "fedex", "USPS": "usps", "DHLExpress": "dhl"}

REPORTED_CARRIERS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "kuaidi100": code_table(_KUAIDI100_COMPANIES),
        "aftership": code_table(_AFTERSHIP_SLUGS),
        "easypost": code_table(_EASYPOST_CARRIERS),
        "rapport": code_table({carrier: carrier for carrier in CARRIER_NAMES["en"]}),
    }
)
"""Per aggregator, its (case-folded) code of each carrier it reports for, to our id."""


def carrying_carrier(carrier: str | None, reported: Iterable[str | None] = ()) -> str | None:
    """The id of the carrier that carries the parcel, or ``None`` when nobody said.

    Parameters
    ----------
    carrier
        The carrier the parcel was registered with (a name from :data:`CARRIERS`).
    reported
        The ``carried_by`` codes of its scans, oldest first; the newest known one wins
        (an aggregator may hand a parcel over, Kuaidi100's 转投).
    """
    name = (carrier or "").casefold()
    if name in CARRIER_NAMES["en"]:
        return name
    codes = REPORTED_CARRIERS.get(name, {})
    known = [codes[code.casefold()] for code in reported if code and code.casefold() in codes]
    return known[-1] if known else None


def carrier_name(carrier_id: str | None, locale: str) -> str | None:
    """The carrier's name in the reader's language (``None`` for an unknown carrier)."""
    if carrier_id is None:
        return None
    return CARRIER_NAMES[language(locale)].get(carrier_id)
