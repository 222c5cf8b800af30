"""Every callback, action and block id Clerk uses, in one place so none collide."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CONFIRM_READING = "clerk_confirm_reading"
    CANCEL_READING = "clerk_cancel_reading"


class View(StrEnum):
    pass
