"""``clerk demo --script`` runs the real bot end to end and shows what Slack would show."""

from __future__ import annotations

import argparse
import io
import re
import urllib.request
from pathlib import Path

import pytest

from bot.cli import main
from bot.tools.demo import demo_clerk, flush_output, run_line

SCRIPT = Path(__file__).parents[2] / "docs" / "demo-script.txt"


def test_the_demo_script_runs_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status = main(
        ["demo", "--script", str(SCRIPT), "--database", str(tmp_path / "demo.db"), "--no-scheduler"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "Something went wrong" not in out
    assert "Traceback" not in out
    # every scripted line was echoed and answered
    lines = [line for line in SCRIPT.read_text().splitlines() if line and not line.startswith("#")]
    for line in lines:
        assert f"» {line}" in out
    assert out.count("── only visible to you ──") >= 8
    assert "Ada Adams" in out  # /clerk whoami as the seeded admin
    assert "Acme Corporation" in out  # the client card
    assert "adverse on *INITECH-1*" in out  # /conflict acme: the sample firm's conflict
    assert "Signed engagement letter" in out  # /matter docs
    assert "Credit check recorded for GLOBEX: *conditional*" in out  # after its *Proceed*
    assert "Billed to date: $12,500.00 (83% of the budget)" in out  # the matter card
    assert "Related clients: GLOBEX" in out and "Employer: Globex Holdings LLC" in out
    assert "Client analysis:" in out and "By practice area" in out


def test_the_demo_refuses_unknown_people(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "script.txt"
    script.write_text("as @nobody /clerk whoami\n")
    assert (
        main(
            [
                "demo",
                "--script",
                str(script),
                "--database",
                str(tmp_path / "d.db"),
                "--no-scheduler",
            ]
        )
        == 0
    )
    assert "no such person @nobody" in capsys.readouterr().out


def test_the_demo_serves_the_calendar_feed_it_hands_out(tmp_path: Path) -> None:
    """`/deadline calendar` in the demo answers with a URL a calendar can really poll."""
    out = io.StringIO()
    args = argparse.Namespace(
        database=str(tmp_path / "demo.db"), keep=False, at=None, no_scheduler=True, script=None
    )
    with demo_clerk(args, out) as session:
        run_line(session, "as @lena /deadline calendar")
        flush_output(session)
        (url,) = re.findall(r"http://127\.0\.0\.1:\d+/calendar/[\w-]+\.ics", out.getvalue())
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the demo's own
            feed = answer.read().decode()
    assert feed.startswith("BEGIN:VCALENDAR")
    assert "Opposition to motion to dismiss" in feed  # one of Lena's sample deadlines
