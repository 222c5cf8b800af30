"""The readers behind /client, /contact and the log sentence: examples and properties."""

from __future__ import annotations

import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.clients import contact_text
from bot.clients.checks import RESERVED_CODES, check_code, code_problem
from bot.clients.edit import canonical_field
from bot.clients.grammar import parse_add, read_change, split_edit
from bot.dates.court import CourtCalendar
from bot.dates.engine import DateEngine
from bot.errors import InvalidInput, NotFound
from handlers.kernel.blocks import escape
from storage.models import ClientKind, ContactKind

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=NY)
PEOPLE = {"<@U_LENA|lena>": 3, "@mark": 4, "U_SAM": 5}


def resolve(word: str) -> int:
    if word in PEOPLE:
        return PEOPLE[word]
    raise NotFound(f"{word} is not an active member of this workspace.")


@pytest.fixture(scope="module")
def dates() -> DateEngine:
    return DateEngine(languages=("en",), timezone=NY, calendar=CourtCalendar("US"))


# --- client codes ---------------------------------------------------------------------------

CODE_CHARS = string.ascii_letters + string.digits


@given(
    st.text(CODE_CHARS, min_size=1, max_size=1),
    st.text(CODE_CHARS + "-", max_size=14),
    st.text(string.ascii_letters, min_size=1, max_size=1),
)
def test_codes_that_end_in_a_letter_are_accepted_upper_case(
    first: str, middle: str, last: str
) -> None:
    code = first + middle + last
    assume(code.upper() not in RESERVED_CODES)
    assert check_code(f"  {code} ") == code.upper()


@pytest.mark.parametrize("word", sorted(RESERVED_CODES))
def test_command_words_are_not_client_codes(word: str) -> None:
    assert "a word Clerk's commands use" in (code_problem(word.lower()) or "")


@given(st.text(CODE_CHARS, min_size=1, max_size=10), st.integers(min_value=0, max_value=9999))
def test_codes_ending_like_a_matter_code_are_refused(head: str, number: int) -> None:
    problem = code_problem(f"{head}-{number}")
    assert problem is not None
    assert "matter code" in problem or "2-16" in problem


@pytest.mark.parametrize("bad", ["", "A", "-ACME", "ACME-", "AC ME", "ACMÉ", "A" * 17, "AC_ME"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        check_code(bad)


# --- /client add ----------------------------------------------------------------------------


def test_add_reads_every_keyword_in_any_order() -> None:
    data = parse_add(
        'add acme "Acme Corporation" cadence 21 key terms 45 days phone +1 212 555 0100 '
        "person lawyer <@U_LENA|lena> retainer 5,000 email legal@acme.com "
        "credit-limit USD 50000",
        currency="USD",
        resolve_user=resolve,
    )
    assert (data.code, data.name, data.kind, data.lawyer_id) == (
        "ACME",
        "Acme Corporation",
        ClientKind.PERSON,
        3,
    )
    assert data.is_key and data.email == "legal@acme.com" and data.phone == "+1 212 555 0100"
    assert (data.credit_limit_cents, data.retainer_required_cents) == (5_000_000, 500_000)
    assert (data.terms_days, data.cadence_days, data.currency) == (45, 21, "USD")


def test_amounts_in_another_currency_set_the_clients_currency() -> None:
    data = parse_add(
        'add EURO "Euro GmbH" credit-limit EUR 10000 retainer 500 eur',
        currency="USD",
        resolve_user=resolve,
    )
    assert (data.currency, data.credit_limit_cents, data.retainer_required_cents) == (
        "EUR",
        1_000_000,
        50_000,
    )


NAME_WORDS = st.text(string.ascii_letters + "'&.,-", min_size=1, max_size=12)


@settings(max_examples=60)
@given(
    code=st.from_regex(r"[A-Z][A-Z0-9]{1,10}", fullmatch=True),
    words=st.lists(NAME_WORDS, min_size=1, max_size=5),
    key=st.booleans(),
    person=st.booleans(),
    terms=st.integers(min_value=1, max_value=3650),
)
def test_add_round_trips_generated_commands(
    code: str, words: list[str], key: bool, person: bool, terms: int
) -> None:
    name = " ".join(words)
    parts = [f'add {code} "{name}"']
    parts += ["key"] if key else []
    parts += ["person" if person else "org", f"terms {terms} days"]
    data = parse_add(" ".join(parts), currency="USD", resolve_user=resolve)
    assert (data.code, data.name, data.is_key, data.terms_days) == (code, name, key, terms)
    assert data.kind is (ClientKind.PERSON if person else ClientKind.ORGANIZATION)


@settings(max_examples=40)
@given(words=st.lists(st.text(string.ascii_lowercase, min_size=3, max_size=8), min_size=2))
def test_an_unquoted_name_of_several_words_is_refused_never_cut(words: list[str]) -> None:
    keywords = {"key", "org", "person", "lawyer", "email", "phone", "terms", "retainer"}
    if words[1] in keywords or words[1] in ("cadence", "individual", "organization"):
        return
    with pytest.raises(InvalidInput, match="put it in quotes"):
        parse_add(f"add CODE {' '.join(words)}", currency="USD", resolve_user=resolve)


def test_a_lawyer_who_is_not_a_member_is_refused() -> None:
    with pytest.raises(NotFound, match="not an active member"):
        parse_add('add X1 "X" lawyer <@U_GONE|gone>', currency="USD", resolve_user=resolve)


# --- /client edit ---------------------------------------------------------------------------


def test_edit_splits_code_field_and_quoted_value() -> None:
    assert split_edit('edit acme name "Acme Corp"') == ("acme", "name", "Acme Corp")
    assert split_edit("edit ACME credit_limit $5,000") == ("ACME", "credit-limit", "$5,000")
    assert split_edit("edit ACME Details.Referral_Source the bar") == (
        "ACME",
        "details.referral_source",
        "the bar",
    )
    assert split_edit("edit ACME not-key") == ("ACME", "not-key", "")


@pytest.mark.parametrize(
    ("field", "raw", "value"),
    [
        ("email", "-", None),
        ("phone", "none", None),
        ("address", "1 Main St", "1 Main St"),
        ("lawyer", "@mark", 4),
        ("lawyer", "clear", None),
        ("credit-limit", "$5k", "$5k"),  # read later, in the client's own currency
        ("terms", "60 days", 60),
        ("cadence", "-", None),
        ("kind", "person", "person"),
        ("details.dob", "1970-01-01", "1970-01-01"),
        ("details.dob", "-", None),
    ],
)
def test_edit_values(field: str, raw: str, value: object) -> None:
    assert read_change(field, raw, resolve_user=resolve).value == value


def test_status_keeps_its_reason() -> None:
    change = read_change("status", "former moved to another firm", resolve_user=resolve)
    assert (change.value, change.reason) == ("former", "moved to another firm")


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("key", "yes", "takes no value"),
        ("email", "", "Give a value"),
        ("terms", "-", "number of days"),
        ("status", "retired", "former REASON"),
        ("kind", "company", "person` or `org"),
        ("phone", "call me", "phone number"),
    ],
)
def test_edit_refusals(field: str, raw: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        read_change(field, raw, resolve_user=resolve)


@pytest.mark.parametrize("word", ["code", "colour", "details.", "details.a b", "details.x!"])
def test_unknown_or_unchangeable_fields(word: str) -> None:
    with pytest.raises(InvalidInput):
        canonical_field(word)


# --- contacts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "client", "matter", "kind", "summary"),
    [
        ("ACME call hello there", "ACME", None, ContactKind.CALL, "hello there"),
        ("acme-2 e-mail sent it", "acme", "acme-2", ContactKind.EMAIL, "sent it"),
        ("ACME ACME-2 letter notice", "ACME", "ACME-2", ContactKind.LETTER, "notice"),
        ("ACME met the GC", "ACME", None, ContactKind.CALL, "met the GC"),
        ("ACME meeting", "ACME", None, ContactKind.MEETING, ""),
    ],
)
def test_contact_command_words(
    text: str, client: str, matter: str | None, kind: ContactKind, summary: str
) -> None:
    words = contact_text.parse_command(text)
    assert (words.client_code, words.matter_code, words.kind, words.summary) == (
        client,
        matter,
        kind,
        summary,
    )


def test_a_matter_of_another_client_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a matter of ACME"):
        contact_text.parse_command("ACME GLOBEX-1 call hi")


def test_follow_ups(dates: DateEngine) -> None:
    summary, follow = contact_text.split_follow_up(
        "discussed settlement; follow up Dec 3", dates=dates, now=NOW
    )
    assert summary == "discussed settlement" and follow and follow.parsed.day == date(2026, 12, 3)
    summary, follow = contact_text.split_follow_up(
        "sent draft. Follow-up by Friday.", dates=dates, now=NOW
    )
    assert summary == "sent draft" and follow and follow.parsed.day == date(2026, 11, 20)
    summary, follow = contact_text.split_follow_up(
        "we agreed, follow up with the court", dates=dates, now=NOW
    )
    assert summary == "we agreed, follow up with the court" and follow is None
    with pytest.raises(InvalidInput, match="couldn't read the follow-up date"):
        contact_text.split_follow_up("hi; follow up whenever", dates=dates, now=NOW)
    with pytest.raises(InvalidInput, match="could be"):
        contact_text.split_follow_up("hi; follow up 3/4", dates=dates, now=NOW)


@pytest.mark.parametrize(
    ("text", "client", "matter", "kind", "when", "summary"),
    [
        (
            "log call with ACME: agreed to mediation",
            "ACME",
            None,
            "call",
            "",
            "agreed to mediation",
        ),
        (
            "Log a phone call with acme-1 - left a message",
            "acme",
            "acme-1",
            "call",
            "",
            "left a message",
        ),
        ("log e-mail to ACME yesterday: sent", "ACME", None, "email", "yesterday", "sent"),
        (
            "logged the meeting with ACME on Nov 16 3pm: met",
            "ACME",
            None,
            "meeting",
            "on Nov 16 3pm",
            "met",
        ),
        (
            "log letter for ACME: notice; follow up Friday",
            "ACME",
            None,
            "letter",
            "",
            "notice; follow up Friday",
        ),
    ],
)
def test_sentences(
    text: str, client: str, matter: str | None, kind: str, when: str, summary: str
) -> None:
    sentence = contact_text.parse_sentence(text)
    assert sentence is not None
    assert (sentence.client_code, sentence.matter_code, sentence.kind.value) == (
        client,
        matter,
        kind,
    )
    assert (sentence.when, sentence.summary) == (when, summary)


def test_non_sentences_and_broken_ones() -> None:
    assert contact_text.parse_sentence("ACME-1 reply brief due next Friday") is None
    assert contact_text.parse_sentence("logistics are hard") is None
    with pytest.raises(InvalidInput, match="log call with ACME"):
        contact_text.parse_sentence("log call ACME agreed")


def test_when_a_contact_happened(dates: DateEngine) -> None:
    def at(when: str) -> datetime:
        return contact_text.occurred_at(when, dates=dates, now=NOW, zone=NY)

    assert at("") == NOW and at("today") == NOW
    assert at("yesterday") == datetime(2026, 11, 17, 12, 0, tzinfo=NY)
    assert at("on Monday") == datetime(2026, 11, 16, 12, 0, tzinfo=NY)
    assert at("Nov 16 3pm") == datetime(2026, 11, 16, 15, 0, tzinfo=NY)
    with pytest.raises(InvalidInput, match="still to come"):
        at("tomorrow")
    with pytest.raises(InvalidInput, match="day of the contact"):
        at("whenever it was")


def test_slack_markup_becomes_plain_text() -> None:
    text = (
        "Hi <@U1|lena> and <@U2>, see <#C1|deals> and <https://x.example/a?b=1|the doc> "
        "or <mailto:a@b.co|a@b.co>; <!here> &amp; &lt;3"
    )
    assert contact_text.plain_text(text) == (
        "Hi @lena and @U2, see #deals and the doc (https://x.example/a?b=1) or a@b.co; @here & <3"
    )


@given(st.text(max_size=200))
def test_plain_text_gives_back_what_a_person_typed(typed: str) -> None:
    # Slack escapes & < > in what people type; reading it back must not change their words.
    assert contact_text.plain_text(escape(typed)) == typed.strip()
