"""TED notices in eForms UBL and legacy TED-XML (R2.0.x): namespaces by URI, gaps tolerated."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lxml import etree

from wijzer.catalog.dates import parse_date
from wijzer.catalog.vocabulary.places import province_of_nuts, provinces_in
from wijzer.crawler.normalise.language import notice_language
from wijzer.crawler.parsers import ParseError

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
EFAC = "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
EFBC = "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1"
NS = {"cbc": CBC, "cac": CAC, "efac": EFAC, "efbc": EFBC}
TED_NOTICE_URL = "https://ted.europa.eu/en/notice/-/detail/{}"
# Harmless to parse untrusted XML: no entities, no network, bounded depth.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def publication_number(raw: str | None) -> str | None:
    """TED's public notice number "67028-2021" from "067028-2021" or "2021/S 027-067028"."""
    if not raw:
        return None
    raw = raw.strip()
    m = re.fullmatch(r"0*(\d+)-(\d{4})", raw)
    if m:
        return f"{int(m.group(1))}-{m.group(2)}"
    m = re.fullmatch(r"(\d{4})/S\s*\d+-0*(\d+)", raw)
    if m:
        return f"{int(m.group(2))}-{m.group(1)}"
    return None


# What a notice is, from its eForms notice type (BT-02) or legacy form: only contract notices
# and prior information notices used as a call for competition invite tenders now; a prior
# information notice announces one (forthcoming); a qualification system stays open for
# suppliers to qualify; an award notice is the result of a procedure, never an opportunity.
NOTICE_CATEGORIES = {
    "contract_notice": (
        "cn-standard",
        "cn-social",
        "cn-desg",
        "subco",
        "F02",
        "F05",
        "F12",
        "F21",
        "F22",
    ),
    "call_for_competition": ("pin-cfc-standard", "pin-cfc-social"),
    "qualification_system": ("qu-sy", "F07"),
    "prior_information": ("pin-only", "pin-buyer", "pin-rtl", "pin-tran", "F01", "F04", "F08"),
    "result": (
        "can-standard",
        "can-social",
        "can-desg",
        "can-tran",
        "can-modif",
        "veat",
        "F03",
        "F06",
        "F13",
        "F15",
        "F20",
        "F25",
    ),
}
CATEGORY_OF = {code: category for category, codes in NOTICE_CATEGORIES.items() for code in codes}
# What the notice itself says about the opportunity's status (None: decided by its dates).
SOURCE_STATUS = {
    "prior_information": "forthcoming",
    "market_consultation": "forthcoming",
    "result": "closed",
    "qualification_system": "open",
}
_CONSULTATION = re.compile(
    r"marktconsultatie|market (?:consultation|engagement)|marktverkenning", re.I
)


def notice_category(notice_type: str | None, form: str | None, text: str = "") -> str:
    """contract_notice, call_for_competition, qualification_system, prior_information,
    market_consultation, result or other."""
    code = (notice_type or "").strip()
    category = CATEGORY_OF.get(code) or CATEGORY_OF.get((form or "")[:3].upper(), "other")
    if category in ("prior_information", "call_for_competition") and _CONSULTATION.search(text):
        return "market_consultation"
    return category


def parse_notice(data: bytes) -> dict[str, Any]:
    """The instrument fields of one TED notice, whichever schema it uses."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed XML: {exc.msg}") from None
    namespace = etree.QName(root).namespace or ""
    if "ubl:schema:xsd" in namespace:
        return parse_eforms(root)
    if "resource/schema/ted" in namespace or etree.QName(root).localname == "TED_EXPORT":
        return parse_legacy(root, namespace)
    raise ParseError(f"not a TED notice: root element {etree.QName(root).localname!r}")


def _text(node: Any, path: str) -> str | None:
    found = node.find(path, NS) if node is not None else None
    if found is None or found.text is None:
        return None
    text = " ".join(found.text.split())
    return text or None


def _all(node: Any, path: str) -> list[str]:
    return [" ".join(e.text.split()) for e in node.iterfind(path, NS) if e.text and e.text.strip()]


def _date(text: str | None) -> dt.date | None:
    # eForms dates carry a zone suffix ("2021-03-18+01:00"); the date part is what counts.
    return (
        dt.date.fromisoformat(text[:10]) if text and re.match(r"\d{4}-\d{2}-\d{2}", text) else None
    )


def parse_eforms(root: Any) -> dict[str, Any]:
    kind = etree.QName(
        root
    ).localname  # ContractNotice, ContractAwardNotice, PriorInformationNotice
    organisations = {}
    for org in root.iterfind(".//efac:Organizations/efac:Organization/efac:Company", NS):
        org_id = _text(org, "cac:PartyIdentification/cbc:ID")
        name = _text(org, "cac:PartyName/cbc:Name")
        if org_id and name:
            organisations[org_id] = {
                "name": name,
                "city": _text(org, "cac:PostalAddress/cbc:CityName"),
                "nuts": _text(org, "cac:PostalAddress/cbc:CountrySubentityCode"),
                "country": _text(org, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
            }
    buyer_ids = _all(root, "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID")
    buyers = [organisations[i] for i in buyer_ids if i in organisations]
    project = root.find("cac:ProcurementProject", NS)
    lots = root.findall("cac:ProcurementProjectLot", NS)
    title = _text(project, "cbc:Name") or next(
        (
            _text(lot, "cac:ProcurementProject/cbc:Name")
            for lot in lots
            if _text(lot, "cac:ProcurementProject/cbc:Name")
        ),
        None,
    )
    description = _text(project, "cbc:Description") or ""
    cpv = _all(root, ".//cac:MainCommodityClassification/cbc:ItemClassificationCode")
    cpv += _all(root, ".//cac:AdditionalCommodityClassification/cbc:ItemClassificationCode")
    deadlines = set()
    for lot in lots:
        for period in ("TenderSubmissionDeadlinePeriod", "ParticipationRequestReceptionPeriod"):
            end = _date(_text(lot, f"cac:TenderingProcess/cac:{period}/cbc:EndDate"))
            if end:
                deadlines.add(end)
    places = []
    for address in root.iterfind(".//cac:RealizedLocation/cac:Address", NS):
        places.append(
            {
                "nuts": _text(address, "cbc:CountrySubentityCode"),
                "country": _text(address, "cac:Country/cbc:IdentificationCode"),
                "city": _text(address, "cbc:CityName"),
                "text": _text(address, "cbc:StreetName") or _text(address, "cbc:Region"),
            }
        )
    amount_text = _text(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
    if amount_text is None:
        values = [
            float(v)
            for v in _all(root, ".//cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
            if re.fullmatch(r"\d+(\.\d+)?", v)
        ]
        amount = sum(values) if values else None
    else:
        amount = float(amount_text) if re.fullmatch(r"\d+(\.\d+)?", amount_text) else None
    pub = publication_number(_text(root, ".//efac:Publication/efbc:NoticePublicationID"))
    previous = [
        n
        for n in (
            publication_number(ref)
            for ref in _all(root, ".//cac:TenderingProcess/cac:NoticeDocumentReference/cbc:ID")
        )
        if n
    ]
    return {
        "schema": "eforms",
        "notice_kind": kind,
        "notice_type": _text(root, "cbc:NoticeTypeCode"),
        "notice_id": _text(root, "cbc:ID"),
        "publication_number": pub,
        "publication_date": _date(_text(root, ".//efac:Publication/efbc:PublicationDate")),
        "title": title,
        "description": description,
        "buyers": [b["name"] for b in buyers],
        "buyer_countries": sorted({b["country"] for b in buyers if b.get("country")}),
        "buyer_nuts": [b["nuts"] for b in buyers if b.get("nuts")],
        "buyer_cities": [b["city"] for b in buyers if b.get("city")],
        "cpv": list(dict.fromkeys(cpv)),
        "deadlines": sorted(deadlines),
        "places": places,
        "amount": amount,
        "language": _text(root, "cbc:NoticeLanguageCode"),
        "procedure": _text(root, "cac:TenderingProcess/cbc:ProcedureCode"),
        "procedure_id": _text(root, "cbc:ContractFolderID"),
        # Lots as the notice divides the contract (eForms lists a group of lots apart).
        "lots": sum(1 for lot in lots if (_text(lot, "cbc:ID") or "").startswith("LOT-")) or None,
        "previous_notices": previous,
        "result": _eforms_result(root, organisations),
    }


def _eforms_result(root: Any, organisations: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """Winners, awarded value and award date of an eForms result notice (None elsewhere)."""
    result = root.find(".//efac:NoticeResult", NS)
    if result is None:
        return None
    parties = {
        _text(party, "cbc:ID"): _all(party, "efac:Tenderer/cbc:ID")
        for party in result.iterfind("efac:TenderingParty", NS)
    }
    winning_tenders = {
        _text(lot, "efac:LotTender/cbc:ID")
        for lot in result.iterfind("efac:LotResult", NS)
        if _text(lot, "cbc:TenderResultCode") == "selec-w"
    }
    winners = []
    for tender in result.iterfind("efac:LotTender", NS):
        if _text(tender, "cbc:ID") not in winning_tenders:
            continue
        for org_id in parties.get(_text(tender, "efac:TenderingParty/cbc:ID"), []):
            name = organisations.get(org_id, {}).get("name")
            if name:
                winners.append(name)
    total = _text(result, "cbc:TotalAmount")
    award_dates = sorted(
        d for d in (_date(t) for t in _all(result, "efac:SettledContract/cbc:AwardDate")) if d
    )
    received = [int(n) for n in _all(result, ".//efbc:StatisticsNumeric") if n.isdigit()]
    return {
        "winners": list(dict.fromkeys(winners)),
        "value": float(total) if total and re.fullmatch(r"\d+(\.\d+)?", total) else None,
        "currency": result.find("cbc:TotalAmount", NS).get("currencyID") if total else None,
        "award_date": award_dates[0].isoformat() if award_dates else None,
        "tenders_received": max(received) if received else None,
    }


def parse_legacy(root: Any, namespace: str) -> dict[str, Any]:
    ns = {"t": namespace} if namespace else {}
    prefix = "t:" if namespace else ""

    def find(path: str) -> Any:
        return root.find(path.replace("{p}", prefix), ns)

    def text(path: str, node: Any = None) -> str | None:
        found = (node if node is not None else root).find(path.replace("{p}", prefix), ns)
        return " ".join("".join(found.itertext()).split()) or None if found is not None else None

    section = find(".//{p}FORM_SECTION")
    form = next(iter(section), None) if section is not None else None
    if form is None:
        raise ParseError("legacy TED notice without FORM_SECTION")
    lang = form.get("LG") or text(".//{p}LG_ORIG")
    buyers = [
        " ".join("".join(e.itertext()).split())
        for tag in ("ADDRESS_CONTRACTING_BODY", "ADDRESS_CONTRACTING_BODY_ADDITIONAL")
        for e in form.iterfind(f".//{prefix}{tag}/{prefix}OFFICIALNAME", ns)
    ]
    buyer_towns = [
        " ".join("".join(e.itertext()).split())
        for e in form.iterfind(f".//{prefix}ADDRESS_CONTRACTING_BODY/{prefix}TOWN", ns)
    ]
    cpv = [
        e.get("CODE")
        for e in form.iterfind(".//{p}CPV_CODE".replace("{p}", prefix), ns)
        if e.get("CODE")
    ]
    nuts = [
        e.get("CODE")
        for e in form.iterfind(f".//{prefix}OBJECT_CONTRACT//*", ns)
        if etree.QName(e).localname == "NUTS" and e.get("CODE")
    ]
    sites = [
        " ".join("".join(e.itertext()).split())
        for e in form.iterfind(f".//{prefix}OBJECT_CONTRACT//{prefix}MAIN_SITE", ns)
    ]
    deadline = parse_date(text(".//{p}DATE_RECEIPT_TENDERS", form) or "")
    amount_text = text(".//{p}VAL_ESTIMATED_TOTAL", form)
    pub = publication_number(text(".//{p}NO_DOC_OJS")) or publication_number(root.get("DOC_ID"))
    pub_date = text(".//{p}DATE_PUB")
    previous = [
        n
        for n in (
            publication_number(" ".join("".join(e.itertext()).split()))
            for e in form.iterfind(f".//{prefix}PROCEDURE/{prefix}NOTICE_NUMBER_OJ", ns)
        )
        if n
    ]
    winners = [
        " ".join("".join(e.itertext()).split())
        for e in form.iterfind(f".//{prefix}ADDRESS_CONTRACTOR/{prefix}OFFICIALNAME", ns)
    ]
    awarded = [
        float(v)
        for v in (
            text(".//{p}VAL_TOTAL", award)
            for award in form.iterfind(f".//{prefix}AWARD_CONTRACT", ns)
        )
        if v and re.fullmatch(r"\d+(\.\d+)?", v)
    ]
    concluded = sorted(
        d
        for d in (
            parse_date(" ".join("".join(e.itertext()).split()))
            for e in form.iterfind(f".//{prefix}DATE_CONCLUSION_CONTRACT", ns)
        )
        if d
    )
    is_award = form.find(f".//{prefix}AWARD_CONTRACT", ns) is not None
    return {
        "schema": "ted-xml",
        "notice_kind": etree.QName(form).localname,
        "notice_type": text(".//{p}TD_DOCUMENT_TYPE"),
        "notice_id": text(".//{p}RECEPTION_ID"),
        "publication_number": pub,
        "publication_date": parse_date(f"{pub_date[6:8]}-{pub_date[4:6]}-{pub_date[:4]}")
        if pub_date and len(pub_date) == 8
        else None,
        "title": text(".//{p}OBJECT_CONTRACT/{p}TITLE", form),
        "description": text(".//{p}OBJECT_CONTRACT/{p}SHORT_DESCR", form) or "",
        "buyers": buyers,
        "buyer_countries": sorted(
            {
                e.get("VALUE")
                for e in form.iterfind(
                    ".//{p}CONTRACTING_BODY//{p}COUNTRY".replace("{p}", prefix), ns
                )
                if e.get("VALUE")
            }
        ),
        "buyer_nuts": [],
        "buyer_cities": buyer_towns,
        "cpv": list(dict.fromkeys(cpv)),
        "deadlines": [deadline] if deadline else [],
        "places": [
            {"nuts": code, "country": code[:2], "city": None, "text": None}
            for code in dict.fromkeys(nuts)
        ]
        + [{"nuts": None, "country": None, "city": None, "text": site} for site in sites if site],
        "amount": float(amount_text)
        if amount_text and re.fullmatch(r"\d+(\.\d+)?", amount_text)
        else None,
        "language": lang,
        "procedure": None,
        "procedure_id": None,
        "lots": len(form.findall(f".//{prefix}OBJECT_CONTRACT/{prefix}OBJECT_DESCR", ns)) or None,
        "previous_notices": previous,
        "result": {
            "winners": list(dict.fromkeys(winners)),
            "value": sum(awarded) if awarded else None,
            "currency": "EUR" if awarded else None,
            "award_date": concluded[0].isoformat() if concluded else None,
            "tenders_received": None,
        }
        if is_award
        else None,
    }


# Legacy forms keep a removed additional buyer as the name "Vervallen" (void).
_VOID_NAMES = frozenset({"vervallen"})


def _distinct(names: list[str]) -> list[str]:
    """Buyer names once each (case aside, the capitalised spelling kept), without entries the
    notice marks void."""
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key in _VOID_NAMES:
            continue
        if key not in seen or sum(map(str.isupper, name)) > sum(map(str.isupper, seen[key])):
            seen[key] = name
    return list(seen.values())


def notice_to_fields(notice: dict[str, Any]) -> dict[str, Any]:
    """Catalog record fields (without id/source) for a parsed notice."""
    pub = notice.get("publication_number")
    found = {p for p in (province_of_nuts(pl.get("nuts")) for pl in notice["places"]) if p}
    if not found:
        # Below NUTS-2 precision the place text or the buyer's town names the province.
        texts = [pl.get("text") or pl.get("city") or "" for pl in notice["places"]]
        found = set(provinces_in(" ".join(texts)))
    abroad = bool(notice["places"]) and all(
        (pl.get("country") or "")[:2].upper() not in ("", "NL") for pl in notice["places"]
    )
    # The buyer's province stands in for an unstated place of performance, never for one
    # abroad (a Dutch buyer's tender in Sweden is not a Zuid-Holland opportunity).
    if not found and not abroad and {"NL", "NLD"} & set(notice["buyer_countries"]):
        found = {p for p in (province_of_nuts(n) for n in notice["buyer_nuts"]) if p}
        found |= set(provinces_in(" ".join(notice.get("buyer_cities", []))))
    regions = sorted(found)
    place_text = [
        place.get("text") or place.get("city") or place.get("nuts") or place.get("country")
        for place in notice["places"]
    ]
    evidence: dict[str, dict[str, str]] = {}
    if notice["deadlines"]:
        when = ", ".join(d.isoformat() for d in notice["deadlines"])
        evidence["deadlines"] = {
            "quote": f"Time limit for receipt of tenders: {when}",
            "origin": "data",
        }
    if notice.get("amount") is not None:
        evidence["budget_total"] = {
            "quote": f"Estimated total value: EUR {notice['amount']:.2f}",
            "origin": "data",
        }
    category = notice_category(
        notice.get("notice_type"),
        notice["notice_kind"] if notice["schema"] == "ted-xml" else None,
        f"{notice.get('title') or ''} {notice.get('description') or ''}",
    )
    outcome: dict[str, Any] = {}
    if category == "result":
        outcome["result"] = notice.get("result") or {}
        outcome["result_of"] = {
            "procedure_id": notice.get("procedure_id"),
            "notices": notice.get("previous_notices") or [],
        }
    if category in SOURCE_STATUS:
        outcome["source_status"] = SOURCE_STATUS[category]
    return {
        "evidence": evidence,
        "title": notice.get("title") or "",
        "description": notice.get("description") or "",
        "funder": "; ".join(_distinct(notice["buyers"])),
        "level": "eu",
        "regions": regions,
        "instrument_type": "procurement",
        "deadlines": [d.isoformat() for d in notice["deadlines"]],
        "budget_total": notice.get("amount"),
        "language": notice_language(notice.get("language")),
        "url": TED_NOTICE_URL.format(pub) if pub else None,
        "extra": {
            "notice_schema": notice["schema"],
            "notice_kind": notice["notice_kind"],
            "notice_type": notice.get("notice_type"),
            "notice_id": notice.get("notice_id"),
            "publication_number": pub,
            "publication_date": notice["publication_date"].isoformat()
            if notice.get("publication_date")
            else None,
            "cpv_codes": notice["cpv"],
            "place_of_performance": [p for p in place_text if p],
            "nuts_codes": [p["nuts"] for p in notice["places"] if p.get("nuts")],
            "buyer_countries": notice["buyer_countries"],
            "procedure": notice.get("procedure"),
            "procedure_id": notice.get("procedure_id"),
            "estimated_value_eur": notice.get("amount"),
            "lots": notice.get("lots"),
            "notice_category": category,
            **outcome,
        },
    }
