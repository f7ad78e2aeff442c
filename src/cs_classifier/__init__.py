"""cs-classifier: find evasive, dismissive, inaccurate and broken-promise agent turns in Chinese
customer-service chats, and turn them into quotable evidence."""
from __future__ import annotations

__version__ = "0.1.0"

from .analysis import Analysis, FindingResult, Quote
from .classifier import MultiLabelClassifier
from .commitments import Commitment, track_commitments
from .evaluate import Evaluation, evaluate_model
from .features import TurnContext, TurnFeaturizer, turn_contexts
from .model import ChatModel
from .modelio import ModelIntegrityError, load_model, save_model
from .readers import ReadError, read_transcripts
from .segment import Segmenter
from .transcript import LABELS, Finding, Labels, Transcript, TranscriptError, Turn

__all__ = [
    "LABELS", "Analysis", "ChatModel", "Commitment", "Evaluation", "Finding", "FindingResult", "Labels",
    "ModelIntegrityError", "MultiLabelClassifier", "Quote", "ReadError", "Segmenter", "Transcript",
    "TranscriptError", "Turn", "TurnContext", "TurnFeaturizer", "evaluate_model", "load_model",
    "read_transcripts", "save_model", "track_commitments", "turn_contexts", "__version__",
]
