"""Does this reply fit the question it follows?

Real evasion is mostly a reply that does not answer what was asked: a canned line that would fit
any question. Hand-written cues read the question's type against what the reply supplies; this
model learns the fit itself, from the corpus alone. It is a logistic regression over crosses of
the question's content words with the reply's (``快递|明天``), taught to tell a reply to its own
question from an evasive reply or a reply taken from another turn of the corpus. Its score joins
the cue vector as one number, ``reply_misfits_question``, so that the text model and the real-data
recalibration can weigh it like any other cue.

The crosses are hashed (``zlib.crc32``, stable across processes and Python versions) into a fixed
number of buckets: the model stores one weight per bucket and no vocabulary, and the compiled
scorer computes the same number with numpy alone (``PairScorer``).
"""
from __future__ import annotations

import random
import zlib
from typing import Any, Sequence

import numpy as np

from .context import TurnContext, content_words

__all__ = ["CUE_NAME", "PairScorer", "ReplyFit", "question_and_reply"]

CUE_NAME = "reply_misfits_question"


def question_and_reply(ctx: TurnContext) -> tuple[list[str], list[str]]:
    """The content words of the customer turns a reply follows, and of the reply (sorted, unique)."""
    words = ctx.view.question_before(ctx.index)[1]
    return sorted(content_words(words)), sorted(content_words(ctx.view.tokens[ctx.index]))


def _buckets(question: Sequence[str], reply: Sequence[str], n_features: int, max_question: int,
             max_reply: int) -> np.ndarray:
    terms = [f"{q}|{a}" for q in question[:max_question] for a in reply[:max_reply]]
    terms += ["A:" + a for a in reply]
    return np.unique(np.fromiter((zlib.crc32(t.encode("utf-8")) % n_features for t in terms),
                                 dtype=np.int64, count=len(terms)))


class PairScorer:
    """The fitted weights of ``ReplyFit`` as plain arrays; scores with numpy alone."""

    def __init__(self, coef: np.ndarray, intercept: float, max_question: int, max_reply: int) -> None:
        self.coef = np.asarray(coef, dtype=np.float32)  # half the size; the sums are taken in float64
        self.intercept = float(intercept)
        self.max_question = max_question
        self.max_reply = max_reply

    def misfit(self, pairs: Sequence[tuple[list[str], list[str]]]) -> np.ndarray:
        """Per (question words, reply words): 1 - P(the reply fits), and 0 where either is empty —
        a reply to no question, or one with no content words, misfits nothing."""
        out = np.zeros(len(pairs))
        for k, (q, a) in enumerate(pairs):
            if q and a:
                idx = _buckets(q, a, len(self.coef), self.max_question, self.max_reply)
                z = float(self.coef[idx].sum(dtype=np.float64)) / np.sqrt(len(idx)) + self.intercept
                out[k] = 1.0 / (1.0 + np.exp(z))
        return out

    def to_header(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "max_question": self.max_question, "max_reply": self.max_reply}

    @classmethod
    def from_header(cls, header: dict[str, Any], coef: np.ndarray) -> "PairScorer":
        return cls(coef, header["intercept"], header["max_question"], header["max_reply"])


class ReplyFit:
    """Learns from annotated turns whether a reply fits its question (see the module docstring).
    Like ``CueRecalibrator``, a plain object that imports scikit-learn only to fit, so the
    compiled scorer can use its ``scorer_`` without it.

    ``fit(X, y)``: ``X`` agent-turn contexts, ``y`` 1 where the turn is evasive. Each turn that
    follows a question gives a positive example (its own reply, unless evasive) and a negative one
    (the reply of a random other turn); ``misfit(X)`` is 1 - P(fits).
    """

    def __init__(self, n_features: int = 2 ** 18, C: float = 1.0, max_question: int = 15, max_reply: int = 25,
                 random_state: int = 0) -> None:
        self.n_features = n_features
        self.C = C
        self.max_question = max_question
        self.max_reply = max_reply
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"n_features": self.n_features, "C": self.C, "max_question": self.max_question,
                "max_reply": self.max_reply, "random_state": self.random_state}

    def fit(self, X: Sequence[TurnContext], y: Any) -> "ReplyFit":
        import scipy.sparse as sp
        from sklearn.linear_model import LogisticRegression

        pairs = [question_and_reply(c) for c in X]
        evasive = np.asarray(y).reshape(len(pairs)) == 1
        usable = [k for k, (q, a) in enumerate(pairs) if q and a]
        if len(usable) < 2:
            raise ValueError("ReplyFit needs at least two replies that follow a question")
        rng = random.Random(self.random_state)
        examples: list[tuple[list[str], list[str]]] = []
        target: list[int] = []
        for k in usable:
            q, a = pairs[k]
            examples += [(q, a), (q, pairs[rng.choice(usable)][1])]
            target += [0 if evasive[k] else 1, 0]
        rows = [_buckets(q, a, self.n_features, self.max_question, self.max_reply) for q, a in examples]
        indptr = np.cumsum([0] + [len(r) for r in rows])
        data = np.concatenate([np.full(len(r), 1.0 / np.sqrt(len(r))) for r in rows])
        matrix = sp.csr_matrix((data, np.concatenate(rows), indptr), shape=(len(rows), self.n_features))
        lr = LogisticRegression(C=self.C, max_iter=3000).fit(matrix, target)
        self.scorer_ = PairScorer(lr.coef_[0], float(lr.intercept_[0]), self.max_question, self.max_reply)
        self.n_examples_ = len(rows)
        return self

    def misfit(self, X: Sequence[TurnContext]) -> np.ndarray:
        return self.scorer_.misfit([question_and_reply(c) for c in X])

    score = misfit  # the cue's value, under the name every learned cue has (``TurnFeaturizer``)
