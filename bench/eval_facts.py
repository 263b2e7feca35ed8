"""Print how right the catalog's facts are: status, amounts, who may apply, official links,
duplicates, themes, sizes, purposes and areas, against hand labels (issue 11's table).

Measures what users get: a fresh data directory, `wijzer db upgrade`, `wijzer import` of the
seed corpus, `wijzer crawl --all --offline`, then `wijzer export --format jsonl --all --today`
as of the labels' reference date. Two label sets are scored: the dev labels of the seed
(`shared/eval/facts_dev.jsonl`) and the crawled records' labels (`eval/facts_crawled.jsonl`).

    python bench/eval_facts.py [--today 2026-11-27] [--export FILE] [--keep DIR] [--details]

`--export FILE` scores an existing export instead of building one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "data" / "instruments_seed.jsonl"
LABEL_SETS = {
    "dev": SHARED / "eval" / "facts_dev.jsonl",
    "crawled": REPO / "eval" / "facts_crawled.jsonl",
}
# The labels' reference date (FACTS.md): statuses are as of this day.
REFERENCE_DATE = "2026-11-27"
AMOUNT_TOLERANCE = 0.02
GOALS = {
    "status accuracy": "≥ 0.80",
    "open precision": "≥ 0.90",
    "closed shown open": "≤ 1",
    "amount right (±2 %)": "≥ 0.85",
    "amount where none stated": "≤ 0.10",
    "applicants recall": "≥ 0.80",
    "official-url accuracy": "≥ 0.90",
    "true duplicates merged": "all",
    "false merges": "0",
    "themes F1": "≥ 0.75",
}


def wijzer(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "WIJZER_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "wijzer", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"wijzer {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")


def build_export(data_dir: Path, today: str) -> Path:
    """Seed import + offline crawl into a fresh catalog, exported as the users' export."""
    out = data_dir / "export.jsonl"
    wijzer(data_dir, "db", "upgrade")
    wijzer(data_dir, "import", str(SEED), "--no-index")
    wijzer(data_dir, "crawl", "--all", "--offline", "--no-index")
    wijzer(data_dir, "export", "--format", "jsonl", "--all", "--today", today, "-o", str(out))
    return out


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _close(got: Any, want: Any) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(float(got) - float(want)) <= AMOUNT_TOLERANCE * max(abs(float(want)), 1.0)


def _ratio(good: int, total: int) -> str:
    return f"{good / total:.2f} ({good}/{total})" if total else "n/a"


@dataclass
class Counts:
    """Precision/recall counts over (record, code) pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: Iterable[str] | None, want: Iterable[str] | None) -> None:
        g, w = set(got or ()), set(want or ())
        self.tp += len(g & w)
        self.fp += len(g - w)
        self.fn += len(w - g)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _area(value: Any) -> str | None:
    """An area as compared: "Netherlands (incl. Bonaire, Saba, St. Eustatius)" is the
    Netherlands; the words in brackets explain, they do not name another area."""
    return str(value).split(" (")[0].strip().casefold() if value else None


def score(labels: list[dict[str, Any]], exported: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The issue's table for one label set, plus the other facts for context."""
    missing = [label["id"] for label in labels if label["id"] not in exported]
    status_ok = said_open = open_right = closed_open = 0
    amount_total = amount_ok = none_total = none_stated = budget_ok = 0
    url_ok = url_total = 0
    area_ok = area_stated = area_right = area_said = 0
    applicants, themes, sizes, purposes = Counts(), Counts(), Counts(), Counts()
    dup_total = dup_merged = 0
    for label in labels:
        record = exported.get(label["id"])
        if record is None:
            continue
        status = record.get("status")
        status_ok += status == label["status_today"]
        if status == "open":
            said_open += 1
            open_right += label["status_today"] == "open"
            closed_open += label["status_today"] == "closed"
        low, high = label["amount_min_eur"], label["amount_max_eur"]
        if low is None and high is None:
            none_total += 1
            none_stated += (
                record.get("amount_min") is not None or record.get("amount_max") is not None
            )
        else:
            amount_total += 1
            amount_ok += _close(record.get("amount_min"), low) and _close(
                record.get("amount_max"), high
            )
        budget_ok += _close(record.get("budget_total"), label["budget_total_eur"])
        if "official_url" in label:
            url_total += 1
            url_ok += record.get("official_url") is label["official_url"]
        applicants.add(record.get("applicants"), label.get("target"))
        got_area, want_area = _area(record.get("geography")), _area(label["geography_restriction"])
        area_ok += got_area == want_area
        area_stated += want_area is not None
        area_said += got_area is not None
        area_right += got_area is not None and got_area == want_area
        themes.add(record.get("themes"), label.get("themes"))
        sizes.add(record.get("sizes"), label.get("sizes"))
        purposes.add(record.get("purposes"), label.get("purpose"))
        target = label.get("duplicate_of")
        if target:
            dup_total += 1
            dup_merged += _same_record(record, exported.get(target), exported)
    false_merges = _false_merges(labels, exported)
    n = len(labels) - len(missing)
    return {
        "records scored": f"{n} of {len(labels)}"
        + (f" (missing: {len(missing)})" if missing else ""),
        "status accuracy": _ratio(status_ok, n),
        "open precision": _ratio(open_right, said_open),
        "closed shown open": str(closed_open),
        "amount right (±2 %)": _ratio(amount_ok, amount_total),
        "amount where none stated": _ratio(none_stated, none_total),
        "applicants recall": f"{applicants.recall:.2f} (precision {applicants.precision:.2f})",
        "official-url accuracy": _ratio(url_ok, url_total),
        "true duplicates merged": _ratio(dup_merged, dup_total),
        "false merges": str(false_merges),
        "themes F1": f"{themes.f1:.2f} (P {themes.precision:.2f}, R {themes.recall:.2f})",
        "area accuracy": f"{_ratio(area_ok, n)}, precision {_ratio(area_right, area_said)}",
        "budget right (±2 %)": _ratio(budget_ok, n),
        "sizes F1": f"{sizes.f1:.2f}",
        "purposes F1": f"{purposes.f1:.2f}",
    }


def _canonical(record: dict[str, Any], exported: dict[str, dict[str, Any]]) -> str:
    seen = set()
    while record.get("merged_into") and record["id"] not in seen:
        seen.add(record["id"])
        target = exported.get(record["merged_into"])
        if target is None:
            return str(record["merged_into"])
        record = target
    return str(record["id"])


def _same_record(
    record: dict[str, Any], other: dict[str, Any] | None, exported: dict[str, dict[str, Any]]
) -> bool:
    """Whether two records now live in one public record (either merged into the other)."""
    if other is None:
        return False
    return _canonical(record, exported) == _canonical(other, exported)


def _false_merges(labels: list[dict[str, Any]], exported: dict[str, dict[str, Any]]) -> int:
    """Labelled records merged with a record they are not a duplicate of."""
    duplicates = {(lab["id"], lab["duplicate_of"]) for lab in labels if lab.get("duplicate_of")}
    pairs = duplicates | {(b, a) for a, b in duplicates}
    labelled = {lab["id"] for lab in labels}
    wrong = 0
    for label in labels:
        record = exported.get(label["id"])
        if record is None or not record.get("merged_into"):
            continue
        target = _canonical(record, exported)
        if (label["id"], target) in pairs:
            continue
        # Merged with something it is no duplicate of, as far as the labels know.
        group = {i for i, r in exported.items() if _canonical(r, exported) == target}
        if not any((label["id"], other) in pairs for other in group) and (
            target in labelled or group & labelled
        ):
            wrong += 1
    return wrong


def table(results: dict[str, dict[str, str]]) -> str:
    names = list(next(iter(results.values())))
    head = "| fact | " + " | ".join(f"{k} ({len(read_jsonl(LABEL_SETS[k]))})" for k in results)
    lines = [head + " | goal |", "|---|" + "---|" * len(results) + "---|"]
    for name in names:
        cells = " | ".join(results[k][name] for k in results)
        lines.append(f"| {name} | {cells} | {GOALS.get(name, '')} |")
    return "\n".join(lines)


def details(labels: list[dict[str, Any]], exported: dict[str, dict[str, Any]]) -> None:
    for label in labels:
        record = exported.get(label["id"]) or {}
        wrong = []
        if record.get("status") != label["status_today"]:
            wrong.append(f"status {record.get('status')} (label {label['status_today']})")
        got = (record.get("amount_min"), record.get("amount_max"))
        want = (label["amount_min_eur"], label["amount_max_eur"])
        if not (_close(got[0], want[0]) and _close(got[1], want[1])):
            wrong.append(f"amounts {got} (label {want})")
        if set(record.get("themes") or ()) != set(label.get("themes") or ()):
            wrong.append(f"themes {record.get('themes')} (label {label.get('themes')})")
        for field, name in (("applicants", "target"), ("sizes", "sizes"), ("purposes", "purpose")):
            if set(record.get(field) or ()) != set(label.get(name) or ()):
                wrong.append(f"{field} {record.get(field)} (label {label.get(name)})")
        if _area(record.get("geography")) != _area(label["geography_restriction"]):
            wrong.append(f"area {record.get('geography')} (label {label['geography_restriction']})")
        if wrong:
            print(f"  {label['id']}: " + "; ".join(wrong))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default=REFERENCE_DATE, help="YYYY-MM-DD (the labels' day)")
    parser.add_argument("--export", type=Path, default=None, help="score this export instead")
    parser.add_argument("--keep", type=Path, default=None, help="build the catalog here")
    parser.add_argument("--details", action="store_true", help="list the records scored wrong")
    args = parser.parse_args()
    if args.export is not None:
        export = args.export
        rows = read_jsonl(export)
    elif args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        rows = read_jsonl(build_export(args.keep, args.today))
    else:
        with tempfile.TemporaryDirectory(prefix="wijzer-facts-") as tmp:
            rows = read_jsonl(build_export(Path(tmp), args.today))
    exported = {row["id"]: row for row in rows}
    results = {}
    for name, path in LABEL_SETS.items():
        labels = read_jsonl(path)
        results[name] = score(labels, exported)
        if args.details:
            print(f"{name}:")
            details(labels, exported)
    print(f"Facts as of {args.today}, {len(exported)} exported records")
    print(table(results))


if __name__ == "__main__":
    main()
