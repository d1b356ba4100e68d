"""The plan of a diff sync, computed in SQL: what to create, update, retry and remove, what is
unchanged, held back by the consent gate, or invalid for the destination. A dry run prints it;
the real run executes the same plan.

Per sync and record, `ops.sync_state` remembers the hash of the fields last sent, the
destination's id for the record, whether leadpipe created it there, and whether the last
attempt failed (failed records are retried).
"""

import json
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from activation.consent_gate import IDENTIFIER_COLUMNS, gated_members_sql
from activation.destinations.base import Change
from expectations.runner import SuiteResult, validate
from leadpipe.errors import ConfigError
from leadpipe.suppression import ensure_tables

STATE_DDL = (
    """
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
    """,
    "alter table ops.sync_state add column if not exists created_by_leadpipe boolean",
)
SENDING = ("create", "update", "retry")
COUNTED = (*SENDING, "remove", "unchanged", "invalid", "held_back_by_consent", "suppressed")
OUTGOING_SUITE = "outgoing"


@dataclass(frozen=True)
class SyncSpec:
    """One sync: a segment, a destination, how to write to it and with which fields."""

    name: str
    destination: str
    segment: str
    mode: str
    fields: dict[str, str]  # warehouse column -> destination field
    required_fields: tuple[str, ...] = ()
    gate_on: str = "email"
    overwrite_with_nulls: bool = False
    list_id: str | None = None
    list_name: str | None = None  # a list the destination finds, or creates, by name


@dataclass
class SyncPlan:
    spec: SyncSpec
    diffed: pd.DataFrame  # one row per record: record_key, operation, payload, field_hash, ...
    check: SuiteResult
    counts: dict[str, int] = field(default_factory=dict)

    def rows(self, *operations: str) -> pd.DataFrame:
        return self.diffed[self.diffed["operation"].isin(operations)]

    def changes(self) -> list[Change]:
        """What the destination must do: every record to send or remove."""
        rows = self.rows(*SENDING, "remove")
        return [
            Change(
                key=key,
                operation=operation,
                fields=self._fields(payload) if operation != "remove" else {},
                destination_id=None if pd.isna(destination_id) else destination_id,
                created_by_leadpipe=bool(created) if not pd.isna(created) else False,
            )
            for key, operation, payload, destination_id, created in zip(
                rows["record_key"],
                rows["operation"],
                rows["payload"],
                rows["destination_id"],
                rows["created_by_leadpipe"],
                strict=True,
            )
        ]

    def members(self) -> list[dict]:
        """Every record in the segment that passes the gate and is valid, as sent."""
        passing = self.diffed[~self.diffed["operation"].isin(("remove", "invalid"))]
        return [self._fields(payload) for payload in passing["payload"]]

    def _fields(self, payload: str) -> dict:
        values = json.loads(payload)
        if self.spec.overwrite_with_nulls:
            return values
        return {name: value for name, value in values.items() if value is not None}


def _payload_sql(spec: SyncSpec) -> str:
    """The mapped fields as a struct; identifiers without their own consent are blanked."""
    fields = []
    for column, name in spec.fields.items():
        value = f"gated.{column}"
        identifier = IDENTIFIER_COLUMNS.get(column)
        if identifier:
            value = f"case when gated.{identifier}_consented then {value} end"
        fields.append(f"'{name}': {value}")
    return "{" + ", ".join(fields) + "}"


def _missing_sql(spec: SyncSpec) -> str:
    """The first required destination field the payload lacks, or null."""
    if not spec.required_fields:
        return "null::varchar"
    checks = " ".join(
        f"when json_extract_string(payload, '$.\"{name}\"') is null then '{name}'"
        for name in spec.required_fields
    )
    return f"case {checks} end"


def build_plan(
    con: duckdb.DuckDBPyConnection, spec: SyncSpec, full_resync: bool = False
) -> SyncPlan:
    """Diff the gated segment against what was last sent; validate what would be sent."""
    for statement in STATE_DDL:
        con.execute(statement)
    ensure_tables(con)
    con.execute(  # the gate (keyed hashes of every identifier) runs once per plan
        f"create or replace temp table _gated as {gated_members_sql(spec.gate_on)}",
        {"segment": spec.segment},
    )
    try:
        diffed = _diff(con, spec, full_resync)
    except duckdb.BinderException as error:
        raise ConfigError(
            f"syncs.{spec.name}.fields maps a column the leads do not have (see the columns of "
            f"marts.dim_leads). DuckDB said: {str(error).splitlines()[0]}"
        ) from None
    held_back = con.execute(
        """
        select
            count(*) filter (where not gate_passed and not is_suppressed),
            count(*) filter (where is_suppressed)
        from _gated
        """
    ).fetchall()[0]
    con.execute("drop table _gated")
    outgoing = diffed[diffed["operation"].isin(SENDING)]
    plan = SyncPlan(spec=spec, diffed=diffed, check=validate(outgoing, OUTGOING_SUITE))
    counts = diffed["operation"].value_counts().to_dict()
    plan.counts = {
        **{operation: int(counts.get(operation, 0)) for operation in COUNTED},
        "held_back_by_consent": int(held_back[0]),
        "suppressed": int(held_back[1]),
        "rule_violations": sum(rule.unexpected_count for rule in plan.check.failures),
    }
    return plan


def _diff(con: duckdb.DuckDBPyConnection, spec: SyncSpec, full_resync: bool) -> pd.DataFrame:
    """One row per record in the gated segment or in the sync state, with its operation.
    Several people who passed the gate on one email are one recipient: one record is sent."""
    return con.execute(
        f"""
        with
        gated as (select * from _gated),
        state as (
            select * from ops.sync_state
            where sync_name = $sync_name and last_status != 'erase_failed'
        ),
        recipients as (  -- one record per email sent: the lead it went to before, else the first
            select gated.*
            from gated
            left join state on gated.lead_id::varchar = state.record_key
            where gated.gate_passed
            qualify not $one_per_email or row_number() over (
                partition by case when gated.email_consented then gated.email_match_key end,
                    case when not gated.email_consented then gated.lead_id end
                order by state.record_key is null, gated.lead_id
            ) = 1
        ),
        mapped as (
            select
                gated.*,
                gated.lead_id::varchar as record_key,
                to_json({_payload_sql(spec)})::varchar as payload
            from recipients as gated
        ),
        hashed as (
            select *, md5(payload) as field_hash, {_missing_sql(spec)} as missing_field
            from mapped
        )
        select
            hashed.* exclude (record_key),
            coalesce(hashed.record_key, state.record_key) as record_key,
            state.destination_id,
            state.created_by_leadpipe,
            case
                when hashed.record_key is null then 'remove'
                when hashed.missing_field is not null then 'invalid'
                when state.record_key is null then 'create'
                when state.last_status = 'failed' then 'retry'
                when $insert_only then 'unchanged'
                when $full_resync or state.field_hash is distinct from hashed.field_hash
                    then 'update'
                else 'unchanged'
            end as operation
        from hashed
        full outer join state on hashed.record_key = state.record_key
        order by record_key
        """,
        {
            "sync_name": spec.name,
            "full_resync": full_resync,
            "insert_only": spec.mode == "insert_only",
            "one_per_email": spec.gate_on == "email",
        },
    ).df()
