"""The development tools (tools/), on small real inputs: they still run and write what diemtin loads."""

from __future__ import annotations

import numpy as np

from tests.conftest import SEEDS, VIMS, needs_shared


def test_build_frequencies_writes_counts_a_story_state_starts_from(tmp_path):
    from diemtin.cluster.represent import DocumentFrequencies, article_terms, hash_terms
    from diemtin.ingest import read_sources
    from tools.build_frequencies import main

    out = tmp_path / "frequencies.npz"
    assert main([str(SEEDS), "--out", str(out), "--jobs", "1"]) == 0
    frequencies = DocumentFrequencies.new(out)
    assert frequencies.documents == 2
    articles = read_sources([SEEDS]).articles
    columns = np.unique(hash_terms([article_terms(articles[0])]).indices)
    assert frequencies.counts[columns].min() >= 1 and frequencies.counts.max() == 2


@needs_shared(VIMS)
def test_train_scorer_writes_a_model_the_summariser_loads_and_reports_held_out_figures(tmp_path, capsys):
    from diemtin.ingest import read_sources
    from diemtin.summarizer.model import load_scorer
    from diemtin.summarizer.prepare import prepare_cluster
    from diemtin.summarizer.summarizers import ConceptCoverageSummarizer
    from diemtin.types import Cluster
    from tools.train_scorer import main

    small = tmp_path / "small.jsonl"
    small.write_text("".join(VIMS.read_text(encoding="utf-8").splitlines(keepends=True)[:12]), encoding="utf-8")
    out = tmp_path / "scorer.joblib"
    assert main([str(small), "--out", str(out), "--jobs", "1"]) == 0
    scorer = load_scorer(out)
    assert scorer.trained_on == ["small.jsonl"]
    cluster = read_sources([small]).clusters[0]
    chosen = ConceptCoverageSummarizer(out).choose_many([prepare_cluster(Cluster("c", cluster.articles))], 100)
    assert chosen[0]
    assert main([str(small), "--cv", "2", "--jobs", "1"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("small.jsonl: held-out 2-fold F1 rouge1") and "rouge2" in line
