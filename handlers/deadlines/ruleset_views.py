"""What ``/deadline rules`` and ``/deadline apply`` show (pure builders, no I/O).

The preview of a chain is the moment a lawyer checks a docketing system's arithmetic, so each
deadline is shown with its title, date, citation and the full computation (with any roll over
a weekend or holiday), plus what cannot be extended and what mail service added. Buttons
carry only a token: what *Confirm* stores is kept server-side: Slack does not always send it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from bot.rules.apply import ChainPreview, DependentChange
from bot.rules.format import (
    DEFAULTS_CAVEAT,
    MAIL_DAYS_CITATION,
    deadline_remarks,
    describe_period,
    format_day,
    preview_text,
)
from bot.rules.loader import RuleBook
from bot.rules.model import RuleSet
from handlers.deadlines.views import relative
from handlers.kernel import blocks
from storage.models import Deadline, Matter


class RulesetAction(StrEnum):
    APPLY_CONFIRM = "deadline_apply_confirm"
    APPLY_CANCEL = "deadline_apply_cancel"
    MOVE_CONFIRM = "deadline_move_trigger_confirm"
    MOVE_CANCEL = "deadline_move_trigger_cancel"
    CANCEL_DEPENDENTS = "deadline_cancel_dependents"
    KEEP_DEPENDENTS = "deadline_keep_dependents"


APPLY_HINT = "/deadline apply MATTER RULESET TRIGGER DATE [by mail]"


def rule_sets(book: RuleBook) -> list[blocks.Message]:
    """``/deadline rules``: every set and its triggers, ready to be applied."""
    rows: list[blocks.Block_] = []
    for ruleset in book.sets():
        lines = [
            f"*{ruleset.name}* — {blocks.escape(ruleset.title)}",
            f"_{blocks.escape(ruleset.jurisdiction)}_",
        ]
        for trigger in ruleset.triggers:
            count = len(ruleset.rules_for(trigger.id))
            lines.append(
                f"• `{trigger.id}` {blocks.escape(trigger.description)} "
                f"({count} deadline{'s' if count != 1 else ''})"
            )
        rows.append(blocks.section("\n".join(lines)))
    lead = [
        blocks.context(
            f"Apply one: `{APPLY_HINT}` · `/deadline rules NAME` lists a set's rules with "
            "their citations."
        )
    ]
    names = ", ".join(r.name for r in book.sets())
    return blocks.paginate("Rule sets", rows, lead=lead, fallback=f"Rule sets: {names}")


def rule_set(ruleset: RuleSet) -> list[blocks.Message]:
    """``/deadline rules frcp``: the rules of one set by trigger, with citations and limits."""
    rows: list[blocks.Block_] = []
    for trigger in ruleset.triggers:
        lines = [f"*`{trigger.id}`* — {blocks.escape(trigger.description)}"]
        for rule in ruleset.rules_for(trigger.id):
            parts = [
                f"*{blocks.escape(rule.title)}* (`{rule.id}`)",
                describe_period(rule),
                blocks.escape(rule.citation),
            ]
            if rule.mail_days_apply:
                parts.append(f"+3 days if served by mail ({MAIL_DAYS_CITATION})")
            if not rule.extendable:
                parts.append(":no_entry: cannot be extended")
            line = "• " + " — ".join(parts)
            if rule.note:
                line += f"\n      _{blocks.escape(rule.note)}_"
            lines.append(line)
        rows.append(blocks.section("\n".join(lines)))
    lead = [
        blocks.context(blocks.escape(ruleset.jurisdiction)),
        blocks.context(
            f"{DEFAULTS_CAVEAT} Apply: `/deadline apply MATTER {ruleset.name} TRIGGER DATE`"
        ),
    ]
    title = f"{ruleset.name}: {ruleset.title}"
    fallback = f"{title}: " + ", ".join(r.id for r in ruleset.rules)
    return blocks.paginate(title, rows, lead=lead, fallback=fallback)


def _buttons(confirm_id: str, cancel_id: str, token: str, confirm: str) -> blocks.Block_:
    return blocks.actions(
        blocks.button(confirm, confirm_id, token, style="primary"),
        blocks.button("Cancel", cancel_id, token),
    )


def apply_preview(
    chain: ChainPreview, matter: Matter, token: str, *, reading: str, today: date
) -> blocks.Message:
    """The ephemeral preview with *Confirm* / *Cancel*: nothing is stored yet."""
    count = len(chain.deadlines)
    mail = " (served by mail)" if chain.by_mail else ""
    body: list[blocks.Block_] = [
        blocks.header(f"Preview: {chain.set_name} {chain.trigger_id} on {matter.code}"),
        blocks.section(
            f"*{blocks.escape(chain.trigger_description)}* on "
            f"*{format_day(chain.trigger_date)}*{mail} — {blocks.escape(chain.set_title)}\n"
            f"{count} deadline{'s' if count != 1 else ''} follow. Nothing is stored until "
            "you press *Confirm*."
        ),
        blocks.context(f"Date read: {blocks.escape(reading)}"),
    ]
    for d in chain.deadlines:
        past = (
            f" :warning: _already past ({relative(d.due_on, today)})_" if d.due_on < today else ""
        )
        lines = [
            f"*{blocks.escape(d.title)}* — *{format_day(d.due_on)}*{past}",
            f"`{blocks.escape(d.citation)}` · {blocks.escape(d.computation.explanation)}",
        ]
        lines += [f"_{blocks.escape(r)}_" for r in deadline_remarks(d, by_mail=chain.by_mail)]
        body.append(blocks.section("\n".join(lines)))
    if chain.mail_ignored:
        body.append(
            blocks.context(
                f"Service by mail adds no days to any of these: {MAIL_DAYS_CITATION} only "
                "extends periods that run from service of a paper."
            )
        )
    body.append(blocks.context(DEFAULTS_CAVEAT))
    body.append(_buttons(RulesetAction.APPLY_CONFIRM, RulesetAction.APPLY_CANCEL, token, "Confirm"))
    return _capped(preview_text(chain), body)


def _capped(text: str, body: list[blocks.Block_]) -> blocks.Message:
    """A preview must keep its buttons: squeeze the middle if a set has very many rules."""
    if len(body) > blocks.MAX_BLOCKS_MESSAGE:
        keep = blocks.MAX_BLOCKS_MESSAGE - 2
        hidden = len(body) - keep - 1
        body = [
            *body[: keep - 1],
            blocks.context(f"… and {hidden} more (see the text of this message)."),
            *body[-2:],
        ]
    return blocks.message(text, *body)


def apply_stored(payload: dict[str, Any], result: dict[str, Any], *, again: bool) -> blocks.Message:
    """The preview replaced by what was stored (or, on a second click, what already was)."""
    ids = result.get("deadline_ids", [])
    trigger_id = result.get("trigger_id")
    lead = "Already stored by an earlier click; nothing more was stored." if again else "Stored."
    lines = [
        f"`#{i}` {blocks.escape(item['title'])} — {format_day(date.fromisoformat(item['due_on']))}"
        f" — _{blocks.escape(item['citation'])}_"
        for i, item in zip(ids, payload["deadlines"], strict=False)
    ]
    trigger_line = (
        f"Trigger `#{trigger_id}` *{blocks.escape(payload['trigger_title'])}* on "
        f"{format_day(date.fromisoformat(payload['trigger_on']))} ({payload['trigger_rule']})"
    )
    text = (
        f"{lead} {payload['matter_code']}: trigger #{trigger_id} and {len(ids)} deadline(s): "
        + ", ".join(f"#{i}" for i in ids)
    )
    return blocks.message(
        text,
        blocks.section(
            f":white_check_mark: {lead} On *{payload['matter_code']}*: {trigger_line}, and "
            f"{len(ids)} deadline{'s' if len(ids) != 1 else ''}:\n" + "\n".join(lines)
        ),
        blocks.context(
            "Move them all with `/deadline move "
            f"{trigger_id} DATE` (dates changed by hand are kept)."
        ),
    )


def cancelled_preview(again: bool) -> blocks.Message:
    text = (
        "This preview was already answered; nothing was stored."
        if again
        else ("Cancelled: nothing was stored.")
    )
    return blocks.message(text, blocks.section(text))


def _change_line(c: dict[str, Any]) -> str:
    old = format_day(date.fromisoformat(c["old"]))
    new = format_day(date.fromisoformat(c["new"]))
    how = f" ({blocks.escape(c['explanation'])})" if c.get("explanation") else ""
    return f"• `#{c['id']}` {blocks.escape(c['title'])}: {old} → *{new}*{how}"


def move_preview(
    trigger: Deadline,
    matter: Matter,
    changes: Sequence[DependentChange],
    payload: dict[str, Any],
    token: str,
    *,
    reading: str,
) -> blocks.Message:
    """The dependents' old and new dates, with the ones moved by hand listed apart."""
    old = format_day(trigger.due_on)
    new = format_day(date.fromisoformat(payload["new_on"]))
    items = payload["changes"]
    moving = [c for c in items if c["moves"]]
    by_hand = [c for c in items if c["by_hand"]]
    kept = {c.deadline_id: c.kept_reason for c in changes if c.kept_reason and not c.moved_by_hand}
    unchanged = [c for c in items if not c["moves"] and not c["by_hand"] and c["id"] not in kept]
    body: list[blocks.Block_] = [
        blocks.header(f"Preview: move trigger #{trigger.id} on {matter.code}"),
        blocks.section(
            f"*{blocks.escape(trigger.title)}*: {old} → *{new}*\nNothing moves until you "
            "press *Confirm*."
        ),
        blocks.context(f"Date read: {blocks.escape(reading)}"),
    ]
    text = [f"Move trigger #{trigger.id} {blocks.escape(trigger.title)}: {old} -> {new}."]
    if moving:
        n = len(moving)
        heading = f"*{n} deadline{'s move' if n != 1 else ' moves'} with it:*"
        body += _list(heading, [_change_line(c) for c in moving])
        text.append(f"{n} deadline(s) move.")
    if by_hand:
        lines = [
            f"• `#{c['id']}` {blocks.escape(c['title'])}: stays *"
            f"{format_day(date.fromisoformat(c['old']))}*" + _computed_as(c)
            for c in by_hand
        ]
        body += _list(
            f":raised_hand: *Moved by hand since they were computed, so kept as they are "
            f"({len(by_hand)}):*",
            lines,
        )
        text.append(f"{len(by_hand)} moved by hand, kept.")
    if kept:
        lines = [
            f"• `#{c['id']}` {blocks.escape(c['title'])}: stays "
            f"{format_day(date.fromisoformat(c['old']))} ({blocks.escape(kept[c['id']] or '')})"
            for c in items
            if c["id"] in kept
        ]
        body += _list("*Kept (Clerk can't recompute them):*", lines)
    if unchanged:
        body.append(
            blocks.context(
                "Unchanged: "
                + ", ".join(f"#{c['id']} {blocks.escape(c['title'])}" for c in unchanged)
            )
        )
    if not items:
        body.append(blocks.context("This trigger has no open deadlines; only its date moves."))
    body.append(_buttons(RulesetAction.MOVE_CONFIRM, RulesetAction.MOVE_CANCEL, token, "Confirm"))
    return _capped(" ".join(text), body)


def _computed_as(change: dict[str, Any]) -> str:
    """Beside a date moved by hand: the date Clerk had computed, so the change is visible."""
    if not change.get("computed"):
        return ""
    return f" (Clerk had computed {format_day(date.fromisoformat(change['computed']))})"


def _list(heading: str, lines: list[str]) -> list[blocks.Block_]:
    out: list[blocks.Block_] = []
    current = heading
    for line in lines:
        if len(current) + len(line) > blocks.MAX_SECTION_TEXT - 100:
            out.append(blocks.section(current))
            current = heading + " (cont.)"
        current += "\n" + line
    out.append(blocks.section(current))
    return out


def move_done(payload: dict[str, Any], result: dict[str, Any], *, again: bool) -> blocks.Message:
    lead = "Already done by an earlier click; nothing more moved." if again else "Moved."
    new = format_day(date.fromisoformat(payload["new_on"]))
    moved, kept, skipped = result["moved"], result["kept"], result["skipped"]
    parts = [f"Trigger `#{result['trigger_id']}` is now on *{new}*."]
    if moved:
        parts.append(f"Moved with it: {', '.join(f'`#{i}`' for i in moved)}.")
    if kept:
        parts.append(f"Kept (moved by hand): {', '.join(f'`#{i}`' for i in kept)}.")
    if skipped:
        parts.append(
            f"Not moved because they changed after the preview: "
            f"{', '.join(f'`#{i}`' for i in skipped)}."
        )
    text = f"{lead} " + " ".join(p.replace("`", "").replace("*", "") for p in parts)
    return blocks.message(text, blocks.section(f":white_check_mark: {lead} " + " ".join(parts)))


def cancel_trigger_reply(
    trigger: Deadline, dependents: Sequence[Deadline], token: str | None
) -> blocks.Message:
    """The trigger is cancelled; its open deadlines are offered, never cancelled silently."""
    text = blocks.escape(
        f"Cancelled trigger #{trigger.id} ({trigger.title}): {trigger.cancel_reason}."
    )
    body = [blocks.section(f":white_check_mark: {text}")]
    if token is None:
        body.append(blocks.context("It had no open deadlines."))
        return blocks.message(text, *body)
    lines = [
        f"• `#{d.id}` {blocks.escape(d.title)} — {format_day(d.due_on)}"
        + (f" — _{blocks.escape(d.citation)}_" if d.citation else "")
        for d in dependents
    ]
    body += _list(
        f"It has {len(dependents)} open deadline{'s' if len(dependents) != 1 else ''} that "
        "followed from it. Cancel them too?",
        lines,
    )
    n = len(dependents)
    body.append(
        blocks.actions(
            blocks.button(
                f"Cancel these {n} deadline{'s' if n != 1 else ''}",
                RulesetAction.CANCEL_DEPENDENTS,
                token,
                style="danger",
            ),
            blocks.button("Keep them", RulesetAction.KEEP_DEPENDENTS, token),
        )
    )
    return _capped(text + f" It has {n} open deadline(s); cancel them too?", body)


def dependents_cancelled(result: dict[str, Any], *, again: bool) -> blocks.Message:
    ids = result.get("cancelled_ids", [])
    if again:
        text = "Already answered; nothing more was changed."
    elif ids:
        text = f"Cancelled {len(ids)} deadline(s): " + ", ".join(f"#{i}" for i in ids) + "."
    else:
        text = "They were already done or cancelled; nothing changed."
    return blocks.message(text, blocks.section(f":white_check_mark: {text}"))


def dependents_kept(again: bool) -> blocks.Message:
    text = (
        "This was already answered; this click changed nothing."
        if again
        else "Kept: the trigger's deadlines stay open."
    )
    return blocks.message(text, blocks.section(text))
