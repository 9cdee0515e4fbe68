#!/usr/bin/env python3
"""Convert the PETRARCH2 CAMEO verb dictionary (MIT licence) into a Dotterel trigger table.

Usage::

    python scripts/petrarch2/convert_verbs.py CAMEO_VERBS CAMEO2PLOVER EVENTS_DIR [-o OUT]
        [--only-types AGREE,AID] [--exclude-types ...] [--exclude-roots 01,02]

``CAMEO_VERBS`` is PETRARCH2's ``CAMEO.2.0.txt``; ``CAMEO2PLOVER`` the CAMEO-to-PLOVER conversion
table; ``EVENTS_DIR`` is ``src/dotterel/resources/events`` (its ``cameo.tsv`` must know every code
that is written).  Heads that ``triggers.tsv`` already has are *not* removed here, so the output
does not change when the hand-made table does: the loader skips every layer row whose head word
and pos the hand-made table (or a user's triggers.tsv) has, so hand-made rows always win.  The
output (default ``EVENTS_DIR/petrarch_triggers.tsv``) has ``triggers.tsv``'s exact column layout.

What is converted, and what is dropped:

* Verb synonym blocks (``--- NAME [code] ---`` then one verb per line, irregular forms in
  ``{...}``, an optional own code in ``[...]``).  Only base forms are kept; a listed form that is
  an inflection of another listed verb (``LOSING`` next to ``LOSE``) and pre-compounded verbs
  (``WIRE_+TAP``) are dropped.  Each verb with a code (its own, else the block's) gives a
  "verb alone" row; the null code ``---`` gives none.
* Patterns (``- [pre-verb] * [post-verb] [code] # VERB``): kept only when nothing stands before
  the ``*`` (no subject constraint), the post-verb part is at most one particle, one object noun
  (bare, a ``{MODIFIER HEAD}`` phrase or a ``&SYNSET``, expanded to its nouns) and one
  ``(PREPOSITION NOUN)`` group, and the code is a plain CAMEO code (a ``SOURCE:TARGET`` pair keeps
  its source code; ``:TARGET`` alone is dropped).  Positional markers (``$``, ``^``, ``%``) and
  anything else are dropped.  A pattern is attached to the verb its comment names (the verb the
  pattern was found with), else to the block's first verb, never to every synonym.
* Codes map to PLOVER through the conversion table (codes it does not map, i.e. the 01 and 02
  families, are dropped); the type and mode written are those of Dotterel's ``cameo.tsv`` (which
  follows the same table with a few documented exceptions), so rows agree with the code table.

Standard library only; the output is deterministic (sorted), so re-running it gives no diff.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HEADER = ("pattern", "pos", "event_type", "mode", "cameo", "actor", "recipient", "reciprocal", "context",
          "notes")

# Default recipient slots per PLOVER type (in order of preference); the actor is always the subject.
RECIPIENT = {
    "AGREE": "dative|prep:to|prep:with",
    "CONSULT": "obj|prep:with",
    "SUPPORT": "obj|prep:for|prep:with",
    "COOPERATE": "prep:with|obj",
    "AID": "dative|prep:to|prep:for",
    "REQUEST": "obj|prep:to|prep:on",
    "ACCUSE": "obj|prep:against",
    "REJECT": "obj|prep:to",
    "THREATEN": "obj|prep:against|prep:with",
    "PROTEST": "prep:against|obj",
    "MOBILIZE": "prep:against",
    "SANCTION": "obj|prep:against|prep:on",
    "COERCE": "obj|prep:against",
    "ASSAULT": "obj|prep:against|prep:on",
    "CONCEDE": "prep:to|obj",
    "RETREAT": "prep:from|obj",
}
# CAMEO codes of meet-type (symmetric) events: consult, phone, third-place meeting, mediation,
# negotiation, material/military/economic cooperation.
RECIPROCAL = re.compile(r"^(040|041|044|045|046|06\d*)$")

# Plurals the regular singulariser would get wrong (and spaCy lemmas that differ from the singular).
IRREGULAR_NOUNS = {"MEN": "man", "WOMEN": "woman", "CHILDREN": "child", "PEOPLE": "people",
                   "POLICE": "police", "NEWS": "news", "SERIES": "series", "MEANS": "means",
                   "HEADQUARTERS": "headquarters", "DATA": "datum", "CRISIS": "crisis", "ARMS": "arm",
                   "FORCES": "force", "TALKS": "talk", "TIES": "tie", "RELATIONS": "relation"}
WORD = re.compile(r"^[A-Z][A-Z'-]*$")
CODE = re.compile(r"^\d{2,4}$")
PREPOSITIONS = {"ABOUT", "ACROSS", "AFTER", "AGAINST", "ALONG", "AMONG", "AT", "BEFORE", "BEHIND", "BETWEEN",
                "BY", "FOR", "FROM", "IN", "INTO", "OF", "OFF", "ON", "ONTO", "OUT", "OVER", "THROUGH", "TO",
                "TOWARD", "TOWARDS", "UNDER", "UPON", "WITH", "WITHIN", "WITHOUT", "DOWN", "UP", "BACK",
                "AWAY", "ASIDE", "FORWARD"}
PARTICLES = {"UP", "DOWN", "OUT", "OFF", "BACK", "AWAY", "ASIDE", "FORWARD", "IN", "ON", "OVER"}


@dataclass(frozen=True, order=True)
class Row:
    pattern: str
    pos: str
    event_type: str
    mode: str
    cameo: str
    actor: str
    recipient: str
    reciprocal: int
    context: str
    notes: str

    def tsv(self) -> str:
        return "\t".join(str(getattr(self, h)) for h in HEADER)


@dataclass(frozen=True)
class CameoInfo:
    plover_type: str
    mode: str


# --- lemmas -------------------------------------------------------------------------------

def noun_lemma(word: str) -> str:
    """A noun's singular (regular plurals only; PETRARCH writes nouns in capitals)."""
    w = word.upper()
    if w in IRREGULAR_NOUNS:
        return IRREGULAR_NOUNS[w]
    low = w.lower()
    if len(low) > 4 and low.endswith("ies"):
        return low[:-3] + "y"
    if len(low) > 4 and low.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return low[:-2]
    if len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is", "ys")):
        return low[:-1]
    return low


def inflection_stems(word: str) -> list[str]:
    """Possible base forms of ``word`` if it is a regular -ING/-ED/-S inflection."""
    w = word.lower()
    out: list[str] = []
    for suf in ("ing", "ed"):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            stem = w[: -len(suf)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
            if suf == "ed" and stem.endswith("i"):
                out.append(stem[:-1] + "y")
    if w.endswith("s") and not w.endswith("ss"):
        out += [w[:-1], w[:-2] if w.endswith("es") else w[:-1]]
    return out


# --- reading ------------------------------------------------------------------------------

def read_cameo2plover(text: str) -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, mode) from the conversion table."""
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if ":" not in body:
            continue
        code, _, rest = body.partition(":")
        code = code.strip()
        if not CODE.match(code):
            continue
        parts = [p.strip() for p in rest.split(",")]
        if parts and parts[0]:
            out[code] = (parts[0], parts[1] if len(parts) > 1 else "")
    return out


def read_tsv(path: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return rows


@dataclass
class Block:
    name: str
    code: str
    verbs: list[tuple[str, str]]  # (base form in capitals, own code or "")
    patterns: list[tuple[str, str, str]]  # (pattern text, code, comment verb)


def parse_dictionary(text: str) -> tuple[dict[str, list[str]], list[Block]]:
    """Synonym sets (label -> phrases, as written) and verb blocks of a PETRARCH verb dictionary."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    current_set: str | None = None
    in_verbs = False
    block: Block | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith(("####### VERB PATTERNS", "######## TRANSFORMATIONS")):
            in_verbs = line.startswith("####### VERB")
            current_set = None
            block = None
            continue
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("####")):
            continue
        if not in_verbs:
            if stripped.startswith("&"):
                current_set = stripped.split()[0]
                synsets[current_set] = []
            elif stripped.startswith("+") and current_set:
                synsets[current_set].append(stripped[1:].split("#")[0].strip())
            continue
        m = re.match(r"^---\s+(.+?)\s+\[([^\]]*)\]\s+---", stripped)
        if m:
            block = Block(m.group(1).strip(), m.group(2).strip(), [], [])
            blocks.append(block)
            continue
        if block is None or stripped.startswith("~"):
            continue
        if stripped.startswith("-"):
            body, _, comment = stripped[1:].partition("#")
            cm = re.search(r"\[([^\]]*)\]\s*$", body.strip())
            if not cm:
                continue
            words = comment.split()
            block.patterns.append((body.strip()[: cm.start()].strip(), cm.group(1).strip(),
                                   words[0].upper() if words else ""))
            continue
        body = stripped.split("#", 1)[0]
        code_m = re.search(r"\[([^\]]*)\]", body)
        own = code_m.group(1).strip() if code_m else ""
        body = re.sub(r"\{[^}]*\}", " ", re.sub(r"\[[^\]]*\]", " ", body)).strip()
        if body:
            block.verbs.append((body.split()[0], own))
    return synsets, blocks


# --- conversion ---------------------------------------------------------------------------

def plain_code(code: str) -> str | None:
    """The source code of a pattern code (``042:043`` -> ``042``); None for null/target-only codes."""
    src = code.split(":", 1)[0].strip()
    return src if CODE.match(src) else None


def verb_words(verb: str) -> list[str] | None:
    """Lower-case pattern words of a dictionary verb (``+CORDON_OFF`` -> cordon off); None if unusable."""
    parts = verb.split("_")
    if any(p.startswith("+") for p in parts[1:]):
        return None  # pre-compounded verb (WIRE_+TAP): the parser rarely gives it as one unit
    parts = [p.lstrip("+") for p in parts]
    if not all(WORD.match(p) for p in parts) or (len(parts) > 1 and parts[1] not in PREPOSITIONS):
        return None
    return [p.lower() for p in parts]


def expand_phrase(token: str, synsets: dict[str, list[str]]) -> list[list[str]] | None:
    """A noun phrase element (WORD, &SET, or the words of a {...} phrase) -> alternatives, each as
    pattern words head first.  None when it cannot be expressed."""
    words = token.split()
    if not words:
        return None
    # a synonym set as a modifier ({&MILITARY ACTION}) is dropped: modifiers a pattern does not
    # name are ignored by the matcher, and expanding it would multiply rows
    modifiers = [w for w in words[:-1] if not w.startswith("&")]
    head = words[-1]
    if head.startswith("&"):
        if head not in synsets:
            return None
        options = [p.rstrip("_").split("_") for p in synsets[head]]
    else:
        options = [[head]]
    out: list[list[str]] = []
    for alt in options:
        phrase = modifiers + alt
        if not all(WORD.match(x) for x in phrase):
            return None
        out.append([noun_lemma(phrase[-1])] + [x.lower() for x in phrase[:-1]])
    return out


def parse_post(post: str, synsets: dict[str, list[str]]) -> list[list[str]] | None:
    """The words after ``*`` -> alternative lists of extra pattern words; None when not simple."""
    if any(c in post for c in "$^%@=<>|"):
        return None
    tokens = re.findall(r"\([^)]*\)|\{[^}]*\}|\S+", post)
    particle: list[str] = []
    objects: list[list[str]] = [[]]
    preps: list[list[str]] = [[]]
    seen_obj = seen_prep = False
    for tok in tokens:
        if tok.startswith("("):
            if seen_prep:
                return None
            inner = tok[1:-1].split(None, 1)
            if not inner or inner[0] not in PREPOSITIONS:
                return None
            if len(inner) == 1:
                preps = [[inner[0].lower()]]
            else:
                rest = inner[1].strip()
                phr = expand_phrase(rest[1:-1] if rest.startswith("{") else rest, synsets)
                if phr is None:
                    return None
                preps = [[inner[0].lower()] + p for p in phr]
            seen_prep = True
        elif tok.startswith("{"):
            if seen_obj:
                return None
            phr = expand_phrase(tok[1:-1], synsets)
            if phr is None:
                return None
            objects, seen_obj = phr, True
        elif tok in PARTICLES and not seen_obj and not particle:
            particle = [tok.lower()]
        else:
            if seen_obj:
                return None
            phr = expand_phrase(tok, synsets)
            if phr is None:
                return None
            objects, seen_obj = phr, True
    return [particle + o + p for o in objects for p in preps]


def make_row(words: list[str], code: str, cameo: dict[str, CameoInfo], c2p: dict[str, tuple[str, str]],
             note: str) -> Row | None:
    if code not in c2p or code not in cameo or not cameo[code].plover_type:
        return None
    info = cameo[code]
    etype = info.plover_type
    mode = info.mode or (c2p[code][1] if c2p[code][0] == etype else "")
    recipient = RECIPIENT[etype]
    actor = "subj"
    reciprocal = 1 if RECIPROCAL.match(code) else 0
    if code == "043":  # hosting a visit: the visitor is the actor (PLOVER convention)
        actor, recipient = "obj", "subj"
    return Row(" ".join(words), "VERB", etype, mode, code, actor, recipient, reciprocal, "", note)


def convert(dictionary: str, c2p_text: str, cameo_rows: list[dict[str, str]], hand_heads: set[str],
            only_types: set[str] | None = None, exclude_types: set[str] = frozenset(),  # type: ignore[assignment]
            exclude_roots: set[str] = frozenset(),  # type: ignore[assignment]
            bare_types: set[str] | None = None,
            exclude_heads: set[str] = frozenset()) -> list[Row]:  # type: ignore[assignment]
    """All trigger rows derived from ``dictionary``, sorted, without ``hand_heads``.

    ``only_types``/``exclude_types``/``exclude_roots`` select rows by PLOVER type and CAMEO root;
    ``bare_types`` (when given) limits verb-alone rows (no object or particle) to those types;
    ``exclude_heads`` drops every row of those head verbs (ones Dotterel codes another way)."""
    c2p = read_cameo2plover(c2p_text)
    cameo = {r["code"]: CameoInfo(r.get("plover_type", ""), r.get("mode", "")) for r in cameo_rows}
    synsets, blocks = parse_dictionary(dictionary)
    all_verbs = {v.lower() for b in blocks for v, _ in b.verbs if "_" not in v}
    rows: dict[tuple[str, str], Row] = {}

    def add(row: Row | None) -> None:
        if row is None or row.pattern.split()[0] in hand_heads | exclude_heads:
            return
        if only_types is not None and row.event_type not in only_types:
            return
        if row.event_type in exclude_types or row.cameo[:2] in exclude_roots:
            return
        if bare_types is not None and " " not in row.pattern and row.event_type not in bare_types:
            return
        key = (row.pattern, row.pos)
        old = rows.get(key)
        # several sources for one pattern: the more specific (longer) code, then the smaller one
        if old is None or (len(row.cameo), old.cameo) > (len(old.cameo), row.cameo):
            rows[key] = row

    for b in blocks:
        usable: dict[str, list[str]] = {}
        for verb, own in b.verbs:
            words = verb_words(verb)
            if words is None:
                continue
            if len(words) == 1 and any(s in all_verbs and s != words[0] for s in inflection_stems(words[0])):
                continue  # an inflected form listed as a verb (LOSING next to LOSE)
            usable[verb.lstrip("+").split("_")[0].replace("+", "")] = words
            code = plain_code(own) if own else plain_code(b.code)
            if code:
                add(make_row(words, code, cameo, c2p, f"[petrarch2] {b.name.lower()} block"))
        first = next(iter(usable.values()), None)
        for pre, code_text, verb in b.patterns:
            code = plain_code(code_text)
            if not code or "*" not in pre:
                continue
            before, _, after = pre.partition("*")
            if before.strip():
                continue  # subject constraint: not expressible
            head = usable.get(verb, first)
            if head is None:
                continue
            alts = parse_post(after.strip(), synsets)
            if not alts:
                continue
            for extra in alts:
                words = head + [w for w in extra if w not in head]
                if len(words) > 5:
                    continue
                add(make_row(words, code, cameo, c2p, f"[petrarch2] {b.name.lower()} block"))
    return sorted(rows.values())


def render(rows: list[Row], options: str) -> str:
    lines = [
        "# Dotterel event resources: trigger lexicon, PETRARCH2 layer (format version 1).",
        "# DERIVED FILE - do not edit. Generated by scripts/petrarch2/convert_verbs.py from the PETRARCH2",
        "# CAMEO verb dictionary (CAMEO.2.0.txt) mapped through the CAMEO-to-PLOVER table; loaded below",
        "# triggers.tsv (a hand-made row with the same head word and pos always wins).",
        f"# Options: {options}",
        "#",
        "# Source dictionary: The MIT License (MIT), Copyright (c) 2015 Open Event Data Alliance.",
        "# Permission is hereby granted, free of charge, to any person obtaining a copy of this software",
        "# and associated documentation files (the \"Software\"), to deal in the Software without",
        "# restriction, including without limitation the rights to use, copy, modify, merge, publish,",
        "# distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the",
        "# Software is furnished to do so, subject to the following conditions:",
        "# The above copyright notice and this permission notice shall be included in all copies or",
        "# substantial portions of the Software.",
        "# THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,",
        "# INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR",
        "# PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR",
        "# ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE,",
        "# ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE",
        "# SOFTWARE.",
        "\t".join(HEADER),
    ]
    return "\n".join(lines + [r.tsv() for r in rows]) + "\n"


def _set(text: str | None) -> set[str]:
    return {t.strip() for t in (text or "").split(",") if t.strip()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dictionary", type=Path, help="PETRARCH2 CAMEO.2.0.txt")
    ap.add_argument("cameo2plover", type=Path, help="CAMEO2PLOVER conversion table")
    ap.add_argument("events_dir", type=Path, help="src/dotterel/resources/events")
    ap.add_argument("-o", "--out", type=Path, help="output file (default EVENTS_DIR/petrarch_triggers.tsv)")
    ap.add_argument("--only-types", help="comma-separated PLOVER types to keep (default: all)")
    ap.add_argument("--exclude-types", help="comma-separated PLOVER types to drop")
    ap.add_argument("--exclude-roots", help="comma-separated 2-digit CAMEO roots to drop")
    ap.add_argument("--exclude-heads", help="comma-separated head verbs to drop (e.g. die: deaths are "
                    "coded by the extractor as the target of a violent event, not as an event of their own)")
    ap.add_argument("--bare-types", help="comma-separated PLOVER types whose verb-alone rows are kept "
                    "(default: all; 'none' keeps only patterns with an object, particle or preposition)")
    a = ap.parse_args(argv)
    rows = convert(a.dictionary.read_text(encoding="utf-8", errors="replace"),
                   a.cameo2plover.read_text(encoding="utf-8"), read_tsv(a.events_dir / "cameo.tsv"), set(),
                   only_types=_set(a.only_types) or None, exclude_types=_set(a.exclude_types),
                   exclude_roots=_set(a.exclude_roots),
                   bare_types=None if a.bare_types is None else _set(a.bare_types) - {"none"},
                   exclude_heads={h.lower() for h in _set(a.exclude_heads)})
    opts = " ".join(f"--{k.replace('_', '-')} {','.join(sorted(_set(v)))}"
                    for k, v in (("only_types", a.only_types), ("exclude_types", a.exclude_types),
                                 ("exclude_roots", a.exclude_roots), ("exclude_heads", a.exclude_heads),
                                 ("bare_types", a.bare_types))
                    if _set(v)) or "(none)"
    out = a.out or a.events_dir / "petrarch_triggers.tsv"
    out.write_text(render(rows, opts), encoding="utf-8")
    print(f"{out}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
