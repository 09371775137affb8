"""Backlinks: from a record to one comment per issue it discusses."""
