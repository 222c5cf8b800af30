"""Finding the client or matter a user typed, with "did you mean" when it is close.

Codes are case-insensitive handles (stored upper-case). A miss suggests the nearest codes
and names, so a typo costs one glance instead of a second command.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import NotFound
from storage.models import Client, Matter

SUGGESTION_CUTOFF = 70
MAX_SUGGESTIONS = 3


def normalise_code(code: str) -> str:
    return code.strip().upper()


def suggest_clients(session: Session, text: str, *, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Codes of clients whose code or name is close to ``text``, best first."""
    choices = {
        row.code: f"{row.code} {row.name}"
        for row in session.execute(select(Client.code, Client.name))
    }
    found = process.extract(
        text,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=SUGGESTION_CUTOFF,
    )
    return [code for _label, _score, code in found]


def did_you_mean(codes: list[str]) -> str:
    return f" Did you mean {', '.join(f'`{c}`' for c in codes)}?" if codes else ""


def find_client(session: Session, code: str) -> Client | None:
    """The client with this code (any case), or None: for forms that list what is wrong."""
    return session.scalars(select(Client).where(Client.code == normalise_code(code))).first()


def find_matter(session: Session, code: str) -> Matter | None:
    """The matter with this code (any case), or None when there is none or it is no code."""
    if not looks_like_matter_code(code):
        return None
    return session.scalars(select(Matter).where(Matter.code == normalise_code(code))).first()


def get_client(session: Session, code: str) -> Client:
    client = session.scalars(select(Client).where(Client.code == normalise_code(code))).first()
    if client is None:
        hint = did_you_mean(suggest_clients(session, code))
        raise NotFound(f"There is no client `{normalise_code(code)}`.{hint}")
    return client


def get_matter(session: Session, code: str) -> Matter:
    matter = session.scalars(select(Matter).where(Matter.code == normalise_code(code))).first()
    if matter is None:
        client_code = normalise_code(code).rsplit("-", 1)[0]
        open_codes = session.scalars(
            select(Matter.code)
            .join(Client, Client.id == Matter.client_id)
            .where(Client.code == client_code)
            .order_by(Matter.number)
            .limit(5)
        ).all()
        hint = (
            f" {client_code}'s matters: {', '.join(f'`{c}`' for c in open_codes)}."
            if open_codes
            else ""
        )
        raise NotFound(f"There is no matter `{normalise_code(code)}`.{hint}")
    return matter


def looks_like_matter_code(word: str) -> bool:
    head, sep, tail = word.rpartition("-")
    return bool(sep and head and tail.isdigit())
