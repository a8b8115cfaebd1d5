"""The feeds a watch polls, kept in the store (``schema.feeds``): validators, counts, owner.

A watch ``claim``s its feeds when it starts: a feed owned by another watch whose heartbeat is
fresher than ``STALE_AFTER`` is refused, naming it, so two watches never poll one feed (each
would store the other's articles' copies and halve every outlet's rate limit). The claim
returns the validators of each feed's last answer, so a restarted watch asks conditionally.
``record`` writes a poll's outcome and the heartbeat; ``release`` lets the feeds go at exit.
A watch that died without releasing holds its feeds only until its heartbeat is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from diemtin.errors import DiemtinError
from diemtin.store.database import Store, database_errors
from diemtin.times import utcnow

# A heartbeat older than this is a watch that is gone: its feeds may be claimed.
STALE_AFTER = timedelta(minutes=30)


@dataclass(slots=True)
class FeedRow:
    url: str
    outlet: str
    section: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched: int = 0
    not_modified: int = 0
    new: int = 0
    errors: int = 0
    last_success: datetime | None = None
    last_error: datetime | None = None
    last_problem: str = ""


def claim(store: Store, owner: str, feeds: list[tuple[str, str, str]], now: datetime | None = None
          ) -> dict[str, FeedRow]:
    """Own these (url, outlet, section) feeds for ``owner``, or refuse naming the feeds a live
    watch owns; each feed's row (validators and counts) as stored, new ones empty."""
    import sqlalchemy  # noqa: PLC0415

    now = now or utcnow()
    t = store.schema.feeds
    urls = [url for url, _, _ in feeds]
    with database_errors(store.url), store.engine.begin() as connection:
        rows = {r.url: r for r in connection.execute(sqlalchemy.select(t).where(t.c.url.in_(urls)))}
        taken = [r for r in rows.values() if r.owner and r.owner != owner and r.heartbeat
                 and now - r.heartbeat < STALE_AFTER]
        if taken:
            names = ", ".join(sorted({r.owner for r in taken}))
            shown = ", ".join(r.url for r in taken[:3]) + (f" and {len(taken) - 3} more" if len(taken) > 3 else "")
            raise DiemtinError(f"another diemtin watch ({names}) polls {len(taken)} of these feeds on this database "
                               f"({shown}); stop it first, or give this one --sources with only the outlets it "
                               f"should follow")
        for url, outlet, section in feeds:
            values = {"outlet": outlet, "section": section, "owner": owner, "heartbeat": now}
            if url in rows:
                connection.execute(t.update().where(t.c.url == url).values(**values))
            else:
                connection.execute(t.insert().values(url=url, **values))
        found = {r.url: r for r in connection.execute(sqlalchemy.select(t).where(t.c.url.in_(urls)))}
    return {url: _row(found[url]) for url in urls}


def record(store: Store, owner: str, rows: list[FeedRow], now: datetime | None = None) -> None:
    """Write the feeds' validators and counts after a poll, and the owner's heartbeat."""
    now = now or utcnow()
    t = store.schema.feeds
    with database_errors(store.url), store.engine.begin() as connection:
        for row in rows:
            connection.execute(t.update().where(t.c.url == row.url).values(
                etag=row.etag, last_modified=row.last_modified, fetched=row.fetched, not_modified=row.not_modified,
                new=row.new, errors=row.errors, last_success=row.last_success, last_error=row.last_error,
                last_problem=row.last_problem[:2000], owner=owner, heartbeat=now))


def release(store: Store, owner: str) -> None:
    t = store.schema.feeds
    with database_errors(store.url), store.engine.begin() as connection:
        connection.execute(t.update().where(t.c.owner == owner).values(owner=None, heartbeat=None))


def all_feeds(store: Store) -> list[FeedRow]:
    """Every feed a watch has polled, for /metrics."""
    import sqlalchemy  # noqa: PLC0415

    with store.read() as connection:
        return [_row(r) for r in connection.execute(sqlalchemy.select(store.schema.feeds).order_by("url"))]


def _row(r) -> FeedRow:
    return FeedRow(r.url, r.outlet, r.section or "", r.etag or "", r.last_modified or "", r.fetched or 0,
                   r.not_modified or 0, r.new or 0, r.errors or 0, r.last_success, r.last_error, r.last_problem or "")


__all__ = ["STALE_AFTER", "FeedRow", "all_feeds", "claim", "record", "release"]
