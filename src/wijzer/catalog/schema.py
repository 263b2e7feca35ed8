"""The validated instrument record exchanged by import, export and the crawlers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wijzer.catalog import taxonomy
from wijzer.catalog.facts.signals import KINDS as SIGNAL_KINDS
from wijzer.catalog.money import MAX_EUROS
from wijzer.catalog.safe_text import check_storable

_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$")

# What an instrument says about itself: staff may edit these; changes make versions.
DESCRIPTIVE_FIELDS = (
    "title",
    "summary",
    "description",
    "funder",
    "level",
    "regions",
    "municipality",
    "instrument_type",
    "themes",
    "sizes",
    "stages",
    "amount_min",
    "amount_max",
    "budget_total",
    "opens_at",
    "deadlines",
    "language",
    "url",
    "applicants",
    "purposes",
    "geography",
    "confirmed_status",
)
PROVENANCE_FIELDS = ("source", "source_id", "source_url")
# What the facts rest on: the quote for each fact and the status signals (derived from the
# text by `catalog.fact_records`), and the record's own source document with its provenance.
EVIDENCE_FIELDS = ("evidence", "status_signals", "source_text", "source_document")
# Fields a record carries; anything else in an import line is kept under `extra`.
RECORD_FIELDS = (
    "id",
    *DESCRIPTIVE_FIELDS,
    *PROVENANCE_FIELDS,
    *EVIDENCE_FIELDS,
    "fetched_at",
    "extra",
)
# Bookkeeping an export adds; the catalog owns these, so an import ignores them.
CATALOG_MANAGED = frozenset(
    {
        "created_at",
        "updated_at",
        "withdrawn_at",
        "review_state",
        "merged_into",
        "version",
        "official_url",
        "official_url_evidence",
        "status",
        "regions_label",
        # Added by the export (the facts contract); derived again on import.
        "status_evidence",
        "status_conflicts",
        "last_seen",
        "overridden",
    }
)


class InstrumentRecord(BaseModel):
    """One funding instrument as a source or a file describes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str
    title: str = Field(min_length=1, max_length=500)
    summary: str = ""
    description: str = ""
    funder: str = ""
    level: str
    regions: list[str] = Field(default_factory=list)
    municipality: str | None = None
    instrument_type: str
    themes: list[str] = Field(default_factory=list)
    sizes: list[str] = Field(default_factory=list)
    stages: list[str] = Field(default_factory=list)
    # Finite and bounded: `Infinity` or `1e309` would be stored and then break JSON output.
    amount_min: float | None = Field(default=None, ge=0, le=MAX_EUROS, allow_inf_nan=False)
    amount_max: float | None = Field(default=None, ge=0, le=MAX_EUROS, allow_inf_nan=False)
    budget_total: float | None = Field(default=None, ge=0, le=MAX_EUROS, allow_inf_nan=False)
    opens_at: dt.date | None = None
    deadlines: list[dt.date] = Field(default_factory=list)
    language: str = "nl"
    url: str | None = None
    applicants: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)
    geography: str | None = Field(default=None, max_length=200)
    #: A status staff confirmed with the funder; it wins over what the text says.
    confirmed_status: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    status_signals: list[dict[str, Any]] = Field(default_factory=list)
    source_text: str = ""
    source_document: dict[str, Any] = Field(default_factory=dict)
    source: str = "import"
    source_id: str | None = None
    source_url: str | None = None
    fetched_at: dt.datetime | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return check_storable(value)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID_PATTERN.match(value):
            raise ValueError("id must be 1-200 characters of letters, digits and . _ : / -")
        if any(segment in (".", "..") for segment in value.split("/")):
            # Ids are parts of URLs (/instruments/<id>): no segment may climb the path.
            raise ValueError("id must not contain . or .. as a part between slashes")
        return value

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        return taxonomy.check_code("level", value)

    @field_validator("instrument_type")
    @classmethod
    def _type(cls, value: str) -> str:
        return taxonomy.check_code("instrument_type", value)

    @field_validator("regions")
    @classmethod
    def _regions(cls, values: list[str]) -> list[str]:
        return sorted({taxonomy.check_code("region", v) for v in values})

    @field_validator("themes")
    @classmethod
    def _themes(cls, values: list[str]) -> list[str]:
        return sorted({taxonomy.check_code("theme", v) for v in values})

    @field_validator("sizes")
    @classmethod
    def _sizes(cls, values: list[str]) -> list[str]:
        return sorted({taxonomy.check_code("size", v) for v in values})

    @field_validator("stages")
    @classmethod
    def _stages(cls, values: list[str]) -> list[str]:
        return sorted({taxonomy.check_code("stage", v) for v in values})

    @field_validator("applicants")
    @classmethod
    def _applicants(cls, values: list[str]) -> list[str]:
        codes = {taxonomy.check_code("applicant", v) for v in values}
        return [c for c in taxonomy.APPLICANTS if c in codes]

    @field_validator("purposes")
    @classmethod
    def _purposes(cls, values: list[str]) -> list[str]:
        codes = {taxonomy.check_code("purpose", v) for v in values}
        return [c for c in taxonomy.PURPOSES if c in codes]

    @field_validator("confirmed_status")
    @classmethod
    def _confirmed(cls, value: str | None) -> str | None:
        return taxonomy.check_code("status", value) if value else None

    @field_validator("geography")
    @classmethod
    def _geography(cls, value: str | None) -> str | None:
        return " ".join(value.split()) or None if value else None

    @field_validator("status_signals")
    @classmethod
    def _signals(cls, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for value in values:
            if value.get("kind") not in SIGNAL_KINDS:
                raise ValueError(f"unknown status evidence kind {value.get('kind')!r}")
        return values

    @field_validator("deadlines")
    @classmethod
    def _deadlines(cls, values: list[dt.date]) -> list[dt.date]:
        return sorted(set(values))

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in taxonomy.LANGUAGES:
            raise ValueError(f"unknown language {value!r}; expected nl or en")
        return value

    @field_validator("url", "source_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://\S+$", value):
            raise ValueError("url must start with http:// or https://")
        return value or None

    @model_validator(mode="after")
    def _consistent(self) -> InstrumentRecord:
        if (
            self.amount_min is not None
            and self.amount_max is not None
            and self.amount_min > self.amount_max
        ):
            raise ValueError("amount_min is larger than amount_max")
        if self.level == "regional" and not self.regions and not self.municipality:
            # Multi-province schemes exist without a single province; allowed, nothing to check.
            pass
        return self

    def content(self) -> dict[str, Any]:
        """The fields that define the instrument's content, in JSON-ready form."""
        data = self.model_dump(mode="json", exclude={"fetched_at"})
        return data


class RecordError(ValueError):
    """A record that failed validation, with the line, field and reason."""

    def __init__(self, line: int, field: str, reason: str):
        super().__init__(f"line {line}: {field}: {reason}")
        self.line = line
        self.field = field
        self.reason = reason


def _from_seed(data: dict[str, Any]) -> dict[str, Any]:
    """Map the seed exchange format (region, deadline, source_file) onto the record fields."""
    data = dict(data)
    if "region" in data:
        region = data.pop("region")
        if region and "regions" not in data:
            data["regions"] = [region] if isinstance(region, str) else list(region)
    if "deadline" in data:
        deadline = data.pop("deadline")
        if deadline and "deadlines" not in data:
            data["deadlines"] = [deadline]
    if isinstance(data.get("evidence_detail"), dict):
        # An export read back: the full evidence, not the contract's {fact: quote}.
        data["evidence"] = data.pop("evidence_detail")
    for key in CATALOG_MANAGED:
        data.pop(key, None)
    extra = dict(data.get("extra") or {})
    for key in list(data):
        if key not in RECORD_FIELDS:
            extra[key] = data.pop(key)
    if extra:
        data["extra"] = extra
    if "source" not in data and "source_file" in extra:
        data["source"] = "seed"
    return data


def parse_record(data: Any, line: int = 0) -> InstrumentRecord:
    """Validate one decoded JSON object; raise RecordError naming the first bad field."""
    if not isinstance(data, dict):
        raise RecordError(line, "(record)", "expected a JSON object")
    if not isinstance(data.get("extra") or {}, dict):
        raise RecordError(line, "extra", "expected a JSON object")
    try:
        return InstrumentRecord.model_validate(_from_seed(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(record)"
        reason = first["msg"].removeprefix("Value error, ")
        raise RecordError(line, field, reason) from None


def to_exchange(record: dict[str, Any]) -> dict[str, Any]:
    """The seed exchange format of a record dict: region and deadline beside the full fields."""
    out = dict(record)
    regions = out.get("regions") or []
    out["region"] = regions[0] if len(regions) == 1 else None
    deadlines = out.get("deadlines") or []
    out["deadline"] = deadlines[-1] if deadlines else None
    extra = out.pop("extra", None) or {}
    for key, value in extra.items():
        out.setdefault(key, value)
    return out
