"""The staff area's domain logic: accounts, review, overrides, merges, tagging, audit, health."""

from __future__ import annotations


class CurationError(ValueError):
    """A staff action that cannot be done; names the field or parameter and the reason."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
