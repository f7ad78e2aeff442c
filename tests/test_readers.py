import json

import pytest

from cs_classifier import ReadError, Transcript, read_transcripts

EXPORT_A = """2026-05-03 14:02:11 t***9:
在吗 我的快递怎么还没到
2026-05-03 14:02:30 t***9:
都三天了
2026-05-03 14:05:40 客服-小桃:
亲，帮您查一下哦
"""

EXPORT_B = """------ 2026-05-03 ------
[14:02] 小鱼: 你好
[14:03] 旗舰店:小桃: 您好亲
这是第二行
==== 2026-05-04 ====
[09:10] 小鱼: 还在吗
"""

EXPORT_C = """小鱼 2026/5/3 14:02:11
你好 衣服有m码吗
官方客服 2026/5/3 14:02:40
有的亲
"""

EXPORT_D = """小鱼 (2026-05-06 09:12:40):
你好
工号1032 (2026-05-06 09:13:00):
在的
"""

EXPORT_TSV = "时间\t发送人\t内容\n2026-05-06 09:12:40\t小鱼\t你好\n2026-05-06 09:13:00\t客服小美\t在的\n2026-05-06 09:13:05\t客服小美\t请问有什么可以帮您\n"


def read_all(*paths, **kw):
    return list(read_transcripts([str(p) for p in paths], **kw))


def only(items):
    assert len(items) == 1, items
    assert isinstance(items[0], Transcript), items[0]
    return items[0]


def test_layout_timestamp_speaker_colon(tmp_path):
    t = only(read_all(_w(tmp_path / "chat-a.txt", EXPORT_A)))
    assert t.id == "chat-a"
    assert [x.role for x in t.turns] == ["customer", "agent"]
    assert t.turns[0].text == "在吗 我的快递怎么还没到\n都三天了"
    assert t.turns[0].time == "2026-05-03T14:02:11+08:00"
    assert t.turns[1].speaker == "客服-小桃"


def test_layout_bracket_clock_under_date_separators(tmp_path):
    t = only(read_all(_w(tmp_path / "b.txt", EXPORT_B)))
    assert [x.role for x in t.turns] == ["customer", "agent", "customer"]
    assert t.turns[1].speaker == "旗舰店:小桃"
    assert t.turns[1].text == "您好亲\n这是第二行"
    assert t.turns[2].time == "2026-05-04T09:10:00+08:00"


def test_layout_nickname_then_date(tmp_path):
    t = only(read_all(_w(tmp_path / "c.txt", EXPORT_C)))
    assert [(x.role, x.text) for x in t.turns] == [("customer", "你好 衣服有m码吗"), ("agent", "有的亲")]
    assert t.turns[1].time == "2026-05-03T14:02:40+08:00"


def test_layout_nickname_parenthesised_time(tmp_path):
    t = only(read_all(_w(tmp_path / "d.log", EXPORT_D)))
    assert [(x.role, x.speaker) for x in t.turns] == [("customer", "小鱼"), ("agent", "工号1032")]


def test_layout_tab_separated_with_header_joins_runs(tmp_path):
    t = only(read_all(_w(tmp_path / "e.txt", EXPORT_TSV)))
    assert len(t.turns) == 2
    assert t.turns[1].text == "在的\n请问有什么可以帮您"
    assert t.turns[1].time == "2026-05-06T09:13:00+08:00"


def test_agent_names_override(tmp_path):
    text = "2026-05-03 14:02:11 小鱼:\n你好\n2026-05-03 14:03:00 阿杰:\n在的\n"
    t = only(read_all(_w(tmp_path / "x.txt", text)))
    assert t.turns[0].role == "customer" and len(t.turns) == 1  # no agent marker: one customer turn
    assert any("--agent" in w for w in t.warnings)
    t = only(read_all(tmp_path / "x.txt", agent_names=["阿杰"]))
    assert [x.role for x in t.turns] == ["customer", "agent"]


def test_auto_reply_marker_means_agent(tmp_path):
    text = "2026-05-03 14:02:11 小鱼:\n你好\n2026-05-03 14:02:12 小桃[自动回复]:\n您好，欢迎光临\n"
    t = only(read_all(_w(tmp_path / "auto.txt", text)))
    assert t.turns[1].role == "agent" and t.turns[1].speaker == "小桃"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_and_windows_line_endings(tmp_path, encoding):
    path = tmp_path / f"chat-{encoding}.txt"
    path.write_bytes(EXPORT_A.replace("\n", "\r\n").encode(encoding))
    t = only(read_all(path))
    assert t.turns[0].text == "在吗 我的快递怎么还没到\n都三天了"
    assert t.turns[1].speaker == "客服-小桃"


def test_jsonl_keeps_turns_exactly_and_reports_malformed_lines(tmp_path):
    good = {"id": "a", "turns": [{"role": "customer", "text": "在吗"}, {"role": "customer", "text": "在吗?"},
                                 {"role": "agent", "text": "在"}]}
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{\"id\": \"b\", broken\n\n" +
                    json.dumps({**good, "id": "c"}) + "\n", "utf-8")
    items = read_all(path)
    assert [type(i).__name__ for i in items] == ["Transcript", "ReadError", "Transcript"]
    assert len(items[0].turns) == 3  # consecutive customer turns are NOT joined for JSON input
    assert items[1].source == f"{path}:2" and items[1].id == "b" and "malformed JSON" in items[1].error
    assert items[0].location == f"{path}:1"


def test_json_single_and_list(tmp_path):
    one = {"id": "one", "turns": [{"role": "agent", "text": "您好"}]}
    a = _w(tmp_path / "one.json", json.dumps(one))
    b = _w(tmp_path / "many.json", json.dumps([one, {**one, "id": "two"}]))
    assert [t.id for t in read_all(a, b)] == ["one", "one", "two"]


def test_csv_with_chinese_headers_groups_by_conversation(tmp_path):
    csv_text = ("会话ID,发送人,内容,时间\n"
                "s1,买家小王,在吗,2026/5/3 14:00:00\n"
                "s2,买家小李,发票怎么开,2026/5/3 14:00:05\n"
                "s1,客服-小桃,在的亲,2026/5/3 14:00:10\n"
                "s1,客服-小桃,有什么可以帮您,2026/5/3 14:00:11\n")
    items = read_all(_w(tmp_path / "x.csv", csv_text))
    assert [t.id for t in items] == ["s1", "s2"]
    s1 = items[0]
    assert [x.role for x in s1.turns] == ["customer", "agent", "agent"]  # rows stay turns
    assert s1.turns[1].time == "2026-05-03T14:00:10+08:00"


def test_csv_role_column_and_configurable_columns(tmp_path):
    csv_text = "conv,who,body\n1,buyer,hi\n1,seller,hello\n"
    path = _w(tmp_path / "y.csv", csv_text)
    bad = read_all(path)
    assert isinstance(bad[0], ReadError) and "no message text column" in bad[0].error
    t = only(read_all(path, columns={"id": "conv", "role": "who", "text": "body"}))
    assert [x.role for x in t.turns] == ["customer", "agent"]


def test_directories_globs_and_missing_files(tmp_path):
    _w(tmp_path / "d" / "a.txt", EXPORT_A)
    _w(tmp_path / "d" / "sub" / "b.txt", EXPORT_B)
    assert [t.id for t in read_all(tmp_path / "d")] == ["a", "b"]
    assert [t.id for t in read_all(str(tmp_path / "d" / "*.txt"))] == ["a"]
    missing = read_all(tmp_path / "nope.jsonl")
    assert isinstance(missing[0], ReadError) and missing[0].error == "file not found"
    nomatch = read_all(str(tmp_path / "*.csv"))
    assert isinstance(nomatch[0], ReadError) and "matches no file" in nomatch[0].error


def test_unrecognised_text_is_an_error_record(tmp_path):
    items = read_all(_w(tmp_path / "notes.txt", "just some notes\nwith no chat in them\n"))
    assert isinstance(items[0], ReadError) and "no chat messages recognised" in items[0].error
    assert items[0].to_dict() == {"id": "notes", "ok": False, "source": str(tmp_path / "notes.txt"),
                                  "error": items[0].error}


def _w(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path
