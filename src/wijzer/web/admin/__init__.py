"""The staff area (/admin): login, review queue, edits, merges, tagging, health, audit, users."""
