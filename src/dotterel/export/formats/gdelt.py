"""GDELT 2.0 event table columns (docs/exports.md): first party of each side, CAMEO codes, GDELT's
integer dates."""

from __future__ import annotations

import datetime as dt

from dotterel.export.items import Item
from dotterel.export.registry import ExportFormat
from dotterel.export.values import code, numeric_id, ymd
from dotterel.records.models import SideActor

_GEO = ("Type", "Fullname", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{c}" for n in (1, 2) for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                                 "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *(f"{p}Geo_{g}" for p in ("Actor1", "Actor2", "Action") for g in _GEO),
    "DATEADDED", "SOURCEURL",
)
GDELT_TYPES = {"GLOBALEVENTID": "int", "SQLDATE": "int", "MonthYear": "int", "Year": "int", "FractionDate": "float",
               "IsRootEvent": "int", "QuadClass": "int", "GoldsteinScale": "float", "NumMentions": "int",
               "NumSources": "int", "NumArticles": "int", "AvgTone": "float", "DATEADDED": "int",
               **{f"{p}Geo_{g}": t for p in ("Actor1", "Actor2", "Action") for g, t in (("Type", "int"), ("Lat", "float"),
                                                                                         ("Long", "float"))}}


def _gdelt_actor(n: int, side: list[SideActor]) -> dict:
    a = side[0] if side else None
    return {f"Actor{n}Code": code(a) if a else None, f"Actor{n}Name": (a.name or a.text) if a else None,
            f"Actor{n}CountryCode": a.country if a else None, f"Actor{n}Type1Code": a.sector if a else None}


def gdelt_row(it: Item) -> dict:
    e = it.event
    row: dict = dict.fromkeys(GDELT_COLUMNS)
    day = ymd(it.date_start)
    n_m, n_a, n_s = it.counts
    row.update({
        "GLOBALEVENTID": numeric_id(it.export_id),
        "SQLDATE": day[0] * 10000 + day[1] * 100 + day[2] if day else None,
        "MonthYear": day[0] * 100 + day[1] if day else None, "Year": day[0] if day else None,
        "FractionDate": round(day[0] + (dt.date(*day).timetuple().tm_yday - 1) / 365, 4) if day else None,
        **_gdelt_actor(1, e.actor), **_gdelt_actor(2, e.recipient),
        "IsRootEvent": 1 if e.sentence == 0 else 0, "EventCode": e.cameo, "EventBaseCode": e.cameo[:3] or None,
        "EventRootCode": e.cameo[:2] or None, "QuadClass": e.quad_class, "GoldsteinScale": e.intensity,
        "NumMentions": n_m, "NumSources": n_s, "NumArticles": n_a,
        "SOURCEURL": it.url or it.doc_id,
    })
    if e.location is not None:
        row["ActionGeo_Fullname"] = e.location.name
    added = (it.coded_at or "")[:19]
    if added:
        row["DATEADDED"] = int("".join(ch for ch in added if ch.isdigit())[:14].ljust(14, "0"))
    return row


FORMATS = (ExportFormat("gdelt", GDELT_COLUMNS, gdelt_row, GDELT_TYPES, rank=40),)
