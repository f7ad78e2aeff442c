"""TurnFeaturizer: sparse features of agent turns (jieba word n-grams, character n-grams, question
words, question-answer pairs, text-free cues), a scikit-learn transformer."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .context import TranscriptView, TurnContext, cue_features, qa_pair_tokens, turn_contexts
from .reply_fit import CUE_NAME as REPLY_FIT_CUE
from .reply_fit import ReplyFit

__all__ = ["TranscriptView", "TurnContext", "TurnFeaturizer", "cue_features", "turn_contexts"]


class TurnFeaturizer(TransformerMixin, BaseEstimator):
    """Sparse features of agent turns: jieba word n-grams, character n-grams, question words, the
    reply's words tagged by the kind of question they answer (``qa_pairs``), cues.

    Each block can be switched off, so designs can be compared in one Pipeline; ``cue_weight``
    scales the text-free cue block against the tf-idf blocks. With ``reply_fit`` (and cues) one
    cue more is learned from the labels passed to ``fit``: how badly the reply fits its question
    (``reply_fit.ReplyFit``). ``fit_transform`` gives the training turns that cue out of fold
    (``reply_fit_folds`` folds by transcript), so what is fitted next does not learn from scores
    of replies the fit model has seen.
    """

    def __init__(self, words: bool = True, chars: bool = True, question_words: bool = False,
                 qa_pairs: bool = False, cues: bool = True, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (2, 4),
                 min_df: int = 2, max_features: int | None = 50000, cue_weight: float = 1.0,
                 reply_fit: bool = False, reply_fit_folds: int = 3) -> None:
        self.words = words
        self.chars = chars
        self.question_words = question_words
        self.qa_pairs = qa_pairs
        self.cues = cues
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.cue_weight = cue_weight
        self.reply_fit = reply_fit
        self.reply_fit_folds = reply_fit_folds

    def _docs(self, X: Sequence[TurnContext]) -> dict[str, list[str]]:
        docs: dict[str, list[str]] = {}
        if self.words:
            docs["w"] = [" ".join(c.view.words[c.index]) for c in X]
        if self.chars:
            docs["c"] = [c.view.texts[c.index] for c in X]
        if self.question_words:
            docs["q"] = [" ".join(c.view.question_before(c.index)[1]) for c in X]
        if self.qa_pairs:
            docs["p"] = [" ".join(qa_pair_tokens(c)) for c in X]
        return docs

    def _vectorizer(self, block: str) -> TfidfVectorizer:
        if block == "c":
            return TfidfVectorizer(analyzer="char", ngram_range=self.char_ngrams, min_df=self.min_df,
                                   max_features=self.max_features, sublinear_tf=True, lowercase=False)
        ngrams = self.word_ngrams if block == "w" else (1, 1)
        return TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=ngrams, min_df=self.min_df,
                               max_features=self.max_features, sublinear_tf=True, lowercase=False)

    def fit(self, X: Sequence[TurnContext], y: Any = None) -> "TurnFeaturizer":
        self.vectorizers_ = {}
        for block, docs in self._docs(X).items():
            vec = self._vectorizer(block)
            try:
                vec.fit(docs)
            except ValueError:  # every term below min_df: keep the block empty
                vec = self._vectorizer(block).set_params(min_df=1).fit(docs or [""])
            self.vectorizers_[block] = vec
        names = list(cue_features(X[0]).keys()) if (self.cues and len(X)) else []
        self.reply_fit_ = None
        if names and self.reply_fit:
            self.reply_fit_ = ReplyFit().fit(X, _evasive(y, len(X)))
            names.append(REPLY_FIT_CUE)
        self.cue_names_ = sorted(names)
        return self

    def fit_transform(self, X: Sequence[TurnContext], y: Any = None, **fit_params: Any) -> sp.csr_matrix:
        self.fit(X, y)
        if self.reply_fit_ is None:
            return self.transform(X)
        # Each training turn's fit cue from a model fitted on the other transcripts' turns.
        views: dict[int, int] = {}
        fold = np.array([views.setdefault(id(c.view), len(views)) % self.reply_fit_folds for c in X])
        evasive = _evasive(y, len(X))
        misfit = np.zeros(len(X))
        for k in range(self.reply_fit_folds):
            held = np.flatnonzero(fold == k)
            rest = np.flatnonzero(fold != k)
            if len(held) and len(rest):
                fitted = ReplyFit().fit([X[i] for i in rest], evasive[rest])
                misfit[held] = fitted.misfit([X[i] for i in held])
        return self._transform(X, misfit)

    def transform(self, X: Sequence[TurnContext]) -> sp.csr_matrix:
        return self._transform(X, self.reply_fit_.misfit(X) if getattr(self, "reply_fit_", None) else None)

    def _transform(self, X: Sequence[TurnContext], misfit: np.ndarray | None) -> sp.csr_matrix:
        blocks = [self.vectorizers_[b].transform(d) for b, d in self._docs(X).items()]
        if self.cues:
            rows = []
            for k, feats in enumerate(map(cue_features, X)):
                if misfit is not None:
                    feats[REPLY_FIT_CUE] = float(misfit[k])
                rows.append([feats[n] for n in self.cue_names_])
            dense = np.array(rows, dtype=np.float64).reshape(len(X), len(self.cue_names_))
            blocks.append(sp.csr_matrix(dense * self.cue_weight))
        if not blocks:
            return sp.csr_matrix((len(X), 0))
        return sp.hstack(blocks, format="csr")

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        names: list[str] = []
        for block, vec in self.vectorizers_.items():
            names.extend(f"{block}:{n}" for n in vec.get_feature_names_out())
        names.extend(f"cue:{n}" for n in self.cue_names_)
        return np.asarray(names, dtype=object)


def _evasive(y: Any, n: int) -> np.ndarray:
    """The evasive column of turn labels (a label matrix in ``LABELS`` order, or one column)."""
    if y is None:
        raise ValueError("TurnFeaturizer(reply_fit=True) learns from turn labels: pass y to fit")
    y = np.asarray(y)
    return (y[:, 0] if y.ndim == 2 else y.reshape(n)).astype(int)
