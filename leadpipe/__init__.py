"""leadpipe core: the small pieces every layer may use (settings, warehouse, HTTP)."""
