"""Messages and modals for clients, matters and contacts (pure builders)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.services.clients import ClientCard
from handlers import blocks
from storage.models import Client, Contact, Matter

MAX_SUMMARY_SHOWN = 600
CLIENT_MODAL = "clients_add_modal"
MATTER_MODAL = "matters_add_modal"
CONTACT_MODAL = "contacts_log_modal"
KIND_OPTIONS = [
    ("Call", "call"),
    ("Email", "email"),
    ("Meeting", "meeting"),
    ("Letter", "letter"),
    ("Message", "message"),
]


def _day(value: date | None) -> str:
    return f"{value:%a %-d %b %Y}" if value else "—"


def contact_line(contact: Contact, matter_code: str | None, zone: ZoneInfo) -> str:
    when = contact.occurred_at.astimezone(zone)
    follow = f" · follow up {_day(contact.follow_up_on)}" if contact.follow_up_on else ""
    matter = f" · {matter_code}" if matter_code else ""
    summary = blocks.truncate(blocks.escape(contact.summary), MAX_SUMMARY_SHOWN)
    return f"*{when:%a %-d %b %Y}* · {contact.kind.value}{matter}{follow}\n{summary}"


def client_card(
    card: ClientCard,
    *,
    lawyer_slack_id: str | None,
    balance_line: str | None,
    show_money: bool,
    zone: ZoneInfo,
) -> blocks.Message:
    c = card.client
    flags = " · :star: key client" if c.is_key else ""
    pairs = [
        ("Kind", c.kind.value),
        ("Status", c.status.value + (f" ({c.status_reason})" if c.status_reason else "")),
        ("Responsible lawyer", blocks.mention(lawyer_slack_id)),
        ("Email", blocks.escape(c.email or "—")),
        ("Phone", blocks.escape(c.phone or "—")),
        ("Payment terms", f"{c.terms_days} days"),
    ]
    if c.industry:
        pairs.append(("Industry", blocks.escape(c.industry)))
    if c.address:
        pairs.append(("Address", blocks.escape(c.address)))
    if c.cadence_days:
        pairs.append(("Contact cadence", f"every {c.cadence_days} days"))
    for key, value in (c.details or {}).items():
        pairs.append((blocks.escape(str(key)).capitalize(), blocks.escape(str(value))))
    body: list[blocks.Block_] = [
        blocks.header(f"{c.code} · {c.name}"),
        blocks.context(f"Client card{flags}. Visible only to you."),
        *blocks.fields(pairs[:20]),
    ]
    if show_money:
        body.append(blocks.section(f":moneybag: {balance_line or 'Nothing outstanding.'}"))
    matters = "\n".join(f"• *{m.code}* {blocks.escape(m.title)}" for m in card.matters)
    body.append(blocks.section(f"*Open matters*\n{matters or '_none_'}"))
    deadlines = "\n".join(
        f"• {_day(d.due_on)} · {code} · {blocks.escape(d.title)}" for d, code in card.deadlines
    )
    body.append(blocks.section(f"*Next deadlines*\n{deadlines or '_none_'}"))
    codes = {m.id: m.code for m in card.matters}
    contacts = "\n".join(contact_line(x, codes.get(x.matter_id or 0), zone) for x in card.contacts)
    body.append(blocks.section(f"*Last contacts*\n{contacts or '_none yet_'}"))
    return blocks.message(f"{c.code} {c.name}", body)


def client_list(title: str, clients: Sequence[Client]) -> blocks.Message:
    rows = "\n".join(
        f"• *{c.code}* {blocks.escape(c.name)}"
        + (" · former" if c.status.value == "former" else "")
        for c in clients
    )
    return blocks.message(title, blocks.section(f"*{blocks.escape(title)}*\n{rows}"))


def matter_card(
    matter: Matter, client: Client, lawyer: str | None, deadlines: list[str]
) -> blocks.Message:
    status = matter.status.value + (f" on {_day(matter.closed_on)}" if matter.closed_on else "")
    return blocks.message(
        f"{matter.code} {matter.title}",
        blocks.header(f"{matter.code} · {matter.title}"),
        blocks.fields(
            [
                ("Client", f"{client.code} {blocks.escape(client.name)}"),
                ("Lawyer", blocks.mention(lawyer)),
                ("Status", status),
                ("Opened", _day(matter.opened_on)),
            ]
        ),
        blocks.section("*Open deadlines*\n" + ("\n".join(deadlines) or "_none_")),
    )


def client_modal() -> dict[str, object]:
    return blocks.modal(
        "Add a client",
        CLIENT_MODAL,
        [
            blocks.text_input("code", "Client code", placeholder="ACME", max_length=16),
            blocks.text_input("name", "Full name", placeholder="Acme Corporation"),
            blocks.select_input(
                "kind", "Kind", [("Organization", "org"), ("Person", "person")], initial="org"
            ),
            blocks.user_input("lawyer", "Responsible lawyer"),
            blocks.text_input("email", "Email", optional=True),
            blocks.text_input("phone", "Phone", optional=True),
        ],
    )


def matter_modal() -> dict[str, object]:
    return blocks.modal(
        "Open a matter",
        MATTER_MODAL,
        [
            blocks.text_input("client", "Client code", placeholder="ACME"),
            blocks.text_input("title", "Title", placeholder="Lease dispute"),
            blocks.user_input("lawyer", "Responsible lawyer"),
        ],
    )


def contact_modal(*, summary: str = "", permalink: str = "", client: str = "") -> dict[str, object]:
    return blocks.modal(
        "Log a contact",
        CONTACT_MODAL,
        [
            blocks.text_input(
                "client", "Client or matter code", initial=client, placeholder="ACME or ACME-1"
            ),
            blocks.select_input("kind", "Kind", KIND_OPTIONS, initial="call"),
            blocks.text_input("summary", "What was said", initial=summary, multiline=True),
            blocks.date_input("follow_up", "Follow up on"),
        ],
        private_metadata=permalink,
    )
