"""One permission matrix: every command, button and form x every role, as the README's role table
says.

The expected outcomes are the role table written out as data below, not read from
``bot/permissions.py``, so a change to the grants that breaks the table fails here. Every case
goes through signed HTTP to the real app. Allowed: the effect happens (rows stored and
audited, or the asked-for text shown). Refused: a clear reply that only the asker sees, not
one row written in any table (audit log included), and no money in it.

ACME is Lena's client, so "lawyer-own" is Lena and "lawyer-other" is Mark acting on ACME.
The firm is built once for the module; each case works on its own rows (a fresh deadline,
matter or invoice), so cases do not depend on each other's order.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.tools.standin.driver import Exchange
from handlers.billing import forms
from handlers.billing.forms import MoneyField
from handlers.clients.client_form import client_modal
from handlers.clients.contact_views import contact_modal
from handlers.clients.views import matter_modal
from handlers.deadlines.views import DeadlineField
from handlers.kernel import sealed
from storage.models import Client, Deadline, Invoice, Matter, User
from tests.billing.conftest import NOW, seed_firm
from tests.conftest import fresh_database_url
from tests.deadlines.helpers import button
from tests.harness import Harness, running_clerk
from tests.trust.rows import grown, row_counts, unaudited_rows

# --- The role table, as data ---------------------------------------------------------------

ROLES = {
    "admin": "U_ADMIN",
    "partner": "U_PAUL",
    "lawyer-own": "U_LENA",  # ACME's responsible lawyer
    "lawyer-other": "U_MARK",  # a lawyer, but ACME is not theirs
    "staff": "U_SAM",
    "billing": "U_BILL",
}
EVERYONE = frozenset(ROLES)
# lawyer and staff: "clients, matters, contacts, deadlines"; billing: "clients read-only".
PRACTICE = frozenset({"admin", "partner", "lawyer-own", "lawyer-other", "staff"})
# Contacts: the practice, and billing for collection calls and letters.
LOGS_CONTACTS = PRACTICE | {"billing"}
# "balances of clients where they are the responsible lawyer"; staff "no balances".
SEES_ACME_BALANCE = frozenset({"admin", "partner", "billing", "lawyer-own"})
# billing: "balances, invoices, payments, payment plans, disputes, escalation"; partner
# "everything except settings"; lawyers and staff record no money.
MONEY = frozenset({"admin", "partner", "billing"})
# The overdue list: the whole firm's for money roles, a lawyer's own clients for lawyers.
OVERDUE = MONEY | {"lawyer-own", "lawyer-other"}
# admin: "firm settings, roles, channels, holidays"; the audit trail is for admins (issue 8).
FIRM = frozenset({"admin"})
# The firm's KPI reports carry firm-wide money figures: the money roles.
REPORTS = MONEY
# The client analysis ranks clients by what they pay: partners and admins (issue 21).
CLIENT_ANALYSIS = frozenset({"admin", "partner"})
# Bulk import of practice data: the design gives it to admins and partners.
IMPORT_PRACTICE = frozenset({"admin", "partner"})

# How a refusal reads: a role that may not, money that is confidential, an invoice that "is
# not among your clients'" (said alike whether it exists or not), a preview someone else asked.
REFUSAL = re.compile(
    r"does not allow|does not show|confidential|Only an admin|among your clients|can answer it"
)
SECRET_AMOUNT = "$1,000.00"  # ACME's overdue invoice INV-1


# --- the firm ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def firm(_migrated: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """The billing tests' firm (ACME Lena's, GLOBEX Mark's) with both accounts overdue."""
    url = fresh_database_url(_migrated, tmp_path_factory.mktemp("matrix"))
    with running_clerk(url, at=NOW) as h:
        h.add_people()
        seed_firm(h.db, with_people=False)
        with h.db.unit_of_work("test-setup") as s:
            ids = {c.code: c.id for c in s.scalars(select(Client))}
            s.add(_invoice("INV-1", ids["ACME"], 100_000))
            s.add(_invoice("GX-1", ids["GLOBEX"], 70_000))
        h.standin.add_user("U_TEMP", "temp", tz="America/New_York", real_name="Tess Temp")
        yield h


def _invoice(number: str, client_id: int, cents: int, disputed: bool = False) -> Invoice:
    return Invoice(
        number=number,
        client_id=client_id,
        amount_cents=cents,
        currency="USD",
        issued_on=date(2026, 9, 1),
        due_on=date(2026, 10, 1),
        disputed=disputed,
        dispute_reason="contested" if disputed else None,
    )


_serial = itertools.count(1)


def _id_of(h: Harness, model: type, **where: Any) -> int:
    with h.db.reading() as s:
        query = select(model.id)  # type: ignore[attr-defined]
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(s.scalars(query).one())


def new_deadline(h: Harness) -> int:
    """An open deadline on ACME-1, Lena's, for one case to complete, move or cancel."""
    n = next(_serial)
    with h.db.unit_of_work("test-setup") as s:
        row = Deadline(
            matter_id=_id_of(h, Matter, code="ACME-1"),
            title=f"Matrix filing {n}",
            due_on=date(2026, 12, 15),
            responsible_id=_id_of(h, User, slack_id="U_LENA"),
        )
        s.add(row)
        s.flush()
        return int(row.id)


def new_matter(h: Harness) -> str:
    n = 100 + next(_serial)
    with h.db.unit_of_work("test-setup") as s:
        s.add(
            Matter(
                code=f"ACME-{n}",
                client_id=_id_of(h, Client, code="ACME"),
                number=n,
                title=f"Matrix matter {n}",
                opened_on=date(2026, 1, 5),
            )
        )
    return f"ACME-{n}"


def new_invoice(h: Harness, *, disputed: bool = False) -> str:
    number = f"MX-{next(_serial)}"
    with h.db.unit_of_work("test-setup") as s:
        s.add(_invoice(number, _id_of(h, Client, code="ACME"), 5_000, disputed))
    return number


def opened_view(exchange: Exchange) -> dict[str, Any]:
    (call,) = exchange.calls_to("views.open")
    return dict(call.params["view"])


def admin_form(h: Harness, command: str) -> dict[str, Any]:
    return opened_view(h.slack.command("U_ADMIN", command, ""))


def preview(h: Harness, user: str) -> dict[str, Any]:
    """An FRCP preview of ACME-1, made by ``user`` if they may, else by an admin."""
    who = user if user in {ROLES[r] for r in PRACTICE} else "U_ADMIN"
    day = 1 + next(_serial) % 27
    exchange = h.slack.command(who, "/deadline", f"apply ACME-1 frcp judgment Oct {day} 2026")
    return exchange.replies[-1]


def late_client(h: Harness) -> tuple[str, int]:
    """A fresh client of Lena's owing $200, overdue: one case's payment plan or next stage."""
    code = f"LATE{n()}"
    with h.db.unit_of_work("test-setup") as s:
        late = Client(code=code, name=unlike_name(), lawyer_id=_id_of(h, User, slack_id="U_LENA"))
        s.add(late)
        s.flush()
        s.add(_invoice(f"{code}-1", late.id, 20_000))
        client_id = late.id
    return code, client_id


def money_meta(h: Harness, client_id: int | None = None) -> str:
    """An overdue form's metadata as Clerk seals it when its button is pressed."""
    found = _id_of(h, Client, code="ACME") if client_id is None else client_id
    return sealed.seal(h.clerk, forms.metadata(found, "", "", ""))


# --- the cases ---------------------------------------------------------------------------

Request = Callable[[], Exchange]
# A case prepares its own rows (before the counts are taken), then returns the request.
Prepare = Callable[[Harness, str], Request]


@dataclass(frozen=True)
class Case:
    name: str
    allowed: frozenset[str]
    prepare: Prepare
    grows: tuple[str, ...] = ()  # tables an allowed run adds rows to (audit_log: an update)
    shows: str | None = None  # what an allowed run shows the asker
    opens: bool = False  # an allowed run opens a modal
    hidden_from: dict[str, str] = field(default_factory=dict)  # role -> text it must not see
    # Slack's event ids, recorded before any listener runs so a retry is not handled twice:
    # the one table a refused DM may still add to.
    bookkeeping: tuple[str, ...] = ()


def n() -> int:
    return next(_serial)


def unlike_name() -> str:
    """A name no other client's resembles, so adding it asks no "did you mean" question."""
    rng = random.Random(n())
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=8)).title() for _ in "ab")


def cmd(command: str, text: str | Callable[[Harness], str]) -> Prepare:
    def prepare(h: Harness, user: str) -> Request:
        typed = text(h) if callable(text) else text
        return lambda: h.slack.command(user, command, typed)

    return prepare


def submit(
    view: Callable[[Harness], dict[str, Any]],
    values: Callable[[dict[str, Any]], dict[str, Any]],
) -> Prepare:
    def prepare(h: Harness, user: str) -> Request:
        form = view(h)
        return lambda: h.slack.view_submission(user, form, values(form))

    return prepare


def press(action_id: str, value: Callable[[Harness], str], channel: str = "C_GENERAL") -> Prepare:
    def prepare(h: Harness, user: str) -> Request:
        pressed = value(h)
        return lambda: h.slack.action(user, action_id, pressed, channel_id=channel)

    return prepare


def press_preview(action_id: str) -> Prepare:
    def prepare(h: Harness, user: str) -> Request:
        token = button(preview(h, user), action_id)["value"]
        return lambda: h.slack.action(user, action_id, token)

    return prepare


def chain_trigger(h: Harness) -> int:
    """A stored FRCP chain on ACME-1 (an admin applied and confirmed it): its trigger's id."""
    token = button(preview(h, "U_ADMIN"), "deadline_apply_confirm")["value"]
    h.slack.action("U_ADMIN", "deadline_apply_confirm", token)
    with h.db.reading() as s:
        return int(s.scalars(select(Deadline.id).where(Deadline.is_trigger)).all()[-1])


def trigger_offer(verb: str, action_id: str) -> Prepare:
    """``/deadline move|cancel TRIGGER``'s buttons, offered to ``user`` if they may ask."""

    def prepare(h: Harness, user: str) -> Request:
        trigger = chain_trigger(h)
        who = user if user in {ROLES[r] for r in PRACTICE} else "U_ADMIN"
        words = f"Nov {1 + n() % 9} 2026" if verb == "move" else "judgment vacated"
        offer = h.slack.command(who, "/deadline", f"{verb} {trigger} {words}").replies[-1]
        token = button(offer, action_id)["value"]
        return lambda: h.slack.action(user, action_id, token)

    return prepare


def overdue_button(action_id: str) -> Prepare:
    return press(
        action_id, lambda h: json.dumps({"client_id": _id_of(h, Client, code="ACME")}), "C_BILLING"
    )


def reassign_form(h: Harness) -> dict[str, Any]:
    return opened_view(h.slack.action("U_ADMIN", "reminder_reassign", str(new_deadline(h))))


def dispute_form(h: Harness) -> dict[str, Any]:
    unpaid = [(new_invoice(h), "USD", 5_000, date(2026, 10, 1))]
    return forms.dispute_modal("ACME", unpaid, money_meta(h), "USD")


def first_option(form: dict[str, Any]) -> dict[str, Any]:
    select_block = next(b for b in form["blocks"] if b.get("block_id") == MoneyField.INVOICE)
    number = select_block["element"]["options"][0]["value"]
    return {MoneyField.INVOICE: number, MoneyField.REASON: "hours contested"}


def forged_confirmation(command: str, text: str) -> Prepare:
    """A *Confirm* button re-runs the command as the presser: the presser's rights apply."""
    return press("clerk_confirm_reading", lambda h: json.dumps({"c": command, "t": text, "k": []}))


def shortcut(h: Harness, user: str) -> Request:
    message = {"type": "message", "text": "ACME called about the lease", "ts": f"{n()}.000100"}
    return lambda: h.slack.shortcut(user, "log_client_contact", message, "C_GENERAL")


def file_shortcut(h: Harness, user: str) -> Request:
    message = {"type": "message", "text": "The signed lease", "ts": f"{n()}.000200"}
    return lambda: h.slack.shortcut(user, "file_to_matter", message, "C_GENERAL")


def file_form(h: Harness) -> dict[str, Any]:
    """The *File to matter* form as an admin opened it on a fresh message."""
    return opened_view(file_shortcut(h, "U_ADMIN")())


def dm(text: str) -> Prepare:
    def prepare(h: Harness, user: str) -> Request:
        return lambda: h.slack.dm(user, text)

    return prepare


def import_file(h: Harness, user: str) -> Request:
    """A clients CSV sent by DM, without asking first: the file itself is checked."""
    from tests.clients.test_client_imports import send_file

    header = "code,name,kind,status,lawyer,key,email,phone,credit_limit,terms_days"
    content = f"{header}\nIMP{n()},{unlike_name()},organization,active,,false,,,,30\n"
    return lambda: send_file(h, user, "clients.csv", content, "clients")


def home(h: Harness, user: str) -> Request:
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}
    return lambda: h.slack.event(event)


def constant(values: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda _form: dict(values)


CASES = [
    # /client
    Case(
        "client-add",
        PRACTICE,
        cmd("/client", lambda h: f'add PM{n()} "{unlike_name()}"'),
        ("clients",),
    ),
    Case("client-card", EVERYONE, cmd("/client", "ACME"), shows="Acme Corporation"),
    Case("client-find", EVERYONE, cmd("/client", "find acme"), shows="ACME"),
    Case("client-list", EVERYONE, cmd("/client", "list industry acme"), shows="industry"),
    Case(
        "client-edit",
        PRACTICE,
        cmd("/client", lambda h: f"edit ACME phone +1 212 555 {1000 + n()}"),
        ("audit_log",),
    ),
    Case("client-form", PRACTICE, cmd("/client", ""), opens=True),
    Case(
        "client-form-submit",
        PRACTICE,
        submit(lambda h: client_modal(), lambda _f: {"code": f"PF{n()}", "name": unlike_name()}),
        ("clients",),
    ),
    # /matter
    Case("matter-add", PRACTICE, cmd("/matter", 'add ACME "Matrix matter"'), ("matters",)),
    Case("matter-card", EVERYONE, cmd("/matter", "ACME-1"), shows="Acme v. Widget"),
    Case(
        "matter-close", PRACTICE, cmd("/matter", lambda h: f"close {new_matter(h)}"), ("audit_log",)
    ),
    Case("matter-form", PRACTICE, cmd("/matter", ""), opens=True),
    Case(
        "matter-form-submit",
        PRACTICE,
        submit(lambda h: matter_modal(), constant({"client": "ACME", "title": "Form matter"})),
        ("matters",),
    ),
    # parties, conflict checks and documents on matters
    Case(
        "matter-party-add",
        PRACTICE,
        cmd("/matter", lambda h: f"party add ACME-1 {unlike_name()} as witness"),
        ("parties",),
    ),
    Case("matter-party-list", EVERYONE, cmd("/matter", "party list ACME-1"), shows="ACME-1"),
    Case("conflict-search", PRACTICE, cmd("/conflict", "Globex"), ("conflict_searches",)),
    Case("matter-docs", EVERYONE, cmd("/matter", "docs ACME-1"), shows="ACME-1"),
    Case("matter-calendar", EVERYONE, cmd("/matter", "calendar ACME-1"), shows="ACME-1"),
    Case("file-to-matter-shortcut", PRACTICE, file_shortcut, opens=True),
    Case(
        "file-to-matter-submit",
        PRACTICE,
        submit(file_form, lambda _f: {"matter": "ACME-1", "label": "Matrix filing"}),
        ("matter_documents",),
    ),
    # /contact and the message shortcut
    Case(
        "contact-log",
        LOGS_CONTACTS,
        cmd("/contact", "ACME call discussed the lease"),
        ("contacts",),
    ),
    Case("contact-list", EVERYONE, cmd("/contact", "list ACME"), shows="ACME"),
    Case("contact-form", LOGS_CONTACTS, cmd("/contact", ""), opens=True),
    Case(
        "contact-form-submit",
        LOGS_CONTACTS,
        submit(
            lambda h: contact_modal(today=date(2026, 11, 18)),
            constant({"client": "ACME", "kind": "call", "summary": "form call"}),
        ),
        ("contacts",),
    ),
    Case("contact-shortcut", LOGS_CONTACTS, shortcut, opens=True),
    # /deadline
    Case("deadline-add", PRACTICE, cmd("/deadline", "ACME-1 Brief on Dec 9 2026"), ("deadlines",)),
    Case(
        "deadline-rule",
        PRACTICE,
        cmd("/deadline", "ACME-1 Reply 21 days after Dec 1 2026"),
        ("deadlines",),
    ),
    Case("deadline-list", EVERYONE, cmd("/deadline", "list ACME"), shows="ACME"),
    Case(
        "deadline-done",
        PRACTICE,
        cmd("/deadline", lambda h: f"done {new_deadline(h)}"),
        ("audit_log",),
    ),
    Case(
        "deadline-move",
        PRACTICE,
        cmd("/deadline", lambda h: f"move {new_deadline(h)} Dec 18 2026"),
        ("audit_log",),
    ),
    Case(
        "deadline-cancel",
        PRACTICE,
        cmd("/deadline", lambda h: f"cancel {new_deadline(h)} settled"),
        ("audit_log",),
    ),
    Case("deadline-calendar", EVERYONE, cmd("/deadline", "calendar"), shows="deadline"),
    Case(
        "deadline-calendar-reset",
        EVERYONE,
        cmd("/deadline", "calendar reset"),
        ("calendar_feeds",),
        shows="subscription URL",
    ),
    Case("deadline-rules", EVERYONE, cmd("/deadline", "rules"), shows="frcp"),
    Case(
        "deadline-apply",
        PRACTICE,
        cmd("/deadline", "apply ACME-1 frcp judgment Oct 5 2026"),
        shows="Confirm",
    ),
    Case("deadline-form", PRACTICE, cmd("/deadline", ""), opens=True),
    Case(
        "deadline-form-submit",
        PRACTICE,
        submit(
            lambda h: admin_form(h, "/deadline"),
            constant(
                {
                    DeadlineField.MATTER: "ACME-1",
                    DeadlineField.TITLE: "Form deadline",
                    DeadlineField.DAY: "2026-12-09",
                }
            ),
        ),
        ("deadlines",),
    ),
    # /balance
    Case("balance-client", SEES_ACME_BALANCE, cmd("/balance", "ACME"), shows=SECRET_AMOUNT),
    Case(
        "balance-overdue",
        OVERDUE,
        cmd("/balance", "overdue"),
        hidden_from={"lawyer-other": "*ACME*", "lawyer-own": "*GLOBEX*"},
    ),
    Case("balance-notice", SEES_ACME_BALANCE, cmd("/balance", "notice ACME"), shows="ACME"),
    Case(
        "client-credit-check",
        MONEY,
        cmd("/client", "credit-check ACME approved limit $90,000 pays on time"),
        ("credit_checks", "audit_log"),
    ),
    Case("balance-form", OVERDUE, cmd("/balance", ""), opens=True),
    Case(
        "balance-form-submit",
        SEES_ACME_BALANCE,
        submit(lambda h: admin_form(h, "/balance"), constant({MoneyField.CLIENT: "ACME"})),
        shows=SECRET_AMOUNT,
    ),
    # /invoice
    Case("invoice-detail", SEES_ACME_BALANCE, cmd("/invoice", "INV-1"), shows=SECRET_AMOUNT),
    Case(
        "invoice-add",
        MONEY,
        cmd("/invoice", lambda h: f"add ACME IM-{n()} $300 issued Nov 2 2026 terms 30 days"),
        ("invoices",),
    ),
    Case(
        "invoice-dispute",
        MONEY,
        cmd("/invoice", lambda h: f"dispute {new_invoice(h)} hours contested"),
        ("audit_log",),
    ),
    Case(
        "invoice-resolve",
        MONEY,
        cmd("/invoice", lambda h: f"resolve {new_invoice(h, disputed=True)}"),
        ("audit_log",),
    ),
    Case(
        "invoice-void",
        MONEY,
        cmd("/invoice", lambda h: f"void {new_invoice(h)} wrong client"),
        ("audit_log",),
    ),
    Case(
        "invoice-write-off",
        MONEY,
        cmd("/invoice", lambda h: f"write-off {new_invoice(h)} client insolvent"),
        ("audit_log",),
    ),
    Case("invoice-form", MONEY, cmd("/invoice", ""), opens=True),
    Case(
        "invoice-form-submit",
        MONEY,
        submit(
            lambda h: admin_form(h, "/invoice"),
            lambda _f: {
                MoneyField.CLIENT: "ACME",
                MoneyField.NUMBER: f"IF-{n()}",
                MoneyField.AMOUNT: "$250",
                MoneyField.ISSUED: "2026-11-02",
                MoneyField.TERMS: "14",
            },
        ),
        ("invoices",),
    ),
    # /payment
    Case("payment-add", MONEY, cmd("/payment", "add ACME $25 on Nov 16 2026"), ("payments",)),
    # a payment history is money: who may see ACME's balance (not Mark, whose client it isn't)
    Case("payment-list", SEES_ACME_BALANCE, cmd("/payment", "list ACME"), shows="ACME"),
    Case(
        "payment-plan",
        MONEY,
        cmd("/payment", lambda h: f"plan {late_client(h)[0]} $100 every month from Dec 1 2026"),
        ("payment_plans",),
    ),
    Case("payment-form", MONEY, cmd("/payment", ""), opens=True),
    Case(
        "payment-form-submit",
        MONEY,
        submit(
            lambda h: admin_form(h, "/payment"),
            constant(
                {
                    MoneyField.CLIENT: "ACME",
                    MoneyField.AMOUNT: "40",
                    MoneyField.RECEIVED: "2026-11-17",
                }
            ),
        ),
        ("payments",),
    ),
    # /clerk
    Case("clerk-help", EVERYONE, cmd("/clerk", "help"), shows="/clerk whoami"),
    Case("clerk-whoami", EVERYONE, cmd("/clerk", "whoami"), shows="You are"),
    Case(
        "clerk-role",
        FIRM,
        cmd("/clerk", lambda h: f"role <@U_TEMP|temp> {'lawyer' if n() % 2 else 'staff'}"),
        ("audit_log",),
    ),
    Case("clerk-settings", FIRM, cmd("/clerk", "settings"), shows="digest"),
    Case(
        "clerk-settings-set",
        FIRM,
        cmd("/clerk", lambda h: f"settings reminder_days 30 14 7 {n() % 3 + 3} 1 0"),
        ("audit_log",),
    ),
    Case(
        "clerk-holiday",
        FIRM,
        cmd("/clerk", lambda h: f"holiday add Dec {n() % 20 + 1} 2027 Closure"),
        ("closure_days",),
    ),
    Case("clerk-audit", FIRM, cmd("/clerk", "audit ACME"), shows="ACME"),
    Case("clerk-report-week", REPORTS, cmd("/clerk", "report week"), shows="Weekly report"),
    Case("clerk-report-month", REPORTS, cmd("/clerk", "report month"), shows="Monthly report"),
    Case("clerk-report-year", REPORTS, cmd("/clerk", "report year"), shows="Yearly report"),
    Case(
        "clerk-report-clients",
        CLIENT_ANALYSIS,
        cmd("/clerk", "report clients"),
        shows="Client analysis",
    ),
    Case(
        "clerk-import-clients",
        IMPORT_PRACTICE,
        cmd("/clerk", "import clients"),
        ("pending_confirmations",),
    ),
    Case(
        "clerk-import-invoices", MONEY, cmd("/clerk", "import invoices"), ("pending_confirmations",)
    ),
    # reminder buttons (in the responsible lawyer's DM)
    Case(
        "reminder-done",
        PRACTICE,
        press("reminder_done", lambda h: str(new_deadline(h)), "DU_LENA"),
        ("audit_log",),
    ),
    Case(
        "reminder-snooze",
        PRACTICE,
        press("reminder_snooze", lambda h: str(new_deadline(h)), "DU_LENA"),
        ("audit_log",),
    ),
    Case(
        "reminder-reassign",
        PRACTICE,
        press("reminder_reassign", lambda h: str(new_deadline(h)), "DU_LENA"),
        opens=True,
    ),
    Case(
        "reminder-reassign-submit",
        PRACTICE,
        submit(reassign_form, constant({"assignee": "U_SAM"})),
        ("audit_log",),
    ),
    # the overdue post's buttons (billing channel) and their forms
    Case("overdue-log-contact", LOGS_CONTACTS, overdue_button("overdue_log_contact"), opens=True),
    Case(
        "overdue-log-contact-submit",
        LOGS_CONTACTS,
        submit(
            lambda h: forms.contact_modal("ACME", money_meta(h)),
            constant({MoneyField.KIND: "call", MoneyField.SUMMARY: "asked about INV-1"}),
        ),
        ("contacts",),
    ),
    Case("overdue-mark-disputed", MONEY, overdue_button("overdue_mark_disputed"), opens=True),
    Case("overdue-dispute-submit", MONEY, submit(dispute_form, first_option), ("audit_log",)),
    Case("overdue-next-stage", MONEY, overdue_button("overdue_next_stage"), opens=True),
    Case(
        "overdue-next-stage-submit",
        MONEY,
        submit(
            lambda h: forms.next_stage_modal(
                "LATE", "stage 2", "stage 3", money_meta(h, late_client(h)[1])
            ),
            constant({MoneyField.REASON: "no answer"}),
        ),
        ("escalation_events",),
    ),
    Case(
        "overdue-page",
        OVERDUE,
        press("balance_overdue_page", lambda h: '{"p": 1}'),
        hidden_from={"lawyer-other": "*ACME*", "lawyer-own": "*GLOBEX*"},
    ),
    # rule-chain previews' buttons
    Case("apply-confirm", PRACTICE, press_preview("deadline_apply_confirm"), ("deadlines",)),
    Case("apply-cancel", PRACTICE, press_preview("deadline_apply_cancel"), shows="othing"),
    Case(
        "move-trigger-confirm",
        PRACTICE,
        trigger_offer("move", "deadline_move_trigger_confirm"),
        ("audit_log",),
    ),
    Case(
        "move-trigger-cancel",
        PRACTICE,
        trigger_offer("move", "deadline_move_trigger_cancel"),
        shows="nothing was stored",
    ),
    Case(
        "cancel-dependents",
        PRACTICE,
        trigger_offer("cancel", "deadline_cancel_dependents"),
        ("audit_log",),
    ),
    Case(
        "keep-dependents",
        PRACTICE,
        trigger_offer("cancel", "deadline_keep_dependents"),
        shows="stay open",
    ),
    # plain sentences in a DM, and the App Home
    Case(
        "dm-log-contact",
        LOGS_CONTACTS,
        dm("log call with ACME: agreed to mediation"),
        ("contacts",),
        bookkeeping=("processed_events",),
    ),
    Case(
        "dm-deadline",
        PRACTICE,
        dm("ACME-1 reply brief due Dec 11 2026"),
        ("deadlines",),
        bookkeeping=("processed_events",),
    ),
    Case(
        "dm-balance",
        SEES_ACME_BALANCE,
        dm("balance ACME"),
        shows=SECRET_AMOUNT,
        bookkeeping=("processed_events",),
    ),
    Case(
        "dm-import-clients-file",
        IMPORT_PRACTICE,
        import_file,
        ("clients",),
        bookkeeping=("processed_events",),
    ),
    Case(
        "app-home",
        EVERYONE,
        home,
        shows="Your desk",
        hidden_from={"lawyer-other": SECRET_AMOUNT, "staff": "$", "billing": SECRET_AMOUNT},
    ),
    # Confirm / Cancel on a reading question: the re-run command's rights apply
    Case(
        "confirm-reading-payment",
        MONEY,
        forged_confirmation("/payment", "add ACME $15 on Nov 16 2026"),
        ("payments",),
    ),
    Case(
        "confirm-reading-contact",
        LOGS_CONTACTS,
        forged_confirmation("/contact", "ACME call confirmed reading"),
        ("contacts",),
    ),
    Case(
        "cancel-reading",
        EVERYONE,
        press("clerk_cancel_reading", lambda h: "cancel"),
        shows="nothing was saved",
    ),
]


# --- the matrix --------------------------------------------------------------------------


def everything_shown(exchange: Exchange) -> str:
    """Every reply, message, modal and modal error the exchange produced, as one string."""
    calls = [
        (c.method, c.params) for c in exchange.calls if c.method.startswith(("chat.", "views."))
    ]
    return json.dumps([exchange.replies, calls, exchange.body], default=str)


def assert_only_the_asker_sees_it(exchange: Exchange, user: str) -> None:
    for reply in exchange.replies:
        assert reply.get("response_type") == "ephemeral", reply
    for call in exchange.calls:
        if call.method == "chat.postMessage":
            assert call.params["channel"] == f"D{user}", call.params  # the asker's own DM
        elif call.method == "chat.postEphemeral":
            assert call.params["user"] == user, call.params
        else:
            assert call.method not in ("chat.update", "views.open", "views.publish"), call.method


def assert_money_shown_privately(exchange: Exchange, user: str) -> None:
    """An allowed answer that shows ACME's money shows it to the asker alone."""
    for reply in exchange.replies:
        if SECRET_AMOUNT in json.dumps(reply):
            assert reply.get("response_type") == "ephemeral", reply
    for call in exchange.calls:
        if SECRET_AMOUNT not in json.dumps(call.params):
            continue
        if call.method == "chat.postMessage":
            assert call.params["channel"] == f"D{user}", call.params
        elif call.method == "chat.postEphemeral":
            assert call.params["user"] == user, call.params
        elif call.method == "views.publish":
            assert call.params["user_id"] == user, call.params


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(firm: Harness, case: Case, role: str) -> None:
    user = ROLES[role]
    request = case.prepare(firm, user)
    before = row_counts(firm.db)
    exchange = request()
    after = row_counts(firm.db)
    seen = everything_shown(exchange)
    assert exchange.status == 200, exchange.status
    assert "Something went wrong" not in seen and "Traceback" not in seen
    if role in case.allowed:
        assert not REFUSAL.search(seen), seen
        added = grown(before, after)
        for table in case.grows:
            assert table in added, (table, added, seen)
        assert not unaudited_rows(before, after), f"every new row has its audit row: {added}"
        if case.shows:
            assert case.shows in seen, seen
        if case.opens:
            assert exchange.calls_to("views.open"), seen
        assert_money_shown_privately(exchange, user)
    else:
        assert REFUSAL.search(seen), seen
        unchanged = {k: v for k, v in after.items() if k not in case.bookkeeping}
        assert unchanged == {k: v for k, v in before.items() if k in unchanged}, grown(
            before, after
        )
        assert_only_the_asker_sees_it(exchange, user)
        assert SECRET_AMOUNT not in seen
    if role in case.hidden_from:
        assert case.hidden_from[role] not in seen, seen


# Which case exercises each button and form Clerk registers.
LISTENERS = {
    "reminder_done": "reminder-done",
    "reminder_snooze": "reminder-snooze",
    "reminder_reassign": "reminder-reassign",
    "reminder_reassign_modal": "reminder-reassign-submit",
    "overdue_log_contact": "overdue-log-contact",
    "overdue_mark_disputed": "overdue-mark-disputed",
    "overdue_next_stage": "overdue-next-stage",
    "balance_overdue_page": "overdue-page",
    "overdue_contact_modal": "overdue-log-contact-submit",
    "overdue_dispute_modal": "overdue-dispute-submit",
    "overdue_next_stage_modal": "overdue-next-stage-submit",
    "deadline_apply_confirm": "apply-confirm",
    "deadline_apply_cancel": "apply-cancel",
    "deadline_move_trigger_confirm": "move-trigger-confirm",
    "deadline_move_trigger_cancel": "move-trigger-cancel",
    "deadline_cancel_dependents": "cancel-dependents",
    "deadline_keep_dependents": "keep-dependents",
    "clerk_confirm_reading": "confirm-reading-payment",
    "clerk_cancel_reading": "cancel-reading",
    "clients_add_modal": "client-form-submit",
    "matters_add_modal": "matter-form-submit",
    "contacts_log_modal": "contact-form-submit",
    "log_client_contact": "contact-shortcut",
    "deadline_add_modal": "deadline-form-submit",
    "balance_lookup_modal": "balance-form-submit",
    "invoice_add_modal": "invoice-form-submit",
    "payment_add_modal": "payment-form-submit",
}


def test_every_command_button_and_form_is_in_the_matrix(firm: Harness) -> None:
    """A new command, ``/clerk`` word, button or form without a matrix row fails here."""
    from handlers.billing.forms import MoneyView
    from handlers.billing.overdue_views import MoneyAction
    from handlers.clients.contact_views import ContactIds
    from handlers.clients.views import ClientIds
    from handlers.deadlines.reminder_views import ReminderAction
    from handlers.deadlines.ruleset_views import RulesetAction
    from handlers.deadlines.views import DeadlineView
    from handlers.kernel.ids import Action

    ids = [Action, ClientIds, ContactIds, DeadlineView, ReminderAction, MoneyView, MoneyAction]
    registered = {member.value for enum in [*ids, RulesetAction] for member in enum}
    assert registered == set(LISTENERS)
    names = {c.name for c in CASES}
    assert set(LISTENERS.values()) <= names
    assert {f"/{name.split('-')[0]}" for name in names} >= firm.clerk.commands
    assert {"clerk-audit", "clerk-import-clients", "clerk-report-week"} <= names
    assert set(firm.clerk.admin_subcommands) == {"audit", "import", "report"}


# Refusals to someone who may not see the thing: the same words whether it exists or not.
# (role, command, text with {} for the thing, an existing thing, a thing that does not exist)
HIDDEN = [
    ("staff", "/balance", "{}", "ACME", "NOSUCH"),
    ("staff", "/invoice", "{}", "INV-1", "NOSUCH-9"),
    ("staff", "/invoice", "dispute {} contested", "INV-1", "NOSUCH-9"),
    ("staff", "/payment", "add {} $10", "ACME", "NOSUCH"),
    ("lawyer-other", "/invoice", "{}", "INV-1", "NOSUCH-9"),
    ("lawyer-other", "/invoice", "void {} wrong client", "INV-1", "NOSUCH-9"),
    ("lawyer-own", "/invoice", "write-off {} insolvent", "INV-1", "NOSUCH-9"),
    ("billing", "/deadline", "done {}", "DEADLINE", "999999"),  # DEADLINE: a fresh one's id
]


@pytest.mark.parametrize(
    ("role", "command", "text", "existing", "missing"),
    HIDDEN,
    ids=[f"{r}-{c[1:]}-{t.split()[0].strip('{}') or 'show'}" for r, c, t, _, _ in HIDDEN],
)
def test_a_refusal_does_not_reveal_whether_it_exists(
    firm: Harness, role: str, command: str, text: str, existing: str, missing: str
) -> None:
    user = ROLES[role]
    existing = str(new_deadline(firm)) if existing == "DEADLINE" else existing
    before = row_counts(firm.db)
    known = everything_shown(firm.slack.command(user, command, text.format(existing)))
    unknown = everything_shown(firm.slack.command(user, command, text.format(missing)))
    assert REFUSAL.search(known), known
    assert unknown.replace(missing, existing) == known
    assert row_counts(firm.db) == before
