"""Every Web API method Clerk uses answers a real slack-sdk client in Slack's shapes."""

from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.tools.standin.server import UPLOAD_URL, SlackStandIn

BUTTONS = [
    {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Mark done"},
                "action_id": "done",
                "value": "42",
            }
        ],
    }
]
MODAL = {
    "type": "modal",
    "callback_id": "log_contact",
    "title": {"type": "plain_text", "text": "Log a contact"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "summary",
            "label": {"type": "plain_text", "text": "Summary"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def test_auth_test_names_the_team_and_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T_CLERK"
    assert answer["user_id"] == "U_CLERK"
    assert answer["bot_id"] == "B_CLERK"
    assert answer["user"] == "clerk"


def test_a_missing_or_wrong_token_is_not_authed(standin: SlackStandIn) -> None:
    for token in (None, "xoxp-user-token"):
        with pytest.raises(SlackApiError) as raised:
            WebClient(token=token, base_url=standin.url).auth_test()
        assert raised.value.response["error"] == "not_authed"
    assert [c.status for c in standin.calls("auth.test")] == [200, 200]
    assert not any(c.ok for c in standin.calls())


def test_post_message_answers_increasing_ts_and_keeps_the_message(
    client: WebClient, standin: SlackStandIn
) -> None:
    first = client.chat_postMessage(channel="C_DEADLINES", text="one", blocks=BUTTONS)
    second = client.chat_postMessage(channel="C_DEADLINES", text="two")
    assert first["channel"] == "C_DEADLINES"
    assert first["ts"] == "1700000000.000100"
    assert second["ts"] == "1700000000.000200"
    assert first["message"]["blocks"] == BUTTONS
    assert [m["text"] for m in standin.messages_in("C_DEADLINES")] == ["one", "two"]


def test_posting_to_a_user_id_lands_in_their_dm(client: WebClient) -> None:
    assert client.chat_postMessage(channel="U_LENA", text="hi")["channel"] == "DU_LENA"


def test_post_message_refuses_what_slack_refuses(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised, pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel="C_DEADLINES", text="")
    assert raised.value.response["error"] == "no_text"
    long_header = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_DEADLINES", text="t", blocks=long_header)
    assert raised.value.response["error"] == "invalid_blocks"
    assert "/blocks/0/text/text" in raised.value.response["response_metadata"]["messages"][0]
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_DEADLINES", text="t", blocks=[{"type": "divider"}] * 51)
    assert raised.value.response["error"] == "invalid_blocks"


def test_strict_channels_refuse_a_channel_the_app_is_not_in() -> None:
    with SlackStandIn(strict_channels=True) as strict:
        strict.add_channel("C_DEADLINES", "deadlines")
        strict.add_user("U_LENA", "lena")
        client = WebClient(token="xoxb-test", base_url=strict.url)
        assert client.chat_postMessage(channel="C_DEADLINES", text="ok")["ok"]
        assert client.chat_postMessage(channel="#deadlines", text="ok")["channel"] == "C_DEADLINES"
        assert client.chat_postMessage(channel="DU_LENA", text="ok")["ok"]
        for channel in ("C_ELSEWHERE", "DU_NOBODY"):
            with pytest.raises(SlackApiError) as raised:
                client.chat_postMessage(channel=channel, text="lost")
            assert raised.value.response["error"] == "channel_not_found"


def test_lenient_channels_accept_any_channel(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C_ANYWHERE", text="ok")["channel"] == "C_ANYWHERE"


def test_ephemeral_update_delete_and_permalink(client: WebClient, standin: SlackStandIn) -> None:
    ephemeral = client.chat_postEphemeral(channel="C_DEADLINES", user="U_LENA", text="psst")
    assert ephemeral["message_ts"].startswith("1700000000.")
    posted = client.chat_postMessage(channel="C_DEADLINES", text="draft")
    updated = client.chat_update(channel="C_DEADLINES", ts=posted["ts"], text="final")
    assert updated["ts"] == posted["ts"]
    assert updated["message"]["text"] == "final"
    assert [m["text"] for m in standin.messages_in("C_DEADLINES")] == ["final"]
    link = client.chat_getPermalink(channel="C_DEADLINES", message_ts=posted["ts"])
    assert link["permalink"].endswith(f"/archives/C_DEADLINES/p{posted['ts'].replace('.', '')}")
    client.chat_delete(channel="C_DEADLINES", ts=posted["ts"])
    assert standin.messages_in("C_DEADLINES") == []


def test_conversations_open_gives_a_stable_dm_id(client: WebClient) -> None:
    assert client.conversations_open(users="U_LENA")["channel"]["id"] == "DU_LENA"
    assert client.conversations_open(users=["U_LENA"])["channel"]["id"] == "DU_LENA"
    with pytest.raises(SlackApiError) as raised:
        client.conversations_open(users="")
    assert raised.value.response["error"] == "users_list_not_supplied"


def test_users_info_reads_the_directory(client: WebClient, standin: SlackStandIn) -> None:
    user = client.users_info(user="U_MARK")["user"]
    assert user["id"] == "U_MARK"
    assert user["name"] == "mark"
    assert user["real_name"] == "Mark Lawyer"
    assert user["tz"] == "America/Los_Angeles"
    assert user["tz_offset"] in (-8 * 3600, -7 * 3600)
    assert user["is_bot"] is False and user["deleted"] is False
    standin.add_user("U_GONE", "gone", deleted=True)
    assert client.users_info(user="U_GONE")["user"]["deleted"] is True
    assert client.users_info(user="U_CLERK")["user"]["is_bot"] is True
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U_NOBODY")
    assert raised.value.response["error"] == "user_not_found"


def test_views_open_update_and_publish(client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.trigger", view=MODAL)["view"]
    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "log_contact"
    assert opened["state"] == {"values": {}}
    changed = dict(MODAL, title={"type": "plain_text", "text": "Logged"})
    updated = client.views_update(view_id=opened["id"], view=changed)["view"]
    assert updated["id"] == opened["id"]
    assert updated["title"]["text"] == "Logged"
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    first = client.views_publish(user_id="U_LENA", view=home)["view"]
    again = client.views_publish(user_id="U_LENA", view=home)["view"]
    assert first["id"] == again["id"], "a person has one Home tab"


def test_views_refuse_a_long_title_and_a_missing_trigger(client: WebClient) -> None:
    too_long = dict(MODAL, title={"type": "plain_text", "text": "A title of twenty-five ch"})
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.trigger", view=too_long)
    assert raised.value.response["error"] == "invalid_arguments"
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="", view=MODAL)
    assert raised.value.response["error"] == "invalid_arguments"


def test_files_upload_v2_end_to_end(client: WebClient, standin: SlackStandIn) -> None:
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    answer = client.files_upload_v2(
        channel="DU_LENA",
        content=ics,
        filename="deadlines.ics",
        title="Your deadlines",
        initial_comment="Here they are",
    )
    assert answer["file"]["name"] == "deadlines.ics"
    assert answer["file"]["title"] == "Your deadlines"
    assert answer["file"]["channels"] == ["DU_LENA"]
    assert [c.method for c in standin.calls()] == [
        "files.getUploadURLExternal",
        UPLOAD_URL,
        "files.completeUploadExternal",
    ]
    assert standin.calls("files.getUploadURLExternal")[0].params["length"] == str(len(ics))
    (upload,) = standin.uploads()
    assert upload.content == ics
    assert upload.initial_comment == "Here they are"
    assert standin.files == {upload.id: ("deadlines.ics", ics)}


def test_complete_upload_refuses_a_file_whose_bytes_never_arrived(
    client: WebClient, standin: SlackStandIn
) -> None:
    file_id = client.files_getUploadURLExternal(filename="a.csv", length=3)["file_id"]
    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(files=[{"id": file_id, "title": "a"}])
    assert raised.value.response["error"] == "file_not_found"


def test_legacy_files_upload_accepts_content_and_multipart_bytes(
    client: WebClient, standin: SlackStandIn
) -> None:
    with pytest.warns(UserWarning):
        text = client.files_upload(channels="C_DEADLINES", content="a,b\n", filename="x.csv")
    with pytest.warns(UserWarning):
        raw = client.files_upload(channels="DU_LENA", file=b"\x00\x01binary", filename="y.bin")
    assert text["file"]["channels"] == ["C_DEADLINES"]
    assert raw["file"]["size"] == 8
    assert [u.content for u in standin.uploads()] == [b"a,b\n", b"\x00\x01binary"]
    assert standin.calls("files.upload")[1].params["file"] == {"length": 8}


def test_a_shared_file_is_described_and_downloadable_with_the_token(
    client: WebClient, standin: SlackStandIn
) -> None:
    url = standin.add_file("F_CSV", "clients.csv", b"code,name\n")
    info = client.files_info(file="F_CSV")["file"]
    assert info["name"] == "clients.csv"
    assert info["url_private"] == url
    request = urllib.request.Request(url, headers={"Authorization": "Bearer xoxb-test"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.read() == b"code,name\n"


def test_reactions_add_once(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C_DEADLINES", text="done?")
    assert client.reactions_add(channel="C_DEADLINES", timestamp=posted["ts"], name="eyes")["ok"]
    with pytest.raises(SlackApiError) as raised:
        client.reactions_add(channel="C_DEADLINES", timestamp=posted["ts"], name=":eyes:")
    assert raised.value.response["error"] == "already_reacted"


def test_an_unknown_method_says_so(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.scheduleMessage", json={"channel": "C_DEADLINES", "text": "x"})
    assert raised.value.response["error"] == "unknown_method"


def test_every_call_is_recorded_with_decoded_params(
    client: WebClient, standin: SlackStandIn
) -> None:
    client.chat_postMessage(channel="C_DEADLINES", text="json body", blocks=BUTTONS)
    # A form-encoded body carries blocks as a JSON string; the record decodes it the same way.
    client.api_call(
        "chat.postMessage",
        params={"channel": "C_DEADLINES", "text": "form body", "blocks": json.dumps(BUTTONS)},
    )
    client.users_info(user="U_LENA")
    posts = standin.calls("chat.postMessage")
    assert [p.params["text"] for p in posts] == ["json body", "form body"]
    assert posts[0].params["blocks"] == posts[1].params["blocks"] == BUTTONS
    assert "token" not in posts[1].params
    assert posts[0].response["ts"] < posts[1].response["ts"]
    assert posts[0].at <= posts[1].at
    assert posts[0].names["C_DEADLINES"] == "deadlines"
    assert [c.method for c in standin.calls()] == ["chat.postMessage"] * 2 + ["users.info"]
    standin.clear()
    assert standin.calls() == []


def test_wait_for_sees_calls_from_other_threads(client: WebClient, standin: SlackStandIn) -> None:
    import threading

    threading.Timer(0.1, lambda: client.chat_postMessage(channel="U_LENA", text="later")).start()
    (call,) = standin.wait_for("chat.postMessage", timeout=5)
    assert call.params["text"] == "later"
    with pytest.raises(AssertionError, match="chat.update"):
        standin.wait_for("chat.update", timeout=0.2)


def test_response_url_posts_are_kept_and_limited_to_five(standin: SlackStandIn) -> None:
    url = standin.response_url("cmd-1")
    assert url.startswith(standin.base + "/response/")

    def post(body: dict[str, object]) -> int:
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert post({"text": "hello", "response_type": "ephemeral"}) == 200
    assert post({}) == 400, "no text, no blocks: Slack says no_text"
    assert [post({"text": f"again {n}"}) for n in range(5)] == [200, 200, 200, 200, 404]
    assert standin.responses()[0] == {"text": "hello", "response_type": "ephemeral"}
    assert len(standin.responses("cmd-1")) == 5
    assert [p.status for p in standin.response_posts()][-1] == 404
