"""The word classes the actors stage decides with, read from data: the domain classes of
``resources/actors/word_classes.tsv`` (people nouns, plural references, "former", codes that are
no state, ...) and the general English classes of ``resources/english/words.toml`` (pronouns,
articles, demonstratives, prepositions). User folders add rows to both (``Settings.resource_dirs``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dotterel.tables import read_word_classes
from dotterel.words import english_words

RELPATH = "actors/word_classes.tsv"

#: the classes of word_classes.tsv: word classes hold lower-case words, code classes upper-case codes
WORD_CLASSES = ("former", "leading_mark", "ethnic_group_noun", "people_noun", "human_head", "plural_people", "plural_states",
                "plural_leader", "pair", "leader_role", "alias_title", "not_nationality", "not_nationality_prefix",
                "org_word", "bloc_word", "spoken_for_title")
CODE_CLASSES = ("non_state_code", "reporting_sector", "generic_org_type", "no_country_code", "state_sector")


@dataclass(frozen=True, slots=True)
class ActorWords:
    """Every word class the actors stage reads (one frozenset each)."""

    former: frozenset[str]
    leading_mark: frozenset[str]
    ethnic_group_noun: frozenset[str]
    people_noun: frozenset[str]
    human_head: frozenset[str]
    plural_people: frozenset[str]
    plural_states: frozenset[str]
    plural_leader: frozenset[str]
    pair: frozenset[str]
    leader_role: frozenset[str]
    alias_title: frozenset[str]
    not_nationality: frozenset[str]
    not_nationality_prefix: frozenset[str]
    org_word: frozenset[str]
    bloc_word: frozenset[str]
    spoken_for_title: frozenset[str]
    non_state_code: frozenset[str]
    reporting_sector: frozenset[str]
    generic_org_type: frozenset[str]
    no_country_code: frozenset[str]
    state_sector: frozenset[str]
    # from the English word file
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    spatial_prepositions: frozenset[str]
    locative_prepositions: frozenset[str]
    #: third-person pronouns: left to the coreference pass
    pronouns: frozenset[str]
    #: words and marks dropped from the left edge of a noun phrase: articles, demonstratives, marks
    leading_drop: frozenset[str]

    def compatible_roles(self, role: str | None) -> frozenset[str]:
        """The office roles a title with ``role`` can refer back to: a leader role also matches
        "leader", and "the leader" (no role) matches every leader role."""
        if role is None or role == "leader":
            return self.leader_role
        if role in self.leader_role:
            return frozenset({role, "leader"})
        return frozenset({role})


def load_actor_words(extra_dirs: tuple[Path, ...] = ()) -> ActorWords:
    """The built-in word classes plus the rows of each user folder's ``actors/word_classes.tsv`` and
    ``english/words.toml`` (E002 names the file and line of an invalid row)."""
    classes = read_word_classes(RELPATH, WORD_CLASSES, extra_dirs, codes=CODE_CLASSES)
    en = english_words(extra_dirs)
    pronouns = en.person_pronouns | en.thing_pronouns | en.plural_pronouns
    leading = en.articles | en.demonstratives | en.plural_demonstratives | classes["leading_mark"]
    return ActorWords(**classes,
                      person_pronouns=en.person_pronouns, thing_pronouns=en.thing_pronouns,
                      plural_pronouns=en.plural_pronouns, spatial_prepositions=en.spatial_prepositions,
                      locative_prepositions=en.locative_prepositions, pronouns=pronouns, leading_drop=leading)
