"""The customer's reaction to a reply, learned from the corpus (``reactions``)."""
import numpy as np
import pytest

from cs_classifier import LABELS, TurnFeaturizer
from cs_classifier.context import turn_contexts
from cs_classifier.corpus import split_corpus
from cs_classifier.reactions import ReactionFit, reaction_text
from cs_classifier.segment import Segmenter
from cs_classifier.transcript import Transcript, Turn

from conftest import labelled_turn_contexts


@pytest.fixture(scope="module")
def turns(corpus):
    train, test = split_corpus(corpus)
    segmenter = Segmenter()
    out = {}
    for name, chats in (("train", train[:800]), ("test", test[:200])):
        out[name] = labelled_turn_contexts(chats, segmenter)
    return out


@pytest.fixture(scope="module")
def fitted(turns):
    contexts, Y = turns["train"]
    return ReactionFit().fit(contexts, Y[:, 0])


def test_the_reaction_is_the_customer_text_up_to_the_next_agent_turn():
    chat = Transcript("t", [Turn("customer", "什么时候发货"), Turn("agent", "亲，请耐心等待"),
                            Turn("customer", "我问的是哪天"), Turn("customer", "你倒是说啊"),
                            Turn("agent", "明天发"), Turn("customer", "好")])
    contexts = turn_contexts([chat], Segmenter())
    assert [reaction_text(c) for c in contexts] == ["我问的是哪天 你倒是说啊", "好"]


def test_reactions_to_evasive_replies_score_higher(fitted, turns):
    from sklearn.metrics import roc_auc_score

    contexts, Y = turns["test"]
    said = np.array([bool(reaction_text(c)) for c in contexts])
    scores = fitted.score(contexts)
    assert roc_auc_score(Y[said, 0], scores[said]) > 0.75


def test_a_reply_nobody_answered_scores_nothing(fitted):
    chat = Transcript("t", [Turn("customer", "在吗"), Turn("agent", "在的，请问有什么可以帮您")])
    assert fitted.score(turn_contexts([chat], Segmenter()))[0] == 0.0


def test_training_turns_get_the_reaction_cue_out_of_fold(turns):
    contexts, Y = turns["train"]
    featurizer = TurnFeaturizer(words=False, chars=False, cues=True, reaction_fit=True)
    X_train = featurizer.fit_transform(contexts, Y)
    column = X_train.shape[1] - len(featurizer.cue_names_) + featurizer.cue_names_.index("customer_reacts_unanswered")
    oof = X_train[:, column].toarray().ravel()
    seen = featurizer.transform(contexts)[:, column].toarray().ravel()
    said = oof > 0
    ev = Y[:, 0] == 1
    assert seen[said & ev].mean() - seen[said & ~ev].mean() > oof[said & ev].mean() - oof[said & ~ev].mean() > 0


def test_the_reaction_cue_needs_labels(turns):
    contexts, _ = turns["train"]
    with pytest.raises(ValueError, match="turn labels"):
        TurnFeaturizer(reaction_fit=True).fit(contexts[:50])
