"""Imported lists: rows of a trade-show CSV (declared with a lawful basis) and of a partner
Excel file that arrives without its declaration (the whole batch must be quarantined)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from openpyxl import Workbook, load_workbook

if TYPE_CHECKING:
    from datetime import datetime

    from sandbox.generator import Generator, Person, SandboxData

DECLARED, UNDECLARED = "salon-lyon-2026", "partenaires-q4"
STREAMS = (DECLARED, UNDECLARED)
HEADERS = ("Prénom", "Nom", "E-mail", "Téléphone", "Société", "Fonction", "Pays", "Date")
COLUMNS = {  # the mapping leadpipe.yml gives: file column -> field
    "Prénom": "first_name",
    "Nom": "last_name",
    "E-mail": "email",
    "Téléphone": "phone",
    "Société": "company",
    "Fonction": "job_title",
    "Pays": "country",
    "Date": "captured_at",
}
DECLARATION = {
    "lawful_basis": "legitimate_interest",
    "source": "Salon Lyon 2026: visitors who left their business card",
    "direction": "outbound",
}


def write(gen: Generator, data: SandboxData, person: Person, at: datetime) -> str:
    typed = gen.typed(person)
    batch = DECLARED if gen.rng.random() < 0.75 else UNDECLARED
    rows = data.records("imports").setdefault(batch, [])
    rows.append(
        dict(
            zip(
                HEADERS,
                (
                    typed["first_name"],
                    typed["last_name"],
                    typed["email"],
                    typed["phone"],
                    typed["company"],
                    typed["job_title"],
                    typed["country"],
                    at.strftime("%Y-%m-%d %H:%M:%S"),
                ),
                strict=True,
            )
        )
    )
    return f"{batch}#{len(rows)}"


def write_files(data: SandboxData, folder: Path) -> Path:
    """Drop the batches in an import folder as users would: a CSV with its declaration, an
    Excel file without one."""
    folder.mkdir(parents=True, exist_ok=True)
    batches = data.records("imports")
    with (folder / f"{DECLARED}.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, HEADERS)
        writer.writeheader()
        writer.writerows(batches.get(DECLARED, []))
    (folder / f"{DECLARED}.csv.yml").write_text(yaml.safe_dump(DECLARATION, allow_unicode=True))
    excel = folder / f"{UNDECLARED}.xlsx"
    rows = [list(HEADERS)] + [[row[h] for h in HEADERS] for row in batches.get(UNDECLARED, [])]
    if excel.exists() and _excel_rows(excel) == rows:
        return folder  # saving again would change its bytes (Excel stamps the save time)
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(excel)
    return folder


def _excel_rows(path: Path) -> list[list]:
    book = load_workbook(path, read_only=True)
    try:
        return [list(row) for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()
