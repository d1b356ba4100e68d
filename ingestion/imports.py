"""Imported lists: CSV or Excel files of outbound leads (trade shows, partners) in a folder.

Each file is a batch, declared by a sidecar `<file>.yml` beside it:

    lawful_basis: legitimate_interest   # or consent, contract (GDPR Art. 6 bases)
    source: Salon Lyon 2026 (visitors who left their card)
    captured_at: 2026-10-12             # optional: when the leads were collected
    columns: {"Mail pro": email}        # optional: overrides the configured mapping

Rows land untouched (every cell as text, keyed by the column header) in `raw.import_rows`, the
batch with its declaration and effective column mapping in `raw.import_batches`. A batch without
a lawful basis or source still lands, so nothing is lost, and dbt quarantines all its rows with
that reason; once the sidecar is fixed the next run lets them flow. A file is landed again only
when it or its sidecar changed.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml
from openpyxl import load_workbook

from ingestion.landing import ensure_raw_table, land_page
from leadpipe.errors import ConfigError

SOURCE = "imports"  # its section in leadpipe.yml
ROWS_TABLE = "import_rows"
BATCHES_TABLE = "import_batches"
FORMATS = (".csv", ".xlsx")
PAGE_ROWS = 50_000


@dataclass
class ImportStats:
    batches: int = 0
    rows: int = 0
    skipped_unchanged: int = 0
    undeclared: int = 0


def batch_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ConfigError(
            f"The imports folder {folder} does not exist: create it or fix sources.imports.folder."
        )
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FORMATS and p.is_file())


def _declaration(file: Path) -> tuple[dict, str | None]:
    """The sidecar's content and, when it is missing or unreadable, why."""
    sidecar = file.with_name(file.name + ".yml")
    if not sidecar.is_file():
        return {}, f"no declaration file {sidecar.name}"
    try:
        declared = yaml.safe_load(sidecar.read_text()) or {}
    except yaml.YAMLError:
        return {}, f"{sidecar.name} is not valid YAML"
    return (
        (declared, None) if isinstance(declared, dict) else ({}, f"{sidecar.name} is not a mapping")
    )


def _fingerprint(file: Path) -> str:
    digest = hashlib.sha256(file.read_bytes())
    sidecar = file.with_name(file.name + ".yml")
    if sidecar.is_file():
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


def _rows(file: Path, con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Every cell as text, headers as column names (DuckDB's CSV reader, openpyxl for Excel)."""
    if file.suffix.lower() == ".csv":
        return con.sql(
            "select * from read_csv($file, all_varchar = true, header = true)",
            params={"file": str(file)},
        ).to_arrow_table()
    sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows, ())]
    values = [[None if v is None else str(v) for v in row] for row in rows if any(row)]
    return pa.table({name: [row[i] for row in values] for i, name in enumerate(header)})


def land_imports(
    con: duckdb.DuckDBPyConnection, folder: Path, columns: dict[str, str], run_id: str
) -> ImportStats:
    """Land every new or changed batch of the folder, each in one transaction."""
    for table in (ROWS_TABLE, BATCHES_TABLE):
        ensure_raw_table(con, table)
    stats = ImportStats()
    for file in batch_files(folder):
        batch = file.stem
        fingerprint = _fingerprint(file)
        landed = con.execute(
            f"select payload->>'fingerprint' from raw.{BATCHES_TABLE} where _record_id = ?", [batch]
        ).fetchall()
        if landed == [(fingerprint,)]:
            stats.skipped_unchanged += 1
            continue
        declared, problem = _declaration(file)
        stats.undeclared += problem is not None or not (
            declared.get("lawful_basis") and declared.get("source")
        )
        record = {
            "batch": batch,
            "file": file.name,
            "fingerprint": fingerprint,
            "declaration_problem": problem,
            "lawful_basis": declared.get("lawful_basis"),
            "source": declared.get("source"),
            "captured_at": str(declared["captured_at"]) if declared.get("captured_at") else None,
            "direction": declared.get("direction", "outbound"),
            "columns": {**columns, **(declared.get("columns") or {})},
        }
        rows = _rows(file, con)
        now = datetime.now(UTC)
        con.execute("begin transaction")
        try:
            for start in range(0, rows.num_rows, PAGE_ROWS):
                chunk = rows.slice(start, PAGE_ROWS).to_pylist()
                ids = [f"{batch}#{start + i + 1}" for i in range(len(chunk))]
                land_page(con, ROWS_TABLE, f"imports/{batch}", chunk, None, run_id, now, ids)
            con.execute(  # rows the new version of the file no longer has
                f"delete from raw.{ROWS_TABLE} where _source = ? "
                "and split_part(_record_id, '#', -1)::integer > ?",
                [f"imports/{batch}", rows.num_rows],
            )
            land_page(con, BATCHES_TABLE, "imports", [record], lambda r: r["batch"], run_id, now)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        stats.batches += 1
        stats.rows += rows.num_rows
    return stats
