"""What a client's own fields must look like: code, name, email, phone, and free text sized
to its column. Each check returns the problem rather than raising it, so a form can gather
every problem at once (``handlers.clients.forms``); the ``check_*`` forms raise it for a
command or an import.

Codes are short, case-insensitive handles (stored upper-case) that never end in ``-N``, so a
matter code (``ACME-2``) can never be mistaken for a client code, and are never a word the
commands read.
"""

from __future__ import annotations

import re

from bot.clients.lookup import normalise_code
from bot.errors import InvalidInput
from bot.text import required_text_problem

CODE = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?$")
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,30}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
MAX_NAME = 300
MAX_FREE_TEXT = 500  # an address and each details value (industry and size: MAX_TEXT_OF)
# Words the commands read as sub-commands or list filters: a client coded FIND could never be
# shown with `/client FIND`, nor MINE listed with `/deadline list MINE`.
RESERVED_CODES = frozenset(
    {
        "ADD",
        "ALL",
        "APPLY",
        "CALENDAR",
        "CANCEL",
        "CLOSE",
        "DONE",
        "EDIT",
        "EVERYONE",
        "FIND",
        "FIRM",
        "HELP",
        "LIST",
        "MINE",
        "MISSED",
        "MOVE",
        "OVERDUE",
        "PLAN",
        "RESOLVE",
        "RULES",
        "TODAY",
        "VOID",
        "DISPUTE",
    }
)


def code_problem(code: str) -> str | None:
    normal = normalise_code(code)
    if not normal:
        return "Give the client a short code, e.g. ACME."
    if len(normal) < 2 or len(normal) > 16 or not CODE.match(normal):
        return (
            f"`{code.strip()}` can't be a client code: use 2-16 letters, digits or dashes "
            "(not at either end), e.g. ACME or SMITH-J."
        )
    if normal in RESERVED_CODES:
        return f"`{normal}` is a word Clerk's commands use; pick another client code."
    if re.search(r"-\d+$", normal):
        return (
            f"`{normal}` ends like a matter code (ACME-1); pick a client code without a "
            "trailing -number, e.g. ACME or ACME-EU."
        )
    return None


def check_code(code: str) -> str:
    problem = code_problem(code)
    if problem:
        raise InvalidInput(problem)
    return normalise_code(code)


def name_problem(name: str) -> str | None:
    return required_text_problem(
        name,
        missing='Give the client\'s full name, in quotes if it has several words: "Acme Corp".',
        what="name",
        most=MAX_NAME,
    )


def email_problem(email: str) -> str | None:
    if len(email) > 254 or not EMAIL.match(email):
        return f"`{email}` doesn't look like an email address (name@example.com)."
    return None


def check_email(email: str) -> str:
    problem = email_problem(email.strip())
    if problem:
        raise InvalidInput(problem)
    return email.strip()


def phone_problem(phone: str) -> str | None:
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE.match(phone) or digits < 5:
        return f"`{phone}` doesn't look like a phone number (e.g. +1 212 555 0100)."
    return None


def check_phone(phone: str) -> str:
    problem = phone_problem(phone.strip())
    if problem:
        raise InvalidInput(problem)
    return phone.strip()


# The columns' own sizes (``storage.models.clients``): PostgreSQL refuses a longer value.
MAX_TEXT_OF = {"industry": 120, "size": 60}


def check_free_text(value: str, what: str) -> str:
    """The text trimmed, once it fits its column (``MAX_TEXT_OF``, else ``MAX_FREE_TEXT``)."""
    text = value.strip()
    most = MAX_TEXT_OF.get(what, MAX_FREE_TEXT)
    if len(text) > most:
        raise InvalidInput(f"The {what} is {len(text):,} characters; the most is {most}.")
    return text
