"""A campaign's dry run: its audience after the policy, and a sample letter per language.

Sends and stores nothing. It walks at most ``DRY_RUN_BUYERS`` purchase items, so the
answer stays quick; a larger audience is reported as examined so far (``complete``
false), the real fan-out having no such bound.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from chalicelib.domain.campaign_audience import campaign_message, exclusion
from chalicelib.domain.campaigns import CampaignRequest
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso
from chalicelib.domain.vocabulary import LANGUAGES
from chalicelib.mail.render import render
from chalicelib.services.campaigns import CampaignDeps
from chalicelib.services.mail_context import template_context

DRY_RUN_BUYERS = 2000
PAGE = 200


def dry_run(request: CampaignRequest, deps: CampaignDeps) -> dict[str, Any]:
    """``recipients``, exclusions by reason and a rendered sample per language."""
    now = deps.clock.now()
    settings = deps.settings.store()
    excluded: Counter[str] = Counter()
    reached = examined = 0
    cursor: str | None = None
    last: str | None = None
    product = request.sku
    while examined < DRY_RUN_BUYERS:
        buyers, cursor = deps.purchases.buyers(request.sku, PAGE, cursor)
        for buyer in buyers:
            examined += 1
            product = buyer.product_name
            if buyer.customer_id == last:
                continue
            last = buyer.customer_id
            profile = deps.profiles.get(buyer.customer_id)
            if profile is None:
                excluded["profile_gone"] += 1
                continue
            message = campaign_message(profile, request, buyer.product_name, iso(now))
            suppressions = deps.suppressions
            blocked = suppressions.reason(profile.email) if suppressions else None
            reason = exclusion(message, blocked, now, settings)
            if reason is None:
                reached += 1
            else:
                excluded[reason] += 1
        if cursor is None:
            break
    return {
        "campaign_id": request.campaign_id,
        "dry_run": True,
        "recipients": reached,
        "excluded": dict(sorted(excluded.items())),
        "complete": cursor is None,
        "samples": {lang: _sample(request, lang, product, deps) for lang in LANGUAGES},
    }


def _sample(
    request: CampaignRequest, lang: str, product: str, deps: CampaignDeps
) -> dict[str, str]:
    """The letter a reader of ``lang`` would get (no name: the reader is a sample)."""
    now = deps.clock.now()
    stamp = iso(now)
    reader = Profile(
        customer_id="sample", email="sample@example.com", created_at=stamp, updated_at=stamp
    ).with_changes(locale=lang)
    message = campaign_message(reader, request, product, stamp)
    settings = deps.settings.store()
    context = template_context(message, settings, deps.public_base_url, deps.signer, now)
    mail = render(message.template, lang, context)
    return {"subject": mail.subject, "text": mail.text, "html": mail.html}
