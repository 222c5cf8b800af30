"""The floor: a bare bolt app with commands that only acknowledge (or acknowledge and reply),
served by the same waitress wrapper as Clerk (``bot.server``), as its own process.

Whatever Clerk takes beyond this is Clerk's own work; what this takes is bolt, waitress,
request verification and the HTTP round trip, which no Slack app can avoid.
``python -m bot.tools.bench.floor --port P`` (environment as for ``clerk run``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from types import FrameType

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

FLOOR_ACK = "/floor-ack"
FLOOR_REPLY = "/floor-reply"


def build_floor_app(signing_secret: str, token: str, api_url: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        process_before_response=False,
        token_verification_enabled=True,
    )

    @app.command(FLOOR_ACK)
    def only_ack(ack: Ack) -> None:
        ack()

    @app.command(FLOOR_REPLY)
    def ack_and_reply(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="ok", response_type="ephemeral")

    return app


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    from bot.server import make_server
    from storage.db import Database

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    api_url = os.environ.get("SLACK_API_URL", "https://slack.com/api/")
    app = build_floor_app(
        os.environ["SLACK_SIGNING_SECRET"], os.environ["SLACK_BOT_TOKEN"], api_url
    )
    # The health check needs a database; an in-memory one costs nothing per request.
    server = make_server(app, Database("sqlite://"), host="127.0.0.1", port=args.port)
    signal.signal(signal.SIGTERM, _stop)
    with contextlib.suppress(SystemExit, KeyboardInterrupt):
        server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
