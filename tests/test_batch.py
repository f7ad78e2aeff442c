"""Batch scoring: parallel workers, resume after a kill, output formats, DataFrames, Dask."""
import csv
import io
import json
import subprocess
import sys

import pytest

from cs_classifier.cli import main

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def batch(tmp_path_factory, corpus):
    """Many transcripts with a few broken lines among them."""
    path = tmp_path_factory.mktemp("batch") / "batch.jsonl"
    lines = []
    for k, t in enumerate(corpus[:120]):
        d = t.to_dict()
        d.pop("labels")
        d["id"] = f"b{k:04d}"
        lines.append(json.dumps(d, ensure_ascii=False))
        if k % 40 == 7:
            lines.append('{"id": "broken-%d", "turns": [' % k)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def score_to(path, out, *extra):
    return main(["score", str(path), "-o", str(out), "--quiet", *extra])


def test_jobs_give_byte_identical_output(batch, tmp_path):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"o{jobs}.jsonl"
        assert score_to(batch, out, "--jobs", jobs) == 1
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    again = tmp_path / "again.jsonl"
    score_to(batch, again, "--jobs", "2")
    assert again.read_bytes() == outs[0]
    ids = [json.loads(x)["id"] for x in outs[0].decode("utf-8").splitlines()]
    assert ids[:9] == ["b0000", "b0001", "b0002", "b0003", "b0004", "b0005", "b0006", "b0007", "broken-7"]


def test_analyze_many_in_worker_processes_matches_one_process(shipped_model, corpus):
    one = [a.to_dict() for a in shipped_model.analyze_many(corpus[:40], batch_size=8)]
    two = [a.to_dict() for a in shipped_model.analyze_many(corpus[:40], batch_size=8, n_jobs=2)]
    assert one == two


def test_resume_after_a_kill_redoes_the_cut_record_and_never_duplicates(batch, tmp_path):
    full = tmp_path / "full.jsonl"
    score_to(batch, full, "--jobs", "1")
    data = full.read_bytes()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[: len(data) // 2])  # a kill in the middle of a record
    assert not cut.read_bytes().endswith(b"\n")
    assert score_to(batch, cut, "--jobs", "2", "--resume") == 1
    assert cut.read_bytes() == data
    assert score_to(batch, cut, "--resume") == 0  # nothing left to do, nothing failed this run
    assert cut.read_bytes() == data


def test_csv_and_findings_csv_open_in_excel(tmp_path):
    out, findings = tmp_path / "t.csv", tmp_path / "f.csv"
    assert score_to(EXAMPLES, out, "--format", "csv", "--findings-csv", str(findings)) == 0
    for path in (out, findings):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert len(rows) == 7 and {"id", "labels", "evasive", "broken_promise", "error"} <= set(rows[0])
    frows = list(csv.DictReader(io.StringIO(findings.read_text("utf-8-sig"))))
    assert any(r["id"] == "example-late-refund" and r["label"] == "broken_promise" for r in frows)
    assert all(r["quotes"] for r in frows)


def test_parquet_output(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "t.parquet"
    assert score_to(EXAMPLES, out, "--format", "parquet") == 0
    table = pq.read_table(out)
    assert table.num_rows == 7 and "record" in table.column_names
    assert json.loads(table.column("record")[0].as_py())["ok"] is True


def test_score_frame(shipped_model):
    pd = pytest.importorskip("pandas")
    from cs_classifier import score_frame

    df = pd.DataFrame({
        "conv": ["a", "a", "b", "a", "b"],
        "who": ["买家", "客服", "buyer", "seller", "seller"],
        "msg": ["发票能开吗", "可以的亲", "什么时候发货", "订单详情里申请就行", "亲，具体以实际为准哦"],
        "ts": pd.to_datetime(["2026-05-01 10:00", "2026-05-01 10:01", "2026-05-01 11:00", "2026-05-01 10:02",
                              "2026-05-01 11:05"]),
    })
    out = score_frame(df, shipped_model, conversation="conv", role="who", text="msg", time="ts")
    assert list(out["id"]) == ["a", "b"]
    rec = out.loc[0, "record"]
    assert [t["role"] for t in rec["turns"]] == ["customer", "agent", "agent"]
    assert rec["turns"][0]["time"] == "2026-05-01T10:00:00+08:00"


def test_dask_local_cluster_matches_single_process(shipped_model, corpus):
    distributed = pytest.importorskip("dask.distributed")
    from cs_classifier.scoring import score_records

    items = corpus[:30]
    single = list(score_records(shipped_model, items, batch_size=5))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster, distributed.Client(cluster) as client:
        spread = list(score_records(shipped_model, items, batch_size=5, client=client))
        analyses = [a.to_dict() for a in shipped_model.analyze_many(items, batch_size=5, client=client)]
    assert spread == single
    assert analyses == single


def test_progress_summary_and_quiet(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cs_classifier", "score", str(EXAMPLES), "-o", str(tmp_path / "o.jsonl")],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "7 scored, 0 failed" in proc.stderr
    quiet = subprocess.run([sys.executable, "-m", "cs_classifier", "score", str(EXAMPLES), "-o", str(tmp_path / "o.jsonl"),
                            "--quiet"], capture_output=True, text=True)
    assert quiet.stderr == ""


def test_progress_bar_with_rate_and_eta_on_a_terminal(tmp_path):
    import os
    import pty
    import struct
    import fcntl
    import termios

    out = tmp_path / "o.jsonl"
    pid, fd = pty.fork()
    if pid == 0:  # child: stderr is the pseudo-terminal
        os.execvp(sys.executable, [sys.executable, "-m", "cs_classifier", "score", str(EXAMPLES / "shop-chats.jsonl"),
                                   "-o", str(out), "--jobs", "1"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "3/3" in screen and "transcripts/s" in screen
    assert "3 scored, 0 failed" in screen
