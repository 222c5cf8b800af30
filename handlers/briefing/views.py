"""The morning briefing DM: queued as the facts it states, drawn as Block Kit when it is sent.

One DM per person per working morning holds everything Clerk has to tell them that morning:
their deadline reminders, follow-ups due, key clients out of touch and the follow-ups a
colleague closed since the last briefing, worst first (missed, due today, then by how near),
each line with its own buttons (a closed follow-up's has none: nothing is left to do). A
lawyer's phone buzzes once, and the morning's DMs are as many as the people, not the items (a
large firm's Monday was 3,453 DMs to 438 people, 189 to its busiest lawyer).

As with the reminder DM it replaces, the job queues a :class:`Briefing` (the items' facts,
their texts worked out for the morning planned, about 200 bytes an item) and delivery draws
it with :meth:`Briefing.render` just before ``chat.postMessage``. ``render`` is a pure
function of the facts and of what buttons have done to its lines since: the dry run, the
tests, delivery and the buttons all draw the very same DM.

Slack shows at most 50 blocks in a message (and refuses a message whose blocks' text runs
much past 12,000 characters): each item takes two (its line, its buttons), so a briefing
shows the most urgent 24 and says how many more there are, pointing to ``/deadline list
mine`` and the App Home, which list them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from handlers.clients.cadence_job import KeyClientItem
from handlers.clients.follow_up_job import ClosedFollowUpItem, FollowUpItem
from handlers.deadlines.reminder_views import Reminder, when_text
from handlers.kernel import blocks

# The outbox payload key a briefing's facts are queued under; buttons record what they did
# to its lines under OUTCOMES (``handlers.briefing.buttons``).
QUEUED_AS = "briefing"
OUTCOMES = "outcomes"
OUTBOX_KIND = "briefing"
# Two blocks an item, one for the greeting and one for "N more": 24 items.
MAX_ITEMS = (blocks.MAX_BLOCKS_MESSAGE - 2) // 2
MAX_TEXT = 11_000  # the lines' characters, well under where Slack refuses a message
TITLE_CHARS = 200
SUMMARY_CHARS = 200
NAME_CHARS = 100

Item = Reminder | FollowUpItem | KeyClientItem | ClosedFollowUpItem
_TAGS: dict[type, str] = {
    Reminder: "d",
    FollowUpItem: "f",
    KeyClientItem: "k",
    ClosedFollowUpItem: "c",
}
_KINDS: dict[str, Any] = {tag: kind for kind, tag in _TAGS.items()}


class BriefingAction(StrEnum):
    DONE = "briefing_done"
    SNOOZE = "briefing_snooze"
    REASSIGN = "briefing_reassign"
    REASSIGN_MODAL = "briefing_reassign_modal"
    LOG_CONTACT = "briefing_log_contact"
    CONTACT_MODAL = "briefing_contact_modal"


def outbox_key(slack_id: str, day: str) -> str:
    """``briefing:{slack_id}:{YYYY-MM-DD}``: one a person a morning, whoever queues it."""
    return f"briefing:{slack_id}:{day}"


def item_id(item: Item) -> str:
    """What a line and its buttons are known by: ``d42`` (deadline 42), ``f7`` (contact 7's
    follow-up), ``k3`` (key client 3), ``c9`` (contact 9's follow-up, closed by a colleague)."""
    if isinstance(item, Reminder):
        return f"d{item.deadline_id}"
    if isinstance(item, FollowUpItem):
        return f"f{item.contact_id}"
    if isinstance(item, ClosedFollowUpItem):
        return f"c{item.contact_id}"
    return f"k{item.client_id}"


def urgency(item: Item) -> tuple[int, int, int]:
    """Worst first: missed (a deadline before a follow-up, the oldest first), due today,
    then by how near (a deadline before a follow-up on the same day), key clients, and last
    what colleagues closed (news, nothing to do)."""
    if isinstance(item, ClosedFollowUpItem):
        return (4, 0, 0)
    if isinstance(item, KeyClientItem):
        return (3, -(item.days_since if item.days_since is not None else 10**6), 0)
    days = item.days_before if isinstance(item, Reminder) else item.days
    kind = 0 if isinstance(item, Reminder) else 1
    if days < 0:
        return (0, kind, days)
    if days == 0:
        return (1, kind, 0)
    return (2, days, kind)


def worst_first(items: Iterable[Item]) -> tuple[Item, ...]:
    """Stable: items that tie keep their planned order (a day's all-day deadlines before
    its timed ones, by time)."""
    return tuple(sorted(items, key=urgency))


class Briefing(NamedTuple):
    """What one person's briefing states: the morning it is for and its items, worst first."""

    day: str  # "Fri 4 Dec 2026"
    items: tuple[Item, ...]

    def payload(self) -> dict[str, Any]:
        """What the outbox stores: the facts, each item as its tag and fields."""
        return {
            QUEUED_AS: {
                "day": self.day,
                "items": [[_TAGS[type(item)], *item] for item in self.items],
            }
        }

    @classmethod
    def from_queued(cls, facts: Mapping[str, Any]) -> Briefing:
        """The briefing an outbox row was queued with (a malformed one raises KeyError,
        TypeError or ValueError, which delivery reports)."""
        items = tuple(_KINDS[tag](*fields) for tag, *fields in facts["items"])
        return cls(str(facts["day"]), items)

    def ids(self) -> set[str]:
        return {item_id(item) for item in self.items}

    def render(self, outcomes: Mapping[str, str] | None = None) -> blocks.Message:
        """The DM; a line a button acted on shows what was done instead of its buttons."""
        done = outcomes or {}
        rows: list[blocks.Block_] = []
        used = 0
        shown = 0
        for item in self.items[:MAX_ITEMS]:
            key = item_id(item)
            line = done.get(key) or _line(item)
            if shown and used + len(line) > MAX_TEXT:
                break
            used += len(line)
            shown += 1
            rows.append(blocks.section(line, block_id=key))
            if key not in done and not isinstance(item, ClosedFollowUpItem):
                rows.append(_buttons(item, key))
        more = len(self.items) - shown
        lead = blocks.section(f":sunrise: *Your morning, {self.day}*\n{_counts(self.items)}")
        tail = (
            [
                blocks.context(
                    f"…and {more} more: `/deadline list mine` and Clerk's App Home list them all."
                )
            ]
            if more
            else []
        )
        return blocks.message(
            blocks.truncate(f"Your morning: {_counts(self.items)}", 300), lead, rows, tail
        )


def _counts(items: tuple[Item, ...]) -> str:
    """The notification's words: "2 deadlines (1 missed) · 1 follow-up · 1 key client ·
    1 follow-up closed by a colleague"."""
    deadlines = [i for i in items if isinstance(i, Reminder)]
    follow_ups = sum(isinstance(i, FollowUpItem) for i in items)
    key_clients = sum(isinstance(i, KeyClientItem) for i in items)
    closed = sum(isinstance(i, ClosedFollowUpItem) for i in items)
    parts = []
    if deadlines:
        missed = sum(d.days_before < 0 for d in deadlines)
        today = sum(d.days_before == 0 for d in deadlines)
        said = [f"{missed} missed"] * bool(missed) + [f"{today} due today"] * bool(today)
        plural = "s" if len(deadlines) != 1 else ""
        parts.append(
            f"{len(deadlines)} deadline{plural}" + (f" ({', '.join(said)})" if said else "")
        )
    if follow_ups:
        parts.append(f"{follow_ups} follow-up{'s' if follow_ups != 1 else ''}")
    if key_clients:
        parts.append(f"{key_clients} key client{'s' if key_clients != 1 else ''}")
    if closed:
        parts.append(f"{closed} follow-up{'s' if closed != 1 else ''} closed by a colleague")
    return " · ".join(parts)


def _line(item: Item) -> str:
    if isinstance(item, Reminder):
        return _deadline_line(item)
    if isinstance(item, FollowUpItem):
        return _follow_up_line(item)
    if isinstance(item, ClosedFollowUpItem):
        return _closed_line(item)
    return _key_client_line(item)


def _deadline_line(item: Reminder) -> str:
    at = f" at {item.time}" if item.time else ""
    title = blocks.escape(blocks.truncate(item.title, TITLE_CHARS))
    if item.days_before < 0:
        head = f":red_circle: *{item.matter_code}* {title} was due *{item.day}*{at}: missed"
    elif item.days_before == 0:
        head = f":alarm_clock: *{item.matter_code}* {title} is due *today*{at}"
    else:
        when = when_text(item.days_before)
        head = f":spiral_calendar_pad: *{item.matter_code}* {title} is due *{when}*{at}"
        head += f" ({item.day})"
    detail = f"Deadline #{item.deadline_id}"
    if item.citation:
        detail += f" · {blocks.escape(blocks.truncate(item.citation, NAME_CHARS))}"
    if item.lawyer_slack_id:
        detail += f" · responsible {blocks.mention(item.lawyer_slack_id)}"
    return f"{head}\n{detail}"


def _follow_up_line(item: FollowUpItem) -> str:
    if item.days < 0:
        late = -item.days
        when = f"was due *{late} day{'s' if late != 1 else ''} ago*"
    elif item.days == 0:
        when = "is due *today*"
    else:
        when = f"is due *{when_text(item.days)}*"
    name = blocks.escape(blocks.truncate(item.client_name, NAME_CHARS))
    summary = blocks.escape(blocks.truncate(item.summary, SUMMARY_CHARS))
    return f":calendar: Follow-up with *{item.client_code}* {name} {when} ({item.day}):\n{summary}"


def _closed_line(item: ClosedFollowUpItem) -> str:
    name = blocks.escape(blocks.truncate(item.client_name, NAME_CHARS))
    summary = blocks.escape(blocks.truncate(item.summary, SUMMARY_CHARS))
    return (
        f":handshake: Your follow-up with *{item.client_code}* {name} ({item.day}) was closed "
        f"by a colleague: {blocks.mention(item.closed_by)} logged a contact with the client.\n"
        f"{summary}"
    )


def _key_client_line(item: KeyClientItem) -> str:
    said = f"{item.days_since} days ago" if item.days_since is not None else "never"
    name = blocks.escape(blocks.truncate(item.client_name, NAME_CHARS))
    return (
        f":star: Key client *{item.client_code}* {name} was last contacted *{said}* "
        f"(every {item.cadence_days} days is the aim)"
    )


def _buttons(item: Item, key: str) -> blocks.Block_:
    if isinstance(item, Reminder):
        return blocks.actions(
            blocks.button("Mark done", BriefingAction.DONE, key, style="primary"),
            blocks.button("Snooze reminder 1 day", BriefingAction.SNOOZE, key),
            blocks.button("Reassign", BriefingAction.REASSIGN, key),
            block_id=f"{key}-buttons",
        )
    return blocks.actions(
        blocks.button("Log contact", BriefingAction.LOG_CONTACT, key),
        block_id=f"{key}-buttons",
    )
