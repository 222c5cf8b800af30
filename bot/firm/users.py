"""Firm members: created on first sight, with their Slack profile refreshed once a day.

The Slack call that reads a profile is injected (``ProfileSource``) so this module stays free
of Slack I/O and is tested with a plain function.

A member Slack reports deactivated (``deleted``), on the daily refresh or as soon as Slack
says so (a ``user_change`` event), loses their Clerk role: marked inactive and set back to
the default role, so nothing they could do survives them, not even once they are
reactivated (an admin grants the role again). Clerk then acts for them in nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import ClerkError, InvalidInput, NotFound, PermissionDenied
from bot.permissions import DEACTIVATED, GRANTS, Actor, Capability
from storage.base import chunks
from storage.db import Database
from storage.models import Role, User

PROFILE_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Profile:
    slack_id: str
    name: str
    real_name: str
    tz: str | None
    is_bot: bool = False
    deleted: bool = False


ProfileSource = Callable[[str], Profile | None]  # None: no such user in the workspace


class ProfileUnavailable(Exception):
    """Slack could not be asked right now (network, rate limit): not proof of absence."""


def to_actor(user: User) -> Actor:
    return Actor(
        slack_id=user.slack_id,
        user_id=user.id,
        role=user.role,
        tz=user.tz,
        name=user.display,
        active=user.is_active,
    )


class UserDirectory:
    def __init__(
        self,
        db: Database,
        profiles: ProfileSource,
        admins: Iterable[str],
        now: Callable[[], datetime],
    ) -> None:
        self._db = db
        self._profiles = profiles
        self._admins = frozenset(admins)
        self._now = now

    def actor(self, slack_id: str) -> Actor:
        """The person making a request; created with the default role on first sight.

        A member Slack reports deactivated is refused here, before any request of theirs
        reads or writes anything.
        """
        found = self._ensure(slack_id, must_exist=False)
        if not found.active:
            raise PermissionDenied(DEACTIVATED)
        return found

    def member(self, slack_id: str) -> Actor:
        """A person named in a command (``@lena``): must be a real, active workspace member."""
        return self._ensure(slack_id, must_exist=True)

    def _fresh(self, user: User) -> bool:
        checked = user.profile_checked_at
        return checked is not None and self._now() - checked < PROFILE_TTL

    def _ensure(self, slack_id: str, *, must_exist: bool) -> Actor:
        gone = f"<@{slack_id}> is not an active member of this workspace."
        with self._db.reading() as session:
            user = self._by_slack_id(session, slack_id)
            if user is not None and self._fresh(user):
                if must_exist and not user.is_active:
                    raise NotFound(gone)
                return to_actor(user)
        deactivated = False
        try:
            profile = self._profiles(slack_id)
        except ProfileUnavailable as exc:
            if user is not None:
                if must_exist and not user.is_active:
                    raise NotFound(gone) from exc
                return to_actor(user)  # a stale profile beats refusing the request
            if must_exist:
                raise ClerkError(
                    f"I couldn't check <@{slack_id}> with Slack just now; please try again."
                ) from exc
            profile = None  # the requester exists (Slack sent the request); read it later
        else:
            if profile is None or profile.deleted or profile.is_bot:
                deactivated = profile is not None and profile.deleted
                if must_exist:
                    if deactivated:
                        self.deactivate(slack_id)
                    raise NotFound(gone)
                profile = None
        try:
            actor = self._store(slack_id, profile)
        except IntegrityError:
            # Another request created the same user a moment ago: read theirs.
            with self._db.reading() as session:
                user = self._by_slack_id(session, slack_id)
                assert user is not None
                actor = to_actor(user)
        if deactivated:  # the daily refresh found the member deactivated: the role goes
            self.deactivate(slack_id)
            actor = replace(actor, role=Role.STAFF, active=False)
        return actor

    def _store(self, slack_id: str, profile: Profile | None) -> Actor:
        with self._db.unit_of_work("system") as session:
            user = self._by_slack_id(session, slack_id)
            if user is None:
                role = Role.ADMIN if slack_id in self._admins else Role.STAFF
                user = User(slack_id=slack_id, role=role)
                session.add(user)
            if profile is not None:
                _read_profile(user, profile, self._now())
            session.flush()
            return to_actor(user)

    def deactivate(self, slack_id: str) -> bool:
        """Revoke a member Slack reports deactivated: inactive, and back to the default role.

        Nothing happens for someone Clerk has never seen. True when this changed the member
        (the unit of work audits it, as ``system``).
        """
        with self._db.unit_of_work("system") as session:
            user = self._by_slack_id(session, slack_id)
            if user is None:
                return False
            changed = user.is_active or user.role is not Role.STAFF
            user.is_active = False
            user.role = Role.STAFF
            user.profile_checked_at = self._now()
            session.flush()
            return changed

    def note_profile(self, profile: Profile) -> None:
        """A profile Slack pushed (``user_change``): a deactivation revokes at once; any other
        change is kept for a member Clerk already knows (nobody else is added)."""
        if profile.deleted:
            self.deactivate(profile.slack_id)
            return
        with self._db.unit_of_work("system") as session:
            user = self._by_slack_id(session, profile.slack_id)
            if user is not None and not profile.is_bot:
                _read_profile(user, profile, self._now())

    @staticmethod
    def _by_slack_id(session: Session, slack_id: str) -> User | None:
        return session.scalars(select(User).where(User.slack_id == slack_id)).one_or_none()

    def set_role(self, by: Actor, slack_id: str, role_name: str) -> Actor:
        by.require(Capability.MANAGE_FIRM)
        try:
            role = Role(role_name.lower())
        except ValueError as exc:
            raise InvalidInput(
                f"'{role_name}' is not a role. Roles: {', '.join(r.value for r in Role)}."
            ) from exc
        target = self.member(slack_id)
        if target.slack_id == by.slack_id and role is not Role.ADMIN:
            raise InvalidInput("You can't remove your own admin role; ask another admin.")
        with self._db.unit_of_work(by.slack_id) as session:
            user = session.get(User, target.user_id)
            assert user is not None
            user.role = role
            session.flush()
            return to_actor(user)

    def seed_admins(self) -> None:
        """Make sure every CLERK_ADMINS id is an admin (profiles are read on first sight)."""
        if not self._admins:
            return
        with self._db.unit_of_work("system") as session:
            existing = {
                u.slack_id: u
                for u in session.scalars(select(User).where(User.slack_id.in_(self._admins)))
            }
            for slack_id in sorted(self._admins):
                user = existing.get(slack_id)
                if user is None:
                    session.add(User(slack_id=slack_id, role=Role.ADMIN))
                elif user.role is not Role.ADMIN:
                    user.role = Role.ADMIN


def _read_profile(user: User, profile: Profile, now: datetime) -> None:
    """Keep what Slack says of an active member (a reactivated one is active again, with
    the default role ``deactivate`` left them)."""
    user.name = profile.name
    user.real_name = profile.real_name
    user.tz = profile.tz or user.tz
    user.is_active = True
    user.profile_checked_at = now


# Either lets a member read the money of the clients they are responsible for.
_READS_OWN_MONEY = (Capability.VIEW_OWN_BALANCES, Capability.VIEW_ALL_BALANCES)


def money_readers(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The Slack ids of those of these users who may read the balances of the clients they
    are responsible for: active members whose role shows money (a lawyer, a partner, an
    admin, billing).

    Every proactive message that carries a client's money (a credit-limit or retainer warning,
    a collections stage change) goes to the client's responsible lawyer only through this:
    a responsible member whose role shows no money (staff), or who has left the workspace, is
    told nothing that ``/balance`` would refuse them.
    """
    wanted = sorted({i for i in user_ids if i is not None})
    found: dict[int, str] = {}
    for part in chunks(wanted):
        rows = session.execute(
            select(User.id, User.slack_id, User.role).where(
                User.id.in_(part), User.is_active.is_(True)
            )
        )
        for user_id, slack_id, role in rows:
            grants = GRANTS[role]
            if any(capability in grants for capability in _READS_OWN_MONEY):
                found[user_id] = slack_id
    return found


def slack_ids_by_id(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The Slack ids of these users (``None`` skipped), in one read per thousand ids: lines
    and messages name people by their Slack id, and loading a whole ``User`` for each cost
    more than the rest of a long list."""
    found: dict[int, str] = {}
    for part in chunks(sorted({i for i in user_ids if i is not None})):
        rows = session.execute(select(User.id, User.slack_id).where(User.id.in_(part)))
        found.update({user_id: slack_id for user_id, slack_id in rows})
    return found
