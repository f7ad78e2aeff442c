import pytest

from cs_classifier.policy import load_policy_rules, policy_violations


@pytest.mark.parametrize("text, rule", [
    ("亲，特价商品不退不换哦", "sale-items-returnable"),
    ("本店商品一经售出概不退换", "no-returns-blanket"),
    ("拆了包装就不能七天无理由了亲", "opened-package-returnable"),
    ("我们收到退货后15个工作日内退款", "refund-within-seven-days"),
    ("七天是从下单开始算的", "seven-days-from-receipt"),
])
def test_wrong_policy_statements_cite_the_rule(text, rule):
    assert rule in [v.rule.id for v in policy_violations(text)]


@pytest.mark.parametrize("text", [
    "定制款不支持七天无理由哦，下单页面有写",
    "生鲜水果不支持七天无理由，坏果可以拍照申请售后",
    "软件激活后不支持七天无理由退货",
    "商家收到退货后7天内退款",
    "支持七天无理由退货，拆开看看没关系，商品完好就行",
    "签收后第二天开始算七天",
    "活体是不支持七天无理由退货的哈，标题和下单页都写了",
    "鲜活水产不支持7天无理由，死亡包赔",
])
def test_correct_policy_statements_pass(text):
    assert policy_violations(text) == []


def test_rules_are_data(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text('{"rules": [{"id": "x", "pattern": "包邮", "unless": "", "fact": "f"}]}', "utf-8")
    rules = load_policy_rules(str(path))
    assert [v.rule.id for v in policy_violations("不包邮", rules)] == ["x"]


# Phrasings of the guidelines' policy facts the way other writers put them (not the corpus's wording):
# each wrong statement must fire some rule, each correct one none.
OTHER_WRITERS_WRONG = [
    "签收当天也要算一天的亲，3号到9号就是第7天",
    "七天无理由是从签收当天开始算的",
    "我们店退款周期是收到退货后15-20个工作日哦",
    "拆封了不退，这都不懂吗",
    "亲亲 外包装拆了就影响二次销售了 不能七天无理由退的哦",
    "页面上的七天无理由指的是未拆封的情况哦",
    "签收当天就算第一天的，已经超过七天了",
    "亲，我们家退款周期是15个工作日哦",
    "亲 我们是按发货时间算的 发货是20号",
    "亲，这款是清仓特价的，不支持七天无理由退货哦",
    "活动价买的商品是不能退的呢",
    "折扣商品售出后不退不换的亲",
    "秒杀的宝贝不参与七天无理由哈",
    "这个是福利价，退不了的哦",
    "特惠款不给退货的亲亲",
    "促销期间购买的商品一律不退",
    "因为是打折的所以只能换不能退",
    "这是特价处理品，不接受退货",
    "本店商品一经售出概不退换",
    "我们店里的东西卖出去就不退了",
    "售出商品恕不退换哦",
    "您拆开包装了就不能七天无理由退了",
    "鞋盒打开过就不支持退货了哦",
    "包装袋撕开了就退不了了亲",
    "拆封后的商品是不能退的",
    "打开看过就算二手了，不能退了",
    "商品开封后不享受无理由退货",
    "我们收到退货后15个工作日内给您退款",
    "仓库签收退件以后一般要半个月才能退款",
    "退货到了之后财务审核需要二十天左右",
    "退款在收到货后10到15天内原路返回",
    "七天无理由是从下单那天开始算的",
    "七天是按付款时间算的，您已经超过了",
    "从发货之日起算七天，已经过了退货期",
    "我们店不支持七天无理由退货",
    "这个商品不享受7天无理由哦",
    "网购的衣服没有七天无理由这一说",
    "咱家所有商品都不支持无理由退货",
    "清仓的东西不能退货哈，介意慎拍",
    "外包装的塑封膜撕了是不给退的",
    "特价商品只换不退",
    "活动款不能无理由退货的亲",
    "低价冲量的款是不退货的",
    "七天无理由退货是从您付款成功开始计算的",
    "退款需要我们收到货后15天",
    "收到退货后一个月内退款",
    "您这个打折买的不能退，只能换个码",
]

OTHER_WRITERS_RIGHT = [
    "七天无理由从签收次日开始算",
    "信用卡退款到账需要7-15个工作日",
    "穿过洗过影响二次销售的不能退",
    "从购买之日算起，7日内如遇到价格调整，可以申请差价补偿",
    "配度数的镜片是按您的度数定做的，做好以后就不支持七天无理由退货了",
    "价保按下单时间算哦",
    "七天无理由是按签收时间算的",
    "这款是定制的刻字款，下单前页面也提示了不支持七天无理由",
    "生鲜水果不支持七天无理由退货，但坏果可以拍照给您补偿",
    "特价商品也支持七天无理由退货的，您放心",
    "拆开包装检查没问题的，只要不影响二次销售都可以退",
    "七天无理由从您签收的第二天开始算",
    "我们收到退货后7天内给您退款",
    "退款到账时间看银行，一般1-3个工作日",
    "特价商品如有质量问题一样可以退换",
    "充值卡一经售出不退不换",
    "报纸期刊送达后不支持退货",
    "软件激活码刮开后不能退",
    "已经穿过洗过的衣服是不能退的哦",
    "活动商品退货的话赠品要一起寄回哦",
    "打折商品退款按实付金额退",
    "您签收已经超过七天了，无理由退货不行了，但质量问题可以走售后",
    "拆开后发现少配件可以申请退换",
    "这款是预售商品，付款后30天内发货",
    "退货寄回后请填写单号，我们收到后尽快处理",
    "活动结束后价格恢复，不退差价哦",
    "退货的话优惠券不退回哦",
    "满减优惠不退哈，按实付退款",
    "福利赠品不用退回",
    "特价款不支持改地址哦",
    "拆开包装不影响退货的亲",
    "签收后七天内都可以无理由退货",
    "这个不是特价，是正常款，支持七天无理由",
    "活动期间下单的，发货要5天",
    "收到退货后审核通过，1-3天原路退回",
    "鲜花绿植不支持无理由退货哦",
    "定制的照片书印好了不能退的",
    "您买的是虚拟商品，充值成功后无法退款",
    "开箱验货时发现破损可以拒收",
    "打开包装发现是坏的直接申请退货就行",
    "拆封了也能退，只要配件齐全",
    "这个优惠价是不退差价的",
]


@pytest.mark.parametrize("text", OTHER_WRITERS_WRONG)
def test_wrong_policy_in_other_words_is_caught(text):
    assert policy_violations(text), text


@pytest.mark.parametrize("text", OTHER_WRITERS_RIGHT)
def test_correct_policy_in_other_words_passes(text):
    assert policy_violations(text) == [], text
