"""The estimator API, the train-then-load round trip and model integrity."""
import json
import shutil

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from cs_classifier import (LABELS, ChatModel, ModelIntegrityError, MultiLabelClassifier, Segmenter, TurnFeaturizer,
                           load_model, save_model, turn_contexts)
from cs_classifier.corpus import split_corpus


def test_sklearn_estimator_conventions(small_model, corpus):
    _, test = split_corpus(corpus)
    P = small_model.predict_proba(test[:20])
    assert P.shape == (20, len(LABELS)) and np.all((P >= 0) & (P <= 1))
    assert set(np.unique(small_model.predict(test[:20]))) <= {0, 1}
    assert set(small_model.thresholds_) == set(LABELS)
    params = small_model.get_params()
    assert "threshold_beta" in params and "featurizer" in params
    unfitted = clone(small_model)
    assert not hasattr(unfitted, "pipeline_")


def test_featurizer_and_classifier_compose_in_a_pipeline(corpus):
    train, _ = split_corpus(corpus)
    contexts = turn_contexts(train[:60], Segmenter())
    Y = np.array([[label in t.labels.turns.get(i, []) for label in LABELS]
                  for t in train[:60] for i in t.agent_turns()], dtype=int)
    pipe = Pipeline([("features", TurnFeaturizer(chars=False)), ("clf", MultiLabelClassifier(calibration=None))])
    pipe.fit(contexts, Y)
    assert pipe.predict_proba(contexts).shape == (len(contexts), len(LABELS))
    names = pipe.named_steps["features"].get_feature_names_out()
    assert any(n.startswith("w:") for n in names) and any(n.startswith("cue:") for n in names)


def test_train_save_load_round_trip(tmp_path, small_model, corpus):
    path = save_model(small_model, tmp_path / "m.joblib")
    loaded = load_model(path)
    _, test = split_corpus(corpus)
    np.testing.assert_allclose(loaded.predict_proba(test[:15]), small_model.predict_proba(test[:15]))
    a = small_model.analyze(test[0]).to_dict()
    b = loaded.analyze(test[0]).to_dict()
    assert a == b


def test_modified_model_file_is_refused(tmp_path, small_model):
    path = save_model(small_model, tmp_path / "m.joblib")
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="does not match the manifest"):
        load_model(path)


def test_model_without_manifest_is_refused_unless_trusted(tmp_path, small_model):
    path = save_model(small_model, tmp_path / "a" / "m.joblib")
    lone = tmp_path / "b" / "m.joblib"
    lone.parent.mkdir()
    shutil.copy(path, lone)
    with pytest.raises(ModelIntegrityError, match="no manifest.json"):
        load_model(lone)
    assert load_model(lone, trusted=True).thresholds_ == small_model.thresholds_


def test_shipped_model_matches_manifest_and_card(shipped_model, root):
    manifest = json.loads((root / "models" / "manifest.json").read_text("utf-8"))
    assert "cs-classifier.joblib" in manifest["files"]
    card = (root / "models" / "MODEL_CARD.md").read_text("utf-8")
    assert manifest["files"]["cs-classifier.joblib"]["train_sha256"] in card
    assert isinstance(shipped_model, ChatModel)


def test_customer_report_of_earlier_promise_gives_a_finding(shipped_model):
    from cs_classifier import Transcript
    t = Transcript.from_dict({"id": "r", "turns": [
        {"role": "customer", "text": "你们上周说三天内退款，现在一个星期了还没到账"},
        {"role": "agent", "text": "亲，这边帮您查询一下"},
        {"role": "agent", "text": "亲，您的退款已经在处理中了呢"}]})
    record = shipped_model.analyze(t).to_dict()
    bp = [f for f in record["findings"] if f["label"] == "broken_promise"]
    assert bp and 0 in bp[0]["turns"]
