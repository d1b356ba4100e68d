"""Reverse ETL: consented segments pushed to CRMs and marketing tools, with sync logs."""
