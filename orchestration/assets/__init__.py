"""Asset definitions, one module per domain."""

# The op tag of the steps that close a run (compaction, quality docs): of the steps ready to
# run, they go last.
RUN_LAST = {"dagster/priority": "-1"}
