"""Slack-facing listeners, one module per command family, each with ``register(app, clerk)``."""

from __future__ import annotations

from slack_bolt import App

from bot.clerk import Clerk


def register_all(app: App, clerk: Clerk) -> None:
    """Register every listener once. Order matters in two places: the error handler and the
    ack middleware come first, and the catch-all event listener comes last; feature modules
    add their DM sentence readers in the order they should be tried.
    """
    from handlers import conversation
    from handlers.billing import balances, invoices, payments
    from handlers.briefing import buttons as briefing
    from handlers.clients import commands as clients
    from handlers.clients import conflicts, contacts, credit, documents, form_conflicts, matters
    from handlers.deadlines import commands as deadlines
    from handlers.deadlines import reminder_buttons as reminders
    from handlers.deadlines import rulesets
    from handlers.firm import admin, audit, home, imports
    from handlers.kernel import commands, errors, profiles
    from handlers.reports import reports

    errors.register(app, clerk)
    commands.register(app, clerk)
    conversation.register(app, clerk)
    admin.register(app, clerk)
    profiles.register(app, clerk)  # user_change: a deactivated member's role goes at once
    for module in (
        clients,
        matters,
        conflicts,
        form_conflicts,  # the forms' *Proceed* on a possible conflict
        documents,  # the File to matter shortcut and its form
        contacts,
        imports,  # `/clerk import` and CSV files sent by DM, after the contact sentence
        deadlines,
        rulesets,
        balances,
        invoices,
        payments,
        credit,  # the credit check's *Proceed*
        home,
        reminders,  # on the per-item reminder DMs an older Clerk sent
        briefing,
        audit,
        reports,
    ):
        module.register(app, clerk)
    conversation.register_fallback(app)
