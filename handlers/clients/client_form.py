"""The add-client form (``/client`` alone): the client's core facts, credit terms, then the
profile fields of the client's kind (``bot.clients.profile``).

A person and an organisation have different profiles (a birth date, a legal representative),
so choosing the kind redraws the form with that kind's fields (``views.update``). Slack keeps
what was typed in every input the two versions share (same block and action ids), so only
the other kind's fields are cleared. Reading and checking what was submitted is
``handlers.clients.forms``.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clients.profile import FIELDS, ProfileField
from handlers.clients.views import ClientIds
from handlers.kernel import blocks
from storage.models import ClientKind

log = logging.getLogger("clerk.handlers")

CLIENT_MODAL = ClientIds.CLIENT_MODAL
KIND_BLOCK = "kind"
PROFILE_PREFIX = "profile."  # a profile input's block id: profile.birth-date
PARTNER_BLOCK = "relationship_partner"
KIND_VALUES = {"org": ClientKind.ORGANIZATION, "person": ClientKind.PERSON}

_PLACEHOLDERS = {
    "date": "1970-03-02 or 2 March 1970",
    "amount": "$1,000,000",
    "count": "250",
    "clients": "GLOBEX INITECH",
}
_HINTS = {
    "related-clients": "Codes of clients already in Clerk, separated by spaces.",
    "billing-contact": "Someone in billing, a partner or an admin; set by partners and admins.",
    "birth-date": "Written in full, so it is never read the wrong way round.",
}


def profile_block_id(field: ProfileField) -> str:
    return PROFILE_PREFIX + field.name


def _with_hint(block: blocks.Block_, hint: str | None) -> blocks.Block_:
    if hint:
        block["hint"] = blocks.plain(hint, blocks.MAX_LABEL)
    return block


def _profile_input(field: ProfileField) -> blocks.Block_:
    block_id = profile_block_id(field)
    if field.type == "user":
        return _with_hint(blocks.user_input(block_id, field.label), _HINTS.get(field.name))
    return blocks.text_input(
        block_id,
        field.label,
        optional=True,
        multiline=field.type == "text" and field.most > 300,
        max_length=field.most if field.type == "text" else 100,
        placeholder=_PLACEHOLDERS.get(field.type),
        hint=_HINTS.get(field.name),
    )


def profile_inputs(kind: ClientKind) -> list[blocks.Block_]:
    """The profile fields a client of ``kind`` has, in the profile's order."""
    return [_profile_input(f) for f in FIELDS if kind in f.kinds]


def client_modal(kind: ClientKind = ClientKind.ORGANIZATION) -> dict[str, Any]:
    """The form, with the profile fields of ``kind``."""
    kind_value = "person" if kind is ClientKind.PERSON else "org"
    kind_select = blocks.select_input(
        KIND_BLOCK, "Kind", [("Organization", "org"), ("Person", "person")], initial=kind_value
    )
    kind_select["dispatch_action"] = True  # choosing redraws the profile for that kind
    about = "a person" if kind is ClientKind.PERSON else "an organisation"
    return blocks.modal(
        "Add a client",
        CLIENT_MODAL,
        [
            blocks.text_input(
                "code",
                "Client code",
                placeholder="ACME",
                max_length=16,
                hint="2-16 letters, digits or dashes; matters become ACME-1, ACME-2…",
            ),
            blocks.text_input("name", "Full name", placeholder="Acme Corporation", max_length=300),
            kind_select,
            blocks.user_input("lawyer", "Responsible lawyer"),
            blocks.select_input(
                "key", "Key client", [("No", "no"), ("Yes", "yes")], initial="no", optional=True
            ),
            blocks.text_input("email", "Email", optional=True, max_length=254),
            blocks.text_input("phone", "Phone", optional=True, max_length=60),
            blocks.text_input("address", "Address", optional=True, multiline=True, max_length=500),
            blocks.text_input("industry", "Industry", optional=True, max_length=120),
            blocks.text_input(
                "size", "Size", optional=True, max_length=60, placeholder="50-200 staff"
            ),
            blocks.text_input("credit_limit", "Credit limit", optional=True, placeholder="$50,000"),
            blocks.text_input("terms", "Payment terms (days)", optional=True, placeholder="30"),
            blocks.text_input("retainer", "Retainer required", optional=True, placeholder="$5,000"),
            blocks.text_input(
                "cadence",
                "Contact cadence (days)",
                optional=True,
                placeholder="30",
                hint="Key clients: Clerk nudges the lawyer after this many days without contact.",
            ),
            blocks.header("Profile"),
            blocks.context(
                f"What the firm keeps about {about}; all optional, and `/client edit` "
                "changes any of it later."
            ),
            *profile_inputs(kind),
            _with_hint(
                blocks.user_input(PARTNER_BLOCK, "Relationship partner"),
                "A partner, told when the account reaches partner review; set by partners "
                "and admins.",
            ),
        ],
        submit="Add",
    )


def register_kind_switch(app: App) -> None:
    """Redraw the open form when its kind is chosen (the form of no other callback)."""

    @app.action({"block_id": KIND_BLOCK, "action_id": "value"})
    def kind_chosen(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body.get("view") or {}
        if view.get("callback_id") != CLIENT_MODAL:
            return
        chosen = ((body.get("actions") or [{}])[0].get("selected_option") or {}).get("value")
        kind = KIND_VALUES.get(str(chosen))
        if kind is None or not view.get("id"):
            return  # a forged choice: the form stays as it is
        try:
            client.views_update(view_id=view["id"], hash=view.get("hash"), view=client_modal(kind))
        except SlackApiError as exc:  # closed meanwhile, or changed since (hash_conflict)
            log.info("the add-client form was not redrawn: %s", exc.response.get("error"))
