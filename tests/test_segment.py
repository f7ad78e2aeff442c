import os
import pickle
import subprocess
import sys

from cs_classifier import Segmenter
from cs_classifier.segment import cache_dir, normalize_text


def test_placeholders_stay_single_tokens():
    words = Segmenter().cut("亲，订单[订单x]的退款[金额x]元已经原路返回，[姓名x]您查收")
    for placeholder in ("[订单x]", "[金额x]", "[姓名x]"):
        assert placeholder in words


def test_bundled_dictionary_words():
    words = Segmenter().cut("支持七天无理由，有运费险，可以极速退款，也有价保，报一下工号，亲亲发顺丰")
    for word in ("七天无理由", "运费险", "极速退款", "价保", "工号", "亲亲", "顺丰"):
        assert word in words, (word, words)


def test_full_width_is_normalised():
    assert normalize_text("ＡＢＣ１２３，？！") == "abc123,?!"
    assert Segmenter().cut("ＯＫ") == ["ok"]


def test_zero_width_and_control_characters_removed():
    assert normalize_text("退\u200b款\x07") == "退款"


def test_user_dictionary(tmp_path):
    user = tmp_path / "mine.txt"
    user.write_text("蓝莓芝士奶盖 100 n\n", "utf-8")
    assert "蓝莓芝士奶盖" not in Segmenter().cut("我要一杯蓝莓芝士奶盖")
    assert "蓝莓芝士奶盖" in Segmenter(user_dict=str(user)).cut("我要一杯蓝莓芝士奶盖")


def test_pickles_without_the_tokenizer():
    seg = Segmenter(hmm=False)
    copy = pickle.loads(pickle.dumps(seg))
    assert copy.hmm is False and copy.cut("退款") == ["退款"]
    assert len(pickle.dumps(seg)) < 500


def test_cache_is_per_user_not_shared_tmp(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("CS_CLASSIFIER_CACHE", None)
    code = "from cs_classifier import Segmenter; Segmenter().cut('测试一下'); from cs_classifier.segment import cache_dir; print(cache_dir())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(tmp_path / "cache" / "cs-classifier")
    assert (tmp_path / "cache" / "cs-classifier" / "jieba.cache").is_file()
    assert not str(cache_dir()).startswith("/tmp/jieba")


def test_rjieba_backend_agrees_with_jieba_on_the_corpus(corpus):
    import pytest
    pytest.importorskip("rjieba")
    turns = [turn.text for t in corpus for turn in t.turns]
    reference, fast = Segmenter(), Segmenter(backend="rjieba")
    same = sum(reference.cut(x) == fast.cut(x) for x in turns)
    assert same / len(turns) >= 0.99
    assert "七天无理由" in fast.cut("支持七天无理由") and "[订单x]" in fast.cut("订单[订单x]已发")
