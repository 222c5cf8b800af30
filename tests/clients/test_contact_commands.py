"""/contact and the "log call with ACME: ..." sentence through signed HTTP."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from storage.models import Contact, ContactKind, Matter
from tests.clients.conftest import NY, audit_rows, reply_text
from tests.harness import Harness


def _contacts(harness: Harness) -> list[tuple[Contact, str | None]]:
    with harness.db.reading() as session:
        rows = session.execute(
            select(Contact, Matter.code)
            .outerjoin(Matter, Matter.id == Contact.matter_id)
            .order_by(Contact.id)
        ).all()
        return [(c, m) for c, m in rows]


def test_log_with_matter_kind_and_follow_up(firm: Harness) -> None:
    logged = firm.slack.command(
        "U_LENA", "/contact", "ACME ACME-2 email sent the draft lease; follow up Dec 3"
    )
    text = reply_text(logged)
    assert logged.replies[0]["response_type"] == "ephemeral"
    assert "Logged an email with *ACME (ACME-2)*: sent the draft lease" in text
    assert "I'll remind you to follow up on Thu 3 Dec 2026" in text
    ((contact, matter),) = _contacts(firm)
    assert matter == "ACME-2" and contact.kind is ContactKind.EMAIL
    assert contact.summary == "sent the draft lease" and contact.follow_up_on == date(2026, 12, 3)
    assert contact.logged_by_id == firm.user("U_LENA").id


def test_a_matter_code_alone_names_the_client_and_call_is_the_default(firm: Harness) -> None:
    firm.slack.command("U_SAM", "/contact", "acme-1 discussed settlement range")
    firm.slack.command("U_SAM", "/contact", "ACME letter sent engagement letter")
    (first, matter), (second, none) = _contacts(firm)
    assert (matter, first.kind, first.summary) == (
        "ACME-1",
        ContactKind.CALL,
        "discussed settlement range",
    )
    assert (none, second.kind) == (None, ContactKind.LETTER)


def test_follow_up_written_after_a_full_stop_and_a_summary_that_only_mentions_it(
    firm: Harness,
) -> None:
    firm.slack.command("U_LENA", "/contact", "ACME call agreed terms. Follow up Dec 10")
    firm.slack.command("U_LENA", "/contact", "ACME call they will follow up, with the court")
    (dated, _), (plain, _) = _contacts(firm)
    assert dated.summary == "agreed terms" and dated.follow_up_on == date(2026, 12, 10)
    assert plain.summary == "they will follow up, with the court" and plain.follow_up_on is None


def test_a_past_follow_up_is_asked_about_before_anything_is_stored(firm: Harness) -> None:
    before = audit_rows(firm)
    asked = firm.slack.command("U_LENA", "/contact", "ACME call hi; follow up 2026-11-02")
    assert "is in the past" in reply_text(asked)
    assert audit_rows(firm) == before and not _contacts(firm)
    button = asked.replies[0]["blocks"][1]["elements"][0]
    confirmed = firm.slack.action("U_LENA", button["action_id"], button["value"])
    assert "Logged a call with *ACME*" in reply_text(confirmed)
    ((contact, _),) = _contacts(firm)
    assert contact.follow_up_on == date(2026, 11, 2)


def test_the_next_contact_completes_the_follow_ups_already_due(firm: Harness) -> None:
    s = firm.slack
    s.command("U_LENA", "/contact", "ACME call next quarter plan; follow up Dec 15")
    asked = s.command("U_LENA", "/contact", "ACME call chase the signature; follow up 2026-11-16")
    button = asked.replies[0]["blocks"][1]["elements"][0]
    s.action("U_LENA", button["action_id"], button["value"])
    later = s.command("U_LENA", "/contact", "ACME-1 email signature received")
    assert "This completes the follow-up due Mon 16 Nov 2026" in reply_text(later)
    (future, _), (due, _), (_latest, _) = _contacts(firm)
    assert due.follow_up_done_at is not None  # done: someone followed up
    assert future.follow_up_done_at is None  # not yet due: still open


def test_list_newest_first_by_client_or_matter(firm: Harness) -> None:
    s = firm.slack
    s.command("U_LENA", "/contact", "ACME-1 call alpha")
    s.command("U_SAM", "/contact", "ACME-2 email bravo")
    s.command("U_LENA", "/contact", "ACME meeting charlie")
    two = reply_text(s.command("U_BILL", "/contact", "list ACME 2"))
    assert "charlie" in two and "bravo" in two and "alpha" not in two
    assert two.index("charlie") < two.index("bravo") and "by <@U_SAM>" in two
    matter = reply_text(s.command("U_BILL", "/contact", "list acme-1"))
    assert "Contacts with ACME-1" in matter and "alpha" in matter and "bravo" not in matter
    s.command("U_LENA", "/client", 'add QUIET "Quiet Ltd"')
    assert "No contacts logged with QUIET yet" in reply_text(
        s.command("U_SAM", "/contact", "list QUIET")
    )


def test_a_long_summary_is_stored_whole_and_shown_shortened(firm: Harness) -> None:
    summary = " ".join(f"word{n}" for n in range(500))  # 3,390 characters: over a section
    exchange = firm.slack.command("U_LENA", "/contact", f"ACME call {summary}")
    ((contact, _),) = _contacts(firm)
    assert contact.summary == summary
    first_block = exchange.replies[0]["blocks"][0]["text"]["text"]
    assert first_block.endswith("…") and len(first_block) <= 3000
    listing = firm.slack.command("U_LENA", "/contact", "list ACME")
    assert "word499" not in reply_text(listing) and "…" in reply_text(listing)


BAD_INPUTS = [
    ("U_LENA", "NOPE call hello", "There is no client `NOPE`"),
    ("U_LENA", "ACMEE call hello", "Did you mean `ACME`"),
    ("U_LENA", "ACME-9 call hello", "There is no matter `ACME-9`"),
    ("U_LENA", "ACME GLOBEX-1 call hello", "GLOBEX-1 is not a matter of ACME"),
    ("U_LENA", "ACME call hi; follow up someday", "couldn't read the follow-up date"),
    ("U_LENA", "ACME call hi; follow up 3/4", "could be"),
    ("U_LENA", "ACME call", "Say what the contact was about"),
    ("U_LENA", "ACME call ; follow up Dec 3", "Say what the contact was about"),
    ("U_LENA", "list", "Say whose contacts"),
    ("U_LENA", "list ACME many", "Say whose contacts"),
    ("U_LENA", "list ACME 0", "at least one"),
    ("U_LENA", "list NOPE", "There is no client `NOPE`"),
]


def test_bad_input_gets_a_clear_ephemeral_reply_and_writes_nothing(firm: Harness) -> None:
    for who, text, expected in BAD_INPUTS:
        before = audit_rows(firm)
        exchange = firm.slack.command(who, "/contact", text)
        (reply,) = exchange.replies
        assert reply["response_type"] == "ephemeral", text
        assert expected in reply["text"], (text, reply["text"])
        assert audit_rows(firm) == before, text


# --- sentences in a DM or an @mention ------------------------------------------------------


def _dm_texts(exchange: object) -> list[str]:
    return [c.params["text"] for c in exchange.calls_to("chat.postMessage")]  # type: ignore[attr-defined]


def test_a_dm_sentence_logs_once_even_when_slack_retries(firm: Harness) -> None:
    first = firm.slack.dm("U_LENA", "log call with ACME: agreed to mediation", event_id="EvOnce")
    retry = firm.slack.dm(
        "U_LENA", "log call with ACME: agreed to mediation", event_id="EvOnce", retry_num=1
    )
    assert first.status == retry.status == 200
    assert "Logged a call with *ACME*: agreed to mediation" in _dm_texts(first)[0]
    assert not retry.calls_to("chat.postMessage")
    ((contact, _),) = _contacts(firm)
    assert contact.kind is ContactKind.CALL and contact.source_key


def test_sentences_with_a_day_a_matter_and_a_follow_up(firm: Harness) -> None:
    s = firm.slack
    s.dm("U_LENA", "log meeting with acme yesterday: met the GC")
    s.dm("U_LENA", "Log an email with ACME-1 on Nov 16 3pm: sent draft; follow up Dec 4")
    (met, none), (mail, matter) = _contacts(firm)
    assert met.occurred_at == datetime(2026, 11, 17, 12, 0, tzinfo=NY)
    assert (none, met.kind, met.summary) == (None, ContactKind.MEETING, "met the GC")
    assert mail.occurred_at == datetime(2026, 11, 16, 15, 0, tzinfo=NY)
    assert (matter, mail.summary, mail.follow_up_on) == ("ACME-1", "sent draft", date(2026, 12, 4))


def test_a_mention_in_a_channel_answers_only_the_asker(firm: Harness) -> None:
    event = {
        "type": "app_mention",
        "user": "U_SAM",
        "text": "<@U_CLERK> log letter with ACME: sent the notice",
        "channel": "C_DEADLINES",
        "ts": "1700000001.000100",
    }
    exchange = firm.slack.event(event)
    (answer,) = exchange.calls_to("chat.postEphemeral")
    assert answer.params["user"] == "U_SAM" and "Logged a letter" in answer.params["text"]
    assert not exchange.calls_to("chat.postMessage")
    # the same message delivered again under another event id (DM + mention) logs nothing more
    again = firm.slack.event(event)
    assert not again.calls_to("chat.postEphemeral") and len(_contacts(firm)) == 1


def test_sentences_it_cannot_take_get_help_and_write_nothing(firm: Harness) -> None:
    cases = [
        ("log call ACME agreed", "couldn't read that as a contact"),
        ("log call with NOPE: hello", "There is no client `NOPE`"),
        ("log call with ACME tomorrow: hello", "still to come"),
        ("log call with ACME someday soon: hello", "as the day of the contact"),
        ("log call with ACME: hi; follow up 2026-11-02", "in the past"),
        ("what's the weather", "What I can read"),
    ]
    for text, expected in cases:
        before = audit_rows(firm)
        exchange = firm.slack.dm("U_LENA", text)
        answers = _dm_texts(exchange)
        assert len(answers) == 1 and expected in answers[0], (text, answers)
        assert audit_rows(firm) == before, text
    # billing logs collection calls like anyone else
    billing = firm.slack.dm("U_BILL", "log call with ACME: hello")
    assert "Logged a call" in _dm_texts(billing)[0] and len(_contacts(firm)) == 1
