"""Tune on some real-label files, measure on others: a second honest estimate next to the
cross-fitted one in the model card, and a check that labels by different people agree enough for
tuning on one set to carry over to the other.

    python benchmarks/real_holdout.py --tune data/real-eval/*-a.labels.jsonl --measure data/real-eval/*-b.labels.jsonl

Fits the corpus model as ``cs-classifier train`` does (train split only), tunes it on the
``--tune`` labels (cue recalibration and thresholds, ``REAL_TUNING``), and reports transcript-level
figures and evasive ranking quality on the ``--measure`` labels, which tuned nothing.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from cs_classifier import LABELS
from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import evaluate_model, labelled_transcripts, real_data_dir
from cs_classifier.train import REAL_TUNING, default_model
from cs_classifier.tuning import tuned_on_real

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", nargs="+", required=True)
    parser.add_argument("--measure", nargs="+", required=True)
    args = parser.parse_args()
    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    tune = [t for p in args.tune for t in labelled_transcripts(p)]
    measure = [t for p in args.measure for t in labelled_transcripts(p)]
    train, _ = split_corpus(load_corpus(ROOT / "data"))
    model = default_model().fit(train)
    tuned = tuned_on_real(model, tune, REAL_TUNING)
    print(f"tuned on {len(tune)} real chats ({', '.join(Path(p).name for p in args.tune)}); "
          f"measured on {len(measure)} ({', '.join(Path(p).name for p in args.measure)})\n")
    print(evaluate_model(tuned, measure).format())
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = np.array([LABELS[0] in t.labels.transcript_labels for t in measure], dtype=int)
    for name, m in (("text model", model), ("tuned", tuned)):
        s = m.predict_proba(measure)[:, 0]
        print(f"evasive ranking, {name}: AP {average_precision_score(y, s):.3f}  ROC AUC {roc_auc_score(y, s):.3f}"
              f"  (base rate {y.mean():.3f})")


if __name__ == "__main__":
    main()
