"""Errors a user can act on: each message names the fix, no stack trace needed."""


class LeadpipeError(Exception):
    """A failure caused by configuration, credentials or input, explained for the user."""


class ConfigError(LeadpipeError):
    """A setting is missing or invalid."""


class AuthError(LeadpipeError):
    """A platform refused the credentials."""


class PlatformError(LeadpipeError):
    """A platform answered with an error that retrying will not fix."""
