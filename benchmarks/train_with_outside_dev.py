"""Would training on the read chats by outside authors help? Measured, not shipped.

    python benchmarks/train_with_outside_dev.py

Fits the default model on the corpus's training split plus every chat of ``data/outside-dev`` (900
chats by authors who read only the guidelines), tunes it on the real labels as ``cs-classifier
train`` does, and prints transcript F1 per label and false alarms on the corpus test split and on
the held-out chats of ``data/outside``, then real evasive and broken-promise F1 and false alarms
cross-fitted over 4 splits of the real chats (each fold tuned on the other three). Compare with the
shipped model's figures in the model card and models/DESIGN.md. Takes about ten minutes.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from cs_classifier import LABELS
from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import evaluate_model, real_data_dir
from cs_classifier.train import REAL_TUNING, _real_gold, default_model
from cs_classifier.tuning import crossfit_evaluation, tuned_on_real

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> None:
    if real_data_dir() is None:
        raise SystemExit("the real chats are not on this machine (../shared/data/real or $CS_CLASSIFIER_REAL_DATA)")
    train, test = split_corpus(load_corpus(DATA))
    dev, outside = load_corpus(DATA, part="outside-dev"), load_corpus(DATA, part="outside")
    gold = _real_gold(str(DATA))
    model = default_model().fit(train + dev)
    tuned = tuned_on_real(model, gold, REAL_TUNING)
    print(f"trained on {len(train)} corpus + {len(dev)} outside-dev chats")
    for name, chats in (("corpus test", test), ("outside (held out)", outside)):
        ev = evaluate_model(tuned, chats)
        f1 = [ev.transcript[label].f1 for label in LABELS]
        print(f"{name}: {' '.join(f'{label} {x:.3f}' for label, x in zip(LABELS, f1))}, "
              f"macro {np.mean(f1):.3f}, false alarms {ev.false_alarm_rate:.1%}")
    rows = []
    for k in range(4):
        ev = crossfit_evaluation(model, gold, tuning=REAL_TUNING, salt=f"/split{k}" if k else "")
        rows.append((ev.transcript["evasive"].f1, ev.transcript["broken_promise"].f1, ev.false_alarm_rate))
    f1, bp, fa = np.array(rows).T
    print(f"real, 4 splits: evasive {' '.join(f'{x:.3f}' for x in f1)} (mean {f1.mean():.3f}), "
          f"broken_promise {bp.mean():.3f}, false alarms {fa.mean():.1%}")


if __name__ == "__main__":
    main()
