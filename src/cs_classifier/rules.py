"""Users' own rules beside the model: keyword and regex rules that add findings or tags, and
whitelists that suppress known false alarms. Rules live in a TOML (or, with PyYAML, YAML) file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .analysis import Analysis, FindingResult, Quote
from .segment import normalize_text
from .transcript import LABELS


class RulesError(ValueError):
    """The rules file is malformed; the message names the rule and the problem."""


@dataclass
class Matcher:
    """Keywords (any / all / none) and a regular expression with exclusions, limited to a role."""

    any: list[str] = field(default_factory=list)
    all: list[str] = field(default_factory=list)
    none: list[str] = field(default_factory=list)
    regex: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    role: str = "agent"

    def match(self, role: str, text: str) -> tuple[int, int] | None:
        """The span that matched in ``text`` (the turn's own text), or None."""
        if self.role != "any" and role != self.role:
            return None
        norm = normalize_text(text)
        if self.none and any(k in norm for k in self.none):
            return None
        if self.all and not all(k in norm for k in self.all):
            return None
        if self.unless is not None and self.unless.search(norm):
            return None
        spans = []
        if self.any:
            hits = [norm.find(k) for k in self.any if k in norm]
            if not hits:
                return None
            first = min(hits)
            keyword = next(k for k in self.any if norm.find(k) == first)
            spans.append((first, first + len(keyword)))
        if self.regex is not None:
            m = self.regex.search(norm)
            if not m:
                return None
            spans.append(m.span())
        if not spans and self.all:
            first = min(norm.find(k) for k in self.all)
            spans.append((first, first + len(next(k for k in self.all if norm.find(k) == first))))
        if not spans:
            return None
        from .segment import original_span
        return original_span(text, *spans[0])


@dataclass
class CustomRule:
    id: str
    matcher: Matcher
    label: str | None = None
    tag: str | None = None
    explanation: str = ""


@dataclass
class Whitelist:
    id: str
    matcher: Matcher
    labels: list[str] = field(default_factory=lambda: list(LABELS))


@dataclass
class RuleSet:
    rules: list[CustomRule] = field(default_factory=list)
    whitelists: list[Whitelist] = field(default_factory=list)


def _matcher(item: Mapping[str, Any], where: str) -> Matcher:
    def words(key: str) -> list[str]:
        value = item.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesError(f"{where}: '{key}' must be a list of strings")
        return [normalize_text(v) for v in value]

    def pattern(key: str) -> re.Pattern[str] | None:
        value = item.get(key)
        if value in (None, ""):
            return None
        try:
            return re.compile(str(value))
        except re.error as exc:
            raise RulesError(f"{where}: bad regular expression in '{key}': {exc}") from None

    role = item.get("role", "agent")
    if role not in ("agent", "customer", "any"):
        raise RulesError(f"{where}: role must be agent, customer or any, got {role!r}")
    m = Matcher(any=words("any"), all=words("all"), none=words("none"), regex=pattern("regex"),
                unless=pattern("unless"), role=role)
    if not (m.any or m.all or m.regex):
        raise RulesError(f"{where}: needs at least one of 'any', 'all' or 'regex'")
    return m


def parse_rules(data: Mapping[str, Any]) -> RuleSet:
    """A RuleSet from the decoded file: ``[[rule]]`` and ``[[whitelist]]`` tables."""
    ruleset = RuleSet()
    for k, item in enumerate(data.get("rule", data.get("rules", [])) or []):
        rid = str(item.get("id", f"rule-{k + 1}"))
        where = f"rule {rid!r}"
        label, tag = item.get("label"), item.get("tag")
        if (label is None) == (tag is None):
            raise RulesError(f"{where}: give exactly one of 'label' (one of {', '.join(LABELS)}) or 'tag'")
        if label is not None and label not in LABELS:
            raise RulesError(f"{where}: label must be one of {', '.join(LABELS)}, got {label!r}")
        ruleset.rules.append(CustomRule(rid, _matcher(item, where), label, tag, str(item.get("explanation", ""))))
    for k, item in enumerate(data.get("whitelist", data.get("whitelists", [])) or []):
        wid = str(item.get("id", f"whitelist-{k + 1}"))
        labels = item.get("labels", list(LABELS))
        if isinstance(labels, str):
            labels = [labels]
        bad = [x for x in labels if x not in LABELS]
        if bad:
            raise RulesError(f"whitelist {wid!r}: unknown labels {bad}")
        ruleset.whitelists.append(Whitelist(wid, _matcher(item, f"whitelist {wid!r}"), list(labels)))
    return ruleset


def load_rules(path: str | Path) -> RuleSet:
    """Read a rules file: ``.toml``, or ``.yaml``/``.yml`` when PyYAML is installed."""
    path = Path(path)
    if not path.is_file():
        raise RulesError(f"rules file not found: {path}")
    text = path.read_text("utf-8-sig")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise RulesError("YAML rules need PyYAML: pip install 'cs-classifier[yaml]', or write the rules in TOML") from None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise RulesError(f"{path}: {exc}") from None
    else:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected tables of rules")
    return parse_rules(data)


def apply_rules(analysis: Analysis, ruleset: RuleSet) -> Analysis:
    """Add custom findings and tags to ``analysis`` and suppress whitelisted labels, in place."""
    turns = analysis.transcript.turns
    for rule in ruleset.rules:
        hits = [(i, span) for i, t in enumerate(turns) if (span := rule.matcher.match(t.role, t.text))]
        if not hits:
            continue
        quotes = [Quote(i, turns[i].text[a:b], a, b) for i, (a, b) in hits]
        note = f"custom rule {rule.id}" + (f": {rule.explanation}" if rule.explanation else "")
        if rule.tag is not None:
            analysis.tags.append({"tag": rule.tag, "rule": rule.id, "turns": [i for i, _ in hits],
                                  "quotes": [q.to_dict() for q in quotes], "explanation": note})
            continue
        label = rule.label
        assert label is not None
        for i, _ in hits:
            if turns[i].role == "agent" and label not in analysis.turn_labels.get(i, []):
                analysis.turn_labels[i] = [x for x in LABELS if x in {*analysis.turn_labels.get(i, []), label}]
        existing = next((f for f in analysis.findings if f.label == label), None)
        if existing is None:
            analysis.findings.append(FindingResult(label, 1.0, [i for i, _ in hits], quotes, note, rule=rule.id))
            analysis.findings.sort(key=lambda f: LABELS.index(f.label))
        else:
            known = {q.turn for q in existing.quotes}
            existing.quotes.extend(q for q in quotes if q.turn not in known)
            existing.turns = sorted(set(existing.turns) | {i for i, _ in hits})
            existing.explanation = f"{existing.explanation}; {note}" if existing.explanation else note
            existing.score = 1.0
        analysis.scores[label] = 1.0
    for wl in ruleset.whitelists:
        for i, t in enumerate(turns):
            if wl.matcher.match(t.role, t.text) is None:
                continue
            removed = [x for x in analysis.turn_labels.get(i, []) if x in wl.labels]
            if not removed:
                continue
            analysis.turn_labels[i] = [x for x in analysis.turn_labels[i] if x not in wl.labels]
            analysis.warnings.append(f"turn {i}: {', '.join(removed)} suppressed by whitelist {wl.id}")
            for f in analysis.findings:
                if f.label in removed and i in f.turns:
                    f.turns = [j for j in f.turns if j != i]
                    f.quotes = [q for q in f.quotes if q.turn != i]
    analysis.findings = [f for f in analysis.findings
                         if any(turns[j].role == "customer" for j in f.turns)
                         or any(f.label in analysis.turn_labels.get(j, []) for j in f.turns)]
    return analysis


