"""Scoring a stream of read results into output records, in input order, never stopping on one failure."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from .readers import ReadError
from .transcript import Transcript


def error_record(item_id: str | None, source: str | None, error: str) -> dict[str, Any]:
    return {"id": item_id, "ok": False, "source": source, "error": error}


def score_records(model: Any, items: Iterable[Transcript | ReadError], batch_size: int = 64) -> Iterator[dict[str, Any]]:
    """One output record per input item: the analysis of a transcript, or an error record."""
    batch: list[Transcript | ReadError] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _score_batch(model, batch)
            batch = []
    if batch:
        yield from _score_batch(model, batch)


def _score_batch(model: Any, batch: list[Transcript | ReadError]) -> Iterator[dict[str, Any]]:
    transcripts = [x for x in batch if isinstance(x, Transcript)]
    try:
        analyses = iter(list(model.analyze_many(transcripts, batch_size=max(1, len(transcripts)))))
    except Exception:  # one bad transcript must not sink its batch: redo them one by one
        analyses = iter([_analyze_one(model, t) for t in transcripts])
    for item in batch:
        if isinstance(item, ReadError):
            yield item.to_dict()
        else:
            result = next(analyses)
            yield result if isinstance(result, dict) else result.to_dict()


def _analyze_one(model: Any, t: Transcript) -> Any:
    try:
        return model.analyze(t)
    except Exception as exc:  # reported as a record, never a traceback
        return error_record(t.id, t.location or t.source, f"scoring failed: {type(exc).__name__}: {exc}")


def dumps(record: dict[str, Any]) -> str:
    """The output line of a record: compact JSON, non-ASCII kept, stable key order."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
