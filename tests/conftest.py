"""Shared fixtures: the seed articles and the dev files in ../shared/data, read in place."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are deterministic by default (CI and a plain `pytest`): the same examples on
# every run, so a failure is never a matter of luck. `pytest --hypothesis-profile=explore`
# searches new random examples, kept in .hypothesis/; one that fails becomes an @example.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared" / "data"
VIMS = SHARED / "mds" / "vims-dev.jsonl"
ABMUSU = SHARED / "mds" / "abmusu-train.jsonl"


@pytest.fixture(scope="session", autouse=True)
def no_files_left_in_the_temporary_directory():
    """Tests write under pytest's ``tmp_path`` or remove what they made: the fuzz tests once
    left a SQLite store in /tmp on every run (162 directories had piled up)."""
    before = set(Path(tempfile.gettempdir()).glob("diemtin*"))
    yield
    left = sorted(str(p) for p in set(Path(tempfile.gettempdir()).glob("diemtin*")) - before)
    assert not left, f"tests left these in the temporary directory: {left}"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here (../shared/data missing)")


# PostgreSQL for the store tests: .ci/run starts a real server and sets this variable. Outside
# CI the PostgreSQL cases are skipped when it is unset; in CI a missing server is a failure.
POSTGRES_URL = __import__("os").environ.get("DIEMTIN_TEST_POSTGRES_URL", "")


def database_url_for(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'diemtin.db'}"
    if not POSTGRES_URL:
        if __import__("os").environ.get("CI"):
            pytest.fail("CI must set DIEMTIN_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("DIEMTIN_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)")
    from sqlalchemy import create_engine, text  # noqa: PLC0415

    from diemtin.store.database import database_url  # noqa: PLC0415

    engine = create_engine(database_url(POSTGRES_URL))
    with engine.begin() as connection:  # each test starts from an empty database
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    from diemtin.store import Store  # noqa: PLC0415

    opened = Store.open(database_url_for(request.param, tmp_path))
    yield opened
    opened.close()
