"""The command line as a user runs it: real files, real output, clear errors, no tracebacks."""

import json
import subprocess
import sys

import pytest

from diemtin.cli import main
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
