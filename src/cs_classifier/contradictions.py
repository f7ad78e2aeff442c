"""Agent statements that contradict an earlier agent statement about the same thing, or the dates
the chat shows."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

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
# Words that announce a change of plan or a further item: a new date or amount said with them is
# news (「我额外给您20元」 after 「补偿80元」), not a contradiction.
_CHANGE = re.compile(r"改|延|推迟|顺延|重新|再次|又|调整|变更|换成|抱歉|不好意思|对不起|说错|更正|额外|另外|其实|再给|再送|再补")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块)")
# An amount said as a bound or an estimate is not a claim of the exact sum.
_BOUND = re.compile(r"不超过|最多|最高|以内|之内|左右|一般|大概|大约|上限")
# 「有没有」「能不能」…: the clause asks, it does not state.
_A_NOT_A = re.compile(r"有没有|能不能|可不可以|会不会|是不是|支不支持|行不行|还有没有")
# Stock changes by the hour: 「现在显示有货」 after 「缺货」 reports a new state.
_NOW = re.compile(r"现在|目前|刚|补货|到货|暂时")
_NEG = re.compile(r"不能|不支持|不可以|不行|无法|没有|不会|不予|没法|不给|缺货|没货")
_POS = re.compile(r"可以|能|支持|有货|现货|会|行")
_IN_STOCK = re.compile(r"有货|现货|有库存")  # 「库存会变」 says nothing about whether it is in stock


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


# Clause breaks: a statement, or a claim, is read one clause at a time.
_CLAUSE_BREAK = re.compile(r"[。！!？?；;\n,，]")


def _statements(turn: int, text: str) -> list[Statement]:
    found = []
    for clause in _CLAUSE_BREAK.split(text):
        if re.search(r"[吗嘛][?？]?$|是否", clause) or _A_NOT_A.search(clause) or _CHANGE.search(text):
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
            if amount and topic in ("refund", "compensate", "price") and not _BOUND.search(clause):
                found.append(Statement(turn, topic, "amount", f"{float(amount.group(1)):g}"))
            if topic in ("returnable", "stock") and not (topic == "stock" and _NOW.search(clause)):
                answer = _yes_no(clause, _IN_STOCK if topic == "stock" else _POS)
                if answer:
                    found.append(Statement(turn, topic, "yesno", answer))
    return found


def _yes_no(clause: str, positive_words: re.Pattern[str] = _POS) -> str | None:
    """「不能退」 says no and 「可以退」 yes; a clause with both (「没有磕碰的话也可以退」: a condition
    in the negative, then yes) says neither plainly, so it is not read."""
    negative = _NEG.search(clause)
    positive = positive_words.search(_NEG.sub("", clause))
    if negative and positive:
        return None
    return "no" if negative else "yes" if positive else None


def find_contradictions(transcript: Transcript) -> list[Contradiction]:
    """Each agent statement whose value differs from an earlier agent statement on the same topic."""
    seen: dict[tuple[str, str], Statement | None] = {}
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
        values: dict[tuple[str, str], set[str]] = {}
        for st in current:
            values.setdefault((st.topic, st.kind), set()).add(st.value)
        for st in current:
            # A turn that says both (「没拆封那支可以退…试用过的那支不能退」) speaks of different things:
            # nothing later contradicts it.
            key = (st.topic, st.kind)
            seen[key] = st if len(values[key]) == 1 else None
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


# An agent saying that what was said before was wrong: 「刚才说错了」「之前同事告知有误」「跟您更正一下」
# 「之前客服介绍有误」「可能是同事看错了」.
CORRECTION = re.compile(
    r"说错了|搞错了|弄错了|讲错了|写错了|(?:信息|告知|说法|回复|答复|介绍|表述|解释|描述)有误"
    r"|(?:之前|刚才|前面|同事|上一位|那位).{0,8}(?:说|讲|告知|答复|回复|报|介绍|表述|看|记)的?(?:不对|不准确|有误|错了)"
    r"|更正一下|纠正一下|跟您更正|向您更正")


def _later_agent_turns_saying(transcript: Transcript, pattern: re.Pattern[str]) -> list[int]:
    """Agent turns that match ``pattern``, after the chat's first agent turn (there must be an
    earlier statement to take back)."""
    agent = [i for i, turn in enumerate(transcript.turns) if turn.role == "agent"]
    return [i for i in agent[1:] if pattern.search(normalize_text(transcript.turns[i].text))]


def corrections(transcript: Transcript) -> list[int]:
    """Agent turns that correct an earlier agent statement. The guidelines count a false statement
    the agent corrects later in the chat as inaccurate: the correction shows it was wrong when said."""
    return _later_agent_turns_saying(transcript, CORRECTION)


# An agent denying that something was said or promised: 「我们从没说过明天发」 is the guidelines' own example.
DENIAL = re.compile(
    r"(?:没|没有|从没|从来没|并没|并没有|不曾)(?:有)?(?:跟您|和您|给您|对您|向您)?"
    r"(?:说过|讲过|答应过?|承诺过?|保证过?|这么说|这样说|说一定|说过一定)"
    r"|(?:没有|不存在)(?:这个|这种|这样的)?(?:承诺|说法)|(?:没有|没)(?:做过|搞过|办过|推出过)[^，。,]{0,8}活动")


def denials(transcript: Transcript) -> list[int]:
    """Agent turns, after an earlier agent turn, denying that something was said or promised. When
    it was said in this chat the denial contradicts it; when the customer reports it from elsewhere
    the transcript rarely bears the denial out, and the corpus's annotators (10 of 11 on its
    training split) call it inaccurate too."""
    return _later_agent_turns_saying(transcript, DENIAL)


# The seven days counted wrong against the dates the chat shows: 「您3号签收的，到今天已经超过七天了」
# sent on the 9th. The guidelines count the days from the day after signed receipt.
_WINDOW_OVER = re.compile(r"(?<![不未没])(?:超过|超出|过了|已过)了?(?:七|7)天|(?:七|7)天(?:无理由)?(?:退货)?(?:期限)?(?:已经)?(?:过了|已过|截止)")
_RETURN_TALK = re.compile(r"无理由|退")
_HYPOTHETICAL = re.compile(r"如果|的话|一旦|假如")
_RECEIVED = (
    re.compile(r"(?:(\d{1,2})月)?(\d{1,2})[日号](?:下午|上午|晚上|中午)?(?:才|就|已经)?(?:签收|收到|到货|到的|收的)"),
    re.compile(r"(?:签收|收到|收货)的?(?:时间|日期)?(?:是|在)(?:(\d{1,2})月)?(\d{1,2})[日号]"),
)
_RECEIVED_RELATIVE = re.compile(r"(今天|昨天|前天|大前天)(?:才|刚)?(?:签收|收到|到的|到货)")
_DAYS_AGO = {"今天": 0, "昨天": 1, "前天": 2, "大前天": 3}


def _receipt_dates(transcript: Transcript) -> list[date]:
    """The receipt dates customers give (「5月3号签收的」「签收是6月10号」「前天才收到」), read against
    their turns' dates."""
    found = []
    for turn in transcript.turns:
        when = turn.datetime
        if turn.role != "customer" or when is None:
            continue
        text = normalize_text(turn.text)
        for pattern in _RECEIVED:
            for m in pattern.finditer(text):
                month, day = int(m.group(1) or when.month), int(m.group(2))
                year = when.year
                if m.group(1) is None and day > when.day:  # 「25号签收」 on the 2nd: last month
                    month -= 1
                if month < 1:
                    month, year = 12, year - 1
                if month > when.month and m.group(1) is not None:
                    year -= 1
                try:
                    found.append(date(year, month, day))
                except ValueError:
                    continue
        for m in _RECEIVED_RELATIVE.finditer(text):
            found.append(when.date() - timedelta(days=_DAYS_AGO[m.group(1)]))
    return found


def window_miscounts(transcript: Transcript) -> list[int]:
    """Agent turns saying the seven-day return window is over when the receipt date a customer gives
    shows it is not: at most seven days have passed since."""
    received = _receipt_dates(transcript)
    if not received:
        return []
    latest = max(received)
    out = []
    for i, turn in enumerate(transcript.turns):
        when = turn.datetime
        if turn.role != "agent" or when is None:
            continue
        text = normalize_text(turn.text)
        if not _RETURN_TALK.search(text):
            continue
        claims = any(_WINDOW_OVER.search(c) and not _HYPOTHETICAL.search(c) for c in _CLAUSE_BREAK.split(text))
        if claims and 0 <= (when.date() - latest).days <= 7:
            out.append(i)
    return out
