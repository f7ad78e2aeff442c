"""Re-weighting text-free cues on labelled real chats: what it learns, what it may store, and that
both scorers apply it identically."""
import json
import re

import numpy as np
import pytest

from cs_classifier import LABELS
from cs_classifier.compiled import compile_model, load_compiled, save_compiled
from cs_classifier.corpus import split_corpus
from cs_classifier.evidence import RULE_LABELS
from cs_classifier.recalibration import CueRecalibrator
from cs_classifier.tuning import RealTuning, crossfit_evaluation, recalibrated, tuned_on_real, tuned_thresholds

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def gold(corpus):
    """Stands in for labelled real chats: transcripts the small model was not fitted on."""
    _, test = split_corpus(corpus)
    return test[:120]


@pytest.fixture(scope="module")
def tuned(small_model, gold):
    return recalibrated(small_model, gold)


def test_recalibrator_stores_cue_names_and_numbers_only(tuned, small_model):
    stored = tuned.recalibrator_.to_dict()
    raw = json.dumps(stored, ensure_ascii=False)
    assert not CJK.search(raw), "the recalibration must not store any text"
    names = list(small_model.pipeline_.named_steps["features"].cue_names_)
    assert stored["cue_names"] == names
    assert "evasive" in stored["labels"]
    for spec in stored["labels"].values():
        assert len(spec["coef"]) == len(names) + len(LABELS)


def test_recalibration_changes_scores_and_leaves_the_fitted_model_alone(tuned, small_model, gold):
    before = small_model.predict_proba(gold)
    after = tuned.predict_proba(gold)
    assert small_model.recalibrator_ is None
    k = LABELS.index("evasive")
    assert not np.allclose(before[:, k], after[:, k])
    np.testing.assert_allclose(small_model.predict_proba(gold), before)


def test_labels_with_too_few_positives_keep_their_ranking_at_the_real_rate():
    rng = np.random.default_rng(0)
    cues = rng.random((200, 3))
    P = rng.uniform(0.05, 0.95, (200, len(LABELS)))
    Y = np.zeros((200, len(LABELS)), dtype=int)
    Y[:, 0] = cues[:, 0] > 0.7          # learnable from the first cue
    Y[:5, 1] = 1                        # too few positives to learn from
    rec = CueRecalibrator(["a", "b", "c"], min_positives=10).fit(cues, P, Y)
    out = rec.predict_proba(cues, P)
    assert rec.labels_ == [LABELS[0]]
    assert np.corrcoef(out[:, 0], Y[:, 0])[0, 1] > 0.5
    for k in range(1, len(LABELS)):     # same order, mean moved to the smoothed real rate
        np.testing.assert_array_equal(np.argsort(out[:, k], kind="stable"), np.argsort(P[:, k], kind="stable"))
        assert out[:, k].mean() == pytest.approx((Y[:, k].sum() + 1) / (200 + 2), rel=1e-3)
    again = CueRecalibrator.from_dict(json.loads(json.dumps(rec.to_dict())))
    np.testing.assert_allclose(again.predict_proba(cues, P), out)


def test_tuning_a_tuned_model_again_starts_from_the_corpus_thresholds(small_model, gold):
    once = tuned_on_real(small_model, gold, RealTuning())
    twice = tuned_on_real(once, gold, RealTuning())
    assert twice.base_thresholds_ == small_model.thresholds_
    for label in LABELS:
        assert twice.thresholds_[label] == pytest.approx(once.thresholds_[label])


def test_compiled_model_applies_the_recalibration_identically(tmp_path, tuned, gold):
    header, _ = save_compiled(compile_model(tuned), tmp_path / "m.json")
    fast = load_compiled(header)
    assert fast.recalibrator_ is not None
    np.testing.assert_allclose(fast.predict_proba(gold), tuned.predict_proba(gold), atol=1e-12)
    assert [a.to_dict() for a in fast.analyze_many(gold[:40])] == [a.to_dict() for a in tuned.analyze_many(gold[:40])]


def test_recalibrated_findings_are_explained_by_cues(tuned, gold):
    explained = [f.explanation for a in tuned.analyze_many(gold) for f in a.findings if f.label == "evasive"]
    assert explained, "expected some evasive findings on the held-out corpus chats"
    assert all(e and "model score" not in e for e in explained)


def _turn_max(model, chats):
    return np.array([P.max(axis=0) for P in model.turn_proba(chats)])


def test_thresholds_keep_false_alarms_within_the_caps(small_model, gold):
    tuning = RealTuning(max_clean_alarm=0.05, untuned_alarm=0.0, recalibrate=False)
    tuned = tuned_on_real(small_model, gold, tuning)
    top = _turn_max(small_model, gold)
    truth = np.array([[label in t.labels.transcript_labels for label in LABELS] for t in gold])
    clean = truth.sum(axis=1) == 0
    for k, label in enumerate(LABELS):
        flagged = np.mean(top[clean, k] >= tuned.thresholds_[label])
        cap = 0.05 if truth[:, k].sum() >= 10 else 0.0
        assert flagged <= cap + 1e-9, label


@pytest.mark.parametrize("label", ["dismissive", "inaccurate"])
def test_untuned_labels_flag_no_clean_chat_but_keep_their_rules(small_model, gold, label):
    few = [t for t in gold if label not in t.labels.transcript_labels]
    few += [t for t in gold if label in t.labels.transcript_labels][:3]
    tuned = tuned_on_real(small_model, few, RealTuning(untuned_alarm=0.0, recalibrate=False))
    k = LABELS.index(label)
    rules = {r for r, lab in RULE_LABELS.items() if lab == label}
    if rules:  # the rules keep the bar they had
        assert tuned.rule_thresholds_[label] == small_model.thresholds_[label]
    top = _turn_max(tuned, few)
    decisions = tuned.predict(few)[:, k]
    for t, s, decision in zip(few, top[:, k], decisions):
        if decision and not t.labels.transcript_labels:  # a clean chat flagged: only by a rule
            assert s < tuned.thresholds_[label]
            assert any(f.rule in rules for f in tuned.analyze(t).findings if f.label == label)
    flagged = sum(1 for t in few if any(f.label == label for f in tuned.analyze(t).findings))
    assert int(decisions.sum()) == flagged


def test_real_tuning_does_not_switch_rules_off(small_model, gold):
    """A timestamp-only broken promise is the guidelines' own definition: tuning keeps it."""
    from cs_classifier import Transcript

    tuned = tuned_on_real(small_model, gold, RealTuning(max_clean_alarm=0.0, beta=0.1))
    chat = Transcript.from_dict({"id": "late", "turns": [
        {"role": "customer", "text": "我的退款审核到哪一步了", "time": "2026-05-01T10:00:00+08:00"},
        {"role": "agent", "text": "我这边帮您联系财务加急，下午三点前给您回复", "time": "2026-05-01T10:05:00+08:00"},
        {"role": "customer", "text": "你好 在吗", "time": "2026-05-01T16:40:00+08:00"}]})
    assert "broken_promise" in tuned.analyze(chat).labels
    assert tuned.predict([chat])[0, LABELS.index("broken_promise")] == 1


def test_crossfit_scores_every_chat_with_a_model_tuned_elsewhere(small_model, gold):
    evaluation = crossfit_evaluation(small_model, gold, folds=3, tuning=RealTuning())
    assert evaluation.n_transcripts == len(gold)
    tuned = tuned_on_real(small_model, gold, RealTuning())
    assert tuned.recalibrator_ is not None and set(tuned.thresholds_) == set(LABELS)


def test_fit_keeps_every_training_turn_scored_out_of_fold(small_model, tmp_path):
    import joblib

    turns = small_model.corpus_turns_
    n = small_model.n_training_turns_
    assert turns["scores"].shape == (n, len(LABELS)) and turns["labels"].shape == (n, len(LABELS))
    assert turns["cues"].shape == (n, len(small_model.pipeline_.named_steps["features"].cue_names_))
    assert 0.0 <= turns["scores"].min() and turns["scores"].max() <= 1.0 and turns["scores"].std() > 0
    assert turns["labels"][:, LABELS.index("evasive")].sum() > 0
    joblib.dump(small_model, tmp_path / "m.joblib")
    again = joblib.load(tmp_path / "m.joblib").corpus_turns_
    np.testing.assert_array_equal(again["scores"], turns["scores"])


def test_the_corpus_anchor_keeps_the_text_score_weighted():
    """Real turns where only a cue matters would teach the recalibration to ignore the text score;
    the corpus anchor, where the text score is what matters, keeps its weight up."""
    rng = np.random.default_rng(1)
    n = 400
    real_cues, corpus_cues = rng.random((n, 2)), rng.random((n, 2))
    real_P, corpus_P = rng.uniform(0.05, 0.95, (n, len(LABELS))), rng.uniform(0.02, 0.98, (n, len(LABELS)))
    real_Y = np.zeros((n, len(LABELS)), dtype=int)
    corpus_Y = np.zeros((n, len(LABELS)), dtype=int)
    real_Y[:, 0] = real_cues[:, 0] > 0.7
    corpus_Y[:, 0] = corpus_P[:, 0] > 0.6
    corpus_Y[:, 1] = corpus_P[:, 1] > 0.5          # plenty of corpus positives, too few real ones
    real_Y[:4, 1] = 1
    anchor = (corpus_cues, corpus_P, corpus_Y)
    text = 2 + LABELS.index("evasive")           # the evasive logit's column after the 2 cues
    alone = CueRecalibrator(["a", "b"], C=1.0).fit(real_cues, real_P, real_Y)
    anchored = CueRecalibrator(["a", "b"], C=1.0, corpus_weight=0.5).fit(real_cues, real_P, real_Y, anchor=anchor)
    assert anchored.coef_["evasive"][text] > alone.coef_["evasive"][text] + 0.3
    assert anchored.labels_ == alone.labels_ == ["evasive"]      # real positives decide what is re-weighted
    assert anchored.shift_["dismissive"] == pytest.approx(alone.shift_["dismissive"])
    assert CueRecalibrator.from_dict(anchored.to_dict()).corpus_weight == 0.5


def test_a_total_budget_counts_clean_chats_flagged_for_anything(small_model, gold):
    budget = 0.05
    tuned = tuned_on_real(small_model, gold, RealTuning(max_clean_alarm=0.2, untuned_alarm=0.0,
                                                        recalibrate=False, max_total_alarm=budget))
    truth = np.array([[label in t.labels.transcript_labels for label in LABELS] for t in gold])
    clean = truth.sum(axis=1) == 0
    loose = tuned_on_real(small_model, gold, RealTuning(max_clean_alarm=0.2, untuned_alarm=0.0, recalibrate=False,
                                                        max_total_alarm=None))
    assert loose.predict(gold)[clean].any(axis=1).mean() > budget   # without the budget the caps add up
    assert tuned.predict(gold)[clean].any(axis=1).mean() <= budget + 1e-9


def test_best_threshold_counts_chats_already_flagged():
    from cs_classifier.model import best_threshold

    truth = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    scores = np.array([0.9, 0.8, 0.6, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    clean = truth == 0
    # Reaching the third positive costs one clean chat of 7, within the cap...
    assert best_threshold(truth, scores, clean, beta=1.0, max_clean_alarm=0.15) <= 0.6
    # ... unless another clean chat is flagged already.
    flagged = np.array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    assert best_threshold(truth, scores, clean, beta=1.0, max_clean_alarm=0.15, flagged=flagged) > 0.7


def test_where_the_chats_cannot_tell_thresholds_apart_the_prior_choice_stands():
    """Broken promises on real chats are found by the rules alone: every text threshold above the
    rule-flagged chats scores the same, so the corpus's threshold stands instead of the highest."""
    from cs_classifier.model import best_threshold

    truth = np.array([1, 1, 0, 0, 0, 0])
    scores = np.array([2.0, 0.05, 0.05, 0.04, 0.03, 0.02])  # 2.0: a rule fires
    clean = truth == 0
    assert best_threshold(truth, scores, clean, beta=0.5) == pytest.approx(0.995)
    assert best_threshold(truth, scores, clean, beta=0.5, prefer=0.3) == pytest.approx(0.3)
    # a preferred threshold that scores worse does not win
    assert best_threshold(truth, scores, clean, beta=0.5, prefer=0.01) > 0.05


def test_smoothing_steps_back_from_a_peak_at_the_edge_of_a_cliff():
    from cs_classifier.model import best_threshold

    grid = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    # Every threshold from 0.3 to 0.8 finds the eight positives (all at 0.85); 0.8 alone also drops
    # the clean chat at 0.75, and 0.9 finds nothing: the best threshold sits on the cliff's edge.
    truth = np.array([1] * 8 + [0] * 12)
    scores = np.array([0.85] * 8 + [0.75, 0.25] + [0.1] * 10)
    clean = truth == 0
    assert best_threshold(truth, scores, clean, beta=0.5, grid=grid) == pytest.approx(0.8)
    smoothed = best_threshold(truth, scores, clean, beta=0.5, grid=grid, smooth=1)
    assert 0.3 <= smoothed < 0.8
    # a threshold the cap rules out is never chosen, smoothed or not
    assert best_threshold(truth, scores, clean, beta=0.5, grid=grid, max_clean_alarm=0.0, smooth=1) == pytest.approx(0.8)


def test_the_shipped_model_keeps_its_corpus_anchor(shipped_model):
    """Tuning the shipped model on a team's own chats (README) is anchored like the shipped tuning."""
    turns = shipped_model.corpus_turns_
    assert turns is not None and len(turns["scores"]) == shipped_model.n_training_turns_
    assert shipped_model.recalibrator_.corpus_weight > 0


def test_recalibrated_defaults_are_the_shipped_tuning(tuned):
    # A caller who relies on the defaults gets the recalibration the shipped model has (anchored),
    # not an unanchored one that forgets what the corpus taught.
    shipped = RealTuning()
    assert tuned.recalibrator_.corpus_weight == shipped.corpus_weight > 0
    assert tuned.recalibrator_.C == shipped.C


def test_explanations_keep_the_cues_the_text_model_weighed():
    """A cue can drive a recalibrated score directly and through the text model's logit: the
    explanation counts both, so a cue the text model leans on is still named."""
    recal = CueRecalibrator(["a_curt", "reply_misfits_question"])
    recal.coef_ = {"evasive": np.array([0.5, 0.0, 2.0, 0.0, 0.0, 0.0])}  # cues, then the 4 text logits
    recal.intercept_, recal.shift_ = {"evasive": 0.0}, {}
    pairs = dict(recal.contributions("evasive", np.array([1.0, 1.0]),
                                     [("cue:reply_misfits_question", 0.3), ("w:等等", 0.2)], text_slope=1.0))
    assert pairs["cue:a_curt"] == pytest.approx(0.5)
    assert pairs["cue:reply_misfits_question"] == pytest.approx(0.6)
    assert pairs["w:等等"] == pytest.approx(0.4)
