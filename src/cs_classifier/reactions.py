"""How does the customer react to a reply?

An evasive reply shows in what the customer says next: they ask again, point out that the reply
did not answer (「我问的是…」), or give up. The hand-written cues catch a few such reactions; this
model learns them from the corpus: a logistic regression over tf-idf character n-grams (2–4) of the
customer turns that follow an agent turn (up to the next agent turn), taught on whether that agent
turn was labelled evasive. Its score joins the cue vector as ``customer_reacts_unanswered`` (0 where
no customer turn follows), so the text model and the real-data recalibration weigh it like any other
cue. Like ``reply_fit``, the training turns get it out of fold (``TurnFeaturizer``).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .context import TurnContext
from .ngrams import TextScorer, fit_text_scorer

__all__ = ["CUE_NAME", "ReactionFit", "reaction_text"]

CUE_NAME = "customer_reacts_unanswered"
PREFIX = "reaction_fit"


def reaction_text(ctx: TurnContext) -> str:
    """The normalised text of the customer turns right after an agent turn, up to the next agent turn."""
    view, parts = ctx.view, []
    for j in range(ctx.index + 1, min(len(view.transcript.turns), view.max_turns)):
        if view.transcript.turns[j].role != "customer":
            break
        parts.append(view.texts[j])
    return " ".join(parts).strip()


def react_scores(scorer: TextScorer, texts: Sequence[str]) -> np.ndarray:
    """The scorer's probability per reaction text, 0 where the customer said nothing after."""
    out = np.zeros(len(texts))
    said = [k for k, text in enumerate(texts) if text]
    if said:
        out[said] = scorer.score([texts[k] for k in said])
    return out


class ReactionFit:
    """Learns which customer reactions follow an evasive reply (see the module docstring). A plain
    object that imports scikit-learn only to fit.

    ``fit(X, y)``: ``X`` agent-turn contexts, ``y`` 1 where the turn is evasive; only turns the
    customer answered are learned from. ``score(X)``: per turn, the probability, 0 with no reaction.
    """

    def __init__(self, C: float = 1.0, ngrams: tuple[int, int] = (2, 4), min_df: int = 2) -> None:
        self.C = C
        self.ngrams = ngrams
        self.min_df = min_df

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"C": self.C, "ngrams": self.ngrams, "min_df": self.min_df}

    def fit(self, X: Sequence[TurnContext], y: Any) -> "ReactionFit":
        texts = [reaction_text(c) for c in X]
        target = np.asarray(y, dtype=int).reshape(len(texts))
        said = [k for k, text in enumerate(texts) if text]
        if len(set(target[said].tolist())) < 2:
            raise ValueError("ReactionFit needs answered turns that are evasive and answered turns that are not")
        self.scorer_ = fit_text_scorer([texts[k] for k in said], target[said], self.C, self.ngrams, self.min_df)
        return self

    def score(self, X: Sequence[TurnContext]) -> np.ndarray:
        return react_scores(self.scorer_, [reaction_text(c) for c in X])
