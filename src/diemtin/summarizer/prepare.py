"""Article -> candidate sentences with syllables and segmented words, ready for scoring.

This is the costly step of summarising (underthesea's word segmentation), so it runs
once per cluster, and ``prepare_clusters`` spreads clusters over worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from diemtin.parallel import Engine, LocalEngine
from diemtin.text.normalize import syllables
from diemtin.text.segment import segment_words
from diemtin.text.sentences import READ_SENTENCES, cut_note, first_sentences
from diemtin.types import Cluster, Sentence

# Shorter "sentences" are subheadings, datelines and fragments; EVALUATION.md's
# baselines use the same floor, so comparisons are like for like.
MIN_CANDIDATE_SYLLABLES = 5
# A longer "sentence" is a list, a table or text without punctuation, never a summary
# sentence (the dev files' longest is 286 syllables; the default budget is 200). Its length
# is checked in characters first (a syllable is at most 8 letters and a space), so a text of
# megabytes without a full stop is never split into syllables or segmented.
MAX_CANDIDATE_SYLLABLES = 400
MAX_CANDIDATE_CHARS = 9 * MAX_CANDIDATE_SYLLABLES


@dataclass(frozen=True, slots=True)
class CandidateRules:
    """Which text a summariser chooses from."""

    clean_text: bool = True  # drop captions and link rows when reading (ingest.readers)
    use_sapo: bool = True  # the lead paragraph may be quoted in the summary
    segment_words: bool = True  # word segmentation, the slow part, for the learned scorer
    join_quotes: bool = True  # keep a quotation of several sentences as one sentence


# EVALUATION.md's baselines: raw text, body only, underthesea's split as it is, no segmentation.
BASELINE_RULES = CandidateRules(clean_text=False, use_sapo=False, segment_words=False, join_quotes=False)


@dataclass(slots=True)
class Candidate:
    """A sentence that may go into a summary, with what the scorer needs to know about it."""

    sentence: Sentence
    article_index: int  # which article of the cluster
    # rank among its article's candidates of the same part, sapo or body (0 = the part's first):
    # the body's first sentence is an opening whether or not the outlet printed a sapo above it
    # (issue 25: abmusu-train's references follow the body's opening, vims-dev has no sapo)
    position: int
    article_size: int  # how many candidates its article has
    syllables: list[str]
    words: list[str]


@dataclass(slots=True)
class PreparedCluster:
    cluster: Cluster
    candidates: list[Candidate]
    title_words: list[list[str]]  # one list per article, [] when it has no title
    notes: list[str] = field(default_factory=list)  # what was left unread, and why


def prepare_cluster(
    cluster: Cluster, rules: CandidateRules = CandidateRules(), segmented: dict[str, list[str]] | None = None,
) -> PreparedCluster:
    """Split, filter (5 to 400 syllables, each syllable sequence once) and segment a cluster's sentences.

    Each article is read up to its first ``READ_SENTENCES`` sentences (a note says so when it has
    more), so the cost and memory of a cluster are bounded whatever its articles hold.
    ``segmented``: sentences already segmented (``segment_words``'s memo), not segmented again.
    """
    memo = dict(segmented) if segmented else {}  # the caller's mapping is left as it was
    seen: set[tuple[str, ...]] = set()  # by syllables: outlets copy sentences with other casing
    candidates: list[Candidate] = []
    notes: list[str] = []
    for article_index, article in enumerate(cluster.articles):
        own: list[Candidate] = []
        in_part = {True: 0, False: 0}  # candidates so far in the sapo, in the body
        sentences, cut = first_sentences(article, READ_SENTENCES, rules.join_quotes)
        if cut:
            notes.append(cut_note(article))
        for sentence in sentences:
            if sentence.in_sapo and not rules.use_sapo or len(sentence.text) > MAX_CANDIDATE_CHARS:
                continue
            sylls = syllables(sentence.text)
            key = tuple(sylls)
            if not MIN_CANDIDATE_SYLLABLES <= len(sylls) <= MAX_CANDIDATE_SYLLABLES or key in seen:
                continue
            seen.add(key)
            words = segment_words(sentence.text, memo=memo) if rules.segment_words else []
            own.append(Candidate(sentence, article_index, in_part[sentence.in_sapo], 0, sylls, words))
            in_part[sentence.in_sapo] += 1
        for candidate in own:
            candidate.article_size = len(own)
        candidates.extend(own)
    titles = [segment_words(a.title, memo=memo) if (rules.segment_words and a.title and
                                                    len(a.title) <= MAX_CANDIDATE_CHARS) else []
              for a in cluster.articles]
    return PreparedCluster(cluster, candidates, titles, notes)


def prepare_clusters(
    clusters: Sequence[Cluster], engine: Engine | None = None, rules: CandidateRules = CandidateRules()
) -> Iterator[PreparedCluster]:
    """Prepare clusters in order, on ``engine``'s workers (default: this process)."""
    engine = engine if engine is not None else LocalEngine(1)
    yield from engine.imap(prepare_cluster, clusters, rules)
