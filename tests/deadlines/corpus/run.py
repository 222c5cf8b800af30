"""Drive every corpus phrase through the real ``/deadline`` runner and sort the outcomes.

Usage: ``python -m tests.deadlines.corpus.run [--limit N] [--db sqlite|URL] [--seed S]``.
A URL must name a throwaway database: it is migrated and its tables are emptied.

Why the runner and not signed HTTP: the runner is what the slash command's listener calls
after acknowledging (``tests.deadlines.helpers.refusal`` uses it the same way), and a refusal
over HTTP waits out bolt's ack timeout, so 5,000 phrases would take hours instead of minutes.
The firm is fresh, its clock starts at Mon 7 Dec 2026 10:00 New York, and whether a phrase
wrote anything is read from the store (the count of deadline rows), never from the reply.

Verdicts: RIGHT (stored with the oracle's date and a title free of the period), ASKED (a
question or a refusal, nothing written), WRONG (stored with another date, time or title, or
stored where it must ask), CRASH (an unexpected exception; nothing written).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from tests.deadlines.corpus.generate import SEED, corpus, sample
from tests.deadlines.corpus.oracle import NOW, ZONE
from tests.deadlines.corpus.phrase import Phrase

MATTER = "ACME-1"
ASKER = "U_LENA"  # a lawyer: may manage deadlines on every matter
FIRMS = {"en": ["en"], "intl": ["en", "es", "el", "zh"]}
WRONG_FILE = Path("/tmp/corpus_wrong.txt")
ASKED_FILE = Path("/tmp/corpus_asked.txt")
OFFERED_FILE = Path("/tmp/corpus_offered.txt")
# The day a question offers to store ("*Thu 29 Oct 2026* is in the past ... Store it anyway?").
OFFERED_DAY = re.compile(
    r"\*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2} \w{3} \d{4})\* is in the past"
)
# Words of a period or trigger that must not survive into a stored title.
PERIOD_WORDS = re.compile(
    r"\d|\b(?:days?|weeks?|after|before|prior|following|within|advance|ahead|mail|service|from)\b"
    r"|días?|ημέρ|天|工作日|后|前",
    re.IGNORECASE,
)


class Verdict(StrEnum):
    RIGHT = "RIGHT"
    ASKED = "ASKED"
    WRONG = "WRONG"
    CRASH = "CRASH"


@dataclass(frozen=True)
class Outcome:
    phrase: Phrase
    verdict: Verdict
    got: str  # what was stored, or what Clerk said

    @property
    def over_cautious(self) -> bool:
        """Asked although the rules give one answer: safe, but worth a look."""
        return self.verdict is Verdict.ASKED and not self.phrase.expected.must_ask

    @property
    def offers_other_day(self) -> bool:
        """Asked, but the question's button would store a day the rules do not give: safe
        only until someone presses yes (e.g. a rule phrase's trigger offered as the due date)."""
        found = OFFERED_DAY.search(self.got) if self.verdict is Verdict.ASKED else None
        if found is None:
            return False
        offered = datetime.strptime(found.group(1), "%d %b %Y").date()
        expected = self.phrase.expected
        return offered != (expected.day or expected.computed)


def _norm(title: str) -> str:
    return " ".join(title.casefold().split()).strip(" ,.;:-")


def title_ok(expected: str, stored: str) -> bool:
    """The stored title is the typed one, perhaps with harmless extra words, never the period."""
    want, got = _norm(expected), _norm(stored)
    if got == want:
        return True
    return got.startswith(want) and not PERIOD_WORDS.search(got[len(want) :])


def judge_stored(phrase: Phrase, title: str, due_on: Any, due_at: Any) -> Outcome:
    """RIGHT or WRONG for a phrase that wrote a row."""
    at = due_at.replace(tzinfo=due_at.tzinfo or UTC).astimezone(ZONE) if due_at else None
    got = f"{due_on:%a %d %b %Y}{f' {at:%H:%M}' if at else ''} title={title!r}"
    expected = phrase.expected
    if expected.must_ask:
        return Outcome(phrase, Verdict.WRONG, f"stored {got}")
    if due_on != expected.day or (at.time() if at else None) != expected.at:
        return Outcome(phrase, Verdict.WRONG, got)
    if not title_ok(phrase.title, title):
        return Outcome(phrase, Verdict.WRONG, f"{got} (title)")
    return Outcome(phrase, Verdict.RIGHT, got)


@contextmanager
def firm(database_url: str, languages: list[str]) -> Iterator[Any]:
    """A fresh firm (the deadline tests' clients and matters) with the clock at NOW."""
    from tests.deadlines.conftest import seed_firm
    from tests.harness import running_clerk

    with running_clerk(database_url, at=NOW, languages=languages) as harness:
        harness.add_people()
        seed_firm(harness.db, with_people=False)
        yield harness


def _rows(harness: Any) -> int:
    from storage.models import Deadline

    with harness.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Deadline)) or 0)


def _newest(harness: Any) -> tuple[str, Any, Any]:
    from storage.models import Deadline

    with harness.db.reading() as session:
        row = session.scalars(select(Deadline).order_by(Deadline.id.desc()).limit(1)).one()
        return row.title, row.due_on, row.due_at


def judge(harness: Any, phrase: Phrase) -> Outcome:
    """Run one phrase as ``/deadline ACME-1 ...`` and read the store to see what happened."""
    from bot.errors import ClerkError
    from bot.text import clean, unescape
    from handlers.kernel.commands import CommandRequest
    from handlers.kernel.errors import reply_for
    from tests.deadlines.helpers import shown

    request = CommandRequest(
        clerk=harness.clerk,
        actor=harness.clerk.directory.actor(ASKER),
        command="/deadline",
        text=clean(unescape(f"{MATTER} {phrase.text}")),  # as the listener passes it on
        channel_id="C_GENERAL",
        client=harness.clerk.client,
    )
    before = _rows(harness)
    try:
        reply = harness.clerk.runners["/deadline"](request)
        messages = [] if reply is None else reply if isinstance(reply, list) else [reply]
        said = " / ".join(shown(m.payload()) for m in messages)
    except ClerkError as error:
        said = "refused: " + shown(reply_for(error).payload())
    except Exception as error:  # noqa: BLE001 - a crash is a finding, reported with the phrase
        return Outcome(phrase, Verdict.CRASH, f"{type(error).__name__}: {error}")
    if _rows(harness) == before:
        return Outcome(phrase, Verdict.ASKED, " ".join(said.split()))
    return judge_stored(phrase, *_newest(harness))


def run_phrases(phrases: Sequence[Phrase], database: Callable[[str], str]) -> list[Outcome]:
    """Each firm's phrases in a fresh firm; ``database(name)`` gives a clean migrated URL."""
    outcomes: list[Outcome] = []
    for name, languages in FIRMS.items():
        mine = [p for p in phrases if p.firm == name]
        if mine:
            with firm(database(name), languages) as harness:
                outcomes += [judge(harness, p) for p in mine]
    return outcomes


def database_factory(target: str, directory: Path) -> Callable[[str], str]:
    """Fresh databases: a migrated SQLite file per firm, or ``target`` migrated and emptied."""
    from storage.base import Base
    from storage.db import Database
    from storage.migrate import upgrade

    def fresh(name: str) -> str:
        url = f"sqlite:///{directory / f'{name}.db'}" if target == "sqlite" else target
        db = Database(url)
        try:
            upgrade(db)
            if target != "sqlite":
                tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
                with db.engine.begin() as conn:
                    conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        finally:
            db.dispose()
        return url

    return fresh


def summary(outcomes: Sequence[Outcome]) -> str:
    """Counts per verdict, then per shape. ASKED* = asked where the rules give one answer;
    OFFER! = asked "store it anyway?" about a day the rules do not give (wrong on a yes)."""
    total = Counter(o.verdict for o in outcomes)
    lines = [f"{len(outcomes)} phrases: " + ", ".join(f"{v} {total[v]}" for v in Verdict)]
    cautious = sum(o.over_cautious for o in outcomes)
    offered = sum(o.offers_other_day for o in outcomes)
    lines.append(f"  of ASKED: {cautious} over-cautious (the rules give one answer)")
    lines.append(f"  of ASKED: {offered} offer to store a day the rules do not give")
    by_shape: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_shape[o.phrase.shape].append(o)
    header = ("shape", "n", "RIGHT", "ASKED", "ASKED*", "OFFER!", "WRONG", "CRASH")
    lines.append(f"{header[0]:18}" + "".join(f"{h:>7}" for h in header[1:]))
    for shape, group in sorted(by_shape.items()):
        c = Counter(o.verdict for o in group)
        row = (
            len(group),
            c[Verdict.RIGHT],
            c[Verdict.ASKED],
            sum(o.over_cautious for o in group),
            sum(o.offers_other_day for o in group),
            c[Verdict.WRONG],
            c[Verdict.CRASH],
        )
        lines.append(f"{shape:18}" + "".join(f"{n:>7}" for n in row))
    return "\n".join(lines)


def listing(outcomes: Sequence[Outcome]) -> str:
    """One entry per outcome, grouped by shape: the phrase, the oracle's answer, Clerk's."""
    entries = sorted(outcomes, key=lambda o: (o.phrase.shape, o.phrase.variant, o.phrase.text))
    return "".join(
        f"[{o.phrase.shape} {o.phrase.variant}] /deadline {MATTER} {o.phrase.text}\n"
        f"    expected: {o.phrase.expected}\n    got:      {o.verdict}: {o.got[:300]}\n"
        for o in entries
    )


def write_reports(outcomes: Sequence[Outcome]) -> None:
    bad = [o for o in outcomes if o.verdict in (Verdict.WRONG, Verdict.CRASH)]
    WRONG_FILE.write_text(listing(bad), encoding="utf-8")
    ASKED_FILE.write_text(listing([o for o in outcomes if o.over_cautious]), encoding="utf-8")
    OFFERED_FILE.write_text(listing([o for o in outcomes if o.offers_other_day]), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="a seeded sample of N phrases")
    parser.add_argument("--db", default="sqlite", help="sqlite, or a throwaway database URL")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    phrases = sample(args.limit, args.seed) if args.limit else corpus(seed=args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="clerk-corpus-") as directory:
        outcomes = run_phrases(phrases, database_factory(args.db, Path(directory)))
    elapsed = time.monotonic() - started
    write_reports(outcomes)
    print(summary(outcomes))
    print(f"{elapsed:.1f} s ({1000 * elapsed / max(1, len(outcomes)):.1f} ms a phrase)")
    print(f"WRONG and CRASH: {WRONG_FILE}; over-cautious ASKED: {ASKED_FILE}")
    print(f"ASKED offering another day: {OFFERED_FILE}")
    return 1 if any(o.verdict is Verdict.WRONG for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
