"""How much to let the real labels move the corpus model: one table, every option measured the
same honest ways.

    python benchmarks/real_tuning_options.py

Fits the corpus model as ``cs-classifier train`` does (train split only), then for each option of
``RealTuning`` reports

- real chats, cross-fitted (4 folds, each tuned on the other three): evasive and broken_promise
  F1, false alarms on clean chats;
- real chats, tuned on the lead's labels (``*-a``) and measured on the helpers' (all the others);
- the corpus test split, with the thresholds tuned on all real labels: macro F1 and false alarms
  (the nearest thing here to shop chats written by other people);
- Spearman's rho between badness and STC-3 satisfaction on the dialogues no label tuned.

The options differ in what the real labels may re-weight and how many clean chats the thresholds
may flag; the text model is the same for all. Takes about ten minutes.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import Evaluation, evaluate_model, labelled_transcripts, real_data_dir
from cs_classifier.train import REAL_TUNING, _real_gold, default_model, stc3_spearman
from cs_classifier.tuning import RealTuning, crossfit_evaluation, tuned_on_real

ROOT = Path(__file__).resolve().parents[1]
LABEL_DIR = ROOT / "data" / "real-eval"

OPTIONS: dict[str, RealTuning] = {
    "thresholds only, no recalibration": replace(REAL_TUNING, recalibrate=False),
    "cue recalibration on real turns only": replace(REAL_TUNING, corpus_weight=0.0),
    "cue recalibration, corpus anchor 0.02": replace(REAL_TUNING, corpus_weight=0.02),
    "cue recalibration, corpus anchor 0.1 (shipped)": REAL_TUNING,
    "cue recalibration, corpus anchor 0.3": replace(REAL_TUNING, corpus_weight=0.3),
    "cue recalibration, corpus anchor 1.0": replace(REAL_TUNING, corpus_weight=1.0),
    "shipped, but tune labels with 10+ real positives": replace(REAL_TUNING, min_positives=10),
    "shipped, 10+ positives, anchor 0.02 (shipped before)": replace(REAL_TUNING, min_positives=10, corpus_weight=0.02),
    "shipped, 0% budget for untuned labels": replace(REAL_TUNING, untuned_alarm=0.0),
    "shipped, 3.5% total budget": replace(REAL_TUNING, max_clean_alarm=0.035, max_total_alarm=0.035),
    "shipped, 5% total budget": replace(REAL_TUNING, max_clean_alarm=0.05, max_total_alarm=0.05),
}


def _f1(evaluation: Evaluation, label: str) -> float:
    return evaluation.transcript[label].f1


def labelled_sets() -> tuple[list, list, list]:
    """All real labelled chats, the lead's (``*-a``) and the helpers' (the rest)."""
    gold = _real_gold(str(ROOT / "data"))
    lead = [t for p in sorted(LABEL_DIR.glob("*-a.labels.jsonl")) for t in labelled_transcripts(p)]
    helpers = [t for p in sorted(LABEL_DIR.glob("*.labels.jsonl")) if not p.name.endswith("-a.labels.jsonl")
               for t in labelled_transcripts(p)]
    return gold, lead, helpers


HEADER = ("| option | real cross-fitted: evasive F1 / broken_promise F1 / false alarms "
          "| lead → helpers: evasive F1 / false alarms | corpus test: macro F1 / false alarms | Spearman rho |\n"
          "|---|---|---|---|---:|")


def table_row(name: str, model, tuning: RealTuning, gold, lead, helpers, test) -> str:
    """One option measured the four ways (see the module docstring)."""
    crossfit = crossfit_evaluation(model, gold, folds=4, tuning=tuning)
    holdout = evaluate_model(tuned_on_real(model, lead, tuning), helpers)
    tuned = tuned_on_real(model, gold, tuning)
    corpus = evaluate_model(tuned, test)
    rho = stc3_spearman(tuned, exclude={t.id for t in gold})
    return (f"| {name} "
            f"| {_f1(crossfit, 'evasive'):.3f} / {_f1(crossfit, 'broken_promise'):.3f} / {crossfit.false_alarm_rate:.1%} "
            f"| {_f1(holdout, 'evasive'):.3f} / {holdout.false_alarm_rate:.1%} "
            f"| {corpus.transcript_macro_f1:.3f} / {corpus.false_alarm_rate:.1%} "
            f"| {rho[0] if rho else float('nan'):.3f} |")


def main() -> None:
    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    train, test = split_corpus(load_corpus(ROOT / "data"))
    model = default_model().fit(train)
    gold, lead, helpers = labelled_sets()
    print(f"{len(gold)} real labelled chats ({len(lead)} lead, {len(helpers)} helpers); corpus test split {len(test)}\n")
    print(HEADER)
    for name, tuning in OPTIONS.items():
        print(table_row(name, model, tuning, gold, lead, helpers, test), flush=True)


if __name__ == "__main__":
    main()
