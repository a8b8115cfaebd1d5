"""diemtin (điểm tin): faithful, cited multi-document summaries of Vietnamese news.

The data flow: sources -> Article -> Story (cluster) -> Summary. ``summarize`` is the entry
point; heavy libraries (underthesea, scikit-learn) load on first use, not on import.
"""

from diemtin.config import DEFAULT_LENGTH
from diemtin.types import Article, Cluster, Problem, Sentence, Summary, SummarySentence

__version__ = "0.1.0"


def summarize(articles, length: int = DEFAULT_LENGTH, method: str = "diemtin") -> Summary:
    """Summarise articles about one event; see ``diemtin.summarizer.summarize``."""
    from diemtin.summarizer import summarize as _summarize  # noqa: PLC0415

    return _summarize(articles, length=length, method=method)


__all__ = ["Article", "Cluster", "Problem", "Sentence", "Summary", "SummarySentence", "summarize", "__version__"]
