"""Sync one segment to HubSpot: consent gate, blocking GX check, batched upsert, sync log."""

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pandas as pd
import requests

from activation.consent_gate import consented_rows
from activation.destinations import hubspot
from activation.sync_log import record_run
from expectations.runner import SuiteResult, validate
from leadpipe.errors import LeadpipeError

HUBSPOT_MAPPING = {  # warehouse column -> HubSpot contact property
    "email": "email",
    "first_name": "firstname",
    "last_name": "lastname",
    "phone_e164": "phone",
    "company": "company",
    "job_title": "jobtitle",
    "tier": "leadpipe_tier",
    "total_score": "leadpipe_score",
    "score_reasons": "leadpipe_score_reasons",
    "lead_id": "leadpipe_lead_id",
}


class GateViolation(LeadpipeError):
    """Rows headed for a destination broke the outgoing data-quality suite; nothing was sent."""

    def __init__(self, result: SuiteResult):
        super().__init__(f"Sync stopped, nothing sent. {result.describe()}")
        self.result = result


@dataclass
class SyncReport:
    sync_name: str
    rows_in_segment: int
    refused_by_consent: int
    sent: int
    succeeded: int
    failed: int
    created: int


def sync_to_hubspot(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    base_url: str,
    segment: str,
    purpose: str,
    run_id: str,
    sync_name: str,
) -> SyncReport:
    """Upsert the consented rows of `segment` into HubSpot contacts and log the run."""
    started = datetime.now(UTC)
    rows, refused = consented_rows(con, segment, purpose)
    check = validate(rows, "crm_outgoing")
    if not check.success:
        _log(
            con,
            run_id,
            sync_name,
            started,
            "blocked",
            len(rows) + refused,
            refused,
            [],
            check.describe(),
        )
        raise GateViolation(check)
    records = [
        (row["lead_id"], {prop: _plain(row[col]) for col, prop in HUBSPOT_MAPPING.items()})
        for row in rows.to_dict("records")
    ]
    outcomes = hubspot.upsert_contacts(session, base_url, records)
    _log(
        con,
        run_id,
        sync_name,
        started,
        "success" if all(o.success for o in outcomes) else "partial",
        len(rows) + refused,
        refused,
        outcomes,
        None,
    )
    return SyncReport(
        sync_name=sync_name,
        rows_in_segment=len(rows) + refused,
        refused_by_consent=refused,
        sent=len(outcomes),
        succeeded=sum(o.success for o in outcomes),
        failed=sum(not o.success for o in outcomes),
        created=sum(o.created for o in outcomes),
    )


def _plain(value):
    """Values as JSON-friendly scalars; missing values as None (never sent, never overwrite)."""
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _log(con, run_id, sync_name, started, status, in_segment, refused, outcomes, message):
    changes = [
        {
            "run_id": run_id,
            "sync_name": sync_name,
            "record_key": o.key,
            "operation": "create" if o.created else "upsert",
            "status": "success" if o.success else "failed",
            "destination_id": o.destination_id,
            "error": o.error,
        }
        for o in outcomes
    ]
    record_run(
        con,
        {
            "run_id": run_id,
            "sync_name": sync_name,
            "destination": "hubspot",
            "started_at": started,
            "finished_at": datetime.now(UTC),
            "status": status,
            "rows_in_segment": in_segment,
            "refused_by_consent": refused,
            "sent": len(outcomes),
            "succeeded": sum(o.success for o in outcomes),
            "failed": sum(not o.success for o in outcomes),
            "message": message,
        },
        changes,
        datetime.now(UTC),
    )
