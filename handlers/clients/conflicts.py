"""``/conflict NAME``, and the conflict check ``/client add`` and ``/matter add`` run.

A hit never blocks: the command stops with the hits and a *Proceed* / *Cancel* question,
and nothing is written until *Proceed*. The *Proceed* button carries a key sealed over the
command, the asker and the hits shown (``handlers.kernel.sealed``), so a button value Clerk
did not write (or one pressed after the hits changed) is refused rather than taken as a
yes. The search is recorded with the new client or matter, in the same unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.clerk import Clerk
from bot.clients import conflicts as service
from bot.clients.lookup import get_client
from bot.clients.matters import former_problem, title_problem
from bot.errors import InvalidInput
from bot.permissions import Actor, Capability
from handlers.kernel import blocks, sealed
from handlers.kernel.commands import CommandRequest, Reply, slash_command, with_confirmed
from storage.models import Client

KEY_PREFIX = "conflicts-"
NAME_SHOWN = 100
ASKED_SHOWN = 10
LINES_PER_SECTION = 12  # hit lines per section: well inside Slack's 3,000 characters
USAGE_LINE = "/conflict NAME"
USAGE = blocks.usage(
    "/conflict: search clients, former clients, parties and contacts for a name",
    [USAGE_LINE],
    ["/conflict Globex Inc", "/conflict Smith, John", '/conflict "Müller & Söhne GmbH"'],
)
FORGED = (
    "That *Proceed* button does not match what Clerk finds now (or Clerk did not write it), "
    "so nothing was saved. Type the command again to see the current conflict check."
)


def hit_line(hit: service.Hit) -> str:
    """One hit: who, where (matter), in what role, its status and the lawyer."""
    name = blocks.escape(blocks.truncate(hit.name, NAME_SHOWN))
    lawyer = blocks.mention(hit.lawyer or None)
    if hit.kind == "party":
        where = f"{hit.role} on *{hit.matter}* ({hit.client})"
    elif hit.kind == "contact":
        where = f"{hit.role} at *{hit.client}*" + (f" ({hit.matter})" if hit.matter else "")
    else:
        where = f"{hit.role} *{hit.client}*" + (
            f" (open: {hit.matter})" if hit.matter else " (no open matters)"
        )
    return f"• *{name}* · {where} · {hit.status} · lawyer {lawyer}"


def _more(result: service.Result, shown: int) -> str:
    extra = result.total - shown
    if extra <= 0:
        return ""
    return f"\n…and {extra} more: `/conflict {blocks.escape(result.query)}` lists the best 40."


def question(result: service.Result) -> str:
    lines = "\n".join(hit_line(h) for h in result.hits[:ASKED_SHOWN])
    return (
        f"Conflict check on “{blocks.escape(result.query)}”: {result.total} possible "
        f"match(es).\n{lines}{_more(result, min(ASKED_SHOWN, len(result.hits)))}\n"
        "Proceed anyway? Nothing is saved until you do."
    )


def _key(request: CommandRequest, result: service.Result) -> str:
    seal = sealed.seal(
        request.clerk,
        {"c": request.command, "t": request.text, "u": request.actor.slack_id, "h": result.keys},
    )
    return KEY_PREFIX + seal.partition(".")[0][:20]


def check(
    request: CommandRequest,
    name: str,
    *,
    lead: str = "",
    also: Sequence[str] = (),
    exclude_client_id: int | None = None,
) -> service.Result:
    """Search ``name``; with hits, ask *Proceed* (unless this very check was confirmed).

    ``lead`` goes before the hits (another question asked at the same time, such as "did
    you mean an existing client?") and ``also`` are that question's keys, answered by the
    same *Proceed*.
    """
    with request.clerk.db.reading() as session:
        result = service.search(
            session, actor=request.actor, name=name, exclude_client_id=exclude_client_id
        )
    if not result.hits:
        return result
    key = _key(request, result)
    if key in request.confirmed:
        return result
    if any(k.startswith(KEY_PREFIX) for k in request.confirmed):
        raise InvalidInput(FORGED)
    text = (lead + "\n\n" if lead else "") + question(result)
    with_confirmed(request, *also).confirm(key, text, "Proceed")
    return result  # not reached: confirm raises until the user has pressed Proceed


def record(session: Session, request: CommandRequest, result: service.Result, reason: str) -> None:
    """The audit record of the check, written with what it guarded."""
    service.record_search(session, actor=request.actor, result=result, reason=reason)


def note(reply: blocks.Message, result: service.Result, *, asked: bool = True) -> blocks.Message:
    """The stored reply, with what the conflict check found (all of it when no question
    was asked, as after a form)."""
    if not result.total:
        found = "no matches"
    elif asked:
        found = f"{result.total} possible match(es), confirmed with Proceed"
    else:
        found = f"{result.total} possible match(es), please review"
    reply.blocks.append(blocks.context(f"Conflict check: {found}; the search is recorded."))
    if result.hits and not asked:
        lines = [hit_line(h) for h in result.hits[:ASKED_SHOWN]]
        lines[-1] += _more(result, len(lines))
        reply.blocks.append(blocks.section("\n".join(lines)))
    return reply


def results(result: service.Result) -> blocks.Message:
    if not result.hits:
        return blocks.success(
            f"No client, former client, party or contact matches “{blocks.escape(result.query)}”.",
            "The search is recorded in Clerk's conflict log.",
        )
    title = f"Conflict check: {blocks.escape(result.query)}"
    lines = [hit_line(h) for h in result.hits]
    lines[-1] += _more(result, len(result.hits))
    body = [
        blocks.section("\n".join(lines[i : i + LINES_PER_SECTION]))
        for i in range(0, len(lines), LINES_PER_SECTION)
    ]
    return blocks.message(
        f"{title}: {result.total} possible match(es)",
        blocks.section(f"*{title}* · {result.total} possible match(es), best first"),
        body,
        blocks.context("The search is recorded in Clerk's conflict log."),
    )


def run(request: CommandRequest) -> Reply:
    """``/conflict NAME``: search, record the search (who, what, when, what was found)."""
    request.actor.require(Capability.CHECK_CONFLICTS)
    with request.clerk.db.unit_of_work(request.actor.slack_id) as session:
        result = service.search(session, actor=request.actor, name=request.text)
        service.record_search(session, actor=request.actor, result=result, reason="search")
    return results(result)


def register(app: App, clerk: Clerk) -> None:
    slash_command(app, clerk, "/conflict", run, usage=USAGE)


def check_matter(request: CommandRequest, client_code: str, title: str) -> service.Result:
    """``/matter add``'s check, on the client's name, after the refusals ``add_matter``
    would give (unknown or former client, bad title), so nothing is asked about a matter
    that could not be opened anyway."""
    with request.clerk.db.reading() as session:
        client = get_client(session, client_code)
        problem = former_problem(client) or title_problem(title)
        name, client_id = client.name, client.id
    if problem:
        raise InvalidInput(problem)
    return check(request, name, exclude_client_id=client_id)


def check_after_form(session: Session, actor: Actor, client_id: int, reason: str) -> service.Result:
    """The check a form's row is stored with, recorded with it: a form whose name hit was
    answered *Proceed* first (``handlers.clients.form_conflicts``)."""
    client = session.get(Client, client_id)
    assert client is not None  # the row just stored
    exclude = client_id if reason == "matter add" else None
    result = service.search(session, actor=actor, name=client.name, exclude_client_id=exclude)
    service.record_search(session, actor=actor, result=result, reason=reason)
    return result
