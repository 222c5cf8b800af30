"""Who may do what, in one table every handler consults.

Money and client personal details are confidential: the balance rules here decide what a
reply may contain, and a refusal never says whether the client exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.errors import PermissionDenied
from storage.models.enums import Role


class Capability(StrEnum):
    MANAGE_FIRM = "manage firm settings, roles, channels and holidays"
    VIEW_AUDIT = "read the audit log"
    WRITE_CLIENTS = "add or edit clients"
    READ_CLIENTS = "look up clients"
    WRITE_MATTERS = "open or close matters"
    CHECK_CONFLICTS = "search for conflicts of interest"
    LOG_CONTACTS = "log client contacts"
    MANAGE_DEADLINES = "add or change deadlines"
    VIEW_ALL_BALANCES = "see every client's balance"
    VIEW_OWN_BALANCES = "see the balances of your own clients"
    MANAGE_BILLING = "record invoices, payments, payment plans, disputes and escalation"
    VIEW_OVERDUE = "see the overdue accounts list"
    VIEW_REPORTS = "run firm reports"
    # Ranks clients by what they pay: the firm's most commercial view, for partners and admins.
    VIEW_CLIENT_ANALYSIS = "run the client analysis"


_PRACTICE = {
    Capability.READ_CLIENTS,
    Capability.WRITE_CLIENTS,
    Capability.WRITE_MATTERS,
    Capability.CHECK_CONFLICTS,
    Capability.LOG_CONTACTS,
    Capability.MANAGE_DEADLINES,
}

GRANTS: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.PARTNER: frozenset(Capability) - {Capability.MANAGE_FIRM, Capability.VIEW_AUDIT},
    Role.LAWYER: frozenset(_PRACTICE | {Capability.VIEW_OWN_BALANCES}),
    Role.STAFF: frozenset(_PRACTICE),
    Role.BILLING: frozenset(
        {
            Capability.READ_CLIENTS,
            # collection calls and letters are client contacts, logged like any other
            Capability.LOG_CONTACTS,
            Capability.VIEW_ALL_BALANCES,
            Capability.MANAGE_BILLING,
            Capability.VIEW_OVERDUE,
            Capability.VIEW_REPORTS,
        }
    ),
}


DEACTIVATED = (
    "Your Slack account is deactivated, so Clerk no longer acts for it and nothing was done. "
    "Ask a Clerk admin if this is a mistake."
)


@dataclass(frozen=True)
class Actor:
    """The person behind a request, as every service sees them."""

    slack_id: str
    user_id: int
    role: Role
    tz: str | None
    name: str
    # False once Slack reports the member deactivated: Clerk then acts for them in nothing.
    active: bool = True

    def can(self, capability: Capability) -> bool:
        return self.active and capability in GRANTS[self.role]

    def require(self, capability: Capability) -> None:
        if not self.active:
            raise PermissionDenied(DEACTIVATED)
        if not self.can(capability):
            raise PermissionDenied(
                f"Sorry, your role ({self.role.value}) does not allow you to "
                f"{capability.value}. Ask a Clerk admin if you need it."
            )

    def may_see_balance_of(self, responsible_lawyer_id: int | None) -> bool:
        if self.can(Capability.VIEW_ALL_BALANCES):
            return True
        return self.can(Capability.VIEW_OWN_BALANCES) and responsible_lawyer_id == self.user_id


def describe_role(role: Role) -> str:
    """A one-line summary for /clerk whoami and /clerk help."""
    caps = sorted(c.value for c in GRANTS[role])
    return "; ".join(caps)
