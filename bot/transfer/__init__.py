"""CSV import and export (``clerk import KIND FILE.csv`` / ``clerk export KIND``).

Each kind (clients, matters, contacts, deadlines, invoices, payments, parties) lives in its own
module and registers a ``Kind`` here. The rules are shared: export writes the pinned columns
with a header row; import reads the same columns, checks every row, reports each bad row
with its line number and reason, and writes nothing unless every row is good (one unit of
work). Importing an exported file gives back the same data.

A cell a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return: a client named ``=HYPERLINK(...)`` could send its neighbours' emails
and phones away when the file is opened) is written with a single quote in front, as OWASP
advises, and import takes exactly that quote off again: ``+1 212 555 0100`` comes back as
typed, and a name that really starts with a quote (``'t Hooft``) is left alone.
"""

from __future__ import annotations

import csv
import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy.orm import Session

from bot.errors import ClerkError, InvalidInput
from bot.settings import load_settings
from storage.db import Database
from storage.stamps import session_now

KIND_MODULES = [
    "clients",
    "matters",
    "contacts",
    "deadlines",
    "invoices",
    "payments",
    "parties",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text``, past any quotes in front, as a formula."""
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """A cell as export writes it: one quote in front of anything that starts a formula,
    also behind quotes already there (so :func:`restore` can always take exactly one off)."""
    return QUOTE + cell if _runs_as_formula(cell) else cell


def restore(cell: str) -> str:
    """A cell as import reads it: the one quote :func:`neutralise` added, taken off."""
    if cell.startswith(QUOTE) and _runs_as_formula(cell[1:]):
        return cell[1:]
    return cell


@dataclass
class ImportContext:
    """Per-import state shared across rows (e.g. matter numbers handed out so far)."""

    actor: str
    session: Session
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        """The instant of the import by the database's clock (Clerk's, when run from Slack)."""
        if "now" not in self.cache:
            self.cache["now"] = session_now(self.session)
        found: datetime = self.cache["now"]
        return found

    def today(self) -> date:
        """Today in the firm's time zone: nothing dated after it is imported."""
        if "today" not in self.cache:
            self.cache["today"] = self.now.astimezone(load_settings().tz).date()
        found: date = self.cache["today"]
        return found


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[str, ...]
    export_rows: Callable[[Session], Iterable[dict[str, str]]]
    # Stores one row or raises InvalidInput with the reason (the line number is added here).
    import_row: Callable[[ImportContext, dict[str, str]], None]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    for module in KIND_MODULES:
        try:
            importlib.import_module(f"bot.transfer.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bot.transfer.{module}":
                raise
    kind = KINDS.get(name.lower())
    if kind is None:
        raise InvalidInput(f"Unknown kind '{name}'. Kinds: {', '.join(sorted(KINDS))}.")
    return kind


class ImportFailed(ClerkError):
    def __init__(self, problems: list[str]) -> None:
        shown = problems[:50]
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(
            f"Nothing was imported: {len(problems)} row(s) need fixing.\n" + "\n".join(shown) + more
        )
        self.problems = problems


def export_csv(db: Database, kind_name: str, out: IO[str]) -> int:
    kind = get_kind(kind_name)
    writer = csv.DictWriter(out, fieldnames=list(kind.columns), lineterminator="\n")
    writer.writeheader()
    count = 0
    with db.reading() as session:
        for row in kind.export_rows(session):
            writer.writerow({col: neutralise(row.get(col, "")) for col in kind.columns})
            count += 1
    return count


def _rows(source: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    sample = source.read(4096)
    source.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(source, dialect=dialect)
    for row in reader:
        yield (
            reader.line_num,
            {(k or "").strip().lower(): restore((v or "").strip()) for k, v in row.items() if k},
        )


def import_csv(db: Database, kind_name: str, source: IO[str], *, actor: str) -> int:
    """Import every row or none; raise ImportFailed listing each bad line."""
    kind = get_kind(kind_name)
    problems: list[str] = []
    count = 0
    with db.unit_of_work(actor) as session:
        context = ImportContext(actor=actor, session=session)
        header_checked = False
        for line, row in _rows(source):
            if not header_checked:
                missing = [c for c in kind.columns if c not in row]
                if missing:
                    raise ImportFailed([f"header: missing column(s) {', '.join(missing)}"])
                header_checked = True
            if not any(row.values()):
                continue
            try:
                with session.begin_nested():
                    kind.import_row(context, row)
                    session.flush()
                count += 1
            except ClerkError as exc:
                problems.append(f"line {line}: {exc.message}")
        if problems:
            raise ImportFailed(problems)
    return count
