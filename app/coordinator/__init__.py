"""The e-safety coordinator's pages: coverage, AUP compliance, incidents, reports."""
