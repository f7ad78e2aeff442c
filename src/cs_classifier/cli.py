"""The ``cs-classifier`` command: score, train, evaluate."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence, TextIO

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
        p.add_argument("--encoding", help="input encoding (default: detect UTF-8/UTF-16/GB18030)")
        p.add_argument("--user-dict", help="extra jieba dictionary file")

    score = sub.add_parser("score", help="score transcripts and write one JSON record per transcript")
    score.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories or glob patterns")
    score.add_argument("-o", "--output", help="output JSON Lines file (default: stdout)")
    score.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    add_model_options(score)
    add_read_options(score)

    train = sub.add_parser("train", help="rebuild the model from the annotated corpus")
    train.add_argument("--data", help="data directory (default: data/ of the checkout)")
    train.add_argument("--out", default=None, help="output directory (default: models/ of the checkout)")

    evaluate = sub.add_parser("evaluate", help="per-label precision, recall and F1 on labelled transcripts")
    evaluate.add_argument("files", nargs="*", metavar="FILE",
                          help="annotated JSON Lines, or id-only label files joined with the real chats")
    evaluate.add_argument("--split", choices=["test", "train", "all"], help="evaluate on the corpus split")
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
        if args.command == "score":
            return _score(args, stdout)
        if args.command == "train":
            return _train(args, stdout)
        if args.command == "evaluate":
            return _evaluate(args, stdout)
    except _UsageError as exc:
        print(f"cs-classifier: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


class _UsageError(Exception):
    pass


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .modelio import ModelIntegrityError, load_model

    try:
        model = load_model(args.model, trusted=args.trust_model)
    except (FileNotFoundError, ModelIntegrityError) as exc:
        raise _UsageError(str(exc)) from None
    if getattr(args, "user_dict", None):
        from .segment import Segmenter
        if not Path(args.user_dict).is_file():
            raise _UsageError(f"user dictionary not found: {args.user_dict}")
        model.set_params(segmenter=Segmenter(user_dict=args.user_dict))
    return model


def _score(args: argparse.Namespace, stdout: TextIO) -> int:
    import time

    from .readers import read_transcripts
    from .scoring import dumps, score_records

    try:
        columns = _columns(args.column)
    except argparse.ArgumentTypeError as exc:
        raise _UsageError(str(exc)) from None
    model = _load(args)
    items = read_transcripts(args.inputs, agent_names=args.agent, columns=columns, encoding=args.encoding)
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else stdout
    scored = failed = 0
    start = time.perf_counter()
    try:
        for record in score_records(model, items):
            out.write(dumps(record) + "\n")
            out.flush()
            if record["ok"]:
                scored += 1
            else:
                failed += 1
    finally:
        if args.output:
            out.close()
    if not args.quiet:
        print(f"cs-classifier: {scored} scored, {failed} failed, {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _train(args: argparse.Namespace, stdout: TextIO) -> int:
    from .modelio import default_model_path
    from .train import train_and_write

    out_dir = args.out or str(default_model_path().parent)
    _, evaluation, info = train_and_write(args.data, out_dir)
    print(f"trained on {info['train_transcripts']} transcripts; model written to {out_dir}", file=stdout)
    print("test split:", file=stdout)
    print(evaluation.format(), file=stdout)
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
