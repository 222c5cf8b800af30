"""The firm's members, clients and matters: everything the history hangs from.

Clients are not alike: a client's *weight* (drawn from a Pareto distribution) drives how many
matters, contacts, deadlines and invoices it gets, so a few clients carry a large share of
the work, as in a real firm. Key clients weigh more; prospects have no billing yet; former
clients' history stops when they left.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.tools.seeding.context import ClientRef, MatterRef, Person, SeedContext, WeightedPicker
from bot.tools.seeding.words import (
    FEE_ARRANGEMENTS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    MATTER_TITLES,
    ORG_NOUNS,
    ORG_SUFFIXES,
    ORG_WORDS,
    PRACTICE_AREAS,
    SIZES,
    TIME_ZONES,
)
from storage.models import ClientKind, ClientStatus, MatterStatus, Role

# Share of the firm's members by role (the rest are lawyers).
ROLE_SHARES = ((Role.ADMIN, 0.01), (Role.PARTNER, 0.12), (Role.STAFF, 0.2), (Role.BILLING, 0.07))


def slack_id_for(n: int) -> str:
    """Seeded members' Slack ids: ``UF0000001``... (never a real workspace's)."""
    return f"UF{n:07d}"


def seed_people(ctx: SeedContext) -> None:
    rng = ctx.rng
    count = ctx.shape.users
    roles: list[Role] = []
    for role, share in ROLE_SHARES:
        roles += [role] * max(1, round(count * share))
    roles += [Role.LAWYER] * max(1, count - len(roles))
    roles = [Role.ADMIN, *rng.sample(roles[1:], len(roles) - 1)][:count]
    zones = [zone for zone, _ in TIME_ZONES]
    zone_weights = [weight for _, weight in TIME_ZONES]
    now = ctx.now
    for n, role in enumerate(roles, start=1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user_id = ctx.writer.new_id("users")
        slack_id = slack_id_for(n)
        ctx.writer.add(
            "users",
            {
                "id": user_id,
                "slack_id": slack_id,
                "name": f"{first.lower()}.{last.lower()}{n}",
                "real_name": f"{first} {last}",
                "role": role,
                "tz": rng.choices(zones, zone_weights)[0],
                "is_active": True,
                "profile_checked_at": now,
                "created_at": now,
            },
        )
        ctx.people.append(Person(user_id, slack_id, role))


def _client_name(ctx: SeedContext, kind: ClientKind) -> tuple[str, str]:
    """(code base, full name)."""
    rng = ctx.rng
    if kind is ClientKind.PERSON:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        return last.upper()[:10], f"{first} {last}"
    word, noun = rng.choice(ORG_WORDS), rng.choice(ORG_NOUNS)
    return word.upper()[:10], f"{word} {noun} {rng.choice(ORG_SUFFIXES)}"


def seed_clients(ctx: SeedContext) -> None:
    rng = ctx.rng
    lawyers = ctx.with_role(Role.LAWYER, Role.PARTNER)
    # Some lawyers carry many more clients than others.
    lawyer_pick = WeightedPicker(rng, [rng.paretovariate(1.5) for _ in lawyers])
    used: Counter[str] = Counter()
    now = ctx.now
    for _ in range(ctx.shape.clients):
        kind = ClientKind.PERSON if rng.random() < 0.3 else ClientKind.ORGANIZATION
        base, name = _client_name(ctx, kind)
        used[base] += 1
        code = base if used[base] == 1 else f"{base}{used[base]}"
        roll = rng.random()
        status = (
            ClientStatus.FORMER
            if roll < 0.2
            else ClientStatus.PROSPECT
            if roll < 0.25
            else ClientStatus.ACTIVE
        )
        is_key = status is ClientStatus.ACTIVE and rng.random() < 0.05
        weight = min(rng.paretovariate(1.3), 60.0) * (3 if is_key else 1)
        lawyer = lawyers[lawyer_pick.pick()] if lawyers else None
        terms = rng.choice((15, 30, 30, 30, 45, 60))
        currency = "EUR" if rng.random() < 0.01 else "USD"
        payer = rng.choices(("good", "slow", "bad"), (75, 18, 7))[0]
        left = ctx.day_between(ctx.history_start + timedelta(days=400), ctx.today)
        client = ClientRef(
            id=ctx.writer.new_id("clients"),
            code=code,
            lawyer_id=lawyer.id if lawyer else None,
            status=status,
            is_key=is_key,
            terms_days=terms,
            currency=currency,
            weight=weight,
            payer=payer,
            active_until=left if status is ClientStatus.FORMER else ctx.today,
            retainer_cents=500_000 if rng.random() < 0.08 else None,
        )
        ctx.clients.append(client)
        slug = code.lower()
        ctx.writer.add(
            "clients",
            {
                "id": client.id,
                "code": code,
                "name": name,
                "kind": kind,
                "status": status,
                "status_reason": "matter concluded" if status is ClientStatus.FORMER else None,
                "lawyer_id": client.lawyer_id,
                "is_key": is_key,
                "industry": rng.choice(INDUSTRIES) if kind is ClientKind.ORGANIZATION else None,
                "size": rng.choice(SIZES) if kind is ClientKind.ORGANIZATION else None,
                "email": f"office@{slug}.example",
                "phone": f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                "address": f"{rng.randint(1, 999)} Main Street, Springfield",
                "currency": currency,
                "credit_limit_cents": rng.choice((2_500_000, 5_000_000, 10_000_000))
                if kind is ClientKind.ORGANIZATION and rng.random() < 0.3
                else None,
                "terms_days": terms,
                "retainer_required_cents": client.retainer_cents,
                "cadence_days": rng.choice((14, 30, 30, 60)) if is_key else None,
                "details": {"referral_source": rng.choice(("website", "referral", "event"))},
                "created_at": now,
                "updated_at": now,
            },
        )


def seed_matters(ctx: SeedContext) -> None:
    """Every client gets a matter; the rest go to clients by weight."""
    rng = ctx.rng
    clients = ctx.clients
    extra = WeightedPicker(rng, [c.weight for c in clients]).counts(
        max(0, ctx.shape.matter_count - len(clients))
    )
    lawyers = ctx.with_role(Role.LAWYER, Role.PARTNER)
    now = ctx.now
    for index, client in enumerate(clients):
        for number in range(1, 2 + extra[index]):
            opened = ctx.day_between(ctx.history_start, client.active_until)
            age_days = (ctx.today - opened).days
            closes = client.status is ClientStatus.FORMER or rng.random() < min(0.9, age_days / 900)
            closed = (
                min(client.active_until, opened + timedelta(days=rng.randint(60, 900)))
                if closes
                else None
            )
            if closed is not None and closed > ctx.today:
                closed = None
            lawyer_id = client.lawyer_id
            if lawyers and rng.random() < 0.15:
                lawyer_id = rng.choice(lawyers).id
            title = rng.choice(MATTER_TITLES).format(
                other=f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)}",
                person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                year=opened.year,
            )
            matter = MatterRef(
                id=ctx.writer.new_id("matters"),
                client_index=index,
                code=f"{client.code}-{number}",
                lawyer_id=lawyer_id,
                opened_on=opened,
                closed_on=closed,
            )
            client.matters.append(matter)
            ctx.matters.append(matter)
            ctx.writer.add(
                "matters",
                {
                    "id": matter.id,
                    "code": matter.code,
                    "client_id": client.id,
                    "number": number,
                    "title": title,
                    "practice_area": rng.choice(PRACTICE_AREAS),
                    "lawyer_id": lawyer_id,
                    "status": MatterStatus.CLOSED if closed else MatterStatus.OPEN,
                    "opened_on": opened,
                    "closed_on": closed,
                    "close_reason": "concluded" if closed else None,
                    "fee_arrangement": rng.choice(FEE_ARRANGEMENTS),
                    "budget_cents": rng.choice((None, 2_000_000, 5_000_000, 25_000_000)),
                    "created_at": now,
                },
            )
