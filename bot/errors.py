"""Domain errors that carry a message fit to show a lawyer.

Handlers never catch these one by one: the single ``@app.error`` handler turns any
``ClerkError`` into an ephemeral reply (or modal field errors), so a refusal looks the same
everywhere and nothing half-done is committed (the unit of work rolls back on raise).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class ClerkError(Exception):
    """Base of every error whose text is meant for the person who typed the command."""

    def __init__(self, message: str, *, usage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class InvalidInput(ClerkError):
    """The text could not be read as the command's grammar requires."""


class NotFound(ClerkError):
    """A client, matter, deadline or invoice the user named does not exist (or is hidden)."""


class PermissionDenied(ClerkError):
    """The user's role does not allow the action."""


class Conflict(ClerkError):
    """The action collides with existing data (duplicate code, already closed...)."""


@dataclass
class FieldErrors(ClerkError):
    """Validation errors of a modal submission, keyed by block id.

    Raised from a view-submission path, it is turned into ``response_action: errors`` so the
    modal stays open with the message under the field.
    """

    errors: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        first = next(iter(self.errors.values()), "Please correct the form.")
        ClerkError.__init__(self, first)


@dataclass
class NeedsConfirmation(ClerkError):
    """A reading Clerk is not certain of (a past date, an ambiguous 3/4).

    The handler shows ``question`` with one button per proposed reading; the button value
    carries what to store, so nothing is written until the user confirms.
    """

    question: str = ""
    choices: Sequence[tuple[str, str]] = ()  # (button label, value to resubmit)

    def __post_init__(self) -> None:
        ClerkError.__init__(self, self.question)
