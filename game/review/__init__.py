"""After-action review: reading a run folder back into facts, verdicts and a report."""
