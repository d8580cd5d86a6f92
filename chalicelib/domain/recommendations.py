"""Cross-sell and up-sell recommendations (seed 001: baby bottle -> baby goods, laptop -> camera).

Items are named by keys: ``sku:<sku>`` or ``category:<category>``. Three sources propose
candidates from what a customer bought:

* store rules (:class:`RecommendationRules.cross_sell`): ``category:laptop ->
  [category:camera]``, ``sku:BOTTLE-1 -> [category:baby_goods]``; a rule on a category fires
  for any purchase in it. Each firing rule adds ``rule_weight`` (default 100).
* up-sell (``upsell=True``): for a purchased sku whose catalog hint has a ``price_tier``,
  every available sku of the same category one price tier higher; adds ``upsell_weight``
  (default 50).
* co-purchases: pairs of skus bought in the same order, counted by the service from
  :func:`co_purchase_pairs`; a pair seen at least ``min_co_purchases`` times (default 2) adds
  its count for the other sku. A pair bought together more than 100 times outranks a rule.

* products the customer viewed (``viewed``: sku -> seconds on its page, from the store's
  ``product_viewed`` events): each adds :data:`VIEWED_WEIGHT` plus a point per
  :data:`SECONDS_PER_POINT` seconds viewed, up to :data:`MAX_VIEWED_BONUS`, so a product
  they looked at and did not buy outranks a store rule, and a long look a short one.

A candidate's score is the sum of what it received; its ``reason`` is the source that gave
the most (ties: rule, then upsell, then co_purchase) and ``source`` the purchase behind it.
Candidates the customer already bought (the sku itself, or a category they bought in) are
dropped unless replenishable (the key, or for a sku its category, is in ``replenishable``);
skus the catalog marks unavailable are dropped. The order is score descending, then key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from types import MappingProxyType
from typing import Any

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.orders import OrderLine

SKU, CATEGORY = "sku", "category"
RULE, UPSELL, CO_PURCHASE, VIEWED = "rule", "upsell", "co_purchase", "viewed"
_REASON_PRIORITY = {VIEWED: 0, RULE: 1, UPSELL: 2, CO_PURCHASE: 3}
VIEWED_WEIGHT = 150
SECONDS_PER_POINT = 6
MAX_VIEWED_BONUS = 100


def sku_key(sku: str) -> str:
    """The key of a sku."""
    return f"{SKU}:{sku}"


def category_key(category: str) -> str:
    """The key of a category."""
    return f"{CATEGORY}:{category}"


def parse_key(key: Any, field_name: str = "key") -> tuple[str, str]:
    """Split ``sku:X`` / ``category:Y`` into ``(kind, id)``; raises InvalidInput otherwise."""
    kind, _, ident = key.partition(":") if isinstance(key, str) else ("", "", "")
    if kind not in (SKU, CATEGORY) or not ident:
        raise InvalidInput(f"{field_name} must look like sku:<sku> or category:<name>", field_name)
    return kind, ident


def purchased_keys(lines: Iterable[OrderLine]) -> frozenset[str]:
    """The sku and category keys of order lines."""
    keys: set[str] = set()
    for line in lines:
        keys.update((sku_key(line.sku), category_key(line.category)))
    return frozenset(keys)


@dataclass(frozen=True)
class CatalogHint:
    """What the store tells Rapport about a sku: category, price tier (1 = entry level)."""

    sku: str
    category: str
    price_tier: int | None = None
    available: bool = True


@dataclass(frozen=True)
class RecommendationRules:
    """Store rules and weights (a settings item)."""

    cross_sell: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    upsell: bool = True
    rule_weight: int = 100
    upsell_weight: int = 50
    min_co_purchases: int = 2

    def __post_init__(self) -> None:
        rules: dict[str, tuple[str, ...]] = {}
        for source, targets in self.cross_sell.items():
            where = f"cross_sell.{source}"
            parse_key(source, "cross_sell")
            if not isinstance(targets, (list, tuple)):
                raise InvalidInput(f"{where} must be a list of keys", where)
            for target in targets:
                parse_key(target, where)
            rules[source] = tuple(dict.fromkeys(targets))
        if not isinstance(self.upsell, bool):
            raise InvalidInput("upsell must be true or false", "upsell")
        for name in ("rule_weight", "upsell_weight", "min_co_purchases"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidInput(f"{name} must be a non-negative integer", name)
        object.__setattr__(self, "cross_sell", MappingProxyType(rules))

    def to_dict(self) -> dict[str, Any]:
        """Plain form for the settings table."""
        return {
            "cross_sell": {source: list(t) for source, t in sorted(self.cross_sell.items())},
            "upsell": self.upsell,
            "rule_weight": self.rule_weight,
            "upsell_weight": self.upsell_weight,
            "min_co_purchases": self.min_co_purchases,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecommendationRules:
        """Inverse of :meth:`to_dict`; raises InvalidInput naming a bad field."""
        known = ("cross_sell", "upsell", "rule_weight", "upsell_weight", "min_co_purchases")
        for key in data:
            if key not in known:
                raise InvalidInput(f"unknown field '{key}'", key)
        values = {k: _from_number(v) if k in known[2:] else v for k, v in data.items()}
        if not isinstance(values.get("cross_sell", {}), Mapping):
            raise InvalidInput("cross_sell must map keys to lists of keys", "cross_sell")
        return cls(**values)


@dataclass(frozen=True)
class Recommendation:
    """One suggestion: a sku or a category, why, and because of which purchase."""

    kind: str
    id: str
    reason: str
    source: str
    score: int

    @property
    def key(self) -> str:
        """``sku:<id>`` or ``category:<id>``."""
        return f"{self.kind}:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        """The form used in the profile's ``recommendations[]`` and in mail."""
        return {"kind": self.kind, "id": self.id, "reason": self.reason, "source": self.source}


def co_purchase_pairs(
    order_lines: Iterable[OrderLine], max_skus: int = 30
) -> Counter[tuple[str, str]]:
    """Pairs ``(sku_a, sku_b)`` with ``sku_a < sku_b`` bought together, each counted once.

    An order with more than ``max_skus`` distinct skus (a bulk or wholesale order) yields no
    pairs: it says little about affinity and would cost O(n^2) counter updates.
    """
    skus = sorted({line.sku for line in order_lines})
    if len(skus) > max_skus:
        return Counter()
    return Counter(combinations(skus, 2))


def recommend(
    purchased: Set[str],
    rules: RecommendationRules,
    co_counts: Mapping[tuple[str, str], int],
    catalog: Mapping[str, CatalogHint],
    replenishable: Set[str],
    limit: int,
    viewed: Mapping[str, int] = MappingProxyType({}),
) -> list[Recommendation]:
    """Rank suggestions for a customer.

    Parameters
    ----------
    purchased : set of str
        Keys of what the customer bought (:func:`purchased_keys`); the categories of
        purchased skus are added from ``catalog``.
    rules : RecommendationRules
        Cross-sell rules, up-sell switch and weights.
    co_counts : mapping
        ``(sku_a, sku_b) -> times bought together`` (at least the pairs touching the
        customer's skus).
    catalog : mapping
        ``sku -> CatalogHint``; may be partial (unknown skus are assumed available).
    replenishable : set of str
        Keys that may be suggested again after a purchase (consumables).
    limit : int
        Maximum number of suggestions.
    viewed : mapping
        ``sku -> seconds`` the customer spent on each product they viewed.

    Returns
    -------
    list of Recommendation
        Best first: score descending, then key.
    """
    owned = set(purchased)
    bought_skus = sorted(ident for kind, ident in map(_split, owned) if kind == SKU)
    owned.update(category_key(catalog[s].category) for s in bought_skus if s in catalog)
    # candidate key -> reason -> (points from that reason, smallest source key)
    tally: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    proposals = [
        *_from_rules(owned, rules),
        *(_from_upsell(bought_skus, catalog, rules.upsell_weight) if rules.upsell else ()),
        *_from_co_purchases(set(bought_skus), co_counts, rules.min_co_purchases),
        *_from_views(viewed),
    ]
    for key, reason, source, points in proposals:
        total, where = tally[key].get(reason, (0, source))
        tally[key][reason] = (total + points, min(where, source))
    results = [
        _ranked(key, reasons)
        for key, reasons in tally.items()
        if _suggestible(key, owned, catalog, replenishable)
    ]
    results.sort(key=lambda rec: (-rec.score, rec.key))
    return results[: max(limit, 0)]


def _suggestible(
    key: str, owned: Set[str], catalog: Mapping[str, CatalogHint], replenishable: Set[str]
) -> bool:
    """Available, and not already owned unless it is bought again (a consumable)."""
    kind, ident = _split(key)
    known = catalog.get(ident) if kind == SKU else None
    if known is not None and not known.available:
        return False
    renewable = key in replenishable or (
        known is not None and category_key(known.category) in replenishable
    )
    return key not in owned or renewable


def _ranked(key: str, reasons: Mapping[str, tuple[int, str]]) -> Recommendation:
    """The suggestion of ``key``: its strongest reason and the sum of all reasons' points."""
    kind, ident = _split(key)
    reason, (_, source) = min(
        reasons.items(), key=lambda item: (-item[1][0], _REASON_PRIORITY[item[0]])
    )
    score = sum(points for points, _ in reasons.values())
    return Recommendation(kind, ident, reason, source, score)


_Proposal = tuple[str, str, str, int]  # candidate key, reason, source key, points


def _from_rules(owned: Set[str], rules: RecommendationRules) -> Iterator[_Proposal]:
    for source in sorted(owned):
        for target in rules.cross_sell.get(source, ()):
            yield target, RULE, source, rules.rule_weight


def _from_upsell(
    bought_skus: Iterable[str], catalog: Mapping[str, CatalogHint], weight: int
) -> Iterator[_Proposal]:
    by_tier: dict[tuple[str, int], list[str]] = defaultdict(list)
    for hint in catalog.values():
        if hint.price_tier is not None:
            by_tier[(hint.category, hint.price_tier)].append(hint.sku)
    for sku in bought_skus:
        own = catalog.get(sku)
        if own is not None and own.price_tier is not None:
            for other in by_tier.get((own.category, own.price_tier + 1), ()):
                yield sku_key(other), UPSELL, sku_key(sku), weight


def _from_co_purchases(
    bought: Set[str], co_counts: Mapping[tuple[str, str], int], minimum: int
) -> Iterator[_Proposal]:
    for (a, b), count in co_counts.items():
        if count >= max(minimum, 1):
            for mine, other in ((a, b), (b, a)):
                if mine in bought and other != mine:
                    yield sku_key(other), CO_PURCHASE, sku_key(mine), count


def _from_views(viewed: Mapping[str, int]) -> Iterator[_Proposal]:
    for sku, seconds in sorted(viewed.items()):
        bonus = min(max(seconds, 0) // SECONDS_PER_POINT, MAX_VIEWED_BONUS)
        yield sku_key(sku), VIEWED, sku_key(sku), VIEWED_WEIGHT + bonus


def _split(key: str) -> tuple[str, str]:
    kind, _, ident = key.partition(":")
    return kind, ident


def _from_number(value: Any) -> Any:
    """A whole ``Decimal`` (as DynamoDB returns numbers) as ``int``; anything else unchanged."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value
