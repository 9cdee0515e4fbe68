"""The PLOVER ontology as data: ``resources/events/plover.toml`` (plus users' copies).

Event types with their modes, traits and stated-intention codes, contexts, statuses with their
strength, roles and argument slots. The output contract (:mod:`dotterel.records.models`) builds
its closed vocabularies from the built-in file; the event lexicon validates trigger and sense rows
against the ontology of the same resource folders, and the events stage reads per-type behaviour
from :meth:`Ontology.having`.

A user folder's ``events/plover.toml`` may add ``[types.NAME]`` tables (a new type, or keys that
replace a built-in type's) and ``contexts``; see ``docs/howto-event-type.md``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dotterel.errors import DotterelError, ErrorCode

RELPATH = "events/plover.toml"
#: how an event type is spelled: upper case ASCII letters and underscores, 2-16 characters (the store's column)
TYPE_NAME = re.compile(r"^[A-Z][A-Z_]{1,15}$")
#: how a mode is spelled: lower case ASCII letters, hyphens and underscores, at most 32 characters (the store's column)
MODE_NAME = re.compile(r"^[a-z][a-z_-]{0,31}$")
CAMEO_CODE = re.compile(r"^\d{2,4}$")
#: keys a user's plover.toml may hold (statuses, slots, roles and traits are decided by code)
USER_KEYS = {"schema", "types", "contexts"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Intent(_Strict):
    """PLOVER's future rule: the stated intention coded beside a planned event of a type."""

    type: str
    cameo: str = Field(pattern=CAMEO_CODE.pattern)


class EventTypeSpec(_Strict):
    description: str
    quad: int = Field(ge=1, le=4)
    modes: tuple[str, ...] = ()
    extra_modes: tuple[str, ...] = ()
    traits: tuple[str, ...] = ()
    intent: Intent | None = None
    ruled_out: str | None = Field(None, pattern=CAMEO_CODE.pattern)

    @property
    def all_modes(self) -> tuple[str, ...]:
        return self.modes + self.extra_modes


class StatusSpec(_Strict):
    rank: int = Field(ge=0)
    description: str


class RoleSpec(_Strict):
    description: str


class Slots(_Strict):
    names: tuple[str, ...]
    prepositional: str


class Ontology(_Strict):
    """The validated ontology (built-in file merged with users' files)."""

    contexts: tuple[str, ...]
    statuses: dict[str, StatusSpec]
    roles: dict[str, RoleSpec]
    slots: Slots
    traits: dict[str, str]
    types: dict[str, EventTypeSpec]

    @field_validator("types")
    @classmethod
    def _type_names(cls, v: dict[str, EventTypeSpec]) -> dict[str, EventTypeSpec]:
        for name in v:
            if not TYPE_NAME.match(name):
                raise ValueError(f"type name {name!r} must be upper case letters and underscores (2-16)")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Ontology:
        for name, spec in self.types.items():
            unknown = set(spec.traits) - set(self.traits)
            if unknown:
                raise ValueError(f"type {name}: unknown trait(s) {sorted(unknown)}")
            if spec.intent is not None and spec.intent.type not in self.types:
                raise ValueError(f"type {name}: intent type {spec.intent.type!r} is not a type")
            bad = next((m for m in spec.all_modes if not MODE_NAME.match(m)), None)
            if bad is not None:
                raise ValueError(f"type {name}: mode {bad!r} must be lower case letters, '-' or '_' (at most 32)")
            if len(set(spec.all_modes)) != len(spec.all_modes):
                raise ValueError(f"type {name}: repeated mode")
        ranks = [s.rank for s in self.statuses.values()]
        if len(set(ranks)) != len(ranks):
            raise ValueError("status ranks must be distinct")
        return self

    # -- derived views ---------------------------------------------------------------------------
    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(self.types)

    @property
    def status_names(self) -> tuple[str, ...]:
        return tuple(self.statuses)

    @functools.cached_property
    def rank(self) -> dict[str, int]:
        """Status -> strength (the strongest cue wins)."""
        return {name: s.rank for name, s in self.statuses.items()}

    def having(self, trait: str) -> frozenset[str]:
        """The types that have ``trait`` (see the ``[traits]`` table)."""
        if trait not in self.traits:
            raise KeyError(trait)
        return frozenset(name for name, spec in self.types.items() if trait in spec.traits)

    def has(self, event_type: str, trait: str) -> bool:
        """Whether ``event_type`` has ``trait`` (an unknown trait name is a bug: KeyError)."""
        if trait not in self.traits:
            raise KeyError(trait)
        spec = self.types.get(event_type)
        return spec is not None and trait in spec.traits

    @functools.cached_property
    def intents(self) -> dict[str, tuple[str, str]]:
        """Type -> (stated-intention type, CAMEO code)."""
        return {name: (s.intent.type, s.intent.cameo) for name, s in self.types.items() if s.intent is not None}

    @functools.cached_property
    def ruled_out(self) -> dict[str, str]:
        """Type -> REJECT CAMEO code for ruling the action out."""
        return {name: s.ruled_out for name, s in self.types.items() if s.ruled_out is not None}

    def valid_slot(self, slot: str) -> bool:
        prefix, sep, word = slot.partition(":")
        if sep:
            return prefix == self.slots.prepositional and word.isascii() and word.isalpha() and word.islower()
        return slot in self.slots.names

    def check_trigger(self, event_type: str, mode: str = "", contexts: Iterable[str] = (),
                      slots: Iterable[str] = ()) -> str | None:
        """Why a lexicon row with these values does not fit the ontology, or None when it does."""
        spec = self.types.get(event_type)
        if spec is None:
            return f"unknown PLOVER type {event_type!r}"
        if mode and mode not in spec.all_modes:
            return f"mode {mode!r} is not a mode of {event_type} ({', '.join(spec.all_modes) or 'none'})"
        for c in contexts:
            if c not in self.contexts:
                return f"unknown context {c!r}"
        for s in slots:
            if not self.valid_slot(s):
                return f"unknown slot {s!r}"
        return None


def _parse(text: str, label: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=getattr(exc, "lineno", 0), reason=str(exc)) from exc
    if data.get("schema") != 1:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=0, reason="expected schema = 1")
    return data


def _merge(base: dict[str, Any], user: dict[str, Any], label: str) -> None:
    """A user's file adds types (or replaces keys of a built-in type) and adds contexts."""
    unknown = set(user) - USER_KEYS
    if unknown:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=0,
                            reason=f"a user ontology may only hold {sorted(USER_KEYS - {'schema'})}, not {sorted(unknown)}")
    for name, spec in (user.get("types") or {}).items():
        if not isinstance(spec, dict):
            raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=0, reason=f"types.{name} must be a table")
        base["types"][name] = {**base["types"].get(name, {}), **spec}
    base["contexts"] = list(dict.fromkeys([*base["contexts"], *(user.get("contexts") or [])]))


def ontology_sources(extra_dirs: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """(label, text) of the built-in plover.toml and each user copy."""
    out = [(f"dotterel/resources/{RELPATH}",
            resources.files("dotterel").joinpath("resources", *RELPATH.split("/")).read_text(encoding="utf-8"))]
    for d in extra_dirs:
        p = Path(d) / RELPATH
        if p.is_file():
            out.append((str(p), p.read_text(encoding="utf-8")))
    return out


def load_ontology(extra_dirs: Iterable[Path] = ()) -> Ontology:
    """The built-in ontology merged with users' ``events/plover.toml`` files, validated (E002)."""
    sources = ontology_sources(extra_dirs)
    label, text = sources[0]
    data = _parse(text, label)
    data.pop("schema")
    for user_label, user_text in sources[1:]:
        _merge(data, _parse(user_text, user_label), user_label)
        label = user_label
    try:
        return Ontology.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label if len(sources) > 1 else sources[0][0], line=0,
                            reason=f"{where}: {first['msg']}") from exc


@functools.lru_cache(maxsize=8)
def cached_ontology(dirs: tuple[str, ...] = ()) -> Ontology:
    """:func:`load_ontology` once per process and set of resource folders."""
    return load_ontology(tuple(Path(d) for d in dirs))


def builtin_ontology() -> Ontology:
    """The ontology shipped with Dotterel (what the output contract enumerates)."""
    return cached_ontology(())
