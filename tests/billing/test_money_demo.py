"""``clerk demo --script`` with the money commands: what a firm trying Clerk would type."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

SCRIPT = """\
as @bill /invoice add ACME INV-D1 $1,500 issued Oct 1 terms 30 days
as @bill /payment add ACME $600 on Nov 20
as @bill /payment add ACME $10,000 trust
as @bill /invoice dispute INV-D1 hours contested
as @bill /balance ACME
as @bill /balance overdue
as @sam /payment add ACME $5
as @sam /balance ACME
as @lena dm what does ACME owe?
"""


def test_money_commands_in_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "money.txt"
    script.write_text(SCRIPT)
    status = main(
        [
            "demo",
            "--script",
            str(script),
            "--database",
            str(tmp_path / "demo.db"),
            "--no-scheduler",
            "--at",
            "2026-12-01 09:00",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "Traceback" not in out and "Something went wrong" not in out
    for line in SCRIPT.splitlines():
        assert f"» {line}" in out
    assert "Invoice INV-D1 recorded for ACME" in out
    assert "$600.00" in out and "Trust deposit of $10,000.00" in out
    assert "INV-D1 (ACME) is disputed: hours contested" in out
    assert "Overdue accounts" in out
    sam = out.split("» as @sam /payment add ACME $5", 1)[1].split("» ", 1)[0]
    assert "Sorry, your role (staff)" in sam
    sam_balance = out.split("» as @sam /balance ACME", 1)[1].split("» ", 1)[0]
    assert "confidential" in sam_balance and "$" not in sam_balance
    lena = out.split("» as @lena dm what does ACME owe?", 1)[1]
    assert "DM to @lena" in lena and "outstanding" in lena
    assert out.count("── only visible to you ──") == 8
