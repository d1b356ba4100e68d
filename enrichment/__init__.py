"""Offline enrichers, applied once per distinct new value and cached in `ops`."""
