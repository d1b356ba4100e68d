"""Speed to lead: a sensor that alerts on new hot leads between the daily syncs.

Every two minutes it reads the warehouse (read-only) for members of each alert sync's segment
(destination `slack`) whose consent allows the contact and who were not announced yet, and asks
for a run of those syncs' assets only. Leads turn hot whenever the models are rebuilt: by the
daily run, by the hourly `intraday_leads` schedule when it is switched on, or by hand. While
another process holds the warehouse for writing, the sensor skips and looks again next time.
"""

import hashlib

import dagster as dg
import duckdb

from activation.plan import SyncSpec
from leadpipe.settings import duckdb_config, warehouse_path
from leadpipe.warehouse import table_exists
from orchestration.assets.activation import sync_key

ALERT_DESTINATIONS = ("slack",)
INTERVAL_SECONDS = 120


def _waiting(con: duckdb.DuckDBPyConnection, spec: SyncSpec) -> list[str]:
    """Lead ids in the alert's segment, marketable for its purpose, not alerted yet."""
    announced = table_exists(con, "ops", "sync_state")
    already = (
        "and lead_id not in (select record_key from ops.sync_state where sync_name = $sync)"
        if announced
        else ""
    )
    rows = con.execute(
        f"""
        select lead_id from marts.segment_memberships
        where segment = $segment and is_marketable {already}
        order by lead_id
        """,
        {"segment": spec.segment, **({"sync": spec.name} if announced else {})},
    ).fetchall()
    return [row[0] for row in rows]


def hot_lead_alerts(specs: list[SyncSpec]) -> list[dg.SensorDefinition]:
    """The alert sensor, if any sync sends alerts."""
    alerts = [spec for spec in specs if spec.destination in ALERT_DESTINATIONS]
    if not alerts:
        return []

    @dg.sensor(
        name="hot_lead_alerts",
        minimum_interval_seconds=INTERVAL_SECONDS,
        asset_selection=dg.AssetSelection.assets(*(sync_key(spec.name) for spec in alerts)),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Alerts on new hot leads within minutes, between the daily syncs.",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        try:
            con = duckdb.connect(str(warehouse_path()), read_only=True, config=duckdb_config())
        except duckdb.Error:
            return dg.SkipReason("the warehouse is busy or not built yet: looking again soon")
        try:
            waiting = {spec.name: _waiting(con, spec) for spec in alerts}
        except duckdb.CatalogException:
            return dg.SkipReason("no segments built yet")
        finally:
            con.close()
        if not any(waiting.values()):
            return dg.SkipReason("no new hot lead to announce")
        digest = hashlib.sha256(repr(sorted(waiting.items())).encode()).hexdigest()[:16]
        count = sum(map(len, waiting.values()))
        context.log.info(f"{count} new hot leads to announce")
        return dg.RunRequest(run_key=f"hot-leads-{digest}")

    return [_sensor]
