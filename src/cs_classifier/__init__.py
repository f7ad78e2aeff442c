"""cs-classifier: find evasive, dismissive, inaccurate and broken-promise agent turns in Chinese
customer-service chats, and turn them into quotable evidence.

Names are imported on first use, so reading transcripts does not pay for importing scikit-learn.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "LABELS": "transcript", "Finding": "transcript", "Labels": "transcript", "Transcript": "transcript",
    "TranscriptError": "transcript", "Turn": "transcript",
    "ReadError": "readers", "read_transcripts": "readers",
    "Segmenter": "segment",
    "Commitment": "commitments", "track_commitments": "commitments",
    "Analysis": "analysis", "FindingResult": "analysis", "Quote": "analysis",
    "MultiLabelClassifier": "classifier",
    "TurnContext": "features", "TurnFeaturizer": "features", "turn_contexts": "features",
    "ChatModel": "model",
    "ModelIntegrityError": "modelio", "load_model": "modelio", "save_model": "modelio",
    "Evaluation": "evaluate", "evaluate_model": "evaluate",
    "score_records": "scoring", "score_frame": "frame",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:
    from .analysis import Analysis, FindingResult, Quote
    from .classifier import MultiLabelClassifier
    from .commitments import Commitment, track_commitments
    from .evaluate import Evaluation, evaluate_model
    from .frame import score_frame
    from .scoring import score_records
    from .features import TurnContext, TurnFeaturizer, turn_contexts
    from .model import ChatModel
    from .modelio import ModelIntegrityError, load_model, save_model
    from .readers import ReadError, read_transcripts
    from .segment import Segmenter
    from .transcript import LABELS, Finding, Labels, Transcript, TranscriptError, Turn


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cs_classifier' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
