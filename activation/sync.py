"""Execute a diff sync: the plan's records go to the destination, the outcome to the state.

The plan is validated with the segment's GX suite first: a single violating row stops the
sync before anything is sent. Sent records update `ops.sync_state` (failed ones are retried on
the next run), removed ones leave it, and the run is logged in `ops.sync_runs` /
`ops.sync_changelog` in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from activation.destinations.outcome import Outcome
from activation.plan import SyncPlan, SyncSpec, build_plan
from activation.sync_log import record_run
from expectations.runner import SuiteResult
from leadpipe.errors import LeadpipeError

Send = Callable[[list[tuple[str, dict]]], list[Outcome]]


class GateViolation(LeadpipeError):
    """Rows headed for a destination broke the outgoing data-quality suite; nothing was sent."""

    def __init__(self, result: SuiteResult):
        super().__init__(f"Sync stopped, nothing sent. {result.describe()}")
        self.result = result


@dataclass
class SyncReport:
    sync_name: str
    planned: dict[str, int]
    sent: int
    succeeded: int
    failed: int
    created: int


def run_sync(
    con: duckdb.DuckDBPyConnection,
    spec: SyncSpec,
    send: Send,
    run_id: str,
    full_resync: bool = False,
) -> SyncReport:
    """Plan, validate, send and record one sync run."""
    started = datetime.now(UTC)
    plan = build_plan(con, spec, full_resync)
    if not plan.check.success:
        _record(con, plan, run_id, started, [], "blocked", plan.check.describe())
        raise GateViolation(plan.check)
    outcomes = send(plan.records()) if len(plan.to_send) else []
    status = "success" if all(o.success for o in outcomes) else "partial"
    _record(con, plan, run_id, started, outcomes, status, None)
    return SyncReport(
        sync_name=spec.name,
        planned=plan.counts,
        sent=len(outcomes),
        succeeded=sum(o.success for o in outcomes),
        failed=sum(not o.success for o in outcomes),
        created=sum(o.created for o in outcomes),
    )


def _record(
    con: duckdb.DuckDBPyConnection,
    plan: SyncPlan,
    run_id: str,
    started: datetime,
    outcomes: list[Outcome],
    status: str,
    message: str | None,
) -> None:
    now = datetime.now(UTC)
    operation = dict(zip(plan.to_send["record_key"], plan.to_send["operation"], strict=True))
    field_hash = dict(zip(plan.to_send["record_key"], plan.to_send["field_hash"], strict=True))
    changes = [
        {
            "run_id": run_id,
            "sync_name": plan.spec.name,
            "record_key": o.key,
            "operation": operation[o.key],
            "status": "success" if o.success else "failed",
            "destination_id": o.destination_id,
            "error": o.error,
        }
        for o in outcomes
    ] + [
        {
            "run_id": run_id,
            "sync_name": plan.spec.name,
            "record_key": key,
            "operation": "remove",
            "status": "success",
            "destination_id": None,
            "error": None,
        }
        for key in plan.removed
        if status != "blocked"
    ]
    state = pa.Table.from_pylist(
        [
            {
                "sync_name": plan.spec.name,
                "record_key": o.key,
                "field_hash": field_hash[o.key] if o.success else None,
                "destination_id": o.destination_id,
                "last_status": "success" if o.success else "failed",
                "last_error": o.error,
                "synced_at": now,
            }
            for o in outcomes
        ],
        schema=pa.schema(
            [
                ("sync_name", pa.string()),
                ("record_key", pa.string()),
                ("field_hash", pa.string()),
                ("destination_id", pa.string()),
                ("last_status", pa.string()),
                ("last_error", pa.string()),
                ("synced_at", pa.timestamp("us", tz="UTC")),
            ]
        ),
    )
    run = {
        "run_id": run_id,
        "sync_name": plan.spec.name,
        "destination": plan.spec.destination,
        "started_at": started,
        "finished_at": now,
        "status": status,
        "rows_in_segment": len(plan.to_send) + plan.unchanged + plan.held_back_by_consent,
        "held_back_by_consent": plan.held_back_by_consent,
        "sent": len(outcomes),
        "succeeded": sum(o.success for o in outcomes),
        "failed": sum(not o.success for o in outcomes),
        "message": message,
    }

    def update_state(tx: duckdb.DuckDBPyConnection) -> None:
        if status == "blocked":
            return
        tx.register("_state", state)
        tx.execute(
            """
            insert or replace into ops.sync_state by name
            select _state.* replace (
                coalesce(_state.destination_id, previous.destination_id) as destination_id
            )
            from _state
            left join ops.sync_state as previous
                on previous.sync_name = _state.sync_name
                and previous.record_key = _state.record_key
            """
        )
        tx.unregister("_state")
        if plan.removed:
            tx.execute(
                "delete from ops.sync_state where sync_name = ? and record_key in "
                "(select unnest(?::varchar[]))",
                [plan.spec.name, plan.removed],
            )

    record_run(con, run, changes, now, update_state)
