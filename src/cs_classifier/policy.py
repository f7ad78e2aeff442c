"""Policy facts as data: statements that contradict consumer-protection rules."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

from .segment import normalize_text


@dataclass(frozen=True)
class PolicyRule:
    """A statement pattern that contradicts a policy fact, and the fact it contradicts."""

    id: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None
    fact: str
    fact_zh: str = ""


@dataclass(frozen=True)
class PolicyViolation:
    rule: PolicyRule
    start: int
    end: int


def load_policy_rules(path: str | None = None) -> list[PolicyRule]:
    """Rules from ``path`` (JSON), or the bundled ``policy_rules.json``."""
    if path is None:
        raw = resources.files("cs_classifier").joinpath("resources/policy_rules.json").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    rules = []
    for item in json.loads(raw)["rules"]:
        unless = item.get("unless") or ""
        rules.append(PolicyRule(id=item["id"], pattern=re.compile(item["pattern"]),
                                unless=re.compile(unless) if unless else None, fact=item["fact"],
                                fact_zh=item.get("fact_zh", "")))
    return rules


_DEFAULT: list[PolicyRule] | None = None


def default_rules() -> list[PolicyRule]:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_policy_rules()
    return _DEFAULT


def rule_by_id(rule_id: str, rules: Sequence[PolicyRule] | None = None) -> PolicyRule | None:
    return next((r for r in (rules if rules is not None else default_rules()) if r.id == rule_id), None)


def policy_violations(text: str, rules: Sequence[PolicyRule] | None = None) -> list[PolicyViolation]:
    """The rules an agent statement contradicts, with the span of the offending words in ``text``.

    Spans index the normalised text, which has the same length as the input for ordinary chat text.
    """
    norm = normalize_text(text)
    found = []
    for rule in rules if rules is not None else default_rules():
        match = rule.pattern.search(norm)
        if match and not (rule.unless and rule.unless.search(norm)):
            found.append(PolicyViolation(rule, match.start(), match.end()))
    return found
