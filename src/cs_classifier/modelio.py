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


def save_model(model: Any, path: str | os.PathLike[str], metadata: dict[str, Any] | None = None) -> Path:
    """Write ``model`` with joblib and record its SHA-256 in ``manifest.json`` beside it."""
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    joblib.dump(model, tmp, compress=3)
    os.replace(tmp, path)
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
    return path


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


def load_model(path: str | os.PathLike[str] | None = None, trusted: bool = False) -> Any:
    """Load a model (the shipped one when ``path`` is None) after checking its SHA-256 manifest."""
    import joblib

    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: {path}")
    if not trusted:
        verify_model_file(path)
    return joblib.load(path)
