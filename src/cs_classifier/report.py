"""Complaint-ready reports in Chinese, as Markdown or a single self-contained HTML page.

A report is built once as a list of blocks and then rendered, so both formats say the same thing.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .masking import mask_record
from .policy import rule_by_id

LABEL_ZH = {"evasive": "推诿、回避问题", "dismissive": "敷衍、态度冷漠", "inaccurate": "信息不准确",
            "broken_promise": "承诺未兑现"}
LABEL_WHY = {
    "evasive": "客服没有回答顾客提出的具体问题，或把责任推给其他方而未采取行动。",
    "dismissive": "客服的回复简单敷衍或态度冷淡，未认真处理顾客反映的问题。",
    "inaccurate": "客服的说法与聊天记录中的事实、前后说法或消费者保护规定不一致。",
    "broken_promise": "客服作出了具体承诺，但聊天记录显示承诺没有兑现。",
}
LABEL_ASK = {
    "evasive": "请商家就所问问题给出明确答复（时间、结果或处理方式）。",
    "dismissive": "请商家正视问题并给出处理方案。",
    "inaccurate": "请商家按照法律和平台规则处理，并更正错误说法。",
    "broken_promise": "请商家兑现承诺；无法兑现的，说明原因并给予合理补偿。",
}
STATUS_ZH = {"kept": "已兑现", "broken": "未兑现", "open": "尚无结果"}
_PLATFORMS = [
    (re.compile(r"京东|jd", re.I), "京东", "京东App：我的 → 客户服务 → 投诉"),
    (re.compile(r"天猫|淘宝|旗舰店|专营店|专卖店|千牛|旺旺"), "淘宝/天猫", "淘宝App：我的淘宝 → 已买到的宝贝 → 订单 → 投诉卖家"),
    (re.compile(r"拼多多|多多|pdd", re.I), "拼多多", "拼多多App：个人中心 → 官方客服 → 投诉"),
    (re.compile(r"抖音|抖店|直播间"), "抖音", "抖音App：我 → 订单 → 订单详情 → 投诉商家"),
    (re.compile(r"美团"), "美团", "美团App：订单 → 订单详情 → 投诉/申请售后"),
    (re.compile(r"饿了么"), "饿了么", "饿了么App：订单 → 订单详情 → 投诉"),
    (re.compile(r"移动|联通|电信"), "运营商", "工业和信息化部电信用户申诉受理中心（先向运营商投诉未解决时）"),
]
CHANNELS = ["全国12315平台（12315.cn，或拨打12315）", "当地消费者协会（消协）"]


@dataclass
class Block:
    kind: str  # h1, h2, h3, p, li, quote, table
    content: Any


def _when(time: str | None) -> str:
    if not time:
        return "（无时间）"
    return time.replace("T", " ")[:19]


def _who(turn: dict[str, Any]) -> str:
    if turn["role"] == "customer":
        return "顾客" + (f"（{turn['speaker']}）" if turn.get("speaker") else "")
    return "客服" + (f"「{turn['speaker']}」" if turn.get("speaker") else "（未署名）")


def _shop_and_agents(record: dict[str, Any]) -> tuple[str | None, list[str]]:
    agents: list[str] = []
    shop = None
    for t in record["turns"]:
        if t["role"] == "agent" and t.get("speaker") and t["speaker"] not in agents:
            agents.append(t["speaker"])
    for name in agents:
        if ":" in name or "：" in name:
            shop = re.split(r"[:：]", name, maxsplit=1)[0]
            break
        m = re.search(r"\S+(?:旗舰店|专营店|专卖店|自营店|官方店)", name)
        if m:
            shop = m.group(0)
            break
    return shop, agents


def _platform(record: dict[str, Any]) -> tuple[str | None, str | None]:
    text = " ".join((t.get("speaker") or "") + " " + t["text"][:200] for t in record["turns"])
    for pattern, name, entry in _PLATFORMS:
        if pattern.search(text):
            return name, entry
    return None, None


def report_blocks(record: dict[str, Any]) -> list[Block]:
    """The report of one scored transcript (masked), as blocks."""
    if not record.get("ok"):
        return [Block("h1", f"无法分析：{record.get('id') or record.get('source')}"),
                Block("p", f"原因：{record.get('error')}")]
    record = mask_record(record)
    turns = record["turns"]
    shop, agents = _shop_and_agents(record)
    platform, entry = _platform(record)
    times = [t["time"] for t in turns if t.get("time")]
    blocks = [Block("h1", f"客服沟通问题记录：{record['id']}")]
    facts = []
    if platform:
        facts.append(f"平台：{platform}")
    if shop:
        facts.append(f"店铺：{shop}")
    facts.append("接待客服：" + ("、".join(agents) if agents else "未显示客服姓名或工号"))
    if times:
        facts.append(f"沟通时间：{_when(min(times))} 至 {_when(max(times))}")
    facts.append(f"记录来源：{record.get('source')}")
    blocks += [Block("li", f) for f in facts]
    if not record["findings"]:
        blocks.append(Block("p", "未发现推诿、敷衍、信息不准确或承诺未兑现的问题。"))
    for n, finding in enumerate(record["findings"], start=1):
        label = finding["label"]
        blocks.append(Block("h2", f"问题{n}：{LABEL_ZH[label]}（{label}）"))
        blocks.append(Block("p", LABEL_WHY[label]))
        for q in finding["quotes"]:
            turn = turns[q["turn"]]
            verb = "反映" if turn["role"] == "customer" else "说"
            blocks.append(Block("quote", f"{_when(turn.get('time'))}，{_who(turn)}{verb}：「{q['text']}」（第{q['turn']}条）"))
        rule = rule_by_id(finding["rule"]) if finding.get("rule") else None
        if rule is not None:
            blocks.append(Block("p", f"相关规定：{rule.fact_zh or rule.fact}"))
        blocks.append(Block("p", f"模型评分 {finding['score']:.2f}；依据：{explain_zh(finding['explanation'])}"))
    if record["commitments"]:
        blocks.append(Block("h2", "客服承诺及兑现情况"))
        rows = [["时间", "客服", "承诺内容", "期限", "结果"]]
        for c in record["commitments"]:
            turn = turns[c["turn"]]
            rows.append([_when(turn.get("time")), turn.get("speaker") or "未署名", c["text"],
                         _when(c["deadline"]) if c["deadline"] else "未约定具体时间", STATUS_ZH[c["status"]]])
        blocks.append(Block("table", rows))
    if record.get("delays"):
        blocks.append(Block("h2", "回复等待时间"))
        for d in record["delays"]:
            minutes = (d["seconds"] or 0) / 60
            until = f"{_when(d['until'])}（第{d['agent_turn']}条）" if d.get("until") else "聊天结束仍无回复"
            blocks.append(Block("li", f"顾客于 {_when(d['since'])}（第{d['customer_turn']}条）发出消息，客服于 {until} 才回复，等待约 {minutes:.0f} 分钟。"))
    if record["findings"]:
        blocks.append(Block("h2", "诉求"))
        blocks += [Block("li", LABEL_ASK[f["label"]]) for f in record["findings"]]
        blocks.append(Block("h2", "可以使用的投诉渠道"))
        channels = ([f"{platform}平台投诉入口：{entry}"] if entry else ["购物平台的投诉入口（订单详情页 → 投诉）"]) + CHANNELS
        blocks += [Block("li", c) for c in channels]
        blocks.append(Block("p", "提示：投诉时附上本记录中的原话、时间和客服姓名或工号，陈述事实，写明诉求。"))
    return blocks


_REASONS_ZH = [
    (r"the deadline (\S+ \S+) passed before this turn \((\S+ \S+)\) with nothing done", r"期限\1已过（\2）仍未办理"),
    (r"the customer reports a promise that was not kept", "顾客反映承诺未兑现"),
    (r" \(read by the report model, ([0-9.]+)\)", r"（模型识别，评分\1）"),
    (r"the customer reports it not done", "顾客反映没有办理"),
    (r"the customer confirms it done", "顾客确认已办理"),
    (r"a later agent turn withdraws it", "之后的客服收回了承诺"),
    (r"done only after the deadline had passed", "过了期限才办理"),
    (r" promised ", " 承诺"),
    (r" says something the guidelines call dismissive in itself", "说了轻慢顾客的话"),
    (r"turns ([\d, ]+) only ask the customer to wait, (\d+) times in a row", r"第\1条只让顾客等待，连续\2次"),
    (r"an agent says an earlier statement was wrong", "客服承认之前的说法有误"),
    (r" only says the agent does not know", "只说不知道，也没有说会去查"),
    (r" denies that something was said or promised", "否认之前说过或承诺过"),
    (r" sends the customer to another party without acting", "把顾客推给别人处理，自己没有任何行动"),
    (r" puts the fault on the customer", "把问题归咎于顾客"),
    (r" says the seven days are over, against the receipt date the chat shows", "称七天无理由已过，但聊天中的签收日期表明并未超过"),
    (r" answers an open question with a closing line", "顾客的问题还没解决，就用结束语收尾"),
    (r" answers the question with a non-committal formula", "用含糊的套话回答顾客的问题"),
    (r"turn (\d+) says (\S+) (\S+) where turn (\d+) said (\S+)", r"第\1条说\2为\3，而第\4条说\5"),
    (r"\bturn (\d+)", r"第\1条"),
    (r"words ", "关键词 "),
    (r"custom rule ", "自定义规则 "),
    (r"model score", "模型评分"),
]


def explain_zh(explanation: str) -> str:
    """The finding's explanation with the model's cue phrases in Chinese (quotes and rules kept)."""
    from .model import CUE_PHRASES, CUE_PHRASES_ZH

    text = explanation
    for key, phrase in sorted(CUE_PHRASES.items(), key=lambda kv: -len(kv[1])):
        text = text.replace(phrase, CUE_PHRASES_ZH.get(key, phrase))
    from .policy import default_rules

    for rule in default_rules():
        text = text.replace(f"contradicts a policy fact: {rule.fact}", f"与规定不符：{rule.fact_zh or rule.fact}")
    for pattern, repl in _REASONS_ZH:
        text = re.sub(pattern, repl, text)
    return text


def render_markdown(records: Iterable[dict[str, Any]]) -> str:
    out: list[str] = []
    for record in records:
        previous = ""
        for b in report_blocks(record):
            if previous == "li" and b.kind != "li":
                out.append("")
            previous = b.kind
            if b.kind == "h1":
                out.append(f"# {b.content}\n")
            elif b.kind == "h2":
                out.append(f"\n## {b.content}\n")
            elif b.kind == "p":
                out.append(f"{b.content}\n")
            elif b.kind == "li":
                out.append(f"- {b.content}")
            elif b.kind == "quote":
                out.append(f"> {b.content}\n")
            elif b.kind == "table":
                rows = [[str(c).replace("|", "\\|").replace("\n", " ") for c in r] for r in b.content]
                out.append("| " + " | ".join(rows[0]) + " |")
                out.append("|" + "---|" * len(rows[0]))
                out.extend("| " + " | ".join(r) + " |" for r in rows[1:])
                out.append("")
        out.append("\n---\n")
    return "\n".join(out).rstrip("-\n ") + "\n"


_CSS = """body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:900px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.6}h1{font-size:1.4em;border-bottom:2px solid #444}h2{font-size:1.15em;margin-top:1.5em}
blockquote{margin:.5em 0;padding:.4em .8em;border-left:4px solid #c33;background:#fafafa}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.3em .6em}section{margin-bottom:3em}"""


def render_html(records: Iterable[dict[str, Any]], title: str = "客服沟通问题记录") -> str:
    """One self-contained page: inline CSS, no scripts, no external resources."""
    sections = []
    for record in records:
        parts: list[str] = []
        items: list[str] = []

        def flush() -> None:
            if items:
                parts.append("<ul>" + "".join(items) + "</ul>")
                items.clear()
        for b in report_blocks(record):
            if b.kind == "li":
                items.append(f"<li>{html.escape(b.content)}</li>")
                continue
            flush()
            if b.kind in ("h1", "h2", "p"):
                parts.append(f"<{b.kind}>{html.escape(b.content)}</{b.kind}>")
            elif b.kind == "quote":
                parts.append(f"<blockquote>{html.escape(b.content)}</blockquote>")
            elif b.kind == "table":
                head = "".join(f"<th>{html.escape(str(c))}</th>" for c in b.content[0])
                body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in b.content[1:])
                parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        flush()
        rid = html.escape(str(record.get("id")), quote=True)
        sections.append(f'<section id="{rid}">' + "".join(parts) + "</section>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>" + "".join(sections) + "</body></html>\n")


