"""Compare model designs on the corpus validation split and on the project's real-data labels.

    python benchmarks/compare_designs.py [--only NAME ...] [--tuned]

For every design: transcript-level F1 per label on a validation split of the corpus's TRAIN part
(the test split is never touched here), and on the real-data labels in data/real-eval/ (text joined
from ../shared/data/real at run time) with the design's own corpus-chosen thresholds. Real chats
only measure here, except in the out-of-fold recalibration line: the text-free cue recalibration
that the shipped model fits on the real labels, scored so that no chat is scored by a
recalibration fitted on it.

``--tuned`` instead fits each design on the whole training split and tunes it on the real labels
exactly as the shipped model is (``RealTuning()``), then prints the row of
``real_tuning_options.py`` for it: the decisions at the operating point, not only the ranking.
``--splits N`` adds, for each tuned design, the cross-fitted evasive figures over N different
splits of the real chats into folds: one split's F1 moves by a few hundredths with the split alone.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from cs_classifier import LABELS, ChatModel, MultiLabelClassifier, TurnFeaturizer
from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import evaluate_model, labelled_transcripts, real_data_dir
from cs_classifier.train import REAL_TUNING
from cs_classifier.tuning import out_of_fold_scores

ROOT = Path(__file__).resolve().parents[1]


def _dense(X):
    return X.toarray()


def designs() -> dict[str, ChatModel]:
    lr = lambda C=1.0: LogisticRegression(C=C, class_weight="balanced", max_iter=3000)  # noqa: E731
    hgb = make_pipeline(FunctionTransformer(_dense, accept_sparse=True),
                        HistGradientBoostingClassifier(max_iter=200, learning_rate=0.08, class_weight="balanced",
                                                       random_state=0))
    return {
        "words": ChatModel(TurnFeaturizer(words=True, chars=False, cues=False), MultiLabelClassifier(lr())),
        "chars": ChatModel(TurnFeaturizer(words=False, chars=True, cues=False), MultiLabelClassifier(lr())),
        "words+chars": ChatModel(TurnFeaturizer(words=True, chars=True, cues=False), MultiLabelClassifier(lr())),
        "cues only (text-free)": ChatModel(TurnFeaturizer(words=False, chars=False, cues=True), MultiLabelClassifier(lr())),
        "words+cues": ChatModel(TurnFeaturizer(words=True, chars=False, cues=True), MultiLabelClassifier(lr())),
        "words+chars+cues": ChatModel(TurnFeaturizer(words=True, chars=True, cues=True), MultiLabelClassifier(lr())),
        "words+chars+cues+question": ChatModel(TurnFeaturizer(words=True, chars=True, cues=True, question_words=True),
                                               MultiLabelClassifier(lr())),
        "words+cues x3": ChatModel(TurnFeaturizer(words=True, chars=False, cues=True, cue_weight=3.0), MultiLabelClassifier(lr())),
        "words+cues x3+question-answer pairs": ChatModel(TurnFeaturizer(words=True, chars=False, cues=True, cue_weight=3.0,
                                                                        qa_pairs=True), MultiLabelClassifier(lr())),
        "words+cues x3+reply fit": ChatModel(TurnFeaturizer(words=True, chars=False, cues=True, cue_weight=3.0,
                                                            reply_fit=True), MultiLabelClassifier(lr())),
        "words+cues x3+reply fit+promise reports": ChatModel(
            TurnFeaturizer(words=True, chars=False, cues=True, cue_weight=3.0, reply_fit=True),
            MultiLabelClassifier(lr()), promise_reports=True),
        "words+cues x3+reply fit+reactions+promise reports": ChatModel(
            TurnFeaturizer(words=True, chars=False, cues=True, cue_weight=3.0, reply_fit=True, reaction_fit=True),
            MultiLabelClassifier(lr()), promise_reports=True),
        "HGB on cues (non-linear)": ChatModel(TurnFeaturizer(words=False, chars=False, cues=True), MultiLabelClassifier(hgb)),
    }


def ranking(P: np.ndarray, gold) -> str:
    """Threshold-free: average precision and ROC AUC of transcript scores ``P``, evasive and any label."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    T = np.array([[label in t.labels.transcript_labels for label in LABELS] for t in gold], dtype=int)
    out = []
    for name, y, p in (("evasive", T[:, 0], P[:, 0]), ("any", T.any(axis=1), P.max(axis=1))):
        if 0 < y.sum() < len(y):
            out.append(f"{name} AP {average_precision_score(y, p):.3f} AUC {roc_auc_score(y, p):.3f}")
    return "  ".join(out)


def line(name: str, ev) -> str:
    f1 = " ".join(f"{ev.transcript[l].f1:6.3f}" for l in LABELS)
    return f"{name:<28}{f1}  {ev.transcript_macro_f1:6.3f}  {ev.turn_macro_f1:6.3f}  {ev.false_alarm_rate:6.1%}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="names of designs to run")
    parser.add_argument("--tuned", action="store_true", help="tune each design like the shipped model and print its decisions")
    parser.add_argument("--splits", type=int, default=0, help="with --tuned: cross-fit over this many splits of the real chats")
    args = parser.parse_args()
    if args.tuned:
        return tuned_designs(args.only, args.splits)
    train, _ = split_corpus(load_corpus(ROOT / "data"))
    rng = np.random.default_rng(7)
    ids = sorted({t.id for t in train})
    val_ids = set(rng.choice(ids, size=len(ids) // 5, replace=False))
    fit_part = [t for t in train if t.id not in val_ids]
    val_part = [t for t in train if t.id in val_ids]
    real_sets = []
    if real_data_dir() is not None:
        for path in sorted((ROOT / "data" / "real-eval").glob("*.labels.jsonl")):
            real_sets.append((path.stem.split(".")[0], labelled_transcripts(path)))
    header = f"{'design':<28}" + " ".join(f"{l[:6]:>6}" for l in LABELS) + "   macro   turnM   FA(clean)"
    print(f"fit on {len(fit_part)} corpus transcripts; validation {len(val_part)}; real sets: "
          + ", ".join(f"{n} ({len(s)})" for n, s in real_sets))
    for name, model in designs().items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        model.fit(fit_part)
        print(f"\n{name}  (fit {time.perf_counter() - start:.0f}s)  thresholds "
              + " ".join(f"{model.thresholds_[l]:.2f}" for l in LABELS))
        print("  " + header)
        print("  " + line("corpus validation", evaluate_model(model, val_part)))
        for set_name, gold in real_sets:
            print("  " + line(f"real {set_name}", evaluate_model(model, gold)) + "   " + ranking(model.predict_proba(gold), gold))
        if real_sets:
            everything = [t for _, gold in real_sets for t in gold]
            print("  " + " " * 28 + "all real: " + ranking(model.predict_proba(everything), everything))
            if model.pipeline_.named_steps["features"].cues:
                oof = out_of_fold_scores(model, everything, C=REAL_TUNING.C, corpus_weight=REAL_TUNING.corpus_weight)
                print("  " + " " * 28 + "all real, cue recalibration as shipped (out-of-fold): "
                      + ranking(oof, everything))
        sys.stdout.flush()


def tuned_designs(only: list[str] | None, splits: int = 0) -> None:
    from real_tuning_options import HEADER, labelled_sets, table_row

    from cs_classifier.tuning import crossfit_evaluation

    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    train, test = split_corpus(load_corpus(ROOT / "data"))
    gold, lead, helpers = labelled_sets()
    print(HEADER)
    for name, model in designs().items():
        if (only and name not in only) or not model.featurizer.cues:
            continue
        model.fit(train)
        print(table_row(name, model, REAL_TUNING, gold, lead, helpers, test), flush=True)
        if splits:
            rows = []
            for k in range(splits):
                ev = crossfit_evaluation(model, gold, tuning=REAL_TUNING, salt=f"/split{k}" if k else "")
                rows.append((ev.transcript["evasive"].f1, ev.transcript["broken_promise"].f1, ev.false_alarm_rate))
            f1, bp, fa = np.array(rows).T
            print(f"|   {splits} splits: evasive F1 {' '.join(f'{x:.3f}' for x in f1)} (mean {f1.mean():.3f}); "
                  f"broken_promise F1 {' '.join(f'{x:.3f}' for x in bp)} (mean {bp.mean():.3f}); "
                  f"false alarms {' '.join(f'{x:.1%}' for x in fa)} (mean {fa.mean():.1%}) | | | |", flush=True)


if __name__ == "__main__":
    main()
