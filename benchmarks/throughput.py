"""Throughput and memory of scoring: the naive pipeline a user would write against the library.

    python benchmarks/throughput.py [--transcripts 20000]

Builds a workload from the corpus and the examples (repeated, ids made unique), then runs each
configuration in a fresh process and prints transcripts/s, agent turns/s and peak RSS, and ratios.
Memory flatness: the library at 1x and 10x a base input (``--rss-base``) must differ by <= 1.2x.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_workload(path: Path, n: int) -> tuple[int, int]:
    from cs_classifier import read_transcripts
    from cs_classifier.corpus import load_corpus

    base = [t for t in load_corpus(ROOT / "data")] + [t for t in read_transcripts(str(ROOT / "examples")) if hasattr(t, "turns")]
    turns = 0
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            t = base[k % len(base)]
            d = t.to_dict()
            d.pop("labels", None)
            d["id"] = f"{t.id}#{k}"
            turns += sum(1 for x in t.turns if x.role == "agent")
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return n, turns


def peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (self_kb + children_kb) / 1024


def run_naive(path: Path) -> None:
    """What a user writes first: per transcript, jieba.lcut each turn, transform, predict_proba."""
    import jieba

    from cs_classifier import Transcript, load_model
    from cs_classifier.features import TranscriptView, TurnContext

    model = load_model()
    features = model.pipeline_.named_steps["features"]
    classifier = model.pipeline_.named_steps["classifier"]
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            t = Transcript.from_json(line)
            view = TranscriptView(t, model._segmenter())
            view.__dict__["tokens"] = [jieba.lcut(turn.text) for turn in t.turns]
            contexts = [TurnContext(view, i) for i in t.agent_turns()]
            if contexts:
                classifier.predict_proba(features.transform(contexts))


def run_library(path: Path, jobs: int) -> None:
    from cs_classifier.cli import main

    with tempfile.TemporaryDirectory() as d:
        code = main(["score", str(path), "-o", os.path.join(d, "out.jsonl"), "--quiet", "--jobs", str(jobs)])
    if code not in (0, 1):
        raise SystemExit(code)


def child(mode: str, path: str) -> None:
    start = time.perf_counter()
    if mode == "naive":
        run_naive(Path(path))
    else:
        run_library(Path(path), int(mode.split("-")[1]))
    print(json.dumps({"seconds": time.perf_counter() - start, "rss_mb": peak_rss_mb()}))


def measure(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transcripts", type=int, default=20000)
    parser.add_argument("--rss-base", type=int, default=2000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as d:
        work = Path(d) / "workload.jsonl"
        n, turns = build_workload(work, args.transcripts)
        print(f"workload: {n} transcripts, {turns} agent turns, {work.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} cores")
        results = {mode: measure(mode, work) for mode in ("naive", "library-1", "library-2")}
        print(f"\n{'pipeline':<22}{'transcripts/s':>15}{'agent turns/s':>15}{'peak RSS MB':>13}")
        for mode, r in results.items():
            print(f"{mode:<22}{n / r['seconds']:>15.1f}{turns / r['seconds']:>15.1f}{r['rss_mb']:>13.0f}")
        naive = results["naive"]["seconds"]
        for mode in ("library-1", "library-2"):
            print(f"speed-up {mode} vs naive: {naive / results[mode]['seconds']:.2f}x")
        small, large = Path(d) / "small.jsonl", Path(d) / "large.jsonl"
        build_workload(small, args.rss_base)
        build_workload(large, 10 * args.rss_base)
        r1, r10 = measure("library-2", small), measure("library-2", large)
        print(f"\npeak RSS, library --jobs 2: {args.rss_base} transcripts {r1['rss_mb']:.0f} MB, "
              f"{10 * args.rss_base} transcripts {r10['rss_mb']:.0f} MB, ratio {r10['rss_mb'] / r1['rss_mb']:.2f}")


if __name__ == "__main__":
    main()
