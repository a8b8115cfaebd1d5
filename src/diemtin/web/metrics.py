"""/healthz and /metrics: is the service up, and how are the outlets being followed.

/metrics is the Prometheus text format (prometheus-client), read from the store at each scrape,
so it shows what every ``diemtin watch`` on this database did, whichever process serves it:
per feed, answers fetched, not modified, new articles and errors (counters) and the time of
its last success; the store's articles and stories; and the lag from an article's publication
to its arrival in the store (where its story and summary appear in the same transaction),
as quantiles over the articles that arrived in the last day (at most ``LAG_SAMPLE``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from diemtin.errors import DiemtinError, require
from diemtin.store import feeds as stored_feeds
from diemtin.times import utcnow

# Scrapes do bounded work: the lag is read off at most this many of the day's newest articles.
LAG_SAMPLE = 20000
LAG_WINDOW = timedelta(days=1)


def metrics_router(service) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    store = service.store

    @router.get("/healthz")
    def healthz():
        try:
            counts = store.counts()
        except DiemtinError as exc:
            return JSONResponse({"status": "error", "error": str(exc)}, status_code=503)
        return {"status": "ok", "articles": counts["articles"], "stories": counts["stories"]}

    @router.get("/metrics")
    def metrics():
        prometheus = require("prometheus_client", "prometheus-client", "service")
        registry = prometheus.CollectorRegistry(auto_describe=False)
        registry.register(_StoreCollector(store))
        return Response(prometheus.generate_latest(registry), media_type=prometheus.CONTENT_TYPE_LATEST)

    return router


class _StoreCollector:
    def __init__(self, store):
        self.store = store

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily  # noqa: PLC0415

        labels = ["outlet", "feed"]
        families = {name: CounterMetricFamily(f"diemtin_feed_{name}", help_, labels=labels) for name, help_ in (
            ("fetched", "Feed answers read (200 or 304)"),
            ("not_modified", "Feed answers that were 304 Not Modified"),
            ("new_articles", "New articles found in the feed"),
            ("errors", "Feed requests that failed after their retries"))}
        last = GaugeMetricFamily("diemtin_feed_last_success_timestamp_seconds",
                                 "When the feed last answered (Unix time)", labels=labels)
        for row in stored_feeds.all_feeds(self.store):
            key = [row.outlet, row.url]
            families["fetched"].add_metric(key, row.fetched)
            families["not_modified"].add_metric(key, row.not_modified)
            families["new_articles"].add_metric(key, row.new)
            families["errors"].add_metric(key, row.errors)
            if row.last_success is not None:
                last.add_metric(key, (row.last_success - _EPOCH).total_seconds())
        yield from families.values()
        yield last
        counts = self.store.counts()
        yield GaugeMetricFamily("diemtin_articles", "Articles in the store", value=counts["articles"])
        yield GaugeMetricFamily("diemtin_stories", "Stories in the store", value=counts["stories"])
        lags = sorted(self._lags())
        lag = GaugeMetricFamily("diemtin_publication_lag_seconds",
                                "From publication to arrival in the store, over the last day's articles",
                                labels=["quantile"])
        for q in (0.5, 0.95):
            if lags:
                lag.add_metric([str(q)], lags[min(len(lags) - 1, int(q * len(lags)))])
        yield lag

    def _lags(self) -> list[float]:
        import sqlalchemy  # noqa: PLC0415

        t = self.store.schema.articles
        since = utcnow() - LAG_WINDOW
        query = (sqlalchemy.select(t.c.published_at, t.c.ingested_at)
                 .where(t.c.ingested_at >= since, t.c.published_at.is_not(None))
                 .order_by(t.c.ingested_at.desc()).limit(LAG_SAMPLE))
        with self.store.read() as connection:
            return [max(0.0, (ingested - published).total_seconds()) for published, ingested in connection.execute(query)]


_EPOCH = datetime(1970, 1, 1)  # stored times are naive UTC
