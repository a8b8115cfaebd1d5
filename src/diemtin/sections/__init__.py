"""Story -> its news section ("Kinh tế", "Pháp luật", ...): a linear classifier over syllables.

The model ships inside the package (``data/sections.joblib``), trained by
``python tools/train_sections.py`` on the ``category`` of abmusu-train's clusters: TF-IDF of
syllable unigrams and bigrams of each article's title, lead and text, and a linear SVM. A story
is classified by the sum of its articles' decision values, so every outlet's article votes.
Cross-validated accuracy and macro-F1 are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from diemtin.errors import DiemtinError
from diemtin.text.normalize import fold_diacritics
from diemtin.types import Article

DEFAULT_MODEL = Path(__file__).parent / "data" / "sections.joblib"
# The articles of a story read, and the characters of each: a section shows in the opening, and
# the cost of a story stays bounded however many or long its articles are.
MAX_ARTICLES = 20
MAX_CHARS = 4000


@dataclass(slots=True)
class SectionModel:
    vectorizer: object  # scikit-learn TfidfVectorizer
    classifier: object  # scikit-learn LinearSVC
    sections: list[str]
    trained_on: list[str]


def article_text(article: Article) -> str:
    """What the classifier reads of an article."""
    return " ".join(x for x in (article.title, article.sapo, article.text[:MAX_CHARS]) if x)


def section_slug(section: str) -> str:
    """The section's name as a URL path: "Khoa học - Công nghệ" -> "khoa-hoc-cong-nghe".

    >>> section_slug("Khoa học - Công nghệ"), section_slug("Đời sống")
    ('khoa-hoc-cong-nghe', 'doi-song')
    """
    return re.sub(r"[^a-z0-9]+", "-", fold_diacritics(section).lower()).strip("-")


def save_model(model: SectionModel, path: Path = DEFAULT_MODEL) -> None:
    import joblib  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({name: getattr(model, name) for name in SectionModel.__slots__}, path, compress=3)


@lru_cache(maxsize=2)
def load_model(path: Path = DEFAULT_MODEL) -> SectionModel:
    import joblib  # noqa: PLC0415

    if not Path(path).exists():
        raise DiemtinError(f"the section model {path} is missing; reinstall diemtin or train one with "
                           "python tools/train_sections.py")
    return SectionModel(**joblib.load(path))


def sections(path: Path = DEFAULT_MODEL) -> list[str]:
    """The sections the shipped model knows, in its order."""
    return list(load_model(path).sections)


def story_decisions(model: SectionModel, articles: Sequence[Article]):
    """The summed decision values of a story's articles, one per section (a NumPy row)."""
    texts = [article_text(a) for a in articles[:MAX_ARTICLES]]
    return model.classifier.decision_function(model.vectorizer.transform(texts)).sum(axis=0)


def classify_story(articles: Sequence[Article], path: Path = DEFAULT_MODEL) -> str | None:
    """The story's section, or None for a story with no text to read.

    >>> classify_story([Article("a", "Giá vàng hôm nay tăng mạnh",
    ...                         "Giá vàng SJC tăng 200.000 đồng mỗi lượng, lãi suất ngân hàng giữ nguyên.")])
    'Kinh tế'
    """
    if not any(article_text(a).strip() for a in articles):
        return None
    model = load_model(path)
    return model.sections[int(story_decisions(model, articles).argmax())]


__all__ = ["DEFAULT_MODEL", "SectionModel", "classify_story", "load_model", "save_model", "section_slug", "sections"]
