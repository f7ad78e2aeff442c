"""What a reply supplies is read on what it says, not on its formulas."""
from cs_classifier.context import cue_features, turn_contexts
from cs_classifier.cues import answer_supplies, reply_core
from cs_classifier.segment import Segmenter
from cs_classifier.transcript import Transcript, Turn


def test_closing_formula_and_thanks_supply_no_yes():
    for reply in ["请问还有其他可以帮到您的吗?", "感谢您对本店的支持，祝您生活愉快，再见!", "您好 请问还有什么可以帮助您的呢"]:
        assert not any(answer_supplies(reply).values()), reply
        assert reply_core(reply) == ""


def test_an_answer_next_to_a_formula_still_counts():
    assert answer_supplies("可以退的哦，您看可以吗")["yesno"]
    assert answer_supplies("亲，明天下午送到，还有其他问题吗")["time"]
    assert reply_core("您好，可以退的，还有什么可以帮您的吗") == "可以退的"


def test_closing_formula_to_an_open_request_is_a_cue():
    chat = Transcript("t", [Turn("customer", "你好 我想这个订单提前送"), Turn("agent", "请问还有其他还可以帮到您的吗?")])
    answered = Transcript("u", [Turn("customer", "你好 我想这个订单提前送"), Turn("agent", "可以的，已经帮您备注明天送")])
    f = cue_features(turn_contexts([chat], Segmenter())[0])
    g = cue_features(turn_contexts([answered], Segmenter())[0])
    assert f["closing_to_open_question"] == 1.0 and f["a_yesno"] == 0.0
    assert g["closing_to_open_question"] == 0.0 and g["a_yesno"] == 1.0


def test_a_bare_yes_answers_a_whether_question():
    # 「嗯」 to 「地址发你这里就行吧?」 is a complete answer; inside a longer reply it is a particle.
    for reply in ["嗯", "嗯嗯", "恩", "对的", "是的呢", "没错"]:
        assert answer_supplies(reply)["yesno"], reply
    assert not answer_supplies("嗯 我看一下")["yesno"]
