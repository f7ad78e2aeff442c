"""Model integrity through the CLI, determinism, and concurrency."""
import os
import shutil
import subprocess
import sys
import threading


from cs_classifier.cli import main
from cs_classifier.modelio import default_model_path

from conftest import EXAMPLES


def test_cli_refuses_tampered_or_unverified_model_unless_trusted(tmp_path, capsys):
    lone = tmp_path / "copy" / "model.joblib"
    lone.parent.mkdir()
    shutil.copy(default_model_path(), lone)
    assert main(["score", str(EXAMPLES / "shop-chats.jsonl"), "--model", str(lone)]) == 2
    assert "no manifest.json" in capsys.readouterr().err
    assert main(["score", str(EXAMPLES / "shop-chats.jsonl"), "--model", str(lone), "--trust-model", "--quiet"]) == 0
    capsys.readouterr()
    bundle = tmp_path / "bundle"
    shutil.copytree(default_model_path().parent, bundle)
    model = bundle / default_model_path().name
    with open(model, "r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 1]))
    assert main(["score", str(EXAMPLES), "--model", str(model)]) == 2
    assert "does not match the manifest" in capsys.readouterr().err


def test_same_input_gives_byte_identical_output_across_runs(tmp_path):
    outs = []
    for k in range(2):
        out = tmp_path / f"{k}.jsonl"
        subprocess.run([sys.executable, "-m", "cs_classifier", "score", str(EXAMPLES), "-o", str(out), "--quiet"],
                       check=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_two_processes_starting_at_once_share_the_cache_safely(tmp_path):
    env = dict(os.environ, CS_CLASSIFIER_CACHE=str(tmp_path / "cache"))
    code = ("import json; from cs_classifier import Segmenter; "
            "print(json.dumps(Segmenter().cut('亲亲，七天无理由退货的运费险怎么赔付'), ensure_ascii=False))")
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate()[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1
    after = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert after == outs[0]
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.endswith(".cache")] == ["jieba.cache"]


def test_threads_calling_analyze_at_once_match_one_thread(shipped_model, corpus):
    sample = corpus[:24]
    expected = [shipped_model.analyze(t).to_dict() for t in sample]
    results: dict[int, list] = {}

    def work(k):
        results[k] = [shipped_model.analyze(t).to_dict() for t in sample]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[k] == expected for k in range(4))


def test_fresh_process_threads_initialise_jieba_once(tmp_path):
    env = dict(os.environ, CS_CLASSIFIER_CACHE=str(tmp_path / "c2"))
    code = """
import threading, json
from cs_classifier import Segmenter
out = {}
def cut(k):
    out[k] = Segmenter().cut('请问价保怎么申请，差价什么时候退回')
threads = [threading.Thread(target=cut, args=(k,)) for k in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
print(len({json.dumps(v, ensure_ascii=False) for v in out.values()}), len(Segmenter._shared))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1", "1"]
