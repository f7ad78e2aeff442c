"""One entry point that turns files, directories and globs into transcripts or error records."""
from __future__ import annotations

import csv
import glob
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .encoding import DecodeError, decode_bytes
from .roles import normalize_role, role_from_speaker
from .text_export import TextExportError, parse_text_export
from .transcript import Transcript, TranscriptError, Turn, parse_time

#: Extensions read as structured data; every other file is parsed as a chat-window text export.
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
CSV_SUFFIXES = {".csv"}
TEXT_SUFFIXES = {".txt", ".log", ".tsv", ".text", ""}

#: Column names recognised in CSV exports, by field; extend with ``columns=``.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "transcript_id", "conversation_id", "session_id", "chat_id", "dialog_id", "会话id",
           "会话ID", "会话编号", "对话id", "对话ID", "会话", "聊天id"),
    "role": ("role", "sender_role", "角色", "身份", "发送方", "发送方角色", "类型"),
    "speaker": ("speaker", "sender", "name", "nick", "nickname", "发送人", "发送者", "昵称", "用户名",
                "客服", "说话人"),
    "text": ("text", "content", "message", "msg", "内容", "消息内容", "消息", "聊天内容", "文本"),
    "time": ("time", "timestamp", "datetime", "sent_at", "时间", "发送时间", "消息时间", "日期时间"),
}


@dataclass
class ReadError:
    """A transcript (or a whole file) that could not be read, with the reason."""

    source: str
    error: str
    id: str | None = None
    ok: bool = field(default=False, init=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ok": False, "source": self.source, "error": self.error}


@dataclass
class ReadOptions:
    """How to read inputs: agent names for text exports, CSV columns, encoding, time zone."""

    agent_names: Sequence[str] = ()
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    timezone: str = "+08:00"


def read_transcripts(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    agent_names: Sequence[str] = (),
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    timezone: str = "+08:00",
) -> Iterator[Transcript | ReadError]:
    """Yield a Transcript or a ReadError for every transcript found under ``paths``, in order.

    Paths may be files, directories (read recursively, sorted) or glob patterns. Nothing is
    skipped silently: a missing file, an undecodable file and a malformed line each give a ReadError.
    """
    options = ReadOptions(agent_names=tuple(agent_names), columns=dict(columns or {}),
                          encoding=encoding, timezone=timezone)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in paths:
        for file_or_error in _expand(os.fspath(path)):
            if isinstance(file_or_error, ReadError):
                yield file_or_error
            else:
                yield from read_file(file_or_error, options)


def _expand(path: str) -> Iterator[str | ReadError]:
    if os.path.isdir(path):
        files = sorted(str(p) for p in Path(path).rglob("*") if p.is_file() and not p.name.startswith("."))
        if not files:
            yield ReadError(path, "directory contains no files")
        yield from files
    elif os.path.isfile(path):
        yield path
    elif glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            yield ReadError(path, "glob pattern matches no file")
        for match in matches:
            yield from _expand(match)
    else:
        yield ReadError(path, "file not found")


def read_file(path: str, options: ReadOptions | None = None) -> Iterator[Transcript | ReadError]:
    """Read one file, choosing the format from its extension.

    JSON Lines in UTF-8 or GB18030 are streamed line by line (memory does not grow with the file);
    everything else is decoded whole.
    """
    options = options or ReadOptions()
    if Path(path).suffix.lower() in JSONL_SUFFIXES:
        streamed = _stream_jsonl(path, options)
        if streamed is not None:
            yield from streamed
            return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield ReadError(path, f"cannot open file: {exc.strerror or exc}")
        return
    if not data.strip():
        yield ReadError(path, "empty file")
        return
    try:
        text, _ = decode_bytes(data, options.encoding)
    except DecodeError as exc:
        yield ReadError(path, str(exc))
        return
    suffix = Path(path).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(text, path)
    elif suffix in JSON_SUFFIXES:
        yield from _read_json(text, path)
    elif suffix in CSV_SUFFIXES:
        yield from _read_csv(text, path, options, delimiter=_sniff_delimiter(text))
    else:
        yield from _read_text(text, path, options)


def _stream_jsonl(path: str, options: ReadOptions) -> Iterator[Transcript | ReadError] | None:
    """A line-by-line reader when the file's encoding is byte-line compatible, else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    if not head.strip():
        return None
    try:
        _, encoding = decode_bytes(head if len(head) < 65536 else head[: head.rfind(b"\n") + 1] or head,
                                   options.encoding)
    except DecodeError:
        return None
    if encoding.replace("-", "").lower() not in ("utf8", "utf8sig", "gb18030", "gbk"):
        return None
    return _jsonl_lines(path, "utf-8" if encoding.startswith("utf") else encoding)


def _jsonl_lines(path: str, encoding: str) -> Iterator[Transcript | ReadError]:
    content = False
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            content = True
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                yield ReadError(f"{path}:{lineno}", f"line is not valid {encoding} at byte {exc.start}")
                continue
            yield from _jsonl_record(line.rstrip("\r\n"), path, lineno)
    if not content:
        yield ReadError(path, "empty file")


def _jsonl_record(line: str, path: str, lineno: int) -> Iterator[Transcript | ReadError]:
    if not line.strip():
        return
    source = f"{path}:{lineno}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        yield ReadError(source, f"malformed JSON at column {exc.colno}: {exc.msg}", _guess_id(line))
        return
    yield transcript_from_record(data, source, default_id=f"{Path(path).stem}:{lineno}")


def _read_jsonl(text: str, path: str) -> Iterator[Transcript | ReadError]:
    for lineno, line in enumerate(text.split("\n"), start=1):
        yield from _jsonl_record(line, path, lineno)


def _read_json(text: str, path: str) -> Iterator[Transcript | ReadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ReadError(path, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    if isinstance(data, list):
        for k, item in enumerate(data):
            yield transcript_from_record(item, f"{path}:[{k}]", default_id=f"{Path(path).stem}:{k}")
    else:
        yield transcript_from_record(data, path, default_id=Path(path).stem)


_ID_IN_LINE = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


def _guess_id(line: str) -> str | None:
    match = _ID_IN_LINE.search(line)
    return match.group(1) if match else None


def transcript_from_record(data: Any, source: str, default_id: str | None = None) -> Transcript | ReadError:
    """Build a Transcript from a decoded JSON object, mending what can be mended and saying so.

    Roles such as ``seller`` or ``买家`` are mapped; numeric text becomes a string; null or missing
    text becomes an empty turn; an unreadable time becomes null. Each mend adds a warning.
    Turn ``i`` of the result is element ``i`` of the input.
    """
    tid = data.get("id") if isinstance(data, Mapping) else None
    tid = str(tid) if isinstance(tid, (str, int)) else default_id
    if not isinstance(data, Mapping):
        return ReadError(source, f"expected a transcript object, got {type(data).__name__}", tid)
    raw_turns = data.get("turns")
    if raw_turns is None:
        return ReadError(source, "transcript has no 'turns' field", tid)
    if not isinstance(raw_turns, list):
        return ReadError(source, f"'turns' must be a list, got {type(raw_turns).__name__}", tid)
    if not raw_turns:
        return ReadError(source, "transcript has no turns", tid)
    warnings: list[str] = []
    turns = []
    for i, raw in enumerate(raw_turns):
        turn_or_error = _mend_turn(raw, i, warnings)
        if isinstance(turn_or_error, str):
            return ReadError(source, turn_or_error, tid)
        turns.append(turn_or_error)
    record = {k: v for k, v in data.items() if k != "turns"}
    record["id"] = tid
    record["turns"] = turns
    try:
        transcript = Transcript.from_dict(record)
    except TranscriptError as exc:
        return ReadError(source, str(exc), tid)
    transcript.location = source
    transcript.warnings.extend(warnings)
    return transcript


def _mend_turn(raw: Any, i: int, warnings: list[str]) -> dict[str, Any] | str:
    if not isinstance(raw, Mapping):
        return f"turn {i}: expected an object, got {type(raw).__name__}"
    turn = dict(raw)
    role = turn.get("role")
    if role not in ("agent", "customer"):
        mapped = normalize_role(role)
        if mapped is None:
            return f"turn {i}: unknown role {role!r} (expected agent or customer, or a clear synonym such as seller or 买家)"
        warnings.append(f"turn {i}: role {role!r} read as {mapped!r}")
        turn["role"] = mapped
    text = turn.get("text")
    if text is None:
        warnings.append(f"turn {i}: {'missing' if 'text' not in turn else 'null'} text read as empty")
        turn["text"] = ""
    elif isinstance(text, (int, float)) and not isinstance(text, bool):
        warnings.append(f"turn {i}: numeric text {text!r} read as a string")
        turn["text"] = str(text)
    elif not isinstance(text, str):
        return f"turn {i}: text must be a string, got {type(text).__name__}"
    time = turn.get("time")
    if time is not None:
        if not isinstance(time, str):
            warnings.append(f"turn {i}: time {time!r} is not a string; set to null")
            turn["time"] = None
        else:
            try:
                parse_time(time)
            except ValueError:
                warnings.append(f"turn {i}: invalid time {time!r}; set to null")
                turn["time"] = None
    return turn


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return "\t" if header.count("\t") > header.count(",") else ","


def _match_columns(header: Sequence[str], overrides: Mapping[str, str]) -> dict[str, int]:
    cleaned = [h.strip().lstrip("\ufeff") for h in header]
    lowered = [h.lower() for h in cleaned]
    found: dict[str, int] = {}
    for field_name, aliases in COLUMN_ALIASES.items():
        wanted = [overrides[field_name]] if field_name in overrides else list(aliases)
        for alias in wanted:
            if alias in cleaned:
                found[field_name] = cleaned.index(alias)
                break
            if alias.lower() in lowered:
                found[field_name] = lowered.index(alias.lower())
                break
    return found


def _read_csv(text: str, path: str, options: ReadOptions, delimiter: str,
              merge_runs: bool = False) -> Iterator[Transcript | ReadError]:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        yield ReadError(path, "empty file")
        return
    cols = _match_columns(rows[0], options.columns)
    if "text" not in cols:
        yield ReadError(path, f"no message text column among {rows[0]!r}; name it with columns={{'text': ...}} / --column text=NAME")
        return
    if "role" not in cols and "speaker" not in cols:
        yield ReadError(path, f"no role or speaker column among {rows[0]!r}")
        return
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        tid = row[cols["id"]].strip() if "id" in cols and cols["id"] < len(row) else Path(path).stem
        groups.setdefault(tid, []).append((lineno, row))
    if not groups:
        yield ReadError(path, "no messages after the header row")
        return
    for tid, members in groups.items():
        yield _csv_transcript(tid, members, cols, path, options, merge_runs)


def _cell(row: list[str], cols: Mapping[str, int], name: str) -> str | None:
    index = cols.get(name)
    if index is None or index >= len(row):
        return None
    value = row[index].strip()
    return value or None


def _csv_transcript(tid: str, members: list[tuple[int, list[str]]], cols: Mapping[str, int], path: str,
                    options: ReadOptions, merge_runs: bool) -> Transcript | ReadError:
    from .text_export import Message, merge_messages, normalize_export_time

    messages: list[Message] = []
    warnings: list[str] = []
    for lineno, row in members:
        speaker = _cell(row, cols, "speaker")
        raw_role = _cell(row, cols, "role")
        role = normalize_role(raw_role) if raw_role else None
        if role is None:
            if speaker is None:
                return ReadError(f"{path}:{lineno}", f"unknown role {raw_role!r} and no speaker to infer it from", tid)
            role = role_from_speaker(speaker, options.agent_names)
            if raw_role:
                warnings.append(f"line {lineno}: unknown role {raw_role!r}; inferred {role!r} from speaker")
        time_text = _cell(row, cols, "time")
        time_value = None
        if time_text:
            time_value = normalize_export_time(time_text, options.timezone)
            if time_value is None:
                warnings.append(f"line {lineno}: invalid time {time_text!r}; set to null")
        messages.append(Message(role=role, text=row[cols["text"]] if cols["text"] < len(row) else "",
                                time=time_value, speaker=speaker))
    turns = merge_messages(messages) if merge_runs else [
        Turn(role=m.role, text=m.text, time=m.time, speaker=m.speaker) for m in messages]
    return Transcript(id=tid, turns=turns, warnings=warnings, location=path)


def _read_text(text: str, path: str, options: ReadOptions) -> Iterator[Transcript | ReadError]:
    first = next((line for line in text.split("\n") if line.strip()), "")
    if "\t" in first and _match_columns(first.split("\t"), options.columns).get("text") is not None:
        yield from _read_csv(text, path, options, delimiter="\t", merge_runs=True)
        return
    tid = Path(path).stem
    try:
        turns, warnings = parse_text_export(text, agent_names=options.agent_names, timezone=options.timezone)
    except TextExportError as exc:
        yield ReadError(path, str(exc), tid)
        return
    yield Transcript(id=tid, turns=turns, warnings=warnings, location=path)
