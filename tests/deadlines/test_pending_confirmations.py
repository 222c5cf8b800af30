"""A preview's token is used once, even when two clicks race each other."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bot.deadlines import pending
from bot.errors import Conflict, NotFound, PermissionDenied
from storage.db import Database
from tests.deadlines.conftest import NOW, actor


def make(db: Database, who: str = "U_LENA") -> str:
    with db.unit_of_work(who) as s:
        return pending.create(s, kind="test", actor=actor(db, who), payload={"n": 1}, now=NOW)


def test_the_first_claim_wins_and_the_second_sees_the_result(firm_db: Database) -> None:
    token = make(firm_db)
    lena = actor(firm_db, "U_LENA")
    with firm_db.unit_of_work("U_LENA") as s:
        first = pending.claim(s, token=token, kind="test", actor=lena, now=NOW)
        pending.record_result(s, token, {"stored": [1, 2]})
    with firm_db.unit_of_work("U_LENA") as s:
        second = pending.claim(s, token=token, kind="test", actor=lena, now=NOW)
    assert first.fresh and first.payload == {"n": 1}
    assert not second.fresh and second.result == {"stored": [1, 2]}


def test_a_failed_store_rolls_the_claim_back(firm_db: Database) -> None:
    token = make(firm_db)
    lena = actor(firm_db, "U_LENA")
    with pytest.raises(RuntimeError), firm_db.unit_of_work("U_LENA") as s:
        assert pending.claim(s, token=token, kind="test", actor=lena, now=NOW).fresh
        raise RuntimeError("storing failed")
    with firm_db.unit_of_work("U_LENA") as s:
        assert pending.claim(s, token=token, kind="test", actor=lena, now=NOW).fresh


def test_only_the_asker_may_answer_and_old_or_unknown_tokens_are_refused(
    firm_db: Database,
) -> None:
    token = make(firm_db)
    with pytest.raises(PermissionDenied), firm_db.unit_of_work("U_MARK") as s:
        pending.claim(s, token=token, kind="test", actor=actor(firm_db, "U_MARK"), now=NOW)
    lena = actor(firm_db, "U_LENA")
    with pytest.raises(Conflict, match="more than a day old"), firm_db.unit_of_work("U_LENA") as s:
        pending.claim(s, token=token, kind="test", actor=lena, now=NOW + timedelta(days=2))
    with pytest.raises(NotFound), firm_db.unit_of_work("U_LENA") as s:
        pending.claim(s, token="nope", kind="test", actor=lena, now=NOW)
    with pytest.raises(NotFound), firm_db.unit_of_work("U_LENA") as s:
        pending.claim(s, token=token, kind="other-kind", actor=lena, now=NOW)


def test_two_concurrent_claims_store_once(firm_db: Database) -> None:
    token = make(firm_db)
    lena = actor(firm_db, "U_LENA")
    first_claimed = threading.Event()
    results: dict[str, bool] = {}
    errors: list[BaseException] = []

    def slow_first() -> None:
        try:
            with firm_db.unit_of_work("U_LENA") as s:
                results["first"] = pending.claim(
                    s, token=token, kind="test", actor=lena, now=NOW
                ).fresh
                first_claimed.set()
                # Hold the transaction open while the second click arrives.
                threading.Event().wait(0.3)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
            first_claimed.set()

    def second() -> None:
        first_claimed.wait(10)
        try:
            with firm_db.unit_of_work("U_LENA") as s:
                results["second"] = pending.claim(
                    s, token=token, kind="test", actor=lena, now=NOW
                ).fresh
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=slow_first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert results == {"first": True, "second": False}
