"""The benchmark's own parts: percentiles, floors that select what the jobs select, the
command timer over real HTTP, the bare bolt floor, and the target checks."""

from __future__ import annotations

import math
import statistics
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.billing.receivables import overdue_accounts
from bot.clients import budgets
from bot.clients import morning as client_queries
from bot.deadlines import morning as deadline_queries
from bot.reports.clients import analyse_clients
from bot.reports.kpis import compute, ended_before
from bot.server import base_url, make_server, serve_in_background, stop_server
from bot.tools.bench import report
from bot.tools.bench.client_floors import client_params
from bot.tools.bench.floor import FLOOR_ACK, FLOOR_REPLY, build_floor_app
from bot.tools.bench.floors import FLOORS, REMINDER_STEPS, Floor, run_floor, run_floor_rows
from bot.tools.bench.latency import CommandTimer, classify, run_rounds
from bot.tools.bench.processes import BOT_TOKEN, SIGNING_SECRET
from bot.tools.bench.report_floors import figures
from bot.tools.bench.scenarios import Request, Scenario, build_scenarios
from bot.tools.bench.stats import percentile, ratio, summarize
from bot.tools.seeding import TINY
from bot.tools.standin.server import SlackStandIn
from storage.db import Database
from tests.bench.conftest import CLERK_AT, MONDAY, SeededFirm
from tests.harness import SIGNING_SECRET as HARNESS_SECRET
from tests.harness import running_clerk

NY = ZoneInfo("America/New_York")

samples = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1)


@given(samples, st.floats(min_value=0, max_value=100))
def test_a_percentile_lies_within_the_samples(values: list[float], q: float) -> None:
    found = percentile(values, q)
    assert min(values) <= found <= max(values)


@given(samples, st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_percentiles_grow_with_q(values: list[float], q1: float, q2: float) -> None:
    low, high = sorted((q1, q2))
    assert percentile(values, low) <= percentile(values, high) + 1e-9


@given(samples)
def test_p50_is_the_median(values: list[float]) -> None:
    assert math.isclose(percentile(values, 50), statistics.median(values), abs_tol=1e-6)


def test_summaries_and_ratios_refuse_what_is_missing() -> None:
    assert summarize([]) is None
    assert ratio(None, 2.0) is None and ratio(2.0, 0.0) is None and ratio(3.0, 2.0) == 1.5


def test_replies_are_classified_by_their_first_section() -> None:
    def reply(text: str) -> dict[str, Any]:
        return {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}

    assert classify(reply(":warning: There is no client `NOPE`.")) == "refused"
    assert classify(reply(":question: Dec 3 is in the past. Store it?")) == "question"
    assert classify(reply("*ACME* Acme Corp")) == "ok"
    assert classify({"text": "plain"}) == "ok"


def test_each_floor_selects_what_its_job_selects(seeded_firm: SeededFirm) -> None:
    """Same rows from the plain SQL as from the job's own query, on this database."""
    db = Database(seeded_firm(TINY.scaled(2)))
    day = MONDAY
    try:
        with db.reading() as session:
            expected = {
                "deadline_digest": len(
                    deadline_queries.digest_deadlines(session, end=day + timedelta(days=7))
                ),
                "briefing": len(
                    deadline_queries.reminder_deadlines(
                        session,
                        start=day,
                        end=day + timedelta(days=30),
                        due_on_in={day + timedelta(days=step) for step in REMINDER_STEPS},
                    )
                )
                + len(client_queries.follow_ups_due(session, day=day, start=day))
                + len(client_queries.key_clients(session)),
                "overdue_accounts": len(overdue_accounts(session, as_of=day))
                + len(budgets.alerts(session)),
            }
        reports = {"weekly_report": "week", "monthly_report": "month"}
        assert set(expected) | set(reports) | {"clients_report"} == set(FLOORS)
        assert all(expected.values()), expected  # an empty selection would prove nothing
        found = {name: run_floor(db, FLOORS[name], day)[1] for name in expected}
        assert found == expected
        for name, kind in reports.items():
            with db.reading() as session:
                kpis = compute(session, ended_before(kind, day), zone=NY, currency="USD")
            floor = figures(run_floor_rows(db, FLOORS[name], day)[1])
            assert floor["contacts"] == kpis.contacts_total > 0, name
            assert floor["deadlines"] == kpis.deadlines_on_time + kpis.deadlines_missed > 0
            assert floor.get("new_clients", 0) == kpis.new_clients, name
            assert floor.get("new_matters", 0) == kpis.new_matters, name
            assert floor["collected"] == kpis.collected_cents > 0, name
            assert floor["aging"] == sum(cents for _, cents in kpis.aging) > 0, name
    finally:
        db.dispose()


def test_the_timer_times_clerk_and_the_bare_floor_over_http(seeded_firm: SeededFirm) -> None:
    url = seeded_firm(TINY)
    with running_clerk(url, at=CLERK_AT) as harness:
        found = build_scenarios(harness.db, MONDAY)
        clerk_side = [s for s in found if s.target == "clerk"]
        assert {s.key for s in clerk_side} >= {"balance", "client", "contact", "deadline_add"}
        floor_app = build_floor_app(SIGNING_SECRET, BOT_TOKEN, harness.standin.url)
        floor_server = make_server(floor_app, Database("sqlite://"), host="127.0.0.1", port=0)
        thread = serve_in_background(floor_server)
        try:
            timer = CommandTimer(
                harness.standin,
                {
                    "clerk": harness.url + "/slack/events",
                    "floor": base_url(floor_server) + "/slack/events",
                },
            )
            # The in-process Clerk signs with the harness secret; the floor with the bench's.
            timer.drivers["clerk"].secret = HARNESS_SECRET
            results = run_rounds(timer, found, warmup=1, rounds=2)
        finally:
            stop_server(floor_server, thread)
    for scenario in found:
        got = results[scenario.key]
        assert got.outcomes == {"ok": 2}, (scenario.key, got.outcomes, got.examples)
        assert len(got.ack_ms) == 2 and all(ms > 0 for ms in got.ack_ms)
        assert len(got.reply_ms) == (2 if scenario.waits_for_reply else 0)


def test_a_refused_command_is_counted_not_timed_as_a_success() -> None:
    with SlackStandIn() as standin:
        app = build_floor_app(SIGNING_SECRET, BOT_TOKEN, standin.url)
        server = make_server(app, Database("sqlite://"), host="127.0.0.1", port=0)
        thread = serve_in_background(server)
        try:
            timer = CommandTimer(standin, {"floor": base_url(server) + "/slack/events"})
            timer.drivers["floor"].secret = "not-the-secret"  # bolt refuses the signature
            scenario = Scenario("x", "x", (Request("U1", FLOOR_REPLY, ""),), target="floor")
            results = run_rounds(timer, [scenario], warmup=0, rounds=1)
            ack_only = Scenario(
                "y", "y", (Request("U1", FLOOR_ACK, ""),), target="floor", waits_for_reply=False
            )
            timer.drivers["floor"].secret = SIGNING_SECRET
            acked = run_rounds(timer, [ack_only], warmup=0, rounds=1)
        finally:
            stop_server(server, thread)
    assert results["x"].outcomes == {"http 401": 1} and not results["x"].reply_ms
    assert acked["y"].outcomes == {"ok": 1}


def _results(**command: Any) -> dict[str, Any]:
    return {
        "sizes": ["small", "large"],
        "backends": {
            "sqlite": {
                "commands": {"balance": {"label": "/balance CLIENT", **command}},
                "digests": {"large": {"briefing": {"ratio": 4.0}, "overdue": {"ratio": None}}},
                "server": {"large": {"peak_rss_mb": 120.0, "ready_s": 1.2}},
            }
        },
    }


def test_targets_are_met_missed_or_not_available() -> None:
    checks = {
        c["target"]: c["met"]
        for c in report.evaluate(_results(growth_ack=1.2, growth_reply=1.6, over_floor_ack=None))
    }
    assert checks["sqlite /balance CLIENT: ack p99 large/small"] is True
    assert checks["sqlite /balance CLIENT: reply p99 large/small"] is False
    assert checks["sqlite /balance CLIENT: ack p50 / bare bolt"] is None
    assert checks["sqlite briefing: build / plain SQL"] is False
    assert checks["sqlite overdue: build / plain SQL"] is None
    assert checks["sqlite serving peak RSS"] is True
    assert checks["sqlite ready after start"] is True


def test_the_client_analysis_floor_selects_what_the_analysis_folds(
    seeded_firm: SeededFirm,
) -> None:
    db = Database(seeded_firm(TINY.scaled(2)))
    try:
        with db.reading() as session:
            found = analyse_clients(session, today=MONDAY, zone=NY, currency="USD")
        statements = FLOORS["clients_report"].statements
        by_industry = Floor(statements[0], client_params)
        floor = {row[0]: row for row in run_floor_rows(db, by_industry, MONDAY)[1]}
        industries = {row.label for row in found.by_industry}
        assert industries and set(floor) == industries
        for row in found.by_industry:
            seg = floor[row.label]
            assert (row.clients, row.active_matters, row.billed_cents, row.collected_cents) == (
                int(seg[1]),
                int(seg[2]),
                int(seg[3]),
                int(seg[4]),
            )
            assert (row.overdue_cents, row.new_clients) == (int(seg[5]), int(seg[8]))
        assert sum(r.billed_cents for r in found.by_industry) > 0
        top = run_floor_rows(db, Floor(statements[3], client_params), MONDAY)[1]
        assert [(t.code, t.collected_cents) for t in found.top] == [(r[0], int(r[2])) for r in top]
    finally:
        db.dispose()
