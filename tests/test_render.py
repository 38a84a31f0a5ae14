"""The HTML check page: right to left, self-contained, and really renders in a browser."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from persian_export_ner.render import render_html
from persian_export_ner.types import Entity, Extraction, Relation

EX = Extraction(
    text="صادرات قم <b> ۳۴۸ میلیون دلار",
    entities=(Entity("T1", 7, 9, "PROVINCE", "قم"), Entity("T2", 14, 29, "MONEY", "۳۴۸ میلیون دلار", 0.9, {"amount": 348e6, "currency": "USD"})),
    relations=(Relation("T2", "T1", "OF_PROVINCE", 0.8),),
)


def test_page_is_rtl_escapes_text_and_shows_values_on_hover():
    page = render_html([EX])
    assert '<html dir="rtl"' in page
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert "USD" in page and 'title="MONEY' in page
    assert "OF_PROVINCE" in page
    assert "<script" not in page and "http" not in page


@pytest.mark.slow
def test_page_renders_in_headless_chromium(tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    page = tmp_path / "page.html"
    page.write_text(render_html([EX]), encoding="utf-8")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=900,600", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert shot.stat().st_size > 1000
    out = os.environ.get("RENDER_SCREENSHOT")
    if out:
        shutil.copy(shot, out)
