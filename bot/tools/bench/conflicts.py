"""How fast ``/conflict`` answers on a seeded firm: ``python -m bot.tools.bench.conflicts URL``.

The synthetic firm (``clerk seed``) has no parties, so this adds two a matter (an adverse
organisation and a person, from the seeding word lists) when the table is empty, then times
searches the way ``/conflict`` runs them: one unit of work that searches and records the
search. The first search builds the per-process name index (reported apart, as "cold");
the rest are typed variants of stored names (typos, legal forms, word order) and names that
match nothing. Figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import random
import time

from sqlalchemy import func, insert, select, update

from bot.clients import conflicts
from bot.clients.names import normalise
from bot.permissions import Actor
from bot.tools.bench.stats import percentile
from bot.tools.seeding.words import FIRST_NAMES, LAST_NAMES, ORG_NOUNS, ORG_SUFFIXES, ORG_WORDS
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Client, Matter, Party, PartyRole, Role, User

SEED = 20_261_123


def _add_parties(db: Database, rng: random.Random) -> int:
    with db.reading() as session:
        if session.scalar(select(func.count(Party.id))):
            return 0
        matter_ids = list(session.scalars(select(Matter.id)))
    rows = []
    for matter_id in matter_ids:
        org = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)} {rng.choice(ORG_SUFFIXES)}"
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        for name, role in ((org, PartyRole.ADVERSE), (person, PartyRole.WITNESS)):
            rows.append(
                {
                    "matter_id": matter_id,
                    "name": name,
                    "normalised": normalise(name),
                    "role": role.value,
                }
            )
    with db.engine.begin() as conn:
        seen: set[tuple[int, str]] = set()
        unique = [
            r
            for r in rows
            if (r["matter_id"], r["normalised"]) not in seen
            and not seen.add((r["matter_id"], r["normalised"]))
        ]  # type: ignore[func-returns-value]
        conn.execute(insert(Party), unique)
    return len(unique)


def _variant(name: str, rng: random.Random) -> str:
    words = name.replace(",", "").split()
    kind = rng.randrange(4)
    if kind == 0 and len(words) > 1:
        words.reverse()
    elif kind == 1:
        words.append(rng.choice(["Inc.", "LLC", "Ltd", "GmbH"]))
    elif kind == 2:
        w = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[w]
        if len(word) > 4:
            i = rng.randrange(1, len(word) - 1)
            words[w] = word[:i] + word[i + 1 :]
    return " ".join(words).lower() if kind == 3 else " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", help="a seeded database (clerk seed --size large)")
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(SEED)
    db = Database(args.url)
    upgrade(db)
    added = _add_parties(db, rng)
    with db.reading() as session:
        user = session.scalars(select(User).where(User.role == Role.LAWYER)).first()
        assert user is not None, "seed the firm first"
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Client, Matter, Party)
        }
        stored = list(session.scalars(select(Client.name).limit(5000)))
        stored += list(session.scalars(select(Party.name).limit(5000)))
    actor = Actor(user.slack_id, user.id, Role.LAWYER, None, user.name)
    queries = [_variant(rng.choice(stored), rng) for _ in range(args.searches)]
    queries += ["Zyxwvut Plumbing", "Qqq Nonesuch LLC"] * (args.searches // 20)
    timings, hits = [], []
    for query in ["Cold start search"] + queries:
        started = time.perf_counter()
        with db.unit_of_work(actor.slack_id) as session:
            result = conflicts.search(session, actor=actor, name=query)
            conflicts.record_search(session, actor=actor, result=result, reason="search")
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(result.total)
    cold, warm = timings[0], timings[1:]
    changed = _after_a_client_change(db, actor, queries[:20])
    print(f"firm: {counts}; parties added now: {added}")
    print(f"searches: {len(warm)}; hits per search median {sorted(hits)[len(hits) // 2]}")
    print(f"cold (index build) {cold:.0f} ms")
    print(
        f"warm p50 {percentile(warm, 50):.1f} ms  p99 {percentile(warm, 99):.1f} ms  "
        f"max {max(warm):.1f} ms"
    )
    print(
        f"first search after a client is renamed ({len(changed)} times): "
        f"p50 {percentile(changed, 50):.1f} ms  max {max(changed):.1f} ms"
    )
    db.dispose()
    return 0


def _after_a_client_change(db: Database, actor: Actor, queries: list[str]) -> list[float]:
    """Rename a client (as `/client edit` does), then time the next search: the index reads
    in that one client, not the firm's names again. The names are put back afterwards."""
    timings = []
    with db.reading() as session:
        renamed = list(session.execute(select(Client.id, Client.name).limit(len(queries))))
    for (client_id, name), query in zip(renamed, queries, strict=False):
        with db.unit_of_work("bench") as session:
            session.execute(
                update(Client).where(Client.id == client_id).values(name=f"{name} (renamed)")
            )
        started = time.perf_counter()
        with db.reading() as session:
            conflicts.search(session, actor=actor, name=query)
        timings.append((time.perf_counter() - started) * 1000)
    with db.unit_of_work("bench") as session:
        for client_id, name in renamed:
            session.execute(update(Client).where(Client.id == client_id).values(name=name))
    return timings


if __name__ == "__main__":
    raise SystemExit(main())
