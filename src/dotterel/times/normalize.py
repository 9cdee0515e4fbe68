"""Normalise one English temporal expression against the document creation time (DCT).

``normalize(text, dct, tense)`` returns a :class:`Normalized` (first day, last day, a
TIMEX3-style ``value``, ``granularity``) or ``None`` when the text is not a date we can place:
durations (*for 12 years*, *24 hours*, *in its second year*, *three days of talks*), vague
expressions (*recently*, *within days*, *in recent weeks*, *days ago*), bounds (*since 2014*,
*until Friday*, *by March*, *before the invasion*) and times relative to another event
(*weeks before the invasion*, *days after the vote*, *the previous day*).

``dct`` is the publication date. ``tense`` comes from the governing verb: ``"past"``,
``"future"``; anything else (``None``, ``"present"``) means unknown. Parsing is our own
(regular expressions over the word lists in ``resources/times/expressions.toml``); no
third-party date parser is used.

Values and granularity
    day ``2023-03-16`` · part of day ``2023-03-16TEV`` (MO, AF, EV, NI; granularity ``part``) ·
    ISO week ``2023-W12`` (Monday..Sunday) · weekend ``2023-W11-WE`` (Saturday, Sunday;
    granularity ``weekend``) · month ``2023-02`` · quarter ``2022-Q3`` · half ``2022-H1``
    (granularity ``half``) · season ``2021-FA`` · year ``2022`` · decade ``199X``
    (granularity ``decade``) · range ``2023-03-20/2023-03-22`` (granularity ``range``; the two
    ends' own values joined by ``/``, first day of the start to last day of the end).

Rules for the ambiguous cases (DCT = the publication date)
    * Weekdays. ``past`` and unknown tense: the most recent such day on or before the DCT
      ("Friday" on Friday 2023-03-17 is the DCT itself; news reports what happened).
      ``future``: the next such day strictly after the DCT. "last Friday": strictly before;
      "next Friday": strictly after (so on a Wednesday "next Friday" is two days later).
      "this Friday": the DCT if it is a Friday, else by tense (past: before; future: after;
      unknown: the Friday of the DCT's ISO week). "Monday next week", "Tuesday of last week":
      that day of the DCT's ISO week shifted by one week.
    * Bare months and "this <Month>". "this March" is the month of the DCT's year. "in May"
      / "May": ``past`` the most recent May on or before the DCT's month, ``future`` the next
      on or after it, unknown the nearest one (ties go to the DCT's year).
    * "last <Month>" is this year's month when it lies at least two months before the DCT's
      month ("last January" in August 2020 is 2020-01), else the previous year's: the month
      just before the DCT's would be "last month", so "last February" in March 2023 is 2022-02
      ("the war began last February"), and "last November" in March is the previous November.
      "next <Month>" mirrors it (this year's when at least two months ahead, else next year's).
    * Month-day without a year ("March 16"): ``past`` the latest on or before the DCT,
      ``future`` the earliest on or after it, unknown the nearest (DCT.year ± 1).
    * Seasons are meteorological (spring Mar–May, summer Jun–Aug, autumn/fall Sep–Nov
      (code ``FA``), winter Dec–Feb, named after the year of its December: ``2022-WI`` is
      2022-12-01..2023-02-28). Seasons straddle years, so they are ordered instances rather
      than calendar years: "last spring" is the latest one that ended before the DCT, "next
      summer" the first that starts after it, "this/in summer" the one containing the DCT,
      else by tense (unknown: the one named after the DCT's year).
    * Quarters and halves without a year: ``past`` the latest that started on or before the
      DCT, ``future`` the first that ends on or after it, unknown the DCT's year.
      "last/this/next quarter" shift from the DCT's quarter.
    * "last/this/next week|month|year" shift the unit that contains the DCT (ISO weeks).
      "the weekend": ``future`` the DCT's ISO week's weekend, otherwise the latest weekend
      that started on or before the DCT; "this/last/next weekend" follow ISO weeks.
    * Modifiers keep the unit and its value; they are reported in ``mod`` (TIMEX3 style)
      and do not narrow first/last: "early next week" is 2023-W12, 2023-03-20..2023-03-26,
      mod ``START``; "mid-March" mod ``MID``; "late 2022" mod ``END``. "earlier"/"later"
      ("earlier Thursday", "later this week", "earlier this year") set no mod.
    * "<n> days|weeks|months|years|decades ago" and "in <n> …" shift the DCT by n units and
      give the unit that contains the result ("three weeks ago" on 2023-03-17 → 2023-W08,
      "a year ago" → 2022, "two days ago" → 2023-03-15). "in <n> …" is resolved only with
      ``future`` tense: otherwise it is nearly always a span ("the first visit in 12
      years"). "<n> … before/after/later/earlier" is relative to another event: ``None``.
    * Bounds are not dates: "since 2014", "until Friday", "by March", "before/after the
      vote", "within days", "through Wednesday" → ``None``. "for" is just a preposition:
      "scheduled for Thursday" is Thursday, "for 12 years" is a duration and so ``None``.
    * Ranges ("from Monday to Wednesday", "Monday-Wednesday", "between March 3 and 5",
      "March 20-22", "3-5 March 2023", "from March to May", "2020-21"): the start resolves
      by the rules above (weekdays by tense); a missing month/year on one side is taken from
      the other; an end without a year is the first such date/month on or after the start;
      a weekday end is the first such day after the start.
    * Clock times are dropped ("3 p.m. Thursday" is Thursday); a clock time alone is None.
    * Without a DCT, expressions that need one return ``Normalized(None, None, None,
      granularity, anchored=False)``; absolute ones ("March 16, 2023", "in 2022", "the
      1990s", "Q3 2022") still resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypedDict

from dotterel.times.lexicon import Lexicon, load_lexicon

__all__ = ["Normalized", "normalize"]

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_UNIT_WORDS = ("weekend", "week", "month", "quarter", "year")
#: a month-day in a future clause more than this far ahead is read as the nearest such day
FAR_FUTURE_DAYS = 300
#: TIMEX3 ``mod`` of a bounded interval, by its opening preposition
BOUND_MODS = {"since": "ON_OR_AFTER", "until": "ON_OR_BEFORE", "till": "ON_OR_BEFORE",
              "through": "ON_OR_BEFORE", "by": "ON_OR_BEFORE"}
#: part of a month a modifier narrows to: early 1-10, mid 11-20, late 21-end
_MONTH_PART = {"START": (1, 10), "MID": (11, 20), "END": (21, 31)}
_DURATION_CODE = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE"}


@dataclass(frozen=True, slots=True)
class Normalized:
    first: dt.date | None  # first day covered
    last: dt.date | None  # last day covered
    value: str | None  # TIMEX3-style value
    granularity: str  # day | part | week | weekend | month | quarter | half | season | year | decade | range
    anchored: bool = True  # False when the expression needed a DCT that was missing
    mod: str | None = None  # START | MID | END (TIMEX3 mod); does not narrow first/last


@dataclass(frozen=True, slots=True)
class _Spec:
    """What the words say, before any DCT is applied."""

    kind: str  # date weekday deictic month year decade season quarter half unit offset bare
    year: int | None = None
    year_offset: int | None = None  # "of last year" -> -1
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    rel: int | None = None  # last -1, this 0, next +1
    part: str | None = None  # MO AF EV NI
    code: str | None = None  # season code
    n: int | None = None  # quarter/half number, day offset, unit count, bare number
    unit: str | None = None
    week_offset: int | None = None  # "Monday next week"

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.year_offset is not None

    @property
    def absolute(self) -> bool:
        if self.kind in ("year", "decade"):
            return True
        return self.kind in ("date", "month", "season", "quarter", "half") and self.year is not None

    @property
    def granularity(self) -> str:
        if self.kind in ("date", "weekday", "deictic"):
            return "part" if self.part else "day"
        if self.kind in ("unit", "offset"):
            return self.unit or "day"
        return self.kind


# --- calendar helpers ---------------------------------------------------------------------

_Res = tuple[dt.date, dt.date, str, str]  # first, last, value, granularity


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _day(d: dt.date, part: str | None = None) -> _Res:
    return (d, d, f"{d.isoformat()}T{part}", "part") if part else (d, d, d.isoformat(), "day")


def _week(d: dt.date) -> _Res:
    monday = d - dt.timedelta(days=d.weekday())
    y, w, _ = monday.isocalendar()
    return monday, monday + dt.timedelta(days=6), f"{y}-W{w:02d}", "week"


def _weekend(saturday: dt.date) -> _Res:
    y, w, _ = saturday.isocalendar()
    return saturday, saturday + dt.timedelta(days=1), f"{y}-W{w:02d}-WE", "weekend"


def _month(y: int, m: int) -> _Res:
    return dt.date(y, m, 1), _month_end(y, m), f"{y:04d}-{m:02d}", "month"


def _year(y: int) -> _Res:
    return dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y:04d}", "year"


def _decade(y: int) -> _Res:
    d = y - y % 10
    return dt.date(d, 1, 1), dt.date(d + 9, 12, 31), f"{d // 10:03d}X", "decade"


def _quarter(y: int, q: int) -> _Res:
    return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y:04d}-Q{q}", "quarter"


def _half(y: int, h: int) -> _Res:
    return dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), f"{y:04d}-H{h}", "half"


def _season(y: int, code: str) -> _Res:
    start = _SEASON_START[code]
    last = _month_end(y + 1, 2) if code == "WI" else _month_end(y, start + 2)
    return dt.date(y, start, 1), last, f"{y:04d}-{code}", "season"


def _pick(candidates: list[_Res], dct: dt.date, tense: str | None, home_year: int) -> _Res | None:
    """Choose among yearly instances: past = latest starting on/before the DCT, future =
    earliest ending on/after it, unknown = instance in ``home_year``."""
    if tense == "past":
        ok = [c for c in candidates if c[0] <= dct]
        return max(ok, key=lambda c: c[0]) if ok else None
    if tense == "future":
        ok = [c for c in candidates if c[1] >= dct]
        return min(ok, key=lambda c: c[0]) if ok else None
    return next((c for c in candidates if c[0].year == home_year), None)


# --- resolution ---------------------------------------------------------------------------


def _year_of(spec: _Spec, dct: dt.date | None) -> int | None:
    if spec.year is not None:
        return spec.year
    if spec.year_offset is not None and dct is not None:
        return dct.year + spec.year_offset
    return None


def _resolve_date(s: _Spec, dct: dt.date, tense: str | None) -> _Res | None:
    assert s.month is not None and s.day is not None
    y = _year_of(s, dct)
    if y is not None:
        return _day(dt.date(y, s.month, s.day), s.part)
    cands = []
    for yy in (dct.year - 1, dct.year, dct.year + 1):
        try:
            cands.append(dt.date(yy, s.month, s.day))
        except ValueError:
            continue
    if tense == "past":
        ok = [c for c in cands if c <= dct]
        d = max(ok) if ok else None
    elif tense == "future":
        ok = [c for c in cands if c >= dct]
        d = min(ok) if ok else None
        if d is not None and (d - dct).days > FAR_FUTURE_DAYS:  # "Nov. 3 will go down as ..." said Nov. 4
            d = min(cands, key=lambda c: (abs((c - dct).days), c.year != dct.year))
    else:
        d = min(cands, key=lambda c: (abs((c - dct).days), c.year != dct.year), default=None)
    return _day(d, s.part) if d else None


def _resolve_weekday(s: _Spec, dct: dt.date, tense: str | None) -> _Res:
    wd = s.weekday
    assert wd is not None
    if s.week_offset is not None:
        monday = dct - dt.timedelta(days=dct.weekday()) + dt.timedelta(weeks=s.week_offset)
        return _day(monday + dt.timedelta(days=wd), s.part)
    back = (dct.weekday() - wd) % 7  # days back to the latest such day on/before the DCT
    ahead = (wd - dct.weekday()) % 7 or 7  # days to the next such day strictly after
    if s.rel == -1:
        d = dct - dt.timedelta(days=back or 7)
    elif s.rel == 1:
        d = dct + dt.timedelta(days=ahead)
    elif s.rel == 0:
        if back == 0:
            d = dct
        elif tense == "past":
            d = dct - dt.timedelta(days=back)
        elif tense == "future":
            d = dct + dt.timedelta(days=ahead)
        else:
            d = dct - dt.timedelta(days=dct.weekday() - wd)
    elif tense == "future":
        d = dct + dt.timedelta(days=ahead)
    else:
        d = dct - dt.timedelta(days=back)
    return _day(d, s.part)


def _resolve_month(s: _Spec, dct: dt.date, tense: str | None) -> _Res:
    m = s.month
    assert m is not None
    y = _year_of(s, dct)
    if y is None:
        if s.rel == -1:  # this year's when at least two months back, else last year's
            y = dct.year if dct.month - m >= 2 else dct.year - 1
        elif s.rel == 1:  # this year's when at least two months ahead, else next year's
            y = dct.year if m - dct.month >= 2 else dct.year + 1
        elif s.rel is not None:
            y = dct.year + s.rel
        elif tense == "past":
            y = dct.year if m <= dct.month else dct.year - 1
        elif tense == "future":
            y = dct.year if m >= dct.month else dct.year + 1
        else:
            y = min((dct.year - 1, dct.year, dct.year + 1),
                    key=lambda yy: (abs((yy - dct.year) * 12 + m - dct.month), yy != dct.year))
    return _month(y, m)


def _resolve_season(s: _Spec, dct: dt.date, tense: str | None) -> _Res | None:
    code = s.code
    assert code is not None
    y = _year_of(s, dct)
    if y is not None:
        return _season(y, code)
    cands = [_season(yy, code) for yy in range(dct.year - 2, dct.year + 2)]
    before = [c for c in cands if c[1] < dct]
    after = [c for c in cands if c[0] > dct]
    if s.rel == -1:
        return before[-1]
    if s.rel == 1:
        return after[0]
    containing = [c for c in cands if c[0] <= dct <= c[1]]
    if containing:
        return containing[0]
    if tense == "past":
        return before[-1]
    if tense == "future":
        return after[0]
    return _season(dct.year, code)


def _resolve_part_of_year(s: _Spec, dct: dt.date, tense: str | None) -> _Res | None:
    make = _quarter if s.kind == "quarter" else _half
    assert s.n is not None
    y = _year_of(s, dct)
    if y is not None:
        return make(y, s.n)
    return _pick([make(yy, s.n) for yy in (dct.year - 1, dct.year, dct.year + 1)], dct, tense, dct.year)


def _resolve_unit(s: _Spec, dct: dt.date, tense: str | None) -> _Res:
    rel = s.rel
    if s.unit == "weekend":
        this_sat = dct + dt.timedelta(days=5 - dct.weekday())
        if rel is None:
            rel = 0 if tense == "future" or dct.weekday() >= 5 else -1
        return _weekend(this_sat + dt.timedelta(weeks=rel))
    rel = rel or 0
    if s.unit == "week":
        return _week(dct + dt.timedelta(weeks=rel))
    if s.unit == "month":
        return _month(*_shift_month(dct.year, dct.month, rel))
    if s.unit == "quarter":
        q = (dct.year * 4 + (dct.month - 1) // 3) + rel
        return _quarter(q // 4, q % 4 + 1)
    return _year(dct.year + rel)


def _resolve_offset(s: _Spec, dct: dt.date) -> _Res:
    n = s.n or 0
    if s.unit == "day":
        return _day(dct + dt.timedelta(days=n))
    if s.unit == "week":  # "two weeks ago" is that day, 14 days back; "in two weeks" the week
        return _day(dct + dt.timedelta(weeks=n)) if n < 0 else _week(dct + dt.timedelta(weeks=n))
    if s.unit == "month":
        return _month(*_shift_month(dct.year, dct.month, n))
    if s.unit == "decade":
        return _decade(dct.year + 10 * n)
    return _year(dct.year + n)


def _resolve(s: _Spec, dct: dt.date | None, tense: str | None) -> _Res | None:
    """Resolve one spec; ``dct`` may be None only for absolute specs."""
    try:
        if s.kind == "year":
            assert s.year is not None
            return _year(s.year)
        if s.kind == "decade":
            assert s.year is not None
            return _decade(s.year)
        if s.absolute:
            dct = dct or dt.date(s.year or 1, 1, 1)  # unused by absolute resolution
        if dct is None:
            return None
        if s.kind == "date":
            return _resolve_date(s, dct, tense)
        if s.kind == "weekday":
            return _resolve_weekday(s, dct, tense)
        if s.kind == "deictic":
            return _day(dct + dt.timedelta(days=s.n or 0), s.part)
        if s.kind == "month":
            return _resolve_month(s, dct, tense)
        if s.kind == "season":
            return _resolve_season(s, dct, tense)
        if s.kind in ("quarter", "half"):
            return _resolve_part_of_year(s, dct, tense)
        if s.kind == "unit":
            return _resolve_unit(s, dct, tense)
        if s.kind == "offset":
            return _resolve_offset(s, dct)
    except (ValueError, OverflowError):
        return None
    return None


# --- grammar ------------------------------------------------------------------------------


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], "_Spec | None"]]


class _YearSpec(TypedDict, total=False):
    """The year part of a match: an absolute year or an offset from the DCT's ("of last year")."""

    year: int
    year_offset: int


class _Grammar:
    """Regular expressions built from one :class:`Lexicon`."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        mon, wd, sea, part = _alt(lex.months), _alt(lex.weekdays), _alt(lex.seasons), _alt(lex.parts_of_day)
        rel, unit, ordn = _alt(lex.relatives), _alt(lex.units), _alt(lex.ordinals)
        num = rf"(?:\d{{1,3}}|{_alt(lex.numbers)})"
        ys = rf"(?:\s+(?:of\s+)?(?:(?P<y>[12]\d{{3}})|(?P<yrel>{rel})\s+year))?"
        self.mods = sorted(lex.modifiers, key=len, reverse=True)
        c = functools.partial(re.compile)
        self.in_offset = c(rf"(?P<n>{num})\s+(?P<unit>{unit})(?:\s+time)?")
        self.rules: list[_Rule] = [
            (c(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
             lambda m: _Spec("date", year=int(m["y"]), month=int(m["m"]), day=int(m["d"]))),
            (c(rf"(?:(?:{wd})\s+)?(?P<mon>{mon})\s+(?P<d>\d{{1,2}}){ys}"), self._date),
            (c(rf"(?:(?:{wd})\s+)?(?:the\s+)?(?P<d>\d{{1,2}})\s+(?:of\s+)?(?P<mon>{mon}){ys}"), self._date),
            (c(rf"(?:(?P<rel>{rel})\s+)?(?P<mon>{mon}){ys}"), self._month),
            (c(r"(?P<y>[12]\d{3})"), lambda m: _Spec("year", year=int(m["y"]))),
            (c(r"(?P<d>[12]\d{2})0s"), lambda m: _Spec("decade", year=int(m["d"]) * 10)),
            (c(rf"(?:(?P<rel>{rel})\s+)?(?P<sea>{sea}){ys}"), self._season),
            (c(rf"(?:(?P<ord>{ordn}|[1-4])\s+quarter|q(?P<q>[1-4])){ys}"), self._quarter),
            (c(r"(?P<y>[12]\d{3})\s+q(?P<q>[1-4])"), self._quarter),
            (c(rf"(?:(?P<ord>{ordn}|[12])\s+half|h(?P<q>[12])){ys}"), self._half),
            (c(rf"(?:(?P<rel>{rel})\s+)?(?P<unit>{'|'.join(_UNIT_WORDS)})"), self._unit),
            (c(rf"(?:(?P<rel>{rel})\s+)?(?P<wd>{wd})(?:\s+(?P<part>{part}))?"
               rf"(?:\s+(?:of\s+)?(?P<wrel>{rel})\s+week)?"), self._weekday),
            (c(rf"(?P<dx>today|tonight|yesterday|tomorrow)(?:\s+(?P<part>{part}))?"), self._deictic),
            (c(rf"this\s+(?P<part>{part})"), lambda m: _Spec("deictic", n=0, part=self._part(m["part"]))),
            (c(r"last\s+night"), lambda m: _Spec("deictic", n=-1, part="NI")),
            (c(r"day\s+before\s+yesterday"), lambda m: _Spec("deictic", n=-2)),
            (c(r"day\s+after\s+tomorrow"), lambda m: _Spec("deictic", n=2)),
            (c(rf"(?P<n>{num})\s+(?P<unit>{unit})\s+ago"), lambda m: self._offset(m, -1)),
        ]
        self.bare = c(rf"(?P<n>\d{{1,4}}){ys}")

    # handlers: regex match -> spec ------------------------------------------------------
    def _yearspec(self, m: re.Match[str]) -> _YearSpec:
        if m["y"]:
            return {"year": int(m["y"])}
        if m.groupdict().get("yrel"):
            return {"year_offset": self.lex.relatives[m["yrel"]]}
        return {}

    def _part(self, word: str | None) -> str | None:
        return self.lex.parts_of_day[word] if word else None

    def _date(self, m: re.Match[str]) -> _Spec:
        return _Spec("date", month=self.lex.months[m["mon"]], day=int(m["d"]), **self._yearspec(m))

    def _month(self, m: re.Match[str]) -> _Spec | None:
        ys = self._yearspec(m)
        if m["rel"] and ys:
            return None
        return _Spec("month", month=self.lex.months[m["mon"]], rel=self._rel(m), **ys)

    def _rel(self, m: re.Match[str]) -> int | None:
        return self.lex.relatives[m["rel"]] if m["rel"] else None

    def _season(self, m: re.Match[str]) -> _Spec | None:
        ys = self._yearspec(m)
        if m["rel"] and ys:
            return None
        return _Spec("season", code=self.lex.seasons[m["sea"]], rel=self._rel(m), **ys)

    def _quarter(self, m: re.Match[str]) -> _Spec:
        q = int(m["q"]) if m["q"] else self._ordinal(m["ord"])
        return _Spec("quarter", n=q, **self._yearspec(m))

    def _half(self, m: re.Match[str]) -> _Spec | None:
        h = int(m["q"]) if m["q"] else self._ordinal(m["ord"])
        return _Spec("half", n=h, **self._yearspec(m)) if h in (1, 2) else None

    def _ordinal(self, word: str) -> int:
        return int(word) if word.isdigit() else self.lex.ordinals[word]

    def _unit(self, m: re.Match[str]) -> _Spec | None:
        if m["rel"] is None and m["unit"] != "weekend":
            return None  # "the week", "the year": narrative time, not ours
        return _Spec("unit", unit=m["unit"], rel=self._rel(m))

    def _weekday(self, m: re.Match[str]) -> _Spec | None:
        if m["rel"] and m["wrel"]:
            return None
        wrel = self.lex.relatives[m["wrel"]] if m["wrel"] else None
        return _Spec("weekday", weekday=self.lex.weekdays[m["wd"]], rel=self._rel(m),
                     part=self._part(m["part"]), week_offset=wrel)

    def _deictic(self, m: re.Match[str]) -> _Spec:
        n = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m["dx"]]
        part = "NI" if m["dx"] == "tonight" else self._part(m["part"])
        return _Spec("deictic", n=n, part=part)

    def _number(self, word: str) -> int:
        return int(word) if word.isdigit() else self.lex.numbers[word]

    def _offset(self, m: re.Match[str], sign: int) -> _Spec | None:
        n = self._number(m["n"])
        return _Spec("offset", unit=self.lex.units[m["unit"]], n=sign * n) if n > 0 else None

    # parsing ----------------------------------------------------------------------------
    def spec(self, s: str, allow_bare: bool = False) -> _Spec | None:
        for pattern, handler in self.rules:
            if m := pattern.fullmatch(s):
                return handler(m)
        if allow_bare and (m := self.bare.fullmatch(s)):
            return _Spec("bare", n=int(m["n"]), **self._yearspec(m))
        return None

    def strip(self, s: str) -> tuple[str, str | None, str | None, bool]:
        """Peel leading articles, prepositions and modifiers. Returns the rest, the mod,
        the last preposition peeled, and whether a duration preposition was found."""
        mod: str | None = None
        prep: str | None = None
        changed = True
        while changed and s:
            changed = False
            word, _, rest = s.partition(" ")
            if word in self.lex.duration_prepositions:
                return s, mod, word, True
            if word == "the" or word in self.lex.leading_prepositions:
                s, changed = rest, True
                if word != "the":
                    prep = word
                continue
            for m in self.mods:
                if s == m or s.startswith(m + " "):
                    mod = mod or self.lex.modifiers[m] or None
                    s, changed = s[len(m):].strip(), True
                    break
        return s, mod, prep, False


@functools.lru_cache(maxsize=8)
def _grammar(lex: Lexicon) -> _Grammar:
    return _Grammar(lex)


# --- text cleaning ------------------------------------------------------------------------

_CLOCK = [
    re.compile(r"\b\d{3,4}\s*(?:gmt|utc)\b"),
    re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\b\.?"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),
    re.compile(r"\b(?:noon|midday|midnight|o'clock|local time|gmt|utc|est|edt|bst|cet|cest|msk|et|pt)\b"),
]


#: (pattern, replacement) applied in order by :func:`_clean` after the clock times are dropped
_CLEAN_STEPS = tuple((re.compile(p), r) for p, r in (
    (r"(?<=[a-z])'s\b", ""),  # "Thursday's"; "1990's" keeps its s
    (r"'", ""),
    (r"\bmid-", "mid "),
    (r"\bthis past\b", "last"),
    (r"\b(\d+)(?:st|nd|rd|th)\b", r"\1"),
    (r"[,;:()\[\]\"“”]", " "),
    (r"(?<=[a-z])\.(?=\s|$)", ""),  # "Mar." -> "mar"
    (r"\s*-\s*", "-"),
))
_DASHES = re.compile(r"[–—‑−]")
_TRAILING = re.compile(r"(?:\s+(?:at|on|around|about|and))+$")


def _clean(text: str) -> str:
    s = _DASHES.sub("-", text.lower().replace("’", "'").replace("‘", "'"))
    for pattern in _CLOCK:
        s = pattern.sub(" ", s)
    for step, replacement in _CLEAN_STEPS:
        s = step.sub(replacement, s)
    s = " ".join(s.split())
    return _TRAILING.sub("", s).strip()


# --- ranges -------------------------------------------------------------------------------

_CONNECTOR = re.compile(r"\s+(?:to|until|till|through|thru|and)\s+|-")


def _join_sides(left: _Spec, right: _Spec) -> tuple[_Spec, _Spec] | None:
    """Fill a side's missing month/year from the other side."""
    if right.kind == "bare":
        if left.kind == "year" and left.year is not None and right.n is not None:
            n = right.n
            if n < 100:
                n = left.year - left.year % 100 + n
            right = _Spec("year", year=n)
        elif left.kind == "date" and right.n is not None:
            right = _Spec("date", month=left.month, day=right.n, year=right.year, year_offset=right.year_offset)
        else:
            return None
    if left.kind == "bare":
        if right.kind == "date" and left.n is not None:
            left = _Spec("date", month=right.month, day=left.n, year=left.year, year_offset=left.year_offset)
        else:
            return None
    if left.kind == "weekday" and right.kind == "weekday" and left.week_offset is None and left.rel is None:
        left = replace(left, week_offset=right.week_offset)  # "Monday to Wednesday last week"
    yearly = ("date", "month", "season", "quarter", "half")
    if left.kind in yearly and not left.has_year and right.has_year:
        left = replace(left, year=right.year, year_offset=right.year_offset)
    if right.kind in yearly and not right.has_year and left.has_year:
        right = replace(right, year=left.year, year_offset=left.year_offset)
    return left, right


def _resolve_end(right: _Spec, start: _Res, dct: dt.date | None, tense: str | None) -> _Res | None:
    first = start[0]
    if right.kind == "weekday" and right.rel is None and right.week_offset is None and start[3] in ("day", "part"):
        assert right.weekday is not None
        d = first + dt.timedelta(days=(right.weekday - first.weekday()) % 7 or 7)
        return _day(d, right.part)
    if right.kind in ("date", "month", "season", "quarter", "half") and not right.has_year:
        for y in (first.year, first.year + 1):
            end = _resolve(replace(right, year=y), dct, tense)
            if end and end[1] >= first:
                return end
        return None
    return _resolve(right, dct, tense)


def _range(g: _Grammar, s: str, dct: dt.date | None, tense: str | None) -> Normalized | None:
    word, _, rest = s.partition(" ")
    between = word == "between"
    if word in ("from", "between"):
        s = rest
    for m in _CONNECTOR.finditer(s):
        coordinated = m.group().strip() == "and" and not between  # "Friday and Saturday"
        if (m.group().strip() == "and") != between and not coordinated:
            continue
        left = g.spec(s[: m.start()].strip(), allow_bare=True)
        right = g.spec(s[m.end():].strip(), allow_bare=True)
        if left is None or right is None or (joined := _join_sides(left, right)) is None:
            continue
        left, right = joined
        if dct is None and not (left.absolute and right.absolute):
            return Normalized(None, None, None, "range", anchored=False)
        start = _resolve(left, dct, tense)
        end = _resolve_end(right, start, dct, tense) if start else None
        if start is None or end is None or end[1] < start[0]:
            return None
        if coordinated and not (start[3] in ("day", "part") and end[3] in ("day", "part")
                                and (end[0] - start[1]).days == 1):
            return None  # two days joined by "and" are one stretch only when they are consecutive
        return Normalized(start[0], end[1], f"{start[2]}/{end[2]}", "range")
    return None


# --- bounds, spans up to the DCT, parts of months ------------------------------------------

_WITHIN = re.compile(r"within\s+(?:the\s+next\s+)?(?P<n>\S+)\s+(?P<unit>\S+)")
_PAST_N = re.compile(r"(?:the\s+|over\s+the\s+|in\s+the\s+)?(?:past|last)\s+(?P<n>\S+)\s+(?P<unit>\S+)")


def _shift(d: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = _shift_month(d.year, d.month, months)
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _count(g: _Grammar, m: re.Match[str]) -> tuple[int, str] | None:
    unit = g.lex.units.get(m["unit"])
    n = m["n"]
    if unit is None or not (n.isdigit() or n in g.lex.numbers):
        return None
    k = g._number(n)
    return (k, unit) if k > 0 else None


def _counted_span(g: _Grammar, s: str, dct: dt.date | None) -> Normalized | None:
    """"within six months" (the DCT to six months after it) and "the past four days" (the four
    calendar days ending on the DCT, the DCT included). Vague counts ("within days") stay None."""
    for pattern, sign in ((_WITHIN, 1), (_PAST_N, -1)):
        m = pattern.fullmatch(s)
        if m is None or (found := _count(g, m)) is None:
            continue
        n, unit = found
        value = f"P{n}{_DURATION_CODE[unit]}"
        if dct is None:
            return Normalized(None, None, value, "range", anchored=False)
        if sign > 0:
            return Normalized(dct, _shift(dct, unit, n), value, "range", mod="EQUAL_OR_LESS")
        return Normalized(_shift(dct, unit, -n) + dt.timedelta(days=1), dct, value, "range")
    return None


def _bound(g: _Grammar, word: str, rest: str, dct: dt.date | None, tense: str | None,
           lexicon: Lexicon) -> Normalized | None:
    """"since X" runs from X's first day to the DCT; "until/till/through X" from the DCT (when X
    is still ahead; else open) to X's last day; "by X" is X itself (the deadline), mod
    ON_OR_BEFORE. The value is X's value with the TIMEX3 ``mod``."""
    # since X lies behind; the bound of until/by is read by the nearest instance unless the clause is future
    inner_tense = "past" if word == "since" else ("future" if tense == "future" else None)
    inner = normalize(rest, dct, inner_tense, lexicon=lexicon)
    if inner is None or inner.granularity == "range" and inner.mod is not None:
        return None
    mod = BOUND_MODS[word]
    if inner.first is None or inner.last is None:
        return replace(inner, granularity="range", mod=mod)
    if word == "since":
        last = dct if dct is not None and dct >= inner.first else inner.last
        return Normalized(inner.first, last, inner.value, "range", mod=mod)
    if word == "by":
        return replace(inner, mod=mod)
    first = dct if dct is not None and dct <= inner.last else None
    return Normalized(first, inner.last, inner.value, "range", mod=mod)


def _narrow(res: _Res, mod: str | None) -> tuple[dt.date, dt.date]:
    """A month with early/mid/late covers days 1-10, 11-20 or 21-end; other units keep their span."""
    first, last, _, gran = res
    if gran != "month" or mod not in _MONTH_PART:
        return first, last
    lo, hi = _MONTH_PART[mod]
    return first.replace(day=lo), last.replace(day=min(hi, last.day))


# --- entry point --------------------------------------------------------------------------


def normalize(text: str, dct: dt.date | None, tense: str | None = None, *,
              lexicon: Lexicon | None = None) -> Normalized | None:
    """Normalise ``text`` against ``dct``; ``None`` when it is not a date we can place.

    ``tense`` is ``"past"`` or ``"future"`` from the governing verb (anything else: unknown).
    See the module docstring for the rules.
    """
    g = _grammar(lexicon or load_lexicon())
    tense = tense if tense in ("past", "future") else None
    s = _clean(text)
    if not s:
        return None
    word, _, rest = s.partition(" ")
    if word in BOUND_MODS and rest:
        return _bound(g, word, rest, dct, tense, lexicon or load_lexicon())
    if (counted := _counted_span(g, s, dct)) is not None:
        return counted
    earlier, later = s.startswith("earlier "), s.startswith("later ")
    s, mod, prep, duration = g.strip(s)
    if duration or not s:
        return None
    if m := g.in_offset.fullmatch(s):  # "in two weeks": only as a forward point in time
        spec: _Spec | None = g._offset(m, +1) if prep == "in" and tense == "future" else None
    else:
        spec = g.spec(s)
    if spec is None and mod is not None and s in ("week", "month", "year"):
        spec = _Spec("unit", unit=s, rel=0)  # "the end of the year": the current one
    if spec is None:
        return _range(g, s, dct, tense) if not mod else None
    if dct is None and not spec.absolute:
        return Normalized(None, None, None, spec.granularity, anchored=False, mod=mod)
    res = _resolve(spec, dct, tense)
    if res is None:
        return None
    first, last = _narrow(res, mod)
    _, _, value, gran = res
    if dct is not None and spec.kind == "unit" and spec.rel == 0:
        if earlier and first < dct:  # "earlier this year": up to the day before the DCT
            last = min(last, dct - dt.timedelta(days=1))
        elif later and last > dct:  # "later this month": from the day after the DCT
            first = max(first, dct + dt.timedelta(days=1))
    return Normalized(first, last, value, gran, mod=mod)
