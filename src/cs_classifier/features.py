"""TurnFeaturizer: sparse features of agent turns (jieba word n-grams, character n-grams, question
words, question-answer pairs, text-free cues), a scikit-learn transformer."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .context import TranscriptView, TurnContext, cue_features, qa_pair_tokens, turn_contexts
from .reactions import CUE_NAME as REACTION_CUE
from .reactions import ReactionFit
from .reply_fit import CUE_NAME as REPLY_FIT_CUE
from .reply_fit import ReplyFit

__all__ = ["TranscriptView", "TurnContext", "TurnFeaturizer", "cue_features", "turn_contexts"]


class TurnFeaturizer(TransformerMixin, BaseEstimator):
    """Sparse features of agent turns: jieba word n-grams, character n-grams, question words, the
    reply's words tagged by the kind of question they answer (``qa_pairs``), cues.

    Each block can be switched off, so designs can be compared in one Pipeline; ``cue_weight``
    scales the text-free cue block against the tf-idf blocks. With cues, two more can be learned
    from the evasive labels passed to ``fit``: with ``reply_fit``, how badly the reply fits its
    question (``reply_fit.ReplyFit``); with ``reaction_fit``, how much the customer's reaction reads
    like a reply that did not answer (``reactions.ReactionFit``). ``fit_transform`` gives the
    training turns those cues out of fold (``reply_fit_folds`` folds by transcript), so what is
    fitted next does not learn from scores of turns the learned cue has seen.
    """

    def __init__(self, words: bool = True, chars: bool = True, question_words: bool = False,
                 qa_pairs: bool = False, cues: bool = True, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (2, 4),
                 min_df: int = 2, max_features: int | None = 50000, cue_weight: float = 1.0,
                 reply_fit: bool = False, reply_fit_folds: int = 3, reaction_fit: bool = False) -> None:
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
        self.reaction_fit = reaction_fit

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
        self.learned_: dict[str, Any] = {}
        if names and self._learned_cues():
            evasive = _evasive(y, len(X))
            for name, make in self._learned_cues().items():
                self.learned_[name] = make().fit(X, evasive)
                names.append(name)
        self.cue_names_ = sorted(names)
        return self

    def _learned_cues(self) -> dict[str, Any]:
        """The learned cues switched on: cue name -> model class (``fit(X, evasive)``, ``score(X)``)."""
        learned: dict[str, Any] = {}
        if self.reply_fit:
            learned[REPLY_FIT_CUE] = ReplyFit
        if self.reaction_fit:
            learned[REACTION_CUE] = ReactionFit
        return learned

    def fit_transform(self, X: Sequence[TurnContext], y: Any = None, **fit_params: Any) -> sp.csr_matrix:
        self.fit(X, y)
        if not self.learned_:
            return self.transform(X)
        # Each training turn's learned cues from models fitted on the other transcripts' turns.
        views: dict[int, int] = {}
        fold = np.array([views.setdefault(id(c.view), len(views)) % self.reply_fit_folds for c in X])
        evasive = _evasive(y, len(X))
        values = {name: np.zeros(len(X)) for name in self.learned_}
        for k in range(self.reply_fit_folds):
            held = np.flatnonzero(fold == k)
            rest = np.flatnonzero(fold != k)
            if len(held) and len(rest):
                for name, make in self._learned_cues().items():
                    fitted = make().fit([X[i] for i in rest], evasive[rest])
                    values[name][held] = fitted.score([X[i] for i in held])
        return self._transform(X, values)

    def transform(self, X: Sequence[TurnContext]) -> sp.csr_matrix:
        return self._transform(X, {name: model.score(X) for name, model in self.learned_.items()})

    def _transform(self, X: Sequence[TurnContext], learned: dict[str, np.ndarray]) -> sp.csr_matrix:
        blocks = [self.vectorizers_[b].transform(d) for b, d in self._docs(X).items()]
        if self.cues:
            rows = []
            for k, feats in enumerate(map(cue_features, X)):
                for name, values in learned.items():
                    feats[name] = float(values[k])
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
        raise ValueError("TurnFeaturizer(reply_fit=True or reaction_fit=True) learns from turn labels: pass y to fit")
    y = np.asarray(y)
    return (y[:, 0] if y.ndim == 2 else y.reshape(n)).astype(int)
