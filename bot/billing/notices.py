"""Client-facing notices: the text a lawyer sends at each collections stage from 1.

Clerk never writes to a client. It hands the responsible lawyer the notice for the account's
stage (``/balance notice CLIENT``, and in the morning's stage-change DM), filled from the
account, for them to send as they see fit.

**Templates.** One Jinja2 template per stage, ``notice-1.txt`` (reminder), ``notice-2.txt``
(formal notice), ``notice-3.txt`` (partner review), ``notice-4.txt`` (final notice before
collections); the built-in ones live in ``bot/billing/notice_templates/``. A firm overrides
any of them with a file of the same name in ``CLERK_TEMPLATES_DIR``. The placeholders
(``PLACEHOLDERS``): ``client.code``, ``client.name``, ``invoices`` (each with ``number``,
``issued``, ``due``, ``amount``, ``outstanding``, ``days_overdue``), ``owed``, ``overdue``,
``days_overdue``, ``firm``, ``lawyer``, ``stage``, ``stage_name``, ``today``. Amounts and
dates come formatted.

**Validated at start-up** (``load_notices``, called by ``bot.app.build_clerk``): a syntax
error, a placeholder or attribute not in that list, or a file name that is not one of the
four stops Clerk with ``NoticeTemplateError`` naming the file and line. ``StrictUndefined``
backs this up when a notice is filled.

**Escaping.** The notice is plain text shown in Slack, so HTML autoescaping would be wrong
(``&amp;`` in a letter). Clerk escapes for Slack mrkdwn instead (``&``, ``<``, ``>``): a
``finalize`` escapes every value a placeholder prints (a client named ``<!channel>`` cannot
ping anyone), and an extension escapes the template's own text at compile time, so the whole
rendered notice is Slack-safe exactly once and views show it as is.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.aged_accounts import AccountAging, outstanding_items
from bot.billing.receivables import accounts
from bot.dates.format import format_day
from bot.errors import ClerkError
from bot.money import Money, Stage
from bot.text import escape
from storage.models import Invoice, User

BUILT_IN = Path(__file__).with_name("notice_templates")
NOTICE_STAGES = (Stage.REMINDER, Stage.FORMAL_NOTICE, Stage.PARTNER_REVIEW, Stage.COLLECTIONS)
STAGE_NAMES = {
    Stage.REMINDER: "reminder",
    Stage.FORMAL_NOTICE: "formal notice",
    Stage.PARTNER_REVIEW: "partner review",
    Stage.COLLECTIONS: "final notice before collections",
}
INVOICE_FIELDS = frozenset({"number", "issued", "due", "amount", "outstanding", "days_overdue"})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "client": frozenset({"code", "name"}),
    "invoices": frozenset(),
    "owed": frozenset(),
    "overdue": frozenset(),
    "days_overdue": frozenset(),
    "firm": frozenset(),
    "lawyer": frozenset(),
    "stage": frozenset(),
    "stage_name": frozenset(),
    "today": frozenset(),
}


def file_name(stage: Stage) -> str:
    return f"notice-{int(stage)}.txt"


class NoticeTemplateError(ClerkError):
    """A notice template Clerk cannot use; the message names the file and line."""


class SlackTextEscape(Extension):
    """Escapes the template's literal text for Slack as it is compiled."""

    def filter_stream(self, stream: TokenStream) -> Any:
        for token in stream:
            if token.type == "data":
                yield Token(token.lineno, "data", escape(token.value))
            else:
                yield token


def _finalize(value: Any) -> str:
    return escape(str(value))


ENVIRONMENT = Environment(
    undefined=StrictUndefined,
    autoescape=False,
    finalize=_finalize,
    extensions=[SlackTextEscape],
    keep_trailing_newline=False,
)


@dataclass(frozen=True)
class NoticeBook:
    """The four templates in force, and where each came from (shown with the notice)."""

    templates: dict[Stage, Template]
    origins: dict[Stage, str]


def load_notices(templates_dir: Path | None) -> NoticeBook:
    """The built-in notices, each replaced by the firm's file if it has one; validated."""
    return _load(str(templates_dir) if templates_dir is not None else "")


@lru_cache(maxsize=4)
def _load(templates_dir: str) -> NoticeBook:
    sources = {stage: BUILT_IN / file_name(stage) for stage in NOTICE_STAGES}
    origins = dict.fromkeys(NOTICE_STAGES, "built-in")
    if templates_dir:
        folder = Path(templates_dir)
        if not folder.is_dir():
            raise NoticeTemplateError(
                f"CLERK_TEMPLATES_DIR: {folder} is not a directory Clerk can read."
            )
        known = {file_name(stage): stage for stage in NOTICE_STAGES}
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.name not in known:
                raise NoticeTemplateError(
                    f"{path}: not a notice template Clerk knows; name them "
                    f"{', '.join(sorted(known))}."
                )
            sources[known[path.name]] = path
            origins[known[path.name]] = "the firm's"
    templates = {stage: _compile(path) for stage, path in sources.items()}
    return NoticeBook(templates, origins)


def _compile(path: Path) -> Template:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NoticeTemplateError(f"{path}: cannot be read as UTF-8 text ({exc}).") from exc
    try:
        parsed = ENVIRONMENT.parse(source, path.name, str(path))
    except TemplateSyntaxError as exc:
        raise NoticeTemplateError(f"{path}, line {exc.lineno}: {exc.message}") from exc
    _check_names(path, parsed)
    template = ENVIRONMENT.from_string(source)
    template.filename = str(path)
    try:
        template.render(**SAMPLE)
    except TemplateError as exc:
        raise NoticeTemplateError(f"{path}, line {_line_of(exc, path)}: {exc}") from exc
    return template


def _check_names(path: Path, parsed: nodes.Template) -> None:
    """Every placeholder and attribute the template reads is one Clerk fills."""
    local = {n.name for n in parsed.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for name in parsed.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in PLACEHOLDERS and name.name not in local:
            raise NoticeTemplateError(
                f"{path}, line {name.lineno}: unknown placeholder `{name.name}`; the "
                f"placeholders are {', '.join(sorted(PLACEHOLDERS))}."
            )
    loops = {
        loop.target.name
        for loop in parsed.find_all(nodes.For)
        if isinstance(loop.target, nodes.Name)
        and isinstance(loop.iter, nodes.Name)
        and loop.iter.name == "invoices"
    }
    for got in parsed.find_all(nodes.Getattr):
        if not isinstance(got.node, nodes.Name):
            continue
        owner = got.node.name
        allowed = INVOICE_FIELDS if owner in loops else PLACEHOLDERS.get(owner)
        if allowed is not None and got.attr not in allowed:
            raise NoticeTemplateError(
                f"{path}, line {got.lineno}: `{owner}` has no `{got.attr}`; it has "
                f"{', '.join(sorted(allowed)) or 'no fields'}."
            )


def _line_of(error: Exception, path: Path) -> int | str:
    lineno = getattr(error, "lineno", None)
    if lineno:
        return int(lineno)
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename in (str(path), "<template>") and frame.lineno:
            return frame.lineno
    return "?"


# --- what a notice is filled with ------------------------------------------------------------


@dataclass(frozen=True)
class ClientFacts:
    code: str
    name: str


@dataclass(frozen=True)
class InvoiceFacts:
    number: str
    issued: str
    due: str
    amount: str
    outstanding: str
    days_overdue: int


@dataclass(frozen=True)
class NoticeFacts:
    """What the account says, formatted, for one notice."""

    client: ClientFacts
    stage: Stage
    owed: str
    overdue: str
    days_overdue: int
    firm: str
    lawyer: str
    today: str
    invoices: list[InvoiceFacts] = field(default_factory=list)

    def context(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "invoices": self.invoices,
            "owed": self.owed,
            "overdue": self.overdue,
            "days_overdue": self.days_overdue,
            "firm": self.firm,
            "lawyer": self.lawyer,
            "stage": int(self.stage),
            "stage_name": STAGE_NAMES[self.stage],
            "today": self.today,
        }


SAMPLE = NoticeFacts(
    client=ClientFacts("ACME", "Acme Corporation"),
    stage=Stage.FORMAL_NOTICE,
    owed="$12,500.00",
    overdue="$4,000.00",
    days_overdue=45,
    firm="Example & Partners LLP",
    lawyer="Lena Lawyer",
    today="Wed 18 Nov 2026",
    invoices=[
        InvoiceFacts("INV-1", "Sep 1, 2026", "Oct 1, 2026", "$3,000.00", "$3,000.00", 48),
        InvoiceFacts("INV-2", "Sep 15, 2026", "Oct 15, 2026", "$1,000.00", "$1,000.00", 34),
    ],
).context()


@dataclass(frozen=True)
class FilledNotice:
    """A rendered notice, already escaped for Slack mrkdwn (show it as is)."""

    stage: Stage
    text: str
    origin: str


def render(book: NoticeBook, facts: NoticeFacts) -> FilledNotice:
    template = book.templates[facts.stage]
    try:
        text = template.render(**facts.context())
    except TemplateError as exc:  # validated at start-up: a bug if it happens
        raise NoticeTemplateError(f"The stage {int(facts.stage)} notice failed: {exc}") from exc
    return FilledNotice(facts.stage, text.strip(), book.origins[facts.stage])


def is_noticed(stage: Stage) -> bool:
    return stage in NOTICE_STAGES


MAX_INVOICES = 20


def facts_for(
    session: Session, client_ids: Sequence[int], *, as_of: date, firm: str, home: str
) -> dict[int, NoticeFacts]:
    """Each client's notice facts for its account's stage; a client that owes nothing, or
    whose account is current, has none. Three statements whatever the number of clients."""
    if not client_ids:
        return {}
    worst: dict[int, AccountAging] = {}
    for account in accounts(session, as_of=as_of, client_ids=list(client_ids)):
        held = worst.get(account.client_id)
        if held is None or (account.stage, account.total_cents) > (held.stage, held.total_cents):
            worst[account.client_id] = account
    if not worst:
        return {}
    overdue_rows = session.execute(
        outstanding_items(list(worst))
        .where(Invoice.due_on < as_of, Invoice.disputed.is_(False))
        .order_by(Invoice.client_id, Invoice.due_on, Invoice.number)
    ).all()
    amounts = dict(
        session.execute(
            select(Invoice.id, Invoice.amount_cents).where(
                Invoice.id.in_([r.id for r in overdue_rows])
            )
        ).all()
    )
    lawyers = dict(
        session.execute(
            select(User.id, func.coalesce(func.nullif(User.real_name, ""), User.name)).where(
                User.id.in_({a.lawyer_id for a in worst.values() if a.lawyer_id})
            )
        ).all()
    )
    found: dict[int, NoticeFacts] = {}
    for client_id, account in worst.items():
        if not is_noticed(account.stage):
            continue
        cur = account.currency
        mine = [r for r in overdue_rows if r.client_id == client_id and r.currency == cur]
        found[client_id] = NoticeFacts(
            client=ClientFacts(account.client_code, account.client_name),
            stage=account.stage,
            owed=Money(account.total_cents, cur).format(home),
            overdue=Money(sum(int(r.outstanding) for r in mine), cur).format(home),
            days_overdue=max(((as_of - r.due_on).days for r in mine), default=0),
            firm=firm,
            lawyer=lawyers.get(account.lawyer_id or 0) or "the responsible lawyer",
            today=format_day(as_of),
            invoices=[
                InvoiceFacts(
                    number=r.number,
                    issued=format_day(r.issued_on),
                    due=format_day(r.due_on),
                    amount=Money(int(amounts[r.id]), cur).format(home),
                    outstanding=Money(int(r.outstanding), cur).format(home),
                    days_overdue=(as_of - r.due_on).days,
                )
                for r in mine[:MAX_INVOICES]
            ],
        )
    return found


def notices_for(
    session: Session,
    book: NoticeBook,
    client_ids: Sequence[int],
    *,
    as_of: date,
    firm: str,
    home: str,
) -> dict[int, FilledNotice]:
    """The notice in force for each client that has one (see ``facts_for``)."""
    facts = facts_for(session, client_ids, as_of=as_of, firm=firm, home=home)
    return {client_id: render(book, found) for client_id, found in facts.items()}
