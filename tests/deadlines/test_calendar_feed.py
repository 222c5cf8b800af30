"""Calendar feeds read by a real HTTP client from a running Clerk, checked by a second reader.

Each feed is fetched with urllib from the same waitress server that takes Slack's requests,
and parsed with ``vobject`` (an iCalendar reader independent of the ``icalendar`` library
that wrote it), the way a subscribed calendar would see it after each change.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from email.message import Message

import vobject

from storage.models import CalendarFeed
from tests.deadlines.conftest import NY, deadlines
from tests.deadlines.helpers import last, shown
from tests.harness import Harness

URL = re.compile(r"http://localhost:3000/calendar/([A-Za-z0-9_-]+)\.ics")


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes


def fetch(h: Harness, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    request = urllib.request.Request(h.url + path, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as refused:
        return Response(refused.code, refused.headers, refused.read())


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def ask_url(h: Harness, user: str, command: str = "/deadline", text: str = "calendar") -> str:
    reply = last(h.slack.command(user, command, text))
    assert reply["response_type"] == "ephemeral"  # the URL is a secret: only the asker sees it
    found = URL.search(shown(reply))
    assert found, shown(reply)
    return found.group(1)


def events(body: bytes) -> dict[str, vobject.base.Component]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return {e.uid.value: e for e in calendar.contents.get("vevent", [])}


def uid(deadline_id: int) -> str:
    return f"deadline-{deadline_id}@localhost"


def add(h: Harness, user: str, text: str) -> int:
    reply = last(h.slack.command(user, "/deadline", text))
    assert "Added" in shown(reply), shown(reply)
    return deadlines(h.db)[-1].id


def test_the_feed_follows_an_add_a_move_a_done_and_a_cancel(clerk_at: Harness) -> None:
    h = clerk_at
    brief = add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    hearing = add(h, "U_LENA", "ACME-1 Hearing on Dec 4 10am")
    add(h, "U_MARK", "ACME-2 Mark's lease on Dec 5")  # someone else's: not in Lena's feed
    token = ask_url(h, "U_LENA")
    first = fetch(h, feed_path(token))
    assert first.status == 200 and first.headers["Content-Type"].startswith("text/calendar")
    shown_events = events(first.body)
    assert set(shown_events) == {uid(brief), uid(hearing)}
    all_day = shown_events[uid(brief)]
    assert type(all_day.dtstart.value) is date and all_day.dtstart.value == date(2026, 12, 3)
    timed = shown_events[uid(hearing)].dtstart.value
    assert isinstance(timed, datetime) and timed.astimezone(NY).hour == 10
    assert b"BEGIN:VTIMEZONE" in first.body and b"TZID:America/New_York" in first.body
    assert "ACME-1" in all_day.description.value
    assert len(all_day.contents["valarm"]) == 6  # the firm's steps: 30, 14, 7, 3, 1, 0 days

    added = add(h, "U_LENA", "ACME-1 Expert report on Dec 9")
    assert uid(added) in events(fetch(h, feed_path(token)).body)

    old_sequence = int(all_day.sequence.value)
    last(h.slack.command("U_LENA", "/deadline", f"move {brief} Dec 10"))
    moved = events(fetch(h, feed_path(token)).body)[uid(brief)]  # same UID: it moves
    assert moved.dtstart.value == date(2026, 12, 10)
    assert int(moved.sequence.value) >= old_sequence  # grows by the second: see the unit test

    last(h.slack.command("U_LENA", "/deadline", f"done {hearing}"))
    last(h.slack.command("U_LENA", "/deadline", f"cancel {added} client withdrew"))
    assert set(events(fetch(h, feed_path(token)).body)) == {uid(brief)}


def test_a_repeated_etag_or_date_gets_304_and_a_change_a_new_etag(clerk_at: Harness) -> None:
    h = clerk_at
    brief = add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    token = ask_url(h, "U_LENA")
    first = fetch(h, feed_path(token))
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = fetch(h, feed_path(token), {"If-None-Match": etag})
    assert again.status == 304 and again.body == b"" and again.headers["ETag"] == etag
    assert fetch(h, feed_path(token), {"If-Modified-Since": modified}).status == 304
    assert fetch(h, feed_path(token), {"If-None-Match": '"other"'}).status == 200
    last(h.slack.command("U_LENA", "/deadline", f"done {brief}"))
    changed = fetch(h, feed_path(token), {"If-None-Match": etag})
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert events(changed.body) == {}


def test_reset_revokes_the_old_url_which_then_reads_like_one_never_issued(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    old = ask_url(h, "U_LENA")
    again = last(h.slack.command("U_LENA", "/deadline", "calendar"))
    assert "already have" in shown(again) and not URL.search(shown(again))
    assert "/deadline calendar reset" in shown(again)
    new = ask_url(h, "U_LENA", text="calendar reset")
    assert new != old and fetch(h, feed_path(new)).status == 200
    revoked = fetch(h, feed_path(old))
    never = fetch(h, feed_path("A" * 43))
    assert revoked.status == never.status == 404
    assert revoked.body == never.body
    same = ("Content-Type", "Content-Length")
    assert [revoked.headers[k] for k in same] == [never.headers[k] for k in same]
    with h.db.reading() as s:
        stored = [f.token_hash for f in s.query(CalendarFeed)]
    assert old not in stored and new not in stored  # only hashes are kept
    assert all(len(hashed) == 64 for hashed in stored)


def test_bad_paths_and_methods_read_the_same_as_an_unknown_token(clerk_at: Harness) -> None:
    h = clerk_at
    token = ask_url(h, "U_LENA")
    unknown = fetch(h, feed_path("B" * 43)).body
    for path in ("/calendar/", "/calendar/short.ics", f"/calendar/{token}", "/calendar/%00.ics"):
        answer = fetch(h, path)
        assert (answer.status, answer.body) == (404, unknown), path
    assert fetch(h, feed_path(token), method="POST").status == 405
    assert fetch(h, feed_path(token), method="HEAD").status == 200


def test_a_deactivated_members_url_stops_working(clerk_at: Harness) -> None:
    h = clerk_at
    add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    token = ask_url(h, "U_LENA")
    assert fetch(h, feed_path(token)).status == 200
    event = {"type": "user_change", "user": {"id": "U_LENA", "name": "lena", "deleted": True}}
    assert h.slack.event(event).status == 200
    assert fetch(h, feed_path(token)).status == 404
    refused = last(h.slack.command("U_LENA", "/matter", "calendar ACME-1"))
    assert "deactivated" in shown(refused) and not URL.search(shown(refused))


def test_a_matter_feed_shows_that_matters_deadlines_whoever_holds_them(
    clerk_at: Harness,
) -> None:
    h = clerk_at
    lenas = add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    sams = add(h, "U_LENA", "NOLAW-1 Inventory on Dec 4 assign @sam")
    add(h, "U_MARK", "ACME-2 Lease renewal on Dec 5")
    token = ask_url(h, "U_BILL", "/matter", "calendar nolaw-1")  # billing may see matters
    assert set(events(fetch(h, feed_path(token)).body)) == {uid(sams)}
    mine = ask_url(h, "U_SAM")  # a person's feed: what they are responsible for or assigned
    assert mine != token and set(events(fetch(h, feed_path(mine)).body)) == {uid(sams)}
    lena = ask_url(h, "U_LENA", "/matter", "calendar ACME-1")
    assert set(events(fetch(h, feed_path(lena)).body)) == {uid(lenas)}
    again = last(h.slack.command("U_BILL", "/matter", "calendar NOLAW-1"))
    assert "/matter calendar NOLAW-1 reset" in shown(again)


def test_bad_input_gets_a_clear_private_reply_and_writes_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    cases = [
        ("/matter", "calendar", "Which matter?"),
        ("/matter", "calendar ACME-99", "ACME-99"),
        ("/matter", "calendar <!channel>", "not a matter code"),
        ("/matter", "calendar ACME-1 now <http://x|y>", "takes only `reset`"),
        ("/deadline", "calendar <!channel>", "takes only `reset`"),
    ]
    for command, text, said in cases:
        reply = last(h.slack.command("U_LENA", command, text))
        assert reply["response_type"] == "ephemeral"
        assert said in shown(reply), (text, shown(reply))
        assert "<!channel>" not in shown(reply) and "<http://x|y>" not in shown(reply)
    assert h.count(CalendarFeed) == 0


def test_slack_markup_in_a_title_reaches_the_calendar_as_plain_text(clerk_at: Harness) -> None:
    h = clerk_at
    noisy = add(h, "U_LENA", "ACME-1 Brief for <!channel> on Dec 3")
    token = ask_url(h, "U_LENA")
    (event,) = events(fetch(h, feed_path(token)).body).values()
    assert event.uid.value == uid(noisy) and "@channel" not in event.summary.value


def test_without_slack_the_port_serves_only_feeds_and_health(clerk_at: Harness) -> None:
    """Socket Mode: ``clerk run --port`` serves the feeds and the probe, nothing of Slack's."""
    from bot.calendar_http import CalendarFeeds
    from bot.server import base_url, make_server, serve_in_background, stop_server

    h = clerk_at
    add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    token = ask_url(h, "U_LENA")
    server = make_server(None, h.db, host="127.0.0.1", port=0, calendars=CalendarFeeds(h.clerk))
    thread = serve_in_background(server)
    try:
        feeds_only = Harness(h.clerk, h.standin, h.slack, h.executor, base_url(server))
        assert len(events(fetch(feeds_only, feed_path(token)).body)) == 1
        assert fetch(feeds_only, "/healthz").status == 200
        assert fetch(feeds_only, "/slack/events", method="POST").status == 404
    finally:
        stop_server(server, thread)


def test_warming_serialises_every_live_feed_so_the_first_poll_finds_it_cached(
    clerk_at: Harness,
) -> None:
    """`clerk run` warms the feeds as it starts: the first poll then builds no event."""
    from bot.calendar_http import CalendarFeeds
    from bot.deadlines.calendar import _event

    h = clerk_at
    add(h, "U_LENA", "ACME-1 Reply brief on Dec 3")
    add(h, "U_LENA", "ACME-1 Hearing on Dec 4 10am")
    add(h, "U_MARK", "ACME-2 Mark's lease on Dec 5")
    lena = ask_url(h, "U_LENA")
    ask_url(h, "U_MARK")
    revoked = ask_url(h, "U_PAUL")
    h.slack.command("U_PAUL", "/deadline", "calendar reset")  # a revoked feed is not warmed
    _event.cache_clear()
    assert CalendarFeeds(h.clerk).warm() == (3, 3)  # Lena's, Mark's and Paul's new one
    before = _event.cache_info()
    assert fetch(h, feed_path(lena)).status == 200
    after = _event.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (0, 2)
    assert fetch(h, feed_path(revoked)).status == 404
