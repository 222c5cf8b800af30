"""/deadline calendar (an .ics in the DM), the add modal, and deadlines typed in a DM."""

from __future__ import annotations

from datetime import date

from handlers.deadlines.views import DeadlineField, DeadlineView
from handlers.kernel.ids import Action
from tests.deadlines.conftest import counts, deadlines
from tests.deadlines.helpers import button, last, shown
from tests.harness import Harness


def test_calendar_uploads_the_askers_open_deadlines_to_their_dm(clerk_at: Harness) -> None:
    h = clerk_at
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Reply brief on Dec 3"))
    last(h.slack.command("U_LENA", "/deadline", "ACME-1 Hearing on Dec 4 10am"))
    last(h.slack.command("U_LENA", "/deadline", "ACME-2 Mark's lease on Dec 5"))
    ex = h.slack.command("U_LENA", "/deadline", "calendar")
    reply = last(ex)
    assert reply["response_type"] == "ephemeral" and "DM" in reply["text"]
    assert "2 open deadlines" in reply["text"]
    opened = ex.calls_to("conversations.open")
    assert opened and opened[0].params["users"] == "U_LENA"
    (upload,) = ex.calls_to("files.getUploadURLExternal")
    assert upload.params["filename"] == "clerk-deadlines.ics"
    (complete,) = ex.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "DU_LENA"


def test_calendar_with_nothing_open_says_so(clerk_at: Harness) -> None:
    ex = clerk_at.slack.command("U_PAUL", "/deadline", "calendar")
    assert "no open deadlines" in last(ex)["text"]
    assert ex.calls_to("files.getUploadURLExternal") == []


def modal(h: Harness, user: str = "U_SAM") -> dict:
    ex = h.slack.command(user, "/deadline", "", channel_id="C_DEADLINES")
    (opened,) = ex.calls_to("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == DeadlineView.ADD
    return view


def test_the_modal_adds_a_deadline(clerk_at: Harness) -> None:
    h = clerk_at
    view = modal(h)
    ex = h.slack.view_submission(
        "U_SAM",
        view,
        {
            DeadlineField.MATTER: "acme-1",
            DeadlineField.TITLE: "Expert report",
            DeadlineField.DAY: "2026-12-09",
            DeadlineField.TIME: "2pm",
            DeadlineField.ASSIGNEE: "U_MARK",
        },
    )
    assert ex.status == 200
    (d,) = deadlines(h.db)
    assert d.title == "Expert report" and d.due_on == date(2026, 12, 9)
    assert d.due_at is not None and d.due_at.hour == 19  # 2pm in New York, stored in UTC
    posted = ex.calls_to("chat.postEphemeral")
    assert posted and "Expert report" in posted[0].params["text"]


def test_the_modal_keeps_itself_open_with_field_errors(clerk_at: Harness) -> None:
    h = clerk_at
    view = modal(h)
    before = counts(h.db)
    ex = h.slack.view_submission(
        "U_SAM",
        view,
        {DeadlineField.MATTER: "ACME", DeadlineField.TITLE: "", DeadlineField.DAY: "2026-12-09"},
    )
    body = ex.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {DeadlineField.MATTER, DeadlineField.TITLE}
    past = h.slack.view_submission(
        "U_SAM",
        view,
        {DeadlineField.MATTER: "ACME-1", DeadlineField.TITLE: "X", DeadlineField.DAY: "2026-11-01"},
    ).json()
    assert "in the past" in past["errors"][DeadlineField.DAY]
    closed = h.slack.view_submission(
        "U_SAM",
        view,
        {DeadlineField.MATTER: "ACME-3", DeadlineField.TITLE: "X", DeadlineField.DAY: "2026-12-01"},
    ).json()
    assert "closed" in closed["errors"][DeadlineField.MATTER]
    bad_time = h.slack.view_submission(
        "U_SAM",
        view,
        {
            DeadlineField.MATTER: "ACME-1",
            DeadlineField.TITLE: "X",
            DeadlineField.DAY: "2026-12-01",
            DeadlineField.TIME: "teatime-ish",
        },
    ).json()
    assert bad_time["response_action"] == "errors"
    assert counts(h.db) == before


def test_billing_gets_no_modal(clerk_at: Harness) -> None:
    ex = clerk_at.slack.command("U_BILL", "/deadline", "")
    assert ex.calls_to("views.open") == []
    assert "does not allow" in last(ex)["text"]


def test_a_dm_sentence_adds_a_deadline(clerk_at: Harness) -> None:
    h = clerk_at
    ex = h.slack.dm("U_LENA", "ACME-1 reply brief due next Friday")
    (post,) = ex.calls_to("chat.postMessage")
    assert post.params["channel"] == "DU_LENA"
    (d,) = deadlines(h.db)
    assert d.title == "reply brief" and d.due_on.weekday() == 4
    assert d.due_on > date(2026, 11, 18)
    assert d.explanation and d.explanation in shown(post.params)


def test_a_past_date_in_a_dm_asks_with_buttons_and_stores_on_confirm(clerk_at: Harness) -> None:
    h = clerk_at
    ex = h.slack.dm("U_LENA", "ACME-1 missed filing on 2026-11-02")
    (post,) = ex.calls_to("chat.postMessage")
    assert "in the past" in post.params["text"]
    assert deadlines(h.db) == []
    value = button(post.params, Action.CONFIRM_READING)["value"]
    pressed = h.slack.action(
        "U_LENA",
        Action.CONFIRM_READING,
        value,
        channel_id="DU_LENA",
        ephemeral=False,
        message={"ts": "1.0", **post.params},
    )
    assert "Mon 2 Nov 2026" in last(pressed)["text"]
    assert [d.due_on for d in deadlines(h.db)] == [date(2026, 11, 2)]


def test_an_unreadable_dm_about_a_matter_says_what_went_wrong(clerk_at: Harness) -> None:
    h = clerk_at
    ex = h.slack.dm("U_LENA", "ACME-9 reply brief due next Friday")
    (post,) = ex.calls_to("chat.postMessage")
    assert "ACME-9" in post.params["text"]
    assert deadlines(h.db) == []
