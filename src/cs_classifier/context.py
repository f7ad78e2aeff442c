"""An agent turn in its context — the question it answers, what followed, rule evidence — and the
text-free cues computed from it. No scikit-learn here: the compiled scorer uses this module too."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from . import cues
from .commitments import Commitment, earlier_promise_reports, track_commitments
from .contradictions import Contradiction, corrections, denials, find_contradictions, window_miscounts
from .named_faults import blame_turns, closing_turns, dont_know_turns, rude_turns, sends_elsewhere_turns, stalling_runs, vague_answer_turns
from .policy import PolicyViolation, policy_violations
from .promise_reports import RULE_NAME as REPORT_RULE
from .promise_reports import ReportScorer
from .segment import Segmenter, normalize_text
from .transcript import Transcript

_STOP = set("的了吗呢啊哦哈嘛吧呀么是我你您他她它们这那就都也还在有和与及或个一不亲")
# Sentence particles and forms of address carry a writer's register, not what was said: a model
# that learns them learns its corpus's authors (「的哦」 as a sign of inaccuracy). Word features skip
# them, and tokens with no letter, digit or Han character.
REGISTER_WORDS = frozenset("哦 呢 啊 哈 嘛 吧 呀 啦 哒 滴 噢 喔 哟 呦 哇 嗯 嗯嗯 哈哈 呵呵 亲 亲亲 亲爱 亲爱的 么么哒".split())
_WORDLIKE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def word_features_of(tokens: Sequence[str]) -> list[str]:
    """The tokens that word n-grams are built from (shared by the featurizer and the compiled scorer)."""
    return [w for w in tokens if w not in REGISTER_WORDS and _WORDLIKE.search(w)]


class TranscriptView:
    """A transcript with what every feature needs computed once: normalised text, words, evidence."""

    def __init__(self, transcript: Transcript, segmenter: Segmenter, max_chars: int = 2000,
                 max_turns: int = 1000, report_scorer: "ReportScorer | None" = None) -> None:
        self.transcript = transcript
        self.segmenter = segmenter
        self.max_chars = max_chars
        self.max_turns = max_turns
        self.report_scorer = report_scorer

    @cached_property
    def scored_turns(self) -> list[int]:
        """Agent turns that get scores: every non-empty one up to ``max_turns`` turns into the chat.
        An empty agent message (a sticker, an image or a recall in the export) says nothing to judge."""
        empty = set(self.empty_agent_turns)
        return [i for i in self.transcript.agent_turns() if i < self.max_turns and i not in empty]

    @cached_property
    def empty_agent_turns(self) -> list[int]:
        """Agent turns (within ``max_turns``) with no text."""
        turns = self.transcript.turns
        return [i for i in self.transcript.agent_turns() if i < self.max_turns and not turns[i].text.strip()]

    @cached_property
    def texts(self) -> list[str]:
        return [normalize_text(t.text[: self.max_chars]) for t in self.transcript.turns]

    @cached_property
    def tokens(self) -> list[list[str]]:
        return [self.segmenter.cut(t.text[: self.max_chars]) if k < self.max_turns else []
                for k, t in enumerate(self.transcript.turns)]

    @cached_property
    def words(self) -> list[list[str]]:
        """Per turn, the tokens word features use (``word_features_of``)."""
        return [word_features_of(t) for t in self.tokens]

    @cached_property
    def commitments(self) -> dict[int, Commitment]:
        return {c.turn: c for c in track_commitments(self.transcript)}

    @cached_property
    def contradictions(self) -> dict[int, list[Contradiction]]:
        out: dict[int, list[Contradiction]] = {}
        for c in find_contradictions(self.transcript):
            out.setdefault(c.turn, []).append(c)
        return out

    @cached_property
    def violations(self) -> dict[int, list[PolicyViolation]]:
        return {i: v for i, t in enumerate(self.transcript.turns)
                if t.role == "agent" and (v := policy_violations(t.text[: self.max_chars]))}

    @cached_property
    def promise_reports(self) -> list[int]:
        return earlier_promise_reports(self.transcript)

    @cached_property
    def customer_turns(self) -> list[int]:
        """Customer turns within ``max_turns``: what the learned promise-report reader reads."""
        return [i for i, t in enumerate(self.transcript.turns[: self.max_turns]) if t.role == "customer"]

    @cached_property
    def modelled_promise_reports(self) -> dict[int, float]:
        """Customer turns the learned ``promise_reports`` model reads as reporting an unkept
        promise (score at its bar), with their scores; empty without a ``report_scorer``."""
        if self.report_scorer is None:
            return {}
        turns = self.customer_turns
        scores = self.report_scorer.score([self.texts[i] for i in turns])
        return {i: float(s) for i, s in zip(turns, scores) if s >= self.report_scorer.bar}

    @cached_property
    def rule_evidence(self) -> dict[str, "RuleEvidence"]:
        """Evidence that hand-written rules find, by rule name (only the rules that fired)."""
        found: dict[str, RuleEvidence] = {}
        broken = [c for c in self.commitments.values() if c.status == "broken"]
        if broken:
            found["broken_commitment"] = RuleEvidence(
                "broken_promise", [c.turn for c in broken], sorted({j for c in broken for j in c.evidence}),
                [f"turn {c.turn} promised \u201c{c.text}\u201d; {c.reason} (turn {c.evidence[0]})" for c in broken])
        if self.promise_reports:
            found["promise_report"] = RuleEvidence(
                "broken_promise", [], list(self.promise_reports),
                [f"turn {j}: the customer reports a promise that was not kept" for j in self.promise_reports])
        if self.modelled_promise_reports:
            reports = self.modelled_promise_reports
            found[REPORT_RULE] = RuleEvidence(
                "broken_promise", [], sorted(reports),
                [f"turn {j}: the customer reports a promise that was not kept (read by the report model, {p:.2f})"
                 for j, p in sorted(reports.items())])
        if self.contradictions:
            cs = [c for cs in self.contradictions.values() for c in cs]
            found["contradiction"] = RuleEvidence(
                "inaccurate", sorted({c.turn for c in cs}), sorted({c.earlier for c in cs}),
                [f"turn {c.turn} says {c.topic} {c.value} where turn {c.earlier} said {c.earlier_value}" for c in cs])
        if self.violations:
            found["policy"] = RuleEvidence(
                "inaccurate", sorted(self.violations), [],
                [f"turn {i} contradicts a policy fact: {v.rule.fact}" for i, vs in sorted(self.violations.items()) for v in vs],
                rule=self.violations[min(self.violations)][0].rule.id)
        runs = stalling_runs(self.transcript)
        if runs:
            found["stalling"] = RuleEvidence(
                NAMED_FAULT_LABELS["stalling"], [i for run in runs for i in run[1:]], [run[0] for run in runs],
                [f"turns {', '.join(map(str, run))} only ask the customer to wait, {len(run)} times in a row" for run in runs])
        for name, label, find, reason, role in NAMED_FAULTS:
            hits = find(self.transcript)
            if hits:
                at_fault = [] if role == "support" else hits  # a correction is evidence; the wrong statement came before it
                support = hits if role == "support" else [i - 1 for i in hits] if role == "answer" else []
                found[name] = RuleEvidence(label, at_fault, support, [reason.format(i=i) for i in hits])
        return found

    @cached_property
    def template_counts(self) -> Counter[str]:
        return Counter(cues.template_key(self.texts[i]) for i in self.transcript.agent_turns())

    def question_before(self, i: int) -> tuple[str, list[str], int | None]:
        """Customer text since the previous agent turn (the question ``i`` answers), its words, its last index."""
        parts: list[int] = []
        j = i - 1
        while j >= 0 and self.transcript.turns[j].role == "customer":
            parts.insert(0, j)
            j -= 1
        if not parts:
            return "", [], None
        return " ".join(self.texts[k] for k in parts), [w for k in parts for w in self.tokens[k]], parts[-1]

    def next_customer(self, i: int) -> int | None:
        for j in range(i + 1, len(self.transcript.turns)):
            if self.transcript.turns[j].role == "customer":
                return j
        return None


# Turn rules for the faults the guidelines name outright: (rule, label, finder, reason, role of the
# turns found: "agent" at fault, "answer" at fault with the question before it, "support" evidence only).
NAMED_FAULTS = [
    ("rude_reply", "dismissive", rude_turns, "turn {i} says something the guidelines call dismissive in itself", "agent"),
    ("claims_not_to_know", "evasive", dont_know_turns, "turn {i} only says the agent does not know", "agent"),
    ("sends_elsewhere", "evasive", sends_elsewhere_turns, "turn {i} sends the customer to another party without acting", "agent"),
    ("blames_customer", "evasive", blame_turns, "turn {i} puts the fault on the customer", "agent"),
    ("closes_open_question", "evasive", closing_turns, "turn {i} answers an open question with a closing line", "answer"),
    ("vague_answer", "evasive", vague_answer_turns, "turn {i} answers the question with a non-committal formula", "answer"),
    ("agent_correction", "inaccurate", corrections, "turn {i}: an agent says an earlier statement was wrong", "support"),
    ("denies_saying", "inaccurate", denials, "turn {i} denies that something was said or promised", "agent"),
    ("window_miscount", "inaccurate", window_miscounts,
     "turn {i} says the seven days are over, against the receipt date the chat shows", "agent"),
]
#: The label of each named-fault rule (``evidence.RULE_LABELS`` holds them with the other rules').
NAMED_FAULT_LABELS = {"stalling": "dismissive", **{name: label for name, label, *_ in NAMED_FAULTS}}


@dataclass
class RuleEvidence:
    """What one rule found: the label it supports, the agent turns at fault, supporting turns, reasons."""

    label: str
    agent_turns: list[int]
    support: list[int]
    reasons: list[str]
    rule: str | None = None


@dataclass
class TurnContext:
    """One agent turn to score: a transcript view and the turn's index."""

    view: TranscriptView
    index: int

    @property
    def text(self) -> str:
        return self.view.transcript.turns[self.index].text


def turn_contexts(transcripts: Sequence[Transcript], segmenter: Segmenter, max_chars: int = 2000,
                  max_turns: int = 1000) -> list[TurnContext]:
    """A context for every scored agent turn of every transcript, in order."""
    out = []
    for t in transcripts:
        view = TranscriptView(t, segmenter, max_chars, max_turns)
        out.extend(TurnContext(view, i) for i in view.scored_turns)
    return out


def qa_pair_tokens(ctx: TurnContext) -> list[str]:
    """The reply's words, each tagged with the kind of question it answers (``when|明天``), so that
    what answers which question is learned from the corpus rather than listed by hand."""
    view, i = ctx.view, ctx.index
    q = view.question_before(i)[0]
    if not q:
        return []
    kinds = [k for k, v in cues.question_types(q).items() if v]
    if not kinds:
        kinds = ["ask"] if cues.is_question(q) else ["say"]
    return [f"{k}|{w}" for k in kinds for w in dict.fromkeys(view.words[i])]


def content_words(words: Sequence[str]) -> set[str]:
    """The words that carry content: no punctuation, and no one-character stop words."""
    return {w for w in words if (len(w) > 1 or w not in _STOP) and re.search(r"[\w\u4e00-\u9fff]", w)}


_ANSWERS = {"when": ("time",), "whether": ("yesno",), "amount": ("amount",), "why": ("reason",),
            "where": ("place", "time"), "how": ("steps", "action")}


def cue_features(ctx: TurnContext) -> dict[str, float]:
    """Text-free features of the question-answer pair and what followed; values in [0, 1]."""
    view, i = ctx.view, ctx.index
    turns = view.transcript.turns
    a = view.texts[i]
    q, q_words, q_index = view.question_before(i)
    f: dict[str, float] = {}
    asked = cues.is_question(q) if q else False
    qtypes = cues.question_types(q) if q else {k: False for k in cues.QUESTION_TYPES}
    supplies = cues.answer_supplies(a)
    f["q_present"] = float(bool(q))
    f["q_is_question"] = float(asked)
    for name, value in qtypes.items():
        f[f"q_{name}"] = float(value)
    for name, value in supplies.items():
        f[f"a_{name}"] = float(value)
    wanted = [k for k, v in qtypes.items() if v]
    met = [k for k in wanted if any(supplies[s] for s in _ANSWERS[k])]
    f["answered_fraction"] = len(met) / len(wanted) if wanted else 0.0
    f["unanswered"] = float(asked and bool(wanted) and not met)
    f["asked_untyped"] = float(asked and not wanted)
    a_words = content_words(view.tokens[i])
    q_content = content_words(q_words)
    union = a_words | q_content
    f["overlap_jaccard"] = len(a_words & q_content) / len(union) if union else 0.0
    f["q_coverage"] = len(a_words & q_content) / len(q_content) if q_content else 0.0
    f["a_len"] = min(1.0, math.log1p(len(a)) / 6)
    f["q_len"] = min(1.0, math.log1p(len(q)) / 6)
    f["a_very_short"] = float(len(a.strip()) <= 4)
    f["a_vague"] = float(bool(cues.VAGUE.search(a)))
    f["a_shift"] = float(bool(cues.SHIFT.search(a)))
    f["a_apology"] = float(bool(cues.APOLOGY.search(a)))
    f["a_boilerplate"] = min(3, len(cues.BOILERPLATE.findall(a))) / 3
    f["a_filler"] = float(bool(cues.FILLER.match(a)))
    f["a_curt"] = float(bool(cues.CURT.match(a)))
    f["a_curt_to_problem"] = float(len(a.strip()) <= 6 and len(q) >= 12 and not supplies["yesno"])
    f["a_rude"] = float(bool(cues.RUDE.search(a)))
    f["a_ask_wait"] = float(bool(cues.ASK_WAIT.search(a)))
    c = view.commitments.get(i)
    substantive = any(supplies[k] for k in ("time", "yesno", "amount", "reason", "steps")) or c is not None
    f["a_improve"] = float(bool(cues.IMPROVE.search(a)))
    f["a_forward_vague"] = float(bool(cues.FORWARD_VAGUE.search(a)) and not supplies["time"])
    f["a_redirect"] = float(bool(cues.REDIRECT.search(a)))
    f["a_private_message"] = float(bool(cues.PRIVATE_MESSAGE.search(a)))
    f["a_apology_only"] = float((f["a_apology"] > 0 or f["a_improve"] > 0 or f["a_boilerplate"] > 0) and not substantive)
    f["q_complaint"] = float(bool(q) and bool(cues.COMPLAINT.search(q)))
    f["complaint_answered_by_formula"] = f["q_complaint"] * f["a_apology_only"]
    key = cues.template_key(a)
    f["template_repeat"] = min(3, view.template_counts[key] - 1) / 3
    f["a_has_slot"] = float(key != re.sub(r"\s+", "", a))
    fillers = sum(1 for j in view.transcript.agent_turns() if cues.FILLER.match(view.texts[j]) or cues.ASK_WAIT.fullmatch(view.texts[j] or "-"))
    f["filler_run"] = float(f["a_filler"] > 0 and fillers >= 3)
    nxt = view.next_customer(i)
    nt = view.texts[nxt] if nxt is not None else ""
    f["next_unsatisfied"] = float(bool(cues.CUSTOMER_UNSATISFIED.search(nt)))
    f["next_angry"] = float(bool(cues.CUSTOMER_ANGRY.search(nt)))
    nxt_words = content_words(view.tokens[nxt]) if nxt is not None else set()
    f["next_repeats_question"] = float(bool(q_content) and len(nxt_words & q_content) / max(1, len(q_content)) >= 0.5)
    f["next_is_question"] = float(bool(nt) and cues.is_question(nt))
    f["next_futile"] = float(bool(cues.FUTILE.search(nt)))
    f["q_angry"] = float(bool(cues.CUSTOMER_ANGRY.search(q)))
    f["q_unsatisfied"] = float(bool(cues.CUSTOMER_UNSATISFIED.search(q)))
    f["commitment"] = float(c is not None)
    f["commitment_broken"] = float(c is not None and c.status == "broken")
    f["commitment_kept"] = float(c is not None and c.status == "kept")
    f["commitment_deadline"] = float(c is not None and c.deadline is not None)
    f["commitment_late"] = float(c is not None and c.status == "broken" and "deadline" in c.reason)
    f["promise_reported_later"] = float(any(r > i for r in view.promise_reports))
    f["policy_violation"] = float(i in view.violations)
    f["contradicts_earlier"] = float(i in view.contradictions)
    f["contradicted_later"] = float(any(c2.earlier == i for cs in view.contradictions.values() for c2 in cs))
    f["withdraws"] = float(bool(cues.WITHDRAW.search(a)))
    gap = None
    if q_index is not None:
        t0, t1 = turns[q_index].datetime, turns[i].datetime
        if t0 is not None and t1 is not None:
            gap = (t1 - t0).total_seconds()
    f["latency"] = min(1.0, math.log1p(max(0.0, gap)) / 10) if gap is not None else 0.0
    f["latency_known"] = float(gap is not None)
    agent_turns = view.transcript.agent_turns()
    f["first_agent_turn"] = float(bool(agent_turns) and agent_turns[0] == i)
    last_agent = bool(agent_turns) and agent_turns[-1] == i
    f["ends_chat"] = float(last_agent and i == len(turns) - 1)
    f["ends_with_question_open"] = float(last_agent and i == len(turns) - 1 and f["unanswered"] > 0)
    f["closing"] = float(bool(cues.CLOSING.search(a)))
    # The reply against what the customer wanted: a request (「我想提前送」) is a question too.
    requested = bool(q) and bool(cues.REQUEST.search(q))
    open_question = (asked or requested) and not substantive and f["answered_fraction"] == 0
    f["q_request"] = float(requested)
    f["request_unmet"] = float(requested and not substantive and not supplies["action"])
    f["supplies_nothing"] = float(bool(q) and not any(supplies.values()) and c is None)
    f["closing_to_open_question"] = float(f["closing"] > 0 and open_question)
    f["a_pitch"] = float(bool(cues.PITCH.search(a)))
    f["pitch_to_open_question"] = float(f["a_pitch"] > 0 and open_question)
    f["a_pleasantry"] = float(bool(cues.PLEASANTRY.search(a)))
    f["formula_to_open_question"] = float(open_question and (f["a_apology_only"] > 0 or f["a_filler"] > 0
                                                             or f["a_pleasantry"] > 0 or f["a_vague"] > 0))
    f["position"] = i / max(1, len(turns) - 1)
    return f
