"""TurnFeaturizer: sparse features of agent turns (jieba word n-grams, character n-grams, question
words, question-answer pairs, text-free cues), a scikit-learn transformer."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .context import TranscriptView, TurnContext, cue_features, qa_pair_tokens, turn_contexts

__all__ = ["TranscriptView", "TurnContext", "TurnFeaturizer", "cue_features", "turn_contexts"]


class TurnFeaturizer(TransformerMixin, BaseEstimator):
    """Sparse features of agent turns: jieba word n-grams, character n-grams, question words, the
    reply's words tagged by the kind of question they answer (``qa_pairs``), cues.

    Each block can be switched off, so designs can be compared in one Pipeline; ``cue_weight``
    scales the text-free cue block against the tf-idf blocks.
    """

    def __init__(self, words: bool = True, chars: bool = True, question_words: bool = False,
                 qa_pairs: bool = False, cues: bool = True, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (2, 4),
                 min_df: int = 2, max_features: int | None = 50000, cue_weight: float = 1.0) -> None:
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
        self.cue_names_ = sorted(cue_features(X[0]).keys()) if (self.cues and len(X)) else []
        return self

    def transform(self, X: Sequence[TurnContext]) -> sp.csr_matrix:
        blocks = [self.vectorizers_[b].transform(d) for b, d in self._docs(X).items()]
        if self.cues:
            dense = np.array([[feats[n] for n in self.cue_names_] for feats in map(cue_features, X)],
                             dtype=np.float64).reshape(len(X), len(self.cue_names_))
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
