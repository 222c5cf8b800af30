"""Credit checks in Slack: ``/client credit-check``, its *Proceed* button, the credit and
payment-behaviour lines of the card and ``/balance``, and the declined client's question on
``/matter add``.

A credit check whose limit is below what the client already owes is asked about first: what
to store is kept server-side (``bot.deadlines.pending``, kind ``credit-check``) and the
*Proceed* button (action ``credit_check_proceed``) carries only its token, so a forged press
cannot store anything else, and a press by anyone but the asker is refused. Every note is
escaped for Slack wherever it shows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from sqlalchemy.orm import Session

from bot.billing import credit_checks, payment_behaviour
from bot.billing.money_changes import outstanding_of
from bot.clerk import Clerk
from bot.clients.lookup import get_client
from bot.dates.format import format_day
from bot.deadlines import pending
from bot.errors import InvalidInput
from bot.money import Money
from bot.permissions import Actor
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, send
from handlers.kernel.ids import Action
from storage.models import Client, CreditCheck, CreditDecision

DECISION_ICON = {
    CreditDecision.APPROVED: ":white_check_mark:",
    CreditDecision.CONDITIONAL: ":large_yellow_circle:",
    CreditDecision.DECLINED: ":no_entry:",
}


class CreditAction(StrEnum):
    PROCEED = "credit_check_proceed"


def _money(cents: int | None, currency: str, home: str) -> str:
    return Money(cents, currency).format(home) if cents is not None else ""


# --- /client credit-check ---------------------------------------------------------------


def credit_check(request: CommandRequest) -> Reply:
    """``/client credit-check CODE DECISION [limit AMOUNT] [retainer AMOUNT] NOTE``."""
    clerk, actor = request.clerk, request.actor
    credit_checks.require_may_check(actor)  # before any client is read
    words = request.text.split(None, 2)
    if len(words) < 2:
        raise InvalidInput("Say which client and the decision.", usage=credit_checks.USAGE)
    with clerk.db.reading() as session:
        client = get_client(session, words[1])
        rest = words[2] if len(words) > 2 else ""
        typed = credit_checks.parse(f"{client.code} {rest}", currency=client.currency)
        found = credit_checks.assess(session, actor=actor, request=typed)
        code, currency = client.code, client.currency
    home = clerk.settings.currency
    payload = typed.payload(found.client.id)
    if found.limit_below_owed(typed):
        with clerk.db.unit_of_work(actor.slack_id) as session:
            token = pending.create(
                session,
                kind=credit_checks.PENDING_KIND,
                actor=actor,
                payload=payload,
                now=clerk.now(),
            )
        assert typed.limit is not None
        question = (
            f"{code} already owes {_money(found.owed_cents, currency, home)}, more than the "
            f"limit of {typed.limit.format(home)} you are setting: it will stand over its "
            "limit at once. Record the check anyway?"
        )
        return blocks.message(
            question,
            blocks.section(f":question: {question}"),
            blocks.actions(
                blocks.button("Proceed", CreditAction.PROCEED, token, style="primary"),
                blocks.button("Cancel", Action.CANCEL_READING, "cancel"),
            ),
        )
    with clerk.db.unit_of_work(actor.slack_id) as session:
        check = credit_checks.record(session, actor=actor, payload=payload, now=clerk.now())
        return recorded(check, code, home, owed=found.owed_cents)


def recorded(check: CreditCheck, code: str, home: str, *, owed: int) -> blocks.Message:
    terms = [f"*{check.decision.value}*"]
    if check.limit_cents is not None:
        terms.append(f"limit {_money(check.limit_cents, check.currency, home)}")
    if check.retainer_cents is not None:
        terms.append(f"retainer {_money(check.retainer_cents, check.currency, home)}")
    text = f"Credit check recorded for {code}: {' · '.join(terms)}."
    details = [f"Note: {blocks.escape(blocks.truncate(check.note, 500))}"]
    if check.limit_cents is not None and owed > check.limit_cents:
        details.append(
            f":warning: {code} owes {_money(owed, check.currency, home)}, over the new limit."
        )
    if check.decision is CreditDecision.DECLINED:
        details.append(f"A new matter for {code} now needs a partner's *Proceed*.")
    return blocks.success(text, *details)


def register(app: App, clerk: Clerk) -> None:
    @app.action(CreditAction.PROCEED)
    def proceed(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        credit_checks.require_may_check(actor)
        token = str(action.get("value") or "")
        home = clerk.settings.currency
        with clerk.db.unit_of_work(actor.slack_id) as session:
            claim = pending.claim(
                session, token=token, kind=credit_checks.PENDING_KIND, actor=actor, now=clerk.now()
            )
            client = session.get(Client, int(claim.payload["client_id"]))
            code = client.code if client is not None else "the client"
            if not claim.fresh:
                reply = blocks.success(f"This credit check for {code} is already recorded.")
            else:
                check = credit_checks.record(
                    session, actor=actor, payload=claim.payload, now=clerk.now()
                )
                pending.record_result(session, token, {"credit_check": check.id})
                owed = outstanding_of(session, check.client_id)
                reply = recorded(check, code, home, owed=owed)
        send(respond, reply, replace_original=True)


# --- the card and /balance --------------------------------------------------------------


def credit_line(session: Session, client: Client, clerk: Clerk) -> str:
    """The client's standing credit decision, or that there is none (mrkdwn, escaped)."""
    check = credit_checks.latest(session, client.id)
    if check is None:
        return (
            f":grey_question: *No credit check on record.* "
            f"`/client credit-check {client.code} approved|conditional|declined … NOTE` "
            "records one."
        )
    day = format_day(check.checked_at.astimezone(clerk.settings.tz).date())
    terms = ""
    home = clerk.settings.currency
    if check.limit_cents is not None:
        terms += f" · limit {_money(check.limit_cents, check.currency, home)}"
    if check.retainer_cents is not None:
        terms += f" · retainer {_money(check.retainer_cents, check.currency, home)}"
    note = blocks.escape(blocks.truncate(check.note, 300))
    return (
        f"{DECISION_ICON[check.decision]} *Credit {check.decision.value}*{terms} · "
        f"by {blocks.mention(check.checked_by)} on {day}: {note}"
    )


def behaviour_line(session: Session, client: Client, clerk: Clerk) -> str:
    found = payment_behaviour.behaviour(session, client.id, clerk.today())
    return f":chart_with_upwards_trend: *Payment behaviour, last 12 months:* {found.sentence()}"


def credit_section(session: Session, client: Client, clerk: Clerk) -> blocks.Block_:
    """For those who may see the client's money: the card's and ``/balance``'s lines."""
    return blocks.section(
        f"{credit_line(session, client, clerk)}\n{behaviour_line(session, client, clerk)}"
    )


# --- /matter add for a declined client --------------------------------------------------


def ask_on_declined(request: CommandRequest, client_code: str) -> None:
    """A client whose credit was declined gets a new matter only on a partner's or an
    admin's *Proceed*; anyone else is refused, also if they press a button."""
    with request.clerk.db.reading() as session:
        declined = credit_checks.declined_check(session, client_code)
        if declined is None:
            return
        day = format_day(declined.checked_at.astimezone(request.clerk.settings.tz).date())
        note = blocks.escape(blocks.truncate(declined.note, 200))
        who = blocks.mention(declined.checked_by)
    credit_checks.require_may_proceed_on_declined(request.actor, client_code)
    code = blocks.escape(client_code.upper())
    request.confirm(
        "credit-declined",
        f"Credit for {code} was declined by {who} on {day}: {note}. Open a new matter anyway?",
        "Proceed",
    )


def refuse_declined_in_form(clerk: Clerk, actor: Actor, client_code: str) -> None:
    """The open-matter form cannot ask: a declined client's matter is opened with
    ``/matter add``, where a partner or an admin is asked to *Proceed*."""
    with clerk.db.reading() as session:
        declined = credit_checks.declined_check(session, client_code)
    if declined is None:
        return
    credit_checks.require_may_proceed_on_declined(actor, client_code)
    raise InvalidInput(
        f"Credit for {blocks.escape(client_code.upper())} was declined: open the matter with "
        "`/matter add`, which asks you to confirm."
    )
