"""Masking of personal data (phones, ID cards, order numbers, e-mails, addresses) in texts and records.

Every mask keeps the text's length, so quote offsets into a masked turn stay valid.
"""
from __future__ import annotations

import re
from typing import Any

_PATTERNS: list[tuple[str, re.Pattern[str], tuple[int, int]]] = [
    # (kind, pattern, (characters kept at the start, at the end))
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), (1, 0)),
    ("id_card", re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"), (3, 2)),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), (3, 4)),
    ("phone", re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), (4, 2)),
    ("order", re.compile(r"(?<![A-Za-z\d])(?:[A-Za-z]{1,4})?\d{10,24}(?!\d)"), (2, 3)),
    ("address", re.compile(
        r"[\u4e00-\u9fa5]{2,8}(?:省|自治区|市)[\u4e00-\u9fa5]{0,12}?(?:市|区|县|镇|乡)?[\u4e00-\u9fa5A-Za-z0-9\-]{0,20}?"
        r"(?:路|街|道|巷|弄|村|小区|大厦|花园|公寓|广场)[\u4e00-\u9fa5A-Za-z0-9\-]{0,16}?(?:\d+\s*(?:号楼|号|栋|幢|单元|室|层|楼)[\dA-Za-z\-]*)+"
        r"(?:[\u4e00-\u9fa5A-Za-z]{0,10}\d+\s*(?:楼|层|室|座|号))?"
        r"|[\u4e00-\u9fa5A-Za-z0-9]{2,12}(?:路|街|巷|弄|小区|大厦|花园|公寓)\d+\s*(?:号楼|号|栋|幢|单元|室)(?:[\dA-Za-z\-]*(?:号楼|号|栋|幢|单元|室|层))*"), (0, 0)),
]


def mask_text(text: str) -> str:
    """``text`` with personal data replaced by ``*`` of the same length (a few characters kept)."""
    chars = list(text)
    for _, pattern, (head, tail) in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(c == "*" for c in chars[start:end]):
                continue
            keep_from, keep_to = start + head, end - tail
            if keep_to - keep_from < 2:
                keep_from, keep_to = start, end
            for k in range(keep_from, keep_to):
                if not chars[k].isspace() and chars[k] != "-":
                    chars[k] = "*"
    return "".join(chars)


def mask_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of an output record with every text masked (turns, quotes, commitments, speakers kept)."""
    if not record.get("ok"):
        return record
    out = dict(record)
    out["turns"] = [{**t, "text": mask_text(t["text"])} for t in record["turns"]]
    out["commitments"] = [{**c, "text": mask_text(c["text"])} for c in record["commitments"]]
    out["findings"] = [{**f, "quotes": [{**q, "text": out["turns"][q["turn"]]["text"][q["start"]:q["end"]]}
                                         for q in f["quotes"]],
                        "explanation": mask_text(f["explanation"])} for f in record["findings"]]
    if "tags" in record:
        out["tags"] = [{**t, "quotes": [{**q, "text": out["turns"][q["turn"]]["text"][q["start"]:q["end"]]}
                                         for q in t.get("quotes", [])]} for t in record["tags"]]
    return out
