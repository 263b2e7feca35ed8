"""Turn posted admin forms into JSON-ready field values for the curation services."""

from __future__ import annotations

from typing import Any

from wijzer.catalog.curation import CurationError

LIST_FIELDS = ("regions", "themes", "sizes", "stages", "deadlines", "applicants", "purposes")
NUMBER_FIELDS = ("amount_min", "amount_max", "budget_total")
OPTIONAL_TEXT = ("municipality", "url", "opens_at", "geography", "confirmed_status")


def split_codes(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


def field_value(field: str, raw: str) -> Any:
    """One form value in the shape the record expects; names the field when it is not."""
    raw = (raw or "").strip()
    if field in LIST_FIELDS:
        return split_codes(raw)
    if field in NUMBER_FIELDS:
        if not raw:
            return None
        try:
            return float(raw.replace("€", "").replace(" ", "").replace(",", "."))
        except ValueError:
            raise CurationError(field, f"{raw!r} is not a number") from None
    if field in OPTIONAL_TEXT:
        return raw or None
    return raw


def display_value(field: str, value: Any) -> str:
    """A stored value as the form shows it (lists comma-separated, None empty)."""
    if value is None:
        return ""
    if field in LIST_FIELDS:
        return ", ".join(str(v) for v in value)
    if field in NUMBER_FIELDS and float(value).is_integer():
        return str(int(value))
    return str(value)


def posted_fields(form: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Values of the fields present in the form (absent fields are left alone). A list field
    comes as checkboxes or date pickers (one value each, after an empty one that makes the
    field present when nothing is ticked) or as one comma-separated text."""
    values: dict[str, Any] = {}
    for name in fields:
        if name not in form:
            continue
        if name in LIST_FIELDS:
            values[name] = [code for raw in form.getlist(name) for code in split_codes(raw)]
        else:
            values[name] = field_value(name, form.get(name, ""))
    return values
