import gzip
import json

from diemtin.ingest import read_sources
from diemtin.ingest.readers import article_from_text
from tests.conftest import ABMUSU, needs_shared

BODY = "Hôm 3/10, ông Zelensky đã gặp tân Tổng thư ký NATO Mark Rutte tại Kiev."


def test_seed_folder_gives_two_articles_and_no_problems(seed_paths):
    batch = read_sources([seed_paths[0].parent])
    assert [a.id for a in batch.articles] == [p.stem for p in seed_paths]
    assert batch.problems == []
    assert all("Tin liên quan" not in a.text and "|" not in a.text for a in batch.articles)


def test_title_only_when_the_first_line_looks_like_one():
    titled = article_from_text(f"Tân Tổng thư ký NATO đến Kiev\n{BODY}", "a")
    assert (titled.title, titled.text) == ("Tân Tổng thư ký NATO đến Kiev", BODY)
    untitled = article_from_text(f"{BODY}\nÔng Rutte cam kết ủng hộ Ukraine.", "b")
    assert untitled.title == "" and untitled.text.startswith(BODY)


def test_bom_crlf_and_utf16_files_read_the_same(tmp_path):
    text = f"Tân Tổng thư ký NATO đến Kiev\r\n{BODY}\r\n"
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    batch = read_sources([tmp_path])
    assert batch.problems == []
    assert [(a.title, a.text) for a in batch.articles] == [("Tân Tổng thư ký NATO đến Kiev", BODY)] * 2


def test_bad_files_are_reported_by_name_and_the_good_one_still_read(tmp_path):
    (tmp_path / "a_empty.txt").write_text("  \n")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "c_legacy.txt").write_bytes(BODY.encode("utf-8").replace("ô".encode(), b"\xf4"))
    (tmp_path / "d_good.txt").write_text(BODY, encoding="utf-8")
    batch = read_sources([tmp_path, tmp_path / "missing.txt"])
    assert [a.id for a in batch.articles] == ["d_good"]
    messages = {p.path.split("/")[-1]: p.message for p in batch.problems}
    assert "empty" in messages["a_empty.txt"]
    assert "binary" in messages["b_binary.txt"]
    assert "not UTF-8" in messages["c_legacy.txt"] and "iconv" in messages["c_legacy.txt"]
    assert "no such file" in messages["missing.txt"]


def test_article_jsonl_with_a_broken_line_in_the_middle(tmp_path):
    good = {"id": "x1", "title": "NATO", "text": BODY, "source": "Báo Thế giới và Việt Nam", "published": "2024-10-04 08:00"}
    lines = [json.dumps(good, ensure_ascii=False), '{"title": "hỏng", "text": ', json.dumps({"title": "trống", "text": ""}),
             json.dumps({**good, "id": "x2"}, ensure_ascii=False)]
    path = tmp_path / "articles.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    batch = read_sources([path])
    assert [a.id for a in batch.articles] == ["x1", "x2"]
    assert batch.articles[0].source == "Báo Thế giới và Việt Nam" and batch.articles[0].published == "2024-10-04 08:00"
    assert [(p.line, "JSON" in p.message or "text" in p.message) for p in batch.problems] == [(2, True), (3, True)]


@needs_shared(ABMUSU)
def test_cluster_jsonl_keeps_sapo_and_references():
    batch = read_sources([ABMUSU])
    assert len(batch.clusters) == 200 and batch.problems == []
    first = batch.clusters[0]
    assert first.id == "abmusu-train-001" and len(first.references) == 1
    assert first.articles[0].sapo.startswith("Trong 2 ngày 7 và 8/7/2022")


@needs_shared(ABMUSU)
def test_a_large_jsonl_file_is_cleaned_on_workers_in_file_order(tmp_path, monkeypatch):
    import diemtin.ingest.readers as readers  # noqa: PLC0415

    documents = [d for line in ABMUSU.read_text(encoding="utf-8").splitlines()
                 for d in json.loads(line)["documents"]]
    lines = []
    for n in range(readers.PARALLEL_READ_FROM + 300):  # beyond the size read on workers
        doc = documents[n % len(documents)]
        lines.append(json.dumps({**doc, "id": f"a{n}"}, ensure_ascii=False))
    lines[7] = '{"title": "hỏng", "text": '  # broken, empty and English lines among the blocks
    lines[1234] = json.dumps({"title": "trống", "text": ""})
    lines[-2] = json.dumps({"title": "English", "text": " ".join(["The minister said that the plan was ready for"] * 5)})
    path = tmp_path / "large.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    on_workers = read_sources([path])
    monkeypatch.setattr(readers, "PARALLEL_READ_FROM", 10**9)
    one_by_one = read_sources([path])
    assert [p.line for p in on_workers.problems] == [8, 1235, len(lines) - 1]
    assert on_workers.problems == one_by_one.problems
    assert on_workers.articles == one_by_one.articles
    assert [a.id for a in on_workers.articles] == [f"a{n}" for n in range(len(lines)) if n not in (7, 1234, len(lines) - 2)]


def test_a_url_that_is_not_http_is_dropped_with_a_note_and_the_article_kept(tmp_path):
    lines = [{"id": "a", "title": "Cháy chợ", "text": BODY, "url": "javascript:alert(3)"},
             {"id": "b", "title": "Cháy chợ", "text": BODY + " Hai người bị thương.", "url": "https://vnexpress.net/b.html"},
             {"id": "c", "documents": [{"text": BODY, "url": "data:text/html,<script>alert(1)</script>"}]}]
    path = tmp_path / "urls.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    batch = read_sources([path])
    assert batch.problems == []
    urls = {a.id: a.url for a in batch.articles + batch.clusters[0].articles}
    assert urls == {"a": "", "b": "https://vnexpress.net/b.html", "c/1": ""}
    assert [(n.line, "javascript:alert(3)" in n.message) for n in batch.notes][:1] == [(1, True)]
    assert len(batch.notes) == 2 and "document 1 of cluster c" in batch.notes[1].message
