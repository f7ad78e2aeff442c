"""The promise-report reader's bar as a dial between evasive and broken-promise findings.

    python benchmarks/report_precision.py [--precisions 0.85 0.9 0.95] [--splits 4]
    python benchmarks/report_precision.py --bars 0.75 0.7 --splits 2

Takes the shipped model, scores the training split's customer turns out of fold as ``ChatModel.fit``
does, and for each target precision moves the reader's bar to where its out-of-fold precision
reaches it (``model.report_bar``). Each variant is then tuned on the real labels as shipped and
cross-fitted over ``--splits`` splits of the real chats into folds; the written test split is scored
with the shipped thresholds. The reader fires on clean real chats too, and those firings share the
one false-alarm budget with the evasive threshold: this prints what each bar buys and costs. With
``--bars`` the bar is set directly instead, and the rule keeps the precision the corpus gave it
(below its corpus bar, a precision target would leave the rule untrusted, not lower it). Takes
about ten minutes a bar with 4 splits.
"""
from __future__ import annotations

import argparse
import copy
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

from cs_classifier import load_model
from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import evaluate_model, real_data_dir
from cs_classifier.model import _customer_turns, report_bar
from cs_classifier.promise_reports import RULE_NAME
from cs_classifier.train import REAL_TUNING, _real_gold
from cs_classifier.tuning import _truth, crossfit_evaluation

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--precisions", type=float, nargs="+", default=[0.85, 0.9, 0.95])
    parser.add_argument("--splits", type=int, default=4)
    parser.add_argument("--bars", type=float, nargs="+", default=None, help="set these bars directly")
    args = parser.parse_args()
    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    shipped = load_model()
    if shipped.promise_report_scorer_ is None:
        raise SystemExit("the shipped model has no promise-report reader")
    train, test = split_corpus(load_corpus(ROOT / "data"))
    gold = _real_gold(str(ROOT / "data"))
    reports = _customer_turns(shipped._views(train))
    oof = np.zeros(len(train))
    folds = KFold(n_splits=shipped.threshold_folds, shuffle=True, random_state=shipped.random_state)
    for fit_t, val_t in folds.split(np.arange(len(train))):
        oof[val_t] = shipped._report_scores_out_of_fold(reports, fit_t, val_t)
    truth = _truth(train)[:, 3]
    print("| report_precision (bar) | real evasive F1 per split (mean) | real broken_promise F1 | "
          "real false alarms (mean) | written test: broken_promise / macro F1 / false alarms |")
    print("|---|---|---|---|---|")
    variants = ([(None, (bar, shipped.rule_precision_[RULE_NAME])) for bar in args.bars] if args.bars else
                [(target, report_bar(oof, truth, target, shipped.rule_prior)) for target in args.precisions])
    for target, chosen in variants:
        if chosen is None:
            print(f"| {target:.2f} (none) | no bar reaches it | | | |")
            continue
        name = f"{target:.2f} ({chosen[0]:.2f})" if target is not None else f"set ({chosen[0]:.2f})"
        model = copy.deepcopy(shipped)
        model.promise_report_scorer_.bar, model.rule_precision_[RULE_NAME] = chosen
        rows = []
        for k in range(args.splits):
            ev = crossfit_evaluation(model, gold, tuning=REAL_TUNING, salt=f"/split{k}" if k else "")
            rows.append((ev.transcript["evasive"].f1, ev.transcript["broken_promise"].f1, ev.false_alarm_rate))
        f1, bp, fa = np.array(rows).T
        written = evaluate_model(model, test)
        print(f"| {name} | {' '.join(f'{x:.3f}' for x in f1)} ({f1.mean():.3f}) | "
              f"{bp.mean():.3f} | {fa.mean():.1%} | {written.transcript['broken_promise'].f1:.3f} / "
              f"{written.transcript_macro_f1:.3f} / {written.false_alarm_rate:.1%} |", flush=True)


if __name__ == "__main__":
    main()
