"""Removing what Clerk only kept for a while.

A *Confirm* button's pending row holds what the button will store (a deadline chain, an
import's rows: client names and summaries). Once it has expired it can never be used, so
keeping it would only keep privileged text around; it is removed a grace period after its
expiry (the grace lets a late press still be told "that preview expired" rather than
"unknown"). These rows are not records: they are not audited and never appear in a report.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from storage.db import Database
from storage.models import PendingConfirmation

EXPIRED_KEPT_FOR = timedelta(days=1)


def purge_expired_confirmations(db: Database, *, now: datetime) -> int:
    """Delete pending confirmations that expired more than a day before ``now``; how many."""
    with db.unit_of_work("system") as session:
        result = session.execute(
            delete(PendingConfirmation).where(
                PendingConfirmation.expires_at < now - EXPIRED_KEPT_FOR
            )
        )
        return int(result.rowcount or 0)
