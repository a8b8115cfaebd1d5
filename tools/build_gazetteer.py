"""Build the name gazetteer the entity rules consult: which type news gives a name it cues.

    python tools/build_gazetteer.py ../shared/data/baomoi-2017.jsonl.gz

underthesea's offline NER types a name once, from one sentence, and gets foreign and brand
names wrong (Kim Jong-un a place, Al-Qaeda a person, Lexus a place, a car model a person).
Across many articles the words news writes before a name settle it: "ông Kim Jong-un",
"nhóm khủng bố Al-Qaeda", "hãng Lexus", "mẫu xe Land Cruiser". This counts, over a corpus, how
often each capitalised name follows a cue of each kind and keeps the names whose cues agree
(seen at least ``--min-count`` times, one kind at least ``--min-share`` of them), in
``diemtin/facts/data/gazetteer.tsv.gz``: name, type (PER, ORG, LOC, or OTHER for products,
works, storms and treaties, which are none of the three), how many cued mentions.

The articles of the facts check set's stories (tests/data/facts/check) are left out, so the
check set's figures are not measured on names the gazetteer read in those very articles.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from diemtin.facts.gazetteer import GAZETTEER
from diemtin.facts.lexicon import ADDRESS, ORG_HEADS, ORGANISATIONS, PLACES, SPORTS_ROLES
from diemtin.ingest import read_sources

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "tests" / "data" / "facts" / "check" / "stories.json"

# The words before a name that say what it is, lower-case, longest first where one ends another.
CUES = {
    "PER": sorted(ADDRESS - {"cô", "em", "bé", "nữ", "cựu", "cháu", "thầy", "cậu", "chú", "cụ"} | {
        # not a minister's title ("Bộ trưởng Quốc phòng"), and a footballer's only weakly (below)
        "tổng thống", "thủ tướng", "ngoại trưởng", "tỷ phú", "ca sĩ", "diễn viên", "nhà lãnh đạo", "người mẫu",
        "nghị sĩ", "thượng nghị sĩ", "nữ ca sĩ", "thầy trò",
        # compounds that end with an organisation's cue: "nhà báo Lại Văn Sâm" is no newspaper
        "nhà báo", "phóng viên", "nhà văn", "nhà thơ", "biên tập viên", "nhà sáng lập", "chủ tịch", "nam ca sĩ", "siêu sao", "nhạc sĩ", "đạo diễn", "vợ",
        "chồng", "con trai", "con gái", "nghi phạm", "bị cáo", "đối tượng"}),
    # not "tại", "ở", "sang", "rời": a footballer plays "tại Real Madrid" and moves "sang Chelsea"
    # a footballer's or coach's title comes before the club as often as before the person ("tiền vệ
    # Chelsea", "HLV HAGL"): a person only when no cue makes the name an organisation
    "PER?": sorted(SPORTS_ROLES),
    "LOC": sorted({"tỉnh", "thành phố", "huyện", "quận", "xã", "phường", "bang", "thủ đô", "thị trấn", "thị xã",
                   "đảo", "sông", "thôn", "ấp", "làng", "vùng", "miền", "khu vực", "người dân", "nước", "xứ",
                   "đất nước", "quốc gia", "thủ phủ", "tiểu bang", "vùng lãnh thổ"}),
    "ORG": sorted({"hãng", "tập đoàn", "clb", "câu lạc bộ", "đội bóng", "hãng tin", "tờ", "báo", "đài", "tạp chí",
                   "mạng xã hội", "tổ chức", "nhóm khủng bố", "lực lượng", "phiến quân", "công ty", "ngân hàng",
                   "đảng", "kênh", "hãng thông tấn", "thương hiệu", "nhà mạng", "giải đấu",
                   "hãng hàng không", "tổ chức khủng bố", "trang", "trang web", "website", "đại học", "trường",
                   # football clubs, which "tại Real Madrid" and "sang Chelsea" make look like places
                   "đội bóng", "đội chủ nhà", "đội khách", "khoác áo", "đầu quân cho", "cầm hòa", "làm khách",
                   "tiếp đón", "trận gặp", "trận đấu với", "đội hình", "ban huấn luyện", "cổ động viên", "fan"}),
    "OTHER": sorted({"mẫu xe", "dòng xe", "siêu xe", "chiếc xe", "phiên bản", "điện thoại", "tên lửa", "bão",
                     "cơn bão", "phim", "bộ phim", "ca khúc", "bài hát", "album", "hiệp định", "cuốn sách",
                     "tàu sân bay", "chiến đấu cơ", "tiêm kích", "trò chơi", "gameshow", "tác phẩm", "thuốc",
                     "siêu phẩm", "mẫu sedan", "mẫu SUV", "mẫu crossover", "xe bán tải", "smartphone",
                     # a horoscope's signs and the lunar years: "tuổi Dần", "năm Đinh Dậu", "cung Song Tử"
                     "tuổi", "người tuổi", "năm", "cung", "cung hoàng đạo", "chòm sao", "sao chổi"}),
}
_TOKEN = re.compile(r"[^\W_][\w.'’-]*[^\W_]|[^\W_]|[^\w\s]")
_MAX_WORDS = 4


def _cue_kinds() -> dict[tuple[str, ...], str]:
    return {tuple(cue.lower().split()): kind for kind, cues in CUES.items() for cue in cues}


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and not word[:1].isdigit()


def cued_names(text: str, cue_kinds: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """(name, kind) for every capitalised run that follows a cue in ``text``."""
    tokens = _TOKEN.findall(text)
    found = []
    for i in range(1, len(tokens)):
        if not _is_name_word(tokens[i]) or _is_name_word(tokens[i - 1]):
            continue
        kind = None
        for width in (3, 2, 1):  # the longest cue: "nhóm khủng bố" over "bố"
            if i - width >= 0 and tuple(t.lower() for t in tokens[i - width:i]) in cue_kinds and \
                    tokens[i - width][:1].islower():
                kind = cue_kinds[tuple(t.lower() for t in tokens[i - width:i])]
                break
        if kind is None:
            continue
        j = i
        while j < len(tokens) and j - i < _MAX_WORDS + 1 and _is_name_word(tokens[j]):
            j += 1
        if j - i > _MAX_WORDS or tokens[i].lower() in ORG_HEADS or " ".join(tokens[i:i + 2]).lower() in ORG_HEADS:
            continue  # too long to be one name, or a body's own name ("tại Công an ...", "tại Bộ ...")
        name = " ".join(tokens[i:j])
        if kind != "LOC" and (tokens[i].lower() in PLACES or tokens[i].lower() in ORGANISATIONS):
            continue  # "Tổng thống Mỹ Donald Trump": the affiliation, then the person; "báo Mỹ"
        found.append((name, kind))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/build_gazetteer.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--out", type=Path, default=GAZETTEER)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-share", type=float, default=0.75)
    args = parser.parse_args(argv)
    held_out = {a for story in json.loads(CHECK.read_text(encoding="utf-8"))["stories"] for a in story["articles"]}
    cue_kinds = _cue_kinds()
    counts: dict[str, Counter] = defaultdict(Counter)
    articles = 0
    for article in read_sources(args.files).articles:
        if article.id in held_out:
            continue
        articles += 1
        for name, kind in cued_names(f"{article.title}. {article.text}", cue_kinds):
            counts[name][kind] += 1
    rows = []
    for name, kinds in counts.items():
        weak = kinds.pop("PER?", 0)
        if not kinds["ORG"]:
            kinds["PER"] += weak
        total = sum(kinds.values())
        if not total:
            continue
        kind, top = kinds.most_common(1)[0]
        if total >= args.min_count and top >= args.min_share * total:
            rows.append(f"{name}\t{kind}\t{total}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(sorted(rows)) + "\n").encode("utf-8"))  # mtime 0: the same corpus, the same bytes
    print(f"{len(rows)} names from {articles} articles -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
