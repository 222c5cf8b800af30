"""The Block Kit toolkit keeps every message within Slack's limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.kernel import blocks


@given(st.text(max_size=5000))
def test_any_text_fits_a_section_and_a_header(text: str) -> None:
    message = blocks.message("x", blocks.header(text or "x"), blocks.section(text or "x"))
    blocks.validate(message.blocks)


@given(st.integers(min_value=0, max_value=400))
def test_long_lists_are_paged_under_fifty_blocks(count: int) -> None:
    rows = [blocks.section(f"row {i}") for i in range(count)]
    pages = blocks.paginate("Overdue accounts", rows, lead=[blocks.context("lead")])
    assert sum(len(p.blocks) for p in pages) - len(pages) - 1 == count
    for page in pages:
        blocks.validate(page.blocks)
        assert page.text


def test_user_text_cannot_forge_a_mention() -> None:
    assert blocks.escape("<@U123> & <!channel>") == "&lt;@U123&gt; &amp; &lt;!channel&gt;"


def test_a_button_value_over_slacks_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        blocks.button("Confirm", "x", "v" * 2001)


def test_more_than_fifty_blocks_in_one_message_is_refused() -> None:
    with pytest.raises(ValueError):
        blocks.message("x", [blocks.divider()] * 51)
