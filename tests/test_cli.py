"""The command line as a user runs it: real files, real output, clear errors, no tracebacks."""

import json
import subprocess
import sys

import pytest

from diemtin.cli import main
from diemtin.facts import CONFIDENCE_BAR
from diemtin.facts.measured import entity_confidence
from tests.conftest import ABMUSU, SEEDS


def run(*args):
    return subprocess.run([sys.executable, "-m", "diemtin.cli", *map(str, args)], capture_output=True, text=True, timeout=300)


def test_summarize_seed_folder_as_text_cites_both_articles():
    result = run("summarize", SEEDS, "--length", "150")
    assert result.returncode == 0, result.stderr
    body, _, sources = result.stdout.partition("\n\n")
    assert all(line.rstrip().endswith(("[1]", "[2]")) for line in body.splitlines())
    assert "[1] 000_80b37126d890dae0" in sources or "[1] 003_2e375160be14cd82" in sources
    assert "Traceback" not in result.stderr


def test_summarize_json_carries_article_and_sentence_index(capsys):
    assert main(["summarize", *map(str, sorted(SEEDS.glob("*.txt"))), "--format", "json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["sentences"] and {s["article_id"] for s in summary["sentences"]} <= {a["id"] for a in summary["articles"]}
    assert all(isinstance(s["sentence_index"], int) and s["text"] for s in summary["sentences"])


def test_summarize_json_shows_only_facts_above_the_bar_with_their_evidence(tmp_path, capsys):
    # the two seeds plus a sentence whose foreign name only underthesea's NER types (as a place):
    # a reader of the JSON sees each fact's confidence and sentences, and nothing below the bar
    extra = tmp_path / "extra.txt"
    extra.write_text("Nga cảnh báo NATO\n\nTheo nhà phân tích Andrei Manoilo, Nga sẽ không nhượng bộ NATO.\n",
                     encoding="utf-8")
    assert main(["summarize", *map(str, sorted(SEEDS.glob("*.txt"))), str(extra), "--format", "json", "--quiet"]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert facts["entities"] and facts["quotes"]
    for kind in ("entities", "quotes", "timeline", "differences"):
        assert all(item["confidence"] >= CONFIDENCE_BAR for item in facts[kind]), kind
    assert all(e["evidence"] and all(isinstance(ref["sentence_index"], int) for ref in e["evidence"])
               for e in facts["entities"])
    # each entity says what typed it, and its confidence is what that kind measured (facts.measured)
    assert all(e["confidence"] == entity_confidence(e["basis"], e["type"]) for e in facts["entities"])
    assert {e["basis"] for e in facts["entities"]} >= {"listed", "titled"}
    assert ("Andrei Manoilo", "LOC") not in {(e["name"], e["type"]) for e in facts["entities"]}


def test_summarize_shows_a_named_persons_age_two_reports_give_differently(tmp_path, capsys):
    # issue 21: numbers outlets give differently, through the CLI as a user runs it (vims-dev 019)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Con rể chém mẹ vợ\n\nLúc này, bà Trần Thị Giêng (48 tuổi, mẹ vợ Nguyên) chạy vào cũng bị Nguyên "
                     "rượt chém nhiều nhát vào người khiến bà Giêng bị thương ở tay và vai.\n", encoding="utf-8")
    second.write_text("Chém mẹ vợ trọng thương\n\nLúc này, bà Trần Thị Giêng (58 tuổi, mẹ vợ Nguyên) chạy vào thì bị "
                      "Nguyên xông đến dùng dao chém nhiều nhát khiến bà bị thương ở vùng tay và vai trái.\n", encoding="utf-8")
    assert main(["summarize", str(first), str(second), "--format", "json", "--quiet"]) == 0
    [difference] = json.loads(capsys.readouterr().out)["facts"]["differences"]
    assert difference["what"] == "tuổi của Trần Thị Giêng" and difference["confidence"] >= CONFIDENCE_BAR
    assert sorted(v["value"] for v in difference["values"]) == ["48 tuổi", "58 tuổi"]
    assert main(["summarize", str(first), str(second), "--format", "markdown"]) == 0
    assert "**Số liệu khác nhau** (tuổi của Trần Thị Giêng): 48 tuổi" in capsys.readouterr().out


def test_summarize_markdown_lists_sources(capsys):
    assert main(["summarize", str(SEEDS), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "[1]" in out and "**Nguồn (sources):**" in out and "1. " in out


def test_cluster_jsonl_gives_one_summary_per_cluster(tmp_path, capsys):
    if not ABMUSU.exists():
        pytest.skip("../shared/data missing")
    lines = ABMUSU.read_text(encoding="utf-8").splitlines()[:3]
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text("\n".join(lines[:2] + ["{not json"] + lines[2:]) + "\n", encoding="utf-8")
    out = tmp_path / "summaries.jsonl"
    assert main(["summarize", str(clusters), "--format", "json", "--out", str(out), "--quiet"]) == 0
    made = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [m["id"] for m in made] == ["abmusu-train-001", "abmusu-train-002", "abmusu-train-003"]
    assert f"{clusters}:3: not valid JSON" in capsys.readouterr().err
    # and those summaries can be scored
    assert main(["eval", str(clusters), "--summaries", str(out), "--json"]) == 0


def test_user_mistakes_get_a_message_not_a_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    cases = [
        (("summarize", empty), "empty.txt: the file is empty"),
        (("summarize", tmp_path / "nope.txt"), "nope.txt: no such file"),
        (("summarize", SEEDS, "--length", "0"), "must be a positive number"),
        (("summarize", SEEDS, "--length", "-3"), "must be a positive number"),
        (("eval", SEEDS / "000_80b37126d890dae0.txt"), "no cluster with human summaries"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)


def test_help_explains_each_command_with_an_example():
    for command in ("summarize", "eval"):
        result = run(command, "--help")
        assert result.returncode == 0 and "examples:" in result.stdout and "diemtin " + command in result.stdout


def test_ingest_then_digest_in_markdown_html_and_json(tmp_path):
    db = tmp_path / "news.db"
    page = tmp_path / "trang.html"
    page.write_text(
        "<html><head><title>Giá xăng giảm mạnh | Báo Mẫu</title><script>var ad = 1;</script></head><body>"
        "<nav>Trang chủ | Thời sự | Kinh tế</nav><article><h1>Giá xăng giảm mạnh từ chiều nay</h1>"
        "<p>Liên Bộ Công Thương - Tài chính quyết định giảm giá xăng RON95 thêm 1.000 đồng mỗi lít từ 15h chiều nay.</p>"
        "<p>Đây là lần giảm thứ ba liên tiếp kể từ đầu tháng, theo thông báo của Bộ Công Thương gửi các doanh nghiệp.</p>"
        "<p>Giá dầu diesel cũng giảm 800 đồng mỗi lít, trong khi giá dầu hỏa được giữ nguyên so với kỳ trước.</p>"
        "</article><footer>Bản quyền thuộc về Báo Mẫu</footer></body></html>", encoding="utf-8")
    first = run("ingest", SEEDS, page, "--db", db, "--quiet")
    assert first.returncode == 0, first.stderr
    assert "stored 3" in first.stderr and "2 stories" in first.stderr
    again = run("ingest", SEEDS, "--db", db, "--quiet")
    assert "stored 0" in again.stderr and "skipped 2 already stored" in again.stderr

    markdown = run("digest", "--db", db, "--since", "all")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Điểm tin") and "[1]" in markdown.stdout and "[2]" in markdown.stdout
    assert "giảm giá xăng RON95" in markdown.stdout and "var ad" not in markdown.stdout
    as_json = json.loads(run("digest", "--db", db, "--since", "all", "--format", "json").stdout)
    assert [s["articles"] for s in as_json["stories"]] == [2, 1]  # the story two articles carry comes first
    html = run("digest", "--db", db, "--since", "all", "--format", "html").stdout
    assert html.startswith("<!doctype html>") and "<style>" in html and "Giá xăng giảm mạnh" in html
    bad = run("digest", "--db", db, "--since", "hôm qua")
    assert bad.returncode == 2 and "cannot read the time" in bad.stderr and "Traceback" not in bad.stderr

    # the e-mail digest: one file, every style inline (mail clients drop stylesheets), no script
    email = run("digest", "--db", db, "--since", "all", "--format", "email", "--base-url", "https://tin.example.vn")
    assert email.returncode == 0, email.stderr
    body = email.stdout
    assert body.startswith("<!doctype html>") and "<style" not in body and "<link" not in body
    assert "<script" not in body.lower() and "Giá xăng giảm mạnh" in body and "[1]" in body
    assert 'href="https://tin.example.vn/stories/' in body and body.count('style="') >= 10
    hostile = run("digest", "--db", db, "--since", "all", "--format", "email", "--base-url", "javascript:alert(1)")
    assert "javascript:" not in hostile.stdout
