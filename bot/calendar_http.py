"""``GET /calendar/{token}.ics``: the subscription feeds calendars poll (HTTP and Socket Mode).

Outlook, Google and Apple Calendar ask every few minutes to every few hours, for every
subscriber, whether anything changed. So a poll that changed nothing costs one read: the
feed's ETag is computed from the rows before anything is serialised, and a matching
``If-None-Match`` (or, without one, an ``If-Modified-Since`` at or after the feed's last
change) is answered ``304`` with no body.

Whatever is wrong with a token (never issued, revoked, its owner deactivated) is answered
with the same 404 and the same body: a URL that leaked and was reset must not even confirm
that it once worked. The database session is opened here, per request, and closed before
the calendar is serialised.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from bot.clerk import Clerk
from bot.deadlines import feeds
from bot.deadlines.calendar import EVENT_CACHE_SIZE, build_calendar
from storage.audit import SYSTEM_ACTOR

log = logging.getLogger("clerk.calendar")

PREFIX = "/calendar/"
_PATH = re.compile(r"/calendar/([^/]+)\.ics")
NOT_FOUND_BODY = b"Not found\n"
StartResponse = Callable[..., Any]


def _plain(
    start_response: StartResponse, status: str, body: bytes, *extra: tuple[str, str]
) -> list[bytes]:
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *extra,
        ],
    )
    return [body]


def not_modified(environ: dict[str, Any], etag: str, changed: datetime) -> bool:
    """RFC 9110: ``If-None-Match`` decides when sent; ``If-Modified-Since`` only without it."""
    tags = environ.get("HTTP_IF_NONE_MATCH")
    if tags is not None:
        offered = {t.strip().removeprefix("W/") for t in str(tags).split(",")}
        return f'"{etag}"' in offered or "*" in offered
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if not since:
        return False
    try:
        moment = parsedate_to_datetime(str(since))
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC says
    if moment.tzinfo is None:
        return False
    return changed.replace(microsecond=0) <= moment


class CalendarFeeds:
    """The WSGI endpoint for ``/calendar/``; ``bot.server`` routes the prefix here."""

    def __init__(self, clerk: Clerk) -> None:
        self._clerk = clerk

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return _plain(
                start_response, "405 Method Not Allowed", b"GET only\n", ("Allow", "GET, HEAD")
            )
        found = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        served = self._serve(found.group(1)) if found else None
        if served is None:
            return _plain(start_response, "404 Not Found", NOT_FOUND_BODY)
        etag, changed, build = served
        headers = [
            ("ETag", f'"{etag}"'),
            ("Last-Modified", format_datetime(changed, usegmt=True)),
            ("Cache-Control", "private, no-cache"),
        ]
        if not_modified(environ, etag, changed):
            start_response("304 Not Modified", headers)
            return [b""]
        body = build()
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Content-Disposition", 'inline; filename="clerk.ics"'),
                *headers,
            ],
        )
        return [b""] if method == "HEAD" else [body]

    def warm(self) -> tuple[int, int]:
        """Serialise every live feed's events once, so no calendar waits for a cold cache.

        ``icalendar`` takes about 0.2 ms an event: the first read of a 2,000-deadline feed
        after a start would take over 400 ms, every later one about 30 ms. Calendars poll
        minutes apart, so doing that work in the background as the server starts means even
        the first poll finds the events' bytes cached. It stops when the bounded event cache
        is full (the most recently changed feeds first). Returns (feeds, events) warmed.
        """
        clerk = self._clerk
        zone, domain = clerk.settings.tz, clerk.settings.calendar_domain
        warmed = events = 0
        with clerk.db.reading() as session:
            sources = feeds.live_feeds(session)
            steps = tuple(clerk.firm.get("reminder_days", session))
        for source in sources:
            with clerk.db.reading() as session:
                entries = feeds.open_entries(
                    session, user_id=source.user_id, matter_id=source.matter_id
                )
            if events + len(entries) > EVENT_CACHE_SIZE:
                break
            build_calendar(
                entries,
                zone=zone,
                stamp=source.changed_at or clerk.now(),
                domain=domain,
                alarm_days=steps,
                name=source.name,
            )
            warmed, events = warmed + 1, events + len(entries)
        return warmed, events

    def warm_in_background(self) -> threading.Thread:
        """:meth:`warm` on a daemon thread (a failure is logged; the feeds work cold)."""

        def run() -> None:
            started = time.perf_counter()
            try:
                warmed, events = self.warm()
            except Exception:  # noqa: BLE001 - warming is an optimisation, never fatal
                log.exception("could not warm the calendar feeds; they will be built cold")
                return
            took = time.perf_counter() - started
            log.info("warmed %d calendar feeds (%d events) in %.1f s", warmed, events, took)

        thread = threading.Thread(target=run, name="clerk-calendar-warm-up", daemon=True)
        thread.start()
        return thread

    def _serve(self, token: str) -> tuple[str, datetime, Callable[[], bytes]] | None:
        """The feed's ETag, last change, and how to build it; None for any bad token."""
        clerk = self._clerk
        settings = clerk.settings
        with clerk.db.reading() as session:
            source = feeds.find(session, token)
            if source is None:
                return None
            entries = feeds.open_entries(
                session, user_id=source.user_id, matter_id=source.matter_id
            )
            steps = tuple(clerk.firm.get("reminder_days", session))
        zone, domain = settings.tz, settings.calendar_domain
        etag = feeds.etag_of(entries, zone.key, domain, steps, source.name)
        changed = source.changed_at
        if etag != source.served_etag or changed is None:
            with clerk.db.unit_of_work(SYSTEM_ACTOR) as session:
                changed = feeds.record_served(session, source.feed_id, etag, clerk.now())

        def build() -> bytes:
            return build_calendar(
                entries,
                zone=zone,
                stamp=changed,
                domain=domain,
                alarm_days=steps,
                name=source.name,
            )

        return etag, changed, build
