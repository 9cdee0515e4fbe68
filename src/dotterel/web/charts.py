"""Geometry for the SVG charts (timelines on a real time axis, actor network).

The functions here only compute numbers and short strings; the templates draw them (with
autoescaping), so there is no chart library and no client-side rendering.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict

QUADS: dict[int, str] = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict",
                         4: "Material conflict", 0: "Unclassified"}
QUAD_STACK = (1, 2, 3, 4, 0)
INTENSITY_MIN, INTENSITY_MAX = -10.0, 10.0


@functools.lru_cache(maxsize=512)
def country_name(code: str | None) -> str:
    """A readable name for a country code (ISO alpha-3/alpha-2 through pycountry), else the code."""
    if not code:
        return "?"
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, KeyError, LookupError):
        c = None
    return getattr(c, "name", None) or code


# -- scales ----------------------------------------------------------------------------------------

def nice_ticks(max_value: float, target: int = 5) -> list[float]:
    """0 and round steps up to at least ``max_value``."""
    if max_value <= 0:
        return [0, 1]
    raw = max_value / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if step < 1:
        step = 1.0
    n = math.ceil(max_value / step)
    return [round(i * step, 6) for i in range(n + 1)]


#: Diverging scale for intensity (RdBu with a neutral grey middle): (value, colour).
INTENSITY_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (-10.0, (178, 24, 43)), (-5.0, (229, 120, 90)), (0.0, (175, 175, 175)), (5.0, (92, 158, 204)), (10.0, (33, 102, 172)))


def intensity_color(value: float | None) -> str:
    """Red for conflict (negative intensity), grey around 0, blue for cooperation."""
    v = min(INTENSITY_MAX, max(INTENSITY_MIN, float(value or 0.0)))
    for (v0, c0), (v1, c1) in zip(INTENSITY_STOPS, INTENSITY_STOPS[1:], strict=False):
        if v <= v1:
            t = (v - v0) / (v1 - v0)
            r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    r, g, b = INTENSITY_STOPS[-1][1]
    return f"#{r:02x}{g:02x}{b:02x}"


# -- periods ---------------------------------------------------------------------------------------

def _period_start(label: str, period: str) -> dt.date:
    if period == "day":
        return dt.date.fromisoformat(label)
    if period == "month":
        return dt.date.fromisoformat(label + "-01")
    if period == "year":
        return dt.date(int(label), 1, 1)
    year, week = label.split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 1)


def _label(day: dt.date, period: str) -> str:
    if period == "day":
        return day.isoformat()
    if period == "month":
        return day.isoformat()[:7]
    if period == "year":
        return str(day.year)
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _next(day: dt.date, period: str) -> dt.date:
    if period == "day":
        return day + dt.timedelta(days=1)
    if period == "week":
        return day + dt.timedelta(days=7)
    if period == "month":
        return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return dt.date(day.year + 1, 1, 1)


# -- actor network ---------------------------------------------------------------------------------

def _quad_point(p0: tuple[float, float], c: tuple[float, float], p2: tuple[float, float], t: float) -> tuple[float, float]:
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * c[1] + t * t * p2[1])


def network_chart(edges: list[dict], size: int = 680) -> dict:
    """Circular layout: countries on a circle, one curved arrow per directed pair.

    ``edges`` are dicts with ``actor_country``, ``recipient_country``, ``count``, ``mean_intensity``."""
    totals: dict[str, int] = defaultdict(int)
    for e in edges:
        totals[e["actor_country"]] += e["count"]
        if e["recipient_country"] != e["actor_country"]:
            totals[e["recipient_country"]] += e["count"]
    names = sorted(totals)
    chart: dict = {"size": size, "nodes": [], "edges": [], "loops": [], "empty": not names}
    if not names:
        return chart
    cx = cy = size / 2
    radius = size / 2 - 80 if len(names) > 1 else 0
    max_total = max(totals.values())
    max_count = max(e["count"] for e in edges)
    pos: dict[str, tuple[float, float]] = {}
    node_r: dict[str, float] = {}
    looped = {e["actor_country"] for e in edges if e["actor_country"] == e["recipient_country"]}
    for i, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * i / len(names)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        pos[name], node_r[name] = (x, y), 7 + 15 * math.sqrt(totals[name] / max_total)
        out = radius + node_r[name] + (32 if name in looped else 12)
        lx, ly = cx + out * math.cos(angle), cy + out * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        chart["nodes"].append({"id": name, "x": round(x, 1), "y": round(y, 1), "r": round(node_r[name], 1),
                               "lx": round(lx, 1), "ly": round(ly + 4, 1), "anchor": anchor, "total": totals[name],
                               "title": f"{name} · {country_name(name)} · {totals[name]} events"})
    for e in sorted(edges, key=lambda e: e["count"]):  # heavy edges drawn last, on top
        a, b = e["actor_country"], e["recipient_country"]
        mean = float(e["mean_intensity"] or 0.0)
        colour = intensity_color(mean)
        width = 1.2 + 7 * e["count"] / max_count
        title = f"{a} → {b}: {e['count']} events, mean intensity {mean:+.2f}"
        if a == b:
            x, y = pos[a]
            dx, dy = x - cx, y - cy
            d = math.hypot(dx, dy) or 1.0
            if radius == 0:
                dx, dy, d = 0.0, -1.0, 1.0
            lr = 12.0
            chart["loops"].append({"cx": round(x + dx / d * (node_r[a] + lr - 4), 1),
                                   "cy": round(y + dy / d * (node_r[a] + lr - 4), 1), "r": lr, "colour": colour,
                                   "width": round(width, 1), "title": title})
            continue
        p0, p2 = pos[a], pos[b]
        mx, my = (p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2
        dx, dy = p2[0] - p0[0], p2[1] - p0[1]
        dist = math.hypot(dx, dy) or 1.0
        bend = 0.16 * dist
        c = (mx + dy / dist * bend, my - dx / dist * bend)  # perpendicular: a→b and b→a bend apart
        lo, hi = 0.5, 1.0  # where the curve enters the target circle (plus a gap)
        for _ in range(30):
            mid = (lo + hi) / 2
            q = _quad_point(p0, c, p2, mid)
            if math.hypot(q[0] - p2[0], q[1] - p2[1]) > node_r[b] + 2:
                lo = mid
            else:
                hi = mid
        tip = _quad_point(p0, c, p2, lo)
        tx, ty = 2 * (1 - lo) * (c[0] - p0[0]) + 2 * lo * (p2[0] - c[0]), 2 * (1 - lo) * (c[1] - p0[1]) + 2 * lo * (p2[1] - c[1])
        tl = math.hypot(tx, ty) or 1.0
        ux, uy = tx / tl, ty / tl
        head = 7 + width * 1.1
        bx, by = tip[0] - ux * head, tip[1] - uy * head
        arrow = [(tip[0], tip[1]), (bx - uy * head * 0.55, by + ux * head * 0.55), (bx + uy * head * 0.55, by - ux * head * 0.55)]
        chart["edges"].append({
            "path": f"M{p0[0]:.1f},{p0[1]:.1f} Q{c[0]:.1f},{c[1]:.1f} {bx:.1f},{by:.1f}",
            "arrow": " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow), "colour": colour, "width": round(width, 1),
            "title": title, "source": a, "target": b, "count": e["count"]})
    return chart


# -- real time axis --------------------------------------------------------------------------------

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_key(day: dt.date, period: str) -> str:
    return _label(day, period)


def period_bounds(label: str, period: str) -> tuple[dt.date, dt.date]:
    """First day of the period and first day of the next one."""
    start = _period_start(label, period)
    return start, _next(start, period)


def _place(start_s: str, end_s: str | None, period: str) -> tuple[str, str, str] | None:
    """``(period, '', '')`` for a date range inside one period, ``('', start, end)`` for a wider
    one, ``None`` for an unreadable date."""
    try:
        start = dt.date.fromisoformat(start_s)
        end = dt.date.fromisoformat(end_s) if end_s else start
    except ValueError:
        return None
    k0, k1 = period_key(start, period), period_key(max(start, end), period)
    return (k0, "", "") if k0 == k1 else ("", start.isoformat(), max(start, end).isoformat())


def bucket(counts: list, period: str) -> tuple[dict[str, dict[int, list[float]]], list[dict]]:
    """Dated counts (:class:`dotterel.store.queries.DatedCount`) → ``{period: {quad: [n, total intensity]}}``
    and the *spread* events, whose date is only known to a range wider than one period (a month
    or a year when counting per week): those are not drawn as if they happened on their first day."""
    points: dict[str, dict[int, list[float]]] = defaultdict(dict)
    spread: dict[tuple[str, str, int], list[float]] = {}
    places: dict[tuple[str, str | None], tuple[str, str, str] | None] = {}  # each date range parsed once
    for c in counts:
        if (c.start, c.end) not in places:
            places[(c.start, c.end)] = _place(c.start, c.end, period)
        place = places[(c.start, c.end)]
        if place is None:
            continue
        k0, start, end = place
        if not start:
            acc = points[k0].setdefault(c.quad_class, [0, 0.0])
        else:
            acc = spread.setdefault((start, end, c.quad_class), [0, 0.0])
        acc[0] += c.count
        acc[1] += c.total_intensity
    spread_rows = [{"start": s, "end": e, "quad_class": q, "count": int(n), "mean_intensity": round(t / n, 3)}
                   for (s, e, q), (n, t) in sorted(spread.items())]
    return dict(points), spread_rows


def time_ticks(t0: dt.date, t1: dt.date, max_ticks: int = 8) -> list[tuple[dt.date, str]]:
    """Calendar-aligned ticks between ``t0`` and ``t1`` (days, months or years), at most ``max_ticks``."""
    days = max(1, (t1 - t0).days)
    ticks: list[tuple[dt.date, str]] = []
    if days <= 45:
        step = max(1, math.ceil(days / max_ticks))
        d = t0
        while d <= t1:
            ticks.append((d, f"{MONTHS[d.month - 1]} {d.day}"))
            d += dt.timedelta(days=step)
        return ticks
    if days <= 366 * 4:
        months = days / 30.4
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= max_ticks)
        d = dt.date(t0.year, t0.month, 1)
        if d < t0:
            d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        while d <= t1:
            if (d.month - 1) % step == 0:
                ticks.append((d, f"{MONTHS[d.month - 1]} {d.year}" if d.month == 1 or not ticks else MONTHS[d.month - 1]))
            d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return ticks
    years = days / 365.25
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if years / s <= max_ticks)
    y = t0.year + (0 if t0 == dt.date(t0.year, 1, 1) else 1)
    while dt.date(y, 1, 1) <= t1:
        if y % step == 0:
            ticks.append((dt.date(y, 1, 1), str(y)))
        y += 1
    return ticks


def time_chart(points: dict[str, dict[int, list[float]]], spread: list[dict], period: str, *, width: int = 880,
               height: int = 330, scale: dict[str, float] | None = None, y_title: str = "events",
               with_line: bool = True) -> dict:
    """Stacked bars on a real time axis: each bar spans its period, empty periods are gaps, the
    mean-intensity line breaks across them, and spread events are drawn as ranges under the axis.

    ``scale``: per period, a factor for the bar heights (e.g. 100 / documents that period)."""
    lanes_max = 4
    left, right, top = 48, 52 if with_line else 16, 18
    lane_h = 9
    n_lanes = min(lanes_max, len(spread))
    bottom_pad = 40 + (n_lanes * (lane_h + 3) + 26 if spread else 0)
    pw, ph = width - left - right, height - top - bottom_pad
    total = int(sum(v[0] for p in points.values() for v in p.values()))
    chart: dict = {"width": width, "height": height, "left": left, "top": top, "plot_w": pw, "plot_h": ph,
                   "bottom": top + ph, "right": left + pw, "bars": [], "segments": [], "dots": [], "yticks": [],
                   "y2ticks": [], "xticks": [], "spread": [], "spread_y": top + ph + 46, "empty": not points and not spread,
                   "periods": len(points), "total": total, "spread_total": sum(s["count"] for s in spread),
                   "with_line": with_line, "y_title": y_title}
    if chart["empty"]:
        return chart
    bounds = {p: period_bounds(p, period) for p in points}
    starts = [b[0] for b in bounds.values()] + [dt.date.fromisoformat(s["start"]) for s in spread]
    ends = [b[1] for b in bounds.values()] + [dt.date.fromisoformat(s["end"]) + dt.timedelta(days=1) for s in spread]
    t0, t1 = min(starts), max(ends)
    span = max(1, (t1 - t0).days)

    def x(day: dt.date) -> float:
        return left + pw * (day - t0).days / span

    factor = scale or {}
    heights = {p: sum(v[0] for v in q.values()) * factor.get(p, 1.0) for p, q in points.items()}
    ticks = nice_ticks(max(heights.values(), default=1.0) or 1.0)
    ymax = ticks[-1] or 1.0

    def y(v: float) -> float:
        return top + ph - ph * v / ymax

    def y2(v: float) -> float:
        return top + ph - ph * (v - INTENSITY_MIN) / (INTENSITY_MAX - INTENSITY_MIN)

    chart["yticks"] = [{"y": round(y(t), 1), "label": f"{t:g}"} for t in ticks]
    if with_line:
        chart["y2ticks"] = [{"y": round(y2(v), 1), "label": f"{v:+g}" if v else "0"} for v in (-10, -5, 0, 5, 10)]
        chart["zero_y"] = round(y2(0), 1)
    chart["xticks"] = [{"x": round(x(d), 1), "label": label} for d, label in time_ticks(t0, t1, max(3, pw // 95))]
    segment: list[str] = []
    previous_end: dt.date | None = None
    for p in sorted(points, key=lambda k: bounds[k][0]):
        b0, b1 = bounds[p]
        x0, x1 = x(b0), x(b1)
        gap = min(1.5, (x1 - x0) * 0.15)
        base = 0.0
        f = factor.get(p, 1.0)
        for q in QUAD_STACK:
            n = points[p].get(q, [0, 0.0])[0]
            if not n:
                continue
            v = n * f
            y_top, y_bottom = y(base + v), y(base)
            what = f"{v:.2f} per 100 documents ({int(n)} events)" if scale else f"{int(n)}"
            chart["bars"].append({"x": round(x0 + gap, 2), "y": round(y_top, 1), "w": round(max(1.0, x1 - x0 - 2 * gap), 2),
                                  "h": round(max(0.5, y_bottom - y_top), 1), "quad": q,
                                  "title": f"{p}: {what} × {QUADS[q].lower()}"})
            base += v
        n_all = sum(v[0] for v in points[p].values())
        if with_line and n_all:
            mean = sum(v[1] for v in points[p].values()) / n_all
            pt = (round((x0 + x1) / 2, 1), round(y2(mean), 1))
            if previous_end is not None and b0 != previous_end and segment:
                chart["segments"].append("M" + " L".join(segment))
                segment = []
            segment.append(f"{pt[0]},{pt[1]}")
            chart["dots"].append({"cx": pt[0], "cy": pt[1], "title": f"{p}: mean intensity {mean:+.2f} over {int(n_all)} events"})
        previous_end = b1
    if segment:
        chart["segments"].append("M" + " L".join(segment))
    lane_ends: list[float] = []
    for s in sorted(spread, key=lambda s: (s["start"], s["end"])):
        s0, s1 = dt.date.fromisoformat(s["start"]), dt.date.fromisoformat(s["end"]) + dt.timedelta(days=1)
        xa, xb = x(s0), x(s1)
        lane = next((i for i, end in enumerate(lane_ends) if end <= xa), None)
        if lane is None:
            if len(lane_ends) < lanes_max:
                lane_ends.append(0.0)
                lane = len(lane_ends) - 1
            else:
                lane = min(range(len(lane_ends)), key=lambda i: lane_ends[i])
        lane_ends[lane] = max(lane_ends[lane], xb + 2)
        chart["spread"].append({"x": round(xa, 1), "w": round(max(2.0, xb - xa), 1),
                                "y": round(chart["spread_y"] + lane * (lane_h + 3), 1), "h": lane_h,
                                "quad": s["quad_class"],
                                "title": f"{s['count']} × {QUADS.get(s['quad_class'], '?').lower()} dated only to "
                                         f"{s['start']} … {s['end']}"})
    return chart
