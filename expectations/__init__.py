"""Great Expectations suites kept as files, and the runner that turns results into verdicts."""
