"""Scoring a stream of read results into output records: in input order, in chunks, optionally in
worker processes or on a Dask cluster, never stopping on one failure."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from .parallel import chunked, ordered_map
from .readers import ReadError
from .rules import RuleSet, apply_rules
from .transcript import Transcript

Item = Transcript | ReadError
Record = dict[str, Any]


def error_record(item_id: str | None, source: str | None, error: str) -> Record:
    return {"id": item_id, "ok": False, "source": source, "error": error}


def score_chunk(model: Any, ruleset: RuleSet | None, chunk: list[Item]) -> list[Record]:
    """Records for one chunk, in order: features and predictions are vectorised over the chunk."""
    transcripts = [x for x in chunk if isinstance(x, Transcript)]
    try:
        results: list[Any] = list(model.analyze_many(transcripts, batch_size=max(1, len(transcripts))))
    except Exception:  # one bad transcript must not sink its chunk: redo them one by one
        results = [_analyze_one(model, t) for t in transcripts]
    analyses = iter(results)
    out: list[Record] = []
    for item in chunk:
        if isinstance(item, ReadError):
            out.append(item.to_dict())
            continue
        result = next(analyses)
        if not isinstance(result, dict):
            if ruleset is not None:
                apply_rules(result, ruleset)
            result = result.to_dict()
        out.append(result)
    return out


def _analyze_one(model: Any, t: Transcript) -> Any:
    try:
        return model.analyze(t)
    except Exception as exc:  # reported as a record, never a traceback
        return error_record(t.id, t.location or t.source, f"scoring failed: {type(exc).__name__}: {exc}")


def score_records(model: Any, items: Iterable[Item], batch_size: int = 64, ruleset: RuleSet | None = None,
                  n_jobs: int = 1, client: Any = None) -> Iterator[Record]:
    """One output record per input item, in input order: an analysis record or an error record.

    ``n_jobs`` worker processes (``-1``: all cores) each load the model once; ``client`` (a
    ``dask.distributed.Client``) scores chunks on a cluster where each worker holds one copy of the
    model. Memory stays flat: only a few chunks are in flight at any time.
    """
    for records in ordered_map(score_chunk, chunked(items, batch_size), shared=(model, ruleset),
                               n_jobs=n_jobs, client=client):
        yield from records


_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dumps(record: Record) -> str:
    """The output line of a record: compact JSON, non-ASCII kept, stable key order.

    The characters that line-splitting readers (Python's ``splitlines``, JavaScript) treat as line
    breaks are escaped, so every record is exactly one line for any reader.
    """
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _LINE_BREAKS.items():
        if raw in text:
            text = text.replace(raw, escaped)
    return text
