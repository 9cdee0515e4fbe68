"""Phoenix (OEDA) event data columns (docs/exports.md)."""

from __future__ import annotations

from dotterel.export.items import Item
from dotterel.export.registry import ExportFormat
from dotterel.export.values import code, country_name, join, version, ymd
from dotterel.records.models import SideActor

PHOENIX_COLUMNS: tuple[str, ...] = (
    "eid", "story_date", "year", "month", "day", "source", "source_root", "source_agent", "source_others",
    "target", "target_root", "target_agent", "target_others", "code", "root_code", "quad_class", "goldstein",
    "joined_issues", "lat", "lon", "placename", "statename", "countryname", "aid", "process", "url",
)
PHOENIX_TYPES = {"year": "int", "month": "int", "day": "int", "goldstein": "float", "lat": "float", "lon": "float"}


def _phoenix_side(prefix: str, side: list[SideActor]) -> dict:
    a = side[0] if side else None
    return {prefix: code(a) if a else None, f"{prefix}_root": a.country if a else None,
            f"{prefix}_agent": a.sector if a else None, f"{prefix}_others": join([code(x) for x in side[1:]], ";")}


def phoenix_row(it: Item) -> dict:
    e = it.event
    day = ymd(it.date_start)
    return {
        "eid": it.export_id, "story_date": it.published or it.date_start,
        "year": day[0] if day else None, "month": day[1] if day else None, "day": day[2] if day else None,
        **_phoenix_side("source", e.actor), **_phoenix_side("target", e.recipient),
        "code": e.cameo, "root_code": e.cameo[:2] or None, "quad_class": str(e.quad_class), "goldstein": e.intensity,
        "joined_issues": join(e.context, ";"), "lat": None, "lon": None,
        "placename": e.location.name if e.location else None, "statename": None,
        "countryname": country_name(e.location.country) if e.location else None,
        "aid": it.doc_id, "process": f"dotterel-{version()}", "url": it.url,
    }


FORMATS = (ExportFormat("phoenix", PHOENIX_COLUMNS, phoenix_row, PHOENIX_TYPES, rank=70),)
