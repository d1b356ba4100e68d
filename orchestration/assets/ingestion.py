"""Raw landing assets: one per source platform, keyed like the dbt sources they feed.

Each run lands every configured stream (form, account, webinar) in its own transaction: a
stream that fails does not stop the others, and the asset fails afterwards naming each failed
stream. A disabled source only makes sure its (empty) raw table exists, so dbt still builds.

The API sources are partitioned by UTC day. A run without a partition (the daily schedule,
`leadpipe run`) pulls incrementally from each stream's cursor; a run for a day or a range of
days (a backfill from the Dagster UI, `leadpipe backfill`) re-pulls exactly those days, in one
run, and leaves the cursors where they are.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingestion import imports
from ingestion.connector import Connector, Window
from ingestion.landing import ensure_raw_table
from ingestion.registry import CONNECTORS
from leadpipe.errors import ConfigError, LeadpipeError
from leadpipe.http import reachable
from leadpipe.warehouse import ensure_schemas
from orchestration.assets.quality import QualityCheck, evaluate, raw_checks
from orchestration.failures import user_errors_as_failures
from orchestration.resources import ImportsResource, SourceResource

FIRST_DAY = "2024-01-01"  # the earliest day a backfill can ask for
DAILY = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="UTC")


def backfill_days(first_day: str, last_day: str) -> tuple[str, str]:
    """Check a backfill's first and last day (YYYY-MM-DD, included) against the partitions."""
    try:
        first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    except ValueError:
        raise ConfigError("A backfill needs --from and --to as YYYY-MM-DD days.") from None
    if last < first:
        raise ConfigError("The backfill's --to day is before its --from day.")
    if first < date.fromisoformat(FIRST_DAY) or last > datetime.now(UTC).date():
        raise ConfigError(f"A backfill covers days from {FIRST_DAY} to today (UTC).")
    return str(first), str(last)


def partition_window(context: dg.AssetExecutionContext) -> Window | None:
    """The days a partitioned run asks for (one day or a range), or None for the incremental
    run."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    days = context.partition_time_window
    return Window(days.start.astimezone(UTC), days.end.astimezone(UTC))


def _pull_stream(connector: Connector, con, stream_id: str, run_id: str, source, window):
    with reachable(f"sources.{connector.platform}.base_url in leadpipe.yml", connector.base_url):
        return connector.pull(con, stream_id, run_id, source.lookback, window)


def land_source(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    source: SourceResource,
    window: Window | None,
) -> dg.MaterializeResult:
    """Land every stream of one source; fail afterwards if any stream failed."""
    connector_cls = CONNECTORS[source.platform]
    with warehouse.get_connection() as con:
        ensure_schemas(con)
        for table in (connector_cls.raw_table, *connector_cls.related_tables):
            ensure_raw_table(con, table)
        if not source.enabled:
            context.log.info(f"{source.platform} is disabled in leadpipe.yml: nothing pulled")
            return dg.MaterializeResult(metadata={"enabled": False, "pulled": 0})
        with user_errors_as_failures():
            connector = source.connector()
        pulled, failed = {}, {}
        for stream_id in source.streams:
            try:
                stats = _pull_stream(connector, con, stream_id, context.run_id, source, window)
            except LeadpipeError as error:
                failed[stream_id] = str(error)
                context.log.error(f"{source.platform} {stream_id}: {error}")
                continue
            pulled[stream_id] = stats.pulled
            context.log.info(f"{stream_id}: {stats.pulled} records in {stats.pages} pages")
        rows = con.execute(f"select count(*) from raw.{connector_cls.raw_table}").fetchone()[0]
    if failed:
        messages = sorted(set(failed.values()))
        raise dg.Failure(
            description=" ".join(messages)
            + (f" (failed: {', '.join(failed)}; the others landed)" if pulled else ""),
            metadata={"pulled_per_stream": pulled, "failed_streams": list(failed)},
            allow_retries=False,
        )
    return dg.MaterializeResult(
        metadata={
            "enabled": True,
            "pulled": sum(pulled.values()),
            "pulled_per_stream": pulled,
            "backfill": (
                f"{window.start:%Y-%m-%d} to {window.end - timedelta(days=1):%Y-%m-%d}"
                if window
                else "no"
            ),
            "dagster/row_count": rows,
        }
    )


def _check_landed(context: dg.AssetExecutionContext, checks: list[QualityCheck]) -> Iterator:
    """The raw tables' GX suites, in the landing step: a step each would cost more than the
    validations."""
    with context.resources.warehouse.get_connection() as con:
        results = [evaluate(con, context.run.run_id, check) for check in checks]
    yield from results


def source_asset(connector: type[Connector]) -> dg.AssetsDefinition:
    """The raw asset of one source platform (and of the tables it lands alongside)."""
    main = dg.AssetKey(["raw", connector.raw_table])
    related = [dg.AssetKey(["raw", table]) for table in connector.related_tables]
    checks = raw_checks([connector.raw_table, *connector.related_tables])

    @dg.multi_asset(
        name=f"raw__{connector.raw_table}",
        specs=[
            dg.AssetSpec(
                main,
                group_name="ingestion",
                kinds={"python", "duckdb"},
                description=f"{connector.label}: each configured stream's new records, untouched.",
            ),
            *(
                dg.AssetSpec(
                    key,
                    group_name="ingestion",
                    kinds={"python", "duckdb"},
                    description=f"{connector.label}: definitions its records refer to.",
                )
                for key in related
            ),
        ],
        check_specs=[check.spec() for check in checks],
        required_resource_keys={"warehouse", connector.platform},
        partitions_def=DAILY,
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def _asset(context: dg.AssetExecutionContext):
        result = land_source(
            context,
            context.resources.warehouse,
            getattr(context.resources, connector.platform),
            partition_window(context),
        )
        yield dg.MaterializeResult(asset_key=main, metadata=result.metadata)
        for key in related:
            yield dg.MaterializeResult(asset_key=key)
        yield from _check_landed(context, checks)

    return _asset


IMPORT_CHECKS = raw_checks([imports.ROWS_TABLE, imports.BATCHES_TABLE])


@dg.multi_asset(
    name="raw__import_rows",
    specs=[
        dg.AssetSpec(
            ["raw", imports.ROWS_TABLE],
            group_name="ingestion",
            kinds={"python", "duckdb"},
            description="Rows of the CSV / Excel lists dropped in the imports folder, untouched.",
        ),
        dg.AssetSpec(
            ["raw", imports.BATCHES_TABLE],
            group_name="ingestion",
            kinds={"python", "duckdb"},
            description="One row per imported file: its declared lawful basis, source, columns.",
        ),
    ],
    check_specs=[check.spec() for check in IMPORT_CHECKS],
    required_resource_keys={"warehouse", "imports"},
)
def import_rows(context: dg.AssetExecutionContext):
    warehouse: DuckDBResource = context.resources.warehouse
    imports_source: ImportsResource = context.resources.imports
    with warehouse.get_connection() as con, user_errors_as_failures():
        ensure_schemas(con)
        for table in (imports.ROWS_TABLE, imports.BATCHES_TABLE):
            ensure_raw_table(con, table)
        if not imports_source.enabled:
            yield dg.MaterializeResult(
                asset_key=["raw", imports.ROWS_TABLE], metadata={"enabled": False, "pulled": 0}
            )
        else:
            stats = imports.land_imports(
                con, Path(imports_source.folder), imports_source.columns, context.run_id
            )
            yield dg.MaterializeResult(
                asset_key=["raw", imports.ROWS_TABLE],
                metadata={
                    "enabled": True,
                    "pulled": stats.rows,
                    "batches_landed": stats.batches,
                    "batches_unchanged": stats.skipped_unchanged,
                    "batches_without_declaration": stats.undeclared,
                },
            )
    yield dg.MaterializeResult(asset_key=["raw", imports.BATCHES_TABLE])
    yield from _check_landed(context, IMPORT_CHECKS)


CONNECTOR_ASSETS = [source_asset(connector) for connector in CONNECTORS.values()]
SOURCE_ASSETS = [*CONNECTOR_ASSETS, import_rows]
RAW_CHECKS = raw_checks(key.path[-1] for asset in SOURCE_ASSETS for key in asset.keys)
