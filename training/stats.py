"""Corpus statistics per split: what a dataset covers and how much it repeats itself.

Label counts show imbalance, province coverage shows which of the 31 provinces the model has
ever seen, the ZWNJ and Arabic-letter shares show how close the text is to real news (which
often lacks ZWNJ and uses Arabic «ي/ك»), and the repeated 8-gram share is a sameness check:
a generated corpus whose documents share long word sequences teaches templates, not language.

Usage: ``python -m training.stats data/train.jsonl data/dev.jsonl data/test.jsonl [--json]``
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Sequence

from persian_export_ner.labels import ENTITY_LABELS, RELATION_LABELS
from persian_export_ner.text import ZWNJ, normalize_text

NGRAM = 8
N_PROVINCES = 31
_WORD = re.compile(r"\w+")


def split_stats(docs: Sequence[dict], canonical_province: Callable[[str], str] | None = None,
                canonical_country: Callable[[str], str] | None = None) -> dict[str, Any]:
    """The numbers for one split (everything but cross-split overlap)."""
    province = canonical_province or _province_key
    country = canonical_country or _country_key
    entities = Counter({label: 0 for label in ENTITY_LABELS})
    relations = Counter({label: 0 for label in RELATION_LABELS})
    provinces, products, countries = set(), set(), set()
    for doc in docs:
        for ent in doc["entities"]:
            entities[ent["label"]] += 1
            if ent["label"] == "PROVINCE":
                provinces.add(province(ent["text"]))
            elif ent["label"] == "PRODUCT":
                products.add(_surface(ent["text"]))
            elif ent["label"] == "COUNTRY":
                countries.add(country(ent["text"]))
        relations.update(r["label"] for r in doc["relations"])
    n = len(docs)
    return {
        "documents": n,
        "entities": dict(entities),
        "relations": dict(relations),
        "provinces_covered": len(provinces),
        "provinces_total": N_PROVINCES,
        "distinct_products": len(products),
        "distinct_countries": len(countries),
        "share_without_zwnj": _share(docs, lambda t: ZWNJ not in t),
        "share_with_arabic_letters": _share(docs, lambda t: "\u064a" in t or "\u0643" in t),
        "repeated_8gram_share": repeated_ngram_share([d["text"] for d in docs]),
    }


def repeated_ngram_share(texts: Sequence[str], n: int = NGRAM) -> float:
    """Distinct word n-grams found in more than one text, over all distinct n-grams (0 if none)."""
    seen_in: Counter = Counter()
    for text in texts:
        seen_in.update(ngrams(text, n))
    if not seen_in:
        return 0.0
    return sum(1 for c in seen_in.values() if c > 1) / len(seen_in)


def ngrams(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    """Distinct word n-grams of the normalized text (so «ي» and «ی» spellings count as one)."""
    words = _WORD.findall(normalize_text(text))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def cross_split_overlap(splits: dict[str, Sequence[dict]], n: int = NGRAM) -> dict[str, float]:
    """Per split, the share of its distinct n-grams that also occur in another split (leak check)."""
    grams = {name: set().union(*(ngrams(d["text"], n) for d in docs)) for name, docs in splits.items()}
    out = {}
    for name, own in grams.items():
        others = set().union(*(g for other, g in grams.items() if other != name))
        out[name] = len(own & others) / len(own) if own else 0.0
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Print and return ``{split name: stats}`` plus ``"_overlap"`` between splits."""
    from training.corpus import load_documents

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    splits = {path.stem: load_documents(path) for path in args.files}
    province, country = _gazetteer_keys()
    result: dict[str, Any] = {name: split_stats(docs, province, country) for name, docs in splits.items()}
    result["_overlap"] = cross_split_overlap(splits) if len(splits) > 1 else {}
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_table(result))
    return result


def format_table(result: dict[str, Any]) -> str:
    names = [k for k in result if not k.startswith("_")]
    rows: list[tuple[str, list[str]]] = []
    first = result[names[0]] if names else {}
    for key, value in first.items():
        if isinstance(value, dict):
            for sub in value:
                rows.append((f"{key}.{sub}", [str(result[n][key].get(sub, 0)) for n in names]))
        else:
            rows.append((key, [_fmt(result[n][key]) for n in names]))
    if result.get("_overlap"):
        rows.append(("8grams_shared_with_other_splits", [_fmt(result["_overlap"].get(n, 0.0)) for n in names]))
    width = max([len(r[0]) for r in rows] + [10])
    col = max([len(n) + 2 for n in names] + [12])
    lines = [" " * width + "".join(f"{n:>{col}}" for n in names)]
    lines += [f"{label:<{width}}" + "".join(f"{v:>{col}}" for v in values) for label, values in rows]
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _share(docs: Sequence[dict], test: Callable[[str], bool]) -> float:
    return sum(1 for d in docs if test(d["text"])) / len(docs) if docs else 0.0


def _surface(text: str) -> str:
    """A surface key that ignores spelling noise: normalized letters, ZWNJ as space, one space."""
    return " ".join(normalize_text(text).replace(ZWNJ, " ").split())


def _province_key(text: str) -> str:
    return _surface(text).replace(" ", "")  # «خراسان‌رضوی» and «خراسان رضوی» are one province


_country_key = _surface


def _gazetteer_keys() -> tuple[Callable[[str], str] | None, Callable[[str], str] | None]:
    """Canonical names from the gazetteer when it exists; surface forms otherwise."""
    try:
        from persian_export_ner.gazetteer import lookup_country, lookup_province
    except ImportError:
        return None, None

    def via(lookup: Callable[[str], dict | None], fallback: Callable[[str], str]) -> Callable[[str], str]:
        def key(text: str) -> str:
            hit = lookup(text)
            return hit["name"] if hit else fallback(text)

        return key

    return via(lookup_province, _province_key), via(lookup_country, _country_key)


if __name__ == "__main__":
    main()
