"""Turn a user-actionable error into a Dagster failure with just its message."""

from contextlib import contextmanager

import dagster as dg

from leadpipe.errors import LeadpipeError


@contextmanager
def user_errors_as_failures():
    """Re-raise LeadpipeError as dg.Failure: the run shows the fix, not a stack trace."""
    try:
        yield
    except LeadpipeError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None
