"""``/invoice``: add, show one, the add modal, and the words of ``/invoice`` (dispute,
resolve, void and write-off are in ``handlers.billing.invoice_changes``; the helpers the
money handlers share in ``handlers.billing.shared``). Every reply is ephemeral: it shows
money.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.billing import invoices as billing
from bot.billing import statement as billing_statement
from bot.billing.grammar import DISPUTE_USAGE, INVOICE_USAGE, WRITE_OFF_USAGE, invoice_words
from bot.billing.money_changes import Outcome
from bot.clerk import Clerk
from bot.clients.lookup import (
    find_matter,
    get_client,
)
from bot.dates.format import format_day
from bot.errors import InvalidInput
from bot.money import parse_amount
from bot.permissions import Actor, Capability
from handlers.billing import invoice_changes as changes
from handlers.billing import views
from handlers.billing.forms import MoneyView
from handlers.billing.invoice_form import modal_invoice, open_modal
from handlers.billing.shared import deliver, home, queue_messages, read_day
from handlers.clients.budget_alerts import queue_budget_alerts
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, slash_command
from storage.models import Client

FAR_DUE_DAYS = 180  # a due date further from the issue date than this is asked about

USAGE = blocks.usage(
    "/invoice: invoices",
    [
        INVOICE_USAGE,
        DISPUTE_USAGE,
        "/invoice resolve NUMBER  |  /invoice void NUMBER REASON",
        WRITE_OFF_USAGE + "  |  /invoice NUMBER",
    ],
    [
        "/invoice add ACME INV-1042 $12,500",
        "/invoice add ACME ACME-1 INV-1043 12,500.50 issued Oct 3 terms 45 days",
        "/invoice add EUROCO EU-7 EUR 900 due Dec 15",
        "/invoice dispute INV-1042 hours on the October bill contested",
        "/invoice dispute INV-1042 hours contested owner @lena review Dec 3",
        "/invoice write-off INV-0977 client insolvent, claim not worth pursuing",
    ],
)


# --- add ---------------------------------------------------------------------------------


def _split_lead(session: Session, lead: list[str]) -> tuple[Client, str | None, str, str]:
    """CLIENT [MATTER] NUMBER AMOUNT...: a matter is recognised only if it exists."""
    first, rest = lead[0], lead[1:]
    matter = find_matter(session, first)
    if matter is not None:
        found = session.get(Client, matter.client_id)
        assert found is not None
        client = found
    else:
        client = get_client(session, first)
        candidate = find_matter(session, rest[0]) if len(rest) >= 3 else None
        if candidate is not None and candidate.client_id == client.id:
            matter, rest = candidate, rest[1:]
    if len(rest) < 2:
        raise InvalidInput(
            "Give the invoice number and then the amount, e.g. "
            f"`/invoice add {client.code} INV-1042 $12,500`.",
            usage=INVOICE_USAGE,
        )
    return client, matter.code if matter is not None else None, rest[0], " ".join(rest[1:])


def add(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    actor.require(Capability.MANAGE_BILLING)
    words = invoice_words(request.text.partition(" ")[2])
    with clerk.db.reading() as session:
        client, matter_code, number, amount_text = _split_lead(session, words.lead)
        billing.normalise_number(number)
        currency = client.currency
    amount = parse_amount(amount_text, currency)
    issued = clerk.today()
    if words.issued:
        read = read_day(request, words.issued, prefer="past", allow_past=True)
        if isinstance(read, blocks.Message):
            return read
        issued = read
    due = None
    if words.due:
        read = read_day(request, words.due, prefer="future", allow_past=True, relative_to=issued)
        if isinstance(read, blocks.Message):
            return read
        due = read
        if (due - issued).days > FAR_DUE_DAYS:
            request.confirm(
                f"far-due:{due.isoformat()}",
                f"`due {words.due}` reads as *{format_day(due)}*, {(due - issued).days} days "
                f"after the issue date ({format_day(issued)}). Is that the due date? Nothing is "
                "stored until you confirm.",
                f"Yes, due {format_day(due)}",
            )
    new = billing.NewInvoice(
        client_code=client.code,
        number=number,
        amount=amount,
        issued_on=issued,
        due_on=due,
        terms_days=words.terms_days,
        matter_code=matter_code,
    )
    return store(clerk, actor, new)


def store(clerk: Clerk, actor: Actor, new: billing.NewInvoice) -> blocks.Message:
    with clerk.db.unit_of_work(actor.slack_id) as session:
        outcome = billing.add_invoice(
            session, actor=actor, new=new, today=clerk.today(), now=clerk.now()
        )
        queue_messages(session, outcome, actor)
        if outcome.invoice is not None and outcome.invoice.matter_id is not None:
            # billing rose: 80% / 100% of the matter's budget (a void or write-off never alerts)
            queue_budget_alerts(session, [outcome.invoice.matter_id])
        return invoice_receipt(outcome, home(clerk))


def invoice_receipt(outcome: Outcome, home_currency: str) -> blocks.Message:
    inv, c = outcome.invoice, outcome.client
    assert inv is not None
    terms = (inv.due_on - inv.issued_on).days
    headline = (
        f"Invoice {inv.number} recorded for {c.code} ({c.name}): "
        f"{views.fmt(inv.amount_cents, inv.currency, home_currency)}, issued "
        f"{format_day(inv.issued_on)}, due {format_day(inv.due_on)} ({terms} days)."
    )
    details = []
    if outcome.matter is not None:
        details.append(f"Matter {outcome.matter.code}: {blocks.escape(outcome.matter.title)}.")
    if outcome.currency_adopted:
        details.append(f"{c.code}'s ledger is kept in {c.currency} from now on.")
    if outcome.credit_applied_cents:
        details.append(
            f"{views.fmt(outcome.credit_applied_cents, c.currency, home_currency)} of "
            f"{c.code}'s credit was applied to it."
        )
    return views.receipt(headline, details, outcome, home_currency)


# --- show, and the words of /invoice ----------------------------------------------------


def show(request: CommandRequest) -> Reply:
    clerk, actor = request.clerk, request.actor
    with clerk.db.reading() as session:
        found = billing_statement.invoice_detail(
            session, actor=actor, number=request.words[0], as_of=clerk.today()
        )
    return views.invoice_message(found, home(clerk))


SUBCOMMANDS = {
    "add": add,
    "dispute": changes.dispute,
    "resolve": changes.resolve,
    "void": changes.void,
    "write-off": changes.write_off,
    "writeoff": changes.write_off,
}


def run(request: CommandRequest) -> Reply:
    word = request.words[0].lower() if request.words else ""
    sub = SUBCOMMANDS.get(word)
    if sub is not None:
        return sub(request)
    if len(request.words) == 1:
        return show(request)
    raise InvalidInput(
        f"I don't know `/invoice {blocks.escape(blocks.truncate(word, 30))}`: use add, dispute, "
        "resolve, void, write-off, or an invoice number.",
        usage=USAGE.text,
    )


# --- modal -------------------------------------------------------------------------------


def register(app: App, clerk: Clerk) -> None:
    slash_command(app, clerk, "/invoice", run, usage=USAGE, open_modal=open_modal)

    @app.view(MoneyView.INVOICE_ADD)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        new = modal_invoice(clerk, actor, blocks.view_values(view))
        reply = store(clerk, actor, new)
        ack()
        deliver(client, actor, view.get("private_metadata") or "", reply)
