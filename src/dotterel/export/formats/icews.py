"""ICEWS coded event data columns (docs/exports.md)."""

from __future__ import annotations

from dotterel.export.items import Item
from dotterel.export.registry import ExportFormat
from dotterel.export.values import cameo_names, country_name, join, names

ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)
ICEWS_TYPES = {"Intensity": "float", "Sentence Number": "int", "Latitude": "float", "Longitude": "float"}


def icews_row(it: Item) -> dict:
    e = it.event
    return {
        "Event ID": it.export_id, "Event Date": it.date_start,
        "Source Name": names(e.actor), "Source Sectors": join([a.sector for a in e.actor], ", "),
        "Source Country": join([country_name(a.country) for a in e.actor], ", "),
        "Event Text": cameo_names().get(e.cameo), "CAMEO Code": e.cameo, "Intensity": e.intensity,
        "Target Name": names(e.recipient), "Target Sectors": join([a.sector for a in e.recipient], ", "),
        "Target Country": join([country_name(a.country) for a in e.recipient], ", "),
        "Story ID": it.doc_id, "Sentence Number": e.sentence + 1, "Publisher": it.source,
        "City": None, "District": None, "Province": None,
        "Country": country_name(e.location.country) if e.location else None, "Latitude": None, "Longitude": None,
    }


FORMATS = (ExportFormat("icews", ICEWS_COLUMNS, icews_row, ICEWS_TYPES, rank=50),)
