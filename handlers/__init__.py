"""Slack-facing listeners, one module per command family, each with ``register(app, clerk)``."""

from __future__ import annotations

from slack_bolt import App

from bot.clerk import Clerk


def register_all(app: App, clerk: Clerk) -> None:
    from handlers import admin, commands, conversation, errors

    errors.register(app, clerk)
    commands.register(app, clerk)
    conversation.register(app, clerk)
    admin.register(app, clerk)
    for module in _feature_modules():
        module.register(app, clerk)
    conversation.register_fallback(app)


def _feature_modules() -> list:  # type: ignore[type-arg]
    """Feature modules in the order their sentence readers should be tried."""
    import importlib

    names = [
        "clients",
        "matters",
        "contacts",
        "imports",
        "deadlines",
        "rulesets",
        "balances",
        "invoices",
        "payments",
        "home",
        "reminders",
        "reports",
        "audit",
    ]
    found = []
    for name in names:
        try:
            found.append(importlib.import_module(f"handlers.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"handlers.{name}":
                raise
    return found
