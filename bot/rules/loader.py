"""Load the built-in and the firm's rule sets, refusing a bad file with a message that says where.

Rule files are written by people who are not programmers (a docketing clerk, a partner), and
they are read once, at start-up. So a mistake must stop Clerk with a message that names the
file, the rule and the field, and the line where possible, e.g.
``rules/ny.yml: rule 'answer' field 'days': Input should be greater than 0 (line 14)``.
Every file's problems are reported together, so one fix is not followed by a refusal of the
next file. (Within a file, the cross-reference checks, such as a rule naming an unknown
trigger, run once the fields themselves are valid: that is how pydantic orders validation.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.errors import ClerkError, NotFound
from bot.rules.model import Rule, RuleSet, RuleSetProblem, Trigger

BUILTIN_DIR = Path(__file__).parent / "builtin"
RULE_FILE_SUFFIXES = (".yml", ".yaml")


class RuleSetError(ClerkError):
    """One or more rule files cannot be used; ``problems`` has one line per mistake."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class RuleBook:
    """Every rule set Clerk knows, by name. Built once at start-up and then only read."""

    _sets: dict[str, RuleSet] = field(default_factory=dict)
    _sources: dict[str, str] = field(default_factory=dict)

    def sets(self) -> list[RuleSet]:
        """All sets, by name, so listings are stable."""
        return [self._sets[name] for name in sorted(self._sets)]

    def get(self, name: str) -> RuleSet:
        """A set by name, ignoring case; an unknown name lists the ones that exist."""
        found = self._sets.get(name.strip().lower())
        if found is None:
            raise NotFound(
                f"There is no rule set {name.strip()!r}. Available: "
                + ", ".join(sorted(self._sets))
            )
        return found

    def trigger(self, set_name: str, trigger_id: str) -> Trigger:
        """A trigger of a set; an unknown one lists that set's triggers with their meaning."""
        ruleset = self.get(set_name)
        found = ruleset.find_trigger(trigger_id)
        if found is None:
            listing = "; ".join(f"{t.id} ({t.description})" for t in ruleset.triggers)
            raise NotFound(
                f"Rule set {ruleset.name!r} has no trigger {trigger_id.strip()!r}. "
                f"Its triggers: {listing}"
            )
        return found

    def source(self, name: str) -> str:
        """The file a set came from, for messages and the ``/deadline rules`` footer."""
        return self._sources[self.get(name).name]


def load_rule_sets(rules_dir: Path | None) -> RuleBook:
    """Load ``builtin/*.yml`` and every ``*.yml``/``*.yaml`` directly in ``rules_dir``.

    Files are read in name order so errors and duplicates are reported deterministically.
    Dot-files (editor backups, macOS ``._ny.yml``) are skipped. Raises ``RuleSetError``
    listing every problem found, or returns the book.
    """
    files: list[tuple[Path, str]] = [
        (path, f"{path.name} (built-in)") for path in _rule_files(BUILTIN_DIR)
    ]
    problems: list[str] = []
    if rules_dir is not None:
        if not rules_dir.is_dir():
            raise RuleSetError([f"{rules_dir}: the rules directory (CLERK_RULES_DIR) is missing"])
        files += [(path, str(path)) for path in _rule_files(rules_dir)]

    sets: dict[str, RuleSet] = {}
    sources: dict[str, str] = {}
    for path, shown in files:
        ruleset, file_problems = _load_file(path, shown)
        problems += file_problems
        if ruleset is None:
            continue
        if ruleset.name in sets:
            problems.append(
                f"{shown}: field 'name': rule set {ruleset.name!r} is already defined in "
                f"{sources[ruleset.name]}; give this set its own name"
            )
            continue
        sets[ruleset.name] = ruleset
        sources[ruleset.name] = shown
    if problems:
        raise RuleSetError(problems)
    return RuleBook(sets, sources)


def _rule_files(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() in RULE_FILE_SUFFIXES and not p.name.startswith(".")
    )


def _load_file(path: Path, shown: str) -> tuple[RuleSet | None, list[str]]:
    """Parse and validate one file; returns the set or the problems (never both)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{shown}: cannot be read: {exc}"]
    try:
        node, data = _parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        return None, [f"{shown}: {_yaml_error(exc)}"]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML errors are nearly all marked
        return None, [f"{shown}: YAML error: {exc}"]
    if data is None:
        return None, [f"{shown}: the file is empty"]
    if not isinstance(data, dict):
        return None, [f"{shown}: expected a mapping with name, title, jurisdiction, ..."]
    try:
        return RuleSet.model_validate(data), []
    except ValidationError as exc:
        return None, [f"{shown}: {line}" for line in _validation_lines(exc, data, node)]


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping.

    Plain PyYAML keeps the last value silently; in a rule file that would let a second
    ``days:`` line quietly win over the first.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    f"in the mapping starting on line {node.start_mark.line + 1}",
                    node.start_mark,
                    f"key {key!r} is given twice (first on line {seen[key].start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the plain data, from one parse."""
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _yaml_error(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
    what = exc.problem or exc.context or "invalid YAML"
    if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
        what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    return f"YAML syntax error at {where}: {what}"


_KIND = {"rules": "rule", "triggers": "trigger"}
_MODEL_FOR: dict[str, type[BaseModel]] = {"rules": Rule, "triggers": Trigger}


def _validation_lines(exc: ValidationError, data: dict[str, Any], node: Any) -> list[str]:
    """One readable line per pydantic error, naming the rule (id or number) and field."""
    lines: list[str] = []
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, RuleSetProblem):
            for loc, message in cause.problems:
                lines.append(_located(loc, message, data, node))
            continue
        message = str(cause) if error["type"] == "value_error" and cause else error["msg"]
        if error["type"] == "extra_forbidden":
            model = _model_at(error["loc"])
            message += "; allowed fields: " + ", ".join(model.model_fields)
        lines.append(_located(tuple(error["loc"]), message, data, node))
    return lines


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    if len(loc) >= 3 and loc[0] in _MODEL_FOR:
        return _MODEL_FOR[loc[0]]
    return RuleSet


def _located(loc: tuple[Any, ...], message: str, data: dict[str, Any], node: Any) -> str:
    """``rule 'answer' field 'days': <message> (line 14)`` from a pydantic location."""
    parts: list[str] = []
    rest = loc
    if len(loc) >= 2 and loc[0] in _KIND and isinstance(loc[1], int):
        kind, index = _KIND[loc[0]], loc[1]
        items = data.get(loc[0])
        item = items[index] if isinstance(items, list) and index < len(items) else None
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, str) and item_id.strip():
            parts.append(f"{kind} {item_id.strip()!r}")
        else:
            parts.append(f"{kind} #{index + 1}")
        rest = loc[2:]
    if rest:
        parts.append("field " + repr(".".join(str(p) for p in rest)))
    line = _line_of(node, loc)
    suffix = f" (line {line})" if line else ""
    prefix = " ".join(parts)
    return f"{prefix}: {message}{suffix}" if prefix else f"{message}{suffix}"


def _line_of(node: Any, loc: tuple[Any, ...]) -> int | None:
    """Follow ``loc`` through the YAML node tree; the deepest node reached gives the line.

    A missing field has no node of its own, so the mapping that should hold it is used.
    """
    if node is None:
        return None
    for depth, step in enumerate(loc):
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == step:
                    child = key_node if depth == len(loc) - 1 else value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            child = node.value[step]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1
