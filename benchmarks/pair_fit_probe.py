"""A probe, not the shipped model: would a corpus-trained "does this reply fit this question" score
add to the text-free recalibration on real chats?

    python benchmarks/pair_fit_probe.py

A logistic regression is fitted on the corpus's training split only, on crosses of the customer
question's content words with the reply's (hashed): the positives are non-evasive replies to their
own question, the negatives evasive replies and replies taken from another turn of the corpus
(a mismatched answer). Its score for each agent turn of the real labelled chats is added as one
column to the cue recalibration's inputs (cues and the shipped text model's logits), and both
variants are scored out of fold on the real chats (5 folds by chat, 5 seeds). It prints ranking
quality of the evasive chat score and the best F1 among thresholds flagging at most 4% of clean
chats (chosen on the pooled out-of-fold scores, so optimistic for both variants alike).
Real chats only measure here; the probe stores nothing.
"""
from __future__ import annotations

import copy
import random
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

from cs_classifier import load_model
from cs_classifier.context import TurnContext, _content, turn_contexts
from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import real_data_dir
from cs_classifier.model import _turn_label_matrix
from cs_classifier.recalibration import logits
from cs_classifier.segment import Segmenter
from cs_classifier.train import _real_gold

ROOT = Path(__file__).resolve().parents[1]


def _pairs(contexts) -> list[tuple[list[str], list[str]]]:
    out = []
    for c in contexts:
        _, q_words, _ = c.view.question_before(c.index)
        out.append((sorted(_content(q_words)), sorted(_content(c.view.tokens[c.index]))))
    return out


def _doc(q: list[str], a: list[str]) -> str:
    return " ".join(f"{x}|{y}" for x in q[:15] for y in a[:25]) + " " + " ".join("A:" + y for y in a)


def _best_f1(truth: np.ndarray, score: np.ndarray, clean: np.ndarray, cap: float = 0.04) -> float:
    best = 0.0
    for t in np.unique(score):
        pred = score >= t
        tp = (pred & truth).sum()
        if (pred & clean).sum() <= cap * clean.sum() and tp:
            p, r = tp / pred.sum(), tp / truth.sum()
            best = max(best, 2 * p * r / (p + r))
    return best


def main() -> None:
    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    segmenter = Segmenter()
    train, _ = split_corpus(load_corpus(ROOT / "data"))
    contexts = turn_contexts(train, segmenter)
    pairs = _pairs(contexts)
    evasive = [c.view.transcript.labels is not None and "evasive" in c.view.transcript.labels.turns.get(c.index, [])
               for c in contexts]
    rng = random.Random(0)
    usable = [k for k, (q, a) in enumerate(pairs) if q and a]
    docs, y = [], []
    for k in usable:
        q, a = pairs[k]
        docs += [_doc(q, a), _doc(q, pairs[rng.choice(usable)][1])]
        y += [0 if evasive[k] else 1, 0]
    hashing = HashingVectorizer(n_features=2 ** 20, token_pattern=r"\S+", alternate_sign=False, norm="l2")
    fit = LogisticRegression(C=1.0, max_iter=3000).fit(hashing.transform(docs), y)

    shipped = load_model()
    base = copy.copy(shipped)
    base.recalibrator_ = None
    gold = _real_gold(str(ROOT / "data"))
    views = base._views(gold)
    P, cues = base.stacked_scores_and_cues(base._score_views(views))
    Y, _ = _turn_label_matrix(views)
    chat = np.concatenate([np.full(len(v.scored_turns), r) for r, v in enumerate(views)])
    real_pairs = _pairs([TurnContext(view, i) for view in views for i in view.scored_turns])
    assert len(real_pairs) == len(P)
    s = fit.predict_proba(hashing.transform([_doc(q, a) for q, a in real_pairs]))[:, 1]
    s = np.where([bool(q) and bool(a) for q, a in real_pairs], s, 0.5)

    T = np.array([[("evasive" in t.labels.transcript_labels), bool(t.labels.transcript_labels)] for t in gold])
    truth, clean = T[:, 0], ~T[:, 1]
    n = len(gold)

    def chat_max(v: np.ndarray) -> np.ndarray:
        out = np.zeros(n)
        np.maximum.at(out, chat, v)
        return out

    print(f"{len(docs)} corpus pairs; {n} real chats, {len(P)} agent turns, evasive in {truth.sum()}")
    print(f"pair score alone: evasive turn AUC {roc_auc_score(Y[:, 0], 1 - s):.3f}, "
          f"chat AUC {roc_auc_score(truth, chat_max(1 - s)):.3f}")
    for name, Z in (("cues + text scores", np.hstack([cues, logits(P)])),
                    ("cues + text scores + pair score", np.hstack([cues, logits(P), logits(s)[:, None]]))):
        rows = []
        for seed in range(5):
            fold = np.random.RandomState(seed).randint(0, 5, n)[chat]
            oof = np.zeros(len(Z))
            for f in range(5):
                tr = fold != f
                lr = LogisticRegression(C=0.1, max_iter=5000).fit(Z[tr], Y[tr, 0])
                oof[fold == f] = lr.predict_proba(Z[fold == f])[:, 1]
            cm = chat_max(oof)
            rows.append((roc_auc_score(truth, cm), average_precision_score(truth, cm), _best_f1(truth, cm, clean)))
        auc, ap, f1 = np.mean(rows, axis=0)
        print(f"{name:34s} evasive chat AUC {auc:.3f}  AP {ap:.3f}  best F1 at 4% false alarms {f1:.3f}")


if __name__ == "__main__":
    main()
