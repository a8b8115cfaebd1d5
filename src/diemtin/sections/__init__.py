"""Story -> its news section ("Kinh tế", "Pháp luật", ...): a linear classifier over syllables.

When half or more of a story's articles carry their outlet's own section (a feed's category,
a page's ``article:section``) that names one of ours ("Thể thao", "Kinh doanh", "Pháp luật";
``OUTLET_SECTIONS``), the most named one is the story's. Otherwise the model that ships inside
the package (``data/sections.joblib``) decides, trained by ``python tools/train_sections.py``
on the ``category`` of abmusu-train's clusters: TF-IDF of syllable unigrams and bigrams of each
article's title, lead and text, and a linear SVM. A story is classified by the sum of its
articles' decision values, so every outlet's article votes. Cross-validated accuracy and
macro-F1 are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import re
from collections import Counter
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


# Outlets' own section names (diacritics folded, lower case) -> ours. Vietnamese outlets name
# their sections much alike; a name not here leaves the story to the model.
OUTLET_SECTIONS = {
    "Văn hóa - Xã hội": ("thoi su", "xa hoi", "chinh tri", "van hoa", "nghe thuat", "dan sinh", "moi truong",
                         "van hoa - xa hoi", "van hoa xa hoi"),
    "Thế giới": ("the gioi", "quoc te"),
    "Kinh tế": ("kinh te", "kinh doanh", "tai chinh", "chung khoan", "bat dong san", "thi truong", "tieu dung",
                "doanh nghiep"),
    "Pháp luật": ("phap luat", "an ninh", "an ninh trat tu", "hinh su", "phap dinh", "ban doc - phap luat"),
    "Giải trí - Thể thao": ("the thao", "giai tri", "showbiz", "am nhac", "dien anh", "bong da", "sao",
                            "giai tri - the thao", "the thao - giai tri"),
    "Giáo dục": ("giao duc", "tuyen sinh", "du hoc", "giao duc - khuyen hoc"),
    "Khoa học - Công nghệ": ("khoa hoc", "cong nghe", "so hoa", "khoa hoc - cong nghe", "khoa hoc cong nghe",
                             "internet", "vien thong"),
    "Đời sống": ("doi song", "suc khoe", "gia dinh", "du lich", "am thuc", "song khoe", "nha dep"),
}
_OUTLET_SECTION = {name: ours for ours, names in OUTLET_SECTIONS.items() for name in names}


def outlet_section(name: str) -> str | None:
    """Our section for an outlet's own section name, or None. A feed's title or a breadcrumb is
    read part by part, so "VnExpress - Thể thao" and "Thể thao > Bóng đá" both give sport.

    >>> outlet_section("Kinh doanh"), outlet_section("VnExpress - Thể thao"), outlet_section("Tâm sự")
    ('Kinh tế', 'Giải trí - Thể thao', None)
    """
    folded = fold_diacritics(name or "").lower().strip()
    if not folded:
        return None
    if folded in _OUTLET_SECTION:
        return _OUTLET_SECTION[folded]
    for part in re.split(r"\s+[-|>»/]\s+|\s*[|>»/]\s*", folded):
        if part.strip() in _OUTLET_SECTION:
            return _OUTLET_SECTION[part.strip()]
    return None


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
    named = [s for s in (outlet_section(a.section) for a in articles[:MAX_ARTICLES]) if s]
    if named and 2 * len(named) >= min(len(articles), MAX_ARTICLES):
        return Counter(named).most_common(1)[0][0]
    model = load_model(path)
    return model.sections[int(story_decisions(model, articles).argmax())]


__all__ = ["DEFAULT_MODEL", "OUTLET_SECTIONS", "SectionModel", "classify_story", "load_model", "outlet_section",
           "save_model", "section_slug", "sections"]
