"""Evidence from scores: transcript findings, quotes, explanations — shared by every scorer.

A scorer (the scikit-learn ``ChatModel`` or the numpy ``CompiledModel``) provides turn
probabilities and feature contributions; this mixin turns them into the output record. Nothing
here imports scikit-learn.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from .analysis import Analysis, FindingResult, Quote
from .context import NAMED_FAULT_LABELS, TranscriptView, TurnContext, cue_features
from .latency import find_delays
from .parallel import chunked, ordered_map
from .promise_reports import RULE_NAME as REPORT_RULE
from .segment import Segmenter, original_span
from .transcript import LABELS, Transcript

#: What a cue means, in the words an explanation uses.
CUE_PHRASES: dict[str, str] = {
    "unanswered": "the customer asked a specific question and the reply supplies no answer of that kind",
    "asked_untyped": "the reply follows a customer question",
    "q_is_question": "the reply follows a customer question",
    "a_vague": "vague, non-committal wording",
    "a_shift": "shifts the matter to another party or to the customer",
    "a_boilerplate": "canned boilerplate",
    "template_repeat": "the same template is repeated in the chat",
    "a_filler": "empty filler with nothing behind it",
    "filler_run": "filler repeated turn after turn",
    "a_curt": "a curt reply",
    "a_curt_to_problem": "a very short reply to a long problem description",
    "a_rude": "blaming, lecturing or impatient wording",
    "next_unsatisfied": "the customer's next turn says the question was not answered",
    "next_angry": "the customer reacts angrily",
    "next_repeats_question": "the customer has to ask again",
    "commitment_broken": "a commitment the transcript shows was not kept",
    "commitment_late": "the deadline passed before the next turn with nothing done",
    "promise_reported_later": "the customer later reports a promise not kept",
    "policy_violation": "states a policy that contradicts consumer-protection rules",
    "contradicts_earlier": "contradicts an earlier agent statement",
    "contradicted_later": "contradicted by a later agent statement",
    "withdraws": "withdraws or denies an earlier undertaking",
    "ends_with_question_open": "ends the chat with the question unanswered",
    "overlap_jaccard": "shares words with the question",
    "latency": "a long wait before the reply",
    "a_apology_only": "apology or boilerplate with no answer, time or action",
    "complaint_answered_by_formula": "a complaint answered with a formula",
    "a_forward_vague": "passed on to others with no time or result",
    "a_redirect": "redirects the customer elsewhere",
    "a_improve": "a general promise to improve",
    "next_futile": "the customer says the reply is useless or repeated",
    "request_unmet": "the customer asked for something and the reply neither does it nor says yes or no",
    "supplies_nothing": "the reply supplies no time, answer, amount, reason, place, steps or action",
    "closing_to_open_question": "closes the conversation while the question is open",
    "pitch_to_open_question": "a sales pitch instead of an answer",
    "formula_to_open_question": "a formula instead of an answer to the question",
    "a_pitch": "sales talk",
    "a_pleasantry": "small talk instead of help",
    "a_private_message": "asks the customer to go to private messages",
    "q_complaint": "the customer was complaining",
    "reply_misfits_question": "the reply does not fit the question it follows",
    "customer_reacts_unanswered": "the customer reacts as to a reply that did not answer",
}

#: The same phrases in Chinese, for reports.
CUE_PHRASES_ZH: dict[str, str] = {
    "unanswered": "顾客问了具体问题，回复没有给出相应的答案", "asked_untyped": "回复紧接在顾客的提问之后",
    "q_is_question": "回复紧接在顾客的提问之后", "a_vague": "含糊、不作承诺的说法", "a_shift": "把问题推给其他方或顾客本人",
    "a_boilerplate": "套话模板", "template_repeat": "同一模板在对话中重复出现", "a_filler": "空洞的敷衍语",
    "filler_run": "一再重复空洞的敷衍语", "a_curt": "生硬简短的回复", "a_curt_to_problem": "对详细描述的问题只回了几个字",
    "a_rude": "指责、说教或不耐烦的措辞", "next_unsatisfied": "顾客随后表示问题没有得到回答", "next_angry": "顾客随后表示愤怒",
    "next_repeats_question": "顾客不得不再问一遍", "commitment_broken": "聊天记录显示承诺未兑现",
    "commitment_late": "期限已过仍未办理", "promise_reported_later": "顾客随后反映承诺未兑现",
    "policy_violation": "说法与消费者保护规定不符", "contradicts_earlier": "与客服此前的说法矛盾",
    "contradicted_later": "与客服之后的说法矛盾", "withdraws": "收回或否认此前的承诺",
    "ends_with_question_open": "问题未解决就结束对话", "overlap_jaccard": "与问题用词重合", "latency": "回复前等待时间较长",
    "a_apology_only": "只有道歉或套话，没有答案、时间或行动", "complaint_answered_by_formula": "用套话回应投诉",
    "a_forward_vague": "只说转交他人处理，没有时间或结果", "a_redirect": "让顾客去别处解决", "a_improve": "泛泛表示会改进",
    "next_futile": "顾客表示回复没用或是重复",
    "request_unmet": "顾客提出了请求，回复既没有办理也没有明确答复", "supplies_nothing": "回复没有给出时间、答案、金额、原因、地点、步骤或行动",
    "closing_to_open_question": "问题未解决就说结束语", "pitch_to_open_question": "用推销话术代替回答",
    "formula_to_open_question": "用套话代替对问题的回答", "a_pitch": "推销话术", "a_pleasantry": "用寒暄代替帮助",
    "a_private_message": "让顾客转去私信", "q_complaint": "顾客在投诉",
    "reply_misfits_question": "回复与顾客所问的问题对不上",
    "customer_reacts_unanswered": "顾客随后的反应表明问题没有得到回答",
}

#: The label each hand-written rule is evidence for (see TranscriptView.rule_evidence).
RULE_LABELS: dict[str, str] = {"broken_commitment": "broken_promise", "promise_report": "broken_promise",
                               REPORT_RULE: "broken_promise",
                               "contradiction": "inaccurate", "policy": "inaccurate", **NAMED_FAULT_LABELS}



class EvidenceMixin:
    """Findings, quotes and explanations from turn scores. Needs ``thresholds_``,
    ``rule_precision_``, ``rule_thresholds_``, ``max_chars``, ``max_turns``, ``max_wait``, ``_segmenter()``,
    ``_score_views(views)`` and ``_contributions(label_index, row)``."""

    thresholds_: dict[str, float]
    rule_precision_: dict[str, float]
    rule_thresholds_: dict[str, float]
    promise_report_scorer_: Any
    max_chars: int
    max_turns: int
    max_wait: float

    def _segmenter(self) -> Segmenter:  # pragma: no cover - overridden
        raise NotImplementedError

    def _score_views(self, views: Sequence[TranscriptView]) -> list[tuple[np.ndarray, Any]]:  # pragma: no cover
        raise NotImplementedError

    def _contributions(self, k: int, row: Any) -> list[tuple[str, float]] | None:  # pragma: no cover
        raise NotImplementedError

    def _views(self, transcripts: Sequence[Transcript]) -> list[TranscriptView]:
        seg = self._segmenter()
        reports = getattr(self, "promise_report_scorer_", None)
        return [TranscriptView(t, seg, self.max_chars, self.max_turns, reports) for t in transcripts]

    @staticmethod
    def _contexts(views: Sequence[TranscriptView]) -> list[TurnContext]:
        return [TurnContext(v, i) for v in views for i in v.scored_turns]

    def _turn_proba(self, views: Sequence[TranscriptView]) -> list[np.ndarray]:
        return [P for P, _ in self._score_views(views)]

    def _transcript_scores_for(self, views: Sequence[TranscriptView]) -> np.ndarray:
        return np.array([self._aggregate(v, p)[0] for v, p in zip(views, self._turn_proba(views))]).reshape(-1, len(LABELS))

    def _aggregate(self, view: TranscriptView, P: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
        """Transcript scores: the highest turn probability, or a fired rule's precision if higher."""
        scores = P.max(axis=0).copy() if len(P) else np.zeros(len(LABELS))
        fired = self._fired(view)
        for rule, precision in fired.items():
            k = LABELS.index(RULE_LABELS[rule])
            scores[k] = max(scores[k], precision)
        return scores, fired

    def turn_proba(self, X: Sequence[Transcript]) -> list[np.ndarray]:
        """Per transcript, an (agent turns x 4) array of calibrated probabilities."""
        return self._turn_proba(self._views(list(X)))

    def predict_proba(self, X: Sequence[Transcript]) -> np.ndarray:
        """Transcript-level probability of each behaviour, (n_transcripts x 4), columns in LABELS order."""
        return self._transcript_scores_for(self._views(list(X)))

    def predict(self, X: Sequence[Transcript]) -> np.ndarray:
        """Transcript-level 0/1 decisions: a turn score at the label's threshold, or a trusted rule
        (the same decisions as the findings of ``analyze``)."""
        views = self._views(list(X))
        out = np.zeros((len(views), len(LABELS)), dtype=int)
        for r, (view, P) in enumerate(zip(views, self._turn_proba(views))):
            top = P.max(axis=0) if len(P) else np.zeros(len(LABELS))
            for k, label in enumerate(LABELS):
                out[r, k] = int(top[k] >= self.thresholds_[label])
            for rule in self._trusted(self._fired(view)):
                out[r, LABELS.index(RULE_LABELS[rule])] = 1
        return out

    def _fired(self, view: TranscriptView) -> dict[str, float]:
        """The rules that fired on ``view``, with their precision. A model fitted before a rule
        existed has no precision for it, and does not use it."""
        return {rule: self.rule_precision_[rule] for rule in view.rule_evidence if rule in self.rule_precision_}

    def _trusted(self, fired: dict[str, float]) -> set[str]:
        """The fired rules whose precision reaches their label's bar: they decide a finding by themselves."""
        return {rule for rule, precision in fired.items() if precision >= self._rule_threshold(RULE_LABELS[rule])}

    def _rule_threshold(self, label: str) -> float:
        """The bar a rule's precision must reach to be trusted: the model's fixed rule bar, or the
        label's corpus threshold (``rule_thresholds_``, which real-data tuning keeps as it was:
        the real labels give too little evidence about the rules); else the label's threshold."""
        return self.rule_thresholds_.get(label, self.thresholds_[label])

    # -------------------------------------------------------------- evidence
    def analyze(self, transcript: Transcript) -> Analysis:
        """Score one transcript and build its evidence record."""
        return self._analyze_views(self._views([transcript]))[0]

    def analyze_many(self, transcripts: Iterable[Transcript], batch_size: int = 64, n_jobs: int = 1,
                     client: Any = None) -> Iterator[Analysis]:
        """Analyse transcripts in order, in batches (features and predictions vectorised per batch).

        ``n_jobs`` worker processes (-1: all cores) or a ``dask.distributed.Client`` spread the
        batches; each worker holds one copy of the model.
        """
        for analyses in ordered_map(_analyze_batch, chunked(transcripts, batch_size), shared=(self,),
                                    n_jobs=n_jobs, client=client):
            yield from analyses

    def _analyze_views(self, views: Sequence[TranscriptView]) -> list[Analysis]:
        return [self._build(v, P, X) for v, (P, X) in zip(views, self._score_views(views))]

    def _build(self, view: TranscriptView, P: np.ndarray, X: Any) -> Analysis:
        t = view.transcript
        agent = view.scored_turns
        turn_scores = {i: {label: float(P[r, k]) for k, label in enumerate(LABELS)} for r, i in enumerate(agent)}
        scores_arr, fired = self._aggregate(view, P)
        trusted = self._trusted(fired)
        turn_labels: dict[int, list[str]] = {}
        for i, s in turn_scores.items():
            found = {label for label in LABELS if s[label] >= self.thresholds_[label]}
            found |= {RULE_LABELS[r] for r in trusted if i in view.rule_evidence[r].agent_turns}
            if found:
                turn_labels[i] = [label for label in LABELS if label in found]
        scores = {label: float(scores_arr[k]) for k, label in enumerate(LABELS)}
        findings = []
        for label in LABELS:
            hit_turns = [i for i in agent if label in turn_labels.get(i, [])]
            rules = [r for r in trusted if RULE_LABELS[r] == label]
            if hit_turns or rules:
                rows = {i: X[agent.index(i)] for i in hit_turns[:3] if i in agent}
                findings.append(self._finding(view, label, scores[label], hit_turns, turn_scores, fired, rows))
        commitments = [c.to_dict() for c in view.commitments.values()]
        warnings = list(t.warnings)
        long_turns = [i for i, turn in enumerate(t.turns) if len(turn.text) > self.max_chars]
        if long_turns:
            warnings.append(f"turns {long_turns} longer than {self.max_chars} characters: scored on the first {self.max_chars}")
        if view.empty_agent_turns:
            warnings.append(f"agent turns {view.empty_agent_turns} are empty: not scored")
        if len(t.turns) > self.max_turns:
            warnings.append(f"{len(t.turns)} turns: only the first {self.max_turns} were scored")
        delays = [d.to_dict() for d in find_delays(t, self.max_wait)]
        return Analysis(t, turn_scores, turn_labels, scores, commitments, findings, warnings, delays)

    def _finding(self, view: TranscriptView, label: str, score: float, hit_turns: list[int],
                 turn_scores: dict[int, dict[str, float]], fired: dict[str, float], rows: dict[int, Any]) -> FindingResult:
        """A finding: the flagged turns, every fired rule's evidence for this label, quotes and reasons."""
        evidence = list(hit_turns)
        reasons: list[str] = []
        rule_id = None
        for rule in fired:
            ev = view.rule_evidence[rule]
            if ev.label != label:
                continue
            evidence.extend(ev.agent_turns + ev.support)
            reasons.extend(ev.reasons)
            rule_id = rule_id or ev.rule
        for i in hit_turns[:3]:
            if i in rows:
                reasons.append(f"turn {i} ({turn_scores[i][label]:.2f}): {self._explain(view, i, label, rows[i])}")
        turns = sorted(set(evidence))
        quotes = [self._quote(view, i, label) for i in turns]
        return FindingResult(label=label, score=score, turns=turns, quotes=quotes,
                             explanation="; ".join(dict.fromkeys(reasons)), rule=rule_id)

    def _explain(self, view: TranscriptView, i: int, label: str, x: Any, top: int = 4) -> str:
        """The features that pushed this turn's score up most (feature value times weight): cues and words."""
        contributions = self._contributions(LABELS.index(label), x)
        if contributions is None:
            cues_on = [n for n, v in cue_features(TurnContext(view, i)).items() if v > 0 and n in CUE_PHRASES]
            return ", ".join(CUE_PHRASES[n] for n in cues_on[:top]) or "model score"
        phrases: list[str] = []
        words: list[str] = []
        for name, value in contributions:
            if value <= 0 or len(phrases) + len(words) >= top:
                break
            block, _, term = name.partition(":")
            if block == "cue":
                if term in CUE_PHRASES and CUE_PHRASES[term] not in phrases:
                    phrases.append(CUE_PHRASES[term])
            elif term.strip() and term.replace(" ", "") not in words:
                words.append(term.replace(" ", ""))
        parts = phrases + ([f"words {', '.join('「' + w + '」' for w in words)}"] if words else [])
        return "; ".join(parts) or "model score"

    def _quote(self, view: TranscriptView, i: int, label: str) -> Quote:
        """The clause of turn ``i`` that carries the evidence (policy words, the promise), else the whole turn."""
        text = view.transcript.turns[i].text
        span: tuple[int, int] | None = None
        if label == "inaccurate" and i in view.violations:
            v = view.violations[i][0]
            span = _clause_around(text, *original_span(text, v.start, v.end))
        elif label == "broken_promise" and i in view.commitments:
            clause = view.commitments[i].text
            pos = text.find(clause)
            if pos >= 0:
                span = (pos, pos + len(clause))
        if span is None:
            span = (0, len(text))
        return Quote(turn=i, text=text[span[0]:span[1]], start=span[0], end=span[1])



def _analyze_batch(model: EvidenceMixin, batch: list[Transcript]) -> list[Analysis]:
    return model._analyze_views(model._views(batch))


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in re.finditer(r"[。！!？?；;\n]", text[:start])), default=0)
    right_match = re.search(r"[。！!？?；;\n]", text[end:])
    right = end + right_match.start() if right_match else len(text)
    return left, right


