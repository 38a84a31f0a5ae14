"""A self-contained right-to-left HTML page showing what was extracted, for a human check.

People trust a facts table only after seeing, in the article itself, what the model marked;
so the page shows the text with entities coloured by label, normalized values on hover, and
the relations and facts beside it. No scripts or external assets: it opens anywhere.
"""
from __future__ import annotations

import html
import json
from typing import Iterable

from .labels import ENTITY_LABELS
from .types import Extraction

COLORS = {
    "PROVINCE": "#ffd6a5",
    "OFFICIAL": "#e0c3fc",
    "MONEY": "#b9fbc0",
    "QUANTITY": "#a0c4ff",
    "PERCENT": "#fdffb6",
    "COUNTRY": "#ffadad",
    "PRODUCT": "#9bf6ff",
    "PERIOD": "#ffc6ff",
}

_CSS = """
body{font-family:Vazirmatn,Tahoma,"Noto Naskh Arabic",sans-serif;margin:2em;line-height:2.1;background:#fafafa}
article{background:#fff;padding:1.5em;border-radius:8px;box-shadow:0 1px 4px #0002;white-space:pre-wrap}
mark{padding:.1em .3em;border-radius:4px;cursor:help;unicode-bidi:isolate}
mark sub{font-size:.6em;font-family:monospace;opacity:.7;margin-inline-start:.2em}
table{border-collapse:collapse;margin-top:1em;background:#fff}td,th{border:1px solid #ccc;padding:.2em .6em}
.legend span{display:inline-block;padding:0 .5em;margin:.2em;border-radius:4px}
""" + "".join(f"mark.{lab}{{background:{col}}}.legend .{lab}{{background:{col}}}" for lab, col in COLORS.items())


def _marked_text(ex: Extraction) -> str:
    parts: list[str] = []
    pos = 0
    for ent in sorted(ex.entities, key=lambda e: e.start):
        parts.append(html.escape(ex.text[pos : ent.start]))
        title = f"{ent.label} ({ent.id}, score {ent.score:.2f})"
        if ent.value:
            title += "\n" + json.dumps(ent.value, ensure_ascii=False)
        parts.append(
            f'<mark class="{ent.label}" id="{ent.id}" title="{html.escape(title)}">'
            f"{html.escape(ent.text)}<sub>{ent.label}</sub></mark>"
        )
        pos = ent.end
    parts.append(html.escape(ex.text[pos:]))
    return "".join(parts)


def _relations_table(ex: Extraction) -> str:
    if not ex.relations:
        return "<p>No relations.</p>"
    rows = []
    for rel in ex.relations:
        head, tail = ex.entity(rel.head), ex.entity(rel.tail)
        rows.append(
            f'<tr><td><a href="#{head.id}">{html.escape(head.text)}</a></td><td>{rel.label}</td>'
            f'<td><a href="#{tail.id}">{html.escape(tail.text)}</a></td><td>{rel.score:.2f}</td></tr>'
        )
    return "<table><tr><th>value</th><th>relation</th><th>about</th><th>score</th></tr>" + "".join(rows) + "</table>"


def _facts_table(ex: Extraction) -> str:
    if not ex.facts:
        return ""
    cols = ("text", "flow", "amount", "currency", "unit", "province", "period", "period_start", "period_end", "countries", "products")
    head = "".join(f"<th>{c}</th>" for c in cols)
    rows = []
    for f in ex.facts:
        cells = []
        for c in cols:
            v = f.get(c)
            v = "، ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
            cells.append(f"<td>{html.escape(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<h2>Facts</h2><table><tr>{head}</tr>{''.join(rows)}</table>"


def render_html(extractions: Iterable[Extraction], title: str = "persian-export-ner") -> str:
    """One HTML page (``<html dir="rtl">``) for one or more extractions."""
    legend = "".join(f'<span class="{lab}">{lab}</span>' for lab in ENTITY_LABELS)
    body = []
    for i, ex in enumerate(extractions, 1):
        pub = f" · published {ex.published} ({ex.published_source})" if ex.published else ""
        body.append(
            f"<section><h2>Document {i}{html.escape(pub)}</h2><article>{_marked_text(ex)}</article>"
            f"<h2>Relations</h2>{_relations_table(ex)}{_facts_table(ex)}</section>"
        )
    return (
        f'<!DOCTYPE html>\n<html dir="rtl" lang="fa"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="legend">{legend}</p>{"".join(body)}</body></html>\n'
    )
