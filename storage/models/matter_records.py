"""What a matter gathers beyond its deadlines and money: its parties, the documents filed to
it from Slack, and the record of every conflict-of-interest search.

Parties keep a normalised copy of their name (lower case, no accents, punctuation or legal
form) beside the name as typed: the conflict search compares normalised names, and the
unique constraint stops one party being added twice to a matter as "Acme, Inc." and
"ACME Inc".
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, BigId, JSONType
from storage.models.types import enum_type
from storage.stamps import clerk_now


class PartyRole(StrEnum):
    """How a person or organisation stands in a matter, as a conflict check reads it."""

    ADVERSE = "adverse"
    CLIENT = "client"
    RELATED = "related"
    CO_COUNSEL = "co-counsel"
    OPPOSING_COUNSEL = "opposing-counsel"
    WITNESS = "witness"


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    # See the module docstring; indexed so an exact normalised match needs no scan.
    normalised: Mapped[str] = mapped_column(String(300), index=True)
    role: Mapped[PartyRole] = mapped_column(enum_type(PartyRole), default=PartyRole.ADVERSE)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (UniqueConstraint("matter_id", "normalised"),)


class ConflictSearch(Base):
    """One conflict search: who searched which name, when, why and what it found.

    The row is itself the audit record (so it is not audited again): the hits are kept as
    they were shown, because a later rename or a new party must not change what a lawyer was
    told when they opened a matter.
    """

    __tablename__ = "conflict_searches"
    __audited__ = False

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    searched_by: Mapped[str] = mapped_column(String(32))  # Slack user id
    query: Mapped[str] = mapped_column(String(300))
    normalised: Mapped[str] = mapped_column(String(300))
    # "search" (/conflict), "client add" or "matter add" (the check on intake)
    reason: Mapped[str] = mapped_column(String(24))
    hit_count: Mapped[int]
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (Index("ix_conflict_searches_at", "at"),)


class MatterDocument(Base):
    """A Slack message filed to a matter: the link Slack gave, and its files' names and ids.

    Nothing is downloaded: the document stays in Slack, where its permissions still apply.
    """

    __tablename__ = "matter_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    label: Mapped[str] = mapped_column(String(200))
    permalink: Mapped[str] = mapped_column(String(500))
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (
        UniqueConstraint("matter_id", "channel_id", "message_ts"),
        Index("ix_matter_documents_matter_filed", "matter_id", "filed_at"),
    )
