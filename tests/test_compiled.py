"""The numpy scorer: the same records as the scikit-learn model, no scikit-learn import, no pickle."""
import json
import shutil
import subprocess
import sys

import pytest

from cs_classifier import ModelIntegrityError, load_model, read_transcripts
from cs_classifier.compiled import CompiledModel, compile_model, load_compiled
from cs_classifier.modelio import default_model_path

from conftest import EXAMPLES


def test_shipped_compiled_model_matches_the_estimator(shipped_model, corpus):
    fast = load_model(fast=True)
    assert isinstance(fast, CompiledModel)
    sample = corpus[:120] + [t for t in read_transcripts(str(EXAMPLES)) if hasattr(t, "turns")]
    slow = [a.to_dict() for a in shipped_model.analyze_many(sample)]
    quick = [a.to_dict() for a in fast.analyze_many(sample)]
    assert quick == slow


def test_compile_round_trip_of_a_fresh_model(tmp_path, small_model, corpus):
    from cs_classifier.compiled import save_compiled

    header, _ = save_compiled(compile_model(small_model), tmp_path / "m.json")
    loaded = load_compiled(header)
    import numpy as np
    np.testing.assert_allclose(loaded.predict_proba(corpus[-30:]), small_model.predict_proba(corpus[-30:]), atol=1e-12)


def test_scoring_does_not_import_scikit_learn():
    code = ("import io, sys; from cs_classifier.cli import main; "
            f"main(['score', {str(EXAMPLES)!r}, '--quiet', '--jobs', '1'], stdout=io.StringIO()); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_tampered_compiled_weights_are_refused(tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(default_model_path().parent, bundle)
    npz = bundle / "cs-classifier.npz"
    data = bytearray(npz.read_bytes())
    data[len(data) // 2] ^= 0xFF
    npz.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError):
        load_model(bundle / "cs-classifier.json")


def test_compiled_header_holds_no_pickle():
    header = json.loads(default_model_path().with_suffix(".json").read_text("utf-8"))
    assert header["format"] == "cs-classifier-compiled/1"
    import numpy as np
    with np.load(default_model_path().with_suffix(".npz"), allow_pickle=False) as data:
        assert set(data.files) >= {"coef", "intercept"}


def test_compiled_scores_match_with_every_feature_block(corpus, tmp_path):
    # Every feature block a design may use must score the same without scikit-learn.
    import numpy as np

    from cs_classifier import ChatModel, TurnFeaturizer
    from cs_classifier.compiled import save_compiled
    from cs_classifier.corpus import split_corpus

    train, test = split_corpus(corpus)
    model = ChatModel(featurizer=TurnFeaturizer(words=True, chars=False, question_words=True, qa_pairs=True,
                                                reply_fit=True, reaction_fit=True), promise_reports=True,
                      report_precision=0.6).fit(train[:160])
    features = model.pipeline_.named_steps["features"]
    assert {"q", "p"} <= set(features.vectorizers_)
    assert {"reply_misfits_question", "customer_reacts_unanswered"} <= set(features.cue_names_)
    assert model.promise_report_scorer_ is not None
    compiled = load_compiled(save_compiled(compile_model(model), tmp_path / "m.json")[0])
    sample = test[:40] + train[:160]  # the training chats, where the report model surely fires somewhere
    np.testing.assert_allclose(compiled.predict_proba(sample), model.predict_proba(sample), atol=1e-12)
    assert [a.to_dict() for a in compiled.analyze_many(sample)] == [a.to_dict() for a in model.analyze_many(sample)]
    assert any(compiled._views([t])[0].modelled_promise_reports for t in sample)
    # the fit model's weights are hashed buckets: numbers in the .npz, no words in the header
    assert set(compiled.header["reply_fit"]) == {"intercept", "max_question", "max_reply"}
