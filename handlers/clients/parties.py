"""``/matter party add MATTER NAME [as ROLE]`` and ``/matter party list MATTER``."""

from __future__ import annotations

from bot.clients import parties as service
from bot.errors import InvalidInput
from bot.permissions import Capability
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply

USAGE = f"{service.ADD_USAGE}   ·   {service.LIST_USAGE}"


def _add(request: CommandRequest, rest: str) -> Reply:
    request.actor.require(Capability.WRITE_MATTERS)  # before reading the rest
    data = service.parse_add(rest)
    with request.clerk.db.unit_of_work(request.actor.slack_id) as session:
        party, matter = service.add_party(session, actor=request.actor, data=data)
        name, role, code = party.name, party.role.value, matter.code
    how = "" if data.role_given else f" (the default role; say `as {service.ROLES}` for another)"
    return blocks.success(
        f"Added *{blocks.escape(name)}* to *{code}* as {role}{how}.",
        f"`/matter party list {code}` lists its parties; `/conflict NAME` searches every matter.",
    )


def _list(request: CommandRequest, rest: str) -> Reply:
    words = rest.split()
    if len(words) != 1:
        raise InvalidInput("Say which matter, e.g. `/matter party list ACME-1`.", usage=USAGE)
    with request.clerk.db.reading() as session:
        matter, parties = service.list_parties(session, actor=request.actor, code=words[0])
        rows = [(p.name, p.role.value) for p in parties]
        code, title = matter.code, matter.title
    if not rows:
        return blocks.success(
            f"*{code}* has no parties yet.",
            f'Add one with `/matter party add {code} "Globex Inc" as adverse`.',
        )
    lines = [f"• *{blocks.escape(blocks.truncate(n, 150))}* · {r}" for n, r in rows]
    return blocks.paginate(
        f"Parties of {code} · {title}",
        [blocks.section("\n".join(lines[i : i + 15])) for i in range(0, len(lines), 15)],
        fallback=f"{len(rows)} part(ies) of {code}",
    )


def run(request: CommandRequest) -> Reply:
    """``party add …`` or ``party list …`` (the words after ``/matter``)."""
    parts = request.text.split(None, 2)
    verb = parts[1].lower() if len(parts) > 1 else ""
    rest = parts[2] if len(parts) > 2 else ""
    if verb == "add":
        return _add(request, rest)
    if verb == "list":
        return _list(request, rest)
    raise InvalidInput("Say `add` or `list`, e.g. `/matter party list ACME-1`.", usage=USAGE)
