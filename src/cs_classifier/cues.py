"""Text-free cues of a question-answer pair: what was asked, what the reply supplies, how it reads.

Each cue is a small hand-written pattern over normalised text (see ``segment.normalize_text``):
they describe the *shape* of a turn (a question about time, a reply that gives a time, a vague
formula, a blame shift) rather than its vocabulary, so they carry over to chats the corpus never saw.
"""
from __future__ import annotations

import re

_NUM = r"(?:\d+|[一二两三四五六七八九十半几]+|\[数字x\])"

QUESTION_TYPES: dict[str, re.Pattern[str]] = {
    "when": re.compile(r"什么时候|啥时候|何时|多久|多长时间|几天|几号|哪天|几点|今天能|明天能|能不能.{0,6}(到|发)|还要等|要等|时效|到货时间|发货时间|怎么还没"),
    "whether": re.compile(r"能不能|可不可以|可以.{0,12}[吗嘛么]|能.{0,12}[吗嘛么]|是不是|有没有|是否|支持.{0,8}[吗嘛么]|会不会|行不行|[吗嘛么][?？]?\s*$|[吗嘛][?？ ]"),
    "amount": re.compile(r"多少钱|多少|几块|价格|差价|运费|费用|金额|补多少|退多少|赔多少|贵"),
    "why": re.compile(r"为什么|为啥|凭什么|怎么回事|什么原因|咋回事|怎么会"),
    "where": re.compile(r"在哪|哪里|哪儿|什么地方|地址|到哪了|物流到"),
    "how": re.compile(r"怎么办|怎么弄|如何|怎么操作|怎么申请|怎么退|怎么处理|怎么解决|咋办|怎么[^回会样]"),
}
QUESTION_MARK = re.compile(r"[?？]|[吗嘛么呢]\s*$|[吗嘛][,，.。!！ ]|请问")

ANSWER_SUPPLIES: dict[str, re.Pattern[str]] = {
    "time": re.compile(rf"{_NUM}\s*(?:个)?(?:小时|分钟|天|日|号|点|个工作日|周)|今天|明天|后天|今晚|上午|下午|晚上|本周|下周|周[一二三四五六日天]|星期|马上|立即|\d{{1,2}}[:：]\d{{2}}|\[日期x\]|\[时间x\]"),
    "yesno": re.compile(r"^(?:[^,，。]{0,6})?(?:是的|可以|不可以|能的|不能|有的|没有|不是|对的|支持|不支持|行的|不行|会的|不会|可以的|好的)|可以的|不可以|支持|不支持|能的|不能|不行|可以[为给帮]|^(?:嗯+|恩+|对+|是|没错)[的呢哦啊哈滴]*$"),
    "amount": re.compile(rf"{_NUM}\s*(?:元|块|毛|角)|￥|¥|\[金额x\]|差价|全额|运费"),
    "reason": re.compile(r"因为|由于|原因|是因为|所以|导致|造成|属于|规定|根据"),
    "place": re.compile(r"驿站|站点|仓库|地址|门口|快递柜|丰巢|转运|配送站|\[地址x\]|\[站点x\]|省|市|区"),
    "steps": re.compile(r"点击|进入|申请|选择|填写|上传|提交|我的订单|订单详情|售后|第一步|然后|再"),
    "action": re.compile(r"(?:我|我们|这边|妹子|小妹|已|已经|马上|立即|现在)(?:这边)?(?:[^,，。]{0,4})(?:给您|为您|帮您|替您)(?:[^,，。]{0,4})(?:申请|登记|处理|反馈|催|补发|退|安排|联系|查|核实|备注|提交|操作|加急|改|修改|取消|换|开|寄|发|升级|报备|转)"),
}

VAGUE = re.compile(r"以实际为准|实际为准|不好说|不确定|说不准|不太清楚|不清楚|不知道|也不清楚|应该可以|应该是|应该会|可能会|可能是|尽量|看情况|具体要看|具体看|请以.{0,8}为准|无法确定|暂时无法|没法保证|不能保证|无法保证|没有办法确定|这个要看")
SHIFT = re.compile(r"(?:联系|咨询|找|问|致电|拨打)(?:一下|下)?(?:快递|物流|厂家|品牌方|官方|平台|售后|其他部门|相关部门|银行|商家|骑手|配送员|快递员|物业)|(?:快递|物流|厂家|平台|银行|骑手|第三方)(?:那边|方面)?(?:的|的问题|负责|原因|造成)|不归我们|不是我们|我们(?:这边)?(?:管不了|没办法|无权|处理不了|查不到)|您自己|你自己|自行")
APOLOGY = re.compile(r"抱歉|不好意思|歉意|对不起|不便|理解|体谅|见谅")
BOILERPLATE = re.compile(r"耐心等待|请您耐心|感谢您的|感谢支持|感谢理解|还有其他|祝您|生活愉快|很高兴为您|有什么可以帮|有什么问题|请问还有|反馈给|反馈到|记录|已反馈|会改进|进行改善|不足之处|给您带来")
IMPROVE = re.compile(r"改进|改善|完善|提升|加强|提高|优化服务|不断努力|努力提高|督促|整改|引以为戒|针对不足")
FORWARD_VAGUE = re.compile(r"转交|转派|转给|反馈给|提交给|记录|登记|跟进|核查|核实|催促|催办|加急")
REDIRECT = re.compile(r"建议您(?:可以)?(?:联系|咨询|拨打|致电|到|去|前往|关注|登录|通过)|您可(?:以)?(?:联系|咨询|拨打|致电|私信|到|去|前往)|请您(?:联系|咨询|拨打|致电|到|去|前往)")
PRIVATE_MESSAGE = re.compile(r"私信|私聊|站内信")
COMPLAINT = re.compile(r"投诉|不满|太差|垃圾|坑|骗|怎么回事|为什么|凭什么|到底|还没|一直|多次|几次|第[二三四五]次|又|无语|失望|气|!|！|[?？]{2,}")
FUTILE = re.compile(r"每次都|有什么用|没用|没有用|有啥用|还是没|还是不|又是|说了多少|告知了|已经说|无关痛痒|表面|走流程")
FILLER = re.compile(r"^(?:亲+|亲亲|亲爱的?[哒滴]?|您好|在的|嗯+|好的|稍等|请稍等|马上|收到|[~～,，.。!！]|\s|哦|呢|的|哈)+$")
CURT = re.compile(r"^\s*(?:嗯+|哦+|噢|额|呃|哈|好|行|知道了|随便|自己看|看详情页?|不知道|没办法|没有|不行|不能|不可以)\s*[。.!！~～]*\s*$")
RUDE = re.compile(r"说了多少遍|说过了|听不懂|爱买不买|不买拉倒|你去投诉|随便你|投诉去吧|投诉好了|自己看|看不懂吗|不识字|怪你自己|你自己的问题|你自己没|谁让你|我也没办法|那没办法|就这样|没空|别问了|不要再问|跟你说了|烦不烦|自己看详情|有完没完|不是我的问题|那你想怎样|你想怎么样|要不要随你")
CUSTOMER_UNSATISFIED = re.compile(r"我问的是|答非所问|没回答|你没回答|到底|究竟|能不能说清楚|什么意思|啥意思|又是|还是这句|复制粘贴|机器人吗|是机器人|人工|废话|敷衍|推卸|踢皮球|推来推去|不负责|[?？]{2,}|怎么还|还没|一直|已经.{0,6}了")
CUSTOMER_ANGRY = re.compile(r"投诉|12315|消协|差评|垃圾|骗子|欺骗|太差|无语|气死|什么态度|态度|曝光|维权|工商|[!！]{2,}")
CUSTOMER_REPORTS_UNKEPT = re.compile(r"说好|不是说|答应|承诺|保证过|你们说|你说|上次说|之前说|说了.{0,8}(会|要)|说.{0,10}(回电|回复|联系|退款|发货|到账|补偿|处理)")
NOT_DONE = re.compile(r"现在都|都.{0,4}天了|第.{1,3}天了|过了.{0,6}(天|小时)|过去.{0,6}(分钟|小时|天)了|现在.{0,4}点半?了|还没|还是没|没有收到|没收到|没到账|没人联系|没有人联系|没人回|没回|没有回|没给|没发|没有发|也没有|也没|一直没|到现在|怎么还|并没有|没动静|没消息|石沉大海|没兑现|没有兑现|不见|呢[?？]?$")
DONE = re.compile(r"已经(?:给您|为您|帮您)?(?:[^,，。]{0,6})(?:发出|发货|寄出|退款|退回|到账|处理|补发|安排|回电|联系|补偿|打款|提交|登记|申请|改好|修改|取消|预约)|已(?:给您|为您|帮您)?(?:发出|发货|寄出|退款|到账|处理|补发|安排|打款|提交|改|预约)|已经好了|已经完成|处理好了|办好了|弄好了|给您发了|给您退了|退回去了")
CUSTOMER_CONFIRMS = re.compile(r"收到了|到账了|已经收到|已收到|好了谢谢|可以了|解决了|没问题了|看到了|送到了|(?<![没未不])到[了啦](?![再就后以之的])|换房了|来了|装好了|修好了|换好了|调好了|弄好了|来过了|(?<![没未不])做完了|(?<![没未不还])退了(?![吗嘛么?？])|看到物流|看到发货|出库了|发货了|打电话了|联系我了|约了|(?:收到|看到|有)单号|(?<![没未])揽收了")
REPLY_ACTION = re.compile(r"回复|答复|回电|回您|联系您|给您打|打给您|电话联系|告知您|通知您")
WITHDRAW = re.compile(r"不可能|没说过|没有说过|从没|从来没|没这回事|没有这回事|没有承诺|没答应|不存在|做不到|无法补偿|不能补偿|不会补偿|补偿不了|没有补偿|不予补偿|不能给您|没有这个政策|之前说的不算|那是.{0,6}(误|错)")
COMMIT_ACTION = re.compile(r"帮您约|给您约|预约|退回|回电|回复您|给您回复|给您答复|给您回话|答复您|回您|联系您|给您打|打给您|电话联系|发出|发货|寄出|补发|退款|到账|打款|补偿|赔付|返现|上门|安排|处理好|处理完|解决|跟进|给您换|换新|送达|送到|开具|开票|寄给您|给您发|核实后|回访")
# 会 as "will", not inside 会员 / 机会 / 社会 / 不会.
WILL = r"(?<![机社理不体])会(?![员议])"
COMMIT_SUBJECT = re.compile(r"我|我们|这边|妹子|小妹|本店|" + WILL + r"|将|一定|保证|肯定|承诺|负责|给您|为您|帮您")
SYSTEM_ESTIMATE = re.compile(r"预计|预估|大概率|一般(?:情况下)?|通常|正常情况|正常(?:是|会|在)|系统显示|物流显示|以物流|收到退货后|收到退回|退货签收后|审核通过后")
ASK_WAIT = re.compile(r"稍等|请稍后|正在(?:为您)?(?:查询|核实|查看|处理)|我查一下|帮您查|我看一下|查询一下|核实一下|马上为您")
CLOSING = re.compile(r"还有其他|还有什么|祝您|再见|结束|评价|满意|感谢您的咨询|感谢咨询")
REQUEST = re.compile(r"我想|我要|想要|帮我|给我|麻烦|希望|能否|能不能|可不可以|可以帮|请(?:帮|给|尽快|马上)|尽快|赶紧|要求")
PITCH = re.compile(r"性价比|划算|超值|实惠|优惠|活动|热销|好评|爆款|推荐您|会员.{0,4}(?:权益|福利|特权)|品质|质量(?:都|是)?(?:很|非常|挺|超)?好|买到就是赚|值得")
PLEASANTRY = re.compile(r"天气|喝(?:点)?水|注意身体|开心|缘分|心想事成|生活愉快|工作顺利|么么|笔芯|比心")
PLACEHOLDER_OR_SLOT = re.compile(r"\[[^\[\]]{1,12}\]|\d+(?:\.\d+)?|[a-z]{2,}\d+|\S+@\S+")


def question_types(text: str) -> dict[str, bool]:
    return {name: bool(p.search(text)) for name, p in QUESTION_TYPES.items()}


# Clauses that supply nothing whatever they contain: the closing formula (「还有什么可以帮您」 holds a
# 「可以」 that is no yes), thanks for support (「支持」), greetings, and questions put back to the
# customer (「您看可以吗」).
FORMULA_CLAUSE = re.compile(r"还有(?:其他|什么|别的)|有什么(?:可以|能|需要)|请问还有|祝您|再见|感谢(?:您的|您对|对)?.{0,8}(?:支持|理解|咨询|耐心|配合)|很高兴|^(?:您好|你好|亲+|亲爱的?[哒滴]?|在的|稍等|请稍等)$")
QUESTION_BACK = re.compile(r"(?:[吗嘛么]|[吗嘛么呢]?[?？])$")
# Where one clause of a reply ends: after a question mark, or at a run of punctuation or space.
CLAUSE_BREAK = re.compile(r"(?<=[?？])|[,，。.!！~～;；:：\s]+")


def reply_core(text: str) -> str:
    """The reply without the clauses that supply nothing (``FORMULA_CLAUSE``, ``QUESTION_BACK``)."""
    kept = [c for c in CLAUSE_BREAK.split(text) if c and not FORMULA_CLAUSE.search(c) and not QUESTION_BACK.search(c)]
    return "，".join(kept)


def answer_supplies(text: str) -> dict[str, bool]:
    """What a reply supplies, read on its ``reply_core``."""
    core = reply_core(text)
    return {name: bool(p.search(core)) for name, p in ANSWER_SUPPLIES.items()}


def is_question(text: str) -> bool:
    return bool(QUESTION_MARK.search(text)) or any(p.search(text) for p in QUESTION_TYPES.values())


def template_key(text: str) -> str:
    """The text with slots (numbers, placeholders, ids) replaced, for spotting filled-in templates."""
    return re.sub(r"\s+", "", PLACEHOLDER_OR_SLOT.sub("#", text))
