"""Reading ``/deadline list`` scopes: mine, @user, client, matter, all, next N days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.deadlines.lists import ListRequest, read_list_words, window_days
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ListRequest("mine", None, None)),
        ("mine", ListRequest("mine", None, None)),
        ("mine next 14 days", ListRequest("mine", None, 14)),
        ("next 7 days", ListRequest("mine", None, 7)),
        ("next 1 day", ListRequest("mine", None, 1)),
        ("next week", ListRequest("mine", None, None, window="next week")),
        ("<@U_MARK|mark>", ListRequest("user", "U_MARK", None)),
        ("<@U_MARK> next 30 days", ListRequest("user", "U_MARK", 30)),
        ("ACME", ListRequest("client", "ACME", None)),
        ("acme-2 NEXT 10 DAYS", ListRequest("matter", "acme-2", 10)),
        ("all", ListRequest("firm", None, None)),
        ("@mark", ListRequest("handle", "mark", None)),
        ("missed", ListRequest("mine", None, None, missed_only=True)),
        ("all overdue", ListRequest("firm", None, None, missed_only=True)),
        ("ACME-1 past due", ListRequest("matter", "ACME-1", None, missed_only=True)),
        ("this week", ListRequest("mine", None, None, window="this week")),
        ("<@U_MARK> today", ListRequest("user", "U_MARK", None, window="today")),
        ("ACME this month", ListRequest("client", "ACME", None, window="this month")),
    ],
)
def test_list_words(text: str, expected: ListRequest) -> None:
    assert read_list_words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ACME GLOBEX",
        "mine next 0 days",
        "next 99999 days",
        "ACME-1 and more",
        "missed next 7 days",
        "overdue today",
    ],
)
def test_unreadable_list_words_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        read_list_words(text)


@given(st.integers(min_value=1, max_value=3660), st.sampled_from(["", "mine ", "ACME ", "X-1 "]))
def test_any_window_is_read(days: int, scope: str) -> None:
    assert read_list_words(f"{scope}next {days} days").days == days


@pytest.mark.parametrize(
    ("window", "expected"),
    [("today", 0), ("tomorrow", 1), ("this week", 4), ("this month", 12), ("next week", 7)],
)
def test_named_windows_from_a_wednesday(window: str, expected: int) -> None:
    assert window_days(window, date(2026, 11, 18)) == expected
