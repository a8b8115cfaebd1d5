"""`diemtin eval`: summarise every cluster of a cluster JSONL (or read summaries made elsewhere)
and score them with the ROUGE protocol of EVALUATION.md."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from diemtin.errors import DiemtinError
from diemtin.evaluate.rouge import METRICS, file_budget, score_summary
from diemtin.ingest.readers import iter_jsonl, read_sources
from diemtin.parallel import Engine
from diemtin.summarizer import get_summarizer, summarize_clusters
from diemtin.types import Problem


@dataclass(slots=True)
class EvalReport:
    file: str
    system: str
    clusters: int
    budget: int
    scores: dict[str, dict[str, float]]  # metric -> precision/recall/f1, in percent
    per_cluster: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_dict(self, with_clusters: bool = False) -> dict:
        data = asdict(self)
        if not with_clusters:
            data.pop("per_cluster")
        return data

    def table(self) -> str:
        lines = [f"{self.file}: {self.clusters} clusters, system {self.system}, budget {self.budget} syllables"]
        lines.append(f"{'':8}{'P':>8}{'R':>8}{'F1':>8}")
        for metric in METRICS:
            s = self.scores[metric]
            lines.append(f"{metric:8}{s['precision']:8.2f}{s['recall']:8.2f}{s['f1']:8.2f}")
        return "\n".join(lines)


def read_summaries(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read ``{"id": cluster id, "summary": text}`` lines (``sentences`` with ``text`` also accepted)."""
    summaries, problems = {}, []
    if not path.exists():
        raise DiemtinError(f"{path}: no such summaries file")
    for item in iter_jsonl(path):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        number, obj = item
        text = obj.get("summary")
        if text is None and isinstance(obj.get("sentences"), list):
            text = "\n".join(s.get("text", "") for s in obj["sentences"] if isinstance(s, dict))
        if "id" not in obj or not isinstance(text, str):
            problems.append(Problem(str(path), "expected {\"id\": ..., \"summary\": \"...\"}", number))
            continue
        summaries[str(obj["id"])] = text
    return summaries, problems


def evaluate_file(
    path: str | Path,
    system: str = "diemtin",
    summaries_path: str | Path | None = None,
    length: int | None = None,
    engine: Engine | None = None,
    progress: Callable | None = None,
) -> EvalReport:
    """Score ``system``'s summaries (or those in ``summaries_path``) of every cluster in ``path``.

    The budget B is the file's median reference length unless ``length`` is given; system
    summaries are cut after B syllables as the protocol says.
    """
    # Baselines are defined on the raw text; the product's method cleans it first.
    cleans = summaries_path is not None or get_summarizer(system).rules.clean_text
    batch = read_sources([path], clean=cleans)
    problems = [str(p) for p in batch.problems]
    clusters = [c for c in batch.clusters if c.references]
    if not clusters:
        raise DiemtinError(f"{path}: no cluster with human summaries to score against (cluster JSONL expected)")
    dropped = len(batch.clusters) - len(clusters)
    if dropped:
        problems.append(f"{path}: {dropped} clusters have no human summaries and are not scored")
    budget = length or file_budget([c.references for c in clusters])
    if summaries_path is not None:
        given, summary_problems = read_summaries(Path(summaries_path))
        problems += [str(p) for p in summary_problems]
        missing = [c.id for c in clusters if c.id not in given]
        if missing:
            problems.append(f"{summaries_path}: no summary for {len(missing)} clusters (scored as empty), e.g. {missing[0]}")
        texts = [given.get(c.id, "") for c in clusters]
        system = Path(summaries_path).name
    else:
        made = summarize_clusters(clusters, length=budget, method=system, engine=engine)
        if progress is not None:
            made = progress(made, total=len(clusters))
        texts = [s.text for s in made]
    per_cluster, collected = [], []
    for cluster, text in zip(clusters, texts):
        scores = score_summary(text, cluster.references, budget)
        collected.append(scores)
        per_cluster.append({"id": cluster.id, **{m: round(100 * scores[m].f1, 2) for m in METRICS}})
    averaged = {
        m: {
            "precision": round(100 * statistics.fmean(s[m].precision for s in collected), 2),
            "recall": round(100 * statistics.fmean(s[m].recall for s in collected), 2),
            "f1": round(100 * statistics.fmean(s[m].f1 for s in collected), 2),
        }
        for m in METRICS
    }
    return EvalReport(str(path), system, len(clusters), budget, averaged, per_cluster, problems)
