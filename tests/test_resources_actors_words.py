"""The actors stage's word classes: resources/actors/word_classes.tsv (validated rows, every class
present, no repeats), the English sections it reads from resources/english/words.toml, and user
folders that extend both."""

from __future__ import annotations

from pathlib import Path

import pytest

from dotterel.actors.gazetteer import load_gazetteer
from dotterel.actors.wordclasses import CODE_CLASSES, RELPATH, WORD_CLASSES, load_actor_words
from dotterel.errors import DotterelError
from dotterel.tables import iter_rows, read_word_classes

HEADER = "class\tterm\tnotes\n"


def test_every_row_is_valid_and_every_class_is_filled() -> None:
    classes = read_word_classes(RELPATH, WORD_CLASSES, codes=CODE_CLASSES)  # every row valid (E002 otherwise)
    assert {c for c, terms in classes.items() if terms} == set(WORD_CLASSES + CODE_CLASSES)
    pairs = [(raw["class"], raw["term"]) for _, _, raw in iter_rows(RELPATH)]
    assert len(pairs) == len(set(pairs)), "a term is repeated within a class"


def test_classes_are_read_from_the_files() -> None:
    w = load_actor_words()
    assert {"former", "ex-", "late"} <= w.former
    assert "diaspora" in w.people_noun and "diaspora" not in w.ethnic_group_noun
    assert w.pronouns == w.person_pronouns | w.thing_pronouns | w.plural_pronouns
    assert {"he", "its", "themselves"} <= w.pronouns and "we" not in w.pronouns
    assert {"the", "a", "these", "“", "("} <= w.leading_drop
    assert w.locative_prepositions < w.spatial_prepositions


def test_leader_roles_are_compatible_with_the_leader() -> None:
    w = load_actor_words()
    assert w.compatible_roles("head_of_state") == {"head_of_state", "leader"}
    assert w.compatible_roles(None) == w.leader_role == w.compatible_roles("leader")
    assert w.compatible_roles("foreign_minister") == {"foreign_minister"}


@pytest.mark.parametrize(("row", "reason"), [
    ("formr\tformer\t", "unknown class"),
    ("former\tFormer\t", "lower-case"),
    ("former\tone time\t", "lower-case word without spaces"),
    ("non_state_code\tigo\t", "upper-case code"),
])
def test_bad_user_rows_name_the_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "word_classes.tsv").write_text("# mine\n" + HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(DotterelError) as exc:
        load_actor_words((tmp_path,))
    text = str(exc.value)
    assert "E002" in text and "word_classes.tsv" in text and reason in text


def test_user_folders_add_words_to_classes(tmp_path: Path) -> None:
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "word_classes.tsv").write_text(HEADER + "former\tquondam\t\nplural_states\tally\t\n",
                                                          encoding="utf-8")
    (tmp_path / "english").mkdir()
    (tmp_path / "english" / "words.toml").write_text('[plural_demonstratives]\nwords = ["yon"]\n', encoding="utf-8")
    g = load_gazetteer((tmp_path,))
    assert "quondam" in g.words.former and "former" in g.words.former
    assert "ally" in g.words.plural_states
    assert "yon" in g.words.leading_drop
    assert "quondam" not in load_actor_words().former  # the built-in classes are unchanged
