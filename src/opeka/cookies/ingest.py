"""Ingestion of the banner's decisions and of consented page views, for the web layer.

One :class:`Ingest` per application holds the notice and the two batchers; the web layer hands
it the request's body and the few headers that matter, and maps its errors to HTTP statuses
(:class:`InvalidEvent` 422, :class:`StaleVersion` 409, :class:`NoAnalyticsConsent` 403,
:class:`NotStored` 503). A call that returns has committed its row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from opeka.cookies import analytics
from opeka.cookies.config import DEFAULT_EXPIRY_DAYS, BannerConfig, banner_config
from opeka.cookies.consent_cookie import current_grants
from opeka.cookies.errors import NoAnalyticsConsent, not_stored
from opeka.cookies.events import ConsentEvent, make_event, parse_body, store_events, truncate_ip
from opeka.db.group_commit import Batcher
from opeka.policy.schema import Policy


class Ingest:
    """The consent-event API and the page-view beacon, over shared-transaction batchers."""

    def __init__(
        self,
        engine: Engine,
        policy: Policy,
        *,
        expiry_days: int = DEFAULT_EXPIRY_DAYS,
        max_batch: int = 512,
    ) -> None:
        self.config: BannerConfig = banner_config(policy, expiry_days=expiry_days)
        self.events: Batcher[ConsentEvent] = Batcher(
            engine, store_events, max_batch=max_batch, failure=not_stored
        )
        self.views: Batcher[analytics.PageView] = Batcher(
            engine, analytics.record_pageviews, max_batch=max_batch, failure=not_stored
        )

    async def consent_event(
        self, body: bytes, *, gpc_header: bool, client_ip: str | None, user_agent: str | None
    ) -> ConsentEvent:
        """Validate a decision and return it once committed."""
        event = make_event(
            parse_body(body),
            self.config,
            gpc_header=gpc_header,
            client_ip=client_ip,
            user_agent=user_agent,
        )
        await self.events.submit(event)
        return event

    async def pageview(
        self,
        body: bytes,
        *,
        consent_cookie: str | None,
        client_ip: str | None,
        user_agent: str | None,
        site: str | None,
        now: dt.datetime | None = None,
    ) -> None:
        """Count a page view, only under a current analytics consent; return once committed."""
        moment = now or dt.datetime.now(dt.UTC)
        if "analytics" not in current_grants(consent_cookie, config=self.config, now=moment):
            raise NoAnalyticsConsent(
                "no current consent to analytics cookies (policy 6.5)",
                message_ru="нет действующего согласия на cookie аналитики (п. 6.5 Политики)",
            )
        view = analytics.parse_pageview(
            body, ip_prefix=truncate_ip(client_ip), user_agent=user_agent, site=site
        )
        await self.views.submit(view)
