"""Connectors that pull each platform's stream and land it untouched in `raw.*`."""
