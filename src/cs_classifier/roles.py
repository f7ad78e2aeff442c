"""Who is speaking: role names found in exports, and agent detection from speaker names."""
from __future__ import annotations

import re
from typing import Iterable

_AGENT_ROLES = {
    "agent", "seller", "shop", "store", "merchant", "service", "staff", "support", "bot", "robot",
    "assistant", "cs", "waiter", "客服", "商家", "卖家", "店铺", "机器人", "售后", "人工", "人工客服",
    "智能客服", "小二", "店小二", "官方",
}
_CUSTOMER_ROLES = {
    "customer", "buyer", "user", "client", "consumer", "guest", "visitor", "买家", "顾客", "用户",
    "客户", "消费者", "访客", "会员",
}

#: Markers in a speaker name that mean the speaker works for the shop or platform.
AGENT_SPEAKER = re.compile(
    r"客服|工号|官方|旗舰店|专卖店|专营店|自营|小二|售后|自动回复|机器人|智能助手|小助手|在线助手|"
    r"^[^:：]{1,30}[:：][^:：]+$|^(?:京东|天猫|淘宝|拼多多|抖音|美团|饿了么)"
)


def normalize_role(value: object) -> str | None:
    """Map a role as exports write it to ``agent`` or ``customer``; None when the meaning is unclear."""
    if not isinstance(value, str):
        return None
    key = value.strip().lower()
    if key in _AGENT_ROLES:
        return "agent"
    if key in _CUSTOMER_ROLES:
        return "customer"
    return None


def role_from_speaker(speaker: str, agent_names: Iterable[str] = ()) -> str:
    """Infer the role of a text-export speaker: named agents first, then agent markers, else customer."""
    name = speaker.strip()
    if name in set(agent_names):
        return "agent"
    return "agent" if AGENT_SPEAKER.search(name) else "customer"
