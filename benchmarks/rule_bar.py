"""The rules' precision bar: which hand-written rules decide a finding by themselves.

    python benchmarks/rule_bar.py [--bars 0.75 0.8 0.85] [--splits 2]

Takes the shipped model and, for each bar, trusts the rules whose precision on the training split
reaches it (``ChatModel(rule_bar=...)`` sets it at fit; here it is set on the fitted model, which
changes nothing else). Each variant is tuned on the real labels as shipped and cross-fitted over
``--splits`` splits of the real chats into folds, and scored (tuned on all real labels, as shipped)
on the read chats by outside authors in ``data/outside-dev``. A rule that fires on clean real chats
spends the false-alarm budget the evasive threshold shares, so a higher bar can find more evasive
real chats and fewer broken promises: this prints both. Takes about six minutes a bar with 2 splits.
"""
from __future__ import annotations

import argparse
import copy
import glob
from pathlib import Path

import numpy as np

from cs_classifier import LABELS, load_model
from cs_classifier.evaluate import evaluate_model, labelled_transcripts, real_data_dir
from cs_classifier.train import REAL_TUNING, _real_gold
from cs_classifier.tuning import crossfit_evaluation, tuned_on_real

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bars", type=float, nargs="+", default=[0.75, 0.8, 0.85])
    parser.add_argument("--splits", type=int, default=2)
    args = parser.parse_args()
    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    shipped = load_model()
    gold = _real_gold(str(ROOT / "data"))
    dev = [t for path in sorted(glob.glob(str(ROOT / "data" / "outside-dev" / "*.jsonl")))
           for t in labelled_transcripts(path)]
    print("| rule bar | rules trusted | real evasive F1 per split (mean) | real broken_promise F1 | "
          "real false alarms (mean) | outside-dev: macro F1 / false alarms |")
    print("|---|---|---|---|---|---|")
    for bar in args.bars:
        model = copy.copy(shipped)
        model.rule_thresholds_ = {label: bar for label in LABELS}
        trusted = model._trusted(dict(model.rule_precision_))
        rows = []
        for k in range(args.splits):
            ev = crossfit_evaluation(model, gold, tuning=REAL_TUNING, salt=f"/split{k}" if k else "")
            rows.append((ev.transcript["evasive"].f1, ev.transcript["broken_promise"].f1, ev.false_alarm_rate))
        f1, bp, fa = np.array(rows).T
        written = evaluate_model(tuned_on_real(model, gold, REAL_TUNING), dev)
        print(f"| {bar:.2f} | {len(trusted)} of {len(model.rule_precision_)} | {' '.join(f'{x:.3f}' for x in f1)} "
              f"({f1.mean():.3f}) | {bp.mean():.3f} | {fa.mean():.1%} | {written.transcript_macro_f1:.3f} / "
              f"{written.false_alarm_rate:.1%} |", flush=True)


if __name__ == "__main__":
    main()
