"""The database of record: instruments, their history, provenance and taxonomy."""
