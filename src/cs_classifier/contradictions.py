"""Agent statements that contradict an earlier agent statement about the same thing."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .segment import normalize_text
from .transcript import Transcript

_TOPICS: dict[str, re.Pattern[str]] = {
    "ship": re.compile(r"发货|发出|寄出|出库|揽收"),
    "arrive": re.compile(r"到货|送达|送到|到达|能到|可以到|配送|上门|安装"),
    "refund": re.compile(r"退款|退回|到账|退给|返还|打款"),
    "compensate": re.compile(r"补偿|赔付|赔偿|补给您|补差价|差价|返现|红包|优惠券"),
    "returnable": re.compile(r"退货|退换|七天无理由|7天无理由|无理由|能退|可以退|不能退|不支持退|不可以退"),
    "price": re.compile(r"价格|售价|原价|单价|总价|运费|多少钱"),
    "stock": re.compile(r"有货|现货|库存|缺货|没货"),
}
# Only dates that name a day: relative words (今天/明天) describe plans that legitimately move.
_DAY = re.compile(r"周[一二三四五六日天]|星期[一二三四五六日天]|\d{1,2}月\d{1,2}[日号]|\d{1,2}\s*号(?!码|楼|线)")
_ESTIMATE = re.compile(r"预计|预估|大概|大约|一般|左右")
_SPAN = re.compile(r"\d+\s*(?:个工作日|天|小时)")
# Words that announce a change of plan: a new date said with them is news, not a contradiction.
_CHANGE = re.compile(r"改|延|推迟|顺延|重新|再次|又|调整|变更|换成|抱歉|不好意思|对不起|说错|更正")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块)")
_NEG = re.compile(r"不能|不支持|不可以|不行|无法|没有|不会|不予|没法|不给|缺货|没货")
_POS = re.compile(r"可以|能|支持|有货|现货|会|行")


@dataclass(frozen=True)
class Statement:
    turn: int
    topic: str
    kind: str
    value: str


@dataclass(frozen=True)
class Contradiction:
    turn: int
    earlier: int
    topic: str
    value: str
    earlier_value: str


def _statements(turn: int, text: str) -> list[Statement]:
    found = []
    for clause in re.split(r"[。！!？?；;\n,，]", text):
        if re.search(r"[吗嘛][?？]?$|是否", clause) or _CHANGE.search(text):
            continue
        for topic, pattern in _TOPICS.items():
            if not pattern.search(clause):
                continue
            day = _DAY.search(clause)
            if day and topic in ("ship", "arrive", "refund") and not _ESTIMATE.search(clause):
                found.append(Statement(turn, topic, "when", re.sub(r"\s+", "", day.group(0))))
            span = _SPAN.search(clause)
            if span and topic == "ship":
                found.append(Statement(turn, topic, "within", re.sub(r"\s+", "", span.group(0))))
            amount = _AMOUNT.search(clause)
            if amount and topic in ("refund", "compensate", "price"):
                found.append(Statement(turn, topic, "amount", amount.group(1)))
            if topic in ("returnable", "stock"):
                if _NEG.search(clause):
                    found.append(Statement(turn, topic, "yesno", "no"))
                elif _POS.search(clause):
                    found.append(Statement(turn, topic, "yesno", "yes"))
    return found


def find_contradictions(transcript: Transcript) -> list[Contradiction]:
    """Each agent statement whose value differs from an earlier agent statement on the same topic."""
    seen: dict[tuple[str, str], Statement] = {}
    found: list[Contradiction] = []
    for i, turn in enumerate(transcript.turns):
        if turn.role != "agent":
            continue
        current = _statements(i, normalize_text(turn.text))
        for st in current:
            key = (st.topic, st.kind)
            earlier = seen.get(key)
            if earlier is not None and earlier.turn != i and earlier.value != st.value \
                    and _comparable(earlier, st, transcript):
                found.append(Contradiction(i, earlier.turn, st.topic, st.value, earlier.value))
        for st in current:
            seen[(st.topic, st.kind)] = st
    return found


_RELATIVE_DAYS = {"今天": 0, "今晚": 0, "明天": 1, "后天": 2, "大后天": 3}


def _comparable(a: Statement, b: Statement, transcript: Transcript) -> bool:
    """Relative days said on different dates may name the same day, so only compare them by date."""
    if a.kind != "when" or a.value not in _RELATIVE_DAYS or b.value not in _RELATIVE_DAYS:
        return True
    da, db = transcript.turns[a.turn].datetime, transcript.turns[b.turn].datetime
    if da is None or db is None:
        return True
    shift = (db.date() - da.date()).days
    return _RELATIVE_DAYS[a.value] != _RELATIVE_DAYS[b.value] + shift
