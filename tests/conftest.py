"""Shared fixtures: the seed articles and the dev files in ../shared/data, read in place."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared" / "data"
VIMS = SHARED / "mds" / "vims-dev.jsonl"
ABMUSU = SHARED / "mds" / "abmusu-train.jsonl"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here (../shared/data missing)")
