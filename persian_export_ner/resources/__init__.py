"""Data files shipped with the library (gazetteers, units, calendars), loaded on first use.

Resources live as JSON next to this module so that they can be reviewed and extended
without touching code; loading is cached so that every caller shares one parsed copy, and
nothing is read at import time.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources as _importlib_resources
from typing import Any

__all__ = ["load_json", "resource_names"]


def load_json(name: str) -> Any:
    """Parse ``persian_export_ner/resources/<name>`` (``.json`` may be omitted), once per process.

    The returned object is shared between callers: treat it as read-only.
    """
    return _load(name if name.endswith(".json") else name + ".json")


@lru_cache(maxsize=None)
def _load(name: str) -> Any:
    path = _importlib_resources.files(__name__).joinpath(name)
    if not path.is_file():
        raise FileNotFoundError(
            f"no resource {name!r} in persian_export_ner/resources; available: {', '.join(resource_names())}"
        )
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def resource_names() -> list[str]:
    """File names of the JSON resources that ship with the package."""
    root = _importlib_resources.files(__name__)
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".json"))
