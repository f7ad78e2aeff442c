"""Scoring a pandas DataFrame of messages (one row per message, grouped by a conversation id)."""
from __future__ import annotations

from typing import Any

from .outputs import transcript_row
from .readers import ReadError
from .roles import normalize_role, role_from_speaker
from .text_export import normalize_export_time
from .transcript import Transcript, Turn


def frame_transcripts(df: Any, conversation: str = "conversation_id", role: str | None = "role", text: str = "text",
                      time: str | None = None, speaker: str | None = None, timezone: str = "+08:00") -> list[Transcript | ReadError]:
    """Transcripts from a message DataFrame, conversations in order of first appearance, rows as turns."""
    missing = [c for c in (conversation, text, role, time, speaker) if c is not None and c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the DataFrame: {missing}")
    out: list[Transcript | ReadError] = []
    for conv_id, group in df.groupby(conversation, sort=False):
        turns, warnings, error = [], [], None
        for row_no, row in enumerate(group.itertuples(index=False)):
            values = row._asdict()
            who = values.get(speaker) if speaker else None
            who = None if who is None or who != who else str(who)
            r = normalize_role(values.get(role)) if role else None
            if r is None:
                if who is None:
                    error = f"row {row_no}: unknown role {values.get(role)!r} and no speaker to infer it from"
                    break
                r = role_from_speaker(who)
            raw_time = values.get(time) if time else None
            stamp = None
            if raw_time is not None and raw_time == raw_time:
                if hasattr(raw_time, "isoformat"):
                    stamp = raw_time.isoformat() if getattr(raw_time, "tzinfo", None) else raw_time.isoformat() + timezone
                else:
                    stamp = normalize_export_time(str(raw_time), timezone)
                    if stamp is None:
                        warnings.append(f"turn {row_no}: invalid time {raw_time!r}; set to null")
            body = values.get(text)
            turns.append(Turn(role=r, text="" if body is None or body != body else str(body), time=stamp, speaker=who))
        if error:
            out.append(ReadError("DataFrame", error, str(conv_id)))
        else:
            out.append(Transcript(id=str(conv_id), turns=turns, warnings=warnings, location=f"DataFrame[{conv_id}]"))
    return out


def score_frame(df: Any, model: Any = None, conversation: str = "conversation_id", role: str | None = "role",
                text: str = "text", time: str | None = None, speaker: str | None = None, n_jobs: int = 1) -> Any:
    """One row per conversation: labels, the four scores, counts, and the full record in ``record``."""
    import pandas as pd

    from .modelio import load_model
    from .scoring import score_records

    model = model if model is not None else load_model()
    items = frame_transcripts(df, conversation, role, text, time, speaker)
    rows = [{**transcript_row(r), "record": r} for r in score_records(model, items, n_jobs=n_jobs)]
    return pd.DataFrame(rows)
