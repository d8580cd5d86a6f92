"""The customer-value settings item: tiers, points, loyalty classes, recommendation rules.

Stored in the settings table under ``customer-value``; every part has defaults, so a
store that never touches it gets sensible behaviour. Admins change it through
``PUT /v1/admin/settings/customer-value`` (partial: parts not sent keep their value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.loyalty import LoyaltySettings
from chalicelib.domain.recommendations import RecommendationRules
from chalicelib.domain.tiers import PointsSettings, TierSettings

PARTS = ("tiers", "points", "loyalty", "recommendations", "replenishable")


@dataclass(frozen=True)
class CustomerValueSettings:
    """Everything the order path and the nightly job need to value a customer."""

    tiers: TierSettings = field(default_factory=TierSettings)
    points: PointsSettings = field(default_factory=PointsSettings)
    loyalty: LoyaltySettings = field(default_factory=LoyaltySettings)
    recommendations: RecommendationRules = field(default_factory=RecommendationRules)
    replenishable: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """Plain form for storage and the admin API."""
        return {
            "tiers": self.tiers.to_dict(),
            "points": self.points.to_dict(),
            "loyalty": self.loyalty.to_dict(),
            "recommendations": self.recommendations.to_dict(),
            "replenishable": sorted(self.replenishable),
        }


def _part(name: str, raw: Any) -> Any:
    data = v.require_object(raw, name) if name != "replenishable" else raw
    try:
        if name == "tiers":
            return TierSettings.from_dict(data)
        if name == "points":
            return PointsSettings.from_dict(data)
        if name == "loyalty":
            return LoyaltySettings.from_dict(data)
        if name == "recommendations":
            return RecommendationRules.from_dict(data)
    except InvalidInput as error:
        raise InvalidInput(
            error.message, f"{name}.{error.field}" if error.field else name
        ) from None
    return frozenset(v.string_list(data, "replenishable", max_items=500, max_length=140))


def parse_value_settings(
    payload: Any, base: CustomerValueSettings | None = None
) -> CustomerValueSettings:
    """Validate a (partial) override; raises ``InvalidInput`` naming the field."""
    body = v.require_object(payload)
    v.reject_unknown(body, PARTS)
    return replace(base or CustomerValueSettings(), **{k: _part(k, raw) for k, raw in body.items()})


def value_settings_from_dict(data: Mapping[str, Any]) -> CustomerValueSettings:
    """Rebuild from the stored form (missing parts take the defaults)."""
    return parse_value_settings({k: val for k, val in data.items() if k in PARTS})
