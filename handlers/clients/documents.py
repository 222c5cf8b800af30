"""The *File to matter* message shortcut, its form, ``/matter docs MATTER`` and the card's
latest documents.

The shortcut asks Slack for the message's permalink (``chat.getPermalink``) before it opens
the form, and seals the link, the message's place and its files into the form
(``handlers.kernel.sealed``): what is stored is what Slack told Clerk, never what a client
sent back. A message Clerk cannot read (a channel it is not in) gets a clear reply and no
form, so nothing is filed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clerk import Clerk
from bot.clients import contacts as contact_service
from bot.clients import documents as service
from bot.dates.format import format_stamp
from bot.errors import FieldErrors, InvalidInput
from bot.permissions import Capability
from handlers.clients.commands import dm
from handlers.kernel import blocks, sealed
from handlers.kernel.commands import CommandRequest, Reply, send
from storage.models import MatterDocument

USAGE = "/matter docs MATTER [page N]"
MAX_METADATA = 3000  # Slack's private_metadata
CANNOT_READ = (
    "Clerk can't read that message ({error}), so nothing was filed. Add Clerk to the "
    "channel (`/invite @Clerk`) or file a message from a channel Clerk is in."
)


class DocumentIds(StrEnum):
    SHORTCUT = "file_to_matter"
    MODAL = "matters_file_document_modal"


def _link(document: MatterDocument) -> str:
    label = blocks.escape(blocks.truncate(document.label, 150))
    url = document.permalink
    if not url.startswith("https://") or any(c in url for c in "<>| "):
        return f"*{label}*"  # not a link Slack gave: shown as text, never as markup
    return f"<{url}|{label}>"


def document_line(document: MatterDocument, filed_by: str, zone: ZoneInfo) -> str:
    when = format_stamp(document.filed_at.astimezone(zone))
    files = ", ".join(blocks.escape(f.get("name", "")) for f in document.files[:5])
    more = f" +{len(document.files) - 5}" if len(document.files) > 5 else ""
    shown = f" · files: {files}{more}" if files else ""
    return f"• {when} · {_link(document)} · filed by {blocks.mention(filed_by or None)}{shown}"


def card_section(latest: list[tuple[MatterDocument, str]], code: str, zone: ZoneInfo) -> Any:
    """The matter card's "Documents" section: the latest three."""
    lines = "\n".join(document_line(d, who, zone) for d, who in latest)
    more = f"\n_`/matter docs {code}` lists them all._" if latest else ""
    return blocks.section("*Documents*\n" + (lines or "_none filed yet_") + more)


def list_command(request: CommandRequest) -> Reply:
    """``/matter docs MATTER [page N]``: newest first, a page at a time."""
    words = request.words[1:]
    page = 1
    if len(words) == 3 and words[1].lower() == "page" and words[2].isdigit():
        page, words = int(words[2]), words[:1]
    if len(words) != 1:
        raise InvalidInput("Say which matter, e.g. `/matter docs ACME-1`.", usage=USAGE)
    zone = request.clerk.settings.tz
    with request.clerk.db.reading() as session:
        found = service.list_documents(session, actor=request.actor, code=words[0], page=page)
        code = found.matter.code
        lines = [document_line(d, who, zone) for d, who in found.documents]
    if not lines:
        return blocks.success(
            f"Nothing is filed to *{code}* yet.",
            "Use *File to matter* on any message (its ⋮ menu) to file it here.",
        )
    pager = f"Page {found.page} of {found.pages}" if found.pages > 1 else ""
    nxt = (
        f" · `/matter docs {code} page {found.page + 1}` for more"
        if found.page < found.pages
        else ""
    )
    return blocks.message(
        f"Documents of {code}: {found.total}",
        blocks.header(f"Documents of {code} ({found.total}), newest first"),
        [blocks.section("\n".join(lines[i : i + 10])) for i in range(0, len(lines), 10)],
        blocks.context((pager + nxt).strip(" ·") or "Newest first."),
    )


def _metadata(
    permalink: str, channel: str, ts: str, files: tuple[service.SlackFile, ...]
) -> dict[str, Any]:
    return {
        "permalink": permalink,
        "channel": channel,
        "ts": ts,
        "files": [[f.id, f.name] for f in files],
    }


def file_modal(
    clerk: Clerk, *, guess: str, permalink: str, carried: dict[str, Any]
) -> dict[str, Any]:
    files = carried["files"]
    sealed_text = sealed.seal(clerk, carried)
    while len(sealed_text) > MAX_METADATA and files:
        files.pop()  # a message with very many files keeps the first ones
        sealed_text = sealed.seal(clerk, carried)
    names = ", ".join(blocks.escape(name) for _id, name in files) or "no files"
    return blocks.modal(
        "File to matter",
        DocumentIds.MODAL,
        [
            blocks.text_input(
                "matter", "Matter", initial=guess, placeholder="ACME-1", max_length=48
            ),
            blocks.text_input(
                "label",
                "Label",
                placeholder="Signed engagement letter",
                max_length=service.MAX_LABEL,
            ),
            blocks.context(f"<{permalink}|The message> · {names}. Nothing is copied out of Slack."),
        ],
        submit="File",
        private_metadata=sealed_text,
    )


def register(app: App, clerk: Clerk) -> None:
    @app.shortcut(DocumentIds.SHORTCUT)
    def from_message(
        ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = clerk.directory.actor(shortcut["user"]["id"])
        actor.require(Capability.WRITE_MATTERS)
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id", "")
        ts = message.get("ts") or shortcut.get("message_ts") or ""
        if not channel or not ts:
            raise InvalidInput(CANNOT_READ.format(error="no message"))
        try:
            found = client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as exc:
            send(
                respond,
                blocks.error(CANNOT_READ.format(error=exc.response.get("error", "refused"))),
            )
            return
        permalink = str(found.get("permalink") or "")
        if not permalink.startswith("https://"):
            send(respond, blocks.error(CANNOT_READ.format(error="no link")))
            return
        with clerk.db.reading() as session:
            guess = contact_service.guess_code(session, message.get("text") or "")
        carried = _metadata(permalink, channel, ts, service.files_of(message))
        view = file_modal(clerk, guess=guess, permalink=permalink, carried=carried)
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)

    @app.view(DocumentIds.MODAL)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        actor = clerk.directory.actor(body["user"]["id"])
        actor.require(Capability.WRITE_MATTERS)
        carried = sealed.unseal(clerk, view.get("private_metadata"))
        values = blocks.view_values(view)
        filing = _filing(carried, values)
        with clerk.db.unit_of_work(actor.slack_id) as session:
            document, matter = service.file_document(
                session, actor=actor, filing=filing, now=clerk.now()
            )
            reply = blocks.success(
                f"Filed to *{matter.code}*: {_link(document)}.",
                f"{len(document.files)} file(s) listed, nothing copied · "
                f"`/matter docs {matter.code}` lists its documents.",
            )
        ack()
        dm(client, actor, reply)


def _filing(carried: dict[str, Any], values: dict[str, str | None]) -> service.Filing:
    matter = (values.get("matter") or "").strip()
    label = (values.get("label") or "").strip()
    errors: dict[str, str] = {}
    if not matter:
        errors["matter"] = "Give the matter's code, e.g. ACME-1."
    problem = service.label_problem(label)
    if problem:
        errors["label"] = problem
    if errors:
        raise FieldErrors(errors=errors)
    try:
        files = tuple(service.SlackFile(str(i), str(n)) for i, n in carried["files"])
        return service.Filing(
            matter_code=matter,
            label=label,
            permalink=str(carried["permalink"]),
            channel_id=str(carried["channel"]),
            message_ts=str(carried["ts"]),
            files=files,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(sealed.STALE) from exc
