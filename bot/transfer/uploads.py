"""Importing a CSV file sent to Clerk in Slack (``/clerk import KIND``, then the file by DM).

The import itself is the one ``clerk import`` runs (``bot.transfer.import_csv``): every row
or none, each bad row reported with its line number. This module adds what Slack needs:
who may import what, remembering which kind the person said they would send, and reading
the file's bytes as text.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, PermissionDenied
from bot.permissions import Actor, Capability
from bot.transfer import KIND_MODULES, ImportFailed, get_kind, import_csv
from storage.db import Database
from storage.models import PendingConfirmation, Role

PENDING_KIND = "csv_import"
PENDING_TTL = timedelta(hours=1)
MAX_FILE_BYTES = 5 * 1024 * 1024
BILLING_KINDS = frozenset({"invoices", "payments"})
IMPORT_ROLES = frozenset({Role.ADMIN, Role.PARTNER})
SINGULAR = {
    "client": "clients",
    "matter": "matters",
    "contact": "contacts",
    "deadline": "deadlines",
    "invoice": "invoices",
    "payment": "payments",
    "party": "parties",
}


def read_kind(word: str) -> str:
    kind = word.strip().lower()
    kind = SINGULAR.get(kind, kind)
    if kind not in KIND_MODULES:
        raise InvalidInput(
            f"`{word}` is not something Clerk imports. Kinds: {', '.join(KIND_MODULES)}.",
            usage="/clerk import KIND   e.g. /clerk import clients",
        )
    return kind


def require_may_import(actor: Actor, kind: str) -> None:
    """Admins and partners import anything; billing staff import invoices and payments."""
    if kind in BILLING_KINDS:
        actor.require(Capability.MANAGE_BILLING)
        return
    if actor.role not in IMPORT_ROLES:
        raise PermissionDenied(
            f"Only an admin or a partner may import {kind}; your role is {actor.role.value}."
        )


def columns(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The columns a ``kind`` file must have, and those it may have besides."""
    found = get_kind(kind)
    return found.required, tuple(c for c in found.columns if c not in found.required)


def expect_file(session: Session, *, actor: Actor, kind: str, now: datetime) -> datetime:
    """Remember that ``actor`` will send a ``kind`` file; returns when the wait ends."""
    session.add(
        PendingConfirmation(
            token=secrets.token_urlsafe(24),
            kind=PENDING_KIND,
            user_slack_id=actor.slack_id,
            payload={"kind": kind},
            created_at=now,
            expires_at=now + PENDING_TTL,
        )
    )
    session.flush()
    return now + PENDING_TTL


def pending_kind(session: Session, *, slack_id: str, now: datetime) -> str | None:
    """The kind of the person's latest ``/clerk import KIND`` still waiting for its file."""
    row = session.scalars(
        select(PendingConfirmation)
        .where(
            PendingConfirmation.kind == PENDING_KIND,
            PendingConfirmation.user_slack_id == slack_id,
            PendingConfirmation.used_at.is_(None),
            PendingConfirmation.expires_at > now,
        )
        .order_by(PendingConfirmation.created_at.desc(), PendingConfirmation.id.desc())
        .limit(1)
    ).first()
    kind = (row.payload or {}).get("kind") if row else None
    return kind if isinstance(kind, str) else None


def close_pending(session: Session, *, slack_id: str, now: datetime) -> None:
    """The file arrived and was imported: the waiting requests are done."""
    session.execute(
        update(PendingConfirmation)
        .where(
            PendingConfirmation.kind == PENDING_KIND,
            PendingConfirmation.user_slack_id == slack_id,
            PendingConfirmation.used_at.is_(None),
        )
        .values(used_at=now)
    )


def kind_named_in(text: str) -> str | None:
    """A kind written in a message or a file name ("clients", "2026-matters.csv")."""
    words = re.findall(r"[a-z]+", text.lower())
    found = {SINGULAR.get(w, w) for w in words} & set(KIND_MODULES)
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class KindChoice:
    kind: str | None
    question: str | None = None  # why Clerk can't tell (shown to the person)


def choose_kind(*, message_text: str, filename: str, pending: str | None) -> KindChoice:
    """Which kind a file is: the message says > the waiting request > the file's name.

    A waiting ``/clerk import clients`` with a file named ``matters.csv`` is refused rather
    than guessed: importing a file as the wrong kind fails every row, or worse.
    """
    said = kind_named_in(message_text)
    if said:
        return KindChoice(said)
    named = kind_named_in(filename.rsplit(".", 1)[0])
    if pending and named and named != pending:
        return KindChoice(
            None,
            f"You asked to import {pending}, but the file is named {filename}. Send it again "
            f"with the word `{named}` or `{pending}` in the message to say which it is.",
        )
    if pending or named:
        return KindChoice(pending or named)
    return KindChoice(
        None,
        "Which kind of file is this? Type `/clerk import clients` (or matters, contacts, "
        "deadlines, invoices, payments) first, or write the kind in the message with the file.",
    )


def decode(content: bytes, filename: str) -> str:
    if not content.strip():
        raise InvalidInput(f"{filename} is empty: there is nothing to import.")
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{filename} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; import it with "
            "`clerk import` on the server, or split it."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            f'{filename} is not UTF-8 text. Save it as "CSV UTF-8" and send it again.'
        ) from None


@dataclass
class ImportOutcome:
    kind: str
    filename: str
    count: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_import(db: Database, *, actor: Actor, kind: str, filename: str, text: str) -> ImportOutcome:
    """All rows or none, as ``clerk import`` does; a refused file lists every bad line."""
    require_may_import(actor, kind)
    try:
        count = import_csv(db, kind, io.StringIO(text), actor=actor.slack_id)
    except ImportFailed as failed:
        return ImportOutcome(kind, filename, problems=list(failed.problems))
    return ImportOutcome(kind, filename, count=count)
