"""What the demo prints: Block Kit and recorded calls as a person would read them in Slack."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.tools.standin.render import describe_call, mrkdwn, render_message, render_view
from bot.tools.standin.server import SlackStandIn

USERS = {"U_LENA": "lena", "U_MARK": "mark"}


def _button(text: str, action_id: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


DEADLINE_MESSAGE: dict[str, Any] = {
    "text": "Answer due Mon 1 Dec in Smith v. Jones",
    "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "Deadlines this week"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*Smith v. Jones*: answer due, for <@U_LENA> in <#C_DEADLINES|deadlines>"
                "\nFees &lt; $500 &amp; costs",
            },
            "accessory": _button("Open", "open"),
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Due*\nMon 1 Dec 2026"},
                {"type": "mrkdwn", "text": "*Matter*\n<https://clerk.example/m/42|2026-0042>"},
            ],
        },
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "FRCP 12(a) :warning:"},
                {"type": "plain_text", "text": "computed by Clerk"},
            ],
        },
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [_button("Mark done", "done"), _button("Snooze reminder 1 day", "snooze")],
        },
    ],
}

EXPECTED = """\
Deadlines this week
═══════════════════
*Smith v. Jones*: answer due, for @lena in #deadlines  [ Open ]
Fees < $500 & costs
  Due: Mon 1 Dec 2026
  Matter: 2026-0042 (https://clerk.example/m/42)
  · FRCP 12(a) ⚠  computed by Clerk
────────────────────────────────────────
[ Mark done ]  [ Snooze reminder 1 day ]"""


def test_a_representative_message_renders_exactly() -> None:
    assert render_message(DEADLINE_MESSAGE, USERS) == EXPECTED


def test_without_blocks_the_text_is_shown() -> None:
    assert render_message({"text": "Saved for <@U_MARK>."}, USERS) == "Saved for @mark."


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("<@U_LENA> and <@U_NOBODY>", "@lena and @U_NOBODY"),
        ("<@U_X|xavier>", "@xavier"),
        ("<#C1|billing> <#C_DEADLINES>", "#billing #deadlines"),
        (
            "<https://x.example/a?b=1&amp;c=2|the docket>",
            "the docket (https://x.example/a?b=1&c=2)",
        ),
        ("<https://x.example>", "https://x.example"),
        ("<mailto:ada@firm.example|ada@firm.example>", "ada@firm.example"),
        ("<!here> <!subteam^S1|@lawyers>", "@here @lawyers"),
        ("<!date^1700000000^{date_short}|Nov 14, 2023>", "Nov 14, 2023"),
        ("a &lt;b&gt; &amp;amp; *bold* _it_", "a <b> &amp; *bold* _it_"),
    ],
)
def test_mrkdwn(source: str, shown: str) -> None:
    assert mrkdwn(source, USERS, {"C_DEADLINES": "deadlines"}) == shown


def test_a_modal_renders_title_inputs_and_buttons() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Log a contact"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Summary"},
                "hint": {"type": "plain_text", "text": "one line"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            },
            {
                "type": "input",
                "optional": True,
                "label": {"type": "plain_text", "text": "Follow up on"},
                "element": {"type": "datepicker", "initial_date": "2026-12-01"},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Lawyer"},
                "element": {"type": "users_select", "initial_user": "U_MARK"},
            },
        ],
    }
    assert render_view(view, USERS) == (
        "Log a contact\n"
        "═════════════\n"
        "Summary: ____ (one line)\n"
        "Follow up on (optional): 2026-12-01\n"
        "Lawyer: @mark\n"
        "[ Cancel ]  [ Save ]"
    )


def test_rich_text_and_images_best_effort() -> None:
    blocks = [
        {"type": "image", "image_url": "https://x.example/a.png", "alt_text": "aging chart"},
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [
                        {"type": "text", "text": "Hi "},
                        {"type": "user", "user_id": "U_LENA"},
                        {"type": "text", "text": " overdue", "style": {"bold": True}},
                    ],
                },
                {
                    "type": "rich_text_list",
                    "style": "ordered",
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": "a"}]},
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": "b"}]},
                    ],
                },
            ],
        },
    ]
    assert render_message({"blocks": blocks}, USERS) == (
        "[image: aging chart]\nHi @lena *overdue*\n1. a\n2. b"
    )


def test_describe_calls_as_a_person_sees_them(client: WebClient, standin: SlackStandIn) -> None:
    client.auth_test()
    dm = client.conversations_open(users="U_LENA")["channel"]["id"]
    client.users_info(user="U_LENA")
    client.chat_postMessage(channel=dm, text="Your deadline is *tomorrow*.")
    client.chat_postMessage(channel="C_DEADLINES", **DEADLINE_MESSAGE)
    client.chat_postEphemeral(channel="C_DEADLINES", user="U_MARK", text="Only you see this")
    client.views_open(
        trigger_id="1.t",
        view={
            "type": "modal",
            "title": {"type": "plain_text", "text": "Log a contact"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Nothing yet"}}],
        },
    )
    client.files_upload_v2(channel=dm, content="BEGIN:VCALENDAR", filename="deadlines.ics")
    shown = [describe_call(call, {"U_LENA": "lena"}) for call in standin.calls()]
    assert [s for s in shown if s is not None] == [
        "── DM to @lena (from Clerk) ──\nYour deadline is *tomorrow*.",
        "── #deadlines ──\n" + EXPECTED,
        "── only visible to @mark, in #deadlines ──\nOnly you see this",
        "── modal: Log a contact ──\nNothing yet\n[ Close ]",
        "── file uploaded to DM with @lena: deadlines.ics ──",
    ]
    invisible = [c.method for c, s in zip(standin.calls(), shown, strict=True) if s is None]
    assert invisible == [
        "auth.test",
        "conversations.open",
        "users.info",
        "files.getUploadURLExternal",
        "upload_url",
    ]


def test_a_failed_post_is_not_described(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C_DEADLINES", text="lost")
    (call,) = standin.calls("chat.postMessage")
    assert describe_call(call, USERS) is None
