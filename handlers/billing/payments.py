"""``/payment``: record a payment or a trust deposit; set up or cancel a payment plan; list
a client's payments.

``/payment add CLIENT AMOUNT [invoice NUMBER] [on DATE] [trust]``,
``/payment plan CLIENT AMOUNT every (week|month) from DATE [x N]`` (plus
``/payment plan cancel CLIENT REASON``) and ``/payment list CLIENT [N]``
(``handlers.billing.payment_list``). ``on DATE`` reads the past first: typed in
November, ``on Oct 3`` is last October. A plan's first date reads the future first, and a
first date already past is asked about before anything is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.billing import plans as billing_plans
from bot.billing.grammar import PAYMENT_USAGE, PLAN_USAGE, payment_words, plan_words
from bot.billing.payment_history import LIST_USAGE
from bot.billing.payments import NewPayment, add_payment
from bot.clerk import Clerk
from bot.clients.lookup import find_client, get_client, normalise_code
from bot.dates.format import format_day
from bot.errors import FieldErrors, InvalidInput
from bot.money import parse_amount
from bot.permissions import Actor, Capability
from handlers.billing import views
from handlers.billing.forms import MoneyField, MoneyView, payment_modal
from handlers.billing.payment_list import list_payments
from handlers.billing.shared import deliver, home, queue_messages, read_day
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, slash_command

FAR_START_DAYS = 180  # a first installment further out than this is asked about

USAGE = blocks.usage(
    "/payment: payments, trust deposits and payment plans",
    [PAYMENT_USAGE, PLAN_USAGE, "/payment plan cancel CLIENT REASON", LIST_USAGE],
    [
        "/payment add ACME $5,000",
        "/payment add ACME 12,500.50 invoice INV-1042 on Oct 3",
        "/payment add ACME $10,000 trust",
        "/payment plan ACME $1,000 every month from Dec 1 x 6",
        "/payment list ACME 20",
    ],
)


def _client_currency(clerk: Clerk, code: str) -> tuple[str, str]:
    with clerk.db.reading() as session:
        client = get_client(session, code)
        return client.code, client.currency


def add(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_BILLING)
    words = payment_words(request.text.partition(" ")[2])
    code, currency = _client_currency(clerk, words.client)
    amount = parse_amount(words.amount, currency)
    received = clerk.today()
    if words.on:
        read = read_day(request, words.on, prefer="past", allow_past=True)
        if isinstance(read, blocks.Message):
            return read
        received = read
    new = NewPayment(
        client_code=code,
        amount=amount,
        received_on=received,
        invoice_number=words.invoice,
        trust=words.trust,
    )
    return store(clerk, actor, new)


def store(clerk: Clerk, actor: Actor, new: NewPayment) -> blocks.Message:
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = add_payment(session, actor=actor, new=new, today=clerk.today(), now=clerk.now())
        queue_messages(session, outcome, actor)
        c, shown = outcome.client, home(clerk)
        kind = "Trust deposit" if new.trust else "Payment"
        headline = (
            f"{kind} of {views.fmt(new.amount.cents, new.amount.currency, shown)} from "
            f"{c.code} ({c.name}) recorded, received {format_day(new.received_on)}."
        )
        details = views.payment_details(outcome, shown)
        if outcome.currency_adopted:
            details.append(f"{c.code}'s ledger is kept in {c.currency} from now on.")
        return views.receipt(headline, details, outcome, shown)


def plan(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_BILLING)
    rest = request.text.partition(" ")[2]
    if rest.split(" ", 1)[0].lower() == "cancel":
        return cancel(request, rest.partition(" ")[2])
    words = plan_words(rest)
    code, currency = _client_currency(clerk, words.client)
    installment = parse_amount(words.amount, currency)
    start = read_day(request, words.start, prefer="future", allow_past=False)
    if isinstance(start, blocks.Message):
        return start
    if (start - clerk.today()).days > FAR_START_DAYS:
        request.confirm(
            f"far-start:{start.isoformat()}",
            f"The plan would start on *{format_day(start)}*, "
            f"{(start - clerk.today()).days} days from now. Is that the first installment's "
            "date? Nothing is stored until you confirm.",
            f"Yes, from {format_day(start)}",
        )
    new = billing_plans.NewPlan(
        client_code=code,
        installment=installment,
        every=words.every,  # type: ignore[arg-type]
        starts_on=start,
        count=words.count,
    )
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = billing_plans.create_plan(
            session, actor=actor, new=new, today=clerk.today(), now=clerk.now()
        )
        queue_messages(session, outcome, actor)
        p, c, shown = outcome.plan, outcome.client, home(clerk)
        assert p is not None
        headline = (
            f"Payment plan for {c.code} ({c.name}): {views.fmt(p.total_cents, p.currency, shown)} "
            f"in {p.installment_count} installments of "
            f"{views.fmt(p.installment_cents, p.currency, shown)}, every {p.frequency.value} "
            f"from {format_day(p.starts_on)}."
        )
        return views.receipt(headline, views.plan_details(outcome, shown), outcome, shown)


def cancel(request: CommandRequest, text: str) -> Reply:
    clerk, actor = request.clerk, request.actor
    code, _, reason = text.strip().partition(" ")
    if not code:
        raise InvalidInput("Whose plan? e.g. `/payment plan cancel ACME client stopped paying`.")
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = billing_plans.cancel_plan(
            session,
            actor=actor,
            client_code=code,
            reason=reason,
            today=clerk.today(),
            now=clerk.now(),
        )
        queue_messages(session, outcome, actor)
        c = outcome.client
        return views.receipt(
            f"Payment plan for {c.code} cancelled: {reason.strip()}",
            ["Its invoices escalate again from their own due dates."],
            outcome,
            home(clerk),
        )


SUBCOMMANDS = {"add": add, "plan": plan, "list": list_payments}


def run(request: CommandRequest) -> Reply:
    word = request.words[0].lower() if request.words else ""
    sub = SUBCOMMANDS.get(word)
    if sub is None:
        raise InvalidInput(
            f"I don't know `/payment {blocks.escape(blocks.truncate(word, 30))}`: use "
            "`/payment add ...`, `/payment plan ...` or `/payment list CLIENT`.",
            usage=USAGE.text,
        )
    return sub(request)


# --- modal -------------------------------------------------------------------------------


def open_modal(request: CommandRequest) -> dict[str, Any]:
    request.actor.require(Capability.MANAGE_BILLING)
    return payment_modal(request.channel_id, request.clerk.today())


def modal_payment(clerk: Clerk, actor: Actor, values: dict[str, str | None]) -> NewPayment:
    actor.require(Capability.MANAGE_BILLING)
    errors: dict[str, str] = {}
    code = normalise_code(values.get(MoneyField.CLIENT) or "")
    with clerk.db.reading() as session:
        client = find_client(session, code)
    if client is None:
        errors[MoneyField.CLIENT] = f"There is no client `{code}`."
    amount = None
    try:
        amount = parse_amount(
            values.get(MoneyField.AMOUNT) or "", client.currency if client else "USD"
        )
    except InvalidInput as exc:
        errors[MoneyField.AMOUNT] = exc.message
    if errors:
        raise FieldErrors(errors)
    assert client is not None and amount is not None
    received = values.get(MoneyField.RECEIVED)
    return NewPayment(
        client_code=client.code,
        amount=amount,
        received_on=date.fromisoformat(received) if received else clerk.today(),
        invoice_number=(values.get(MoneyField.INVOICE) or "").strip() or None,
        trust=values.get(MoneyField.KIND) == "trust",
    )


def register(app: App, clerk: Clerk) -> None:
    slash_command(app, clerk, "/payment", run, usage=USAGE, open_modal=open_modal)

    @app.view(MoneyView.PAYMENT_ADD)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        new = modal_payment(clerk, actor, blocks.view_values(view))
        reply = store(clerk, actor, new)
        ack()
        deliver(client, actor, view.get("private_metadata") or "", reply)
