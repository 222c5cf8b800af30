"""``/deadline``: add, list, done, move, cancel, calendar; DM sentences; the form's submission.

``rules`` and ``apply`` (and moving or cancelling a trigger) belong to
``handlers.deadlines.rulesets``;
this module dispatches to it. Dates are read by the date engine and settled by
``bot.deadlines.dates`` (past or ambiguous dates are asked about, never stored
silently); what may be stored is decided by ``bot.deadlines.service``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.clients.lookup import looks_like_matter_code
from bot.deadlines import lists as deadline_lists
from bot.deadlines import service as deadlines
from bot.deadlines.dates import Reading, decide
from bot.deadlines.periods import title_and_date
from bot.errors import InvalidInput, NeedsConfirmation
from bot.firm.users import slack_ids_by_id
from bot.permissions import Actor, Capability
from bot.text import ANY_USER_MENTION, user_id
from handlers.deadlines import feeds, rulesets, views
from handlers.deadlines.form import modal_deadline, open_modal
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, slash_command
from handlers.kernel.errors import confirmation_message
from handlers.kernel.replies import reply_privately
from schedules.outbox import enqueue

ASSIGN = re.compile(
    r"(?:^|\s)assign(?:ed)?(?:\s+to)?\s+(<@[UW][A-Z0-9_]+(?:\|[^>]*)?>|@[\w.\-]+)", re.I
)


def read_date(request: CommandRequest, text: str) -> Reading | blocks.Message:
    """The date to store, or the question to ask first (a past or ambiguous date).

    The question is returned as a normal reply rather than raised: it is a step of the
    conversation, not an error.
    """
    clerk = request.clerk
    parsed = clerk.dates.parse(text, now=clerk.now(), prefer="future")
    return ask_or_settle(request, parsed)


def ask_or_settle(request: CommandRequest, parsed: Any) -> Reading | blocks.Message:
    decided = decide(
        parsed,
        now=request.clerk.now(),
        zone=request.clerk.settings.tz,
        confirmed=request.confirmed,
        choice=rulesets.choice_value(request),
    )
    if isinstance(decided, NeedsConfirmation):
        return confirmation_message(decided)
    return decided


def person(clerk: Clerk, word: str) -> str:
    """The Slack id of a mention, or of an ``@handle`` typed as plain text."""
    mentioned = user_id(word)
    if mentioned:
        return mentioned
    with clerk.db.reading() as session:
        return deadline_lists.user_by_handle(session, word.lstrip("@"))


def names_for(session: Any, items: list[Any]) -> views.Names:
    people: list[int | None] = []
    for d in items:
        people += [d.responsible_id, d.assignee_id]
    return views.Names(
        deadlines.matter_codes(session, [d.matter_id for d in items]),
        slack_ids_by_id(session, people),
    )


# --- add ---------------------------------------------------------------------------------


def add(request: CommandRequest) -> Reply:
    """``MATTER TITLE [on|by|due] DATE`` or ``MATTER TITLE N [court] days after DATE``."""
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_DEADLINES)
    code, _, rest = request.text.partition(" ")
    with clerk.db.reading() as session:
        deadlines.open_matter(session, code)  # a typo or closed matter is said before dates
    assignee = None
    found = ASSIGN.search(rest)
    if found:
        assignee = clerk.directory.member(person(clerk, found.group(1)))
        rest = (rest[: found.start()] + rest[found.end() :]).strip()
    if ANY_USER_MENTION.search(rest):
        raise InvalidInput("To give the deadline to someone, write `assign @name`.")
    if not rest.strip():
        raise InvalidInput("Give a title and a date, e.g. `/deadline ACME-1 Reply brief on Dec 3`.")
    # A period left unread in the title is asked about (or refused), never stored as typed.
    found = title_and_date(
        clerk.dates,
        rest,
        now=clerk.now(),
        confirmed=request.confirmed,
        choice=rulesets.choice_value(request),
    )
    if isinstance(found, NeedsConfirmation):
        return confirmation_message(found)
    title, parsed = found
    reading = ask_or_settle(request, parsed)
    if isinstance(reading, blocks.Message):
        return reading
    return store(
        clerk,
        actor,
        deadlines.NewDeadline(
            matter_code=code,
            title=deadlines.clean_title(title),
            due_on=reading.day,
            due_at=reading.at,
            source_text=request.text,
            explanation=reading.explanation,
            assignee_id=assignee.user_id if assignee else None,
        ),
    )


def store(clerk: Clerk, actor: Actor, new: deadlines.NewDeadline) -> blocks.Message:
    with clerk.db.unit_of_work(actor.slack_id) as session:
        stored = deadlines.add_deadline(session, actor=actor, new=new)
        items = [stored.deadline, *stored.conflicts]
        names = names_for(session, items)
        reply = views.stored_reply(
            "Added",
            stored.deadline,
            stored.matter,
            names,
            clerk.settings.tz,
            clerk.today(),
            stored.conflicts,
        )
        assignee = stored.deadline.assignee_id
        if assignee is not None and assignee != actor.user_id:
            assignee_slack_id = names.slack_ids[assignee]
            enqueue(
                session,
                key=f"deadline-assigned:{stored.deadline.id}:{assignee_slack_id}",
                target=assignee_slack_id,
                kind="deadline-assigned",
                payload={
                    "text": f"{blocks.escape(actor.name)} assigned you a deadline. {reply.text}",
                    "blocks": [
                        blocks.section(f"{blocks.mention(actor.slack_id)} assigned you:"),
                        *reply.blocks,
                    ],
                },
            )
    return reply


# --- list, done, move, cancel, calendar --------------------------------------------------


def list_(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.READ_CLIENTS)
    wanted = deadline_lists.read_list_words(request.text.partition(" ")[2])
    if wanted.kind == "handle":
        wanted = replace(wanted, kind="user", word=person(clerk, wanted.word or ""))
    member = clerk.directory.member(wanted.word) if wanted.kind == "user" and wanted.word else None
    with clerk.db.reading() as session:
        listing = deadline_lists.list_for(
            session,
            actor=actor,
            request=wanted,
            member_id=member.user_id if member else None,
            today=clerk.today(),
            limit=views.MAX_LISTED,
        )
    page = listing.page
    return views.list_pages(
        listing.title,
        page.deadlines,
        views.Names(page.matter_codes, page.slack_ids),
        clerk.settings.tz,
        clerk.today(),
        empty=listing.empty,
        total=page.total,
    )


def _one_id(request: CommandRequest, usage: str) -> tuple[int, str]:
    parts = request.text.split(" ", 2)
    if len(parts) < 2:
        raise InvalidInput(f"Which deadline? `{usage}`", usage=views.USAGE_HINT)
    return deadlines.parse_id(parts[1]), parts[2] if len(parts) > 2 else ""


def done(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_DEADLINES)
    deadline_id, extra = _one_id(request, "/deadline done ID")
    if extra:
        raise InvalidInput(f"`/deadline done` takes one deadline number, not `{extra}`.")
    with clerk.db.unit_of_work(actor.slack_id) as session:
        d = deadlines.complete_deadline(
            session, actor=actor, deadline_id=deadline_id, now=clerk.now()
        )
        names = names_for(session, [d])
        due = views.when(d, clerk.settings.tz)
        text = f"Marked #{d.id} done: {d.title} ({names.matter(d)}, due {due})."
    return blocks.success(blocks.escape(text))


def move(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_DEADLINES)
    deadline_id, date_text = _one_id(request, "/deadline move ID DATE")
    if not date_text:
        raise InvalidInput("Move it to when? e.g. `/deadline move 12 next Friday`.")
    with clerk.db.reading() as session:
        current = deadlines.get_deadline(session, deadline_id)
    if current.is_trigger:
        return rulesets.preview_trigger_move(request, current, date_text)
    date_text, all_day = _all_day(date_text)
    reading = read_date(request, date_text)
    if isinstance(reading, blocks.Message):
        return reading
    with clerk.db.unit_of_work(actor.slack_id) as session:
        stored = deadlines.move_deadline(
            session,
            actor=actor,
            deadline_id=deadline_id,
            due_on=reading.day,
            due_at=reading.at,
            explanation=reading.explanation,
            source_text=request.text,
            zone=clerk.settings.tz,
            keep_time=not all_day,
        )
        names = names_for(session, [stored.deadline, *stored.conflicts])
        reply = views.stored_reply(
            "Moved",
            stored.deadline,
            stored.matter,
            names,
            clerk.settings.tz,
            clerk.today(),
            stored.conflicts,
        )
    if (
        stored.deadline.computed_on is not None
        and stored.deadline.due_on != stored.deadline.computed_on
    ):
        reply.blocks.append(
            blocks.context(
                "Set by hand: if its trigger moves, Clerk keeps this date and flags it "
                "instead of recomputing it."
            )
        )
    return reply


ALL_DAY = re.compile(r"(?:^|\s|,)\(?all[\s-]day\)?\s*$|^\s*all[\s-]day\b[\s,]*", re.IGNORECASE)


def _all_day(text: str) -> tuple[str, bool]:
    """``Dec 10 all day`` -> (``Dec 10``, True): the mover says the time no longer holds."""
    found = ALL_DAY.search(text)
    if found is None:
        return text, False
    return (text[: found.start()] + text[found.end() :]).strip(" ,"), True


def cancel(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_DEADLINES)
    deadline_id, reason = _one_id(request, "/deadline cancel ID REASON")
    reason = deadlines.clean_reason(reason)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        d = deadlines.cancel_deadline(session, actor=actor, deadline_id=deadline_id, reason=reason)
        if d.is_trigger:
            return rulesets.offer_cancel_dependents(request, session, d, reason)
        names = names_for(session, [d])
        text = f"Cancelled #{d.id}: {d.title} ({names.matter(d)}). Reason: {reason}"
    return blocks.success(blocks.escape(text))


def calendar(request: CommandRequest) -> Reply:
    """``/deadline calendar [reset]``: the subscription URL and the file (``feeds``)."""
    return feeds.deadline_calendar(request)


SUBCOMMANDS = {
    "list": list_,
    "ls": list_,
    "done": done,
    "complete": done,
    "move": move,
    "cancel": cancel,
    "calendar": calendar,
    "ics": calendar,
    "rules": rulesets.rules,
    "apply": rulesets.apply,
}


def run(request: CommandRequest) -> Reply:
    word = request.text.split(" ", 1)[0]
    sub = SUBCOMMANDS.get(word.lower())
    if sub is not None:
        return sub(request)
    if looks_like_matter_code(word):
        return add(request)
    _not_a_matter(request, word)
    raise AssertionError("unreachable")  # pragma: no cover


def _not_a_matter(request: CommandRequest, word: str) -> None:
    """A client code where a matter belongs gets a hint; anything else gets the usage."""
    with request.clerk.db.reading() as session:
        client = deadlines.client_code(session, word)
    if client is not None:
        raise InvalidInput(
            f"`{client}` is a client: deadlines go on one of its matters, e.g. "
            f"`/deadline {client}-1 Reply brief on Dec 3` (`/client {client}` lists them).",
            usage=views.USAGE_HINT,
        )
    raise InvalidInput(
        f"I don't know `/deadline {blocks.escape(blocks.truncate(word, 40))}`: start with a "
        "matter code (e.g. ACME-1) or one of list, done, move, cancel, calendar, rules, apply.",
        usage=views.USAGE_HINT,
    )


# --- sentences and the form -----------------------------------------------------------------


def read_sentence(
    *, clerk: Clerk, actor: Actor, text: str, reply: Any, event: dict[str, Any]
) -> bool:
    """``ACME-1 reply brief due next Friday`` in a DM or mention adds the deadline."""
    text = text.strip().rstrip(".!")
    words = text.split()
    if len(words) < 2 or not looks_like_matter_code(words[0]):
        return False
    if words[1].lower() in SUBCOMMANDS:
        return False
    request = CommandRequest(
        clerk=clerk,
        actor=actor,
        command="/deadline",
        text=text,
        channel_id=event.get("channel", ""),
        client=clerk.client,
    )
    reply(add(request))
    return True


def register(app: App, clerk: Clerk) -> None:
    slash_command(app, clerk, "/deadline", run, usage=views.USAGE, open_modal=open_modal)
    clerk.sentence_handlers.append(("deadlines", read_sentence))

    @app.view(views.DeadlineView.ADD)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        new = modal_deadline(clerk, actor, blocks.view_values(view))
        reply = store(clerk, actor, new)
        ack()
        reply_privately(client, actor.slack_id, view.get("private_metadata") or "", reply)
