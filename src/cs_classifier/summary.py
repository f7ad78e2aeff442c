"""Per-agent summary of a scored batch, as CSV that opens correctly in Excel on Chinese Windows."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Iterable

from .masking import mask_text
from .transcript import LABELS

UNNAMED = "(未署名)"


@dataclass
class AgentStats:
    agent: str
    transcripts: set[str] = field(default_factory=set)
    turns: int = 0
    flagged: dict[str, set[str]] = field(default_factory=lambda: {label: set() for label in LABELS})
    examples: list[tuple[float, str, int, str, str]] = field(default_factory=list)


def summarize(records: Iterable[dict[str, Any]], worst: int = 3) -> list[AgentStats]:
    """Per agent speaker: transcripts served, agent turns, transcripts with each behaviour, worst turns."""
    stats: dict[str, AgentStats] = {}
    for k, r in enumerate(records):
        if not r.get("ok"):
            continue
        key = f"{r['id']}#{k}"
        for t in r["turns"]:
            if t["role"] != "agent":
                continue
            s = stats.setdefault(t.get("speaker") or UNNAMED, AgentStats(t.get("speaker") or UNNAMED))
            s.transcripts.add(key)
            s.turns += 1
            for label in t["labels"]:
                s.flagged[label].add(key)
                s.examples.append((t["scores"][label], r["id"], t["index"], label, t["text"]))
    out = sorted(stats.values(), key=lambda s: (-len(s.transcripts), s.agent))
    for s in out:
        s.examples = sorted(s.examples, key=lambda e: (-e[0], e[1], e[2]))[:worst]
    return out


def summary_rows(stats: list[AgentStats]) -> list[list[str]]:
    header = ["客服 agent", "会话数 transcripts", "回复数 agent_turns"]
    for label in LABELS:
        header += [f"{label} 会话数", f"{label} 比例"]
    header.append("最严重示例 worst_examples")
    rows = [header]
    for s in stats:
        n = len(s.transcripts)
        row = [s.agent, str(n), str(s.turns)]
        for label in LABELS:
            hit = len(s.flagged[label])
            row += [str(hit), f"{hit / n:.3f}" if n else "0.000"]
        row.append(" | ".join(f"{tid}#{turn} {label} {score:.2f}: {mask_text(text)[:80]}"
                              for score, tid, turn, label, text in s.examples))
        rows.append(row)
    return rows


def write_summary_csv(stats: list[AgentStats], path: str, encoding: str = "utf-8-sig") -> None:
    """CSV in ``encoding``: UTF-8 with BOM by default so Excel shows Chinese; ``gbk`` on request.

    Characters GBK cannot encode (emoji) are replaced rather than failing the whole file.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(summary_rows(stats))
    with open(path, "wb") as fh:
        fh.write(buffer.getvalue().encode(encoding, errors="replace"))
