"""The messages Clerk sends on its own: the deadline digest, key-client nudges, delivery-failure
reports (the reminder and follow-up DMs are ``handlers.deadlines.reminder_views`` and
``handlers.clients.follow_up_views``). Pure functions of already-loaded rows, so the scheduler,
``clerk digest --dry-run`` and the tests all build the very same messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Protocol

from bot.dates.format import format_day, format_heading, format_short, format_time_12
from handlers.kernel import blocks

SECTION_ROOM = 2900  # Slack refuses section text over 3000 characters
SECTIONS_PER_MESSAGE = 12  # keeps a page under the 40,000 characters Slack keeps of a message


class DeadlineLine(Protocol):
    """What a digest line or a reminder DM shows of a deadline: a :class:`DigestItem`, or
    the reminder chain's row (``bot.deadlines.morning.ReminderRow``), which adds who else is
    told and the snooze."""

    @property
    def deadline_id(self) -> int: ...
    @property
    def matter_code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def due_on(self) -> date: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def lawyer_slack_id(self) -> str | None: ...
    @property
    def citation(self) -> str | None: ...


def day_text(day: date) -> str:
    return f"{format_day(day)}"


def time_text(at: datetime | None, zone: tzinfo) -> str:
    return f"{format_time_12(at.astimezone(zone))}" if at else ""


class DateTexts:
    """The day and time texts of ONE build, each formatted once and then looked up.

    A morning's thousand lines or DMs fall on a few dozen days and times, and ``strftime``
    per line (twice per reminder) was a fair share of building them. Made by each build and
    dropped with it: nothing is kept from one morning to the next.
    """

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._days: dict[date, str] = {}
        self._short_days: dict[date, str] = {}
        self._times: dict[datetime, str] = {}

    def day(self, day: date) -> str:
        """``day_text``: "Mon 7 Dec 2026"."""
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = day_text(day)
        return text

    def short_day(self, day: date) -> str:
        """As a missed line says when it was due: "Mon 7 Dec"."""
        text = self._short_days.get(day)
        if text is None:
            text = self._short_days[day] = f"{format_short(day)}"
        return text

    def time(self, at: datetime) -> str:
        """``time_text`` in the firm's zone (an aware instant: equal instants share it)."""
        text = self._times.get(at)
        if text is None:
            text = self._times[at] = time_text(at, self.zone)
        return text


def _lines_to_sections(title: str, lines: Sequence[str]) -> list[blocks.Block_]:
    """A titled group as one or more sections, each under Slack's text limit."""
    found: list[blocks.Block_] = []
    current = f"*{title}*"
    for line in lines:
        if len(current) + len(line) + 1 > SECTION_ROOM:
            found.append(blocks.section(current))
            current = f"*{title}* (continued)"
        current += "\n" + line
    found.append(blocks.section(current))
    return found


def _digest_line(item: DeadlineLine, texts: DateTexts, show_day: bool) -> str:
    line = f"• *{item.matter_code}* {blocks.escape(blocks.truncate(item.title, 200))}"
    if show_day:
        line += f" · was due {texts.short_day(item.due_on)}"
    if item.due_at:
        line += f" · {texts.time(item.due_at)}"
    lawyer = item.lawyer_slack_id
    line += f" · {blocks.mention(lawyer)}" if lawyer else " · _no lawyer_"
    if item.citation:
        line += f" _({blocks.escape(item.citation)})_"
    return line


def digest_messages(
    items: Iterable[DeadlineLine], *, day: date, horizon: date, zone: tzinfo
) -> list[blocks.Message]:
    """Missed, due today, then each day up to ``horizon``; split to fit Slack's limits."""
    texts = DateTexts(zone)
    missed: list[str] = []
    today: list[str] = []
    later: dict[date, list[str]] = {}
    count = 0
    for item in items:
        count += 1
        if item.due_on < day:
            missed.append(_digest_line(item, texts, True))
        elif item.due_on == day:
            today.append(_digest_line(item, texts, False))
        else:
            later.setdefault(item.due_on, []).append(_digest_line(item, texts, False))
    body: list[blocks.Block_] = []
    if missed:
        body += _lines_to_sections(":red_circle: Missed", missed)
    if today:
        body += _lines_to_sections(":alarm_clock: Due today", today)
    for when, lines in later.items():
        body += _lines_to_sections(f"{format_heading(when)}", lines)
    if not body:
        body = [blocks.section(f"Nothing due through {format_short(horizon)}. :tada:")]
    summary = (
        f"{len(missed)} missed · {len(today)} due today · "
        f"{count - len(missed) - len(today)} through {format_short(horizon)}"
    )
    return blocks.paginate(
        f"Deadlines · {day_text(day)}",
        body,
        lead=[blocks.context(summary)],
        fallback=f"Deadlines for {day_text(day)}: {summary}",
        per_page=SECTIONS_PER_MESSAGE,
    )


def cadence_message(
    *, client_code: str, client_name: str, days_since: int | None, cadence_days: int
) -> blocks.Message:
    said = f"{days_since} days ago" if days_since is not None else "never"
    return blocks.message(
        f"Key client {client_code} was last contacted {said}",
        blocks.section(
            f":star: Key client *{client_code}* {blocks.escape(client_name)} was last "
            f"contacted *{said}* (every {cadence_days} days is the aim)."
        ),
        blocks.context(f"Log the call with `/contact {client_code} call …`"),
    )


def failure_report(*, kind: str, target: str, error: str) -> blocks.Message:
    where = blocks.mention(target) if target[:1] in ("U", "W") else f"<#{target}>"
    text = f"Clerk could not deliver a {kind.replace('_', ' ')} message to {where}: {error}"
    return blocks.message(
        text,
        blocks.section(f":warning: {text}"),
        blocks.context(
            "Slack refused it for good, so it will not be retried. Invite Clerk to the "
            "channel, or set the right one with `/clerk settings`."
        ),
    )
