"""``/matter``: open (``add``), show and close matters; and the open-matter modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.clerk import Clerk
from bot.clients import budgets, matter_edit
from bot.clients import documents as document_service
from bot.clients import matters as service
from bot.clients.lookup import get_client, get_matter, looks_like_matter_code
from bot.errors import InvalidInput
from bot.permissions import Actor, Capability
from bot.text import split_words
from handlers.clients import conflicts, credit, documents, form_conflicts, matter_views, parties
from handlers.clients.budget_alerts import queue_budget_alerts
from handlers.clients.commands import dm, user_resolver, views
from handlers.clients.forms import read_matter_form
from handlers.deadlines import feeds as calendar_feeds
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, slash_command
from storage.models import MatterStatus


def _add(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.WRITE_MATTERS)
    words = split_words(request.text)
    if len(words) < 3:
        raise InvalidInput(
            'Give the client code and a title, e.g. /matter add ACME "Lease dispute".',
            usage=views.MATTER_ADD_USAGE,
        )
    rest = words[3:]
    lawyer = None
    if rest:
        if rest[0].lower() != "lawyer" or len(rest) != 2:
            raise InvalidInput(
                f"I don't understand `{' '.join(rest)}`. If the title has several words, put "
                f'it in quotes: /matter add {words[1].upper()} "{words[2]} {" ".join(rest)}".',
                usage=views.MATTER_ADD_USAGE,
            )
        lawyer = user_resolver(clerk)(rest[1])
    credit.ask_on_declined(request, words[1])  # declined credit: a partner's Proceed
    checked = conflicts.check_matter(request, words[1], words[2])  # asks Proceed on a hit
    with clerk.db.unit_of_work(actor.slack_id) as session:
        matter = service.add_matter(
            session,
            actor=actor,
            client_code=words[1],
            title=words[2],
            lawyer_id=lawyer,
            today=clerk.today(),
        )
        conflicts.record(session, request, checked, "matter add")
        return conflicts.note(views.matter_opened(matter), checked)


CLOSE_USAGE = "/matter close CODE [satisfaction 1-5] [REASON]"


def _close_words(text: str) -> tuple[str, int | None, str | None]:
    """``close CODE [satisfaction N] [REASON]`` -> (code, satisfaction, reason).

    ``satisfaction`` is a keyword: only a number after it is a score, so a reason that starts
    with a number (``/matter close ACME-1 5 boxes archived``) stays a reason."""
    parts = text.split(None, 2)
    if len(parts) < 2 or not looks_like_matter_code(parts[1]):
        raise InvalidInput(
            "Say which matter, e.g. `/matter close ACME-1 satisfaction 4 settled`.",
            usage=CLOSE_USAGE,
        )
    rest = parts[2].strip() if len(parts) > 2 else ""
    satisfaction = None
    words = rest.split(None, 1)
    if words and words[0].lower() == "satisfaction":
        score = words[1].split(None, 1) if len(words) > 1 else [""]
        satisfaction = matter_edit.read_satisfaction(score[0])
        rest = score[1].strip() if len(score) > 1 else ""
    return parts[1], satisfaction, rest or None


def _close(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.WRITE_MATTERS)
    code, satisfaction, reason = _close_words(request.text)
    with clerk.db.reading() as session:
        matter = get_matter(session, code)
        pending = service.open_deadlines(session, matter)
        code, is_open = matter.code, matter.status is MatterStatus.OPEN
    if pending.count and is_open:
        next_due = pending.next_due.due_on if pending.next_due else None
        request.confirm(
            "open-deadlines",
            views.close_question(code, pending.count, next_due),
            f"Close {code}",
        )
    with clerk.db.unit_of_work(actor.slack_id) as session:
        matter = service.close_matter(
            session,
            actor=actor,
            code=code,
            reason=reason,
            today=clerk.today(),
            satisfaction=satisfaction,
        )
        after_care = matter_edit.schedule_after_care(
            session,
            matter=matter,
            days=int(clerk.firm.get("post_matter_follow_up_days", session)),
            today=clerk.today(),
            now=clerk.now(),
        )
        reply = views.matter_closed(matter, pending.count)
        due = after_care.follow_up_on if after_care is not None else None
        for line in matter_views.closed_extras(satisfaction, due):
            reply.blocks.append(blocks.context(line))
        return reply


def _unquoted(text: str) -> str:
    """The value as typed, without one pair of quotes around it (``"Lease dispute"``)."""
    value = text.strip()
    if len(value) >= 2 and value[0] in '"\u201c' and value[-1] in '"\u201d':
        value = value[1:-1].strip()
    return value


def _edit(request: CommandRequest) -> Reply:
    """``/matter edit MATTER FIELD VALUE``: one field, audited; budget alerts follow (a
    budget set under what is already billed, or a new lawyer for one already past it)."""
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.WRITE_MATTERS)
    parts = request.text.split(None, 3)
    if len(parts) < 4 or not looks_like_matter_code(parts[1]):
        raise InvalidInput(
            "Say which matter, field and value, e.g. `/matter edit ACME-1 budget 25000`.",
            usage=matter_edit.USAGE,
        )
    code, field = parts[1], matter_edit.read_field(parts[2])
    raw = _unquoted(parts[3])
    value: str | int | None = None if raw.lower() in matter_edit.CLEAR_WORDS else raw
    if field == "lawyer" and value is not None:
        with clerk.db.reading() as session:  # refused before the mention is looked up
            matter_edit.require_may_edit(session, actor=actor, code=code, field=field)
        value = user_resolver(clerk)(raw)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        result = matter_edit.edit_matter(session, actor=actor, code=code, field=field, value=value)
        told = 0
        if field in ("budget", "lawyer"):
            told = queue_budget_alerts(session, [result.matter_id])
        return matter_views.edited(result, alerted=told > 0)


def _show(request: CommandRequest) -> Reply:
    clerk = request.clerk
    with clerk.db.reading() as session:
        card = service.matter_card(session, actor=request.actor, code=request.words[0])
        money: list[tuple[str, str]] = []
        if budgets.may_see_money(request.actor, card.matter, card.client):
            found = budgets.figures(session, card.matter, card.client.currency)
            money = matter_views.budget_pairs(found)
        shown = views.matter_card(card, clerk.settings.tz, money)
        latest = document_service.latest(session, card.matter.id)
        shown.blocks.append(documents.card_section(latest, card.matter.code, clerk.settings.tz))
        return shown


def run(request: CommandRequest) -> Reply:
    word = request.words[0].lower()
    if word == "add":
        return _add(request)
    if word == "close":
        return _close(request)
    if word == "edit":
        return _edit(request)
    if word == "party":
        return parties.run(request)
    if word == "docs":
        return documents.list_command(request)
    if word == "calendar":
        return calendar_feeds.matter_calendar(request)
    if len(request.words) > 1:
        raise InvalidInput(
            f"I don't know `/matter {request.words[0]} …`.", usage=views.MATTER_ADD_USAGE
        )
    if not looks_like_matter_code(request.words[0]):
        raise InvalidInput(
            f"`{request.words[0]}` is not a matter code: matters look like ACME-1. "
            f"`/client {request.words[0].upper()}` lists a client's open matters.",
            usage=views.MATTER_ADD_USAGE,
        )
    return _show(request)


def open_matter_modal(request: CommandRequest) -> dict[str, Any]:
    """``/matter`` alone: the open-matter form, only for roles that may open matters."""
    request.actor.require(Capability.WRITE_MATTERS)
    return views.matter_modal()


def register(app: App, clerk: Clerk) -> None:
    slash_command(
        app,
        clerk,
        "/matter",
        run,
        usage=views.MATTER_USAGE,
        open_modal=open_matter_modal,
    )

    form_conflicts.saves(form_conflicts.MATTER_FORM, save_matter_form)

    @app.view(views.ClientIds.MATTER_MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.WRITE_MATTERS)
        values = blocks.view_values(view)
        with clerk.db.reading() as session:
            form = _read_form(clerk, session, values)
            found = get_client(session, form.client_code)
            name, client_id = found.name, found.id
        credit.refuse_declined_in_form(clerk, actor, form.client_code)
        ask = form_conflicts.ask_before_saving(
            clerk,
            actor,
            kind=form_conflicts.MATTER_FORM,
            values=values,
            name=name,
            exclude_client_id=client_id,
        )
        if ask is not None:  # a possible conflict: Proceed or Cancel before anything is saved
            ack(response_action="push", view=ask)
            return
        reply = save_matter_form(clerk, actor, values)
        ack()
        dm(client, actor, reply)


def _read_form(clerk: Clerk, session: Any, values: dict[str, Any]) -> Any:
    return read_matter_form(
        session,
        values,
        member_id=lambda slack_id: clerk.directory.member(slack_id).user_id,
    )


def save_matter_form(clerk: Clerk, actor: Actor, values: dict[str, Any]) -> blocks.Message:
    """Open the matter of the form (checked again: the store may have moved since); the
    search that guarded it is recorded with it."""
    actor.require(Capability.WRITE_MATTERS)
    with clerk.db.reading() as session:
        form = _read_form(clerk, session, values)
    credit.refuse_declined_in_form(clerk, actor, form.client_code)
    with clerk.db.unit_of_work(actor.slack_id) as session:
        matter = service.add_matter(
            session,
            actor=actor,
            client_code=form.client_code,
            title=form.title,
            lawyer_id=form.lawyer_id,
            today=clerk.today(),
        )
        checked = conflicts.check_after_form(session, actor, matter.client_id, "matter add")
        return conflicts.note(views.matter_opened(matter), checked)
