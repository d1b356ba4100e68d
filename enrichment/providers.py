"""Paid enrichment providers behind one interface; off unless configured.

A provider is asked only about business email addresses it was never asked about; misses are
remembered too, as every lookup may cost a credit. What it returns only fills gaps: survivorship
ranks it below every record the person gave (trust 0) and keeps the provider as provenance.
"""

import json
import time
from datetime import UTC, datetime
from typing import Protocol

import duckdb
import pyarrow as pa
import requests

from enrichment.countries import iso_code
from enrichment.job_titles import enrich_job_title
from leadpipe.errors import PlatformError
from leadpipe.http import raise_for_platform
from leadpipe.warehouse import append_rows

TABLE = "ops.enrichment_provider_values"
FIELDS = ("company", "job_title", "country_code")


class EnrichmentProvider(Protocol):
    name: str  # the provenance its values carry
    batch_size: int  # emails per lookup
    key_setting: str  # the environment variable holding its API key
    default_url: str

    def lookup(self, emails: list[str]) -> list[dict | None]:
        """For each email, in order, the FIELDS the provider knows, or None for no match."""
        ...


class PeopleDataLabs:
    """People Data Labs bulk person enrichment: POST /v5/person/bulk, up to 100 per request,
    `X-Api-Key`; a miss is a 404 inside the answer and costs nothing. The per-minute quota is
    announced in `x-ratelimit-remaining` / `x-ratelimit-reset`: spent, it waits for the reset."""

    name = "people_data_labs"
    batch_size = 100
    key_setting = "LEADPIPE_PDL_API_KEY"
    default_url = "https://api.peopledatalabs.com"

    def __init__(self, session: requests.Session, base_url: str, min_likelihood: int = 6):
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.min_likelihood = min_likelihood

    def lookup(self, emails: list[str]) -> list[dict | None]:
        body = {
            "requests": [
                {"params": {"email": [email], "min_likelihood": self.min_likelihood}}
                for email in emails
            ]
        }
        response = self.session.post(f"{self.base_url}/v5/person/bulk", json=body, timeout=60)
        raise_for_platform(response, "People Data Labs", self.key_setting)
        _wait_if_quota_spent(response)
        answers = response.json()
        if len(answers) != len(emails):
            raise PlatformError(
                f"People Data Labs answered {len(answers)} results for {len(emails)} requests."
            )
        return [_fields(answer) if answer.get("status") == 200 else None for answer in answers]


def _fields(answer: dict) -> dict:
    person = answer.get("data") or {}
    country = person.get("location_country")
    return {
        "company": _title(person.get("job_company_name")),
        "job_title": _title(person.get("job_title")),
        "country_code": iso_code(country),
        "likelihood": answer.get("likelihood"),
    }


def _title(value: str | None) -> str | None:
    """PDL answers in lowercase; a profile value reads better capitalised."""
    return value.title() if value else None


def _wait_if_quota_spent(response: requests.Response) -> None:
    remaining = response.headers.get("x-ratelimit-remaining")
    reset = response.headers.get("x-ratelimit-reset")
    if remaining is None or reset is None:
        return
    left = json.loads(remaining)  # one count per window, {"minute": 12}, or a bare count
    if (min(left.values()) if isinstance(left, dict) else int(left)) > 0:
        return
    resets_at = datetime.fromisoformat(reset).astimezone(UTC).timestamp()
    time.sleep(max(0.0, resets_at - time.time()))


def _with_title_details(answer: dict | None) -> dict | None:
    if not answer or not answer.get("job_title"):
        return answer
    _, seniority, department = enrich_job_title(answer["job_title"])
    return {**answer, "seniority": seniority, "department": department}


PROVIDERS: dict[str, type] = {PeopleDataLabs.name: PeopleDataLabs}


def ensure_table(con: duckdb.DuckDBPyConnection) -> int:
    """Create the provider cache when missing (dbt reads it, providers or not); its row count."""
    con.execute(
        f"""
        create table if not exists {TABLE} (
            provider varchar not null, email_match_key varchar not null, found boolean not null,
            company varchar, job_title varchar, seniority varchar, department varchar,
            country_code varchar, likelihood integer, fetched_at timestamptz not null default now(),
            primary key (provider, email_match_key)
        )
        """
    )
    return con.execute(f"select count(*) from {TABLE}").fetchall()[0][0]


def refresh(con: duckdb.DuckDBPyConnection, provider: EnrichmentProvider) -> int:
    """Ask the provider about every business email it was never asked about; return how many.
    Each batch is stored as soon as it is answered, so an interrupted run loses no credit."""
    ensure_table(con)
    emails = [
        key
        for (key,) in con.execute(
            f"""
            select distinct match_key from ops.enrichment_emails
            where is_valid and company_domain is not null
              and match_key not in (select email_match_key from {TABLE} where provider = ?)
            order by match_key
            """,
            [provider.name],
        ).fetchall()
    ]
    for start in range(0, len(emails), provider.batch_size):
        batch = emails[start : start + provider.batch_size]
        answers = [_with_title_details(answer) for answer in provider.lookup(batch)]
        rows = pa.table(
            {
                "provider": [provider.name] * len(batch),
                "email_match_key": batch,
                "found": [answer is not None for answer in answers],
                **{
                    field: [(answer or {}).get(field) for answer in answers]
                    for field in (*FIELDS, "seniority", "department", "likelihood")
                },
            }
        )
        append_rows(con, TABLE, rows)
    return len(emails)
