"""The plan of a diff sync, computed in SQL: what to create, update, retry, remove, and what is
unchanged or held back by consent. A dry run prints it; the real run executes the same plan.

Per sync and record, `ops.sync_state` remembers the hash of the fields last sent, the
destination's id and whether the last attempt failed (failed records are retried).
"""

import json
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from activation.consent_gate import gated_segment_sql
from expectations.runner import SuiteResult, validate

STATE_DDL = """
    create table if not exists ops.sync_state (
        sync_name varchar not null,
        record_key varchar not null,
        field_hash varchar,
        destination_id varchar,
        last_status varchar not null,
        last_error varchar,
        synced_at timestamptz not null,
        primary key (sync_name, record_key)
    )
"""
SENDING = ("create", "update", "retry")


@dataclass(frozen=True)
class SyncSpec:
    """One sync: a segment, the purpose its consent must cover, and the field mapping."""

    name: str
    destination: str
    segment: str
    purpose: str
    mapping: dict[str, str]  # warehouse column -> destination field
    channel: str = "email"
    key_column: str = "lead_id"
    suite: str = "crm_outgoing"


@dataclass
class SyncPlan:
    spec: SyncSpec
    to_send: pd.DataFrame  # segment columns + record_key, payload, field_hash, operation
    removed: list[str]
    unchanged: int
    held_back_by_consent: int
    check: SuiteResult
    counts: dict[str, int] = field(default_factory=dict)

    def records(self) -> list[tuple[str, dict]]:
        """(record key, destination fields) of every record to send."""
        return [
            (key, json.loads(payload))
            for key, payload in zip(
                self.to_send["record_key"], self.to_send["payload"], strict=True
            )
        ]


def _payload_sql(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{dest}': gated.{col}" for col, dest in mapping.items()) + "}"


def build_plan(
    con: duckdb.DuckDBPyConnection, spec: SyncSpec, full_resync: bool = False
) -> SyncPlan:
    """Diff the consented segment against what was last sent; validate what would be sent."""
    con.execute(STATE_DDL)
    payload = _payload_sql(spec.mapping)
    diffed = con.execute(
        f"""
        with
        gated as ({gated_segment_sql(spec.segment)}),
        mapped as (
            select
                gated.*,
                gated.{spec.key_column}::varchar as record_key,
                to_json({payload})::varchar as payload
            from gated
            where gated.gate_passed
        ),
        hashed as (select *, md5(payload) as field_hash from mapped),
        state as (select * from ops.sync_state where sync_name = $sync_name)
        select
            hashed.* exclude (record_key, gate_passed),
            coalesce(hashed.record_key, state.record_key) as record_key,
            case
                when state.record_key is null then 'create'
                when hashed.record_key is null then 'remove'
                when state.last_status = 'failed' then 'retry'
                when $full_resync or state.field_hash is distinct from hashed.field_hash
                    then 'update'
                else 'unchanged'
            end as operation
        from hashed
        full outer join state on hashed.record_key = state.record_key
        order by record_key
        """,
        {
            "purpose": spec.purpose,
            "channel": spec.channel,
            "sync_name": spec.name,
            "full_resync": full_resync,
        },
    ).df()
    held_back = con.execute(
        f"select count(*) from ({gated_segment_sql(spec.segment)}) where not gate_passed",
        {"purpose": spec.purpose, "channel": spec.channel},
    ).fetchone()[0]
    to_send = diffed[diffed["operation"].isin(SENDING)].reset_index(drop=True)
    counts = diffed["operation"].value_counts().to_dict()
    plan = SyncPlan(
        spec=spec,
        to_send=to_send,
        removed=diffed.loc[diffed["operation"] == "remove", "record_key"].tolist(),
        unchanged=int(counts.get("unchanged", 0)),
        held_back_by_consent=int(held_back),
        check=validate(to_send, spec.suite),
    )
    plan.counts = {
        **{op: int(counts.get(op, 0)) for op in (*SENDING, "remove", "unchanged")},
        "held_back_by_consent": plan.held_back_by_consent,
        "rule_violations": sum(rule.unexpected_count for rule in plan.check.failures),
    }
    return plan
