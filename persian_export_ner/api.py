"""Loading an extractor and the module-level ``extract`` / ``extract_batch``.

Input checking lives here, once, in front of every backend: a wrong type fails with a message
that says what to pass instead, and empty or non-Persian text returns an empty result without
ever reaching a model.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Protocol, Sequence

from .types import Extraction

MODEL_ENV = "PERSIAN_EXPORT_NER_MODEL"
#: The shipped model, found beside the package in a clone or editable install.
SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models" / "persian-export-ner"
BACKENDS = ("auto", "neural", "rules")

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")


class Backend(Protocol):
    backend: str

    def extract(self, text: str, published: Any = None) -> Extraction: ...

    def extract_batch(self, texts: Sequence[str], published: Any = None, **kwargs: Any) -> list[Extraction]: ...


def default_model_path() -> Path:
    """``$PERSIAN_EXPORT_NER_MODEL`` if set, else the shipped model directory."""
    env = os.environ.get(MODEL_ENV)
    return Path(env) if env else SHIPPED_MODEL


def _check_text(text: Any, what: str = "text") -> str:
    if isinstance(text, bytes):
        raise TypeError(f"{what} must be str, got bytes: decode it first, e.g. {what}.decode('utf-8')")
    if not isinstance(text, str):
        raise TypeError(f"{what} must be str, got {type(text).__name__}")
    return text


def _needs_model(text: str) -> bool:
    """Empty, whitespace-only and non-Persian text has nothing to extract."""
    return bool(text.strip()) and _ARABIC_SCRIPT.search(text) is not None


def _empty(text: str, published: Any) -> Extraction:
    from .periods import parse_published

    date = parse_published(published)  # still validate the argument
    return Extraction(text=text, published=date.isoformat() if date else None,
                      published_source="argument" if date else None)


class Extractor:
    """A loaded backend behind the checked public interface."""

    def __init__(self, backend: Backend):
        self.backend = backend

    @property
    def name(self) -> str:
        return self.backend.backend

    def extract(self, text: str, published: Any = None) -> Extraction:
        """Entities, relations and facts of one document; offsets index ``text`` itself."""
        text = _check_text(text)
        if not _needs_model(text):
            return _empty(text, published)
        return self.backend.extract(text, published)

    def extract_batch(
        self, texts: Sequence[str], published: Any = None, batch_size: int = 32, **kwargs: Any
    ) -> list[Extraction]:
        """Like :meth:`extract` for many documents; ``published`` is one value or one per text."""
        if isinstance(texts, (str, bytes)):
            raise TypeError("extract_batch() takes a sequence of str; for one text call extract(text)")
        texts = [_check_text(t, f"texts[{i}]") for i, t in enumerate(texts)]
        if isinstance(published, (list, tuple)):
            if len(published) != len(texts):
                raise ValueError(f"{len(published)} published dates for {len(texts)} texts")
            pubs = list(published)
        else:
            pubs = [published] * len(texts)
        results: list[Extraction | None] = [None] * len(texts)
        todo = []
        for i, t in enumerate(texts):
            if _needs_model(t):
                todo.append(i)
            else:
                results[i] = _empty(t, pubs[i])
        if todo:
            done = self.backend.extract_batch(
                [texts[i] for i in todo], [pubs[i] for i in todo], batch_size=batch_size, **kwargs
            )
            for i, res in zip(todo, done):
                results[i] = res
        return results  # type: ignore[return-value]


def load(path: str | os.PathLike[str] | None = None, backend: str = "auto", device: str | None = None) -> Extractor:
    """Load an extractor.

    ``backend="auto"`` uses the neural model at ``path`` (default: the shipped model) and falls
    back to the rule baseline only when no path was given and no shipped model is installed.
    ``backend="rules"`` is the rule baseline; ``backend="neural"`` insists on a model.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if backend == "rules":
        from .rules import RuleExtractor

        return Extractor(RuleExtractor())
    model_dir = Path(path) if path is not None else default_model_path()
    if not (model_dir / "config.json").is_file():
        if backend == "auto" and path is None:
            import warnings

            warnings.warn(
                f"no model at {model_dir}; using the rule baseline. Set {MODEL_ENV} or pass a path.",
                stacklevel=2,
            )
            from .rules import RuleExtractor

            return Extractor(RuleExtractor())
        raise FileNotFoundError(
            f"no model directory at {model_dir} (expected config.json there); "
            f"pass load(path=...) or use load(backend='rules')"
        )
    from .neural import NeuralExtractor

    return Extractor(NeuralExtractor.from_pretrained(model_dir, device=device))


_DEFAULT: Extractor | None = None


def _default() -> Extractor:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT


def extract(text: str, published: Any = None) -> Extraction:
    """Extract from one document with the default (shipped) model, loaded once and cached."""
    return _default().extract(text, published)


def extract_batch(texts: Sequence[str], published: Any = None, batch_size: int = 32) -> list[Extraction]:
    """Extract from many documents with the default model."""
    return _default().extract_batch(texts, published, batch_size=batch_size)
