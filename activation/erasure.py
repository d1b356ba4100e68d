"""Erasure at the destinations: every sync that sent the person is asked to delete them.

The sync state says which destinations received whom, and under which id. Each destination
erases its way (HubSpot GDPR delete, Salesforce delete, Meta audience removal, an `erase` event
to the webhook, the export files rewritten without them; a Slack message cannot be unsent
through an incoming webhook: the audit says so). A destination that fails keeps its state row
as `erase_failed`, and the next run asks again; no personal data is needed for that, only the
destination's id. A destination that is down or refuses never holds up the erasure in the
warehouse.
"""

import json
from collections.abc import Callable

import duckdb

from activation.destinations.base import Change, Destination, Outcome, url_setting
from activation.plan import SyncSpec
from leadpipe.errors import LeadpipeError
from leadpipe.http import reachable

ERASE_FAILED = "erase_failed"


def erase_at_destinations(
    con: duckdb.DuckDBPyConnection,
    lead_ids: list[str],
    specs: list[SyncSpec],
    destination_for: Callable[[SyncSpec], Destination | None],
) -> str:
    """Erase the leads (and any erasure that failed before) everywhere they were sent; return
    a PII-free summary per sync, as JSON, for the audit log."""
    summary: dict[str, dict] = {}
    for spec in specs:
        rows = con.execute(
            "select record_key, destination_id from ops.sync_state where sync_name = ? and "
            "(record_key in (select unnest(?::varchar[])) or last_status = ?)",
            [spec.name, lead_ids, ERASE_FAILED],
        ).fetchall()
        if not rows:
            continue
        destination = destination_for(spec)
        if destination is not None and not getattr(destination, "can_erase", True):
            notes = destination.erase([Change(key, "remove", {}) for key, _ in rows])
            summary[spec.name] = {"cannot_erase": len(rows), "note": notes[0].error}
            _forget(con, spec.name, [key for key, _ in rows])
            continue
        outcomes: list[Outcome] = []
        if destination is None:  # switched off: asked again once it is back on
            failed = {key: f"{spec.destination} is disabled" for key, _ in rows}
        else:
            changes = [Change(key, "remove", {}, destination_id) for key, destination_id in rows]
            try:
                with reachable(url_setting(destination)):
                    outcomes = destination.erase(changes)
            except LeadpipeError as error:  # down or refusing: asked again on the next run
                failed = {key: str(error) for key, _ in rows}
            else:
                failed = {o.key: o.error or "failed" for o in outcomes if not o.success}
        _forget(con, spec.name, [o.key for o in outcomes if o.success])
        for key, error in failed.items():
            con.execute(
                "update ops.sync_state set last_status = ?, last_error = ? "
                "where sync_name = ? and record_key = ?",
                [ERASE_FAILED, error, spec.name, key],
            )
        summary[spec.name] = {
            "erased": len(rows) - len(failed),
            "failed": len(failed),
            **({"error": sorted(set(failed.values()))[0]} if failed else {}),
        }
    return json.dumps(summary, sort_keys=True)


def _forget(con: duckdb.DuckDBPyConnection, sync_name: str, keys: list[str]) -> None:
    con.execute(
        "delete from ops.sync_state where sync_name = ? "
        "and record_key in (select unnest(?::varchar[]))",
        [sync_name, keys],
    )
