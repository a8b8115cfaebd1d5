"""Bytes -> text for Vietnamese news files: UTF-8, UTF-16 and the legacy Vietnamese encodings.

Old archives and some scrapers still hand over Vietnamese in the encodings that came before
Unicode: Windows-1258 (Vietnamese Windows), TCVN3 (ABC, the ".Vn" fonts) and VNI. Their
bytes are not valid UTF-8, and all of them decode *without error* as some 8-bit code page,
so the error alone says nothing about which one a file is in. Each candidate is therefore
decoded and the one whose words are Vietnamese syllables wins, when it wins clearly; a file
no candidate reads as Vietnamese is refused with a message naming ``iconv``.

Windows-1258 is Python's own ``cp1258`` codec; TCVN3 and VNI are converted with viparse's
tables (checked here against glibc's ``iconv -t TCVN5712-1`` and hand-written VNI text).
A UTF-8 file whose text is VNI or TCVN3 already mis-decoded ("Vieät Nam") is repaired too.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from diemtin.text.language import vietnamese_share

# A decoding is accepted when at least this share of its words are Vietnamese syllables and
# it beats the next candidate by ``MARGIN``. Real news scores 0.72 to 0.99 (foreign names
# pull sports pages down); a wrong decoding of Vietnamese scores under 0.4.
ACCEPT_SHARE = 0.6
MARGIN = 0.2
# Too few words to tell encodings apart.
MIN_WORDS = 5

# Letters that legacy text shows when read as Latin-1 but that Vietnamese never uses: the
# cheap test that keeps the repair pass off ordinary Unicode news.
_LEGACY_SIGNS = re.compile("[\u00a1-\u00bf\u00c4-\u00c8\u00cb\u00ce\u00cf\u00d1\u00d6\u00d8\u00db\u00dc"
                           "\u00e4-\u00e8\u00eb\u00ee\u00ef\u00f1\u00f6\u00f8\u00fb\u00fc\u00e6\u00c6]")


LEGACY_NAMES = {"windows-1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-16", or a key of LEGACY_NAMES

    @property
    def converted(self) -> bool:
        return self.encoding in LEGACY_NAMES


class NotText(ValueError):
    """The bytes are no text diemtin can read; ``str(error)`` says what to do."""


def _legacy_candidates(surface: str) -> dict[str, str]:
    from viparse import fix  # noqa: PLC0415  (~0.1 s to import; only legacy files need it)

    return {name: fix(surface, encoding=name) for name in ("tcvn3", "vni")}


def _best(candidates: dict[str, str], baseline: float = 0.0) -> str | None:
    """The candidate that clearly reads as Vietnamese, or None (also when the text is too short)."""
    scored = sorted(((*vietnamese_share(text), name) for name, text in candidates.items()), reverse=True)
    best, words, name = scored[0]
    runner_up = max([baseline] + [share for share, _, _ in scored[1:]])
    return name if words >= MIN_WORDS and best >= ACCEPT_SHARE and best - runner_up >= MARGIN else None


def _repair_utf8(text: str) -> Decoded:
    """UTF-8 text that is really VNI or TCVN3 read as Latin-1 (an old converter's output)."""
    if not _LEGACY_SIGNS.search(text):
        return Decoded(text, "utf-8")
    share, words = vietnamese_share(text)
    if words < MIN_WORDS or share >= ACCEPT_SHARE:
        return Decoded(text, "utf-8")
    candidates = _legacy_candidates(text)
    name = _best(candidates, baseline=share)
    return Decoded(candidates[name], name) if name else Decoded(text, "utf-8")


def _utf16_without_bom(data: bytes) -> str | None:
    """Little- or big-endian UTF-16 without a BOM: Vietnamese in it has a zero in most pairs."""
    head = data[:4096]
    if len(head) < 8 or len(head) % 2:
        return None
    for zeros_at, codec in ((1, "utf-16-le"), (0, "utf-16-be")):
        if head[zeros_at::2].count(0) >= 0.3 * len(head) / 2 and head[1 - zeros_at :: 2].count(0) == 0:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head) is not None:
        return False
    return b"\x00" in head


def decode_bytes(data: bytes) -> Decoded:
    """Decode the bytes of a text file or JSONL line; raise ``NotText`` saying what to do.

    >>> decode_bytes("Hà Nội".encode("utf-8")).text
    'Hà Nội'
    >>> d = decode_bytes("Thuû töôùng laøm vieäc vôùi Haø Noäi".encode("cp1252"))
    >>> d.encoding, d.text
    ('vni', 'Thủ tướng làm việc với Hà Nội')
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16"), "utf-16")
    try:
        return _repair_utf8(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    wide = _utf16_without_bom(data)
    if wide is not None:
        return Decoded(wide, "utf-16")
    # Every byte means something in these code pages; which reading is right shows in the words.
    surface = data.decode("cp1252", errors="replace").replace("\ufffd", "")
    candidates = {"windows-1258": unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")),
                  **_legacy_candidates(surface)}
    name = _best(candidates)
    if name is None:
        raise NotText(
            f"the text is not UTF-8 (first bad byte at offset {first_bad}) and does not read as "
            "Vietnamese in Windows-1258, TCVN3 or VNI either; convert it to UTF-8 naming its encoding, "
            "for example  iconv -f WINDOWS-1258 -t UTF-8 FILE > FILE.utf8"
        )
    return Decoded(candidates[name], name)
