"""Credit checks: who assessed a client's creditworthiness, when, and what they decided.

Each check is a row of its own, never overwritten: the client's latest check is its standing
decision, and the earlier ones are the history a partner reads before extending more credit.
The limit and retainer a check names are also written to the client (``credit_limit_cents``,
``retainer_required_cents``), so balances keep reading them where they always have.

The index on invoices by client and issue date is declared here with the feature that needs
it: a client's payment behaviour (``bot.billing.payment_behaviour``) reads the invoices it
issued in the last two years, not its whole history.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models.billing import Invoice
from storage.models.types import CURRENCY, enum_type
from storage.stamps import clerk_now


class CreditDecision(StrEnum):
    APPROVED = "approved"
    # Credit on the terms the check names (a retainer, a lower limit), and watched.
    CONDITIONAL = "conditional"
    # No credit: a new matter for the client needs a partner's *Proceed*.
    DECLINED = "declined"


class CreditCheck(Base):
    __tablename__ = "credit_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    decision: Mapped[CreditDecision] = mapped_column(enum_type(CreditDecision))
    # What the check set; None where it left the client's figure as it was.
    limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    retainer_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY, default="USD")
    note: Mapped[str] = mapped_column(Text)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_by: Mapped[str] = mapped_column(String(32))  # the Slack id, as the audit log has it
    checked_at: Mapped[datetime] = mapped_column(default=clerk_now)

    __table_args__ = (Index("ix_credit_checks_client_at", "client_id", "checked_at"),)


# A client's invoices by issue date: the payment-behaviour windows read only these.
Index("ix_invoices_client_issued", Invoice.client_id, Invoice.issued_on)
