"""persian-export-ner: entities, relations and facts from Persian export news.

>>> from persian_export_ner import extract
>>> result = extract("صادرات استان قم در سال ۱۴۰۱ به ۳۴۸ میلیون دلار رسید")  # doctest: +SKIP
>>> [(e.label, e.text) for e in result.entities]  # doctest: +SKIP

Heavy modules (torch, transformers) load on first use, not at import.
"""
from .api import Extractor, extract, extract_batch, load
from .types import Entity, Extraction, Relation

__all__ = [
    "Entity",
    "Extraction",
    "Extractor",
    "Relation",
    "extract",
    "extract_batch",
    "load",
    "parse_value",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    # parse_value pulls in the number and calendar grammars; keep `import persian_export_ner` light.
    if name == "parse_value":
        from .values import parse_value

        return parse_value
    raise AttributeError(name)
