"""Loading rule files: the built-in frcp set, a firm's own sets, and every kind of bad file.

A bad file must stop start-up with a message a docketing clerk can act on: the file, the
rule (by id, or by number when it has none), the field, and the line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ClerkError, NotFound
from bot.rules.loader import RuleSetError, load_rule_sets

NY = """\
name: ny-cplr
title: New York Civil Practice Law and Rules
jurisdiction: New York State Supreme Court
triggers:
  - id: summons-served-personally
    description: Summons and complaint delivered personally in New York
  - id: demand-served
    description: Demand for a bill of particulars served
rules:
  - id: answer-personal
    title: Answer (personal delivery)
    trigger: summons-served-personally
    days: 20
    direction: after
    citation: CPLR 320(a)
  - id: bill-of-particulars
    title: Bill of particulars
    trigger: demand-served
    days: 30
    direction: after
    citation: CPLR 3042(a)
    note: Check for a stipulation extending the time.
"""

RULE = """\
name: firm
title: Firm rules
jurisdiction: Somewhere
triggers:
  - id: served
    description: Served
rules:
  - id: answer
    title: Answer
    trigger: served
    days: 21
    direction: after
    citation: Rule 1
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str, name: str = "ny.yml") -> str:
    """Load one firm file that must be refused; return the message."""
    write(tmp_path, name, text)
    with pytest.raises(RuleSetError) as caught:
        load_rule_sets(tmp_path)
    assert isinstance(caught.value, ClerkError)
    return caught.value.message


# --- the built-in set ------------------------------------------------------------------


def test_builtin_frcp_has_the_pinned_triggers_and_citations() -> None:
    frcp = load_rule_sets(None).get("frcp")
    assert [t.id for t in frcp.triggers] == [
        "served",
        "waiver-sent",
        "counterclaim-served",
        "discovery-served",
        "judgment",
        "trial",
        "scheduling-conference",
        "expert-disclosure-served",
        "complaint-received",
    ]
    table = {
        r.id: (r.trigger, r.days, r.direction, r.citation, r.mail_days_apply, r.extendable)
        for r in frcp.rules
    }
    assert table == {
        "answer": ("served", 21, "after", "FRCP 12(a)(1)(A)(i)", False, True),
        "answer-after-waiver": ("waiver-sent", 60, "after", "FRCP 12(a)(1)(A)(ii)", False, True),
        "answer-counterclaim": ("counterclaim-served", 21, "after", "FRCP 12(a)(1)(B)", True, True),
        "discovery-responses": (
            "discovery-served",
            30,
            "after",
            "FRCP 33(b)(2), 34(b)(2)(A), 36(a)(3)",
            True,
            True,
        ),
        "renewed-jmol-motion": ("judgment", 28, "after", "FRCP 50(b)", False, False),
        "new-trial-motion": ("judgment", 28, "after", "FRCP 59(b)", False, False),
        "alter-amend-motion": ("judgment", 28, "after", "FRCP 59(e)", False, False),
        "attorney-fees-motion": ("judgment", 14, "after", "FRCP 54(d)(2)(B)(i)", False, True),
        "notice-of-appeal": ("judgment", 30, "after", "FRAP 4(a)(1)(A)", False, True),
        "expert-disclosures": ("trial", 90, "before", "FRCP 26(a)(2)(D)(i)", False, True),
        "pretrial-disclosures": ("trial", 30, "before", "FRCP 26(a)(3)(B)", False, True),
        "rule-26f-conference": (
            "scheduling-conference",
            21,
            "before",
            "FRCP 26(f)(1)",
            False,
            True,
        ),
        "rebuttal-expert-disclosure": (
            "expert-disclosure-served",
            30,
            "after",
            "FRCP 26(a)(2)(D)(ii)",
            False,
            True,
        ),
        "notice-of-removal": (
            "complaint-received",
            30,
            "after",
            "28 U.S.C. 1446(b)(1)",
            False,
            True,
        ),
    }
    assert all(r.count == "calendar" for r in frcp.rules)
    for rule in frcp.rules:
        if not rule.extendable:
            assert rule.note == "FRCP 6(b)(2): the court must not extend this time"


def test_builtin_file_says_these_are_defaults() -> None:
    text = (Path(__file__).parents[2] / "bot/rules/builtin/frcp.yml").read_text()
    assert "absent a stipulation or court order" in text


# --- a firm's own sets -----------------------------------------------------------------


def test_firm_set_loads_beside_frcp(tmp_path: Path) -> None:
    write(tmp_path, "ny.yml", NY)
    book = load_rule_sets(tmp_path)
    assert [s.name for s in book.sets()] == ["frcp", "ny-cplr"]
    ny = book.get("NY-CPLR")
    assert ny.title == "New York Civil Practice Law and Rules"
    assert [r.id for r in ny.rules_for("demand-served")] == ["bill-of-particulars"]
    rule = ny.find_rule("answer-personal")
    assert rule is not None
    assert (rule.count, rule.mail_days_apply, rule.extendable, rule.note) == (
        "calendar",
        False,
        True,
        None,
    )
    assert book.source("ny-cplr") == str(tmp_path / "ny.yml")
    assert book.trigger("ny-cplr", "Demand-Served").id == "demand-served"


def test_yaml_extension_loaded_and_other_files_ignored(tmp_path: Path) -> None:
    write(tmp_path, "ny.yaml", NY)
    write(tmp_path, "._ny.yml", "\x00 macOS resource fork, not YAML")
    write(tmp_path, "notes.txt", "not a rule file")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "other.yml", "broken: [")
    assert [s.name for s in load_rule_sets(tmp_path).sets()] == ["frcp", "ny-cplr"]


def test_unknown_set_lists_available(tmp_path: Path) -> None:
    write(tmp_path, "ny.yml", NY)
    book = load_rule_sets(tmp_path)
    with pytest.raises(NotFound, match=r"no rule set 'cal'.*frcp, ny-cplr"):
        book.get("cal")


def test_unknown_trigger_lists_that_sets_triggers() -> None:
    book = load_rule_sets(None)
    with pytest.raises(NotFound) as caught:
        book.trigger("frcp", "verdict")
    message = caught.value.message
    assert "'verdict'" in message
    assert "judgment (Entry of judgment)" in message
    assert "complaint-received" in message


def test_missing_rules_dir_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="missing"):
        load_rule_sets(tmp_path / "nope")


# --- bad files: each names the file, the rule and the field ----------------------------


def test_days_not_positive(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("days: 21", "days: 0"))
    assert message == (
        f"{tmp_path / 'ny.yml'}: rule 'answer' field 'days': "
        "Input should be greater than 0 (line 11)"
    )


def test_days_as_text_refused(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("days: 21", 'days: "21"'))
    assert "rule 'answer' field 'days': Input should be a valid integer" in message


def test_unknown_trigger_named(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("trigger: served", "trigger: servd"))
    assert "ny.yml: rule 'answer' field 'trigger': unknown trigger 'servd'" in message
    assert "triggers are served" in message
    assert "(line 10)" in message


def test_misspelt_key_refused_with_allowed_fields(tmp_path: Path) -> None:
    message = refusal(
        tmp_path, RULE.replace("    citation: Rule 1", "    citation: R1\n    nots: x")
    )
    assert "rule 'answer' field 'nots': Extra inputs are not permitted" in message
    assert "allowed fields: id, title, trigger, days" in message


def test_missing_field(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("    citation: Rule 1\n", ""))
    assert "ny.yml: rule 'answer' field 'citation': Field required" in message


def test_rule_without_id_named_by_number(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("  - id: answer\n    title", "  - title"))
    assert "ny.yml: rule #1 field 'id': Field required" in message


def test_bad_direction(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("direction: after", "direction: since"))
    assert "rule 'answer' field 'direction': Input should be 'after' or 'before'" in message


def test_bad_count(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("direction: after", "direction: after\n    count: x"))
    assert "rule 'answer' field 'count': Input should be 'calendar' or 'court'" in message


def test_duplicate_rule_id(tmp_path: Path) -> None:
    second = RULE.split("rules:\n")[1].replace("Answer", "Answer again")
    message = refusal(tmp_path, RULE + second)
    assert "rule 'answer' field 'id': duplicate id 'answer'" in message


def test_rule_id_equal_to_a_trigger_id(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("  - id: answer", "  - id: served"))
    assert "rule 'served' field 'id': duplicate id 'served': a trigger already uses it" in message


def test_duplicate_trigger_id(tmp_path: Path) -> None:
    text = RULE.replace(
        "    description: Served\n", "    description: Served\n  - id: served\n    description: x\n"
    )
    message = refusal(tmp_path, text)
    assert "trigger 'served' field 'id': duplicate id 'served'" in message


def test_trigger_without_rules(tmp_path: Path) -> None:
    text = RULE.replace(
        "    description: Served\n", "    description: Served\n  - id: unused\n    description: x\n"
    )
    message = refusal(tmp_path, text)
    assert "trigger 'unused' field 'id': trigger 'unused' has no rules" in message


def test_mail_days_on_a_period_before_the_trigger(tmp_path: Path) -> None:
    text = RULE.replace("direction: after", "direction: before\n    mail_days_apply: true")
    message = refusal(tmp_path, text)
    assert "rule 'answer' field 'mail_days_apply': mail days (FRCP 6(d)) only" in message


def test_bad_set_name(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("name: firm", "name: My Firm"))
    assert "ny.yml: field 'name': 'My Firm' is not a valid id" in message
    assert "(line 1)" in message


def test_empty_rules_list(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.split("rules:")[0] + "rules: []\n")
    assert "field 'rules': List should have at least 1 item" in message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("    days: 21", "    days: [21"))
    assert message.startswith(f"{tmp_path / 'ny.yml'}: YAML syntax error at line ")
    line = int(message.split("at line ")[1].split(",")[0])
    assert 11 <= line <= 13


def test_yaml_key_given_twice(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("    days: 21", "    days: 21\n    days: 14"))
    assert "ny.yml: YAML syntax error at line 12" in message
    assert "key 'days' is given twice (first on line 11)" in message


def test_empty_file_and_list_file(tmp_path: Path) -> None:
    assert "the file is empty" in refusal(tmp_path, "# nothing\n")
    assert "expected a mapping" in refusal(tmp_path, "- a\n- b\n")


def test_duplicate_set_names_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", RULE)
    message = refusal(tmp_path, RULE, name="b.yml")
    assert f"{tmp_path / 'b.yml'}: field 'name': rule set 'firm' is already defined in" in message
    assert str(tmp_path / "a.yml") in message


def test_firm_set_may_not_reuse_frcp(tmp_path: Path) -> None:
    message = refusal(tmp_path, RULE.replace("name: firm", "name: frcp"))
    assert "rule set 'frcp' is already defined in frcp.yml (built-in)" in message


def test_every_problem_in_every_file_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", RULE.replace("days: 21", "days: -1"))
    write(tmp_path, "b.yml", RULE.replace("name: firm", "name: b").replace("title: Answer", "x: 1"))
    with pytest.raises(RuleSetError) as caught:
        load_rule_sets(tmp_path)
    problems = caught.value.problems
    assert any("a.yml: rule 'answer' field 'days'" in p for p in problems)
    assert any("b.yml: rule 'answer' field 'title': Field required" in p for p in problems)
    assert any("b.yml: rule 'answer' field 'x': Extra inputs" in p for p in problems)
