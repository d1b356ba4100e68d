"""Files for marketers: each sync writes its segment as CSV and Parquet in an export folder.

The files hold every member the consent gate lets through, rewritten whole when anything changed
(a mirror of the segment). Columns keep the order of the sync's field mapping. The CSV starts
with a UTF-8 byte order mark so spreadsheets read accents right, and any text cell starting with
= + - @, a tab or a carriage return (other than a plain number such as +33612345678) is
prefixed with an apostrophe, so a spreadsheet shows it rather than running it as a formula. The
Parquet file holds the same neutralised values. Both are written to a temporary name and moved
into place, so a reader never sees half a file.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from activation.destinations.base import PROFILE_FIELDS, Change, Outcome
from leadpipe.config import DestinationConfig
from leadpipe.errors import ConfigError

if TYPE_CHECKING:
    from activation.plan import SyncSpec

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9][0-9 .]*$")
UTF8_BOM = "\ufeff".encode()


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class Files:
    name = "files"
    modes = ("mirror",)
    default_fields: ClassVar[dict[str, str]] = PROFILE_FIELDS
    required_fields = ()
    gate_on = "email"
    lists_by_name = False
    secret_settings = ()

    def __init__(self, folder: Path, stem: str, columns: list[str]):
        self.folder = folder
        self.stem = stem
        self.columns = columns
        self.requests = 0

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "Files":
        folder = settings.options.get("folder")
        if not folder:
            raise ConfigError("destinations.files.options.folder is not set in leadpipe.yml.")
        return cls(Path(folder).expanduser(), spec.name, list(spec.fields.values()))

    @property
    def paths(self) -> dict[str, Path]:
        return {kind: self.folder / f"{self.stem}.{kind}" for kind in ("csv", "parquet")}

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        try:
            self.write(members())
        except OSError as error:
            message = f"could not write the export in {self.folder}: {error.strerror}"
            return [Outcome(c.key, False, error=message) for c in changes]
        return [Outcome(c.key, True, c.key, created=True) for c in changes]

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """Rewrite the files without these leads (read back from the Parquet file)."""
        parquet = self.paths["parquet"]
        if parquet.exists():
            erased = {change.key for change in changes}
            rows = pq.read_table(parquet).to_pylist()
            if rows and "lead_id" not in rows[0]:
                error = "the export has no lead_id column: remove the person by hand"
                return [Outcome(c.key, False, error=error) for c in changes]
            self.write([row for row in rows if row.get("lead_id") not in erased])
        return [Outcome(c.key, True) for c in changes]

    def write(self, rows: list[dict]) -> None:
        """Write the rows as CSV and Parquet, replacing the previous files at once."""
        table = pa.table(
            {
                column: _column([neutralise(row.get(column)) for row in rows])
                for column in self.columns
            }
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        for kind, path in self.paths.items():
            partial = path.with_name(f".{path.name}.partial")
            if kind == "csv":
                with partial.open("wb") as file:
                    file.write(UTF8_BOM)
                    pa_csv.write_csv(table, file)
            else:
                pq.write_table(table, partial)
            os.replace(partial, path)
            self.requests += 1


def _column(values: list) -> pa.Array:
    """Typed when the values share a type (scores stay numbers), else text."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], pa.string())
