"""Reading the add-client, open-matter and log-contact forms (Slack modals).

A form is checked as a whole and every problem is reported under its own field at once
(``FieldErrors``), so the modal stays open with the person's typing intact instead of
failing one field per submission.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.clients import profile
from bot.clients.checks import (
    check_free_text,
    code_problem,
    email_problem,
    name_problem,
    phone_problem,
)
from bot.clients.contacts import split_code, summary_problem
from bot.clients.lookup import get_client, get_matter, normalise_code
from bot.clients.matters import former_problem, title_problem
from bot.clients.service import ClientInput, code_taken
from bot.dates.format import format_day
from bot.errors import FieldErrors, InvalidInput, NotFound
from bot.money import Money, parse_amount
from handlers.clients.client_form import KIND_BLOCK, PARTNER_BLOCK, profile_block_id
from storage.models import ClientKind, ContactKind

Values = Mapping[str, str | None]
MemberId = Callable[[str], int]  # a Slack user id from a users_select -> users.id
MAX_ERROR = 300


def _text(values: Values, key: str) -> str:
    return (values.get(key) or "").strip()


def _short(message: str) -> str:
    return message if len(message) <= MAX_ERROR else message[: MAX_ERROR - 1] + "…"


def _member(values: Values, key: str, member_id: MemberId, errors: dict[str, str]) -> int | None:
    chosen = _text(values, key)
    if not chosen:
        return None
    try:
        return member_id(chosen)
    except NotFound as exc:
        errors[key] = _short(exc.message)
        return None


def _days(values: Values, key: str, errors: dict[str, str]) -> int | None:
    typed = _text(values, key).lower().removesuffix("days").removesuffix("day").strip()
    if not typed:
        return None
    if not typed.isdigit() or not 0 < int(typed) <= 3650:
        errors[key] = "A number of days between 1 and 3650, e.g. 30."
        return None
    return int(typed)


def _amount(values: Values, key: str, currency: str, errors: dict[str, str]) -> Money | None:
    typed = _text(values, key)
    if not typed:
        return None
    try:
        return parse_amount(typed, default_currency=currency)
    except InvalidInput as exc:
        errors[key] = _short(exc.message)
        return None


def _profile(
    session: Session,
    values: Values,
    kind: ClientKind,
    *,
    currency: str,
    today: date,
    member_id: MemberId,
    errors: dict[str, str],
) -> dict[str, Any]:
    """The profile fields of ``kind`` that were filled in, typed and checked as ``/client
    edit`` checks them (a field of the other kind, left in a forged form, is not read)."""
    found: dict[str, Any] = {}
    for field in profile.FIELDS:
        key = profile_block_id(field)
        typed = _text(values, key)
        if kind not in field.kinds or not typed:
            continue
        try:
            if field.type == "user":
                value: Any = profile.check_billing_contact(session, member_id(typed))
            else:
                value = profile.read_value(field, typed, currency=currency, today=today)
            if field.type == "clients":
                profile.existing_clients(session, value)
        except (InvalidInput, NotFound) as exc:
            errors[key] = _short(exc.message)
            continue
        found[field.name] = value
    return found


def read_client_form(
    session: Session, values: Values, *, currency: str, today: date, member_id: MemberId
) -> ClientInput:
    errors: dict[str, str] = {}
    code = _text(values, "code")
    problem = code_problem(code)
    if problem is None and code_taken(session, code):
        problem = f"There is already a client {normalise_code(code)}."
    if problem:
        errors["code"] = _short(problem)
    name = _text(values, "name")
    if problem := name_problem(name):
        errors["name"] = _short(problem)
    email, phone = _text(values, "email"), _text(values, "phone")
    if email and (problem := email_problem(email)):
        errors["email"] = _short(problem)
    if phone and (problem := phone_problem(phone)):
        errors["phone"] = _short(problem)
    lawyer = _member(values, "lawyer", member_id, errors)
    partner = _member(values, PARTNER_BLOCK, member_id, errors)
    try:
        profile.check_relationship_partner(session, partner)
    except InvalidInput as exc:
        errors[PARTNER_BLOCK] = _short(exc.message)
    credit = _amount(values, "credit_limit", currency, errors)
    retainer = _amount(values, "retainer", currency, errors)
    terms = _days(values, "terms", errors)
    cadence = _days(values, "cadence", errors)
    currencies = {m.currency for m in (credit, retainer) if m is not None}
    if len(currencies) > 1:
        errors["retainer"] = "Give the retainer in the same currency as the credit limit."
    texts: dict[str, str | None] = {}
    for key in ("address", "industry", "size"):
        try:
            texts[key] = check_free_text(_text(values, key), key) or None
        except InvalidInput as exc:
            errors[key] = _short(exc.message)
    kind = ClientKind.PERSON if values.get(KIND_BLOCK) == "person" else ClientKind.ORGANIZATION
    currency_of_client = next(iter(currencies)) if currencies else currency
    given = _profile(
        session,
        values,
        kind,
        currency=currency_of_client,
        today=today,
        member_id=member_id,
        errors=errors,
    )
    if errors:
        raise FieldErrors(errors)
    return ClientInput(
        code=normalise_code(code),
        name=name,
        kind=kind,
        lawyer_id=lawyer,
        partner_id=partner,
        is_key=values.get("key") == "yes",
        email=email or None,
        phone=phone or None,
        currency=currency_of_client,
        credit_limit_cents=credit.cents if credit else None,
        terms_days=terms,
        retainer_required_cents=retainer.cents if retainer else None,
        cadence_days=cadence,
        profile=given,
        **texts,
    )


@dataclass(frozen=True)
class MatterForm:
    client_code: str
    title: str
    lawyer_id: int | None


def read_matter_form(session: Session, values: Values, *, member_id: MemberId) -> MatterForm:
    errors: dict[str, str] = {}
    code = _text(values, "client")
    if not code:
        errors["client"] = "Which client? e.g. ACME"
    else:
        try:
            client = get_client(session, code)
        except NotFound as exc:
            errors["client"] = _short(exc.message)
        else:
            if problem := former_problem(client):
                errors["client"] = _short(problem)
    title = _text(values, "title")
    if problem := title_problem(title):
        errors["title"] = _short(problem)
    lawyer = _member(values, "lawyer", member_id, errors)
    if errors:
        raise FieldErrors(errors)
    return MatterForm(normalise_code(code), title, lawyer)


@dataclass(frozen=True)
class ContactForm:
    client_code: str
    matter_code: str | None
    kind: ContactKind
    summary: str
    occurred_on: date | None
    follow_up_on: date | None


def _day(values: Values, key: str, errors: dict[str, str]) -> date | None:
    chosen = _text(values, key)
    if not chosen:
        return None
    try:
        return date.fromisoformat(chosen)
    except ValueError:
        errors[key] = "Pick a day from the calendar."
        return None


def read_contact_form(session: Session, values: Values, *, today: date) -> ContactForm:
    errors: dict[str, str] = {}
    typed = _text(values, "client")
    client_code, matter_code = split_code(typed)
    if not typed:
        errors["client"] = "Which client or matter? e.g. ACME or ACME-1"
    else:
        try:
            client = get_client(session, client_code)
            if matter_code:
                matter = get_matter(session, matter_code)
                if matter.client_id != client.id:
                    errors["client"] = f"{matter.code} is not a matter of {client.code}."
        except NotFound as exc:
            errors["client"] = _short(exc.message)
    summary = _text(values, "summary")
    if problem := summary_problem(summary):
        errors["summary"] = _short(problem)
    occurred = _day(values, "occurred", errors)
    if occurred and occurred > today:
        errors["occurred"] = "That day is still to come; log a contact after it happened."
    follow_up = _day(values, "follow_up", errors)
    if follow_up and follow_up < today:
        errors["follow_up"] = f"{format_day(follow_up)} is in the past; pick today or later."
    try:
        kind = ContactKind(values.get("kind") or "call")
    except ValueError:
        errors["kind"] = "Pick call, email, meeting, letter or message."
        kind = ContactKind.CALL
    if errors:
        raise FieldErrors(errors)
    return ContactForm(
        client_code=normalise_code(client_code),
        matter_code=normalise_code(matter_code) if matter_code else None,
        kind=kind,
        summary=summary,
        occurred_on=occurred,
        follow_up_on=follow_up,
    )
