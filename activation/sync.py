"""Execute a diff sync: the plan's changes go to the destination, the outcome to the state.

The rows to send are validated with the outgoing GX suite first: a single violating row stops
the sync before anything is sent. What happens to a person who left the segment depends on the
mode: `mirror` deletes the records leadpipe created (and leaves the others where they are),
`list_membership` takes them off the list, the other modes leave the destination as it is.
Sent records update `ops.sync_state` (failed ones are retried on the next run), removed ones
leave it, and the run is logged in `ops.sync_runs` / `ops.sync_changelog` in one transaction.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from activation.destinations.base import Change, Destination, Outcome, url_setting
from activation.plan import SENDING, SyncPlan, SyncSpec, build_plan
from activation.sync_log import record_run
from expectations.runner import SuiteResult
from leadpipe.errors import LeadpipeError
from leadpipe.http import reachable

STATE_SCHEMA = pa.schema(
    [
        ("sync_name", pa.string()),
        ("record_key", pa.string()),
        ("field_hash", pa.string()),
        ("destination_id", pa.string()),
        ("created_by_leadpipe", pa.bool_()),
        ("last_status", pa.string()),
        ("last_error", pa.string()),
        ("synced_at", pa.timestamp("us", tz="UTC")),
    ]
)


class GateViolation(LeadpipeError):
    """Rows headed for a destination broke the outgoing data-quality suite; nothing was sent."""

    def __init__(self, sync_name: str, result: SuiteResult):
        super().__init__(f"Sync {sync_name} stopped, nothing sent. {result.describe()}")
        self.result = result


@dataclass
class SyncReport:
    sync_name: str
    planned: dict[str, int]
    sent: int
    succeeded: int
    failed: int
    created: int
    removed: int

    def metadata(self) -> dict[str, int]:
        return {
            **self.planned,
            "sent": self.sent,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "created": self.created,
            "removed": self.removed,
        }


def removal_is_sent(mode: str, change: Change) -> bool:
    """Whether a person leaving the segment is taken out of the destination."""
    return mode == "list_membership" or (mode == "mirror" and change.created_by_leadpipe)


def run_sync(
    con: duckdb.DuckDBPyConnection,
    spec: SyncSpec,
    destination: Destination,
    run_id: str,
    full_resync: bool = False,
) -> SyncReport:
    """Plan, validate, send and record one sync run."""
    started = datetime.now(UTC)
    plan = build_plan(con, spec, full_resync)
    if not plan.check.success:
        _record(con, plan, run_id, started, [], [], "blocked", plan.check.describe())
        raise GateViolation(spec.name, plan.check)
    changes = plan.changes()
    staying = plan.rows(*SENDING, "unchanged")["destination_id"]
    shared = set(staying.dropna())  # two leads can share one CRM contact (one email)
    to_apply, kept = [], []
    for change in changes:
        if change.operation != "remove" or (
            removal_is_sent(spec.mode, change) and change.destination_id not in shared
        ):
            to_apply.append(change)
        else:
            kept.append((change, _why_kept(spec, change, shared)))
    with reachable(url_setting(destination)):
        outcomes = destination.apply(spec.mode, to_apply, plan.members) if to_apply else []
    status = "success" if all(o.success for o in outcomes) else "partial"
    _record(con, plan, run_id, started, outcomes, kept, status, None)
    operation = {c.key: c.operation for c in to_apply}
    return SyncReport(
        sync_name=spec.name,
        planned=plan.counts,
        sent=sum(operation[o.key] != "remove" for o in outcomes),
        succeeded=sum(o.success for o in outcomes),
        failed=sum(not o.success for o in outcomes),
        created=sum(o.created for o in outcomes),
        removed=sum(o.success and operation[o.key] == "remove" for o in outcomes),
    )


def _change_rows(
    plan: SyncPlan, run_id: str, outcomes: list[Outcome], kept: list[tuple[Change, str]]
) -> list[dict]:
    operation = dict(zip(plan.diffed["record_key"], plan.diffed["operation"], strict=True))
    row = {"run_id": run_id, "sync_name": plan.spec.name}
    sent = [
        {
            **row,
            "record_key": o.key,
            "operation": operation[o.key],
            "status": "success" if o.success else "failed",
            "destination_id": o.destination_id,
            "error": o.error,
        }
        for o in outcomes
    ]
    left_in_place = [
        {
            **row,
            "record_key": c.key,
            "operation": "remove",
            "status": "skipped",
            "destination_id": c.destination_id,
            "error": why,
        }
        for c, why in kept
    ]
    invalid = plan.rows("invalid")
    refused = [
        {
            **row,
            "record_key": key,
            "operation": "invalid",
            "status": "skipped",
            "destination_id": None,
            "error": f"{field} is empty: {plan.spec.destination} requires it",
        }
        for key, field in zip(invalid["record_key"], invalid["missing_field"], strict=True)
    ]
    return sent + left_in_place + refused


def _why_kept(spec: SyncSpec, change: Change, shared: set) -> str:
    where = f"left the segment; kept in {spec.destination}"
    if change.destination_id in shared:
        return f"{where}: another lead still in the segment shares this record"
    if spec.mode == "mirror":
        return f"{where}: leadpipe did not create it"
    return f"{where} ({spec.mode} mode never removes)"


def _state_rows(plan: SyncPlan, outcomes: list[Outcome], now: datetime) -> pa.Table:
    diffed = plan.diffed.set_index("record_key")
    return pa.Table.from_pylist(
        [
            {
                "sync_name": plan.spec.name,
                "record_key": o.key,
                "field_hash": diffed.at[o.key, "field_hash"] if o.success else None,
                "destination_id": o.destination_id,
                "created_by_leadpipe": o.created,
                "last_status": "success" if o.success else "failed",
                "last_error": o.error,
                "synced_at": now,
            }
            for o in outcomes
            if diffed.at[o.key, "operation"] != "remove" or not o.success
        ],
        schema=STATE_SCHEMA,
    )


def _record(
    con: duckdb.DuckDBPyConnection,
    plan: SyncPlan,
    run_id: str,
    started: datetime,
    outcomes: list[Outcome],
    kept: list[tuple[Change, str]],
    status: str,
    message: str | None,
) -> None:
    now = datetime.now(UTC)
    blocked = status == "blocked"
    changes = [] if blocked else _change_rows(plan, run_id, outcomes, kept)
    removals = set(plan.rows("remove")["record_key"])
    gone = [o.key for o in outcomes if o.success and o.key in removals] + [c.key for c, _ in kept]
    state = _state_rows(plan, outcomes, now)
    counts = plan.counts
    run = {
        "run_id": run_id,
        "sync_name": plan.spec.name,
        "destination": plan.spec.destination,
        "mode": plan.spec.mode,
        "started_at": started,
        "finished_at": now,
        "status": status,
        "rows_in_segment": sum(
            counts[k] for k in ("create", "update", "retry", "unchanged", "invalid")
        )
        + counts["held_back_by_consent"]
        + counts["suppressed"],
        "held_back_by_consent": counts["held_back_by_consent"],
        "suppressed": counts["suppressed"],
        "invalid": counts["invalid"],
        "unchanged": counts["unchanged"],
        "sent": sum(o.key not in removals for o in outcomes),
        "removed": sum(o.success and o.key in removals for o in outcomes),
        "succeeded": sum(o.success for o in outcomes),
        "failed": sum(not o.success for o in outcomes),
        "message": message,
    }

    def update_state(tx: duckdb.DuckDBPyConnection) -> None:
        if blocked:
            return
        tx.register("_state", state)
        tx.execute(
            """
            insert or replace into ops.sync_state by name
            select _state.* replace (
                coalesce(_state.destination_id, previous.destination_id) as destination_id,
                coalesce(previous.created_by_leadpipe, false) or _state.created_by_leadpipe
                    as created_by_leadpipe
            )
            from _state
            left join ops.sync_state as previous
                on previous.sync_name = _state.sync_name
                and previous.record_key = _state.record_key
            """
        )
        tx.unregister("_state")
        if gone:
            tx.execute(
                "delete from ops.sync_state where sync_name = ? and record_key in "
                "(select unnest(?::varchar[]))",
                [plan.spec.name, gone],
            )

    record_run(con, run, changes, now, update_state)
