"""Resolve the deadline of a commitment (今天下班前, 24小时内, 3个工作日内, …) against the turn's time."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
NUMBER = r"(\d+|[零一二两三四五六七八九十]+|半)"


def cn_number(text: str) -> float:
    """Arabic or Chinese numerals up to 99; 半 is one half."""
    if text.isdigit():
        return float(text)
    if text == "半":
        return 0.5
    if "十" in text:
        tens, _, ones = text.partition("十")
        return float((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
    return float(_CN_DIGITS.get(text, 0))


def _clock(hour_text: str, minute_text: str | None, period: str | None) -> tuple[int, int]:
    hour = int(cn_number(hour_text))
    minute = 30 if minute_text == "半" else int(cn_number(minute_text)) if minute_text else 0
    if period in ("下午", "晚上", "傍晚", "今晚") and hour < 12:
        hour += 12
    if period in ("晚上", "今晚") and hour in (12, 24):
        return 23, 59  # 「今晚12点前」: midnight, not noon
    return min(hour, 23), min(minute, 59)


def _end_of_day(day: datetime) -> datetime:
    return datetime.combine(day.date(), time(23, 59, 59), day.tzinfo)


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), day.tzinfo)


def _add_workdays(start: datetime, days: int) -> datetime:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return _end_of_day(day)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{NUMBER}\s*个?\s*工作日"), "workdays"),
    (re.compile(rf"{NUMBER}\s*(?:个)?\s*(?:小时|钟头|h\b|h内|h之内)"), "hours"),
    (re.compile(rf"{NUMBER}\s*分钟"), "minutes"),
    (re.compile(rf"{NUMBER}\s*(?:天|日)(?:内|之内|以内)"), "days"),
    (re.compile(rf"(今天|今日|今晚|明天|明日|后天)?\s*(上午|中午|下午|晚上|傍晚)?\s*{NUMBER}\s*[点:：]\s*(\d{{1,2}}|半)?"), "clock"),
    (re.compile(r"(今天|今日|明天|明日|后天)?\s*下班前"), "office"),
    (re.compile(r"(今天|今日|明天|明日|后天)\s*(上午|中午|下午|晚上|傍晚)"), "dayperiod"),
    (re.compile(r"下(?:个)?(?:周|星期|礼拜)([一二三四五六日天])"), "nextweekday"),
    (re.compile(r"(?:这|本)?(?:周|星期|礼拜)([一二三四五六日天])"), "weekday"),
    (re.compile(r"今晚|今天|今日|当天"), "today"),
    (re.compile(r"明天|明日"), "tomorrow"),
    (re.compile(r"后天"), "dayafter"),
    (re.compile(r"下周|下个星期"), "nextweek"),
]
# 「收到当天就检测」「上门前一天晚上8点前打电话」: the time counts from an event still to come, whose
# date the chat does not give, so there is no deadline to check against the clock.
_AFTER_EVENT = re.compile(r"(?:收到|到货|签收|寄到|到仓|入库)(?:后|之后|以后)?(?:的)?当天|(?:上门|到货|发货|安装|送货|配送)(?:前|之前)(?:一天|1天|一晚)")
_RANGE_START = re.compile(r"(今天|今日|今晚|明天|明日|后天)\s*(上午|中午|下午|晚上|傍晚)?[^，,。；;]{0,10}(?:-|—|~|～|到|至)\s*$")
_DAY_OFFSET = {"今天": 0, "今日": 0, "今晚": 0, "明天": 1, "明日": 1, "后天": 2}
_PERIOD_END = {"上午": 12, "中午": 14, "下午": 18, "傍晚": 19, "晚上": 23}


def resolve_deadline(text: str, sent: datetime | None) -> datetime | None:
    """The latest time by which ``text``'s undertaking is due, or None (no deadline, e.g. 尽快, or no time).

    When several time expressions appear (「下午2点到6点配送 提前半小时电话」), the latest one is the
    deadline: a promise is kept if it is done by the end of the window it names.
    """
    if sent is None or _AFTER_EVENT.search(text):
        return None
    claimed: list[tuple[int, int]] = []
    found: list[datetime] = []
    for pattern, kind in _PATTERNS:  # in priority order; a span already read is not read again
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in claimed):
                continue
            claimed.append(m.span())
            due = _resolve_one(m, kind, text, sent)
            if due is not None:
                found.append(due)
    return max(found) if found else None


def _resolve_one(match: re.Match[str], kind: str, text: str, sent: datetime) -> datetime | None:
    if kind == "workdays":
        return _add_workdays(sent, max(1, int(cn_number(match.group(1)))))
    if kind == "hours":
        return sent + timedelta(hours=cn_number(match.group(1)))
    if kind == "minutes":
        return sent + timedelta(minutes=cn_number(match.group(1)))
    if kind == "days":
        return _end_of_day(sent + timedelta(days=cn_number(match.group(1))))
    if kind == "clock":
        day_word, period, hour_text, minute_text = match.groups()
        if cn_number(hour_text) > 24:
            return None
        if not day_word:  # the end of a range keeps its start's day: 「明天9:00-18:00」「今天下午4点到6点」
            before = _RANGE_START.search(text[:match.start()])
            if before:
                day_word, period = before.group(1), period or before.group(2)
        day = sent + timedelta(days=_DAY_OFFSET.get(day_word or "", 0))
        hour, minute = _clock(hour_text, minute_text, period or day_word)
        if not period and not day_word and hour < 12 and hour + 12 > sent.hour and _at(day, hour, minute) < sent:
            hour += 12
        due = _at(day, hour, minute)
        return due if due >= sent or day_word else due + timedelta(days=1)
    if kind == "office":
        return _at(sent + timedelta(days=_DAY_OFFSET.get(match.group(1) or "今天", 0)), 18)
    if kind == "dayperiod":
        return _at(sent + timedelta(days=_DAY_OFFSET[match.group(1)]), _PERIOD_END[match.group(2)])
    if kind in ("nextweekday", "weekday"):
        target = _WEEKDAYS[match.group(1)]
        ahead = (target - sent.weekday()) % 7
        if kind == "nextweekday":
            ahead = (7 - sent.weekday()) + target
        day = sent + timedelta(days=ahead)
        if text[match.end():match.end() + 1] == "前":
            return _at(day, 0)
        return _end_of_day(day)
    if kind == "today":
        return _end_of_day(sent)
    if kind == "tomorrow":
        return _end_of_day(sent + timedelta(days=1))
    if kind == "dayafter":
        return _end_of_day(sent + timedelta(days=2))
    if kind == "nextweek":
        return _end_of_day(sent + timedelta(days=(6 - sent.weekday()) + 7))
    return None
