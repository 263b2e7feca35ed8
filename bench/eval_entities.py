"""Print official-link accuracy and duplicate precision/recall against the hand labels.

Builds a temporary catalog as `make demo` does (import the seed corpus, replay every crawler
offline; entity resolution runs inside both), exports every record and compares:

* official_url accuracy on the labelled records (beside the old page, which called every
  link "the official page of the funder");
* duplicates as pairs: two records are predicted one instrument when they share a public
  record (merged_into); labelled one when `duplicate_of` links them (closed transitively over
  both label files). Dev labels judge seed records against each other; the crawled labels
  judge each crawled record against every record;
* scheme links (same_scheme_as) as pairs, for information.

    python bench/eval_entities.py [--groups] [--errors] [--crawl-first]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src")]

from wijzer.catalog.curation import relations  # noqa: E402
from wijzer.catalog.db import Catalog, upgrade_database  # noqa: E402
from wijzer.catalog.exchange import import_records, iter_export, read_jsonl  # noqa: E402

SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
DEV = REPO.parent / "shared" / "eval" / "facts_dev.jsonl"
CRAWLED = REPO / "eval" / "facts_crawled.jsonl"


def read_labels(path: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.setdefault(row["id"], row)
    return rows


def build(
    seed: Path, tmp: Path, crawl_first: bool = False
) -> tuple[list[dict[str, Any]], set[tuple[str, str]]]:
    """Every record (public or merged) and the scheme links of a freshly built catalog."""
    from wijzer.crawler.crawling import run_crawl
    from wijzer.crawler.sources import enabled

    url = f"sqlite:///{tmp / 'catalog.sqlite'}"
    upgrade_database(url)
    catalog = Catalog(url)
    if crawl_first:
        run_crawl(catalog, enabled(), offline=True)
    import_records(catalog, read_jsonl(seed).records, changed_by=f"import:{seed.name}")
    if not crawl_first:
        run_crawl(catalog, enabled(), offline=True)
    records = list(iter_export(catalog, include_unlisted=True))
    with catalog.session() as session:
        links = {
            (r.left_id, r.right_id)
            for r in relations.of(session, [r["id"] for r in records], relations.SAME_SCHEME)
        }
    catalog.dispose()
    return records, links


def truth_groups(labels: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Union-find over duplicate_of edges: record id -> a representative of its instrument."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in labels:
        find(row["id"])
        if row.get("duplicate_of"):
            parent[find(row["id"])] = find(row["duplicate_of"])
    return {x: find(x) for x in parent}


def pairs_within(groups: dict[str, str], ids: set[str], others: set[str]) -> set[tuple[str, str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for record_id, group in groups.items():
        members[group].add(record_id)
    out = set()
    for record_id in ids:
        group = groups.get(record_id)
        if group is None:
            continue
        for other in members[group] & others:
            if other != record_id:
                out.add(tuple(sorted((record_id, other))))
    return out  # type: ignore[return-value]


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f} ({numerator}/{denominator})" if denominator else "n/a"


def evaluate(
    name: str,
    labels: dict[str, dict[str, Any]],
    records: dict[str, dict[str, Any]],
    truth: dict[str, str],
    links: set[tuple[str, str]],
    *,
    against: set[str],
    errors: bool,
) -> None:
    ids = set(labels) & set(records)
    official = [i for i in ids if labels[i].get("official_url") is not None]
    right = [i for i in official if records[i]["official_url"] == labels[i]["official_url"]]
    old_page = [i for i in official if labels[i]["official_url"] is True]
    predicted_groups = {i: r["merged_into"] or i for i, r in records.items()}
    predicted = pairs_within(predicted_groups, ids, against)
    labelled = pairs_within(truth, ids, against)
    hits = predicted & labelled
    scheme_truth = {
        tuple(sorted((i, other)))
        for i in ids
        for other in labels[i].get("same_scheme_as") or []
        if other in against
    }
    scheme_found = {p for p in links if (p[0] in ids or p[1] in ids) and set(p) <= against}
    print(f"\n{name}: {len(ids)} labelled records")
    print(f"  official_url accuracy      {ratio(len(right), len(official))}")
    print(f"    old page ('official' for every link): {ratio(len(old_page), len(official))}")
    print(f"  duplicate pairs precision  {ratio(len(hits), len(predicted))}")
    print(f"  duplicate pairs recall     {ratio(len(hits), len(labelled))}")
    print(f"    before entity resolution: recall {ratio(0, len(labelled))}")
    found = scheme_found & scheme_truth
    print(
        f"  scheme links (info)        precision {ratio(len(found), len(scheme_found))},"
        f" recall {ratio(len(found), len(scheme_truth))}"
    )
    if errors:
        for i in sorted(set(official) - set(right)):
            print(f"    official_url wrong: {i} -> {records[i]['official_url_evidence']}")
        for pair in sorted(predicted - labelled):
            print(f"    false merge: {pair[0]} + {pair[1]}")
        for pair in sorted(labelled - predicted):
            print(f"    missed duplicate: {pair[0]} + {pair[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--crawled", type=Path, default=CRAWLED)
    parser.add_argument("--groups", action="store_true", help="print the merge groups")
    parser.add_argument(
        "--crawl-first", action="store_true", help="crawl before importing the seed corpus"
    )
    parser.add_argument("--errors", action="store_true", help="list every wrong answer")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        exported, links = build(args.seed, Path(tmp), args.crawl_first)
    records = {r["id"]: r for r in exported}
    dev = read_labels(args.dev)
    crawled = read_labels(args.crawled)
    truth = truth_groups(itertools.chain(dev.values(), crawled.values()))
    seed_ids = {i for i, r in records.items() if r.get("source") == "seed"}
    print(
        f"{len(records)} records ({len(seed_ids)} seed, {len(records) - len(seed_ids)} crawled),"
        f" {sum(1 for r in records.values() if not r['merged_into'])} public"
    )
    evaluate(
        "dev labels (seed vs seed)",
        dev,
        records,
        truth,
        links,
        against=seed_ids,
        errors=args.errors,
    )
    evaluate(
        "crawled labels (vs every record)",
        crawled,
        records,
        truth,
        links,
        against=set(records),
        errors=args.errors,
    )
    if args.groups:
        groups: dict[str, list[str]] = defaultdict(list)
        for record_id, record in records.items():
            if record["merged_into"]:
                groups[record["merged_into"]].append(record_id)
        print(f"\nmerge groups ({len(groups)}):")
        for canonical in sorted(groups):
            print(f"  {canonical} <- {', '.join(sorted(groups[canonical]))}")


if __name__ == "__main__":
    main()
