"""The CLI, run in-process through its functions and main()."""
import io
import json
from pathlib import Path

import pytest

from persian_export_ner.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_b9625e672687cab0.txt"


def test_extract_prints_json_for_a_seed_article(capsys):
    assert main(["extract", str(SEED), "--backend", "rules"]) == 0
    out = json.loads(capsys.readouterr().out)
    text = SEED.read_text(encoding="utf-8")
    assert out["text"] == text
    assert all(text[e["start"] : e["end"]] == e["text"] for e in out["entities"])


def test_extract_reads_a_jsonl_stream_and_writes_jsonl(tmp_path, capsys):
    src = tmp_path / "docs.jsonl"
    src.write_text(
        "\n".join(json.dumps({"id": f"d{i}", "text": "صادرات قم ۱۰ درصد رشد کرد."}, ensure_ascii=False) for i in range(3)),
        encoding="utf-8",
    )
    assert main(["extract", str(src), "--backend", "rules", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["d0", "d1", "d2"]


def test_facts_csv_loads_in_pandas(tmp_path):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "facts.csv"
    assert main(["extract", str(SEED), "--backend", "rules", "--format", "facts-csv", "-o", str(out)]) == 0
    frame = pd.read_csv(out)
    assert {"document", "amount", "currency", "province", "period_start", "flow"} <= set(frame.columns)
    assert len(frame) >= 1


def test_facts_parquet_needs_an_output_path(capsys):
    assert main(["extract", str(SEED), "--backend", "rules", "--format", "facts-parquet"]) == 2
    assert "--output" in capsys.readouterr().err


def test_malformed_jsonl_gives_a_clear_error_with_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "قم"}\n{not json\n', encoding="utf-8")
    assert main(["extract", str(bad), "--backend", "rules", "--format", "jsonl"]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err


def test_evaluate_prints_strict_scores_and_writes_reports(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    text = "صادرات قم در سال ۱۴۰۱ به ۳۴۸ میلیون دلار رسید."
    doc = {
        "id": "g1",
        "text": text,
        "entities": [
            {"id": "T1", "start": 7, "end": 9, "label": "PROVINCE", "text": "قم"},
            {"id": "T2", "start": 13, "end": 21, "label": "PERIOD", "text": "سال ۱۴۰۱"},
            {"id": "T3", "start": 25, "end": 40, "label": "MONEY", "text": "۳۴۸ میلیون دلار"},
        ],
        "relations": [{"head": "T3", "tail": "T1", "label": "OF_PROVINCE"}, {"head": "T3", "tail": "T2", "label": "IN_PERIOD"}],
    }
    gold.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    report = tmp_path / "rep" / "rules"
    assert main(["evaluate", str(gold), "--backend", "rules", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "micro" in out and "OF_PROVINCE" in out
    scores = json.loads(Path(str(report) + ".json").read_text())
    assert scores["entities"]["micro"]["f1"] == pytest.approx(1.0)
    assert Path(str(report) + ".md").is_file()


def test_render_writes_a_right_to_left_page(capsys):
    assert main(["render", str(SEED), "--backend", "rules"]) == 0
    page = capsys.readouterr().out
    assert '<html dir="rtl"' in page and "<mark" in page
