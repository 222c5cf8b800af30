"""The overdue post's buttons: Mark disputed, Next stage, Log contact, and their notes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.money import Stage
from handlers.billing import overdue_views as views
from handlers.billing.forms import MoneyField, MoneyView
from storage.models import Contact, EscalationEvent, Invoice, OutboxMessage, OutboxStatus
from tests.billing.conftest import counts
from tests.billing.helpers import client_row, outbox, said
from tests.deadlines.helpers import last, shown
from tests.harness import Harness


def overdue_post(h: Harness, *codes: str) -> dict[str, Any]:
    """A billing-channel post like the 08:30 job's: each account's line and its buttons,
    sent and recorded as delivery records it (notes go only on a post Clerk sent)."""
    from bot.billing.receivables import overdue_accounts

    with h.db.reading() as s:
        found = overdue_accounts(s, as_of=h.clerk.now().date())
    rows: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Overdue"}}
    ]
    for account in found:
        if account.client_code in codes:
            rows += [views.account_block(account, "USD"), views.overdue_buttons(account.client_id)]
    sent = h.clerk.client.chat_postMessage(
        channel="C_BILLING", text="Overdue accounts", blocks=rows
    )
    with h.db.unit_of_work("system") as session:
        session.add(
            OutboxMessage(
                key=f"overdue:test:{sent['ts']}",
                kind=views.POST_KIND,
                target="C_BILLING",
                payload={"text": "Overdue accounts", "blocks": rows},
                status=OutboxStatus.SENT,
                slack_channel="C_BILLING",
                slack_ts=sent["ts"],
            )
        )
    return dict(sent["message"]) | {"ts": sent["ts"]}


def press(h: Harness, user: str, post: dict[str, Any], action_id: str, code: str) -> Any:
    value = next(
        e["value"]
        for b in post["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id and str(client_row(h, code).id) in e["value"]
    )
    return h.slack.action(
        user, action_id, value, channel_id="C_BILLING", message=post, ephemeral=False
    )


def opened_view(exchange: Any) -> dict[str, Any]:
    (call,) = exchange.calls_to("views.open")
    return call.params["view"]


def setup_late_acme(h: Harness) -> dict[str, Any]:
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Sep 1")  # 48 days overdue
    said(h, "U_BILL", "/invoice", "add ACME INV-2 $500 issued Oct 1")
    said(h, "U_BILL", "/invoice", "add GLOBEX GX-1 $700 issued Sep 20")
    return overdue_post(h, "ACME", "GLOBEX")


def test_mark_disputed_asks_which_invoice_then_notes_it_on_the_post(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)
    view = opened_view(press(h, "U_BILL", post, views.MoneyAction.MARK_DISPUTED, "ACME"))
    assert view["callback_id"] == MoneyView.DISPUTE
    options = [o["value"] for o in view["blocks"][1]["element"]["options"]]
    assert options == ["INV-1", "INV-2"]
    done = h.slack.view_submission(
        "U_BILL", view, {MoneyField.INVOICE: "INV-1", MoneyField.REASON: "hours contested"}
    )
    with h.db.reading() as s:
        inv = s.scalars(select(Invoice).where(Invoice.number == "INV-1")).one()
    assert inv.disputed and inv.dispute_reason == "hours contested"
    (update,) = done.calls_to("chat.update")
    assert update.params["channel"] == "C_BILLING" and update.params["ts"] == post["ts"]
    notes = [b for b in update.params["blocks"] if b.get("block_id", "").startswith("overdue-note")]
    (note,) = notes
    assert "INV-1 marked disputed by <@U_BILL>: hours contested" in note["elements"][0]["text"]
    # The note sits under ACME's buttons, not GLOBEX's.
    ids = [b.get("block_id") for b in update.params["blocks"]]
    acme = client_row(h, "ACME").id
    assert ids.index(f"overdue-note-{acme}") == ids.index(f"overdue-actions-{acme}") + 1
    (receipt,) = done.calls_to("chat.postEphemeral")
    assert receipt.params["user"] == "U_BILL" and "marked disputed" in receipt.params["text"]


def test_two_actions_on_one_post_keep_both_notes(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)
    first = opened_view(press(h, "U_BILL", post, views.MoneyAction.NEXT_STAGE, "ACME"))
    second = opened_view(press(h, "U_PAUL", post, views.MoneyAction.NEXT_STAGE, "GLOBEX"))
    h.slack.view_submission("U_BILL", first, {MoneyField.REASON: "no answer to three calls"})
    done = h.slack.view_submission("U_PAUL", second, {MoneyField.REASON: "partner asked"})
    (update,) = done.calls_to("chat.update")
    texts = shown({"blocks": update.params["blocks"]})
    assert "Moved to stage 3 partner review by <@U_BILL>: no answer to three calls" in texts
    assert "Moved to stage 2 formal notice by <@U_PAUL>: partner asked" in texts


def test_next_stage_records_a_manual_event_and_tells_the_lawyer(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)
    view = opened_view(press(h, "U_PAUL", post, views.MoneyAction.NEXT_STAGE, "ACME"))
    assert "from stage 2 formal notice to *stage 3 partner review*" in shown(
        {"blocks": view["blocks"]}
    )
    h.slack.view_submission("U_PAUL", view, {MoneyField.REASON: "promised payment twice"})
    with h.db.reading() as s:
        event = s.scalars(select(EscalationEvent).order_by(EscalationEvent.id.desc())).first()
    assert (event.to_stage, event.manual, event.actor, event.reason) == (
        Stage.PARTNER_REVIEW,
        True,
        "U_PAUL",
        "promised payment twice",
    )
    dm = [m for m in outbox(h) if m.key == f"stage:{event.client_id}:{event.id}"]
    assert dm and dm[0].target == "U_LENA" and "by hand" in shown(dm[0].payload)


def test_log_contact_records_a_contact_and_notes_it(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)
    view = opened_view(press(h, "U_LENA", post, views.MoneyAction.LOG_CONTACT, "ACME"))
    done = h.slack.view_submission(
        "U_LENA", view, {MoneyField.KIND: "call", MoneyField.SUMMARY: "will pay Friday"}
    )
    with h.db.reading() as s:
        (contact,) = s.scalars(select(Contact)).all()
    assert contact.summary == "will pay Friday" and contact.client_id == client_row(h, "ACME").id
    (update,) = done.calls_to("chat.update")
    assert "Call logged by <@U_LENA>: will pay Friday" in shown({"blocks": update.params["blocks"]})


def test_buttons_check_the_role_of_whoever_presses_them(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)
    before = counts(h.db)
    for user, action in [
        ("U_LENA", views.MoneyAction.MARK_DISPUTED),
        ("U_SAM", views.MoneyAction.NEXT_STAGE),
    ]:
        exchange = press(h, user, post, action, "ACME")
        assert exchange.calls_to("views.open") == []
        refusal = last(exchange)
        assert refusal["response_type"] == "ephemeral" and "does not allow" in refusal["text"]
    assert counts(h.db) == before


def test_buttons_that_cannot_apply_say_why(clerk_at: Harness) -> None:
    h = clerk_at
    said(h, "U_BILL", "/invoice", "add ACME INV-1 $1,000 issued Jan 2")  # far past 90 days
    post = overdue_post(h, "ACME")
    top = press(h, "U_BILL", post, views.MoneyAction.NEXT_STAGE, "ACME")
    assert "already at the last stage" in last(top)["text"]
    said(h, "U_BILL", "/invoice", "dispute INV-1 not ours")
    none_left = press(h, "U_BILL", post, views.MoneyAction.MARK_DISPUTED, "ACME")
    assert "already disputed" in last(none_left)["text"]


def test_a_form_without_a_reason_stays_open(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)
    view = opened_view(press(h, "U_BILL", post, views.MoneyAction.NEXT_STAGE, "ACME"))
    before = counts(h.db)
    answer = h.slack.view_submission("U_BILL", view, {MoneyField.REASON: "   "}).json()
    assert answer["response_action"] == "errors" and "reason" in answer["errors"][MoneyField.REASON]
    assert counts(h.db) == before


def test_a_press_without_the_message_blocks_uses_the_post_clerk_sent(clerk_at: Harness) -> None:
    h = clerk_at
    post = setup_late_acme(h)  # recorded in the outbox as delivery records it
    bare = {"ts": post["ts"], "text": post["text"], "blocks": post["blocks"]}
    value = next(
        e["value"]
        for b in bare["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == views.MoneyAction.NEXT_STAGE
    )
    pressed = h.slack.action(
        "U_BILL",
        views.MoneyAction.NEXT_STAGE,
        value,
        channel_id="C_BILLING",
        message={"ts": post["ts"], "text": post["text"]},
        ephemeral=False,
    )
    done = h.slack.view_submission("U_BILL", opened_view(pressed), {MoneyField.REASON: "no reply"})
    (update,) = done.calls_to("chat.update")
    assert "by <@U_BILL>: no reply" in shown({"blocks": update.params["blocks"]})
    assert len(update.params["blocks"]) == len(post["blocks"]) + 1


def test_the_morning_post_fits_slack_and_points_to_the_rest(clerk_at: Harness) -> None:
    from datetime import date

    from bot.billing.aged_accounts import AccountAging
    from bot.money import Bucket

    def account(n: int) -> AccountAging:
        return AccountAging(
            client_id=n,
            client_code=f"C{n:03d}",
            client_name=f"Client {n}",
            lawyer_id=None,
            lawyer_slack_id=None,
            currency="USD",
            buckets=dict.fromkeys(Bucket, 0) | {Bucket.DAYS_31_60: 100},
            total_cents=100,
            overdue_cents=100,
            disputed_cents=0,
            overdue_undisputed_cents=100,
            oldest_days_overdue=40,
            oldest_invoice_due=date(2026, 10, 9),
            stage=Stage.FORMAL_NOTICE,
            derived_stage=Stage.FORMAL_NOTICE,
            manual_floor=None,
            on_plan=False,
            plan_behind_cents=0,
        )

    found = [account(n) for n in range(1, 71)]
    messages = views.overdue_post(found, as_of=date(2026, 11, 18), home="USD")
    assert len(messages) == 3  # 60 accounts shown, 22 a message
    for message in messages:
        blocks_validate(message.blocks)
    assert "… and 10 more" in shown(messages[-1].payload())
    assert views.overdue_post([], as_of=date(2026, 11, 18), home="USD") == []


def blocks_validate(rows: list[dict[str, Any]]) -> None:
    from handlers.kernel import blocks

    blocks.validate(rows)
