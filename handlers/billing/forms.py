"""The money modals: add an invoice, record a payment, look up a balance, and the forms the
overdue post's buttons open (mark disputed, next stage, log contact). Pure builders: the
handlers seal what a form carries back (``private_metadata``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from bot.dates.format import format_day
from bot.money import Money
from handlers.kernel import blocks


class MoneyView(StrEnum):
    INVOICE_ADD = "invoice_add_modal"
    PAYMENT_ADD = "payment_add_modal"
    BALANCE = "balance_lookup_modal"
    DISPUTE = "overdue_dispute_modal"
    NEXT_STAGE = "overdue_next_stage_modal"
    CONTACT = "overdue_contact_modal"


class MoneyField(StrEnum):
    CLIENT = "money_client"
    MATTER = "money_matter"
    NUMBER = "money_number"
    AMOUNT = "money_amount"
    ISSUED = "money_issued"
    DUE = "money_due"
    TERMS = "money_terms"
    INVOICE = "money_invoice"
    RECEIVED = "money_received"
    KIND = "money_kind"
    REASON = "money_reason"
    SUMMARY = "money_summary"


def invoice_modal(channel: str, today: date) -> dict[str, Any]:
    return blocks.modal(
        "Record an invoice",
        MoneyView.INVOICE_ADD,
        [
            blocks.text_input(MoneyField.CLIENT, "Client code", placeholder="ACME", max_length=32),
            blocks.text_input(
                MoneyField.MATTER, "Matter (optional)", optional=True, placeholder="ACME-1"
            ),
            blocks.text_input(
                MoneyField.NUMBER, "Invoice number", placeholder="INV-1042", max_length=64
            ),
            blocks.text_input(
                MoneyField.AMOUNT,
                "Amount",
                placeholder="$12,500 or EUR 900",
                hint="Amounts like $12,500, 12500, 12,500.50, USD 12500 or EUR 900.",
            ),
            blocks.date_input(MoneyField.ISSUED, "Issued on", initial=today.isoformat()),
            blocks.date_input(MoneyField.DUE, "Due on (optional)"),
            blocks.text_input(
                MoneyField.TERMS,
                "Or terms in days (optional)",
                optional=True,
                placeholder="30",
                hint="Without a due date or terms, the client's payment terms apply.",
            ),
        ],
        submit="Record",
        private_metadata=channel,
    )


def payment_modal(channel: str, today: date) -> dict[str, Any]:
    return blocks.modal(
        "Record a payment",
        MoneyView.PAYMENT_ADD,
        [
            blocks.text_input(MoneyField.CLIENT, "Client code", placeholder="ACME", max_length=32),
            blocks.text_input(MoneyField.AMOUNT, "Amount", placeholder="$5,000"),
            blocks.select_input(
                MoneyField.KIND,
                "Kind",
                [("Fee payment", "fees"), ("Trust (retainer) deposit", "trust")],
                initial="fees",
            ),
            blocks.text_input(
                MoneyField.INVOICE,
                "Invoice number (optional)",
                optional=True,
                hint="Without one, the payment pays the oldest invoices first.",
            ),
            blocks.date_input(MoneyField.RECEIVED, "Received on", initial=today.isoformat()),
        ],
        submit="Record",
        private_metadata=channel,
    )


def balance_modal() -> dict[str, Any]:
    return blocks.modal(
        "Client balance",
        MoneyView.BALANCE,
        [
            blocks.text_input(
                MoneyField.CLIENT,
                "Client code",
                placeholder="ACME",
                hint="Type overdue for every overdue account.",
                max_length=32,
            )
        ],
        submit="Show",
    )


def balance_view(message: blocks.Message) -> dict[str, Any]:
    """A balance shown inside the modal (private to the viewer), without a submit button."""
    return blocks.modal("Client balance", MoneyView.BALANCE, message.blocks, submit=None)


def metadata(client_id: int, channel: str, ts: str, token: str) -> dict[str, Any]:
    """What an overdue post's form needs back: the client, the channel to answer in, and the
    post's key (``bot.billing.notes``). The handler seals it (``handlers.kernel.sealed``)."""
    return {"c": client_id, "ch": channel, "ts": ts, "k": token}


def dispute_modal(
    client_label: str,
    invoices: Sequence[tuple[str, str, int, date]],
    private_metadata: str,
    home: str,
) -> dict[str, Any]:
    """``invoices``: (number, currency, outstanding cents, due date)."""
    options = [
        (
            f"{number} · {Money(cents, cur).format(home)} · due {format_day(due)}",
            number,
        )
        for number, cur, cents, due in invoices
    ]
    return blocks.modal(
        "Mark disputed",
        MoneyView.DISPUTE,
        [
            blocks.section(f"Which invoice does *{blocks.escape(client_label)}* dispute?"),
            blocks.select_input(
                MoneyField.INVOICE,
                "Invoice",
                options,
                initial=options[0][1] if len(options) == 1 else None,
            ),
            blocks.text_input(
                MoneyField.REASON,
                "The client's reason",
                multiline=True,
                max_length=500,
                placeholder="Hours on the October bill contested",
            ),
        ],
        submit="Mark disputed",
        private_metadata=private_metadata,
    )


def next_stage_modal(
    client_label: str, current: str, raised: str, private_metadata: str
) -> dict[str, Any]:
    return blocks.modal(
        "Next stage",
        MoneyView.NEXT_STAGE,
        [
            blocks.section(
                f"Move *{blocks.escape(client_label)}* from {current} to *{raised}*. It stays "
                "at least there until the account is settled."
            ),
            blocks.text_input(
                MoneyField.REASON,
                "Why",
                multiline=True,
                max_length=500,
                placeholder="No reply to three calls and the formal notice",
            ),
        ],
        submit="Move",
        private_metadata=private_metadata,
    )


def contact_modal(client_label: str, private_metadata: str) -> dict[str, Any]:
    return blocks.modal(
        "Log contact",
        MoneyView.CONTACT,
        [
            blocks.section(f"A contact with *{blocks.escape(client_label)}* about the account."),
            blocks.select_input(
                MoneyField.KIND,
                "Kind",
                [
                    ("Call", "call"),
                    ("Email", "email"),
                    ("Meeting", "meeting"),
                    ("Letter", "letter"),
                    ("Message", "message"),
                ],
                initial="call",
            ),
            blocks.text_input(
                MoneyField.SUMMARY,
                "What was said",
                multiline=True,
                placeholder="Promised payment of the October invoice by Friday",
            ),
        ],
        submit="Log",
        private_metadata=private_metadata,
    )
