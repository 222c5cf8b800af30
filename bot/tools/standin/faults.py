"""Faults the stand-in can be told to answer with: errors, rate limits and late answers.

Tests make Slack fail the way it really does (``fail_next("chat.postMessage", status=429)``,
``delay_next(...)``) to prove Clerk's retries, cut-off recovery and reports.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from bot.tools.standin.wire import Fault


class FaultInjection:
    """Per-method queues of faults and delays, taken one call at a time."""

    _changed: threading.Condition
    _faults: dict[str, deque[Fault]]
    _delays: dict[str, deque[float]]

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail without taking effect.

        ``status=429`` answers "ratelimited" with a Retry-After header (``retry_after``,
        default 1 s); 500/503 answer a server error; ``error="channel_not_found"`` answers
        HTTP 200 with ``ok: false``. ``method`` may also be ``RESPONSE_URL`` or ``UPLOAD_URL``.
        """
        if status == 200 and error is None:
            raise ValueError("fail_next needs an error code, or a non-200 status")
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._changed:
            queue = self._faults.setdefault(method, deque())
            queue.append(Fault(status, error, retry_after, times))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next calls to ``method`` late: they take effect, then the reply waits.

        That is the ambiguous timeout a client really meets: it gave up, Slack had posted.
        """
        with self._changed:
            self._delays.setdefault(method, deque()).extend([seconds] * times)

    def _take_fault(self, method: str) -> Fault | None:
        with self._changed:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.popleft()
            return fault

    def _take_delay(self, method: str) -> float:
        with self._changed:
            queue = self._delays.get(method)
            return queue.popleft() if queue else 0.0

    @staticmethod
    def _fault_answer(fault: Fault) -> tuple[int, dict[str, Any], dict[str, str]]:
        default = {429: "ratelimited", 503: "service_unavailable"}.get(
            fault.status, "internal_error" if fault.status >= 500 else "request_failed"
        )
        response = {"ok": False, "error": fault.error or default}
        headers = {}
        if fault.retry_after is not None:
            headers["Retry_After"] = str(fault.retry_after)
        return fault.status, response, headers

    def _pause(self, method: str) -> None:
        seconds = self._take_delay(method)
        if seconds:
            time.sleep(seconds)
