"""The daily job and its schedule, and the hourly refresh of leads for alerts."""

import dagster as dg

daily_pipeline = dg.define_asset_job(
    "daily_pipeline",
    selection=dg.AssetSelection.all(),
    description="Pull, land, unify, enrich, score, check and sync every lead.",
)

daily_schedule = dg.ScheduleDefinition(
    job=daily_pipeline,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


intraday_leads = dg.define_asset_job(
    "intraday_leads",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("activation"),
    description="Pull, unify and score new leads, without syncing: the alert sensor announces "
    "the ones that turned hot.",
)

intraday_schedule = dg.ScheduleDefinition(
    job=intraday_leads,
    cron_schedule="15 7-19 * * 1-5",  # hourly in working hours
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
