"""Sentence features for the learned scorer; each says something a news editor would look at.

All features are computed from the articles alone (never from reference summaries), per
cluster, and are comparable across clusters of different sizes. ``FEATURES`` names the
columns in order; docs/SUMMARIZER.md explains each one.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from diemtin.summarizer.prepare import PreparedCluster
from diemtin.text.normalize import syllables

FEATURES = (
    "position",  # rank of the sentence among its article's candidates of its part (sapo, body), capped at 30
    "relative_position",  # position / candidates in its article
    "is_lead",  # first candidate of its article's sapo or body
    "in_sapo",  # from the lead paragraph outlets print under the title
    "syllables",  # length
    "centroid_cosine",  # TF-IDF cosine to the cluster's centroid
    "title_cosine",  # cosine to the articles' titles (titles are never copied into summaries)
    "sapo_cosine",  # cosine to the sapo sentences of the other articles, 0 when none
    "max_other_cosine",  # best match among sentences of other articles
    "other_article_support",  # share of other articles with a sentence of cosine > 0.5
    "word_article_frequency",  # mean share of articles that use each of its words
    "bigram_support_any",  # share of its syllable bigrams found in any other article
    "bigram_support_mean",  # mean over other articles of the share of its bigrams they contain
    "has_quote",  # quotation marks: quotes are rarely in summaries but often in leads
    "digit_ratio",  # numbers: counts, dates, scores
    "capitalised_ratio",  # proper names
    "starts_with_connective",  # "Tuy nhiên", "Trong khi đó": needs the sentence before it
    "ends_open",  # ends with ':' or '?' or has no sentence-final punctuation
    "articles",  # articles in the cluster
    "article_candidates",  # candidates in its article
    "article_centrality",  # cosine of its article's centroid to the cluster centroid
    "centroid_rank_in_article",  # rank of centroid_cosine within its article, 0..1
    "centroid_rank_in_cluster",  # rank of centroid_cosine within the cluster, 0..1
    "lexrank",  # PageRank over the cosine graph of all candidates (Erkan & Radev 2004), times n
    "mean_other_cosine",  # mean cosine to the sentences of other articles
    "other_lead_cosine",  # best cosine to the first two candidates of other articles
    "paragraph",  # paragraph number in its article, capped at 30
    "first_in_paragraph",  # opens its paragraph
    "bigram_support_rank",  # rank of bigram_support_mean within the cluster, 0..1
    "max_other_rank",  # rank of max_other_cosine within the cluster, 0..1
    "title_rank",  # rank of title_cosine within the cluster, 0..1
    "word_frequency_rank",  # rank of word_article_frequency within the cluster, 0..1
    "lexrank_rank",  # rank of lexrank within the cluster, 0..1
)
LEXRANK_EDGE = 0.1
LEXRANK_DAMPING = 0.85

CONNECTIVES = (
    "tuy nhiên", "trong khi đó", "ngoài ra", "bên cạnh đó", "theo đó", "đồng thời", "do đó",
    "vì vậy", "vì thế", "do vậy", "mặt khác", "thêm vào đó", "trước đó", "sau đó", "cũng theo",
    "còn", "nhưng", "và", "hơn nữa", "cụ thể", "tuy vậy", "dù vậy", "như vậy", "ngoài ra",
)
_CONNECTIVE = re.compile(r"^(" + "|".join(CONNECTIVES) + r")\b", re.IGNORECASE)
# Subjects that point back to someone the sentence before named ("Ông này cho biết", "Họ đã").
REFERRING_SUBJECTS = ("ông này", "bà này", "anh này", "chị này", "cô này", "người này", "đối tượng này", "họ", "hắn",
                      "anh ta", "cô ta", "ông ta", "bà ta", "chị ta", "gã", "ông ấy", "bà ấy", "anh ấy", "chị ấy", "cô ấy")
_NEEDS_BEFORE = re.compile(r"^[\W_]*(?:" + "|".join(CONNECTIVES + REFERRING_SUBJECTS) + r")\b", re.IGNORECASE)


def needs_predecessor(text: str) -> bool:
    """A sentence that opens with a connective or a subject that refers back ("Tuy nhiên, ...",
    "Ông này cho biết ..."): it reads right only after the sentence before it."""
    return bool(_NEEDS_BEFORE.match(text))


_QUOTE = re.compile("[\"“”«»]")
SUPPORT_COSINE = 0.5
MAX_POSITION = 30


def _identity(words):
    return words


def _rank01(values: np.ndarray) -> np.ndarray:
    """Rank of each value, 0 for the largest and 1 for the smallest."""
    if len(values) <= 1:
        return np.zeros(len(values))
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks / (len(values) - 1)


def lexrank(edges: sparse.csr_matrix) -> np.ndarray:
    """Stationary distribution of a random walk on the sentence graph (``edges``: the pairs of
    cosine above ``LEXRANK_EDGE``, the diagonal included), scaled so the mean is 1."""
    n = edges.shape[0]
    degree = np.asarray(edges.sum(axis=1)).ravel()  # the diagonal keeps every row non-empty
    adjacency = (sparse.diags(1.0 / degree) @ edges.astype(float)).tocsr()
    rank = np.full(n, 1.0 / n)
    for _ in range(50):
        new = (1 - LEXRANK_DAMPING) / n + LEXRANK_DAMPING * adjacency.T @ rank
        if np.abs(new - rank).sum() < 1e-6:
            rank = new
            break
        rank = new
    # Sentences in the same place of the graph have equal ranks up to the last bits of the sums,
    # which depend on the order of summation (dense or sparse products, the BLAS build): rounded,
    # they tie exactly, and ``lexrank_rank`` orders ties by position, the same everywhere.
    return np.round(rank * n, 9)


def _bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:]))


# Rows of the sentence-by-sentence cosines computed at a time: what the features need of them
# is read block by block, so memory grows with the candidates, not with their square (a dense
# matrix of a 10 MB article's 50,000 sentences was 20 GB).
SIMILARITY_ROWS = 256


def _similarities(tfidf: sparse.csr_matrix, art: np.ndarray, sapo_mask: np.ndarray, lead_mask: np.ndarray,
                  n_articles: int) -> dict[str, np.ndarray | sparse.csr_matrix]:
    """What the features read of the candidates' cosines, by rows of ``SIMILARITY_ROWS``: for each
    candidate, its best cosine to another article's sapo sentences, to any sentence of another
    article, and to another article's first two candidates; its mean cosine to other articles'
    sentences; the share of other articles with a sentence above ``SUPPORT_COSINE``; and the
    LexRank edges (cosine above ``LEXRANK_EDGE``)."""
    n = tfidf.shape[0]
    found = {k: np.zeros(n) for k in ("sapo", "max_other", "support", "mean_other", "other_lead")}
    edges = []
    right = tfidf.T.tocsc()
    for start in range(0, n, SIMILARITY_ROWS):
        rows = slice(start, min(n, start + SIMILARITY_ROWS))
        sim = (tfidf[rows] @ right).toarray()
        other = art[rows, None] != art[None, :]
        other_sim = np.where(other, sim, 0.0)
        if sapo_mask.any():
            found["sapo"][rows] = np.where(other & sapo_mask[None, :], sim, 0.0).max(axis=1)
        if n_articles > 1:
            found["max_other"][rows] = other_sim.max(axis=1)
            for k, row in enumerate(other_sim):
                found["support"][start + k] = len(set(art[row > SUPPORT_COSINE])) / (n_articles - 1)
        found["mean_other"][rows] = other_sim.sum(axis=1) / np.maximum(other.sum(axis=1), 1)
        found["other_lead"][rows] = np.where(other & lead_mask[None, :], sim, 0.0).max(axis=1)
        edges.append(sparse.csr_matrix(sim > LEXRANK_EDGE))
    found["edges"] = sparse.vstack(edges, format="csr")
    return found


def cluster_features(prepared: PreparedCluster) -> np.ndarray:
    """The feature matrix of a prepared cluster: one row per candidate, columns as ``FEATURES``."""
    cands = prepared.candidates
    n = len(cands)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    n_articles = len(prepared.cluster.articles)
    art = np.array([c.article_index for c in cands])

    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2")
    docs = [c.words or c.syllables for c in cands]
    tfidf = vectorizer.fit_transform(docs)
    centroid = normalize(np.asarray(tfidf.mean(axis=0)))
    centroid_cos = np.asarray(tfidf @ centroid.T).ravel()

    titles = [w for w in prepared.title_words if w]
    title_cos = np.zeros(n)
    if titles:
        title_vec = normalize(np.asarray(vectorizer.transform([sum(titles, [])]).todense()))
        title_cos = np.asarray(tfidf @ title_vec.T).ravel()

    sapo_mask = np.array([c.sentence.in_sapo for c in cands])
    lead_mask = np.array([c.position < 2 for c in cands])
    similar = _similarities(tfidf, art, sapo_mask, lead_mask, n_articles)
    sapo_cos, max_other, support, mean_other, other_lead = (
        similar[k] for k in ("sapo", "max_other", "support", "mean_other", "other_lead"))

    # Share of articles using each word, and each article's syllable bigrams.
    article_words = [set() for _ in range(n_articles)]
    article_bigrams = [set() for _ in range(n_articles)]
    for c in cands:
        article_words[c.article_index].update(c.words or c.syllables)
        article_bigrams[c.article_index].update(_bigrams(c.syllables))
    word_af: dict[str, float] = {}
    for words in article_words:
        for w in words:
            word_af[w] = word_af.get(w, 0.0) + 1.0 / n_articles

    article_centroids = np.zeros((n_articles, centroid.shape[1]))
    for a in range(n_articles):
        rows = art == a
        if rows.any():
            article_centroids[a] = np.asarray(tfidf[rows].mean(axis=0)).ravel()
    article_centrality = (normalize(article_centroids) @ centroid.T).ravel()

    rank_in_article = np.zeros(n)
    for a in range(n_articles):
        rows = np.flatnonzero(art == a)
        rank_in_article[rows] = _rank01(centroid_cos[rows])
    rank_in_cluster = _rank01(centroid_cos)

    centrality = lexrank(similar["edges"])
    paragraph_start: dict[tuple[int, int], int] = {}
    for i, c in enumerate(cands):
        paragraph_start.setdefault((c.article_index, c.sentence.paragraph), i)

    X = np.zeros((n, len(FEATURES)))
    others_of = [[b for a, b in enumerate(article_bigrams) if a != own] for own in range(n_articles)]
    any_other_of = [set().union(*others) for others in others_of]
    for i, c in enumerate(cands):
        text = c.sentence.text
        words = c.words or c.syllables
        bigrams = _bigrams(c.syllables)
        others = others_of[c.article_index]
        if bigrams and others:
            any_other = any_other_of[c.article_index]
            bigram_any = len(bigrams & any_other) / len(bigrams)
            bigram_mean = float(np.mean([len(bigrams & b) / len(bigrams) for b in others]))
        else:
            bigram_any = bigram_mean = 0.0
        raw_tokens = text.split()
        X[i] = (
            min(c.position, MAX_POSITION),
            c.position / max(c.article_size, 1),
            float(c.position == 0),
            float(c.sentence.in_sapo),
            len(c.syllables),
            centroid_cos[i],
            title_cos[i],
            sapo_cos[i],
            max_other[i],
            support[i],
            float(np.mean([word_af[w] for w in words])) if words else 0.0,
            bigram_any,
            bigram_mean,
            float(bool(_QUOTE.search(text))),
            sum(t.isdigit() for t in c.syllables) / len(c.syllables),
            sum(t[:1].isupper() for t in raw_tokens) / max(len(raw_tokens), 1),
            float(bool(_CONNECTIVE.match(text))),
            float(text.rstrip()[-1:] in ":?" or text.rstrip()[-1:] not in ".!\"”…)"),
            n_articles,
            c.article_size,
            article_centrality[c.article_index],
            rank_in_article[i],
            rank_in_cluster[i],
            centrality[i],
            mean_other[i],
            other_lead[i],
            min(c.sentence.paragraph, MAX_POSITION),
            float(paragraph_start[(c.article_index, c.sentence.paragraph)] == i),
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
        )
    ranked = ("bigram_support_mean", "max_other_cosine", "title_cosine", "word_article_frequency", "lexrank")
    for source, target in zip(ranked, FEATURES[-len(ranked):]):
        X[:, FEATURES.index(target)] = _rank01(X[:, FEATURES.index(source)])
    return X


# --- Concept (syllable bigram) features -------------------------------------------------
# A summary is good when it covers the bigrams a person would write (Gillick & Favre 2009;
# Li, Qian & Liu 2013): we predict for each bigram of the cluster how likely a summary is
# to contain it, and the selector covers as much predicted weight as the budget allows.

BIGRAM_FEATURES = (
    "article_share",  # share of the cluster's articles that contain it
    "articles",  # how many articles contain it
    "sentences",  # how many candidate sentences contain it
    "title_share",  # share of articles whose title contains it
    "first_relative_position",  # earliest relative position of a sentence containing it
    "mean_relative_position",  # mean relative position of the sentences containing it
    "first_position",  # earliest position (0 = an article's lead)
    "function_syllables",  # how many of its two syllables are function words (0..2)
    "has_digit",  # part of a number or date
    "best_centroid_cosine",  # highest centroid_cosine of a sentence containing it
    "best_bigram_support",  # highest bigram_support_any of a sentence containing it
    "sapo_share",  # share of the sentences containing it that are sapo sentences
    "lead_share",  # share of articles whose first two candidates contain it
    "rarer_syllable_share",  # share of articles using the rarer of its two syllables
    "commoner_syllable_share",  # share of articles using the commoner of its two syllables
    "best_lexrank",  # highest lexrank of a sentence containing it
    "sentence_share",  # share of the cluster's candidates that contain it
    # the same for every bigram of a cluster: whether its story is told in the openings (issue
    # 25), where human summaries lean on the leads
    "lead_agreement",  # mean over pairs of articles of the share of the smaller opening's bigrams the other opening has
    "lead_concentration",  # share of the bigrams half the articles (2+) use that some opening holds
)
LEAD_SENTENCES = 2

# The most frequent Vietnamese function syllables; a bigram of two of them ("của các",
# "đã được") carries no content even when every article has it.
FUNCTION_SYLLABLES = frozenset(
    "của và là có được các những cho với trong đã này người không một để theo khi tại từ đến "
    "về ra sẽ thì mà nhưng cũng như vào bị do nên lại đó ở trên hơn rất nhiều đang còn vẫn "
    "việc sau năm ngày cùng thể".split()
)


def cluster_bigrams(prepared: PreparedCluster, X: np.ndarray) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The distinct syllable bigrams of a cluster's candidates and their features (``BIGRAM_FEATURES``)."""
    cands = prepared.candidates
    n_articles = max(len(prepared.cluster.articles), 1)
    occurrences: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(cands):
        # sorted: the rows come out in the same order in every process (a set's order follows
        # the string hash seed, and the scorer's training depended on the row order)
        for b in sorted(_bigrams(c.syllables)):
            occurrences.setdefault(b, []).append(i)
    # how many titles and article leads contain each bigram (each is a set: one count per article)
    in_titles = Counter(b for a in prepared.cluster.articles for b in _bigrams(syllables(a.title)))
    leads = [set() for _ in prepared.cluster.articles]
    bodies = [set() for _ in prepared.cluster.articles]
    syllable_articles: dict[str, set[int]] = {}
    for c in cands:
        (leads if c.position < LEAD_SENTENCES else bodies)[c.article_index].update(_bigrams(c.syllables))
        for s in c.syllables:
            syllable_articles.setdefault(s, set()).add(c.article_index)
    in_leads = Counter(b for lead in leads for b in lead)
    keys = list(occurrences)
    if not keys:
        return keys, np.zeros((0, len(BIGRAM_FEATURES)))
    # Each feature is computed for all bigrams at once: reductions over the sentences that
    # contain a bigram, lookups by syllable (a Python loop over each bigram's sentences was a
    # fifth of a story's summarising time).
    lengths = np.fromiter(map(len, occurrences.values()), dtype=np.int64, count=len(keys))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    sentence = np.fromiter(itertools.chain.from_iterable(occurrences.values()), dtype=np.int64,
                           count=int(lengths.sum()))
    bigram = np.repeat(np.arange(len(keys)), lengths)
    article_of = np.array([c.article_index for c in cands])[sentence]
    articles = np.bincount(np.unique(bigram * n_articles + article_of) // n_articles, minlength=len(keys))
    relative = np.array([c.position / max(c.article_size, 1) for c in cands])[sentence]
    position = np.array([c.position for c in cands])[sentence]
    in_sapo = np.array([c.sentence.in_sapo for c in cands], dtype=np.int64)[sentence]
    syllable_index = {s: k for k, s in enumerate(syllable_articles)}
    first = np.array([syllable_index[b[0]] for b in keys])
    second = np.array([syllable_index[b[1]] for b in keys])
    is_function = np.array([s in FUNCTION_SYLLABLES for s in syllable_articles], dtype=np.int64)
    has_digit = np.array([any(ch.isdigit() for ch in s) for s in syllable_articles])
    spread = np.array([len(a) for a in syllable_articles.values()])

    def best(feature: str) -> np.ndarray:
        return np.maximum.reduceat(X[sentence, FEATURES.index(feature)], starts)

    agreement, concentration = _openings(leads, bodies)
    rows = np.column_stack([
        articles / n_articles,
        articles,
        lengths,
        np.array([in_titles.get(b, 0) for b in keys]) / n_articles,
        np.minimum.reduceat(relative, starts),
        np.add.reduceat(relative, starts) / lengths,
        np.minimum.reduceat(position, starts),
        is_function[first] + is_function[second],
        has_digit[first] | has_digit[second],
        best("centroid_cosine"),
        best("bigram_support_any"),
        np.add.reduceat(in_sapo, starts) / lengths,
        np.array([in_leads.get(b, 0) for b in keys]) / n_articles,
        np.minimum(spread[first], spread[second]) / n_articles,
        np.maximum(spread[first], spread[second]) / n_articles,
        best("lexrank"),
        lengths / len(cands),
        np.full(len(keys), agreement),
        np.full(len(keys), concentration),
    ]).astype(np.float64)
    return keys, rows


def _openings(leads: list[set], bodies: list[set]) -> tuple[float, float]:
    """How much the articles' openings agree with each other, and how much of what the articles
    share is in some opening (``lead_agreement``, ``lead_concentration``)."""
    opened = [lead for lead in leads if lead]
    pairs = [len(a & b) / min(len(a), len(b)) for a, b in itertools.combinations(opened, 2)]
    used = Counter(b for lead, body in zip(leads, bodies) for b in lead | body)
    shared = [b for b, n in used.items() if n >= max(2, len(leads) / 2)]
    in_openings = set().union(*leads)
    return (sum(pairs) / len(pairs) if pairs else 0.0,
            sum(b in in_openings for b in shared) / len(shared) if shared else 0.0)
