"""diemtin's error type and the messages users see, in one place."""

from __future__ import annotations

import importlib
from types import ModuleType


class DiemtinError(Exception):
    """A mistake the user can fix; the CLI prints it without a traceback.

    ``vi``: the same in Vietnamese, for the reader's web pages (else they say only that the
    request was not valid).
    """

    def __init__(self, message: str, vi: str | None = None):
        super().__init__(message)
        self.vi = vi


def missing_extra(package: str, extra: str) -> DiemtinError:
    return DiemtinError(
        f"this feature needs the optional package '{package}': "
        f"install it with  pip install 'diemtin[{extra}]'"
    )


def require(module: str, package: str, extra: str) -> ModuleType:
    """Import an optional dependency where it is used, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise missing_extra(package, extra) from None


BAD_LENGTH = "the length budget must be a positive number of syllables (got {value}); try --length 200"
NO_ARTICLES = "no usable articles were found in {where}; check the messages above"
NOT_FOUND = "no such file or folder; check the path"
EMPTY_FILE = "the file is empty; put one article in it (first line the title, then the text)"
BINARY_FILE = "this looks like a binary file, not text; give a UTF-8 text or JSONL file"
CONVERTED = "the text is in {encoding}, a legacy Vietnamese encoding; it was converted to Unicode"
LINE_TOO_LONG = "the line is longer than {limit} MB, too long to be one article or cluster; skipped"
BAD_JSON = "not valid JSON ({detail}); each line must be one JSON object"
NOT_OBJECT = "expected a JSON object with 'title' and 'text', got {kind}"
NO_TEXT = "the article has no 'text' (or it is empty); skipped"
NO_DOCUMENTS = "the cluster has no 'documents' list; skipped"
UNKNOWN_SUFFIX = "cannot read files ending in '{suffix}'; give .txt, .jsonl, .jsonl.gz, .html or an RSS/Atom .xml feed"
DROPPED_URL = "the url '{url}' is not an http:// or https:// address; the article is kept without it"
TOO_LARGE = ("the article has {size:,} characters, more than one news article can (limit {limit:,}, about 1 MB); "
             "skipped: split it into its articles")
NO_LINES = "the file holds no lines, only blank space; give one JSON object (an article or a cluster) per line"
