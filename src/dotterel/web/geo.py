"""The world map: country outlines from the vendored Natural Earth 1:110m TopoJSON
(``static/vendor/world-atlas``), decoded and projected here (equirectangular), joined to the
store's ISO alpha-3 country codes."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

ATLAS = Path(__file__).parent / "static" / "vendor" / "world-atlas" / "countries-110m.json"
WIDTH, HEIGHT = 960, 460  # 360° x 172.5° (the atlas stops at 85.6° S), same scale both ways
LAT_TOP, LAT_BOTTOM = 86.9, -85.6


@dataclass(frozen=True)
class Shape:
    iso3: str | None
    name: str
    path: str  # SVG path data


def _iso3(numeric: str | None, name: str) -> str | None:
    import pycountry

    if numeric:
        c = pycountry.countries.get(numeric=numeric.zfill(3))
        if c is not None:
            return c.alpha_3
    return {"Kosovo": "XKX", "N. Cyprus": None, "Somaliland": None}.get(name)


@functools.lru_cache(maxsize=1)
def world_shapes() -> tuple[Shape, ...]:
    """Every country of the atlas as an SVG path in a ``WIDTH`` x ``HEIGHT`` box."""
    topo = json.loads(ATLAS.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * sx + tx, y * sy + ty
            pts.append((round((lon + 180) / 360 * WIDTH, 1), round((LAT_TOP - lat) / (LAT_TOP - LAT_BOTTOM) * HEIGHT, 1)))
        arcs.append(pts)

    def ring(indexes: list[int]) -> str:
        pts: list[tuple[float, float]] = []
        for i in indexes:
            seq = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(seq if not pts else seq[1:])
        # a ring crossing the antimeridian (Chukotka, Fiji) is unwrapped (continued past the edge,
        # which the SVG viewport clips) instead of drawn across the whole map
        out: list[str] = []
        prev: float | None = None
        shift = 0.0
        for x, y in pts:
            if prev is not None and abs(x + shift - prev) > WIDTH / 2:
                shift += WIDTH if x + shift < prev else -WIDTH
            prev = x + shift
            out.append(("M" if not out else "L") + f"{prev:g},{y:g}")
        return "".join(out) + "Z"

    shapes = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        path = "".join(ring(r) for poly in polys for r in poly)
        name = g.get("properties", {}).get("name", "")
        shapes.append(Shape(_iso3(g.get("id"), name), name, path))
    return tuple(shapes)


#: Sequential, colour-blind-safe bins (light yellow → dark blue, after ColorBrewer YlGnBu).
MAP_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
NO_DATA = "#eceff3"


def map_bins(max_count: int) -> list[int]:
    """Lower bounds of the colour bins (1, then roughly doubling up to the maximum)."""
    if max_count <= 0:
        return [1]
    bins = [1]
    step = max(2, round(max_count ** (1 / (len(MAP_COLOURS) - 1))))
    while len(bins) < len(MAP_COLOURS) and bins[-1] * step <= max_count:
        bins.append(bins[-1] * step)
    return bins


def map_chart(counts: dict[str, int]) -> dict:
    bins = map_bins(max(counts.values(), default=0))

    def colour(n: int) -> str:
        if n <= 0:
            return NO_DATA
        return MAP_COLOURS[max(i for i, b in enumerate(bins) if n >= b)]

    drawn = {s.iso3 for s in world_shapes() if s.iso3}
    shapes = [{"iso3": s.iso3 or "", "name": s.name, "path": s.path, "count": counts.get(s.iso3 or "", 0),
               "colour": colour(counts.get(s.iso3 or "", 0))} for s in world_shapes()]
    legend = [{"colour": MAP_COLOURS[i], "label": (f"{b}" if bins[i + 1] - 1 == b else f"{b}–{bins[i + 1] - 1}")
               if i + 1 < len(bins) else f"{b}+"} for i, b in enumerate(bins)]
    return {"width": WIDTH, "height": HEIGHT, "shapes": shapes, "legend": legend, "no_data": NO_DATA,
            "off_map": sorted((c, n) for c, n in counts.items() if c not in drawn)}
