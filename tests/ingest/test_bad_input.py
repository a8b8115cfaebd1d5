"""The hostile-input corpus in tests/data/bad: each file gives a clear message or a documented
result, and every valid article in the same batch goes through (docs/RELIABILITY.md)."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys

import pytest

from diemtin import errors
from diemtin.dedup import text_key
from diemtin.ingest import read_sources
from diemtin.ingest.decode import NotText, decode_bytes
from diemtin.text.segment import segment_words
from tests.conftest import ROOT

BAD = ROOT / "tests" / "data" / "bad"

READ = {"source-utf8", "utf16", "utf16-no-bom", "windows-1258", "tcvn3", "nfd", "vni", "vni-as-utf8",
        "vni-expected", "one-sentence", "tone-old", "tone-new", "ads-and-scripts", "bad-jsonl-1", "bad-jsonl-2"}
REFUSED = {  # file[:line] -> what the message must say
    "empty.txt": "the file is empty",
    "binary.txt": "binary file",
    "latin1-french.txt": "does not read as Vietnamese in Windows-1258, TCVN3 or VNI",
    "english.txt": "looks like English, not Vietnamese",
    "broken-lines.jsonl:2": "not valid JSON",
    "broken-lines.jsonl:3": "expected a JSON object",
    "broken-lines.jsonl:4": "has no 'text'",
    "truncated.jsonl.gz": "is it complete?",
}
CONVERTED = {"windows-1258.txt": "Windows-1258", "tcvn3.txt": "TCVN3", "vni.txt": "VNI", "vni-as-utf8.txt": "VNI"}


def _where(problem) -> str:
    name = problem.path.rsplit("/", 1)[-1]
    return f"{name}:{problem.line}" if problem.line is not None else name


@pytest.fixture(scope="module")
def batch():
    read = read_sources([BAD])
    for article in read.articles:  # a page's id is a hash of where it came from
        if article.id.startswith("html-"):
            article.id = "ads-and-scripts"
    return read


def test_every_valid_article_is_read_and_every_bad_file_named(batch):
    assert {a.id for a in batch.articles} == READ
    assert {_where(p): p.message for p in batch.problems}.keys() == REFUSED.keys()
    for problem in batch.problems:
        assert REFUSED[_where(problem)] in problem.message, problem
    assert {_where(n): n.message for n in batch.notes}.keys() == CONVERTED.keys()
    for note in batch.notes:
        assert CONVERTED[_where(note)] in note.message and "converted to Unicode" in note.message


def test_other_encodings_and_nfd_read_exactly_as_the_utf8_original(batch):
    articles = {a.id: a for a in batch.articles}
    original = articles["source-utf8"]
    assert original.title == "Tân Tổng thư ký NATO đến Kiev"
    for name in ("utf16", "utf16-no-bom", "windows-1258", "tcvn3", "nfd"):
        assert (articles[name].title, articles[name].text) == (original.title, original.text), name
    # VNI written by hand, the way such files look ("Vieät Nam"), against its Unicode transcript
    expected = articles["vni-expected"]
    for name in ("vni", "vni-as-utf8"):
        assert (articles[name].title, articles[name].text) == (expected.title, expected.text), name


def test_unreadable_legacy_bytes_raise_a_message_with_the_fix():
    with pytest.raises(NotText, match="iconv -f"):
        decode_bytes((BAD / "latin1-french.txt").read_bytes())
    # too little text to tell the encodings apart: refused, not guessed
    with pytest.raises(NotText):
        decode_bytes((BAD / "windows-1258.txt").read_bytes()[:12])  # "T\xe2n T\xf4\xd2ng th\xfd"


def test_old_and_new_tone_placement_are_one_word_but_the_text_is_kept(batch):
    articles = {a.id: a for a in batch.articles}
    old, new = articles["tone-old"], articles["tone-new"]
    assert "Hoà Bình" in new.text and "Hòa Bình" in old.text  # shown as the outlet wrote it
    assert text_key(old) == text_key(new)  # one text for duplicate detection
    assert segment_words(new.text) == segment_words(old.text)  # and for clustering and summaries


def test_scripts_ads_and_menus_are_dropped_from_a_page(batch):
    page = next(a for a in batch.articles if a.id == "ads-and-scripts")
    assert page.title == "Giá xăng giảm mạnh từ chiều nay"
    assert page.text.startswith("Liên Bộ Công Thương - Tài chính quyết định giảm giá xăng RON95")
    assert "giữ nguyên so với kỳ điều hành trước." in page.text
    for junk in ("googletag", "Mua ngay", "track()", "Trang chủ", "Bản quyền", "dataLayer", "Tin liên quan"):
        assert junk not in page.text, junk


def test_a_200_mb_file_and_a_200_mb_line_are_refused_without_reading_them_whole(tmp_path):
    big_text = tmp_path / "big.txt"
    with open(big_text, "wb") as f:
        f.truncate(200 * 2**20)
    good = (BAD / "broken-lines.jsonl").read_text(encoding="utf-8").split("\n")[0]
    big_jsonl = tmp_path / "big.jsonl"
    with open(big_jsonl, "w", encoding="utf-8") as f:
        f.write(good + "\n")
        f.write('{"text": "')
        chunk = "Hà Nội " * (2**20 // 10)
        for _ in range(200 * 2**20 // len(chunk.encode())):
            f.write(chunk)
        f.write('"}\n')
        f.write(good.replace("bad-jsonl-1", "after-the-long-line") + "\n")
    script = (
        "import json, re, sys\n"
        "from diemtin.ingest import read_sources\n"
        "b = read_sources(sys.argv[1:])\n"
        # VmHWM, not ru_maxrss: the latter keeps the high-water mark of the forked pytest process
        "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024\n"
        "print(json.dumps({'ids': [a.id for a in b.articles], 'problems': [str(p) for p in b.problems],"
        " 'peak_mb': peak}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(big_text), str(big_jsonl)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ids"] == ["bad-jsonl-1", "after-the-long-line"]
    assert any("big.txt: the file is 210 MB" in p for p in report["problems"])
    assert any("big.jsonl:2: the line is longer than 16 MB" in p for p in report["problems"])
    # the 200 MB line is skipped in 16 MB pieces, never held whole
    assert report["peak_mb"] < 200


def test_the_cli_summarises_the_good_files_and_names_the_bad_ones(tmp_path):
    result = subprocess.run([sys.executable, "-m", "diemtin.cli", "summarize", str(BAD), "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for where in REFUSED:
        assert f"{where}: " in result.stderr, where
    assert "vni.txt: the text is in VNI" in result.stderr
    summary = json.loads(result.stdout)  # the folder is summarised as one cluster
    cited = {s["article_id"] for s in summary["sentences"]}
    assert cited and {c if not c.startswith("html-") else "ads-and-scripts" for c in cited} <= READ
    assert all(s["text"] in summary["summary"] for s in summary["sentences"])


def test_ingest_of_the_bad_corpus_twice_stores_each_good_article_once(tmp_path):
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "diemtin.cli", "ingest", str(BAD), "--db", str(db), "--quiet"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr and "english.txt: the text looks like English" in first.stderr
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "stored 0" in again.stderr
    with sqlite3.connect(db) as c:
        ids = [row[0] for row in c.execute("SELECT id FROM articles")]
    assert len(ids) == len(set(ids))
    # a copy in another encoding, in NFD or in the other tone placement is the same text from
    # the same (unnamed) outlet: the first file read is stored, the others are skipped
    assert sorted(i if not i.startswith("html-") else "ads-and-scripts" for i in ids) == [
        "ads-and-scripts", "bad-jsonl-1", "bad-jsonl-2", "nfd", "one-sentence", "tone-new", "vni-as-utf8"]


def test_an_article_over_the_size_limit_is_skipped_by_name_and_line_and_the_rest_stored(tmp_path):
    # One 3 MB article (more than MAX_ARTICLE_CHARS) in a JSONL file between two good lines, and one
    # in a text file: each is named with its line, the good articles are read, cleaned and stored.
    from diemtin.types import MAX_ARTICLE_CHARS

    good = json.loads((BAD / "broken-lines.jsonl").read_text(encoding="utf-8").split("\n")[0])
    huge = "Hà Nội mưa lớn kéo dài, nhiều tuyến phố ngập sâu. " * (MAX_ARTICLE_CHARS // 50 + 10)
    after = {**good, "id": "after", "text": good["text"] + " Ông Rutte rời Kiev ngay sau cuộc họp báo."}
    lines = [good, {"id": "huge", "title": "Mưa lớn", "text": huge}, after]
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    (tmp_path / "huge.txt").write_text("Mưa lớn ở Hà Nội\n" + huge, encoding="utf-8")
    db = tmp_path / "news.db"
    result = subprocess.run([sys.executable, "-m", "diemtin.cli", "ingest", str(tmp_path / "news.jsonl"),
                             str(tmp_path / "huge.txt"), "--db", str(db), "--quiet"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "news.jsonl:2: the article has 1,0" in result.stderr and "limit 1,000,000" in result.stderr
    assert "huge.txt: the article has 1,0" in result.stderr
    from diemtin.store import Store

    store = Store.open(str(db))
    assert store.counts()["articles"] == 2 and store.article("after") is not None and store.article("huge") is None


def test_a_gzip_of_blank_lines_is_named_quickly_and_the_cli_says_why(tmp_path):
    # 1 MB of gzip that inflates to 256 MB of newlines: read in blocks, named as holding nothing
    path = tmp_path / "blank.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(256):
            f.write(b"\n" * 2**20)
    batch = read_sources([path])
    assert batch.articles == [] and [str(p) for p in batch.problems] == [f"{path}: {errors.NO_LINES}"]
    result = subprocess.run([sys.executable, "-m", "diemtin.cli", "ingest", str(path), "--db", str(tmp_path / "x.db")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and f"warning: {path}: the file holds no lines" in result.stderr
    assert "Traceback" not in result.stderr
