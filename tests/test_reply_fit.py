"""A reply that fits its question, learned from the corpus: does it tell replies apart, and does
the featurizer keep its training scores honest?"""
import numpy as np
import pytest

from cs_classifier import LABELS, TurnFeaturizer
from cs_classifier.context import turn_contexts
from cs_classifier.corpus import split_corpus
from cs_classifier.reply_fit import ReplyFit, question_and_reply
from cs_classifier.segment import Segmenter
from cs_classifier.transcript import Transcript, Turn

from conftest import labelled_turn_contexts

EVASIVE = LABELS.index("evasive")


@pytest.fixture(scope="module")
def turns(corpus):
    train, test = split_corpus(corpus)
    segmenter = Segmenter()
    out = {}
    for name, chats in (("train", train[:800]), ("test", test[:150])):
        out[name] = labelled_turn_contexts(chats, segmenter)
    return out


@pytest.fixture(scope="module")
def fitted(turns):
    contexts, Y = turns["train"]
    return ReplyFit().fit(contexts, Y[:, EVASIVE])


def test_a_reply_fits_its_own_question_better_than_another_turns_reply(fitted, turns):
    contexts, Y = turns["test"]
    evasive = Y[:, EVASIVE]
    pairs = [question_and_reply(c) for c in contexts]
    usable = [k for k, (q, a) in enumerate(pairs) if q and a and not evasive[k]]
    own = fitted.scorer_.misfit([pairs[k] for k in usable])
    rng = np.random.default_rng(0)
    other = fitted.scorer_.misfit([(pairs[k][0], pairs[j][1]) for k, j in zip(usable, rng.permutation(usable))])
    assert own.mean() < other.mean()
    assert np.mean(own < other) > 0.55


def test_evasive_replies_misfit_more_than_decent_ones(fitted, turns):
    contexts, Y = turns["test"]
    evasive = Y[:, EVASIVE]
    misfit = fitted.misfit(contexts)
    asked = np.array([bool(q and a) for q, a in map(question_and_reply, contexts)])
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(evasive[asked], misfit[asked]) > 0.75


def test_a_reply_to_no_question_misfits_nothing(fitted):
    chat = Transcript("t", [Turn("agent", "您好，请问有什么可以帮您"), Turn("customer", "谢谢"), Turn("agent", "不客气")])
    contexts = turn_contexts([chat], Segmenter())
    assert fitted.misfit(contexts)[0] == 0.0


def test_training_turns_get_the_cue_out_of_fold(turns):
    contexts, Y = turns["train"]
    featurizer = TurnFeaturizer(words=False, chars=False, cues=True, reply_fit=True)
    X_train = featurizer.fit_transform(contexts, Y)
    column = featurizer.cue_names_.index("reply_misfits_question")
    oof = X_train[:, X_train.shape[1] - len(featurizer.cue_names_) + column].toarray().ravel()
    seen = featurizer.transform(contexts)[:, X_train.shape[1] - len(featurizer.cue_names_) + column].toarray().ravel()
    asked = oof > 0
    # the model that scored a training turn had not seen it: its scores are less sure of the labels
    ev = Y[:, EVASIVE] == 1
    gap_oof = oof[asked & ev].mean() - oof[asked & ~ev].mean()
    gap_seen = seen[asked & ev].mean() - seen[asked & ~ev].mean()
    assert gap_seen > gap_oof > 0


def test_the_fit_cue_needs_labels(turns):
    contexts, _ = turns["train"]
    with pytest.raises(ValueError, match="turn labels"):
        TurnFeaturizer(reply_fit=True).fit(contexts[:50])
