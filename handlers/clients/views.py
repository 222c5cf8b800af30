"""Messages and modals for clients and matters (pure builders).

The client card holds personal details (email, phone, address, the details JSON) and, for
those allowed to see money, a balance line: it is only ever sent as an ephemeral reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.billing.credit_checks import EXAMPLES as CREDIT_EXAMPLES
from bot.billing.credit_checks import USAGE as CREDIT_USAGE
from bot.clients.edit import EditResult
from bot.clients.grammar import ADD_USAGE, EDIT_USAGE
from bot.clients.listing import LIST_USAGE
from bot.clients.matters import MatterCard
from bot.clients.profile import CardLine
from bot.clients.service import ClientCard
from bot.dates.format import format_time
from bot.money import Money
from handlers.clients.contact_views import contact_line, day
from handlers.kernel import blocks
from storage.models import Client, ClientStatus, Matter

CARD_SUMMARY_SHOWN = 300
CARD_TITLE_SHOWN = 200  # a matter's title on the card
PROFILE_VALUE_SHOWN = 300  # a profile field on the card (`/client edit` shows it whole)
MAX_FOUND_SHOWN = 25


class ClientIds(StrEnum):
    CLIENT_MODAL = "clients_add_modal"  # the form: handlers.clients.client_form
    MATTER_MODAL = "matters_add_modal"


CLIENT_USAGE = blocks.usage(
    "/client: the firm's clients",
    [ADD_USAGE, "/client CODE", "/client find TEXT", LIST_USAGE, EDIT_USAGE, CREDIT_USAGE],
    [
        '/client add ACME "Acme Corporation" org lawyer @lena key credit-limit $50,000',
        "/client find acme",
        "/client list key",
        "/client edit ACME phone +1 212 555 0100",
        "/client edit ACME details.referral_source Bar association",
        CREDIT_EXAMPLES[0],
    ],
)
MATTER_ADD_USAGE = '/matter add CLIENT "Title" [lawyer @user]'
MATTER_USAGE = blocks.usage(
    "/matter: a client's matters",
    [
        MATTER_ADD_USAGE,
        "/matter CODE",
        "/matter edit MATTER (practice-area|fee-arrangement|budget|lawyer|title) VALUE",
        "/matter close CODE [satisfaction 1-5] [REASON]",
        "/matter party add MATTER NAME [as adverse|client|related|co-counsel|opposing-counsel"
        "|witness]",
        "/matter party list MATTER",
        "/matter docs MATTER [page N]",
        "/matter calendar MATTER [reset]",
    ],
    [
        '/matter add ACME "Supply contract dispute" lawyer @lena',
        "/matter edit ACME-1 budget 25000",
        "/matter close ACME-1 satisfaction 4 settled",
        '/matter party add ACME-1 "Globex Inc" as adverse',
        "/matter docs ACME-1",
    ],
)


def _end(text: str) -> str:
    """``Acme, Inc.`` ends its own sentence: no second full stop after it."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _label(key: str) -> str:
    return blocks.escape(key.replace("_", " ").replace("-", " ").strip().capitalize())


def _money(cents: int | None, currency: str, home: str) -> str:
    return Money(cents, currency).format(home) if cents is not None else "—"


def money_section(client: Client, balance_line: str | None, home_currency: str) -> blocks.Block_:
    """The balance line and the credit terms: only for people allowed to see money."""
    limits = (
        f"Credit limit {_money(client.credit_limit_cents, client.currency, home_currency)} · "
        f"retainer required "
        f"{_money(client.retainer_required_cents, client.currency, home_currency)}"
    )
    return blocks.section(
        f":moneybag: {blocks.escape(balance_line or 'Nothing outstanding.')}\n_{limits}_"
    )


def client_card(
    card: ClientCard,
    *,
    balance_line: str | None,
    show_money: bool,
    zone: ZoneInfo,
    home_currency: str = "USD",
    credit: blocks.Block_ | None = None,
    profile_lines: Sequence[CardLine] = (),
) -> blocks.Message:
    """The card; ``balance_line`` (from receivables) and ``credit`` (the credit check and
    payment behaviour, ``handlers.billing.credit``) show only when ``show_money``.
    ``profile_lines``: the profile fields set (``bot.clients.profile.card_lines``)."""
    c = card.client
    status = c.status.value + (f" ({blocks.escape(c.status_reason)})" if c.status_reason else "")
    pairs = [
        ("Responsible lawyer", blocks.mention(card.lawyer_slack_id)),
        ("Status", status),
        ("Email", blocks.escape(c.email or "—")),
        ("Phone", blocks.escape(c.phone or "—")),
        ("Payment terms", f"{c.terms_days} days"),
    ]
    if c.is_key or c.cadence_days:
        cadence = f"every {c.cadence_days} days" if c.cadence_days else "the firm's default"
        pairs.append(("Contact cadence", cadence))
    for label, value in (("Address", c.address), ("Industry", c.industry), ("Size", c.size)):
        if value:
            pairs.append((label, blocks.escape(value)))
    for line in profile_lines:
        shown = blocks.escape(blocks.truncate(line.value, PROFILE_VALUE_SHOWN))
        pairs.append((line.label, line.value if line.is_markup else shown))
    for key, value in sorted((c.details or {}).items()):
        pairs.append((_label(str(key)), blocks.escape(str(value))))
    flags = [":star: key client"] if c.is_key else []
    flags.append(c.kind.value)
    if c.status is ClientStatus.FORMER:
        flags.append("former client")
    body: list[blocks.Block_] = [
        blocks.header(f"{c.code} · {c.name}"),
        blocks.context(" · ".join(flags) + " · visible only to you"),
        *blocks.fields(pairs[:40]),
    ]
    if show_money:
        body.append(money_section(c, balance_line, home_currency))
        if credit is not None:
            body.append(credit)
    matters = "\n".join(
        f"• *{m.code}* {blocks.escape(blocks.truncate(m.title, CARD_TITLE_SHOWN))}"
        for m in card.matters
    )
    if card.open_matters > len(card.matters):
        more = card.open_matters - len(card.matters)
        matters += f"\n_…and {more:,} more open matter{'s' if more != 1 else ''}_"
    body.append(blocks.section(f"*Open matters*\n{matters or '_none_'}"))
    deadlines = "\n".join(
        f"• {day(d.due_on)}"
        + (f" {format_time(d.due_at.astimezone(zone))}" if d.due_at else "")
        + f" · {code} · {blocks.escape(d.title)}"
        for d, code in card.deadlines
    )
    body.append(blocks.section(f"*Next deadlines*\n{deadlines or '_none_'}"))
    contacts = "\n".join(
        contact_line(contact, matter, zone, logged_by=who, limit=CARD_SUMMARY_SHOWN)
        for contact, matter, who in card.contacts
    )
    body.append(blocks.section(f"*Last contacts*\n{contacts or '_none logged yet_'}"))
    body.append(
        blocks.context(
            f"`/contact {c.code} call …` logs a contact · `/contact list {c.code}` shows all · "
            f"`/client edit {c.code} FIELD VALUE` changes a field"
        )
    )
    return blocks.message(f"{c.code} {blocks.escape(c.name)}", body)


def client_list(text: str, clients: Sequence[Client], lawyers: dict[int, str]) -> blocks.Message:
    title = f"Clients matching “{text}”"
    rows = []
    for c in clients[:MAX_FOUND_SHOWN]:
        extra = [c.kind.value]
        if c.lawyer_id in lawyers:
            extra.append(blocks.mention(lawyers[c.lawyer_id]))
        if c.is_key:
            extra.append(":star: key")
        if c.status is not ClientStatus.ACTIVE:
            extra.append(c.status.value)
        rows.append(f"• *{c.code}* {blocks.escape(c.name)} · {' · '.join(extra)}")
    return blocks.message(
        title,
        blocks.section(f"*{blocks.escape(title)}*\n" + "\n".join(rows)),
        blocks.context("`/client CODE` shows a client's card."),
    )


def no_match(text: str) -> blocks.Message:
    return blocks.error(
        f"No client matches `{blocks.escape(text)}`.",
        "Search by code, name, email or phone, e.g. `/client find acme`.",
    )


def added(client: Client, similar: Sequence[tuple[str, str]] = ()) -> blocks.Message:
    notes = [
        f"See the card with `/client {client.code}`; open a matter with "
        f'`/matter add {client.code} "Title"`.'
    ]
    if similar:
        names = ", ".join(f"{code} ({blocks.escape(name)})" for code, name in similar)
        notes.append(f"Similar clients already in Clerk: {names}.")
    return blocks.success(
        f"Added client *{client.code}* {_end(blocks.escape(client.name))}", *notes
    )


def similar_question(code: str, name: str, similar: Sequence[tuple[str, str]]) -> str:
    names = "; ".join(f"{c} ({blocks.escape(n)})" for c, n in similar)
    return (
        f"Did you mean an existing client? {names} has a name close to “{blocks.escape(name)}”. "
        f"Add {code} as a new client anyway?"
    )


def edited(result: EditResult) -> blocks.Message:
    # A lawyer is shown as a Slack mention; everything else is the user's text, escaped.
    show = (lambda v: v) if result.field == "lawyer" else blocks.escape
    return blocks.success(
        f"Updated *{result.code}*: {result.field} is now {show(result.after)}.",
        f"Was: {show(result.before)} · `/client {result.code}` shows the card.",
    )


def matter_modal(client: str = "") -> dict[str, Any]:
    return blocks.modal(
        "Open a matter",
        ClientIds.MATTER_MODAL,
        [
            blocks.text_input(
                "client", "Client code", initial=client, placeholder="ACME", max_length=16
            ),
            blocks.text_input("title", "Title", placeholder="Lease dispute", max_length=300),
            blocks.user_input("lawyer", "Responsible lawyer (default: the client's)"),
        ],
        submit="Open",
    )


def matter_opened(matter: Matter) -> blocks.Message:
    return blocks.success(
        f"Opened matter *{matter.code}* {_end(blocks.escape(matter.title))}",
        f"Add deadlines with `/deadline {matter.code} TITLE on DATE`; "
        f"log contacts with `/contact {matter.code} call …`.",
    )


def matter_closed(matter: Matter, open_deadlines: int) -> blocks.Message:
    notes = ["Its history stays; nothing is deleted."]
    if open_deadlines:
        notes.append(
            f"{open_deadlines} open deadline(s) stay open: mark them done or cancel them "
            f"(`/deadline list {matter.code}`)."
        )
    return blocks.success(
        f"Closed matter *{matter.code}* {_end(blocks.escape(matter.title))}", *notes
    )


def matter_card(
    card: MatterCard, zone: ZoneInfo, money_pairs: Sequence[tuple[str, str]] = ()
) -> blocks.Message:
    """The matter; ``money_pairs`` (its budget, billed and collected) only for those who
    may see the client's money (``handlers.clients.matter_views.budget_pairs``)."""
    m, client = card.matter, card.client
    status = m.status.value
    if m.closed_on:
        status += f" on {day(m.closed_on)}"
        if m.close_reason:
            status += f" ({blocks.escape(m.close_reason)})"
    pairs = [
        ("Client", f"*{client.code}* {blocks.escape(client.name)}"),
        ("Lawyer", blocks.mention(card.lawyer_slack_id)),
        ("Status", status),
        ("Opened", day(m.opened_on)),
    ]
    if m.practice_area:
        pairs.append(("Practice area", blocks.escape(m.practice_area)))
    if m.fee_arrangement:
        pairs.append(("Fee arrangement", blocks.escape(m.fee_arrangement)))
    if m.satisfaction:
        pairs.append(("Client satisfaction", f"{m.satisfaction} of 5"))
    pairs.extend(money_pairs)
    deadlines = "\n".join(
        f"• `#{d.id}` {day(d.due_on)}"
        + (f" {format_time(d.due_at.astimezone(zone))}" if d.due_at else "")
        + f" · {blocks.escape(d.title)}"
        for d in card.deadlines
    )
    contacts = "\n".join(
        contact_line(c, None, zone, logged_by=who, limit=CARD_SUMMARY_SHOWN)
        for c, who in card.contacts
    )
    return blocks.message(
        f"{m.code} {blocks.escape(m.title)}",
        blocks.header(f"{m.code} · {m.title}"),
        blocks.fields(pairs),
        blocks.section("*Open deadlines*\n" + (deadlines or "_none_")),
        blocks.section("*Last contacts*\n" + (contacts or "_none logged yet_")),
    )


def close_question(code: str, count: int, next_due: date | None) -> str:
    soonest = f" (next: {day(next_due)})" if next_due else ""
    return (
        f"{code} still has {count} open deadline(s){soonest}. Close the matter anyway? "
        "The deadlines stay open until someone marks them done or cancels them."
    )


# --- CSV imports sent by DM -------------------------------------------------------------

MAX_PROBLEMS_SHOWN = 200
PROBLEMS_PER_SECTION = 15


def import_instructions(
    kind: str, required: Sequence[str], optional: Sequence[str], *, until: str
) -> blocks.Message:
    return blocks.message(
        f"Send me the {kind} CSV file in a DM",
        blocks.section(
            f":inbox_tray: Send me the *{kind}* CSV file in a direct message (attach it with "
            "the + button or drag it in). I'll import every row or none, and tell you the "
            "line number and reason of each row that needs fixing."
        ),
        blocks.context(
            f"A header row first, with `{','.join(required)}` and any of "
            f"`{','.join(optional)}`, in any order (`clerk export {kind}` writes them all). "
            f"I'll wait for the file for an hour, until {until}."
        ),
    )


def import_done(kind: str, filename: str, count: int) -> blocks.Message:
    return blocks.success(
        f"Imported {count} {kind} from {blocks.escape(filename)}.",
        "Every row was checked first; each change is in the audit trail.",
    )


def import_refused(kind: str, filename: str, problems: Sequence[str]) -> list[blocks.Message]:
    shown = [blocks.escape(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
    rows = [
        blocks.section("\n".join(f"• {p}" for p in shown[i : i + PROBLEMS_PER_SECTION]))
        for i in range(0, len(shown), PROBLEMS_PER_SECTION)
    ]
    more = len(problems) - len(shown)
    if more > 0:
        rows.append(blocks.context(f"… and {more} more."))
    header = any(p.startswith("header") for p in problems)
    what = "the header row needs fixing" if header else f"{len(problems)} row(s) need fixing"
    lead = [
        blocks.section(
            f":warning: Nothing was imported from {blocks.escape(filename)}: {what}. "
            "Fix the file and send all of it again."
        )
    ]
    return blocks.paginate(
        f"Import of {kind} refused",
        rows,
        lead=lead,
        fallback=f"Nothing was imported from {filename}: {what}",
    )
