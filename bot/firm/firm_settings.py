"""Firm settings an admin changes from Slack (``/clerk settings KEY VALUE``).

Environment variables give the starting values; a value set from Slack is stored in
``firm_settings`` and wins, so a firm can move its digest channel without a redeploy.
Every key is declared here with its type and a validator, so nothing unreadable is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dates.format import format_day
from bot.errors import Conflict, InvalidInput, NotFound
from bot.permissions import Actor, Capability
from bot.settings import Settings
from bot.text import channel_id
from storage.db import Database
from storage.models import ClosureDay, FirmSetting


def _channel(value: str) -> str:
    found = channel_id(value)
    if not found:
        raise InvalidInput(f"'{value}' is not a channel: pick one with #, e.g. #deadlines.")
    return found


def _time(value: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise InvalidInput(f"'{value}' is not a time of day: use 24-hour HH:MM, e.g. 08:00.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _days_list(value: str) -> list[int]:
    try:
        days = sorted(
            {int(part) for part in re.split(r"[,\s]+", value.strip()) if part}, reverse=True
        )
    except ValueError as exc:
        raise InvalidInput(f"'{value}' is not a list of days, e.g. 30,14,7,3,1,0.") from exc
    if not days or any(d < 0 or d > 365 for d in days):
        raise InvalidInput("Reminder days must be between 0 and 365.")
    return days


def _positive_int(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1 or int(value) > 3650:
        raise InvalidInput(f"'{value}' must be a whole number of days between 1 and 3650.")
    return int(value)


def _days_or_off(value: str) -> int:
    """A number of days from 0 (off) to 3650."""
    if not value.strip().isdigit() or int(value) > 3650:
        raise InvalidInput(f"'{value}' must be a whole number of days from 0 (off) to 3650.")
    return int(value)


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("on", "yes", "true", "1"):
        return True
    if lowered in ("off", "no", "false", "0"):
        return False
    raise InvalidInput(f"'{value}' must be on or off.")


def _firm_name(value: str) -> str:
    """The name client notices sign with: shown as written, so no Slack markup in it."""
    name = " ".join(value.split())
    if not name or len(name) > 200 or "<" in name or ">" in name:
        raise InvalidInput("A firm name is 1 to 200 characters, without < or >.")
    return name


@dataclass(frozen=True)
class SettingSpec:
    key: str
    description: str
    parse: Callable[[str], Any]
    default: Callable[[Settings], Any]


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "deadlines_channel",
            "where the morning deadline digest is posted",
            _channel,
            lambda s: s.deadlines_channel,
        ),
        SettingSpec(
            "billing_channel",
            "the only channel overdue accounts are posted to",
            _channel,
            lambda s: s.billing_channel,
        ),
        SettingSpec(
            "reports_channel",
            "where weekly and monthly reports go",
            _channel,
            lambda s: s.reports_channel,
        ),
        SettingSpec("digest_time", "deadline digest time", _time, lambda s: "08:00"),
        SettingSpec(
            "post_matter_follow_up_days",
            "days after a client's last open matter closes that its lawyer follows up "
            "(after-care; 0: off)",
            _days_or_off,
            lambda s: 30,
        ),
        SettingSpec("overdue_time", "overdue accounts post time", _time, lambda s: "08:30"),
        SettingSpec(
            "report_time",
            "weekly (Mondays) and monthly (the 1st) report time",
            _time,
            lambda s: "07:30",
        ),
        SettingSpec(
            "reminder_days",
            "days before a deadline that the responsible lawyer is reminded",
            _days_list,
            lambda s: [30, 14, 7, 3, 1, 0],
        ),
        SettingSpec(
            "escalation_reminder", "days overdue for stage 1 (reminder)", _positive_int, lambda s: 1
        ),
        SettingSpec(
            "escalation_formal_notice",
            "days overdue for stage 2 (formal notice)",
            _positive_int,
            lambda s: 30,
        ),
        SettingSpec(
            "escalation_partner_review",
            "days overdue for stage 3 (partner review)",
            _positive_int,
            lambda s: 60,
        ),
        SettingSpec(
            "escalation_collections",
            "days overdue for stage 4 (legal action / collections)",
            _positive_int,
            lambda s: 90,
        ),
        SettingSpec(
            "key_client_cadence_days",
            "default days between contacts with a key client",
            _positive_int,
            lambda s: 30,
        ),
        SettingSpec(
            "firm_name",
            "the firm's name, as the client notices (`/balance notice`) sign it",
            _firm_name,
            lambda s: "",
        ),
        SettingSpec(
            "post_empty_digests",
            "post a digest even when nothing is due",
            _bool,
            lambda s: False,
        ),
    )
}


class FirmSettings:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def get(self, key: str, session: Session | None = None) -> Any:
        """The setting's value: read in ``session`` when the caller has one (a job's unit of
        work reads its settings in its own snapshot, and a reading session of its own cost a
        pool checkout, a ping and a transaction: its two reads were 0.5-1.2 ms of a small
        firm's 4.9 ms reminder build on PostgreSQL), else in a short read of its own."""
        spec = SPECS[key]
        if session is not None:
            row = session.get(FirmSetting, key)
        else:
            with self._db.reading() as own:
                row = own.get(FirmSetting, key)
        return row.value if row is not None else spec.default(self._settings)

    def all(self) -> dict[str, Any]:
        with self._db.reading() as session:
            stored = {row.key: row.value for row in session.scalars(select(FirmSetting))}
        return {key: stored.get(key, spec.default(self._settings)) for key, spec in SPECS.items()}

    def set(self, by: Actor, key: str, raw_value: str) -> Any:
        by.require(Capability.MANAGE_FIRM)
        spec = SPECS.get(key.lower())
        if spec is None:
            raise NotFound(f"There is no setting '{key}'. Settings: {', '.join(SPECS)}.")
        value = spec.parse(raw_value)
        with self._db.unit_of_work(by.slack_id) as session:
            row = session.get(FirmSetting, spec.key)
            if row is None:
                session.add(FirmSetting(key=spec.key, value=value))
            else:
                row.value = value
        return value

    def closures(self) -> list[ClosureDay]:
        with self._db.reading() as session:
            return list(
                session.scalars(
                    select(ClosureDay).where(ClosureDay.active.is_(True)).order_by(ClosureDay.day)
                )
            )

    def add_closure(self, by: Actor, day: date, name: str) -> ClosureDay:
        by.require(Capability.MANAGE_FIRM)
        if not name.strip():
            raise InvalidInput(
                "Give the closure a name, e.g. /clerk holiday add Dec 24 Office closed"
            )
        with self._db.unit_of_work(by.slack_id) as session:
            existing = session.scalars(select(ClosureDay).where(ClosureDay.day == day)).first()
            if existing is not None and existing.active:
                raise Conflict(f"{format_day(day)} is already a closure day ({existing.name}).")
            if existing is not None:
                existing.active = True
                existing.name = name.strip()
                return existing
            closure = ClosureDay(day=day, name=name.strip()[:200])
            session.add(closure)
            session.flush()
            return closure
