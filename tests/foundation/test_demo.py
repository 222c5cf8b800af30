"""``clerk demo --script`` runs the real bot end to end and shows what Slack would show."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

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
