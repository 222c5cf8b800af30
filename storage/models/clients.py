"""Clients, their matters and the log of contacts with them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, JSONType
from storage.models.enums import ClientKind, ClientStatus, ContactKind, MatterStatus
from storage.models.types import CURRENCY, enum_type
from storage.stamps import clerk_now


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short handle typed in Slack; stored upper-case so lookups are case-insensitive.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ClientKind] = mapped_column(enum_type(ClientKind), default=ClientKind.ORGANIZATION)
    status: Mapped[ClientStatus] = mapped_column(
        enum_type(ClientStatus), default=ClientStatus.ACTIVE
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The relationship partner: told when the account reaches partner review (stage 3).
    # None: every partner is.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_key: Mapped[bool] = mapped_column(default=False)
    industry: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(CURRENCY, default="USD")
    credit_limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    terms_days: Mapped[int] = mapped_column(default=30)
    retainer_required_cents: Mapped[int | None] = mapped_column(BigInteger)
    # Days without contact before the responsible lawyer is nudged (key clients).
    cadence_days: Mapped[int | None]
    # Who also gets the 08:30 collections DM for this client (often someone in billing).
    billing_contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The profile a firm keeps (migration 0013): typed so it is checked on the way in and can
    # be grouped in SQL. A person's...
    gender: Mapped[str | None] = mapped_column(String(40))
    birth_date: Mapped[date | None]
    family: Mapped[str | None] = mapped_column(Text)
    income_cents: Mapped[int | None] = mapped_column(BigInteger)  # a year, client's currency
    employer: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[str | None] = mapped_column(String(200))
    interests: Mapped[str | None] = mapped_column(Text)
    # ...an organisation's...
    legal_rep: Mapped[str | None] = mapped_column(String(300))
    contact_person: Mapped[str | None] = mapped_column(String(300))
    registered_capital_cents: Mapped[int | None] = mapped_column(BigInteger)
    revenue_cents: Mapped[int | None] = mapped_column(BigInteger)  # a year
    employees: Mapped[int | None]
    customers: Mapped[str | None] = mapped_column(Text)
    business_partners: Mapped[str | None] = mapped_column(Text)  # `/client edit … partners`
    # ...and both.
    referral_source: Mapped[str | None] = mapped_column(String(200))
    potential_needs: Mapped[str | None] = mapped_column(Text)
    # The long tail firms keep beyond the named fields.
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)
    updated_at: Mapped[datetime] = mapped_column(default=clerk_now, onupdate=clerk_now)

    __table_args__ = (Index("ix_clients_key_status", "is_key", "status"),)


class ClientRelation(Base):
    """One client's link to another it is related to (parent company, spouse, guarantor),
    as set with ``/client edit CODE related-clients``."""

    __tablename__ = "client_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    related_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (UniqueConstraint("client_id", "related_id"),)


class Matter(Base):
    __tablename__ = "matters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)  # CLIENT-N
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    practice_area: Mapped[str | None] = mapped_column(String(120))
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[MatterStatus] = mapped_column(enum_type(MatterStatus), default=MatterStatus.OPEN)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    close_reason: Mapped[str | None] = mapped_column(Text)
    fee_arrangement: Mapped[str | None] = mapped_column(String(60))
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)  # fees, client's currency
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)  # 1-5, asked at close
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (
        UniqueConstraint("client_id", "number"),
        # the few matters with a budget, read by each budget check (migration 0013)
        Index(
            "ix_matters_budgeted",
            "status",
            sqlite_where=text("budget_cents IS NOT NULL"),
            postgresql_where=text("budget_cents IS NOT NULL"),
        ),
    )


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    kind: Mapped[ContactKind] = mapped_column(enum_type(ContactKind), default=ContactKind.CALL)
    summary: Mapped[str] = mapped_column(Text)  # stored whole; only the display is truncated
    occurred_at: Mapped[datetime]
    follow_up_on: Mapped[date | None]
    follow_up_done_at: Mapped[datetime | None]
    # Set only when a colleague's contact closed this follow-up (the client's responsible
    # lawyer answers for everyone's): its owner is told in their next briefing. Left None
    # when the owner closed it themselves, so the rows the briefing reads stay few.
    follow_up_closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    permalink: Mapped[str | None] = mapped_column(String(500))
    # Dedupe key for contacts logged from Slack messages (e.g. "C123:1700000000.000100").
    source_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (
        Index("ix_contacts_client_occurred", "client_id", "occurred_at"),
        Index("ix_contacts_follow_up", "follow_up_on", "follow_up_done_at"),
        Index("ix_contacts_logged_by", "logged_by_id", "occurred_at"),
    )


# The follow-ups a colleague closed, by when (migration 0009): the briefing's window reads
# them, and it holds only those rows, not the firm's every contact.
CLOSED_BY_COLLEAGUE = Contact.follow_up_closed_by_id.is_not(None)
Index(
    "ix_contacts_closed_by_colleague",
    Contact.follow_up_done_at,
    sqlite_where=CLOSED_BY_COLLEAGUE,
    postgresql_where=CLOSED_BY_COLLEAGUE,
)
