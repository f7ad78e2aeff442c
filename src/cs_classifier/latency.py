"""Long agent silences while the customer waits, with the times that show them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .transcript import Transcript

#: Default: a wait longer than this (seconds) for an agent's reply is reported.
DEFAULT_MAX_WAIT = 300.0


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

    The wait starts at the first customer turn after an agent turn (or at the start) and ends at the
    next agent turn; turns without readable times are skipped. Waits that cross a night are real
    waits too: a QA team decides on the threshold, the report shows the times.
    """
    delays: list[Delay] = []
    waiting_from: int | None = None
    for i, turn in enumerate(transcript.turns):
        if turn.role == "customer":
            if waiting_from is None and turn.datetime is not None:
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
