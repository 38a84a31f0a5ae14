"""The neural backend: joint token classifier + relation head over a BERT-family encoder.

Importing this package is cheap; torch and transformers load when ``NeuralExtractor`` is used.
"""
from __future__ import annotations

from typing import Any

__all__ = ["NeuralExtractor"]


def __getattr__(name: str) -> Any:
    if name == "NeuralExtractor":
        from persian_export_ner.neural.extractor import NeuralExtractor

        return NeuralExtractor
    raise AttributeError(name)
