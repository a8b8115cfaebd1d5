import json
import random

import pytest

from diemtin.evaluate.rouge import file_budget, lcs_length, score_summary, score_tokens
from diemtin.evaluate.summaries import evaluate_file
from tests.conftest import ABMUSU, VIMS, needs_shared


def _table_lcs(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def test_bit_parallel_lcs_equals_the_textbook_table():
    rng = random.Random(7)
    words = "hà nội mùa thu cây cơm nguội vàng".split()
    for _ in range(300):
        a = [rng.choice(words) for _ in range(rng.randint(0, 70))]
        b = [rng.choice(words) for _ in range(rng.randint(0, 70))]
        assert lcs_length(a, b) == _table_lcs(a, b)


def test_vietnamese_tokens_count_and_unicode_forms_match():
    nfd = "Ha\u0300 No\u0302\u0323i"
    scores = score_summary(f"{nfd} mưa to", ["Hà Nội mưa rất to"], budget=None)
    assert scores["rouge1"].precision == 1.0 and scores["rouge1"].recall == pytest.approx(4 / 5)
    assert scores["rouge2"].precision == pytest.approx(2 / 3)


def test_budget_cuts_the_system_summary_and_empty_scores_zero():
    cut = score_summary("một hai ba bốn năm", ["một hai"], budget=2)
    assert cut["rouge1"].f1 == 1.0
    assert score_tokens([], ["một"])["rougeL"].f1 == 0.0


@pytest.mark.parametrize(
    "path, expected",
    [(VIMS, (48.73, 32.36, 30.19)), (ABMUSU, (48.86, 32.66, 31.85))],
)
def test_lead_rr_summaries_reproduce_evaluation_md(path, expected):
    if not path.exists():
        pytest.skip("../shared/data missing")
    report = evaluate_file(path, summaries_path=path.with_name(path.stem + ".lead-rr.summaries.jsonl"))
    got = tuple(report.scores[m]["f1"] for m in ("rouge1", "rouge2", "rougeL"))
    assert got == pytest.approx(expected, abs=0.01)
    assert report.budget == {"vims-dev": 230, "abmusu-train": 200}[path.stem]


@needs_shared(ABMUSU)
def test_our_lead_rr_baseline_reproduces_the_published_row():
    report = evaluate_file(ABMUSU, system="lead-rr")
    got = tuple(report.scores[m]["f1"] for m in ("rouge1", "rouge2", "rougeL"))
    assert got == pytest.approx((48.86, 32.66, 31.85), abs=0.01)


@needs_shared(VIMS)
def test_file_budget_is_the_median_reference_length():
    refs = [json.loads(line)["summaries"] for line in VIMS.open(encoding="utf-8")]
    assert file_budget(refs) == 230
