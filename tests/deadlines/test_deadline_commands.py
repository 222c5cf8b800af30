"""/deadline through signed HTTP requests: add, confirmations, list, done, move, cancel."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from handlers.deadlines import views
from handlers.kernel.ids import Action
from storage.models import AuditLog, Deadline, DeadlineStatus, Matter, User
from tests.deadlines.conftest import NY, counts, deadlines
from tests.deadlines.helpers import buttons, last, press, refusal, shown
from tests.harness import Harness


def user_id(h: Harness, slack_id: str) -> int:
    with h.db.reading() as s:
        return s.scalars(select(User.id).where(User.slack_id == slack_id)).one()


# --- adding --------------------------------------------------------------------------------


def test_an_all_day_deadline_is_stored_with_how_it_was_read(clerk_at: Harness) -> None:
    h = clerk_at
    reply = last(h.slack.command("U_SAM", "/deadline", "ACME-1 Reply brief on Dec 3"))
    assert reply["response_type"] == "ephemeral"
    assert "Thu 3 Dec 2026" in reply["text"] and "(all day)" in reply["text"]
    (d,) = deadlines(h.db)
    assert (d.title, d.due_on, d.due_at) == ("Reply brief", date(2026, 12, 3), None)
    assert d.responsible_id == user_id(h, "U_LENA")  # the client's lawyer (no matter lawyer)
    assert d.created_by_id == user_id(h, "U_SAM")
    assert d.source_text == "ACME-1 Reply brief on Dec 3" and d.explanation
    assert d.explanation in shown(reply)
    with h.db.reading() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.entity == "deadlines")).all()
    assert [(a.actor, a.action) for a in audit] == [("U_SAM", "create")]


def test_slack_escaping_is_undone_once_before_the_title_is_stored(clerk_at: Harness) -> None:
    """Slack sends ``&``, ``<`` and ``>`` typed by a person as ``&amp;``, ``&lt;``, ``&gt;``."""
    h = clerk_at
    typed = "ACME-1 Smith &amp; Jones reply &lt;draft&gt; on Dec 3"
    reply = last(h.slack.command("U_SAM", "/deadline", typed))
    (d,) = deadlines(h.db)
    assert d.title == "Smith & Jones reply <draft>"
    assert d.source_text == "ACME-1 Smith & Jones reply <draft> on Dec 3"
    assert "&amp;amp;" not in reply["text"]


def test_a_time_makes_it_a_timed_deadline(clerk_at: Harness) -> None:
    h = clerk_at
    reply = last(h.slack.command("U_LENA", "/deadline", "ACME-2 Hearing on Dec 3 10am"))
    (d,) = deadlines(h.db)
    assert d.due_at == datetime(2026, 12, 3, 10, 0, tzinfo=NY)
    assert d.due_on == date(2026, 12, 3)
    assert d.responsible_id == user_id(h, "U_MARK")  # the matter's lawyer
    assert "10:00 AM" in reply["text"]


def test_a_rule_based_date_shows_its_computation(clerk_at: Harness) -> None:
    h = clerk_at
    reply = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Opposition 21 days after Nov 20"))
    (d,) = deadlines(h.db)
    assert d.due_on == date(2026, 12, 11) and d.title == "Opposition"
    assert "21 days after Fri 20 Nov 2026" in shown(reply) and "Fri 11 Dec 2026" in shown(reply)


def test_court_days_skip_weekends_and_thanksgiving(clerk_at: Harness) -> None:
    h = clerk_at
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Objections 3 court days before Dec 1"))
    (d,) = deadlines(h.db)
    assert d.due_on == date(2026, 11, 25)  # Mon 30, Fri 27 (Thu 26 is Thanksgiving), Wed 25


def test_an_assignee_is_stored_and_told_through_the_outbox(clerk_at: Harness) -> None:
    from storage.models import OutboxMessage

    h = clerk_at
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Exhibits assign <@U_SAM|sam> by Dec 4"))
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Binders assign to @mark by Dec 4"))
    d, binders = deadlines(h.db)
    assert d.assignee_id == user_id(h, "U_SAM") and d.title == "Exhibits"
    assert binders.assignee_id == user_id(h, "U_MARK") and binders.title == "Binders"
    with h.db.reading() as s:
        queued, to_mark = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert queued.target == "U_SAM" and "Exhibits" in queued.payload["text"]
    assert to_mark.target == "U_MARK"


def test_a_past_date_asks_first_and_stores_only_on_confirm(clerk_at: Harness) -> None:
    h = clerk_at
    before = counts(h.db)
    question = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Late filing on 2026-11-02"))
    assert "in the past" in question["text"]
    assert counts(h.db) == before
    done = last(press(h, "U_LENA", question, Action.CONFIRM_READING))
    (d,) = deadlines(h.db)
    assert d.due_on == date(2026, 11, 2)
    assert "Mon 2 Nov 2026" in done["text"]


def test_a_cancelled_question_stores_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    before = counts(h.db)
    question = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Late filing on 2026-11-02"))
    press(h, "U_LENA", question, Action.CANCEL_READING)
    assert counts(h.db) == before


def test_an_ambiguous_numeric_date_offers_each_reading(clerk_at: Harness) -> None:
    h = clerk_at
    before = counts(h.db)
    question = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Brief on 3/4"))
    choices = [b for b in buttons(question) if b["action_id"] == Action.CONFIRM_READING]
    assert len(choices) == 2
    assert counts(h.db) == before
    last(press(h, "U_LENA", question, Action.CONFIRM_READING, index=1))
    (d,) = deadlines(h.db)
    assert d.due_on in (date(2027, 4, 3), date(2027, 3, 4))
    assert d.due_on.isoformat() in choices[1]["value"]


def test_a_timed_deadline_near_another_gets_a_conflict_warning(clerk_at: Harness) -> None:
    h = clerk_at
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Hearing on Dec 3 10am"))
    reply = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Client call on Dec 3 10:30am"))
    assert "conflict" in shown(reply).lower() and "Hearing" in shown(reply)
    assert len(deadlines(h.db)) == 2  # a warning, not a refusal
    calm = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Lunch on Dec 3 1pm"))
    assert "conflict" not in shown(calm).lower()


def test_a_conflict_is_found_for_the_assignee_too(clerk_at: Harness) -> None:
    """Lena attends her own 10:00 hearing; a 10:00 mediation on Mark's matter that she is
    assigned to is a clash for her, even though Mark is its responsible lawyer."""
    h = clerk_at
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Hearing on Dec 3 10am"))
    reply = last(
        h.slack.command(
            "U_MARK", "/deadline", "ACME-2 Mediation session on Dec 3 10am assign <@U_LENA|lena>"
        )
    )
    assert "conflict" in shown(reply).lower() and "Hearing" in shown(reply)
    # Mark's own 10:00 clashes with the mediation he is responsible for, not Lena's hearing
    own = last(h.slack.command("U_MARK", "/deadline", "ACME-2 Expert call on Dec 3 10am"))
    assert "Mediation" in shown(own) and "Hearing" not in shown(own)


def refused(h: Harness, user: str, text: str, expected: str, *, http: bool = False) -> None:
    """Refused with ``expected`` in the reply, and nothing written (deadlines, audit)."""
    before = counts(h.db)
    if http:
        reply = last(h.slack.command(user, "/deadline", text))
        assert reply["response_type"] == "ephemeral"
        text_shown = shown(reply)
    else:
        text_shown = refusal(h, user, text)
    assert expected in text_shown, text_shown
    assert counts(h.db) == before


def test_bad_adds_are_refused_clearly_and_write_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    refused(h, "U_LENA", "ACME-3 Brief on Dec 3", "closed", http=True)
    refused(h, "U_LENA", "ACME-9 Brief on Dec 3", "There is no matter `ACME-9`")
    refused(h, "U_LENA", "ACME Brief on Dec 3", "is a client")
    refused(h, "U_LENA", "ACME-1 Reply brief", "")
    refused(h, "U_LENA", "ACME-1", "title and a date")
    refused(h, "U_LENA", "ACME-1 on Dec 3", "only a date")
    refused(h, "U_LENA", "frobnicate ACME-1", "I don't know `/deadline frobnicate`")
    refused(h, "U_BILL", "ACME-1 Brief on Dec 3", "does not allow")
    refused(h, "U_LENA", "ACME-1 Brief assign <@U_GHOST|ghost> on Dec 3", "not an active member")
    refused(h, "U_LENA", "ACME-1 Brief for <@U_SAM|sam> on Dec 3", "assign @name")
    refused(h, "U_LENA", "ACME-1 " + "x" * 600 + " on Dec 3", "the most is 500")
    refused(h, "U_LENA", "ACME-1 Reply 21 days of Dec 1", "couldn't count the period")
    refused(h, "U_LENA", "ACME-1 Brief assign @nobody on Dec 3", "can't tell who `@nobody` is")


# --- list, done, move, cancel --------------------------------------------------------------


def seed_three(h: Harness) -> None:
    for text in (
        "ACME-1 Reply brief on Dec 3",
        "ACME-2 Lease renewal on Dec 20",
        "ACME-1 Deposition on Feb 10 2027 9am",
    ):
        last(h.slack.command("U_LENA", "/deadline", text))


def test_lists_by_person_client_matter_and_window(clerk_at: Harness) -> None:
    h = clerk_at
    seed_three(h)
    mine = shown(last(h.slack.command("U_LENA", "/deadline", "list")))
    assert "Reply brief" in mine and "Deposition" in mine and "Lease renewal" not in mine
    marks = shown(last(h.slack.command("U_LENA", "/deadline", "list <@U_MARK|mark>")))
    assert "Lease renewal" in marks and "Reply brief" not in marks
    client = shown(last(h.slack.command("U_SAM", "/deadline", "list ACME")))
    assert all(t in client for t in ("Reply brief", "Lease renewal", "Deposition"))
    matter = shown(last(h.slack.command("U_SAM", "/deadline", "list ACME-2")))
    assert "Lease renewal" in matter and "Reply brief" not in matter
    soon = shown(last(h.slack.command("U_LENA", "/deadline", "list mine next 30 days")))
    assert "Reply brief" in soon and "Deposition" not in soon
    billing = shown(last(h.slack.command("U_BILL", "/deadline", "list ACME")))
    assert "Reply brief" in billing  # billing may read, not change
    empty = shown(last(h.slack.command("U_PAUL", "/deadline", "list")))
    assert "no open deadlines" in empty
    by_handle = shown(last(h.slack.command("U_LENA", "/deadline", "list @mark")))
    assert "Lease renewal" in by_handle and "Reply brief" not in by_handle
    november = shown(last(h.slack.command("U_SAM", "/deadline", "list ACME this month")))
    assert "ACME has no open deadlines this month" in november  # the first is on Dec 3


def test_a_list_line_names_its_matter_lawyer_and_assignee(clerk_at: Harness) -> None:
    """The matter code and the people of each line are read with the page, by id: a line
    shows whoever its own deadline names, a second person only when assigned to someone
    else, and a deadline nobody is responsible for says so."""
    h = clerk_at
    lena, mark = user_id(h, "U_LENA"), user_id(h, "U_MARK")
    with h.db.unit_of_work("test") as s:
        acme1, acme2 = s.scalars(select(Matter.id).order_by(Matter.code)).all()[:2]
        s.add_all(
            [
                Deadline(
                    matter_id=acme1,
                    title="Shared",
                    due_on=date(2026, 12, 10),
                    responsible_id=lena,
                    assignee_id=mark,
                ),
                Deadline(
                    matter_id=acme2,
                    title="Own",
                    due_on=date(2026, 12, 11),
                    responsible_id=lena,
                    assignee_id=lena,
                ),
                Deadline(matter_id=acme2, title="Orphan", due_on=date(2026, 12, 12)),
            ]
        )
    (reply,) = h.slack.command("U_SAM", "/deadline", "list ACME").replies
    lines = {
        line.split("*")[1]: line
        for block in reply["blocks"]
        if block["type"] == "section"
        for line in block["text"]["text"].splitlines()
        if line.startswith("• ")
    }
    assert lines["Shared"].endswith("· ACME-1 · <@U_LENA> (assigned <@U_MARK>)")
    assert lines["Own"].endswith("· ACME-2 · <@U_LENA>")  # Mark is named only as assignee
    assert lines["Orphan"].endswith("· ACME-2 · _nobody_")


def test_missed_deadlines_are_listed_on_their_own(clerk_at: Harness) -> None:
    h = clerk_at
    seed_three(h)
    question = last(h.slack.command("U_LENA", "/deadline", "ACME-1 Old filing on 2026-11-02"))
    press(h, "U_LENA", question, Action.CONFIRM_READING)
    missed = shown(last(h.slack.command("U_LENA", "/deadline", "list missed")))
    assert "Old filing" in missed and "Reply brief" not in missed and "Missed" in missed
    everything = shown(last(h.slack.command("U_LENA", "/deadline", "list")))
    assert everything.index("Old filing") < everything.index("Reply brief")


def test_a_long_list_shows_the_first_in_order_and_counts_them_all(clerk_at: Harness) -> None:
    """Only the page a reply can show is read; the count still covers every deadline, and
    the page ends where the list's own order says (an all-day item before a timed one)."""
    h = clerk_at
    lena = user_id(h, "U_LENA")
    first = date(2026, 12, 1)
    shown_limit = views.MAX_LISTED
    with h.db.unit_of_work("test") as s:
        matter = s.scalars(select(Matter.id).where(Matter.code == "ACME-1")).one()

        def add(title: str, day: date, at: datetime | None = None) -> None:
            s.add(
                Deadline(matter_id=matter, title=title, due_on=day, due_at=at, responsible_id=lena)
            )
            s.flush()

        for n in range(shown_limit - 1):
            add(f"Early {n}", first + timedelta(days=n // 4))
        edge = first + timedelta(days=60)
        add("Edge timed", edge, datetime.combine(edge, time(15), tzinfo=NY))  # the lower id
        add("Edge all-day", edge)
        for n in range(10):
            add(f"Late {n}", edge + timedelta(days=n + 1))
    total = shown_limit + 11
    pages = h.slack.command("U_LENA", "/deadline", "list mine").replies
    everything = "\n".join(shown(page) for page in pages)
    assert f"{total} open deadlines; showing the first {shown_limit}" in everything
    assert "Early 0" in everything and "Edge all-day" in everything
    assert "Edge timed" not in everything and "Late 0" not in everything
    assert count_rows(h, Deadline) == total  # reading wrote nothing


def count_rows(h: Harness, model: type) -> int:
    with h.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_done_move_and_cancel(clerk_at: Harness) -> None:
    h = clerk_at
    seed_three(h)
    first, second, third = deadlines(h.db)
    last(h.slack.command("U_SAM", "/deadline", f"done {first.id}"))
    moved = last(h.slack.command("U_LENA", "/deadline", f"move #{second.id} Dec 22"))
    assert "Tue 22 Dec 2026" in moved["text"]
    cancelled = last(h.slack.command("U_LENA", "/deadline", f"cancel {third.id} case settled"))
    assert "case settled" in cancelled["text"]
    a, b, c = deadlines(h.db)
    assert a.status is DeadlineStatus.DONE and a.completed_by_id == user_id(h, "U_SAM")
    assert b.due_on == date(2026, 12, 22) and b.status is DeadlineStatus.OPEN
    assert c.status is DeadlineStatus.CANCELLED and c.cancel_reason == "case settled"
    listed = shown(last(h.slack.command("U_LENA", "/deadline", "list ACME")))
    assert "Lease renewal" in listed and "Reply brief" not in listed


def test_bad_done_move_cancel_are_refused_and_write_nothing(clerk_at: Harness) -> None:
    h = clerk_at
    seed_three(h)
    first = deadlines(h.db)[0]
    refused(h, "U_LENA", "done", "Which deadline?", http=True)
    refused(h, "U_LENA", "done abc", "is not a deadline number")
    refused(h, "U_LENA", "done 999", "There is no deadline #999")
    refused(h, "U_LENA", f"done {first.id} filed", "takes one deadline number")
    refused(h, "U_LENA", f"cancel {first.id}", "Say why")
    refused(h, "U_LENA", f"move {first.id}", "Move it to when?")
    refused(h, "U_LENA", f"move {first.id} whenever-ish", "")
    refused(h, "U_BILL", f"done {first.id}", "does not allow")
    last(h.slack.command("U_LENA", "/deadline", f"done {first.id}"))
    refused(h, "U_LENA", f"done {first.id}", "already marked done")
    refused(h, "U_LENA", f"move {first.id} Dec 9", "already marked done")


def test_a_past_move_asks_first(clerk_at: Harness) -> None:
    h = clerk_at
    seed_three(h)
    first = deadlines(h.db)[0]
    question = last(h.slack.command("U_LENA", "/deadline", f"move {first.id} 2026-11-10"))
    assert "in the past" in question["text"]
    assert deadlines(h.db)[0].due_on == date(2026, 12, 3)
    press(h, "U_LENA", question, Action.CONFIRM_READING)
    assert deadlines(h.db)[0].due_on == date(2026, 11, 10)


def test_help_prints_usage(clerk_at: Harness) -> None:
    reply = last(clerk_at.slack.command("U_LENA", "/deadline", "help"))
    assert "/deadline apply MATTER RULESET TRIGGER DATE" in shown(reply)


def test_moving_a_timed_deadline_keeps_its_time_unless_told_all_day(clerk_at: Harness) -> None:
    h = clerk_at
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Hearing on Dec 3 10am"))
    (hearing,) = deadlines(h.db)
    moved = last(h.slack.command("U_LENA", "/deadline", f"move {hearing.id} Dec 10"))
    (after,) = deadlines(h.db)
    assert after.due_on == date(2026, 12, 10)
    assert after.due_at is not None and after.due_at.astimezone(NY).time() == time(10, 0)
    assert "10:00" in shown(moved)
    # across the end of daylight saving time the wall-clock time is kept, not the offset
    last(h.slack.command("U_LENA", "/deadline", f"move {hearing.id} Mar 15 2027"))
    (summer,) = deadlines(h.db)
    assert summer.due_at is not None and summer.due_at.astimezone(NY).time() == time(10, 0)
    last(h.slack.command("U_LENA", "/deadline", f"move {hearing.id} Dec 11 all day"))
    (all_day,) = deadlines(h.db)
    assert all_day.due_on == date(2026, 12, 11) and all_day.due_at is None
