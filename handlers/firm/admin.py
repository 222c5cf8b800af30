"""``/clerk``: help, who am I, roles, firm settings and closure days.

Feature modules add their own ``/clerk`` words (such as ``audit``) through
``clerk.admin_subcommands``; this module owns the dispatch and the firm-level words.
"""

from __future__ import annotations

from slack_bolt import App

from bot.clerk import Clerk
from bot.dates.format import format_day
from bot.errors import InvalidInput
from bot.firm.firm_settings import SPECS
from bot.permissions import Capability, describe_role
from bot.text import split_words, user_id
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply, slash_command

USAGE_LINES = [
    "/clerk help",
    "/clerk whoami",
    "/clerk role @user ROLE",
    "/clerk settings [KEY VALUE]",
    "/clerk holiday add DATE NAME",
    "/clerk import KIND  (then send the CSV file to Clerk in a DM)",
    "/clerk audit CLIENT|MATTER",
    "/clerk report week|month|year|clients",
]

OVERVIEW = [
    ("Clients", '/client add CODE "Full name" …  ·  /client CODE  ·  /client find TEXT'),
    ("Matters", '/matter add CLIENT "Title"  ·  /matter CODE  ·  /matter close CODE'),
    ("Contacts", "/contact CLIENT call SUMMARY; follow up DATE  ·  /contact list CLIENT"),
    ("Deadlines", "/deadline MATTER TITLE on DATE  ·  /deadline list mine  ·  /deadline rules"),
    ("Money", "/balance CLIENT  ·  /invoice add …  ·  /payment add …  ·  /balance overdue"),
    ("Admin", "/clerk whoami  ·  /clerk role @user ROLE  ·  /clerk settings"),
]


HELP = blocks.message(
    "Clerk help: deadlines, client contacts and balances",
    blocks.header("Clerk: deadlines, client contacts and balances"),
    blocks.fields(OVERVIEW),
    blocks.section("*Administration*\n" + "\n".join(f"`{line}`" for line in USAGE_LINES)),
    blocks.context(
        "Type any command with `help` for its grammar and examples, or with nothing to "
        "open a form. You can also DM me plain sentences: `log call with ACME: agreed to "
        "mediation`, `ACME-1 reply brief due next Friday`, `balance ACME`."
    ),
)


def _help(request: CommandRequest) -> Reply:
    return HELP


def _whoami(request: CommandRequest) -> Reply:
    actor = request.actor
    return blocks.message(
        f"You are {actor.name}, role {actor.role.value}",
        blocks.section(
            f"You are *{blocks.escape(actor.name)}* ({blocks.mention(actor.slack_id)})."
        ),
        blocks.fields(
            [
                ("Role", actor.role.value),
                ("Time zone", actor.tz or f"firm time ({request.clerk.settings.timezone})"),
            ]
        ),
        blocks.context(f"You may: {describe_role(actor.role)}."),
    )


def _role(request: CommandRequest) -> Reply:
    words = split_words(request.text)
    if len(words) != 3 or not user_id(words[1]):
        raise InvalidInput("Usage: /clerk role @user ROLE", usage="e.g. /clerk role @lena lawyer")
    target = request.clerk.directory.set_role(request.actor, user_id(words[1]) or "", words[2])
    return blocks.success(f"{blocks.mention(target.slack_id)} is now *{target.role.value}*.")


def _settings(request: CommandRequest) -> Reply:
    words = split_words(request.text)[1:]
    firm = request.clerk.firm
    request.actor.require(Capability.MANAGE_FIRM)
    if not words:
        rows = []
        for key, value in firm.all().items():
            shown = _show(value)
            rows.append(blocks.section(f"*{key}* = {shown}\n_{SPECS[key].description}_"))
        return blocks.paginate("Firm settings", rows, fallback="Firm settings")
    if len(words) < 2:
        raise InvalidInput("Usage: /clerk settings KEY VALUE", usage="e.g. digest_time 07:45")
    value = firm.set(request.actor, words[0], " ".join(words[1:]))
    return blocks.success(f"*{words[0].lower()}* is now {_show(value)}.")


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("C", "G") and value[1:].isalnum():
        return f"<#{value}>"
    if value in ("", None):
        return "_not set_"
    return str(value)


def _holiday(request: CommandRequest) -> Reply:
    words = request.text.split(" ", 2)
    if len(words) < 3 or words[1].lower() != "add":
        raise InvalidInput(
            "Usage: /clerk holiday add DATE NAME",
            usage="e.g. /clerk holiday add Dec 24 Office closed",
        )
    request.actor.require(Capability.MANAGE_FIRM)
    clerk = request.clerk
    name, parsed = clerk.dates.split_leading(words[2], now=clerk.now())
    closure = clerk.firm.add_closure(request.actor, parsed.day, name)
    clerk.forget_calendar()
    return blocks.success(
        f"{format_day(closure.day)} is now a firm closure day: {blocks.escape(closure.name)}.",
        "Court-day counting and deadline roll-forward skip it from now on.",
    )


FIRM_WORDS = {
    "help": _help,
    "whoami": _whoami,
    "role": _role,
    "settings": _settings,
    "setting": _settings,
    "holiday": _holiday,
}


def run(request: CommandRequest) -> Reply:
    word = request.text.split(" ", 1)[0].lower() if request.text else "help"
    handler = FIRM_WORDS.get(word) or request.clerk.admin_subcommands.get(word)
    if handler is None:
        raise InvalidInput(f"I don't know `/clerk {word}`.", usage=" · ".join(USAGE_LINES))
    return handler(request)


def register(app: App, clerk: Clerk) -> None:
    slash_command(app, clerk, "/clerk", run, usage=HELP)
