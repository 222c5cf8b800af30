"""How big a synthetic firm is: row counts per table and the skews that make it realistic.

The benchmark compares a small firm with a large one, so the two differ only in size: the
same history depth, the same proportions (share of key clients, of missed deadlines, of slow
payers), and skews that scale with the firm (a large firm's heaviest clients have thousands
of invoices, a small firm's a few hundred).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Years of history behind today: closed matters, done deadlines, paid invoices, old contacts.
HISTORY_YEARS = 6
# How far ahead open deadlines are scheduled, and what share of a firm's deadlines that is.
FUTURE_DAYS = 365
FUTURE_SHARE = 0.15


@dataclass(frozen=True)
class FirmShape:
    """Row counts of one synthetic firm (payments are approximate, see
    ``bot.tools.seeding.billing``)."""

    name: str
    users: int
    clients: int
    matters: int
    contacts: int
    deadlines: int
    invoices: int
    payments: int
    # Invoices of the few heaviest clients (the firm's biggest institutional accounts).
    heavy_client_invoices: tuple[int, ...] = ()
    # 1.0 is HISTORY_YEARS of history; 3.0 is the same firm with three times the years
    # behind it (same clients and people, same work in progress, three times the past).
    history_factor: float = 1.0

    def with_history(self, factor: float) -> FirmShape:
        """The same firm with ``factor`` times the history (memory must not follow it)."""
        return replace(self, name=f"{self.name}-history{factor:g}", history_factor=factor)

    @property
    def history_years(self) -> float:
        return HISTORY_YEARS * self.history_factor

    def _history(self, n: int) -> int:
        return round(n * self.history_factor)

    @property
    def matter_count(self) -> int:
        return self._history(self.matters)

    @property
    def contact_count(self) -> int:
        return self._history(self.contacts)

    @property
    def future_deadlines(self) -> int:
        return round(self.deadlines * FUTURE_SHARE)

    @property
    def past_deadlines(self) -> int:
        return self._history(self.deadlines - self.future_deadlines)

    @property
    def invoice_count(self) -> int:
        return self._history(self.invoices)

    @property
    def heavy_invoices(self) -> tuple[int, ...]:
        return tuple(self._history(n) for n in self.heavy_client_invoices)

    def scaled(self, factor: float, name: str | None = None) -> FirmShape:
        """The same firm ``factor`` times bigger (tests compare a firm with a 3x one)."""

        def times(n: int) -> int:
            return max(1, round(n * factor))

        return replace(
            self,
            name=name or f"{self.name}x{factor:g}",
            users=times(self.users),
            clients=times(self.clients),
            matters=times(self.matters),
            contacts=times(self.contacts),
            deadlines=times(self.deadlines),
            invoices=times(self.invoices),
            payments=times(self.payments),
            heavy_client_invoices=tuple(times(n) for n in self.heavy_client_invoices),
        )

    @property
    def total_target(self) -> int:
        """Rows planned in the main tables (allocations, plans and trust come on top)."""
        return (
            self.users
            + self.clients
            + self.matter_count
            + self.contact_count
            + self.future_deadlines
            + self.past_deadlines
            + self.invoice_count
            + self._history(self.payments)
        )


LARGE = FirmShape(
    name="large",
    users=500,
    clients=20_000,
    matters=60_000,
    contacts=500_000,
    deadlines=200_000,
    invoices=300_000,
    payments=250_000,
    heavy_client_invoices=(4_000, 3_000, 2_500, 2_000, 1_500),
)

# A 25th of the large firm: 20 lawyers and their staff, 800 clients.
SMALL = LARGE.scaled(1 / 25, name="small")

# For tests: a firm small enough to seed in a fraction of a second (with every role).
TINY = replace(LARGE.scaled(1 / 400, name="tiny"), users=12)

SIZES: dict[str, FirmShape] = {shape.name: shape for shape in (TINY, SMALL, LARGE)}


def shape_named(name: str) -> FirmShape:
    try:
        return SIZES[name]
    except KeyError:
        raise ValueError(f"unknown firm size {name!r}; sizes: {', '.join(SIZES)}") from None
