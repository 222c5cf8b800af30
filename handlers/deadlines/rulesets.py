"""``/deadline rules`` and ``/deadline apply``, and the buttons of rule-chain previews.

Applying a rule set, moving a trigger and cancelling a trigger's dependents are all shown as
a preview first (ephemeral, with *Confirm* / *Cancel*); the buttons carry a token to a
``pending_confirmations`` row, because a button on an ephemeral message may come back
without the message itself: Slack does not always send it back. What is stored is exactly what was
shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.deadlines import chains as rule_chains
from bot.deadlines.dates import Reading, decide
from bot.deadlines.service import open_matter
from bot.errors import InvalidInput, NeedsConfirmation
from bot.permissions import Capability
from handlers.deadlines import ruleset_views as views
from handlers.deadlines.views import USAGE_HINT
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, send
from handlers.kernel.errors import confirmation_message
from storage.models import Deadline

BY_MAIL_END = re.compile(r"\s*\(?\b(?:(?:served|service)\s+)?by\s+mail\)?\s*$", re.IGNORECASE)
BY_MAIL_START = re.compile(r"^\s*(?:(?:served|service)\s+)?by\s+mail\b\s*", re.IGNORECASE)
APPLY_EXAMPLE = "e.g. /deadline apply ACME-1 frcp judgment Dec 4"


def choice_value(request: CommandRequest) -> Callable[[str], str]:
    """Button values that re-run this command with one more reading confirmed.

    The same value ``CommandRequest.confirm`` makes, for questions with several buttons (one
    per reading of an ambiguous date); ``handlers.kernel.commands`` answers the click.
    """

    def value(key: str) -> str:
        raw = json.dumps(
            {"c": request.command, "t": request.text, "k": sorted({*request.confirmed, key})},
            separators=(",", ":"),
        )
        if len(raw) > blocks.MAX_BUTTON_VALUE:
            raise InvalidInput("That command is too long to confirm; please shorten it.")
        return raw

    return value


def _read(request: CommandRequest, text: str) -> Reading | blocks.Message:
    """A trigger date, or the question to ask first (an ambiguous date).

    When the text leaves the year open, the reading nearest today wins: triggers are past
    events (judgment was entered) as often as future ones (the trial), so neither preference
    fits. ``Dec 4`` typed in November is this December, typed in January it is last December.
    The preview shows the full date, and nothing is stored before *Confirm*.
    """
    clerk = request.clerk
    now = clerk.now()
    today = now.astimezone(clerk.settings.tz).date()
    future = clerk.dates.parse(text, now=now, prefer="future")
    past = clerk.dates.parse(text, now=now, prefer="past")
    parsed = min((future, past), key=lambda p: abs((p.day - today).days))
    decided = decide(
        parsed,
        now=now,
        zone=clerk.settings.tz,
        confirmed=request.confirmed,
        choice=choice_value(request),
        allow_past=True,
    )
    if isinstance(decided, NeedsConfirmation):
        return confirmation_message(decided)
    return decided


def rules(request: CommandRequest) -> Reply:
    """``/deadline rules`` lists the sets and triggers; ``/deadline rules frcp`` one set."""
    words = request.text.split()
    book = request.clerk.rules
    if len(words) == 1:
        return views.rule_sets(book)
    if len(words) > 2:
        raise InvalidInput("Usage: `/deadline rules [RULESET]`, e.g. `/deadline rules frcp`.")
    return views.rule_set(book.get(words[1]))


def apply(request: CommandRequest) -> Reply:
    """``apply MATTER RULESET TRIGGER DATE [by mail]``: an ephemeral preview, nothing stored."""
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_DEADLINES)
    words = request.text.split(" ", 4)
    if len(words) < 5:
        raise InvalidInput(
            f"Usage: `{views.APPLY_HINT}` ({APPLY_EXAMPLE}). `/deadline rules` lists the sets "
            "and their triggers.",
            usage=USAGE_HINT,
        )
    _, code, set_name, trigger_id, rest = words
    by_mail = bool(BY_MAIL_END.search(rest) or BY_MAIL_START.search(rest))
    rest = BY_MAIL_START.sub("", BY_MAIL_END.sub("", rest)).strip()
    if not rest:
        raise InvalidInput(f"On what date? ({APPLY_EXAMPLE})")
    with clerk.db.reading() as session:
        open_matter(session, code)
    clerk.rules.trigger(set_name, trigger_id)  # an unknown set or trigger lists what exists
    reading = _read(request, rest)
    if isinstance(reading, blocks.Message):
        return reading
    with clerk.db.unit_of_work(actor.slack_id) as session:
        plan = rule_chains.plan_apply(
            session,
            actor=actor,
            book=clerk.rules,
            calendar=clerk.court_calendar(),
            matter_code=code,
            set_name=set_name,
            trigger_id=trigger_id,
            trigger_on=reading.day,
            trigger_at=reading.at,
            by_mail=by_mail,
            source_text=request.text,
            reading=reading.explanation,
            now=clerk.now(),
        )
        return views.apply_preview(
            plan.chain, plan.matter, plan.token, reading=reading.explanation, today=clerk.today()
        )


def preview_trigger_move(request: CommandRequest, trigger: Deadline, date_text: str) -> Reply:
    """``/deadline move ID DATE`` on a trigger: each dependent's old and new date, to confirm."""
    clerk, actor = request.clerk, request.actor
    reading = _read(request, date_text)
    if isinstance(reading, blocks.Message):
        return reading
    if reading.day == trigger.due_on and reading.at == trigger.due_at:
        raise InvalidInput(f"Trigger #{trigger.id} is already on that date; nothing to move.")
    with clerk.db.unit_of_work(actor.slack_id) as session:
        current = session.get(Deadline, trigger.id)
        assert current is not None
        plan = rule_chains.plan_trigger_move(
            session,
            actor=actor,
            book=clerk.rules,
            calendar=clerk.court_calendar(),
            trigger=current,
            new_on=reading.day,
            new_at=reading.at,
            reading=reading.explanation,
            source_text=request.text,
            now=clerk.now(),
        )
        return views.move_preview(
            plan.trigger,
            plan.matter,
            plan.changes,
            plan.payload,
            plan.token,
            reading=reading.explanation,
        )


def offer_cancel_dependents(
    request: CommandRequest, session: Session, trigger: Deadline, reason: str
) -> Reply:
    """Called inside ``/deadline cancel``'s unit of work once the trigger is cancelled."""
    dependents, token = rule_chains.offer_cancel_dependents(
        session, actor=request.actor, trigger=trigger, reason=reason, now=request.clerk.now()
    )
    return views.cancel_trigger_reply(trigger, dependents, token)


Answer = Callable[[rule_chains.Outcome], blocks.Message]


def register(app: App, clerk: Clerk) -> None:
    def on_click(action_id: str, run: Callable[..., rule_chains.Outcome], answer: Answer) -> None:
        @app.action(action_id)
        def handle(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
        ) -> None:
            ack()
            actor = clerk.directory.actor(body["user"]["id"])
            with clerk.db.unit_of_work(actor.slack_id) as session:
                outcome = run(session, actor=actor, token=action["value"], now=clerk.now())
            send(respond, answer(outcome), replace_original=True)

    def cancel(kind: str) -> Callable[..., rule_chains.Outcome]:
        def run(session: Session, **kwargs: Any) -> rule_chains.Outcome:
            return rule_chains.cancel_preview(session, kind=kind, **kwargs)

        return run

    def stored(outcome: rule_chains.Outcome) -> blocks.Message:
        if outcome.cancelled:
            return views.cancelled_preview(True)
        return views.apply_stored(outcome.payload, outcome.result, again=not outcome.fresh)

    def moved(outcome: rule_chains.Outcome) -> blocks.Message:
        if outcome.cancelled:
            return views.cancelled_preview(True)
        return views.move_done(outcome.payload, outcome.result, again=not outcome.fresh)

    def dependents(outcome: rule_chains.Outcome) -> blocks.Message:
        if outcome.cancelled:
            return views.dependents_kept(True)
        return views.dependents_cancelled(outcome.result, again=not outcome.fresh)

    def declined(view: Callable[[bool], blocks.Message]) -> Answer:
        return lambda outcome: view(not outcome.fresh)

    on_click(views.RulesetAction.APPLY_CONFIRM, rule_chains.confirm_apply, stored)
    on_click(views.RulesetAction.MOVE_CONFIRM, rule_chains.confirm_trigger_move, moved)
    on_click(
        views.RulesetAction.CANCEL_DEPENDENTS, rule_chains.confirm_cancel_dependents, dependents
    )
    on_click(
        views.RulesetAction.APPLY_CANCEL,
        cancel(rule_chains.APPLY),
        declined(views.cancelled_preview),
    )
    on_click(
        views.RulesetAction.MOVE_CANCEL,
        cancel(rule_chains.MOVE_TRIGGER),
        declined(views.cancelled_preview),
    )
    on_click(
        views.RulesetAction.KEEP_DEPENDENTS,
        cancel(rule_chains.CANCEL_DEPENDENTS),
        declined(views.dependents_kept),
    )
