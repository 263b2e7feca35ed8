"""The staff area's domain logic: accounts, review, overrides, merges, tagging, audit, health."""

from __future__ import annotations

from enum import StrEnum


class CurationErrorCode(StrEnum):
    """Why a staff action was refused, stable for callers that word the advice themselves (the
    English reason is for the CLI, the audit trail and the logs and may be reworded)."""

    #: The value is not accepted (a malformed address or amount, an unknown code or role).
    INVALID = "invalid"
    #: A value the action needs is missing: a reason, a selection, codes to add or remove.
    MISSING = "missing"
    #: A staff account with that address exists already.
    EXISTS = "exists"
    #: No staff account or instrument has that address or id.
    NOT_FOUND = "not_found"
    #: A field staff cannot set through this action.
    NOT_EDITABLE = "not_editable"
    #: A merge of an instrument into itself.
    INTO_ITSELF = "into_itself"
    #: A record that is merged into another one already (it cannot take part in a merge).
    ALREADY_MERGED = "already_merged"
    #: A split of a record that is not merged.
    NOT_MERGED = "not_merged"
    #: A merge of records of different funders that staff did not check.
    DIFFERENT_FUNDERS = "different_funders"


class CurationError(ValueError):
    """A staff action that cannot be done; names the field or parameter, the reason and why
    (`code`)."""

    def __init__(
        self, field: str, reason: str, code: CurationErrorCode = CurationErrorCode.INVALID
    ):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.code = code
