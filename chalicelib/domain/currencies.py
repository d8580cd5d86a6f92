"""Currencies: each active ISO 4217 code and its minor-unit exponent."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# ISO 4217 List One, active codes with a defined minor unit (including the fund codes BOV,
# CHE, CHW, CLF, COU, MXV, USN, UYI, UYW). Codes whose minor unit is "N.A." (XAU, XAG, XPD,
# XPT, XBA-XBD, XDR, XSU, XUA, XTS, XXX) cannot express a price and are left out. Withdrawn
# codes are left out too: ANG (replaced by XCG, 2025), BGN (euro, 2026), CUC, HRK (euro,
# 2023), SLL (replaced by SLE), ZWL (replaced by ZWG, 2024), MRO, STD, VEF.
_EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_EXPONENT_2 = (
    "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK "
    "LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO "
    "NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS "
    "SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST "
    "XCD XCG YER ZAR ZMW ZWG"
)
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_4 = "CLF UYW"

ISO_4217: Mapping[str, int] = MappingProxyType(
    {
        code: exponent
        for exponent, codes in enumerate((_EXPONENT_0, "", _EXPONENT_2, _EXPONENT_3, _EXPONENT_4))
        for code in codes.split()
    }
)
"""Active ISO 4217 alphabetic code -> minor-unit exponent (``JPY`` 0, ``USD`` 2, ``KWD`` 3)."""
