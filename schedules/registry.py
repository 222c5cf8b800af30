"""What Clerk says on its own, handed to the scheduler by the app shell.

``schedules/`` runs jobs, queues their messages and delivers them exactly once, but knows no
domain: which jobs exist, how a queued reminder becomes Block Kit, how a failure is reported
to the admins and how a report's chart is uploaded all live with their domains in
``handlers/``. ``bot.app.build_clerk`` gathers them (``handlers.scheduled.proactive``) into one
:class:`Proactive` and sets it on the Clerk it builds, where the runner, the dry run and
delivery find it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.clerk import Clerk
    from schedules.jobs import Job, Payload


@dataclass(frozen=True)
class Proactive:
    """The jobs in the order the dry run lists their messages, and delivery's three helpers."""

    jobs: Sequence[Job]
    # A queued payload -> chat.postMessage's arguments besides the channel (facts are drawn).
    draw: Callable[[Mapping[str, Any]], dict[str, Any]]
    # The admins' DM when a message cannot be delivered.
    failure_report: Callable[..., Payload]
    # Uploads a report's chart into the thread of the message just posted.
    upload_chart: Callable[..., None]

    def job_named(self, name: str) -> Job:
        for job in self.jobs:
            if job.name == name:
                return job
        raise KeyError(name)


def proactive_of(clerk: Clerk) -> Proactive:
    """The Clerk's scheduled work; a Clerk built without it cannot run the scheduler."""
    found = clerk.proactive
    if not isinstance(found, Proactive):
        raise RuntimeError("this Clerk was built without its scheduled jobs (bot.app.build_clerk)")
    return found
