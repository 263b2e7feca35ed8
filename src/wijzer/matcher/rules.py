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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import orjson

from wijzer.catalog import taxonomy
from wijzer.catalog.facts.actions import action_type
from wijzer.catalog.status import Decision, next_deadline, status_of
from wijzer.catalog.text import fold
from wijzer.catalog.vocabulary.places import provinces_in
from wijzer.matcher import reasons
from wijzer.matcher.profile import Profile
from wijzer.matcher.reasons import Kind, Reason
from wijzer.matcher.understanding import Understanding

# Score adjustments on top of the retrieval score (0..1). Blockers sink a result below fits.
REGION_MATCH = 0.4
REGION_UNKNOWN = -0.25
LEVEL_EU_WANTED = 0.15
# The type a profile asks for is a stated fact (eval/JUDGEMENTS.md: another type is at most
# "useful"); 0.3 / -0.2 chosen on the tuning profiles (0.2 / -0.08 before: nDCG@10 0.702 ->
# 0.711; on the held-out half 0.690 -> 0.718). A flatter fusion (RRF k = 30) gained 0.03 on
# the tuning profiles but lost 0.05 on the held-out half, so k stays 5.
TYPE_WANTED = 0.3
TYPE_UNDERSTOOD = 0.1
TYPE_NOT_WANTED = -0.2
# A type only named in the text ("zoekt een lening") is read from words, so another type sinks
# half as far as for a stated want (no change on the judged profiles, whose wants are stated;
# dev nDCG@10 0.769 -> 0.771).
TYPE_NOT_MENTIONED = -0.1
# A guarantee on a bank loan, for a profile that asks for a loan: the indirect route the judged
# profiles count as useful, or needed where the bank asks collateral (eval/JUDGEMENTS.md), so
# neither the wanted type nor another (-0.2 as another type: half 1 nDCG@10 0.727; 0.0: 0.735,
# +0.1: 0.735; held-out half 0.776 -> 0.785, recall 0.744 -> 0.773).
TYPE_GUARANTEES_LOAN = 0.0
THEME_MATCH = 0.05
# A stated range that holds the amount needed is a fact the judged profiles require for grade 2
# (eval/JUDGEMENTS.md); 0.3 chosen on the tuning profiles (0.1: nDCG@10 0.711, 0.2: 0.722,
# 0.3: 0.726, recall unchanged).
AMOUNT_FITS = 0.3
# What the money is for: a stated purpose the profile asks for, or only other purposes.
PURPOSE_FITS = 0.3
PURPOSE_OTHER = -0.1
# Who may apply: the profile's kind named by the source; a collaboration the profile has.
APPLICANT_FITS = 0.05
COLLABORATION_FITS = 0.1
# An area beyond provinces ("Noord-Nederland", developing countries) that the profile is in.
AREA_FITS = 0.1
# A scheme for projects abroad (developing countries, investments abroad), for a profile whose
# project is there: the place of the project fits as a province does (`REGION_MATCH`). At 0.1
# a Zuid-Holland grower's demonstration project in Morocco got five provincial MIT rounds above
# the scheme for it (tuning half nDCG@10 0.757 -> 0.791, from that one profile; the held-out half
# and dev unchanged).
ABROAD_FITS = REGION_MATCH
BLOCKER_REGION = -1.0
# Past its last stated window: a dated round ("2021", "2025 application period") is over for
# good; a record of the scheme itself (no year in its title) describes a scheme that recurs,
# which the judged profiles count as the right answer (eval/JUDGEMENTS.md), so it sinks less.
BLOCKER_CLOSED = -0.25
BLOCKER_CLOSED_SCHEME = -0.1
# Not known to be open: shown, with "check with the funder", after a confirmed open one that
# fits as well.
STATUS_UNKNOWN = -0.15
# Not eligible (who applies, size, amount, area): as far down as another province, so every
# result the profile may apply for comes first; still shown, with the reason.
BLOCKER_OTHER = -1.0
# A scheme only for collaborations, for a company that names no partner: it may still find
# one, so this sinks less than a rule that excludes it.
BLOCKER_COLLABORATION = -0.25
# A scheme for collaborations across borders (Interreg, Eurostars, a European consortium), for a
# company whose partners are all Dutch: it may still find a partner abroad, as the one that names
# no partner may find one, so it sinks as far.
BLOCKER_PARTNERS_ABROAD = BLOCKER_COLLABORATION
# A loan or investment the source says goes to funds or financiers, for a company: the money
# reaches companies through those funds (a fund of funds, a regional financier), an indirect
# route the judged profiles count as useful, not as ruled out (eval/JUDGEMENTS.md).
BLOCKER_THROUGH_FINANCIERS = -0.3
# A profile's amount is an estimate and rounds combine several financiers: a need counts as
# outside a loan's or fund's range only beyond this factor (a €20M round may take €15M from one
# fund; a €250k need is 5 times a €50k maximum). Set once, from the judged rulings (JUDGEMENTS.md).
AMOUNT_TOLERANCE = 1.5
# Instruments whose stated range is the loan, guarantee or investment itself: outside it they
# do not lend or invest. A subsidy pays a capped share of a bigger project, so only its minimum
# rules out.
LENDING_TYPES = ("loan", "equity", "guarantee")
# Areas beyond one province (catalog.facts.geography's labels) and the provinces in them. They
# restrict regional records only: a national or European record's level is curated, and a
# region its text names is one of its windows, not a restriction (the national MIT R&D record
# names "Zuid-Nederland" and was blocked for every other province).
AREA_PROVINCES: dict[str, tuple[str, ...]] = {
    "Noord-Nederland": ("Groningen", "Friesland", "Drenthe"),
    "Groningen en Noord-Drenthe": ("Groningen", "Drenthe"),
    "Zuid-Nederland": ("Noord-Brabant", "Limburg", "Zeeland"),
    "Brainport Eindhoven (Noord-Brabant)": ("Noord-Brabant",),
    # As the programme's own page says: "De provincies Zeeland, Noord-Brabant, Limburg, en
    # lidstaat Nederland ... vormen de Nederlandse programmapartners."
    "grensregio Vlaanderen-Nederland": ("Zeeland", "Noord-Brabant", "Limburg"),
    # "grensregio Duitsland-Nederland" has no provinces here: no source in the catalog names
    # them, so the area neither fits nor blocks (unknown is not a fit).
}
# Areas where the project must take place abroad: they fit a company working there.
ABROAD_AREAS = frozenset(
    {
        "emerging markets and developing countries",
        "DTIF countries (investments abroad)",
        "investments abroad",
    }
)
# Areas that span countries: a scheme for one of them funds projects with partners on each side
# of a border (catalog.facts.geography's labels).
TRANSNATIONAL_AREAS = frozenset(
    {
        "grensregio Vlaanderen-Nederland",
        "grensregio Duitsland-Nederland",
        "North Sea Region",
        "North West Europe",
        "Eurostars countries",
    }
)
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
    purposes: frozenset[str] = frozenset()
    #: Applicant codes the profile is: its company codes, or what it says it is instead.
    applicant_kinds: tuple[str, ...] = ()
    collaborates: bool = False
    abroad: bool = False
    partners_abroad: bool = False

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
            purposes=frozenset(understanding.purposes),
            applicant_kinds=tuple(understanding.applicant_kinds)
            or company_kinds(profile.size, profile.stage),
            collaborates=understanding.collaborates,
            abroad=understanding.abroad,
            partners_abroad=understanding.partners_abroad,
        )

    @property
    def types_asked(self) -> tuple[str, ...]:
        """The instrument types the profile asks for: stated, else named in its text."""
        return self.wants or self.mentioned_types

    @property
    def seeks_investment(self) -> bool:
        """The profile raises equity: it asks for it, or (asking for no type) mentions it."""
        return "equity" in self.types_asked


def company_kinds(size: str | None, stage: str | None) -> tuple[str, ...]:
    """The applicant codes a company is, from its size and stage (an SME unless large)."""
    kinds = ["large_company" if size == "large" else "sme"]
    if stage in ("idea", "startup"):
        kinds.append("startup")
    if size == "micro":
        kinds.append("individual")
    return tuple(kinds)


def evidence(record: dict[str, Any], *keys: str) -> str | None:
    """The source's sentence for the first of `keys` the record has evidence for."""
    stated = record.get("evidence") or {}
    for key in keys:
        quote = stated.get(key)
        if isinstance(quote, dict) and quote.get("quote"):
            text = str(quote["quote"])
            return text if reads_as_sentence(text, str(record.get("title") or "")) else None
    return None


def reads_as_sentence(quote: str, title: str) -> bool:
    """Whether a quote states something, rather than repeating the title or a page heading.

    A fact read from the title ("SME credit guarantee scheme (BMKB)") or from a heading
    ("Popular subsidies and schemes for business owners") is still a fact, but quoting it
    after "open to SMEs, as you are" reads as if the source said more than it did.
    """
    text = quote.strip()
    if text.casefold() == title.strip().casefold():
        return False
    return len(text.split()) >= 8 or text.endswith((".", "!", "?", ":", ";", "…", '"', "”"))


class Membership:
    """Which codes each row holds (its regions, themes, ...), as a boolean matrix."""

    def __init__(self, values: Sequence[Sequence[str]]):
        self.values = [tuple(v) for v in values]
        self.columns = {c: i for i, c in enumerate(dict.fromkeys(c for v in values for c in v))}
        self.matrix = np.zeros((len(self.values), len(self.columns)), dtype=bool)
        # One fancy-index assignment, not one numpy call per code (a third of a table's build).
        rows = [row for row, codes in enumerate(self.values) for _ in codes]
        self.matrix[rows, [self.columns[c] for codes in self.values for c in codes]] = True
        #: Rows that hold any code at all (a record that states its sizes, ...).
        self.stated: np.ndarray = np.asarray(self.matrix.any(axis=1), dtype=bool)

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


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None


def _consortium_action(record: dict[str, Any]) -> bool:
    """A Horizon Europe action granted to consortia from several countries (the type of action
    its title, summary or the portal's data states)."""
    if record.get("level") != "eu":
        return False
    extra = record.get("extra") or {}
    texts = [record.get("title"), record.get("summary"), *(extra.get("types_of_action") or ())]
    found = next((a for t in texts if t and (a := action_type(fold(str(t))))), None)
    return found is not None and found.across_borders


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
        self.purposes = Membership([r.get("purposes") or () for r in self.records])
        self.areas = [str(r.get("geography") or "") for r in self.records]
        self.abroad = np.array([a in ABROAD_AREAS for a in self.areas], dtype=bool)
        # Collaborations across borders: a cross-border or transnational area, or a European
        # scheme for consortia (a European consortium has members in several countries).
        across = np.array([a in TRANSNATIONAL_AREAS for a in self.areas], dtype=bool)
        across |= np.array([_consortium_action(r) for r in self.records], dtype=bool)
        self.transnational = across | (self.levels.has("eu") & self.applicants.has("consortium"))
        # An area's provinces, where the record does not name its provinces itself.
        self.area_provinces = Membership(
            [
                AREA_PROVINCES.get(area, ()) if not regions else ()
                for area, regions in zip(self.areas, self.regions.values, strict=True)
            ]
        )
        self.amount_min = np.array([_amount(r.get("amount_min")) for r in self.records])
        self.amount_max = np.array([_amount(r.get("amount_max")) for r in self.records])
        self.opens = [_date(r.get("opens_at")) for r in self.records]
        # The status as of today from what each source said (catalog.status), with the words,
        # and the next closing date.
        dated = [status_and_next(r, today) for r in self.records]
        self.decisions: list[Decision] = [decision for decision, _ in dated]
        self.status = np.array([d.status for d in self.decisions], dtype=str)
        self.next_deadline = [upcoming for _, upcoming in dated]
        #: The title names a year: a dated round or call, not the scheme that recurs.
        self.dated = np.array(
            [bool(_YEAR.search(r.get("title") or "")) for r in self.records], dtype=bool
        )

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


# The fields `catalog.status.status_of` reads to decide a record's status, and nothing else
# (the next deadline reads one of them).
STATUS_FIELDS = ("confirmed_status", "status_signals", "opens_at", "deadlines")
# Decisions kept by what decides them and the day. The same records recur in match after match,
# and deciding each candidate's status anew took 27 of 167 ms per match at 100k instruments
# (profiled); the key costs about half of a decision (26 against 56 µs a seed record). The next
# deadline is kept with it: parsing and sorting every candidate's dates took another 7% of the
# structured fit's time (profiled).
_DECISIONS: dict[tuple[bytes, dt.date], tuple[Decision, dt.date | None]] = {}
DECISIONS_KEPT = 20_000


def decision_of(record: dict[str, Any], today: dt.date) -> Decision:
    """`status_of(record, today)`, kept for the next table that holds the same facts."""
    return status_and_next(record, today)[0]


def status_and_next(record: dict[str, Any], today: dt.date) -> tuple[Decision, dt.date | None]:
    """The record's status as of `today` and its next closing date, kept like `decision_of`."""
    try:
        key = (orjson.dumps([record.get(f) for f in STATUS_FIELDS]), today)
    except orjson.JSONEncodeError:
        return status_of(record, today), next_deadline(record.get("deadlines") or [], today)
    found = _DECISIONS.get(key)
    if found is None:
        if len(_DECISIONS) >= DECISIONS_KEPT:
            _DECISIONS.clear()
        decided = status_of(record, today)
        found = _DECISIONS[key] = (decided, next_deadline(record.get("deadlines") or [], today))
    return found


def _amount(value: Any) -> float:
    return float(value) if value is not None else np.nan


class Rule:
    """One structured-fit rule: an outcome per row, a weight and a reason per outcome.

    Outcome 0 means "nothing to say"; `WEIGHTS[outcome]` is the score adjustment.
    """

    WEIGHTS: ClassVar[tuple[float, ...]]
    #: Outcomes that are blockers (a blocked row is left out by `hide_blockers`).
    BLOCKING: ClassVar[tuple[int, ...]] = ()
    #: Blockers the profile may get past (find a partner, go through a fund): shown as
    #: blockers, but the row is ranked by its score, not after every eligible row.
    SOFT: ClassVar[tuple[int, ...]] = ()

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        raise NotImplementedError

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        raise NotImplementedError

    @property
    def name(self) -> str:
        """The rule's short name ("type" for TypeRule), as score breakdowns print it."""
        return type(self).__name__.removesuffix("Rule").lower()


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
        # A tender's province is where the buyer is; anyone may bid (its applicants are
        # `any`), so it restricts no one and fits no one by place.
        regional = table.levels.has("regional") & ~table.kinds.has("procurement")
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
    """The instrument type the profile asks for, else one its text mentions; a guarantee on a
    bank loan for a profile that asks for a loan is said as what it is, not as a loan."""

    NONE, WANTED, NOT_WANTED, MENTIONED, NOT_MENTIONED, GUARANTEES_LOAN = range(6)
    WEIGHTS = (
        0.0,
        TYPE_WANTED,
        TYPE_NOT_WANTED,
        TYPE_UNDERSTOOD,
        TYPE_NOT_MENTIONED,
        TYPE_GUARANTEES_LOAN,
    )

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        asked = asks.types_asked
        if not asked:
            return np.zeros(len(table), dtype=np.intp)
        fits, other = (
            (self.WANTED, self.NOT_WANTED) if asks.wants else (self.MENTIONED, self.NOT_MENTIONED)
        )
        out = np.where(table.kinds.any_of(asked), fits, other)
        if "loan" in asked and "guarantee" not in asked:
            out[table.kinds.has("guarantee")] = self.GUARANTEES_LOAN
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        (kind,) = table.kinds.values[row]
        if outcome == self.WANTED:
            return reasons.type_wanted(kind)
        if outcome == self.MENTIONED:
            return reasons.type_mentioned(kind)
        if outcome == self.GUARANTEES_LOAN:
            return reasons.guarantees_loan()
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
        # In the vocabulary's order (micro, small, medium, large), however the record lists them.
        sizes = [s for s in taxonomy.SIZES if s in table.sizes.values[row]]
        quote = evidence(table.records[row], "sizes")
        if outcome == self.FITS:
            return reasons.size_fits(sizes, quote)
        return reasons.size_only(sizes, quote) if outcome == self.OUTSIDE else None


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


# Who applies, among the catalog's applicant codes, when the applicant is a company (Wijzer
# matches startups and SMEs): any of these stated means the company may be eligible.
COMPANY_APPLICANTS = ("sme", "startup", "large_company", "individual", "any")


class ApplicantRule(Rule):
    """Who may apply against what the profile is: a company, or (as its text says) a hub,
    fund, foundation or public body. A scheme that names only other applicants blocks; one
    only for collaborations blocks (less) a company that names no partner, and one across
    borders a company that names no partner abroad; a loan or investment only for funds and
    financiers reaches a company that raises investment through them (less again); unstated
    says nothing."""

    (
        NONE,
        OUTSIDE,
        FITS,
        COLLABORATION_ONLY,
        COLLABORATES,
        THROUGH_FINANCIERS,
        PARTNERS_ABROAD,
    ) = range(7)
    WEIGHTS = (
        0.0,
        BLOCKER_OTHER,
        APPLICANT_FITS,
        BLOCKER_COLLABORATION,
        COLLABORATION_FITS,
        BLOCKER_THROUGH_FINANCIERS,
        BLOCKER_PARTNERS_ABROAD,
    )
    BLOCKING = (OUTSIDE, COLLABORATION_ONLY, THROUGH_FINANCIERS, PARTNERS_ABROAD)
    SOFT = (COLLABORATION_ONLY, THROUGH_FINANCIERS, PARTNERS_ABROAD)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        members = table.applicants
        company = not set(asks.applicant_kinds) - set(COMPANY_APPLICANTS)
        eligible = COMPANY_APPLICANTS if company else (*asks.applicant_kinds, "any")
        named = members.any_of(eligible)
        collaboration = members.has("consortium")
        own = members.any_of(asks.applicant_kinds) | members.has("any")
        out = np.where(own, self.FITS, self.NONE)
        if asks.collaborates:
            out[collaboration] = self.COLLABORATES
        else:
            out[collaboration & ~named] = self.COLLABORATION_ONLY
        if not asks.partners_abroad:
            # A consortium across borders needs a partner abroad: partners in the profile's own
            # country do not make one, and a company alone may find one (a soft blocker). On the
            # tuning profiles nDCG@10 0.737 -> 0.757, recall 0.744 -> 0.764; dev 0.771 -> 0.777
            # (for collaborating profiles only: 0.752 and dev unchanged).
            out[table.transnational & (out != self.COLLABORATION_ONLY)] = self.PARTNERS_ABROAD
        if company:
            # A hub, fund or foundation may apply where companies do ("ondernemers en
            # organisaties"): only a company is blocked by a list that leaves it out.
            outside = members.stated & ~named & ~collaboration
            out[outside] = self.OUTSIDE
            if asks.seeks_investment:
                # Funds pass the money on as investments: a company raising investment reaches
                # it through them; one that needs a loan for a van does not.
                financiers = members.count(["fund_manager"]) == members.matrix.sum(axis=1)
                out[outside & financiers & table.kinds.any_of(LENDING_TYPES)] = (
                    self.THROUGH_FINANCIERS
                )
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        record = table.records[row]
        stated = table.applicants.values[row]
        if outcome == self.OUTSIDE:
            return reasons.applicant_only(stated, evidence(record, "applicants"))
        if outcome == self.THROUGH_FINANCIERS:
            quote = evidence(record, "applicants.fund_manager", "applicants")
            return reasons.through_financiers(quote)
        if outcome == self.PARTNERS_ABROAD:
            # A Horizon action's own words are its type of action (what purposes quote).
            quote = evidence(record, "applicants.consortium", "geography", "purposes")
            return reasons.partners_abroad(quote)
        if outcome == self.FITS:
            kinds = [c for c in stated if c in asks.applicant_kinds or c == "any"]
            if "sme" in kinds and "large_company" in stated:
                # A scheme for "companies doing R&D", of any size, is not "open to SMEs".
                kinds.append("large_company")
            keys = [f"applicants.{c}" for c in kinds]
            return reasons.applicants_fit(kinds, evidence(record, *keys, "applicants"))
        quote = evidence(record, "applicants.consortium")
        if outcome == self.COLLABORATION_ONLY:
            return reasons.collaboration_only(quote)
        return reasons.collaboration_fits(quote) if outcome == self.COLLABORATES else None


class AmountRule(Rule):
    """The amount needed against the instrument's range, when both are known: below the
    minimum blocks; above the maximum blocks a loan, guarantee or investment and is a part
    for a subsidy (`AMOUNT_TOLERANCE` either way)."""

    NONE, BELOW_MINIMUM, ABOVE_MAXIMUM, FITS, ABOVE_LENDING, NEAR_MINIMUM = range(6)
    WEIGHTS = (0.0, BLOCKER_OTHER, 0.0, AMOUNT_FITS, BLOCKER_OTHER, 0.0)
    BLOCKING = (BELOW_MINIMUM, ABOVE_LENDING)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        out = np.zeros(len(table), dtype=np.intp)
        if asks.amount is None:
            return out
        low, high = table.amount_min, table.amount_max
        lending = table.kinds.any_of(LENDING_TYPES)
        stated = ~np.isnan(low) | ~np.isnan(high)
        # Comparisons with nan (unknown) are False: an unstated bound never rules out.
        out[stated] = self.FITS
        out[asks.amount > high] = self.ABOVE_MAXIMUM
        out[asks.amount < low] = self.NEAR_MINIMUM
        out[lending & (asks.amount > high * AMOUNT_TOLERANCE)] = self.ABOVE_LENDING
        out[asks.amount * AMOUNT_TOLERANCE < low] = self.BELOW_MINIMUM
        if asks.types_asked:
            # A range of another kind of money says nothing of the need: a subsidy of up to
            # €500,000 is no fit for a €50,000 loan (half 1 nDCG@10 0.721 -> 0.727, recall
            # 0.726 -> 0.744; the held-out half and dev unchanged), and a feasibility subsidy
            # of up to €20,000 does not "cover €20,000 of" that loan. Only its blockers stay.
            same_kind = table.kinds.any_of(ranged_kinds(asks.types_asked))
            spoken = np.isin(out, (self.FITS, self.ABOVE_MAXIMUM, self.NEAR_MINIMUM))
            out[spoken & ~same_kind] = self.NONE
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        amount = asks.amount
        low, high = float(table.amount_min[row]), float(table.amount_max[row])
        record = table.records[row]
        if amount is None:
            return None
        if outcome in (self.BELOW_MINIMUM, self.NEAR_MINIMUM):
            blocks = outcome == self.BELOW_MINIMUM
            return reasons.starts_at(low, evidence(record, "amount_min"), blocks=blocks)
        quote = evidence(record, "amount_max", "amount_min")
        if outcome in (self.ABOVE_LENDING, self.ABOVE_MAXIMUM):
            lends = outcome == self.ABOVE_LENDING
            return reasons.covers_up_to(high, amount, quote, blocks=lends)
        if outcome == self.FITS:
            least = None if np.isnan(low) else low
            most = None if np.isnan(high) else high
            return reasons.amount_in_range(amount, least, most, quote)
        return None


def ranged_kinds(asked: Sequence[str]) -> tuple[str, ...]:
    """The instrument types whose stated range is the money asked for: a guarantee's range
    is the loan it guarantees."""
    return (*asked, "guarantee") if "loan" in asked else tuple(asked)


class PurposeRule(Rule):
    """What the money is for, where the source and the profile both say: a fit when they share
    a purpose, a small step down (context, not a blocker: purposes are read from words) when
    the source names only others."""

    NONE, FITS, OTHER = range(3)
    WEIGHTS = (0.0, PURPOSE_FITS, PURPOSE_OTHER)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        if not asks.purposes:
            return np.zeros(len(table), dtype=np.intp)
        shared = table.purposes.any_of(asks.purposes)
        # "other" (a guarantee's purpose when none is named) tells nothing to compare.
        stated = table.purposes.stated & ~(
            table.purposes.count(["other"]) == table.purposes.matrix.sum(axis=1)
        )
        return np.where(shared, self.FITS, np.where(stated, self.OTHER, self.NONE))

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        stated = table.purposes.values[row]
        record = table.records[row]
        if outcome == self.FITS:
            shared = [p for p in stated if p in asks.purposes]
            quote = evidence(record, *(f"purposes.{p}" for p in shared), "purposes")
            return reasons.purpose_fits(shared, quote)
        if outcome == self.OTHER:
            return reasons.purpose_other(stated, evidence(record, "purposes"))
        return None


class AreaRule(Rule):
    """Areas beyond provinces (`AREA_PROVINCES`, abroad): a fit inside, a blocker outside.
    Where the record names its provinces, the level rule decides (counted once)."""

    NONE, INSIDE, ELSEWHERE, ABROAD_FITS, ABROAD_ONLY = range(5)
    WEIGHTS = (0.0, AREA_FITS, BLOCKER_REGION, ABROAD_FITS, BLOCKER_OTHER)
    BLOCKING = (ELSEWHERE, ABROAD_ONLY)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        out = np.zeros(len(table), dtype=np.intp)
        out[table.abroad] = self.ABROAD_FITS if asks.abroad else self.ABROAD_ONLY
        if asks.region:
            regional = np.isin(
                table.level_kinds, (LevelRule.REGIONAL_NAMED, LevelRule.REGIONAL_UNNAMED)
            )
            named = table.area_provinces.stated & regional
            inside = table.area_provinces.has(asks.region)
            out[named & inside] = self.INSIDE
            out[named & ~inside] = self.ELSEWHERE
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        area = table.areas[row]
        quote = evidence(table.records[row], "geography")
        if outcome in (self.INSIDE, self.ABROAD_FITS):
            return reasons.area_fits(area, quote)
        if outcome in (self.ELSEWHERE, self.ABROAD_ONLY):
            return reasons.area_only(area, quote)
        return None


class DeadlineRule(Rule):
    """Closed instruments are blocked; otherwise when they open or close."""

    NONE, CLOSED, FORTHCOMING, CLOSES, NO_DEADLINE, UNKNOWN, CLOSED_SCHEME = range(7)
    WEIGHTS = (0.0, BLOCKER_CLOSED, 0.0, 0.0, 0.0, STATUS_UNKNOWN, BLOCKER_CLOSED_SCHEME)
    BLOCKING = (CLOSED, CLOSED_SCHEME)

    def outcomes(self, asks: Asks, table: FitTable) -> np.ndarray:
        # The same for every profile: the table keeps it.
        return table.deadline_outcomes

    @classmethod
    def classify(cls, table: FitTable) -> np.ndarray:
        has_next = np.array([d is not None for d in table.next_deadline], dtype=bool)
        out = np.where(has_next, cls.CLOSES, cls.NO_DEADLINE)
        out[table.status == "forthcoming"] = cls.FORTHCOMING
        closed = table.status == "closed"
        out[closed] = np.where(table.dated[closed], cls.CLOSED, cls.CLOSED_SCHEME)
        out[table.status == "unknown"] = cls.UNKNOWN
        return out

    def reason(self, outcome: int, asks: Asks, table: FitTable, row: int) -> Reason | None:
        decision = table.decisions[row]
        quote = decision.evidence[0].quote if decision.evidence else None
        if outcome == self.UNKNOWN:
            return reasons.status_unknown()
        if outcome in (self.CLOSED, self.CLOSED_SCHEME):
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
    PurposeRule(),
    AreaRule(),
    DeadlineRule(),
)
# Every rule's weights and blocking outcomes in one array each, so a table's adjustments and
# blocks are one lookup (outcome + the rule's offset) and one sum: the batch scorer does this
# for every alert profile.
_OFFSETS = np.cumsum([0] + [len(rule.WEIGHTS) for rule in RULES[:-1]])[:, np.newaxis]
_WEIGHTS = np.concatenate([rule.WEIGHTS for rule in RULES])
_BLOCKING = np.concatenate([np.isin(np.arange(len(rule.WEIGHTS)), rule.BLOCKING) for rule in RULES])
_INELIGIBLE = _BLOCKING & ~np.concatenate(
    [np.isin(np.arange(len(rule.WEIGHTS)), rule.SOFT) for rule in RULES]
)


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
    def ineligible(self) -> np.ndarray:
        """Rows with a blocker other than being closed: the profile may not apply (another
        region, applicant, size, amount). A closed row may still be the right scheme, and a soft
        blocker (`Rule.SOFT`) is one the profile can get past."""
        return (_INELIGIBLE[self._lookup[:-1]]).any(axis=0)

    @functools.cached_property
    def closed(self) -> np.ndarray:
        return np.isin(self.outcomes[-1], (DeadlineRule.CLOSED, DeadlineRule.CLOSED_SCHEME))

    def reasons(self, row: int) -> list[Reason]:
        """The reasons and blockers of one row, in rule order."""
        out = []
        for rule, outcome in zip(RULES, self.outcomes[:, row].tolist(), strict=True):
            if rule is RULES[-1] and (unknown := self.not_stated(row)):
                # What the source leaves unstated, before the status (always last).
                out.append(reasons.not_stated(unknown))
            reason = rule.reason(outcome, self.asks, self.table, row) if outcome else None
            if reason is not None:
                out.append(reason)
        return out

    def not_stated(self, row: int) -> list[str]:
        """The facts the profile asks about that the source does not state (never a fit)."""
        table, asks = self.table, self.asks
        out = []
        if not table.applicants.stated[row]:
            out.append("applicants")
        if (
            asks.amount is not None
            and np.isnan(table.amount_min[row])
            and np.isnan(table.amount_max[row])
        ):
            out.append("amount")
        if asks.purposes and not table.purposes.stated[row]:
            out.append("purposes")
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
