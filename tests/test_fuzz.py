"""Property-based tests: readers never crash, and write-then-read is the identity."""
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_classifier import ReadError, Transcript, Turn, read_transcripts
from cs_classifier.text_export import TextExportError, parse_text_export
from cs_classifier.transcript import write_jsonl

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SUFFIXES = [".jsonl", ".json", ".csv", ".txt", ".tsv", ".log"]


def read_bytes(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"input{suffix}"
        path.write_bytes(data)
        return list(read_transcripts(str(path)))


@SETTINGS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_give_results_or_error_records(data, suffix):
    items = read_bytes(data, suffix)
    assert items
    assert all(isinstance(i, (Transcript, ReadError)) for i in items)
    for i in items:
        if isinstance(i, ReadError):
            assert i.error and isinstance(i.error, str)


@SETTINGS
@given(text=st.text(max_size=1500), suffix=st.sampled_from(SUFFIXES),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_arbitrary_unicode_gives_results_or_error_records(text, suffix, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "replace")
    items = read_bytes(data, suffix)
    assert all(isinstance(i, (Transcript, ReadError)) for i in items)


@SETTINGS
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_text_export_parser_raises_only_its_own_error(text):
    try:
        turns, warnings = parse_text_export(text)
    except TextExportError:
        return
    assert turns and all(isinstance(t, Turn) for t in turns)


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_turn = st.builds(
    Turn,
    role=st.sampled_from(["agent", "customer"]),
    text=_text,
    time=st.one_of(st.none(), st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())),
    speaker=st.one_of(st.none(), _text),
)
_transcript = st.builds(
    Transcript,
    id=st.text(min_size=1, max_size=20),
    turns=st.lists(_turn, min_size=1, max_size=8),
    source=st.one_of(st.none(), st.just("written")),
    metadata=st.dictionaries(st.sampled_from(["platform", "category", "shop"]), _text, max_size=2),
)


@SETTINGS
@given(transcripts=st.lists(_transcript, min_size=1, max_size=4))
def test_write_then_read_is_identity(transcripts):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "out.jsonl"
        write_jsonl(transcripts, str(path))
        back = list(read_transcripts(str(path)))
    assert len(back) == len(transcripts)
    for original, read in zip(transcripts, back):
        assert isinstance(read, Transcript), read
        assert read.to_dict() == original.to_dict()
        assert read == original
