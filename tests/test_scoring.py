"""Scores match seqeval's strict mode and count relations only on exact spans."""
import pytest

from persian_export_ner.scoring import score

TEXT = "صادرات قم در سال ۱۴۰۱ به ۳۴۸ میلیون دلار رسید."
QOM = {"id": "T1", "start": 7, "end": 9, "label": "PROVINCE"}
YEAR = {"id": "T2", "start": 13, "end": 21, "label": "PERIOD"}
MONEY = {"id": "T3", "start": 25, "end": 40, "label": "MONEY"}
GOLD = {"text": TEXT, "entities": [QOM, YEAR, MONEY], "relations": [{"head": "T3", "tail": "T1", "label": "OF_PROVINCE"}]}


def test_perfect_prediction_scores_one():
    s = score([GOLD], [GOLD])
    assert s["entities"]["micro"]["f1"] == 1.0
    assert s["relations"]["micro"]["f1"] == 1.0


def test_a_boundary_error_counts_as_both_a_false_positive_and_a_false_negative():
    short = dict(MONEY, end=36)
    s = score([GOLD], [{"text": TEXT, "entities": [QOM, YEAR, short], "relations": []}])
    assert s["entities"]["per_label"]["MONEY"]["precision"] == 0.0
    assert s["entities"]["micro"]["precision"] == pytest.approx(2 / 3)


def test_relation_counts_only_when_both_spans_are_exact():
    moved = dict(QOM, start=6)
    pred = {"text": TEXT, "entities": [moved, YEAR, MONEY], "relations": GOLD["relations"]}
    assert score([GOLD], [pred])["relations"]["micro"]["f1"] == 0.0


def test_mismatched_document_counts_are_rejected():
    with pytest.raises(ValueError, match="predictions"):
        score([GOLD], [])
