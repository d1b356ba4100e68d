import dagster as dg

from orchestration.assets.dbt import dbt_leads
from orchestration.assets.ingestion import SOURCE_ASSETS
from orchestration.definitions import defs


def test_definitions_load_and_validate():
    dg.Definitions.validate_loadable(defs)
    schedule = next(s for s in defs.schedules if s.name == "daily_pipeline_schedule")
    assert schedule.cron_schedule == "0 6 * * *"


def test_lineage_is_one_connected_graph_from_each_api_to_the_crm():
    graph = defs.resolve_asset_graph()
    sync = dg.AssetKey(["activation", "hubspot_hot_leads"])
    upstream = set(graph.get(sync).parent_keys)
    frontier = set(upstream)
    while frontier:
        key = frontier.pop()
        for parent in graph.get(key).parent_keys:
            if parent not in upstream:
                upstream.add(parent)
                frontier.add(parent)
    raw = {key for asset in SOURCE_ASSETS for key in asset.keys}
    assert len(raw) == 22  # 17 API sources (3 with the definitions their records use), imports
    closing_the_loop = {
        dg.AssetKey(["raw", table])
        for table in (
            "meta_ad_insights",
            "google_ads_campaign_costs",
            "linkedin_ad_analytics",
            "linkedin_ad_accounts",
            "hubspot_contacts",
            "salesforce_leads",
        )
    }
    enrichment = {
        dg.AssetKey(["ops", f"enrichment_{name}"])
        for name in ("emails", "phones", "countries", "job_titles")
    }
    assert (raw - closing_the_loop) | enrichment <= upstream
    kpis = set(graph.get(dg.AssetKey(["marts", "kpi_channel_daily"])).parent_keys)
    frontier = set(kpis)
    while frontier:
        for parent in graph.get(frontier.pop()).parent_keys - kpis:
            kpis.add(parent)
            frontier.add(parent)
    assert closing_the_loop <= kpis  # spend and CRM outcomes reach the KPIs
    assert dg.AssetCheckKey(sync, "outgoing_gate") in graph.asset_check_keys


def test_compaction_and_quality_docs_close_the_run_even_when_a_sync_is_blocked():
    """A blocked or failed sync skips what is downstream of it: the compaction that erases a
    person's bytes from the file, and the Data Docs, must not be."""
    graph = defs.resolve_asset_graph()
    syncs = {key for key in graph.get_all_asset_keys() if key.path[0] == "activation"}
    assert syncs
    for key in (dg.AssetKey(["ops", "warehouse_compaction"]), dg.AssetKey(["ops", "quality_docs"])):
        upstream, frontier = set(), set(graph.get(key).parent_keys)
        while frontier:
            parent = frontier.pop()
            upstream.add(parent)
            frontier |= set(graph.get(parent).parent_keys) - upstream
        assert not upstream & syncs, key
        # after the erasure and the ledger, which reads a model of the whole lead-models step
        assert {dg.AssetKey(["ops", "erasure_log"]), dg.AssetKey(["marts", "consent_ledger"])} <= (
            upstream
        )
        assert dg.AssetKey(["intermediate", "int_consent_events"]) in dbt_leads.keys
        op = defs.resolve_assets_def(key).op
        assert op.tags["dagster/priority"] == "-1", "after the syncs, among the steps ready"


def test_api_sources_are_partitioned_by_day_and_backfill_in_one_run():
    from orchestration.assets.ingestion import CONNECTOR_ASSETS, DAILY

    for asset in CONNECTOR_ASSETS:
        assert asset.partitions_def == DAILY
        assert asset.backfill_policy == dg.BackfillPolicy.single_run()
    assert DAILY.get_first_partition_key() == "2024-01-01"


def test_a_partitioned_run_asks_for_its_days_and_an_unpartitioned_one_for_the_increment():
    from orchestration.assets.ingestion import DAILY, partition_window

    windows = []

    @dg.asset(partitions_def=DAILY, backfill_policy=dg.BackfillPolicy.single_run())
    def probe(context: dg.AssetExecutionContext) -> None:
        windows.append(partition_window(context))

    dg.materialize([probe], partition_key="2026-03-02")
    dg.materialize(
        [probe],
        tags={
            "dagster/asset_partition_range_start": "2026-03-01",
            "dagster/asset_partition_range_end": "2026-03-05",
        },
    )
    dg.materialize([probe])
    days = [(w.start.date().isoformat(), w.end.date().isoformat()) if w else None for w in windows]
    assert days == [("2026-03-02", "2026-03-03"), ("2026-03-01", "2026-03-06"), None]
