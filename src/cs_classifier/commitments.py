"""Specific commitments made by agents, their deadlines and their fate later in the chat."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import cues
from .deadlines import resolve_deadline
from .contradictions import DENIAL
from .segment import normalize_text, original_span
from .transcript import Transcript

_SPECIFIC = re.compile(r"一定|保证|肯定|承诺|负责|" + cues.WILL + r"|将|马上|立即|今天|明天|后天|今晚|小时|分钟|工作日|天内|日内|点前|点之前|下班前|周[一二三四五六日天]|\d+\s*[点:：]|给您补|补偿您|给您退|给您回|退您|补您|全额")


# Done to the customer, so the agent's side does it: 「仓库收到后全额退您89元」「明天之内打到您钱包」.
_TO_YOU = re.compile(r"退您|补您|退给您|(?:打|转|存|充)(?:到|给|进)您")
# Undertakings the shared action list leaves out: a dated 「明天发」, 「给您补5块」, 「今晚打包发出」.
_ACTION = re.compile(r"(?:今天|明天|今晚|后天|马上|当天|下午|上午|晚上|[0-9一二三四五六七八九十两]+点)[^，,。]{0,4}发(?!票|现|生|布)"
                     r"|发(?:顺丰|京东|邮政|EMS|中通|圆通|韵达|申通|极兔)|给您(?:补|退|换|打电话|报销)|全额退|打电话|来电|到您家"
                     r"|发您|发给您|发到您|报销|生效|恢复|" + _TO_YOU.pattern)
# An offer put as a question (「再补偿您10元 明天到账 可以吗」) that the customer then accepts is an undertaking.
_OFFER_QUESTION = re.compile(r"[，,\s]*(?:您看|你看)?(?:可以|行|好|要|需要)?(?:吗|嘛|么)[?？]?$")
_ACCEPTS = re.compile(r"^(?:好|行|可以|嗯|恩|ok|好的|行吧|可以的|同意|没问题|要)(?![^，,。.!！\s]{0,2}[吗嘛么?？])")
# A stated time makes an undertaking specific even without 「我」: 「今晚十点前退款到账」「师傅明天上午10点前到」.
_WHEN = re.compile(r"今天|明天|今晚|后天|[上下]午|\d+\s*[点:：]|[一二三四五六七八九十两]点|小时内|分钟内|工作日内|天内|点前|号前|下班前|周[一二三四五六日天]")

# A time counted from an event still to come (「仓库收到您寄回的M码后24小时内给您发出」) sets no date the chat can check.
_EVENT_ANCHOR = re.compile(r"(?:收到|签收|寄回|退回|审核通过|到货|入库)[^，,。]{0,12}后")

# A shop's standing rule (「下午4点前下单的当天发」「下单后24小时内发货」) or a state being waited on
# (「现在在等安排送货」) states a timeline, like a system estimate; it is not this agent's undertaking.
_STANDING = re.compile(r"下单(?:后|的|前)|前下单|前的?订单|拍下(?:后|的)|付款后|通过后|(?:在|正在)等|估计|大概")


@dataclass
class Commitment:
    """An agent turn's undertaking and what became of it."""

    turn: int
    text: str
    deadline: datetime | None = None
    status: str = "open"
    evidence: list[int] = field(default_factory=list)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "text": self.text,
                "deadline": self.deadline.isoformat() if self.deadline else None, "status": self.status}


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[。！!？?；;\n]|(?<=[哦呢哈的])\s+", text) if c.strip()]


def commitment_clause(text: str, accepted: bool = False) -> str | None:
    """The clause of an agent turn that commits to a specific action, if any.

    System estimates, standard timelines and "let me check" within the chat are not commitments.
    ``accepted``: the customer's next turn accepts what this turn offers, so an offer put as a
    question counts as made.
    """
    norm = normalize_text(text)
    for sentence in _clauses(norm):
        if accepted:
            sentence = _OFFER_QUESTION.sub("", sentence)
        # What is reported done (「我已经联系骑手了」) is not promised; the rest of the sentence may be.
        parts = [part for part in re.split(r"[,，]", sentence) if not cues.DONE.search(part)]
        clause = "，".join(parts)
        if not (cues.COMMIT_ACTION.search(clause) or _ACTION.search(clause)):
            continue
        if not (cues.COMMIT_SUBJECT.search(clause) or _WHEN.search(clause) or _TO_YOU.search(clause)):
            continue
        # A hedge or an estimate qualifies the undertaking only where it stands beside it: 「应该是入户光纤问题」
        # before 「今天下午5点前师傅会电话联系您」 doubts the diagnosis, not the call.
        said = "，".join(part for part in parts if cues.COMMIT_ACTION.search(part) or _ACTION.search(part)
                        or _WHEN.search(part) or cues.COMMIT_SUBJECT.search(part))
        if cues.SYSTEM_ESTIMATE.search(said) or cues.VAGUE.search(said) or _STANDING.search(said) \
                or DENIAL.search(clause):  # 「没有说过会安排师傅给您打电话」 denies a promise, makes none
            continue
        if re.search(r"[吗嘛][?？]?$|是否|可以吗|需要.{0,6}吗", clause):
            continue
        if cues.ASK_WAIT.search(clause) and not re.search(r"小时|工作日|天内|点前|下班|明天|今天", clause):
            continue
        if _SPECIFIC.search(clause):
            return clause.strip()
    return None


def track_commitments(transcript: Transcript) -> list[Commitment]:
    """Find every commitment and decide kept / broken / open from the later turns and timestamps."""
    found: list[Commitment] = []
    turns = transcript.turns
    for i, turn in enumerate(turns):
        if turn.role != "agent":
            continue
        reply = next((t for t in turns[i + 1:] if t.role != "agent"), None)
        accepted = reply is not None and bool(_ACCEPTS.match(normalize_text(reply.text).strip().lower()))
        clause = commitment_clause(turn.text, accepted)
        if clause is None:
            continue
        pos = normalize_text(turn.text).find(clause)
        if pos >= 0:
            start, end = original_span(turn.text, pos, pos + len(clause))
            clause = turn.text[start:end]
        sent = turn.datetime
        deadline = None if _EVENT_ANCHOR.search(normalize_text(clause)) else resolve_deadline(clause, sent)
        if deadline is not None and sent is not None and deadline <= sent:
            deadline = None  # a time already past when said (「今天06:02扣款…给您退这一期」) dates a fact, not the promise
        commitment = Commitment(turn=i, text=clause, deadline=deadline)
        _decide(commitment, transcript)
        found.append(commitment)
    return found


def _decide(c: Commitment, transcript: Transcript) -> None:
    turns = transcript.turns
    # A turn sent after the deadline with nothing said about the promise shows it broken — unless a
    # later turn shows it kept in time after all (「精装版今天上午已经发出了」 sent that afternoon).
    overdue: tuple[int, str] | None = None
    for j in range(c.turn + 1, len(turns)):
        later = turns[j]
        text = normalize_text(later.text)
        when = later.datetime
        late = c.deadline is not None and when is not None and when > c.deadline
        if (late and later.role == "agent" and _reports_promise_done(text, c.text)
                and _done_in_time(text, when, c.deadline)):
            c.status, c.evidence, c.reason = "kept", [j], "a later agent turn reports it done in time"
            return
        if overdue is not None:
            continue
        if later.role == "agent":
            verdict = _agent_verdict(c, text, late)
        else:
            verdict = _customer_verdict(c, text, late, directly_after=j == c.turn + 1)
        if verdict is not None:
            c.status, c.reason = verdict
            c.evidence = [j]
            return
        if late and later.role != "agent":
            overdue = (j, f"the deadline {c.deadline:%Y-%m-%d %H:%M} passed before this turn ({when:%Y-%m-%d %H:%M}) with nothing done")
    if overdue is not None:
        c.status, c.evidence, c.reason = "broken", [overdue[0]], overdue[1]
        return
    c.status = "open"


def _agent_verdict(c: Commitment, text: str, late: bool) -> tuple[str, str] | None:
    """What a later agent turn says of the promise: brought, withdrawn, done (in time or not), or nothing."""
    if (cues.REPLY_ACTION.search(c.text) and not late and len(text) > 8
            and not cues.FILLER.match(text) and not cues.ASK_WAIT.fullmatch(text)):
        return "kept", "a later agent turn brings the promised reply in time"
    if cues.WITHDRAW.search(text):
        return "broken", "a later agent turn withdraws it"
    if _reports_promise_done(text, c.text):
        return ("broken", "done only after the deadline had passed") if late else ("kept", "a later agent turn reports it done")
    return None


def _customer_verdict(c: Commitment, text: str, late: bool, directly_after: bool) -> tuple[str, str] | None:
    """What a later customer turn says of the promise: confirmed done, reported not done, or nothing."""
    if (cues.CUSTOMER_CONFIRMS.search(text) and not cues.NOT_DONE.search(text) and not _SHORT.search(text)
            and not _PART_MISSING.search(text)  # 「盖子收到了 10块钱没看到啊」
            and not cues.CUSTOMER_REPORTS_UNKEPT.search(text)):  # 「大号的收到了 红包呢 说好补5块的」
        return "kept", "the customer confirms it done"
    if _reports_not_done(text, c.text) and (cues.CUSTOMER_REPORTS_UNKEPT.search(text) or late
                                            or (_SHORT.search(text) and _AMOUNT.search(c.text))
                                            or (not directly_after and _names_the_action(text, c.text))):
        return "broken", "the customer reports it not done"
    return None


def _done_in_time(agent_text: str, sent: datetime | None, deadline: datetime | None) -> bool:
    """Whether a report of the promise done says when, and that was by the deadline: 「今天上午已经发出了」
    sent at 16:15 against a noon deadline."""
    if deadline is None:
        return False
    said = [clause for clause in re.split(r"[，,。！!？?；;\s]+", agent_text) if cues.DONE.search(clause)]
    done_by = [resolve_deadline(clause, sent) for clause in said]
    return any(when is not None and when <= deadline for when in done_by)


_EARLIER_PROMISE = re.compile(
    r"(?:说好|不是说|答应过?|承诺过?|保证过?|页面写着?|广告说"
    r"|(?:上周|昨天|前天|之前|上次|早上|刚才|前面|那天|当时)[^,，。!?！？]{0,4}说"
    r"|(?:你们|你|客服|店员|主播|商家|营业员|工作人员|师傅|快递员|骑手|专员|同事)[^,，。!?！？]{0,8}(?:说|讲|告诉我|表示))"
    r".{0,30}?(?:回电|回复|联系|退款|到账|发货|发出|寄出|寄回|寄给|修好|修完|开票|发票|到货|能到|一定到|就到|会到|补偿|补发|处理"
    r"|上门|安装|来装|来修|来取|取件|赔|送|返|退|(?<!兑)换|打电话|给我)"
)


# What says the promise was not kept (a plain question mark does not: customers ask about kept promises too).
# Less than promised: 「退款到了 怎么只有79？」 after a promised sum.
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:元|块)|全额")
_SHORT = re.compile(r"怎么只(?:有|退|到|给)|只(?:有|退了?|到了?|给了?)\s*\d|少(?:了|退|给|打)\s*\d|少退|少给")
_UNKEPT = re.compile(cues.NOT_DONE.pattern.replace("|呢[?？]?$", "")
                     + r"|(?:收到|到手|拿到)[^。!?！？]{0,12}(?:只有|没有|少了|缺了?)|并没有送|没送|" + _SHORT.pattern)


_STEPS = ("安排", "提交", "登记", "申请")
# A confirmation with something still missing beside it.
_PART_MISSING = re.compile(r"没(?:有)?(?:看到|看见|见到|收到)|不见|少了|缺了")
# Something said to be missing: 「只有正装 没有小样」.
_MISSING_THING = re.compile(r"(?:没有|没|少了?|缺了?|不见)([\u4e00-\u9fff]{2,4})")
# Nobody came, called or paid: what any promised service looks like when it did not happen.
_SERVICE_MISSING = re.compile(r"没人(?:来|联系|上门|打电话|回)|没(?:有)?(?:打电话|来电话|联系|上门|到账|收到|退|发)"
                              r"|还没到|没到")


def _reports_promise_done(agent_text: str, promise: str) -> bool:
    """Whether an agent turn reports the promised thing done: 「已经安排工程师维修」 is a step towards a
    promised 「修好并寄出」, not the thing itself."""
    done = [m.group(0) for m in cues.DONE.finditer(agent_text)]
    if any(not d.endswith(_STEPS) for d in done):
        return True
    return bool(done) and any(step in promise for step in _STEPS)


def _mentions_promised_action(customer_text: str, promise: str) -> bool:
    return any(action in customer_text for action in cues.COMMIT_ACTION.findall(normalize_text(promise)))


def _names_the_action(customer_text: str, promise: str) -> bool:
    """Whether a customer turn speaks of what was promised (「退款还没到」 after a promised refund,
    「没有小样」 after promised samples), not of something else that is missing (「说明书也没提」)."""
    return (_mentions_promised_action(customer_text, promise) or bool(_SERVICE_MISSING.search(customer_text))
            or any(m.group(1)[:2] in normalize_text(promise) for m in _MISSING_THING.finditer(customer_text)))


def _reports_not_done(customer_text: str, promise: str) -> bool:
    """A customer turn saying the promise was not kept. A bare 「…呢？」 counts only when it asks
    about the promised action itself (「退款呢？」 after a promised refund) or recalls the promise
    (「红包呢 说好补5块的」), not about anything else."""
    if _UNKEPT.search(customer_text):
        return True
    return bool(re.search(r"呢[?？]?(?:$|[\s,，。!！])", customer_text)) and (
        _mentions_promised_action(customer_text, promise) or bool(cues.CUSTOMER_REPORTS_UNKEPT.search(customer_text)))


def earlier_promise_reports(transcript: Transcript) -> list[int]:
    """Customer turns reporting that a promise (made here or before this chat) was not kept."""
    hits = []
    for i, turn in enumerate(transcript.turns):
        if turn.role != "customer":
            continue
        text = normalize_text(turn.text)
        if _EARLIER_PROMISE.search(text) and _UNKEPT.search(text):
            hits.append(i)
    return hits
