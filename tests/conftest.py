"""Shared fixtures: generated leads, a fresh warehouse file, the stand-ins serving them."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadpipe import warehouse as wh
from leadpipe.settings import DBT_PROJECT_DIR, DBT_TARGET_ENV, WAREHOUSE_ENV
from sandbox.generator import Generator, SandboxData
from sandbox.platforms import SandboxPlatforms, serve

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    """Tests run in parallel workers (pytest-xdist): the dbt manifest is parsed once, before the
    workers start, and each worker's pipelines write their own dbt target folder and logs."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        from orchestration.dbt_project import ensure_manifest

        ensure_manifest()
        return
    folder = DBT_PROJECT_DIR / "target" / f"tests-{worker}"
    os.environ[DBT_TARGET_ENV] = str(folder)
    os.environ["DBT_LOG_PATH"] = str(folder / "logs")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules that run whole pipelines go first, the heaviest first (`pipeline_runs(n)`). xdist
    keeps this order (--no-loadscope-reorder) instead of putting the modules with the most tests
    first, so the two workers end together."""

    def runs(item: pytest.Item) -> int:
        marker = item.get_closest_marker("pipeline_runs")
        return marker.args[0] if marker else 0

    items.sort(key=lambda item: -runs(item))  # stable: a module's tests stay in order


@pytest.fixture
def generator() -> Generator:
    return Generator(seed=7, now=NOW)


@pytest.fixture
def data(generator: Generator) -> SandboxData:
    return generator.generate(400)


@pytest.fixture
def warehouse_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(WAREHOUSE_ENV, str(path))
    return path


@pytest.fixture
def con(warehouse_file: Path):
    connection = wh.connect(warehouse_file)
    yield connection
    connection.close()


@pytest.fixture
def platforms(data: SandboxData, monkeypatch: pytest.MonkeyPatch) -> SandboxPlatforms:
    with serve(data, hubspot_requests_per_10s=None) as running:
        for name, value in running.environment().items():
            monkeypatch.setenv(name, value)
        yield running


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret keying identifier hashes, unless a module's sandbox set its own (the key must
    stay the same for as long as the hashes it made are kept)."""
    if not os.environ.get("LEADPIPE_PSEUDONYM_KEY"):
        monkeypatch.setenv("LEADPIPE_PSEUDONYM_KEY", "test-pseudonym-key-0123456789")
