"""Dagster wiring (assets, checks, resources, schedules) and the `leadpipe` command."""
