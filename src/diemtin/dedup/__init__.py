"""Article -> duplicate groups: exact copies (same normalised text) and near copies (MinHash).

Outlets republish each other's articles, often with a new title, a changed first line or a
dropped caption. Exact copies are found by hashing the text's syllables; near copies by
MinHash over 5-syllable shingles with datasketch's LSH index (Broder 1997), then checked
against the Jaccard threshold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from diemtin.errors import DiemtinError
from diemtin.text.normalize import canonical_syllables
from diemtin.types import Article, DuplicateGroup

# Two articles sharing 80% of their 5-syllable shingles are the same text with small edits;
# same-event articles written separately share well under 30% (measured on the dev clusters).
NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE = 5
NUM_PERM = 64
MINHASH_SCHEME = "affine32"  # datasketch 2's default, named so stored hash values can be read back
# Very short texts give too few shingles for a meaningful Jaccard: only exact matching.
MIN_SHINGLES = 10


def _minhash_class():
    try:
        from datasketch import MinHash, MinHashLSH  # noqa: PLC0415
    except ImportError:
        raise DiemtinError("datasketch is missing: reinstall diemtin with  pip install diemtin") from None
    return MinHash, MinHashLSH


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    # datasketch draws the permutations from a fixed seed for every new MinHash (a fifth of
    # the cost of a lookup); they are the same each time, so they are drawn once and shared,
    # which also stores them once when the story state is pickled
    MinHash, _ = _minhash_class()
    return MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME).permutations


def _minhash(hashvalues: np.ndarray | None = None):
    MinHash, _ = _minhash_class()
    return MinHash(num_perm=NUM_PERM, hashvalues=hashvalues, permutations=_permutations(), scheme=MINHASH_SCHEME)


# A body shorter than this is no fingerprint: scraped video and photo pages carry only a byline
# ("G.T", "Anh Tú") as text, and 45 different articles of baomoi-2017 shared one such body.
MIN_BODY_SYLLABLES = 30


def _body(article: Article) -> list[str]:
    tokens = canonical_syllables(f"{article.sapo}\n{article.text}")
    if len(tokens) < MIN_BODY_SYLLABLES:  # too short to tell articles apart: the title counts too
        tokens = canonical_syllables(article.title) + tokens
    return tokens


def text_key(article: Article) -> str:
    """Hash of the article's lead and body syllables: equal for copies that differ in case,
    spacing or punctuation; short bodies include the title."""
    return _key(_body(article))


def _key(tokens: list[str]) -> str:
    return hashlib.blake2b(" ".join(tokens).encode(), digest_size=16).hexdigest()


def _shingles(tokens: list[str]) -> set[bytes]:
    return {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(max(len(tokens) - SHINGLE + 1, 0))}


@dataclass(slots=True)
class DuplicateIndex:
    """Exact and near-duplicate lookup that grows as articles arrive (kept in the story state)."""

    exact: dict[str, str]  # text key -> first article id
    lsh: object  # datasketch MinHashLSH over representative articles
    signatures: dict  # article id -> MinHash, to confirm LSH candidates
    threshold: float = NEAR_DUPLICATE_JACCARD

    @classmethod
    def new(cls, threshold: float = NEAR_DUPLICATE_JACCARD) -> DuplicateIndex:
        _, MinHashLSH = _minhash_class()
        return cls({}, MinHashLSH(threshold=threshold, num_perm=NUM_PERM), {}, threshold)

    def find_or_add(self, article: Article, fingerprint: Fingerprint | None = None) -> tuple[str | None, bool]:
        """The id of an earlier article this one duplicates (and whether exactly), else None; adds it.

        ``fingerprint``: the article's ``fingerprint``, when a worker has already computed it.
        """
        key, hashvalues = fingerprint or fingerprint_of(article)
        if key in self.exact:
            return self.exact[key], True
        self.exact[key] = article.id
        if hashvalues is None:
            return None, False
        signature = _minhash(hashvalues)
        best = max(self.lsh.query(signature), key=lambda o: signature.jaccard(self.signatures[o]), default=None)
        if best is not None and signature.jaccard(self.signatures[best]) >= self.threshold:
            return best, False
        self.lsh.insert(article.id, signature)
        self.signatures[article.id] = signature
        return None, False

    def forget(self, article_ids) -> None:
        """Drop these articles from the index: later articles are no longer matched with them
        (the batch pipeline forgets the articles of stories that can take no more)."""
        gone = set(article_ids)
        self.exact = {key: first for key, first in self.exact.items() if first not in gone}
        for article_id in gone & self.signatures.keys():
            self.lsh.remove(article_id)
            del self.signatures[article_id]


# An article's text key and MinHash values (None when too short for near matching). Computing
# them is most of the cost of duplicate detection (125 s of 35,423 articles), and needs no
# other article, so the batch pipeline computes them on its workers.
Fingerprint = tuple[str, "np.ndarray | None"]


def fingerprint_of(article: Article) -> Fingerprint:
    tokens = _body(article)
    key, grams = _key(tokens), _shingles(tokens)
    if len(grams) < MIN_SHINGLES:
        return key, None
    signature = _minhash()
    signature.update_batch(list(grams))
    return key, signature.hashvalues


def find_duplicates(articles: Sequence[Article], index: DuplicateIndex | None = None) -> dict[str, str]:
    """Map each duplicate article's id to the id of the first article it copies (its group's head).

    Articles that copy nothing are absent. LSH candidates are confirmed by the signatures'
    Jaccard estimate.
    """
    index = index or DuplicateIndex.new()
    head_of: dict[str, str] = {}
    for article in articles:
        other, _ = index.find_or_add(article)
        if other is not None:
            head_of[article.id] = head_of.get(other, other)
    return head_of


def duplicate_groups(articles: Sequence[Article], head_of: dict[str, str]) -> list[DuplicateGroup]:
    """Groups of two or more articles, in input order; ``exact`` when all bodies are identical."""
    members: dict[str, list[Article]] = {}
    for article in articles:
        members.setdefault(head_of.get(article.id, article.id), []).append(article)
    groups = []
    for group in members.values():
        if len(group) > 1:
            keys = {text_key(a) for a in group}
            groups.append(DuplicateGroup([a.id for a in group], exact=len(keys) == 1))
    return groups
