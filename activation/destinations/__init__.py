"""One module per destination API."""
