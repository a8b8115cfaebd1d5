"""underthesea's part-of-speech tagger and named-entity recogniser (the CRF models in its wheel,
offline), with the same answers as ``underthesea.pos_tag`` and ``underthesea.ner``, about ten
times faster.

Why not call them directly: underthesea turns each word into the CRF's features with a function
that, for every word and every feature template, parses the template's text again and copies the
whole sentence column by column (``pipeline/pos_tag/tagged_feature.py``), so a sentence of n words
costs n * n * templates steps; that was 90% of a story's facts time and kept ``diemtin watch``
from following a day of news in under an hour. Here the templates are parsed once and each
feature is one lookup. The models, their files and the features' text are underthesea's own;
``tests/text/test_tagger.py`` checks both answers equal underthesea's on real sentences, so an
underthesea release that changes them fails the tests, not the product. Also, ``ner`` reuses the
POS tags of ``pos_tag`` (underthesea's ``ner`` tags the sentence again through ``chunk``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from diemtin.text.memory import NAMES, TAGS, remembered
from diemtin.text.segment import _underthesea, _word_tokenize, word_tokenize

_TEMPLATE = re.compile(r"T\[(?P<first>-?\d+)(,(?P<last>-?\d+))?\](\[(?P<column>\d+)\])?(\.(?P<function>\w+))?$")


def _istitle(word: str) -> bool:
    # underthesea's text_istitle: the first letter of every space-separated part is upper case
    # (an empty part, from two spaces, makes it False)
    if not word:
        return False
    parts = word.split(" ")
    return all(part and part[0].istitle() for part in parts)


_FUNCTIONS = {None: lambda word: word, "lower": str.lower, "istitle": lambda word: str(_istitle(word))}


class _Features:
    """The features of one underthesea template list, as ``TaggedTransformer.sentence2features``
    gives them (``T[-1,0][1].lower=...``, ``BOS`` / ``EOS`` outside the sentence)."""

    def __init__(self, template: list[str]):
        self.specs = []
        for syntax in template:
            parts = _TEMPLATE.match(syntax)
            if parts is None or parts["function"] not in _FUNCTIONS:
                raise ValueError(f"an underthesea feature template this module does not know: {syntax}")
            last = parts["last"]
            self.specs.append((f"{syntax}=", int(parts["first"]), None if last is None else int(last),
                               int(parts["column"] or 0), _FUNCTIONS[parts["function"]]))

    def __call__(self, rows: list[tuple]) -> list[list[str]]:
        size = len(rows)
        columns = list(zip(*rows)) if rows else []
        out = []
        for i in range(size):
            features = []
            for prefix, first, last, column, function in self.specs:
                if i + first < 0:
                    features.append(prefix + "BOS")
                elif i + first >= size or last is not None and i + last >= size:
                    features.append(prefix + "EOS")
                elif last is None:
                    features.append(prefix + function(columns[column][i + first]))
                else:
                    features.append(prefix + function(" ".join(columns[column][i + first:i + last + 1])))
            out.append(features)
        return out


@lru_cache(maxsize=None)
def _model(kind: str):
    """underthesea's predictor of ``kind`` (its CRF model, loaded once) and our features for its template."""
    _underthesea()  # the package first: its pipeline modules import it
    if kind == "pos":
        from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor as Predictor  # noqa: PLC0415
    elif kind == "chunk":
        from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor as Predictor  # noqa: PLC0415
    else:
        from underthesea.pipeline.ner.model_crf import CRFNERPredictor as Predictor  # noqa: PLC0415
    predictor = Predictor.Instance()
    return predictor.model, _Features(predictor.transformer.template)


def pos_tag(text: str) -> list[tuple[str, str]]:
    """``underthesea.pos_tag(text)``: its words, each with its part of speech."""
    return list(remembered(TAGS, text, _pos_tag))


# Sentences whose tags a process remembers: where a story's articles carry no stored memory
# (``text.memory``; ``diemtin summarize``, ``batch``) a sentence tagged for the facts is tagged
# again when the summary checks it has a predicate. About 3 kB a sentence; 8,192 sentences are the
# last 400-odd articles of a worker.
REMEMBERED_SENTENCES = 8192


@lru_cache(maxsize=REMEMBERED_SENTENCES)
def _pos_tag(text: str) -> tuple[tuple[str, str], ...]:
    words = word_tokenize(text)
    model, features = _model("pos")
    return tuple(zip(words, model.tag(features([(word, "X") for word in words])))) if words else ()


def ner(text: str, tagged: list[tuple[str, str]] | None = None) -> list[tuple[str, str, str, str]]:
    """``underthesea.ner(text)``: its words with part of speech, chunk and entity tags (BIO).
    ``tagged``: ``pos_tag(text)`` when the caller has it already."""
    tagged = tuple(pos_tag(text) if tagged is None else tagged)
    found = remembered(NAMES, text, lambda _: _ner(text, tagged))
    if [(word, pos) for word, pos, _, _ in found] != list(tagged):  # a memory of other tags than given
        found = _ner(text, tagged)
    return list(found)


@lru_cache(maxsize=REMEMBERED_SENTENCES // 4)  # the NER runs on about one sentence in four
def _ner(text: str, tagged: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str, str], ...]:
    if not tagged:
        return ()
    model, features = _model("chunk")
    chunks = model.tag(features([(word, pos, "X") for word, pos in tagged]))
    model, features = _model("ner")
    names = model.tag(features([(word, pos, chunk, "X") for (word, pos), chunk in zip(tagged, chunks)]))
    return tuple((word, pos, chunk, name) for (word, pos), chunk, name in zip(tagged, chunks, names))


def forget_sentences() -> None:
    """Empty this process's memory of sentences' words and tags (``word_tokenize``, ``pos_tag``,
    ``ner``): for a measurement of what segmenting and tagging cost, or of what else is reused."""
    for memory in (_word_tokenize, _pos_tag, _ner):
        memory.cache_clear()


def has_predicate(text: str) -> bool:
    """Whether underthesea's POS tagger finds a verb or an adjective (a Vietnamese predicate:
    "Giá vàng tăng mạnh", "Chúng tôi không rõ") in ``text``; a caption or a list such as
    "Hậu vệ: Chris Gunter, Ben Davies." has none.

    >>> has_predicate("Ông Rutte đã tới thăm Kiev hôm 3/10."), has_predicate("Hậu vệ: Chris Gunter, Ben Davies.")
    (True, False)
    """
    return any(tag[:1] in ("V", "A") for _, tag in pos_tag(text))


__all__ = ["forget_sentences", "has_predicate", "ner", "pos_tag"]
