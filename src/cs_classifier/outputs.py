"""Output formats for score records: JSON Lines, CSV (one row per transcript or per finding), Parquet,
and the flat per-transcript rows shared by CSV, Parquet and ``score_frame``."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Iterable, TextIO

from .transcript import LABELS

TRANSCRIPT_COLUMNS = ["id", "ok", "source", "labels", *LABELS, "agent_turns", "findings", "commitments_broken",
                      "error"]
FINDING_COLUMNS = ["id", "source", "label", "score", "turns", "agents", "times", "quotes", "explanation", "rule"]


def transcript_row(record: dict[str, Any]) -> dict[str, Any]:
    """One flat row per record: labels joined by ';', the four transcript scores, counts, the error."""
    if not record.get("ok"):
        return {"id": record.get("id"), "ok": False, "source": record.get("source"), "labels": "",
                **{label: None for label in LABELS}, "agent_turns": None, "findings": None,
                "commitments_broken": None, "error": record.get("error")}
    return {"id": record["id"], "ok": True, "source": record["source"], "labels": ";".join(record["labels"]),
            **{label: record["scores"][label] for label in LABELS},
            "agent_turns": sum(1 for t in record["turns"] if t["role"] == "agent"),
            "findings": len(record["findings"]),
            "commitments_broken": sum(1 for c in record["commitments"] if c["status"] == "broken"),
            "error": None}


def finding_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per finding: the turns, who said them and when, and the quotes."""
    rows = []
    for f in record.get("findings", []) if record.get("ok") else []:
        turns = [record["turns"][i] for i in f["turns"]]
        rows.append({"id": record["id"], "source": record["source"], "label": f["label"], "score": f["score"],
                     "turns": ";".join(str(i) for i in f["turns"]),
                     "agents": ";".join(dict.fromkeys(t["speaker"] or "" for t in turns if t["role"] == "agent")),
                     "times": ";".join(t["time"] or "" for t in turns),
                     "quotes": " | ".join(f"[{q['turn']}] {q['text']}" for q in f["quotes"]),
                     "explanation": f["explanation"], "rule": f.get("rule") or ""})
    return rows


class CsvSink:
    """Rows written and flushed one by one, UTF-8 with BOM so Excel opens it."""

    def __init__(self, path: str | os.PathLike[str] | None, columns: list[str], stream: TextIO | None = None,
                 append: bool = False) -> None:
        exists = path is not None and append and Path(path).exists() and Path(path).stat().st_size > 0
        self._own = path is not None
        self._fh = open(path, "a" if append else "w", encoding="utf-8-sig" if not exists else "utf-8",
                        newline="") if path is not None else stream
        assert self._fh is not None
        self._writer = csv.DictWriter(self._fh, fieldnames=columns, lineterminator="\r\n")
        if not exists:
            self._writer.writeheader()

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._writer.writerow(row)
        self._fh.flush()

    def close(self) -> None:
        if self._own:
            self._fh.close()


class ParquetSink:
    """Per-transcript rows plus the full record as JSON, written in row groups (needs pyarrow)."""

    def __init__(self, path: str | os.PathLike[str], group_size: int = 2000) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("Parquet output needs pyarrow: pip install 'cs-classifier[parquet]'") from None
        self._pa, self._pq = pa, pq
        fields = [pa.field("id", pa.string()), pa.field("ok", pa.bool_()), pa.field("source", pa.string()),
                  pa.field("labels", pa.string()), *(pa.field(label, pa.float64()) for label in LABELS),
                  pa.field("agent_turns", pa.int64()), pa.field("findings", pa.int64()),
                  pa.field("commitments_broken", pa.int64()), pa.field("error", pa.string()),
                  pa.field("record", pa.string())]
        self._schema = pa.schema(fields)
        self._writer = pq.ParquetWriter(str(path), self._schema)
        self._rows: list[dict[str, Any]] = []
        self._group = group_size

    def write_record(self, record: dict[str, Any]) -> None:
        self._rows.append({**transcript_row(record), "record": json.dumps(record, ensure_ascii=False)})
        if len(self._rows) >= self._group:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def completed_records(path: str | os.PathLike[str]) -> set[tuple[str | None, str | None]]:
    """(source, id) of every complete record in a JSON Lines output; a line cut off by a kill is removed.

    The file is truncated after its last complete line, so appending never leaves a broken record.
    """
    p = Path(path)
    if not p.exists():
        return set()
    data = p.read_bytes()
    done: set[tuple[str | None, str | None]] = set()
    good_end = 0
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            break
        line = data[pos:nl]
        try:
            record = json.loads(line.decode("utf-8"))
            if not isinstance(record, dict) or "ok" not in record:
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            break
        done.add((record.get("source"), record.get("id")))
        good_end = nl + 1
        pos = nl + 1
    if good_end < len(data):
        with open(p, "r+b") as fh:
            fh.truncate(good_end)
    return done
