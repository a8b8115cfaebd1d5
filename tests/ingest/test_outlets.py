"""The outlets to follow: the bundled list, a user's sources file, and `diemtin sources --check`
against feeds served on loopback (nothing leaves the machine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diemtin.cli import main
from diemtin.errors import DiemtinError
from diemtin.ingest.outlets import BUNDLED, load_outlets
from diemtin.sections import outlet_section, sections
from tests.ingest.test_web import _serve

DATA = Path(__file__).parents[1] / "data"

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Báo Thử - Thể thao</title>
  <id>https://baothu.example.vn/</id>
  <updated>2026-12-06T03:00:00Z</updated>
  <entry><title>U23 Việt Nam thắng Thái Lan 2-1</title><id>a1</id><link href="https://baothu.example.vn/a1"/>
    <updated>2026-12-06T02:15:00Z</updated><summary>Đội tuyển U23 Việt Nam thắng ngược Thái Lan.</summary></entry>
  <entry><title>Hà Nội FC chia tay huấn luyện viên</title><id>a2</id><link href="https://baothu.example.vn/a2"/>
    <updated>2026-12-05T23:40:00Z</updated><summary>CLB Hà Nội chấm dứt hợp đồng.</summary></entry>
</feed>
"""


def test_the_bundled_list_covers_the_national_outlets_and_every_section_of_ours():
    outlets = load_outlets()
    assert len(outlets) >= 15
    urls = [f.url for o in outlets for f in o.feeds]
    assert len(urls) == len(set(urls)) and all(u.startswith("https://") for u in urls)
    for outlet in outlets:
        assert sum(1 for f in outlet.feeds if not f.section) == 1  # its latest news, once
        assert len(outlet.feeds) >= 8 and outlet.every_seconds == 600
    # the outlets' own section names map to each of our eight sections somewhere
    assert {outlet_section(f.section) for o in outlets for f in o.feeds} >= set(sections())


def sources_file(tmp_path, text: str) -> Path:
    path = tmp_path / "my-sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[[outlet]]
name = "Báo Thử"
home = "https://baothu.example.vn"
every = "5m"
feeds = [{ url = "https://baothu.example.vn/rss/the-thao.rss", section = "Thể thao" }, "https://baothu.example.vn/rss.xml"]
"""


def test_a_users_sources_file_is_read_with_its_intervals_and_sections(tmp_path):
    [outlet] = load_outlets(sources_file(tmp_path, GOOD))
    assert outlet.name == "Báo Thử" and outlet.every_seconds == 300
    assert [(f.section, f.url.rsplit("/", 1)[1]) for f in outlet.feeds] == [("Thể thao", "the-thao.rss"), ("", "rss.xml")]


@pytest.mark.parametrize(("text", "says"), [
    (GOOD.replace('every = "5m"', 'every = "5m'), "not valid TOML: .*line 5"),
    (GOOD.replace('"https://baothu.example.vn/rss.xml"', '"file:///etc/passwd"'), "outlet 1 .Báo Thử.: feed 2: needs an http.s. url"),
    (GOOD.replace('"5m"', '"20s"'), "polls more than once a minute; give 1m or more"),
    (GOOD.replace('"5m"', '"often"'), "every: 'often' is not an interval"),
    (GOOD.replace("feeds =", "feed ="), "no feeds"),
    (GOOD + GOOD, "the name 'Báo Thử' is used twice"),
    (GOOD.replace("every =", "evry ="), "unknown keys evry"),
    ("title = 'x'", r"no \[\[outlet\]\] tables"),
])
def test_a_broken_sources_file_names_the_file_and_what_to_fix(tmp_path, capsys, text, says):
    path = sources_file(tmp_path, text)
    with pytest.raises(DiemtinError, match=says):
        load_outlets(path)
    assert main(["sources", "--sources", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


def test_a_sources_file_that_is_not_utf8_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "legacy.toml"
    path.write_bytes(GOOD.encode("cp1258", errors="replace"))
    assert main(["sources", "--sources", str(path)]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


@pytest.fixture()
def newsroom(tmp_path):
    (tmp_path / "thoi-su.rss").write_bytes((DATA / "feed.rss").read_bytes())
    (tmp_path / "the-thao.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "trang.html").write_text("<html><body><p>Trang chủ</p></body></html>", encoding="utf-8")
    server = _serve(tmp_path, "127.0.0.1")
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_sources_check_fetches_each_feed_once_and_reports_what_it_holds(tmp_path, capsys, newsroom):
    server, base = newsroom
    path = sources_file(tmp_path, f"""
[[outlet]]
name = "Báo Mẫu"
home = "{base}/"
feeds = [{{ url = "{base}/thoi-su.rss", section = "Thời sự" }}, {{ url = "{base}/mat-tich.rss", section = "Kinh doanh" }}]

[[outlet]]
name = "Báo Thử"
home = "{base}/"
feeds = [{{ url = "{base}/the-thao.atom", section = "Thể thao" }}, {{ url = "{base}/trang.html" }}]
""")
    # loopback is refused unless allowed, as for any URL the product fetches
    assert main(["sources", "--sources", str(path), "--check"]) == 1
    assert capsys.readouterr().out.count("refused") == 4 and server.requests == []

    assert main(["sources", "--sources", str(path), "--check", "--allow-private-urls", "127.0.0.1/32"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ok    Báo Mẫu / Thời sự") and "3 entries, newest 09:00 04/10/2024 (Vietnam time)" in out[0]
    assert out[1].startswith("FAIL  Báo Mẫu / Kinh doanh") and "404" in out[1]
    assert out[2].startswith("ok    Báo Thử / Thể thao") and "2 entries, newest 09:15 06/12/2026" in out[2]
    assert out[3].startswith("FAIL  Báo Thử / (mới nhất)") and "not an RSS or Atom feed" in out[3]
    assert out[4] == "2 of 4 feeds answered"
    # each feed once, and the host's robots.txt once for both outlets on it
    assert sorted(server.requests) == ["/mat-tich.rss", "/robots.txt", "/the-thao.atom", "/thoi-su.rss", "/trang.html"]

    assert main(["sources", "--sources", str(path), "--check", "--json", "--allow-private-urls", "127.0.0.1/32"]) == 1
    checks = json.loads(capsys.readouterr().out)
    assert [(c["ok"], c["entries"]) for c in checks] == [(True, 3), (False, 0), (True, 2), (False, 0)]
    assert checks[2]["title"] == "Báo Thử - Thể thao" and checks[2]["newest"] == "2026-12-06T02:15:00"


def test_sources_lists_the_bundled_outlets(capsys):
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(load_outlets())} outlets") and str(BUNDLED) in out and "VnExpress" in out
