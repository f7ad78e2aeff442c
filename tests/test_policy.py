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
