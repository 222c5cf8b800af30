"""/clerk: roles, settings and permission refusals."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditLog, FirmSetting, Role
from tests.harness import Harness


def _audit_count(harness: Harness) -> int:
    return harness.count(AuditLog)


def test_an_admin_changes_a_role_and_the_change_is_audited(harness: Harness) -> None:
    exchange = harness.slack.command("U_ADMIN", "/clerk", "role <@U_SAM|sam> billing")
    assert "is now *billing*" in exchange.replies[0]["text"]
    assert harness.user("U_SAM").role is Role.BILLING
    with harness.db.reading() as session:
        row = session.scalars(
            select(AuditLog).where(AuditLog.entity == "users").order_by(AuditLog.id.desc())
        ).first()
    assert row is not None
    assert row.actor == "U_ADMIN"
    assert row.before == {"role": "staff"} and row.after == {"role": "billing"}


def test_a_lawyer_may_not_change_roles_and_nothing_is_written(harness: Harness) -> None:
    before = _audit_count(harness)
    exchange = harness.slack.command("U_LENA", "/clerk", "role <@U_SAM|sam> admin")
    reply = exchange.replies[0]
    assert reply["response_type"] == "ephemeral"
    assert "does not allow" in reply["text"]
    assert harness.user("U_SAM").role is Role.STAFF
    assert _audit_count(harness) == before


def test_an_unknown_role_is_refused_with_the_list(harness: Harness) -> None:
    exchange = harness.slack.command("U_ADMIN", "/clerk", "role <@U_SAM|sam> wizard")
    assert "'wizard' is not a role" in exchange.replies[0]["text"]


def test_a_mention_of_someone_outside_the_workspace_is_refused(harness: Harness) -> None:
    before = _audit_count(harness)
    exchange = harness.slack.command("U_ADMIN", "/clerk", "role <@U_GHOST|ghost> lawyer")
    assert "not an active member" in exchange.replies[0]["text"]
    assert _audit_count(harness) == before


def test_settings_are_listed_and_changed_by_admins_only(harness: Harness) -> None:
    listing = harness.slack.command("U_ADMIN", "/clerk", "settings")
    assert any("digest_time" in str(r["blocks"]) for r in listing.replies)
    changed = harness.slack.command("U_ADMIN", "/clerk", "settings digest_time 7:45")
    assert "07:45" in changed.replies[0]["text"]
    assert harness.clerk.firm.get("digest_time") == "07:45"
    refused = harness.slack.command("U_PAUL", "/clerk", "settings digest_time 06:00")
    assert "does not allow" in refused.replies[0]["text"]
    assert harness.clerk.firm.get("digest_time") == "07:45"


def test_a_bad_setting_value_is_refused_and_not_stored(harness: Harness) -> None:
    exchange = harness.slack.command("U_ADMIN", "/clerk", "settings digest_time 25:00")
    assert "not a time of day" in exchange.replies[0]["text"]
    assert harness.count(FirmSetting) == 0


def test_help_and_unknown_words(harness: Harness) -> None:
    assert "Clerk" in harness.slack.command("U_SAM", "/clerk", "help").replies[0]["text"]
    unknown = harness.slack.command("U_SAM", "/clerk", "frobnicate")
    assert "I don't know `/clerk frobnicate`" in unknown.replies[0]["text"]


def test_overlong_text_is_refused_before_anything_runs(harness: Harness) -> None:
    exchange = harness.slack.command("U_ADMIN", "/clerk", "settings digest_time " + "9" * 5000)
    assert "Clerk reads at most 4,000" in exchange.replies[0]["text"]
    assert harness.count(FirmSetting) == 0


def test_an_admin_adds_a_firm_closure_day_that_court_counting_then_skips(
    harness: Harness,
) -> None:
    from datetime import date

    from storage.models import ClosureDay

    exchange = harness.slack.command("U_ADMIN", "/clerk", "holiday add 2026-12-24 Office closed")
    assert "Thu 24 Dec 2026 is now a firm closure day: Office closed" in exchange.replies[0]["text"]
    assert harness.count(ClosureDay) == 1
    calendar = harness.clerk.court_calendar()
    assert not calendar.is_court_day(date(2026, 12, 24))
    assert calendar.is_court_day(date(2026, 12, 23))
    again = harness.slack.command("U_ADMIN", "/clerk", "holiday add 2026-12-24 Closed again")
    assert "already a closure day" in again.replies[0]["text"]
    assert harness.count(ClosureDay) == 1


def test_closure_days_are_refused_to_non_admins_and_unreadable_dates(harness: Harness) -> None:
    from storage.models import ClosureDay

    refused = harness.slack.command("U_PAUL", "/clerk", "holiday add 2026-12-24 Office closed")
    assert "does not allow" in refused.replies[0]["text"]
    unreadable = harness.slack.command("U_ADMIN", "/clerk", "holiday add someday Office closed")
    assert "couldn't find a date" in unreadable.replies[0]["text"]
    assert harness.count(ClosureDay) == 0
