"""Faults the guidelines name outright: rude lines, stalling filler, a bare "I don't know", sending
the customer elsewhere, a non-committal formula for an answer.

The guidelines' own examples include 「说了多少遍了」「爱买不买」「不满意你去投诉好了」 and 「亲亲稍等哦～」
sent three times with nothing behind it (dismissive); 「这个是快递的问题，您自己联系快递吧」
「我们这边管不了，您找厂家」, 「具体以实际为准哦」「应该可以吧」 for an answer, 「我也不清楚」 without an
offer to find out, blaming the customer (「你没接快递电话」; dismissive too when curt), and a closing
line for the whole answer to an open question (evasive: the question is ignored). A text model
trained on one corpus can miss them among another author's words; these patterns find them wherever
they stand. Their precision is measured on the training corpus like every rule's
(``ChatModel.rule_precision_``).
"""
from __future__ import annotations

import re

from . import cues
from .segment import normalize_text
from .transcript import Transcript

__all__ = ["BLAMES_CUSTOMER", "CLOSING_LINE", "DONT_KNOW", "RUDE_LINE", "SELF_SERVICE", "SENDS_ELSEWHERE", "STALL",
           "VAGUE_ANSWER", "blame_turns", "closing_turns", "dont_know_turns", "rude_turns", "sends_elsewhere_turns",
           "stalling_runs", "vague_answer_turns"]

# Lines no decent agent says to a customer. Kept narrow: 「我也没办法」 or 「就这样」 can be honest.
RUDE_LINE = re.compile(
    r"说了多少遍|说过多少遍|要我说几遍|爱买不买|不买拉倒|你去投诉|投诉去吧|投诉好了|随便投诉|随便你投诉|看不懂吗|不识字"
    r"|怪你自己|谁让你|烦不烦|有完没完|那你想怎样|你想怎么样|要不要随你|听不懂(?:吗|啊)?[?？]?$|你自己不看|自己不会看"
    r"|拉倒|怪不了别人|没逼(?:您|你)|问那么多|问这么多|^随便[。.!！~～]*$|爱要不要|不要就算|^(?:那)?(?:您|你)随意[。.!！~～]*$"
    r"|(?:您|你)还想怎(?:样|么样)|这都不(?:知道|懂)|就你(?:贴不好|不行|事多|用不好)|催也没用|等着吧[。.!！~～]*$"
    r"|(?:说|讲)(?:过|了)(?:很多|好多|好几|无数)遍|(?<!着)急什么(?!时候)|等着就(?:行|好|是了)"
    r"|爱([\u4e00-\u9fff])不\1|怪谁(?:呢|啊|呀|啦)?(?:[?？。.!！~～\s]|$)|还怪(?:别人|我们)|看不懂字|急(?:的话)?就别买|(?:您|你)(?:自己)?看着(?:用|办|弄)(?:吧|呗)?[。.!！~～]*$|^说明书(?:上|里)?(?:都|有)?写(?:了|着|的)(?:的|呢|哦)?[。.!！~～]*$")

# A turn that only asks the customer to wait or says a check is going on, with nothing in it ...
STALL = re.compile(
    r"^(?:亲+|亲亲|亲爱的?[哒滴]?|您好|你好|在的|在呢|嗯+|好的|稍等|稍候|请|再|还|在|正在|马上|立刻|收到|为您|帮您|给您|我|这边"
    r"|查询|查看|核实|处理|看看?|查|问问?|一下|下|片刻|中|哦|呢|的|哈|呀|哟|啦|噢|[0-9一二三四五]分钟"
    r"|[^0-9A-Za-z\u4e00-\u9fff])+$")  # punctuation, emoji and spaces
# ... and says so: three 「好的」 in a row are acknowledgements, not stalling.
_WAIT = re.compile(r"稍等|稍候|查询|查看|核实|处理|看|查|问")

# A whole turn that only says the agent does not know (with no offer to find out: that would be
# more words).
DONT_KNOW = re.compile(r"^(?:亲+|亲亲)?[，,\s]*(?:我|这边|我们)?(?:也)?(?:不清楚|不知道|不太清楚|不了解|不晓得)"
                       r"(?:的|呢|哦|哈|呀|啊)*[。.!！~～]*$")

_PARTY = (r"(?:快递|物流|厂家|厂商|品牌方?|官方|骑手|配送员|快递员|物业|商家|卖家|银行|运营商|售后|网点|营业厅|供应商|第三方"
          r"|仓库|回收商|其他部门|相关部门|平台|干洗店|维修点|门店|合作方|合作商|(?:业务|服务)?提供方)")
# 「您找快递吧」「你自己联系厂家」「我们这边管不了」「不归我们管」 ...
SENDS_ELSEWHERE = re.compile(
    r"(?:您|你)(?:可以|可)?(?:自己)?(?:去|可以|可|直接)?(?:找|联系|问|咨询)(?:一下|下)?(?:[^，。,！!？?]{0,4})?" + _PARTY +
    r"(?:[^，。,！!？?]{0,6})?(?:吧|去吧|去|哈|哦|呢)?(?:[。.!！~～，,]|$)"
    r"|(?:问题|的事)[，,\s]*(?:您|你)?(?:自己)?(?:去)?(?:找|联系|问)" + _PARTY +
    r"|(?:我们|我|这边)(?:这边)?(?:也)?(?:管不了|管不着|不管|处理不了|没法管)|不归(?:我|我们)(?:这边)?(?:管|负责)"
    r"|(?:跟|和|与)(?:我们|我|本店)(?:没关系|没有关系|无关)"
    r"|(?:需要|要|得|归|由)(?:其他|别的|相关|对应|专门的?)部门(?:来)?(?:处理|负责|解决|跟进)")
# Sending the customer to do it themselves: 「您自己发短信查下详单」「有意见打10086」「我们客服这边看不到」.
SELF_SERVICE = re.compile(r"(?:您|你)自己(?:发短信|打电话|去查|查一下|查下|上网查|去问|看一下订单)|有意见(?:打|找)"
                          r"|(?:我们|客服)(?:这边)?看不到")
# Leaving the customer to settle it with the courier or the fitter when they call: 「到时候您直接跟师傅约一下」
# 「您等快递员打电话的时候跟他说一下」「这个需要您和骑手协商」.
_COURIER = r"(?:快递员|配送员|快递小哥|配送小哥|小哥|配送师傅|送货师傅|安装师傅|师傅|骑手|快递)"
SETTLE_WITH_COURIER = re.compile(
    r"(?:跟|和|与)(?:他|" + _COURIER + r")(?:[^，。,！!？?]{0,4})(?:约|说一声|说一下|说下|商量|沟通|协商|讲)"
    r"|(?:到时候?|等)[^，。,]{0,8}(?:来电|打电话|联系您|致电)[^。]{0,10}(?:告诉|说)")
# ... unless the reply answers first (「可以的，您跟配送员说一声」) or points to the order page's own way to change it.
_ANSWERED_FIRST = re.compile(r"^[^，。,]{0,4}(?:可以的|可以哈|能的|行的)|订单详情|站点(?:回复|说)")
# ... unless the agent acts, or hands over a way to act: a ticket, a number, a step done, a condition.
_ACTS = re.compile(r"申请|登记|已经|已为|已帮|帮您|为您|给您|电话[是为：:]|号码|热线|\d{5,}|工单|我来|我们来|安排|联系好|催|备注"
                   r"|如果|如需|若需|若有需要")

# The guidelines' non-committal formulas (「具体以实际为准哦」「这个不好说呢」「应该可以吧」) as the whole
# of a short reply to a question.
VAGUE_ANSWER = re.compile(r"以(?!(?:下单|签收|付款|收货|发货|到货)(?:时间|日期|那天|当天|之日)为准)[^，。,！!？?\s0-9]{0,8}为准|不好说|说不准|说不好|应该可以吧"
                          r"|应该能吧|应该会吧|应该可以的吧|看情况吧?|不一定(?:哦|呢|的)?$"
                          r"|^(?:亲+|亲亲)?[，,\s]*(?:会|我们会)?尽快(?:的|哦|呢|哈|啦|亲|给您|处理|安排|发货|发出)*[。.!！~～]*$"
                          r"|(?:到时候|等[^，。,！!？?]{1,10})再说")
_QUESTION = re.compile(r"[?？]|吗|能不能|可不可以|可以.{0,6}不|什么时候|几号|几天|多久|哪天|会不会|有没有|是不是|多少|怎么")
_VAGUE_MAX_CHARS = 30

# Blaming the customer for the fault: 「那就是您家里设备的问题」「你自己拍错了吧」「是你贴的时候没对准吧」
# 「是您这边没接电话导致配送失败的」. The guidelines call it evasive (and dismissive as well when curt).
BLAMES_CUSTOMER = re.compile(
    r"(?:那|这)?(?:就|肯定|应该|可能|估计|多半)?是(?:您|你)(?:家里?|自己|这边|那边)?的?"
    r"(?:电脑|手机|网络|设备|路由器?|宽带|灯光|屏幕|操作|使用|用法|方法|手法)?的?(?:问题|原因)"
    r"|(?:您|你)自己(?:拉扯|弄坏|弄的|摔|拍错|选错|看错|下错|填错|写错|没核对|操作不当|操作失误|贴歪|装错|用错|没接|不接|造成|导致)"
    r"|是(?:您|你)(?:自己)?(?:贴|装|用|洗|拍|填|选|下单|操作)的?时候"
    r"|是(?:您|你)(?:这边|自己)?(?:没接电话|没有接电话|电话没接|不在家|没在家|地址填错|填错|写错|选错|拍错|看错|记错|没看清)"
    r"|(?:^|[是就])自己(?:选错|拍错|看错|下错|填错|写错|量错|装错|用错|弄坏)"
    r"|怪(?:您|你)自己|(?<![我们])自己(?:不接|没接)电话|是(?:您|你)(?:自己)?不会(?:装|用|弄|操作|安装)")
# ... not when it clears the customer (「不是您的问题」) or only sets a condition (「如果是您设备的问题会收费」).
_NOT_BLAME = re.compile(r"(?<!是)不是|并非|如果|要是|假如|若是|的话")

# A closing line (「请问还有其他可以帮您的吗」「感谢您的理解与支持，祝您生活愉快」) for the whole reply to a
# question still open: the question is ignored and the chat steered to its end.
CLOSING_LINE = re.compile(r"还有(?:其他|什么|别的)|请问还有|如有(?:其他|任何)?(?:问题|疑问|需要)|欢迎(?:随时)?(?:咨询|再次光临|联系)"
                          r"|随时联系|结束会话|祝您|再见|感谢(?:您的|您对|对)?.{0,8}(?:支持|理解|咨询|耐心|配合)")
_OPENING = re.compile(r"(?<!还)有什么(?:可以|能|需要)|很高兴|欢迎光临|为您服务")  # 「您好，请问有什么可以帮您」 opens a chat
_NOTHING = re.compile(r"(?:亲+|亲亲|亲爱的?[哒滴]?|您好|你好|哦|呢|的|哈|呀|啦)*")
# The apology that rounds a closing line off (「怠慢之处请您谅解呢」) says nothing more either.
_SORRY_FORMULA = re.compile(r"^(?:[^,，。]{0,4})(?:怠慢之处|不周之处|招待不周|给您带来(?:的)?(?:不便|困扰|麻烦)).{0,10}$|^(?:请|还请)?(?:您)?(?:谅解|见谅|多多包涵)")
_STILL_OPEN = re.compile(r"我问的是|到底|究竟|答非所问|没回答")
_CONTENT_WITH = re.compile(r"谢谢|感谢|好的|好滴|没有了|没了|没问题|可以了|知道了|明白|行|嗯|ok|辛苦|客气", re.IGNORECASE)
_ORDER_CARD = "[订单编号"  # an order card the shop's system pasted in, not a question

_STALL_MAX_CHARS = 25


def _is_stall(text: str) -> bool:
    text = normalize_text(text).strip()
    return bool(text) and len(text) <= _STALL_MAX_CHARS and bool(STALL.match(text)) and bool(_WAIT.search(text))


def rude_turns(transcript: Transcript) -> list[int]:
    """Agent turns with a line the guidelines call dismissive in itself."""
    return [i for i, t in enumerate(transcript.turns)
            if t.role == "agent" and RUDE_LINE.search(normalize_text(t.text))]


def stalling_runs(transcript: Transcript, min_run: int = 3) -> list[list[int]]:
    """Runs of at least ``min_run`` agent turns in a row (customer turns between them aside) that only
    ask the customer to wait: 「亲亲稍等哦～」 turn after turn."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, turn in enumerate(transcript.turns):
        if turn.role != "agent":
            continue
        if _is_stall(turn.text):
            current.append(i)
            continue
        if len(current) >= min_run:
            runs.append(current)
        current = []
    if len(current) >= min_run:
        runs.append(current)
    return runs


def dont_know_turns(transcript: Transcript) -> list[int]:
    """Agent turns that only say the agent does not know: 「不清楚」「我也不知道呢」."""
    return [i for i, t in enumerate(transcript.turns)
            if t.role == "agent" and DONT_KNOW.match(normalize_text(t.text).strip())]


def sends_elsewhere_turns(transcript: Transcript) -> list[int]:
    """Agent turns that send the customer to another party (courier, maker, rider, property manager...)
    or disclaim the matter, without acting on it or saying how: the guidelines' first example of
    evasion."""
    out = []
    for i, t in enumerate(transcript.turns):
        if t.role == "agent":
            text = normalize_text(t.text)
            if ((SENDS_ELSEWHERE.search(text) or (SETTLE_WITH_COURIER.search(text) and not _ANSWERED_FIRST.search(text)))
                    and not _ACTS.search(text)) or SELF_SERVICE.search(text):
                out.append(i)
    return out


def blame_turns(transcript: Transcript) -> list[int]:
    """Agent turns that put the fault on the customer: their device, their order, their handling."""
    out = []
    for i, t in enumerate(transcript.turns):
        if t.role == "agent" and any(BLAMES_CUSTOMER.search(clause) and not _NOT_BLAME.search(clause)
                                     for clause in cues.CLAUSE_BREAK.split(normalize_text(t.text)) if clause):
            out.append(i)
    return out


def closing_turns(transcript: Transcript) -> list[int]:
    """Agent turns, after the chat's first, that answer a customer's open question with nothing but a
    closing line."""
    out = []
    turns = transcript.turns
    agent = [i for i, t in enumerate(turns) if t.role == "agent"]
    for i in agent[1:]:
        if turns[i - 1].role != "customer":
            continue
        text, asked = normalize_text(turns[i].text).strip(), normalize_text(turns[i - 1].text).strip()
        if not CLOSING_LINE.search(text) or _OPENING.search(text):
            continue
        if any(not (CLOSING_LINE.search(c) or cues.FORMULA_CLAUSE.search(c) or _NOTHING.fullmatch(c) or _SORRY_FORMULA.search(c))
               for c in cues.CLAUSE_BREAK.split(text) if c):
            continue  # it says something besides
        content = len(asked) <= 8 and _CONTENT_WITH.search(asked)
        if (cues.QUESTION_MARK.search(asked) or _STILL_OPEN.search(asked)) and not content and _ORDER_CARD not in asked:
            out.append(i)
    return out


def vague_answer_turns(transcript: Transcript) -> list[int]:
    """Short agent turns, right after a customer's question, whose answer is a non-committal formula."""
    out = []
    turns = transcript.turns
    for i in range(1, len(turns)):
        if turns[i].role != "agent" or turns[i - 1].role != "customer":
            continue
        text = normalize_text(turns[i].text).strip()
        if (len(text) <= _VAGUE_MAX_CHARS and VAGUE_ANSWER.search(text)
                and _QUESTION.search(normalize_text(turns[i - 1].text))):
            out.append(i)
    return out
