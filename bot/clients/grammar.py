"""Reading ``/client add`` and ``/client edit`` text (the grammar in the README's command list,
kept exactly).

``/client add CODE "Full name" [person|org] [lawyer @user] [key] [email E] [phone P]
[credit-limit AMOUNT] [terms N days] [retainer AMOUNT] [cadence N days]``

The reader is strict on purpose: a word it does not know is refused with the most likely
cause (a multi-word name without quotes), never silently folded into the name. Who a
``@user`` is gets decided by the caller (``resolve_user``), which asks Slack.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.clients import profile
from bot.clients.checks import check_code, check_email, check_free_text, check_phone, name_problem
from bot.clients.edit import (
    MONEY_FIELDS,
    ClientChange,
    canonical_field,
)
from bot.clients.service import ClientInput
from bot.errors import InvalidInput
from bot.money import Money, parse_amount
from bot.text import split_words
from storage.models import ClientKind, ClientStatus

# A word naming a person (a Slack mention, a bare id or "@handle") -> users.id; raises
# NotFound for someone who is not an active member of the workspace.
UserResolver = Callable[[str], int]

ADD_USAGE = (
    '/client add CODE "Full name" [person|org] [lawyer @user] [key] [email E] [phone P] '
    "[credit-limit AMOUNT] [terms N days] [retainer AMOUNT] [cadence N days]"
)
EDIT_USAGE = (
    "/client edit CODE FIELD VALUE   fields: name, person/org, lawyer, partner, key/not-key, "
    "email, phone, address, industry, size, credit-limit, terms, retainer, cadence, "
    "status active|prospect|former REASON; people: gender, birth-date, family, income, "
    "employer, position, interests; organisations: legal-rep, contact-person, "
    "registered-capital, revenue, employees, customers, partners; both: referral-source, "
    "potential-needs, related-clients, relationship-partner, billing-contact; details.KEY"
)
KIND_WORDS = {
    "person": ClientKind.PERSON,
    "individual": ClientKind.PERSON,
    "org": ClientKind.ORGANIZATION,
    "organization": ClientKind.ORGANIZATION,
    "organisation": ClientKind.ORGANIZATION,
}
FLAGS = {*KIND_WORDS, "key"}
VALUED = {"lawyer", "email", "phone", "credit-limit", "terms", "retainer", "cadence"}
CLEAR_WORDS = {"-", "none", "clear", "—"}
MAX_DAYS = 3650


def read_days(words: list[str], i: int, what: str) -> tuple[int, int]:
    """``N days`` (or ``N``) starting at ``words[i]``; returns (N, index after it)."""
    word = words[i] if i < len(words) else ""
    if not word.isdigit() or not 0 < int(word) <= MAX_DAYS:
        raise InvalidInput(
            f"`{what}` takes a number of days between 1 and {MAX_DAYS}, e.g. `{what} 30 days`"
            + (f"; got `{word}`." if word else "."),
            usage=ADD_USAGE,
        )
    after = i + 1
    if after < len(words) and words[after].lower() in ("day", "days"):
        after += 1
    return int(word), after


def _amount_words(words: list[str], i: int) -> tuple[str, int]:
    """The amount at ``words[i]``; ``USD 12500`` and ``12500 USD`` are two words, one amount."""
    first = words[i]
    following = words[i + 1] if i + 1 < len(words) else ""
    if first.isalpha() and len(first) == 3 and following[:1].isdigit():
        return f"{first} {following}", i + 2
    if following.isalpha() and len(following) == 3 and following.lower() not in VALUED | FLAGS:
        return f"{first} {following}", i + 2
    return first, i + 1


_PHONE_PART = re.compile(r"^(?:\+?[\d().\-/]+|x|ext\.?)$", re.IGNORECASE)


def _phone_words(words: list[str], i: int) -> tuple[str, int]:
    """``phone +1 212 555 0100``: a number typed with spaces is one phone number."""
    end = i + 1
    while end < len(words) and words[end].lower() not in FLAGS | VALUED:
        if not _PHONE_PART.match(words[end]):
            break
        end += 1
    return " ".join(words[i:end]), end


def parse_add(text: str, *, currency: str, resolve_user: UserResolver) -> ClientInput:
    """``add CODE "Full name" ...`` -> ClientInput; refuses any word it cannot place."""
    words = split_words(text)
    if len(words) < 3:
        raise InvalidInput(
            'Give a code and the full name, e.g. /client add ACME "Acme Corporation".',
            usage=ADD_USAGE,
        )
    data = ClientInput(code=check_code(words[1]), name=words[2], currency=currency)
    problem = name_problem(words[2])
    if problem:
        raise InvalidInput(problem, usage=ADD_USAGE)
    amounts: dict[str, Money] = {}
    seen: set[str] = set()
    i = 3
    while i < len(words):
        word = words[i].lower()
        if word not in FLAGS | VALUED:
            raise InvalidInput(
                f"I don't understand `{words[i]}`. If the name has several words, put it in "
                f'quotes: /client add {data.code} "{words[2]} {words[i]}".',
                usage=ADD_USAGE,
            )
        group = "kind" if word in KIND_WORDS else word
        if group in seen:
            raise InvalidInput(f"`{word}` is given twice; give it once.", usage=ADD_USAGE)
        seen.add(group)
        if word in KIND_WORDS:
            data.kind = KIND_WORDS[word]
            i += 1
            continue
        if word == "key":
            data.is_key = True
            i += 1
            continue
        if i + 1 >= len(words):
            raise InvalidInput(f"`{word}` needs a value after it.", usage=ADD_USAGE)
        value = words[i + 1]
        if word in ("terms", "cadence"):
            days, i = read_days(words, i + 1, word)
            if word == "terms":
                data.terms_days = days
            else:
                data.cadence_days = days
            continue
        if word in MONEY_FIELDS:
            typed, i = _amount_words(words, i + 1)
            amounts[word] = parse_amount(typed, default_currency=currency)
            continue
        if word == "phone":
            typed, i = _phone_words(words, i + 1)
            data.phone = check_phone(typed)
            continue
        if word == "lawyer":
            data.lawyer_id = resolve_user(value)
        elif word == "email":
            data.email = check_email(value)
        i += 2
    _apply_amounts(data, amounts)
    return data


def _apply_amounts(data: ClientInput, amounts: dict[str, Money]) -> None:
    """Credit limit and retainer set the client's currency; both must agree."""
    currencies = {money.currency for money in amounts.values()}
    if len(currencies) > 1:
        raise InvalidInput(
            "The credit limit and the retainer are in different currencies "
            f"({' and '.join(sorted(currencies))}); a client's account has one currency."
        )
    if currencies:
        data.currency = currencies.pop()
    if "credit-limit" in amounts:
        data.credit_limit_cents = amounts["credit-limit"].cents
    if "retainer" in amounts:
        data.retainer_required_cents = amounts["retainer"].cents


def _unquote(raw: str) -> str:
    text = raw.strip().replace("\u201c", '"').replace("\u201d", '"')
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def split_edit(text: str) -> tuple[str, str, str]:
    """``edit CODE FIELD VALUE`` -> (client code, canonical field, raw value unquoted).

    The caller checks the field against the asker's role before reading the value, so a
    refusal never depends on (or reveals) the client.
    """
    parts = text.split(" ", 3)
    if len(parts) < 3:
        raise InvalidInput(
            "Say which client and field, e.g. /client edit ACME email legal@acme.com",
            usage=EDIT_USAGE,
        )
    raw = _unquote(parts[3]) if len(parts) > 3 else ""
    return parts[1], canonical_field(parts[2]), raw


def read_change(field_name: str, raw: str, *, resolve_user: UserResolver) -> ClientChange:
    clear = raw.lower() in CLEAR_WORDS
    if field_name in ("key", "not-key", "person", "org"):
        if raw:
            raise InvalidInput(f"`{field_name}` takes no value: /client edit ACME {field_name}")
        return ClientChange(field_name)
    if not raw:
        raise InvalidInput(f"Give a value for {field_name}.", usage=EDIT_USAGE)
    if field_name == "name":
        return ClientChange("name", raw)
    if field_name == "kind":
        if raw.lower() not in KIND_WORDS:
            raise InvalidInput("A client's kind is `person` or `org`.")
        return ClientChange("kind", KIND_WORDS[raw.lower()].value.replace("organization", "org"))
    if field_name in ("lawyer", "partner"):
        return ClientChange(field_name, None if clear else resolve_user(raw))
    if field_name == "email":
        return ClientChange("email", None if clear else check_email(raw))
    if field_name == "phone":
        return ClientChange("phone", None if clear else check_phone(raw))
    if field_name in ("address", "industry", "size"):
        return ClientChange(field_name, None if clear else check_free_text(raw, field_name))
    if field_name in MONEY_FIELDS:
        return ClientChange(field_name, None if clear else raw)
    if field_name == "terms":
        return ClientChange("terms", read_days(raw.split(), 0, "terms")[0])
    if field_name == "cadence":
        return ClientChange("cadence", None if clear else read_days(raw.split(), 0, "cadence")[0])
    if field_name == "status":
        status, _, reason = raw.partition(" ")
        try:
            value = ClientStatus(status.lower())
        except ValueError:
            raise InvalidInput(
                "A client's status is `active`, `prospect` or `former REASON`, e.g. "
                "`/client edit ACME status former moved to another firm`."
            ) from None
        return ClientChange("status", value.value, reason.strip() or None)
    named = profile.field_named(field_name)
    if named is not None:  # typed and checked against the client (kind, currency) on edit
        if clear:
            return ClientChange(field_name)
        return ClientChange(field_name, resolve_user(raw) if named.type == "user" else raw)
    # details.KEY
    return ClientChange(field_name, None if clear else check_free_text(raw, field_name))
