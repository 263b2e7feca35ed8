"""The structured-fit rules, defined once for one record and for thousands.

Each rule looks at a table of records (`FitTable`, one row per record) and gives every row an
*outcome* with numpy; the outcome decides both the score adjustment (a weight per outcome) and
the reason shown (`Rule.reason`). `Matcher.match` evaluates the rules over its candidates,
`Matcher.score_batch` over a batch of new instruments for thousands of alert profiles, and
`explain.assess` over a table of one record: the same code in every path.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from wijzer.catalog.status import Decision, closes_at, next_deadline, status_of
from wijzer.catalog.vocabulary.places import provinces_in
from wijzer.matcher import reasons
from wijzer.matcher.profile import Profile
from wijzer.matcher.reasons import Kind, Reason
from wijzer.matcher.understanding import Understanding

# Score adjustments on top of the retrieval score (0..1). Blockers sink a result below fits.
REGION_MATCH = 0.4
REGION_UNKNOWN = -0.25
LEVEL_EU_WANTED = 0.15
TYPE_WANTED = 0.2
TYPE_UNDERSTOOD = 0.1
TYPE_NOT_WANTED = -0.08
THEME_MATCH = 0.05
AMOUNT_FITS = 0.05
BLOCKER_REGION = -1.0
BLOCKER_CLOSED = -0.25
# Not known to be open: shown, with "check with the funder", after a confirmed open one that
# fits as well.
STATUS_UNKNOWN = -0.15
BLOCKER_OTHER = -0.5
# "innovatie" tags most of the catalog, so sharing it says nothing about fit.
UNINFORMATIVE_THEMES = frozenset({"innovatie"})


def record_text(record: dict[str, Any]) -> str:
    return " ".join(str(record.get(k) or "") for k in ("title", "summary", "description", "funder"))


def instrument_regions(record: dict[str, Any]) -> list[str]:
    """The provinces a regional scheme is for; schemes for a part of the country
    ("Oost-Nederland") name no province, so those are read from the text."""
    regions = list(record.get("regions") or [])
    if record.get("level") == "regional" and not regions:
        regions = list(provinces_in(record_text(record)))
    return regions


@dataclass(frozen=True)
class Asks:
    """What a profile asks of an instrument: its fields, else what its text says."""

    region: str | None
    wants: tuple[str, ...]
    mentioned_types: tuple[str, ...]
    themes: frozenset[str]
    wants_eu: bool
    size: str | None
    stage: str | None
    amount: float | None

    @classmethod
    def of(cls, profile: Profile, understanding: Understanding) -> Asks:
        return cls(
            region=profile.region or understanding.region,
            wants=tuple(profile.wants),
            mentioned_types=tuple(understanding.types),
            themes=frozenset(understanding.themes) - UNINFORMATIVE_THEMES,
            wants_eu=understanding.wants_eu,
            size=profile.size,
            stage=profile.stage,
            amount=profile.amount if profile.amount is not None else understanding.amount,
        )


class Membership:
    """Which codes each row holds (its regions, themes, ...), as a boolean matrix."""

    def __init__(self, values: Sequence[Sequence[str]]):
        self.values = [tuple(v) for v in values]
        self.columns = {c: i for i, c in enumerate(dict.fromkeys(c for v in values for c in v))}
        self.matrix = np.zeros((len(self.values), len(self.columns)), dtype=bool)
        for row, codes in enumerate(self.values):
            for code in codes:
                self.matrix[row, self.columns[code]] = True
        #: Rows that hold any code at all (a record that states its sizes, ...).
        self.stated = self.matrix.any(axis=1)

    def has(self, code: str) -> np.ndarray:
        column = self.columns.get(code)
        if column is None:
            return np.zeros(len(self.values), dtype=bool)
        return self.matrix[:, column]

    def any_of(self, codes: Iterable[str]) -> np.ndarray:
        return self.count(codes) > 0

    def count(self, codes: Iterable[str]) -> np.ndarray:
        columns = [self.columns[c] for c in codes if c in self.columns]
        return self.matrix[:, columns].sum(axis=1)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None


class FitTable:
    """The facts the rules read, one row per record; built once per set of records."""

    def __init__(self, records: Sequence[dict[str, Any]], today: dt.date):
        self.records = list(records)
        self.today = today
        self.ids = np.array([r["id"] for r in self.records], dtype=str)
        self.levels = Membership([(r.get("level") or "",) for r in self.records])
        self.regions = Membership([instrument_regions(r) for r in self.records])
        self.kinds = Membership([(r.get("instrument_type") or "",) for r in self.records])
        self.themes = Membership([r.get("themes") or () for r in self.records])
        self.sizes = Membership([r.get("sizes") or () for r in self.records])
        self.stages = Membership([r.get("stages") or () for r in self.records])
        self.applicants = Membership([r.get("applicants") or () for r in self.records])
        self.amount_min = np.array([_amount(r.get("amount_min")) for r in self.records])
        self.amount_max = np.array([_amount(r.get("amount_max")) for r in self.records])
        self.opens = [_date(r.get("opens_at")) for r in self.records]
        deadlines = [r.get("deadlines") or [] for r in self.records]
        # The status as of today from what each source said (catalog.status), with the words.
        self.decisions: list[Decision] = [status_of(r, today) for r in self.records]
        self.status = np.array([d.status for d in self.decisions], dtype=str)
        self.last_deadline = [closes_at(d) for d in deadlines]
        self.next_deadline = [next_deadline(d, today) for d in deadlines]

    def __len__(self) -> int:
        return len(self.records)

    @functools.cached_property
    def id_order(self) -> np.ndarray:
        """Each row's place in id order (ties in score go to the smaller id)."""
        return np.argsort(np.argsort(self.ids, kind="stable"), kind="stable")

    @functools.cached_property
    def level_kinds(self) -> np.ndarray:
        return LevelRule.level_kinds(self)

    @functools.cached_property
    def deadline_outcomes(self) -> np.ndarray:
        return DeadlineRule.classify(self)


def _amount(value: Any) -> float:
    return float(value) if value is not None else np.nan


class Rule:
    """One structured-fit rule: an outcome per row, a weight and a reason per outcome.

    Outcome 0 means "nothing to say"; `WEIGHTS[outcome]` is the score adjustment.
    """

    WEIGHTS: ClassVar[tuple[float, ...]]
    #: Outcomes that are blockers (a blocked row is left out by `hide_blockers`).
    BLOCKING: ClassVar[tuple[int, ...]] = ()

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        raise NotImplementedError

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        raise NotImplementedError


class LevelRule(Rule):
    """Regional schemes for the profile's province fit; for another province they block."""

    (NONE, IN_REGION, ELSEWHERE, PLACE_UNKNOWN, UNNAMED, NATIONAL, EU, EU_WANTED) = range(8)
    WEIGHTS = (
        0.0,
        REGION_MATCH,
        BLOCKER_REGION,
        REGION_UNKNOWN,
        REGION_UNKNOWN,
        0.0,
        0.0,
        LEVEL_EU_WANTED,
    )
    BLOCKING = (ELSEWHERE,)

    # What a row is, whoever asks (kept by the table): no level, national, EU, regional
    # without a province it names, regional for named provinces.
    OTHER_LEVEL, NATIONAL_LEVEL, EU_LEVEL, REGIONAL_UNNAMED, REGIONAL_NAMED = range(5)

    @classmethod
    def level_kinds(cls, table: FitTable) -> np.ndarray:
        regional = table.levels.has("regional")
        return np.select(
            [table.levels.has("national"), table.levels.has("eu"), regional],
            [
                cls.NATIONAL_LEVEL,
                cls.EU_LEVEL,
                np.where(table.regions.stated, cls.REGIONAL_NAMED, cls.REGIONAL_UNNAMED),
            ],
            cls.OTHER_LEVEL,
        )

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        eu = self.EU_WANTED if asks.wants_eu else self.EU
        named = (self.ELSEWHERE, self.IN_REGION) if asks.region else (self.PLACE_UNKNOWN,) * 2
        # outcome[level * 2 + inside the profile's province]
        by_level = np.array(
            [self.NONE] * 2 + [self.NATIONAL] * 2 + [eu] * 2 + [self.UNNAMED] * 2 + [*named]
        )
        inside = table.regions.has(asks.region) if asks.region else False
        return by_level[table.level_kinds * 2 + inside]

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        provinces = table.regions.values[row]
        if outcome == self.IN_REGION:
            return reasons.region_fits(provinces)
        if outcome == self.ELSEWHERE:
            return reasons.region_only(provinces)
        if outcome in (self.PLACE_UNKNOWN, self.UNNAMED):
            return reasons.regional(provinces)
        if outcome == self.NATIONAL:
            return reasons.national_scheme()
        if outcome in (self.EU, self.EU_WANTED):
            return reasons.european_scheme(wanted=outcome == self.EU_WANTED)
        return None


class TypeRule(Rule):
    """The instrument type the profile asks for, else one its text mentions."""

    NONE, WANTED, NOT_WANTED, MENTIONED = range(4)
    WEIGHTS = (0.0, TYPE_WANTED, TYPE_NOT_WANTED, TYPE_UNDERSTOOD)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        if asks.wants:
            wanted = table.kinds.any_of(asks.wants)
            return np.where(wanted, self.WANTED, self.NOT_WANTED)
        if not asks.mentioned_types:
            return np.zeros(len(table), dtype=np.intp)
        mentioned = table.kinds.any_of(asks.mentioned_types)
        return np.where(mentioned, self.MENTIONED, self.NONE)

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        (kind,) = table.kinds.values[row]
        if outcome == self.WANTED:
            return reasons.type_wanted(kind)
        if outcome == self.MENTIONED:
            return reasons.type_mentioned(kind)
        return None


class ThemeRule(Rule):
    """Themes of the profile's text that the instrument has (at most two count)."""

    WEIGHTS = (0.0, THEME_MATCH, 2 * THEME_MATCH)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        if not asks.themes:
            return np.zeros(len(table), dtype=np.intp)
        return np.minimum(table.themes.count(asks.themes), 2)

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        if not outcome:
            return None
        return reasons.theme(sorted(set(table.themes.values[row]) & asks.themes))


class _StatedRule(Rule):
    """Company size or stage: a fit when the instrument states it, a blocker when it excludes."""

    NONE, FITS, OUTSIDE = range(3)
    WEIGHTS = (0.0, 0.0, BLOCKER_OTHER)
    BLOCKING = (OUTSIDE,)

    def _value(self, asks: Asks) -> str | None:
        raise NotImplementedError

    def _membership(self, table: FitTable) -> Membership:
        raise NotImplementedError

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        value = self._value(asks)
        if not value:
            return np.zeros(len(table), dtype=np.intp)
        membership = self._membership(table)
        inside = membership.has(value)
        return np.where(membership.stated, np.where(inside, self.FITS, self.OUTSIDE), self.NONE)


class SizeRule(_StatedRule):
    def _value(self, asks: Asks) -> str | None:
        return asks.size

    def _membership(self, table: FitTable) -> Membership:
        return table.sizes

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        sizes = table.sizes.values[row]
        if outcome == self.FITS:
            return reasons.size_fits(sizes)
        return reasons.size_only(sizes) if outcome == self.OUTSIDE else None


class StageRule(_StatedRule):
    def _value(self, asks: Asks) -> str | None:
        return asks.stage

    def _membership(self, table: FitTable) -> Membership:
        return table.stages

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        stages = table.stages.values[row]
        if outcome == self.FITS:
            return reasons.stage_fits(stages)
        return reasons.stage_only(stages) if outcome == self.OUTSIDE else None


# Who may apply, among the catalog's applicant codes, that includes a company asking for a match
# (Wijzer matches startups and SMEs): any of these stated means the company may be eligible.
COMPANY_APPLICANTS = ("sme", "startup", "large_company", "consortium", "individual", "any")


class ApplicantRule(Rule):
    """Schemes whose source names only non-company applicants (fund managers, knowledge
    institutions, public bodies, non-profits) block a company; unstated says nothing."""

    NONE, OUTSIDE = range(2)
    WEIGHTS = (0.0, BLOCKER_OTHER)
    BLOCKING = (OUTSIDE,)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        members = table.applicants
        outside = members.stated & ~members.any_of(COMPANY_APPLICANTS)
        return np.where(outside, self.OUTSIDE, self.NONE)

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        if outcome != self.OUTSIDE:
            return None
        return reasons.applicant_only(table.applicants.values[row])


class AmountRule(Rule):
    """The amount needed against the instrument's range, when both are known."""

    NONE, BELOW_MINIMUM, ABOVE_MAXIMUM, FITS = range(4)
    WEIGHTS = (0.0, BLOCKER_OTHER, 0.0, AMOUNT_FITS)
    BLOCKING = (BELOW_MINIMUM,)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        out = np.zeros(len(table), dtype=np.intp)
        if asks.amount is None:
            return out
        low, high = table.amount_min, table.amount_max
        stated = ~np.isnan(low) | ~np.isnan(high)
        below = asks.amount < low  # False where unknown (nan)
        above = ~below & (asks.amount > high)
        out[stated] = self.FITS
        out[above] = self.ABOVE_MAXIMUM
        out[below] = self.BELOW_MINIMUM
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        amount = asks.amount
        if outcome == self.BELOW_MINIMUM:
            return reasons.starts_at(float(table.amount_min[row]))
        if outcome == self.ABOVE_MAXIMUM and amount is not None:
            return reasons.covers_up_to(float(table.amount_max[row]), amount)
        if outcome == self.FITS and amount is not None:
            return reasons.amount_fits(amount)
        return None


class DeadlineRule(Rule):
    """Closed instruments are blocked; otherwise when they open or close."""

    NONE, CLOSED, FORTHCOMING, CLOSES, NO_DEADLINE, UNKNOWN = range(6)
    WEIGHTS = (0.0, BLOCKER_CLOSED, 0.0, 0.0, 0.0, STATUS_UNKNOWN)
    BLOCKING = (CLOSED,)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        # The same for every profile: the table keeps it.
        return table.deadline_outcomes

    @classmethod
    def classify(cls, table: FitTable) -> np.ndarray:
        has_next = np.array([d is not None for d in table.next_deadline], dtype=bool)
        out = np.where(has_next, cls.CLOSES, cls.NO_DEADLINE)
        out[table.status == "forthcoming"] = cls.FORTHCOMING
        out[table.status == "closed"] = cls.CLOSED
        out[table.status == "unknown"] = cls.UNKNOWN
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        decision = table.decisions[row]
        quote = decision.evidence[0].quote if decision.evidence else None
        if outcome == self.UNKNOWN:
            return reasons.status_unknown()
        if outcome == self.CLOSED:
            if decision.date is None:
                return reasons.closed_stated(quote)
            return reasons.closed_since(decision.date, quote)
        if outcome == self.FORTHCOMING:
            opens = table.opens[row]
            return reasons.opens_on(opens) if opens else None
        if outcome == self.CLOSES:
            upcoming = table.next_deadline[row]
            return reasons.closes_on(upcoming) if upcoming else None
        return reasons.open_no_deadline(quote) if outcome == self.NO_DEADLINE else None


# In the order their reasons are shown; the deadline rule last (`Assessment.closed`).
RULES: tuple[Rule, ...] = (
    LevelRule(),
    TypeRule(),
    ThemeRule(),
    SizeRule(),
    StageRule(),
    ApplicantRule(),
    AmountRule(),
    DeadlineRule(),
)
# Every rule's weights and blocking outcomes in one array each, so a table's adjustments and
# blocks are one lookup (outcome + the rule's offset) and one sum: the batch scorer does this
# for every alert profile.
_OFFSETS = np.cumsum([0] + [len(rule.WEIGHTS) for rule in RULES[:-1]])[:, np.newaxis]
_WEIGHTS = np.concatenate([rule.WEIGHTS for rule in RULES])
_BLOCKING = np.concatenate([np.isin(np.arange(len(rule.WEIGHTS)), rule.BLOCKING) for rule in RULES])


@dataclass
class Assessment:
    """Every rule's outcome for every row of a table, for one profile."""

    asks: Asks
    table: FitTable
    #: One row per rule (in `RULES` order), one column per table row.
    outcomes: np.ndarray

    @functools.cached_property
    def _lookup(self) -> np.ndarray:
        return self.outcomes + _OFFSETS

    @functools.cached_property
    def adjustment(self) -> np.ndarray:
        return _WEIGHTS[self._lookup].sum(axis=0)

    @functools.cached_property
    def blocked(self) -> np.ndarray:
        return _BLOCKING[self._lookup].any(axis=0)

    @functools.cached_property
    def closed(self) -> np.ndarray:
        return self.outcomes[-1] == DeadlineRule.CLOSED

    def reasons(self, row: int) -> list[Reason]:
        """The reasons and blockers of one row, in rule order."""
        out = []
        for rule, outcome in zip(RULES, self.outcomes[:, row].tolist(), strict=True):
            reason = rule.reason(outcome, self.asks, self.table, row) if outcome else None
            if reason is not None:
                out.append(reason)
        return out


def assess_table(asks: Asks, table: FitTable) -> Assessment:
    """Evaluate every rule over every row of the table."""
    outcomes = np.empty((len(RULES), len(table)), dtype=np.intp)
    for n, rule in enumerate(RULES):
        outcomes[n] = rule.outcomes(asks, table)
    return Assessment(asks, table, outcomes)


def split(found: list[Reason]) -> tuple[list[Reason], list[Reason]]:
    """(reasons, blockers): fits and context first, as found; blockers apart."""
    return (
        [r for r in found if r.kind != Kind.BLOCKER],
        [r for r in found if r.kind == Kind.BLOCKER],
    )
