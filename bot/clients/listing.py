"""``/client list (key|former|prospect|industry TEXT|size TEXT) [page N]``: the firm's
clients by one filter, sorted by name, a page at a time.

Anyone who may look up clients may list them (billing too: it reads clients). A page is read
with OFFSET and LIMIT after one COUNT, so the hundredth page of a big firm's former clients
costs what the first does. For key clients each line also says when the client was last
contacted and whether that is within its cadence, read as the briefing's cadence nudge reads
it (``bot.clients.morning.key_clients``): a correlated MAX answered from the end of
``ix_contacts_client_occurred``, for the page's clients only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput
from bot.permissions import Actor, Capability
from bot.text import split_words
from storage.models import Client, ClientStatus, Contact, User

PER_PAGE = 20
MAX_FILTER_TEXT = 120  # the longest industry a client can have (``clients.industry``)
LIST_USAGE = "/client list (key|former|prospect|industry TEXT|size TEXT) [page N]"
FILTERS = ("key", "former", "prospect", "industry", "size")


@dataclass(frozen=True)
class ClientFilter:
    """Which clients: ``kind`` is one of ``FILTERS``; ``text`` the industry or size typed."""

    kind: str
    text: str = ""

    def describe(self) -> str:
        """What the reply's title calls them (``text`` is the user's and still unescaped)."""
        if self.kind == "key":
            return "Key clients"
        if self.kind in ("former", "prospect"):
            return f"{self.kind.capitalize()} clients"
        return f"Clients with {self.kind} “{self.text}”"

    def condition(self) -> ColumnElement[bool]:
        """Key clients are the active ones the cadence watches; industry is matched as a
        part of the word ("tech" finds "Technology"), size as a whole (sizes are short
        labels: "1" must not find "10-50"); both ignore case."""
        if self.kind == "key":
            return (Client.is_key.is_(True)) & (Client.status == ClientStatus.ACTIVE)
        if self.kind == "former":
            return Client.status == ClientStatus.FORMER
        if self.kind == "prospect":
            return Client.status == ClientStatus.PROSPECT
        if self.kind == "industry":
            needle = self.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return func.lower(Client.industry).like(f"%{needle}%", escape="\\")
        return func.lower(Client.size) == self.text.lower()


@dataclass(frozen=True)
class ListedClient:
    code: str
    name: str
    status: ClientStatus
    lawyer_slack_id: str | None
    # Key clients only (None otherwise): the latest contact, days since it on the firm's
    # calendar (None: never contacted) and the cadence it is held to.
    last_contact_on: date | None = None
    days_since: int | None = None
    cadence_days: int | None = None

    @property
    def overdue_by(self) -> int | None:
        """Days past the cadence (0 or less: within it); None when it has no cadence."""
        if self.cadence_days is None:
            return None
        if self.days_since is None:
            return self.cadence_days  # never contacted: as overdue as a whole cadence
        return self.days_since - self.cadence_days


@dataclass(frozen=True)
class ClientPage:
    filter: ClientFilter
    clients: list[ListedClient]
    page: int
    pages: int
    total: int


def read_list(text: str) -> tuple[ClientFilter, int]:
    """The words after ``/client list`` -> (the filter, the page wanted)."""
    try:
        words = split_words(text)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, usage=LIST_USAGE) from None
    page = 1
    if len(words) >= 2 and words[-2].lower() == "page":
        page = _page_number(words[-1])
        words = words[:-2]
    if not words:
        raise InvalidInput(
            "Which clients? e.g. `/client list key` or `/client list industry real estate`.",
            usage=LIST_USAGE,
        )
    kind = words[0].lower()
    if kind not in FILTERS:
        raise InvalidInput(
            f"`/client list` lists clients by one of: {', '.join(f'`{f}`' for f in FILTERS)}.",
            usage=LIST_USAGE,
        )
    rest = " ".join(words[1:]).strip()
    if kind in ("industry", "size"):
        if not rest:
            raise InvalidInput(
                f"`{kind}` needs the {kind} to look for, e.g. "
                f"`/client list {kind} {'real estate' if kind == 'industry' else 'large'}`.",
                usage=LIST_USAGE,
            )
        if len(rest) > MAX_FILTER_TEXT:
            raise InvalidInput(
                f"That {kind} is longer than any client's ({MAX_FILTER_TEXT} characters).",
                usage=LIST_USAGE,
            )
        return ClientFilter(kind, rest), page
    if rest:
        raise InvalidInput(
            f"`/client list {kind}` takes nothing more than `page N`.", usage=LIST_USAGE
        )
    return ClientFilter(kind), page


def _page_number(word: str) -> int:
    if not (word.isascii() and word.isdigit()) or not word.lstrip("0"):
        raise InvalidInput("`page` takes a page number, e.g. `page 2`.", usage=LIST_USAGE)
    return int(word) if len(word) <= 9 else 10**9


def list_clients(
    session: Session,
    *,
    actor: Actor,
    wanted: ClientFilter,
    page: int,
    today: date,
    zone: tzinfo,
    default_cadence: int,
) -> ClientPage:
    """One page of the clients ``wanted`` describes, by name (then code, for namesakes)."""
    actor.require(Capability.READ_CLIENTS)
    where = wanted.condition()
    total = int(session.scalar(select(func.count()).select_from(Client).where(where)) or 0)
    pages = max(1, -(-total // PER_PAGE))
    if total and page > pages:
        raise InvalidInput(
            f"There {'is' if pages == 1 else 'are'} only {pages} page{'s' if pages != 1 else ''}"
            f" of these clients ({total}); page {pages} is the last."
        )
    last = (
        select(func.max(Contact.occurred_at))
        .where(Contact.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )
    columns = [Client.code, Client.name, Client.status, Client.cadence_days, User.slack_id]
    if wanted.kind == "key":
        columns.append(last)
    rows = session.execute(
        select(*columns)
        .outerjoin(User, User.id == Client.lawyer_id)
        .where(where)
        .order_by(func.lower(Client.name), Client.code)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    clients = [
        _listed(row, key=wanted.kind == "key", today=today, zone=zone, default=default_cadence)
        for row in rows
    ]
    return ClientPage(wanted, clients, page, pages, total)


def _listed(row: object, *, key: bool, today: date, zone: tzinfo, default: int) -> ListedClient:
    code, name, status, cadence, lawyer, *rest = row  # type: ignore[misc]
    found = ListedClient(code, name, ClientStatus(status), lawyer)
    if not key:
        return found
    contacted: datetime | None = rest[0]
    on = contacted.astimezone(zone).date() if contacted is not None else None
    return ListedClient(
        code,
        name,
        ClientStatus(status),
        lawyer,
        last_contact_on=on,
        days_since=(today - on).days if on is not None else None,
        cadence_days=cadence or default,
    )
