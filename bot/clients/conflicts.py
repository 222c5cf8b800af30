"""The conflict-of-interest search: every client, former client, party and contact person
whose name matches, each with its matter, role, status and responsible lawyer.

A firm must check each new client and matter against the people it acts or acted for and
the people they stand against (ABA Model Rules 1.7, 1.9, 1.10), so the search favours
recall: accents, punctuation, legal forms, word order and typing slips are forgiven
(``bot.clients.names``), and a hit never blocks anything, it is shown and asked about.

Speed on a large firm (20,000 clients, 100,000+ parties) comes from a per-process index of
the distinct normalised names, scanned by rapidfuzz's C scorers. Each search first reads the
store's row counts, highest ids and newest stamps of clients and parties; when they moved
(here or in another process), only the clients added or changed since and the new parties
are read into a copy of the index, and it is rebuilt whole only when a row went away. Every
search is recorded in ``conflict_searches`` (who, what, when, what was found) by
:func:`record_search`.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clients import names
from bot.errors import InvalidInput
from bot.firm.users import slack_ids_by_id
from bot.permissions import Actor, Capability
from storage.base import chunks
from storage.models import Client, ClientStatus, ConflictSearch, Matter, MatterStatus, Party
from storage.models.matter_records import PartyRole

# Keys of a client's ``details`` that name a person at the client (set with /client edit).
CONTACT_KEYS = ("contact-person", "contact_person", "legal-rep", "legal_rep")
MAX_HITS = 40  # kept and shown; the record says how many more there were
MAX_QUERY = 300
CLIENT_MATTERS_SHOWN = 3
EMPTY_QUERY = (
    "Give a name to check, at least two letters, e.g. `/conflict Acme Corporation` or "
    "`/conflict Smith, John`."
)

# A reference to where a name comes from: (kind, row id, client id, party role or detail key)
Ref = tuple[str, int, int, str]


@dataclass(frozen=True)
class Hit:
    """One match, as shown and as recorded."""

    kind: str  # client | party | contact
    name: str
    score: int
    client: str  # the client's code
    matter: str  # the matter's code, or the client's open matters ("" when none)
    role: str  # client, former client, adverse, witness, contact person...
    status: str  # the client's or the matter's status
    lawyer: str  # the responsible lawyer's Slack id, "" when none


@dataclass(frozen=True)
class Result:
    query: str
    normalised: str
    hits: list[Hit]
    total: int  # matches found, of which ``hits`` are the best MAX_HITS

    def record(self) -> list[dict[str, Any]]:
        return [asdict(hit) for hit in self.hits]

    @property
    def keys(self) -> list[str]:
        """What identifies the hits (for a confirmation that must match what was shown)."""
        return sorted(f"{h.kind}:{h.client}:{h.matter}:{h.role}:{h.name}" for h in self.hits)


# --- the name index -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Seen:
    """What the index has read: row counts, highest ids and newest stamps."""

    clients: int
    last_client_id: int
    clients_changed: Any  # the newest clients.updated_at read
    parties: int
    last_party_id: int
    parties_changed: Any


@dataclass
class _Index:
    seen: _Seen
    choices: list[str]  # distinct normalised names
    refs: list[list[Ref]]  # where each comes from
    positions: dict[str, int]  # name -> its place in ``choices``
    by_client: dict[int, set[int]]  # client id -> places of its own and contact-person names

    @classmethod
    def empty(cls, seen: _Seen) -> _Index:
        return cls(seen, [], [], {}, defaultdict(set))

    def copy(self, seen: _Seen) -> _Index:
        """A copy to change: a search scanning the old lists is never disturbed."""
        return _Index(
            seen,
            list(self.choices),
            [list(r) for r in self.refs],
            dict(self.positions),
            defaultdict(set, {k: set(v) for k, v in self.by_client.items()}),
        )

    def add(self, name: str, ref: Ref) -> None:
        if not name:
            return
        place = self.positions.get(name)
        if place is None:
            place = self.positions[name] = len(self.choices)
            self.choices.append(name)
            self.refs.append([])
        self.refs[place].append(ref)
        if ref[0] != "party":
            self.by_client[ref[2]].add(place)

    def forget_client(self, client_id: int) -> None:
        """Drop a client's own and contact-person names (before reading them again)."""
        for place in self.by_client.pop(client_id, set()):
            self.refs[place] = [r for r in self.refs[place] if r[0] == "party" or r[2] != client_id]


_indexes: dict[str, _Index] = {}
_lock = threading.Lock()


def _seen(session: Session) -> _Seen:
    clients = session.execute(
        select(func.count(Client.id), func.max(Client.id), func.max(Client.updated_at))
    ).one()
    parties = session.execute(
        select(func.count(Party.id), func.max(Party.id), func.max(Party.created_at))
    ).one()
    return _Seen(clients[0], clients[1] or 0, clients[2], parties[0], parties[1] or 0, parties[2])


def _client_rows(session: Session, *where: Any) -> Any:
    return session.execute(
        select(
            Client.id, Client.name, Client.contact_person, Client.legal_rep, Client.details
        ).where(*where)
    )


def _add_client(index: _Index, row: Any) -> None:
    """A client's name, and the people named at it: its contact person and legal
    representative (the profile fields, and the same keys of ``details`` from before)."""
    client_id, name, contact_person, legal_rep, details = row
    index.add(names.normalise(name), ("client", client_id, client_id, ""))
    people = [("contact-person", contact_person), ("legal-rep", legal_rep)]
    people += [(key, (details or {}).get(key)) for key in CONTACT_KEYS]
    added: set[str] = set()
    for key, person in people:
        if isinstance(person, str) and not names.too_short(person):
            normalised = names.normalise(person)
            if normalised not in added:
                added.add(normalised)
                index.add(normalised, ("contact", client_id, client_id, key))


def _add_parties(session: Session, index: _Index, *where: Any) -> None:
    for party_id, normalised, role, client_id in session.execute(
        select(Party.id, Party.normalised, Party.role, Matter.client_id)
        .join(Matter, Matter.id == Party.matter_id)
        .where(*where)
    ):
        index.add(normalised, ("party", party_id, client_id, PartyRole(role).value))


def _build(session: Session, seen: _Seen) -> _Index:
    index = _Index.empty(seen)
    for row in _client_rows(session):
        _add_client(index, row)
    _add_parties(session, index)
    return index


def _only_added_or_changed(old: _Seen, new: _Seen, session: Session) -> bool:
    """Whether the rows since ``old`` account for every difference (nothing was deleted)."""
    new_clients = session.scalar(
        select(func.count(Client.id)).where(Client.id > old.last_client_id)
    )
    new_parties = session.scalar(select(func.count(Party.id)).where(Party.id > old.last_party_id))
    return new.clients - old.clients == new_clients and new.parties - old.parties == new_parties


def _refreshed(session: Session, found: _Index, seen: _Seen) -> _Index:
    """The index brought up to ``seen``: the clients added or changed since it was read and
    the new parties, read again (a few rows, not the firm's 100,000 names); rebuilt whole
    when a row went away."""
    old = found.seen
    if not _only_added_or_changed(old, seen, session):
        return _build(session, seen)
    index = found.copy(seen)
    changed = Client.id > old.last_client_id
    if old.clients_changed is not None:
        changed = changed | (Client.updated_at >= old.clients_changed)
    for row in _client_rows(session, changed):
        index.forget_client(row[0])
        _add_client(index, row)
    _add_parties(session, index, Party.id > old.last_party_id)
    return index


def _index(session: Session) -> _Index:
    key = session.get_bind().engine.url.render_as_string(hide_password=False)
    seen = _seen(session)
    with _lock:
        found = _indexes.get(key)
        if found is None:
            found = _indexes[key] = _build(session, seen)
        elif found.seen != seen:
            found = _indexes[key] = _refreshed(session, found, seen)
        return found


def _matches(query: str, choices: list[str]) -> dict[int, float]:
    """{choice index: score} of every choice that matches, by C scorers over the whole list
    (a Python scorer per name would cost a second on a large firm)."""
    cutoff = names.MATCH_CUTOFF
    found: dict[int, float] = {}
    for _c, score, i in process.extract(
        query, choices, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=None
    ):
        found[i] = score
    for _c, _score, i in process.extract(
        query, choices, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None
    ):
        if i not in found:
            score = names.score(query, choices[i], score_cutoff=cutoff)
            if score:
                found[i] = score
    if len(query) >= names.ONE_SLIP_LENGTH:
        for _c, _distance, i in process.extract(
            query, choices, scorer=Levenshtein.distance, score_cutoff=1, limit=None
        ):
            found.setdefault(i, cutoff)
    return found


# --- the search ---------------------------------------------------------------------------


def read_query(text: str) -> str:
    """The name to search for, as typed; refused when empty, one letter or too long."""
    query = text.strip().strip('"“”').strip()
    if names.too_short(query):
        raise InvalidInput(EMPTY_QUERY, usage="/conflict NAME")
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"That name is {len(query):,} characters; the most is {MAX_QUERY}.")
    return query


def search(
    session: Session, *, actor: Actor, name: str, exclude_client_id: int | None = None
) -> Result:
    """Every match for ``name``, best first (nothing is written; see :func:`record_search`).

    ``exclude_client_id``: the client a new matter is opened for, whose own record, contact
    persons and client-role parties are not conflicts with itself.
    """
    actor.require(Capability.CHECK_CONFLICTS)
    query = read_query(name)
    wanted = names.normalise(query)
    index = _index(session)
    scored: list[tuple[float, Ref, str]] = []
    for i, score in _matches(wanted, index.choices).items():
        for ref in index.refs[i]:
            kind, _row, client_id, role = ref
            own = client_id == exclude_client_id
            if own and (kind != "party" or role == PartyRole.CLIENT.value):
                continue
            scored.append((score, ref, index.choices[i]))
    scored.sort(key=lambda item: (-item[0], item[1][0], item[1][1]))
    hits = _describe(session, [(score, ref) for score, ref, _n in scored[:MAX_HITS]])
    return Result(query=query, normalised=wanted, hits=hits, total=len(scored))


def _describe(session: Session, found: list[tuple[float, Ref]]) -> list[Hit]:
    client_ids = {ref[2] for _s, ref in found}
    party_ids = [ref[1] for _s, ref in found if ref[0] == "party"]
    clients: dict[int, Client] = {}
    for part in chunks(sorted(client_ids)):
        clients.update(
            {c.id: c for c in session.scalars(select(Client).where(Client.id.in_(part)))}
        )
    parties: dict[int, tuple[Party, Matter]] = {}
    for part in chunks(sorted(party_ids)):
        rows = session.execute(
            select(Party, Matter)
            .join(Matter, Matter.id == Party.matter_id)
            .where(Party.id.in_(part))
        )
        parties.update({party.id: (party, matter) for party, matter in rows})
    open_matters = _open_matters(session, client_ids)
    lawyer_ids = [c.lawyer_id for c in clients.values()]
    lawyer_ids += [m.lawyer_id for _p, m in parties.values()]
    lawyers = slack_ids_by_id(session, lawyer_ids)
    hits: list[Hit] = []
    for score, (kind, row_id, client_id, role) in found:
        client = clients[client_id]
        if kind == "party":
            party, matter = parties[row_id]
            hits.append(
                Hit(
                    kind="party",
                    name=party.name,
                    score=round(score),
                    client=client.code,
                    matter=matter.code,
                    role=role,
                    status=f"matter {matter.status.value}",
                    lawyer=lawyers.get(matter.lawyer_id or 0, ""),
                )
            )
            continue
        is_client = kind == "client"
        hits.append(
            Hit(
                kind=kind,
                name=client.name if is_client else _person(client, role),
                score=round(score),
                client=client.code,
                matter=", ".join(open_matters.get(client_id, [])),
                role=_client_role(client.status) if is_client else role.replace("_", "-"),
                status=f"client {client.status.value}",
                lawyer=lawyers.get(client.lawyer_id or 0, ""),
            )
        )
    return hits


def _person(client: Client, key: str) -> str:
    """The person a contact hit names: the profile field, or the ``details`` key before it."""
    column = {"contact-person": client.contact_person, "legal-rep": client.legal_rep}.get(key)
    return column or str((client.details or {}).get(key, ""))


def _client_role(status: ClientStatus) -> str:
    return {ClientStatus.FORMER: "former client", ClientStatus.PROSPECT: "prospective client"}.get(
        status, "client"
    )


def _open_matters(session: Session, client_ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for part in chunks(sorted(client_ids)):
        rows = session.execute(
            select(Matter.client_id, Matter.code)
            .where(Matter.client_id.in_(part), Matter.status == MatterStatus.OPEN)
            .order_by(Matter.client_id, Matter.number)
        )
        for client_id, code in rows:
            if len(found[client_id]) < CLIENT_MATTERS_SHOWN:
                found[client_id].append(code)
    return found


def record_search(session: Session, *, actor: Actor, result: Result, reason: str) -> None:
    """Write the audit record of one search (in the caller's unit of work)."""
    session.add(
        ConflictSearch(
            searched_by=actor.slack_id,
            query=result.query,
            normalised=result.normalised[:MAX_QUERY],
            reason=reason,
            hit_count=result.total,
            hits=result.record(),
        )
    )
    session.flush()
