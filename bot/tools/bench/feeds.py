"""How long a calendar feed takes to serve: ``python -m bot.tools.bench.feeds DATABASE_URL``.

Takes a seeded firm (``clerk seed``), tops its busiest lawyer up to ``--open`` open
deadlines, issues them a feed URL and reads it over real HTTP from the server ``clerk run``
uses: the first read (every event serialised), a read after one deadline moved (one event
serialised again), and a poll with the ETag (304); and the first read again after the
warm-up ``clerk run`` does as it starts (``CalendarFeeds.warm``). Writes to the database it
is given: run it on a copy.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from bot.app import build_clerk
from bot.calendar_http import CalendarFeeds
from bot.deadlines import feeds
from bot.deadlines.calendar import _event
from bot.firm.users import to_actor
from bot.server import base_url, make_server, serve_in_background, stop_server
from bot.settings import load_settings
from storage.models import Deadline, DeadlineStatus, User


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[float, int, str]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
            status, etag = answer.status, answer.headers.get("ETag", "")
    except urllib.error.HTTPError as refused:
        status, etag = refused.code, refused.headers.get("ETag", "")
    return (time.perf_counter() - started) * 1000, status, etag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("--open", type=int, default=2000, help="open deadlines to serve")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings = load_settings(database_url=args.database_url, slack_bot_token="xoxb-bench")
    clerk = build_clerk(settings)
    db = clerk.db
    with db.unit_of_work("bench") as session:
        owner_id, count = session.execute(
            select(Deadline.responsible_id, func.count())
            .where(Deadline.status == DeadlineStatus.OPEN, Deadline.responsible_id.is_not(None))
            .group_by(Deadline.responsible_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        template = session.scalars(
            select(Deadline).where(
                Deadline.responsible_id == owner_id, Deadline.status == DeadlineStatus.OPEN
            )
        ).first()
        assert template is not None
        extra = max(0, args.open - count)
        if extra:
            session.execute(
                insert(Deadline),
                [
                    {
                        "matter_id": template.matter_id,
                        "title": f"Bench deadline {i}",
                        "due_on": template.due_on + timedelta(days=i % 300),
                        "responsible_id": owner_id,
                        "created_at": datetime.now(UTC),
                        "updated_at": datetime.now(UTC),
                    }
                    for i in range(extra)
                ],
            )
        owner = session.get(User, owner_id)
        assert owner is not None
        grant = feeds.grant(
            session, actor=to_actor(owner), now=clerk.now(), matter_code=None, reset=True
        )
        served = len(feeds.open_entries(session, user_id=owner_id))
    assert grant.token is not None
    calendars = CalendarFeeds(clerk)
    server = make_server(None, db, host="127.0.0.1", port=0, calendars=calendars)
    thread = serve_in_background(server)
    url = f"{base_url(server)}/calendar/{grant.token}.ics"
    try:
        _event.cache_clear()  # as in a process that just started and did not warm up
        cold, status, etag = _get(url)
        assert status == 200, status
        _event.cache_clear()  # as `clerk run` starts: the warm-up, then the first poll
        started = time.perf_counter()
        warmed_feeds, warmed_events = calendars.warm()
        warming = time.perf_counter() - started
        first_after_warm_up = _get(url)[0]
        warm = [_get(url)[0] for _ in range(args.repeat)]
        not_modified = [_get(url, {"If-None-Match": etag})[0] for _ in range(args.repeat)]
        moved = []
        for i in range(args.repeat):
            with db.unit_of_work("bench") as session:
                session.execute(
                    update(Deadline)
                    .where(Deadline.id == template.id)
                    .values(due_on=template.due_on + timedelta(days=i + 1))
                )
            moved.append(_get(url)[0])
    finally:
        stop_server(server, thread)
        db.dispose()
    print(f"feed of {served} open deadlines ({db.engine.dialect.name})")
    print(f"  first read, cold (every event serialised): {cold:.0f} ms")
    print(
        f"  start-up warm-up ({warmed_feeds} feeds, {warmed_events} events, in the background):"
        f" {warming * 1000:.0f} ms; the first read after it: {first_after_warm_up:.0f} ms"
    )
    for label, times in (
        ("unchanged, no validator (200)", warm),
        ("after one deadline moved (200)", moved),
        ("poll with the ETag (304)", not_modified),
    ):
        print(f"  {label}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")


if __name__ == "__main__":
    main()
