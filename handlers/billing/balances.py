"""``/balance CLIENT``, ``/balance overdue``, ``balance ACME`` in a DM, and the buttons of the
overdue accounts post.

**Buttons for the billing channel's overdue post** (built by the scheduler's 08:30 job):

* action ids ``overdue_log_contact``, ``overdue_mark_disputed``, ``overdue_next_stage``;
* each button's ``value`` is JSON ``{"client_id": <clients.id>}``;
* ``handlers.billing.overdue_views.overdue_post(accounts, as_of=, home=)`` builds the whole
  post (each account's line with its three buttons, split to fit Slack's limits);
  ``overdue_buttons(client_id)`` and ``account_block(account, home)`` build one account's.

Put them on a channel message (not an ephemeral one). Each opens a short form; once it is
submitted Clerk stores the action, adds a note under that account's buttons with
``chat.update``, and tells the person who pressed it. Each checks the presser's role first:
*Mark disputed* and *Next stage* are for billing, partners and admins; *Log contact* for
whoever may log client contacts.

The note goes only on an overdue post Clerk itself sent (its outbox says so), drawn from what
Clerk sent or last wrote there, never from a payload's blocks; the form carries the client,
the channel to answer in and the post's key under Clerk's seal (``handlers.kernel.sealed``),
and a form whose seal does not hold writes nothing. Reasons and summaries people typed are
escaped wherever they are shown.

Balance replies are ephemeral. In a channel, ``@Clerk balance ACME`` is answered only to the
person who asked (the conversation module replies to mentions ephemerally).
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.billing import collections as escalation
from bot.billing import invoice_changes, money_changes
from bot.billing import notes as billing_notes
from bot.billing import statement as billing_statement
from bot.billing.money_changes import Outcome
from bot.clerk import Clerk
from bot.errors import FieldErrors, InvalidInput
from bot.money import Stage, next_stage
from bot.permissions import Actor, Capability
from handlers.billing import credit, forms, overdue_views, views
from handlers.billing.forms import MoneyField, MoneyView
from handlers.billing.overdue_views import MoneyAction
from handlers.billing.shared import home, queue_messages
from handlers.clients import credit as credit_checks
from handlers.kernel import blocks, posted, sealed
from handlers.kernel.commands import CommandRequest, Reply, send, slash_command
from handlers.kernel.replies import reply_privately
from storage.models import Client, ContactKind

USAGE = blocks.usage(
    "/balance: client balances",
    ["/balance CLIENT", "/balance overdue [page N]", "/balance notice CLIENT"],
    ["/balance ACME", "/balance overdue", "/balance overdue page 2", "/balance notice ACME"],
)
SENTENCE = re.compile(
    r"^(?:what(?:'s| is| does)\s+)?(?:the\s+)?(?:balance|bal|owed?)\s+(?:of\s+|for\s+)?"
    r"([A-Za-z0-9][\w.&-]{0,31})\s*\??$",
    re.IGNORECASE,
)
OWES = re.compile(r"^(?:what|how much)\s+does\s+([A-Za-z0-9][\w.&-]{0,31})\s+owe\s*\??$", re.I)


def show(clerk: Clerk, actor: Actor, code: str) -> blocks.Message:
    with clerk.db.reading() as session:
        statement = billing_statement.statement(
            session, actor=actor, code=code, as_of=clerk.today()
        )
        shown = views.balance_message(statement, home(clerk), clerk.settings.tz)
        shown.blocks.insert(-1, credit_checks.credit_section(session, statement.client, clerk))
        return shown


def overdue(clerk: Clerk, actor: Actor, page: int = 1) -> blocks.Message:
    with clerk.db.reading() as session:
        found, whole_firm = billing_statement.overdue_for(session, actor=actor, as_of=clerk.today())
    return overdue_views.overdue_page(
        found, page=page, as_of=clerk.today(), home=home(clerk), whole_firm=whole_firm
    )


def _page(words: list[str]) -> int:
    if not words:
        return 1
    if len(words) == 2 and words[0].lower() == "page" and words[1].isdigit():
        return max(1, int(words[1]))
    raise InvalidInput(
        f"`/balance overdue {' '.join(words)}`: add `page N` for a later page.", usage=USAGE.text
    )


def run(request: CommandRequest) -> Reply:
    words = request.words
    if words[0].lower() == "overdue":
        return overdue(request.clerk, request.actor, _page(words[1:]))
    if words[0].lower() == "notice":
        return credit.notice(request)
    if len(words) > 1:
        raise InvalidInput(
            f"`/balance` takes one client code, e.g. `/balance {blocks.escape(words[0][:32])}`.",
            usage=USAGE.text,
        )
    return show(request.clerk, request.actor, words[0])


def open_modal(request: CommandRequest) -> dict[str, Any]:
    billing_statement.require_balance_access(request.actor)
    return forms.balance_modal()


def read_sentence(
    *, clerk: Clerk, actor: Actor, text: str, reply: Any, event: dict[str, Any]
) -> bool:
    """``balance ACME``, ``balance of ACME``, ``what does ACME owe?``, ``balance overdue``."""
    cleaned = text.strip().rstrip(".!")
    match = SENTENCE.match(cleaned) or OWES.match(cleaned)
    if match is None:
        return False
    code = match.group(1)
    reply(overdue(clerk, actor) if code.lower() == "overdue" else show(clerk, actor, code))
    return True


# --- the overdue post's buttons ----------------------------------------------------------


def _client_id(action: dict[str, Any]) -> int:
    try:
        value = json.loads(action.get("value") or "")
        return int(value["client_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("That button is from an older version of Clerk.") from exc


def _remember(clerk: Clerk, actor: Actor, body: dict[str, Any], client_id: int) -> str:
    """The form's sealed metadata: the client, the channel to answer in, and the overdue post
    to note the action under, if the button was pressed on one Clerk sent (else no post)."""
    channel = posted.pressed_on(body)[0] or (body.get("channel") or {}).get("id") or ""
    key = ""
    with clerk.db.unit_of_work(actor.slack_id) as session:
        sent = posted.clerk_message(session, body, kinds=[overdue_views.POST_KIND])
        if sent is not None and sent.slack_channel and sent.slack_ts:
            post = billing_notes.Post(
                sent.slack_channel,
                sent.slack_ts,
                str(sent.payload.get("text", "")),
                list(sent.payload.get("blocks") or []),
            )
            key = billing_notes.remember(session, actor=actor, post=post, now=clerk.now())
    return sealed.seal(clerk, forms.metadata(client_id, str(channel), "", key))


def _form_data(clerk: Clerk, view: dict[str, Any]) -> dict[str, Any]:
    """What the form carries back, as Clerk sealed it (InvalidInput otherwise)."""
    return sealed.unseal(clerk, view.get("private_metadata"))


def _label(client: Client) -> str:
    return f"{client.code} · {client.name}"


def _annotate(
    clerk: Clerk, client: WebClient, actor: Actor, meta: dict[str, Any], note: str, reply: Any
) -> None:
    """Add ``note`` under the account on the post (if known) and tell the presser."""
    key, client_id = meta.get("k") or "", int(meta.get("c") or 0)
    if key:
        with clerk.db.unit_of_work(actor.slack_id) as session:
            post = billing_notes.latest(session, key)
            if post is not None:
                rows = overdue_views.with_note(post.blocks, client_id, note)
                try:
                    client.chat_update(
                        channel=post.channel, ts=post.ts, text=post.text, blocks=rows
                    )
                except SlackApiError:
                    pass  # the post is gone or Clerk left the channel; the receipt still goes
                else:
                    billing_notes.store(
                        session, key, billing_notes.Post(post.channel, post.ts, post.text, rows)
                    )
    reply_privately(client, actor.slack_id, meta.get("ch") or "", reply)


def register_buttons(app: App, clerk: Clerk) -> None:
    @app.action(MoneyAction.OVERDUE_PAGE)
    def page(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        try:
            wanted = int(json.loads(action.get("value") or "{}").get("p", 1))
        except (ValueError, AttributeError):
            wanted = 1
        send(respond, overdue(clerk, actor, wanted), replace_original=True)

    @app.action(MoneyAction.MARK_DISPUTED)
    def dispute_pressed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.MANAGE_BILLING)
        client_id = _client_id(action)
        with clerk.db.reading() as session:
            target, invoices = billing_statement.disputable(session, client_id, clerk.today())
        if not invoices:
            raise InvalidInput(
                f"{target.code} has no overdue invoice that is not already disputed."
            )
        meta = _remember(clerk, actor, body, client_id)
        view = forms.dispute_modal(_label(target), invoices, meta, home(clerk))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(MoneyView.DISPUTE)
    def dispute_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        values = blocks.view_values(view)
        number = values.get(MoneyField.INVOICE)
        if not number:
            raise FieldErrors({MoneyField.INVOICE: "Pick the invoice the client disputes."})
        meta = _form_data(clerk, view)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            outcome = invoice_changes.mark_disputed(
                session,
                actor=actor,
                invoice_number=number,
                reason=values.get(MoneyField.REASON) or "",
                today=clerk.today(),
                now=clerk.now(),
            )
            queue_messages(session, outcome, actor)
            reason = outcome.invoice.dispute_reason if outcome.invoice else ""
        ack()
        note = (
            f":scales: {blocks.escape(number)} marked disputed by "
            f"{blocks.mention(actor.slack_id)}: {blocks.escape(reason or '')}"
        )
        reply = _receipt(outcome, f"Invoice {number} is marked disputed: {reason}", clerk)
        _annotate(clerk, client, actor, meta, note, reply)

    @app.action(MoneyAction.NEXT_STAGE)
    def next_pressed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.MANAGE_BILLING)
        client_id = _client_id(action)
        with clerk.db.reading() as session:
            target = billing_statement.client_by_id(session, client_id)
            current = escalation.stage_of(
                session,
                client_id,
                as_of=clerk.today(),
                thresholds=escalation.thresholds_in(session),
            )
        raised = next_stage(current)  # says why when there is no next stage
        meta = _remember(clerk, actor, body, client_id)
        view = forms.next_stage_modal(
            _label(target), views.stage_text(current), views.stage_text(raised), meta
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(MoneyView.NEXT_STAGE)
    def next_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        meta = _form_data(clerk, view)
        reason = blocks.view_values(view).get(MoneyField.REASON) or ""
        with clerk.db.unit_of_work(actor.slack_id) as session:
            change = escalation.advance_stage(
                session,
                actor=actor,
                client=int(meta.get("c") or 0),
                reason=reason,
                as_of=clerk.today(),
                at=clerk.now(),
            )
            target = billing_statement.client_by_id(session, change.client_id)
            outcome = Outcome(client=target, changes=[change])
            queue_messages(session, outcome, actor)
            outcome.outstanding_cents = money_changes.outstanding_of(session, target.id)
        ack()
        stage = views.stage_text(Stage(change.to_stage))
        note = (
            f":arrow_up: Moved to {stage} by {blocks.mention(actor.slack_id)}: "
            f"{blocks.escape(change.reason)}"
        )
        reply = _receipt(outcome, f"{target.code} moved to {stage}.", clerk)
        _annotate(clerk, client, actor, meta, note, reply)

    @app.action(MoneyAction.LOG_CONTACT)
    def contact_pressed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.LOG_CONTACTS)
        client_id = _client_id(action)
        with clerk.db.reading() as session:
            target = billing_statement.client_by_id(session, client_id)
        meta = _remember(clerk, actor, body, client_id)
        client.views_open(
            trigger_id=body["trigger_id"], view=forms.contact_modal(_label(target), meta)
        )

    @app.view(MoneyView.CONTACT)
    def contact_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        values = blocks.view_values(view)
        _check_contact_form(values)
        meta = _form_data(clerk, view)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            logged = billing_notes.log_contact(
                session,
                actor=actor,
                client_id=int(meta.get("c") or 0),
                kind=values.get(MoneyField.KIND) or "call",
                summary=values.get(MoneyField.SUMMARY) or "",
                now=clerk.now(),
                today=clerk.today(),
            )
        ack()
        said = blocks.escape(blocks.truncate(logged.summary, 200))
        note = (
            f":telephone_receiver: {logged.kind.value.capitalize()} logged by "
            f"{blocks.mention(actor.slack_id)}: {said}"
        )
        reply = blocks.success(
            f"Contact logged: {blocks.escape(blocks.truncate(logged.summary, 300))}"
        )
        _annotate(clerk, client, actor, meta, note, reply)


def _receipt(outcome: Outcome, headline: str, clerk: Clerk) -> blocks.Message:
    return views.receipt(headline, [], outcome, home(clerk))


def register(app: App, clerk: Clerk) -> None:
    slash_command(app, clerk, "/balance", run, usage=USAGE, open_modal=open_modal)
    clerk.sentence_handlers.append(("balance", read_sentence))

    @app.view(MoneyView.BALANCE)
    def lookup(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        code = (blocks.view_values(view).get(MoneyField.CLIENT) or "").strip()
        if not code:
            raise FieldErrors({MoneyField.CLIENT: "Type a client code, or overdue."})
        shown = overdue(clerk, actor) if code.lower() == "overdue" else show(clerk, actor, code)
        ack(response_action="update", view=forms.balance_view(shown))

    register_buttons(app, clerk)


def _check_contact_form(values: dict[str, str]) -> None:
    """The *Log contact* form's fields, each with its own error under it."""
    errors: dict[str, str] = {}
    if not (values.get(MoneyField.SUMMARY) or "").strip():
        errors[MoneyField.SUMMARY] = billing_notes.SAY_WHAT_WAS_DISCUSSED
    if (values.get(MoneyField.KIND) or "call") not in {kind.value for kind in ContactKind}:
        errors[MoneyField.KIND] = billing_notes.PICK_A_KIND
    if errors:
        raise FieldErrors(errors)
