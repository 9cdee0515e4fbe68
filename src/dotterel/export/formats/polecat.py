"""POLECAT columns (PLOVER types and modes; docs/exports.md)."""

from __future__ import annotations

from dotterel.export.items import Item
from dotterel.export.registry import ExportFormat
from dotterel.export.values import join, names, version, wikidata
from dotterel.records.models import SideActor

POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "State", "Country", "GeoNames ID", "Raw Placename", "Feature Type", "Source",
    "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version",
    "Latitude", "Longitude",
)
POLECAT_TYPES = {"Event Intensity": "float", "Latitude": "float", "Longitude": "float"}


def _polecat_side(prefix: str, side: list[SideActor]) -> dict:
    a = side[0] if side else None
    p = prefix
    return {
        f"{p} Name": names(side), f"{p} Country": join([x.country for x in side], ";"), f"{p} COW": None,
        f"Primary {p} Sector": a.sector if a else None, f"{p} Sectors": join([x.sector for x in side], ";"),
        f"{p} Title": None, f"{p} Name Raw": join([x.text for x in side], ";"),
        f"Wikipedia {p} ID": join([wikidata(x) for x in side], ";"),
    }


def polecat_row(it: Item) -> dict:
    e = it.event
    row: dict = dict.fromkeys(POLECAT_COLUMNS)
    row.update({
        "Event ID": it.export_id, "Event Date": it.date_start, "Event Type": e.event_type,
        "Event Mode": e.mode, "Event Intensity": e.intensity, "Quad Code": str(e.quad_class),
        "Contexts": join(e.context, ";"), **_polecat_side("Actor", e.actor), **_polecat_side("Recipient", e.recipient),
        "Placename": e.location.name if e.location else None,
        "Country": e.location.country if e.location else None,
        "Raw Placename": e.location.name if e.location else None,
        "Source": it.source, "Publication Date": it.published, "Language": "en", "Version": f"dotterel-{version()}",
    })
    return row


FORMATS = (ExportFormat("polecat", POLECAT_COLUMNS, polecat_row, POLECAT_TYPES, rank=60),)
