"""The ``cs-classifier`` command: score, train, evaluate."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterator, Sequence, TextIO

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _columns(values: Sequence[str]) -> dict[str, str]:
    out = {}
    for value in values:
        field, sep, name = value.partition("=")
        if not sep or field not in ("id", "role", "speaker", "text", "time"):
            raise argparse.ArgumentTypeError(f"--column expects FIELD=NAME with FIELD in id, role, speaker, text, time; got {value!r}")
        out[field] = name
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cs-classifier", description="Find evasive, dismissive, inaccurate and "
                                     "broken-promise agent turns in Chinese customer-service chats, with evidence.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"cs-classifier {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_model_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", help="model file to use instead of the shipped one")
        p.add_argument("--trust-model", action="store_true",
                       help="load a model file even if it has no manifest or its SHA-256 does not match")

    def add_read_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--agent", action="append", default=[], metavar="NAME",
                       help="speaker NAME in a text export is an agent (repeatable)")
        p.add_argument("--column", action="append", default=[], metavar="FIELD=NAME",
                       help="CSV column holding FIELD (id, role, speaker, text, time); repeatable")
        if not any("--encoding" in a.option_strings or "--input-encoding" in a.option_strings for a in p._actions):
            p.add_argument("--encoding", help="input encoding (default: detect UTF-8/UTF-16/GB18030)")
        p.add_argument("--user-dict", help="extra jieba dictionary file")
        p.add_argument("--segmenter", choices=["jieba", "rjieba"], default=None,
                       help="word segmenter: jieba (default, the reference) or rjieba (faster; needs [fast])")

    def add_analysis_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories or glob patterns")
        p.add_argument("--rules", help="TOML (or YAML) file of custom rules and whitelists")
        p.add_argument("--max-wait", type=float, default=None, metavar="SECONDS",
                       help="report customer waits for an agent reply longer than this (default 300)")
        p.add_argument("--quiet", action="store_true", help="no progress bar and no summary line on stderr")
        p.add_argument("--jobs", type=int, default=-1, metavar="N",
                       help="worker processes, each loading the model once (default: all cores)")
        p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="score on a dask.distributed cluster (pip install 'cs-classifier[dask]')")
        add_model_options(p)
        add_read_options(p)

    score = sub.add_parser("score", help="score transcripts and write one JSON record per transcript")
    score.add_argument("-o", "--output", help="output JSON Lines file (default: stdout)")
    score.add_argument("--mask", action="store_true", help="mask phone numbers, addresses, ID-card and order numbers, e-mails")
    score.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl",
                       help="jsonl (default); csv: one row per transcript, UTF-8 with BOM; parquet (needs [parquet])")
    score.add_argument("--findings-csv", metavar="PATH", help="also write one CSV row per finding")
    score.add_argument("--resume", action="store_true",
                       help="with -o: skip transcripts that already have a complete record in the output, append the rest")
    add_analysis_options(score)

    report = sub.add_parser("report", help="complaint-ready report in Chinese (Markdown or HTML)")
    report.add_argument("-o", "--output", help="output file (default: stdout)")
    report.add_argument("--format", choices=["md", "html"], default=None, help="default: from -o's extension, else md")
    add_analysis_options(report)

    summary = sub.add_parser("summary", help="per-agent summary CSV over a batch")
    summary.add_argument("-o", "--output", required=True, help="output CSV file")
    summary.add_argument("--encoding", dest="csv_encoding", default="utf-8-sig",
                         help="CSV encoding (default utf-8-sig: UTF-8 with BOM for Excel; e.g. gbk)")
    summary.add_argument("--input-encoding", dest="encoding", help="input encoding (default: detect)")
    add_analysis_options(summary)

    train = sub.add_parser("train", help="rebuild the model from the annotated corpus")
    train.add_argument("--data", help="data directory (default: data/ of the checkout)")
    train.add_argument("--out", default=None, help="output directory (default: models/ of the checkout)")
    train.add_argument("--no-real-tuning", action="store_true",
                       help="keep the corpus thresholds even when real-data labels and text are present")

    evaluate = sub.add_parser("evaluate", help="per-label precision, recall and F1 on labelled transcripts")
    evaluate.add_argument("files", nargs="*", metavar="FILE",
                          help="annotated JSON Lines, or id-only label files joined with the real chats")
    evaluate.add_argument("--split", choices=["test", "train", "all", "outside"],
                          help="evaluate on the corpus split, or on the chats by outside authors (data/outside)")
    evaluate.add_argument("--data", help="data directory for --split")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_model_options(evaluate)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    try:
        if args.command in ("score", "report", "summary"):
            return _analyse_command(args, stdout)
        if args.command == "train":
            return _train(args, stdout)
        if args.command == "evaluate":
            return _evaluate(args, stdout)
    except _UsageError as exc:
        print(f"cs-classifier: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USAGE


class _UsageError(Exception):
    pass


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .modelio import ModelIntegrityError, load_model

    try:
        model = load_model(args.model, trusted=args.trust_model, fast=True)
    except (FileNotFoundError, ModelIntegrityError) as exc:
        raise _UsageError(str(exc)) from None
    user_dict, backend = getattr(args, "user_dict", None), getattr(args, "segmenter", None)
    if user_dict or backend:
        from .segment import Segmenter
        if user_dict and not Path(user_dict).is_file():
            raise _UsageError(f"user dictionary not found: {user_dict}")
        if backend == "rjieba":
            try:
                import rjieba  # noqa: F401
            except ImportError:
                raise _UsageError("--segmenter rjieba needs rjieba: pip install 'cs-classifier[fast]'") from None
        current = model.get_params()["segmenter"] or Segmenter()
        model.set_params(segmenter=Segmenter(user_dict=user_dict or current.user_dict, hmm=current.hmm,
                                             backend=backend or current.backend))
    return model


def _records(args: argparse.Namespace, skip: set | None = None) -> Iterator[dict]:
    """Read and score the inputs: one record per transcript, custom rules applied, in input order."""
    from .readers import read_transcripts
    from .scoring import score_records

    try:
        columns = _columns(args.column)
    except argparse.ArgumentTypeError as exc:
        raise _UsageError(str(exc)) from None
    ruleset = None
    if args.rules:
        from .rules import RulesError, load_rules
        try:
            ruleset = load_rules(args.rules)
        except RulesError as exc:
            raise _UsageError(str(exc)) from None
    client = None
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise _UsageError("--scheduler needs dask.distributed: pip install 'cs-classifier[dask]'") from None
        client = Client(args.scheduler)
    model = _load(args)
    if args.max_wait is not None:
        model.set_params(max_wait=args.max_wait)
    items = read_transcripts(args.inputs, agent_names=args.agent, columns=columns, encoding=args.encoding)
    if skip:
        items = (x for x in items if ((x.location if hasattr(x, "location") else x.source), x.id) not in skip)
    return score_records(model, items, ruleset=ruleset, n_jobs=args.jobs, client=client)


def _estimate_total(inputs: Sequence[str]) -> int | None:
    """How many records the inputs will give, when that is cheap to know (for the ETA), else None."""
    from .readers import JSONL_SUFFIXES, TEXT_SUFFIXES, _expand

    total = 0
    for path in inputs:
        for item in _expand(path):
            if not isinstance(item, str):
                total += 1
                continue
            suffix = Path(item).suffix.lower()
            if suffix in JSONL_SUFFIXES:
                with open(item, "rb") as fh:
                    total += sum(1 for line in fh if line.strip()) or 1
            elif suffix in TEXT_SUFFIXES - {".tsv"}:
                total += 1
            else:
                return None
    return total


def _progress(records: Iterator[dict], quiet: bool, inputs: Sequence[str] = ()) -> Iterator[dict]:
    """A progress bar with transcripts/s, and an ETA when the total is known, on a terminal only."""
    if quiet or not sys.stderr.isatty():
        return records
    from tqdm import tqdm
    return iter(tqdm(records, total=_estimate_total(inputs), unit=" transcripts", file=sys.stderr,
                     dynamic_ncols=True))


def _analyse_command(args: argparse.Namespace, stdout: TextIO) -> int:
    import time

    start = time.perf_counter()
    skip = None
    if getattr(args, "resume", False):
        if not args.output or args.format != "jsonl":
            raise _UsageError("--resume needs -o OUT.jsonl (JSON Lines output)")
        from .outputs import completed_records
        skip = completed_records(args.output)
    if args.command == "score" and args.format == "parquet" and not args.output:
        raise _UsageError("--format parquet needs -o OUT.parquet")
    records = _progress(_records(args, skip), args.quiet, args.inputs)
    counts = {"scored": 0, "failed": 0}

    def counted() -> Iterator[dict]:
        for record in records:
            counts["scored" if record["ok"] else "failed"] += 1
            yield record

    if args.command == "score":
        _write_scores(args, counted(), stdout)
    elif args.command == "report":
        from .report import render_html, render_markdown
        fmt = args.format or ("html" if (args.output or "").lower().endswith((".html", ".htm")) else "md")
        text = (render_html if fmt == "html" else render_markdown)(list(counted()))
        if args.output:
            Path(args.output).write_text(text, "utf-8")
        else:
            stdout.write(text)
    else:
        from .summary import summarize, write_summary_csv
        try:
            "".encode(args.csv_encoding)
        except LookupError:
            raise _UsageError(f"unknown encoding {args.csv_encoding!r}") from None
        write_summary_csv(summarize(counted()), args.output, encoding=args.csv_encoding)
    if not args.quiet:
        skipped = f", {len(skip)} already done" if skip else ""
        print(f"cs-classifier: {counts['scored']} scored, {counts['failed']} failed{skipped}, "
              f"{time.perf_counter() - start:.1f}s", file=sys.stderr)
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def _write_scores(args: argparse.Namespace, records: Iterator[dict], stdout: TextIO) -> None:
    """Write each record as soon as it and all before it are done, and flush."""
    from .masking import mask_record
    from .outputs import FINDING_COLUMNS, TRANSCRIPT_COLUMNS, CsvSink, ParquetSink, finding_rows, transcript_row
    from .scoring import dumps

    findings = CsvSink(args.findings_csv, FINDING_COLUMNS) if args.findings_csv else None
    try:
        if args.format == "parquet":
            try:
                sink = ParquetSink(args.output)
            except RuntimeError as exc:
                raise _UsageError(str(exc)) from None
            try:
                for record in records:
                    record = mask_record(record) if args.mask else record
                    sink.write_record(record)
                    if findings:
                        findings.write(finding_rows(record))
            finally:
                sink.close()
        elif args.format == "csv":
            table = CsvSink(args.output, TRANSCRIPT_COLUMNS, stream=stdout)
            try:
                for record in records:
                    record = mask_record(record) if args.mask else record
                    table.write([transcript_row(record)])
                    if findings:
                        findings.write(finding_rows(record))
            finally:
                table.close()
        else:
            out = open(args.output, "a" if args.resume else "w", encoding="utf-8", newline="\n") if args.output else stdout
            try:
                for record in records:
                    record = mask_record(record) if args.mask else record
                    out.write(dumps(record) + "\n")
                    out.flush()
                    if findings:
                        findings.write(finding_rows(record))
            finally:
                if args.output:
                    out.close()
    finally:
        if findings:
            findings.close()


def _train(args: argparse.Namespace, stdout: TextIO) -> int:
    from .modelio import default_model_path
    from .train import train_and_write

    out_dir = args.out or str(default_model_path().parent)
    _, evaluation, info = train_and_write(args.data, out_dir, tune_on_real=not args.no_real_tuning)
    print(f"trained on {info['train_transcripts']} transcripts; model written to {out_dir}", file=stdout)
    print("test split:", file=stdout)
    print(evaluation.format(), file=stdout)
    if info.get("real_metrics"):
        print("\nreal chats:\n" + info["real_metrics"], file=stdout)
    return EXIT_OK


def _evaluate(args: argparse.Namespace, stdout: TextIO) -> int:
    import json

    from .corpus import load_corpus, split_corpus
    from .evaluate import evaluate_model, labelled_transcripts

    if not args.files and not args.split:
        raise _UsageError("give labelled FILEs or --split test")
    model = _load(args)
    sets: list[tuple[str, list]] = []
    if args.split:
        if args.split == "outside":
            sets.append(("chats by outside authors", load_corpus(args.data, part="outside")))
        else:
            train, test = split_corpus(load_corpus(args.data))
            chosen = {"train": train, "test": test, "all": train + test}[args.split]
            sets.append((f"corpus {args.split} split", chosen))
    status = EXIT_OK
    for path in args.files:
        try:
            sets.append((path, labelled_transcripts(path)))
        except FileNotFoundError as exc:
            print(f"{path}: skipped: {exc}", file=stdout)
            status = EXIT_FAILED
    for name, transcripts in sets:
        evaluation = evaluate_model(model, transcripts)
        if args.json:
            print(json.dumps({"name": name, **evaluation.to_dict()}, ensure_ascii=False), file=stdout)
        else:
            print(f"== {name}", file=stdout)
            print(evaluation.format(), file=stdout)
    return status


def main_entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
