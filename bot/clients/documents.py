"""Documents on matters: Slack messages (with or without files) filed to a matter.

In Slack the documents of a matter already arrive as messages and files; what was missing
is the tie to the matter. Clerk stores that tie only: the message's permalink (as Slack gave
it to Clerk, never as a client sent it), the files' names and Slack ids, who filed it and
when. Nothing is downloaded or copied out of Slack, so Slack's own permissions keep
deciding who may open a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clients.lookup import get_matter
from bot.errors import Conflict, InvalidInput
from bot.firm.users import slack_ids_by_id
from bot.permissions import Actor, Capability
from storage.models import Matter, MatterDocument

MAX_LABEL = 200
MAX_FILES = 20  # files of one message kept (Slack allows 10 a message; shares add more)
MAX_FILE_NAME = 120
PAGE_SIZE = 20
CARD_SHOWN = 3


@dataclass(frozen=True)
class SlackFile:
    id: str
    name: str


@dataclass(frozen=True)
class Filing:
    matter_code: str
    label: str
    permalink: str
    channel_id: str
    message_ts: str
    files: tuple[SlackFile, ...]


def files_of(message: dict[str, Any]) -> tuple[SlackFile, ...]:
    """The id and name of each file a Slack message carries (at most MAX_FILES)."""
    found: list[SlackFile] = []
    for item in message.get("files") or []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        name = item.get("name") or item.get("title") or item["id"]
        found.append(SlackFile(item["id"][:32], str(name)[:MAX_FILE_NAME]))
    return tuple(found[:MAX_FILES])


def label_problem(label: str) -> str | None:
    if not label.strip():
        return "Give the document a label, e.g. `Signed engagement letter`."
    if len(label) > MAX_LABEL:
        return f"The label is {len(label):,} characters; the most is {MAX_LABEL}."
    return None


def file_document(
    session: Session, *, actor: Actor, filing: Filing, now: datetime
) -> tuple[MatterDocument, Matter]:
    """Store one filing; the same message filed to the same matter twice is refused."""
    actor.require(Capability.WRITE_MATTERS)
    problem = label_problem(filing.label)
    if problem:
        raise InvalidInput(problem)
    matter = get_matter(session, filing.matter_code)
    document = MatterDocument(
        matter_id=matter.id,
        label=filing.label.strip(),
        permalink=filing.permalink,
        channel_id=filing.channel_id,
        message_ts=filing.message_ts,
        files=[{"id": f.id, "name": f.name} for f in filing.files],
        filed_by_id=actor.user_id,
        filed_at=now,
    )
    try:
        with session.begin_nested():
            session.add(document)
            session.flush()
    except IntegrityError:
        raise Conflict(f"That message is already filed to {matter.code}.") from None
    return document, matter


@dataclass(frozen=True)
class DocumentPage:
    matter: Matter
    documents: list[tuple[MatterDocument, str]]  # (document, Slack id of who filed it)
    page: int
    pages: int
    total: int


def list_documents(
    session: Session, *, actor: Actor, code: str, page: int = 1, per_page: int = PAGE_SIZE
) -> DocumentPage:
    """One page of a matter's documents, newest first."""
    actor.require(Capability.READ_CLIENTS)
    if page < 1:
        raise InvalidInput("Pages start at 1, e.g. `/matter docs ACME-1 page 2`.")
    matter = get_matter(session, code)
    total = int(
        session.scalar(
            select(func.count(MatterDocument.id)).where(MatterDocument.matter_id == matter.id)
        )
        or 0
    )
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise InvalidInput(
            f"{matter.code} has {pages} page(s) of documents; there is no page {page}."
        )
    return DocumentPage(
        matter,
        latest(session, matter.id, per_page, offset=(page - 1) * per_page),
        page,
        pages,
        total,
    )


def latest(
    session: Session, matter_id: int, limit: int = CARD_SHOWN, *, offset: int = 0
) -> list[tuple[MatterDocument, str]]:
    """A matter's documents, newest first (the matter card shows three)."""
    rows = list(
        session.scalars(
            select(MatterDocument)
            .where(MatterDocument.matter_id == matter_id)
            .order_by(MatterDocument.filed_at.desc(), MatterDocument.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    who = slack_ids_by_id(session, (d.filed_by_id for d in rows))
    return [(d, who.get(d.filed_by_id, "")) for d in rows]
