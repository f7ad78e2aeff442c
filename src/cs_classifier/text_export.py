"""Parser for plain-text chat exports from chat windows and seller workbenches."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone
from typing import Callable, Sequence

from .roles import role_from_speaker
from .transcript import Turn, parse_time


class TextExportError(ValueError):
    """The text is not in any chat-export layout the parser knows."""


@dataclass
class Message:
    """One message of an export, before consecutive messages of one side are joined into a turn."""

    role: str
    text: str
    time: str | None
    speaker: str | None


_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"
_AUTO = re.compile(r"^\s*[\[【(（]自动回复[\]】)）]\s*")

# Each layout: a header regex and a function giving (date parts or None, clock parts, speaker, inline text).
_HEADERS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple]]] = [
    # 2026-05-03 14:02:11 客服-小桃:            (message on following lines, or after the colon)
    (re.compile(rf"^\s*{_DATE}\s+{_CLOCK}\s+(.+?)\s*[:：]\s*$"),
     lambda m: (m.group(1, 2, 3), m.group(4, 5, 6), m.group(7), "")),
    (re.compile(rf"^\s*{_DATE}\s+{_CLOCK}\s+(\S.*[:：].*)$"),
     lambda m: (m.group(1, 2, 3), m.group(4, 5, 6), *_split_speaker(m.group(7)))),
    # [14:02] 小桃: 内容   or  [2026-05-03 14:02] 小桃: 内容
    (re.compile(rf"^\s*\[(?:{_DATE}\s+)?{_CLOCK}\]\s*(\S.*[:：].*)$"),
     lambda m: (m.group(1, 2, 3) if m.group(1) else None, m.group(4, 5, 6), *_split_speaker(m.group(7)))),
    # 昵称 (2026-05-06 09:12:40):
    (re.compile(rf"^\s*(.+?)\s*[(（]\s*{_DATE}\s+{_CLOCK}\s*[)）]\s*[:：]?\s*(.*)$"),
     lambda m: (m.group(2, 3, 4), m.group(5, 6, 7), m.group(1), m.group(8))),
    # 昵称 2026/5/3 14:02:11
    (re.compile(rf"^\s*(.+?)\s+{_DATE}\s+{_CLOCK}\s*$"),
     lambda m: (m.group(2, 3, 4), m.group(5, 6, 7), m.group(1), "")),
]
def _split_speaker(rest: str) -> tuple[str, str]:
    """``店名:昵称: 内容`` -> speaker and text: the first colon followed by a space ends the speaker,
    else the first colon."""
    spaced = re.search(r"[:：](?:\s+|$)", rest)
    cut = spaced or re.search(r"[:：]", rest)
    assert cut is not None
    return rest[:cut.start()].strip(), rest[cut.end():]


_DATE_SEPARATOR = re.compile(rf"^[\s\-=—_*#]*(?:{_DATE})(?:\s*(?:星期|周)[一二三四五六日天])?[\s\-=—_*#]*$")


def normalize_export_time(value: str, timezone: str = "+08:00") -> str | None:
    """An export's time as ISO 8601 with a time zone (``timezone`` when it has none); None if unreadable."""
    value = value.strip()
    if re.fullmatch(r"\d{10}(\d{3})?", value):
        seconds = int(value[:10])
        return datetime.fromtimestamp(seconds, _tz(timezone)).isoformat()
    match = re.fullmatch(rf"{_DATE}(?:[T\s]+{_CLOCK}(\.\d+)?)?\s*(Z|[+-]\d{{2}}:?\d{{2}})?", value)
    if match:
        y, mo, d, h, mi, s, _, tz = match.groups()
        try:
            stamp = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            return None
        zone = tz or timezone
        if zone == "Z":
            zone = "+00:00"
        if ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        return stamp.isoformat() + zone
    try:
        parse_time(value)
        return value
    except ValueError:
        return None


def _tz(offset: str) -> dt_timezone:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset.lstrip("+-").split(":")
    return dt_timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _iso(date: Sequence[str] | None, clock: Sequence[str | None], timezone: str) -> str | None:
    if date is None:
        return None
    try:
        stamp = datetime(int(date[0]), int(date[1]), int(date[2]), int(clock[0] or 0), int(clock[1] or 0),
                         int(clock[2] or 0))
    except (TypeError, ValueError):
        return None
    return stamp.isoformat() + timezone


def parse_text_export(text: str, agent_names: Sequence[str] = (), timezone: str = "+08:00") -> tuple[list[Turn], list[str]]:
    """Turns of a text export, consecutive messages of one side joined; plus warnings."""
    warnings: list[str] = []
    messages: list[Message] = []
    body: list[str] = []
    current: dict | None = None
    current_date: tuple[str, str, str] | None = None
    ignored = 0

    def close() -> None:
        if current is None:
            return
        content = "\n".join(body).strip()
        if _AUTO.match(content):
            current["role"] = "agent"
        messages.append(Message(role=current["role"], text=content, time=current["time"],
                                speaker=current["speaker"]))

    for lineno, line in enumerate(text.split("\n"), start=1):
        separator = _DATE_SEPARATOR.match(line)
        if separator:
            current_date = separator.group(1, 2, 3)
            continue
        header = _match_header(line)
        if header is None:
            if current is None:
                if line.strip():
                    ignored += 1
                continue
            body.append(line.rstrip())
            continue
        close()
        date, clock, speaker, inline = header
        if date is not None:
            current_date = date
        speaker = speaker.strip()
        auto = bool(re.search(r"[\[【(（]自动回复[\]】)）]", speaker))
        speaker = re.sub(r"\s*[\[【(（]自动回复[\]】)）]\s*", "", speaker) or speaker
        role = "agent" if auto else role_from_speaker(speaker, agent_names)
        time = _iso(date or current_date, clock, timezone)
        if time is None:
            warnings.append(f"line {lineno}: no readable date for this message; time set to null")
        current = {"role": role, "time": time, "speaker": speaker}
        body = [inline.rstrip()] if inline.strip() else []
    close()
    if not messages:
        raise TextExportError(
            "no chat messages recognised: expected a text export with header lines such as "
            "'2026-05-03 14:02:11 客服-小桃:', '[14:02] 小桃: 内容', '昵称 2026/5/3 14:02:11' or "
            "'昵称 (2026-05-06 09:12:40):', or a tab-separated export with a header row")
    if ignored:
        warnings.append(f"{ignored} line(s) before the first message ignored")
    if not any(m.role == "agent" for m in messages):
        warnings.append("no agent recognised among the speakers; name them with --agent NAME")
    return merge_messages(messages), warnings


def _match_header(line: str) -> tuple | None:
    for pattern, extract in _HEADERS:
        match = pattern.match(line)
        if match:
            return extract(match)
    return None


def merge_messages(messages: Sequence[Message]) -> list[Turn]:
    """Join consecutive messages of one side into one turn: texts by newline, the first message's time."""
    turns: list[Turn] = []
    for message in messages:
        if turns and turns[-1].role == message.role:
            last = turns[-1]
            last.text = f"{last.text}\n{message.text}" if last.text else message.text
            if message.speaker and message.speaker != last.speaker:
                speakers = last.extra.setdefault("speakers", [last.speaker])
                if message.speaker not in speakers:
                    speakers.append(message.speaker)
            continue
        turns.append(Turn(role=message.role, text=message.text, time=message.time, speaker=message.speaker))
    return turns
