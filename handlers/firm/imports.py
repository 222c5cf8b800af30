"""``/clerk import KIND`` and the CSV file that follows it in a DM.

``/clerk import clients`` tells the person to send the file to Clerk in a DM and remembers
the kind for an hour; the DM with the file runs the same all-or-nothing import as
``clerk import`` and answers with the count, or with every bad line and its reason.

The file is fetched with ``files.info`` (never trusting the URL in the event) and downloaded
with the bot token only from Slack itself: the host of the Web API base URL, or Slack's own
file hosts. A token sent to any other host would be a token given away.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.clerk import Clerk
from bot.dates.format import format_time
from bot.errors import ClerkError, InvalidInput
from bot.permissions import Actor
from bot.transfer import uploads as service
from handlers.clients import views
from handlers.clients.budget_alerts import queue_budget_alerts
from handlers.kernel import blocks
from handlers.kernel.commands import CommandRequest, Reply

FILE_SHARE = "file_share"
DOWNLOAD_TIMEOUT_S = 30
USAGE = "/clerk import KIND   (clients, matters, contacts, deadlines, invoices, payments)"

BILLED_KINDS = frozenset({"invoices", "matters"})  # may take a matter past its budget


def run_import_request(request: CommandRequest) -> Reply:
    """``/clerk import KIND``: say how to send the file, and wait for it."""
    words = request.text.split()
    if len(words) != 2:
        raise InvalidInput("Say what you will import, e.g. `/clerk import clients`.", usage=USAGE)
    kind = service.read_kind(words[1])
    service.require_may_import(request.actor, kind)
    clerk = request.clerk
    with clerk.db.unit_of_work(request.actor.slack_id) as session:
        until = service.expect_file(session, actor=request.actor, kind=kind, now=clerk.now())
    shown = f"{format_time(until.astimezone(clerk.settings.tz))}"
    return views.import_instructions(kind, *service.columns(kind), until=shown)


def is_csv(file: dict[str, Any]) -> bool:
    name = str(file.get("name") or "").lower()
    return (
        name.endswith(".csv")
        or str(file.get("filetype") or "").lower() == "csv"
        or str(file.get("mimetype") or "").lower() in ("text/csv", "application/csv")
    )


def trusted_download_url(url: str, api_base_url: str) -> bool:
    """Only Slack's hosts get the bot token: the Web API's own host, or *.slack.com (https)."""
    target, base = urlsplit(url), urlsplit(api_base_url)
    host, base_host = (target.hostname or "").lower(), (base.hostname or "").lower()
    if not host:
        return False
    if (host, target.port, target.scheme) == (base_host, base.port, base.scheme):
        return True
    slack = base_host == "slack.com" or base_host.endswith(".slack.com")
    return (
        slack and target.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com"))
    )


def download(clerk: Clerk, file: dict[str, Any]) -> bytes:
    name = str(file.get("name") or "the file")
    try:
        info = clerk.client.files_info(file=str(file.get("id") or ""))["file"]
    except SlackApiError as exc:
        raise ClerkError(
            f"Slack wouldn't let me read {name} ({exc.response.get('error', 'error')}). "
            "Send it again as a file in this DM."
        ) from None
    if int(info.get("size") or 0) > service.MAX_FILE_BYTES:
        raise InvalidInput(f"{name} is larger than 5 MB; split it or use `clerk import`.")
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not trusted_download_url(url, clerk.client.base_url):
        raise ClerkError(f"{name} is not stored by Slack, so I won't download it.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {clerk.client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            content: bytes = response.read(service.MAX_FILE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError) as exc:
        raise ClerkError(
            f"I couldn't download {name} from Slack just now ({exc}). Please send it again."
        ) from None
    return content


def read_file_message(
    *, clerk: Clerk, actor: Actor, text: str, reply: Any, event: dict[str, Any]
) -> bool:
    """A message carrying files: import a CSV sent by DM; explain anything else."""
    files = [f for f in event.get("files") or [] if isinstance(f, dict)]
    if not files:
        return False
    channel = str(event.get("channel") or "")
    if event.get("channel_type") != "im" and not channel.startswith("D"):
        reply(blocks.error("Send CSV files to me in a direct message, not in a channel."))
        return True
    csvs = [f for f in files if is_csv(f)]
    if len(csvs) != 1:
        reply(
            blocks.error(
                "I import one CSV file at a time (a .csv with a header row)."
                if csvs
                else "I can only import CSV files (.csv with a header row).",
                USAGE,
            )
        )
        return True
    file = csvs[0]
    filename = str(file.get("name") or "file.csv")
    now = clerk.now()
    with clerk.db.reading() as session:
        pending = service.pending_kind(session, slack_id=actor.slack_id, now=now)
    choice = service.choose_kind(message_text=text, filename=filename, pending=pending)
    if choice.kind is None:
        reply(blocks.error(choice.question or "Which kind of file is this?", USAGE))
        return True
    service.require_may_import(actor, choice.kind)
    content = service.decode(download(clerk, file), filename)
    outcome = service.run_import(
        clerk.db, actor=actor, kind=choice.kind, filename=filename, text=content
    )
    if not outcome.ok:
        for page in views.import_refused(outcome.kind, filename, outcome.problems):
            reply(page)
        return True
    with clerk.db.unit_of_work(actor.slack_id) as session:
        service.close_pending(session, slack_id=actor.slack_id, now=clerk.now())
        if outcome.kind in BILLED_KINDS:  # invoices (or matters with budgets) came in
            queue_budget_alerts(session, None)
    reply(views.import_done(outcome.kind, filename, outcome.count))
    return True


def _let_file_shares_through(body: dict[str, Any], next: Any) -> Any:  # noqa: A002
    """Hand a DM carrying a file to the sentence readers like any other DM.

    Slack marks such a message ``subtype: file_share``; the DM listener ignores subtypes
    (edits, joins, bot posts), so the mark is lifted here for messages from people that
    carry files. Nothing else changes: duplicates were already dropped by event id.
    """
    event = body.get("event") if body.get("type") == "event_callback" else None
    if (
        isinstance(event, dict)
        and event.get("type") == "message"
        and event.get("subtype") == FILE_SHARE
        and event.get("files")
        and event.get("user")
        and not event.get("bot_id")
    ):
        event.pop("subtype")
    return next()


def register(app: App, clerk: Clerk) -> None:
    """``/clerk import KIND``, and the CSV file sent by DM that answers it."""
    clerk.admin_subcommands["import"] = run_import_request
    clerk.sentence_handlers.append(("imports", read_file_message))
    app.middleware(_let_file_shares_through)
