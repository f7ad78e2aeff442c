"""Saving and loading models with a SHA-256 manifest checked before anything is unpickled."""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_FILENAME = "cs-classifier.joblib"
COMPILED_FILENAME = "cs-classifier.json"
MANIFEST_FILENAME = "manifest.json"


class ModelIntegrityError(RuntimeError):
    """A model file does not match its manifest, or has none: refused unless trusted."""


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_model_path() -> Path:
    """The shipped model: inside the installed package, else ``models/`` of a source checkout."""
    packaged = resources.files("cs_classifier").joinpath("models", MODEL_FILENAME)
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "models" / MODEL_FILENAME
    return checkout


def save_model(model: Any, path: str | os.PathLike[str], metadata: dict[str, Any] | None = None,
               compiled: bool = False) -> Path:
    """Write ``model`` with joblib and record its SHA-256 in ``manifest.json`` beside it.

    With ``compiled=True`` the numpy form (``.json`` + ``.npz``, no pickle) is written beside it too.
    """
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    joblib.dump(model, tmp, compress=3)
    os.replace(tmp, path)
    _record(path, metadata)
    if compiled:
        from .compiled import compile_model, save_compiled

        for written in save_compiled(compile_model(model), path.with_suffix(".json")):
            _record(written, metadata)
    return path


def _record(path: Path, metadata: dict[str, Any] | None) -> None:
    manifest_path = path.parent / MANIFEST_FILENAME
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except ValueError:
            manifest = {}
    files = manifest.setdefault("files", {})
    files[path.name] = {"sha256": sha256_file(path), "bytes": path.stat().st_size,
                        "written": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                        **(metadata or {})}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")


def verify_model_file(path: str | os.PathLike[str]) -> None:
    """Raise ModelIntegrityError unless ``path``'s SHA-256 matches the manifest beside it."""
    path = Path(path)
    manifest_path = path.parent / MANIFEST_FILENAME
    if not manifest_path.is_file():
        raise ModelIntegrityError(f"no {MANIFEST_FILENAME} beside {path}: refusing to unpickle an unverified model "
                                  "(pass trusted=True / --trust-model if you trust this file)")
    try:
        entry = json.loads(manifest_path.read_text("utf-8"))["files"][path.name]
        expected = entry["sha256"]
    except (ValueError, KeyError, TypeError):
        raise ModelIntegrityError(f"{manifest_path} has no SHA-256 for {path.name}") from None
    actual = sha256_file(path)
    if actual != expected:
        raise ModelIntegrityError(f"{path} SHA-256 {actual} does not match the manifest ({expected}): the file was "
                                  "modified or replaced; refusing to load it")


def load_model(path: str | os.PathLike[str] | None = None, trusted: bool = False, fast: bool = False) -> Any:
    """Load a model (the shipped one when ``path`` is None) after checking its SHA-256 manifest.

    A ``.joblib`` path gives the scikit-learn ``ChatModel`` (fit, predict_proba, analyze); a
    ``.json`` path, or ``fast=True`` with no path, gives the ``CompiledModel``: the same scores and
    evidence from numpy arrays, without importing scikit-learn and without unpickling anything.
    """
    explicit = path is not None
    path = Path(path) if explicit else default_model_path()
    if fast and not explicit and path.with_suffix(".json").is_file():
        path = path.with_suffix(".json")
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: {path}")
    if path.suffix == ".json":
        if not trusted:
            verify_model_file(path)
            verify_model_file(path.with_suffix(".npz"))
        from .compiled import load_compiled

        return load_compiled(path)
    if not trusted:
        verify_model_file(path)
    import joblib

    return joblib.load(path)
