"""The search index: one backend interface, an embedded and an Elasticsearch implementation."""
