"""SRU searchRetrieve responses (KOOP's zoekservice and repository.overheid.nl).

Read by local element names, so SRU 1.2 (loc.gov) and 2.0 (OASIS) responses, and the
namespaced or plain records inside them, all parse the same. A response that carries a
diagnostic instead of records is a ParseError naming the diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from wijzer.crawler.parsers import ParseError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def child(element: Any, *names: str) -> Any:
    """The first descendant along a path of local names (None when a step is missing)."""
    node = element
    for name in names:
        if node is None:
            return None
        node = next((c for c in node if local(c) == name), None)
    return node


def children(element: Any, name: str) -> list[Any]:
    return [c for c in element if local(c) == name] if element is not None else []


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


@dataclass
class Record:
    """One SRU record: the metadata it carries (local name -> [(text, attributes)]) and its
    enrichedData (local name -> text; itemUrl by manifestation)."""

    meta: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)
    enriched: dict[str, str] = field(default_factory=dict)
    position: int | None = None

    def first(self, name: str) -> str | None:
        values = self.meta.get(name)
        return values[0][0] if values and values[0][0] else None

    def attribute(self, name: str, attribute: str) -> str | None:
        values = self.meta.get(name)
        return values[0][1].get(attribute) if values else None


@dataclass
class Page:
    records: list[Record]
    total: int
    next_position: int | None


def read_response(body: bytes) -> Page:
    """The records, total and next position of one searchRetrieve response."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed XML: {exc.msg}") from None
    diagnostic = next((e for e in root.iter() if local(e) == "diagnostic"), None)
    if local(root) == "diagnostics" or diagnostic is not None:
        message = text_of(child(diagnostic, "message")) if diagnostic is not None else ""
        details = text_of(child(diagnostic, "details")) if diagnostic is not None else ""
        uri = text_of(child(diagnostic, "uri")) if diagnostic is not None else ""
        raise ParseError(f"sru diagnostic: {message or uri} {details}".strip())
    if local(root) != "searchRetrieveResponse":
        raise ParseError(f"not an SRU response: root element {local(root)!r}")
    total_text = text_of(child(root, "numberOfRecords"))
    if not total_text.isdigit():
        raise ParseError("SRU response without numberOfRecords")
    records = [_record(r) for r in children(child(root, "records"), "record")]
    next_text = text_of(child(root, "nextRecordPosition"))
    return Page(records, int(total_text), int(next_text) if next_text.isdigit() else None)


def _record(element: Any) -> Record:
    record = Record()
    position = text_of(child(element, "recordPosition"))
    record.position = int(position) if position.isdigit() else None
    gzd = child(element, "recordData", "gzd")
    original = child(gzd, "originalData")
    meta = child(original, "meta") if original is not None else None
    for group in meta if meta is not None else []:
        if not isinstance(group.tag, str):
            continue
        for node in group.iter():
            if node is group or not isinstance(node.tag, str) or len(node):
                continue
            value = " ".join((node.text or "").split())
            attributes = {etree.QName(k).localname: v for k, v in node.attrib.items()}
            record.meta.setdefault(local(node), []).append((value, attributes))
    for node in child(gzd, "enrichedData") if child(gzd, "enrichedData") is not None else []:
        if not isinstance(node.tag, str):
            continue
        name = local(node)
        if name == "itemUrl" and node.get("manifestation"):
            name = f"itemUrl:{node.get('manifestation')}"
        record.enriched.setdefault(name, " ".join((node.text or "").split()))
    return record
