"""Actors: gazetteer matching, resolution of noun phrases to (name, country, sector, id), coreference."""

from dotterel.actors.gazetteer import Gazetteer, load_gazetteer

__all__ = ["Gazetteer", "load_gazetteer"]
