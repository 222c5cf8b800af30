"""Every message /deadline builds fits Slack's limits, however long the list or chain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates.court import CourtCalendar
from bot.rules.apply import compute_chain
from bot.rules.loader import load_rule_sets
from handlers.deadlines import ruleset_views as rviews
from handlers.deadlines import views
from handlers.kernel import blocks
from storage.models import Deadline, Matter, User
from tests.deadlines.conftest import NY

TODAY = date(2026, 11, 18)
MATTER = Matter(id=1, code="ACME-1", client_id=1, number=1, title="Acme v. Widget", opened_on=TODAY)
LENA = User(id=1, slack_id="U_LENA", name="lena", real_name="Lena Lawyer")
NAMES = views.Names({1: MATTER.code}, {1: LENA.slack_id})


def deadline(i: int, offset: int, *, timed: bool = False, title: str = "Brief") -> Deadline:
    day = TODAY + timedelta(days=offset)
    return Deadline(
        id=i,
        matter_id=1,
        title=title,
        due_on=day,
        due_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC) if timed else None,
        responsible_id=1,
        is_trigger=False,
        citation="FRCP 12(a)(1)(A)(i)" if i % 3 == 0 else None,
    )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-30, 400), st.booleans(), st.text(min_size=1, max_size=500)),
        max_size=400,
    )
)
def test_any_list_fits_in_at_most_five_replies(items: list[tuple[int, bool, str]]) -> None:
    rows = [deadline(i + 1, off, timed=t, title=title) for i, (off, t, title) in enumerate(items)]
    rows.sort(key=lambda d: (d.due_on, d.id))
    pages = views.list_pages("Your open deadlines", rows, NAMES, NY, TODAY, empty="none")
    assert 1 <= len(pages) <= 5
    for page in pages:
        blocks.validate(page.blocks)
    if len(rows) > views.MAX_LISTED:
        assert "showing the first" in str(pages[0].blocks)


def test_missed_deadlines_come_first_and_days_are_grouped() -> None:
    rows = [deadline(1, -2, title="Late one"), deadline(2, 0), deadline(3, 0, timed=True)]
    (page,) = views.list_pages("Mine", rows, NAMES, NY, TODAY, empty="none")
    text = str(page.blocks)
    assert text.index("Missed") < text.index("Late one") < text.index("today")
    assert "10:00 AM EST" in text


def test_a_user_title_cannot_forge_a_mention() -> None:
    (page,) = views.list_pages(
        "Mine", [deadline(1, 1, title="<!channel> hi")], NAMES, NY, TODAY, empty="none"
    )
    assert "<!channel>" not in str(page.blocks)


def test_every_frcp_preview_fits_and_keeps_its_buttons() -> None:
    book = load_rule_sets(None)
    calendar = CourtCalendar("US")
    for ruleset in book.sets():
        for trigger in ruleset.triggers:
            chain = compute_chain(
                book, ruleset.name, trigger.id, date(2026, 12, 17), calendar, by_mail=True
            )
            message = rviews.apply_preview(chain, MATTER, "tok", reading="read", today=TODAY)
            blocks.validate(message.blocks)
            ids = [
                e["action_id"]
                for b in message.blocks
                if b["type"] == "actions"
                for e in b["elements"]
            ]
            assert ids == [rviews.RulesetAction.APPLY_CONFIRM, rviews.RulesetAction.APPLY_CANCEL]


def test_rule_listings_fit() -> None:
    book = load_rule_sets(None)
    for page in rviews.rule_sets(book) + rviews.rule_set(book.get("frcp")):
        blocks.validate(page.blocks)
