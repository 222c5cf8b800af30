"""``clerk export/import clients`` with the columns listed in the README, kept exactly.

Users are Slack ids; an id Clerk has not seen yet becomes a member with the default role
(their profile is read from Slack the first time they use Clerk). Amounts are decimal
strings in the client's currency (the firm's, ``CLERK_CURRENCY``, for a new client). Each
row is checked as ``/client add`` checks it: code, name, email and phone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clients import profile
from bot.clients.checks import (
    check_code,
    check_free_text,
    email_problem,
    name_problem,
    phone_problem,
)
from bot.clients.edit import canonical_field
from bot.clients.grammar import MAX_DAYS
from bot.errors import InvalidInput
from bot.money.amounts import Money
from bot.settings import load_settings
from bot.text import BARE_ID
from bot.transfer import ImportContext, Kind, register
from storage.models import Client, ClientKind, ClientStatus, User

COLUMNS = (
    "code",
    "name",
    "kind",
    "status",
    "lawyer",
    "key",
    "email",
    "phone",
    "credit_limit",
    "terms_days",
    # what `/client edit` sets besides: the client analysis groups by industry and size
    "industry",
    "size",
    "address",
    "retainer",
    "cadence_days",
    # the profile (bot.clients.profile), then the client team and related clients
    *(f.export for f in profile.FIELDS if f.type not in ("user", "clients")),
    "relationship_partner",
    "billing_contact",
    "related_clients",
    # what `/client edit CODE details.KEY VALUE` keeps: a JSON object of text values
    "details",
)
KINDS = {
    "person": ClientKind.PERSON,
    "organization": ClientKind.ORGANIZATION,
    "org": ClientKind.ORGANIZATION,
}


def slack_ids(session: Session) -> dict[int, str]:
    return {uid: sid for uid, sid in session.execute(select(User.id, User.slack_id))}


def user_for(ctx: ImportContext, slack_id: str, column: str) -> int | None:
    """The user id of a Slack id, adding the member if Clerk has not seen them."""
    if not slack_id:
        return None
    if not BARE_ID.match(slack_id):
        raise InvalidInput(f"{column} must be a Slack user id such as U012ABCDEF, not '{slack_id}'")
    found = ctx.session.scalar(select(User.id).where(User.slack_id == slack_id))
    if found is not None:
        return int(found)
    user = User(slack_id=slack_id)
    ctx.session.add(user)
    ctx.session.flush()
    return user.id


IMPORTED_REASON = "imported as former from a CSV file"


def firm_currency(ctx: ImportContext) -> str:
    if "currency" not in ctx.cache:
        ctx.cache["currency"] = load_settings().currency
    currency: str = ctx.cache["currency"]
    return currency


def flag(value: str, column: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1", "key"):
        return True
    if lowered in ("", "false", "no", "0"):
        return False
    raise InvalidInput(f"{column} must be true or false, not '{value}'")


def export_rows(session: Session) -> Iterator[dict[str, str]]:
    users = slack_ids(session)
    related = profile.related_codes_of_all(session)
    for c in session.scalars(select(Client).order_by(Client.code)):
        yield {
            "code": c.code,
            "name": c.name,
            "kind": c.kind.value,
            "status": c.status.value,
            "lawyer": users.get(c.lawyer_id or 0, ""),
            "key": "true" if c.is_key else "false",
            "email": c.email or "",
            "phone": c.phone or "",
            "credit_limit": _amount(c.credit_limit_cents, c.currency),
            "terms_days": str(c.terms_days),
            "industry": c.industry or "",
            "size": c.size or "",
            "address": c.address or "",
            "retainer": _amount(c.retainer_required_cents, c.currency),
            "cadence_days": "" if c.cadence_days is None else str(c.cadence_days),
            **_profile_cells(c, users, related.get(c.id, [])),
            "details": json.dumps(c.details, ensure_ascii=False, sort_keys=True)
            if c.details
            else "",
        }


def _amount(cents: int | None, currency: str) -> str:
    return "" if cents is None else Money(cents, currency).decimal_string()


def _profile_cells(client: Client, users: dict[int, str], related: list[str]) -> dict[str, str]:
    """The profile as cells: amounts as decimal strings, dates ISO, users as Slack ids."""
    cells: dict[str, str] = {}
    for field in profile.FIELDS:
        if field.type in ("user", "clients"):
            continue
        value = getattr(client, field.column)
        if value is None:
            cells[field.export] = ""
        elif field.type == "amount":
            cells[field.export] = Money(value, client.currency).decimal_string()
        elif field.type == "date":
            cells[field.export] = value.isoformat()
        else:
            cells[field.export] = str(value)
    cells["relationship_partner"] = users.get(client.partner_id or 0, "")
    cells["billing_contact"] = users.get(client.billing_contact_id or 0, "")
    cells["related_clients"] = " ".join(related)
    return cells


def _import_profile(ctx: ImportContext, client: Client, row: dict[str, str]) -> None:
    """The profile cells given, checked as `/client edit` checks them. A related client must
    be in Clerk already or on an earlier line of the file."""
    for field in profile.FIELDS:
        if field.type in ("user", "clients") or not row.get(field.export):
            continue
        try:
            profile.require_kind(client, field)
            value = profile.read_value(
                field, row[field.export], currency=client.currency, today=ctx.today()
            )
        except InvalidInput as exc:
            raise InvalidInput(f"{field.export}: {exc.message}") from exc
        setattr(client, field.column, value)
    if row.get("relationship_partner"):
        partner = user_for(ctx, row["relationship_partner"], "relationship_partner")
        try:
            client.partner_id = profile.check_relationship_partner(ctx.session, partner)
        except InvalidInput as exc:
            raise InvalidInput(f"relationship_partner: {exc.message}") from exc
    if row.get("billing_contact"):
        contact = user_for(ctx, row["billing_contact"], "billing_contact")
        try:
            profile.set_field(ctx.session, client, profile.BY_NAME["billing-contact"], contact)
        except InvalidInput as exc:
            raise InvalidInput(f"billing_contact: {exc.message}") from exc
    if row.get("related_clients"):
        try:
            codes = profile.read_codes(row["related_clients"])
            profile.set_related(ctx.session, client, codes)
        except InvalidInput as exc:
            raise InvalidInput(f"related_clients: {exc.message}") from exc


TEXTS = ("industry", "size", "address")


def _money_cell(row: dict[str, str], column: str, currency: str) -> int | None:
    """A decimal string in the firm's currency, never negative; None when empty."""
    if not row[column]:
        return None
    try:
        cents = Money.from_decimal_string(row[column], currency).cents
    except InvalidInput as exc:
        raise InvalidInput(f"{column}: {exc.message}") from exc
    if cents < 0:
        raise InvalidInput(f"{column} can't be negative ('{row[column]}')")
    return cents


def _days_cell(row: dict[str, str], column: str) -> int | None:
    """A number of days from 1 to ``MAX_DAYS`` (as ``/client add`` takes them); None when
    empty."""
    days = row[column].strip()
    if not days:
        return None
    if not (days.isdigit() and 0 < int(days) <= MAX_DAYS):
        raise InvalidInput(f"{column} must be a number of days from 1 to {MAX_DAYS}, not '{days}'")
    return int(days)


def _details(cell: str) -> dict[str, str]:
    """The details column: a JSON object whose keys are what ``details.KEY`` takes and whose
    values are text, as the export writes it; empty for none."""
    if not cell.strip():
        return {}
    try:
        found = json.loads(cell)
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise InvalidInput('details must be a JSON object such as {"referral_source": "Bar"}')
    details: dict[str, str] = {}
    for key, value in found.items():
        if not isinstance(value, str):
            raise InvalidInput(f"details: the value of '{str(key)[:40]}' must be text")
        try:
            field = canonical_field(f"details.{key}")
            details[field.removeprefix("details.")] = check_free_text(value, field)
        except InvalidInput as exc:
            raise InvalidInput(f"details: {exc.message}") from exc
    return details


def import_row(ctx: ImportContext, row: dict[str, str]) -> None:
    code = check_code(row["code"])
    if ctx.session.scalar(select(Client.id).where(Client.code == code)) is not None:
        raise InvalidInput(f"client {code} already exists")
    problem = name_problem(row["name"])
    if problem:
        raise InvalidInput(f"name: {problem}")
    kind = KINDS.get(row["kind"].lower() or "organization")
    if kind is None:
        raise InvalidInput(f"kind must be person or organization, not '{row['kind']}'")
    try:
        status = ClientStatus(row["status"].lower() or "active")
    except ValueError as exc:
        raise InvalidInput(
            f"status must be prospect, active or former, not '{row['status']}'"
        ) from exc
    terms = _days_cell(row, "terms_days") or 30
    for column, check in (("email", email_problem), ("phone", phone_problem)):
        if row[column] and (problem := check(row[column])):
            raise InvalidInput(f"{column}: {problem}")
    currency = firm_currency(ctx)
    credit = _money_cell(row, "credit_limit", currency)
    texts = {column: check_free_text(row[column], column) or None for column in TEXTS}
    client = Client(
        code=code,
        name=row["name"].strip(),
        kind=kind,
        status=status,
        status_reason=IMPORTED_REASON if status is ClientStatus.FORMER else None,
        lawyer_id=user_for(ctx, row["lawyer"], "lawyer"),
        is_key=flag(row["key"], "key"),
        email=row["email"] or None,
        phone=row["phone"] or None,
        currency=currency,
        credit_limit_cents=credit,
        terms_days=terms,
        retainer_required_cents=_money_cell(row, "retainer", currency),
        cadence_days=_days_cell(row, "cadence_days"),
        details=_details(row["details"]),
        **texts,
    )
    ctx.session.add(client)
    ctx.session.flush()
    _import_profile(ctx, client, row)


register(Kind("clients", COLUMNS, export_rows, import_row, required=("code", "name")))
