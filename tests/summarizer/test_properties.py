"""Property-based tests (hypothesis) of the summariser: stories made of real Vietnamese news
paragraphs (the seeds and the hand-checked facts articles), shuffled and recombined."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diemtin import Article, summarize
from diemtin.ingest import read_sources
from diemtin.text.sentences import article_sentences
from diemtin.text.normalize import syllables
from tests.conftest import ROOT, SEEDS


@lru_cache(maxsize=1)
def _paragraphs() -> list[str]:
    articles = read_sources([SEEDS, ROOT / "tests" / "data" / "facts" / "articles.jsonl"]).articles
    return [p for a in articles for p in a.text.split("\n") if len(syllables(p)) >= 5]


@st.composite
def stories(draw) -> list[Article]:
    pool = _paragraphs()
    count = draw(st.integers(min_value=1, max_value=5))
    articles = []
    for number in range(count):
        picked = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6))
        title = draw(st.sampled_from(pool))[:80] if draw(st.booleans()) else ""
        articles.append(Article(f"a{number}", title, "\n".join(picked), source=f"báo {number % 3}"))
    return articles


# Found by a random run: no sentence of the first article fits 6 syllables, the second
# article's one sentence does, and `opening` read only the first article.
_ONLY_THE_SECOND_FITS = [
    Article("a0", "", "Báo điện tử The Kyiv Independent đưa tin, phát biểu tại cuộc họp báo chung sau cuộc gặp "
                      "với Tổng thống Ukraine Volodymyr Zelensky, ông Rutte nói NATO sẽ tiếp tục ủng hộ Ukraine."),
    Article("a1", "", "Ngân hàng đề xuất giữ lại"),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories(), st.integers(min_value=1, max_value=400), st.sampled_from(["diemtin", "opening"]))
@example(_ONLY_THE_SECOND_FITS, 6, "opening")
def test_summaries_stay_within_the_budget_and_only_copy_source_sentences(articles, length, method):
    summary = summarize(articles, length=length, method=method)
    assert len(syllables(summary.text)) <= length
    sentences = {a.id: article_sentences(a) for a in articles}
    cited = [(s.article_id, s.sentence_index) for s in summary.sentences]
    assert len(cited) == len(set(cited))  # no sentence twice
    for sentence in summary.sentences:
        assert sentences[sentence.article_id][sentence.sentence_index].text == sentence.text
    # a story with a sentence that fits the budget never gets an empty summary
    shortest = min(len(syllables(s.text)) for ss in sentences.values() for s in ss)
    assert summary.sentences or shortest > length


def test_summaries_do_not_depend_on_the_process_hash_seed():
    # Seven baomoi-2017 instalments of one serial; two carry one sentence that differs only in
    # a date, so the choice between them is a near-tie. With a plain float sum over a set of
    # bigrams its outcome followed the string hash seed (2 of 16 seeds chose the other one), and
    # a Dask worker and a local worker gave different summaries.
    import subprocess
    import sys
    from pathlib import Path

    story = Path(__file__).parents[1] / "data" / "batch" / "near-tie-story.jsonl"
    code = ("import sys; from diemtin.ingest import read_sources; from diemtin.pipeline import story_summaries; "
            "from diemtin.types import Cluster; a = read_sources([sys.argv[1]]).articles; "
            "print(story_summaries([Cluster('s', a)], [len(a)])[0].text)")
    outputs = set()
    for seed in ("10", "16"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code, str(story)], capture_output=True, text=True, env=env,
                              check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1 and "Tuyết" in outputs.pop()
