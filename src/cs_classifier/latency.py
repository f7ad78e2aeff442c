"""Long agent silences while the customer waits, with the times that show them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .segment import normalize_text
from .transcript import Transcript

#: Default: a wait longer than this (seconds) for an agent's reply is reported.
DEFAULT_MAX_WAIT = 300.0

# A turn that only acknowledges (「行」「好的 谢谢」) asks for nothing: no one waits on it. The customer's
# next message, perhaps days later, is what starts a wait.
_ACKNOWLEDGES = re.compile(r"^(?:好|好的|好滴|好吧|行|行吧|嗯+|恩+|哦+|噢|ok|okay|收到|知道了|明白了?|了解|可以|没问题|谢谢|多谢|谢了|感谢"
                           r"|辛苦了?|[,，.。!！~～\s]|[\U0001F300-\U0001FAFF\u2600-\u27BF])+$", re.IGNORECASE)


@dataclass
class Delay:
    """The customer wrote at ``since`` (turn ``customer_turn``) and no agent answered until ``until``."""

    customer_turn: int
    agent_turn: int | None
    since: str
    until: str | None
    seconds: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"customer_turn": self.customer_turn, "agent_turn": self.agent_turn, "since": self.since,
                "until": self.until, "seconds": None if self.seconds is None else round(self.seconds)}


def find_delays(transcript: Transcript, max_wait: float = DEFAULT_MAX_WAIT) -> list[Delay]:
    """Every customer wait for an agent reply longer than ``max_wait`` seconds.

    The wait starts at the first customer turn after an agent turn (or at the start) that asks for
    something — an acknowledgement alone does not — and ends at the next agent turn; turns without
    readable times are skipped. Waits that cross a night are real waits too: a QA team decides on
    the threshold, the report shows the times.
    """
    delays: list[Delay] = []
    waiting_from: int | None = None
    for i, turn in enumerate(transcript.turns):
        if turn.role == "customer":
            if waiting_from is None and turn.datetime is not None and not _ACKNOWLEDGES.match(normalize_text(turn.text).strip()):
                waiting_from = i
            continue
        if waiting_from is not None:
            start, end = transcript.turns[waiting_from].datetime, turn.datetime
            if start is not None and end is not None:
                seconds = (end - start).total_seconds()
                if seconds > max_wait:
                    delays.append(Delay(waiting_from, i, transcript.turns[waiting_from].time or "", turn.time, seconds))
        waiting_from = None
    return delays
