"""CSV import and export (``clerk import KIND FILE.csv`` / ``clerk export KIND``).

Each kind (clients, matters, contacts, deadlines, invoices, payments, parties) lives in its own
module and registers a ``Kind`` here. The rules are shared: export writes the pinned columns
with a header row; import reads any of those columns in any order as long as the kind's
required ones are there (an unknown column is refused by name), checks every row, reports
each bad row with its line number and reason, and writes nothing unless every row is good
(one unit of work). Importing an exported file gives back the same data.

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
    # Every column arrives: one the file did not have comes as "" (not given).
    import_row: Callable[[ImportContext, dict[str, str]], None]
    # The columns a file must have; the others may be left out, in any order.
    required: tuple[str, ...] = ()

    def header_problem(self, header: Iterable[str]) -> str | None:
        """Why a file with these columns can't be imported as this kind, or None.

        A list kept in a spreadsheet or another system rarely has every export column, so
        only the required ones are asked for; a column Clerk does not know is refused by
        name rather than dropped, so a misspelt ``emial`` never loses its data silently.
        """
        given = [name for name in header if name]
        unknown = [name for name in given if name not in self.columns]
        missing = [name for name in self.required if name not in given]
        repeated = sorted({name for name in given if given.count(name) > 1})
        problems = []
        if missing:
            problems.append(f"missing required column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        if repeated:
            problems.append(f"column(s) given twice: {', '.join(repeated)}")
        if not problems:
            return None
        return (
            "header: "
            + "; ".join(problems)
            + f". A {self.name} file needs {', '.join(self.required)} and may have any of "
            + ", ".join(c for c in self.columns if c not in self.required)
            + ", in any order."
        )


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


DELIMITERS = (",", ";", "\t")


def _delimiter(header: str, kind: Kind) -> str:
    """The delimiter that splits the header line into ``kind``'s columns: a comma, or the
    semicolon of a spreadsheet saved in a European locale, or a tab; else the commonest.

    Read from the header, whose cells are known names, rather than guessed from the data
    (``csv.Sniffer``): a guess from data misread a cell holding both a comma and a doubled
    quote (``"Smith, ""Jr."" & Co"``) and shifted the rest of the line. Quoting is always
    the spreadsheet's: ``"`` around a cell, ``""`` inside it."""
    for delimiter in DELIMITERS:
        names = next(csv.reader([header], delimiter=delimiter), [])
        names = [name.strip().lower() for name in names]
        if len(names) > 1 and kind.header_problem(names) is None:
            return delimiter
    return max(DELIMITERS, key=header.count)


def _rows(source: IO[str], kind: Kind) -> Iterator[tuple[int, dict[str, str], str | None]]:
    """Each data row: its line number, every column of ``kind`` ("" where the file has no
    such column), and what is wrong with its shape, if anything.

    Raises ImportFailed before any row when the header names the wrong columns.
    """
    first_line = source.readline()
    source.seek(0)
    reader = csv.reader(source, delimiter=_delimiter(first_line, kind))
    header = next(reader, None)
    if header is None:
        return
    names = [name.strip().lower() for name in header]
    problem = kind.header_problem(names)
    if problem:
        raise ImportFailed([problem])
    for cells in reader:
        given = {
            name: restore(cell.strip()) for name, cell in zip(names, cells, strict=False) if name
        }
        row = {column: given.get(column, "") for column in kind.columns}
        overflow = any(cell.strip() for cell in cells[len(names) :])
        # a cell past the header is a comma inside an unquoted value: the rest is shifted
        yield reader.line_num, row, "more cells than the header has columns" if overflow else None


def import_csv(db: Database, kind_name: str, source: IO[str], *, actor: str) -> int:
    """Import every row or none; raise ImportFailed listing each bad line."""
    kind = get_kind(kind_name)
    problems: list[str] = []
    count = 0
    with db.unit_of_work(actor) as session:
        context = ImportContext(actor=actor, session=session)
        for line, row, shape in _rows(source, kind):
            if shape:
                problems.append(f"line {line}: {shape}")
                continue
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
